/**
 * The code an action applies to when nothing is selected: the function or class around the cursor, else the file.
 * Heuristics, not a parser — cheap, language-agnostic enough, and wrong only towards "a bigger block":
 * - brace languages (TS/JS, Java, C#, Go, Rust, C/C++, Kotlin, Swift, PHP, Dart, Scala): braces are matched with
 *   strings, template literals, char literals (not Rust lifetimes) and comments skipped; each block's header is
 *   the text before its `{` (walking back over Allman braces and multi-line parameter lists); the innermost block
 *   whose header declares a function/method or a class-like type wins, then the innermost callback
 *   (`it('…', () => {`), then the file. Control blocks (`if`, `for`, …) and object literals never count;
 * - Python: the nearest `def`/`class` above the cursor whose indented body reaches the cursor (multi-line
 *   signatures and triple-quoted strings at column 0 do not end a body);
 * - the block grows upwards over decorators/attributes and the doc comment right above it, so "document" and
 *   "explain" see them.
 * Lines are 0-based here, like editor positions.
 */

export interface EnclosingBlock {
  /** 0-based first and last line (inclusive). */
  startLine: number;
  endLine: number;
  kind: 'function' | 'class' | 'callback' | 'file';
  /** For prompts: "function parseConfig", "class Parser", "the whole file", "lines 120-619 of the file". */
  label: string;
  /** Whether a long file was cut to a window around the cursor. */
  truncated: boolean;
}

export interface EnclosingOptions {
  /** Longest file (in lines) sent whole; longer ones are cut to this many lines around the cursor. @default 400 */
  maxFileLines?: number;
}

const BRACE_LANGUAGES = new Set([
  'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'java', 'csharp', 'go', 'rust', 'c', 'cpp',
  'kotlin', 'swift', 'php', 'dart', 'scala', 'objective-c', 'groovy',
]);

interface BracePair {
  openLine: number;
  openCol: number;
  closeLine: number;
}

/** Matched `{ }` pairs, skipping strings and comments. Unclosed braces are dropped. */
export function bracePairs(text: string, languageId: string): BracePair[] {
  const pairs: BracePair[] = [];
  const stack: { line: number; col: number }[] = [];
  let line = 0;
  let col = 0;
  let i = 0;
  const n = text.length;
  const advance = (to: number) => {
    for (; i < to && i < n; i++) {
      if (text.charAt(i) === '\n') {
        line++;
        col = 0;
      } else col++;
    }
  };
  const rust = languageId === 'rust';
  while (i < n) {
    const ch = text.charAt(i);
    const next = text.charAt(i + 1);
    if (ch === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      advance(end < 0 ? n : end);
    } else if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      advance(end < 0 ? n : end + 2);
    } else if (ch === '"' || ch === '`' || (ch === "'" && !(rust && next !== '\\' && text.charAt(i + 2) !== "'"))) {
      // Template literals and Go raw strings span lines; other strings end at a newline at the latest.
      let j = i + 1;
      for (; j < n; j++) {
        const c = text.charAt(j);
        if (c === '\\') j++;
        else if (c === ch) break;
        else if (c === '\n' && ch !== '`') break;
      }
      advance(j + 1);
    } else {
      if (ch === '{') stack.push({ line, col });
      else if (ch === '}') {
        const open = stack.pop();
        if (open !== undefined) pairs.push({ openLine: open.line, openCol: open.col, closeLine: line });
      }
      advance(i + 1);
    }
  }
  return pairs;
}

const CONTROL = /^(\}\s*)?(if|else|for|foreach|while|do|switch|try|catch|finally|with|using|lock|unsafe|loop|match|select|defer|return|case|default)\b/;
const TYPE = /\b(class|interface|struct|enum|trait|impl|namespace|module|object|record|union|protocol|extension)\b\s*(?:<[^>]*>\s*)?([A-Za-z_$][\w$]*)?/;
const FUNCTION_KEYWORD = /\b(?:function\*?|func|fn|fun|def|sub)\s*(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)?/;
const ARROW_ASSIGNED = /^(?:export\s+)?(?:(?:const|let|var)\s+)?(?:(?:public|private|protected|readonly|static)\s+)*([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>$/;
const METHOD = /(?:^|[\s.*&])([A-Za-z_$~][\w$]*)\s*(?:<[^()]*>)?\s*\([^;]*\)\s*(?::[^={]+|->[^{]+|throws\s[^{]+|where\s[^{]+|const|override|noexcept)?\s*$/;
const CALLBACK = /\(.*(?:=>|\bfunction\b\s*\([^)]*\))$/;

type HeaderKind = { kind: 'function' | 'class' | 'callback'; name: string | undefined } | undefined;

function classify(header: string): HeaderKind {
  const h = header.replace(/\s+/g, ' ').trim();
  if (h === '' || CONTROL.test(h)) return undefined;
  if (/(^|[=:(,[]|return)\s*$/.test(h)) return undefined; // an object literal or a plain block
  const arrow = ARROW_ASSIGNED.exec(h);
  if (arrow !== null) return { kind: 'function', name: arrow[1] };
  const type = TYPE.exec(h);
  if (type !== null && !/=>|\(/.test(h.slice(0, type.index))) return { kind: 'class', name: type[2] };
  const fk = FUNCTION_KEYWORD.exec(h);
  if (fk !== null && !CALLBACK.test(h.slice(0, fk.index))) return { kind: 'function', name: fk[1] };
  if (CALLBACK.test(h)) return { kind: 'callback', name: /^([\w$.]+)\s*\(/.exec(h)?.[1] };
  const m = METHOD.exec(h);
  if (m !== null && !/^(if|for|while|switch|catch|return|new|await)$/.test(m[1] ?? '')) return { kind: 'function', name: m[1] };
  return undefined;
}

/** Start line of the statement whose `{` is at (line, col): back over Allman braces and wrapped signatures. */
function headerOf(lines: readonly string[], line: number, col: number): { start: number; text: string } {
  let text = (lines[line] ?? '').slice(0, col);
  let start = line;
  for (let k = 0; k < 8 && start > 0; k++) {
    const t = text.trim();
    if (t !== '' && classify(text) !== undefined && !/^[),:]/.test(t)) break;
    const prev = (lines[start - 1] ?? '').trim();
    if (prev === '' || /[;{}]$/.test(prev) || /^(\/\/|\/\*|\*|#)/.test(prev)) break;
    start--;
    text = `${lines[start] ?? ''} ${text}`;
  }
  return { start, text };
}

/** Grow a block upwards over decorators/attributes and the comment block directly above it. */
function withPreamble(lines: readonly string[], start: number): number {
  let s = start;
  let inBlockComment = false;
  while (s > 0) {
    const t = (lines[s - 1] ?? '').trim();
    if (inBlockComment) {
      s--;
      if (t.startsWith('/*')) inBlockComment = false;
    } else if (t.endsWith('*/')) {
      s--;
      inBlockComment = !t.startsWith('/*');
    } else if (/^(@|#\[|\[[A-Z]|\/\/|#(?!include|define|if|endif))/.test(t)) s--;
    else break;
  }
  return s;
}

function indentOf(line: string): number {
  return (/^[ \t]*/.exec(line)?.[0] ?? '').replace(/\t/g, '    ').length;
}

function pythonBlock(lines: readonly string[], cursor: number): EnclosingBlock | undefined {
  // Which lines are inside triple-quoted strings (they neither open nor end blocks).
  const inString: boolean[] = [];
  let open: string | undefined;
  for (const line of lines) {
    inString.push(open !== undefined);
    for (const m of line.matchAll(/"""|'''/g)) {
      if (open === undefined) open = m[0];
      else if (open === m[0]) open = undefined;
    }
  }
  for (let k = Math.min(cursor, lines.length - 1); k >= 0; k--) {
    const m = /^(\s*)(?:async\s+)?(def|class)\s+(\w+)/.exec(lines[k] ?? '');
    if (m === null || inString[k] === true) continue;
    const ind = indentOf(lines[k] ?? '');
    // The body starts after the signature's brackets close.
    let depth = 0;
    let bodyStart = k;
    for (; bodyStart < lines.length; bodyStart++) {
      for (const ch of (lines[bodyStart] ?? '').replace(/#.*$/, '')) depth += '([{'.includes(ch) ? 1 : ')]}'.includes(ch) ? -1 : 0;
      if (depth <= 0) break;
    }
    let end = bodyStart;
    for (let j = bodyStart + 1; j < lines.length; j++) {
      const l = lines[j] ?? '';
      if (l.trim() === '' || inString[j] === true) continue;
      if (indentOf(l) <= ind) break;
      end = j;
    }
    if (end < cursor && k !== cursor) continue;
    let start = k;
    while (start > 0 && /^\s*@/.test(lines[start - 1] ?? '')) start--;
    const kind = m[2] === 'class' ? 'class' : 'function';
    return { startLine: start, endLine: end, kind, label: `${kind} ${m[3] ?? ''}`.trim(), truncated: false };
  }
  return undefined;
}

/** The function/class around `cursorLine` (0-based), or the file (capped) when there is none. */
export function findEnclosingBlock(text: string, cursorLine: number, languageId: string, opts: EnclosingOptions = {}): EnclosingBlock {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (languageId === 'python') {
    const block = pythonBlock(lines, cursorLine);
    if (block !== undefined) return block;
  } else if (BRACE_LANGUAGES.has(languageId)) {
    const containing = bracePairs(text.replace(/\r\n?/g, '\n'), languageId)
      .map((p) => ({ p, header: headerOf(lines, p.openLine, p.openCol) }))
      .filter(({ p, header }) => header.start <= cursorLine && cursorLine <= p.closeLine)
      .sort((a, b) => b.header.start - a.header.start || a.p.closeLine - b.p.closeLine);
    let callback: EnclosingBlock | undefined;
    for (const { p, header } of containing) {
      const c = classify(header.text);
      if (c === undefined) continue;
      const block: EnclosingBlock = {
        startLine: withPreamble(lines, header.start),
        endLine: p.closeLine,
        kind: c.kind,
        label: c.kind === 'callback' ? `the ${c.name ?? 'callback'} block` : `${c.kind} ${c.name ?? ''}`.trim(),
        truncated: false,
      };
      if (c.kind !== 'callback') return block;
      callback ??= block;
    }
    if (callback !== undefined) return callback;
  }
  const max = opts.maxFileLines ?? 400;
  const last = lines.length - (lines[lines.length - 1] === '' && lines.length > 1 ? 2 : 1);
  if (last + 1 <= max) return { startLine: 0, endLine: last, kind: 'file', label: 'the whole file', truncated: false };
  const start = Math.max(0, Math.min(cursorLine - Math.floor(max / 2), last + 1 - max));
  const end = start + max - 1;
  return { startLine: start, endLine: end, kind: 'file', label: `lines ${start + 1}-${end + 1} of the file`, truncated: true };
}
