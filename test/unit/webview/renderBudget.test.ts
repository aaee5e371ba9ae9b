import assert from 'node:assert/strict';
import { benchAnswer } from '../../../bench/render/corpus';
import { BlockBoundaryFinder } from '../../../webview/render/blockBoundary';
import { BudgetedQueue } from '../../../webview/render/budgetedQueue';
import { highlight, isWarm, warmLanguage } from '../../../webview/render/highlight';
import { highlightLater, PENDING_HIGHLIGHT, type HighlightTarget } from '../../../webview/render/highlightLater';
import { markdownToHtml } from '../../../webview/render/markdown';

/** A queue on a fake clock whose tasks run only when the test says so. */
function manualQueue(budgetMs: number): { queue: BudgetedQueue; clock: { t: number }; tasks: Array<() => void> } {
  const clock = { t: 0 };
  const tasks: Array<() => void> = [];
  const queue = new BudgetedQueue({ budgetMs, now: () => clock.t, schedule: (run) => tasks.push(run) });
  return { queue, clock, tasks };
}

/** The slices a stream renders when it catches up on `text` all at once (as a stored answer does). */
function slices(text: string, sliceChars: number): string[] {
  const finder = new BlockBoundaryFinder();
  finder.settledEnd(text);
  const out: string[] = [];
  for (let at = 0; at < text.length; ) {
    const end = finder.nextCut(at, sliceChars, text.length);
    assert.ok(end > at, `no progress at ${at}`);
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
}

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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

  it('slices cut settled text only at block boundaries, each at least the slice size but the last', () => {
    const text = benchAnswer(30_000);
    const parts = slices(text, 1000);
    assert.equal(parts.join(''), text);
    assert.ok(parts.length > 10, `${parts.length} slices`);
    for (const part of parts.slice(0, -1)) assert.ok(part.length >= 1000, `a ${part.length}-char slice`);
    const finder = new BlockBoundaryFinder();
    const settled = finder.settledEnd(text);
    assert.equal(finder.nextCut(settled, 1, settled), settled, 'never past the limit');
    assert.equal(finder.nextCut(0, 10 * text.length, settled), settled, 'the limit when no cut is far enough');
  });

  it('a sliced render produces the same markup as one render of the whole text', () => {
    for (const language of ['typescript', 'python', 'rust', 'go', 'json', 'bash']) warmLanguage(language);
    const text = benchAnswer(40_000);
    const oneShot = markdownToHtml(text);
    assert.ok(oneShot.includes('<table>') && oneShot.includes('hljs-keyword'), 'the corpus renders tables and highlighted code');
    for (const size of [1, 1000, 5000]) assert.equal(slices(text, size).map(markdownToHtml).join(''), oneShot, `slices of ${size}`);
  });

  it('code in a cold language renders plain and marked pending; its highlighting, done later, matches a warm render', async () => {
    const code = 'SELECT id, name FROM users WHERE id = 1 AND name <> "x";';
    const markdown = `Query:\n\n\`\`\`sql\n${code}\n\`\`\`\n`;
    assert.equal(isWarm('sql'), false, 'nothing warmed sql yet');
    const cold = markdownToHtml(markdown);
    assert.match(cold, new RegExp(`<code class="hljs language-sql ${PENDING_HIGHLIGHT}">SELECT id, name FROM users WHERE id = 1 AND name &lt;&gt; &quot;x&quot;;\n</code>`));
    assert.doesNotMatch(cold, /hljs-keyword/);

    const removed: string[] = [];
    const target: HighlightTarget = { isConnected: true, textContent: `${code}\n`, innerHTML: '', classList: { remove: (c) => removed.push(c) } };
    const gone: HighlightTarget = { isConnected: false, textContent: `${code}\n`, innerHTML: 'plain', classList: { remove: () => {} } };
    highlightLater(target, 'sql');
    highlightLater(gone, 'sql');
    assert.equal(target.innerHTML, '', 'not in the task that rendered it');
    for (let i = 0; i < 50 && target.innerHTML === ''; i++) await tick();
    await tick();
    assert.equal(isWarm('sql'), true);
    assert.equal(target.innerHTML, `${highlight(code, 'sql')}\n`);
    assert.match(target.innerHTML, /hljs-keyword">SELECT/);
    assert.deepEqual(removed, [PENDING_HIGHLIGHT]);
    assert.equal(gone.innerHTML, 'plain', 'a block that left the page is not touched');
    const warm = markdownToHtml(markdown);
    assert.ok(warm.includes(`<code class="hljs language-sql">${target.innerHTML}</code>`), 'the same markup a warm render makes inline');
  });
});
