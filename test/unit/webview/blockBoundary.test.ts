import assert from 'node:assert/strict';
import { BlockBoundaryFinder, settledEnd } from '../../../webview/render/blockBoundary';

/** The settled blocks a stream of `text` is cut into, feeding it in `chunk`-sized pieces. */
function settledBlocks(text: string, chunk = 1): string[] {
  const finder = new BlockBoundaryFinder();
  const cuts = [0];
  for (let i = chunk; i < text.length + chunk; i += chunk) {
    const end = finder.settledEnd(text.slice(0, Math.min(i, text.length)));
    if (end !== cuts[cuts.length - 1]) cuts.push(end);
  }
  return cuts.slice(1).map((end, i) => text.slice(cuts[i], end));
}

describe('webview block-boundary finder', () => {
  it('cuts paragraphs at blank lines once the next line is complete', () => {
    assert.equal(settledEnd('one\n\ntwo'), 0, 'the next line is not complete yet');
    assert.equal(settledEnd('one\n\ntwo\n'), 5);
    assert.deepEqual(settledBlocks('# Title\n\nPara one\nstill one\n\nPara two\n\ntail\n'), ['# Title\n\n', 'Para one\nstill one\n\n', 'Para two\n\n']);
  });

  it('never cuts inside a backtick fence, even at blank lines', () => {
    const text = 'Intro\n\n```ts\nconst a = 1;\n\n\nconst b = 2;\n```\n\nAfter\n';
    assert.deepEqual(settledBlocks(text), ['Intro\n\n', '```ts\nconst a = 1;\n\n\nconst b = 2;\n```\n\n']);
  });

  it('handles ~~~ fences and longer fences closed only by a fence as long', () => {
    const tilde = '~~~\n```\n\nnot a fence end\n~~~\n\nnext\n';
    assert.deepEqual(settledBlocks(tilde), ['~~~\n```\n\nnot a fence end\n~~~\n\n']);
    const long = '````md\n```\n\ninner\n```\n\n````\n\nnext\n';
    assert.deepEqual(settledBlocks(long), ['````md\n```\n\ninner\n```\n\n````\n\n']);
    const shortCloser = '````\ncode\n```\n\nstill code\n````\n\nnext\n';
    assert.deepEqual(settledBlocks(shortCloser), ['````\ncode\n```\n\nstill code\n````\n\n']);
  });

  it('keeps an unterminated fence at the tail open and reports where it starts', () => {
    const finder = new BlockBoundaryFinder();
    const text = 'Text\n\n```python\ndef f():\n\n    return 1\n';
    assert.equal(finder.settledEnd(text), 6);
    assert.equal(finder.openFenceStart, 6);
    assert.equal(finder.settledEnd(`${text}\`\`\`\n`), 6, 'closing alone does not settle: the next block must start');
    assert.equal(finder.openFenceStart, undefined);
    assert.equal(finder.settledEnd(`${text}\`\`\`\n\nMore\n`), text.length + 5);
  });

  it('does not take ``` followed by a backtick in the info string as a fence', () => {
    assert.deepEqual(settledBlocks('```not` a fence\n\nnext\n\nlast\n'), ['```not` a fence\n\n', 'next\n\n']);
  });

  it('keeps loose lists together, including nested items and indented continuations', () => {
    const list = '- one\n\n- two\n  - nested\n\n    more of two\n\n1. again\n';
    // `1. again` is a list item after a list: still the same block (a list may change kind only by a new block).
    assert.deepEqual(settledBlocks(`${list}\nAfter the list\n\nx\n`), [`${list}\n`, 'After the list\n\n']);
    assert.deepEqual(settledBlocks('1. a\n\n2. b\n\n10) c\n\nend\n'), ['1. a\n\n2. b\n\n10) c\n\n']);
  });

  it('keeps tables whole and cuts after them', () => {
    const table = '| a | b |\n|---|--:|\n| 1 | 2 |\n| 3 | 4 |\n';
    assert.deepEqual(settledBlocks(`Before\n\n${table}\nAfter\n`), ['Before\n\n', `${table}\n`]);
  });

  it('keeps block quotes separated by blank lines together', () => {
    const quote = '> one\n>\n> two\n\n> three\n';
    assert.deepEqual(settledBlocks(`${quote}\nplain\n`), [`${quote}\n`]);
  });

  it('does not cut before indented code', () => {
    assert.deepEqual(settledBlocks('para\n\n    code\n\n    more code\n\nend\n'), ['para\n\n    code\n\n    more code\n\n']);
  });

  it('agrees with a one-pass scan whatever the chunk size', () => {
    const text = [
      '# Heading', '', 'Para with `code`', '', '```js', 'let x;', '', 'x = 1;', '```', '', '- a', '', '  - b', '', '| t | u |',
      '|---|---|', '| 1 | 2 |', '', '> q', '', '~~~~', '~~~', '', '~~~~', '', 'end', '',
    ].join('\n');
    const oneShot = settledEnd(text);
    const everyCut = new Set(settledBlocks(text, 1).map((_, i, all) => all.slice(0, i + 1).join('').length));
    assert.equal(everyCut.size, 7);
    for (const chunk of [2, 3, 7, 16, 100]) {
      const blocks = settledBlocks(text, chunk);
      assert.equal(blocks.join('').length, oneShot, `chunk ${chunk}`);
      // Bigger chunks may settle several blocks at once, never at a place a char-by-char stream would not cut.
      let at = 0;
      for (const b of blocks) assert.ok(everyCut.has((at += b.length)), `chunk ${chunk} cut at ${at}`);
    }
  });

  it('starts over after reset()', () => {
    const finder = new BlockBoundaryFinder();
    assert.equal(finder.settledEnd('a\n\nb\n'), 3);
    finder.reset();
    assert.equal(finder.settledEnd('```\n\nx\n'), 0);
  });
});
