// The qwen.* settings as the chat reads them: settings.json accepts any JSON, the chat must not break on it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TOOL_SETTINGS } from '../../../src/core/chat/ports';
import { DEFAULT_MODEL, parseChatSettings, SettingWarnings, type SettingKey } from '../../../src/core/chat/settings';
import { buildSettingsView } from '../../../src/core/chat/settingsView';
import { endpointKey, mayUseEnvKey, resolveBaseUrl } from '../../../src/core/endpoints';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS } from '../../../src/core/qwenClient';
import { TEMPERATURE_RANGE, buildChatRequest } from '../../../src/core/requestBuilder';
import { repoRoot } from '../../support/repoRoot';
import { ask, useChatServer } from './harness';

function parse(values: Partial<Record<SettingKey, unknown>>): { settings: ReturnType<typeof parseChatSettings>; warnings: string[] } {
  const warnings: string[] = [];
  const settings = parseChatSettings((key) => values[key], (w) => warnings.push(w));
  return { settings, warnings };
}

const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown; minimum?: number; maximum?: number; exclusiveMaximum?: number }> } };
};
const schema = (key: string) => manifest.contributes.configuration.properties[`qwen.${key}`];

describe('Chat settings of the wrong type', () => {
  const qwen = useChatServer();

  it('unset settings give the defaults, with no warning', () => {
    const { settings, warnings } = parse({});
    assert.deepEqual(settings, { tools: DEFAULT_TOOL_SETTINGS, model: DEFAULT_MODEL, thinking: 'auto', requestTimeoutSeconds: DEFAULT_REQUEST_TIMEOUT_SECONDS, region: 'singapore', explicitCache: true });
    assert.deepEqual(warnings, []);
  });

  it('null, numbers and objects where text belongs, text where numbers belong: defaults and one warning each', () => {
    const { settings, warnings } = parse({
      baseUrl: null,
      model: null,
      region: 5,
      thinking: { on: true },
      thinkingBudget: 'lots',
      maxOutputTokens: -3,
      temperature: 'warm',
      requestTimeoutSeconds: '60',
    });
    assert.deepEqual(settings, { tools: DEFAULT_TOOL_SETTINGS, model: DEFAULT_MODEL, thinking: 'auto', requestTimeoutSeconds: DEFAULT_REQUEST_TIMEOUT_SECONDS, region: 'singapore', explicitCache: true });
    assert.equal(warnings.length, 8, warnings.join('\n'));
    assert.match(warnings.join('\n'), /Ignored qwen\.region = 5: expected text; using "singapore"/);
    assert.match(warnings.join('\n'), /Ignored qwen\.baseUrl = null/);
    // and everything built from them works
    assert.equal(buildSettingsView(settings, { source: 'none' }).endpointLabel, 'Model Studio (Singapore)');
  });

  it('tool settings: good values are taken, wrong ones fall back one by one with a warning', () => {
    const good = parse({ 'tools.autoApprove': { readOnly: false, edits: true }, 'tools.maxTurns': 7, 'tools.spendCap': 0.5 });
    assert.deepEqual(good.settings.tools, { autoApprove: { readOnly: false, edits: true, commands: false }, maxTurns: 7, spendCap: 0.5 });
    assert.deepEqual(good.warnings, []);
    const bad = parse({ 'tools.autoApprove': { readOnly: 'yes', commands: true }, 'tools.maxTurns': 2.5, 'tools.spendCap': -1 });
    assert.deepEqual(bad.settings.tools, { autoApprove: { readOnly: true, edits: false, commands: true }, maxTurns: 25 });
    assert.equal(bad.warnings.length, 3, bad.warnings.join('\n'));
    assert.match(bad.warnings.join('\n'), /qwen\.tools\.autoApprove .*readOnly/);
    assert.deepEqual(parse({ 'tools.autoApprove': [true] }).settings.tools?.autoApprove, DEFAULT_TOOL_SETTINGS.autoApprove);
    assert.equal(schema('tools.maxTurns')?.default, DEFAULT_TOOL_SETTINGS.maxTurns, 'package.json and the code agree');
  });

  it('the chat spend cap and explicit caching: good values are taken, wrong ones fall back with a warning', () => {
    const good = parse({ spendCap: 2, 'cache.explicit': false });
    assert.equal(good.settings.spendCap, 2);
    assert.equal(good.settings.explicitCache, false);
    assert.deepEqual(good.warnings, []);
    const bad = parse({ spendCap: 'lots', 'cache.explicit': 'no' });
    assert.equal(bad.settings.spendCap, undefined);
    assert.equal(bad.settings.explicitCache, true);
    assert.equal(bad.warnings.length, 2, bad.warnings.join('\n'));
    assert.equal(schema('cache.explicit')?.default, true, 'package.json and the code agree');
  });

  it('null temperature is the schema\'s "model default", not a mistake', () => {
    assert.deepEqual(parse({ temperature: null }).warnings, []);
    assert.equal(parse({ temperature: 0.4 }).settings.temperature, 0.4);
  });

  it('endpoint functions take mistyped values as unset instead of throwing', () => {
    const odd = { region: 5, baseUrl: null } as unknown as { region: string; baseUrl: string };
    const resolved = resolveBaseUrl(odd);
    assert.ok(resolved.ok && resolved.region === 'singapore');
    assert.equal(endpointKey(odd), 'region:singapore');
  });

  it('a controller whose settings are all wrong still answers ready with a snapshot and sends', async () => {
    const rig = qwen.rig();
    const base = rig.host.settings.baseUrl;
    rig.host.readSettings = () => parseChatSettings((key) => ({ baseUrl: base, model: 7, region: null, thinking: [] })[key as string], () => undefined);
    await rig.chat.handle({ type: 'ready' });
    assert.equal((await rig.host.waitFor('snapshot')).snapshot.settings.model, DEFAULT_MODEL);
    assert.equal((await ask(rig, 'still works?')).ended.message.status, 'done');
  });

  it("package.json's defaults and ranges are the code's", () => {
    assert.equal(schema('requestTimeoutSeconds')?.default, DEFAULT_REQUEST_TIMEOUT_SECONDS);
    assert.equal(schema('model')?.default, DEFAULT_MODEL);
    const t = schema('temperature');
    assert.deepEqual([t?.minimum, t?.exclusiveMaximum, t?.maximum], [TEMPERATURE_RANGE.minimum, TEMPERATURE_RANGE.exclusiveMaximum, undefined]);
    const messages = [{ role: 'user' as const, content: 'x' }];
    assert.equal(buildChatRequest({ model: 'qwen-plus', messages, temperature: 1.99 }).temperature, 1.99);
    assert.throws(() => buildChatRequest({ model: 'qwen-plus', messages, temperature: TEMPERATURE_RANGE.exclusiveMaximum }), /out of range/);
  });
});

describe('DASHSCOPE_API_KEY goes only where it is safe', () => {
  it('to Model Studio over https and to this machine over anything; never plain http across the network', () => {
    assert.equal(mayUseEnvKey({ region: 'beijing' }), true);
    assert.equal(mayUseEnvKey({ baseUrl: 'https://ws1.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1' }), true);
    assert.equal(mayUseEnvKey({ baseUrl: 'http://dashscope.aliyuncs.com/compatible-mode/v1' }), false);
    assert.equal(mayUseEnvKey({ baseUrl: 'http://localhost:4000/v1' }), true);
    assert.equal(mayUseEnvKey({ baseUrl: 'http://127.0.0.1:4000/v1' }), true);
    assert.equal(mayUseEnvKey({ baseUrl: 'https://my-vllm.example.com/v1' }), false);
    assert.equal(mayUseEnvKey({ region: 'mars' }), false);
  });
});

describe('Setting warnings', () => {
  it('a wrong value is reported once while it stays, through other changes; fixed and broken again, it is news again', () => {
    const reported: string[] = [];
    const warnings = new SettingWarnings((m) => reported.push(m));
    // every read (a request, or the one a settings change triggers) is a whole read of the settings
    const read = (values: Partial<Record<SettingKey, unknown>>): void => {
      const now: string[] = [];
      parseChatSettings((key) => values[key], (w) => now.push(w));
      warnings.update(now);
    };
    read({ region: 5 });
    read({ region: 5 }); // a request
    read({ region: 5, model: 'qwen3-coder-flash' }); // an unrelated change
    assert.equal(reported.length, 1, reported.join(' | '));
    assert.match(reported[0]!, /qwen\.region = 5/);
    read({ region: 'beijing' }); // fixed
    read({ region: 5 }); // broken again
    read({ region: 6 }); // another wrong value
    assert.deepEqual(reported.map((m) => /= (\d+)/.exec(m)?.[1]), ['5', '5', '6']);
  });
});
