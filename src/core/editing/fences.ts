/**
 * Finding fenced code blocks in model output. Close to CommonMark, with the leniency models need:
 * - fences of 3+ backticks or tildes, at any indentation (models indent fences inside list items);
 * - a closing fence uses the same character, is at least as long as the opener and has nothing after it;
 * - a fence line *with* an info string inside a block can never close it (CommonMark agrees), and here it opens a
 *   nested level: models often write a ```markdown block containing ```ts blocks with the same 3 backticks, and
 *   the next bare ``` then closes the inner block, not the outer one;
 * - a block that never closes runs to the end of the text (a cut or still-streaming answer) and is marked so.
 * Input lines are already split on `\n` (the caller normalises CRLF).
 */

export interface FenceInfo {
  /** Lower-cased language label, from the first word or from a filename's extension; '' when none. */
  label: string;
  /** A file path given in the info string (`path=src/a.ts`, `ts:src/a.ts`, `src/a.ts`), if any. */
  path?: string;
}

export interface FencedBlock {
  info: FenceInfo;
  /** The block's lines between the fences (nested fence lines included verbatim). */
  lines: string[];
  /** Whether a closing fence was seen. */
  closed: boolean;
  /** Index of the opening fence line in the input. */
  openLine: number;
  /** Index of the closing fence line, or the number of lines when unclosed. */
  endLine: number;
}

const OPENER = /^\s*(`{3,}|~{3,})(.*)$/;

function looksLikePath(token: string): boolean {
  return /[/\\]/.test(token) || /^[\w.-]+\.[A-Za-z0-9]{1,6}$/.test(token);
}

function extensionOf(path: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(path);
  return m?.[1]?.toLowerCase() ?? '';
}

/**
 * Parse an info string. Formats seen from models and tools: `ts`, `typescript {1,3}`, `ts path=src/a.ts`,
 * `path=src/a.ts`, `ts:src/a.ts`, `ts src/a.ts`, `src/a.ts`, `title="a.ts"`. The label falls back to the path's
 * extension, which callers compare via `languageOfExtension`.
 */
export function parseInfoString(raw: string, extToLanguage: (ext: string) => string | undefined): FenceInfo {
  const tokens = raw.trim().split(/\s+/).filter((t) => t.length > 0);
  let label = '';
  let path: string | undefined;
  for (const [i, token] of tokens.entries()) {
    const kv = /^(path|file|filename|title)=["']?([^"']+)["']?$/i.exec(token);
    if (kv?.[2] !== undefined) {
      path ??= kv[2];
      continue;
    }
    if (token.includes('=') || token.startsWith('{')) continue; // attributes like {1,3} or lines=1-5
    if (i === 0) {
      const colon = /^([\w#+-]+):(.+)$/.exec(token);
      if (colon?.[1] !== undefined && colon[2] !== undefined) {
        label = colon[1].toLowerCase();
        path ??= colon[2];
      } else if (looksLikePath(token)) {
        path ??= token;
      } else {
        label = token.toLowerCase();
      }
    } else if (path === undefined && looksLikePath(token)) {
      path = token;
    }
  }
  if (label === '' && path !== undefined) label = extToLanguage(extensionOf(path)) ?? extensionOf(path);
  return path === undefined ? { label } : { label, path };
}

interface OpenFence {
  char: string;
  length: number;
}

function fenceOf(line: string): { char: string; length: number; info: string } | undefined {
  const m = OPENER.exec(line);
  if (m?.[1] === undefined) return undefined;
  const run = m[1];
  const info = m[2] ?? '';
  // CommonMark: a backtick fence's info string cannot contain backticks (``` `x` ``` is inline code).
  if (run.startsWith('`') && info.includes('`')) return undefined;
  return { char: run.charAt(0), length: run.length, info };
}

/** All top-level fenced blocks, in order. */
export function findFencedBlocks(
  lines: readonly string[],
  extToLanguage: (ext: string) => string | undefined,
): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = fenceOf(lines[i] ?? '');
    if (open === undefined) {
      i++;
      continue;
    }
    const outer: OpenFence = { char: open.char, length: open.length };
    const nested: OpenFence[] = [];
    const body: string[] = [];
    let j = i + 1;
    let closed = false;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      const f = fenceOf(line);
      const innermost = nested[nested.length - 1] ?? outer;
      if (f !== undefined && f.char === innermost.char && f.length >= innermost.length && f.info.trim() === '') {
        if (nested.length === 0) {
          closed = true;
          break;
        }
        nested.pop();
      } else if (f !== undefined && f.info.trim() !== '' && f.char === outer.char && f.length <= outer.length) {
        nested.push({ char: f.char, length: f.length });
      }
      body.push(line);
    }
    blocks.push({ info: parseInfoString(open.info, extToLanguage), lines: body, closed, openLine: i, endLine: j });
    i = j + 1;
  }
  return blocks;
}

/** Whether a (last, unfinished) line could still grow into a fence: held back from live previews. */
export function isPartialFenceLine(line: string): boolean {
  return /^\s*(`{1,}|~{1,})[^`~]*$/.test(line) && /^\s*(`|~)/.test(line) && line.trim().length <= 40;
}
