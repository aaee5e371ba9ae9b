/**
 * Explicit context caching as Model Studio documents it (seed 000, notes): a `cache_control: {type: "ephemeral"}`
 * marker on a content part makes the prompt from the start up to and including that part a cache block; a later
 * request whose prompt starts with a cached block reads it (the longest one wins) and writes a block for its own last
 * marker. A hit is found by searching back from the marker for a cached block the prompt starts with, so a marker
 * that moved forward since the block was written still reads it. Blocks under 1,024 tokens are not cached; blocks
 * live 5 minutes from their last hit.
 * Token counts are the fake server's own crude ones (a quarter of the characters), so tests compare against what the
 * server reported, not against the client's estimator.
 */
import { estimateTokens } from './scenarios';

const MIN_BLOCK = 1024;
const TTL_MS = 5 * 60_000;

export interface CacheUse {
  cachedTokens: number;
  cacheCreationTokens: number;
}

export class ExplicitCache {
  /** Block key (its canonical prefix text) → when it expires. */
  private readonly blocks = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** What `body` reads from and writes to the cache; the blocks it writes are kept for the next requests. */
  use(body: unknown): CacheUse {
    const prefixes = markedPrefixes(body);
    if (prefixes.length === 0) return { cachedTokens: 0, cacheCreationTokens: 0 };
    const at = this.now();
    const last = prefixes.at(-1) ?? '';
    let cached = 0;
    let hit: string | undefined;
    for (const [block, expires] of this.blocks) {
      if (expires <= at) this.blocks.delete(block);
      else if (last.startsWith(block) && estimateTokens(block) > cached) {
        cached = estimateTokens(block);
        hit = block;
      }
    }
    if (hit !== undefined) this.blocks.set(hit, at + TTL_MS);
    const lastTokens = estimateTokens(last);
    let created = 0;
    if (lastTokens >= MIN_BLOCK && lastTokens > cached) {
      created = lastTokens - cached;
      this.blocks.set(last, at + TTL_MS);
    }
    return { cachedTokens: cached, cacheCreationTokens: created };
  }
}

/** The canonical prompt text up to each marker, in order (tools first: they come before the messages). */
function markedPrefixes(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as { messages?: unknown; tools?: unknown };
  if (!Array.isArray(b.messages)) return [];
  let text = b.tools === undefined ? '' : JSON.stringify(b.tools);
  const out: string[] = [];
  for (const m of b.messages as { role?: unknown; content?: unknown; tool_calls?: unknown }[]) {
    text += `\n<${String(m.role)}>`;
    if (Array.isArray(m.content)) {
      for (const part of m.content as { text?: unknown; cache_control?: unknown }[]) {
        text += typeof part.text === 'string' ? part.text : '';
        if (part.cache_control !== undefined) out.push(text);
      }
    } else if (typeof m.content === 'string') {
      text += m.content;
    }
    if (m.tool_calls !== undefined) text += JSON.stringify(m.tool_calls);
  }
  return out.filter((p) => estimateTokens(p) >= MIN_BLOCK);
}
