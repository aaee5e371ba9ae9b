import assert from 'node:assert/strict';
import { buildSettingsView } from '../../../src/core/chat/settingsView';
import type { ChatSettings } from '../../../src/core/chat/ports';
import { listModels } from '../../../src/core/models';

const base: ChatSettings = { model: 'qwen3-coder-plus', thinking: 'auto', requestTimeoutSeconds: 600, region: 'singapore' };
const secret = { apiKey: 'sk-x', source: 'secret' } as const;

describe('Settings view', () => {
  it('says what the next request will do with thinking, in the user\'s words', () => {
    const coder = buildSettingsView(base, secret);
    assert.deepEqual([coder.thinkingOn, coder.thinkingFixed, coder.thinkingNote], [false, true, 'Qwen3 Coder Plus does not think']);
    const qwq = buildSettingsView({ ...base, model: 'qwq-plus', thinking: 'off' }, secret);
    assert.deepEqual([qwq.thinkingOn, qwq.thinkingFixed, qwq.thinkingNote], [true, true, 'QwQ Plus always thinks']);
    const on = buildSettingsView({ ...base, model: 'qwen-plus', thinking: 'on', thinkingBudget: 4096 }, secret);
    assert.deepEqual([on.thinkingOn, on.thinkingFixed, on.thinkingNote], [true, false, 'Thinking on · budget 4,096 tokens']);
    const auto = buildSettingsView({ ...base, model: 'qwen-plus' }, secret);
    assert.deepEqual([auto.thinkingOn, auto.thinkingNote], [false, 'Thinking off (model default)']);
    const byDefault = buildSettingsView({ ...base, model: 'qwen3.6-plus' }, secret);
    assert.deepEqual([byDefault.thinkingOn, byDefault.thinkingNote], [true, 'Thinking on (model default)']);
    assert.equal(buildSettingsView({ ...base, model: 'qwen3.6-plus', thinking: 'off' }, secret).thinkingNote, 'Thinking off');
  });

  it('names the endpoint and where the key comes from, never the key', () => {
    const sg = buildSettingsView(base, secret);
    assert.deepEqual([sg.endpointLabel, sg.region, sg.customBaseUrl, sg.keySource], ['Model Studio (Singapore)', 'singapore', false, 'secret']);
    assert.ok(!JSON.stringify(sg).includes('sk-x'));
    const bj = buildSettingsView({ ...base, region: 'beijing' }, { apiKey: 'sk-env', source: 'env' });
    assert.deepEqual([bj.endpointLabel, bj.keySource], ['Model Studio (Beijing)', 'env']);
    const none = buildSettingsView({ ...base, region: 'virginia' }, { source: 'none' });
    assert.deepEqual([none.endpointLabel, none.keySource], ['Model Studio (Virginia)', 'none']);
  });

  it('a local OpenAI-compatible server needs no key; a Model Studio workspace URL does', () => {
    const local = buildSettingsView({ ...base, model: 'qwen3-coder:30b', baseUrl: 'http://localhost:11434/v1' }, { source: 'none' });
    assert.deepEqual([local.endpointLabel, local.customBaseUrl, local.keySource], ['localhost:11434', true, 'notNeeded']);
    assert.equal(local.models[0]?.id, 'qwen3-coder:30b', 'a model outside the catalog is offered first');
    const workspace = buildSettingsView({ ...base, baseUrl: 'https://ws1.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1' }, { source: 'none' });
    assert.deepEqual([workspace.endpointLabel, workspace.keySource], ['Model Studio (ws1.ap-southeast-1.maas.aliyuncs.com)', 'none']);
    const bad = buildSettingsView({ ...base, region: 'mars' }, secret);
    assert.deepEqual([bad.endpointLabel, bad.region], ['Invalid endpoint setting', 'singapore']);
  });

  it('offers the catalog as model choices', () => {
    const view = buildSettingsView(base, secret);
    assert.equal(view.models.length, listModels().length);
    assert.deepEqual(view.models.find((m) => m.id === 'qwq-plus'), { id: 'qwq-plus', label: 'QwQ Plus', thinking: 'always' });
    assert.equal(view.modelLabel, 'Qwen3 Coder Plus');
  });
});
