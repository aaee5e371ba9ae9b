/**
 * Model output is untrusted: everything rendered from it passes DOMPurify with this profile. HTML only (no SVG or
 * MathML), no scripts, event handlers, styles, forms, frames or embedded objects, no `data-*` attributes (so model
 * HTML cannot pose as our own buttons or parts), links only to http(s)/mailto, images only as inline raster
 * `data:` images — what the view's CSP loads (`img-src` is the extension's own files and `data:`); the renderer
 * turns remote images into links (markdownHtml.ts), so no image from the model is fetched.
 */
import DOMPurify, { type Config } from 'dompurify';

const SAFE_LINK = /^(?:https?:|mailto:|#)/i;
const SAFE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp);base64,/i;

const CONFIG: Config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'frameset', 'object', 'embed', 'link', 'meta', 'base', 'dialog', 'video', 'audio', 'source', 'track', 'picture'],
  FORBID_ATTR: ['style', 'id', 'name', 'srcset', 'action', 'formaction', 'tabindex', 'autofocus', 'target'],
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

let configured = false;
function configure(): void {
  if (configured) return;
  configured = true;
  // set once: sanitize(html, config) would parse the config again on every call
  DOMPurify.setConfig(CONFIG);
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href');
      if (href !== null && !SAFE_LINK.test(href.trim())) node.removeAttribute('href');
      if (node.hasAttribute('href')) node.setAttribute('title', node.getAttribute('title') ?? node.getAttribute('href') ?? '');
    } else if (node.tagName === 'IMG') {
      const src = node.getAttribute('src');
      if (src !== null && !SAFE_IMAGE.test(src.trim())) node.removeAttribute('src');
    }
  });
}

/** Sanitises `html` into a fragment ready to insert (no second HTML parse). */
export function sanitizeToFragment(html: string): DocumentFragment {
  configure();
  return DOMPurify.sanitize(html) as unknown as DocumentFragment;
}
