/**
 * `@` mentions in the real composer: the list opens, filters as the user types (workspace files ranked by the host),
 * Enter attaches the file as a chip and takes the `@word` out of the text, and the file's content goes to the model
 * as context — not into the prompt text.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ChatPage, eventually } from './chatPage';
import { e2e } from './context';

describe('@ mentions in the composer (UI)', function () {
  this.timeout(120_000);
  let chat: ChatPage;

  before(() => {
    chat = new ChatPage(e2e().page);
  });

  it('@ lists the mentions, typing narrows to a file, Enter attaches it as a chip; the send carries its content', async () => {
    const { fake, page, shotsDir } = e2e();
    const input = chat.part('composer-input');
    const picker = chat.part('mention-picker');
    await input.click();
    await input.pressSequentially('What does @');
    await picker.waitFor({ state: 'visible', timeout: 10_000 });
    const labels = async () => picker.locator('.mention-label').allTextContents();
    assert.deepEqual((await labels()).slice(0, 3), ['@selection', '@problems', '@terminal']);
    assert.equal(await input.getAttribute('aria-expanded'), 'true');

    await input.pressSequentially('app.t');
    await eventually('the best match first and active', async () => (await picker.locator('.mention-option.active .mention-detail').textContent()) === 'src/app.ts');
    assert.deepEqual(await labels(), ['app.ts'], 'only what matches app.t');
    await page.screenshot({ path: join(shotsDir, 'mentions.png') });
    await input.press('Enter');
    await picker.waitFor({ state: 'hidden', timeout: 5000 });
    const chip = chat.part('composer').locator('.chip');
    await eventually('the chip', async () => (await chip.count()) === 1 && ((await chip.textContent()) ?? '').includes('src/app.ts'));
    assert.equal(await input.inputValue(), 'What does ', 'the @word left the text; Enter did not send');

    await input.pressSequentially('it do?');
    fake.script({ kind: 'text', text: 'It greets.' });
    await input.press('Enter');
    assert.equal(await chat.settled(), 'done');
    const sent = fake.requests.at(-1)?.body.messages as { role: string; content: string | { text: string }[] }[];
    // The latest prompt may carry a cache marker (content parts) on models with explicit caching.
    const content = sent.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    const prompt = typeof content === 'string' ? content : content.map((p) => p.text).join('');
    assert.match(prompt, /Context from `src\/app\.ts`/);
    assert.match(prompt, /return `Hello, \$\{name\}!`/);
    assert.ok(prompt.endsWith('What does it do?'), prompt.slice(-80));
  });

  it('Escape closes the list and keeps the text; an @ inside a word opens nothing', async () => {
    const input = chat.part('composer-input');
    const picker = chat.part('mention-picker');
    await input.click();
    await input.fill('');
    await input.pressSequentially('mail me@example');
    await chat.frames(3);
    assert.equal(await picker.isVisible(), false);
    await input.pressSequentially(' @pro');
    await picker.waitFor({ state: 'visible', timeout: 10_000 });
    assert.deepEqual(await picker.locator('.mention-label').allTextContents().then((l) => l.slice(0, 1)), ['@problems']);
    await input.press('Escape');
    await picker.waitFor({ state: 'hidden', timeout: 5000 });
    assert.equal(await input.inputValue(), 'mail me@example @pro');
    await input.fill('');
  });
});
