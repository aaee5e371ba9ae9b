/**
 * Finds where a streaming markdown text can be cut into pieces that will never render differently, so the
 * renderer renders settled pieces once and re-parses only the growing tail. Pure (no DOM).
 *
 * The cuts come from marked's own block lexer, run on the complete lines of the tail (the text after the last
 * cut): of the blocks it finds, all but the last are final — a later line can extend or change only the block it
 * follows (a paragraph becoming a setext heading, a table growing a row, a fence closing). So the finder agrees
 * with marked on every construct (fences in lists and quotes, tab or 4-space "closing" fences, HTML blocks across
 * blank lines, lazy lines) without re-implementing CommonMark. Exceptions: a link definition followed by a
 * paragraph is not final (the paragraph may turn out to be the definition's title), and the lexer is run on at
 * most a window of text at a time so a long stored answer is cut in small tasks.
 *
 * Cutting only between top-level blocks would leave a long list or table as one ever-growing tail, so the finder
 * also cuts inside them: before the last item of a list (the items before it are complete) and after the last
 * row of a table. The text after such a cut is lexed with a stand-in context (see `Continuation`): a list item
 * parses the same on its own as within its list, a table row needs the table's header. Whether a list is loose
 * is decided by all of its items, so the finder tracks it per list (`ListInfo`) and reports when it changes.
 *
 * While the tail ends in an open fenced code block (the commonest long tail), new lines are only checked for a
 * closing fence; the tail is not lexed again until one comes.
 */
import type { Token, Tokens } from 'marked';
import { deepLineAt, lineEnd } from './markdownLines';
import { isOpenFence, lexBlocks, type Continuation, type ListInfo } from './markdownHtml';
import { fenceInItem, isCodeLine, openFenceAt, type OpenFence } from './openFence';

export type { OpenFence } from './openFence';

export interface Cut {
  readonly at: number;
  /** What the text from `at` continues (a list or a table cut inside), if anything. */
  readonly cont: Continuation | undefined;
  /** marked cannot lex the text from the cut before to this one: it must be a slice of its own. */
  readonly unparsed?: true;
}


/** Characters lexed per window, doubled while a window holds no cut (one block longer than it). */
const WINDOW = 8_000;
/** Most characters lexed in one `settledEnd` call (the rest in later calls). */
const LEX_PER_CALL = 16_000;
const ITEM_MARKER = /^( {0,3})([*+-]|\d{1,9}[.)])/;

interface Snapshot {
  settled: number;
  cont: Continuation | undefined;
  cuts: number;
  lexedTo: number;
  fence: OpenFence | undefined;
  fenceCheckedTo: number;
  loose: boolean | undefined;
}

export class BlockBoundaryFinder {
  private settled = 0;
  /** What the text from `settled` continues. */
  private cont: Continuation | undefined;
  private readonly cutList: Cut[] = [];
  /** End of the text the last lex covered. */
  private lexedTo = 0;
  private complete = false;
  private fence: OpenFence | undefined;
  private fenceCheckedTo = 0;
  private window = WINDOW;
  private loosened: ListInfo[] = [];
  private lexes = 0;
  private beforeComplete: Snapshot | undefined;
  private more = false;
  private deepCheckedTo = 0;

  /**
   * Returns the end of the settled prefix of `text`: the text before it renders the same whatever follows.
   * `text` must extend the text of the previous call (streams only grow).
   */
  settledEnd(text: string): number {
    let budget = LEX_PER_CALL;
    this.more = false;
    for (;;) {
      const end = this.complete ? text.length : text.lastIndexOf('\n') + 1;
      if (end <= this.settled || end <= this.lexedTo) break;
      if (!this.complete && this.fence && this.stillInFence(text, end)) break;
      if (budget <= 0) {
        this.more = true;
        break;
      }
      let windowEnd = end - this.settled > this.window ? lineEnd(text, this.settled + this.window, end) : end;
      const before = this.settled;
      const deep = deepLineAt(text, Math.max(before, this.deepCheckedTo), windowEnd);
      this.deepCheckedTo = deep < 0 ? windowEnd : deep;
      if (deep === before) {
        this.addCut(lineEnd(text, deep, end), undefined, true);
        this.lexedTo = this.settled;
        continue;
      }
      if (deep > 0) windowEnd = deep;
      budget -= windowEnd - before;
      if (this.lex(text, windowEnd, this.complete && windowEnd === end)) {
        // nothing parses together with a line too deeply nested: what is before it is settled as it is
        if (deep > 0 && this.settled === before) this.addCut(deep, undefined);
        this.lexedTo = windowEnd;
        this.window = this.settled === before && windowEnd < end ? this.window * 2 : WINDOW;
      } else {
        this.recover(text, windowEnd);
        this.lexedTo = this.settled; // go on from the cut it made
      }
    }
    return this.settled;
  }

  /** Whether the last `settledEnd` stopped at its lexing budget with lines left to lex (call it again later). */
  get hasMore(): boolean {
    return this.more;
  }

  /** The text is complete (its last line too): `settledEnd` goes on to its end. */
  finish(): void {
    if (this.complete) return;
    this.beforeComplete = {
      settled: this.settled,
      cont: this.cont,
      cuts: this.cutList.length,
      lexedTo: this.lexedTo,
      fence: this.fence,
      fenceCheckedTo: this.fenceCheckedTo,
      loose: this.cont?.kind === 'list' ? this.cont.list.loose : undefined,
    };
    this.complete = true;
    this.lexedTo = this.settled; // lex the tail again: its last block is final now
    this.fence = undefined;
  }

  /** Undoes `finish()`: more text follows after all. Returns the settled end from before `finish()`. */
  reopen(): number {
    const s = this.beforeComplete;
    if (!this.complete || !s) return this.settled;
    this.complete = false;
    this.beforeComplete = undefined;
    Object.assign(this, { settled: s.settled, cont: s.cont, lexedTo: s.lexedTo, fence: s.fence, fenceCheckedTo: s.fenceCheckedTo });
    this.cutList.length = s.cuts;
    if (s.cont?.kind === 'list' && s.loose !== undefined) s.cont.list.loose = s.loose;
    return this.settled;
  }

  /** Every cut so far, ascending. */
  get cuts(): readonly Cut[] {
    return this.cutList;
  }

  /** Whether the text between the cut before `end` and `end` (a cut) is text marked cannot be given. */
  isUnparsed(end: number): boolean {
    const cut = this.cutList[this.firstCutAtOrAfter(end)];
    return cut?.at === end && cut.unparsed === true;
  }

  /** What the text from `offset` (0 or a cut) continues. */
  continuationAt(offset: number): Continuation | undefined {
    if (offset === 0) return undefined;
    const i = this.firstCutAtOrAfter(offset);
    const cut = this.cutList[i];
    if (cut?.at !== offset) throw new Error(`no cut at ${offset}`);
    return cut.cont;
  }

  /**
   * Where a slice of settled text starting at `from` (a cut, or 0) should end: the first cut at least `minLength`
   * characters on, or `limit` (itself a cut, or the end of a complete text) when there is none before it.
   */
  nextCut(from: number, minLength: number, limit: number): number {
    for (let i = this.firstCutAtOrAfter(from + 1); i < this.cutList.length && this.cutList[i]!.at < limit; i++) {
      const cut = this.cutList[i]!;
      // text marked cannot lex goes in a slice of its own (it renders as plain text)
      if (cut.unparsed || this.cutList[i + 1]?.unparsed || cut.at >= from + minLength) return cut.at;
    }
    return limit;
  }

  /** The open fenced code block the tail ends in, while the tail is not lexed again (see the file comment). */
  get openFence(): OpenFence | undefined {
    return this.fence;
  }

  /** Counts the lexes of the tail: while it stays the same, the tail's blocks did not change but for open code. */
  get version(): number {
    return this.lexes;
  }

  /** Lists found loose since the last call (their pieces rendered tight must be rendered again). */
  takeLoosened(): ListInfo[] {
    return this.loosened.splice(0);
  }

  private firstCutAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.cutList.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cutList[mid]!.at < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private addCut(at: number, cont: Continuation | undefined, unparsed = false): void {
    if (at <= this.settled) return;
    this.cutList.push(unparsed ? { at, cont, unparsed: true } : { at, cont });
    this.settled = at;
    this.cont = cont;
  }

  /** Lexes the tail up to `to` (a line end) and cuts it; `final` when the text ends there. False if marked failed. */
  private lex(text: string, to: number, final: boolean): boolean {
    this.lexes++;
    this.fence = undefined;
    const base = this.settled;
    const tail = text.slice(base, to);
    const prefix = this.cont?.kind === 'table' ? this.cont.header : '';
    let tokens: Token[];
    try {
      tokens = lexBlocks(prefix + tail);
    } catch {
      return false;
    }
    const starts: number[] = [];
    let pos = -prefix.length;
    for (const t of tokens) {
      starts.push(pos);
      pos += t.raw.length;
    }
    if (pos !== tail.length) return true; // not how marked lexes; cut nothing rather than guess
    this.noteLooseness(tokens);
    let last = tokens.length - 1;
    while (last >= 0 && tokens[last]!.type === 'space') last--;
    let j = last;
    while (!final && j > 0 && tokens[j - 1]!.type === 'def' && (tokens[j]!.type === 'paragraph' || tokens[j]!.type === 'text')) j--;
    const cont = this.cont;
    // every block before `j` is final: cut before each, and inside lists and tables (so a long one settles in
    // parts); the last block is cut inside too, up to its last item or row
    for (let i = 0; i <= j; i++) {
      const block = tokens[i]!;
      if (block.type === 'space') continue;
      const start = base + starts[i]!;
      this.addCut(start, undefined);
      if (i === j && j !== last) break;
      const continues = i === 0 && starts[0]! <= 0 ? cont : undefined;
      const growing = !final && i === last;
      if (block.type === 'list') this.cutInList(block as Tokens.List, start, continues, growing, text, to);
      else if (block.type === 'table') this.cutTable(block as Tokens.Table, start, continues, growing, to);
      else if (growing && block.type === 'code' && isOpenFence(block.raw) && starts[i]! >= 0) this.watch(openFenceAt(block.raw, 0, text.indexOf('\n', start) + 1), to);
    }
    if (final) this.addCut(to, undefined);
    return true;
  }

  /**
   * marked gave up on the tail up to `to` (nesting too deep for its recursion). Finds the longest prefix it can
   * lex and cuts that as usual, or settles all of it; when the tail starts with a line marked cannot lex, settles
   * that line alone: the renderer shows it as text, and parsing goes on after it.
   */
  private recover(text: string, to: number): void {
    const from = this.settled;
    let ok = from;
    let fails = to;
    for (;;) {
      const half = ok + Math.floor((fails - ok) / 2);
      let mid = lineEnd(text, half, fails);
      if (mid >= fails) mid = text.lastIndexOf('\n', half - 1) + 1; // the line end before, then
      if (mid <= ok || mid >= fails) break;
      if (this.lex(text, mid, false)) {
        if (this.settled > from) return;
        ok = mid;
      } else fails = mid;
    }
    // what lexes settles as it is (its last block cannot be lexed together with the next line anyway), then the
    // first line that cannot be lexed alone
    if (this.settled === from) this.addCut(ok > from ? ok : fails, undefined, ok === from);
  }

  /**
   * Cuts before each item of a list but the first; for the growing last block of the tail, watches an open fence
   * at the end of its last item.
   */
  private cutInList(list: Tokens.List, start: number, continues: Continuation | undefined, growing: boolean, text: string, to: number): void {
    const info: ListInfo = continues?.kind === 'list' ? continues.list : { loose: list.loose };
    let itemStart = start;
    list.items.forEach((item, k) => {
      if (k > 0) {
        const marker = ITEM_MARKER.exec(item.raw);
        if (!marker) return;
        const dummy = `${marker[1]}${list.ordered ? `1${marker[2]!.slice(-1)}` : marker[2]} x\n`;
        this.addCut(itemStart, { kind: 'list', list: info, dummy });
      }
      if (k < list.items.length - 1) itemStart += item.raw.length;
    });
    if (growing && itemStart === this.settled) this.watch(fenceInItem(list.items[list.items.length - 1]!, itemStart, text, to), to);
  }

  /** Cuts after each row of a table (rows are complete once their line is) but, for a finished table, the last. */
  private cutTable(table: Tokens.Table, start: number, continues: Continuation | undefined, growing: boolean, to: number): void {
    const lines = table.raw.replace(/\n+$/, '').split('\n');
    const header = continues?.kind === 'table' ? continues.header : `${lines.slice(0, 2).join('\n')}\n`;
    let end = start;
    lines.forEach((line, k) => {
      end += line.length + 1;
      if (k >= 2 && end <= to && (growing || k < lines.length - 1)) this.addCut(end, { kind: 'table', header });
    });
  }

  private watch(fence: OpenFence | undefined, to: number): void {
    this.fence = fence;
    this.fenceCheckedTo = to;
  }

  /** Whether every line up to `end` is still code of the open fence (then nothing needs lexing). */
  private stillInFence(text: string, end: number): boolean {
    let pos = this.fenceCheckedTo;
    while (pos < end) {
      const nl = text.indexOf('\n', pos);
      const line = text.slice(pos, nl);
      pos = nl + 1;
      if (!isCodeLine(line, this.fence!)) {
        this.fence = undefined;
        return false;
      }
    }
    this.fenceCheckedTo = end;
    return true;
  }

  private noteLooseness(tokens: Token[]): void {
    const cont = this.cont;
    const first = tokens[0];
    if (cont?.kind !== 'list' || first?.type !== 'list' || !(first as Tokens.List).loose || cont.list.loose) return;
    cont.list.loose = true;
    this.loosened.push(cont.list);
  }
}

/** The settled prefix length of a whole text, in one pass (what the incremental finder must agree with). */
export function settledEnd(text: string): number {
  return new BlockBoundaryFinder().settledEnd(text);
}
