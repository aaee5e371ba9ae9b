/** highlight.js core with the languages a coding chat meets most; unknown languages stay plain (no auto-detect). */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = { bash, c, cpp, csharp, css, diff, go, java, javascript, json, markdown, python, rust, shell, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
hljs.registerAliases(['sh', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['console', 'shellsession'], { languageName: 'shell' });

/** The fence's language word (`ts {title=x}` → `ts`), lower-cased. */
export function fenceLanguage(info: string | undefined): string {
  return (info ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
}

/** Grammars compiled by a first use (keyed by the language object, so aliases share one entry). */
const warmed = new WeakSet<object>();

/** Whether `language` has a registered grammar (so its code can be highlighted at all). */
export function canHighlight(language: string): boolean {
  return language !== '' && hljs.getLanguage(language) !== undefined;
}

/**
 * Whether highlighting `language` is cheap now. A grammar's first use compiles it (and V8 its regular
 * expressions): 5–80 ms on a slow machine, too long for a frame, so renderers leave cold languages plain and
 * warm them in a task of their own (see highlightLater.ts).
 */
export function isWarm(language: string): boolean {
  const grammar = language ? hljs.getLanguage(language) : undefined;
  return grammar !== undefined && warmed.has(grammar);
}

const SAMPLE = 'const a = "b"; // c\nfunction d(e) { return e + 1; }\n';

/** Compiles `language`'s grammar now (one small highlight) so later highlights of it are cheap. */
export function warmLanguage(language: string): void {
  if (!canHighlight(language) || isWarm(language)) return;
  highlight(SAMPLE, language);
}

/**
 * Highlighted HTML for `code`, or undefined when the language is not registered. highlight.js escapes all text
 * it is given and emits only `<span class="hljs-…">`, so its output is safe markup.
 */
export function highlight(code: string, language: string): string | undefined {
  return highlightRun(code, language)?.value;
}

/** Highlighted HTML for `code`, and whether highlight.js ended it back at the top level (not in a string or comment). */
export function highlightRun(code: string, language: string): { value: string; atTop: boolean } | undefined {
  const grammar = language ? hljs.getLanguage(language) : undefined;
  if (!grammar) return undefined;
  // `_top` is the mode highlight.js ended in; the grammar object itself means "between tokens at the top level"
  const result = hljs.highlight(code, { language, ignoreIllegals: true }) as { value: string; _top?: unknown };
  warmed.add(grammar);
  return { value: result.value, atTop: result._top === undefined || result._top === grammar };
}

/** Characters of code highlighted as one piece, at least (see `nextPiece`). */
export const PIECE_CHARS = 2000;

export interface HighlightedPiece {
  /** Where the piece ends in the code (after a newline, or the code's end). */
  end: number;
  html: string;
}

/**
 * The next piece of `code` from `start` that can be highlighted on its own, so a long block is highlighted a piece
 * per task and a growing one only at its end. A piece ends at the first line end at least `PIECE_CHARS` on where
 * highlight.js is back at the top level (not inside a string or comment), so the pieces' markup adds up to that of
 * one highlight of the whole; failing that at 2× and 4× the length it ends there anyway (a piece boundary in the
 * middle of a very long string colours the rest as if the string had ended). Deterministic for a given code, so a
 * block highlighted while it streamed gets the markup of one highlighted at once. Undefined while `complete` is
 * false and the code is too short to decide.
 */
export function nextPiece(code: string, start: number, language: string, complete: boolean): HighlightedPiece | undefined {
  for (let k = 0; k < 3; k++) {
    const want = start + PIECE_CHARS * 2 ** k;
    const nl = want < code.length ? code.indexOf('\n', want) : -1;
    if (nl < 0) {
      if (!complete) return undefined;
      const html = highlight(code.slice(start), language);
      return html === undefined ? undefined : { end: code.length, html };
    }
    const run = highlightRun(code.slice(start, nl + 1), language);
    if (!run) return undefined;
    if (run.atTop || k === 2) return { end: nl + 1, html: run.value };
  }
  return undefined;
}

/** The whole of `code` highlighted piece by piece (the markup a block ends with however it was highlighted). */
export function highlightPieces(code: string, language: string): string | undefined {
  if (!canHighlight(language)) return undefined;
  let html = '';
  for (let at = 0; at < code.length; ) {
    const piece = nextPiece(code, at, language, true)!;
    html += piece.html;
    at = piece.end;
  }
  return html;
}
