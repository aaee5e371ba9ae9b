// The README's test command. Runs every check and test suite, then prints one line `N passed, N failed`.
// Checks (typecheck, lint, build, installing the VS Code test tools, the sandbox's self-test) count as one test each,
// so a broken build cannot pass silently. The VS Code tests (scripts/vscode-tests.mjs) and the UI tests of the chat
// view (scripts/e2e-tests.mjs) add their own counts. Whatever breaks, the remaining stages still run and the last
// line is still the count.
//   --only unit   run only the mocha unit suites (skips typecheck/lint/package, the VS Code and the UI tests)
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import Mocha from 'mocha';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

let summarized = false;
function summarize() {
  summarized = true;
  if (failures.length) {
    console.log('\nFailed:');
    for (const f of failures) console.log(`  - ${f}`);
  }
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}
// Even when something outside every guard kills the run (an error thrown between tests, Ctrl+C in a harness that
// exits), the last line is the count, with the cause among the failures.
let lastError;
process.on('uncaughtExceptionMonitor', (e) => (lastError = e));
process.on('exit', (code) => {
  if (summarized) return;
  failed++;
  failures.push(`npm test stopped early (exit code ${code})${lastError ? `: ${lastError.message ?? lastError}` : ''}`);
  summarize();
});

/** Counts one check as one test; `reason` is added to the failure line. */
function recordCheck(name, ok, t0, reason = '') {
  console.log(`${ok ? '✔' : '✖'} check: ${name} (${Date.now() - t0} ms)`);
  if (ok) passed++;
  else {
    failed++;
    failures.push(`check: ${name}${reason ? `: ${reason}` : ''}`);
  }
  return ok;
}

function check(name, cmd, args) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  return recordCheck(name, r.status === 0, t0);
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? testFiles(p) : p.endsWith('.test.js') ? [p] : [];
  });
}

const npx = (bin) => ['node', [`node_modules/.bin/${bin}`]];
function run(bin, ...args) {
  const [cmd, pre] = npx(bin);
  return [cmd, [...pre, ...args]];
}

const built = check('build test sources', 'node', ['scripts/build-tests.mjs']);
if (!only) {
  check('typecheck (tsc --noEmit)', ...run('tsc', '--noEmit', '-p', '.'));
  check('lint (eslint)', ...run('eslint', '--no-error-on-unmatched-pattern', 'src', 'webview', 'test', 'scripts', 'bench', 'dev'));
  check('package (vsce): VSIX holds only dist/, media/, README, LICENSE, package.json and is < 1 MB', 'node', ['scripts/check-vsix.mjs']);
}

/** Adds a stage's counts (or, when the stage itself threw, one failure naming it) to the totals. */
async function stage(name, fn) {
  let r;
  try {
    r = await fn();
  } catch (e) {
    r = { passed: 0, failed: 1, skipped: 0, failures: [`${name}: ${e instanceof Error ? e.message : String(e)}`] };
  }
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  failures.push(...r.failures);
  return r;
}

/** The mocha unit suites in plain Node, counted by test/support/mochaRun.ts (load errors, .only, hooks, none found). */
async function unitTests() {
  const { runFiles } = createRequire(import.meta.url)(resolve('out/test/support/mochaRun.js'));
  const files = testFiles('out/test/unit').sort().map((f) => resolve(f));
  return runFiles(new Mocha({ timeout: 20000, reporter: 'spec' }), { files, where: 'out/test/unit' });
}

if (built) {
  const r = await stage('unit tests', unitTests);
  console.log(`${r.failed ? '✖' : '✔'} unit tests: ${r.passed} passed, ${r.failed} failed`);
}

/** Runs scripts/install-test-tools.sh live; its last `FAILED:` line on stderr is the reason reported. */
function installTestTools() {
  const name = 'VS Code test tools installed (scripts/install-test-tools.sh)';
  const t0 = Date.now();
  return new Promise((resolve) => {
    let stderrTail = '';
    let reason = '';
    const child = spawn('bash', ['scripts/install-test-tools.sh'], { stdio: ['ignore', 'inherit', 'pipe'] });
    child.stderr.on('data', (d) => {
      process.stderr.write(d);
      stderrTail = (stderrTail + d).slice(-4000);
    });
    child.on('error', (e) => (reason = e.message));
    child.on('close', (code) => {
      reason ||= [...stderrTail.matchAll(/install-test-tools: FAILED: (.*)/g)].pop()?.[1] ?? `exited with ${code}`;
      resolve(recordCheck(name, code === 0, t0, reason));
    });
  });
}

const toolsInstalled = !only && built && (await installTestTools());
if (toolsInstalled) {
  console.log('\nVS Code tests (code-server + Chromium, through @vscode/test-electron):');
  const r = await stage('VS Code tests', async () => {
    const { runVsCodeTests } = await import('./vscode-tests.mjs');
    return runVsCodeTests({ buildTests: false }); // out/ was built above
  });
  console.log(`${r.failed ? '✖' : '✔'} VS Code tests: ${r.passed} passed, ${r.failed} failed`);

  console.log('\nUI tests (the chat view in code-server + Chromium):');
  const e = await stage('UI tests', async () => {
    const { runE2ETests } = await import('./e2e-tests.mjs');
    return runE2ETests({ buildTests: false }); // dist/ and out/ were built above
  });
  console.log(`${e.failed ? '✖' : '✔'} UI tests: ${e.passed} passed, ${e.failed} failed`);

  // the README's "try it" command, as a newcomer runs it, without a key from this shell: the offline fake
  const env = { ...process.env };
  delete env.DASHSCOPE_API_KEY;
  const t0 = Date.now();
  const sandbox = spawnSync('node', ['scripts/sandbox.mjs', '--check', '--reuse-build'], { stdio: 'inherit', env });
  recordCheck('sandbox (npm run sandbox -- --check): opens the chat view, stops leaving nothing running', sandbox.status === 0, t0,
    sandbox.status === null ? `killed by ${sandbox.signal}` : '');
}

summarize();
process.exit(failed ? 1 : 0);
