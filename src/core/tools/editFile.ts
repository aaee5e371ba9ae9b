/**
 * edit_file and create_file: the model proposes, the user approves a diff, the port applies it as one undoable edit.
 * The read ledger turns "the file changed under the model" into a conflict it can recover from, never an overwrite.
 */
import type { ToolContext, ToolResult, ToolSpec } from './types';
import { currentText, denied, fail, plural } from './common';
import { resolveWorkspacePath } from './paths';
import { applySearchReplace, rewriteKeepingStyle, type SearchReplace } from './textEdits';
import { optionalString } from './validate';

function changedLines(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return endB > start ? `lines ${start + 1}–${endB}` : `around line ${start + 1}`;
}

async function writeApproved(
  ctx: ToolContext,
  tool: string,
  target: { path: string; relativePath: string },
  before: string,
  after: string,
  create: boolean,
  recheck: () => Promise<string | undefined>,
): Promise<ToolResult> {
  const { path, relativePath: shown } = target;
  const paths = [shown];
  const decision = await ctx.approve({ kind: 'edit', tool, callId: ctx.callId, path, relativePath: shown, before, after, create });
  if (!decision.approved) return denied(decision, create ? `creating ${shown}` : `this edit of ${shown}`, paths);
  if (ctx.signal.aborted) return fail('Cancelled before the change was applied.', 'Cancelled', paths);
  // The user may have typed in the file while the diff was open: applying now would drop their change.
  const conflict = await recheck();
  if (conflict) return fail(conflict, `Conflict: ${shown} changed`, paths);
  try {
    await ctx.port.writeText(path, after, { create });
  } catch (e) {
    return fail(`${shown} could not be written: ${e instanceof Error ? e.message : String(e)}`, `Write failed: ${shown}`, paths);
  }
  ctx.reads.remember(path, after);
  const lines = after === '' ? 0 : after.split('\n').length - (after.endsWith('\n') ? 1 : 0);
  return create
    ? { ok: true, content: `Created ${shown} (${plural(lines, 'line')}).`, summary: `Created ${shown}`, paths }
    : { ok: true, content: `Edited ${shown}: ${changedLines(before, after)} changed; it now has ${plural(lines, 'line')}.`, summary: `Edited ${shown}`, paths };
}

const CONFLICT = (shown: string) => `${shown} changed since you read it (edited in the editor or on disk). Read it again with read_file, then redo the edit on the current text.`;

export const editFileTool: ToolSpec = {
  access: 'write',
  definition: {
    name: 'edit_file',
    description:
      'Change an existing file. Preferred: edits, a list of {search, replace} blocks; each search must be text ' +
      'copied exactly from the file (whitespace included, without the read_file line numbers) that occurs exactly ' +
      'once; include a few surrounding lines to make it unique. Blocks apply in order. Or content: the complete ' +
      'new text of the file (only after reading it). The user reviews the change as a diff before it is applied.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File relative to the workspace root.' },
        edits: {
          type: 'array',
          description: 'Exact replacements, applied in order.',
          items: {
            type: 'object',
            properties: {
              search: { type: 'string', description: 'Existing text, matching exactly once.' },
              replace: { type: 'string', description: 'The text to put in its place.' },
            },
            required: ['search', 'replace'],
          },
        },
        content: { type: 'string', description: 'The whole new file text (instead of edits).' },
      },
      required: ['path'],
    },
  },
  async run(args, ctx) {
    const resolved = await resolveWorkspacePath(ctx.port, String(args.path), { mustExist: false, write: true });
    if (!resolved.ok) return fail(resolved.error, 'Path refused');
    const { path, relativePath: shown, stat } = resolved;
    const paths = [shown];
    const edits = Array.isArray(args.edits) ? (args.edits as SearchReplace[]) : undefined;
    const content = optionalString(args, 'content');
    if (edits && content !== undefined) return fail('Send either edits or content, not both.', 'Edit refused', paths);
    if (!edits && content === undefined) return fail('Send edits (a list of {search, replace}) or content (the whole new text).', 'Edit refused', paths);
    if (edits && edits.length === 0) return fail('edits is empty; send at least one {search, replace} block.', 'Edit refused', paths);
    if (!stat) return fail(`${shown} does not exist; use create_file to create it.`, `${shown} does not exist`, paths);
    if (stat.type !== 'file') return fail(`${shown} is a ${stat.type === 'directory' ? 'directory' : 'special file'}, not a file.`, 'Not a file', paths);

    const current = await currentText(ctx.port, path, shown, stat.size);
    if (!current.ok) return fail(current.error, `Cannot edit ${shown}`, paths);
    const before = current.text;
    const seen = ctx.reads.lastRead(path);
    if (seen !== undefined && seen !== before) return fail(CONFLICT(shown), `Conflict: ${shown} changed`, paths);
    // Search blocks prove what the model expects to be there; a whole rewrite of text it never saw proves nothing.
    if (content !== undefined && seen === undefined) {
      return fail(`You have not read ${shown}; read it with read_file before rewriting it whole (or send edits with exact search blocks).`, 'Rewrite refused: not read', paths);
    }
    let after: string;
    if (edits) {
      const outcome = applySearchReplace(before, edits);
      if (!outcome.ok) return fail(`${outcome.error} Nothing was changed.`, 'Edit did not apply', paths);
      after = outcome.text;
    } else {
      after = rewriteKeepingStyle(before, content ?? '');
    }
    if (after === before) return fail(`The edit leaves ${shown} unchanged; nothing to do.`, 'No change', paths);
    return writeApproved(ctx, 'edit_file', resolved, before, after, false, async () => {
      const now = await ctx.port.stat(path);
      const again = now ? await currentText(ctx.port, path, shown, now.size) : undefined;
      return again?.ok && again.text === before ? undefined : CONFLICT(shown);
    });
  },
};

export const createFileTool: ToolSpec = {
  access: 'write',
  definition: {
    name: 'create_file',
    description:
      'Create a new file with the given content (missing parent directories are created). Fails if the file ' +
      'exists: use edit_file to change an existing file. The user approves the new file before it is written.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'New file, relative to the workspace root.' },
        content: { type: 'string', description: 'The complete text of the file.' },
      },
      required: ['path', 'content'],
    },
  },
  async run(args, ctx) {
    const resolved = await resolveWorkspacePath(ctx.port, String(args.path), { mustExist: false, write: true });
    if (!resolved.ok) return fail(resolved.error, 'Path refused');
    const { relativePath: shown, stat } = resolved;
    if (stat) {
      const what = stat.type === 'directory' ? 'a directory' : 'a file';
      return fail(`${shown} already exists (${what}). Use edit_file to change it (read it first).`, `${shown} exists`, [shown]);
    }
    const content = String(args.content);
    return writeApproved(ctx, 'create_file', resolved, '', content, true, async () =>
      (await ctx.port.stat(resolved.path)) ? `${shown} was created by someone else meanwhile; read it, then use edit_file.` : undefined,
    );
  },
};
