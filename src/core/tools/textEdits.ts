/**
 * The pure part of edit_file: search/replace blocks applied exactly once each, line endings and the final newline
 * kept as the file had them. Models write LF; a CRLF file must stay CRLF, or the diff shows every line changed.
 */

export interface SearchReplace {
  search: string;
  replace: string;
}

export type EditOutcome = { ok: true; text: string } | { ok: false; error: string };

type Eol = '\r\n' | '\n';

/** CRLF when most line breaks are CRLF; a file with no line break counts as LF. */
export function detectEol(text: string): Eol {
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = (text.match(/\n/g)?.length ?? 0) - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

const toLf = (s: string) => s.replace(/\r\n/g, '\n');

function endsWithNewline(text: string): boolean {
  return text.endsWith('\n');
}

/** The final newline as the original had it (present or absent), in the file's line ending. */
function keepFinalNewline(original: string, next: string, eol: Eol): string {
  if (original === '' || next === '') return next;
  const had = endsWithNewline(original);
  const has = endsWithNewline(next);
  if (had && !has) return next + eol;
  if (!had && has) return next.replace(/\r?\n$/, '');
  return next;
}

function countOccurrences(haystack: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = haystack.indexOf(needle); i !== -1 && at.length < 3; i = haystack.indexOf(needle, i + 1)) at.push(i);
  return at;
}

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function preview(s: string): string {
  const first = s.split('\n').find((l) => l.trim() !== '') ?? s;
  return JSON.stringify(first.length > 60 ? `${first.slice(0, 60)}…` : first);
}

/**
 * Applies the blocks in order, each to the result of the ones before. A CRLF file is edited in LF form and turned
 * back, so the model's LF blocks match; a mixed or LF file is edited as it is.
 */
export function applySearchReplace(original: string, edits: readonly SearchReplace[]): EditOutcome {
  const eol = detectEol(original);
  const pureCrlf = eol === '\r\n' && !/(^|[^\r])\n/.test(original);
  let text = pureCrlf ? toLf(original) : original;
  for (const [i, edit] of edits.entries()) {
    const label = edits.length > 1 ? `Edit ${i + 1} of ${edits.length}` : 'The edit';
    const search = pureCrlf || !text.includes('\r\n') ? toLf(edit.search) : edit.search;
    const replace = pureCrlf || !text.includes('\r\n') ? toLf(edit.replace) : edit.replace;
    if (search === '') return { ok: false, error: `${label} has an empty search; give the exact existing text to replace (or use create_file for a new file).` };
    const at = countOccurrences(text, search);
    if (at.length === 0) {
      const trimmed = search.trim() !== search ? countOccurrences(text, search.trim()).length : 0;
      const hint = trimmed > 0 ? ' It matches when its leading/trailing whitespace is removed: copy the text exactly, with the same indentation.' : ' Read the file again and copy the text exactly, including indentation and whitespace.';
      return { ok: false, error: `${label}: its search text (starting ${preview(search)}) was not found in the file${i > 0 ? ' (after the edits before it)' : ''}.${hint}` };
    }
    if (at.length > 1) {
      const lines = at.map((p) => lineOf(text, p)).join(', ');
      return { ok: false, error: `${label}: its search text (starting ${preview(search)}) matches ${at.length >= 3 ? '3 or more' : '2'} places (lines ${lines}${at.length >= 3 ? ', …' : ''}); include more surrounding lines so it matches exactly once.` };
    }
    const p = at[0] ?? 0;
    text = text.slice(0, p) + replace + text.slice(p + search.length);
  }
  const back = pureCrlf ? text.replace(/\n/g, '\r\n') : text;
  return { ok: true, text: keepFinalNewline(original, back, eol) };
}

/** A whole-file rewrite in the file's line ending and with its final newline (or lack of one). */
export function rewriteKeepingStyle(original: string, content: string): string {
  const eol = detectEol(original);
  const lf = toLf(content);
  const text = eol === '\r\n' ? lf.replace(/\n/g, '\r\n') : lf;
  const bom = original.startsWith('\uFEFF') && !text.startsWith('\uFEFF') ? '\uFEFF' : '';
  return bom + keepFinalNewline(original, text, eol);
}
