#!/usr/bin/env node
/* global window -- page.evaluate callbacks run in the benchmark page */
// `npm run bench:render`: stream → screen in real Chromium (Debian's, through playwright-core), not a test.
// One ~200K-character markdown answer (bench/render/corpus.ts) arrives in 16-character chunks, each its own task,
// CHUNKS_PER_FRAME per animation frame (≈ 30K characters a second, faster than any model streams), for:
//   ours   webview/render/markdownStream.ts (settled blocks once, the tail re-parsed at most once per frame)
//   naive  re-parse the whole text and replace the DOM per chunk, with our own pipeline (marked + highlight.js +
//          DOMPurify), so only incrementality differs. Quadratic: on 200K it would take many minutes, so it runs on
//          two prefixes (NAIVE_CHARS and half of it); ours is measured on the same prefix for a measured ratio, and
//          naive's full-length cost is extrapolated with the growth exponent seen between the two prefixes.
//   floor  the raw text appended to a <pre>: the least any renderer can do.
//   stored the whole answer opened at once, as a conversation loaded from history (a fresh page, so the warm-up
//          counts too); measured until it is all on screen and highlighted. Its longest task is the target there.
//          After each run the page checks that the sliced render left the same DOM as one render of the whole text.
// Main-thread time and the longest task come from a Chromium trace (top-level RunTask events on the renderer's main
// thread), so style, layout and paint count, not only JavaScript. Median of BENCH_RUNS runs, each on a fresh page.
// Each longest task is also given in thread (CPU) time: on a loaded machine wall time includes the OS running
// other processes in the middle of a task; the targets are judged on wall time.
// Env: BENCH_RUNS (3), BENCH_CHARS (200000), NAIVE_CHARS (12000), CHUNKS_PER_FRAME (32). Prints a table and targets;
// writes .tmp/bench/render.json for `npm run bench`'s summary.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS, repoRoot, toolPaths } from '../../scripts/lib/codeServer.mjs';

const RUNS = Number(process.env.BENCH_RUNS) || 3;
const CHARS = Number(process.env.BENCH_CHARS) || 200_000;
const NAIVE_CHARS = Number(process.env.NAIVE_CHARS) || 12_000;
const CHUNK = 16;
const CHUNKS_PER_FRAME = Number(process.env.CHUNKS_PER_FRAME) || 32;
const TARGETS = { vsNaive: 20, vsFloor: 3, longestTaskMs: 50 };

const outDir = join(repoRoot, '.tmp', 'bench');

async function buildPage() {
  mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(repoRoot, 'bench/render/page.ts')],
    bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: true, write: false, logLevel: 'warning',
  });
  const js = result.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
  // styles close to the chat view's, so layout does real work: wrapped prose, tables, scrolling code
  const css = `body{font:13px/1.5 system-ui,sans-serif;margin:0;background:#1f1f1f;color:#ccc}
#answer{width:420px;padding:8px;overflow-wrap:anywhere}pre{overflow-x:auto;background:#181818;padding:6px}
table{border-collapse:collapse}td,th{border:1px solid #444;padding:2px 6px}code{font-family:monospace}`;
  const file = join(outDir, 'render.html');
  writeFileSync(file, `<!doctype html><meta charset="utf-8"><style>${css}</style><div id="answer"></div><script>${js}</script>`);
  return pathToFileURL(file).href;
}

const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

/** Top-level tasks on the page's renderer main thread, from trace events, with what filled the longest one. */
function mainThreadTasks(events) {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`));
  const tasks = onMain.filter((e) => TASK_NAMES.has(e.name)).sort((a, b) => a.ts - b.ts);
  // nested run loops would count twice: keep tasks not inside another one on the same thread
  const top = [];
  let end = -1;
  for (const t of tasks) {
    if (t.ts >= end) {
      top.push(t);
      end = t.ts + (t.dur ?? 0);
    }
  }
  const holds = (task) => {
    const inside = {};
    for (const e of onMain) {
      if (TASK_NAMES.has(e.name) || e.ts < task.ts || e.ts > task.ts + task.dur) continue;
      inside[e.name] = (inside[e.name] ?? 0) + (e.dur ?? 0) / 1000;
    }
    return Object.entries(inside).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', ');
  };
  const t0 = top[0]?.ts ?? 0;
  const longest = [...top].sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, 3);
  const breakdown = longest.map((t) => `${((t.dur ?? 0) / 1000).toFixed(0)} ms (CPU ${((t.tdur ?? 0) / 1000).toFixed(0)}) at +${((t.ts - t0) / 1000).toFixed(0)} ms [${holds(t)}]`).join('; ');
  // thread time (tdur): what the task cost this thread, without the time the OS gave other processes meanwhile
  return { durations: top.map((t) => (t.dur ?? 0) / 1000), cpuDurations: top.map((t) => (t.tdur ?? t.dur ?? 0) / 1000), breakdown };
}

async function measure(context, url, mode, chars) {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.evaluate(([m, c, k]) => window.bench.prepare(m, c, k), [mode, chars, CHUNK]);
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
    const r = await page.evaluate((k) => window.bench.run(k), CHUNKS_PER_FRAME);
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    const { durations, cpuDurations, breakdown } = mainThreadTasks(events);
    if (!durations.length) throw new Error('the trace holds no main-thread tasks');
    if (mode === 'stored' && !(await page.evaluate(() => window.bench.sameAsOneShot()))) {
      throw new Error('the stored answer rendered in slices differs from one render of the whole text');
    }
    return { ...r, mainThreadMs: durations.reduce((a, b) => a + b, 0), longestTaskMs: Math.max(...durations), longestTaskCpuMs: Math.max(...cpuDurations), tasks: durations.length, breakdown };
  } finally {
    await page.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function series(context, url, mode, chars, log) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await measure(context, url, mode, chars);
    if (Math.abs(r.textLength - chars) > chars * 0.2 && mode !== 'ours') log(`  warning: ${mode} shows ${r.textLength} of ${chars} characters`);
    runs.push(r);
  }
  const summary = {
    mode, chars, chunks: runs[0].chunks, runs: RUNS,
    mainThreadMs: median(runs.map((r) => r.mainThreadMs)),
    longestTaskMs: median(runs.map((r) => r.longestTaskMs)),
    longestTaskCpuMs: median(runs.map((r) => r.longestTaskCpuMs)),
    elapsedMs: median(runs.map((r) => r.elapsedMs)),
    textLength: runs[0].textLength,
    longestTaskHolds: runs.find((r) => r.longestTaskMs === median(runs.map((x) => x.longestTaskMs)))?.breakdown ?? '',
  };
  log(`  ${mode.padEnd(6)} ${String(chars).padStart(7)} chars ${String(summary.chunks).padStart(6)} chunks: main thread ` +
    `${summary.mainThreadMs.toFixed(0).padStart(7)} ms, longest task ${summary.longestTaskMs.toFixed(1).padStart(6)} ms (CPU ${summary.longestTaskCpuMs.toFixed(1).padStart(5)}), ` +
    `wall ${summary.elapsedMs.toFixed(0).padStart(6)} ms  (runs: ${runs.map((r) => r.mainThreadMs.toFixed(0)).join(', ')})`);
  if (process.env.VERBOSE) log(`        longest tasks (what they hold, ms): ${summary.longestTaskHolds}`);
  return summary;
}

/** Runs the whole render benchmark; returns the figures and whether each target is met. */
export async function benchRender({ log = (l) => console.log(l) } = {}) {
  const { chromium } = await import('playwright-core');
  const url = await buildPage();
  const home = join(tmpdir(), 'qwen-bench-home');
  mkdirSync(home, { recursive: true });
  const browser = await chromium.launch({ executablePath: toolPaths().chromium, headless: true, args: CHROMIUM_ARGS, env: { ...process.env, HOME: home } });
  try {
    const context = await browser.newContext({ viewport: { width: 480, height: 800 } });
    log(`bench:render — ${CHUNK}-character chunks, ${CHUNKS_PER_FRAME} per frame, median of ${RUNS} runs (Chromium trace)`);
    await measure(context, url, 'ours', 20_000); // warm-up: JIT and caches
    const ours = await series(context, url, 'ours', CHARS, log);
    const floor = await series(context, url, 'floor', CHARS, log);
    const stored = await series(context, url, 'stored', CHARS, log);
    const oursPrefix = await series(context, url, 'ours', NAIVE_CHARS, log);
    const naiveHalf = await series(context, url, 'naive', NAIVE_CHARS / 2, log);
    const naivePrefix = await series(context, url, 'naive', NAIVE_CHARS, log);
    const exponent = Math.log(naivePrefix.mainThreadMs / naiveHalf.mainThreadMs) / Math.log(2);
    const naiveFullEstimateMs = naivePrefix.mainThreadMs * (CHARS / NAIVE_CHARS) ** exponent;
    const result = {
      chars: CHARS, chunkChars: CHUNK, chunksPerFrame: CHUNKS_PER_FRAME, runs: RUNS, naiveChars: NAIVE_CHARS,
      ours, floor, stored, oursPrefix, naiveHalf, naivePrefix, naiveExponent: exponent, naiveFullEstimateMs,
      vsNaiveMeasured: naivePrefix.mainThreadMs / oursPrefix.mainThreadMs,
      vsNaiveEstimated: naiveFullEstimateMs / ours.mainThreadMs,
      vsFloor: ours.mainThreadMs / floor.mainThreadMs,
    };
    result.targets = {
      vsNaive: result.vsNaiveMeasured >= TARGETS.vsNaive,
      vsFloor: result.vsFloor <= TARGETS.vsFloor,
      longestTask: ours.longestTaskMs <= TARGETS.longestTaskMs,
      storedLongestTask: stored.longestTaskMs <= TARGETS.longestTaskMs,
    };
    const mark = (ok) => (ok ? 'met' : 'MISSED');
    log(`  naive grows as n^${exponent.toFixed(2)}; at ${CHARS} chars it would take ≈ ${(naiveFullEstimateMs / 1000).toFixed(0)} s of main thread (extrapolated)`);
    log(`  ours vs naive: ${result.vsNaiveMeasured.toFixed(1)}× faster measured on ${NAIVE_CHARS} chars, ≈ ${result.vsNaiveEstimated.toFixed(0)}× at ${CHARS} (extrapolated); target ≥ ${TARGETS.vsNaive}×: ${mark(result.targets.vsNaive)}`);
    log(`  ours vs floor: ${result.vsFloor.toFixed(2)}× the raw-append floor; target ≤ ${TARGETS.vsFloor}×: ${mark(result.targets.vsFloor)}`);
    log(`  ours longest task: ${ours.longestTaskMs.toFixed(1)} ms (CPU ${ours.longestTaskCpuMs.toFixed(1)} ms); target ≤ ${TARGETS.longestTaskMs} ms: ${mark(result.targets.longestTask)}`);
    log(`  stored ${CHARS}-char answer opened: longest task ${stored.longestTaskMs.toFixed(1)} ms (CPU ${stored.longestTaskCpuMs.toFixed(1)} ms), on screen and highlighted in ${stored.elapsedMs.toFixed(0)} ms (same DOM as a one-shot render); target ≤ ${TARGETS.longestTaskMs} ms: ${mark(result.targets.storedLongestTask)}`);
    writeFileSync(join(outDir, 'render.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await browser.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchRender();
}
