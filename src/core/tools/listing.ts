/** list_directory and find_files: what is where, capped, without the editor's excluded and git-ignored files. */
import picomatch from 'picomatch';
import type { ToolSpec } from './types';
import { fail, plural } from './common';
import { childPath, resolveWorkspacePath } from './paths';
import { optionalString } from './validate';
import { walkWorkspace, type WalkStats } from './walk';

export const listDirectoryTool: ToolSpec = {
  access: 'read',
  definition: {
    name: 'list_directory',
    description:
      'List the entries of a workspace directory (not recursive). Directories end with "/", and come first. ' +
      'Files hidden by the editor\'s files.exclude setting are left out. Use find_files to search a whole tree.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Directory relative to the workspace root. Default: the root.' },
      },
    },
  },
  async run(args, ctx) {
    const folders = ctx.port.folders();
    const input = optionalString(args, 'path') ?? '.';
    if (folders.length > 1 && ['.', './', ''].includes(input.trim())) {
      const lines = folders.map((f) => `${f.name}/`);
      return { ok: true, content: `The workspace has ${folders.length} folders:\n${lines.join('\n')}`, summary: `Listed ${folders.length} workspace folders` };
    }
    const resolved = await resolveWorkspacePath(ctx.port, input, { mustExist: true, allowRoot: true });
    if (!resolved.ok) return fail(resolved.error, 'Path refused');
    const { path, relativePath: shown, folder, stat } = resolved;
    if (stat?.type !== 'directory') return fail(`${shown} is a file, not a directory; use read_file to read it.`, `${shown} is not a directory`, [shown]);
    let entries;
    try {
      entries = await ctx.port.readDirectory(path);
    } catch (e) {
      return fail(`${shown} could not be listed: ${e instanceof Error ? e.message : String(e)}`, `Cannot list ${shown}`, [shown]);
    }
    const globs = ctx.port.excludeGlobs('files');
    const excluded = globs.length > 0 ? picomatch([...globs], { dot: true }) : () => false;
    const prefix = shown === '.' || shown === folder.name ? '' : `${shown.slice(folders.length > 1 ? folder.name.length + 1 : 0)}/`;
    const dirs: string[] = [];
    const files: string[] = [];
    let hidden = 0;
    for (const entry of entries) {
      if (excluded(`${prefix}${entry.name}`)) {
        hidden++;
        continue;
      }
      let type = entry.type;
      if (type === 'symlink') type = (await ctx.port.stat(childPath(folders, path, entry.name)))?.type ?? 'other';
      const link = entry.type === 'symlink' ? ' (symlink)' : '';
      if (type === 'directory') dirs.push(`${entry.name}/${link}`);
      else files.push(`${entry.name}${link}`);
    }
    const byName = (a: string, b: string) => a.localeCompare(b, 'en');
    const all = [...dirs.sort(byName), ...files.sort(byName)];
    const max = ctx.limits.listMaxEntries;
    const shownEntries = all.slice(0, max);
    const notes: string[] = [];
    if (all.length > max) notes.push(`[… and ${all.length - max} more entries not shown; use find_files with a glob to narrow down.]`);
    if (hidden > 0) notes.push(`[${plural(hidden, 'entry', 'entries')} hidden by files.exclude.]`);
    const header = all.length === 0 ? `${shown} is empty.` : `${shown}/ (${plural(dirs.length, 'directory', 'directories')}, ${plural(files.length, 'file')}):`;
    return {
      ok: true,
      content: [header, ...shownEntries, ...notes].join('\n'),
      summary: `Listed ${shown} (${plural(all.length, 'entry', 'entries')})`,
      paths: [shown],
    };
  },
};

export const findFilesTool: ToolSpec = {
  access: 'read',
  definition: {
    name: 'find_files',
    description:
      'Find files in the workspace by glob, e.g. "**/*.ts", "src/**/test_*.py", "**/package.json". Matches paths ' +
      'relative to the workspace root. Files ignored by .gitignore or the editor\'s exclude settings are skipped, ' +
      'and so is node_modules unless the glob names it. Returns matching paths, capped.',
    parameters: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Glob pattern (picomatch syntax: *, **, ?, {a,b}, [abc]).' },
      },
      required: ['pattern'],
    },
  },
  async run(args, ctx) {
    const folders = ctx.port.folders();
    const pattern = String(args.pattern).trim().replace(/^\.\//, '');
    if (pattern === '') return fail('The pattern is empty; send a glob such as "**/*.ts".', 'Empty pattern');
    if (pattern.startsWith('/') || pattern.includes('..')) {
      return fail('The pattern must be relative to the workspace root, without ".." (e.g. "src/**/*.ts").', 'Pattern refused');
    }
    let matches: (relative: string, shown: string) => boolean;
    try {
      const base = picomatch(pattern, { dot: true });
      // A bare name ("package.json", "*.md") is meant anywhere in the tree, as in VS Code's quick open.
      const anywhere = pattern.includes('/') ? undefined : picomatch(`**/${pattern}`, { dot: true });
      matches = (rel, shown) => base(rel) || base(shown) || (anywhere?.(rel) ?? false);
    } catch (e) {
      return fail(`The glob ${JSON.stringify(pattern)} is invalid: ${e instanceof Error ? e.message : String(e)}`, 'Invalid glob');
    }
    const stats: WalkStats = { visited: 0, limitHit: false };
    const found: string[] = [];
    const walk = walkWorkspace(ctx.port, { excludes: 'files', includeNodeModules: pattern.includes('node_modules'), signal: ctx.signal }, stats);
    for await (const file of walk) {
      if (matches(file.relative, file.shown)) found.push(file.shown);
    }
    if (ctx.signal.aborted) return fail('Cancelled.', 'Cancelled');
    found.sort();
    const max = ctx.limits.listMaxEntries;
    const notes: string[] = [];
    if (found.length > max) notes.push(`[… and ${found.length - max} more files not shown; use a narrower pattern.]`);
    if (stats.limitHit) notes.push(`[The walk stopped after ${stats.visited - 1} entries; results may be incomplete.]`);
    const where = folders.length > 1 ? ` in ${folders.length} folders` : '';
    const header = found.length === 0 ? `No files match ${JSON.stringify(pattern)}${where}.` : `${plural(found.length, 'file')} match ${JSON.stringify(pattern)}${where}:`;
    return {
      ok: true,
      content: [header, ...found.slice(0, max), ...notes].join('\n'),
      summary: `${plural(found.length, 'file')} match ${pattern}`,
      paths: found.slice(0, 20),
    };
  },
};
