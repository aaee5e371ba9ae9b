/**
 * A `Surface` that keeps the streamed render as HTML strings, for checking StreamCore in plain Node: `html()` is
 * what the page would show, merged the way markdownStream.ts merges a slice's head into the list or table before
 * it.
 */
import { CODE_SLOT, fillCodeSlots, type SliceHtml } from '../../../webview/render/markdownHtml';
import type { Surface } from '../../../webview/render/streamCore';

const CLOSERS = { list: /<\/[ou]l>\n$/, table: /<\/tbody><\/table>\n$/ } as const;

export class HtmlSurface implements Surface<number> {
  readonly slices: Array<SliceHtml | undefined> = [];
  tail: SliceHtml | undefined;
  /** How often each operation ran. */
  readonly counts = { append: 0, replace: 0, truncate: 0, tail: 0, grow: 0 };

  append(slice: SliceHtml): number {
    this.counts.append++;
    this.slices.push(slice);
    return this.slices.length - 1;
  }

  replace(handle: number, slice: SliceHtml): boolean {
    this.counts.replace++;
    if (this.slices[handle]?.headKind !== slice.headKind) return false;
    this.slices[handle] = slice;
    return true;
  }

  truncate(handle: number): void {
    this.counts.truncate++;
    this.slices.length = handle;
  }

  showTail(tail: SliceHtml | undefined): void {
    this.counts.tail++;
    this.tail = tail;
  }

  growOpenCode(): boolean {
    this.counts.grow++;
    return true;
  }

  /** The settled slices (and the tail, if asked) as one HTML text. */
  html(withTail = false): string {
    let out = '';
    for (const slice of withTail && this.tail ? [...this.slices, this.tail] : this.slices) {
      if (!slice) throw new Error('a slice is missing');
      const headSlots = slice.head.split(CODE_SLOT).length - 1;
      const head = fillCodeSlots(slice.head, slice.codes.slice(0, headSlots));
      if (head !== '') {
        const closer = CLOSERS[slice.headKind!].exec(out);
        if (!closer) throw new Error(`a ${slice.headKind} continues, but the text before does not end with one: …${out.slice(-80)}`);
        const at = slice.headKind === 'list' ? closer.index : out.length - '</tbody></table>\n'.length;
        out = out.slice(0, at) + head + out.slice(at);
      }
      out += fillCodeSlots(slice.body, slice.codes.slice(headSlots));
    }
    return out;
  }
}
