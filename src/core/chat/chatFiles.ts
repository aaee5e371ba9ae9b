/**
 * Reading the chat files back: parsed and checked (storedChats.ts), and a file that is damaged is reported once and
 * kept aside under `corrupt-<time>-<name>` (with its readable part put back in its place, when there is one).
 */
import { randomUUID } from 'node:crypto';
import type { ConversationSummary } from '../../protocol/chat';
import type { KeyValueStorage } from './ports';
import { INDEX_NAME, blobName, parseConversation, parseIndex as parseIndexJson, type StoredConversation } from './storedChats';

export interface ChatFilesOptions {
  log: (line: string) => void;
  warn?: (message: string) => void;
  now: () => number;
}

export class ChatFiles {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly opts: ChatFilesOptions,
  ) {}

  async readIndex(): Promise<Map<string, ConversationSummary> | undefined> {
    const text = await this.readText(INDEX_NAME);
    return text === undefined ? undefined : this.parseIndex(text);
  }

  async parseIndex(text: string): Promise<Map<string, ConversationSummary> | undefined> {
    const json = await this.parseJson(INDEX_NAME, text);
    if (json === undefined) return undefined;
    const parsed = parseIndexJson(json.value);
    if (!parsed.ok) {
      await this.setAside(INDEX_NAME, text, parsed.why);
      return undefined;
    }
    return new Map(parsed.value.map((s) => [s.id, s]));
  }

  /** The blob of `id` as stored (undefined when missing or unreadable); a damaged part is left out and reported. */
  async readStored(id: string): Promise<StoredConversation | undefined> {
    const text = await this.readText(blobName(id));
    return text === undefined ? undefined : this.parseStored(id, text);
  }

  async parseStored(id: string, text: string): Promise<StoredConversation | undefined> {
    const name = blobName(id);
    const json = await this.parseJson(name, text);
    if (json === undefined) return undefined;
    const parsed = parseConversation(json.value, id);
    if (!parsed.ok) {
      await this.setAside(name, text, parsed.why);
      return undefined;
    }
    if (parsed.repairs.length > 0) {
      const repaired: StoredConversation = { ...parsed.value, revision: randomUUID() };
      await this.setAside(name, text, `these parts could not be read: ${[...new Set(parsed.repairs)].join(', ')}`, JSON.stringify(repaired));
      return repaired;
    }
    return parsed.value;
  }

  private async readText(name: string): Promise<string | undefined> {
    try {
      return await this.storage.read(name);
    } catch (e) {
      this.opts.log(`Could not read ${name}: ${describe(e)}`);
      return undefined;
    }
  }

  /** `{ value }`, or undefined when `text` is not JSON (reported and set aside). */
  private async parseJson(name: string, text: string): Promise<{ value: unknown } | undefined> {
    try {
      return { value: JSON.parse(text) as unknown };
    } catch {
      await this.setAside(name, text, 'it is not valid JSON');
      return undefined;
    }
  }

  /**
   * Keeps a damaged file for inspection under `corrupt-<time>-<name>` and reports it once; puts `replacement` (the
   * readable part) in its place, or removes it. Runs at once, not queued: it is also called from queued writes.
   */
  private async setAside(name: string, text: string, why: string, replacement?: string): Promise<void> {
    const aside = `corrupt-${this.opts.now()}-${name}`;
    this.opts.log(`The saved chat file ${name} was damaged: ${why}. The original was kept as ${aside}.`);
    this.opts.warn?.(
      name === INDEX_NAME
        ? `Qwen Coder could not read its list of saved chats (${why}); the chats it finds are listed again. The old file was kept as ${aside}.`
        : replacement !== undefined
          ? `Qwen Coder repaired a saved chat: ${why}, so they were left out. The original file was kept as ${aside}.`
          : `Qwen Coder could not read one saved chat (${why}) and left it out of the history. The file was kept as ${aside}.`,
    );
    try {
      await this.storage.write(aside, text);
      if (replacement !== undefined) await this.storage.write(name, replacement);
      // Another window may have written a good version meanwhile: remove only what was read.
      else if ((await this.storage.read(name)) === text) await this.storage.remove(name);
    } catch (e) {
      this.opts.log(`Could not set ${name} aside: ${describe(e)}`);
    }
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
