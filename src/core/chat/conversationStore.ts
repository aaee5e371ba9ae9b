/**
 * Conversations on disk (formats in storedChats.ts), shared by every window of the editor. Nothing is read until
 * `load`, and nothing is written until a chat changes. Each write merges with what another window wrote since
 * (conversationMerge.ts); the index takes only this window's own additions and deletions. A file that cannot be
 * read is kept aside under another name and reported once; a damaged part of a chat is left out and reported.
 * A message saved while streaming keeps the status `streaming` on disk (the views show it as `interrupted` unless
 * this window is streaming it). A save that fails is reported once and tried again.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationSummary, ConversationView } from '../../protocol/chat';
import { mergeConversation, syncedCopy, type SyncedCopy } from './conversationMerge';
import type { KeyValueStorage } from './ports';
import { ChatFiles } from './chatFiles';
import { SaveFailures } from './saveFailures';
import {
  BLOB,
  DEFAULT_TITLE,
  INDEX_NAME,
  STORE_VERSION,
  blobName,
  summarize,
  type StoredConversation,
  type StoredIndex,
} from './storedChats';

export { DEFAULT_TITLE, INDEX_NAME, STORE_VERSION, blobName } from './storedChats';

const TITLE_LENGTH = 60;

export interface ConversationStoreOptions {
  storage: KeyValueStorage;
  log: (line: string) => void;
  /** Tells the user something they would otherwise never learn (a saved chat could not be read, saving fails). */
  warn?: (message: string) => void;
  /** A save merged in what another window wrote into `conversation` (the views should redraw it). */
  changedElsewhere?: (conversation: ConversationView) => void;
  /** @default Date.now */
  now?: () => number;
  /** Shortest time between two saves of a streaming reply. @default 1000 */
  streamingSaveMs?: number;
  /** First wait before a failed save is tried again (doubling up to a minute). @default 2000 */
  saveRetryMs?: number;
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
  private summaries = new Map<string, ConversationSummary>();
  /** Index entries this window changed and has not written yet (null: deleted here). */
  private readonly indexChanges = new Map<string, ConversationSummary | null>();
  private readonly loaded = new Map<string, ConversationView>();
  /** Per conversation, what this window last read from or wrote to disk. */
  private readonly synced = new Map<string, SyncedCopy>();
  private currentConversation: ConversationView | undefined;
  /** Storage writes run one after another, so an older state never overwrites a newer one. */
  private writes: Promise<unknown> = Promise.resolve();
  private readonly now: () => number;
  private readonly streamingSaveMs: number;
  private lastStreamingSave = 0;
  private pendingSave: ReturnType<typeof setTimeout> | undefined;
  private readonly failures: SaveFailures;
  private readonly files: ChatFiles;

  constructor(private readonly opts: ConversationStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.streamingSaveMs = opts.streamingSaveMs ?? 1000;
    this.failures = new SaveFailures(opts, () => this.retryFailed());
    this.files = new ChatFiles(opts.storage, { log: opts.log, now: this.now, ...(opts.warn && { warn: opts.warn }) });
  }

  /** Reads the index (and any blob it misses after a crash) and opens the most recent conversation. Writes nothing. */
  async load(): Promise<void> {
    const index = (await this.files.readIndex()) ?? new Map<string, ConversationSummary>();
    for (const name of await this.opts.storage.list()) {
      const id = BLOB.exec(name)?.[1];
      if (id === undefined || index.has(id)) continue;
      // Written just before a crash, before its index entry: read it to recover the summary (saved with the next write).
      const stored = await this.files.readStored(id);
      if (!stored) continue;
      const summary = summarize(stored.conversation);
      index.set(id, summary);
      this.indexChanges.set(id, summary);
      this.remember(stored);
    }
    this.summaries = index;
    for (const summary of this.list()) {
      const conversation = await this.get(summary.id);
      if (conversation) {
        this.currentConversation = conversation;
        break;
      }
    }
  }

  /** Re-reads the index, so chats another window saved or deleted show in the history. */
  async refreshList(): Promise<void> {
    const index = await this.files.readIndex();
    if (index) this.adoptIndex(index);
  }

  /**
   * Takes in what another window wrote into `conversation` since this window last read or wrote it (before a turn
   * starts, when a view is shown). True when what this window shows changed.
   */
  async refresh(conversation: ConversationView): Promise<boolean> {
    if (!this.synced.has(conversation.id)) return false;
    return this.enqueue(async () => {
      const stored = await this.files.readStored(conversation.id);
      const base = this.synced.get(conversation.id);
      if (!stored || stored.revision === base?.revision) return false;
      const merged = mergeConversation(base, conversation, stored.conversation);
      const changed = merged.title !== conversation.title || merged.messages.length !== conversation.messages.length || merged.messages.some((m, i) => m !== conversation.messages[i]);
      conversation.title = merged.title;
      conversation.messages = merged.messages;
      const compaction = newerCompaction(conversation, stored.conversation);
      const compacted = compaction !== conversation.compaction;
      if (compaction) conversation.compaction = compaction;
      this.synced.set(conversation.id, syncedCopy(stored.conversation, stored.revision));
      if (changed) this.summaries.set(conversation.id, summarize(conversation));
      return changed || compacted;
    });
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
    if (!conversation) return undefined;
    await this.refresh(conversation);
    this.currentConversation = conversation;
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
    const onDisk = this.summaries.has(id) || this.synced.has(id);
    this.summaries.delete(id);
    this.loaded.delete(id);
    this.synced.delete(id);
    if (this.currentConversation?.id === id) await this.openMostRecent();
    // Never saved (an empty new chat) or unknown: nothing on disk to touch.
    if (!onDisk) return;
    this.indexChanges.set(id, null);
    await this.removeBlob(id);
  }

  private async removeBlob(id: string): Promise<void> {
    this.failures.removals.add(id);
    await this.enqueue(async () => {
      await this.opts.storage.remove(blobName(id));
      this.failures.removals.delete(id);
      await this.writeIndex();
      this.failures.succeeded();
    }).catch((e: unknown) => this.failures.failed('delete a chat', e));
  }

  private async openMostRecent(): Promise<void> {
    this.currentConversation = undefined;
    const next = this.list()[0];
    if (next) await this.open(next.id);
  }

  /**
   * Saves now (a user message, the end of a turn, a retry). Empty conversations are not saved. Never rejects: a
   * failure is reported and the save tried again.
   */
  async save(conversation: ConversationView): Promise<void> {
    this.cancelPendingSave();
    if (conversation.messages.length === 0) return;
    conversation.updatedAt = this.now();
    this.loaded.set(conversation.id, conversation);
    const summary = summarize(conversation);
    this.summaries.set(conversation.id, summary);
    this.indexChanges.set(conversation.id, summary);
    // Copied when the write's turn comes, not now: a write queued ahead may merge another window's messages into
    // `conversation`, and a copy taken before that would write them away. The copy then stays fixed while this write
    // waits for the lock and reads the disk; `conversation` keeps streaming meanwhile.
    await this.enqueue(() => this.write(conversation, JSON.parse(JSON.stringify(conversation)) as ConversationView)).catch((e: unknown) => {
      this.failures.unsaved.add(conversation.id);
      this.failures.failed(`save "${conversation.title}"`, e);
    });
  }

  /** While a reply streams: saves at most once per `streamingSaveMs`, the last change included. */
  saveStreaming(conversation: ConversationView): void {
    if (this.pendingSave !== undefined) return;
    const wait = Math.max(0, this.lastStreamingSave + this.streamingSaveMs - this.now());
    this.pendingSave = setTimeout(() => {
      this.pendingSave = undefined;
      this.lastStreamingSave = this.now();
      void this.save(conversation);
    }, wait);
  }

  /** Waits for every write started so far. */
  async flush(): Promise<void> {
    await this.writes;
  }

  dispose(): void {
    this.cancelPendingSave();
    this.failures.dispose();
  }

  /**
   * Writes `mine` (a copy of `live` taken as this write starts), merged first with what another window wrote since this window last looked;
   * the file stays locked from that read to the write.
   */
  private async write(live: ConversationView, mine: ConversationView): Promise<void> {
    const id = mine.id;
    const base = this.synced.get(id);
    const revision = randomUUID();
    const result: { written: ConversationView; elsewhere?: ConversationView } = { written: mine };
    await this.opts.storage.update(blobName(id), async (text) => {
      // This window's own last write (the usual case, once a second while streaming): nothing to merge, nothing to parse.
      const own = base !== undefined && text?.startsWith(blobPrefix(base.revision)) === true;
      const stored = text === undefined || own ? undefined : await this.files.parseStored(id, text);
      if (stored !== undefined && stored.revision !== base?.revision) {
        result.elsewhere = stored.conversation;
        result.written = { ...mine, ...mergeConversation(base, mine, stored.conversation) };
        const compaction = newerCompaction(mine, stored.conversation);
        if (compaction) result.written.compaction = compaction;
      }
      const blob: StoredConversation = { version: STORE_VERSION, revision, conversation: result.written };
      return JSON.stringify(blob);
    });
    this.synced.set(id, syncedCopy(result.written, revision));
    if (result.elsewhere) {
      // The live copy may have moved on since `mine` was taken: replay the same merge onto it.
      const shown = mergeConversation(base, live, result.elsewhere);
      live.title = shown.title;
      live.messages = shown.messages;
      const compaction = newerCompaction(live, result.written);
      if (compaction) live.compaction = compaction;
      const summary = summarize(live);
      this.summaries.set(id, summary);
      this.indexChanges.set(id, summary);
      this.opts.changedElsewhere?.(live);
    }
    this.failures.unsaved.delete(id);
    await this.writeIndex();
    this.failures.succeeded();
  }

  private create(): ConversationView {
    const at = this.now();
    return { id: newId(), title: DEFAULT_TITLE, messages: [], createdAt: at, updatedAt: at };
  }

  private async get(id: string): Promise<ConversationView | undefined> {
    const cached = this.loaded.get(id);
    if (cached) return cached;
    if (!this.summaries.has(id)) return undefined;
    const stored = await this.files.readStored(id);
    if (!stored) {
      // Deleted by another window, or set aside: out of the list (and of the index with the next write).
      this.summaries.delete(id);
      this.indexChanges.set(id, null);
      return undefined;
    }
    return this.remember(stored);
  }

  /** Keeps a conversation read from disk as this window's copy, with what it was on disk. */
  private remember(stored: StoredConversation): ConversationView {
    const conversation = stored.conversation;
    this.loaded.set(conversation.id, conversation);
    this.synced.set(conversation.id, syncedCopy(conversation, stored.revision));
    return conversation;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const next = this.writes.then(task);
    // A failed write is reported to its caller; later writes still run.
    this.writes = next.catch(() => undefined);
    return next;
  }

  /** The index on disk with this window's own changes applied (locked from read to write); only from queued writes. */
  private async writeIndex(): Promise<void> {
    const applied = new Map(this.indexChanges);
    let index = new Map<string, ConversationSummary>();
    await this.opts.storage.update(INDEX_NAME, async (text) => {
      index = (text === undefined ? undefined : await this.files.parseIndex(text)) ?? new Map(this.summaries);
      for (const [id, summary] of applied) {
        if (summary) index.set(id, summary);
        else index.delete(id);
      }
      const stored: StoredIndex = { version: STORE_VERSION, conversations: [...index.values()].sort((a, b) => b.updatedAt - a.updatedAt) };
      return JSON.stringify(stored);
    });
    for (const [id, summary] of applied) if (this.indexChanges.get(id) === summary) this.indexChanges.delete(id);
    this.adoptIndex(index);
  }

  /** The summaries on disk, plus what this window changed and has not written yet. */
  private adoptIndex(index: Map<string, ConversationSummary>): void {
    for (const [id, summary] of this.indexChanges) {
      if (summary) index.set(id, summary);
      else index.delete(id);
    }
    this.summaries = index;
  }

  private cancelPendingSave(): void {
    if (this.pendingSave !== undefined) clearTimeout(this.pendingSave);
    this.pendingSave = undefined;
  }

  /** Saves again what failed to save (chats, deletions, the index). */
  private retryFailed(): void {
    for (const id of this.failures.unsaved) {
      const conversation = this.loaded.get(id);
      if (conversation) void this.save(conversation);
      else this.failures.unsaved.delete(id);
    }
    for (const id of [...this.failures.removals]) void this.removeBlob(id);
  }
}

/**
 * How a blob written with `revision` starts: every window writes its keys in this order. (Were it ever otherwise,
 * the blob would only be parsed every time, never misread.)
 */
function blobPrefix(revision: string): string {
  return `{"version":${STORE_VERSION},"revision":${JSON.stringify(revision)},`;
}

/** Two windows compacted the same chat: the later compaction is kept (a compaction is only ever replaced). */
function newerCompaction(mine: ConversationView, disk: ConversationView): ConversationView['compaction'] {
  const a = mine.compaction;
  const b = disk.compaction;
  if (!a || !b) return a ?? b;
  return b.createdAt > a.createdAt ? b : a;
}
