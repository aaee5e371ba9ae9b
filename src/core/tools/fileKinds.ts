/**
 * What kind of file a path or some bytes look like: secrets (asked before the model reads them) and binary files
 * (refused, since line numbers and edits make no sense for them). Pure functions over names and bytes.
 */

/** Extensions of source files: `credentials.ts` or `secrets.py` are code about secrets, not secrets. */
const SOURCE_EXTENSIONS = new Set([
  'ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'py', 'rb', 'go', 'rs', 'java', 'kt', 'cs', 'c', 'h', 'cpp', 'hpp', 'swift',
  'php', 'scala', 'md', 'txt', 'rst', 'html', 'css', 'vue', 'svelte', 'test', 'spec', 'sh', 'lua', 'dart', 'ex', 'exs',
]);

/** Templates that are committed on purpose and hold placeholders, not values. */
const ENV_TEMPLATES = new Set(['example', 'sample', 'template', 'dist', 'defaults']);

const SECRET_EXTENSIONS = new Set(['pem', 'key', 'p12', 'pfx', 'jks', 'keystore', 'kdbx', 'ppk', 'gpg', 'asc']);

const SECRET_NAMES = new Set([
  '.npmrc', '.netrc', '_netrc', '.pypirc', '.pgpass', '.git-credentials', '.htpasswd', '.dockercfg', '.yarnrc.yml',
  'secrets.json', 'secrets.yaml', 'secrets.yml', 'service-account.json',
]);

/** Directories whose whole content is key material. */
const SECRET_DIRS = new Set(['.ssh', '.gnupg', '.aws', '.docker', '.kube']);

/**
 * True for files that usually hold credentials: `.env`/`.env.local` (not `.env.example`), keys and keystores,
 * `id_rsa`-style SSH keys (an `id_` name without an extension or with `.pub`, not `id_utils.ts`), `.npmrc`,
 * `.netrc`, `credentials`/`credentials.json` (not `credentials.ts`), anything under `.ssh/` or `.aws/`.
 */
export function isSecretLooking(relativePath: string): boolean {
  const segments = relativePath.split(/[\\/]/).filter((s) => s !== '');
  const base = (segments[segments.length - 1] ?? '').toLowerCase();
  if (segments.slice(0, -1).some((s) => SECRET_DIRS.has(s.toLowerCase()))) return true;
  if (SECRET_NAMES.has(base)) return true;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1) : '';
  if (base === '.env' || base.endsWith('.env')) return true;
  if (base.startsWith('.env.')) return !ENV_TEMPLATES.has(base.slice('.env.'.length));
  if (SECRET_EXTENSIONS.has(ext)) return true;
  // SSH keys: id_rsa, id_ed25519, id_ecdsa_sk and their .pub halves; a dotted name like id_utils.ts is source.
  if (/^id_[a-z0-9_]+(\.pub)?$/.test(base)) return true;
  if (/^(credentials|secrets?)([._-]|$)/.test(base)) return !SOURCE_EXTENSIONS.has(ext);
  return false;
}

/** The last segment of a path in either separator style (a link target's own name). */
export function lastSegment(path: string): string {
  return path.split(/[\\/]/).filter((s) => s !== '').pop() ?? '';
}

const SNIFF_BYTES = 8192;

/**
 * A NUL byte in the first 8 KB (what git and grep use), or more than 10% of that prefix not decoding as UTF-8.
 * The last 3 bytes of the sniffed prefix are ignored, since the cut may fall inside one character.
 */
export function isProbablyBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (head.includes(0)) return true;
  const sample = head.length === SNIFF_BYTES ? head.subarray(0, SNIFF_BYTES - 3) : head;
  if (sample.length === 0) return false;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(sample);
  let invalid = 0;
  for (const ch of text) if (ch === '\uFFFD') invalid++;
  return invalid / sample.length > 0.1;
}

/** The file's text as UTF-8. A BOM is kept so that a rewrite writes it back. */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
}
