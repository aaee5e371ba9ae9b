/**
 * The chat view follows the workbench theme, and the README's screenshots come from here: the real view in
 * code-server, dark and light, showing an answer with its reasoning (QWEN_README_SHOTS=1 writes docs/images/).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../support/repoRoot';
import { ChatPage, eventually } from './chatPage';
import { e2e } from './context';
import { showcaseScenario } from './showcase';
import { openFile, pickTheme } from './workbench';

const THEMES = ['dark', 'light'] as const;

/** Relative luminance (0 black … 1 white) of a CSS `rgb(…)` colour. */
function luminance(css: string): number {
  const [r = 0, g = 0, b = 0] = (css.match(/[\d.]+/g) ?? []).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Sum of the channel differences of two CSS `rgb(…)` colours: 0 same … 765 black vs white. */
function colourDistance(a: string, b: string): number {
  const ca = (a.match(/[\d.]+/g) ?? []).map(Number);
  const cb = (b.match(/[\d.]+/g) ?? []).map(Number);
  return [0, 1, 2].reduce((sum, i) => sum + Math.abs((ca[i] ?? 0) - (cb[i] ?? 0)), 0);
}

/** The editor area's background as painted now. */
function editorBackground(page: Page): Promise<string> {
  return page.locator('.part.editor .monaco-editor-background, .part.editor > .content').first()
    .evaluate((e) => getComputedStyle(e).backgroundColor);
}

describe('chat view theming and README screenshots (UI)', function () {
  this.timeout(180_000);

  after(() => pickTheme(e2e().page, 'Dark Modern')); // back to where the other suites start

  it('follows the dark and the light theme (screenshots of a reasoning answer)', async () => {
    const { page, fake, shotsDir, writeReadmeShots } = e2e();
    const chat = new ChatPage(page); // open on a new chat (the runner's resetChat)
    // an editor beside the chat, as a user would have it
    await openFile(page, 'app.ts');

    // a chat this wide reads better in the README
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    if (sidebar) {
      const edge = { x: sidebar.x + sidebar.width, y: sidebar.y + sidebar.height / 2 };
      await page.mouse.move(edge.x, edge.y);
      await page.mouse.down();
      await page.mouse.move(edge.x + 180, edge.y, { steps: 8 });
      await page.mouse.up();
    }
    fake.script(showcaseScenario());
    await chat.send('How do I debounce the search box in TypeScript?');
    assert.equal(await chat.settled(60_000), 'done');
    const answer = chat.lastAnswer();
    await answer.locator('[data-part="reasoning-summary"]').click(); // reopen the reasoning for the picture
    assert.equal(await answer.locator('[data-part="reasoning"]').evaluate((d) => (d as HTMLDetailsElement).open), true);
    await chat.part('transcript').evaluate((t) => t.scrollTo(0, 0));

    const backgrounds: Record<string, string> = {};
    for (const name of THEMES) {
      if (name === 'light') await pickTheme(page, 'Light Modern');
      const app = chat.part('app');
      const themed = (bg: string) => (name === 'dark' ? luminance(bg) < 0.1 : luminance(bg) > 0.6);
      await eventually(`the ${name} theme in the view`, async () =>
        themed(await app.evaluate((e) => getComputedStyle(e.ownerDocument.body).backgroundColor)), 15_000);
      // the workbench repaints its own parts after the webview: the picture waits for the editor too
      await eventually(`the ${name} theme in the editor`, async () => themed(await editorBackground(page)), 15_000);
      backgrounds[name] = await app.evaluate((e) => getComputedStyle(e.ownerDocument.body).backgroundColor);
      // no stray text selection (from the sash drag) in the picture
      await app.evaluate((e) => e.ownerDocument.getSelection()?.removeAllRanges());
      await page.mouse.move(900, 500);
      const shot = join(shotsDir, `chat-${name}.png`);
      await page.screenshot({ path: shot });
      if (writeReadmeShots) {
        mkdirSync(join(repoRoot(), 'docs/images'), { recursive: true });
        copyFileSync(shot, join(repoRoot(), 'docs/images', `chat-${name}.png`));
      }
      // the code keeps its highlighting in both themes: keywords get a colour of their own
      const keyword = await answer.locator('pre code .hljs-keyword').first().evaluate((k) => getComputedStyle(k).color);
      const [plain, band] = await answer.locator('pre code').first().evaluate((c) => [getComputedStyle(c).color, getComputedStyle(c).backgroundColor]);
      assert.equal(band, 'rgba(0, 0, 0, 0)', 'no inline-code band behind the lines of a code block');
      assert.ok(colourDistance(keyword, plain) > 80, `keywords (${keyword}) stand out from plain code (${plain}) in the ${name} theme`);
    }
    assert.notEqual(backgrounds.dark, backgrounds.light);
  });

  it('high contrast: black background and borders around each answer', async () => {
    const { page, shotsDir, fake } = e2e();
    const chat = new ChatPage(page);
    // an answer with code to look at (each test starts on a new chat)
    fake.script(showcaseScenario(400));
    await chat.send('How do I debounce the search box in TypeScript?');
    assert.equal(await chat.settled(60_000), 'done');
    await pickTheme(page, 'Dark High Contrast');
    try {
      const app = chat.part('app');
      await eventually('the high-contrast theme in the view', async () =>
        app.evaluate((e) => e.ownerDocument.body.classList.contains('vscode-high-contrast')), 15_000);
      await eventually('the high-contrast theme in the workbench', async () =>
        page.locator('.monaco-workbench.hc-black').count().then((n) => n > 0), 15_000);
      await page.screenshot({ path: join(shotsDir, 'chat-high-contrast.png') });
      const bg = await app.evaluate((e) => getComputedStyle(e.ownerDocument.body).backgroundColor);
      assert.ok(luminance(bg) < 0.01, `background ${bg}`);
      const border = await chat.lastAnswer().evaluate((m) => getComputedStyle(m).borderLeftColor);
      assert.ok(luminance(border) > 0.3, `answers are outlined in the contrast colour (${border})`);
      const code = chat.lastAnswer().locator('pre code').first();
      const [keyword, plain] = await Promise.all([
        code.locator('.hljs-keyword').first().evaluate((k) => getComputedStyle(k).color),
        code.evaluate((c) => getComputedStyle(c).color),
      ]);
      assert.ok(colourDistance(keyword, plain) > 80, `keywords (${keyword}) stand out from plain code (${plain})`);
    } finally {
      await pickTheme(page, 'Dark Modern');
    }
  });
});
