#!/usr/bin/env node
// `npm run bench:activation`: how long the extension takes to activate in a real VS Code (code-server + Chromium,
// scripts/lib/codeServer.mjs), measured inside the extension host by bench/activation/index.ts: from the
// activate() call to its promise resolving (loading dist/extension.js included). The production bundle is used, as
// users get it. Median of BENCH_RUNS (3) fresh windows. Writes .tmp/bench/activation.json. Not a test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../scripts/lib/codeServer.mjs';
import { runWithResultFile } from '../scripts/lib/results.mjs';

const RUNS = Number(process.env.BENCH_RUNS) || 3;

function build(args) {
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
}

/** Times activation RUNS times; returns the median and every run. */
export async function benchActivation({ log = (l) => console.log(l) } = {}) {
  build(['scripts/build.mjs', '--production']);
  build(['scripts/build-tests.mjs']);
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const { run, result, error } = await runWithResultFile({
      extensionTestsPath: join(repoRoot, 'out/bench/activation/index.js'),
      resultEnv: 'QWEN_BENCH_RESULT',
      timeoutMs: 120_000,
      log: () => {},
    });
    if (run.code !== 0 || error !== undefined) {
      throw new Error(`activation run ${i + 1} failed (exit ${run.code}, timed out: ${run.timedOut})${error ? `: ${error}` : ''}`);
    }
    runs.push(result);
  }
  const times = runs.map((r) => r.activateMs).filter((ms) => typeof ms === 'number').sort((a, b) => a - b);
  const result = {
    runs: RUNS,
    activateMs: times.length ? times[Math.floor(times.length / 2)] : undefined,
    all: runs,
    commandsRegistered: runs[0]?.commands ?? 0,
  };
  log(result.activateMs === undefined
    ? `bench:activation — the extension was already active when the bench started in every run (activates at startup?)`
    : `bench:activation — activate() resolved in ${result.activateMs.toFixed(1)} ms (median of ${times.length}; runs: ${times.map((t) => t.toFixed(1)).join(', ')}), ${result.commandsRegistered} contributed commands registered`);
  mkdirSync(join(repoRoot, '.tmp', 'bench'), { recursive: true });
  writeFileSync(join(repoRoot, '.tmp', 'bench', 'activation.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchActivation();
}
