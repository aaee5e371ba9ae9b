/**
 * Conversations on disk: an index of summaries plus one blob per conversation, versioned JSON. A blob that cannot be
 * read is reported, kept aside under another name and skipped; it never stops the chat from loading.
 * A message saved while streaming is restored as `interrupted`, with the same id (never lost, never duplicated).
 */
import { randomUUID } from 'node:crypto';
import type { ChatMessageView, ConversationSummary, ConversationView, MessageStatus } from '../../protocol/chat';
import type { KeyValueStorage } from './ports';

export const STORE_VERSION = 1;
export const INDEX_NAME = 'conversations.json';
export const DEFAULT_TITLE = 'New chat';
const TITLE_LENGTH = 60;
const BLOB = /^conversation-([\w.:-]+)\.json$/;

export const blobName = (id: string): string => `conversation-${id}.json`;

interface StoredIndex {
  version: number;
  conversations: ConversationSummary[];
}

interface StoredConversation {
  version: number;
  conversation: ConversationView;
}

export interface ConversationStoreOptions {
  storage: KeyValueStorage;
  log: (line: string) => void;
  /** Tells the user something they would otherwise never learn (a saved chat could not be read). */
  warn?: (message: string) => void;
  /** @default Date.now */
  now?: () => number;
  /** Shortest time between two saves of a streaming reply. @default 1000 */
  streamingSaveMs?: number;
}

/** "How do I …" from the first line of the first prompt, cut to ~60 characters with an ellipsis. */
export function titleFromPrompt(prompt: string): string {
  const line = prompt.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  if (line === '') return DEFAULT_TITLE;
  return line.length <= TITLE_LENGTH ? line : `${line.slice(0, TITLE_LENGTH - 1).trimEnd()}…`;
}

export function newId(): string {
  return randomUUID();
}

export class ConversationStore {
  private readonly summaries = new Map<string, ConversationSummary>();
  private readonly loaded = new Map<string, ConversationView>();
  private currentConversation: ConversationView | undefined;
  /** Storage writes run one after another, so an older state never overwrites a newer one. */
  private writes: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly streamingSaveMs: number;
  private lastStreamingSave = 0;
  private pendingSave: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: ConversationStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.streamingSaveMs = opts.streamingSaveMs ?? 1000;
  }

  /** Reads the index (and any blob it misses after a crash) and opens the most recent conversation. */
  async load(): Promise<void> {
    const index = await this.readIndex();
    const names = await this.opts.storage.list();
    for (const name of names) {
      const id = BLOB.exec(name)?.[1];
      if (id !== undefined && !index.has(id)) {
        // Written just before a crash, before its index entry: read it to recover the summary.
        const conversation = await this.readConversation(id);
        if (conversation) index.set(id, summarize(conversation));
      }
    }
    for (const [id, summary] of index) this.summaries.set(id, summary);
    for (const summary of this.list()) {
      const conversation = await this.get(summary.id);
      if (conversation) {
        this.currentConversation = conversation;
        break;
      }
    }
    await this.writeIndex();
  }

  /** The open conversation; a new empty one (not saved until it has a message) when there is none. */
  get current(): ConversationView {
    this.currentConversation ??= this.create();
    return this.currentConversation;
  }

  /** Saved conversations, most recent first. */
  list(): ConversationSummary[] {
    return [...this.summaries.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** Makes a new empty conversation current, or keeps the current one when it is still empty. */
  newConversation(): ConversationView {
    if (this.currentConversation?.messages.length === 0) return this.currentConversation;
    this.currentConversation = this.create();
    return this.currentConversation;
  }

  async open(id: string): Promise<ConversationView | undefined> {
    const conversation = this.currentConversation?.id === id ? this.currentConversation : await this.get(id);
    if (conversation) this.currentConversation = conversation;
    return conversation;
  }

  async rename(id: string, title: string): Promise<boolean> {
    const trimmed = title.replace(/\s+/g, ' ').trim();
    const conversation = this.currentConversation?.id === id ? this.currentConversation : await this.get(id);
    if (!conversation || trimmed === '') return false;
    conversation.title = trimmed;
    if (conversation.messages.length > 0) await this.save(conversation);
    return true;
  }

  async remove(id: string): Promise<void> {
    if (!this.summaries.has(id)) {
      // Never saved (an empty new chat) or unknown: nothing on disk to touch.
      if (this.currentConversation?.id === id) await this.openMostRecent();
      return;
    }
    this.summaries.delete(id);
    this.loaded.delete(id);
    if (this.currentConversation?.id === id) await this.openMostRecent();
    await this.enqueue(async () => {
      await this.opts.storage.remove(blobName(id));
      await this.storeIndex();
    });
  }

  private async openMostRecent(): Promise<void> {
    this.currentConversation = undefined;
    const next = this.list()[0];
    if (next) await this.open(next.id);
  }

  /** Saves now (a user message, the end of a turn, a retry). Empty conversations are not saved. */
  async save(conversation: ConversationView): Promise<void> {
    this.cancelPendingSave();
    if (conversation.messages.length === 0) return;
    conversation.updatedAt = this.now();
    this.loaded.set(conversation.id, conversation);
    this.summaries.set(conversation.id, summarize(conversation));
    const blob: StoredConversation = { version: STORE_VERSION, conversation };
    // Serialised now: the conversation object keeps changing while the write waits its turn.
    const text = JSON.stringify(blob);
    await this.enqueue(async () => {
      await this.opts.storage.write(blobName(conversation.id), text);
      await this.storeIndex();
    });
  }

  /** While a reply streams: saves at most once per `streamingSaveMs`, the last change included. */
  saveStreaming(conversation: ConversationView): void {
    if (this.pendingSave !== undefined) return;
    const wait = Math.max(0, this.lastStreamingSave + this.streamingSaveMs - this.now());
    this.pendingSave = setTimeout(() => {
      this.pendingSave = undefined;
      this.lastStreamingSave = this.now();
      this.save(conversation).catch((e: unknown) => this.opts.log(`Could not save the conversation: ${String(e)}`));
    }, wait);
  }

  /** Waits for every write started so far. */
  async flush(): Promise<void> {
    await this.writes;
  }

  dispose(): void {
    this.cancelPendingSave();
  }

  private cancelPendingSave(): void {
    if (this.pendingSave !== undefined) clearTimeout(this.pendingSave);
    this.pendingSave = undefined;
  }

  private create(): ConversationView {
    const at = this.now();
    return { id: newId(), title: DEFAULT_TITLE, messages: [], createdAt: at, updatedAt: at };
  }

  private async get(id: string): Promise<ConversationView | undefined> {
    const cached = this.loaded.get(id);
    if (cached) return cached;
    if (!this.summaries.has(id)) return undefined;
    const conversation = await this.readConversation(id);
    if (!conversation) {
      this.summaries.delete(id);
      await this.enqueue(() => this.storeIndex());
      return undefined;
    }
    this.loaded.set(id, conversation);
    return conversation;
  }

  private enqueue(write: () => Promise<void>): Promise<void> {
    const next = this.writes.then(write);
    // A failed write is reported to its caller; later writes still run.
    this.writes = next.catch(() => undefined);
    return next;
  }

  private async writeIndex(): Promise<void> {
    await this.enqueue(() => this.storeIndex());
  }

  private async storeIndex(): Promise<void> {
    const index: StoredIndex = { version: STORE_VERSION, conversations: this.list() };
    await this.opts.storage.write(INDEX_NAME, JSON.stringify(index));
  }

  private async readIndex(): Promise<Map<string, ConversationSummary>> {
    const out = new Map<string, ConversationSummary>();
    const parsed = await this.readJson(INDEX_NAME);
    if (parsed === undefined) return out;
    const index = parsed as Partial<StoredIndex>;
    if (index.version !== STORE_VERSION || !Array.isArray(index.conversations)) {
      await this.setAside(INDEX_NAME, 'it is not a conversation index this version understands');
      return out;
    }
    for (const s of index.conversations) {
      if (isSummary(s)) out.set(s.id, s);
    }
    return out;
  }

  private async readConversation(id: string): Promise<ConversationView | undefined> {
    const name = blobName(id);
    const parsed = await this.readJson(name);
    if (parsed === undefined) return undefined;
    const blob = parsed as Partial<StoredConversation>;
    if (blob.version !== STORE_VERSION || !isConversation(blob.conversation) || blob.conversation.id !== id) {
      await this.setAside(name, 'it is not a conversation this version understands');
      return undefined;
    }
    return restore(blob.conversation);
  }

  /** Parsed JSON, or undefined when missing or unreadable (reported and set aside). */
  private async readJson(name: string): Promise<unknown> {
    let text: string | undefined;
    try {
      text = await this.opts.storage.read(name);
    } catch (e) {
      this.opts.log(`Could not read ${name}: ${String(e)}`);
      return undefined;
    }
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      await this.setAside(name, 'it is not valid JSON');
      return undefined;
    }
  }

  /** Keeps a damaged file for inspection under `corrupt-<name>` so it is reported once, not at every start. */
  private async setAside(name: string, why: string): Promise<void> {
    const aside = `corrupt-${this.now()}-${name}`;
    this.opts.log(`Skipped the saved chat file ${name}: ${why}. It was kept as ${aside}.`);
    this.opts.warn?.(
      name === INDEX_NAME
        ? `Qwen Coder could not read its list of saved chats (${why}); the chats it finds are listed again. The old file was kept as ${aside}.`
        : `Qwen Coder could not read one saved chat (${why}) and left it out of the history. The file was kept as ${aside}.`,
    );
    await this.enqueue(async () => {
      const text = await this.opts.storage.read(name);
      if (text !== undefined) await this.opts.storage.write(aside, text);
      await this.opts.storage.remove(name);
    }).catch((e: unknown) => this.opts.log(`Could not set ${name} aside: ${String(e)}`));
  }
}

/** A message saved mid-stream was cut by a reload or crash: it stays, marked `interrupted`. */
function restore(conversation: ConversationView): ConversationView {
  for (const m of conversation.messages) {
    if (m.status === 'streaming') m.status = 'interrupted';
  }
  return conversation;
}

function summarize(c: ConversationView): ConversationSummary {
  return { id: c.id, title: c.title, updatedAt: c.updatedAt, messageCount: c.messages.length };
}

const STATUSES: ReadonlySet<MessageStatus> = new Set<MessageStatus>(['streaming', 'done', 'stopped', 'error', 'interrupted']);

function isSummary(v: unknown): v is ConversationSummary {
  const s = v as Partial<ConversationSummary> | null;
  return !!s && typeof s.id === 'string' && typeof s.title === 'string' && typeof s.updatedAt === 'number' && typeof s.messageCount === 'number';
}

function isConversation(v: unknown): v is ConversationView {
  const c = v as Partial<ConversationView> | null | undefined;
  return (
    !!c &&
    typeof c.id === 'string' &&
    typeof c.title === 'string' &&
    typeof c.createdAt === 'number' &&
    typeof c.updatedAt === 'number' &&
    Array.isArray(c.messages) &&
    c.messages.every(isMessage)
  );
}

function isMessage(v: unknown): v is ChatMessageView {
  const m = v as Partial<ChatMessageView> | null;
  return (
    !!m &&
    typeof m.id === 'string' &&
    (m.role === 'user' || m.role === 'assistant') &&
    typeof m.text === 'string' &&
    typeof m.status === 'string' &&
    STATUSES.has(m.status) &&
    typeof m.createdAt === 'number'
  );
}
