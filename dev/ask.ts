/**
 * `npm run ask -- [--model id] [--thinking auto|on|off] [--budget n] "prompt"`: one streamed turn through the core,
 * printed as it arrives (reasoning dimmed, then the answer, then usage, speed and cost).
 * With DASHSCOPE_API_KEY set it calls Model Studio (QWEN_REGION=singapore|beijing|virginia or QWEN_BASE_URL);
 * without, it starts the fake Qwen server in-process, so it works offline.
 */
import { QwenClient } from '../src/core/qwenClient';
import { buildChatRequest, effectiveThinking, type ThinkingMode } from '../src/core/requestBuilder';
import { getModel } from '../src/core/models';
import { resolveBaseUrl, regionForBaseUrl } from '../src/core/endpoints';
import { estimateCost, formatCost, priceFor } from '../src/core/pricing';
import { startFakeQwen } from '../test/fakes/fakeQwenServer';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const flagged = new Set(['--model', '--thinking', '--budget'].flatMap((f) => [f, arg(f.slice(2)) ?? '']));
  const prompt = process.argv.slice(2).filter((a) => !flagged.has(a)).join(' ') || 'Write a TypeScript function that debounces another function.';
  const model = arg('model') ?? 'qwen3.6-plus';
  const thinking = (arg('thinking') ?? 'auto') as ThinkingMode;
  const budget = arg('budget');

  const key = process.env['DASHSCOPE_API_KEY'];
  const fake = key ? undefined : await startFakeQwen({ apiKey: 'sk-local' });
  const endpoint = fake ? { ok: true as const, baseUrl: fake.baseUrl } : resolveBaseUrl({ region: process.env['QWEN_REGION'], baseUrl: process.env['QWEN_BASE_URL'] });
  if (!endpoint.ok) throw new Error(endpoint.message);
  if (fake) {
    fake.defaultScenario = { kind: 'text', text: 'This is the fake Qwen server: set DASHSCOPE_API_KEY to talk to Model Studio.', chunkSize: 4, tokensPerSecond: 60 };
  }

  const info = getModel(model);
  console.error(`\x1b[2m${fake ? 'fake Qwen (offline)' : endpoint.baseUrl} · ${model} · ${effectiveThinking(info, thinking).reason}\x1b[0m\n`);
  const client = new QwenClient({ baseUrl: endpoint.baseUrl, apiKey: key ?? 'sk-local', log: (l) => console.error(`\x1b[2m[client] ${l}\x1b[0m`) });
  const body = buildChatRequest({ model, messages: [{ role: 'user', content: prompt }], thinking, ...(budget && { thinkingBudget: Number(budget) }) });

  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  let phase: 'reasoning' | 'content' | undefined;
  for await (const e of client.stream(body, { signal: stop.signal })) {
    if (e.type === 'reasoning') {
      if (phase !== 'reasoning') process.stdout.write('\x1b[2m💭 ');
      phase = 'reasoning';
      process.stdout.write(e.text);
    } else if (e.type === 'content') {
      if (phase === 'reasoning') process.stdout.write('\x1b[0m\n\n');
      phase = 'content';
      process.stdout.write(e.text);
    } else if (e.type === 'toolCall') {
      console.log(`\n🔧 ${e.call.name}(${e.call.argumentsText})${e.call.parseError ? ` ✖ ${e.call.parseError}` : ''}`);
    } else if (e.type === 'retry') {
      console.error(`\x1b[33m↻ ${e.error.message} Retrying in ${(e.delayMs / 1000).toFixed(1)} s (attempt ${e.attempt}).\x1b[0m`);
    } else if (e.type === 'error') {
      console.error(`\x1b[0m\n\x1b[31m✖ ${e.error.kind}: ${e.error.message}\x1b[0m  [${e.error.actions.map((a) => a.label).join(' | ')}]`);
    } else if (e.type === 'usage') {
      const u = e.usage;
      const region = regionForBaseUrl(endpoint.baseUrl);
      const price = region ? priceFor(model, region) : undefined;
      const cost = price ? formatCost(estimateCost(u, price)) : 'cost unknown';
      console.error(`\x1b[0m\n\n\x1b[2mtokens in ${u.promptTokens} (cached ${u.cachedTokens}) · out ${u.completionTokens} (reasoning ${u.reasoningTokens}) · ${cost}\x1b[0m`);
    } else if (e.type === 'finish') {
      const m = e.metrics;
      console.error(`\x1b[2mfinish: ${e.reason} · first token ${m.timeToFirstTokenMs ?? '–'} ms · ${m.tokensPerSecond?.toFixed(1) ?? '–'} tokens/s\x1b[0m`);
    }
  }
  await fake?.close();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
