import assert from 'node:assert/strict';
import { QwenError, classifyHttpFailure, parseRetryAfter, type QwenErrorKind } from '../../src/core/errors';
import { describeEndpoint } from '../../src/core/endpoints';

const SG = 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1';

describe('errors: classifying what the server said', () => {
  // [status, code, message, expected kind] — codes and messages as DashScope sends them.
  const table: [number | undefined, string | undefined, string, QwenErrorKind][] = [
    [401, 'invalid_api_key', 'Incorrect API key provided. ', 'auth'],
    [401, 'InvalidApiKey', 'Invalid API-key provided.', 'auth'],
    [403, 'AccessDenied', 'Access denied.', 'auth'],
    [400, 'Arrearage', 'Access denied, please make sure your account is in good standing.', 'quota'],
    [403, 'AllocationQuota.FreeTierOnly', 'The free tier of the model has been exhausted.', 'quota'],
    [400, 'data_inspection_failed', 'Input data may contain inappropriate content.', 'contentInspection'],
    [400, 'DataInspectionFailed', 'Output data may contain inappropriate content.', 'contentInspection'],
    [429, 'Throttling', 'Requests rate limit exceeded, please try again later.', 'rateLimit'],
    [429, 'insufficient_quota', 'You exceeded your current quota.', 'rateLimit'],
    [429, 'Throttling.AllocationQuota', 'Allocated quota exceeded, please increase your quota limit.', 'rateLimit'],
    [400, 'invalid_parameter_error', 'parameter.enable_thinking must be set to false for non-streaming calls', 'badRequest'],
    [404, 'model_not_found', 'The model `qwen9` does not exist or you do not have access to it.', 'modelNotFound'],
    [500, 'internal_error', 'An internal error has occured.', 'server'],
    [503, 'ServiceUnavailable', 'Service unavailable.', 'server'],
    [undefined, 'InternalError.Algo', 'An internal error has occured during inference.', 'streamError'],
    [undefined, 'data_inspection_failed', 'Output data may contain inappropriate content.', 'contentInspection'],
    [undefined, 'Throttling', 'Requests rate limit exceeded.', 'rateLimit'],
  ];
  for (const [status, code, message, kind] of table) {
    it(`${status ?? 'in-stream'} ${code} → ${kind}`, () => {
      const e = classifyHttpFailure({ ...(status !== undefined && { status }), ...(code !== undefined && { code }), message, endpoint: SG });
      assert.equal(e.kind, kind);
      assert.equal(e.code, code);
      assert.ok(e.message.length > 20, 'a sentence for the user');
      assert.ok(e.actions.length > 0, 'at least one action');
    });
  }

  it('auth names the region used and offers key and region', () => {
    const e = classifyHttpFailure({ status: 401, code: 'invalid_api_key', message: 'Incorrect API key provided.', endpoint: SG });
    assert.match(e.message, /Model Studio \(Singapore\) at https:\/\/dashscope-intl/);
    assert.match(e.message, /region-specific/);
    assert.deepEqual(e.actions.map((a) => a.id), ['setApiKey', 'switchRegion']);
  });

  it("auth at a regional URL typed as qwen.baseUrl points at that setting, not at Switch region", () => {
    const e = classifyHttpFailure({ status: 401, code: 'invalid_api_key', endpoint: SG, customEndpoint: true });
    assert.deepEqual(e.actions.map((a) => a.id), ['setApiKey', 'openSettings']);
    assert.match(e.message, /change qwen\.baseUrl/);
    assert.doesNotMatch(e.message, /switch the region/);
  });

  it('a bad request quotes the server, an empty one says no reason was given', () => {
    assert.match(classifyHttpFailure({ status: 400, message: 'max_tokens too large' }).message, /The server said: max_tokens too large/);
    assert.match(classifyHttpFailure({ status: 400 }).message, /No reason was given/);
  });

  it('content inspection offers no Retry (the same history fails again); rate limits, 5xx and network do', () => {
    const ids = (e: QwenError) => e.actions.map((a) => a.id);
    assert.ok(!ids(classifyHttpFailure({ status: 400, code: 'data_inspection_failed' })).includes('retry'));
    assert.ok(ids(classifyHttpFailure({ status: 429 })).includes('retry'));
    assert.ok(ids(classifyHttpFailure({ status: 502 })).includes('retry'));
    assert.ok(ids(new QwenError({ kind: 'network', message: 'x' })).includes('retry'));
  });

  it('429 carries Retry-After as a wait, in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    assert.equal(classifyHttpFailure({ status: 429, retryAfter: '7' }, now).retryAfterMs, 7000);
    assert.equal(classifyHttpFailure({ status: 429, retryAfter: 'Sun, 22 Nov 2026 10:00:30 GMT' }, now).retryAfterMs, 30_000);
    assert.match(classifyHttpFailure({ status: 429, retryAfter: '7' }, now).message, /7 s/);
    assert.equal(classifyHttpFailure({ status: 429 }, now).retryAfterMs, undefined);
  });

  it('parseRetryAfter ignores garbage and clamps past dates to 0', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('1.5', now), 1500);
    assert.equal(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now), 0);
  });

  it('describeEndpoint names DashScope regions and other hosts', () => {
    assert.equal(describeEndpoint(SG), 'Model Studio (Singapore)');
    assert.equal(describeEndpoint('https://dashscope.aliyuncs.com/compatible-mode/v1'), 'Model Studio (Beijing)');
    assert.equal(describeEndpoint('https://dashscope-us.aliyuncs.com/compatible-mode/v1'), 'Model Studio (Virginia)');
    assert.equal(describeEndpoint('http://localhost:11434/v1'), 'localhost:11434');
    assert.equal(describeEndpoint('not a url'), 'not a url');
  });

  it('toJSON is plain data for logs and webviews: no stack, no cause', () => {
    const e = new QwenError({ kind: 'network', message: 'down', cause: new Error('ECONNRESET'), endpoint: SG });
    const json = e.toJSON();
    assert.equal(json['kind'], 'network');
    assert.equal('stack' in json, false);
    assert.equal('cause' in json, false);
    assert.doesNotThrow(() => JSON.stringify(json));
  });
});
