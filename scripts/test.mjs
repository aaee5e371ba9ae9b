// The README's test command. Runs every check and test suite, then prints one line `N passed, N failed`.
// Checks (typecheck, lint, build) count as one test each, so a broken build cannot pass silently.
//   --only unit   run only the mocha unit suites (skips typecheck/lint/package)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function check(name, cmd, args) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  const ok = r.status === 0;
  console.log(`${ok ? '✔' : '✖'} check: ${name} (${Date.now() - t0} ms)`);
  if (ok) passed++;
  else {
    failed++;
    failures.push(`check: ${name}`);
  }
  return ok;
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

if (failures.length) {
  console.log('\nFailed:');
  for (const f of failures) console.log(`  - ${f}`);
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
