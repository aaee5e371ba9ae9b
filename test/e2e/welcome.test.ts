/**
 * A first start without a key, in the real view: Model Studio (qwen.baseUrl emptied in the Settings editor) with no
 * key stored shows the welcome with its region choice and Set API key, not an error; a key typed into the real
 * prompt brings the chat. The header keeps its first row on one line at the default, a narrow and a wide sidebar.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ChatPage, eventually, runCommand } from './chatPage';
import { e2e } from './context';
import { setSidebarWidth, setTextSetting } from './workbench';

/** The header's first row (endpoint, New chat, History) is one line: the three share a top and fit the view. */
async function firstRowOnOneLine(chat: ChatPage): Promise<{ oneLine: boolean; truncated: boolean; detail: string }> {
  return chat.part('header').evaluate((header) => {
    const parts = ['endpoint-label', 'new-chat', 'history-button'].map((p) => header.querySelector(`[data-part="${p}"]`)!.getBoundingClientRect());
    const label = header.querySelector<HTMLElement>('[data-part="endpoint-label"]')!;
    const tops = parts.map((r) => Math.round(r.top + r.height / 2));
    const right = Math.max(...parts.map((r) => r.right));
    return {
      oneLine: Math.max(...tops) - Math.min(...tops) <= 3 && right <= header.getBoundingClientRect().right,
      truncated: label.scrollWidth > label.clientWidth && getComputedStyle(label).textOverflow === 'ellipsis',
      detail: JSON.stringify({ tops, right, header: header.getBoundingClientRect().width, label: [label.scrollWidth, label.clientWidth] }),
    };
  });
}

/** After the view's Set API key: the first key ever stored asks for the region first (Enter keeps the current). */
async function typeKeyFor(page: Page, where: RegExp, key: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const password = widget.locator('input[type="password"]');
  await widget.waitFor({ timeout: 10_000 });
  if (!(await password.isVisible())) {
    await widget.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 5000 });
    if (!(await password.isVisible())) await page.keyboard.press('Enter');
  }
  await password.waitFor({ timeout: 10_000 });
  assert.match(await widget.innerText(), where, 'the key prompt names the endpoint');
  await password.fill(key);
  await password.press('Enter');
  await password.waitFor({ state: 'hidden', timeout: 10_000 });
}

describe('welcome without a key in code-server (UI)', function () {
  this.timeout(180_000);

  it('Model Studio without a key: the welcome with region choice and Set API key; a stored key brings the chat', async () => {
    const { page, fake, shotsDir } = e2e();
    const chat = new ChatPage(page);
    await chat.open();
    await setSidebarWidth(page, 300); // VS Code's default
    const label = chat.part('endpoint-label');
    await setTextSetting(page, 'qwen.baseUrl', '', async () => (await chat.text(label)) === 'Model Studio (Singapore)');
    try {
      const welcome = chat.part('welcome');
      // (the UI tests run without DASHSCOPE_API_KEY: with it, Model Studio would have a key from the environment)
      await eventually('the welcome: Model Studio has no key stored and none in the environment', () => welcome.isVisible(), 10_000);
      assert.match(await chat.text(welcome.locator('h2')), /Welcome to Qwen Coder/);
      assert.equal(await chat.part('composer').isVisible(), false, 'no composer until there is a key');
      assert.equal(await chat.part('transcript').isVisible(), false, 'and no error card either');
      const region = chat.part('region-choice');
      assert.deepEqual(await region.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), ['singapore', 'virginia', 'beijing']);
      assert.equal(await region.inputValue(), 'singapore');
      assert.equal(await welcome.locator('label[for="qwen-region"]').textContent(), 'Region', 'the choice is labelled');
      const setKey = welcome.locator('button[data-action="setApiKey"]');
      assert.equal(await setKey.textContent(), 'Set API key');

      // the header's first row stays one line; the label gives way with an ellipsis and has all of it in its title
      for (const width of [300, 250, 480]) {
        await setSidebarWidth(page, width);
        const row = await firstRowOnOneLine(chat);
        assert.ok(row.oneLine, `the first header row on one line at ${width} px: ${row.detail}`);
        if (width <= 300) assert.ok(row.truncated, `the endpoint label is cut with an ellipsis at ${width} px: ${row.detail}`);
        await page.screenshot({ path: join(shotsDir, `welcome-${width}px.png`) });
      }
      await setSidebarWidth(page, 300);
      assert.match((await label.getAttribute('title')) ?? '', /Model Studio \(Singapore\)/);

      // the region choice changes the endpoint (no key there either)
      await region.selectOption('virginia');
      await eventually('the Virginia endpoint', async () => (await chat.text(label)) === 'Model Studio (Virginia)');
      assert.equal(await welcome.isVisible(), true);
      await region.selectOption('singapore');
      await eventually('back to Singapore', async () => (await chat.text(label)) === 'Model Studio (Singapore)');

      // Set API key from the welcome: the real password prompt; once stored the chat replaces the welcome
      await setKey.click();
      await typeKeyFor(page, /Singapore/, 'sk-welcome-test');
      await eventually('the chat instead of the welcome', async () => (await chat.part('composer').isVisible()) && !(await welcome.isVisible()));
      await runCommand(page, 'Qwen: Clear API Key');
      await welcome.waitFor({ state: 'visible', timeout: 10_000 });
    } finally {
      await setTextSetting(page, 'qwen.baseUrl', fake.baseUrl, async () => (await chat.text(label)).startsWith('127.0.0.1:'));
    }
  });
});
