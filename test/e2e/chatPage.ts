/**
 * The chat view as a user meets it in the workbench: find it in the activity bar, type, press keys, read what is
 * on screen. Selectors come from webview/dom.ts, the contract the renderers follow.
 */
import assert from 'node:assert/strict';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { sel } from '../../webview/dom';
import type { Part } from '../../webview/dom';

// code-server 1.139 renders activity bar entries as .action-item > a[aria-label]; TESTING.md's `li[aria-label]`
// matched older builds
const ACTIVITY_ITEM = '.activitybar .action-item [aria-label^="Qwen Coder"]';

export class ChatPage {
  /**
   * @param view our webview; by default the first one in the workbench, the sidebar's (the workbench wraps each
   *   webview in an outer iframe and the content in iframe#active-frame)
   */
  constructor(
    readonly page: Page,
    readonly view: FrameLocator = page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame'),
  ) {}

  part(name: Part): Locator {
    return this.view.locator(sel(name));
  }

  /**
   * Opens the Qwen view from the activity bar, unless it is already showing (a second click would hide it), and
   * waits for the host's snapshot: until then the view may show the older state VS Code kept for it.
   */
  async open(): Promise<void> {
    const app = this.part('app');
    if (!(await app.isVisible().catch(() => false))) {
      const item = this.page.locator(ACTIVITY_ITEM).first();
      await item.waitFor({ timeout: 90_000 });
      await item.click();
      await app.waitFor({ timeout: 30_000 });
    }
    await this.view.locator('body[data-qwen-version]').waitFor({ state: 'attached', timeout: 60_000 });
  }

  async newChat(): Promise<void> {
    await this.part('new-chat').click();
    await eventually('an empty transcript after New chat', async () => (await this.messages().count()) === 0);
  }

  /** Types `prompt` into the composer and presses Enter, as a user does. */
  async send(prompt: string): Promise<void> {
    const input = this.part('composer-input');
    await input.click();
    await input.fill(prompt);
    await input.press('Enter');
  }

  messages(): Locator {
    return this.part('transcript').locator(sel('message'));
  }

  lastAnswer(): Locator {
    return this.part('transcript').locator(`${sel('message')}[data-role="assistant"]`).last();
  }

  /** textContent, not innerText: the reasoning of a collapsed <details> is not rendered but must still be there. */
  async text(locator: Locator): Promise<string> {
    return ((await locator.count()) ? await locator.first().textContent() : '') ?? '';
  }

  async status(message: Locator): Promise<string> {
    return (await message.getAttribute('data-status')) ?? '';
  }

  /** Waits until the last answer is no longer streaming and returns its final status. */
  async settled(timeoutMs = 30_000): Promise<string> {
    const answer = this.lastAnswer();
    let status = '';
    await eventually('the answer to finish', async () => {
      status = await this.status(answer);
      return status !== '' && status !== 'streaming';
    }, timeoutMs);
    return status;
  }
}

/** Polls `check` until it holds; fails with `what` and the time waited. The view updates once per frame. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a command from the palette by its title, as a user does. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input[type="text"]');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  await pickRow(page, title);
}

/** Clicks the quick-input row labelled `label` exactly (Enter would take the highlighted row, maybe a near match). */
export async function pickRow(page: Page, label: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row').filter({
    has: page.locator('.label-name, .monaco-highlighted-label').getByText(label, { exact: true }),
  });
  await row.first().waitFor({ timeout: 10_000 });
  await row.first().click();
}
