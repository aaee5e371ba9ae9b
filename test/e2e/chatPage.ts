/**
 * The chat view as a user meets it in the workbench: find it in the activity bar, type, press keys, read what is
 * on screen. Selectors come from webview/dom.ts, the contract the renderers follow.
 */
import assert from 'node:assert/strict';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { sel } from '../../webview/dom';
import type { Part } from '../../webview/dom';

// code-server 1.139 renders activity bar entries as li.action-item > a[aria-label]; TESTING.md's `li[aria-label]`
// matched older builds. The li carries `checked` while its view container is open.
const ACTIVITY_ITEM = '.activitybar li.action-item';
const QWEN_LABEL = '[aria-label^="Qwen Coder"]';

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

  /** The Qwen Coder entry of the activity bar. */
  activityItem(): Locator {
    return this.page.locator(ACTIVITY_ITEM).filter({ has: this.page.locator(QWEN_LABEL) }).first();
  }

  /** Whether the Qwen container is open in the sidebar, by the activity bar's own state (not the webview's). */
  async isOpen(): Promise<boolean> {
    const item = this.activityItem();
    await item.waitFor({ timeout: 90_000 });
    return /\bchecked\b/.test((await item.getAttribute('class')) ?? '');
  }

  /**
   * Opens the Qwen view from the activity bar and waits for the host's snapshot (until then the view may show the
   * older state VS Code kept for it). It clicks only while the activity bar says the container is closed: after a
   * reload the workbench may restore the sidebar before its webview exists, and a click then would close it; when a
   * restore lands just after a click and closes it again, the next round sees that and clicks again.
   */
  async open(): Promise<void> {
    const app = this.part('app');
    const end = Date.now() + 90_000;
    while (!(await app.isVisible().catch(() => false))) {
      if (Date.now() > end) assert.fail('the Qwen view did not open within 90 s');
      if (!(await this.isOpen())) await this.activityItem().click();
      await eventually('the chat view shown', async () => (await this.isOpen()) && app.isVisible(), 10_000).catch(() => {});
    }
    await this.view.locator('body[data-qwen-version]').waitFor({ state: 'attached', timeout: 60_000 });
  }

  /** Hides the sidebar by clicking the open Qwen entry, and waits until its webview is gone. */
  async hide(): Promise<void> {
    if (await this.isOpen()) await this.activityItem().click();
    await eventually('the Qwen container closed', async () => !(await this.isOpen()), 10_000);
    await this.part('app').waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Resolves once the view has painted `frames` more animation frames (it renders what arrived once per frame). */
  async frames(frames = 2): Promise<void> {
    await this.part('app').evaluate((_, n) => new Promise<void>((done) => {
      const step = (left: number): void => void (left ? requestAnimationFrame(() => step(left - 1)) : done());
      step(n);
    }), frames);
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
  await closeQuickInput(page);
  await focusWorkbench(page);
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

/**
 * Whether the extension host still streams an answer, by its status bar item's spinner: the host ends a turn (and
 * posts its final copy) after the view has already shown Stop's result.
 */
export async function hostStreaming(page: Page): Promise<boolean> {
  return (await page.locator('.statusbar-item[id$="qwen.status"] .codicon-loading').count()) > 0;
}

/**
 * Moves the focus out of any webview (which keeps some keys, such as the composer's) by clicking the middle of the
 * status bar, where no item sits.
 */
export async function focusWorkbench(page: Page): Promise<void> {
  const bar = page.locator('.part.statusbar');
  const box = await bar.boundingBox();
  if (box) await bar.click({ position: { x: Math.round(box.width / 2), y: Math.round(box.height / 2) } });
}

/** Presses Escape while `widget` is visible, up to `tries` times (a first Escape may only close a widget inside). */
async function escapeWhileVisible(page: Page, widget: Locator, tries: number, waitMs: number): Promise<void> {
  for (let i = 0; i < tries && (await widget.isVisible().catch(() => false)); i++) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: waitMs }).catch(() => {});
  }
}

/** Escapes whatever quick input (palette, picker, key prompt) is open, e.g. one a failed test left behind. */
export async function closeQuickInput(page: Page): Promise<void> {
  await escapeWhileVisible(page, page.locator('.quick-input-widget'), 3, 2000);
}

/** Closes the (modal) Settings editor if it is open; throws if it stays. */
export async function closeSettingsEditor(page: Page): Promise<void> {
  const editor = page.locator('.settings-editor');
  await escapeWhileVisible(page, editor, 4, 3000);
  await editor.waitFor({ state: 'hidden', timeout: 1000 });
}

const FAKE_ENDPOINT = /127\.0\.0\.1:\d+/;

/** The key this run last stored through the password prompt, for the fake server's endpoint. */
let storedKey: string | undefined;

/** A new code-server knows no key: the next resetChat stores it again. */
export function forgetStoredKey(): void {
  storedKey = undefined;
}

/**
 * Types `key` into the password box of Qwen: Set API Key (opened by the caller) and confirms it; the prompt must name
 * `endpoint`, by default the fake server's, whose key this module then knows is stored.
 */
export async function typeKey(page: Page, key: string, endpoint: RegExp = FAKE_ENDPOINT): Promise<void> {
  const box = page.locator('.quick-input-widget input[type="password"]');
  await box.waitFor({ timeout: 10_000 });
  assert.match(await page.locator('.quick-input-widget').innerText(), endpoint, 'the key prompt names the endpoint');
  const forFake = endpoint === FAKE_ENDPOINT;
  if (forFake) storedKey = undefined; // unknown until the prompt closes: a half-done prompt must be redone
  await box.fill(key);
  await box.press('Enter');
  await box.waitFor({ state: 'hidden', timeout: 10_000 });
  if (forFake) storedKey = key;
}

/** Stores `key` through the palette's Qwen: Set API Key, as a user does. */
export async function setKey(page: Page, key: string): Promise<void> {
  await runCommand(page, 'Qwen: Set API Key');
  await typeKey(page, key);
}

/**
 * Puts the workbench where every UI test starts, whatever the previous test left: no quick input or Settings editor
 * open, the fake server's key stored (restored after a test that stored another), no second chat tab, no answer
 * streaming, the sidebar chat open on a new chat, the history list closed.
 */
export async function resetChat(page: Page, apiKey: string): Promise<void> {
  await closeQuickInput(page);
  // a modal Settings editor left open blocks every click, and a reload restores it
  await closeSettingsEditor(page);
  const chat = new ChatPage(page);
  await chat.open(); // also: the workbench is up and the extension active, so its commands are in the palette
  if (storedKey !== apiKey) await setKey(page, apiKey);
  if ((await page.locator('iframe.webview.ready').count()) > 1) {
    await runCommand(page, 'View: Close All Editors');
    await eventually('the chat tabs closed', async () => (await page.locator('iframe.webview.ready').count()) === 1, 15_000);
  }
  if (await chat.part('stop').isVisible()) {
    await chat.part('stop').click();
    await chat.settled();
  }
  if (await chat.part('history').isVisible()) await chat.part('history-button').click();
  await chat.part('history').waitFor({ state: 'hidden', timeout: 5000 });
  await chat.newChat();
}
