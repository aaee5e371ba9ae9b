/**
 * Turning a model's answer to a rewrite prompt into the replacement text. The prompt asks for exactly one fenced
 * block with only the replacement, but models add prose, several blocks, think tags, repeat the surrounding lines
 * or get cut off; none of that may end up in the user's file.
 *
 * Choosing among several blocks (decided here, tested in the corpus):
 * 1. blocks labelled with another known language (`bash`, `diff`, `json` in a TypeScript rewrite) are dropped,
 *    unless nothing else is left;
 * 2. with the original selection known, the block most similar to it (token overlap) wins: a rewrite resembles what
 *    it replaces, while usage examples and "run this" snippets do not;
 * 3. ties (or no original) go to the block labelled with the language, then to the largest block.
 */

import { splitThinkTags } from '../thinkTags';
import { findFencedBlocks, isPartialFenceLine } from './fences';
import type { FencedBlock } from './fences';
import { isKnownLanguageLabel, labelMatchesLanguage, languageOfExtension } from './languages';

export { fitToSelection, inferIndentStyle } from './fitToSelection';
export type { FitOptions, IndentStyle } from './fitToSelection';

export interface RewriteContext {
  /** VS Code language id of the document; lets a block labelled with it win. */
  languageId?: string;
  /** The selected text being replaced: the most similar block wins, and repeated context is told apart from it. */
  original?: string;
  /** The lines just above the selection that were shown to the model (it sometimes repeats them). */
  contextBefore?: readonly string[];
  /** The lines just below the selection that were shown to the model. */
  contextAfter?: readonly string[];
}

export type RewriteResult =
  | {
      ok: true;
      /** The replacement, `\n` line endings, no leading/trailing blank lines; pass it to `fitToSelection`. */
      code: string;
      /** Whether the code came from a fenced block (false: the whole answer looked like code). */
      fenced: boolean;
      /** False when the block was never closed: the answer was probably cut off (length limit, stop). */
      complete: boolean;
    }
  | { ok: false; reason: 'empty' | 'no-code'; message: string };

/** Drop reasoning: a leading `<think>…</think>` block, or everything up to a lone `</think>` before any fence. */
export function stripThinking(text: string): string {
  const { content } = splitThinkTags(text);
  const close = content.indexOf('</think>');
  const fence = content.search(/^\s*(```|~~~)/m);
  if (close >= 0 && (fence < 0 || close < fence)) return content.slice(close + '</think>'.length);
  return content;
}

function tokens(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of text.match(/[A-Za-z_$][\w$]*|\d+|[^\s\w]/g) ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Dice coefficient over token multisets, 0…1: cheap and insensitive to reindenting and reordering. */
export function similarity(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  let common = 0;
  let total = 0;
  for (const [t, n] of ta) {
    common += Math.min(n, tb.get(t) ?? 0);
    total += n;
  }
  for (const n of tb.values()) total += n;
  return total === 0 ? 0 : (2 * common) / total;
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start++;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end--;
  return lines.slice(start, end);
}

function chooseBlock(blocks: FencedBlock[], ctx: RewriteContext): FencedBlock | undefined {
  const lang = ctx.languageId;
  const foreign = (b: FencedBlock) =>
    lang !== undefined && b.info.label !== '' && isKnownLanguageLabel(b.info.label) && !labelMatchesLanguage(b.info.label, lang);
  const nonEmpty = blocks.filter((b) => b.lines.some((l) => l.trim() !== ''));
  const own = nonEmpty.filter((b) => !foreign(b));
  const pool = own.length > 0 ? own : nonEmpty;
  const score = (b: FencedBlock) => ({
    sim: ctx.original === undefined ? 0 : Math.round(similarity(b.lines.join('\n'), ctx.original) * 100),
    labelled: lang !== undefined && labelMatchesLanguage(b.info.label, lang) ? 1 : 0,
    size: b.lines.join('\n').trim().length,
  });
  let best: FencedBlock | undefined;
  let bestScore: ReturnType<typeof score> | undefined;
  for (const b of pool) {
    const s = score(b);
    const better =
      bestScore === undefined ||
      s.sim > bestScore.sim ||
      (s.sim === bestScore.sim && (s.labelled > bestScore.labelled || (s.labelled === bestScore.labelled && s.size > bestScore.size)));
    if (better) {
      best = b;
      bestScore = s;
    }
  }
  return best;
}

const INTRO = /^(here('s| is| are)|sure|certainly|of course|okay|ok|below|the following|this is|i('ve| have)|updated|refactored|fixed)\b.*[:.!]\s*$/i;

/** Whether a line reads as an English sentence rather than code (comments never count as prose). */
function isProse(line: string): boolean {
  const t = line.trim();
  if (t === '' || /^(\/\/|#|\*|\/\*|--|<!--|"""|''')/.test(t)) return false;
  if (INTRO.test(t)) return true;
  const codeChars = (t.match(/[;{}()[\]=<>]|=>|::/g) ?? []).length;
  // A short sentence ("No changes needed.") has no code characters at all and ends like a sentence.
  if (codeChars === 0 && /^[A-Z][\w'’]*(\s+[\w'’,-]+)+[.!?]$/.test(t)) return true;
  const words = t.split(/\s+/);
  if (words.length < 4) return false;
  return /^[A-Z*-]/.test(t) && codeChars <= 1 && /[a-z]{2,}\s+[a-z]{2,}/.test(t) && !/;\s*$|\{\s*$/.test(t);
}

/** An answer without fences is used only if it reads as code: leading "Here is…" lines are dropped first. */
function unfencedCode(lines: string[], ctx: RewriteContext): string[] | undefined {
  let body = trimBlankLines(lines);
  while (body.length > 0 && INTRO.test((body[0] ?? '').trim())) body = trimBlankLines(body.slice(1));
  // A closing explanation after a blank line ("This avoids the extra copy.") is dropped paragraph by paragraph.
  for (;;) {
    const gap = body.lastIndexOf('');
    const tail = gap < 0 ? [] : body.slice(gap + 1);
    if (gap < 0 || tail.length === 0 || !tail.every(isProse)) break;
    body = trimBlankLines(body.slice(0, gap));
  }
  const nonBlank = body.filter((l) => l.trim() !== '');
  if (nonBlank.length === 0) return undefined;
  const prose = nonBlank.filter(isProse).length;
  const resembles = ctx.original !== undefined && similarity(body.join('\n'), ctx.original) >= 0.5;
  if (prose === 0 || (resembles && prose / nonBlank.length < 0.34)) return body;
  return undefined;
}

function same(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.trim() === b.trim();
}

function exact(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.trimEnd() === b.trimEnd();
}

/** Opening minus closing brackets: a crude but language-agnostic measure of "the same shape". */
function balance(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) for (const ch of l) n += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
  return n;
}

/**
 * Strip the context lines the model echoed around its replacement. A run is stripped only when it matches the
 * context given, contains a non-blank line, the original selection does not itself start (end) with exactly those
 * lines, and stripping does not unbalance brackets the unstripped answer had balanced like the original (so a
 * method's own `}` is never taken for the class's `}` below it).
 */
export function stripEchoedContext(lines: string[], ctx: RewriteContext): string[] {
  const orig = ctx.original?.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const before = trimBlankLines([...(ctx.contextBefore ?? [])]);
  const after = trimBlankLines([...(ctx.contextAfter ?? [])]);
  // The longest echoed run at each end (0: none).
  let top = 0;
  for (let k = Math.min(before.length, lines.length - 1); k >= 1 && top === 0; k--) {
    const tail = before.slice(before.length - k);
    const matches = tail.every((l, i) => same(l, lines[i])) && tail.some((l) => l.trim() !== '');
    if (matches && !(orig !== undefined && tail.every((l, i) => exact(l, orig[i])))) top = k;
  }
  let bottom = 0;
  for (let k = Math.min(after.length, lines.length - 1 - top); k >= 1 && bottom === 0; k--) {
    const head = after.slice(0, k);
    const off = lines.length - k;
    const matches = head.every((l, i) => same(l, lines[off + i])) && head.some((l) => l.trim() !== '');
    if (matches && !(orig !== undefined && head.every((l, i) => exact(l, orig[orig.length - k + i])))) bottom = k;
  }
  const cut = (t: number, b: number) => trimBlankLines(lines.slice(t, lines.length - b));
  if (orig === undefined) return cut(top, bottom);
  // Both ends together first (an echoed `class X {` above goes with its `}` below), then one end, then neither.
  const want = balance(orig);
  const balancedBefore = balance(lines) === want;
  for (const [t, b] of [[top, bottom], [top, 0], [0, bottom]] as const) {
    if (t + b === 0) continue;
    const candidate = cut(t, b);
    if (balance(candidate) === want || !balancedBefore) return candidate;
  }
  return lines;
}

/** Parse a complete (or cut-off) answer to a rewrite prompt. */
export function parseRewrite(output: string, ctx: RewriteContext = {}): RewriteResult {
  const text = stripThinking(output).replace(/\r\n?/g, '\n');
  if (text.trim() === '') return { ok: false, reason: 'empty', message: 'Qwen returned no code.' };
  const lines = text.split('\n');
  const blocks = findFencedBlocks(lines, languageOfExtension);
  const block = chooseBlock(blocks, ctx);
  // Fences that hold nothing (a cut answer, "```ts\n```") mean no code, not "the fences are the code".
  if (block === undefined && blocks.length > 0) return { ok: false, reason: 'empty', message: 'Qwen returned no code.' };
  if (block !== undefined) {
    const code = stripEchoedContext(trimBlankLines(block.lines), ctx);
    return { ok: true, code: code.join('\n'), fenced: true, complete: block.closed };
  }
  const code = unfencedCode(lines, ctx);
  if (code === undefined) {
    return { ok: false, reason: 'no-code', message: 'Qwen answered in prose without code; nothing to apply.' };
  }
  return { ok: true, code: stripEchoedContext(code, ctx).join('\n'), fenced: false, complete: true };
}

/**
 * The code streamed so far, for a live preview: the first block that is not in a foreign language, without a last
 * line that may still become a fence; before any fence, nothing if the answer starts as prose, else the text.
 * A preview only — the final text comes from `parseRewrite` on the whole answer.
 */
export function partialRewrite(textSoFar: string, ctx: RewriteContext = {}): string {
  const trimmed = textSoFar.trimStart();
  if (trimmed.startsWith('<think>') && !trimmed.includes('</think>')) return '';
  if ('<think>'.startsWith(trimmed) && trimmed !== '') return '';
  const lines = stripThinking(textSoFar).replace(/\r\n?/g, '\n').split('\n');
  const last = lines[lines.length - 1] ?? '';
  if (isPartialFenceLine(last)) lines.pop();
  const blocks = findFencedBlocks(lines, languageOfExtension);
  const lang = ctx.languageId;
  const wanted = blocks.find(
    (b) => lang === undefined || b.info.label === '' || !isKnownLanguageLabel(b.info.label) || labelMatchesLanguage(b.info.label, lang),
  );
  if (wanted !== undefined) return trimBlankLines(wanted.lines).join('\n');
  if (blocks.length > 0) return trimBlankLines(blocks[0]?.lines ?? []).join('\n');
  // No fence yet: judge only finished lines ("Here" may become "Here is the code:"), and show nothing for prose.
  const finished = lines.slice(0, -1);
  const firstLine = finished.find((l) => l.trim() !== '');
  if (firstLine === undefined || isProse(firstLine)) return '';
  return trimBlankLines(lines).join('\n');
}
