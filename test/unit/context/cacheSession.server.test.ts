/**
 * A scripted 10-turn chat on qwen3-coder-plus (Beijing prices) that grows from ~22K to ~50K prompt tokens: each turn
 * is budgeted, marked for explicit caching, sent by the real client to the fake server, and its usage goes into the
 * ledger. The fake reports what Model Studio would for these markers: a hit on the block the previous request wrote
 * (its `latest` marker, read again at this request's `previous-turn` marker) and creation of the new block up to
 * this request's `latest` marker. The expected savings and cost are computed here from those numbers with the
 * price table's figures written out, not with the ledger's code. `SESSION_FIGURES=1` prints each turn's figures.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planContext, type Attachment } from '../../../src/core/context/budget';
import { placeCacheMarkers } from '../../../src/core/context/cacheMarkers';
import { Calibrator, REPLY_PRIMER, estimateTokens } from '../../../src/core/context/estimate';
import { ChatLedger, formatLedger } from '../../../src/core/context/ledger';
import type { ApiMessage, ChatMessage } from '../../../src/core/messages';
import { getModel } from '../../../src/core/models';
import { QwenClient, collectTurn } from '../../../src/core/qwenClient';
import { buildChatRequest, type ToolDefinition } from '../../../src/core/requestBuilder';
import { startFakeQwen, type FakeQwenServer } from '../../fakes/fakeQwenServer';
import { repoRoot } from '../../support/repoRoot';

interface Sample {
  kind: string;
  name: string;
  text: string;
}
const samples = (JSON.parse(readFileSync(join(repoRoot(), 'test/fixtures/tokenizer/samples.json'), 'utf8')) as { samples: Sample[] }).samples;
const code = samples.filter((s) => s.kind === 'code');
const SYSTEM = `You are Qwen Coder, a coding assistant in VS Code.\n\n${samples.filter((s) => s.kind === 'prose').slice(3, 5).map((s) => s.text).join('\n\n')}`;
const ATTACHMENTS: Attachment[] = samples.filter((s) => s.kind !== 'chinese').slice(0, 20).map((s) => ({ name: s.name, text: s.text }));
const TOOLS: ToolDefinition[] = [
  { name: 'read_file', description: 'Read a file of the workspace', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
];
const MODEL = 'qwen3-coder-plus';

/** Beijing prices of qwen3-coder-plus (notes), per 1M tokens: [input, output] by the prompt's tier. */
const tierPrice = (prompt: number): [number, number] => (prompt <= 32_000 ? [4, 16] : prompt <= 128_000 ? [6, 24] : [10, 40]);

describe('context: a 10-turn session with explicit caching against the fake server', function () {
  this.timeout(30_000);
  let server: FakeQwenServer;
  let client: QwenClient;
  before(async () => {
    server = await startFakeQwen({ apiKey: 'sk-session' });
    client = new QwenClient({ baseUrl: server.baseUrl, apiKey: 'sk-session', retry: { maxRetries: 0 } });
  });
  after(() => server.close());

  it('the ledger shows the hits, the writes and the money saved that the usage implies', async () => {
    const model = getModel(MODEL);
    const ledger = new ChatLedger();
    const calibrator = new Calibrator();
    const scripted: { prompt: number; cached: number; created: number; completion: number }[] = [];
    let history: ChatMessage[] = [];

    for (let turn = 1; turn <= 10; turn++) {
      const question: ChatMessage = { role: 'user', content: `Turn ${turn}: what should change in ${code[turn % code.length]?.name}?` };
      const plan = planContext({
        model,
        system: SYSTEM,
        tools: TOOLS,
        history: [...history, question],
        ...(turn === 1 && { attachments: ATTACHMENTS }),
        reserveOutput: model.defaultMaxOutputTokens,
        estimator: calibrator,
      });
      assert.equal(plan.dropped, 0, 'a 1M window holds the whole chat');
      const body = buildChatRequest({ model: MODEL, messages: plan.messages, system: SYSTEM, tools: TOOLS });
      const marked = placeCacheMarkers({ model, messages: body.messages, ...(body.tools && { tools: body.tools }) });
      const latest = marked.markers.find((m) => m.reason === 'latest');
      assert.ok(latest, `turn ${turn} writes a block`);
      assert.ok(marked.markers.length <= 4);

      // What the server reports for these markers: the previous block is read, the rest up to `latest` written.
      const prompt = latest.prefixTokens + REPLY_PRIMER;
      const cached = marked.markers.find((m) => m.reason === 'previous-turn')?.prefixTokens ?? 0;
      if (turn > 1) assert.equal(cached, scripted.at(-1)!.cached + scripted.at(-1)!.created, 'reads exactly what the previous turn wrote');
      const answer = [0, 1, 2, 3].map((k) => code[(4 * turn + k) % code.length]?.text).join('\n\n');
      const completion = estimateTokens(answer);
      scripted.push({ prompt, cached, created: latest.prefixTokens - cached, completion });
      server.script({ kind: 'text', text: answer, chunkSize: 4000, usage: { promptTokens: prompt, cachedTokens: cached, cacheCreationTokens: latest.prefixTokens - cached, completionTokens: completion } });

      const reply = await collectTurn(client.stream({ ...body, messages: marked.messages }));
      assert.equal(reply.error, undefined, reply.error?.message);
      assert.ok(reply.usage);
      assert.equal(reply.usage.cacheCreationTokens, latest.prefixTokens - cached);
      calibrator.observeCorrected(plan.usedTokens, reply.usage.promptTokens);
      ledger.add(reply.usage, MODEL, 'beijing', marked.markers.length > 0);

      const sent = server.requests.at(-1)?.body as { messages: ApiMessage[] };
      assert.equal(sent.messages.length, marked.messages.length);
      history = [...plan.messages, { role: 'assistant', content: reply.content }];
      if (process.env['SESSION_FIGURES']) console.log(turn, scripted.at(-1), ledger.entries.at(-1)?.price);
    }

    // ~22K at the start, ~50K at the end, crossing the 32K tier boundary on the way
    assert.ok(scripted[0]!.prompt > 20_000 && scripted[0]!.prompt < 32_000, `first prompt ${scripted[0]!.prompt}`);
    assert.ok(scripted[9]!.prompt > 45_000 && scripted[9]!.prompt < 60_000, `last prompt ${scripted[9]!.prompt}`);
    assert.ok(scripted.some((s) => s.prompt <= 32_000) && scripted.some((s) => s.prompt > 32_000));

    let saved = 0;
    let cost = 0;
    for (const s of scripted) {
      const [input, output] = tierPrice(s.prompt);
      saved += (s.cached * input * (1 - 0.1) - s.created * input * 0.25) / 1e6;
      cost += ((s.prompt - s.cached - s.created) * input + s.cached * input * 0.1 + s.created * input * 1.25 + s.completion * output) / 1e6;
    }
    const summary = ledger.summary();
    assert.equal(summary.requests, 10);
    assert.equal(summary.cachedTokens, scripted.reduce((n, s) => n + s.cached, 0));
    assert.equal(summary.cacheCreationTokens, scripted.reduce((n, s) => n + s.created, 0));
    assert.ok(Math.abs((summary.saved.CNY ?? NaN) - saved) < 1e-9, `saved ${summary.saved.CNY} ≠ ${saved}`);
    assert.ok(Math.abs((summary.cost.CNY ?? NaN) - cost) < 1e-9, `cost ${summary.cost.CNY} ≠ ${cost}`);
    assert.ok(ledger.entries[0]!.price!.saved < 0, 'the first turn only writes: it costs extra');
    assert.ok(saved > 0);
    assert.equal(summary.unknownPrice, 0);
    // The figures of this session with today's estimator tables (they follow the fixture's texts): 367,869 prompt
    // tokens over 10 requests, 315,929 read from cache (85.9%), 51,910 written; saved ¥1.5097, cost ¥1.1923 (¥2.7020
    // without cache). If the estimator changes, the independent sums above still hold; update this line.
    assert.equal(formatLedger(summary), 'cache 315.9K read · 51.9K written · saved ¥1.51');
  });
});
