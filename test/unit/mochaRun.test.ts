// The counting every runner of `npm test` shares (test/support/mochaRun.ts), run on throwaway test files in a child
// Node process: a second mocha inside this one would take over its globals and its uncaught-error handler.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MochaResults } from '../support/mochaRun';

const RUNNER = `
const Mocha = require(${JSON.stringify(require.resolve('mocha'))}).default;
const { runFiles, failTest } = require(${JSON.stringify(require.resolve('../support/mochaRun'))});
const files = JSON.parse(process.argv[1]);
const mocha = new Mocha({
  reporter: function Silent() {},
  timeout: 2000,
  ...(process.env.GREP ? { grep: process.env.GREP } : {}),
  rootHooks: { afterEach() { if (this.currentTest.title.includes('leaves')) failTest(this.currentTest, 'left a scenario behind'); } },
});
const progress = [];
const onProgress = (p) => progress.push(JSON.parse(JSON.stringify(p)));
runFiles(mocha, { files, where: 'the scratch folder', onProgress }).then((r) => process.stdout.write(JSON.stringify({ ...r, progress })));
`;

function run(files: Record<string, string>, grep?: string): MochaResults & { progress: MochaResults[] } {
  const dir = mkdtempSync(join(tmpdir(), 'qwen-mocharun-'));
  try {
    const paths = Object.entries(files).map(([name, text]) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    });
    const env = { ...process.env, GREP: grep ?? '' };
    const r = spawnSync(process.execPath, ['-e', RUNNER, JSON.stringify(paths)], { encoding: 'utf8', timeout: 30_000, env });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as MochaResults & { progress: MochaResults[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('mocha runs as npm test counts them (test/support/mochaRun)', function () {
  this.timeout(30_000); // each case is a Node process of its own
  it('counts passes, failures and skips, with the reason of each failure', () => {
    const r = run({ 'a.test.js': "describe('s', () => { it('ok', () => {}); it('bad', () => { throw new Error('boom\\nstack'); }); it.skip('later', () => {}); });" });
    assert.deepEqual([r.passed, r.failed, r.skipped, r.finished], [1, 1, 1, true]);
    assert.deepEqual(r.failures, ['s bad: boom']);
  });

  it('a file that throws while loading is a failure naming it, and the other files still run as they are', () => {
    const r = run({
      'a.test.js': "throw new Error('cannot find module ./gone');",
      // a throw inside describe(): what it registered before is dropped, and the next file is not nested in it
      'b.test.js': "describe('b', () => { it('half', () => {}); throw new Error('bad fixture'); });",
      'c.test.js': "describe('c', () => { it('runs', () => {}); });",
    });
    assert.deepEqual(r.tests.map((t) => [t.title, t.state]), [['c runs', 'passed']]);
    assert.equal(r.failed, 2);
    assert.match(r.failures[0] ?? '', /a\.test\.js: does not load: cannot find module \.\/gone/);
    assert.match(r.failures[1] ?? '', /b\.test\.js: does not load: bad fixture/);
  });

  it('.only fails the run instead of dropping every other test', () => {
    const r = run({
      'a.test.js': "describe('a', () => { it.only('focused', () => {}); });",
      'b.test.js': "describe('b', () => { it('other', () => {}); });",
    });
    assert.equal(r.failed, 1, JSON.stringify(r));
    assert.match(r.failures[0] ?? '', /a\.test\.js: does not load: .*only/i);
    assert.deepEqual(r.tests.map((t) => [t.title, t.state]), [['b other', 'passed']], 'the other file still runs, on its own');
  });

  it('tests a failing hook kept from running count as failed, naming the hook; other suites still run', () => {
    const r = run({
      'a.test.js': [
        "describe('broken', () => {",
        "  before(() => { throw new Error('no server'); });",
        "  it('one', () => {}); it('two', () => {});",
        "  describe('inner', () => { it('three', () => {}); });",
        '});',
        "describe('fine', () => { it('four', () => {}); });",
      ].join('\n'),
    });
    assert.equal(r.passed, 1);
    // the hook itself, and the three tests it kept from running
    assert.equal(r.failed, 4, JSON.stringify(r.failures));
    assert.deepEqual(r.tests.filter((t) => t.state === 'failed').map((t) => [t.title, t.reason]), [
      ['broken one', 'not run: the "before all" hook of "broken" failed'],
      ['broken two', 'not run: the "before all" hook of "broken" failed'],
      ['broken inner three', 'not run: the "before all" hook of "broken" failed'],
    ]);
    assert.match(r.failures[0] ?? '', /"before all" hook.*: no server/);
  });

  it('failTest from a root afterEach fails that test only; the next tests run and pass', () => {
    const r = run({ 'a.test.js': "describe('s', () => { it('leaves a mess', () => {}); it('clean', () => {}); it('also clean', () => {}); });" });
    assert.deepEqual([r.passed, r.failed], [2, 1]);
    assert.deepEqual(r.failures, ['s leaves a mess: left a scenario behind']);
  });

  it('reports progress as it goes: what passed so far and which test is running (for a run that never ends)', () => {
    const r = run({ 'a.test.js': "describe('s', () => { it('first', () => {}); it('second', () => {}); });" });
    const during = r.progress.find((p) => p.tests.some((t) => t.title === 's second' && t.state === 'running'));
    assert.ok(during, JSON.stringify(r.progress));
    assert.deepEqual([during.passed, during.finished, during.planned], [1, false, 2]);
    assert.deepEqual(during.tests.map((t) => t.state), ['passed', 'running']);
  });

  it('tests a grep leaves out are not counted; a grep matching nothing is a failure', () => {
    const files = { 'a.test.js': "describe('s', () => { it('wanted one', () => {}); it('other', () => {}); });" };
    const r = run(files, 'wanted');
    assert.deepEqual([r.passed, r.failed, r.tests.map((t) => t.title)], [1, 0, ['s wanted one']]);
    assert.deepEqual(run(files, 'nothing like it').failures, ['no tests in the scratch folder match the filter']);
  });

  it('no tests at all is a failure', () => {
    const r = run({ 'a.test.js': '// nothing here\n' });
    assert.deepEqual([r.passed, r.failed], [0, 1]);
    assert.deepEqual(r.failures, ['no tests found in the scratch folder']);
  });
});
