/** A small element builder: the view never builds HTML strings (model text only reaches the DOM sanitised). */
import type { Part } from '../dom';

type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') el.className = value === true ? '' : value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== undefined && child !== false) el.append(child);
  return el;
}

/** An element carrying a `data-part` of the DOM contract (webview/dom.ts). */
export function part<K extends keyof HTMLElementTagNameMap>(tag: K, name: Part, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  return h(tag, { ...attrs, 'data-part': name }, ...children);
}

export function button(label: string, attrs: Attrs = {}): HTMLButtonElement {
  return h('button', { type: 'button', ...attrs }, label);
}

/** Sets text only when it changed: keeps screen readers and layout quiet on every frame. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function show(el: HTMLElement, visible: boolean): void {
  if (el.hidden === visible) el.hidden = !visible;
}

/**
 * Fills `el` with `pieces` joined by ` · `, each piece unbreakable: a narrow view wraps between pieces, never
 * inside one (`.dot-item` is `white-space: nowrap`). Its text is the joined string; unchanged text touches nothing.
 */
export function setDotList(el: HTMLElement, pieces: readonly string[]): void {
  const text = pieces.join(' · ');
  if (el.textContent === text && el.childElementCount === pieces.length * 2 - 1) return;
  const children: Node[] = [];
  pieces.forEach((piece, i) => {
    if (i > 0) children.push(h('span', { class: 'dot-sep', 'aria-hidden': 'true' }, ' · '));
    children.push(h('span', { class: 'dot-item' }, piece));
  });
  el.replaceChildren(...children);
}
