#!/usr/bin/env node
// `npm run bench`: every benchmark, then one summary. Not a test: figures depend on the machine, so nothing here
// fails a build; a missed target is printed as MISSED.
//   core        host-side SSE → StreamEvents cost (bench/core.bench.ts)
//   render      stream → screen in Chromium: ours vs naive, once per frame, and floor (bench/render/run.mjs)
//   activation  extension activation in code-server (bench/activation.mjs)
//   vsix        the packaged extension's size (scripts/check-vsix.mjs)
// `--only render,vsix` picks some. Each part's failure is reported and the others still run.
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../scripts/lib/codeServer.mjs';
import { benchActivation } from './activation.mjs';
import { benchRender } from './render/run.mjs';

const onlyArg = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const wanted = (name) => !onlyArg || onlyArg.split(',').includes(name);
const summary = [];

function node(args) {
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
  process.stdout.write(r.stdout);
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}:\n${r.stderr.trim()}`);
  return r.stdout;
}

async function part(name, fn) {
  if (!wanted(name)) return;
  console.log(`\n== ${name}`);
  try {
    summary.push(...[await fn()].flat());
  } catch (e) {
    summary.push(`${name}: FAILED — ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}

await part('core', () => {
  node(['scripts/build-tests.mjs']);
  const out = node(['out/bench/core.bench.js']);
  const line = (re) => out.split('\n').find((l) => re.test(l))?.replace(/\s+/g, ' ').trim() ?? '';
  return [`core: ${line(/one SSE event per read/)}`, `core: ${line(/^target/)}`];
});

await part('render', async () => {
  const r = await benchRender();
  const ok = (b) => (b ? 'met' : 'MISSED');
  const shapes = Object.entries(r.shapes).map(([name, s]) => `${name} ${(s.perFrame.mainThreadMs / s.ours.mainThreadMs).toFixed(1)}× / ${s.ours.longestTaskMs.toFixed(0)} ms`).join(', ');
  return [
    `render: ${r.chars.toLocaleString('en')} chars in ${r.ours.chunks.toLocaleString('en')} chunks — ours ${r.ours.mainThreadMs.toFixed(0)} ms main thread, floor ${r.floor.mainThreadMs.toFixed(0)} ms, re-render once per frame ${r.perFrame.mainThreadMs.toFixed(0)} ms; naive ${r.naivePrefix.mainThreadMs.toFixed(0)} ms on the first ${r.naiveChars.toLocaleString('en')} chars (ours ${r.oursPrefix.mainThreadMs.toFixed(0)} ms there)`,
    `render: ours ${r.vsNaiveMeasured.toFixed(1)}× faster than naive (measured on the prefix; ≈ ${r.vsNaiveEstimated.toFixed(0)}× extrapolated to the whole answer), target ≥ 20×: ${ok(r.targets.vsNaive)}; ${r.vsPerFrame.toFixed(1)}× faster than re-rendering once per frame`,
    `render: ours ${r.vsFloor.toFixed(2)}× the floor, target ≤ 3×: ${ok(r.targets.vsFloor)}; longest task ${r.ours.longestTaskMs.toFixed(1)} ms, target ≤ 50 ms: ${ok(r.targets.longestTask)}`,
    `render: one-block answers (ours vs once per frame / longest task): ${shapes}; longest ≤ 50 ms: ${ok(r.targets.shapesLongestTask)}`,
    `render: the whole answer opened from history: longest task ${r.stored.longestTaskMs.toFixed(1)} ms (CPU ${r.stored.longestTaskCpuMs.toFixed(1)} ms), target ≤ 50 ms: ${ok(r.targets.storedLongestTask)}`,
  ];
});

await part('activation', async () => {
  const r = await benchActivation();
  return `activation: ${r.activateMs === undefined ? 'already active before it could be timed' : `${r.activateMs.toFixed(1)} ms (median of ${r.runs}, production bundle, in code-server's extension host)`}`;
});

await part('vsix', () => {
  const out = node(['scripts/check-vsix.mjs']);
  const m = /qwen-coder\.vsix: ([\d.]+ KiB), (\d+) files/.exec(out);
  return `vsix: ${m ? `${m[1]}, ${m[2]} files` : 'size not found in check-vsix output'} (budget 1 MB)`;
});

console.log(`\n== summary\n${summary.map((l) => `  ${l}`).join('\n')}`);
