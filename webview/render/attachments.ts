/** Attachment chips: label, language and line range; removable while they wait in the composer. */
import type { AttachmentView } from '../../src/protocol/chat';
import { PART } from '../dom';
import { button, h, part } from './el';

export function attachmentLabel(a: AttachmentView): string {
  const lines = a.startLine === undefined ? '' : a.endLine === undefined || a.endLine === a.startLine ? `:${a.startLine}` : `:${a.startLine}-${a.endLine}`;
  return `${a.label}${lines}`;
}

/** A chip; with `removable`, a × button carrying `data-attachment-id` (the composer handles its click). */
export function attachmentChip(a: AttachmentView, removable: boolean): HTMLElement {
  const title = `${attachmentLabel(a)}${a.language ? ` (${a.language})` : ''}${a.truncated ? ' — truncated' : ''}`;
  return part(
    'span',
    PART.attachmentChip,
    { class: 'chip', title, 'data-attachment-id': a.id },
    h('span', { class: 'chip-label' }, attachmentLabel(a)),
    a.language ? h('span', { class: 'chip-language' }, a.language) : undefined,
    removable ? button('×', { class: 'chip-remove', 'aria-label': `Remove ${attachmentLabel(a)}`, 'data-remove-attachment': a.id }) : undefined,
  );
}
