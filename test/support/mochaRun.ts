/**
 * One mocha run, counted the way `npm test` reports it. Shared by the three runners (the unit tests in Node, the
 * VS Code tests in the extension host, the UI tests), because mocha's own events undercount:
 * - a file that throws while loading would stop mocha before any test ran: each file is loaded on its own, and one
 *   that throws is a failure with its reason while the others still run;
 * - `.only` would silently drop every other test: it is forbidden, so it throws while loading (a failure);
 * - a failing hook makes mocha skip the rest of its suite without an event: after the run the suite tree is walked,
 *   and every test that never ran counts as failed, naming the hook;
 * - a run that finds no tests fails.
 */
import type Mocha from 'mocha';
import { relative } from 'node:path';

export type TestState = 'passed' | 'failed' | 'skipped' | 'running';

export interface TestOutcome {
  title: string;
  state: TestState;
  /** Why it failed (also for tests that never ran). */
  reason?: string;
}

export interface MochaResults {
  passed: number;
  failed: number;
  skipped: number;
  /** One line per failure: `<full title>: <first line of the reason>`. */
  failures: string[];
  /** Every test in the order it ran (or would have); a test still running when the results were written is `running`. */
  tests: TestOutcome[];
  /** False while the run is going on: results written on the way (see `onProgress`) are partial. */
  finished: boolean;
  /** How many tests the run was to run (so partial results can say how many never started). */
  planned?: number;
}

export interface RunFilesOptions {
  /** The test files (absolute), loaded in this order. */
  files: string[];
  /** Where the tests were looked for, named when none are found. */
  where: string;
  /** Called whenever a test starts or ends, with the results so far (e.g. to write them as they happen). */
  onProgress?: (results: MochaResults) => void;
}

/** Failures found outside mocha's events (see `failTest`), by test. */
const markedFailed = new WeakMap<Mocha.Runnable, string>();

/**
 * Makes a test that mocha saw pass count as failed, with `reason`. For a root `afterEach` hook that finds what the
 * test left behind: throwing there instead would abort every later test of the run.
 */
export function failTest(test: Mocha.Runnable, reason: string): void {
  markedFailed.set(test, reason);
}

const firstLine = (e: unknown): string => String(e instanceof Error ? e.message : e).split('\n')[0] ?? '';

/** Runs `files` with `mocha` (a fresh instance) and resolves with the counts; never rejects. */
export function runFiles(mocha: Mocha, { files, where, onProgress }: RunFilesOptions): Promise<MochaResults> {
  // `.only` in a file must fail, not narrow the run: with this set, mocha's it.only/describe.only throw while loading
  mocha.options.forbidOnly = true;
  const loadFailures: string[] = [];
  for (const file of files) {
    mocha.files = [file];
    const before = new Set<unknown>(runnablesOf(mocha.suite));
    try {
      // synchronous require of one file, as mocha.run() would do for all of them at once
      (mocha as unknown as { loadFiles(): void }).loadFiles();
    } catch (e) {
      loadFailures.push(`${relative(process.cwd(), file) || file}: does not load: ${firstLine(e)}`);
      // half a file does not run: drop the suites and tests it registered before it threw
      prune(mocha.suite, before);
      // mocha's describe() has no `finally`: a throw inside one leaves that suite on the interface's stack, and every
      // later file's suites would nest inside it. A fresh interface starts from the root again.
      mocha.suite.removeAllListeners('pre-require');
      mocha.ui(mocha.options.ui ?? 'bdd');
    }
  }
  mocha.files = files;
  (mocha as unknown as { lazyLoadFiles(on: boolean): void }).lazyLoadFiles(true); // loaded above

  const hookFailures: { hook: Mocha.Runnable; reason: string }[] = [];
  const otherFailures: string[] = [];
  const reasons = new Map<Mocha.Runnable, string>();
  const live = new Map<Mocha.Runnable, TestOutcome>();
  const progress = (): void => {
    if (!onProgress) return;
    const tests = [...live.values()];
    const count = (s: TestState) => tests.filter((t) => t.state === s).length;
    const failures = [...loadFailures, ...hookFailures.map((h) => `${h.hook.fullTitle()}: ${h.reason}`),
      ...tests.filter((t) => t.state === 'failed').map((t) => `${t.title}: ${t.reason ?? ''}`)];
    onProgress({ passed: count('passed'), failed: failures.length, skipped: count('skipped'), failures, tests, finished: false, planned });
  };

  const planned = [...testsOf(mocha.suite)].filter(selector(mocha)).length;
  if (mocha.suite.total() === 0) {
    const failures = [...loadFailures, `no tests found in ${where}`];
    return Promise.resolve({ passed: 0, failed: failures.length, skipped: 0, failures, tests: [], finished: true });
  }

  return new Promise((resolve) => {
    let runner: Mocha.Runner;
    try {
      runner = mocha.run(() => resolve(count(mocha.suite, { where, loadFailures, hookFailures, otherFailures, reasons, selected: selector(mocha) })));
    } catch (e) {
      const failures = [...loadFailures, `mocha did not start: ${firstLine(e)}`];
      resolve({ passed: 0, failed: failures.length, skipped: 0, failures, tests: [], finished: true });
      return;
    }
    runner.on('test', (t) => {
      live.set(t, { title: t.fullTitle(), state: 'running' });
      progress();
    });
    runner.on('pass', (t) => {
      live.set(t, { title: t.fullTitle(), state: 'passed' });
      progress();
    });
    runner.on('pending', (t) => {
      live.set(t, { title: t.fullTitle(), state: 'skipped' });
      progress();
    });
    runner.on('fail', (r: Mocha.Runnable, err: unknown) => {
      const reason = firstLine(err);
      const type = (r as { type?: string }).type;
      if (type === 'hook') hookFailures.push({ hook: r, reason });
      else if (type === 'test') {
        // a test can fail twice (a timeout, then its late error): keep the first reason
        if (!reasons.has(r)) reasons.set(r, reason);
        live.set(r, { title: r.fullTitle(), state: 'failed', reason });
      } else otherFailures.push(`${r.fullTitle() || r.title}: ${reason}`);
      progress();
    });
  });
}

/** The tests a `grep` option leaves in the run (mocha skips the others without a word, as it should). */
function selector(mocha: Mocha): (t: Mocha.Test) => boolean {
  const { grep, invert } = mocha.options as { grep?: RegExp | string; invert?: boolean };
  if (grep === undefined) return () => true;
  const re = typeof grep === 'string' ? new RegExp(grep.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : grep;
  return (t) => re.test(t.fullTitle()) !== Boolean(invert);
}

interface Seen {
  where: string;
  selected: (t: Mocha.Test) => boolean;
  loadFailures: string[];
  hookFailures: { hook: Mocha.Runnable; reason: string }[];
  otherFailures: string[];
  reasons: Map<Mocha.Runnable, string>;
}

function* runnablesOf(suite: Mocha.Suite): Generator<Mocha.Suite | Mocha.Test> {
  yield* suite.tests;
  for (const child of suite.suites) {
    yield child;
    yield* runnablesOf(child);
  }
}

function prune(suite: Mocha.Suite, keep: Set<unknown>): void {
  suite.tests = suite.tests.filter((t) => keep.has(t));
  suite.suites = suite.suites.filter((s) => keep.has(s));
  for (const child of suite.suites) prune(child, keep);
}

function* testsOf(suite: Mocha.Suite): Generator<Mocha.Test> {
  yield* suite.tests;
  for (const child of suite.suites) yield* testsOf(child);
}

function isWithin(suite: Mocha.Suite | undefined, ancestor: Mocha.Suite | undefined): boolean {
  for (let s = suite; s; s = s.parent) if (s === ancestor) return true;
  return false;
}

/** `the "before all" hook of "suite"` (mocha renames a failed hook after the test it ran for). */
function hookName(hook: Mocha.Runnable): string {
  const original = (hook as { originalTitle?: string }).originalTitle ?? hook.title;
  const suite = hook.parent?.fullTitle();
  return suite ? `the ${original} of "${suite}"` : `the root ${original}`;
}

/** The final counts, from the suite tree: what each test's state is, not how many events mocha happened to send. */
function count(root: Mocha.Suite, seen: Seen): MochaResults {
  const tests: TestOutcome[] = [];
  for (const t of testsOf(root)) {
    if (!seen.selected(t)) continue;
    const title = t.fullTitle();
    const marked = markedFailed.get(t);
    if (t.isPending()) tests.push({ title, state: 'skipped' });
    else if (marked !== undefined) tests.push({ title, state: 'failed', reason: marked });
    else if (t.state === 'passed') tests.push({ title, state: 'passed' });
    else if (t.state === 'failed') tests.push({ title, state: 'failed', reason: seen.reasons.get(t) ?? 'failed' });
    else {
      const hook = seen.hookFailures.find((h) => isWithin(t.parent, h.hook.parent));
      tests.push({ title, state: 'failed', reason: hook ? `not run: ${hookName(hook.hook)} failed` : 'not run' });
    }
  }
  const failures = [
    ...seen.loadFailures,
    ...(tests.length === 0 ? [`no tests in ${seen.where} match the filter`] : []),
    ...seen.hookFailures.map((h) => `${h.hook.fullTitle()}: ${h.reason}`),
    ...seen.otherFailures,
    ...tests.filter((t) => t.state === 'failed').map((t) => `${t.title}: ${t.reason ?? ''}`),
  ];
  return {
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: failures.length,
    skipped: tests.filter((t) => t.state === 'skipped').length,
    failures,
    tests,
    finished: true,
  };
}
