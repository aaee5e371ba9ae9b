// `npm run test:vscode:desktop`: the standard @vscode/test-electron entry, so the suites in test/vscode/suite run in
// desktop VS Code (downloaded into .vscode-test/) on a developer's machine with internet and a display.
// Where that cannot work (no display, VS Code's CDN unreachable) and the tools of `npm run test-tools` are installed,
// or with QWEN_CODE_SERVER=1, runTests launches scripts/code-server-shim.mjs instead: the same tests in code-server.
// QWEN_CODE_SERVER=0 forces desktop VS Code.
import { runTests } from '@vscode/test-electron';
import { lookup } from 'node:dns/promises';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/repoRoot';
import type { VsCodeTestResults } from './index';
import { createSampleWorkspace } from './sampleWorkspace';

async function canReachVsCodeDownloads(): Promise<boolean> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000).unref());
  return Promise.race([lookup('update.code.visualstudio.com'), timeout]).then(
    () => true,
    () => false,
  );
}

async function useCodeServer(root: string): Promise<boolean> {
  if (process.env.QWEN_CODE_SERVER === '1') return true;
  if (process.env.QWEN_CODE_SERVER === '0') return false;
  // written by scripts/install-test-tools.sh once everything is installed
  const installed = existsSync(join(process.env.QWEN_TOOLS_DIR ?? join(root, '.tools'), 'installed.stamp'));
  if (!installed) return false;
  const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  return noDisplay || !(await canReachVsCodeDownloads());
}

async function main(): Promise<number> {
  const root = repoRoot();
  const dir = mkdtempSync(join(tmpdir(), 'qwen-vscode-desktop-'));
  const resultsFile = join(dir, 'results.json');
  const shim = (await useCodeServer(root)) ? join(root, 'scripts', 'code-server-shim.mjs') : undefined;
  if (shim) chmodSync(shim, 0o755); // runTests executes it directly; a checkout may have lost the bit
  console.log(shim ? 'running in code-server (scripts/code-server-shim.mjs)' : 'running in desktop VS Code');
  let runError: string | undefined;
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'vscode', 'index.js'),
      launchArgs: [createSampleWorkspace(dir), '--disable-extensions'],
      extensionTestsEnv: { QWEN_TEST_RESULTS: resultsFile },
      ...(shim ? { vscodeExecutablePath: shim } : {}),
    });
  } catch (e) {
    runError = e instanceof Error ? e.message : String(e);
  }
  let results: VsCodeTestResults | undefined;
  try {
    results = JSON.parse(readFileSync(resultsFile, 'utf8')) as VsCodeTestResults;
  } catch {
    console.log(`\n0 passed, 1 failed (the tests wrote no results${runError ? `; ${runError}` : ''})`);
  }
  rmSync(dir, { recursive: true, force: true });
  if (!results) return 1;
  // VS Code failing after every test passed (a crash on shutdown, a timeout in the shim) still fails the run
  if (runError && !results.failed) {
    results.failed++;
    results.failures.push(`VS Code: ${runError}`);
  }
  if (results.failures.length) console.log(`\nFailed:\n${results.failures.map((f) => `  - ${f}`).join('\n')}`);
  console.log(`\n${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`);
  return results.failed ? 1 : 0;
}

void main().then((code) => process.exit(code));
