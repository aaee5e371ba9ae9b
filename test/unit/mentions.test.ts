import assert from 'node:assert/strict';
import { formatProblems, rankPaths, stripAnsi } from '../../src/core/mentions';
import { mentionAt } from '../../webview/render/mentionPicker';

const PATHS = ['src/core/chat/chatController.ts', 'src/vscode/chatViews.ts', 'README.md', 'test/unit/chat/history.test.ts', 'src/core/chat/history.ts', 'docs/images/chat-dark.png', 'package.json'];

describe('@ mentions', () => {
  it('ranks a match in the file name above one spread over folders, consecutive letters first', () => {
    assert.deepEqual(rankPaths('hist', PATHS).slice(0, 2), ['src/core/chat/history.ts', 'test/unit/chat/history.test.ts']);
    assert.equal(rankPaths('ctrl', PATHS)[0], 'src/core/chat/chatController.ts');
    assert.equal(rankPaths('@readme', PATHS)[0], 'README.md', 'the @ and the case do not matter');
    assert.deepEqual(rankPaths('zzz', PATHS), []);
    assert.equal(rankPaths('chco', PATHS)[0], 'src/core/chat/chatController.ts', 'letters spread over the name match');
    assert.deepEqual(rankPaths('unit/chat', PATHS), ['test/unit/chat/history.test.ts'], 'a match over folders');
  });

  it('an empty query lists the shortest paths; the limit holds', () => {
    assert.deepEqual(rankPaths('', PATHS, 2), ['README.md', 'package.json']);
    assert.equal(rankPaths('s', PATHS, 3).length, 3);
  });

  it('problems: errors first, one line each with position and source, capped with the rest counted', () => {
    const d = (severity: 'error' | 'warning', relativePath: string, line: number, message: string) => ({ path: `/w/${relativePath}`, relativePath, severity, message, line, column: 1, endLine: line, endColumn: 2, source: 'ts', code: '2322' });
    const out = formatProblems([d('warning', 'b.ts', 3, 'unused'), d('error', 'a.ts', 9, "Type 'x' is not assignable\nmore detail")]);
    assert.equal(out.text, "error a.ts:9:1 Type 'x' is not assignable [ts 2322]\nwarning b.ts:3:1 unused [ts 2322]");
    assert.equal(out.count, 2);
    const many = formatProblems(Array.from({ length: 50 }, (_, i) => d('error', 'c.ts', i + 1, 'bad')), 200);
    assert.equal(many.truncated, true);
    assert.match(many.text, /more not shown$/);
    assert.ok(many.text.length < 260);
    assert.equal(formatProblems([]).text, 'No problems are reported in the workspace.');
  });

  it('the composer finds the @word right before the caret, only at a word start', () => {
    assert.deepEqual(mentionAt('look at @src/ap', 15), { start: 8, query: 'src/ap' });
    assert.deepEqual(mentionAt('@', 1), { start: 0, query: '' });
    assert.equal(mentionAt('mail me@example', 15), undefined, 'an @ inside a word is not a mention');
    assert.equal(mentionAt('@app and more', 13), undefined, 'the caret is not at the end of the @word');
    assert.deepEqual(mentionAt('line one\n@pro', 13), { start: 9, query: 'pro' });
  });

  it('terminal output loses its colours and shell-integration marks', () => {
    assert.equal(stripAnsi('\u001b[31mFAIL\u001b[0m a.test.ts\u001b]633;D;1\u0007\r\n'), 'FAIL a.test.ts\r\n');
  });
});
