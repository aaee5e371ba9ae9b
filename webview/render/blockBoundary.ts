/**
 * Finds where a streaming markdown text can be cut into blocks that will never change again, so the renderer can
 * render settled blocks once and re-parse only the growing tail. Pure (no DOM) and incremental: each call scans
 * only the lines that completed since the last call.
 *
 * A cut is made only at a blank line whose next line is complete and clearly starts a new block: not inside a
 * fenced code block (``` or ~~~, closed by a fence of the same character at least as long), not an indented
 * continuation (list item body, indented code), not the next item of a list or the next line of a block quote
 * that precedes it. Cutting too rarely only costs time; cutting wrongly would change how the markdown renders, so
 * every doubt keeps the block open.
 */

// Any indentation: a fence inside a list item is indented; treating indented code as a fence only cuts less.
const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})(.*)$/;
const LIST_ITEM = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const QUOTE = /^ {0,3}>/;
const BLANK = /^[ \t]*$/;
const INDENTED = /^(?: |\t)/;

type BlockKind = 'other' | 'list' | 'quote';

export class BlockBoundaryFinder {
  /** Offset of the first line not yet scanned (always a line start). */
  private scanned = 0;
  private fence: { char: string; length: number; start: number } | undefined;
  /** What the current (open) block holds that a following blank line could continue. */
  private kind: BlockKind = 'other';
  /** Offset just after the last blank line seen outside a fence, while no non-blank line has followed it. */
  private blankRunEnd: number | undefined;
  private settled = 0;
  /** Every cut made so far, ascending (a renderer catching up renders the settled text in slices between them). */
  private readonly cuts: number[] = [];

  /**
   * Returns the end of the settled prefix of `text`: every block before it is complete. `text` must extend the
   * text of the previous call (streams only grow); call `reset()` otherwise.
   */
  settledEnd(text: string): number {
    for (;;) {
      const nl = text.indexOf('\n', this.scanned);
      if (nl < 0) break;
      this.scanLine(text.slice(this.scanned, nl), this.scanned, nl + 1);
      this.scanned = nl + 1;
    }
    return this.settled;
  }

  /** Where the fenced code block still open at the end of the scanned lines starts (its fence line), if any. */
  get openFenceStart(): number | undefined {
    return this.fence?.start;
  }

  /**
   * Where a slice of settled text starting at `from` (a cut, or 0) should end: the first cut at least `minLength`
   * characters on, or `limit` (itself a cut, or the end of a complete text) when there is none before it.
   */
  nextCut(from: number, minLength: number, limit: number): number {
    let lo = 0;
    let hi = this.cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cuts[mid]! < from + minLength) lo = mid + 1;
      else hi = mid;
    }
    const cut = this.cuts[lo];
    return cut !== undefined && cut < limit ? cut : limit;
  }

  reset(): void {
    this.cuts.length = 0;
    this.scanned = 0;
    this.fence = undefined;
    this.kind = 'other';
    this.blankRunEnd = undefined;
    this.settled = 0;
  }

  private scanLine(line: string, start: number, next: number): void {
    if (this.fence) {
      if (closesFence(line, this.fence)) this.fence = undefined;
      return;
    }
    if (BLANK.test(line)) {
      this.blankRunEnd = next;
      return;
    }
    if (this.blankRunEnd !== undefined && this.startsNewBlock(line)) {
      this.settled = start;
      this.cuts.push(start);
      this.kind = 'other';
    }
    this.blankRunEnd = undefined;
    const open = FENCE_OPEN.exec(line);
    if (open && !(open[1]!.startsWith('`') && open[2]!.includes('`'))) {
      this.fence = { char: open[1]![0]!, length: open[1]!.length, start };
      return;
    }
    if (LIST_ITEM.test(line)) this.kind = 'list';
    else if (QUOTE.test(line) && this.kind !== 'list') this.kind = 'quote';
  }

  private startsNewBlock(line: string): boolean {
    if (INDENTED.test(line)) return false;
    if (this.kind === 'list' && LIST_ITEM.test(line)) return false;
    if (this.kind === 'quote' && QUOTE.test(line)) return false;
    return true;
  }
}

function closesFence(line: string, fence: { char: string; length: number }): boolean {
  const trimmed = line.trim();
  if (trimmed.length < fence.length) return false;
  for (const c of trimmed) if (c !== fence.char) return false;
  return true;
}

/** The settled prefix length of a whole text, in one pass (what the incremental finder must agree with). */
export function settledEnd(text: string): number {
  return new BlockBoundaryFinder().settledEnd(text);
}
