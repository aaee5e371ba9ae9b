/**
 * Where a streamed answer's rendered slices go on the page (the `Surface` of streamCore.ts): settled slices
 * appended once, the tail's nodes changed in place into each new render of it (`morph`), a slice that continues
 * a list or table putting its items or rows into the list or table already there — so the page ends with exactly
 * the DOM of one render of the whole text.
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
  /** The tail's nodes on the page: items in the open list or table, and blocks. */
  private tailHead: Node[] = [];
  private tailBody: Node[] = [];
  private live: LiveCode | undefined;
  /** Closed code blocks of the last tail render, by language and code. */
  private reusable = new Map<string, HTMLElement[]>();
  private readonly stands: HTMLElement[] = [];

  constructor(private readonly root: HTMLElement) {}

  append(slice: SliceHtml, end: Continuation | undefined): Placed {
    const dom = this.toDom(slice, this.resolver(false));
    const openBefore = this.open;
    // the slice was on screen as (the start of) the tail: change those nodes into it rather than replace them
    const head = this.placeHead(dom.head, slice.headKind, true);
    const top = this.morphTail(this.root, 'body', [...head.wrapper, ...Array.from(dom.body.childNodes)], true);
    this.replaceStandIns();
    const container = end ? containerIn(top, end.kind) : undefined;
    // a slice of items only (no blocks of its own) leaves the same list open
    if (end) this.open = container ? openPart(container) : top.some((n) => n instanceof Element) ? undefined : this.open;
    else this.open = undefined;
    const placed: Placed = { nodes: flatten(head.nodes, top, container), head: head.nodes, top, container, openBefore };
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
    if (!tail) {
      for (const n of [...this.tailHead, ...this.tailBody]) n.parentNode?.removeChild(n);
      this.tailHead = [];
      this.tailBody = [];
      return;
    }
    const used = new Map<string, HTMLElement[]>();
    const dom = this.toDom(tail, this.resolver(true, used));
    this.reusable = used;
    const head = this.placeHead(dom.head, tail.headKind, false);
    this.morphTail(this.root, 'body', [...head.wrapper, ...Array.from(dom.body.childNodes)], false);
    this.replaceStandIns();
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

  /**
   * Puts a slice's head into the open list or table (changing the tail's items there into it); returns the nodes
   * placed, and a wrapper it had to add for them at the top level, if any.
   */
  private placeHead(head: Node[], kind: SliceHtml['headKind'], settled: boolean): { nodes: Node[]; wrapper: Node[] } {
    if (this.open) return { nodes: this.morphTail(this.open, 'head', head, settled), wrapper: [] };
    if (head.length === 0) return { nodes: [], wrapper: [] };
    // the list or table it continues is not on screen (a slice before failed to render): show them on their own
    const wrapper = document.createElement(kind === 'table' ? 'tbody' : 'ul');
    wrapper.append(...head);
    const outer = kind === 'table' ? document.createElement('table') : wrapper;
    if (outer !== wrapper) outer.append(wrapper);
    return { nodes: head, wrapper: [outer] };
  }

  /**
   * Makes the tail's nodes under `parent` (its items in the open list, or its blocks) show `fresh` instead,
   * changing the nodes that are alike in place (a paragraph that grew keeps its element, its text node gets the
   * new text), so a render costs the browser little more than the text that changed. For a settled slice, which
   * is where the tail began, the tail nodes after it stay for the next tail render to change.
   */
  private morphTail(parent: Node, part: 'head' | 'body', fresh: Node[], settled: boolean): Node[] {
    const old = part === 'head' ? this.tailHead : this.tailBody;
    // where the tail begins: before its first node still there (a code block may have moved into `fresh`)
    const first = old.find((n) => n.parentNode === parent);
    const last = first ? first.previousSibling : parent.lastChild;
    const kept = morph(parent, old, fresh, last, settled);
    const rest = settled ? old.filter((n) => n.parentNode === parent && !kept.includes(n)) : [];
    if (part === 'head') this.tailHead = settled ? rest : kept;
    else this.tailBody = settled ? rest : kept;
    return kept;
  }

  private toDom(slice: SliceHtml, resolve: ResolveCode): SliceDom {
    try {
      return sliceToDom(slice, resolve);
    } catch (e) {
      console.error('could not build the rendered markdown; showing the text as is', e);
      return sliceToDom(fallbackSlice(slice.source));
    }
  }

  /** A stand-in for a code block on the page (see `standsFor`), or the block itself if it is not on the page. */
  private standIn(el: HTMLElement): HTMLElement {
    if (!el.isConnected) return el;
    const stand = document.createElement('div');
    standsFor.set(stand, el);
    this.stands.push(stand);
    return stand;
  }

  /** Puts the blocks in for stand-ins that went onto the page inside a new node (not where their block was). */
  private replaceStandIns(): void {
    for (const stand of this.stands.splice(0)) if (stand.isConnected) stand.replaceWith(standsFor.get(stand)!);
  }

  /** Code blocks for one render: kept ones where possible (see the file comment). */
  private resolver(tail: boolean, used?: Map<string, HTMLElement[]>): ResolveCode {
    return (slot, index, all) => {
      if (slot.open && tail) {
        if (!this.live || this.live.language !== slot.language || !this.live.continues(slot.code)) this.live = new LiveCode(slot.language);
        this.live.update(slot.code);
        return this.standIn(this.live.block);
      }
      let el = this.reusable.get(key(slot))?.shift();
      if (el) resumeHighlight(el.querySelector('code')!);
      else if (this.isLiveClosed(slot, index, all)) {
        el = this.live!.finish(slot.code);
        this.live = undefined;
      } else el = buildCodeBlock(slot.language, slot.code);
      used?.set(key(slot), [...(used.get(key(slot)) ?? []), el]);
      return this.standIn(el);
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

/**
 * Puts `fresh` (detached nodes, or nodes kept from elsewhere) into `parent` right after `after` (at its start if
 * null), in place of `old` (nodes there, in order): a node like its counterpart in `old` (same tag and attributes,
 * or both text) is kept and changed to match, recursively; any other is put in. `old` nodes not kept are removed,
 * unless `keepRest`. Returns the nodes now standing for `fresh`, in order.
 */
/**
 * Code blocks kept from the page (the live block, or one reused from the tail) go into a render as stand-ins, so
 * building the render does not take them off the page: `morph` leaves one where it already is (taking it off and
 * putting it back would make the browser style and lay out all of its code again) or puts it where it goes.
 */
const standsFor = new WeakMap<Node, HTMLElement>();

function morph(parent: Node, old: readonly Node[], fresh: readonly Node[], after: Node | null, keepRest = false): Node[] {
  const kept: Node[] = [];
  const reused = new Set<Node>();
  let prev = after;
  fresh.forEach((f, i) => {
    const n = standsFor.get(f) ?? f;
    const o = old[i];
    let node = n;
    if (o === n && o.parentNode === parent) reused.add(o);
    else if (o && o !== n && o.parentNode === parent && alike(o, n)) {
      if (o instanceof CharacterData) {
        if (o.data !== (n as CharacterData).data) o.data = (n as CharacterData).data;
      } else morph(o, Array.from(o.childNodes), Array.from(n.childNodes).map((c) => standsFor.get(c) ?? c), null);
      node = o;
      reused.add(o);
    }
    const at = prev ? prev.nextSibling : parent.firstChild;
    if (at !== node) parent.insertBefore(node, at);
    kept.push(node);
    prev = node;
  });
  if (!keepRest) for (const o of old) if (!reused.has(o) && o.parentNode === parent && !kept.includes(o)) parent.removeChild(o);
  return kept;
}

/**
 * Same kind of node: both text (or comments), or elements with the same tag and attributes. Never a code block:
 * those are kept whole by the resolver (a live block, or one reused from the tail), not changed into another.
 */
function alike(a: Node, b: Node): boolean {
  if (a.nodeType !== b.nodeType) return false;
  if (!(a instanceof Element)) return true;
  const e = b as Element;
  if (a.classList.contains('code-block') || e.classList.contains('code-block')) return false;
  if (a.tagName !== e.tagName || a.attributes.length !== e.attributes.length) return false;
  for (const attr of Array.from(a.attributes)) if (e.getAttribute(attr.name) !== attr.value) return false;
  return true;
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
