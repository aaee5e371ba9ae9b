/**
 * Walks the workspace folders for find_files and search_text the way a developer's tools would: `.gitignore` files
 * (nested ones too) and the editor's exclude settings are respected, `.git` is never entered, `node_modules` only
 * when asked for. Symlinked folders are not followed (cycles, and links out of the workspace); a symlinked file is
 * kept only when its target is inside a folder.
 */
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { WorkspaceFolderInfo, WorkspacePort } from './port';
import { childPath, decodeText, modelPath } from './paths';

export interface WalkedFile {
  path: string;
  /** Posix, relative to the folder root (what globs match). */
  relative: string;
  /** What the model sees (folder name first with several folders). */
  shown: string;
  folder: WorkspaceFolderInfo;
  /** For a symlinked file: its target (inside the workspace). */
  target?: string;
}

export interface WalkOptions {
  /** Which exclude setting applies: `files.exclude` alone, or with `search.exclude`. */
  excludes: 'files' | 'search';
  includeNodeModules: boolean;
  signal: AbortSignal;
  /** Stop after visiting this many entries, so a huge tree cannot stall the agent. @default 100_000 */
  maxVisited?: number;
}

export interface WalkStats {
  visited: number;
  /** The walk stopped at `maxVisited` entries. */
  limitHit: boolean;
}

interface IgnoreLayer {
  /** Posix directory of the .gitignore, relative to the folder ('' at the root). */
  base: string;
  rules: Ignore;
}

function isIgnored(layers: readonly IgnoreLayer[], relative: string, isDir: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = layer.base === '' ? relative : relative.slice(layer.base.length + 1);
    // Later (deeper) files override earlier ones, and a `!rule` can take back what a parent ignored.
    const result = layer.rules.test(isDir ? `${rel}/` : rel);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

async function loadGitignore(port: WorkspacePort, dirPath: string, join: (a: string, b: string) => string) {
  try {
    return ignore().add(decodeText(await port.readFile(join(dirPath, '.gitignore'))));
  } catch {
    return undefined;
  }
}

/** Yields every file that passes the filters, folder by folder, sorted by path within each directory. */
export async function* walkWorkspace(port: WorkspacePort, options: WalkOptions, stats: WalkStats): AsyncGenerator<WalkedFile> {
  const folders = port.folders();
  const sep = folders.some((f) => /^[a-zA-Z]:[\\/]/.test(f.root)) ? '\\' : '/';
  const join = (dir: string, name: string) => childPath(folders, dir, name);
  const globs = [...port.excludeGlobs('files'), ...(options.excludes === 'search' ? port.excludeGlobs('search') : [])];
  const excluded = globs.length > 0 ? picomatch(globs, { dot: true }) : () => false;
  const maxVisited = options.maxVisited ?? 100_000;
  const realRoots = await Promise.all(folders.map((f) => port.realpath(f.root).catch(() => f.root)));
  const insideWorkspace = (real: string) => realRoots.some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep));

  for (const folder of folders) {
    const stack: { path: string; relative: string; layers: IgnoreLayer[] }[] = [{ path: folder.root, relative: '', layers: [] }];
    while (stack.length > 0) {
      if (options.signal.aborted) return;
      const dir = stack.pop();
      if (!dir) break;
      const entries = await port.readDirectory(dir.path).catch(() => []);
      let layers = dir.layers;
      if (entries.some((e) => e.name === '.gitignore' && e.type === 'file')) {
        const rules = await loadGitignore(port, dir.path, join);
        if (rules) layers = [...layers, { base: dir.relative, rules }];
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: typeof stack = [];
      for (const entry of entries) {
        if (options.signal.aborted) return;
        if (++stats.visited > maxVisited) {
          stats.limitHit = true;
          return;
        }
        if (entry.name === '.git') continue;
        if (entry.name === 'node_modules' && !options.includeNodeModules) continue;
        const relative = dir.relative === '' ? entry.name : `${dir.relative}/${entry.name}`;
        const path = join(dir.path, entry.name);
        let type = entry.type;
        let target: string | undefined;
        if (type === 'symlink') {
          const linked = await port.stat(path);
          if (linked?.type !== 'file') continue;
          const real = await port.realpath(path).catch(() => undefined);
          if (real === undefined || !insideWorkspace(real)) continue;
          type = 'file';
          target = real;
        }
        if (type !== 'file' && type !== 'directory') continue;
        if (excluded(relative) || isIgnored(layers, relative, type === 'directory')) continue;
        if (type === 'directory') subdirs.push({ path, relative, layers });
        else yield { path, relative, shown: modelPath(folders, folder, relative), folder, ...(target !== undefined && { target }) };
      }
      // Popped from the end: push in reverse so directories are visited in sorted order.
      for (let i = subdirs.length - 1; i >= 0; i--) {
        const sub = subdirs[i];
        if (sub) stack.push(sub);
      }
    }
  }
}
