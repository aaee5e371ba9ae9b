/** search_text: grep over the workspace (open editors' unsaved text included), capped, git-ignored files skipped. */
import picomatch from 'picomatch';
import type { ToolSpec } from './types';
import { fail, plural } from './common';
import { decodeText, isProbablyBinary, isSecretLooking, lastSegment } from './paths';
import { optionalBoolean, optionalString } from './validate';
import { walkWorkspace, type WalkStats } from './walk';

const LINE_CHARS = 200;

/** A long line (minified code) is shown around its first match, not from its start. */
function excerpt(line: string, index: number): string {
  const text = line.trim().length <= LINE_CHARS ? line.trim() : line;
  if (text.length <= LINE_CHARS) return text;
  const from = Math.max(0, Math.min(index - 60, text.length - LINE_CHARS));
  return `${from > 0 ? '…' : ''}${text.slice(from, from + LINE_CHARS)}${from + LINE_CHARS < text.length ? '…' : ''}`;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const searchTextTool: ToolSpec = {
  access: 'read',
  definition: {
    name: 'search_text',
    description:
      'Search the text of the workspace files, line by line. The query is literal text unless regex is true ' +
      '(JavaScript regular expression syntax). Case-insensitive unless case_sensitive is true. Narrow with include ' +
      '(a glob such as "src/**/*.ts"). Results are "path:line: text", capped. Skips binary files, very large files ' +
      'and files ignored by .gitignore or the editor\'s search exclude settings.',
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Text (or regular expression) to find within one line.' },
        regex: { type: 'boolean', description: 'Treat query as a regular expression. Default false.' },
        case_sensitive: { type: 'boolean', description: 'Match case exactly. Default false.' },
        include: { type: 'string', description: 'Only search files whose workspace path matches this glob.' },
      },
      required: ['query'],
    },
  },
  async run(args, ctx) {
    const query = String(args.query);
    if (query === '') return fail('The query is empty; send the text to search for.', 'Empty query');
    const isRegex = optionalBoolean(args, 'regex') ?? false;
    const flags = optionalBoolean(args, 'case_sensitive') ? '' : 'i';
    let pattern: RegExp;
    try {
      pattern = new RegExp(isRegex ? query : escapeRegExp(query), flags);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      return fail(`The regular expression is invalid: ${reason}. Fix it, or send regex: false to search the literal text.`, 'Invalid regex');
    }
    const include = optionalString(args, 'include')?.trim().replace(/^\.\//, '');
    let included: (relative: string, shown: string) => boolean = () => true;
    if (include) {
      try {
        const glob = picomatch(include, { dot: true });
        const anywhere = include.includes('/') ? undefined : picomatch(`**/${include}`, { dot: true });
        included = (rel, shown) => glob(rel) || glob(shown) || (anywhere?.(rel) ?? false);
      } catch (e) {
        return fail(`The include glob is invalid: ${e instanceof Error ? e.message : String(e)}`, 'Invalid glob');
      }
    }

    const max = ctx.limits.searchMaxResults;
    const results: string[] = [];
    const files = new Set<string>();
    let more = false;
    let tooBig = 0;
    let secret = 0;
    let searched = 0;
    const stats: WalkStats = { visited: 0, limitHit: false };
    const walk = walkWorkspace(ctx.port, { excludes: 'search', includeNodeModules: !!include?.includes('node_modules'), signal: ctx.signal }, stats);
    outer: for await (const file of walk) {
      if (!included(file.relative, file.shown)) continue;
      // A match line would show the secret itself, without the approval read_file asks for.
      if (isSecretLooking(file.relative) || (file.target !== undefined && isSecretLooking(lastSegment(file.target)))) {
        secret++;
        continue;
      }
      let text = ctx.port.openDocument(file.path)?.text;
      if (text === undefined) {
        const stat = await ctx.port.stat(file.path);
        if (!stat || stat.type !== 'file') continue;
        if (stat.size > ctx.limits.searchMaxFileBytes) {
          tooBig++;
          continue;
        }
        const bytes = await ctx.port.readFile(file.path).catch(() => undefined);
        if (!bytes || isProbablyBinary(bytes)) continue;
        text = decodeText(bytes);
      }
      searched++;
      const lines = text.split(/\r\n|\n|\r/);
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i] ?? '';
        const m = pattern.exec(line);
        if (!m) continue;
        if (results.length >= max) {
          more = true;
          break outer;
        }
        files.add(file.shown);
        results.push(`${file.shown}:${i + 1}: ${excerpt(line, m.index)}`);
      }
      if (ctx.signal.aborted) break;
    }
    if (ctx.signal.aborted) return fail('Cancelled.', 'Cancelled');

    const what = `${isRegex ? 'regex' : 'text'} ${JSON.stringify(query)}${include ? ` in ${include}` : ''}`;
    const notes: string[] = [];
    if (more) notes.push(`[Stopped at ${max} matches; there are more. Narrow the query or use include.]`);
    if (tooBig > 0) notes.push(`[${plural(tooBig, 'file')} larger than ${ctx.limits.searchMaxFileBytes} bytes skipped.]`);
    // Said only when nothing matched (it does not depend on what the secrets hold), to keep every other result short.
    if (secret > 0 && results.length === 0) notes.push(`[${plural(secret, 'secret-looking file')} (.env, keys) not searched; read_file asks the user before showing one.]`);
    if (stats.limitHit) notes.push('[The walk stopped early on a very large tree; results may be incomplete.]');
    const header =
      results.length === 0
        ? `No matches for ${what} (${plural(searched, 'file')} searched).`
        : `${plural(results.length, 'match', 'matches')}${more ? '+' : ''} for ${what} in ${plural(files.size, 'file')}:`;
    return {
      ok: true,
      content: [header, ...results, ...notes].join('\n'),
      summary: `${plural(results.length, 'match', 'matches')}${more ? '+' : ''} in ${plural(files.size, 'file')}`,
      paths: [...files].slice(0, 20),
    };
  },
};
