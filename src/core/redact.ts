/**
 * Secrets out of text the user or the log will see: the API key in use (a server may echo it in an error) and
 * credentials pasted into a URL's query (`?api_key=…`), so a card, a saved chat or a log line never carries them.
 */

const QUERY_SECRET = /([?&;](?:api[_-]?key|apikey|key|access[_-]?token|token|secret|password)=)[^&#\s"'<>]*/gi;

/** `sk-…d04f`: enough to tell two keys apart, not enough to use one. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '…' : `${key.slice(0, 3)}…${key.slice(-4)}`;
}

export function redactSecrets(text: string, key?: string): string {
  let out = text.replace(QUERY_SECRET, '$1…');
  // Short "keys" (a local server's "none") would mask ordinary words.
  if (key !== undefined && key.length >= 8) out = out.split(key).join(maskKey(key));
  return out;
}
