// The README's test command. Runs every check and test suite, then prints one line `N passed, N failed`.
// Checks (typecheck, lint, build, installing the VS Code test tools) count as one test each, so a broken build
// cannot pass silently. The VS Code tests (scripts/vscode-tests.mjs) and the UI tests of the chat view
// (scripts/e2e-tests.mjs) add their own counts.
//   --only unit   run only the mocha unit suites (skips typecheck/lint/package, the VS Code and the UI tests)
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

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

if (built) {
  const files = testFiles('out/test/unit').sort();
  const mocha = new Mocha({ timeout: 20000, reporter: 'spec' });
  for (const f of files) mocha.addFile(f);
  await new Promise((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => passed++);
    runner.on('fail', (t) => {
      failed++;
      failures.push(t.fullTitle());
    });
    runner.on('pending', () => skipped++);
  });
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
  console.log('\nVS Code tests (code-server + Chromium):');
  const r = await import('./vscode-tests.mjs').then(
    ({ runVsCodeTests }) => runVsCodeTests({ buildTests: false }), // out/ was built above
    (e) => ({ passed: 0, failed: 1, skipped: 0, failures: [`VS Code tests: cannot load scripts/vscode-tests.mjs: ${e.message}`] }),
  );
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  failures.push(...r.failures);
  console.log(`${r.failed ? '✖' : '✔'} VS Code tests: ${r.passed} passed, ${r.failed} failed`);
}

if (!only && built && toolsInstalled) {
  console.log('\nUI tests (the chat view in code-server + Chromium):');
  const r = await import('./e2e-tests.mjs').then(
    ({ runE2ETests }) => runE2ETests({ buildTests: false }), // dist/ and out/ were built above
    (e) => ({ passed: 0, failed: 1, skipped: 0, failures: [`UI tests: cannot load scripts/e2e-tests.mjs: ${e.message}`] }),
  );
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
  failures.push(...r.failures);
  console.log(`${r.failed ? '✖' : '✔'} UI tests: ${r.passed} passed, ${r.failed} failed`);
}

if (failures.length) {
  console.log('\nFailed:');
  for (const f of failures) console.log(`  - ${f}`);
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
