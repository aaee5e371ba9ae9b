/**
 * Markdown → sanitised DOM. markdownHtml.ts renders the HTML (marked, raw HTML reduced to a few bare tags, code
 * blocks as placeholders), DOMPurify cleans it, and the code blocks are built as DOM after sanitising
 * (liveCode.ts), so only our own code makes buttons and highlighted markup is never parsed by DOMPurify again.
 */
import { buildCodeBlock } from './liveCode';
import { CODE_SLOT, renderSliceHtml, type CodeSlot, type SliceHtml } from './markdownHtml';
import { sanitizeToFragment } from './sanitize';

export { codeBlock, codeOfBlock } from './codeBlock';
export { escapeHtml, markdownToHtml } from './markdownHtml';

/** Builds the element for the code block in slot `index` of a slice (`all`: the slice's code blocks). */
export type ResolveCode = (slot: CodeSlot, index: number, all: readonly CodeSlot[]) => HTMLElement;

export interface SliceDom {
  /** Items or rows continuing the list or table before the slice. */
  head: Node[];
  body: DocumentFragment;
}

const SLOT_SELECTOR = `pre.${/class="([^"]+)"/.exec(CODE_SLOT)![1]}`;
const build: ResolveCode = (slot) => buildCodeBlock(slot.language, slot.code);

/** A rendered slice as sanitised DOM, its code blocks filled in by `resolve`. */
export function sliceToDom(slice: SliceHtml, resolve: ResolveCode = build): SliceDom {
  let k = 0;
  const fill = (root: ParentNode): void => {
    for (const slot of Array.from(root.querySelectorAll(SLOT_SELECTOR))) {
      const code = slice.codes[k];
      if (!code) throw new Error('more code placeholders than code blocks');
      slot.replaceWith(resolve(code, k++, slice.codes));
    }
  };
  let head: Node[] = [];
  if (slice.head !== '') {
    const list = slice.headKind === 'list';
    const wrapped = sanitizeToFragment(list ? `<ul>${slice.head}</ul>` : `<table><tbody>${slice.head}</tbody></table>`);
    const wrapper = wrapped.querySelector(list ? 'ul' : 'tbody');
    if (!wrapper) throw new Error(`continued ${slice.headKind} lost in sanitising`);
    fill(wrapper);
    head = Array.from(wrapper.childNodes);
  }
  const body = sanitizeToFragment(slice.body);
  fill(body);
  if (k !== slice.codes.length) throw new Error('code blocks lost in sanitising');
  return { head, body };
}

/** Renders a whole markdown text to a sanitised fragment (long code blocks get highlighted in later tasks). */
export function renderMarkdown(markdown: string): DocumentFragment {
  return sliceToDom(renderSliceHtml(markdown.replace(/\r\n?/g, '\n'))).body;
}
