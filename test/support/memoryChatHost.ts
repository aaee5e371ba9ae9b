/**
 * A `ChatHost` in memory for tests and benchmarks: settings and key as plain fields (change them between sends),
 * storage in a Map (share it between two controllers to simulate a reload), and everything posted or logged recorded.
 */
import type { HostToWebview } from '../../src/protocol/messages';
import type { ChatHost, ChatSettings, KeyLookup, KeyValueStorage } from '../../src/core/chat/ports';

export class MemoryStorage implements KeyValueStorage {
  readonly files = new Map<string, string>();
  /** Every write, in order (name and text), to check what reached "disk" and when. */
  readonly writes: { name: string; text: string }[] = [];

  async read(name: string): Promise<string | undefined> {
    return this.files.get(name);
  }
  async write(name: string, text: string): Promise<void> {
    this.writes.push({ name, text });
    this.files.set(name, text);
  }
  /** One process: updates of one name take turns. */
  async update(name: string, change: (text: string | undefined) => Promise<string | undefined>): Promise<void> {
    const previous = this.updating.get(name) ?? Promise.resolve();
    const next = previous.then(async () => {
      const text = await change(this.files.get(name));
      if (text !== undefined) await this.write(name, text);
    });
    this.updating.set(name, next.catch(() => undefined));
    await next;
  }
  private readonly updating = new Map<string, Promise<void>>();
  async remove(name: string): Promise<void> {
    this.files.delete(name);
  }
  async list(): Promise<string[]> {
    return [...this.files.keys()];
  }
}

export type Posted<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

export interface MemoryChatHost extends ChatHost {
  settings: ChatSettings;
  key: KeyLookup;
  storage: MemoryStorage;
  readonly posted: HostToWebview[];
  readonly logs: string[];
  /** Messages of one type, in order. */
  all<T extends HostToWebview['type']>(type: T): Posted<T>[];
  /** Resolves with the first message (already posted or coming) of this type that matches; rejects after `timeoutMs`. */
  waitFor<T extends HostToWebview['type']>(type: T, match?: (m: Posted<T>) => boolean, timeoutMs?: number): Promise<Posted<T>>;
}

export interface MemoryChatHostOptions {
  baseUrl?: string;
  apiKey?: string;
  settings?: Partial<ChatSettings>;
  storage?: MemoryStorage;
  now?: () => number;
}

export function memoryChatHost(opts: MemoryChatHostOptions = {}): MemoryChatHost {
  const posted: HostToWebview[] = [];
  const waiters = new Set<() => void>();
  const host: MemoryChatHost = {
    settings: {
      model: 'qwen3-coder-plus',
      thinking: 'auto',
      requestTimeoutSeconds: 60,
      region: 'singapore',
      ...(opts.baseUrl !== undefined && { baseUrl: opts.baseUrl }),
      ...opts.settings,
    },
    key: opts.apiKey !== undefined ? { apiKey: opts.apiKey, source: 'secret' } : { source: 'none' },
    storage: opts.storage ?? new MemoryStorage(),
    posted,
    logs: [],
    ...(opts.now !== undefined && { now: opts.now }),
    readSettings: () => ({ ...host.settings }),
    lookupKey: async () => ({ ...host.key }),
    post: (message) => {
      // A copy, as postMessage would make: later changes to engine objects must not show up here.
      posted.push(JSON.parse(JSON.stringify(message)) as HostToWebview);
      for (const wake of [...waiters]) wake();
    },
    log: (line) => void host.logs.push(line),
    all: <T extends HostToWebview['type']>(type: T) => posted.filter((m): m is Posted<T> => m.type === type),
    waitFor: <T extends HostToWebview['type']>(type: T, match: (m: Posted<T>) => boolean = () => true, timeoutMs = 5000) =>
      new Promise<Posted<T>>((resolve, reject) => {
        const check = (): boolean => {
          const found = host.all(type).find(match);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no ${type} message within ${timeoutMs} ms; posted: ${posted.map((m) => m.type).join(', ')}`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      }),
  };
  return host;
}
