import assert from 'node:assert/strict';
import {
  documentPrompt,
  explainQuestion,
  fenceFor,
  fixPrompt,
  generateTestsPrompt,
  inlinePrompt,
  refactorPrompt,
  surroundingContext,
} from '../../../src/core/editing/prompts';
import type { CodeSelection } from '../../../src/core/editing/prompts';
import { parseRewrite } from '../../../src/core/editing/parseRewrite';

const SEL: CodeSelection = {
  path: 'src/cart.ts',
  languageId: 'typescript',
  startLine: 12,
  endLine: 14,
  text: '  total() {\n    return this.items.reduce((s, i) => s + i.price, 0);\n  }\n',
  before: ['export class Cart {', '  items: Item[] = [];'],
  after: ['}'],
  indent: { tabs: false, size: 2 },
};

const FENCED_SELECTION = '```typescript\n  total() {\n    return this.items.reduce((s, i) => s + i.price, 0);\n  }\n```';

describe('editing: prompts', () => {
  it('explain asks the question only (the code goes along as an attachment), naming the file, language and lines', () => {
    assert.equal(explainQuestion(SEL), 'Explain the selected code from `src/cart.ts` (TypeScript), lines 12-14: what it does, how it works, and anything surprising (edge cases, bugs, performance).');
    assert.ok(!explainQuestion(SEL).includes('```'));
    assert.ok(explainQuestion({ ...SEL, label: 'function total', startLine: 5, endLine: 5 }).startsWith('Explain function total from `src/cart.ts` (TypeScript), line 5:'));
  });

  it('rewrite prompts ask for one fenced block with only the replacement', () => {
    for (const p of [refactorPrompt(SEL), fixPrompt(SEL, []), documentPrompt(SEL), inlinePrompt(SEL, 'use a for loop')]) {
      assert.match(p.system, /exactly one fenced code block/);
      assert.match(p.system, /ONLY the replacement/);
      assert.match(p.system, /same base indentation/);
      assert.match(p.system, /TypeScript/);
      assert.ok(p.user.includes(FENCED_SELECTION));
      assert.ok(p.user.includes('The file indents with 2 spaces.'));
      assert.ok(p.user.includes('do not repeat them'));
    }
  });

  it('refactor carries the optional instruction', () => {
    assert.ok(refactorPrompt(SEL, ' extract a helper ').user.includes('The user asks: extract a helper'));
    assert.ok(!refactorPrompt(SEL).user.includes('The user asks'));
  });

  it('fix lists each diagnostic with line, severity, source and message', () => {
    const p = fixPrompt(SEL, [
      { line: 13, severity: 'error', message: "Property 'price' does not exist on type 'Item'.", source: 'ts', code: 2339 },
      { line: 12, severity: 'warning', message: 'Missing return type on function.', source: 'eslint' },
      { line: 14, severity: 'information', message: 'Unused.' },
    ]);
    assert.ok(p.user.includes("- line 13 [error, ts 2339]: Property 'price' does not exist on type 'Item'."), p.user);
    assert.ok(p.user.includes('- line 12 [warning, eslint]: Missing return type on function.'));
    assert.ok(p.user.includes('- line 14 [info]: Unused.'));
  });

  it('fix without diagnostics asks for logic errors', () => {
    assert.match(fixPrompt(SEL, []).user, /reports no problems/);
  });

  it('document uses the language convention', () => {
    assert.match(documentPrompt(SEL).user, /JSDoc/);
    assert.match(documentPrompt({ ...SEL, languageId: 'python' }).user, /PEP 257 docstrings/);
    assert.match(documentPrompt({ ...SEL, languageId: 'rust' }).user, /`\/\/\/`/);
    assert.match(documentPrompt({ ...SEL, languageId: 'go' }).user, /starting with the declared name/);
    assert.match(documentPrompt({ ...SEL, languageId: 'elixir' }).user, /convention of elixir/);
  });

  it('inline prompt carries the instruction and tabs are named', () => {
    const p = inlinePrompt({ ...SEL, indent: { tabs: true, size: 4 } }, 'make it async\n');
    assert.ok(p.user.startsWith('Change the selected code as the user asks: make it async'));
    assert.ok(p.user.includes('The file indents with tabs.'));
  });

  it('code containing ``` is fenced with a longer fence, and a model echoing it parses back', () => {
    assert.equal(fenceFor('no ticks'), '```');
    assert.equal(fenceFor('a ```` b'), '`````');
    const text = 'const md = "```";\n';
    const p = refactorPrompt({ ...SEL, text, before: [], after: [] });
    assert.ok(p.user.includes('````typescript\nconst md = "```";\n````'));
    const echoed = /````typescript\n[\s\S]*?\n````/.exec(p.user)?.[0] ?? '';
    const r = parseRewrite(echoed, { languageId: 'typescript' });
    assert.deepEqual(r, { ok: true, code: 'const md = "```";', fenced: true, complete: true });
  });

  it('generate tests names the framework, the test path and asks for the whole file', () => {
    const p = generateTestsPrompt({
      sourcePath: 'src/cart.ts',
      languageId: 'typescript',
      source: 'export const x = 1;\n',
      framework: 'vitest',
      testPath: 'src/cart.test.ts',
      exampleTest: { path: 'src/user.test.ts', text: "import { it } from 'vitest';\n" },
    });
    assert.match(p.system, /complete content of the new test file/);
    assert.ok(p.user.startsWith('Write unit tests for `src/cart.ts` (TypeScript) using vitest.'));
    assert.ok(p.user.includes('saved as `src/cart.test.ts`'));
    assert.ok(p.user.includes('```typescript\nexport const x = 1;\n```'));
    assert.ok(p.user.includes("(`src/user.test.ts`)"));
    assert.ok(p.user.endsWith('containing the whole file `src/cart.test.ts`.'));
  });

  it('surroundingContext caps each side', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `l${i}`);
    const c = surroundingContext(lines, 50, 52, 3);
    assert.deepEqual(c, { before: ['l47', 'l48', 'l49'], after: ['l53', 'l54', 'l55'] });
    assert.deepEqual(surroundingContext(lines, 1, 98, 3), { before: ['l0'], after: ['l99'] });
  });
});
