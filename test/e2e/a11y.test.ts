/**
 * The chat view for keyboard and screen-reader users, in the real view: roles and the live region (the log is
 * quiet while text streams; the status region says start and end), the reasoning box following its text, the
 * history list by keyboard, the 429 countdown card, and Tab reaching every control.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ChatPage, eventually } from './chatPage';
import { e2e } from './context';
import { focusedControl, sendAndWaitForStart } from './workbench';

const slow = { chunkSize: 4, tokensPerSecond: 25 };

describe('accessibility and keyboard in code-server (UI)', function () {
  this.timeout(120_000);
  let chat: ChatPage;

  // the runner's root beforeEach (test/e2e/chatPage.ts resetChat) opens the view on a new chat with the key stored
  before(() => {
    chat = new ChatPage(e2e().page);
  });

  async function liveText(): Promise<string> {
    return (await chat.text(chat.part('live-region'))).trim();
  }

  it('ARIA: a quiet log, a busy answer while it streams, and the status region saying start and end', async () => {
    const { fake } = e2e();
    const transcript = chat.part('transcript');
    assert.equal(await transcript.getAttribute('role'), 'log');
    assert.equal(await transcript.getAttribute('aria-live'), 'off', 'the log does not read every frame of a streaming answer');
    const live = chat.part('live-region');
    assert.equal(await live.getAttribute('role'), 'status');
    assert.equal(await live.getAttribute('aria-live'), 'polite');
    assert.equal(await chat.part('composer').getAttribute('aria-label'), 'Compose');
    assert.equal(await chat.part('composer-input').getAttribute('aria-label'), 'Message to Qwen');
    assert.equal(await chat.part('model-picker').getAttribute('aria-label'), 'Model');
    assert.equal(await chat.part('thinking-control').getAttribute('aria-label'), 'Thinking');
    const history = chat.part('history-button');
    assert.equal(await history.getAttribute('aria-expanded'), 'false');
    assert.equal(await history.getAttribute('aria-controls'), await chat.part('history').getAttribute('id'));

    fake.script({ kind: 'thinking', reasoning: 'Thinking it over slowly. '.repeat(12), text: 'The answer, slowly. '.repeat(12), ...slow });
    await chat.send('Take your time.');
    const answer = chat.lastAnswer();
    await eventually('the answer streaming', async () => (await chat.status(answer)) === 'streaming');
    assert.equal(await answer.getAttribute('aria-busy'), 'true', 'a streaming answer is busy');
    assert.match(await liveText(), /^Qwen is (thinking|answering)…$/, 'the start is announced');
    // the reasoning timer ticks in the summary, inside the quiet log, not in the status region
    await eventually('the answer text', async () => (await chat.text(answer.locator('[data-part="answer"]'))).length > 10);
    assert.match(await liveText(), /^Qwen is (thinking|answering)…$/, 'nothing per frame in the status region');

    assert.equal(await chat.settled(), 'done');
    assert.equal(await answer.getAttribute('aria-busy'), 'false');
    await eventually('the end announced', async () => (await liveText()) === 'Answer complete');
    assert.equal(await answer.getAttribute('aria-label'), 'Qwen');
    assert.equal(await chat.messages().first().getAttribute('aria-label'), 'You');
  });

  it('the live reasoning box follows new text, and stays put once the user scrolls up in it', async () => {
    const { fake, page } = e2e();
    // ~25 s of reasoning at most (the test stops it once it has seen enough), so a loaded machine has time
    const lines = Array.from({ length: 200 }, (_, i) => `Line ${i + 1} of the reasoning, one thought at a time.\n`).join('');
    fake.script({ kind: 'thinking', reasoning: lines, text: 'Done thinking.', chunkSize: 12, tokensPerSecond: 40 });
    await chat.send('Think out loud.');
    const box = chat.lastAnswer().locator('.reasoning-text');
    const metrics = () => box.evaluate((b) => ({ top: b.scrollTop, height: b.scrollHeight, client: b.clientHeight, text: b.textContent?.length ?? 0 }));
    await eventually('the reasoning taller than its box', async () => {
      const m = await metrics();
      return m.height > m.client + 60;
    });
    // while it grows, the newest line is in view
    for (let i = 0; i < 3; i++) {
      const before = (await metrics()).text;
      await eventually('more reasoning', async () => (await metrics()).text > before);
      const m = await metrics();
      assert.ok(m.height - m.top - m.client < 24, `the box shows its newest text (${JSON.stringify(m)})`);
    }
    // the user scrolls up to read: it stays there while text keeps coming
    assert.equal(await chat.lastAnswer().locator('[data-part="reasoning"]').evaluate((d) => (d as HTMLDetailsElement).open), true, 'still thinking');
    // the wheel goes where the pointer is: on a loaded machine the box can move under it between the hover and the
    // wheel (new text, a relayout), so the user's scroll is repeated until it lands
    await eventually('scrolled to the top', async () => {
      await box.hover();
      await page.mouse.wheel(0, -5000);
      await chat.frames(2);
      return (await metrics()).top === 0;
    });
    const at = (await metrics()).text;
    await eventually('more reasoning after scrolling up', async () => (await metrics()).text > at + 100);
    assert.equal((await metrics()).top, 0, 'left where the user put it');
    await chat.part('stop').click();
    assert.equal(await chat.settled(), 'stopped');
  });

  it('history by keyboard: the focus moves in, Escape returns it; rename, delete and cancel keep it; an update keeps a typed title', async () => {
    const { fake, page } = e2e();
    fake.script({ kind: 'text', text: 'One.' });
    await chat.send('First chat');
    assert.equal(await chat.settled(), 'done');
    await chat.newChat();
    fake.script({ kind: 'text', text: 'Two.' });
    await chat.send('Second chat');
    assert.equal(await chat.settled(), 'done');

    const button = chat.part('history-button');
    await button.focus();
    await page.keyboard.press('Enter');
    await chat.part('history').waitFor({ state: 'visible', timeout: 5000 });
    const current = await chat.part('history-item').filter({ hasText: 'Second chat' }).getAttribute('data-conversation-id');
    const other = await chat.part('history-item').filter({ hasText: 'First chat' }).getAttribute('data-conversation-id');
    assert.ok(current && other);
    assert.equal(await focusedControl(chat), `open@${current}`, 'opening History puts the focus on the current chat');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('Escape');
    await chat.part('history').waitFor({ state: 'hidden', timeout: 5000 });
    assert.equal(await focusedControl(chat), 'history-button', 'Escape closes History and returns the focus to its button');

    // rename by keyboard while an answer in this chat ends: its turnEnded brings a conversations update
    fake.script({ kind: 'text', text: 'A slow third answer, long enough to rename the chat meanwhile. '.repeat(12), ...slow });
    await sendAndWaitForStart(chat, 'Third prompt');
    await button.focus();
    await page.keyboard.press('Enter');
    await eventually('the focus in the list', async () => (await focusedControl(chat)) === `open@${current}`);
    await page.keyboard.press('Tab');
    assert.equal(await focusedControl(chat), `rename@${current}`);
    await page.keyboard.press('Enter');
    assert.equal(await focusedControl(chat), `rename-input@${current}`, 'Rename puts the focus in the title box');
    await page.keyboard.type('Renamed by keyboard'); // replaces the selected old title
    assert.equal(await chat.status(chat.lastAnswer()), 'streaming', 'the answer is still coming (else this checks nothing)');
    const otherItem = chat.part('history-item').filter({ hasText: 'First chat' });
    await otherItem.evaluate((li) => li.setAttribute('data-before-update', ''));
    assert.equal(await chat.settled(), 'done');
    await eventually('the list redrawn by the update', async () => (await otherItem.getAttribute('data-before-update')) === null);
    const box = chat.part('history').locator('input.rename-input');
    assert.equal(await box.inputValue(), 'Renamed by keyboard', 'the typed title survives the update');
    assert.equal(await focusedControl(chat), `rename-input@${current}`, 'and so does the focus');
    await page.keyboard.press('Enter');
    await eventually('the new title', async () => (await chat.part('history-item').filter({ hasText: 'Renamed by keyboard' }).count()) === 1);
    assert.equal(await focusedControl(chat), `rename@${current}`, 'after Enter the focus is back on Rename');

    await page.keyboard.press('Tab');
    assert.equal(await focusedControl(chat), `delete@${current}`);
    await page.keyboard.press('Enter');
    assert.equal(await focusedControl(chat), `cancel-delete@${current}`, 'Delete asks, with the focus on the safe answer');
    await page.keyboard.press('Enter');
    assert.equal(await focusedControl(chat), `delete@${current}`, 'Cancel returns the focus to Delete');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focusedControl(chat), `confirm-delete@${current}`);
    await page.keyboard.press('Enter');
    await eventually('the chat gone', async () => (await chat.part('history-item').filter({ hasText: 'Renamed by keyboard' }).count()) === 0);
    assert.equal(await focusedControl(chat), `open@${other}`, 'after deleting, the focus is on the next chat, not lost');
    await page.keyboard.press('Escape');
    await chat.part('history').waitFor({ state: 'hidden', timeout: 5000 });
  });

  it('a 429 with Retry-After: the retries are announced, then the card counts down and Retry waits until it reaches zero', async () => {
    const { fake } = e2e();
    const limited = { kind: 'http' as const, status: 429, headers: { 'retry-after': '3' }, body: { error: { message: 'Requests rate limit exceeded, please try again later.', type: 'limit_requests', param: null, code: 'limit_requests' } } };
    // the first try and the client's three retries (each after the server's 3 s) all get a 429: then the card
    fake.script(limited, limited, limited, limited);
    const before = fake.requests.length;
    await chat.send('Are you busy?');
    const answer = chat.lastAnswer();
    await eventually('the retry announced', async () => /Retrying in \d+ s/.test(await liveText()), 15_000);
    await eventually('the error card', async () => (await chat.status(answer)) === 'error', 30_000);
    const card = answer.locator('[data-part="error-card"]');
    const retry = card.locator('button[data-action="retry"]');
    const seen = new Set<string>();
    let waitedWhileCounting = true;
    await eventually('the countdown to reach zero', async () => {
      // one read of both: the view's clock may tick between two
      const { text, waiting } = await card.evaluate((c) => ({
        text: c.querySelector('[data-part="retry-countdown"]')?.textContent ?? '',
        waiting: c.querySelector('button[data-action="retry"]')?.getAttribute('aria-disabled') === 'true',
      }));
      seen.add(text);
      if (/retry in \d+ s/.test(text) && !waiting) waitedWhileCounting = false;
      return text === 'You can retry now.';
    }, 10_000);
    assert.ok([...seen].some((t) => /^You can retry in [1-3] s\.$/.test(t)), `the card counted down: ${[...seen].join(' | ')}`);
    assert.ok(waitedWhileCounting, 'Retry waits (aria-disabled) while the countdown runs');
    assert.equal(await retry.getAttribute('aria-disabled'), null, 'Retry works once the countdown is over');
    assert.equal(fake.requests.length - before, 4, 'the first try and three retries, nothing more by itself');
    assert.match(await liveText(), /^Error: Rate limit/, 'the failure is announced');

    await retry.click();
    await eventually('the answer after Retry', async () => (await chat.text(chat.lastAnswer())).includes('Hello from fake Qwen.'));
    assert.equal(await chat.settled(), 'done');
  });

  it('Tab reaches every control of the header, the history, an answer with code, an error card and the composer', async () => {
    const { fake, page, shotsDir } = e2e();
    // a short block (nothing to scroll: only its tabindex makes it a stop) and one with a line to scroll sideways
    const long = 'const kept = true; // ' + 'and a long line to scroll sideways '.repeat(6);
    fake.script({ kind: 'cut', afterText: `Part of it:\n\n\`\`\`ts\nconst short = 1;\n\`\`\`\n\nand\n\n\`\`\`ts\n${long}\n\`\`\`\n\nthen the line` });
    await chat.send('Tell me something.');
    assert.equal(await chat.settled(), 'error');
    await chat.part('history-button').click();
    await chat.part('history').waitFor({ state: 'visible', timeout: 5000 });
    const id = await chat.part('history-item').first().getAttribute('data-conversation-id');

    await chat.part('new-chat').focus();
    const order: string[] = [await focusedControl(chat)];
    for (let i = 0; i < 40 && order.at(-1) !== 'send'; i++) {
      await page.keyboard.press('Tab');
      order.push(await focusedControl(chat));
    }
    await page.screenshot({ path: join(shotsDir, 'keyboard-tab-order.png') });
    const expected = [
      'new-chat', 'history-button', 'model-picker', 'thinking-control', // the header
      `open@${id}`, `rename@${id}`, `delete@${id}`, // the history
      'transcript', 'copy', 'insert', 'pre', 'retry', // the conversation: scrollable log, code block, error card
      'composer-input', 'attach-selection', 'send', // the composer
    ];
    const reached = expected.filter((c) => order.includes(c));
    assert.deepEqual(reached, expected, `Tab order: ${order.join(' → ')}`);
    assert.equal(order.filter((c) => c === 'pre').length, 2, `both code blocks are stops, the short one too: ${order.join(' → ')}`);
    const positions = expected.map((c) => order.indexOf(c));
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, `in reading order: ${order.join(' → ')}`);

    // on the code block the arrow keys scroll the long line, with a visible focus ring
    const pre = chat.lastAnswer().locator('[data-part="answer"] pre').nth(1);
    await pre.focus();
    const ring = await pre.evaluate((p) => getComputedStyle(p).outlineStyle);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await eventually('the code scrolled sideways', async () => (await pre.evaluate((p) => p.scrollLeft)) > 0, 5000);
    assert.notEqual(ring, 'none', 'the focused code block shows a focus ring');
    await page.keyboard.press('Escape');
    await chat.part('history').waitFor({ state: 'hidden', timeout: 5000 });
  });
});
