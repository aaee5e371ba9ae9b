import assert from 'node:assert/strict';
import { captureSelection, reanchor } from '../../../src/core/editing/anchor';

const DOC = ['import { a } from "./a";', '', 'export function f(x: number) {', '  return x * 2;', '}', ''].join('\n');
const SELECTED = '  return x * 2;';

function selection(doc = DOC, text = SELECTED) {
  const start = doc.indexOf(text);
  return captureSelection(doc, start, start + text.length);
}

describe('editing: reanchor', () => {
  it('unchanged document: the same offsets', () => {
    const sel = selection();
    assert.deepEqual(reanchor(sel, DOC), { ok: true, start: sel.start, end: sel.end, moved: false });
  });

  it('lines inserted above: the shifted offsets', () => {
    const sel = selection();
    const now = `// header\n// more\n${DOC}`;
    const r = reanchor(sel, now);
    assert.deepEqual(r, { ok: true, start: sel.start + 18, end: sel.end + 18, moved: true });
    if (r.ok) assert.equal(now.slice(r.start, r.end), SELECTED);
  });

  it('lines removed above: shifted back', () => {
    const sel = selection();
    const now = DOC.replace('import { a } from "./a";\n', '');
    const r = reanchor(sel, now);
    assert.ok(r.ok);
    if (r.ok) assert.equal(now.slice(r.start, r.end), SELECTED);
  });

  it('text edited inside the selection: refused', () => {
    const sel = selection();
    const r = reanchor(sel, DOC.replace('x * 2', 'x * 3'));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.reason, 'changed');
      assert.match(r.message, /changed while Qwen was writing/);
    }
  });

  it('text appears twice after a paste: the copy whose surroundings still match wins', () => {
    const sel = selection();
    const now = `${DOC}\nfunction g(x: number) {\n${SELECTED}\n}\n`;
    const r = reanchor(sel, now);
    assert.deepEqual(r, { ok: true, start: sel.start, end: sel.end, moved: false });
  });

  it('duplicated and moved, surroundings changed: the one near the old place wins', () => {
    const sel = selection();
    const far = '\n'.repeat(5000);
    // An edit right above changes the captured `before`; a second copy sits far below.
    const now = DOC.replace('export function f(x: number) {', 'export function f(x: number, y = 0) {') + far + SELECTED + '\n';
    const r = reanchor(sel, now);
    assert.ok(r.ok);
    if (r.ok) {
      assert.equal(r.start, now.indexOf(SELECTED));
      assert.equal(now.slice(r.start, r.end), SELECTED);
    }
  });

  it('two copies near the old place and no matching surroundings: refused as ambiguous', () => {
    const sel = selection();
    const now = `function h() {\n${SELECTED}\n}\n${DOC.replace('export function f(x: number) {', 'export function f(y: number) {')}`;
    const r = reanchor(sel, now);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.reason, 'ambiguous');
  });

  it('without captured surroundings, a unique copy anywhere is accepted', () => {
    const r = reanchor({ text: 'needle', start: 0, end: 6 }, `${'x'.repeat(10_000)}needle`);
    assert.deepEqual(r, { ok: true, start: 10_000, end: 10_006, moved: true });
  });

  it('without surroundings, two far copies are refused', () => {
    const doc = `needle${'x'.repeat(10_000)}needle`;
    const r = reanchor({ text: 'needle', start: 5000, end: 5006 }, doc);
    assert.equal(r.ok, false);
  });

  it('an empty selection is refused', () => {
    const r = reanchor({ text: '', start: 3, end: 3 }, DOC);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.reason, 'empty');
  });

  it('never returns a range whose text differs (randomised edits)', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let trial = 0; trial < 300; trial++) {
      const sel = selection();
      let now = DOC;
      for (let e = 0; e < 3; e++) {
        const at = rand(now.length + 1);
        now = rand(2) === 0 ? now.slice(0, at) + ['x', '\n', SELECTED, '2'][rand(4)] + now.slice(at) : now.slice(0, at) + now.slice(at + 1 + rand(3));
      }
      const r = reanchor(sel, now);
      if (r.ok) assert.equal(now.slice(r.start, r.end), SELECTED);
    }
  });
});
