// The extensionTestsPath entry: VS Code's extension host calls run() and treats a rejection as a failed run.
// It runs mocha over suite/**/*.test.js and, when QWEN_TEST_RESULTS names a file, writes the counts there so the
// harness (scripts/vscode-tests.mjs) can add them to `npm test`'s final line.
import Mocha from 'mocha';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface VsCodeTestResults {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
  tests: { title: string; state: 'passed' | 'failed' | 'skipped' }[];
}

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
  if (file) writeFileSync(file, JSON.stringify(results, null, 2));
}

export function run(): Promise<void> {
  const results: VsCodeTestResults = { passed: 0, failed: 0, skipped: 0, failures: [], tests: [] };
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, reporter: 'spec' });
  return new Promise((resolve, reject) => {
    try {
      for (const f of testFiles(join(__dirname, 'suite'))) mocha.addFile(f);
      const runner = mocha.run(() => {
        if (!results.tests.length) {
          results.failed++;
          results.failures.push(`no VS Code tests found under ${join(__dirname, 'suite')}`);
        }
        writeResults(results);
        if (results.failed) reject(new Error(`${results.failed} VS Code test(s) failed`));
        else resolve();
      });
      runner.on('pass', (t) => {
        results.passed++;
        results.tests.push({ title: t.fullTitle(), state: 'passed' });
      });
      // also fires for failing hooks, which then count as one failure
      runner.on('fail', (t, err: unknown) => {
        results.failed++;
        results.failures.push(`${t.fullTitle()}: ${err instanceof Error ? err.message : String(err)}`);
        results.tests.push({ title: t.fullTitle(), state: 'failed' });
      });
      runner.on('pending', (t) => {
        results.skipped++;
        results.tests.push({ title: t.fullTitle(), state: 'skipped' });
      });
    } catch (e) {
      // a suite that does not even load (syntax error, bad import) must still show up as a failure
      results.failed++;
      results.failures.push(`loading the VS Code test suites: ${e instanceof Error ? e.message : String(e)}`);
      writeResults(results);
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
