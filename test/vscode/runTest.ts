// The standard @vscode/test-electron entry (`npm run test:vscode:desktop`, and `npm test` through
// scripts/vscode-tests.mjs): the suites in test/vscode/suite run in desktop VS Code (downloaded into .vscode-test/) on
// a developer's machine with internet and a display. Where that cannot work (no display, VS Code's CDN unreachable)
// and the tools of `npm run test-tools` are installed, or with QWEN_CODE_SERVER=1, runTests launches
// scripts/code-server-shim.mjs instead: the same tests in code-server. QWEN_CODE_SERVER=0 forces desktop VS Code.
// Two windows on one fresh profile: the suites, then (a "window reload") the *.afterReload suites, which check what
// must outlive the first window, such as the key in SecretStorage. QWEN_VSCODE_RESULTS names a file for the merged
// counts (scripts/vscode-tests.mjs reads it).
import { runTests } from '@vscode/test-electron';
import { lookup } from 'node:dns/promises';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

const PHASES = [
  { name: 'main', title: 'VS Code tests' },
  { name: 'afterReload', title: 'VS Code tests after a window reload' },
] as const;

/** What one window's tests wrote, completed with what the run itself says went wrong (a crash, the deadline). */
function phaseResults(file: string, title: string, runError: string | undefined): VsCodeTestResults {
  let r: VsCodeTestResults;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as VsCodeTestResults;
  } catch {
    return { passed: 0, failed: 1, skipped: 0, failures: [`${title}: the tests wrote no results${runError ? ` (${runError})` : ''}`], tests: [], finished: true };
  }
  if (!r.finished) {
    // stopped at the deadline (or VS Code died): the file holds what happened up to then
    const hung = r.tests.filter((t) => t.state === 'running').map((t) => t.title);
    const neverStarted = Math.max(0, (r.planned ?? r.tests.length) - r.tests.length);
    r.failed += hung.length + neverStarted || 1;
    r.failures.push(`${title}: the run ended before its tests did (${runError ?? 'no end reported'})` +
      `${hung.length ? `; still running: ${hung.join(', ')}` : ''}; ${neverStarted} of ${r.planned ?? '?'} never started`);
  } else if (runError && !r.failed) {
    // VS Code failing after every test passed (a crash on shutdown, a timeout in the shim) still fails the run
    r.failed++;
    r.failures.push(`${title}: ${runError}`);
  }
  return r;
}

async function main(): Promise<number> {
  const root = repoRoot();
  const dir = mkdtempSync(join(tmpdir(), 'qwen-vscode-desktop-'));
  const shim = (await useCodeServer(root)) ? join(root, 'scripts', 'code-server-shim.mjs') : undefined;
  if (shim) chmodSync(shim, 0o755); // runTests executes it directly; a checkout may have lost the bit
  console.log(shim ? 'running in code-server (scripts/code-server-shim.mjs)' : 'running in desktop VS Code');
  // a key in this shell would change what the tests see (the extension falls back to it); they set their own
  delete process.env.DASHSCOPE_API_KEY;
  const workspace = createSampleWorkspace(dir);
  const profile = join(dir, 'profile');
  const state = join(dir, 'state'); // what the first window leaves for the second (QWEN_TEST_STATE)
  mkdirSync(state);
  const total: VsCodeTestResults = { passed: 0, failed: 0, skipped: 0, failures: [], tests: [], finished: true };
  for (const phase of PHASES) {
    const resultsFile = join(dir, `results-${phase.name}.json`);
    let runError: string | undefined;
    try {
      await runTests({
        extensionDevelopmentPath: root,
        extensionTestsPath: join(root, 'out', 'test', 'vscode', 'index.js'),
        launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${profile}`],
        extensionTestsEnv: { QWEN_TEST_RESULTS: resultsFile, QWEN_TEST_PHASE: phase.name, QWEN_TEST_STATE: state },
        ...(shim ? { vscodeExecutablePath: shim } : {}),
      });
    } catch (e) {
      runError = e instanceof Error ? e.message : String(e);
    }
    const r = phaseResults(resultsFile, phase.title, runError);
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
    total.failures.push(...r.failures);
    total.tests.push(...r.tests);
  }
  if (total.failed) console.log(`kept ${dir} (the profile with code-server's log) for inspection`);
  else rmSync(dir, { recursive: true, force: true });
  if (process.env.QWEN_VSCODE_RESULTS) {
    // the caller (scripts/vscode-tests.mjs) reports them, in npm test's own summary
    writeFileSync(process.env.QWEN_VSCODE_RESULTS, JSON.stringify(total, null, 2));
    return total.failed ? 1 : 0;
  }
  if (total.failures.length) console.log(`\nFailed:\n${total.failures.map((f) => `  - ${f}`).join('\n')}`);
  console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
  return total.failed ? 1 : 0;
}

void main().then((code) => process.exit(code));
