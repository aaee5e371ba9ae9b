/**
 * Turns parsed wire chunks into `StreamEvent`s and one `AssistantTurn`. Runs once per chunk on the hot path
 * (a long answer is ~12K chunks), so every step is proportional to the chunk, never to the text so far.
 */
import type { AssistantTurn, FinishReason, StreamEvent, StreamMetrics, ToolCallRequest, ToolCallSource } from './events';
import type { QwenError } from './errors';
import { classifyHttpFailure } from './errors';
import type { RecoveredToolCall } from './textToolCalls';
import { TextToolCallDetector, findCallsInReasoning } from './textToolCalls';
import { ThinkTagSplitter } from './thinkTags';
import type { WireToolCallDelta } from './wireChunk';
import { normalizeWireChunk } from './wireChunk';
import { parseToolArguments } from './toolArguments';

export interface AccumulatorOptions {
  /** injected clock (ms) for metrics; default Date.now */
  now?: () => number;
  /** when the request was sent (ms, same clock); default: construction time */
  startedAt?: number;
  /**
   * tool names offered to the model: enables recognising text-form / reasoning-embedded calls by name.
   * Undefined: any well-formed name is accepted. Empty: no tools were offered, so nothing in the text is a call.
   */
  toolNames?: readonly string[];
}

type ToolCallDeltaEvent = Extract<StreamEvent, { type: 'toolCallDelta' }>;

interface NativeCallBuilder {
  index: number;
  id?: string;
  name?: string;
  type?: string;
  argumentsText: string;
}

const KNOWN_FINISH_REASONS: ReadonlySet<string> = new Set(['stop', 'length', 'tool_calls', 'content_filter']);

export function mapFinishReason(raw: string | undefined): FinishReason {
  return raw !== undefined && KNOWN_FINISH_REASONS.has(raw) ? (raw as FinishReason) : 'unknown';
}

export class StreamAccumulator {
  /** Live view: text fields grow as chunks arrive; tool calls, finish reason and metrics are set at the end. */
  readonly turn: AssistantTurn = { reasoning: '', content: '', toolCalls: [], partial: true };

  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly toolNames: readonly string[] | undefined;
  private readonly recoverTextCalls: boolean;
  private readonly think = new ThinkTagSplitter();
  private readonly textCalls: TextToolCallDetector | undefined;
  private readonly nativeCalls = new Map<number, NativeCallBuilder>();
  private lastToolIndex: number | undefined;
  private rawFinishReason: string | undefined;
  private firstTokenAt: number | undefined;
  /** Usage arrived alongside text (DashScope native sends a running total on every chunk): report it at the end. */
  private usagePending = false;
  private ended = false;

  constructor(opts: AccumulatorOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.startedAt = opts.startedAt ?? this.now();
    this.toolNames = opts.toolNames;
    this.recoverTextCalls = opts.toolNames === undefined || opts.toolNames.length > 0;
    this.textCalls = this.recoverTextCalls ? new TextToolCallDetector(opts.toolNames) : undefined;
  }

  /** whether a finish_reason has been seen (the client treats a stream that ends without one as cut) */
  get sawFinishReason(): boolean {
    return this.rawFinishReason !== undefined;
  }

  /** one parsed chunk -> zero or more events */
  push(chunk: unknown): StreamEvent[] {
    if (this.ended) return [];
    const wire = normalizeWireChunk(chunk);
    const out: StreamEvent[] = [];
    if (wire.model !== undefined) this.turn.model = wire.model;
    if (wire.reasoning !== undefined) {
      this.markFirstToken();
      this.appendReasoning(wire.reasoning, out);
    }
    if (wire.content !== undefined) {
      this.markFirstToken();
      for (const seg of this.think.push(wire.content)) {
        if (seg.kind === 'reasoning') this.appendReasoning(seg.text, out);
        else this.appendContent(seg.text, out);
      }
    }
    if (wire.toolCalls !== undefined) {
      for (const delta of wire.toolCalls) this.applyToolCallDelta(delta, out);
    }
    if (wire.finishReason !== undefined) this.rawFinishReason = wire.finishReason;
    if (wire.usage !== undefined) {
      this.turn.usage = wire.usage;
      const usageOnly =
        wire.reasoning === undefined &&
        wire.content === undefined &&
        wire.toolCalls === undefined &&
        wire.finishReason === undefined;
      this.usagePending = !usageOnly;
      if (usageOnly) out.push({ type: 'usage', usage: wire.usage });
    }
    if (wire.error !== undefined) {
      const { code, message, requestId } = wire.error;
      const error = classifyHttpFailure(
        {
          ...(code !== undefined && { code }),
          ...(message !== undefined && { message }),
          ...(requestId !== undefined && { requestId }),
        },
        this.now(),
      );
      out.push(...this.fail(error));
    }
    return out;
  }

  /** the stream ended normally ([DONE] or clean close) */
  finish(): StreamEvent[] {
    if (this.ended) return [];
    this.ended = true;
    const out: StreamEvent[] = [];
    const finishedAt = this.now();
    const reason = mapFinishReason(this.rawFinishReason);
    this.flushHeldText(out, reason !== 'length');

    for (const call of this.collectToolCalls(reason)) {
      this.turn.toolCalls.push(call);
      out.push({ type: 'toolCall', call });
    }
    if (this.usagePending && this.turn.usage !== undefined) out.push({ type: 'usage', usage: this.turn.usage });

    const metrics = this.metrics(finishedAt);
    this.turn.finishReason = reason;
    this.turn.metrics = metrics;
    this.turn.partial = false;
    out.push({ type: 'finish', reason, metrics });
    return out;
  }

  /** the stream failed: keep partial text, emit one {type:'error'} event, turn.partial = true, turn.error set */
  fail(error: QwenError): StreamEvent[] {
    if (this.ended) return [];
    this.ended = true;
    const out: StreamEvent[] = [];
    const failedAt = this.now();
    for (const seg of this.think.flush()) {
      if (seg.kind === 'reasoning') this.appendReasoning(seg.text, out);
      else this.appendContent(seg.text, out);
    }
    // A half-received call block is shown as the text it is; nothing from a failed reply gets executed.
    if (this.textCalls) this.appendVisible(this.textCalls.releaseAll(), out);
    if (this.rawFinishReason !== undefined) this.turn.finishReason = mapFinishReason(this.rawFinishReason);
    this.turn.metrics = this.metrics(failedAt);
    this.turn.error = error;
    this.turn.partial = true;
    out.push({ type: 'error', error });
    return out;
  }

  private markFirstToken(): void {
    if (this.firstTokenAt === undefined) this.firstTokenAt = this.now();
  }

  private appendReasoning(text: string, out: StreamEvent[]): void {
    this.turn.reasoning += text;
    emitText(out, 'reasoning', text);
  }

  /** Content after think-tag splitting: text-form call blocks are held back here. */
  private appendContent(text: string, out: StreamEvent[]): void {
    this.appendVisible(this.textCalls ? this.textCalls.push(text) : text, out);
  }

  private appendVisible(text: string, out: StreamEvent[]): void {
    if (text.length === 0) return;
    this.turn.content += text;
    emitText(out, 'content', text);
  }

  private flushHeldText(out: StreamEvent[], acceptUnclosedCalls: boolean): void {
    for (const seg of this.think.flush()) {
      if (seg.kind === 'reasoning') this.appendReasoning(seg.text, out);
      else this.appendContent(seg.text, out);
    }
    if (this.textCalls) this.appendVisible(this.textCalls.flush(acceptUnclosedCalls), out);
  }

  private applyToolCallDelta(delta: WireToolCallDelta, out: StreamEvent[]): void {
    // Parallel calls may send index-only deltas; a delta without an index continues the last call.
    const index = delta.index ?? this.lastToolIndex ?? 0;
    this.lastToolIndex = index;
    let call = this.nativeCalls.get(index);
    if (call === undefined) {
      call = { index, argumentsText: '' };
      this.nativeCalls.set(index, call);
    }
    const event: ToolCallDeltaEvent = { type: 'toolCallDelta', index, argumentsDelta: delta.arguments ?? '' };
    let changed = false;
    // The first non-empty id/name wins: DashScope repeats the id on later deltas or sends "".
    if (delta.id !== undefined && call.id === undefined) {
      call.id = event.id = delta.id;
      changed = true;
    }
    if (delta.name !== undefined && call.name === undefined) {
      call.name = event.name = delta.name;
      changed = true;
    }
    if (delta.type !== undefined && call.type === undefined) call.type = delta.type;
    if (delta.arguments !== undefined && delta.arguments.length > 0) {
      call.argumentsText += delta.arguments;
      changed = true;
    }
    if (!changed) return;
    this.markFirstToken();
    out.push(event);
  }

  private collectToolCalls(reason: FinishReason): ToolCallRequest[] {
    const truncated = reason === 'length';
    const calls: ToolCallRequest[] = [];
    const natives = [...this.nativeCalls.values()]
      .filter((c) => c.id !== undefined || c.name !== undefined || c.argumentsText !== '')
      .sort((a, b) => a.index - b.index);
    for (const native of natives) calls.push(nativeRequest(native, truncated));
    if (!this.recoverTextCalls) return calls;

    let nextIndex = natives.reduce((max, c) => Math.max(max, c.index + 1), 0);
    for (const found of this.textCalls?.calls ?? []) {
      calls.push(recoveredRequest(found, nextIndex++, 'text', false));
    }
    // Last resort, and only when the reply is otherwise empty: a call written into the reasoning.
    if (calls.length === 0 && !/\S/.test(this.turn.content) && this.turn.reasoning.length > 0) {
      for (const found of findCallsInReasoning(this.turn.reasoning, this.toolNames)) {
        calls.push(recoveredRequest(found, nextIndex++, 'reasoning', truncated));
      }
    }
    return calls;
  }

  private metrics(endedAt: number): StreamMetrics {
    const metrics: StreamMetrics = { durationMs: endedAt - this.startedAt };
    if (this.firstTokenAt !== undefined) {
      metrics.timeToFirstTokenMs = this.firstTokenAt - this.startedAt;
      const seconds = (endedAt - this.firstTokenAt) / 1000;
      if (this.turn.usage !== undefined && seconds > 0) {
        metrics.tokensPerSecond = this.turn.usage.completionTokens / seconds;
      }
    }
    return metrics;
  }
}

/** Merge with the previous event when it is the same kind of text (fewer, larger webview messages). */
function emitText(out: StreamEvent[], type: 'reasoning' | 'content', text: string): void {
  const last = out[out.length - 1];
  if (last !== undefined && (last.type === 'reasoning' || last.type === 'content') && last.type === type) {
    last.text += text;
  } else {
    out.push({ type, text });
  }
}

function nativeRequest(native: NativeCallBuilder, truncated: boolean): ToolCallRequest {
  const request: ToolCallRequest = {
    index: native.index,
    id: native.id ?? `call_native_${native.index}`,
    name: native.name ?? '',
    argumentsText: native.argumentsText,
    source: 'native',
  };
  const parsed = parseToolArguments(native.argumentsText);
  if ('arguments' in parsed) request.arguments = parsed.arguments;
  else request.parseError = parsed.error;
  if (native.name === undefined && request.parseError === undefined) {
    request.parseError = 'The tool call has no function name. Send the call again with the name of the tool.';
  }
  if (truncated) request.truncated = true;
  return request;
}

function recoveredRequest(
  found: RecoveredToolCall,
  index: number,
  source: ToolCallSource,
  truncated: boolean,
): ToolCallRequest {
  const request: ToolCallRequest = {
    index,
    id: `call_text_${index}`,
    name: found.name,
    argumentsText: found.argumentsText,
    arguments: found.arguments,
    source,
  };
  if (truncated) request.truncated = true;
  return request;
}
