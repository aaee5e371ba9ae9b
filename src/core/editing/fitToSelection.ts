/**
 * Making a model's replacement fit the selection it replaces: base indentation, tabs vs spaces, line endings and
 * the trailing newline all follow the original, because models routinely dedent a block to column 0, answer with
 * `\n` in a CRLF file, use 4 spaces in a 2-space file and drop (or add) the final newline.
 */

export interface IndentStyle {
  /** Indent with tabs rather than spaces. */
  tabs: boolean;
  /** Spaces per indent level (also how wide a tab counts when converting). */
  size: number;
}

export interface FitOptions {
  /** Line ending to use; by default the original's (CRLF if it contains one), else `\n`. */
  eol?: '\n' | '\r\n';
  /**
   * The document text between the start of the selection's first line and the selection start. Selections often
   * start after the indentation (double-click, expand selection); the prefix tells us the first line's real
   * indentation, and the replacement's first line must then not repeat it.
   * @default ''
   */
  linePrefix?: string;
  /** The file's indentation style (from the editor); by default inferred from the original text. */
  indent?: IndentStyle;
}

function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

function width(ws: string, tabSize: number): number {
  let w = 0;
  for (const ch of ws) w = ch === '\t' ? w + tabSize - (w % tabSize) : w + 1;
  return w;
}

/** Infer tabs vs spaces and the indent unit from some lines. */
export function inferIndentStyle(lines: readonly string[], fallback: IndentStyle = { tabs: false, size: 4 }): IndentStyle {
  let tabLines = 0;
  let spaceLines = 0;
  const widths = new Set<number>();
  for (const line of lines) {
    if (line.trim() === '') continue;
    const ws = leadingWhitespace(line);
    if (ws.startsWith('\t')) tabLines++;
    else if (ws.length > 0) {
      spaceLines++;
      // ` * ` continuation lines of block comments are aligned by one space, not indented by a level.
      if (!line.trimStart().startsWith('*')) widths.add(ws.length);
    }
  }
  if (tabLines > spaceLines) return { tabs: true, size: fallback.size };
  if (spaceLines === 0) return fallback;
  // The unit is the gcd of the space indents: 2/4/6 → 2; a single 4 → 4.
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let unit = 0;
  for (const w of widths) unit = gcd(unit, w);
  return { tabs: false, size: unit >= 2 && unit <= 8 ? unit : fallback.size };
}

function minIndent(lines: readonly string[], tabSize: number): { ws: string; width: number } {
  let best: { ws: string; width: number } | undefined;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const ws = leadingWhitespace(line);
    const w = width(ws, tabSize);
    if (best === undefined || w < best.width) best = { ws, width: w };
  }
  return best ?? { ws: '', width: 0 };
}

function render(levels: number, extra: number, style: IndentStyle): string {
  return (style.tabs ? '\t'.repeat(levels) : ' '.repeat(levels * style.size)) + ' '.repeat(extra);
}

/**
 * Fit `replacement` (model code, any line endings) to the `original` selection text. Relative indentation inside
 * the replacement is kept; its common indentation becomes the original's, so a block dedented to column 0 is
 * re-indented and a block that kept its indentation is left alone (never indented twice). Indentation is
 * re-expressed in the original's style (tabs or spaces of its unit).
 */
export function fitToSelection(replacement: string, original: string, opts: FitOptions = {}): string {
  const eol = opts.eol ?? (original.includes('\r\n') ? '\r\n' : '\n');
  const prefix = opts.linePrefix ?? '';
  const prefixIsIndent = /^[ \t]*$/.test(prefix);
  const origLines = (prefixIsIndent ? prefix + original : original).replace(/\r\n?/g, '\n').split('\n');
  if (!prefixIsIndent && origLines.length > 0) origLines[0] = ''; // a mid-line start says nothing about indentation
  const endsWithNewline = /\n$/.test(original);
  if (endsWithNewline) origLines.pop();

  const repl = replacement.replace(/\r\n?/g, '\n').split('\n');
  while (repl.length > 0 && (repl[repl.length - 1] ?? '').trim() === '') repl.pop();
  while (repl.length > 0 && (repl[0] ?? '').trim() === '') repl.shift();
  if (repl.length === 0) return '';

  const style = opts.indent ?? inferIndentStyle(origLines, { tabs: false, size: 4 });
  const base = minIndent(origLines, style.size);
  const replStyle = inferIndentStyle(repl, style);
  // After a mid-line start the replacement's first line sits at column 0 too: only the later lines say where its
  // block is indented.
  const replBase = minIndent(!prefixIsIndent && repl.length > 1 ? repl.slice(1) : repl, replStyle.size);
  // A single-line selection that starts mid-line keeps no indentation at all.
  const baseWs = !prefixIsIndent && origLines.length === 1 ? '' : base.ws;

  const out = repl.map((line) => {
    if (line.trim() === '') return '';
    const ws = leadingWhitespace(line);
    const relWidth = Math.max(0, width(ws, replStyle.size) - replBase.width);
    const levels = Math.floor(relWidth / replStyle.size);
    const extra = relWidth % replStyle.size; // alignment spaces (e.g. ` * ` in a JSDoc) survive as spaces
    const rel = render(levels, extra, style);
    return baseWs + rel + line.slice(ws.length).replace(/[ \t]+$/, '');
  });

  // The selection's first line already has its indentation (or the mid-line text) in the document.
  if (prefix.length > 0 && out.length > 0) {
    const first = out[0] ?? '';
    out[0] = prefixIsIndent && first.startsWith(prefix) ? first.slice(prefix.length) : first.replace(/^[ \t]+/, '');
  }
  return out.join(eol) + (endsWithNewline ? eol : '');
}
