#!/usr/bin/env node
// `npm run test:vscode`: the extension's tests inside a real VS Code. Builds dist/ (the extension as VS Code loads it)
// and out/ (the tests), then runs test/vscode/runTest.ts — the standard @vscode/test-electron entry, so it cannot rot
// unnoticed — with QWEN_CODE_SERVER=1: runTests launches scripts/code-server-shim.mjs, which runs the suites in
// code-server + Debian's Chromium (lib/codeServer.mjs), in two windows on one profile (the second checks what a
// window reload keeps). scripts/test.mjs imports runVsCodeTests() and adds the counts to its final line.
// Env: QWEN_VSCODE_TIMEOUT_MS (per window, default 180000), HEADFUL=1 (show the browser; needs a display), VERBOSE=1
// (all workbench output), QWEN_TOOLS_DIR (where the tools are). A screenshot is saved to .tmp/vscode-tests.png.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCREENSHOT, missingTools, repoRoot } from './lib/codeServer.mjs';

const failure = (reason) => ({ passed: 0, failed: 1, skipped: 0, failures: [`VS Code tests: ${reason}`] });

/**
 * Runs the VS Code tests and returns their counts; never throws (a broken harness is one failure with its reason).
 * @param {{ buildTests?: boolean, log?: (line: string) => void }} [options] buildTests=false reuses out/ (--reuse-out)
 */
export async function runVsCodeTests({ buildTests = true, log = (line) => console.log(line) } = {}) {
  const missing = missingTools();
  if (missing.length) return failure(`test tools missing (${missing.join(', ')}); run: npm run test-tools`);
  const builds = [['build.mjs'], ...(buildTests ? [['build-tests.mjs']] : [])];
  for (const [script] of builds) {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', script)], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) return failure(`scripts/${script} failed:\n${r.stdout}${r.stderr}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'qwen-vscode-results-'));
  const file = join(dir, 'results.json');
  const t0 = Date.now();
  try {
    const code = await new Promise((done) => {
      const child = spawn(process.execPath, [join(repoRoot, 'out/test/vscode/runTest.js')], {
        cwd: repoRoot,
        env: { ...process.env, QWEN_CODE_SERVER: '1', QWEN_VSCODE_RESULTS: file },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let pending = '';
      const forward = (d) => {
        const lines = (pending + d).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) log(line);
      };
      child.stdout.on('data', forward);
      child.stderr.on('data', forward);
      child.on('error', (e) => done(`cannot start: ${e.message}`));
      child.on('close', (c, signal) => done(signal ?? c));
    });
    log(`[vscode-tests] both windows done in ${Date.now() - t0} ms; screenshot ${SCREENSHOT}`);
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return failure(`out/test/vscode/runTest.js ended (${code}) without writing its results`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await runVsCodeTests({ buildTests: !process.argv.includes('--reuse-out') });
  if (r.failures.length) console.log(`\nFailed:\n${r.failures.map((f) => `  - ${f}`).join('\n')}`);
  console.log(`\n${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
  process.exit(r.failed ? 1 : 0);
}
