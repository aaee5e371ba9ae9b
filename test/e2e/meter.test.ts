/**
 * The header's chat meter and thinking-budget control in Chromium, on the real webview bundle fed by the harness's
 * fake host (dev/webview-harness, scene `meter`): a chat whose replies carry cost, cache and context use, so the
 * figures are exact whatever the extension host computes. Runs in its own page of the UI tests' browser.
 * Screenshots: .tmp/e2e/chat-meter-{dark,light}.png (QWEN_README_SHOTS=1 also writes docs/images/chat-meter*.png).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { SettingsView } from '../../src/protocol/chat';
import type { HostToWebview } from '../../src/protocol/messages';
import { buildHarness, type HarnessBuild } from '../../dev/webview-harness/build';
import { meterSnapshot, SETTINGS } from '../../dev/webview-harness/scenario';
import { serveStatic } from '../../dev/webview-harness/serve';
import { repoRoot } from '../support/repoRoot';
import { eventually } from './chatPage';
import { e2e } from './context';

const part = (name: string) => `[data-part="${name}"]`;

describe('the chat meter and thinking budget in the header (UI)', function () {
  this.timeout(120_000);
  let page: Page;
  let build: HarnessBuild;
  let server: { url: string; close(): Promise<void> };
  const errors: string[] = [];

  const open = async (theme: 'dark' | 'light', width = 300): Promise<void> => {
    await page.setViewportSize({ width, height: 700 });
    await page.goto(`${server.url}/${build.page}?scene=meter&theme=${theme}`);
    await page.waitForFunction(() => (window as unknown as { __harnessDone: boolean }).__harnessDone, undefined, { timeout: 20_000 });
  };
  const text = (selector: string) => page.locator(selector).first().evaluate((e) => e.textContent ?? '');
  const host = (message: HostToWebview) => page.evaluate((m) => window.postMessage(m, '*'), message);
  const settings = (patch: Partial<SettingsView>, drop: (keyof SettingsView)[] = []): Promise<void> => {
    const next: Record<string, unknown> = { ...SETTINGS, ...patch };
    for (const key of drop) delete next[key];
    return host({ type: 'settings', settings: next as unknown as SettingsView });
  };

  before(async () => {
    build = await buildHarness();
    server = await serveStatic(build.root);
    page = await e2e().page.context().newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });

  after(async () => {
    await page?.close();
    await server?.close();
  });

  afterEach(() => assert.deepEqual(errors.splice(0), [], 'no page errors'));

  it('sums the chat: context of the last request, cost, cache read and saved, with the details in its title', async () => {
    await open('dark');
    const meter = page.locator(part('chat-meter'));
    assert.equal(await text(part('chat-meter')), 'Context 12.4% · $0.02 · cache 41.2K read · saved $0.02');
    const title = (await meter.getAttribute('title')) ?? '';
    for (const line of ['12.4% of 1M tokens', '58,300 prompt + 65,536 kept for the reply', '12 earlier messages left out to fit', '41,200 tokens read, 2,300 written', 'Saved by caching: $0.02', 'Explicit caching: on', 'over 3 requests', 'Spend cap for this chat: $1.00']) {
      assert.ok(title.includes(line), `the title says "${line}": ${title}`);
    }
    assert.equal(await text(part('context-dropped')), '12 earlier messages left out to fit');
    assert.equal(await page.locator(part('context-dropped')).isVisible(), true);
    // per message: what caching did on that request
    assert.match(await text(`[data-message-id="k2"] ${part('metrics')}`), /· cache 2\.3K written · saved −\$0\.0004$/);
    assert.match(await text(`[data-message-id="k4"] ${part('metrics')}`), /· \$0\.0081 · cache 20\.1K read · saved \$0\.0071$/);
    // a /no_think prompt says what it did, under its text
    assert.equal(await text('[data-message-id="k3"] .user-note'), 'Thinking off for this message');
  });

  it('wraps between its pieces in a narrow sidebar, never inside one, and stays inside the header', async () => {
    for (const width of [250, 300, 480]) {
      await open('dark', width);
      const layout = await page.locator(part('chat-meter')).evaluate((m) => {
        const items = Array.from(m.querySelectorAll('.dot-item')).map((i) => i.getClientRects().length);
        const header = m.closest('header')!.getBoundingClientRect();
        return { items, right: m.getBoundingClientRect().right, headerRight: header.right, overflow: m.scrollWidth - m.clientWidth };
      });
      assert.deepEqual(layout.items, [1, 1, 1, 1], `each piece on one line at ${width} px: ${JSON.stringify(layout)}`);
      assert.ok(layout.right <= layout.headerRight && layout.overflow <= 0, `inside the header at ${width} px: ${JSON.stringify(layout)}`);
      // the pickers stay inside the view
      const pickers = await page.locator('.header-row.pickers').evaluate((r) => ({ scroll: r.scrollWidth, client: r.clientWidth }));
      assert.ok(pickers.scroll <= pickers.client, `the pickers fit at ${width} px: ${JSON.stringify(pickers)}`);
    }
  });

  it('offers the thinking budgets up to the model maximum and posts setThinkingBudget on change', async () => {
    await open('dark');
    const budget = page.locator(part('thinking-budget'));
    assert.equal(await budget.isVisible(), true);
    assert.equal(await budget.inputValue(), '4096');
    const options = await budget.locator('option').evaluateAll((os) => os.map((o) => `${(o as HTMLOptionElement).value}=${o.textContent}`));
    assert.deepEqual(options, ['0=Budget: default', '1024=Budget: 1K', '4096=Budget: 4K', '8192=Budget: 8K', '16384=Budget: 16K', '32768=Budget: 32K']);
    await budget.selectOption('16384');
    await eventually('setThinkingBudget posted', async () =>
      page.evaluate(() => (window as unknown as { __posted: { type: string; budget?: number }[] }).__posted.some((m) => m.type === 'setThinkingBudget' && m.budget === 16384)));

    // a custom value is kept among the choices; a smaller maximum cuts the list
    await settings({ thinkingBudget: 6000, thinkingBudgetMax: 8192 });
    await eventually('the custom budget shown', async () => (await budget.inputValue()) === '6000');
    assert.deepEqual(await budget.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), ['0', '1024', '4096', '6000', '8192']);

    // thinking off: disabled, saying why
    await settings({ thinkingOn: false, thinkingMode: 'off', thinkingNote: 'Thinking off' });
    await eventually('the budget disabled', async () => budget.isDisabled());
    assert.match((await budget.getAttribute('title')) ?? '', /Thinking is off/);

    // a model that takes no budget: no control
    await settings({}, ['thinkingBudgetMax']);
    await eventually('the budget hidden', async () => !(await budget.isVisible()));
  });

  it('before any reply shows the context window, no cost and no note', async () => {
    await open('dark');
    const empty = meterSnapshot();
    empty.conversation = { ...empty.conversation, messages: [] };
    await host({ type: 'snapshot', version: 'harness', snapshot: empty, hostNow: Date.now() });
    await eventually('the empty meter', async () => (await text(part('chat-meter'))) === 'Context 0% of 1M');
    assert.equal(await page.locator(part('context-dropped')).isVisible(), false);
    // a reply with usage but no known price: never a cost of 0
    const unpriced = meterSnapshot();
    unpriced.conversation = {
      ...unpriced.conversation,
      messages: [{ id: 'x1', role: 'assistant', text: 'hi', status: 'done', createdAt: 0, metrics: { promptTokens: 900, completionTokens: 5 } }],
    };
    await host({ type: 'snapshot', version: 'harness', snapshot: unpriced, hostNow: Date.now() });
    await eventually('cost unknown', async () => (await text(part('chat-meter'))) === 'Context 0% of 1M · cost unknown');
  });

  it('reads in the dark and the light theme (screenshots of the header)', async () => {
    const { shotsDir, writeReadmeShots } = e2e();
    for (const theme of ['dark', 'light'] as const) {
      await open(theme);
      const colours = await page.locator(part('chat-meter')).evaluate((m) => [getComputedStyle(m).color, getComputedStyle(m.ownerDocument.body).backgroundColor]);
      assert.notEqual(colours[0], colours[1], `the meter's text stands out in ${theme}`);
      const file = join(shotsDir, `chat-meter-${theme}.png`);
      await page.locator(part('header')).screenshot({ path: file });
      if (writeReadmeShots) {
        mkdirSync(join(repoRoot(), 'docs/images'), { recursive: true });
        copyFileSync(file, join(repoRoot(), 'docs/images', theme === 'dark' ? 'chat-meter.png' : 'chat-meter-light.png'));
      }
    }
  });
});
