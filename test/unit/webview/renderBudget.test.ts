import assert from 'node:assert/strict';
import { benchAnswer } from '../../../bench/render/corpus';
import { BudgetedQueue } from '../../../webview/render/budgetedQueue';
import { highlight, highlightPieces, nextPiece } from '../../../webview/render/highlight';
import { markdownToHtml, renderStats } from '../../../webview/render/markdownHtml';
import { StreamCore } from '../../../webview/render/streamCore';
import { HtmlSurface } from './htmlSurface';

/** A queue on a fake clock whose tasks run only when the test says so. */
function manualQueue(budgetMs: number): { queue: BudgetedQueue; clock: { t: number }; tasks: Array<() => void> } {
  const clock = { t: 0 };
  const tasks: Array<() => void> = [];
  const queue = new BudgetedQueue({ budgetMs, now: () => clock.t, schedule: (run) => tasks.push(run) });
  return { queue, clock, tasks };
}

describe('webview render budget', () => {
  it('a budgeted queue runs jobs in later tasks, at least one per task, as many as fit the budget', () => {
    const { queue, clock, tasks } = manualQueue(8);
    const ran: number[] = [];
    for (let i = 0; i < 5; i++) queue.push(() => {
      ran.push(i);
      clock.t += i === 0 ? 20 : 3;
    });
    assert.deepEqual(ran, [], 'nothing runs in the task that queued the jobs');
    assert.equal(tasks.length, 1, 'one task scheduled for all five');
    tasks.shift()!();
    assert.deepEqual(ran, [0], 'a job over the budget runs alone');
    tasks.shift()!();
    assert.deepEqual(ran, [0, 1, 2, 3], '3 ms jobs until the 8 ms budget is crossed');
    tasks.shift()!();
    assert.deepEqual(ran, [0, 1, 2, 3, 4]);
    assert.equal(tasks.length, 0, 'an empty queue schedules nothing');
    assert.equal(queue.size, 0);
  });

  it('a failing job does not stop the jobs behind it', () => {
    const { queue, tasks } = manualQueue(0);
    const ran: string[] = [];
    const error = console.error;
    console.error = () => {};
    try {
      queue.push(() => {
        throw new Error('grammar broke');
      });
      queue.push(() => ran.push('next'));
      while (tasks.length) tasks.shift()!();
    } finally {
      console.error = error;
    }
    assert.deepEqual(ran, ['next']);
  });

  it('a stored answer opened at once renders over several steps, each within its time budget', () => {
    const text = benchAnswer(60_000);
    const surface = new HtmlSurface();
    // the clock of this test: a millisecond per 1,000 characters rendered, 8 ms per step
    const now = (): number => renderStats.renderedChars / 1000;
    const core = new StreamCore(surface, { now });
    core.append(text);
    core.end();
    let steps = 0;
    for (let result = 'more'; result !== 'finished'; steps++) {
      const deadline = now() + 8;
      result = core.step(() => deadline - now());
      assert.ok(now() - (deadline - 8) < 8 + 3, `a step rendered ${((now() - deadline + 8) * 1000).toFixed(0)} characters`);
      assert.ok(steps < 1000);
    }
    assert.ok(steps >= 5, `${steps} steps`);
    assert.equal(surface.html(), markdownToHtml(text));
    for (const slice of surface.slices.slice(0, -1)) assert.ok(slice!.source.length >= 1000, `a ${slice!.source.length}-char slice`);
  });

  it('long code is highlighted in pieces that add up to one highlight of the whole', () => {
    const ts = Array.from({ length: 400 }, (_, i) => `export const value${i} = fetchThing(${i}, "name-${i}", \`t\${i}\`); // step ${i}`).join('\n');
    // a template string and a comment spanning many lines: pieces must not end inside them
    const tricky = `${ts.slice(0, 5000)}\nconst s = \`\n${'line in a string\n'.repeat(100)}\`;\n/*\n${' * comment\n'.repeat(100)} */\n${ts}`;
    const py = Array.from({ length: 300 }, (_, i) => `def f${i}(x):\n    """Doc ${i}."""\n    return x * ${i}\n`).join('\n');
    for (const [code, language] of [[ts, 'typescript'], [tricky, 'typescript'], [py, 'python']] as const) {
      const pieces: string[] = [];
      for (let at = 0; at < code.length; ) {
        const piece = nextPiece(code, at, language, true)!;
        assert.ok(piece.end > at);
        pieces.push(piece.html);
        at = piece.end;
      }
      assert.ok(pieces.length > 3, `${pieces.length} pieces`);
      assert.equal(pieces.join(''), highlight(code, language), language);
      assert.equal(highlightPieces(code, language), highlight(code, language));
      // a growing text decides the same pieces once it is long enough to
      assert.equal(nextPiece(code.slice(0, 1500), 0, language, false), undefined, 'too short to decide');
      assert.deepEqual(nextPiece(code.slice(0, 9000), 0, language, false), nextPiece(code, 0, language, true));
    }
  });
});
