#!/usr/bin/env node
// `npm run test:vscode`: the extension's tests inside a real VS Code (code-server + Debian's Chromium, see
// lib/codeServer.mjs). Builds dist/ (the extension as VS Code loads it) and out/ (the tests), opens a sample
// workspace, runs out/test/vscode/index.js in the extension host and reads the counts it wrote.
// scripts/test.mjs imports runVsCodeTests() and adds the counts to its final line.
// Env: QWEN_VSCODE_TIMEOUT_MS (default 180000), HEADFUL=1 (show the browser; needs a display), VERBOSE=1 (all
// workbench output), QWEN_TOOLS_DIR (where the tools are). A screenshot is always saved to .tmp/vscode-tests.png.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCREENSHOT, repoRoot } from './lib/codeServer.mjs';
import { runWithResultFile } from './lib/results.mjs';

const failure = (reason) => ({ passed: 0, failed: 1, skipped: 0, failures: [`VS Code tests: ${reason}`] });

/** The counts the extension host wrote, checked against what the run itself reported. */
function countResults(r, run) {
  const results = { passed: r.passed | 0, failed: r.failed | 0, skipped: r.skipped | 0, failures: [...(r.failures ?? [])] };
  // the two channels must agree, or something outside mocha went wrong
  if (run.timedOut) {
    results.failed++;
    results.failures.push(`VS Code tests: results written, but VS Code did not report the end of the run within ${Math.round(run.timeoutMs / 1000)} s`);
  } else if (run.code !== 0 && results.failed === 0) {
    results.failed++;
    results.failures.push(`VS Code tests: the extension host reported exit code ${run.code} although no test failed`);
  }
  return results;
}

/**
 * Runs the VS Code tests and returns their counts; never throws (a broken harness is one failure with its reason).
 * @param {{ buildTests?: boolean, log?: (line: string) => void }} [options] buildTests=false reuses out/ (--reuse-out)
 */
export async function runVsCodeTests({ buildTests = true, log = (line) => console.log(line) } = {}) {
  const builds = [['build.mjs'], ...(buildTests ? [['build-tests.mjs']] : [])];
  for (const [script] of builds) {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', script)], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) return failure(`scripts/${script} failed:\n${r.stdout}${r.stderr}`);
  }
  try {
    const { run, result, error } = await runWithResultFile({
      extensionTestsPath: join(repoRoot, 'out/test/vscode/index.js'),
      resultEnv: 'QWEN_TEST_RESULTS',
      screenshot: SCREENSHOT,
      log,
    });
    log(`[vscode-tests] code-server start ${run.startMs} ms, Chromium start ${run.chromiumMs} ms, ` +
      `workbench + tests ${run.testsMs} ms, total ${run.totalMs} ms; screenshot ${SCREENSHOT}`);
    return error === undefined ? countResults(result, run) : failure(error);
  } catch (e) {
    return failure(e instanceof Error ? e.message : String(e));
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await runVsCodeTests({ buildTests: !process.argv.includes('--reuse-out') });
  if (r.failures.length) console.log(`\nFailed:\n${r.failures.map((f) => `  - ${f}`).join('\n')}`);
  console.log(`\n${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
  process.exit(r.failed ? 1 : 0);
}
