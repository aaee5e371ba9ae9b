/**
 * Test helpers for the recorded Qwen streams (test/fixtures/recorded, one chunk JSON per line) and the sample
 * streams extracted from the API documents (test/fixtures/seeds, SSE text).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StreamEvent, ToolCallRequest } from '../../src/core/events';
import { StreamAccumulator } from '../../src/core/streamAccumulator';
import type { AccumulatorOptions } from '../../src/core/streamAccumulator';
import { repoRoot } from './repoRoot';

export function fixturePath(...parts: string[]): string {
  return join(repoRoot(), 'test', 'fixtures', ...parts);
}

/** Lines of a recorded `.chunks.txt` fixture (name with or without the extension), one chunk JSON per line. */
export function loadChunkLines(name: string): string[] {
  const file = name.endsWith('.chunks.txt') ? name : `${name}.chunks.txt`;
  return readFileSync(fixturePath('recorded', file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** Add the SSE framing the recordings lack: `data: <line>\n\n` per chunk, then `data: [DONE]\n\n` (unless done: false). */
export function toSse(lines: readonly string[], opts: { done?: boolean } = {}): string {
  let out = '';
  for (const line of lines) out += `data: ${line}\n\n`;
  if (opts.done !== false) out += 'data: [DONE]\n\n';
  return out;
}

export interface ParseSseOptions {
  /** Skip events whose data is not JSON instead of throwing (one seed sample is malformed in its document). */
  skipInvalid?: boolean;
}

/**
 * A tiny reference SSE parser, for tests only: joins the `data:` lines of each event (with or without the space
 * after the colon), ignores `id:`, `event:`, comments and unknown lines, stops at `[DONE]`, parses each event's data
 * as JSON.
 */
export function parseSseText(text: string, opts: ParseSseOptions = {}): unknown[] {
  const events: unknown[] = [];
  let data: string[] = [];
  const dispatch = (): boolean => {
    if (data.length === 0) return true;
    const payload = data.join('\n');
    data = [];
    if (payload.trim() === '[DONE]') return false;
    try {
      events.push(JSON.parse(payload));
    } catch (e) {
      if (!opts.skipInvalid) throw new Error(`SSE event is not JSON: ${payload.slice(0, 120)}`, { cause: e });
    }
    return true;
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (!dispatch()) return events;
    } else if (line.startsWith('data:')) {
      data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    }
  }
  dispatch();
  return events;
}

/** The SSE text of a seed sample (name with or without `.sse`). */
export function loadSeedSse(name: string): string {
  const file = name.endsWith('.sse') ? name : `${name}.sse`;
  return readFileSync(fixturePath('seeds', file), 'utf8');
}

// ---- Replaying chunks through the accumulator ----

/** Push every chunk, then finish. The clock is frozen unless the test brings one, so turns compare equal. */
export function replayChunks(chunks: readonly unknown[], opts: AccumulatorOptions = {}) {
  const acc = new StreamAccumulator({ now: () => 0, ...opts });
  const events: StreamEvent[] = [];
  for (const chunk of chunks) events.push(...acc.push(chunk));
  events.push(...acc.finish());
  return { acc, events, turn: acc.turn };
}

export function eventText(events: readonly StreamEvent[], type: 'reasoning' | 'content'): string {
  let s = '';
  for (const e of events) if (e.type === type) s += e.text;
  return s;
}

export function toolCallEvents(events: readonly StreamEvent[]): ToolCallRequest[] {
  return events.flatMap((e) => (e.type === 'toolCall' ? [e.call] : []));
}

/** A compatible-mode chunk with one choice. */
export function compatChunk(delta: Record<string, unknown>, finish: string | null = null): unknown {
  return { object: 'chat.completion.chunk', model: 'qwen3-coder-plus', choices: [{ index: 0, delta, finish_reason: finish }] };
}

export function toolCallChunk(...deltas: unknown[]): unknown {
  return compatChunk({ tool_calls: deltas });
}

export function usageOnlyChunk(usage: Record<string, unknown>): unknown {
  return { object: 'chat.completion.chunk', choices: [], usage };
}
