/**
 * Where a new test file goes. The project's existing tests are paired with the sources they test (same stem); each
 * pair votes for a convention — beside the source, in a sibling `__tests__/`, or in a mirrored tree (`src/core/a.ts`
 * ↔ `test/unit/a.test.ts` gives the mapping `src/core` → `test/unit`) — and the winner that applies to the new
 * source is used, with the project's majority naming (`.test`/`.spec`, `test_x.py`/`x_test.py`). Ecosystems with
 * one fixed convention (Go, Maven/Gradle, Cargo integration tests) use it directly.
 */

import type { ProjectFiles, TestFrameworkId } from './testFramework';

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

function segments(dir: string): string[] {
  return dir === '' ? [] : dir.split('/');
}

/** `a.test.ts` → `a`, `test_a.py` → `a`, `a_test.go` → `a`, `ATest.java` → `A`. */
function subjectStem(name: string): string {
  return name
    .replace(/\.[^.]+$/, '')
    .replace(/\.(test|spec)$/, '')
    .replace(/^test_/, '')
    .replace(/_test$/, '')
    .replace(/Tests?$/, '');
}

function sourceStem(name: string): string {
  return name.replace(/\.[^.]+$/, '');
}

type Convention = { kind: 'beside' } | { kind: '__tests__' } | { kind: 'mirror'; from: string; to: string };

function conventionOf(test: string, source: string): Convention | undefined {
  const td = dirName(test);
  const sd = dirName(source);
  if (td === sd) return { kind: 'beside' };
  if (td === join(sd, '__tests__')) return { kind: '__tests__' };
  const ts = segments(td);
  const ss = segments(sd);
  let common = 0;
  while (common < ts.length && common < ss.length && ts[ts.length - 1 - common] === ss[ss.length - 1 - common]) common++;
  return { kind: 'mirror', from: ss.slice(0, ss.length - common).join('/'), to: ts.slice(0, ts.length - common).join('/') };
}

function applies(c: Convention, sourceDir: string): boolean {
  return c.kind !== 'mirror' || c.from === '' || sourceDir === c.from || sourceDir.startsWith(`${c.from}/`);
}

function targetDir(c: Convention, sourceDir: string): string {
  if (c.kind === 'beside') return sourceDir;
  if (c.kind === '__tests__') return join(sourceDir, '__tests__');
  const rest = c.from === '' ? sourceDir : sourceDir.slice(c.from.length).replace(/^\//, '');
  return join(c.to, rest);
}

/** The directory the project's convention puts the tests of `sourcePath` in, if its existing tests show one. */
function conventionalDir(files: readonly string[], tests: readonly string[], sourcePath: string): string | undefined {
  const isTest = new Set(tests);
  const byStem = new Map<string, string[]>();
  for (const f of files) {
    if (isTest.has(f) || f.includes('node_modules/')) continue;
    const stem = sourceStem(baseName(f));
    byStem.set(stem, [...(byStem.get(stem) ?? []), f]);
  }
  const votes = new Map<string, { c: Convention; n: number }>();
  for (const t of tests) {
    const sources = byStem.get(subjectStem(baseName(t))) ?? [];
    // Several sources share the stem (index.ts): the one whose folders match the test's best is its subject.
    let best: Convention | undefined;
    let bestFrom = Infinity;
    for (const s of sources) {
      const c = conventionOf(t, s);
      const fromLen = c === undefined ? Infinity : c.kind === 'mirror' ? segments(c.from).length + segments(c.to).length : 0;
      if (c !== undefined && fromLen < bestFrom) {
        best = c;
        bestFrom = fromLen;
      }
    }
    if (best === undefined) continue;
    const key = best.kind === 'mirror' ? `mirror:${best.from}>${best.to}` : best.kind;
    votes.set(key, { c: best, n: (votes.get(key)?.n ?? 0) + 1 });
  }
  const sourceDir = dirName(sourcePath);
  const ranked = [...votes.values()].filter((v) => applies(v.c, sourceDir)).sort((a, b) => b.n - a.n);
  const winner = ranked[0];
  if (winner !== undefined) return targetDir(winner.c, sourceDir);
  // Tests exist but pair with nothing: put the new one in their most common top folder, mirroring below src/.
  const roots = new Map<string, number>();
  for (const t of tests) {
    const top = /^(.*?\b(tests?|__tests__|spec))\//.exec(t)?.[1];
    if (top !== undefined) roots.set(top, (roots.get(top) ?? 0) + 1);
  }
  const root = [...roots.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (root === undefined) return undefined;
  return join(root, sourceDir.replace(/^(src|lib)(\/|$)/, ''));
}

function unique(existing: ReadonlySet<string>, dir: string, name: (suffix: string) => string, sep: string): string {
  for (let n = 1; ; n++) {
    const p = join(dir, name(n === 1 ? '' : `${sep}${n}`));
    if (!existing.has(p)) return p;
  }
}

function majority(names: readonly string[], options: readonly [string, RegExp][], fallback: string): string {
  let best = fallback;
  let bestN = 0;
  for (const [value, re] of options) {
    const n = names.filter((x) => re.test(x)).length;
    if (n > bestN) {
      best = value;
      bestN = n;
    }
  }
  return best;
}

/**
 * The path for a new test file of `sourcePath` (workspace-relative), following the project's convention and never
 * equal to an existing file (a numbered variant is proposed instead).
 */
export function proposeTestPath(project: Pick<ProjectFiles, 'files'>, sourcePath: string, framework: TestFrameworkId): string {
  const files = project.files;
  const existing = new Set(files);
  const dir = dirName(sourcePath);
  const name = baseName(sourcePath);
  const stem = sourceStem(name);
  const ext = name.slice(stem.length); // '.ts', '.py', … ('' for extensionless files)

  if (framework === 'go' || ext === '.go') return unique(existing, dir, (s) => `${stem}${s}_test.go`, '_');
  if (framework === 'junit' || ext === '.java' || ext === '.kt') {
    const testDir = /(^|\/)src\/main\//.test(sourcePath) ? dir.replace(/(^|\/)src\/main\//, '$1src/test/') : dir;
    return unique(existing, testDir, (s) => `${stem}${s}Test${ext}`, '');
  }
  if (framework === 'cargo' || ext === '.rs') {
    // Integration tests live in `tests/` at the crate root (next to Cargo.toml) and see only the public API.
    let crate = dir;
    while (crate !== '' && !existing.has(join(crate, 'Cargo.toml'))) crate = dirName(crate);
    const root = existing.has(join(crate, 'Cargo.toml')) ? crate : dir.replace(/(^|\/)src(\/.*)?$/, '');
    return unique(existing, join(root, 'tests'), (s) => `${stem}${s}.rs`, '_');
  }
  if (ext === '.py' || framework === 'pytest' || framework === 'unittest') {
    const tests = files.filter((f) => /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(f));
    const suffix = majority(tests.map(baseName), [['prefix', /^test_/], ['suffix', /_test\.py$/]], 'prefix');
    const testDir = conventionalDir(files, tests, sourcePath) ?? join(dir.replace(/(^|\/)src(\/.*)?$/, ''), 'tests');
    return unique(existing, testDir, (s) => (suffix === 'prefix' ? `test_${stem}${s}.py` : `${stem}${s}_test.py`), '_');
  }
  const tests = files.filter(
    (f) => !f.includes('node_modules/') && (/\.(test|spec)\.[cm]?[jt]sx?$/.test(f) || /(^|\/)(__tests__|tests?)\/.*\.[cm]?[jt]sx?$/.test(f)),
  );
  const marker = majority(tests.map(baseName), [['.test', /\.test\./], ['.spec', /\.spec\./], ['', /^(?!.*\.(test|spec)\.)/]], '.test');
  const testDir = conventionalDir(files, tests, sourcePath) ?? dir;
  return unique(existing, testDir, (s) => `${stem}${s}${marker}${ext}`, '-');
}
