/**
 * Opens the harness in Debian's Chromium (playwright-core), plays each scene in dark and light, checks the view
 * (XSS bait inert, no CSP violations, parts present) and saves screenshots to out/webview-harness/shots/.
 *   npm run harness:screenshots            all scenes, dark + light
 *   ... -- --scene streaming --theme hc     one
 * Exit code 1 when a check fails.
 */
import { mkdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { buildHarness } from './build';
import { serveStatic } from './serve';

const SCENES = ['conversation', 'streaming', 'thinking', 'welcome', 'history', 'meter'];
const THEMES = ['dark', 'light'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function checks(page: Page, scene: string): Promise<string[]> {
  return page.evaluate((sceneName) => {
    const w = window as unknown as { __xss?: string; __cspViolations: string[]; __posted: { type: string }[] };
    const problems: string[] = [];
    if (w.__xss) problems.push(`XSS ran: ${w.__xss}`);
    for (const v of w.__cspViolations) problems.push(`CSP violation: ${v}`);
    if (!w.__posted.some((m) => m.type === 'ready')) problems.push('no ready posted');
    const answers = document.querySelectorAll('[data-part="answer"]');
    for (const a of Array.from(answers)) {
      if (a.querySelector('script, iframe, form, input, svg, [onerror], [onclick], [onload], [onmouseover], [style]')) problems.push('unsafe markup in an answer');
      for (const link of Array.from(a.querySelectorAll('a[href]'))) {
        if (!/^(https?:|mailto:|#)/.test(link.getAttribute('href') ?? '')) problems.push(`unsafe link ${link.getAttribute('href')}`);
      }
      const buttons = Array.from(a.querySelectorAll('button'));
      if (buttons.some((b) => !b.closest('.code-toolbar'))) problems.push('a button from model output');
    }
    if (sceneName === 'conversation') {
      if (document.querySelectorAll('[data-part="message"]').length !== 6) problems.push('expected 6 messages');
      if (!document.querySelector('[data-part="error-card"] [data-part="retry-countdown"]')) problems.push('no retry countdown on the error card');
      if (document.querySelectorAll('.code-block').length < 2) problems.push('code blocks not decorated');
      if (!document.querySelector('[data-message-id="m4"] table')) problems.push('no table');
      if (!document.querySelector('[data-message-id="m4"] .hljs-keyword')) problems.push('code not highlighted');
      if (document.querySelector('[data-message-id="m4"] [data-part="reasoning"]')?.hasAttribute('open')) problems.push('reasoning still open after the answer');
      if (!/Thought for 4\.2 s · 61 tokens/.test(document.querySelector('[data-message-id="m4"] [data-part="reasoning-summary"]')?.textContent ?? '')) problems.push('reasoning summary wrong');
      if (document.querySelector('[data-part="live-region"]')?.textContent?.startsWith('Error:') !== true) problems.push('live region did not announce the error');
    }
    if (sceneName === 'thinking' && !/^Thinking… /.test(document.querySelector('[data-message-id="m4"] [data-part="reasoning-summary"]')?.textContent ?? '')) problems.push('no live thinking summary');
    if (sceneName === 'streaming' && !document.querySelector('[data-part="stop"]:not([hidden])')) problems.push('no Stop while streaming');
    if (sceneName === 'welcome' && !document.querySelector('[data-part="welcome"]:not([hidden]) [data-action="setApiKey"]')) problems.push('no welcome');
    return problems;
  }, scene);
}

/** The composer shows its placeholder whole, grows with its text up to a cap (then scrolls) and shrinks back. */
async function composerChecks(page: Page): Promise<string[]> {
  const input = page.locator('[data-part="composer-input"]');
  const size = (): Promise<{ height: number; scrollHeight: number; clientHeight: number; overflow: string }> =>
    input.evaluate((el) => ({ height: el.getBoundingClientRect().height, scrollHeight: el.scrollHeight, clientHeight: el.clientHeight, overflow: getComputedStyle(el).overflowY }));
  const problems: string[] = [];
  const empty = await size();
  if (empty.scrollHeight > empty.clientHeight + 1) problems.push(`the empty composer cuts its placeholder (${empty.scrollHeight} > ${empty.clientHeight})`);
  const lineHeight = await input.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  if (empty.clientHeight < 3 * lineHeight) problems.push(`the empty composer is under three lines (${empty.clientHeight}px)`);
  await input.fill(Array.from({ length: 6 }, (_, i) => `line ${i + 1}`).join('\n'));
  const six = await size();
  if (six.height <= empty.height || six.scrollHeight > six.clientHeight + 1) problems.push(`six lines do not grow the composer to fit (${six.height}px, ${six.scrollHeight}/${six.clientHeight})`);
  await input.fill(Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n'));
  const many = await size();
  if (many.height > 241 || many.overflow !== 'auto') problems.push(`forty lines: ${many.height}px high, overflow ${many.overflow} (want ≤ 240px, scrolling)`);
  await input.fill('');
  const back = await size();
  if (Math.abs(back.height - empty.height) > 1) problems.push(`emptied, the composer did not shrink back (${back.height}px vs ${empty.height}px)`);
  return problems;
}

async function main(): Promise<void> {
  const build = await buildHarness();
  const server = await serveStatic(build.root);
  const shots = join(build.outDir, 'shots');
  mkdirSync(shots, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'qwen-harness-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: Number(arg('width') ?? 420), height: Number(arg('height') ?? 900) },
    deviceScaleFactor: 1,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let failures = 0;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => {
      failures++;
      console.error(`page error: ${e.message}`);
    });
    for (const scene of arg('scene') ? [arg('scene')!] : SCENES) {
      for (const theme of arg('theme') ? [arg('theme')!] : THEMES) {
        await page.goto(`${server.url}/${build.page}?scene=${scene}&theme=${theme}`);
        await page.waitForFunction(() => (window as unknown as { __harnessDone: boolean }).__harnessDone, undefined, { timeout: 20_000 });
        // code rendered while its grammar was cold is highlighted a few tasks later
        await page.waitForFunction(() => !document.querySelector('.highlight-pending'), undefined, { timeout: 10_000 });
        const problems = await checks(page, scene);
        if (scene === 'conversation') problems.push(...(await composerChecks(page)));
        const file = join(shots, `${scene}-${theme}.png`);
        await page.screenshot({ path: file, fullPage: false });
        console.log(`${problems.length ? '✖' : '✔'} ${scene} ${theme} → ${file}`);
        for (const p of problems) console.log(`    ${p}`);
        failures += problems.length;
      }
    }
  } finally {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  process.exitCode = failures ? 1 : 0;
}

void main();
