/**
 * The header with Model Studio's endpoint label (qwen.baseUrl emptied in the Settings editor), the longest the view
 * shows: its first row (endpoint, New chat, History) stays on one line at the default, a narrow and a wide sidebar,
 * the label giving way with an ellipsis. Whether the chat or the no-key welcome shows below does not matter here.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ChatPage, eventually } from './chatPage';
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

describe('the header in code-server (UI)', function () {
  this.timeout(180_000);

  it('keeps its first row on one line with the Model Studio label at 250, 300 and 480 px; the label gives way', async () => {
    const { page, fake, shotsDir } = e2e();
    const chat = new ChatPage(page);
    await chat.open();
    await setSidebarWidth(page, 300); // VS Code's default
    const label = chat.part('endpoint-label');
    await setTextSetting(page, 'qwen.baseUrl', '', async () => (await chat.text(label)) === 'Model Studio (Singapore)');
    try {
      for (const width of [300, 250, 480]) {
        await setSidebarWidth(page, width);
        const row = await firstRowOnOneLine(chat);
        assert.ok(row.oneLine, `the first header row on one line at ${width} px: ${row.detail}`);
        if (width <= 300) assert.ok(row.truncated, `the endpoint label is cut with an ellipsis at ${width} px: ${row.detail}`);
        else assert.ok(!row.truncated, `the whole label at ${width} px: ${row.detail}`);
        await page.screenshot({ path: join(shotsDir, `header-model-studio-${width}px.png`) });
      }
      assert.equal(await label.getAttribute('title'), 'Endpoint: Model Studio (Singapore)', 'the title has the whole label');
      assert.equal(await chat.part('new-chat').getAttribute('aria-label'), 'New chat', 'named even when only its + shows');
    } finally {
      await setSidebarWidth(page, 300);
      await setTextSetting(page, 'qwen.baseUrl', fake.baseUrl, async () => (await chat.text(label)).startsWith('127.0.0.1:'));
    }
  });

  it('the thinking budget select writes qwen.thinkingBudget, and the view shows the new value', async () => {
    const { page, settings } = e2e();
    const chat = new ChatPage(page);
    await chat.open();
    const budget = chat.part('thinking-budget');
    assert.equal(await budget.isVisible(), true, 'the default model takes a budget');
    try {
      await budget.selectOption('8192');
      await eventually('qwen.thinkingBudget = 8192 in settings.json', async () => settings()['qwen.thinkingBudget'] === 8192);
      // the host's new settings say it in the note; the select keeps the value they carry
      await eventually('the note says the budget the next request uses', async () => /8,192/.test(await chat.text(chat.part('thinking-note'))));
      assert.equal(await budget.inputValue(), '8192');
    } finally {
      await budget.selectOption('0');
      await eventually('qwen.thinkingBudget back to the default', async () => (settings()['qwen.thinkingBudget'] ?? 0) === 0);
    }
  });
});
