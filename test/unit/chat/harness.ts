/**
 * Chat engine tests against the fake Qwen server over real HTTP. `regionalFetch` sends requests meant for Model
 * Studio's regional URLs to the fake server, so the region-specific behaviour (401 names the region, no key → no
 * request) is exercised with the real base URLs.
 */
import { createChatController, type ChatControllerOptions } from '../../../src/core/chat/chatController';
import type { ChatController, ChatSettings, KeyValueStorage } from '../../../src/core/chat/ports';
import { REGION_BASE_URLS } from '../../../src/core/endpoints';
import type { FakeQwenServer } from '../../fakes/fakeQwenServer';
import { fakeQwenSuite } from '../../support/clientHarness';
import { MemoryStorage, memoryChatHost, type MemoryChatHost, type Posted } from '../../support/memoryChatHost';

/** Distinctive, so a scan for it cannot match anything else. */
export const KEY = 'sk-chat-secret-5b9e21c7d04f';

export interface ChatRig {
  host: MemoryChatHost;
  chat: ChatController;
}

export interface ChatServer {
  readonly server: FakeQwenServer;
  /**
   * A controller pointed at the fake server (as a custom base URL unless `regional`). `storage` other than a
   * MemoryStorage (a real folder) is used by the controller; `host.storage` is then an unused MemoryStorage.
   */
  rig(opts?: { settings?: Partial<ChatSettings>; apiKey?: string | null; storage?: KeyValueStorage; regional?: boolean; controller?: ChatControllerOptions }): ChatRig;
}

export function regionalFetch(server: FakeQwenServer): typeof fetch {
  return (input, init) => {
    let url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    for (const base of Object.values(REGION_BASE_URLS)) {
      if (url.startsWith(base)) url = server.baseUrl + url.slice(base.length);
    }
    return globalThis.fetch(url, init);
  };
}

/** Call inside `describe`: one fake server per suite; every controller made by `rig` is disposed after its test. */
export function useChatServer(): ChatServer {
  const rigs: ChatRig[] = [];
  const server = fakeQwenSuite(KEY, () => Promise.all(rigs.splice(0).map((r) => r.chat.dispose())));
  const api: ChatServer = {
    get server() {
      return server();
    },
    rig(opts = {}) {
      const s = api.server;
      const host = memoryChatHost({
        ...(opts.regional ? {} : { baseUrl: s.baseUrl }),
        ...(opts.apiKey !== null && { apiKey: opts.apiKey ?? KEY }),
        ...(opts.settings && { settings: opts.settings }),
        ...(opts.storage instanceof MemoryStorage && { storage: opts.storage }),
      });
      if (opts.regional) host.fetch = regionalFetch(s);
      const engineHost = opts.storage === undefined || opts.storage instanceof MemoryStorage ? host : { ...host, storage: opts.storage };
      // Titles are off unless a test asks: the extra side request would take the next scripted answer.
      const chat = createChatController(engineHost, { client: { retry: { baseDelayMs: 5, maxDelayMs: 20 }, idleTimeoutMs: 5000 }, titles: false, ...opts.controller });
      const rig = { host, chat };
      rigs.push(rig);
      return rig;
    },
  };
  return api;
}

let requestCounter = 0;
export const nextRequestId = (): string => `req-${++requestCounter}`;

/** Sends a prompt and waits for the turn to end. */
export async function ask(rig: ChatRig, text: string): Promise<{ requestId: string; ended: Posted<'turnEnded'> }> {
  const requestId = nextRequestId();
  await rig.chat.handle({ type: 'send', requestId, text });
  const ended = await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
  return { requestId, ended };
}

export const deltasOf = (host: MemoryChatHost, requestId: string) => host.all('turnDelta').filter((d) => d.requestId === requestId);
