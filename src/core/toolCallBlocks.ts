/**
 * Parsing one text-form tool call block (qwen3-coder's `<function=NAME><parameter=P>…` form, with or without the
 * `<tool_call>` wrapper, or the Hermes JSON form). Strict on purpose: a recovered call is run like a native one.
 */
import { parseToolArguments } from './toolArguments';
export interface RecoveredToolCall {
  name: string;
  arguments: Record<string, unknown>;
  /** The arguments as the model wrote them when they were JSON text, otherwise `JSON.stringify(arguments)`. */
  argumentsText: string;
}

export const TOOL_CALL_OPEN = '<tool_call>';
export const TOOL_CALL_CLOSE = '</tool_call>';
export const FUNCTION_OPEN = '<function=';
export const FUNCTION_CLOSE = '</function>';
const PARAMETER_OPEN = '<parameter=';
const PARAMETER_CLOSE = '</parameter>';
/** Tool names as OpenAI and MCP allow them; anything else after `<function=` is prose, not a call. */
const TOOL_NAME = /^[\w.:-]{1,128}$/;

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
}

export function isAcceptedToolName(name: string, toolNames: readonly string[] | undefined): boolean {
  return TOOL_NAME.test(name) && (toolNames === undefined || toolNames.includes(name));
}

export interface ParseOptions {
  toolNames?: readonly string[] | undefined;
  /** Reasoning text sometimes carries a literal backslash-n where a newline was meant: treat it as whitespace. */
  literalNewlines?: boolean;
}

/** Trim whitespace (and, in reasoning, literal `\n` sequences) from both ends. */
export function trimLoose(s: string, literalNewlines: boolean | undefined): string {
  let t = s.trim();
  if (!literalNewlines) return t;
  for (;;) {
    const before = t.length;
    if (t.startsWith('\\n')) t = t.slice(2).trimStart();
    if (t.endsWith('\\n')) t = t.slice(0, -2).trimEnd();
    if (t.length === before) return t;
  }
}

/** Arguments given either as an object or as JSON text; anything that is not an object is rejected. */
function argumentsFrom(raw: unknown): { args: Obj; text: string } | undefined {
  if (raw === undefined || raw === null) return { args: {}, text: '{}' };
  if (isObj(raw)) return { args: raw, text: JSON.stringify(raw) };
  if (typeof raw !== 'string') return undefined;
  const parsed = parseToolArguments(raw);
  return 'arguments' in parsed ? { args: parsed.arguments, text: raw } : undefined;
}

/** `{"name": …, "arguments": …}` (Hermes), or OpenAI's `{"function": {"name", "arguments"}}`. */
export function callFromJsonObject(v: unknown, toolNames: readonly string[] | undefined): RecoveredToolCall | undefined {
  if (!isObj(v)) return undefined;
  const fn = isObj(v['function']) ? v['function'] : v;
  const name = fn['name'];
  if (typeof name !== 'string' || !isAcceptedToolName(name, toolNames)) return undefined;
  const args = argumentsFrom(fn['arguments'] ?? fn['parameters']);
  return args && { name, arguments: args.args, argumentsText: args.text };
}

/** A `<parameter=…>` value: one framing newline trimmed each side; JSON numbers, booleans, objects, arrays parsed. */
function parameterValue(raw: string, literalNewlines: boolean | undefined): unknown {
  let v = raw;
  if (v.startsWith('\r\n')) v = v.slice(2);
  else if (v.startsWith('\n')) v = v.slice(1);
  else if (literalNewlines && v.startsWith('\\n')) v = v.slice(2);
  if (v.endsWith('\r\n')) v = v.slice(0, -2);
  else if (v.endsWith('\n')) v = v.slice(0, -1);
  else if (literalNewlines && v.endsWith('\\n')) v = v.slice(0, -2);
  const first = v.trimStart().charAt(0);
  if (first === '{' || first === '[' || first === '-' || first === 't' || first === 'f' || (first >= '0' && first <= '9')) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (typeof parsed === 'number' || typeof parsed === 'boolean' || (typeof parsed === 'object' && parsed !== null)) {
        return parsed;
      }
    } catch {
      // not JSON: the string itself is the value
    }
  }
  return v;
}

/** The body between `<function=NAME>` and `</function>`: `<parameter=…>` elements, or one JSON object, or nothing. */
function parseFunctionBody(body: string, opts: ParseOptions): { args: Obj; text: string } | undefined {
  let pos = body.indexOf(PARAMETER_OPEN);
  if (pos < 0) {
    const text = trimLoose(body, opts.literalNewlines);
    if (text === '') return { args: {}, text: '{}' };
    return text.startsWith('{') ? argumentsFrom(text) : undefined;
  }
  if (trimLoose(body.slice(0, pos), opts.literalNewlines) !== '') return undefined;
  const args: Obj = {};
  while (pos >= 0) {
    const nameStart = pos + PARAMETER_OPEN.length;
    const gt = body.indexOf('>', nameStart);
    if (gt < 0) return undefined;
    const name = body.slice(nameStart, gt).trim();
    if (name === '' || /[<\n]/.test(name)) return undefined;
    const valueStart = gt + 1;
    const close = body.indexOf(PARAMETER_CLOSE, valueStart);
    const next = body.indexOf(PARAMETER_OPEN, valueStart);
    // A missing `</parameter>` is tolerated: the value then runs to the next parameter or the end of the body.
    let valueEnd = body.length;
    let after = body.length;
    if (close >= 0 && (next < 0 || close < next)) {
      valueEnd = close;
      after = close + PARAMETER_CLOSE.length;
    } else if (next >= 0) {
      valueEnd = next;
      after = next;
    }
    args[name] = parameterValue(body.slice(valueStart, valueEnd), opts.literalNewlines);
    pos = body.indexOf(PARAMETER_OPEN, after);
    if (trimLoose(body.slice(after, pos < 0 ? body.length : pos), opts.literalNewlines) !== '') return undefined;
  }
  return { args, text: JSON.stringify(args) };
}

/**
 * Parse one complete block: `<tool_call>…</tool_call>` (closing tag optional) or a bare `<function=…>…</function>`.
 * Returns undefined for anything that is not exactly one well-formed call with an accepted name.
 */
export function parseToolCallBlock(block: string, opts: ParseOptions = {}): RecoveredToolCall | undefined {
  let inner = trimLoose(block, opts.literalNewlines);
  if (inner.startsWith(TOOL_CALL_OPEN)) {
    inner = inner.slice(TOOL_CALL_OPEN.length);
    const close = inner.lastIndexOf(TOOL_CALL_CLOSE);
    if (close >= 0) {
      if (trimLoose(inner.slice(close + TOOL_CALL_CLOSE.length), opts.literalNewlines) !== '') return undefined;
      inner = inner.slice(0, close);
    }
    inner = trimLoose(inner, opts.literalNewlines);
  }
  if (inner.startsWith('{')) {
    try {
      return callFromJsonObject(JSON.parse(inner), opts.toolNames);
    } catch {
      return undefined;
    }
  }
  if (!inner.startsWith(FUNCTION_OPEN)) return undefined;
  const gt = inner.indexOf('>');
  const end = inner.lastIndexOf(FUNCTION_CLOSE);
  if (gt < 0 || end < gt) return undefined;
  if (trimLoose(inner.slice(end + FUNCTION_CLOSE.length), opts.literalNewlines) !== '') return undefined;
  const name = inner.slice(FUNCTION_OPEN.length, gt).trim();
  if (!isAcceptedToolName(name, opts.toolNames)) return undefined;
  const args = parseFunctionBody(inner.slice(gt + 1, end), opts);
  return args && { name, arguments: args.args, argumentsText: args.text };
}
