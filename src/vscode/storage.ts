import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyValueStorage } from '../core/chat/ports';

const TEMP_SUFFIX = '.tmp';
const LOCK_SUFFIX = '.lock';
/** A lock older than this was left by a window that died holding it. */
const STALE_LOCK_MS = 10_000;
/** Longest wait for another window's lock before giving up (the save is then reported and tried again). */
const LOCK_WAIT_MS = 5_000;

/**
 * `KeyValueStorage` as one file per name in a folder (the extension's global storage, shared by every window). A
 * write goes to a temporary file that is then renamed over the old one, so a crash mid-write leaves the previous
 * version, never half a file. `update` holds a lock file (`<name>.lock`, created exclusively) from its read to its
 * write, so two windows changing one file take turns instead of losing each other's change. Names are the engine's
 * own (`conversations.json`, `conversation-<id>.json`); anything that could leave the folder is refused.
 */
export class FolderStorage implements KeyValueStorage {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly folder: string) {}

  async read(name: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(name), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async write(name: string, text: string): Promise<void> {
    const target = this.path(name);
    await this.folderReady();
    // unique per write: two overlapping writes of one name must not share (and rename away) the same temp file
    const temp = `${target}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
    try {
      await writeFile(temp, text, 'utf8');
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }

  async update(name: string, change: (text: string | undefined) => Promise<string | undefined>): Promise<void> {
    const lock = `${this.path(name)}${LOCK_SUFFIX}`;
    await this.folderReady();
    await acquire(lock);
    try {
      const next = await change(await this.read(name));
      if (next !== undefined) await this.write(name, next);
    } finally {
      await rm(lock, { force: true });
    }
  }

  async remove(name: string): Promise<void> {
    await rm(this.path(name), { force: true });
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.folder)).filter((n) => !n.endsWith(TEMP_SUFFIX) && !n.endsWith(LOCK_SUFFIX)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  private folderReady(): Promise<unknown> {
    this.ready ??= mkdir(this.folder, { recursive: true });
    return this.ready;
  }

  private path(name: string): string {
    if (!/^[\w.-]{1,200}$/.test(name) || name.startsWith('.') || name.endsWith(TEMP_SUFFIX) || name.endsWith(LOCK_SUFFIX)) {
      throw new Error(`Invalid storage name "${name}"`);
    }
    return join(this.folder, name);
  }
}

/** Creates `lock` exclusively, waiting while another window holds it; a stale one is taken over. */
async function acquire(lock: string): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    try {
      await (await open(lock, 'wx')).close();
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const since = await stat(lock).then((s) => s.mtimeMs, () => undefined);
    if (since !== undefined && Date.now() - since > STALE_LOCK_MS) {
      await rm(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another window kept ${lock} locked for over ${LOCK_WAIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, wait));
  }
}
