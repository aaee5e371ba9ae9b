/**
 * Tool calls that arrive as text instead of `tool_calls`:
 *  - qwen3-coder sometimes writes its native call format into `content`:
 *    `<tool_call>\n<function=NAME>\n<parameter=P>\nVALUE\n</parameter>\n</function>\n</tool_call>` (the wrapper is
 *    optional), or the Hermes form `<tool_call>{"name": …, "arguments": …}</tool_call>`;
 *  - some models put the call in `reasoning_content` and finish with `stop` and no content.
 * The agent treats a recovered call like any other (same approvals), so recognition is deliberately strict: the block
 * must be complete and well formed, and when the offered tool names are known, the name must be one of them.
 */
import { partialTagSuffixLength } from './thinkTags';
import {
  FUNCTION_CLOSE,
  FUNCTION_OPEN,
  TOOL_CALL_CLOSE,
  TOOL_CALL_OPEN,
  callFromJsonObject,
  isAcceptedToolName,
  isObj,
  isWhitespace,
  parseToolCallBlock,
  trimLoose,
  type ParseOptions,
  type RecoveredToolCall,
} from './toolCallBlocks';

export { isAcceptedToolName, parseToolCallBlock, type RecoveredToolCall } from './toolCallBlocks';

/** How much of a block we wait for before deciding whether its start looks like a call at all. */
const HEADER_LIMIT = 256;

type BlockKind = 'tool_call' | 'function';
type HeaderVerdict = 'ok' | 'bad' | 'more';

/** Decide early whether a block's start looks like a call, so prose mentioning `<tool_call>` is not held for long. */
function checkHeader(head: string, kind: BlockKind, toolNames: readonly string[] | undefined): HeaderVerdict {
  let i = 0;
  if (kind === 'tool_call') {
    i = TOOL_CALL_OPEN.length;
    while (i < head.length && isWhitespace(head.charAt(i))) i++;
    if (i >= head.length) return 'more';
    if (head.charAt(i) === '{') {
      const m = /^\{\s*"name"\s*:\s*"([^"\\]*)"/.exec(head.slice(i));
      if (m) return isAcceptedToolName(m[1] ?? '', toolNames) ? 'ok' : 'bad';
      return head.length - i < 80 ? 'more' : 'bad';
    }
    if (!head.startsWith(FUNCTION_OPEN, i)) return FUNCTION_OPEN.startsWith(head.slice(i)) ? 'more' : 'bad';
  }
  const nameStart = i + FUNCTION_OPEN.length;
  const gt = head.indexOf('>', nameStart);
  const name = gt < 0 ? head.slice(nameStart) : head.slice(nameStart, gt);
  if (!/^[\w.:-]*$/.test(name)) return 'bad';
  if (gt < 0) return name.length > 128 ? 'bad' : 'more';
  return isAcceptedToolName(name, toolNames) ? 'ok' : 'bad';
}

type Opening = { kind: BlockKind; index: number } | { kind: 'none'; hold: number };

/** The first opening marker in `s`, or how many trailing characters could still become one. */
function findOpening(s: string): Opening {
  let i = s.indexOf('<');
  while (i >= 0) {
    if (s.startsWith(TOOL_CALL_OPEN, i)) return { index: i, kind: 'tool_call' };
    if (s.startsWith(FUNCTION_OPEN, i)) return { index: i, kind: 'function' };
    if (s.length - i < TOOL_CALL_OPEN.length) {
      const hold = Math.max(partialTagSuffixLength(s, TOOL_CALL_OPEN), partialTagSuffixLength(s, FUNCTION_OPEN));
      if (hold > 0) return { kind: 'none', hold };
    }
    i = s.indexOf('<', i + 1);
  }
  return { kind: 'none', hold: 0 };
}

/**
 * Streams `content` through, holding back any text from the start of a call block until the block is complete:
 * a well-formed call is removed from the content and kept in `calls`; anything else is released as content.
 */
export class TextToolCallDetector {
  private readonly found: RecoveredToolCall[] = [];
  private inBlock = false;
  /** Outside a block: a trailing partial opening marker (at most 10 characters). */
  private pending = '';
  private blockKind: BlockKind = 'function';
  private blockParts: string[] = [];
  private headerOk = false;
  /** The block's last few characters, so a closing marker split across chunks is still found without rescanning. */
  private closeTail = '';

  constructor(private readonly toolNames?: readonly string[]) {}

  /** Calls recognised so far (complete blocks only). */
  get calls(): readonly RecoveredToolCall[] {
    return this.found;
  }

  /** Feed visible content; returns the part that is safe to show now. */
  push(text: string): string {
    let s = this.pending + text;
    this.pending = '';
    let out = '';
    while (s.length > 0) {
      if (!this.inBlock) {
        const open = findOpening(s);
        if (open.kind === 'none') {
          this.pending = s.slice(s.length - open.hold);
          return out + s.slice(0, s.length - open.hold);
        }
        out += s.slice(0, open.index);
        s = s.slice(open.index);
        this.inBlock = true;
        this.blockKind = open.kind;
        this.blockParts = [];
        this.headerOk = false;
        this.closeTail = '';
      }
      const step = this.feedBlock(s);
      out += step.released;
      s = step.rest;
    }
    return out;
  }

  /**
   * End of the content. With `acceptUnclosed`, a `<tool_call>` block that lacks only its closing tag still counts
   * (models often stop right there); everything else still held is released as content.
   */
  flush(acceptUnclosed = true): string {
    if (!this.inBlock) return this.releaseAll();
    const text = this.blockParts.join('');
    this.resetBlock();
    if (acceptUnclosed && this.blockKind === 'tool_call') {
      const call = parseToolCallBlock(text, { toolNames: this.toolNames });
      if (call) {
        this.found.push(call);
        return '';
      }
    }
    return text;
  }

  /** The stream failed: give back everything held, unparsed. */
  releaseAll(): string {
    const out = this.pending + this.blockParts.join('');
    this.pending = '';
    this.resetBlock();
    return out;
  }

  private resetBlock(): void {
    this.inBlock = false;
    this.blockParts = [];
    this.closeTail = '';
  }

  private feedBlock(s: string): { released: string; rest: string } {
    if (!this.headerOk) {
      // Bounded: while the header is unchecked the block holds at most HEADER_LIMIT characters.
      s = this.blockParts.join('') + s;
      this.blockParts = [];
      const verdict = checkHeader(s, this.blockKind, this.toolNames);
      if (verdict === 'bad' || (verdict === 'more' && s.length > HEADER_LIMIT)) {
        // Not a call: show the '<' and rescan the rest, which may hold a real block.
        this.resetBlock();
        return { released: s.charAt(0), rest: s.slice(1) };
      }
      if (verdict === 'more') {
        this.blockParts.push(s);
        return { released: '', rest: '' };
      }
      this.headerOk = true;
    }
    const close = this.blockKind === 'tool_call' ? TOOL_CALL_CLOSE : FUNCTION_CLOSE;
    const haystack = this.closeTail + s;
    const at = haystack.indexOf(close);
    if (at < 0) {
      this.blockParts.push(s);
      this.closeTail = haystack.slice(-(close.length - 1));
      return { released: '', rest: '' };
    }
    const endInS = at - this.closeTail.length + close.length;
    const block = this.blockParts.join('') + s.slice(0, endInS);
    this.resetBlock();
    const call = parseToolCallBlock(block, { toolNames: this.toolNames });
    if (call) this.found.push(call);
    return { released: call ? '' : block, rest: s.slice(endInS) };
  }
}

/** Parse all text-form calls out of a complete text (non-streaming replies). */
export function extractTextToolCalls(
  text: string,
  toolNames?: readonly string[],
): { content: string; calls: readonly RecoveredToolCall[] } {
  const detector = new TextToolCallDetector(toolNames);
  const content = detector.push(text) + detector.flush();
  return { content, calls: detector.calls };
}

/**
 * Calls a model wrote into its reasoning instead of calling: XML (`<tool_call><function=NAME>{json}</function>
 * </tool_call>` or the `<parameter=…>` form) and fenced JSON blocks holding `{"tool_calls": [...]}` (OpenAI shape)
 * or a single `{"name", "arguments"}`. Pass `toolNames` whenever they are known: reasoning often talks about code.
 */
export function findCallsInReasoning(reasoning: string, toolNames?: readonly string[]): RecoveredToolCall[] {
  const found: Array<{ at: number; call: RecoveredToolCall }> = [];
  const opts: ParseOptions = { toolNames, literalNewlines: true };

  let pos = 0;
  while (pos < reasoning.length) {
    const tc = reasoning.indexOf(TOOL_CALL_OPEN, pos);
    const fn = reasoning.indexOf(FUNCTION_OPEN, pos);
    if (tc < 0 && fn < 0) break;
    const start = tc >= 0 && (fn < 0 || tc < fn) ? tc : fn;
    let end = -1;
    if (start === tc) {
      const close = reasoning.indexOf(TOOL_CALL_CLOSE, start);
      if (close >= 0) end = close + TOOL_CALL_CLOSE.length;
    }
    if (end < 0) {
      const close = reasoning.indexOf(FUNCTION_CLOSE, start);
      if (close >= 0) end = close + FUNCTION_CLOSE.length;
    }
    if (end < 0) break;
    const call = parseToolCallBlock(reasoning.slice(start, end), opts);
    if (call) found.push({ at: start, call });
    pos = call ? end : start + 1;
  }

  const fence = /```(?:json)?[ \t]*(?:\r?\n|\\n)?([\s\S]*?)```/g;
  for (let m = fence.exec(reasoning); m !== null; m = fence.exec(reasoning)) {
    const body = trimLoose(m[1] ?? '', true);
    if (!body.startsWith('{') && !body.startsWith('[')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      continue;
    }
    const items = Array.isArray(parsed)
      ? parsed
      : isObj(parsed) && Array.isArray(parsed['tool_calls'])
        ? parsed['tool_calls']
        : [parsed];
    for (const item of items) {
      const call = callFromJsonObject(item, toolNames);
      if (call) found.push({ at: m.index, call });
    }
  }

  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const calls: RecoveredToolCall[] = [];
  for (const { call } of found) {
    // A model that "plans" a call and then writes it again would otherwise run it twice.
    const key = `${call.name}\u0000${JSON.stringify(call.arguments)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    calls.push(call);
  }
  return calls;
}
