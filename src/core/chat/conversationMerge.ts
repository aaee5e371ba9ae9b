/**
 * Two windows can have the same conversation open. Each window remembers what it last read from or wrote to disk
 * (`SyncedCopy`); when the file on disk has moved on, this window's changes since then are replayed onto it:
 * messages it added or changed win, messages it deleted stay deleted, everything else is taken from disk, including
 * the other window's deletions (a message this window had seen on disk that is gone now). Writes hold the file's
 * lock from read to write (`KeyValueStorage.update`), so what is on disk is always what some window merged.
 */
import { createHash } from 'node:crypto';
import type { ChatMessageView, ConversationView } from '../../protocol/chat';

export interface SyncedCopy {
  revision: string;
  title: string;
  /** Message id → digest of the message as it was on disk (a digest, not a second copy of the text). */
  messages: ReadonlyMap<string, string>;
}

export function syncedCopy(stored: ConversationView, revision: string): SyncedCopy {
  return { revision, title: stored.title, messages: new Map(stored.messages.map((m) => [m.id, digest(m)])) };
}

function digest(m: ChatMessageView): string {
  return createHash('sha1').update(JSON.stringify(m)).digest('base64');
}

/**
 * `mine`: this window's conversation; `base`: its last synced copy (none when it never was on disk here). The
 * messages are this window's own objects where they win (a streaming answer keeps growing in its object) and the
 * disk's otherwise.
 */
export function mergeConversation(base: SyncedCopy | undefined, mine: ConversationView, disk: ConversationView): Pick<ConversationView, 'title' | 'messages'> {
  const seen = base?.messages ?? new Map<string, string>();
  const mineById = new Map(mine.messages.map((m) => [m.id, m]));
  const changedHere = (m: ChatMessageView): boolean => seen.get(m.id) !== digest(m);

  const messages = disk.messages
    // deleted here (a retry replaced it) since this window saw it on disk
    .filter((d) => !(seen.has(d.id) && !mineById.has(d.id)))
    .map((d) => {
      const own = mineById.get(d.id);
      if (own === undefined) return d;
      // Unchanged on disk since this window saw it: keep this window's object.
      return changedHere(own) || seen.get(d.id) === digest(d) ? own : d;
    });
  const at = (id: string): number => messages.findIndex((m) => m.id === id);

  mine.messages.forEach((m, i) => {
    // present; or seen on disk, unchanged here, and gone: deleted by the other window
    if (at(m.id) >= 0 || !changedHere(m)) return;
    // New here: right after the message it followed here (a prompt's answer stays with its prompt), else at the end.
    const previous = mine.messages[i - 1];
    const after = previous === undefined ? -1 : at(previous.id);
    if (previous !== undefined && after < 0) messages.push(m);
    else messages.splice(after + 1, 0, m);
  });

  return { title: base === undefined || mine.title !== base.title ? mine.title : disk.title, messages };
}
