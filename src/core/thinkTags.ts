/**
 * Some Qwen builds (and servers without a reasoning parser) leak the thinking into `content` as
 * `<think>…</think>answer`. This splits such content back into reasoning and content while streaming.
 *
 * Only a `<think>` at the very start of the content (after optional whitespace) opens a think block, and only one
 * block per reply: an answer that *talks about* `<think>` tags later on must stay untouched, and models that leak
 * emit the block first. A reply that starts with reasoning and has only a closing `</think>` (the opening tag was
 * in the prompt template) is not recognised: telling it apart from ordinary content would mean holding back the
 * whole answer until the end, which defeats streaming.
 */

export interface TextSegment {
  kind: 'reasoning' | 'content';
  text: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

type SplitterState =
  | 'start' // only whitespace so far: a `<think>` may still come
  | 'inside' // within the think block
  | 'after' // just closed: drop the whitespace that separates the block from the answer
  | 'passthrough'; // no (more) tags possible: content flows through untouched

/** Length of the longest suffix of `s` that is a proper prefix of `tag` (what must be held back). */
export function partialTagSuffixLength(s: string, tag: string): number {
  const max = Math.min(tag.length - 1, s.length);
  for (let k = max; k > 0; k--) {
    if (s.startsWith(tag.slice(0, k), s.length - k)) return k;
  }
  return 0;
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
}

function firstNonWhitespace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (!isWhitespace(s.charAt(i))) return i;
  }
  return -1;
}

export class ThinkTagSplitter {
  private state: SplitterState = 'start';
  /** Text received but not yet classified: leading whitespace and/or a possible partial tag (≤ 8 chars + ws). */
  private held = '';
  /** Drop whitespace right after `<think>` so the reasoning does not start with a blank line. */
  private skipReasoningWhitespace = false;

  private closed = false;

  /** Whether a think block was opened in this content. */
  get sawThinkBlock(): boolean {
    return this.state === 'inside' || this.closed;
  }

  push(text: string): TextSegment[] {
    if (text.length === 0) return [];
    if (this.state === 'passthrough') return [{ kind: 'content', text }];
    const out: TextSegment[] = [];
    this.process(this.held + text, out);
    return out;
  }

  /** End of the content: whatever was held back is released as what it most likely is. */
  flush(): TextSegment[] {
    const held = this.held;
    this.held = '';
    if (held.length === 0) return [];
    if (this.state === 'inside') {
      const text = this.skipReasoningWhitespace ? held.trimStart() : held;
      return text.length > 0 ? [{ kind: 'reasoning', text }] : [];
    }
    return [{ kind: 'content', text: held }];
  }

  private process(s: string, out: TextSegment[]): void {
    this.held = '';
    if (this.state === 'start') {
      const i = firstNonWhitespace(s);
      if (i < 0) {
        this.held = s;
        return;
      }
      if (s.startsWith(OPEN, i)) {
        this.state = 'inside';
        this.skipReasoningWhitespace = true;
        s = s.slice(i + OPEN.length);
      } else if (s.length - i < OPEN.length && OPEN.startsWith(s.slice(i))) {
        this.held = s;
        return;
      } else {
        this.state = 'passthrough';
        out.push({ kind: 'content', text: s });
        return;
      }
    }
    if (this.state === 'inside') {
      const close = s.indexOf(CLOSE);
      if (close < 0) {
        const hold = s.indexOf('<') < 0 ? 0 : partialTagSuffixLength(s, CLOSE);
        this.emitReasoning(s.slice(0, s.length - hold), out);
        this.held = s.slice(s.length - hold);
        return;
      }
      this.emitReasoning(s.slice(0, close), out);
      this.state = 'after';
      this.closed = true;
      s = s.slice(close + CLOSE.length);
    }
    if (this.state === 'after') {
      const i = firstNonWhitespace(s);
      if (i < 0) return; // separator whitespace only: keep waiting for the answer
      this.state = 'passthrough';
      out.push({ kind: 'content', text: s.slice(i) });
      return;
    }
    if (s.length > 0) out.push({ kind: 'content', text: s });
  }

  private emitReasoning(text: string, out: TextSegment[]): void {
    if (this.skipReasoningWhitespace) {
      const i = firstNonWhitespace(text);
      if (i < 0) return;
      this.skipReasoningWhitespace = false;
      text = text.slice(i);
    }
    if (text.length > 0) out.push({ kind: 'reasoning', text });
  }
}

/** Split a complete text in one go (non-streaming replies, tests). */
export function splitThinkTags(text: string): { reasoning: string; content: string } {
  const splitter = new ThinkTagSplitter();
  let reasoning = '';
  let content = '';
  for (const seg of [...splitter.push(text), ...splitter.flush()]) {
    if (seg.kind === 'reasoning') reasoning += seg.text;
    else content += seg.text;
  }
  return { reasoning, content };
}
