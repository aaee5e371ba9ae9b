import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyValueStorage } from '../core/chat/ports';

const TEMP_SUFFIX = '.tmp';

/**
 * `KeyValueStorage` as one file per name in a folder (the extension's global storage). A write goes to a temporary
 * file that is then renamed over the old one, so a crash mid-write leaves the previous version, never half a file.
 * Names are the engine's own (`index`, `conv-<id>`); anything that could leave the folder is refused.
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
    this.ready ??= mkdir(this.folder, { recursive: true });
    await this.ready;
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

  async remove(name: string): Promise<void> {
    await rm(this.path(name), { force: true });
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.folder)).filter((n) => !n.endsWith(TEMP_SUFFIX)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  private path(name: string): string {
    if (!/^[\w.-]{1,200}$/.test(name) || name.startsWith('.') || name.endsWith(TEMP_SUFFIX)) {
      throw new Error(`Invalid storage name "${name}"`);
    }
    return join(this.folder, name);
  }
}
