#!/usr/bin/env node
/* global window -- page.evaluate callbacks run in the benchmark page */
// `npm run bench:render`: stream → screen in real Chromium (Debian's, through playwright-core), not a test.
// One ~200K-character markdown answer (bench/render/corpus.ts) arrives in 16-character chunks, each its own task,
// CHUNKS_PER_FRAME per animation frame (≈ 30K characters a second, faster than any model streams), for:
//   ours      webview/render/markdownStream.ts (settled blocks once, the tail re-parsed at most once per frame)
//   perFrame  re-parse the whole text and replace the DOM once per frame: ours' batching without incrementality,
//             so ours vs perFrame is what incremental parsing gains (ours vs naive mixes in the batching); one
//             run on the whole answer (it takes minutes)
//   naive     re-parse the whole text and replace the DOM per chunk, with our own pipeline (marked + highlight.js +
//             DOMPurify), so only incrementality and batching differ. Quadratic: on 200K it would take many
//             minutes, so it runs on two prefixes (NAIVE_CHARS and half of it); ours is measured on the same prefix
//             for a measured ratio, and naive's full-length cost is extrapolated from the growth between the two.
//   floor     the raw text, appended as it arrives into one block per paragraph: the least any renderer can do to
//             get the text on screen with the same frame batching (see page.ts for why not one text node; that
//             one is measured once too, as `oneNode`, for reference)
//   stored    the whole answer opened at once, as a conversation loaded from history (a fresh page, so the warm-up
//             counts too); measured until it is all on screen and highlighted.
// Then the same at a realistic delivery (2 chunks per frame, a shorter answer), and the answer shapes that are one
// long block (a list with code in every item, a file right after "Here is the file:", a long table, a long code
// block in a list item) with ours, perFrame and floor. After every run of ours (and stored), the page checks that
// the streamed DOM is the DOM of one render of the whole text; the benchmark fails if it is not.
// Main-thread time and the longest task come from a Chromium trace (top-level RunTask events on the renderer's main
// thread), so style, layout and paint count, not only JavaScript. Median of BENCH_RUNS runs, each on a fresh page.
// Each longest task is also given in thread (CPU) time: on a loaded machine wall time includes the OS running
// other processes in the middle of a task; the targets are judged on wall time.
// Env: BENCH_RUNS (3), BENCH_CHARS (200000), NAIVE_CHARS (24000), CHUNKS_PER_FRAME (32), SHAPE_CHARS (30000),
// REALISTIC_CHARS (10000), BENCH_ONLY (below). Prints a table and targets; writes .tmp/bench/render.json for `npm run bench`'s summary.
import { Buffer } from 'node:buffer';
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS, repoRoot, toolPaths } from '../../scripts/lib/codeServer.mjs';

const RUNS = Number(process.env.BENCH_RUNS) || 3;
const CHARS = Number(process.env.BENCH_CHARS) || 200_000;
const NAIVE_CHARS = Number(process.env.NAIVE_CHARS) || 24_000;
const SHAPE_CHARS = Number(process.env.SHAPE_CHARS) || 30_000;
const REALISTIC_CHARS = Number(process.env.REALISTIC_CHARS) || 10_000;
const CHUNK = 16;
const CHUNKS_PER_FRAME = Number(process.env.CHUNKS_PER_FRAME) || 32;
const REALISTIC_CHUNKS_PER_FRAME = 2;
const SHAPES = ['listWithCode', 'fileAfterColon', 'longTable', 'codeInListItem'];
const TARGETS = { vsNaive: 20, vsFloor: 3, longestTaskMs: 50 };
// BENCH_ONLY=ours:fileAfterColon:30000,floor:mixed:200000 runs only those cases (mode:shape:chars), no targets
const ONLY = process.env.BENCH_ONLY?.split(',');

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
table{border-collapse:collapse}td,th{border:1px solid #444;padding:2px 6px}code{font-family:monospace}
p.raw{white-space:pre-wrap}`;
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

/** The whole of a CDP IO stream (a trace returned as a stream), as text. */
async function readStream(cdp, handle) {
  const parts = [];
  for (;;) {
    const { data, eof, base64Encoded } = await cdp.send('IO.read', { handle, size: 1 << 20 });
    parts.push(base64Encoded ? Buffer.from(data, 'base64').toString('utf8') : data);
    if (eof) break;
  }
  await cdp.send('IO.close', { handle });
  return parts.join('');
}

async function measure(context, url, { mode, shape = 'mixed', chars, chunksPerFrame = CHUNKS_PER_FRAME }) {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.evaluate(([m, s, c, k]) => window.bench.prepare(m, s, c, k), [mode, shape, chars, CHUNK]);
    const cdp = await context.newCDPSession(page);
    // the trace stays in the browser until the run ends: streaming it out meanwhile (ReportEvents) would have the
    // browser and this process serialise and parse JSON on the same two cores the page is measured on
    await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReturnAsStream' });
    const r = await page.evaluate((k) => window.bench.run(k), chunksPerFrame);
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    const { traceEvents: events } = JSON.parse(await readStream(cdp, (await complete).stream));
    const { durations, cpuDurations, breakdown } = mainThreadTasks(events);
    if (!durations.length) throw new Error('the trace holds no main-thread tasks');
    if (mode === 'ours' || mode === 'stored') {
      const check = await page.evaluate(() => window.bench.sameAsOneShot());
      if (!check.same) {
        throw new Error(`${mode} (${shape}, ${chars} chars) left a DOM different from one render of the whole text at ${check.at}:\n` +
          `  ours:     …${check.ours}…\n  one-shot: …${check.oneShot}…`);
      }
    }
    return { ...r, mainThreadMs: durations.reduce((a, b) => a + b, 0), mainThreadCpuMs: cpuDurations.reduce((a, b) => a + b, 0), longestTaskMs: Math.max(...durations), longestTaskCpuMs: Math.max(...cpuDurations), tasks: durations.length, breakdown };
  } finally {
    await page.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function series(context, url, spec, log, runs = RUNS) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    const r = await measure(context, url, spec);
    if (Math.abs(r.textLength - r.chars) > r.chars * 0.2) log(`  warning: ${spec.mode} shows ${r.textLength} of ${r.chars} characters`);
    all.push(r);
  }
  const longest = median(all.map((r) => r.longestTaskMs));
  const summary = {
    mode: spec.mode, shape: spec.shape ?? 'mixed', chars: all[0].chars, chunks: all[0].chunks, chunksPerFrame: spec.chunksPerFrame ?? CHUNKS_PER_FRAME, runs,
    mainThreadMs: median(all.map((r) => r.mainThreadMs)),
    mainThreadCpuMs: median(all.map((r) => r.mainThreadCpuMs)),
    longestTaskMs: longest,
    longestTaskCpuMs: median(all.map((r) => r.longestTaskCpuMs)),
    elapsedMs: median(all.map((r) => r.elapsedMs)),
    textLength: all[0].textLength,
    longestTaskHolds: all.find((r) => r.longestTaskMs === longest)?.breakdown ?? '',
  };
  log(`  ${summary.mode.padEnd(8)} ${summary.shape.padEnd(14)} ${String(summary.chars).padStart(7)} chars, ${summary.chunksPerFrame}/frame: main thread ` +
    `${summary.mainThreadMs.toFixed(0).padStart(7)} ms (CPU ${summary.mainThreadCpuMs.toFixed(0).padStart(6)}), longest task ${summary.longestTaskMs.toFixed(1).padStart(6)} ms (CPU ${summary.longestTaskCpuMs.toFixed(1).padStart(5)}), ` +
    `wall ${summary.elapsedMs.toFixed(0).padStart(6)} ms  (runs: ${all.map((r) => r.mainThreadMs.toFixed(0)).join(', ')})`);
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
    log(`bench:render — ${CHUNK}-character chunks, median of ${RUNS} runs (Chromium trace)`);
    await measure(context, url, { mode: 'ours', chars: 20_000 }); // warm-up: JIT and caches
    if (ONLY) {
      for (const spec of ONLY) {
        const [mode, shape = 'mixed', chars] = spec.split(':');
        await series(context, url, { mode, shape, chars: Number(chars) || SHAPE_CHARS }, log);
      }
      return undefined;
    }
    const ours = await series(context, url, { mode: 'ours', chars: CHARS }, log);
    // minutes per run on the whole answer: one run (the one-node floor too)
    const perFrame = await series(context, url, { mode: 'perFrame', chars: CHARS }, log, 1);
    const floor = await series(context, url, { mode: 'floor', chars: CHARS }, log);
    const oneNode = await series(context, url, { mode: 'oneNode', chars: CHARS }, log, 1);
    const stored = await series(context, url, { mode: 'stored', chars: CHARS }, log);
    const oursPrefix = await series(context, url, { mode: 'ours', chars: NAIVE_CHARS }, log);
    const naiveHalf = await series(context, url, { mode: 'naive', chars: NAIVE_CHARS / 2 }, log);
    const naivePrefix = await series(context, url, { mode: 'naive', chars: NAIVE_CHARS }, log);
    log(`  at a realistic delivery, ${REALISTIC_CHUNKS_PER_FRAME} chunks per frame:`);
    const realistic = {};
    for (const mode of ['ours', 'perFrame', 'floor']) realistic[mode] = await series(context, url, { mode, chars: REALISTIC_CHARS, chunksPerFrame: REALISTIC_CHUNKS_PER_FRAME }, log);
    log('  answers that are one long block:');
    const shapes = {};
    for (const shape of SHAPES) {
      shapes[shape] = {};
      for (const mode of ['ours', 'perFrame', 'floor']) shapes[shape][mode] = await series(context, url, { mode, shape, chars: SHAPE_CHARS }, log);
    }
    const exponent = Math.log(naivePrefix.mainThreadMs / naiveHalf.mainThreadMs) / Math.log(2);
    const naiveFullEstimateMs = naivePrefix.mainThreadMs * (CHARS / NAIVE_CHARS) ** exponent;
    const result = {
      chars: CHARS, chunkChars: CHUNK, chunksPerFrame: CHUNKS_PER_FRAME, runs: RUNS, naiveChars: NAIVE_CHARS,
      ours, perFrame, floor, oneNode, stored, oursPrefix, naiveHalf, naivePrefix, naiveExponent: exponent, naiveFullEstimateMs, realistic, shapes,
      vsNaiveMeasured: naivePrefix.mainThreadMs / oursPrefix.mainThreadMs,
      vsNaiveEstimated: naiveFullEstimateMs / ours.mainThreadMs,
      vsPerFrame: perFrame.mainThreadMs / ours.mainThreadMs,
      vsFloor: ours.mainThreadMs / floor.mainThreadMs,
    };
    const shapeLongest = Math.max(...SHAPES.map((s) => shapes[s].ours.longestTaskMs));
    result.targets = {
      vsNaive: result.vsNaiveMeasured >= TARGETS.vsNaive,
      vsFloor: result.vsFloor <= TARGETS.vsFloor,
      longestTask: ours.longestTaskMs <= TARGETS.longestTaskMs,
      shapesLongestTask: shapeLongest <= TARGETS.longestTaskMs,
      storedLongestTask: stored.longestTaskMs <= TARGETS.longestTaskMs,
    };
    const mark = (ok) => (ok ? 'met' : 'MISSED');
    const x = (a, b) => `${(a / b).toFixed(1)}×`;
    log(`  naive grows as n^${exponent.toFixed(2)}; at ${CHARS} chars it would take ≈ ${(naiveFullEstimateMs / 1000).toFixed(0)} s of main thread (extrapolated)`);
    log(`  ours vs naive: ${result.vsNaiveMeasured.toFixed(1)}× faster measured on ${NAIVE_CHARS} chars, ≈ ${result.vsNaiveEstimated.toFixed(0)}× at ${CHARS} (extrapolated); target ≥ ${TARGETS.vsNaive}×: ${mark(result.targets.vsNaive)}`);
    log(`  ours vs re-render everything once per frame: ${result.vsPerFrame.toFixed(1)}× faster on ${CHARS} chars (what incremental parsing gains beyond batching)`);
    log(`  ours vs floor: ${result.vsFloor.toFixed(2)}× the raw-text floor (one text node instead: ${x(oneNode.mainThreadMs, floor.mainThreadMs)} the floor); target ≤ ${TARGETS.vsFloor}×: ${mark(result.targets.vsFloor)}`);
    log(`  ours longest task: ${ours.longestTaskMs.toFixed(1)} ms (CPU ${ours.longestTaskCpuMs.toFixed(1)} ms); target ≤ ${TARGETS.longestTaskMs} ms: ${mark(result.targets.longestTask)}`);
    log(`  realistic delivery (${REALISTIC_CHARS} chars, ${REALISTIC_CHUNKS_PER_FRAME}/frame): ours ${realistic.ours.mainThreadMs.toFixed(0)} ms, ${x(realistic.perFrame.mainThreadMs, realistic.ours.mainThreadMs)} faster than once per frame, ${x(realistic.ours.mainThreadMs, realistic.floor.mainThreadMs)} the floor`);
    for (const s of SHAPES) {
      const r = shapes[s];
      log(`  ${s}: ours ${r.ours.mainThreadMs.toFixed(0)} ms (longest ${r.ours.longestTaskMs.toFixed(1)} ms), ${x(r.perFrame.mainThreadMs, r.ours.mainThreadMs)} faster than once per frame, ${x(r.ours.mainThreadMs, r.floor.mainThreadMs)} the floor`);
    }
    log(`  hard shapes' longest task: ${shapeLongest.toFixed(1)} ms; target ≤ ${TARGETS.longestTaskMs} ms: ${mark(result.targets.shapesLongestTask)}`);
    log(`  stored ${CHARS}-char answer opened: longest task ${stored.longestTaskMs.toFixed(1)} ms (CPU ${stored.longestTaskCpuMs.toFixed(1)} ms), on screen and highlighted in ${stored.elapsedMs.toFixed(0)} ms; target ≤ ${TARGETS.longestTaskMs} ms: ${mark(result.targets.storedLongestTask)}`);
    log('  every run of ours and stored left the DOM of one render of the whole text');
    writeFileSync(join(outDir, 'render.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await browser.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchRender();
}
