/** get_diagnostics and get_open_editors: what the editor knows that the files do not say. */
import type { DiagnosticInfo } from './port';
import type { ToolSpec } from './types';
import { fail, plural } from './common';
import { modelPathOf, resolveWorkspacePath } from './paths';
import { optionalString } from './validate';

const MAX_DIAGNOSTICS = 200;
const MAX_SELECTION_CHARS = 2000;
const SEVERITY_ORDER: Record<DiagnosticInfo['severity'], number> = { error: 0, warning: 1, info: 2, hint: 3 };

export const getDiagnosticsTool: ToolSpec = {
  access: 'read',
  definition: {
    name: 'get_diagnostics',
    description:
      'List the problems (compile errors, lint warnings) the editor reports, for one file or the whole workspace. ' +
      'Each line: severity path:line:column message [source code]. Use it after an edit to check the result.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'A file relative to the workspace root. Default: every file with problems.' },
      },
    },
  },
  async run(args, ctx) {
    const input = optionalString(args, 'path');
    let diagnostics: DiagnosticInfo[];
    let scope = 'the workspace';
    if (input !== undefined && input.trim() !== '') {
      const resolved = await resolveWorkspacePath(ctx.port, input, { mustExist: true });
      if (!resolved.ok) return fail(resolved.error, 'Path refused');
      scope = resolved.relativePath;
      diagnostics = ctx.port.diagnostics(resolved.path);
    } else {
      diagnostics = ctx.port.diagnostics();
    }
    // Problems in files outside the folders (an open library file) are not the model's to fix or see.
    const shown = diagnostics
      .map((d) => ({ d, path: modelPathOf(ctx.port, d.path) }))
      .filter((x): x is { d: DiagnosticInfo; path: string } => x.path !== undefined)
      .sort((a, b) => SEVERITY_ORDER[a.d.severity] - SEVERITY_ORDER[b.d.severity] || a.path.localeCompare(b.path) || a.d.line - b.d.line || a.d.column - b.d.column);
    if (shown.length === 0) {
      return { ok: true, content: `No problems reported in ${scope}.`, summary: `No problems in ${scope}`, ...(scope !== 'the workspace' && { paths: [scope] }) };
    }
    const counts = (['error', 'warning', 'info', 'hint'] as const)
      .map((s) => [s, shown.filter((x) => x.d.severity === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => plural(n, s === 'info' ? 'info' : s, s === 'info' ? 'infos' : `${s}s`));
    const files = new Set(shown.map((x) => x.path));
    const lines = shown.slice(0, MAX_DIAGNOSTICS).map(({ d, path }) => {
      const origin = d.source ? ` [${d.source}${d.code ? ` ${d.code}` : ''}]` : d.code ? ` [${d.code}]` : '';
      return `${d.severity} ${path}:${d.line}:${d.column} ${d.message.replace(/\s*\n\s*/g, ' ')}${origin}`;
    });
    if (shown.length > MAX_DIAGNOSTICS) lines.push(`[… and ${shown.length - MAX_DIAGNOSTICS} more not shown; ask for one file.]`);
    return {
      ok: true,
      content: [`${counts.join(', ')} in ${plural(files.size, 'file')}:`, ...lines].join('\n'),
      summary: `${counts.join(', ')} in ${scope}`,
      paths: [...files].slice(0, 20),
    };
  },
};

export const getOpenEditorsTool: ToolSpec = {
  access: 'read',
  definition: {
    name: 'get_open_editors',
    description:
      'List the files open in the editor: path, language, whether it is the active one, whether it has unsaved ' +
      'changes, and the selected lines and text (what the user is probably asking about).',
    parameters: { type: 'object', properties: {} },
  },
  async run(_args, ctx) {
    const editors = ctx.port
      .openEditors()
      .map((e) => ({ e, path: modelPathOf(ctx.port, e.path) }))
      .filter((x): x is { e: (typeof x)['e']; path: string } => x.path !== undefined)
      .sort((a, b) => Number(b.e.active) - Number(a.e.active));
    if (editors.length === 0) return { ok: true, content: 'No workspace files are open in the editor.', summary: 'No open editors' };
    const blocks = editors.map(({ e, path }) => {
      const flags = [e.languageId, e.active ? 'active' : '', e.dirty ? 'unsaved changes' : ''].filter((f) => f !== '');
      const lines = [`${path} (${flags.join(', ')})`];
      const s = e.selection;
      if (s) {
        const range = s.startLine === s.endLine ? `line ${s.startLine}` : `lines ${s.startLine}–${s.endLine}`;
        const text = s.text.length > MAX_SELECTION_CHARS ? `${s.text.slice(0, MAX_SELECTION_CHARS)}\n[… selection cut at ${MAX_SELECTION_CHARS} characters; read_file shows the rest.]` : s.text;
        lines.push(`  selection: ${range}, columns ${s.startColumn}–${s.endColumn}`);
        if (text !== '') lines.push(...text.split('\n').map((l) => `  > ${l}`));
      }
      return lines.join('\n');
    });
    const active = editors.find((x) => x.e.active);
    return {
      ok: true,
      content: `${plural(editors.length, 'open editor')}:\n${blocks.join('\n')}`,
      summary: `${plural(editors.length, 'open editor')}${active ? `, active ${active.path}` : ''}`,
      paths: editors.map((x) => x.path).slice(0, 20),
    };
  },
};
