/**
 * Working with conversations in the real view: the history list (open, rename, delete), the selection as context,
 * a stream cut mid-answer and its Retry, and Escape as Stop.
 */
import assert from 'node:assert/strict';
import { ChatPage, eventually, hostStreaming, runCommand } from './chatPage';
import { e2e } from './context';
import { openFile } from './workbench';

describe('conversations in code-server (UI)', function () {
  this.timeout(120_000);
  let chat: ChatPage;

  // the runner's root beforeEach (test/e2e/chatPage.ts resetChat) opens the view on a new chat with the key stored
  before(() => {
    chat = new ChatPage(e2e().page);
  });

  /** Shows the history list (the header button toggles it). */
  async function showHistory(): Promise<void> {
    if (!(await chat.part('history').isVisible())) await chat.part('history-button').click();
    await chat.part('history').waitFor({ state: 'visible', timeout: 5000 });
  }

  function historyItem(title: string) {
    return chat.part('history-item').filter({ hasText: title });
  }

  it('history: opens an earlier chat, renames it, deletes it', async () => {
    const { fake } = e2e();
    fake.script({ kind: 'text', text: 'Paris is the capital of France.' });
    await chat.send('Capital of France?');
    assert.equal(await chat.settled(), 'done');
    await chat.newChat();
    fake.script({ kind: 'text', text: 'Rome.' });
    await chat.send('Capital of Italy?');
    assert.equal(await chat.settled(), 'done');

    await showHistory();
    await eventually('both chats listed, titled from their first prompt', async () =>
      (await historyItem('Capital of France?').count()) === 1 && (await historyItem('Capital of Italy?').count()) === 1);
    await historyItem('Capital of France?').locator('[data-action="open"]').click();
    await eventually('the earlier chat on screen', async () => (await chat.text(chat.lastAnswer())).includes('Paris is the capital'));

    await showHistory();
    await historyItem('Capital of France?').hover(); // a narrow list shows Rename and Delete on the row pointed at
    await historyItem('Capital of France?').locator('[data-action="rename"]').click();
    const input = chat.part('history').locator('input.rename-input');
    await input.fill('Geography: France');
    await input.press('Enter');
    await eventually('the new title', async () => (await historyItem('Geography: France').count()) === 1);

    await historyItem('Geography: France').hover();
    await historyItem('Geography: France').locator('[data-action="delete"]').click();
    await historyItem('Geography: France').locator('[data-action="confirm-delete"]').click();
    await eventually('the chat gone from the list', async () => (await historyItem('Geography: France').count()) === 0);
    assert.equal(await historyItem('Capital of Italy?').count(), 1, 'the other chat stays');
    await chat.page.keyboard.press('Escape');
    await chat.part('history').waitFor({ state: 'hidden', timeout: 5000 });
  });

  it('attaches the editor selection as a chip and sends it as context', async () => {
    const { page, fake } = e2e();
    const editor = await openFile(page, 'app.ts');
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown'); // lines 1–3: the function

    await chat.part('attach-selection').click();
    const chip = chat.part('composer').locator('.chip');
    await chip.waitFor({ timeout: 10_000 });
    assert.match(await chat.text(chip), /src\/app\.ts:1-3/);

    const before = fake.requests.length;
    fake.script({ kind: 'text', text: 'It greets.' });
    await chat.send('What does this do?');
    assert.equal(await chat.settled(), 'done');
    const body = fake.requests.slice(before).find((r) => r.path.endsWith('/chat/completions'))?.body;
    const sent = JSON.stringify(body?.messages ?? []);
    assert.match(sent, /export function greet\(name: string\)/, 'the selected code went to the model');
    assert.match(sent, /What does this do\?/);
    assert.doesNotMatch(sent, /console\.log/, 'only the selected lines');
    assert.equal(await chat.part('composer').locator('.chip').count(), 0, 'the composer chip is gone after sending');
    assert.match(await chat.text(chat.messages().first()), /src\/app\.ts:1-3/, 'the user message shows what was attached');
  });

  it('a stream cut mid-answer keeps the partial on screen, and Retry gets the whole answer', async () => {
    const { fake } = e2e();
    // output had arrived, so the client does not retry on its own: the user decides
    fake.script({ kind: 'cut', afterText: 'The first half arrived, then the connection' });
    await chat.send('Tell me a story.');
    assert.equal(await chat.settled(), 'error');
    const answer = chat.lastAnswer();
    await eventually('the partial answer kept on screen', async () => /The first half arrived/.test(await chat.text(answer.locator('[data-part="answer"]'))));
    const card = answer.locator('[data-part="error-card"]');
    assert.ok((await chat.text(card)).length > 10, 'the card says what happened');

    fake.script({ kind: 'text', text: 'The whole story, this time.' });
    await card.locator('button[data-action="retry"]').click();
    await eventually('the retried answer', async () => (await chat.text(chat.lastAnswer())).includes('The whole story, this time.'));
    assert.equal(await chat.settled(), 'done');
    assert.equal(await chat.messages().filter({ hasText: 'Tell me a story.' }).count(), 1, 'Retry does not repeat the prompt');
  });

  it('Escape stops a streaming answer', async () => {
    const { fake } = e2e();
    fake.script({ kind: 'text', text: 'Slowly, word by word, this answer keeps on coming. '.repeat(10), chunkSize: 4, tokensPerSecond: 25 });
    await chat.send('Talk slowly.');
    const answerBody = chat.lastAnswer().locator('[data-part="answer"]');
    await eventually('some answer text', async () => (await chat.text(answerBody)).length > 20);
    await chat.page.keyboard.press('Escape');
    assert.equal(await chat.settled(5000), 'stopped');
    await eventually('the host to end the turn', async () => !(await hostStreaming(chat.page)));
    await chat.frames();
    assert.ok((await chat.text(answerBody)).length > 20, 'the partial answer stays');
  });

  it('the editor tab shows the same conversation, and a turn sent there shows in the sidebar too', async () => {
    const { page, fake } = e2e();
    fake.script({ kind: 'text', text: 'Sidebar answer.' });
    await chat.send('From the sidebar');
    assert.equal(await chat.settled(), 'done');

    await runCommand(page, 'Qwen: Open Chat in Editor');
    await page.locator('.tabs-container .tab[aria-label^="Qwen Chat"]').first().waitFor({ timeout: 15_000 });
    await eventually('a second chat webview', async () => (await page.locator('iframe.webview.ready').count()) === 2, 30_000);
    // the editor tab's webview is created after the sidebar's
    const tab = new ChatPage(page, page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame'));
    await tab.view.locator('body[data-qwen-version]').waitFor({ state: 'attached', timeout: 30_000 });
    await eventually('the conversation in the tab', async () => (await tab.text(tab.lastAnswer())).includes('Sidebar answer.'));

    fake.script({ kind: 'text', text: 'Answered in the tab.' });
    await tab.send('From the tab');
    assert.equal(await tab.settled(), 'done');
    await eventually('the tab\'s turn in the sidebar', async () => (await chat.text(chat.lastAnswer())).includes('Answered in the tab.'));
    assert.equal(await chat.messages().count(), 4);

    await runCommand(page, 'View: Close All Editors');
    await eventually('the tab closed', async () => (await page.locator('iframe.webview.ready').count()) === 1, 15_000);
  });

  it('hiding the view mid-answer and showing it again: the answer is still streaming, then complete', async () => {
    const { fake } = e2e();
    // ~16 s at 40 chunks of 4 characters a second: hiding and showing the view (a new webview each time) takes a
    // few seconds under load, so the answer is still coming when the view is back
    const text = 'Hidden and shown again, this answer keeps arriving. '.repeat(50);
    fake.script({ kind: 'text', text, chunkSize: 4, tokensPerSecond: 40 });
    await chat.send('Keep going while I look away.');
    const answerBody = () => chat.lastAnswer().locator('[data-part="answer"]');
    await eventually('some answer text', async () => (await chat.text(answerBody())).length > 20);
    await chat.hide(); // the webview is torn down
    await chat.open();
    const shown = (await chat.text(answerBody())).length;
    assert.equal(await chat.status(chat.lastAnswer()), 'streaming', 'still streaming when shown again');
    await eventually('more text arriving after the view is back', async () => (await chat.text(answerBody())).length > shown);
    assert.equal(await chat.settled(60_000), 'done');
    assert.equal((await chat.text(answerBody())).trim(), text.trim(), 'every chunk, none twice');
  });
});
