/** read_file: a text file (or the open editor's unsaved text) with line numbers, in a size-capped window. */
import type { ToolSpec } from './types';
import { currentText, denied, fail, plural, splitLines } from './common';
import { isSecretLooking, lastSegment, resolveWorkspacePath } from './paths';
import { optionalNumber } from './validate';

export const readFileTool: ToolSpec = {
  access: 'read',
  definition: {
    name: 'read_file',
    description:
      'Read a text file of the workspace. Returns its lines prefixed with line numbers ("  12| code"); the numbers ' +
      'are not part of the file. Give start_line/end_line (1-based, inclusive) to read part of a big file; long ' +
      'output is cut and the result says how to read on. Shows unsaved editor changes when the file is open.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Path relative to the workspace root, e.g. "src/app.ts".' },
        start_line: { type: 'integer', minimum: 1, description: 'First line to show (1-based). Default 1.' },
        end_line: { type: 'integer', minimum: 1, description: 'Last line to show (inclusive). Default: the end.' },
      },
      required: ['path'],
    },
  },
  async run(args, ctx) {
    const resolved = await resolveWorkspacePath(ctx.port, String(args.path), { mustExist: true });
    if (!resolved.ok) return fail(resolved.error, 'Path refused');
    const { path, relativePath: shown, stat } = resolved;
    const paths = [shown];
    if (stat?.type === 'directory') return fail(`${shown} is a directory; use list_directory to see its entries.`, `${shown} is a directory`, paths);
    if (stat?.type !== 'file') return fail(`${shown} is not a regular file.`, 'Not a file', paths);
    // A link named `config` pointing at `.env` is still the secret: its target's name counts too.
    if (isSecretLooking(shown) || isSecretLooking(lastSegment(resolved.realPath))) {
      const decision = await ctx.approve({ kind: 'secretRead', tool: 'read_file', callId: ctx.callId, path, relativePath: shown });
      // A refusal carries nothing of the file: not its size, not a line.
      if (!decision.approved) return denied(decision, `reading ${shown} (it looks like it holds secrets)`, paths);
    }
    const current = await currentText(ctx.port, path, shown, stat.size);
    if (!current.ok) return fail(current.error, `Cannot read ${shown}`, paths);
    ctx.reads.remember(path, current.text);

    const lines = splitLines(current.text);
    const total = lines.length;
    const unsaved = current.fromEditor && ctx.port.openDocument(path)?.dirty ? ' (unsaved editor text)' : '';
    if (total === 0) return { ok: true, content: `${shown} is empty.`, summary: `Read ${shown} (empty)`, paths };
    const start = optionalNumber(args, 'start_line') ?? 1;
    const end = Math.min(optionalNumber(args, 'end_line') ?? total, total);
    if (start > total) {
      return fail(`${shown} has ${plural(total, 'line')}; start_line ${start} is past the end.`, `Read ${shown}: past the end`, paths);
    }
    if (end < start) return fail(`end_line (${end}) is before start_line (${start}).`, 'Bad line range', paths);

    const width = String(end).length;
    const out: string[] = [];
    let used = 0;
    let last = start - 1;
    let cutLine = false;
    for (let n = start; n <= end; n++) {
      const line = `${String(n).padStart(width)}| ${lines[n - 1] ?? ''}`;
      if (used + line.length + 1 > ctx.limits.readMaxChars) {
        // One line longer than the whole budget (minified code): show its start rather than nothing.
        if (out.length === 0) {
          out.push(`${line.slice(0, ctx.limits.readMaxChars)}…`);
          last = n;
          cutLine = true;
        }
        break;
      }
      out.push(line);
      used += line.length + 1;
      last = n;
    }
    const range = start === 1 && last === total ? `all ${plural(total, 'line')}` : `lines ${start}–${last} of ${total}`;
    const notes: string[] = [];
    if (cutLine) notes.push(`[Line ${last} is longer than ${ctx.limits.readMaxChars} characters and was cut.]`);
    if (last < end) notes.push(`[Showed lines ${start}–${last} of ${total} (output limit). Read on with start_line=${last + 1}.]`);
    else if (last < total) notes.push(`[Showed lines ${start}–${last} of ${total}.]`);
    const header = `${shown}${unsaved}, ${range}:`;
    return {
      ok: true,
      content: [header, ...out, ...notes].join('\n'),
      summary: `Read ${shown} ${start === 1 && last === total ? `(${plural(total, 'line')})` : `lines ${start}–${last} (of ${total})`}`,
      paths,
    };
  },
};
