/**
 * Pure helpers of `run_command` that do not depend on the editor: the output cap (head and tail kept, the middle
 * dropped with a marker) and the environment a model's command runs with. The process itself is started by
 * `src/vscode/commandRunner.ts`.
 */

/**
 * Keeps the first and the last bytes of a stream up to `capBytes` in all (half each): a failing build prints its
 * cause at the end and its command line at the start, while the middle is usually repetition. Memory stays bounded
 * by the cap plus one chunk, however much the command prints.
 */
export class CappedOutput {
  readonly #headCap: number;
  readonly #tailCap: number;
  readonly #head: Uint8Array[] = [];
  #headLength = 0;
  #tail: Uint8Array[] = [];
  #tailLength = 0;
  #total = 0;

  constructor(capBytes: number) {
    const cap = Math.max(0, Math.floor(capBytes));
    this.#headCap = Math.ceil(cap / 2);
    this.#tailCap = cap - this.#headCap;
  }

  push(chunk: Uint8Array): void {
    this.#total += chunk.length;
    let rest = chunk;
    if (this.#headLength < this.#headCap) {
      const take = Math.min(this.#headCap - this.#headLength, rest.length);
      this.#head.push(rest.slice(0, take));
      this.#headLength += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.#tailCap === 0) return;
    this.#tail.push(rest.slice());
    this.#tailLength += rest.length;
    // drop whole chunks that lie entirely before the last tailCap bytes
    while (this.#tail.length > 1 && this.#tailLength - (this.#tail[0]?.length ?? 0) >= this.#tailCap) {
      this.#tailLength -= this.#tail.shift()?.length ?? 0;
    }
  }

  /** The kept text (UTF-8; a character cut by the cap is left out rather than shown as garbage). */
  result(): { output: string; truncated: boolean; droppedBytes: number } {
    const head = concat(this.#head);
    const tailAll = concat(this.#tail);
    const tail = tailAll.subarray(Math.max(0, tailAll.length - this.#tailCap));
    if (head.length + tail.length === this.#total) {
      // nothing dropped: head and tail are contiguous, so decode them together (no character is split)
      return { output: decode(concat([head, tail])), truncated: false, droppedBytes: 0 };
    }
    const keptHead = trimIncompleteEnd(head);
    const keptTail = trimIncompleteStart(tail);
    const droppedBytes = this.#total - keptHead.length - keptTail.length;
    const output = `${decode(keptHead)}\n[… ${droppedBytes} bytes of output omitted …]\n${decode(keptTail)}`;
    return { output, truncated: true, droppedBytes };
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const decode = (bytes: Uint8Array): string => new TextDecoder('utf-8').decode(bytes);

const isContinuation = (byte: number | undefined): boolean => byte !== undefined && (byte & 0xc0) === 0x80;

/** Drops a UTF-8 sequence the cut left unfinished at the end. */
export function trimIncompleteEnd(bytes: Uint8Array): Uint8Array {
  let i = bytes.length - 1;
  while (i >= 0 && bytes.length - i <= 3 && isContinuation(bytes[i])) i--;
  if (i < 0) return bytes;
  const lead = bytes[i] ?? 0;
  const needs = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return needs > bytes.length - i ? bytes.subarray(0, i) : bytes;
}

/** Drops the continuation bytes of a character the cut began in the middle of. */
export function trimIncompleteStart(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length && i < 3 && isContinuation(bytes[i])) i++;
  return bytes.subarray(i);
}

/**
 * Variables a model's command never sees. The model decides what runs (the user approves its text, not what a
 * script it calls reads), so a prompt injection could print the environment: our own key (`DASHSCOPE_API_KEY`, the
 * fallback when none is stored) and, by the same reasoning, any other `*_API_KEY` (OpenAI, Anthropic, Gemini…) are
 * removed. Other credentials (`GITHUB_TOKEN`, `AWS_*`, SSH agent) stay: git, gh and cloud CLIs the user asks for
 * need them, and their names are too varied to guess without breaking ordinary commands.
 */
export const HIDDEN_ENV = /(^|_)API_?KEY$/i;

export function commandEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !HIDDEN_ENV.test(name)) out[name] = value;
  }
  return out;
}
