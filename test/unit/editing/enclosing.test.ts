import assert from 'node:assert/strict';
import { bracePairs, findEnclosingBlock } from '../../../src/core/editing/enclosing';

/** The line index of the first line containing `marker`. */
function lineOf(text: string, marker: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(marker));
  assert.ok(i >= 0, marker);
  return i;
}

function block(text: string, marker: string, lang: string) {
  const b = findEnclosingBlock(text, lineOf(text, marker), lang);
  return { ...b, text: text.split('\n').slice(b.startLine, b.endLine + 1).join('\n') };
}

const TS = `import { x } from './x';

/**
 * Totals a cart.
 */
export function total(items: Item[]): number {
  let sum = 0;
  for (const i of items) {
    if (i.qty > 0) {
      sum += i.price * i.qty; // CURSOR_LOOP
    }
  }
  const label = \`total: {\${sum}\`; // a brace in a template
  return sum;
}

export class Cart {
  private items: Item[] = [];

  @memo()
  get count(): number {
    return this.items.length; // CURSOR_GETTER
  }

  add = (item: Item): void => {
    this.items.push(item); // CURSOR_ARROW
  };

  // CURSOR_CLASS_BODY
}

describe('cart', () => {
  it('adds', () => {
    expect(new Cart().count).toBe(0); // CURSOR_IT
  });
});
`;

describe('editing: findEnclosingBlock (braces)', () => {
  it('TypeScript: the function around a nested loop, with its doc comment', () => {
    const b = block(TS, 'CURSOR_LOOP', 'typescript');
    assert.equal(b.kind, 'function');
    assert.equal(b.label, 'function total');
    assert.equal(b.startLine, 2);
    assert.equal(b.endLine, lineOf(TS, 'return sum;') + 1);
  });

  it('TypeScript: a getter with its decorator', () => {
    const b = block(TS, 'CURSOR_GETTER', 'typescript');
    assert.equal(b.label, 'function count');
    assert.equal(b.text, '  @memo()\n  get count(): number {\n    return this.items.length; // CURSOR_GETTER\n  }');
  });

  it('TypeScript: an arrow function property', () => {
    const b = block(TS, 'CURSOR_ARROW', 'typescript');
    assert.equal(b.label, 'function add');
    assert.equal(b.startLine, lineOf(TS, 'add = (item'));
  });

  it('TypeScript: the class when the cursor is between members', () => {
    const b = block(TS, 'CURSOR_CLASS_BODY', 'typescript');
    assert.equal(b.kind, 'class');
    assert.equal(b.label, 'class Cart');
    assert.equal(b.startLine, lineOf(TS, 'export class Cart'));
  });

  it('TypeScript: the innermost test callback when no function encloses it', () => {
    const b = block(TS, 'CURSOR_IT', 'typescript');
    assert.equal(b.kind, 'callback');
    assert.equal(b.label, 'the it block');
    assert.equal(b.startLine, lineOf(TS, "it('adds'"));
  });

  it('Java: an Allman-style method with a multi-line signature and annotation', () => {
    const java = [
      'public class Repo',
      '{',
      '    @Override',
      '    public List<User> find(String name,',
      '                           int limit)',
      '    {',
      '        if (name == null) { return List.of(); } // CURSOR',
      '        return db.query(name, limit);',
      '    }',
      '}',
    ].join('\n');
    const b = block(java, 'CURSOR', 'java');
    assert.equal(b.label, 'function find');
    assert.equal(b.startLine, 2);
    assert.equal(b.endLine, 8);
  });

  it('Go: a method with a receiver; braces in strings and runes are skipped', () => {
    const go = ['package srv', '', '// Close stops the server.', 'func (s *Server) Close() error {', '\tfmt.Println("}")', "\tr := '{'", '\treturn s.ln.Close() // CURSOR', '}', ''].join('\n');
    const b = block(go, 'CURSOR', 'go');
    assert.equal(b.label, 'function Close');
    assert.equal(b.startLine, 2);
    assert.equal(b.endLine, 7);
  });

  it('Rust: lifetimes are not char literals; impl blocks are class-like', () => {
    const rs = [
      "impl<'a> Parser<'a> {",
      "    pub fn next(&mut self) -> Option<&'a str> {",
      '        self.rest.split_once(\'{\').map(|(a, _)| a) // CURSOR',
      '    }',
      '',
      '    // CURSOR_IMPL',
      '}',
    ].join('\n');
    assert.equal(block(rs, 'CURSOR', 'rust').label, 'function next');
    const impl = block(rs, 'CURSOR_IMPL', 'rust');
    assert.equal(impl.kind, 'class');
    assert.deepEqual([impl.label, impl.startLine, impl.endLine], ['class Parser', 0, 6]);
  });

  it('C#: a method inside a namespace and class', () => {
    const cs = ['namespace Shop {', '  public sealed class Cart {', '    /// <summary>Count.</summary>', '    public int Count() {', '      return items.Count; // CURSOR', '    }', '  }', '}'].join('\n');
    const b = block(cs, 'CURSOR', 'csharp');
    assert.deepEqual([b.label, b.startLine, b.endLine], ['function Count', 2, 5]);
  });

  it('skips comments when matching braces', () => {
    assert.equal(bracePairs('/* { */ a { // }\n}', 'typescript').length, 1);
  });
});

describe('editing: findEnclosingBlock (Python)', () => {
  const PY = [
    'import os',
    '',
    'class Store:',
    '    @property',
    '    def path(self):',
    '        return os.path.join(',
    '            self.root, "x")  # CURSOR_PATH',
    '',
    '    def load(',
    '        self,',
    '        name: str,',
    '    ) -> dict:',
    '        text = """',
    'raw text at column 0',
    '"""',
    '        return parse(text)  # CURSOR_LOAD',
    '',
    '    # CURSOR_CLASS',
    '    x = 1',
    '',
    'def main():',
    '    pass',
  ].join('\n');

  it('a method with its decorator', () => {
    const b = block(PY, 'CURSOR_PATH', 'python');
    assert.deepEqual([b.kind, b.label, b.startLine, b.endLine], ['function', 'function path', 3, 6]);
  });

  it('a multi-line signature and a column-0 string do not end the body', () => {
    const b = block(PY, 'CURSOR_LOAD', 'python');
    assert.deepEqual([b.label, b.startLine, b.endLine], ['function load', 8, 15]);
  });

  it('the class when the cursor is in its body between methods', () => {
    const b = block(PY, 'CURSOR_CLASS', 'python');
    assert.deepEqual([b.label, b.startLine, b.endLine], ['class Store', 2, 18]);
  });

  it('top-level code: the whole file', () => {
    const b = block(PY, 'import os', 'python');
    assert.deepEqual([b.kind, b.label, b.startLine, b.endLine, b.truncated], ['file', 'the whole file', 0, 21, false]);
  });
});

describe('editing: findEnclosingBlock (fallback)', () => {
  it('unknown languages use the whole file', () => {
    const b = findEnclosingBlock('a: 1\nb: 2\n', 0, 'yaml');
    assert.deepEqual(b, { startLine: 0, endLine: 1, kind: 'file', label: 'the whole file', truncated: false });
  });

  it('a long file is cut to a window around the cursor', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const b = findEnclosingBlock(text, 900, 'plaintext', { maxFileLines: 100 });
    assert.deepEqual(b, { startLine: 850, endLine: 949, kind: 'file', label: 'lines 851-950 of the file', truncated: true });
    const end = findEnclosingBlock(text, 995, 'plaintext', { maxFileLines: 100 });
    assert.deepEqual([end.startLine, end.endLine], [900, 999]);
  });

  it('top-level statements in a brace language: the file', () => {
    const b = findEnclosingBlock('const a = { b: 1 };\nif (a) {\n  run();\n}\n', 2, 'javascript');
    assert.equal(b.kind, 'file');
  });
});
