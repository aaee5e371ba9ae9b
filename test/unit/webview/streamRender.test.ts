import assert from 'node:assert/strict';
import { benchAnswer, HARD_SHAPES } from '../../../bench/render/corpus';
import { markdownToHtml, renderStats } from '../../../webview/render/markdownHtml';
import { StreamCore } from '../../../webview/render/streamCore';
import { HtmlSurface } from './htmlSurface';
import { HARD_MARKDOWN } from './markdownCorpus';

const ALL_AT_ONCE = (): number => Infinity;

interface Run {
  surface: HtmlSurface;
  core: StreamCore<number>;
  /** Characters marked lexed or rendered in each step while the text streamed. */
  perStep: number[];
}

/**
 * Streams `chunks` into a StreamCore over an HTML surface, one render after every `renderEvery` chunks (as the
 * view renders once per frame), then ends the stream and renders until it is finished.
 */
function stream(chunks: readonly string[], opts: { sliceChars?: number; renderEvery?: number } = {}): Run {
  const surface = new HtmlSurface();
  const core = new StreamCore(surface, { sliceChars: opts.sliceChars ?? 1000 });
  const perStep: number[] = [];
  const step = (): void => {
    const before = renderStats.lexedChars + renderStats.renderedChars;
    while (core.step(ALL_AT_ONCE) === 'more');
    perStep.push(renderStats.lexedChars + renderStats.renderedChars - before);
  };
  chunks.forEach((chunk, i) => {
    core.append(chunk);
    if ((i + 1) % (opts.renderEvery ?? 1) === 0) step();
  });
  core.end();
  for (let i = 0; core.step(ALL_AT_ONCE) !== 'finished'; i++) assert.ok(i < 10_000, 'the stream never finishes');
  return { surface, core, perStep };
}

function chunked(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** A seeded random split of `text` into chunks of 1–`max` characters. */
function randomChunks(text: string, seed: number, max: number): string[] {
  let s = seed;
  const rnd = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(rnd() * max);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

/** Every way a test splits one text. */
function chunkings(text: string): Array<{ name: string; chunks: string[]; sliceChars: number }> {
  const out: Array<{ name: string; chunks: string[]; sliceChars: number }> = [];
  for (let k = 1; k < text.length; k++) out.push({ name: `split at ${k}`, chunks: [text.slice(0, k), text.slice(k)], sliceChars: 1 });
  for (const sliceChars of [1, 1000]) {
    out.push({ name: `1-char chunks, ${sliceChars}-char slices`, chunks: chunked(text, 1), sliceChars });
    out.push({ name: `16-char chunks, ${sliceChars}-char slices`, chunks: chunked(text, 16), sliceChars });
    out.push({ name: `all at once, ${sliceChars}-char slices`, chunks: [text], sliceChars });
    for (let seed = 1; seed <= 8; seed++) out.push({ name: `random chunks #${seed}, ${sliceChars}-char slices`, chunks: randomChunks(text, seed, 12), sliceChars });
  }
  return out;
}

describe('webview streamed markdown', () => {
  describe('renders every chunking of hard markdown exactly as one render of the whole', () => {
    for (const [name, text] of Object.entries(HARD_MARKDOWN)) {
      it(name, () => {
        const oneShot = markdownToHtml(text);
        for (const c of chunkings(text)) assert.equal(stream(c.chunks, { sliceChars: c.sliceChars }).surface.html(), oneShot, `${name}, ${c.name}`);
      });
    }
  });

  it('renders the benchmark answer and the hard answer shapes in 16-character chunks as one render', () => {
    const texts = { bench: benchAnswer(30_000), ...Object.fromEntries(Object.entries(HARD_SHAPES).map(([k, make]) => [k, make(8_000)])) };
    for (const [name, text] of Object.entries(texts)) {
      const oneShot = markdownToHtml(text);
      assert.equal(stream(chunked(text, 16), { renderEvery: 3 }).surface.html(), oneShot, name);
      assert.equal(stream([text]).surface.html(), oneShot, `${name}, opened at once`);
    }
  });

  it('a definition arriving after its uses re-renders only the slices that use it, in place', () => {
    const uses = Array.from({ length: 12 }, (_, i) => `Paragraph ${i}${i % 4 === 0 ? ' cites [the docs][1]' : ''}.\n\n`).join('');
    const text = `${uses}[1]: https://example.com/docs\n`;
    const run = stream(chunked(text, 16), { sliceChars: 1 });
    assert.equal(run.surface.html(), markdownToHtml(text));
    assert.match(run.surface.html(), /<a href="https:\/\/example.com\/docs">the docs<\/a>/);
    assert.equal(run.surface.counts.replace, 3, 'the three slices citing [1], no others');
    assert.equal(run.surface.counts.truncate, 0);
  });

  it('a list found loose late re-renders its earlier slices in place', () => {
    const text = `${Array.from({ length: 20 }, (_, i) => `${i + 1}. item ${i}`).join('\n')}\n\n21. now loose\n\nafter\n`;
    const run = stream(chunked(text, 16), { sliceChars: 1 });
    assert.equal(run.surface.html(), markdownToHtml(text));
    assert.match(run.surface.html(), /<li><p>item 0<\/p>/);
    assert.ok(run.surface.counts.replace > 0 && run.surface.counts.truncate === 0, JSON.stringify(run.surface.counts));
  });

  it('text appended after end() (the final copy after Stop) extends the render instead of starting over', () => {
    const first = '# Title\n\nSome text.\n\n```ts\nconst a = 1;\n';
    const rest = 'const b = 2;\n```\n\nMore after the stop.\n';
    const run = stream(chunked(first, 16));
    const appendsBefore = run.surface.counts.append;
    const settled = run.surface.slices.length;
    run.core.append(rest);
    run.core.end();
    for (let i = 0; run.core.step(ALL_AT_ONCE) !== 'finished'; i++) assert.ok(i < 100);
    assert.equal(run.surface.html(), markdownToHtml(first + rest));
    assert.ok(run.surface.counts.truncate <= 1, 'at most the slice end() settled past the last cut is dropped');
    assert.ok(run.surface.slices.length >= settled - 1 && run.surface.counts.append - appendsBefore <= 3, 'the settled slices before stay');
    assert.equal(run.core.text, first + rest);
  });

  it('a piece marked cannot parse (nesting too deep) shows as text and the rest still renders', () => {
    const deep = `${'>'.repeat(6000)} deep\n\n${'- '.repeat(4000)}x\n\n`;
    const text = `# Before\n\n${deep}## After\n\nStill **markdown**.\n`;
    const error = console.error;
    console.error = () => {};
    try {
      for (const chunks of [chunked(text, 16), [text]]) {
        const html = stream(chunks).surface.html();
        assert.match(html, /<h1>Before<\/h1>/);
        assert.match(html, /<h2>After<\/h2>\n<p>Still <strong>markdown<\/strong>.<\/p>/, 'what follows renders as markdown');
        assert.ok(html.includes('&gt;&gt;&gt;&gt;') && html.includes('- - - -'), 'the deep part shows as text');
      }
    } finally {
      console.error = error;
    }
  });

  it('CRLF split between chunks is one line break, also across an end() and the text after it', () => {
    const text = 'a\r\n\r\n- b\r\n- c\r\n';
    for (let k = 1; k < text.length; k++) {
      assert.equal(stream([text.slice(0, k), text.slice(k)]).surface.html(), markdownToHtml(text), `split at ${k}`);
      const run = stream([text.slice(0, k)]);
      run.core.append(text.slice(k));
      run.core.end();
      while (run.core.step(ALL_AT_ONCE) !== 'finished');
      assert.equal(run.surface.html(), markdownToHtml(text), `ended at ${k}, then the rest`);
    }
  });

  describe('is incremental: the work per render does not grow with the answer', () => {
    // A renderer that parses everything (or the whole current list, table or code block) on each render does work
    // that grows with the text per render, so doubling the text quadruples its total; ours stays linear.
    for (const [name, make] of Object.entries({ ...HARD_SHAPES, bench: benchAnswer })) {
      it(name, () => {
        const work = (chars: number): { total: number; big: number } => {
          const { perStep } = stream(chunked(make(chars), 16));
          return { total: perStep.reduce((a, b) => a + b, 0), big: perStep.filter((n) => n > 6_000).length };
        };
        const small = work(10_000);
        const large = work(40_000);
        assert.ok(large.total < 5 * small.total, `4× the text, ${(large.total / small.total).toFixed(1)}× the work (quadratic would be ≈16×)`);
        // a block is parsed whole a few times (when it closes, when it settles); never on every render
        assert.ok(large.big <= 4, `${large.big} renders parsed more than 6,000 characters`);
        assert.ok(large.total < 60 * 40_000, `${(large.total / 40_000).toFixed(1)} characters parsed per character streamed`);
      });
    }
  });
});
