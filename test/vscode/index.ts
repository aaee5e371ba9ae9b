// The extensionTestsPath entry: VS Code's extension host calls run() and treats a rejection as a failed run.
// It runs mocha over suite/**/*.test.js, counted by test/support/mochaRun.ts (a suite that does not load, `.only`, a
// failing hook, no tests at all: each a failure). When QWEN_TEST_RESULTS names a file, the counts are written there
// as the tests go, so a run stopped at its deadline still says which tests passed and which one hung.
// QWEN_TEST_PHASE=afterReload runs only the suites named *.afterReload.test.js, which check what must survive a window
// reload (test/vscode/runTest.ts opens a second window on the same profile for them); otherwise they are left out.
// QWEN_TEST_GREP=<text> runs only the tests whose full title contains it (while iterating on one suite; the other
// window then finds no tests, which counts as a failure).
import Mocha from 'mocha';
import { readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFiles } from '../support/mochaRun';
import type { MochaResults } from '../support/mochaRun';

export type VsCodeTestResults = MochaResults;

const AFTER_RELOAD = '.afterReload.test.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? testFiles(p) : p.endsWith('.test.js') ? [p] : [];
    })
    .sort();
}

function writeResults(results: VsCodeTestResults): void {
  const file = process.env.QWEN_TEST_RESULTS;
  if (!file) return;
  // written whole, then renamed: the harness may read it at any moment (after a timeout)
  writeFileSync(`${file}.tmp`, JSON.stringify(results, null, 2));
  renameSync(`${file}.tmp`, file);
}

export async function run(): Promise<void> {
  const suites = join(__dirname, 'suite');
  const afterReload = process.env.QWEN_TEST_PHASE === 'afterReload';
  const files = testFiles(suites).filter((f) => f.endsWith(AFTER_RELOAD) === afterReload);
  const grep = process.env.QWEN_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, reporter: 'spec', ...(grep && { grep }) });
  const results = await runFiles(mocha, {
    files,
    where: `${suites}${afterReload ? ` (*${AFTER_RELOAD})` : ''}`,
    onProgress: writeResults,
  });
  writeResults(results);
  if (results.failed) throw new Error(`${results.failed} VS Code test(s) failed`);
}
