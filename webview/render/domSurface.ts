/**
 * Where a streamed answer's rendered slices go on the page (the `Surface` of streamCore.ts): settled slices
 * appended once, the tail replaced on each render, a slice that continues a list or table moving its items or rows
 * into the list or table already there — so the page ends with exactly the DOM of one render of the whole text.
 *
 * Code blocks are kept across renders where they can be: the open block at the end of the tail is a `LiveCode`
 * that grows in place, and a closed block of the tail is reused by the next render of the same code (the tail's
 * next frame, or the settled slice it becomes), so it is not built and highlighted again and its Copy button
 * stays the same element.
 */
import { buildCodeBlock, LiveCode } from './liveCode';
import { resumeHighlight } from './highlightLater';
import { sliceToDom, type ResolveCode, type SliceDom } from './markdown';
import { fallbackSlice, type CodeSlot, type Continuation, type SliceHtml } from './markdownHtml';
import type { Surface } from './streamCore';

export interface Placed {
  /** Head nodes (in the list or table before), then the body's nodes, a list or table left open as its own parts. */
  nodes: Node[];
  head: Node[];
  /** The body's top-level nodes. */
  top: Node[];
  /** The list or table (top-level) this slice leaves open for the next one, if any. */
  container: Element | undefined;
  openBefore: Element | undefined;
}

const key = (slot: CodeSlot): string => `${slot.language}\u0000${slot.code}`;

export class DomSurface implements Surface<Placed> {
  /** The list, or the table body, the next slice's head goes into. */
  private open: Element | undefined;
  private readonly placed: Placed[] = [];
  private tailNodes: Node[] = [];
  private live: LiveCode | undefined;
  /** Closed code blocks of the last tail render, by language and code. */
  private reusable = new Map<string, HTMLElement[]>();

  constructor(private readonly root: HTMLElement) {}

  append(slice: SliceHtml, end: Continuation | undefined): Placed {
    const dom = this.toDom(slice, this.resolver(false));
    const openBefore = this.open;
    const top = [...this.placeHead(dom.head, slice.headKind), ...Array.from(dom.body.childNodes)];
    this.root.append(dom.body);
    const container = end ? containerIn(top, end.kind) : undefined;
    // a slice of items only (no blocks of its own) leaves the same list open
    if (end) this.open = container ? openPart(container) : top.some((n) => n instanceof Element) ? undefined : this.open;
    else this.open = undefined;
    const placed: Placed = { nodes: flatten(dom.head, top, container), head: dom.head, top, container, openBefore };
    this.placed.push(placed);
    return placed;
  }

  replace(handle: Placed, slice: SliceHtml): boolean {
    let dom: SliceDom;
    try {
      dom = sliceToDom(slice);
    } catch {
      return false;
    }
    const top = Array.from(dom.body.childNodes);
    const container = handle.container ? containerIn(top, handle.container.tagName === 'TABLE' ? 'table' : 'list') : undefined;
    const nodes = flatten(dom.head, top, container);
    if (nodes.length !== handle.nodes.length || (container && !sameShell(container, handle.container!))) return false;
    nodes.forEach((node, i) => handle.nodes[i]!.parentNode?.replaceChild(node, handle.nodes[i]!));
    handle.nodes = nodes;
    handle.head = dom.head;
    // the list or table element itself stays: later slices' items are in it
    handle.top = top.map((n) => (n === container ? handle.container! : n));
    return true;
  }

  truncate(handle: Placed): void {
    const i = this.placed.indexOf(handle);
    if (i < 0) return;
    for (const p of this.placed.slice(i)) for (const n of [...p.head, ...p.top]) n.parentNode?.removeChild(n);
    this.open = handle.openBefore;
    this.placed.length = i;
  }

  showTail(tail: SliceHtml | undefined): void {
    for (const n of this.tailNodes) n.parentNode?.removeChild(n);
    this.tailNodes = [];
    if (!tail) return;
    const used = new Map<string, HTMLElement[]>();
    const dom = this.toDom(tail, this.resolver(true, used));
    this.reusable = used;
    this.tailNodes = [...dom.head, ...this.placeHead(dom.head, tail.headKind), ...Array.from(dom.body.childNodes)];
    this.root.append(dom.body);
  }

  growOpenCode(code: string): boolean {
    if (!this.live) return false;
    this.live.update(code);
    return true;
  }

  /** The stream is over: nothing more to reuse. */
  clear(): void {
    this.live = undefined;
    this.reusable.clear();
  }

  /** Puts a slice's head into the open list or table; returns a wrapper it had to add for it, if any. */
  private placeHead(head: Node[], kind: SliceHtml['headKind']): Node[] {
    if (head.length === 0) return [];
    if (this.open) {
      this.open.append(...head);
      return [];
    }
    // the list or table it continues is not on screen (a slice before failed to render): show them on their own
    const wrapper = document.createElement(kind === 'table' ? 'tbody' : 'ul');
    wrapper.append(...head);
    const outer = kind === 'table' ? document.createElement('table') : wrapper;
    if (outer !== wrapper) outer.append(wrapper);
    this.root.append(outer);
    return [outer];
  }

  private toDom(slice: SliceHtml, resolve: ResolveCode): SliceDom {
    try {
      return sliceToDom(slice, resolve);
    } catch (e) {
      console.error('could not build the rendered markdown; showing the text as is', e);
      return sliceToDom(fallbackSlice(slice.source));
    }
  }

  /** Code blocks for one render: kept ones where possible (see the file comment). */
  private resolver(tail: boolean, used?: Map<string, HTMLElement[]>): ResolveCode {
    return (slot, index, all) => {
      if (slot.open && tail) {
        if (!this.live || this.live.language !== slot.language || !this.live.continues(slot.code)) this.live = new LiveCode(slot.language);
        this.live.update(slot.code);
        return this.live.block;
      }
      let el = this.reusable.get(key(slot))?.shift();
      if (el) resumeHighlight(el.querySelector('code')!);
      else if (this.isLiveClosed(slot, index, all)) {
        el = this.live!.finish(slot.code);
        this.live = undefined;
      } else el = buildCodeBlock(slot.language, slot.code);
      used?.set(key(slot), [...(used.get(key(slot)) ?? []), el]);
      return el;
    };
  }

  /**
   * Whether `slot` is the live block, closed: the last closed block of its language whose code goes on from what
   * the live block shows.
   */
  private isLiveClosed(slot: CodeSlot, index: number, all: readonly CodeSlot[]): boolean {
    const live = this.live;
    const candidate = (s: CodeSlot): boolean => !s.open && s.language === live!.language && live!.continues(s.code);
    if (!live || !candidate(slot)) return false;
    for (let i = index + 1; i < all.length; i++) if (candidate(all[i]!)) return false;
    return true;
  }
}

/** The list or table at the end of a slice's blocks, if its last element is one. */
function containerIn(top: Node[], kind: Continuation['kind']): Element | undefined {
  for (let i = top.length - 1; i >= 0; i--) {
    const n = top[i]!;
    if (!(n instanceof Element)) continue;
    const ok = kind === 'list' ? n.tagName === 'OL' || n.tagName === 'UL' : n.tagName === 'TABLE' && (n as HTMLTableElement).tBodies.length === 1;
    return ok ? n : undefined;
  }
  return undefined;
}

/** Where the next slice's items or rows go: the list itself, or the table's body. */
function openPart(container: Element): Element {
  return container.tagName === 'TABLE' ? (container as HTMLTableElement).tBodies[0]! : container;
}

/** The nodes of a slice that a render of the same text again replaces one for one. */
function flatten(head: Node[], top: Node[], container: Element | undefined): Node[] {
  return [
    ...head,
    ...top.flatMap((n) => {
      if (n !== container) return [n];
      if (container.tagName !== 'TABLE') return Array.from(n.childNodes);
      const table = n as HTMLTableElement;
      return [table.tHead!, ...Array.from(table.tBodies[0]!.childNodes)];
    }),
  ];
}

/** Same element with the same attributes (a list's `start`), whatever its children. */
function sameShell(a: Element, b: Element): boolean {
  return a.tagName === b.tagName && a.getAttribute('start') === b.getAttribute('start');
}
