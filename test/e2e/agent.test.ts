/**
 * The agent's tool calls in the real view: cards for each call, an approval card with Approve / Deny (a reason typed
 * on the card reaches the model), the proposal opened as a diff in the workbench, and a screenshot of the sequence.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ChatPage, eventually } from './chatPage';
import { e2e } from './context';
import { setSidebarWidth } from './workbench';
import { repoRoot } from '../support/repoRoot';

describe('agent tool calls in code-server (UI)', function () {
  this.timeout(120_000);
  let chat: ChatPage;

  before(() => {
    chat = new ChatPage(e2e().page);
  });

  const card = (callId: string) => chat.part('transcript').locator(`[data-part="tool-call"][data-call-id="${callId}"]`);
  const statusOf = async (callId: string) => (await card(callId).getAttribute('data-status')) ?? '';

  it('a read then an edit waiting for approval: cards, the diff in the workbench, Deny with a reason (screenshot)', async () => {
    const { fake, page, shotsDir, writeReadmeShots } = e2e();
    fake.script(
      { kind: 'toolCalls', content: 'Let me look at `greet` first.', calls: [{ id: 'call_ui_read', name: 'read_file', arguments: '{"path":"src/app.ts"}' }] },
      {
        kind: 'toolCalls',
        content: 'I will make the greeting friendlier.',
        calls: [{ id: 'call_ui_edit', name: 'edit_file', arguments: JSON.stringify({ path: 'src/app.ts', edits: [{ search: 'Hello, ${name}!', replace: 'Hi ${name}, welcome back!' }] }) }],
      },
      { kind: 'text', text: 'Understood — I left `src/app.ts` as it is.' },
    );
    await chat.send('Make the greeting friendlier');
    await eventually('the read card done', async () => (await statusOf('call_ui_read')) === 'done');
    assert.match(await chat.text(card('call_ui_read')), /read_file/);
    assert.match(await chat.text(card('call_ui_read').locator('.tool-subject')), /src\/app\.ts/);
    await eventually('the edit card asks', async () => (await statusOf('call_ui_edit')) === 'awaitingApproval');
    const edit = card('call_ui_edit');
    assert.match(await chat.text(edit.locator('.tool-question')), /Apply this edit to src\/app\.ts\?/);
    assert.match(await chat.text(edit.locator('.tool-detail')), /\+1 −1 lines/);
    // the proposal is open as a diff in the workbench
    const diffTab = page.locator('.tabs-container .tab').filter({ hasText: 'proposed by Qwen' });
    await diffTab.first().waitFor({ timeout: 15_000 });

    await edit.locator('.tool-reason').fill('keep the wording');
    await page.mouse.move(900, 500);
    const shot = join(shotsDir, 'agent-approval.png');
    await page.screenshot({ path: shot });
    if (writeReadmeShots) {
      mkdirSync(join(repoRoot(), 'docs/images'), { recursive: true });
      copyFileSync(shot, join(repoRoot(), 'docs/images', 'agent-approval.png'));
    }

    // a narrow sidebar: the cards wrap, nothing sticks out sideways, the buttons stay reachable
    await setSidebarWidth(page, 250);
    try {
      await page.waitForTimeout(300); // the workbench lays the webview out after the sash settles
      const wide = await chat.part('transcript').evaluate((t) =>
        [...t.querySelectorAll('[data-part="tool-call"], [data-part="tool-call"] *')]
          .filter((e) => (e as HTMLElement).offsetParent !== null && !e.matches('pre, pre *, .tool-subject, .tool-subject *'))
          .filter((e) => e.getBoundingClientRect().right > t.getBoundingClientRect().right + 1)
          .map((e) => e.className || e.tagName));
      assert.deepEqual(wide, [], 'nothing in a card is wider than the view at 250 px');
      await page.screenshot({ path: join(shotsDir, 'agent-approval-250.png') });
    } finally {
      await setSidebarWidth(page, 300);
    }

    await edit.locator('[data-action="denyTool"]').click();
    await eventually('the edit card denied', async () => (await statusOf('call_ui_edit')) === 'denied');
    assert.equal(await chat.settled(), 'done');
    assert.match(await chat.text(chat.lastAnswer()), /left `?src\/app\.ts`? as it is/);
    await eventually('the diff closed', async () => (await diffTab.count()) === 0, 10_000);
    const sent = fake.requests.at(-1)?.body.messages as { role: string; content: string }[];
    assert.equal(sent.at(-1)?.role, 'tool');
    assert.match(sent.at(-1)?.content ?? '', /keep the wording/);
    assert.equal(await edit.locator('.tool-approval').count(), 0, 'no buttons left on an answered card');
  });

  it('Approve creates the file; the card links its path, and the details hold the arguments and the result', async () => {
    const { fake } = e2e();
    const name = `notes/agent-${randomBytes(3).toString('hex')}.md`;
    fake.script(
      { kind: 'toolCalls', calls: [{ id: 'call_ui_create', name: 'create_file', arguments: JSON.stringify({ path: name, content: '# Notes\n' }) }] },
      { kind: 'text', text: 'Created.' },
    );
    await chat.send('Start a notes file');
    await eventually('the create card asks', async () => (await statusOf('call_ui_create')) === 'awaitingApproval');
    assert.match(await chat.text(card('call_ui_create').locator('.tool-question')), new RegExp(`Create ${name.replace('.', '\\.')}\\?`));
    await card('call_ui_create').locator('[data-action="approveTool"]').click();
    await eventually('the create card done', async () => (await statusOf('call_ui_create')) === 'done');
    assert.equal(await chat.settled(), 'done');
    const link = card('call_ui_create').locator('[data-action="openPath"]');
    assert.equal(await link.getAttribute('data-path'), name);
    await card('call_ui_create').locator('.tool-details > summary').click();
    assert.match(await chat.text(card('call_ui_create').locator('.tool-args')), /"content": "# Notes\\n"/);
    assert.ok((await chat.text(card('call_ui_create').locator('.tool-result'))).length > 0, 'the result sent to Qwen is shown');
    await link.click();
    await e2e().page.locator('.tabs-container .tab').filter({ hasText: name.split('/')[1]! }).first().waitFor({ timeout: 15_000 });
  });
});
