/**
 * Detecting a project's test framework and proposing where a new test file goes, from file names and contents the
 * caller provides (no IO here). The proposal mirrors what the project already does — the location and naming of
 * its existing tests — and never names a file that exists.
 */

export interface ProjectFiles {
  /** Workspace-relative paths, `/`-separated (a listing of the workspace, possibly capped). */
  files: readonly string[];
  /** The text of a file, or undefined when it cannot (or should not) be read. */
  read(path: string): string | undefined;
}

export type TestFrameworkId =
  | 'vitest' | 'jest' | 'mocha' | 'ava' | 'node:test'
  | 'pytest' | 'unittest' | 'go' | 'cargo' | 'junit' | 'unknown';

export interface TestFramework {
  id: TestFrameworkId;
  /** What the detection is based on, for the user ("package.json devDependencies: vitest"). */
  evidence: string;
}

type Ecosystem = 'js' | 'python' | 'go' | 'rust' | 'jvm' | 'other';

function ecosystemOf(path: string): Ecosystem {
  if (/\.(m|c)?(t|j)sx?$/.test(path)) return 'js';
  if (/\.pyi?$/.test(path)) return 'python';
  if (path.endsWith('.go')) return 'go';
  if (path.endsWith('.rs')) return 'rust';
  if (/\.(java|kt)$/.test(path)) return 'jvm';
  return 'other';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** The nearest file called `name` in the source's folder or above it (monorepos have one package.json each). */
function nearest(project: ProjectFiles, sourcePath: string, name: string): string | undefined {
  const set = new Set(project.files);
  for (let dir = dirName(sourcePath); ; dir = dirName(dir)) {
    const p = join(dir, name);
    if (set.has(p)) return p;
    if (dir === '') return undefined;
  }
}

function detectJs(project: ProjectFiles, sourcePath: string): TestFramework {
  const pkgPath = nearest(project, sourcePath, 'package.json');
  const text = pkgPath === undefined ? undefined : project.read(pkgPath);
  let deps: Record<string, unknown> = {};
  let testScript = '';
  if (text !== undefined) {
    try {
      const pkg = JSON.parse(text) as { devDependencies?: Record<string, unknown>; dependencies?: Record<string, unknown>; scripts?: Record<string, unknown> };
      deps = { ...pkg.dependencies, ...pkg.devDependencies };
      const t = pkg.scripts?.['test'];
      testScript = typeof t === 'string' ? t : '';
    } catch {
      // An unparsable package.json tells us nothing; the config files below may.
    }
  }
  // The test script is what the project actually runs, so it beats a dependency that may be left over.
  const runners: readonly [TestFrameworkId, RegExp][] = [
    ['vitest', /\bvitest\b/],
    ['jest', /\bjest\b/],
    ['mocha', /\bmocha\b/],
    ['ava', /\bava\b/],
    ['node:test', /\bnode\b[^&|;]*--test\b/],
  ];
  for (const [id, re] of runners) if (re.test(testScript)) return { id, evidence: `package.json scripts.test: ${testScript}` };
  for (const id of ['vitest', 'jest', 'mocha', 'ava'] as const) {
    if (id in deps) return { id, evidence: `package.json dependencies: ${id}` };
  }
  const configs: readonly [TestFrameworkId, RegExp][] = [
    ['vitest', /(^|\/)vitest\.config\.[cm]?[jt]s$/],
    ['jest', /(^|\/)jest\.config\.[cm]?[jt]s(on)?$/],
    ['mocha', /(^|\/)\.mocharc(\.[a-z]+)?$/],
  ];
  for (const [id, re] of configs) {
    const f = project.files.find((p) => re.test(p));
    if (f !== undefined) return { id, evidence: f };
  }
  const testFile = project.files.find((p) => isTestFile(p, 'js'));
  const body = testFile === undefined ? undefined : project.read(testFile);
  if (testFile !== undefined && body !== undefined && /from ['"]node:test['"]|require\(['"]node:test['"]\)/.test(body)) {
    return { id: 'node:test', evidence: `${testFile} imports node:test` };
  }
  return { id: 'unknown', evidence: 'no test runner found in package.json or config files' };
}

function detectPython(project: ProjectFiles): TestFramework {
  const has = (name: string) => project.files.find((p) => p === name || p.endsWith(`/${name}`));
  const conftest = has('conftest.py');
  if (conftest !== undefined) return { id: 'pytest', evidence: conftest };
  if (has('pytest.ini') !== undefined) return { id: 'pytest', evidence: 'pytest.ini' };
  for (const [file, re] of [
    ['pyproject.toml', /\[tool\.pytest|["']pytest\b/],
    ['setup.cfg', /\[tool:pytest\]|\bpytest\b/],
    ['tox.ini', /\[pytest\]|\bpytest\b/],
    ['requirements-dev.txt', /^pytest\b/m],
    ['requirements.txt', /^pytest\b/m],
  ] as const) {
    const p = has(file);
    const text = p === undefined ? undefined : project.read(p);
    if (p !== undefined && text !== undefined && re.test(text)) return { id: 'pytest', evidence: `${p} mentions pytest` };
  }
  const tests = project.files.filter((p) => isTestFile(p, 'python'));
  for (const t of tests.slice(0, 5)) {
    const text = project.read(t) ?? '';
    if (/^\s*import pytest|^\s*from pytest/m.test(text)) return { id: 'pytest', evidence: `${t} imports pytest` };
    if (/^\s*import unittest|^\s*from unittest/m.test(text)) return { id: 'unittest', evidence: `${t} imports unittest` };
  }
  // Plain `def test_…` functions are pytest's style; pytest also runs unittest tests, so it is the safer default.
  return { id: 'pytest', evidence: tests.length > 0 ? `${tests[0]} (test_ functions)` : 'Python default' };
}

/** Which framework the tests for `sourcePath` should use. */
export function detectTestFramework(project: ProjectFiles, sourcePath: string): TestFramework {
  switch (ecosystemOf(sourcePath)) {
    case 'js':
      return detectJs(project, sourcePath);
    case 'python':
      return detectPython(project);
    case 'go':
      return { id: 'go', evidence: 'Go files are tested with go test' };
    case 'rust':
      return { id: 'cargo', evidence: nearest(project, sourcePath, 'Cargo.toml') ?? 'Rust files are tested with cargo test' };
    case 'jvm': {
      const build = project.files.find((p) => /(^|\/)(pom\.xml|build\.gradle(\.kts)?)$/.test(p));
      const text = build === undefined ? undefined : project.read(build);
      if (build !== undefined && text !== undefined && /junit/i.test(text)) return { id: 'junit', evidence: `${build} uses JUnit` };
      return { id: 'junit', evidence: 'JVM default' };
    }
    default:
      return { id: 'unknown', evidence: 'no known test framework for this file type' };
  }
}

/** Whether a path is a test file by the naming rules of its ecosystem. */
export function isTestFile(path: string, eco: Ecosystem = ecosystemOf(path)): boolean {
  const name = baseName(path);
  switch (eco) {
    case 'js':
      return /\.(test|spec)\.[cm]?[jt]sx?$/.test(name) || /(^|\/)(__tests__|tests?)\//.test(path);
    case 'python':
      return /^test_.*\.py$|_test\.py$/.test(name);
    case 'go':
      return name.endsWith('_test.go');
    case 'rust':
      return /(^|\/)tests\/[^/]+\.rs$/.test(path);
    case 'jvm':
      return /(^|\/)src\/test\//.test(path) || /Tests?\.(java|kt)$/.test(name);
    default:
      return false;
  }
}

export { proposeTestPath } from './testPath';
