import assert from 'node:assert/strict';
import { BlockBoundaryFinder, settledEnd } from '../../../webview/render/blockBoundary';
import { renderStats } from '../../../webview/render/markdownHtml';

/** The settled pieces a stream of `text` is cut into, feeding it in `chunk`-sized pieces. */
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
  it('cuts before the last block once its first line is complete', () => {
    assert.equal(settledEnd('one\n\ntwo'), 0, 'the next line is not complete yet');
    assert.equal(settledEnd('one\n\ntwo\n'), 5);
    assert.deepEqual(settledBlocks('# Title\n\nPara one\nstill one\n\nPara two\n\ntail\n'), ['# Title\n\n', 'Para one\nstill one\n\n', 'Para two\n\n']);
  });

  it('cuts before a fence that follows a paragraph directly ("Here is the file:")', () => {
    assert.deepEqual(settledBlocks('Here is the file:\n```ts\nconst a = 1;\n```\nDone.\n'), ['Here is the file:\n', '```ts\nconst a = 1;\n```\n']);
  });

  it('never cuts inside a fence: blank lines, list-like lines, and 4-space or tab "closing" fences are code', () => {
    const text = 'Intro\n\n```md\n1. a\n\n    ```bash\n    x\n    ```\n\n\t```\n\n- b\n```\n\nAfter\n\nend\n';
    assert.deepEqual(settledBlocks(text), ['Intro\n\n', '```md\n1. a\n\n    ```bash\n    x\n    ```\n\n\t```\n\n- b\n```\n\n', 'After\n\n']);
  });

  it('a fence in a list item ends with its item, even unclosed', () => {
    assert.deepEqual(settledBlocks('- a\n  ```\n  code\n\nfoo\n  ```\nx\n\ny\n```\n\nz\n'), ['- a\n  ```\n  code\n\n', 'foo\n', '  ```\nx\n\ny\n```\n\n']);
  });

  it('cuts a list before its last item, carrying what it needs to continue it', () => {
    const finder = new BlockBoundaryFinder();
    const text = '1. one\n\n2. two\n\n3. thr';
    assert.equal(finder.settledEnd(text), 8);
    const cont = finder.continuationAt(8);
    assert.equal(cont?.kind, 'list');
    assert.ok(cont?.kind === 'list' && cont.list.loose && cont.dummy === '1. x\n');
    assert.equal(finder.settledEnd(`${text}ee\n\n- other list\n`), 26);
    assert.equal(finder.continuationAt(26), undefined, 'a new list starts a new block');
    const second = finder.continuationAt(16);
    assert.ok(second?.kind === 'list' && second.list === cont.list, 'the same list shares one record of its looseness');
  });

  it('reports a list that turns out loose after it was cut tight', () => {
    const finder = new BlockBoundaryFinder();
    finder.settledEnd('- a\n- b\n- c\n');
    const cont = finder.continuationAt(8);
    assert.ok(cont?.kind === 'list' && !cont.list.loose);
    assert.deepEqual(finder.takeLoosened(), []);
    finder.settledEnd('- a\n- b\n- c\n\n- d\n');
    assert.ok(cont.list.loose);
    assert.deepEqual(finder.takeLoosened(), [cont.list]);
  });

  it('cuts a table after its last complete row and continues it with its header', () => {
    const finder = new BlockBoundaryFinder();
    const head = '| a | b |\n|---|--:|\n';
    assert.equal(finder.settledEnd(head), 0, 'no rows yet');
    assert.equal(finder.settledEnd(`${head}| 1 | 2 |\n| 3`), head.length + 10);
    assert.deepEqual(finder.continuationAt(head.length + 10), { kind: 'table', header: head });
    assert.equal(finder.settledEnd(`${head}| 1 | 2 |\n| 3 | 4 |\n`), head.length + 20);
  });

  it('does not cut between a link definition and the paragraph that may be its title', () => {
    assert.deepEqual(settledBlocks("[a]: /url\n'title\nstill title'\n\nuse [a]\n\nend\n"), ["[a]: /url\n'title\nstill title'\n\n", 'use [a]\n\n']);
  });

  it('while the tail is an open fence, new lines are checked for a close without lexing', () => {
    const finder = new BlockBoundaryFinder();
    let text = 'Intro\n\n```ts\n';
    finder.settledEnd(text);
    const fence = finder.openFence;
    assert.deepEqual(fence, { codeStart: text.length, indent: 0, fenceIndent: 0, char: '`', length: 3 });
    const lexes = finder.version;
    const lexed = renderStats.lexedChars;
    for (let i = 0; i < 100; i++) finder.settledEnd((text += `const a${i} = ${i};\n    \`\`\`\n\t\`\`\`\n`));
    assert.equal(finder.version, lexes, 'not lexed again');
    assert.equal(renderStats.lexedChars, lexed);
    finder.settledEnd(`${text}\`\`\`\n`);
    assert.equal(finder.openFence, undefined, 'a closing fence ends it');
    assert.equal(finder.version, lexes + 1);
  });

  it('watches an open fence in a list item with the item\'s indentation', () => {
    const finder = new BlockBoundaryFinder();
    const text = '1. a\n\n2. Replace it with:\n\n   ```ts\n   const a = 1;\n';
    finder.settledEnd(text);
    assert.deepEqual(finder.openFence, { codeStart: text.indexOf('   const'), indent: 3, fenceIndent: 0, char: '`', length: 3 });
    finder.settledEnd(`${text}not indented, still code (a lazy line)\n`);
    assert.ok(finder.openFence, 'marked takes a lazy line into the item, and the code');
    finder.settledEnd(`${text}not indented, still code (a lazy line)\n\ndone\n`);
    assert.equal(finder.openFence, undefined, 'after a blank line, a line less indented than the item ends it');
  });

  it('lexes a long stored text in windows over several calls, cutting it all', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `Paragraph ${i} with some words in it.\n\n`).join('');
    const finder = new BlockBoundaryFinder();
    finder.finish();
    const first = finder.settledEnd(text);
    assert.ok(first > 0 && first < text.length && finder.hasMore, `first call settles ${first} of ${text.length}`);
    let calls = 1;
    while (finder.settledEnd(text) < text.length) assert.ok(++calls < 100);
    assert.ok(calls > 1 && !finder.hasMore);
    assert.equal(finder.cuts.length, 3000);
  });

  it('finish() makes the last block final; reopen() takes it back', () => {
    const finder = new BlockBoundaryFinder();
    assert.equal(finder.settledEnd('a\n\nb'), 0);
    finder.finish();
    assert.equal(finder.settledEnd('a\n\nb'), 4);
    assert.equal(finder.reopen(), 0);
    assert.equal(finder.settledEnd('a\n\nbc\n\nd\n'), 7);
  });

  it('puts lines nested too deeply for marked in slices of their own, without lexing them', () => {
    const deep = `${'> '.repeat(500)}x\n`;
    const text = `# Before\n\n${deep}\n## After\n\ntext\n`;
    const finder = new BlockBoundaryFinder();
    const lexed = renderStats.lexedChars;
    finder.settledEnd(text);
    assert.ok(renderStats.lexedChars - lexed < 200, 'the deep line never went to marked');
    assert.deepEqual(finder.cuts.map((c) => c.at), [10, 10 + deep.length, 10 + deep.length + 1, 10 + deep.length + 11]);
    assert.ok(finder.isUnparsed(10 + deep.length) && !finder.isUnparsed(10));
    assert.equal(finder.nextCut(0, 1000, text.length), 10, 'a slice stops before it');
    assert.equal(finder.nextCut(10, 1000, text.length), 10 + deep.length, 'and it is a slice alone');
  });

  it('slices settled text at cuts at least the slice size apart', () => {
    const finder = new BlockBoundaryFinder();
    const text = 'aaaa\n\nbbbb\n\ncccc\n\ndddd\n\n';
    const settled = finder.settledEnd(text);
    assert.equal(settled, 18);
    assert.equal(finder.nextCut(0, 1, settled), 6);
    assert.equal(finder.nextCut(0, 7, settled), 12);
    assert.equal(finder.nextCut(6, 100, settled), settled, 'the limit when no cut is far enough');
    assert.equal(finder.nextCut(settled, 1, settled), settled, 'never past the limit');
  });

  it('agrees with itself whatever the chunk size', () => {
    const text = [
      '# Heading', '', 'Para with `code`', '', '```js', 'let x;', '', 'x = 1;', '```', '', '- a', '', '  - b', '', '| t | u |',
      '|---|---|', '| 1 | 2 |', '', '> q', '', '~~~~', '~~~', '', '~~~~', '', 'end', '',
    ].join('\n');
    const oneShot = settledEnd(text);
    const everyCut = new Set(settledBlocks(text, 1).map((_, i, all) => all.slice(0, i + 1).join('').length));
    for (const chunk of [2, 3, 7, 16, 100]) {
      const blocks = settledBlocks(text, chunk);
      assert.equal(blocks.join('').length, oneShot, `chunk ${chunk}`);
      let at = 0;
      for (const b of blocks) assert.ok(everyCut.has((at += b.length)), `chunk ${chunk} cut at ${at}`);
    }
  });
});
