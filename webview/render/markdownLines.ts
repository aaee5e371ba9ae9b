/** Line helpers for the block-boundary finder: line ends, and lines nested too deeply to hand to marked. */

/**
 * Lines opening more nested quotes or lists than this are not given to marked: its time grows steeply with the
 * nesting (1,000 nested `- ` take 100 ms, 4,000 run out of stack after 0.5 s), and no answer means them.
 */
export const MAX_NESTING = 100;

/** How many quotes and list items a line opens at its start (`> > - 1. x` → 4), counted up to `limit` + 1. */
function nesting(text: string, pos: number, limit: number): number {
  let depth = 0;
  let i = pos;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const c = text[i];
    if (c === '>') i++;
    else if ((c === '-' || c === '*' || c === '+') && (text[i + 1] === ' ' || text[i + 1] === '\t')) i += 2;
    else {
      let j = i;
      while (j - i < 9 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      if (j === i || (text[j] !== '.' && text[j] !== ')') || (text[j + 1] !== ' ' && text[j + 1] !== '\t')) return depth;
      i = j + 2;
    }
    if (++depth > limit) return depth;
  }
}

/** The start of the first line in [from, to) nested more than marked is given (see `MAX_NESTING`), or -1. */
export function deepLineAt(text: string, from: number, to: number): number {
  for (let pos = from; pos < to; ) {
    if (nesting(text, pos, MAX_NESTING) > MAX_NESTING) return pos;
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    pos = nl + 1;
  }
  return -1;
}

/** The end of the line at or after `pos` (never past `end`). */
export function lineEnd(text: string, pos: number, end: number): number {
  const nl = text.indexOf('\n', pos);
  return nl < 0 || nl + 1 > end ? end : nl + 1;
}
