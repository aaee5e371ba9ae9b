// `npm run fake-qwen`: the fake server for manual runs (point qwen.baseUrl at it). PORT picks the port.
// Thinking-on streaming requests get a thinking answer, the rest a short text answer, until Ctrl+C.
import { startFakeQwen } from './fakeQwenServer';

async function main(): Promise<void> {
  const apiKey = process.env.FAKE_QWEN_KEY ?? 'sk-test';
  const fake = await startFakeQwen({ apiKey, port: Number(process.env.PORT ?? 0) });
  fake.defaultScenario = { kind: 'text', text: 'Hello from fake Qwen. This answer streams slowly so you can watch it arrive.', tokensPerSecond: 20, chunkSize: 4 };
  console.log(`fake Qwen listening\n  base URL: ${fake.baseUrl}\n  API key:  ${apiKey}`);
  const stop = (): void => void fake.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
