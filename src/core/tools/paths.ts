/**
 * Confinement of model-supplied paths to the workspace folders. The model's text is untrusted: a path is refused
 * (with a message saying what to send instead) unless it names something inside a folder, both as written and after
 * following symlinks. Nothing is decoded-and-accepted: an encoded or Windows-only trick is refused, never "fixed".
 */
import { posix, win32 } from 'node:path';
import type { EntryStat, WorkspaceFolderInfo, WorkspacePort } from './port';

export { decodeText, isProbablyBinary, isSecretLooking, lastSegment } from './fileKinds';

export interface ResolvedPath {
  ok: true;
  /** Absolute, in the host's form (what the port takes). */
  path: string;
  /** Posix, relative to the folder, prefixed by the folder's name when there are several (what the model sees). */
  relativePath: string;
  folder: WorkspaceFolderInfo;
  /** Where it really is, symlinks followed (for a missing path: its real parent joined with the rest). */
  realPath: string;
  /** What is there now (symlinks followed); absent when nothing is. */
  stat?: EntryStat;
}

export type PathResolution = ResolvedPath | { ok: false; error: string };

export interface ResolveOptions {
  /** Refuse a path where nothing exists (reads); false for create_file. */
  mustExist: boolean;
  /** Accept the folder itself (list_directory, run_command's cwd). */
  allowRoot?: boolean;
  /** A write: also refuse anything inside `.git/`. */
  write?: boolean;
}

const MAX_PATH_CHARS = 1024;
const MAX_SEGMENT_CHARS = 255;
// Controls, DEL, and the invisible bidi / zero-width characters that make a path read differently than it is.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const HIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)(\..*)?$/i;

type PathFlavor = typeof posix;

/** Windows roots (`C:\x`) are handled with win32 rules, so this module works the same on every host. */
function flavorOf(folders: readonly WorkspaceFolderInfo[]): PathFlavor {
  return folders.some((f) => /^[a-zA-Z]:[\\/]/.test(f.root) || f.root.startsWith('\\\\')) ? win32 : posix;
}

/** Path text problems that do not depend on the file system. Returns the error, or undefined. */
function textProblem(input: string, flavor: PathFlavor): string | undefined {
  const shown = JSON.stringify(input.length > 120 ? `${input.slice(0, 120)}…` : input);
  if (input.length > MAX_PATH_CHARS) return `The path is ${input.length} characters long; paths up to ${MAX_PATH_CHARS} are accepted.`;
  if (HIDDEN_CHARS.test(input)) return `The path ${shown} contains a control or invisible character; send the plain path.`;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(input)) {
    return `${shown} looks like a URL; send a workspace path such as "src/app.ts" (no file:// or other scheme).`;
  }
  for (const m of input.matchAll(/%([0-9a-fA-F]{2})/g)) {
    const code = parseInt(m[1] ?? '', 16);
    // Encoded dots, separators, "%" itself (double encoding), controls and non-ASCII bytes (overlong UTF-8) are how
    // traversal hides from a naive check; an honest path never needs them.
    if (code < 0x20 || code >= 0x7f || './\\:~%'.includes(String.fromCharCode(code))) {
      return `The path ${shown} contains percent-encoding (${m[0]}); send the path exactly as it is on disk, not URL-encoded.`;
    }
  }
  if (input.startsWith('~')) return `${shown}: "~" (a home directory) is not available; paths are relative to the workspace.`;
  if (/^[\\/]{2}/.test(input)) return `${shown} is a network (UNC) or device path; only files in the workspace folders can be used.`;
  if (/^[a-zA-Z]:/.test(input) && !(flavor === win32 && /^[a-zA-Z]:[\\/]/.test(input))) {
    return flavor === win32
      ? `${shown} is drive-relative; send a path relative to the workspace or a full path inside it.`
      : `${shown} is a Windows path, but the workspace is not on Windows; send a path relative to the workspace.`;
  }
  const segments = input.replace(/^[a-zA-Z]:/, '').split(/[\\/]/);
  for (const s of segments) {
    if (s.length > MAX_SEGMENT_CHARS) return `A path segment is longer than ${MAX_SEGMENT_CHARS} characters.`;
    // "...", ". .", ".. " are ".." or "." to Windows (trailing dots and spaces are dropped): refused everywhere.
    if (/^[. ]+$/.test(s) && s !== '.' && s !== '..') return `${shown} has a segment made of dots and spaces (${JSON.stringify(s)}); send a plain path.`;
    if (flavor === win32) {
      if (s.includes(':')) return `${shown} has a ":" (a Windows alternate data stream); send a plain path.`;
      if (/[. ]$/.test(s) && s !== '.' && s !== '..') return `${shown} has a segment ending in a dot or space, which Windows ignores; send the exact name.`;
      if (WINDOWS_DEVICE.test(s)) return `${shown} names a Windows device (${s}); send a file path.`;
    }
  }
  return undefined;
}

function isInside(flavor: PathFlavor, root: string, candidate: string): string | undefined {
  const rel = flavor.relative(root, candidate);
  if (rel === '') return '';
  if (rel === '..' || rel.startsWith(`..${flavor.sep}`) || flavor.isAbsolute(rel)) return undefined;
  return rel;
}

/** The folder whose root is the longest prefix of `abs` (nested folders pick the innermost). */
function folderContaining(folders: readonly WorkspaceFolderInfo[], flavor: PathFlavor, abs: string) {
  let best: { folder: WorkspaceFolderInfo; rel: string } | undefined;
  for (const folder of folders) {
    const rel = isInside(flavor, folder.root, abs);
    if (rel !== undefined && (!best || folder.root.length > best.folder.root.length)) best = { folder, rel };
  }
  return best;
}

/** What the model sees for a path inside `folder`: posix, with the folder's name first when there are several. */
export function modelPath(folders: readonly WorkspaceFolderInfo[], folder: WorkspaceFolderInfo, relative: string): string {
  const rel = relative.split(/[\\/]/).filter((s) => s !== '' && s !== '.').join('/');
  if (folders.length > 1) return rel === '' ? folder.name : `${folder.name}/${rel}`;
  return rel === '' ? '.' : rel;
}

/** The model-facing path for an absolute path from the editor, or undefined when it is outside every folder. */
export function modelPathOf(port: WorkspacePort, abs: string): string | undefined {
  const folders = port.folders();
  const hit = folderContaining(folders, flavorOf(folders), abs);
  return hit && modelPath(folders, hit.folder, hit.rel);
}

/** `dir/name` for a directory the port gave or took, in the host's form. */
export function childPath(folders: readonly WorkspaceFolderInfo[], dir: string, name: string): string {
  return flavorOf(folders).join(dir, name);
}

function isGitSegment(s: string): boolean {
  return s.replace(/[. ]+$/, '').toLowerCase() === '.git';
}

/**
 * Resolves a model-supplied path to an absolute path inside one workspace folder, or says why not. Relative paths
 * resolve against the first folder, or the folder named by the first segment when there are several.
 */
export async function resolveWorkspacePath(port: WorkspacePort, input: string, options: ResolveOptions): Promise<PathResolution> {
  const folders = port.folders();
  const first = folders[0];
  if (!first) return { ok: false, error: 'No workspace folder is open, so no file can be used.' };
  const flavor = flavorOf(folders);
  const raw = input.trim();
  if (raw === '') return { ok: false, error: 'The path is empty; send a path relative to the workspace, e.g. "src/app.ts".' };
  const problem = textProblem(raw, flavor);
  if (problem) return { ok: false, error: problem };

  let folder: WorkspaceFolderInfo;
  let segments: string[];
  if (flavor.isAbsolute(raw)) {
    const hit = folderContaining(folders, flavor, flavor.resolve(raw)) ?? (await viaRealRoots(port, folders, flavor, raw));
    if (!hit) {
      const roots = folders.map((f) => f.root).join(', ');
      return { ok: false, error: `${raw} is outside the workspace folders (${roots}); send a path relative to the workspace.` };
    }
    folder = hit.folder;
    segments = hit.rel.split(/[\\/]/);
  } else {
    const parts = raw.split(/[\\/]/);
    const named = folders.length > 1 ? folders.find((f) => f.name === parts[0]) : undefined;
    folder = named ?? first;
    segments = named ? parts.slice(1) : parts;
  }

  const normal: string[] = [];
  for (const s of segments) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (normal.length === 0) return { ok: false, error: `${raw} leads outside the workspace folder with ".."; paths must stay inside it.` };
      normal.pop();
    } else normal.push(s);
  }
  const relativePath = modelPath(folders, folder, normal.join('/'));
  if (normal.length === 0 && !options.allowRoot) {
    return { ok: false, error: `${raw} is the workspace folder itself; name a file inside it.` };
  }
  if (options.write && normal.some(isGitSegment)) {
    return { ok: false, error: `${relativePath} is inside .git; the repository's internals cannot be written.` };
  }
  const abs = normal.length === 0 ? folder.root : flavor.join(folder.root, ...normal);
  const real = await realTarget(port, flavor, abs, relativePath);
  if (!real.ok) return real;
  const realRoots = await Promise.all(folders.map((f) => port.realpath(f.root).catch(() => f.root)));
  const inside = realRoots
    .map((root) => isInside(flavor, root, real.path))
    .filter((rel): rel is string => rel !== undefined);
  if (inside.length === 0) {
    return { ok: false, error: `${relativePath} is a symbolic link (or inside one) that points outside the workspace; it cannot be used.` };
  }
  if (options.write && inside.every((rel) => rel.split(/[\\/]/).some(isGitSegment))) {
    return { ok: false, error: `${relativePath} leads into .git through a symbolic link; the repository's internals cannot be written.` };
  }
  if (!real.stat && options.mustExist) {
    return { ok: false, error: `${relativePath} does not exist. Use list_directory or find_files to see what is there.` };
  }
  return { ok: true, path: abs, relativePath, folder, realPath: real.path, ...(real.stat && { stat: real.stat }) };
}

/** An absolute path written through a folder's real location (e.g. /private/tmp for /tmp) still belongs to it. */
async function viaRealRoots(port: WorkspacePort, folders: readonly WorkspaceFolderInfo[], flavor: PathFlavor, raw: string) {
  for (const folder of folders) {
    const realRoot = await port.realpath(folder.root).catch(() => undefined);
    const rel = realRoot === undefined ? undefined : isInside(flavor, realRoot, flavor.resolve(raw));
    if (rel !== undefined) return { folder, rel };
  }
  return undefined;
}

/**
 * Where `abs` really is: its realpath when it exists, else the realpath of its nearest existing ancestor joined with
 * the rest (where create_file would write). A dangling symlink on the way is refused: writing through it would
 * create its target, wherever that is.
 */
async function realTarget(
  port: WorkspacePort,
  flavor: PathFlavor,
  abs: string,
  shown: string,
): Promise<{ ok: true; path: string; stat?: EntryStat } | { ok: false; error: string }> {
  const stat = await port.stat(abs);
  if (stat) {
    try {
      return { ok: true, path: await port.realpath(abs), stat };
    } catch {
      return { ok: false, error: `${shown} cannot be resolved (a symbolic link loop or no permission).` };
    }
  }
  const missing: string[] = [];
  let dir = abs;
  for (;;) {
    const parent = flavor.dirname(dir);
    if (parent === dir) return { ok: false, error: `${shown}: no existing folder was found above it.` };
    missing.unshift(flavor.basename(dir));
    dir = parent;
    const parentStat = await port.stat(dir);
    if (!parentStat) continue;
    if (parentStat.type !== 'directory') return { ok: false, error: `${shown}: a part of this path is a file, not a folder.` };
    const entries = await port.readDirectory(dir).catch(() => []);
    if (entries.some((e) => e.name === missing[0])) {
      return { ok: false, error: `${shown} goes through a symbolic link whose target does not exist; it cannot be used.` };
    }
    try {
      return { ok: true, path: flavor.join(await port.realpath(dir), ...missing) };
    } catch {
      return { ok: false, error: `${shown} cannot be resolved (a symbolic link loop or no permission).` };
    }
  }
}
