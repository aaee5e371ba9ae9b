/**
 * A fenced code block still open at the end of a streamed text — the commonest long tail — and how its source
 * lines map to code, so the finder can skip lexing while lines are only code (blockBoundary.ts) and the renderer
 * can grow the block without parsing (streamCore.ts, liveCode.ts). Covers a fence at the top level and one in a
 * list's last item; anything else (a quote, tabs in an item) is lexed every time instead.
 */
import type { Token, Tokens } from 'marked';
import { isOpenFence } from './markdownHtml';

export interface OpenFence {
  /** Offset of the first code line (the line after the fence). */
  readonly codeStart: number;
  /** Columns each line carries for its container (a list item's content column); 0 at the top level. */
  readonly indent: number;
  /** Spaces marked strips from each code line for the fence's own indentation. */
  readonly fenceIndent: number;
  readonly char: string;
  readonly length: number;
}

const CLOSING_FENCE = /^ {0,3}(`+|~+) *$/;

/** The open fence whose line (`fenceLine`, without its container's indentation) ends just before `codeStart`. */
export function openFenceAt(fenceLine: string, indent: number, codeStart: number): OpenFence | undefined {
  const m = /^( {0,3})(`{3,}|~{3,})/.exec(fenceLine);
  if (!m) return undefined;
  return {
    codeStart,
    indent,
    // marked strips the fence's indentation from its code only for backtick fences
    fenceIndent: m[2]![0] === '`' ? m[1]!.length : 0,
    char: m[2]![0]!,
    length: m[2]!.length,
  };
}

function lastOf(tokens: Token[]): Token | undefined {
  for (let i = tokens.length - 1; i >= 0; i--) if (tokens[i]!.type !== 'space') return tokens[i];
  return undefined;
}

/** The open fence a list item (starting at `itemStart`, lexed up to `to`) ends with, if any. */
export function fenceInItem(item: Tokens.ListItem, itemStart: number, text: string, to: number): OpenFence | undefined {
  const code = lastOf(item.tokens);
  if (code?.type !== 'code' || !isOpenFence(code.raw)) return undefined;
  const lines = text.slice(itemStart, to).replace(/\n$/, '').split('\n');
  if (lines.some((l) => /^[ \t]*\t/.test(l))) return undefined; // marked expands tabs in items: leave it to the lexer
  // the item's content column, as marked computes it from the item's first line
  const first = /^( {0,3}(?:[*+-]|\d{1,9}[.)]))( *)(.*)$/.exec(lines[0]!);
  if (!first) return undefined;
  const spaces = first[3] === '' ? 1 : first[2]!.length > 4 ? 1 : first[2]!.length;
  const indent = first[1]!.length + spaces;
  const fenceLine = lines.length - code.raw.replace(/\n+$/, '').split('\n').length;
  if (fenceLine < 0 || lines.length !== item.raw.replace(/\s+$/, '').split('\n').length) return undefined;
  let fenceStart = itemStart;
  for (const line of lines.slice(0, fenceLine)) fenceStart += line.length + 1;
  const content = fenceLine === 0 ? first[3]! : lines[fenceLine]!.slice(indent);
  return openFenceAt(content, indent, fenceStart + lines[fenceLine]!.length + 1);
}

/** Whether a complete line after the fence is more code for sure (not a close, nor a line that may end the item). */
export function isCodeLine(line: string, fence: OpenFence): boolean {
  if (line.trim() === '') return true;
  const lead = /^[ \t]*/.exec(line)![0];
  // a tab is never a closing fence's indentation at the top level; in an item marked expands it
  if ((fence.indent > 0 && lead.includes('\t')) || lead.length < fence.indent) return false;
  const close = CLOSING_FENCE.exec(line.slice(fence.indent));
  return !(close && close[1]![0] === fence.char && close[1]!.length >= fence.length);
}

/** The code of an open fence so far, from its lines (a list item's indentation and the fence's own stripped). */
export function fenceCode(source: string, fence: OpenFence): string {
  const text = source.slice(fence.codeStart);
  if (fence.indent === 0 && fence.fenceIndent === 0) return text;
  const lines = text.split('\n');
  // the last line may still lack its indentation
  if (fence.indent > 0) lines.pop();
  return lines
    .map((line) => {
      const content = line.slice(Math.min(fence.indent, line.length));
      const spaces = /^ */.exec(content)![0].length;
      return content.slice(Math.min(spaces, fence.fenceIndent));
    })
    .join('\n');
}
