import assert from 'node:assert/strict';
import {
  useFreshFake,
  restartFake,
  fake,
  user,
  streamBody,
  deltas,
  post,
  streamed,
  errorOf,
} from '../support/fakeHttp';

describe('fake Qwen server: request validation', () => {
  useFreshFake();
  describe('validation', () => {
    const tc = (id: string) => ({ id, type: 'function', function: { name: 'f', arguments: '{}' } });
    const toolMsg = (id: string) => ({ role: 'tool', tool_call_id: id, content: 'r' });
    const asst = (...ids: string[]) => ({ role: 'assistant', content: '', tool_calls: ids.map(tc) });
    const rejected: [string, unknown, number, string, RegExp][] = [
      ['empty messages', { model: 'qwen-plus', messages: [] }, 400, 'invalid_parameter_error', /non-empty/],
      ['system not first', { model: 'qwen-plus', messages: [user(), { role: 'system', content: 's' }] }, 400, 'invalid_parameter_error', /System message must be at the beginning/],
      ['tool call arguments that are not a JSON object', { model: 'qwen-plus', messages: [user(), { role: 'assistant', content: '', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{"x": 1' } }] }, toolMsg('a')] }, 400, 'invalid_parameter_error', /arguments must be a JSON object/],
      ['orphan tool message', { model: 'qwen-plus', messages: [user(), toolMsg('x')] }, 400, 'invalid_parameter_error', /role 'tool' must be a response/],
      ['tool call unanswered before the next user message', { model: 'qwen-plus', messages: [user(), asst('a', 'b'), toolMsg('a'), user()] }, 400, 'invalid_parameter_error', /Missing responses for: b/],
      ['tool call unanswered at the end', { model: 'qwen-plus', messages: [user(), asst('a')] }, 400, 'invalid_parameter_error', /tool_call_id/],
      ['thinking by default + non-streaming', { model: 'qwen3.6-plus', messages: [user()] }, 400, 'invalid_parameter_error', /enable_thinking must be set to false for non-streaming/],
      ['enable_thinking true + non-streaming', { model: 'qwen-plus', messages: [user()], enable_thinking: true }, 400, 'invalid_parameter_error', /non-streaming/],
      ['always-thinking + non-streaming', { model: 'qwq-plus', messages: [user()] }, 400, 'invalid_parameter_error', /non-streaming/],
      ['thinking + tool_choice required', streamBody('qwen3.6-plus', { tool_choice: 'required' }), 400, 'invalid_parameter_error', /tool_choice/],
      ['thinking + named tool_choice', streamBody('qwen-plus', { enable_thinking: true, tool_choice: { type: 'function', function: { name: 'f' } } }), 400, 'invalid_parameter_error', /tool_choice/],
      ['enable_thinking on qwq-plus', streamBody('qwq-plus', { enable_thinking: true }), 400, 'invalid_parameter_error', /enable_thinking is not supported/],
      ['enable_thinking on a -thinking model', streamBody('qwen3-235b-a22b-thinking-2507', { enable_thinking: true }), 400, 'invalid_parameter_error', /enable_thinking is not supported/],
      ['enable_thinking false on a coder model', streamBody('qwen3-coder-plus', { enable_thinking: false }), 400, 'invalid_parameter_error', /enable_thinking is not supported/],
      ['stream_options without stream', { model: 'qwen-plus', messages: [user()], stream_options: { include_usage: true } }, 400, 'invalid_parameter_error', /stream_options/],
      ['max_tokens above the model maximum', streamBody('qwen-turbo', { max_tokens: 16385 }), 400, 'invalid_parameter_error', /max_tokens should be \[1, 16384\]/],
      ['unknown model', streamBody('qwen-nope'), 404, 'model_not_found', /^The model `qwen-nope` does not exist or you do not have access to it\.$/],
      ['body not JSON', '{"model":', 400, 'invalid_parameter_error', /JSON/],
      ['a content part that is not text', streamBody('qwen3-coder-plus', { messages: [{ role: 'user', content: [{ type: 'image', url: 'x' }] }] }), 400, 'invalid_parameter_error', /must be a text part/],
      ['a cache marker that is not ephemeral', streamBody('qwen3-coder-plus', { messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'persistent' } }] }] }), 400, 'invalid_parameter_error', /ephemeral/],
      ['five cache markers', streamBody('qwen3-coder-plus', { messages: [{ role: 'system', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }] }, ...[1, 2, 3, 4].map(() => ({ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }] }))] }), 400, 'invalid_parameter_error', /at most 4 cache_control markers; this one has 5/],
    ];
    // one test per table, not per row: the rows are the fake's rules, and every mismatch is listed at once
    it(`rejects what DashScope rejects (${rejected.length} cases), with its status, code and message`, async () => {
      const wrong: string[] = [];
      for (const [name, body, status, code, message] of rejected) {
        const res = await post(body);
        const error = await errorOf(res);
        if (res.status !== status || error.code !== code || !message.test(error.message)) {
          wrong.push(`${name}: got ${res.status} ${error.code} "${error.message}"`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    it('rejects a missing or wrong key with the DashScope 401 body', async () => {
      for (const key of [null, 'sk-wrong']) {
        const res = await post(streamBody('qwen-plus'), { key });
        assert.equal(res.status, 401);
        const body = (await res.json()) as { error: unknown; request_id: string };
        assert.deepEqual(body.error, { message: 'Incorrect API key provided. ', type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
      }
    });

    const accepted: [string, unknown][] = [
      ['hybrid-off model, non-streaming', { model: 'qwen-plus', messages: [user()] }],
      ['hybrid-on model with thinking off, non-streaming', { model: 'qwen3.6-plus', messages: [user()], enable_thinking: false }],
      ['a complete tool loop', streamBody('qwen3-max', { messages: [{ role: 'system', content: 's' }, user(), asst('a', 'b'), toolMsg('b'), toolMsg('a'), { role: 'assistant', content: 'done' }, user()] })],
      ['thinking with tool_choice auto', streamBody('qwen3.6-plus', { tool_choice: 'auto', max_tokens: 65536 })],
      ['a dated snapshot', { model: 'qwen-plus-2025-07-14', messages: [user()] }],
      ['a custom- model with no rules', { model: 'custom-llama', messages: [user()], enable_thinking: true, max_tokens: 10 ** 7 }],
    ];
    it(`accepts what DashScope accepts (${accepted.length} cases)`, async () => {
      const wrong: string[] = [];
      for (const [name, body] of accepted) {
        const res = await post(body);
        const text = await res.text();
        if (res.status !== 200) wrong.push(`${name}: got ${res.status} ${text}`);
      }
      assert.deepEqual(wrong, []);
    });

    it('a rejected request does not consume the scripted queue', async () => {
      fake().script({ kind: 'text', text: 'scripted' });
      assert.equal((await post({ model: 'qwen-plus', messages: [] })).status, 400);
      const { chunks } = await streamed(streamBody('qwen-plus'));
      assert.equal(deltas(chunks).map((d) => d.content ?? '').join(''), 'scripted');
    });

    it('with validate: false, accepts anything', async () => {
      await restartFake({ validate: false });
      const res = await post({ model: 'qwen-nope', messages: [] }, { key: null });
      assert.equal(res.status, 200);
      await res.text();
    });
  });
});
