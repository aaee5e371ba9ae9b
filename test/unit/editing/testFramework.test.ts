import assert from 'node:assert/strict';
import { detectTestFramework, isTestFile, proposeTestPath } from '../../../src/core/editing/testFramework';
import type { ProjectFiles } from '../../../src/core/editing/testFramework';

function project(contents: Record<string, string>, more: string[] = []): ProjectFiles {
  return { files: [...Object.keys(contents), ...more], read: (p) => contents[p] };
}

const pkg = (o: object) => JSON.stringify(o);

describe('editing: detectTestFramework', () => {
  it('JS: the test script beats dependencies', () => {
    const p = project({ 'package.json': pkg({ scripts: { test: 'vitest run' }, devDependencies: { jest: '^29', vitest: '^2' } }) });
    assert.deepEqual(detectTestFramework(p, 'src/a.ts'), { id: 'vitest', evidence: 'package.json scripts.test: vitest run' });
  });

  it('JS: jest, mocha and ava from devDependencies', () => {
    for (const id of ['jest', 'mocha', 'ava'] as const) {
      const p = project({ 'package.json': pkg({ scripts: { test: 'npm run build && node scripts/test.mjs' }, devDependencies: { [id]: '1' } }) });
      assert.equal(detectTestFramework(p, 'src/a.ts').id, id);
    }
  });

  it('JS: node --test in the script', () => {
    const p = project({ 'package.json': pkg({ scripts: { test: 'node --test test/' } }) });
    assert.equal(detectTestFramework(p, 'lib/a.js').id, 'node:test');
  });

  it('JS: node:test from an existing test file import', () => {
    const p = project({ 'package.json': pkg({}), 'test/a.test.mjs': "import test from 'node:test';\n" });
    assert.deepEqual(detectTestFramework(p, 'lib/a.mjs'), { id: 'node:test', evidence: 'test/a.test.mjs imports node:test' });
  });

  it('JS: config file when package.json says nothing', () => {
    const p = project({ 'package.json': '{ not json', 'jest.config.ts': '' });
    assert.deepEqual(detectTestFramework(p, 'src/a.ts'), { id: 'jest', evidence: 'jest.config.ts' });
  });

  it('JS monorepo: the nearest package.json decides', () => {
    const p = project({
      'package.json': pkg({ devDependencies: { jest: '1' } }),
      'packages/web/package.json': pkg({ devDependencies: { vitest: '1' } }),
    });
    assert.equal(detectTestFramework(p, 'packages/web/src/App.tsx').id, 'vitest');
    assert.equal(detectTestFramework(p, 'tools/x.ts').id, 'jest');
  });

  it('JS: unknown without any evidence', () => {
    assert.equal(detectTestFramework(project({}), 'a.ts').id, 'unknown');
  });

  it('Python: pytest from pyproject, setup.cfg and conftest.py', () => {
    assert.equal(detectTestFramework(project({ 'pyproject.toml': '[tool.pytest.ini_options]\naddopts = "-q"\n' }), 'pkg/a.py').id, 'pytest');
    assert.equal(detectTestFramework(project({ 'setup.cfg': '[tool:pytest]\ntestpaths = tests\n' }), 'pkg/a.py').id, 'pytest');
    assert.deepEqual(detectTestFramework(project({ 'tests/conftest.py': '' }), 'pkg/a.py'), { id: 'pytest', evidence: 'tests/conftest.py' });
  });

  it('Python: unittest from an existing test', () => {
    const p = project({ 'tests/test_core.py': 'import unittest\n\nclass CoreTest(unittest.TestCase):\n    pass\n' });
    assert.deepEqual(detectTestFramework(p, 'pkg/core.py'), { id: 'unittest', evidence: 'tests/test_core.py imports unittest' });
  });

  it('Go, Rust, Java', () => {
    assert.equal(detectTestFramework(project({}), 'internal/server/server.go').id, 'go');
    assert.deepEqual(detectTestFramework(project({ 'Cargo.toml': '' }), 'src/lib.rs'), { id: 'cargo', evidence: 'Cargo.toml' });
    const mvn = project({ 'pom.xml': '<artifactId>junit-jupiter</artifactId>' });
    assert.deepEqual(detectTestFramework(mvn, 'src/main/java/com/acme/Foo.java'), { id: 'junit', evidence: 'pom.xml uses JUnit' });
  });

  it('isTestFile per ecosystem', () => {
    assert.ok(isTestFile('src/a.spec.tsx'));
    assert.ok(isTestFile('src/__tests__/a.js'));
    assert.ok(!isTestFile('src/a.ts'));
    assert.ok(isTestFile('tests/test_a.py'));
    assert.ok(!isTestFile('app/testing.py'));
    assert.ok(isTestFile('a_test.go'));
    assert.ok(isTestFile('src/test/java/FooTest.java'));
  });
});

describe('editing: proposeTestPath', () => {
  it('mirrors a test/ tree (this repository: src/core → test/unit)', () => {
    const files = ['src/core/errors.ts', 'src/core/agent/agentLoop.ts', 'test/unit/errors.test.ts', 'test/unit/agent/agentLoop.flow.test.ts', 'src/core/editing/anchor.ts'];
    assert.equal(proposeTestPath({ files }, 'src/core/editing/anchor.ts', 'mocha'), 'test/unit/editing/anchor.test.ts');
  });

  it('beside the source with .spec when the project does that', () => {
    const files = ['src/app/user.service.ts', 'src/app/user.service.spec.ts', 'src/app/cart.ts'];
    assert.equal(proposeTestPath({ files }, 'src/app/cart.ts', 'jest'), 'src/app/cart.spec.ts');
  });

  it('in a sibling __tests__ folder', () => {
    const files = ['src/hooks/useAuth.ts', 'src/hooks/__tests__/useAuth.test.ts', 'src/utils/date.ts'];
    assert.equal(proposeTestPath({ files }, 'src/utils/date.ts', 'jest'), 'src/utils/__tests__/date.test.ts');
  });

  it('beside with .test when there are no tests yet', () => {
    assert.equal(proposeTestPath({ files: ['src/a.tsx'] }, 'src/a.tsx', 'vitest'), 'src/a.test.tsx');
  });

  it('never overwrites: a numbered variant', () => {
    const files = ['src/a.ts', 'src/a.test.ts'];
    assert.equal(proposeTestPath({ files }, 'src/a.ts', 'vitest'), 'src/a-2.test.ts');
    assert.equal(proposeTestPath({ files: [...files, 'src/a-2.test.ts'] }, 'src/a.ts', 'vitest'), 'src/a-3.test.ts');
  });

  it('Python: tests/test_x.py, mirroring the package tree', () => {
    const files = ['mypkg/core.py', 'tests/test_core.py', 'mypkg/io/reader.py', 'mypkg/io/__init__.py'];
    assert.equal(proposeTestPath({ files }, 'mypkg/util.py', 'pytest'), 'tests/test_util.py');
    assert.equal(proposeTestPath({ files: ['src/mypkg/a.py'] }, 'src/mypkg/a.py', 'pytest'), 'tests/test_a.py');
  });

  it('Python: x_test.py beside when the project names them so', () => {
    const files = ['app/models.py', 'app/models_test.py', 'app/views.py'];
    assert.equal(proposeTestPath({ files }, 'app/views.py', 'pytest'), 'app/views_test.py');
  });

  it('Python: an existing test_x.py gets a numbered variant', () => {
    const files = ['pkg/a.py', 'tests/test_a.py'];
    assert.equal(proposeTestPath({ files }, 'pkg/a.py', 'pytest'), 'tests/test_a_2.py');
  });

  it('Go: x_test.go beside', () => {
    assert.equal(proposeTestPath({ files: ['pkg/srv/server.go'] }, 'pkg/srv/server.go', 'go'), 'pkg/srv/server_test.go');
    assert.equal(proposeTestPath({ files: ['server.go', 'server_test.go'] }, 'server.go', 'go'), 'server_2_test.go');
  });

  it('Rust: tests/ at the crate root', () => {
    const files = ['crates/parser/Cargo.toml', 'crates/parser/src/lexer.rs'];
    assert.equal(proposeTestPath({ files }, 'crates/parser/src/lexer.rs', 'cargo'), 'crates/parser/tests/lexer.rs');
  });

  it('Java: src/test mirror with the Test suffix', () => {
    assert.equal(
      proposeTestPath({ files: [] }, 'src/main/java/com/acme/Invoice.java', 'junit'),
      'src/test/java/com/acme/InvoiceTest.java',
    );
  });
});
