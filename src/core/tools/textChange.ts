/**
 * The smallest single replacement turning `before` into `after` (common prefix and suffix left alone). The editor
 * adapter applies whole-file writes this way, so cursors, folding and markers outside the change stay where they
 * were, and undo highlights only what changed — still one edit, one undo step.
 */
export interface TextChange {
  /** UTF-16 offsets into `before`. */
  start: number;
  end: number;
  text: string;
}

export function minimalChange(before: string, after: string): TextChange {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // never cut a surrogate pair or a CRLF: editors move such positions to a character boundary, which would misplace
  // the replacement
  while (prefix > 0 && (splitsPair(before, prefix) || splitsPair(after, prefix))) prefix--;
  while (suffix > 0 && (splitsPair(before, before.length - suffix) || splitsPair(after, after.length - suffix))) suffix--;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

/** Whether offset `at` falls between the two halves of a surrogate pair or of a `\r\n`. */
function splitsPair(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return false;
  const prev = text.charCodeAt(at - 1);
  const next = text.charCodeAt(at);
  const surrogates = prev >= 0xd800 && prev <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
  return surrogates || (prev === 13 && next === 10);
}
