/**
 * What the UI tests do to the workbench around the chat view, the way a user does it: a setting changed in the
 * Settings editor, a file opened with Quick Open, the sidebar dragged wider or narrower. And what has the keyboard
 * focus inside the view.
 */
import type { Page } from 'playwright-core';
import type { ChatPage } from './chatPage';
import { closeSettingsEditor, eventually, pickRow, runCommand } from './chatPage';

/**
 * Types `value` into the setting `id` (a text setting) in the Settings editor and closes it again once `applied`
 * holds (the editor writes settings.json after a debounce, slower on a loaded machine; closing early loses the edit).
 * A second go if the value did not stay applied once the editor closed (seen once on a loaded machine: the input
 * rendered again empty and wrote that back).
 */
export async function setTextSetting(page: Page, id: string, value: string, applied: () => Promise<boolean>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'Preferences: Open User Settings');
    await page.locator('.settings-editor').waitFor({ timeout: 15_000 });
    const input = page.locator(`.settings-editor input[aria-label="${id}"]`);
    // the search box has the focus and keeps the last search: replace it rather than add to it
    await page.keyboard.press('Control+A');
    await page.keyboard.type(id);
    await input.waitFor({ timeout: 15_000 });
    await input.fill(value);
    await eventually(`${id} set to "${value}" and applied`, applied, 20_000);
    await closeSettingsEditor(page);
    try {
      await eventually(`${id} still "${value}" with the Settings editor closed`, applied, 5000);
      return;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
}

/** Opens `name` from Quick Open and returns the editor it shows in. */
export async function openFile(page: Page, name: string) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input[type="text"]');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(name);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  await page.locator(`.tabs-container .tab[aria-label^="${name}"]`).first().waitFor({ timeout: 10_000 });
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines').waitFor({ timeout: 10_000 });
  return editor;
}

/** The editor's visible lines as text (Monaco renders spaces as no-break spaces). */
export async function editorLines(page: Page): Promise<string[]> {
  const lines = page.locator('.editor-instance .monaco-editor .view-lines .view-line');
  const rows = await lines.evaluateAll((els) =>
    els.map((e) => ({ top: parseFloat((e as HTMLElement).style.top || '0'), text: (e.textContent ?? '').replace(/\u00a0/g, ' ') })),
  );
  return rows.sort((a, b) => a.top - b.top).map((r) => r.text);
}

/** Drags the sidebar's edge until it is `width` px wide (the chat view is as wide as the sidebar). */
export async function setSidebarWidth(page: Page, width: number): Promise<void> {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box) throw new Error('no sidebar on screen');
  if (Math.abs(box.width - width) <= 4) return;
  const edge = { x: box.x + box.width, y: box.y + box.height / 2 };
  await page.mouse.move(edge.x, edge.y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, edge.y, { steps: 8 });
  await page.mouse.up();
  await eventually(`a sidebar ${width} px wide`, async () => Math.abs(((await sidebar.boundingBox())?.width ?? 0) - width) <= 4, 5000);
}

/**
 * What has the focus inside the chat view, in the DOM contract's words: `data-part` or `data-action` (with the
 * history item's id where there is one), else the tag; `body` when nothing has it.
 */
export async function focusedControl(chat: ChatPage): Promise<string> {
  return chat.part('app').evaluate((app) => {
    const el = app.ownerDocument.activeElement;
    if (!el || el === app.ownerDocument.body) return 'body';
    const name = el.getAttribute('data-part') ?? el.getAttribute('data-action') ?? (el.classList.contains('rename-input') ? 'rename-input' : el.tagName.toLowerCase());
    const item = el.closest('[data-conversation-id]')?.getAttribute('data-conversation-id');
    return item ? `${name}@${item}` : name;
  });
}

/**
 * Sends `prompt` and waits for its answer to start, so that a later `chat.settled()` waits for this answer and not
 * the one before it.
 */
export async function sendAndWaitForStart(chat: ChatPage, prompt: string): Promise<void> {
  const before = await chat.messages().count();
  await chat.send(prompt);
  await eventually(`the answer to "${prompt}" to start`, async () => (await chat.messages().count()) >= before + 2);
}

/** Closes the history list if a test left it open (the header button toggles it). */
export async function closeHistory(chat: ChatPage): Promise<void> {
  if (await chat.part('history').isVisible()) await chat.part('history-button').click();
  await chat.part('history').waitFor({ state: 'hidden', timeout: 5000 });
}

/** Picks a colour theme through Preferences: Color Theme, as a user does. */
export async function pickTheme(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = page.locator('.quick-input-widget input[type="text"]');
  await input.fill(label);
  await pickRow(page, label);
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}
