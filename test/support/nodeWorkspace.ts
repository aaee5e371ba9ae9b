/**
 * A WorkspacePort over real `node:fs` and `child_process`, for tests of the tools and the agent in plain Node. It is
 * also the reference for the VS Code adapter: the behaviour here (symlinks reported by lstat, writes creating parent
 * folders, commands killed as a whole process group, output capped keeping its head and tail) is what the tools
 * expect of any port.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type {
  CommandResult,
  DiagnosticInfo,
  DirectoryEntry,
  EntryStat,
  OpenDocumentText,
  OpenEditorInfo,
  WorkspaceFolderInfo,
  WorkspacePort,
} from '../../src/core/tools/port';

export interface NodeWorkspace extends WorkspacePort {
  /** Open editors' texts by absolute path (what `openDocument` answers); tests set and change them. */
  documents: Map<string, OpenDocumentText>;
  excludes: { files: string[]; search: string[] };
  diagnosticList: DiagnosticInfo[];
  editorList: OpenEditorInfo[];
  /** Every writeText call, in order. */
  writes: { path: string; text: string; create: boolean }[];
}

/** A port over existing folders (absolute roots). */
export function nodeWorkspace(roots: readonly string[]): NodeWorkspace {
  const folders: WorkspaceFolderInfo[] = roots.map((root) => ({ name: basename(root), root: root.replace(/\/+$/, '') }));
  const ws: NodeWorkspace = {
    documents: new Map(),
    excludes: { files: [], search: [] },
    diagnosticList: [],
    editorList: [],
    writes: [],
    folders: () => folders,
    realpath: (path) => realpath(path),
    async stat(path): Promise<EntryStat | undefined> {
      try {
        const s = await stat(path);
        return { type: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other', size: s.size, mtimeMs: s.mtimeMs };
      } catch {
        return undefined;
      }
    },
    readFile: async (path) => new Uint8Array(await readFile(path)),
    async readDirectory(path): Promise<DirectoryEntry[]> {
      const entries = await readdir(path, { withFileTypes: true });
      return entries.map((e) => ({
        name: e.name,
        type: e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : e.isDirectory() ? 'directory' : 'other',
      }));
    },
    openDocument: (path) => ws.documents.get(path),
    excludeGlobs: (kind) => ws.excludes[kind],
    diagnostics: (path) => (path === undefined ? ws.diagnosticList : ws.diagnosticList.filter((d) => d.path === path)),
    openEditors: () => ws.editorList,
    async writeText(path, text, options) {
      if (!options.create && !(await lstat(path).catch(() => undefined))) throw new Error(`${path} does not exist`);
      await mkdir(dirname(path), { recursive: true });
      // 'wx' for a creation: never replace a file that appeared meanwhile.
      await writeFile(path, text, { flag: options.create ? 'wx' : 'w' });
      ws.writes.push({ path, text, create: options.create });
      const open = ws.documents.get(path);
      if (open) ws.documents.set(path, { text, version: open.version + 1, dirty: open.dirty });
    },
    runCommand: (command, options) => runInProcessGroup(command, options),
  };
  return ws;
}

/** Temporary folders (one per name) holding `files` (posix relative path → content); `cleanup` removes them all. */
export function tempWorkspace(layout: Record<string, Record<string, string | Uint8Array>>) {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'qwen-tools-')));
  const roots = Object.entries(layout).map(([name, files]) => {
    const root = join(base, name);
    mkdirSync(root, { recursive: true });
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), content);
    }
    return root;
  });
  return { base, roots, ws: nodeWorkspace(roots), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** Keeps the first and last `cap / 2` bytes of a stream; what falls between is counted, not stored. */
class HeadTail {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  dropped = 0;
  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    const headRoom = Math.floor(this.cap / 2) - this.headBytes;
    if (headRoom > 0) {
      this.head.push(chunk.subarray(0, headRoom));
      this.headBytes += Math.min(headRoom, chunk.length);
      chunk = chunk.subarray(headRoom);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    const tailCap = this.cap - Math.floor(this.cap / 2);
    while (this.tailBytes > tailCap) {
      const first = this.tail[0];
      if (!first) break;
      const excess = this.tailBytes - tailCap;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.dropped += excess;
      }
    }
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    return this.dropped > 0 ? `${head}\n[… ${this.dropped} bytes dropped …]\n${tail}` : head + tail;
  }
}

/**
 * Runs `command` in `sh -c` as the leader of a new process group, so a timeout or Stop kills everything it started
 * (`npm test` → node → workers), not just the shell. Never rejects: a spawn failure is an exit code and a message.
 */
export function runInProcessGroup(
  command: string,
  options: { cwd: string; timeoutMs: number; outputCapBytes: number; signal: AbortSignal },
): Promise<CommandResult> {
  const started = Date.now();
  const output = new HeadTail(options.outputCapBytes);
  let timedOut = false;
  let cancelled = false;
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(command, {
        shell: true,
        cwd: options.cwd,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        // No pager or prompt can wait for input nobody will type.
        env: { ...process.env, PAGER: 'cat', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0' },
      });
    } catch (e) {
      resolve({ exitCode: null, output: `Could not start: ${String(e)}`, truncated: false, droppedBytes: 0, timedOut, cancelled, durationMs: 0 });
      return;
    }
    const pid = child.pid;
    const killGroup = () => {
      if (pid === undefined) return;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const onAbort = () => {
      cancelled = true;
      killGroup();
    };
    if (options.signal.aborted) onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    child.stdout.on('data', (c: Buffer) => output.push(c));
    child.stderr.on('data', (c: Buffer) => output.push(c));
    let exitCode: number | null = null;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      const truncated = output.dropped > 0;
      resolve({ exitCode, output: output.text(), truncated, droppedBytes: output.dropped, timedOut, cancelled, durationMs: Date.now() - started });
    };
    child.on('error', (e) => {
      output.push(Buffer.from(`\n${e.message}\n`));
      finish();
    });
    child.on('exit', (code) => {
      exitCode = code;
      // Background children left behind (`server &`) would hold the pipes open and outlive the call: the group goes.
      killGroup();
      setTimeout(finish, 500).unref();
    });
    child.on('close', finish);
  });
}
