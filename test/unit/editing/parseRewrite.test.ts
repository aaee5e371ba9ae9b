import assert from 'node:assert/strict';
import { fitToSelection, parseRewrite, partialRewrite, similarity } from '../../../src/core/editing/parseRewrite';
import { parseInfoString } from '../../../src/core/editing/fences';
import { languageOfExtension } from '../../../src/core/editing/languages';
import { CORPUS } from './rewriteCorpus';

describe('editing: parseRewrite corpus', () => {
  it('has at least 30 cases', () => assert.ok(CORPUS.length >= 30, String(CORPUS.length)));

  for (const c of CORPUS) {
    it(c.name, () => {
      const r = parseRewrite(c.output, c.ctx);
      if (c.expected === '') {
        assert.equal(r.ok, false);
        return;
      }
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.code, c.expected);
      assert.equal(r.fenced, c.fenced ?? true);
      assert.equal(r.complete, c.complete ?? true);
    });
  }
});

describe('editing: parseRewrite edge cases', () => {
  it('refuses an empty or think-only answer', () => {
    assert.deepEqual(parseRewrite('  \n'), { ok: false, reason: 'empty', message: 'Qwen returned no code.' });
    const r = parseRewrite('<think>still thinking about it');
    assert.equal(r.ok, false);
    const cut = parseRewrite('Here is the code:\n```ts\n');
    assert.equal(cut.ok ? 'ok' : cut.reason, 'empty');
    const empty = parseRewrite('```ts\n```');
    assert.equal(empty.ok ? 'ok' : empty.reason, 'empty');
  });

  it('refuses prose with an intro and no code', () => {
    const r = parseRewrite('Here is my analysis:\n\nThe function looks correct to me and handles every case you listed.');
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.reason, 'no-code');
  });

  it('refuses a short sentence', () => {
    const r = parseRewrite('No changes needed.', { languageId: 'typescript' });
    assert.equal(r.ok ? r.code : r.reason, 'no-code');
  });

  it('similarity is 1 for identical code, low for unrelated text', () => {
    assert.equal(similarity('a + b', 'a + b'), 1);
    assert.ok(similarity('return a + b;', 'console.log("hello world")') < 0.3);
  });

  it('parses info strings', () => {
    assert.deepEqual(parseInfoString('ts path=src/a.ts', languageOfExtension), { label: 'ts', path: 'src/a.ts' });
    assert.deepEqual(parseInfoString('path=src/a.py', languageOfExtension), { label: 'python', path: 'src/a.py' });
    assert.deepEqual(parseInfoString('typescript:src/b.ts', languageOfExtension), { label: 'typescript', path: 'src/b.ts' });
    assert.deepEqual(parseInfoString('src/main.rs', languageOfExtension), { label: 'rust', path: 'src/main.rs' });
    assert.deepEqual(parseInfoString('', languageOfExtension), { label: '' });
  });
});

describe('editing: partialRewrite (live preview)', () => {
  const F = '```';
  it('shows nothing while the answer is prose or thinking', () => {
    assert.equal(partialRewrite('Here'), '');
    assert.equal(partialRewrite("Here's the refactored version:\n"), '');
    assert.equal(partialRewrite('<think>hmm, the loop'), '');
    assert.equal(partialRewrite('<thi'), '');
  });

  it('shows the open block so far, holding back a line that may be a fence', () => {
    assert.equal(partialRewrite(`Sure:\n${F}ts\nconst a = 1;\nconst b`), 'const a = 1;\nconst b');
    assert.equal(partialRewrite(`${F}ts\nconst a = 1;\n\``), 'const a = 1;');
    assert.equal(partialRewrite(`${F}ts\nconst a = 1;\n${F}`), 'const a = 1;');
    assert.equal(partialRewrite(`${F}t`), '');
  });

  it('skips a think block and a foreign-language block', () => {
    assert.equal(partialRewrite(`<think>x</think>\n${F}bash\nnpm i\n${F}\n${F}py\nx = 1\n`, { languageId: 'python' }), 'x = 1');
  });

  it('shows unfenced code once a line is finished', () => {
    assert.equal(partialRewrite('const x = 1;\nconst y'), 'const x = 1;\nconst y');
  });
});

describe('editing: fitToSelection', () => {
  it('re-indents a block the model dedented to column 0', () => {
    const original = '    if (x) {\n      y();\n    }\n';
    assert.equal(fitToSelection('if (x) {\n  z();\n}', original), '    if (x) {\n      z();\n    }\n');
  });

  it('does not double-indent a block that kept its indentation', () => {
    const original = '    if (x) {\n      y();\n    }';
    assert.equal(fitToSelection('    if (x) {\n      z();\n    }\n', original), '    if (x) {\n      z();\n    }');
  });

  it('keeps CRLF and the trailing newline of the selection', () => {
    const original = '  a();\r\n  b();\r\n';
    assert.equal(fitToSelection('a();\nb();\nc();', original), '  a();\r\n  b();\r\n  c();\r\n');
  });

  it('an explicit eol wins', () => {
    assert.equal(fitToSelection('a\nb', 'x\ny', { eol: '\r\n' }), 'a\r\nb');
  });

  it('converts spaces to the original tabs', () => {
    const original = '\tfunc() {\n\t\treturn 1\n\t}';
    assert.equal(fitToSelection('func() {\n    return 2\n}', original), '\tfunc() {\n\t\treturn 2\n\t}');
  });

  it('converts tabs to the original 2-space indentation', () => {
    const original = '  if (a) {\n    b();\n  }';
    assert.equal(fitToSelection('if (a) {\n\tc();\n}', original), '  if (a) {\n    c();\n  }');
  });

  it('converts 4-space answers to a 2-space file', () => {
    const original = 'def f():\n  return 1\n';
    assert.equal(fitToSelection('def f():\n    return 2', original, { indent: { tabs: false, size: 2 } }), 'def f():\n  return 2\n');
  });

  it('keeps JSDoc alignment spaces', () => {
    const original = '  const a = 1;';
    assert.equal(fitToSelection('/**\n * A.\n */\nconst a = 1;', original), '  /**\n   * A.\n   */\n  const a = 1;');
  });

  it('a selection starting after the indentation: first line without it', () => {
    // The document line is "    return x;" and the selection starts at column 4.
    assert.equal(fitToSelection('return x + 1;\n', 'return x;', { linePrefix: '    ' }), 'return x + 1;');
    assert.equal(
      fitToSelection('if (a) {\n  b();\n}', 'if (a) {\n      c();\n    }', { linePrefix: '    ' }),
      'if (a) {\n      b();\n    }',
    );
  });

  it('a selection starting mid-line keeps the continuation lines where they were', () => {
    assert.equal(
      fitToSelection('foo(a,\n    b, c)', 'foo(a,\n    b)', { linePrefix: '  const x = ' }),
      'foo(a,\n    b, c)',
    );
  });

  it('keeps blank lines empty and trims trailing whitespace', () => {
    assert.equal(fitToSelection('a();  \n\nb();', '  x();\n  y();'), '  a();\n\n  b();');
  });

  it('no trailing newline added when the selection had none', () => {
    assert.equal(fitToSelection('x\n\n', 'y'), 'x');
  });
});
