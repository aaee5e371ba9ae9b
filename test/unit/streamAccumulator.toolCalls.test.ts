import assert from 'node:assert/strict';
import { parseToolArguments } from '../../src/core/toolArguments';
import { compatChunk as chunk, replayChunks as run, toolCallChunk as toolDelta } from '../support/fixtures';

describe('StreamAccumulator: tool-call deltas', () => {
  it('later deltas with id "" keep the first id; function: {} and a missing function are tolerated', () => {
    const { turn, events } = run([
      toolDelta({ index: 0, id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '' } }),
      toolDelta({ index: 0, id: '', type: 'function', function: {} }),
      toolDelta({ index: 0, id: '' }),
      toolDelta({ index: 0, id: '', function: { arguments: '{"path":' } }),
      toolDelta({ index: 0, id: '', function: { name: '', arguments: '"a.ts"}' } }),
      chunk({}, 'tool_calls'),
    ]);
    assert.equal(turn.toolCalls.length, 1);
    assert.equal(turn.toolCalls[0]?.id, 'call_1');
    assert.equal(turn.toolCalls[0]?.name, 'read_file');
    assert.deepEqual(turn.toolCalls[0]?.arguments, { path: 'a.ts' });
    assert.equal(events.filter((e) => e.type === 'toolCallDelta').length, 3, 'no event for deltas that add nothing');
  });

  it('parallel calls with index-only later deltas are assembled per index, in index order', () => {
    const { turn } = run([
      toolDelta({ index: 1, id: 'b', type: 'function', function: { name: 'list_dir', arguments: '' } }),
      toolDelta({ index: 0, id: 'a', type: 'function', function: { name: 'read_file', arguments: '' } }),
      toolDelta({ index: 0, function: { arguments: '{"path":' } }),
      toolDelta({ index: 1, function: { arguments: '{"dir":"src"}' } }),
      toolDelta({ index: 0, function: { arguments: '"x"}' } }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(
      turn.toolCalls.map((c) => [c.index, c.id, c.name, c.arguments]),
      [
        [0, 'a', 'read_file', { path: 'x' }],
        [1, 'b', 'list_dir', { dir: 'src' }],
      ],
    );
  });

  it('several deltas in one chunk, and deltas without index continue the last call', () => {
    const { turn } = run([
      toolDelta(
        { index: 0, id: 'a', function: { name: 'f', arguments: '{"n":' } },
        { index: 0, function: { arguments: '1}' } },
        { index: 1, id: 'b', function: { name: 'g', arguments: '' } },
      ),
      toolDelta({ function: { arguments: '{"m":2}' } }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(turn.toolCalls.map((c) => c.arguments), [{ n: 1 }, { m: 2 }]);
    const noIndex = run([toolDelta({ id: 'z', function: { name: 'h', arguments: '{}' } })]).turn.toolCalls;
    assert.equal(noIndex[0]?.index, 0);
  });

  it('name first, then the whole arguments with the id repeated', () => {
    const { turn, events } = run([
      toolDelta({ index: 0, id: 'call_9', type: 'function', function: { name: 'grep' } }),
      toolDelta({ index: 0, id: 'call_9', type: 'function', function: { arguments: '{"pattern":"TODO"}' } }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(turn.toolCalls[0]?.arguments, { pattern: 'TODO' });
    const deltas = events.filter((e) => e.type === 'toolCallDelta');
    assert.deepEqual(deltas, [
      { type: 'toolCallDelta', index: 0, id: 'call_9', name: 'grep', argumentsDelta: '' },
      { type: 'toolCallDelta', index: 0, argumentsDelta: '{"pattern":"TODO"}' },
    ]);
  });

  it('empty arguments parse as {}', () => {
    const { turn } = run([toolDelta({ index: 0, id: 'a', function: { name: 'list', arguments: '' } }), chunk({}, 'tool_calls')]);
    assert.deepEqual(turn.toolCalls[0]?.arguments, {});
    assert.equal(turn.toolCalls[0]?.parseError, undefined);
  });

  it('bad JSON arguments give a parseError with the JSON.parse message, never a throw', () => {
    const bad = '{"path": "a.ts", ';
    let parseMessage = '';
    try {
      JSON.parse(bad);
    } catch (e) {
      parseMessage = (e as Error).message;
    }
    const { turn, events } = run([toolDelta({ index: 0, id: 'a', function: { name: 'read_file', arguments: bad } }), chunk({}, 'tool_calls')]);
    const call = turn.toolCalls[0];
    assert.equal(call?.arguments, undefined);
    assert.equal(call?.argumentsText, bad);
    assert.ok(call?.parseError?.includes(parseMessage), call?.parseError);
    assert.match(call?.parseError ?? '', /JSON object/);
    assert.equal(events.at(-1)?.type, 'finish');
  });

  it('JSON that is not an object is a parseError', () => {
    for (const text of ['[1,2]', '"path"', '42', 'null', 'true']) {
      const parsed = parseToolArguments(text);
      assert.ok('error' in parsed, text);
    }
    const { turn } = run([toolDelta({ index: 0, id: 'a', function: { name: 'f', arguments: '[1]' } })]);
    assert.match(turn.toolCalls[0]?.parseError ?? '', /must be a JSON object/);
  });

  it('finish_reason "length" marks the pending calls truncated', () => {
    const { turn, events } = run([
      toolDelta({ index: 0, id: 'a', function: { name: 'write_file', arguments: '{"path":"a","content":"abc' } }),
      chunk({}, 'length'),
    ]);
    assert.equal(turn.finishReason, 'length');
    assert.equal(turn.toolCalls[0]?.truncated, true);
    assert.ok(turn.toolCalls[0]?.parseError);
    const finish = events.at(-1);
    assert.equal(finish?.type === 'finish' && finish.reason, 'length');
  });

  it('native calls come first, then text-form calls from the content', () => {
    const { turn } = run([
      toolDelta({ index: 0, id: 'a', function: { name: 'read_file', arguments: '{"path":"x"}' } }),
      chunk({ content: '<tool_call>\n<function=list_dir>\n<parameter=dir>\nsrc\n</parameter>\n</function>\n</tool_call>' }),
      chunk({}, 'tool_calls'),
    ]);
    assert.deepEqual(
      turn.toolCalls.map((c) => [c.index, c.source, c.name, c.id]),
      [
        [0, 'native', 'read_file', 'a'],
        [1, 'text', 'list_dir', 'call_text_1'],
      ],
    );
    assert.equal(turn.content, '');
  });

  it('a whole non-streaming message lists calls without index: each position is its own call', () => {
    const { turn } = run([
      {
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: '',
              tool_calls: [
                { id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
                { id: 'c2', type: 'function', function: { name: 'read_file', arguments: '{"path":"b.ts"}' } },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
      },
    ]);
    assert.deepEqual(
      turn.toolCalls.map((c) => [c.index, c.id, c.arguments]),
      [
        [0, 'c1', { path: 'a.ts' }],
        [1, 'c2', { path: 'b.ts' }],
      ],
    );
  });
});
