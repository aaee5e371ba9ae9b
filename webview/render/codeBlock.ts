/** A code block's frame: the toolbar (language, Copy, Insert) built as DOM, so only our own code makes buttons. */
import { button, h } from './el';

/** Wraps `pre` (in place, when it has a parent) in a code block with its toolbar; returns the block. */
export function codeBlock(pre: HTMLPreElement, language: string): HTMLElement {
  const toolbar = h(
    'div',
    { class: 'code-toolbar' },
    h('span', { class: 'code-language' }, language || 'text'),
    button('Copy', { 'data-action': 'copy', 'aria-label': `Copy ${language || 'code'} block`, title: 'Copy' }),
    button('Insert', { 'data-action': 'insert', 'aria-label': `Insert ${language || 'code'} block at the cursor`, title: 'Insert at cursor' }),
  );
  pre.tabIndex = 0; // the arrow keys scroll a long line
  const block = h('div', { class: 'code-block' });
  pre.parentNode?.insertBefore(block, pre);
  block.append(toolbar, pre);
  return block;
}

/** The code of the block a toolbar button belongs to (without the trailing newline the renderer adds). */
export function codeOfBlock(buttonEl: Element): string | undefined {
  const code = buttonEl.closest('.code-block')?.querySelector('pre code');
  if (!code) return undefined;
  return (code.textContent ?? '').replace(/\n$/, '');
}
