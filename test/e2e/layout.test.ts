/**
 * The view at a narrow (250 px), the default (300 px) and a wide (480 px) sidebar in the dark, light and
 * high-contrast themes, with the history open, an answer holding reasoning, code and a table, and an error card:
 * nothing sticks out sideways, the header's first row and the composer's buttons stay on one line. Screenshots of
 * each go to .tmp/e2e/layout-<theme>-<width>.png for a human to look at.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ChatPage, eventually, runCommand } from './chatPage';
import { e2e } from './context';
import { showcaseScenario } from './showcase';
import { closeHistory, pickTheme, sendAndWaitForStart, setSidebarWidth } from './workbench';

const THEMES = [
  { name: 'dark', label: 'Dark Modern', bodyClass: 'vscode-dark' },
  { name: 'light', label: 'Light Modern', bodyClass: 'vscode-light' },
  { name: 'high-contrast', label: 'Dark High Contrast', bodyClass: 'vscode-high-contrast' },
] as const;
const WIDTHS = [250, 300, 480];

interface Fit {
  overflowing: string[];
  headerRow: boolean;
  composerRow: boolean;
  historyRows: boolean;
  /** The list is as tall as its items, up to half the view (then it scrolls): the transcript gives way. */
  historyWhole: boolean;
  /** The smallest share of a row its title gets, over the rows that are not the current chat's. */
  titleShare: number;
}

describe('chat view layout at three widths and three themes (UI)', function () {
  this.timeout(240_000);

  it('fits a narrow, the default and a wide sidebar in dark, light and high contrast', async () => {
    const { page, fake, shotsDir } = e2e();
    const chat = new ChatPage(page);
    await chat.open();
    await closeHistory(chat);
    await chat.newChat();
    // an earlier chat, so the history has a row that is not the current one
    fake.script({ kind: 'text', text: 'Earlier answer.' });
    await chat.send('An earlier question about the build');
    assert.equal(await chat.settled(), 'done');
    await chat.newChat();
    fake.script(showcaseScenario(400));
    await chat.send('How do I debounce the search box in TypeScript?');
    assert.equal(await chat.settled(30_000), 'done');
    await chat.lastAnswer().locator('[data-part="reasoning-summary"]').click(); // the reasoning open in the pictures
    // reading from the top, the user sends the next prompt: the conversation's end comes into view
    await chat.part('transcript').hover();
    await page.mouse.wheel(0, -10_000);
    await eventually('the transcript scrolled to the top', async () => (await chat.part('transcript').evaluate((t) => t.scrollTop)) === 0);
    fake.script({ kind: 'cut', afterText: 'And a throttle, for the scroll handler:\n\n```ts\nconst onScroll = throttle(() => layout(), 100);\n```\n\nIt runs' });
    await sendAndWaitForStart(chat, 'And a throttle?');
    assert.equal(await chat.settled(), 'error');
    await eventually('the error card in view after sending', () => chat.part('transcript').evaluate((t) => {
      const card = t.querySelector('[data-part="error-card"]')!.getBoundingClientRect();
      const view = t.getBoundingClientRect();
      return card.bottom <= view.bottom + 1 && card.top >= view.top;
    }), 5000);
    await chat.part('history-button').click();
    await chat.part('history').waitFor({ state: 'visible', timeout: 5000 });
    try {
      for (const theme of THEMES) {
        if (theme.name !== 'dark') await pickTheme(page, theme.label);
        await eventually(`the ${theme.name} theme in the view`, () => chat.part('app').evaluate((a, c) => a.ownerDocument.body.classList.contains(c), theme.bodyClass), 15_000);
        for (const width of WIDTHS) {
          await setSidebarWidth(page, width);
          await page.waitForTimeout(300); // the workbench lays the webview out after the sash settles
          const fit: Fit = await chat.part('app').evaluate((app) => {
            const line = (els: (Element | null)[]) => {
              const mids = els.filter((e): e is Element => e !== null && (e as HTMLElement).offsetParent !== null).map((e) => {
                const r = e.getBoundingClientRect();
                return r.top + r.height / 2;
              });
              return Math.max(...mids) - Math.min(...mids) <= 3;
            };
            const q = (s: string) => app.querySelector(s);
            const parts = ['header', 'history', 'transcript', 'composer'].map((p) => q(`[data-part="${p}"]`) as HTMLElement);
            return {
              overflowing: parts.filter((p) => p.scrollWidth > p.clientWidth + 1).map((p) => `${p.dataset['part']} ${p.scrollWidth}>${p.clientWidth}`),
              headerRow: line([q('[data-part="endpoint-label"]'), q('[data-part="new-chat"]'), q('[data-part="history-button"]')]),
              composerRow: line([q('[data-part="attach-selection"]'), q('[data-part="send"]')]),
              historyRows: [...app.querySelectorAll('[data-part="history-item"]')].every((li) => line([...li.children])),
              historyWhole: parts[1]!.clientHeight >= Math.min(parts[1]!.scrollHeight, innerHeight / 2) - 2,
              titleShare: Math.min(...[...app.querySelectorAll('[data-part="history-item"]:not(.current)')].map((li) =>
                (li.querySelector('[data-action="open"]')?.getBoundingClientRect().width ?? 0) / li.getBoundingClientRect().width)),
            };
          });
          await page.screenshot({ path: join(shotsDir, `layout-${theme.name}-${width}.png`) });
          const where = `${theme.name}, ${width} px`;
          assert.deepEqual(fit.overflowing, [], `nothing wider than the view (${where})`);
          assert.ok(fit.headerRow, `the header's first row on one line (${where})`);
          assert.ok(fit.composerRow, `Attach selection and Send on one line (${where})`);
          assert.ok(fit.historyRows, `each history item on one line (${where})`);
          assert.ok(fit.historyWhole, `the history list not squeezed by the transcript (${where})`);
          assert.ok(Number.isFinite(fit.titleShare), `an earlier chat listed (${where})`);
          assert.ok(fit.titleShare >= 0.6, `a chat's title gets most of its row, not the buttons (${where}: ${fit.titleShare.toFixed(2)})`);
        }
        // the delete confirmation's red button stays readable in every theme (WCAG AA: 4.5:1)
        const item = chat.part('history-item').first();
        await item.hover();
        await item.locator('[data-action="delete"]').click();
        const confirm = item.locator('[data-action="confirm-delete"]');
        const ratio = await confirm.evaluate((b) => {
          const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
          const lum = (c: string) => {
            const [r = 0, g = 0, bl = 0] = rgb(c).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
            return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
          };
          let bg = 'rgba(0, 0, 0, 0)';
          for (let e: Element | null = b; e && (rgb(bg)[3] === 0); e = e.parentElement) bg = getComputedStyle(e).backgroundColor;
          const [a, c] = [lum(getComputedStyle(b).color), lum(bg)];
          return (Math.max(a, c) + 0.05) / (Math.min(a, c) + 0.05);
        });
        await page.screenshot({ path: join(shotsDir, `layout-${theme.name}-delete.png`) });
        await item.locator('[data-action="cancel-delete"]').click();
        assert.ok(ratio >= 4.5, `the Delete confirmation reads at ${ratio.toFixed(2)}:1 in ${theme.name}`);
      }
    } finally {
      await pickTheme(page, 'Dark Modern');
      await setSidebarWidth(page, 300);
      await closeHistory(chat);
    }
  });

  it('the page: its CSP as built, the split stylesheets, and the background of the part it is shown in', async () => {
    const { page } = e2e();
    const chat = new ChatPage(page);
    await chat.open();
    const sidebar = await chat.part('app').evaluate((app) => {
      const doc = app.ownerDocument;
      const probe = doc.createElement('div');
      probe.style.background = 'var(--vscode-sideBar-background)'; // CSSOM, which the CSP allows
      doc.body.append(probe);
      const want = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return {
        csp: doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
        // ours are the linked ones (the workbench adds an inline sheet of default styles)
        sheets: [...doc.styleSheets].filter((s) => s.href).map((s) => new URL(s.href!).pathname.split('/').slice(-2).join('/')),
        rules: [...doc.styleSheets].filter((s) => s.href).every((s) => s.cssRules.length > 0),
        place: doc.documentElement.dataset['place'],
        body: getComputedStyle(doc.body).backgroundColor,
        want,
      };
    });
    for (const directive of ["default-src 'none'", "base-uri 'none'", "form-action 'none'"]) assert.ok(sidebar.csp.includes(directive), `${directive} in ${sidebar.csp}`);
    assert.deepEqual(sidebar.sheets, ['chat/base.css', 'chat/header.css', 'chat/transcript.css', 'chat/markdown.css', 'chat/tools.css', 'chat/composer.css']);
    assert.ok(sidebar.rules, 'every stylesheet loaded');
    assert.equal(sidebar.place, 'sidebar');
    assert.equal(sidebar.body, sidebar.want, 'the sidebar view on the sidebar background');

    await runCommand(page, 'Qwen: Open Chat in Editor');
    try {
      await eventually('a second chat webview', async () => (await page.locator('iframe.webview.ready').count()) === 2, 30_000);
      const tab = new ChatPage(page, page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame'));
      await tab.view.locator('body[data-qwen-version]').waitFor({ state: 'attached', timeout: 30_000 });
      const editor = await tab.part('app').evaluate((app) => {
        const doc = app.ownerDocument;
        const probe = (v: string) => {
          const el = doc.createElement('div');
          el.style.background = `var(${v})`;
          doc.body.append(el);
          const c = getComputedStyle(el).backgroundColor;
          el.remove();
          return c;
        };
        return { place: doc.documentElement.dataset['place'], body: getComputedStyle(doc.body).backgroundColor, editor: probe('--vscode-editor-background'), sidebar: probe('--vscode-sideBar-background') };
      });
      assert.equal(editor.place, 'editor');
      assert.notEqual(editor.editor, editor.sidebar, 'the theme tells the two apart (else this checks nothing)');
      assert.equal(editor.body, editor.editor, 'the editor tab on the editor background');
    } finally {
      await runCommand(page, 'View: Close All Editors');
      await eventually('the tab closed', async () => (await page.locator('iframe.webview.ready').count()) === 1, 15_000);
    }
  });

  it('a heading streaming in after settled text has its final top margin already (no jump when it settles)', async () => {
    const { page, fake } = e2e();
    const chat = new ChatPage(page);
    await chat.open();
    await closeHistory(chat);
    await chat.newChat();
    fake.script({ kind: 'text', text: 'An opening paragraph that settles first.\n\n## A heading that arrives slowly, word by word\n\nAnd the text under it.', chunkSize: 2, tokensPerSecond: 20 });
    await chat.send('Write a heading.');
    const answer = chat.lastAnswer().locator('[data-part="answer"]');
    let streaming = '';
    await eventually('the heading growing in the tail, after a settled paragraph', async () => {
      // still growing: the message is busy and the heading has not got its last words yet
      streaming = await answer.evaluate((a) => {
        const h = a.querySelector<HTMLElement>(':scope > p ~ h2');
        const busy = a.closest('[aria-busy]')?.getAttribute('aria-busy') === 'true';
        return h && busy && !(h.textContent ?? '').endsWith('word by word') ? getComputedStyle(h).marginTop : '';
      });
      return streaming !== '';
    });
    assert.equal(await chat.settled(), 'done');
    const settled = await answer.locator('h2').evaluate((h) => getComputedStyle(h).marginTop);
    assert.notEqual(settled, '0px');
    assert.equal(streaming, settled, 'the same top margin while streaming and once settled');
  });
});
