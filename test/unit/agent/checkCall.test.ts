/** The loop's own small argument check, and the one-line form of a stop. */
import assert from 'node:assert/strict';
import { checkArguments, checkCall } from '../../../src/core/agent/checkCall';
import { formatStop } from '../../../src/core/agent/agentLoop';
import type { ToolCallRequest } from '../../../src/core/events';
import { ok, tool } from '../../support/agentHarness';

const SCHEMA = {
  type: 'object',
  properties: {
    path: { type: 'string' },
    line: { type: 'integer' },
    ratio: { type: 'number' },
    mode: { type: 'string', enum: ['literal', 'regex'] },
    tags: { type: 'array' },
    anything: {},
  },
  required: ['path'],
};

describe('checkCall', () => {
  it('accepts right types (an integer counts as a number) and passes unknown properties on', () => {
    const r = checkArguments({ path: 'a', line: 3, ratio: 2, mode: 'regex', tags: [], anything: { x: 1 }, extra: true }, SCHEMA);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.args, { path: 'a', line: 3, ratio: 2, mode: 'regex', tags: [], anything: { x: 1 }, extra: true });
  });

  it('names every problem: missing, wrong type, not in the enum, a fraction for an integer', () => {
    const r = checkArguments({ line: 1.5, mode: 'glob', tags: 'x' }, SCHEMA);
    assert.deepEqual(r.problems, [
      'the required parameter "path" is missing',
      '"line" must be an integer, not a number',
      '"mode" must be one of "literal", "regex"',
      '"tags" must be an array, not a string',
    ]);
  });

  it('drops an optional null (models write it for "not given"), refuses a required null', () => {
    assert.deepEqual(checkArguments({ path: 'a', line: null }, SCHEMA), { args: { path: 'a' }, problems: [] });
    assert.deepEqual(checkArguments({ path: null }, SCHEMA).problems, ['the required parameter "path" is missing']);
  });

  it('null is a value where the schema allows it', () => {
    const schema = { type: 'object', properties: { v: { type: ['string', 'null'] } }, required: ['v'] };
    assert.deepEqual(checkArguments({ v: null }, schema), { args: { v: null }, problems: [] });
  });

  it('refuses unknown properties only when the schema says additionalProperties: false', () => {
    assert.deepEqual(checkArguments({ x: 1 }, { type: 'object', properties: {}, additionalProperties: false }).problems, ['"x" is not a parameter of this tool']);
  });

  it('a parse error wins over everything else and keeps its text', () => {
    const call: ToolCallRequest = { index: 0, id: 'c', name: 'nope', argumentsText: '{', parseError: 'Bad JSON.', source: 'native' };
    const checked = checkCall(call, [tool('read_file', 'read', {}, [], () => Promise.resolve(ok('x')))]);
    assert.deepEqual(checked, { ok: false, result: { ok: false, content: 'Bad JSON.', summary: 'Invalid arguments' } });
  });
});

describe('formatStop', () => {
  it('is empty when done and label — message otherwise', () => {
    assert.equal(formatStop({ reason: 'done', message: '' }), '');
    assert.equal(formatStop({ reason: 'maxTurns', message: 'Stopped after 3.' }), 'Turn limit reached — Stopped after 3.');
    assert.equal(formatStop({ reason: 'cancelled', message: '' }), 'Stopped');
  });
});
