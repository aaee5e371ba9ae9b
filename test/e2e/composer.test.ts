/**
 * The composer and the answer's controls in the real view, by keyboard and mouse: Enter, Shift+Enter, an IME's
 * Enter, Up recall (also after a reload and in a chat reopened from the history), Copy and Insert on a code
 * block, and the model and thinking pickers changing the next request.
 */
import assert from 'node:assert/strict';
import { ChatPage, eventually, runCommand } from './chatPage';
import { e2e } from './context';
import { errors } from '../fakes/fakeQwenServer';
import { editorLines, openFile, sendAndWaitForStart } from './workbench';

describe('composer and answer controls in code-server (UI)', function () {
  this.timeout(120_000);
  let chat: ChatPage;

  // the runner's root beforeEach (test/e2e/chatPage.ts resetChat) opens the view on a new chat with the key stored
  before(() => {
    chat = new ChatPage(e2e().page);
  });

  function completions(from: number) {
    return e2e().fake.requests.slice(from).filter((r) => r.path.endsWith('/chat/completions'));
  }

  it('Enter sends, Shift+Enter adds a line, an IME\'s Enter does not send, Up recalls the conversation\'s last prompt', async () => {
    const { fake, page } = e2e();
    const input = chat.part('composer-input');
    await input.click();
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    assert.equal(await input.inputValue(), 'first line\nsecond line', 'Shift+Enter starts a new line');
    assert.equal(await chat.messages().count(), 0, 'nothing sent yet');

    // Safari ends an IME composition with an Enter whose isComposing is false and keyCode 229: it picks the
    // candidate, it must not send (the handler runs synchronously, so "not prevented, text still there" is final)
    const ime = await input.evaluate((el) => {
      const e = new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true });
      el.dispatchEvent(e);
      return { prevented: e.defaultPrevented, value: (el as HTMLTextAreaElement).value };
    });
    assert.deepEqual(ime, { prevented: false, value: 'first line\nsecond line' }, 'an IME Enter leaves the text alone');

    const before = fake.requests.length;
    fake.script({ kind: 'text', text: 'Two lines received.' });
    await page.keyboard.press('Enter');
    assert.equal(await chat.settled(), 'done');
    assert.equal(await chat.text(chat.messages().first()), 'first line\nsecond line');
    const sent = JSON.stringify(completions(before)[0]?.body.messages ?? []);
    assert.match(sent, /first line\\nsecond line/, 'the prompt went out with its line break');
    assert.equal(await input.inputValue(), '', 'the composer is emptied by sending');

    await input.focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await input.inputValue(), 'first line\nsecond line', 'Up in the empty composer recalls the last prompt');
    await input.fill('my own draft');
    await page.keyboard.press('ArrowUp');
    assert.equal(await input.inputValue(), 'my own draft', 'Up never replaces a draft');
    await input.fill('');

    // a new chat has no last prompt: Up recalls nothing from another conversation
    await chat.newChat();
    await input.focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await input.inputValue(), '', 'nothing to recall in a new chat');

    // the earlier chat reopened from the history, then after a window reload: its last prompt comes back
    await chat.part('history-button').click();
    await chat.part('history-item').filter({ hasText: 'first line' }).first().locator('[data-action="open"]').click();
    await eventually('the earlier chat on screen', async () => (await chat.messages().count()) === 2);
    await input.focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await input.inputValue(), 'first line\nsecond line', 'recalled in a chat opened from the history');
    await input.fill('');

    await page.reload();
    await chat.open();
    await eventually('the restored conversation', async () => (await chat.messages().count()) === 2, 60_000);
    await chat.part('composer-input').focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await chat.part('composer-input').inputValue(), 'first line\nsecond line', 'recalled after a reload');
    await chat.part('composer-input').fill('');
  });

  it('Edit the last message puts the prompt back in an empty composer, and never over a draft', async () => {
    const { fake } = e2e();
    fake.script(errors.dataInspection());
    await chat.send('A prompt the inspection flags');
    assert.equal(await chat.settled(), 'error');
    const edit = chat.lastAnswer().locator('[data-part="error-card"] button[data-action="editPrompt"]');
    const input = chat.part('composer-input');
    await input.fill('my own new idea');
    await edit.click();
    await eventually('the draft kept, and said so', async () => /draft is kept/.test(await chat.text(chat.part('live-region'))));
    assert.equal(await input.inputValue(), 'my own new idea', 'the draft is not replaced');
    await input.fill('');
    await edit.click();
    await eventually('the prompt back in the empty composer', async () => (await input.inputValue()) === 'A prompt the inspection flags');
    await input.fill('');
  });

  it('Copy puts the code on the clipboard (and says so); Insert puts it at the editor\'s cursor', async () => {
    const { fake, page, url } = e2e();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    const code = 'const answer = 42;';
    fake.script({ kind: 'text', text: `Here:\n\n\`\`\`ts\n${code}\n\`\`\`\n` });
    await chat.send('Give me a constant.');
    assert.equal(await chat.settled(), 'done');
    const copy = chat.lastAnswer().locator('[data-part="answer"] button[data-action="copy"]');
    const insert = chat.lastAnswer().locator('[data-part="answer"] button[data-action="insert"]');

    await page.evaluate(() => navigator.clipboard.writeText('something else'));
    await copy.click();
    await eventually('the code on the clipboard', async () => (await page.evaluate(() => navigator.clipboard.readText())) === code);
    assert.equal(await copy.textContent(), 'Copied');
    assert.match(await chat.text(chat.part('live-region')), /Copied/, 'the copy is announced');
    // clicked again while it says Copied: the label still comes back
    await copy.click();
    await eventually('the Copy label back after two clicks', async () => (await copy.textContent()) === 'Copy', 5000);

    const editor = await openFile(page, 'README.md');
    try {
      await editor.locator('.view-lines').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('Inserted: ');
      await insert.click();
      await eventually('the code at the cursor', async () => (await editorLines(page)).includes(`Inserted: ${code}`));
    } finally {
      await runCommand(page, 'View: Revert and Close Editor');
      await eventually('the editor closed', async () => (await page.locator('.tabs-container .tab[aria-label^="README.md"]').count()) === 0, 10_000);
    }
  });

  it('the model and thinking pickers in the view change the next request', async () => {
    const { fake } = e2e();
    const model = chat.part('model-picker');
    const thinking = chat.part('thinking-control');
    const note = chat.part('thinking-note');
    try {
      await thinking.selectOption('off');
      await eventually('the note for thinking off', async () => /Thinking off/.test(await chat.text(note)));
      let before = fake.requests.length;
      fake.script({ kind: 'text', text: 'No thinking this time.' });
      await chat.send('Answer without thinking.');
      assert.equal(await chat.settled(), 'done');
      let sent = completions(before)[0]?.body;
      assert.equal(sent?.model, 'qwen3.6-plus');
      assert.equal(sent?.enable_thinking, false, 'thinking off reaches the request');
      assert.equal(await chat.lastAnswer().locator('[data-part="reasoning"]').count(), 0);

      await model.selectOption('qwen3-coder-plus');
      await eventually('the coder model in the header', async () => (await model.inputValue()) === 'qwen3-coder-plus' && (await thinking.isDisabled()));
      assert.match(await chat.text(note), /does not think/, 'the header says what the model will do');
      before = fake.requests.length;
      fake.script({ kind: 'text', text: 'Coder here.' });
      await sendAndWaitForStart(chat, 'And now the coder.');
      assert.equal(await chat.settled(), 'done');
      sent = completions(before)[0]?.body;
      assert.equal(sent?.model, 'qwen3-coder-plus', 'the picked model answers');
      assert.equal('enable_thinking' in (sent ?? {}), false, 'a coder model is never sent enable_thinking');
    } finally {
      // back to what the other suites expect: qwen3.6-plus, thinking auto
      await model.selectOption('qwen3.6-plus');
      await eventually('qwen3.6-plus back', async () => (await model.inputValue()) === 'qwen3.6-plus' && !(await thinking.isDisabled()));
      await thinking.selectOption('auto');
      await eventually('thinking auto back', async () => /model default/.test(await chat.text(note)));
    }
  });
});
