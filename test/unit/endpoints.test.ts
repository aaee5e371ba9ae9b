import assert from 'node:assert/strict';
import {
  DEFAULT_REGION,
  REGION_BASE_URLS,
  endpointKey,
  isDashScope,
  isRegion,
  regionForBaseUrl,
  resolveBaseUrl,
  type ResolvedEndpoint,
} from '../../src/core/endpoints';
import { describeEndpoint, endpointLabel } from '../../src/core/endpoints';

function ok(r: ResolvedEndpoint): Extract<ResolvedEndpoint, { ok: true }> {
  if (!r.ok) assert.fail(`expected ok, got: ${r.message}`);
  return r;
}

function failure(r: ResolvedEndpoint): string {
  if (r.ok) assert.fail(`expected an error, got ${r.baseUrl}`);
  return r.message;
}

describe('endpoints', () => {
  describe('resolveBaseUrl', () => {
    it('maps each region to its documented base URL', () => {
      assert.equal(ok(resolveBaseUrl({ region: 'singapore' })).baseUrl, 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1');
      assert.equal(ok(resolveBaseUrl({ region: 'beijing' })).baseUrl, 'https://dashscope.aliyuncs.com/compatible-mode/v1');
      assert.equal(ok(resolveBaseUrl({ region: 'virginia' })).baseUrl, 'https://dashscope-us.aliyuncs.com/compatible-mode/v1');
    });

    it('defaults to Singapore when nothing is set', () => {
      const r = ok(resolveBaseUrl({}));
      assert.equal(DEFAULT_REGION, 'singapore');
      assert.equal(r.region, 'singapore');
      assert.equal(r.custom, false);
    });

    it('reports an unknown region with the valid choices', () => {
      const message = failure(resolveBaseUrl({ region: 'us' }));
      assert.match(message, /"us"/);
      assert.match(message, /singapore, beijing, virginia/);
    });

    it('lets a non-empty custom base URL win over the region', () => {
      const r = ok(resolveBaseUrl({ region: 'beijing', baseUrl: 'http://localhost:8000/v1' }));
      assert.equal(r.baseUrl, 'http://localhost:8000/v1');
      assert.equal(r.custom, true);
      assert.equal(r.region, undefined);
    });

    it('ignores a blank custom base URL', () => {
      assert.equal(ok(resolveBaseUrl({ region: 'beijing', baseUrl: '   ' })).region, 'beijing');
    });

    it('trims whitespace and trailing slashes', () => {
      assert.equal(ok(resolveBaseUrl({ baseUrl: '  http://localhost:11434/v1///  ' })).baseUrl, 'http://localhost:11434/v1');
    });

    it('strips a pasted /chat/completions suffix (the SDK appends it)', () => {
      assert.equal(ok(resolveBaseUrl({ baseUrl: 'http://127.0.0.1:1234/v1/chat/completions/' })).baseUrl, 'http://127.0.0.1:1234/v1');
    });

    it('recognises a regional URL typed as a custom base URL', () => {
      const r = ok(resolveBaseUrl({ baseUrl: 'https://DASHSCOPE.aliyuncs.com/compatible-mode/v1/' }));
      assert.equal(r.region, 'beijing');
      assert.equal(r.custom, true);
    });

    it('accepts a workspace host', () => {
      const url = 'https://ws123.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1';
      assert.equal(ok(resolveBaseUrl({ baseUrl: url })).baseUrl, url);
    });

    it('explains a host typed without a scheme and suggests the full URL', () => {
      const message = failure(resolveBaseUrl({ baseUrl: 'dashscope-intl.aliyuncs.com' }));
      assert.match(message, /no scheme/);
      assert.match(message, /https:\/\/dashscope-intl\.aliyuncs\.com\/compatible-mode\/v1/);
    });

    it('suggests https:// for a bare local host too', () => {
      assert.match(failure(resolveBaseUrl({ baseUrl: 'localhost:8000/v1' })), /https:\/\/localhost:8000\/v1/);
    });

    it('refuses other schemes', () => {
      assert.match(failure(resolveBaseUrl({ baseUrl: 'ftp://example.com/v1' })), /http:\/\/ or https:\/\//);
    });

    it('refuses an unparsable URL', () => {
      assert.match(failure(resolveBaseUrl({ baseUrl: 'http://' })), /not a valid URL/);
    });

    it('refuses a query or fragment', () => {
      assert.match(failure(resolveBaseUrl({ baseUrl: 'https://example.com/v1?x=1' })), /query/);
    });

    it('points a DashScope host without /compatible-mode/v1 at the right path', () => {
      const message = failure(resolveBaseUrl({ baseUrl: 'https://dashscope-intl.aliyuncs.com/api/v1' }));
      assert.match(message, /https:\/\/dashscope-intl\.aliyuncs\.com\/compatible-mode\/v1/);
    });
  });

  describe('endpointKey', () => {
    it('names regions by region', () => {
      assert.equal(endpointKey({ region: 'virginia' }), 'region:virginia');
      assert.equal(endpointKey({}), 'region:singapore');
    });

    it('names custom URLs by their normalised URL', () => {
      assert.equal(endpointKey({ region: 'beijing', baseUrl: 'HTTP://LocalHost:8000/v1/' }), 'url:http://localhost:8000/v1');
    });

    it('gives a regional URL typed as custom the region key, so one key serves both', () => {
      assert.equal(endpointKey({ baseUrl: `${REGION_BASE_URLS.beijing}/` }), 'region:beijing');
    });

    it('is stable for equivalent spellings', () => {
      assert.equal(endpointKey({ baseUrl: 'http://h:1/v1' }), endpointKey({ baseUrl: ' http://h:1/v1/ ' }));
    });

    it('still names an invalid custom URL', () => {
      assert.equal(endpointKey({ baseUrl: 'example.com/v1/' }), 'url:example.com/v1');
    });
  });

  describe('isDashScope / regionForBaseUrl', () => {
    it('recognises the regional and workspace hosts', () => {
      for (const url of Object.values(REGION_BASE_URLS)) assert.equal(isDashScope(url), true, url);
      assert.equal(isDashScope('https://abc.cn-beijing.maas.aliyuncs.com/compatible-mode/v1'), true);
    });

    it('rejects other hosts and garbage', () => {
      assert.equal(isDashScope('http://localhost:8000/v1'), false);
      assert.equal(isDashScope('https://evil-dashscope.aliyuncs.com.example.com/v1'), false);
      assert.equal(isDashScope('not a url'), false);
    });

    it('finds the region of a regional URL', () => {
      assert.equal(regionForBaseUrl('https://dashscope-us.aliyuncs.com/compatible-mode/v1/'), 'virginia');
      assert.equal(regionForBaseUrl('http://localhost/v1'), undefined);
    });

    it('isRegion guards setting values', () => {
      assert.equal(isRegion('beijing'), true);
      assert.equal(isRegion('Beijing'), false);
      assert.equal(isRegion(undefined), false);
    });

    it('names every endpoint one way, the way the header, the password prompt and the cards show it', () => {
      assert.equal(describeEndpoint(REGION_BASE_URLS.virginia), 'Model Studio (Virginia)');
      assert.equal(describeEndpoint(REGION_BASE_URLS.singapore), 'Model Studio (Singapore)');
      assert.equal(describeEndpoint(REGION_BASE_URLS.beijing), 'Model Studio (Beijing)');
      assert.equal(endpointLabel({ region: 'beijing' }), 'Model Studio (Beijing)');
      assert.equal(endpointLabel({ baseUrl: 'http://localhost:11434/v1' }), 'localhost:11434');
      assert.equal(endpointLabel({ region: 'mars' }), 'Invalid endpoint setting');
    });
  });
});
