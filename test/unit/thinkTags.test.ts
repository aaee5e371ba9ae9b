import assert from 'node:assert/strict';
import { ThinkTagSplitter, partialTagSuffixLength, splitThinkTags } from '../../src/core/thinkTags';
import type { TextSegment } from '../../src/core/thinkTags';

function feed(pieces: readonly string[]): { reasoning: string; content: string; segments: TextSegment[] } {
  const splitter = new ThinkTagSplitter();
  const segments: TextSegment[] = [];
  for (const p of pieces) segments.push(...splitter.push(p));
  segments.push(...splitter.flush());
  let reasoning = '';
  let content = '';
  for (const s of segments) {
    if (s.kind === 'reasoning') reasoning += s.text;
    else content += s.text;
  }
  return { reasoning, content, segments };
}

const SAMPLES = [
  '<think>\nThe user wants a haiku.\nKeep it short.\n</think>\n\nAutumn moonlight —\na worm digs silently\ninto the chestnut.',
  '  \n<think>plan</think>answer with <b>html</b> and </think> literally',
  '<think></think>Just the answer.',
  'No tags at all, but a < b and <thinking> is not a tag.',
  'Answer first. <think>not reasoning</think> stays content.',
  '<think>unclosed reasoning that never ends </thi',
  '<thi',
  '<think',
  '   ',
  '<think>a</think',
  '<think>x <</think>y',
  '<<think>a</think>',
  '<think><think>nested?</think></think>',
];

describe('ThinkTagSplitter', () => {
  it('splits a leading think block into reasoning and strips the separating whitespace', () => {
    assert.deepEqual(splitThinkTags('<think>\nplan it\n</think>\n\nThe answer.'), { reasoning: 'plan it\n', content: 'The answer.' });
    assert.deepEqual(splitThinkTags('\n\n<think>r</think>c'), { reasoning: 'r', content: 'c' });
  });

  it('leaves content without a leading think block untouched, including later tags', () => {
    for (const text of ['Hello', '  Hello', '<b>bold</b>', 'Text <think>x</think> more', '<thinking>x</thinking>', '\n']) {
      assert.deepEqual(splitThinkTags(text), { reasoning: '', content: text }, JSON.stringify(text));
    }
  });

  it('only one think block: a second one after the close is content', () => {
    assert.deepEqual(splitThinkTags('<think>a</think>b<think>c</think>'), { reasoning: 'a', content: 'b<think>c</think>' });
  });

  it('an unclosed block is all reasoning, partial tags are released at the end', () => {
    assert.deepEqual(splitThinkTags('<think>still thinking'), { reasoning: 'still thinking', content: '' });
    assert.deepEqual(splitThinkTags('<think>still thinking</thi'), { reasoning: 'still thinking</thi', content: '' });
    assert.deepEqual(splitThinkTags('<thi'), { reasoning: '', content: '<thi' });
  });

  it('holds back only what could still become a tag', () => {
    const s = new ThinkTagSplitter();
    assert.deepEqual(s.push('Hello <'), [{ kind: 'content', text: 'Hello <' }], 'content decided at once');
    const t = new ThinkTagSplitter();
    assert.deepEqual(t.push('<th'), [], 'could still be <think>');
    assert.deepEqual(t.push('ink>abc</th'), [{ kind: 'reasoning', text: 'abc' }]);
    assert.deepEqual(t.push('e end'), [{ kind: 'reasoning', text: '</the end' }]);
    assert.deepEqual(t.push('</think>'), []);
    assert.deepEqual(t.push('Answer <'), [{ kind: 'content', text: 'Answer <' }]);
    assert.equal(t.sawThinkBlock, true);
  });

  it('partialTagSuffixLength finds the longest proper prefix at the end', () => {
    assert.equal(partialTagSuffixLength('abc</thin', '</think>'), 6);
    assert.equal(partialTagSuffixLength('abc<', '</think>'), 1);
    assert.equal(partialTagSuffixLength('abc', '</think>'), 0);
    assert.equal(partialTagSuffixLength('</think>', '</think>'), 0, 'a whole tag is not a partial one');
  });

  it('property: splitting a sample at any one point gives the unsplit result', () => {
    for (const sample of SAMPLES) {
      const whole = feed([sample]);
      for (let i = 0; i <= sample.length; i++) {
        const split = feed([sample.slice(0, i), sample.slice(i)]);
        assert.deepEqual([split.reasoning, split.content], [whole.reasoning, whole.content], `${JSON.stringify(sample)} at ${i}`);
      }
    }
  });

  it('property: any two split points, and one character at a time, give the unsplit result', () => {
    for (const sample of SAMPLES) {
      const whole = feed([sample]);
      const chars = feed([...sample]);
      assert.deepEqual([chars.reasoning, chars.content], [whole.reasoning, whole.content], sample);
      for (let i = 0; i <= sample.length; i++) {
        for (let j = i; j <= sample.length; j++) {
          const split = feed([sample.slice(0, i), sample.slice(i, j), sample.slice(j)]);
          assert.deepEqual([split.reasoning, split.content], [whole.reasoning, whole.content], `${JSON.stringify(sample)} at ${i},${j}`);
        }
      }
    }
  });

  it('the samples split as intended', () => {
    const results = SAMPLES.map((s) => splitThinkTags(s));
    assert.deepEqual(results[0], {
      reasoning: 'The user wants a haiku.\nKeep it short.\n',
      content: 'Autumn moonlight —\na worm digs silently\ninto the chestnut.',
    });
    assert.deepEqual(results[1], { reasoning: 'plan', content: 'answer with <b>html</b> and </think> literally' });
    assert.deepEqual(results[2], { reasoning: '', content: 'Just the answer.' });
    assert.deepEqual(results[10], { reasoning: 'x <', content: 'y' });
    assert.deepEqual(results[11], { reasoning: '', content: '<<think>a</think>' });
    assert.deepEqual(results[12], { reasoning: '<think>nested?', content: '</think>' });
  });
});
