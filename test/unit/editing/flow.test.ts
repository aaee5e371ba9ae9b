import assert from 'node:assert/strict';
import { captureSelection, findEnclosingBlock, fitToSelection, parseRewrite, reanchor, refactorPrompt, surroundingContext } from '../../../src/core/editing';

// The whole pure flow the VS Code side will run: no selection → enclosing block → prompt → model answer →
// parse → fit → re-anchor after the user typed above → apply. Checks the exact resulting document.
describe('editing: the rewrite flow end to end', () => {
  it('CRLF + tabs file, dedented space-indented answer, lines typed above while streaming', () => {
    const doc = ['package shop', '', 'type Cart struct{ items []int }', '', 'func (c *Cart) Total() int {', '\tt := 0', '\tfor _, p := range c.items {', '\t\tt = t + p', '\t}', '\treturn t', '}', ''].join('\r\n');
    const lines = doc.split('\r\n');
    const block = findEnclosingBlock(doc, 7, 'go');
    assert.deepEqual([block.label, block.startLine, block.endLine], ['function Total', 4, 10]);

    const start = doc.indexOf('func (c *Cart)');
    const end = doc.indexOf('\r\n}') + 3; // through the closing brace
    const sel = captureSelection(doc, start, end);
    const ctx = surroundingContext(lines, block.startLine, block.endLine, 3);
    const prompt = refactorPrompt({ path: 'shop/cart.go', languageId: 'go', startLine: 5, endLine: 11, text: sel.text, before: ctx.before, after: ctx.after });
    assert.ok(prompt.user.includes('`shop/cart.go` (Go), lines 5-11'));

    const answer =
      "Here's a tidier version:\n\n```go\ntype Cart struct{ items []int }\n\nfunc (c *Cart) Total() int {\n    t := 0\n    for _, p := range c.items {\n        t += p\n    }\n    return t\n}\n```\n\nIt uses `+=`.";
    const parsed = parseRewrite(answer, { languageId: 'go', original: sel.text, contextBefore: ctx.before, contextAfter: ctx.after });
    assert.ok(parsed.ok);
    if (!parsed.ok) return;
    const replacement = fitToSelection(parsed.code, sel.text);
    assert.equal(replacement, 'func (c *Cart) Total() int {\r\n\tt := 0\r\n\tfor _, p := range c.items {\r\n\t\tt += p\r\n\t}\r\n\treturn t\r\n}');

    const now = doc.replace('package shop\r\n', 'package shop\r\n\r\nimport "fmt"\r\n');
    const at = reanchor(sel, now);
    assert.ok(at.ok);
    if (!at.ok) return;
    const applied = now.slice(0, at.start) + replacement + now.slice(at.end);
    assert.equal(applied, now.replace('\t\tt = t + p', '\t\tt += p'));
  });
});
