/**
 * The chat view in a real workbench (code-server in Debian's Chromium), against the fake Qwen server: what a user
 * sees while an answer streams, when they stop it, when the key is wrong, after a reload, and with hostile output.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { estimateTokens } from '../fakes/scenarios';
import { ChatPage, eventually, hostStreaming, runCommand, setKey, typeKey } from './chatPage';
import { e2e } from './context';
import { setTextSetting } from './workbench';

// Long enough to be seen mid-stream: ~4 s of reasoning, then ~4 s of answer, at 25 chunks/s.
const REASONING = 'Step one: read the question carefully. Step two: recall how debouncing works in TypeScript. '.repeat(4);
const ANSWER = 'A **debounce** waits until calls stop for `wait` ms, then runs once.\n\n' +
  '```ts\nconst search = debounce((q: string) => run(q), 250);\n```\n\nThat keeps the search box calm. '.repeat(2);
const slow = { chunkSize: 4, tokensPerSecond: 25 };
const count = (n: number) => n.toLocaleString('en-US');
const num = (s: string | undefined) => Number((s ?? '').replace(/,/g, ''));

describe('chat view in code-server (UI)', function () {
  this.timeout(120_000);
  let chat: ChatPage;

  // the runner's root beforeEach (test/e2e/chatPage.ts resetChat) opens the view on a new chat with the key stored
  before(() => {
    chat = new ChatPage(e2e().page);
  });

  it('streams a thinking model\'s reasoning and answer into separate blocks, live', async () => {
    const { fake } = e2e();
    const before = fake.requests.length;
    fake.script({ kind: 'thinking', reasoning: REASONING, text: ANSWER, ...slow });
    await chat.send('How do I debounce a search box?');

    const answer = chat.lastAnswer();
    const reasoning = answer.locator('[data-part="reasoning"]');
    const answerBody = answer.locator('[data-part="answer"]');
    // while the model thinks: reasoning grows in an open block, no answer yet, composer busy
    await eventually('reasoning text while streaming', async () => (await chat.text(reasoning)).includes('Step one'));
    assert.equal(await chat.status(answer), 'streaming');
    assert.equal(await reasoning.evaluate((d) => (d as HTMLDetailsElement).open), true, 'the reasoning block is open while it streams');
    assert.equal((await chat.text(answerBody)).trim(), '', 'no answer text before the reasoning is done');
    // the summary counts while it thinks: a running timer and an estimated token count, both growing
    const summary = answer.locator('[data-part="reasoning-summary"]');
    const live = async () => {
      const m = /Thinking… (\d+(?:\.\d+)?) s · ~(\d[\d,]*) tokens/.exec(await chat.text(summary));
      return m ? { seconds: Number(m[1]), tokens: num(m[2]) } : undefined;
    };
    const first = await live();
    assert.ok(first, `the summary while thinking: "${await chat.text(summary)}"`);
    const seen: string[] = [];
    await eventually('the thinking timer and token count to grow', async () => {
      seen.push(await chat.text(summary));
      const now = await live();
      return now !== undefined && now.seconds > first.seconds && now.tokens > first.tokens;
    }).catch((e: Error) => assert.fail(`${e.message}; the summary read: ${[...new Set(seen)].slice(0, 12).join(' | ')}`));
    assert.equal(await chat.part('stop').isVisible(), true, 'Stop is offered while streaming');
    assert.equal(await chat.part('composer-input').isDisabled(), true, 'the composer is disabled while streaming');
    await chat.page.screenshot({ path: join(e2e().shotsDir, 'chat-thinking-live.png') }); // for a human to look at

    // the answer starts while the message still streams: it goes to its own block, the reasoning block closes
    await eventually('answer text while still streaming', async () =>
      (await chat.text(answerBody)).includes('debounce') && (await chat.status(answer)) === 'streaming');
    assert.equal(await reasoning.evaluate((d) => (d as HTMLDetailsElement).open), false, 'the reasoning collapses when the answer starts');
    assert.ok(!(await chat.text(answerBody)).includes('Step one'), 'reasoning never leaks into the answer');

    assert.equal(await chat.settled(), 'done');
    assert.equal(await chat.text(reasoning.locator('.reasoning-text')), REASONING, 'the whole reasoning, in its block');
    assert.match(await chat.text(answerBody), /That keeps the search box calm\./);
    assert.equal(await answerBody.locator('pre code').count(), 2, 'code blocks rendered as code');
    assert.equal(await answerBody.locator('strong').first().textContent(), 'debounce');
    // once done, the server's counts: the fake reports ceil(chars / 4) tokens for reasoning and answer
    const reasoningTokens = estimateTokens(REASONING);
    const outTokens = reasoningTokens + estimateTokens(ANSWER);
    assert.match(await chat.text(summary), new RegExp(`^Thought for \\d+(\\.\\d+)? s · ${count(reasoningTokens)} tokens$`));
    const metrics = await chat.text(answer.locator('[data-part="metrics"]'));
    const m = /^(\d[\d,]*) in · (\d[\d,]*) out · (\d[\d,]*) reasoning · TTFT (\d+(?:\.\d+)?) s · (\d+(?:\.\d+)?) tok\/s/.exec(metrics);
    assert.ok(m, `metrics line: "${metrics}"`);
    assert.ok(num(m[1]) > 0, `tokens in: ${metrics}`);
    assert.equal(num(m[2]), outTokens, `tokens out: ${metrics}`);
    assert.equal(num(m[3]), reasoningTokens, `reasoning tokens: ${metrics}`);
    assert.ok(Number(m[5]) > 0, `tokens/s: ${metrics}`);
    // qwen3.6-plus thinks by default, so `auto` sends no enable_thinking at all
    const sent = fake.requests.slice(before).find((r) => r.path.endsWith('/chat/completions'));
    assert.equal(sent?.body.model, 'qwen3.6-plus');
    assert.ok(sent && !('enable_thinking' in sent.body), `enable_thinking sent: ${JSON.stringify(sent?.body.enable_thinking)}`);
    assert.equal(sent?.body.stream, true);
    assert.equal(await chat.part('composer-input').isDisabled(), false, 'the composer is usable again');
  });

  it('Stop mid-stream aborts the request and keeps the partial answer', async () => {
    const { fake } = e2e();
    const before = fake.requests.length;
    const long = 'This sentence arrives slowly so that it can be stopped halfway. '.repeat(12);
    fake.script({ kind: 'text', text: long, ...slow });
    await chat.send('Write something long.');
    const answerBody = chat.lastAnswer().locator('[data-part="answer"]');
    await eventually('some answer text', async () => (await chat.text(answerBody)).length > 40);
    assert.equal(await hostStreaming(chat.page), true, 'the status bar shows the answer streaming');
    await chat.part('stop').click();

    assert.equal(await chat.settled(), 'stopped');
    await eventually('the server to see the client hang up', async () => fake.requests.slice(before).some((r) => r.closedBeforeEnd));
    // what stays once the host has ended the turn too (its final copy reaches the view after Stop's own update)
    await eventually('the host to end the turn (no spinner in the status bar)', async () => !(await hostStreaming(chat.page)));
    await chat.frames();
    const partial = (await chat.text(answerBody)).trim();
    assert.ok(partial.length > 40, `the partial answer stays (${partial.length} chars)`);
    assert.ok(long.startsWith(partial.slice(0, 40)), 'what stays is the beginning of the answer');
    assert.ok(partial.length < long.trim().length, 'the answer really was cut');
    assert.match(await chat.text(chat.lastAnswer().locator('[data-part="status-marker"]')), /Stopped/);
    // and nothing more arrives after that
    await chat.frames(3);
    assert.equal((await chat.text(answerBody)).trim(), partial);
    assert.equal(await chat.part('composer-input').isDisabled(), false);
  });

  it('a wrong key: the 401 card names the endpoint; Set API key stores the right one, the answer follows, a reload keeps it', async () => {
    const { fake, page, apiKey } = e2e();
    // a wrong key typed into the real password prompt replaces the right one (code-server has no DASHSCOPE_API_KEY)
    await setKey(page, 'sk-wrong-key');
    const before = fake.requests.length;
    await chat.send('Hello?');
    assert.equal(await chat.settled(), 'error');
    assert.equal(fake.requests.at(-1)?.headers.authorization, 'Bearer sk-wrong-key', 'the stored key was sent');
    const card = chat.lastAnswer().locator('[data-part="error-card"]');
    const text = await chat.text(card);
    assert.match(text, /127\.0\.0\.1:\d+/, `the card names the endpoint used: ${text}`);
    const actions = await card.locator('button[data-action]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-action')));
    // a custom base URL has no region to switch to, so the second action opens the settings (the regional case,
    // with Switch region, is covered in Node by test/unit/chat against a regional URL)
    assert.deepEqual(actions, ['setApiKey', 'openSettings']);

    fake.script({ kind: 'text', text: 'Hello with the right key.' });
    await card.locator('button[data-action="setApiKey"]').click();
    await typeKey(page, apiKey);
    await eventually('the answer, re-sent once the key is stored', async () => (await chat.text(chat.lastAnswer())).includes('Hello with the right key.'));
    assert.equal(await chat.settled(), 'done');
    const sent = fake.requests.slice(before).map((r) => r.headers.authorization);
    assert.deepEqual(sent, ['Bearer sk-wrong-key', `Bearer ${apiKey}`]);
    assert.equal(await chat.messages().count(), 2, 'the failed answer was replaced, the prompt not repeated');

    // stored in SecretStorage, not only held by this extension host: after a reload the new one still sends it
    await page.reload();
    await chat.open();
    await chat.newChat();
    fake.script({ kind: 'text', text: 'Still the right key.' });
    await chat.send('Do you still have my key?');
    assert.equal(await chat.settled(), 'done');
    assert.equal(fake.requests.at(-1)?.headers.authorization, `Bearer ${apiKey}`);
  });

  it('no key yet: a welcome with the region choice instead of the chat; its Set API key stores a key for that region', async () => {
    const { page, fake, settings } = e2e();
    // a Model Studio region with no key stored (the fake's base URL has one, so no region is asked first)
    const welcome = chat.part('welcome');
    await setTextSetting(page, 'qwen.baseUrl', '', () => welcome.isVisible());
    try {
      assert.equal(await chat.part('composer').isVisible(), false, 'no composer without a key');
      const region = chat.part('region-choice');
      assert.equal(await region.inputValue(), 'singapore');
      await region.selectOption('beijing');
      await eventually('qwen.region saved from the welcome', async () => settings()['qwen.region'] === 'beijing');

      await welcome.locator('button[data-action="setApiKey"]').click();
      await typeKey(page, 'sk-beijing-e2e', /Beijing/);
      await eventually('the chat instead of the welcome', async () => !(await welcome.isVisible()) && chat.part('composer-input').isVisible());
      assert.match(await chat.text(chat.part('endpoint-label')), /Beijing/);
      await runCommand(page, 'Qwen: Clear API Key'); // the Beijing key, while Beijing is the endpoint
      await eventually('the welcome again once the key is cleared', () => welcome.isVisible());
      await region.selectOption('singapore');
      await eventually('qwen.region back to Singapore', async () => settings()['qwen.region'] === 'singapore');
    } finally {
      await setTextSetting(page, 'qwen.baseUrl', fake.baseUrl, async () => settings()['qwen.baseUrl'] === fake.baseUrl);
      await eventually('the fake server as the endpoint again', async () => /127\.0\.0\.1/.test(await chat.text(chat.part('endpoint-label'))));
    }
  });

  it('after a window reload the conversation is still there, reasoning included', async () => {
    const { fake, page } = e2e();
    fake.script({ kind: 'thinking', reasoning: 'Remember me: the reasoning survives a reload.', text: 'And **so does** the answer.' });
    await chat.send('Will you remember this?');
    assert.equal(await chat.settled(), 'done');

    await page.reload();
    await chat.open();
    await eventually('the restored conversation', async () => (await chat.messages().count()) === 2, 60_000);
    const answer = chat.lastAnswer();
    assert.equal(await chat.text(chat.messages().first()), 'Will you remember this?');
    assert.equal(await chat.text(answer.locator('.reasoning-text')), 'Remember me: the reasoning survives a reload.');
    assert.equal(await chat.text(answer.locator('[data-part="answer"] strong')), 'so does');
    assert.equal(await chat.status(answer), 'done');
  });

  it('renders an answer full of XSS payloads inert', async () => {
    const { fake } = e2e();
    const payload = [
      'Here: <img src=x onerror="window.top.__qwenXss=1;document.body.dataset.xss=1">',
      '<script>document.body.dataset.xss = 2</script>',
      '[click me](javascript:document.body.dataset.xss=3) and [data](data:text/html,<script>alert(1)</script>)',
      '![pic](javascript:document.body.dataset.xss=4) <a href="javascript:alert(5)">raw link</a>',
      '<svg onload="document.body.dataset.xss=6"></svg> <iframe src="javascript:alert(7)"></iframe>',
      // the few tags kept as markup come out bare, whatever attributes the model gave them
      '<b onmouseover="document.body.dataset.xss=8" style="color:red">bare b</b> <kbd onclick="alert(9)">K</kbd> <sup/onload=alert(10)>2</sup> x<br onerror=alert(11)>y',
      '<code><img src=x onerror="document.body.dataset.xss=12"></code> <kbd><img/src=x/onerror=document.body.dataset.xss=13></kbd>',
      '| cell | <b title="x" onclick="alert(14)">tag</b><br style="x"> |\n|---|---|\n| <sup>1</sup> | `<br>` |',
      '![tracker](https://example.com/track.png) and ![inline](data:image/png;base64,iVBORw0KGgo=)',
      '**bold still works**',
    ].join('\n\n');
    // the page's CSP reports anything the browser refused (a style attribute, a remote image)
    await chat.part('app').evaluate(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    fake.script({ kind: 'text', text: payload });
    await chat.send('Show me some HTML.');
    assert.equal(await chat.settled(), 'done');
    const answerBody = chat.lastAnswer().locator('[data-part="answer"]');
    // every image has loaded or failed (a broken one has fired its onerror by then), and the view has painted
    await eventually('the images to settle', () => answerBody.evaluate((root) => [...root.querySelectorAll('img')].every((i) => i.complete)));
    await answerBody.locator('table').scrollIntoViewIfNeeded();
    await chat.frames();
    await chat.page.screenshot({ path: join(e2e().shotsDir, 'chat-raw-html.png') }); // for a human to look at

    const found = await answerBody.evaluate((root) => ({
      xss: document.body.dataset.xss ?? null,
      scripts: root.querySelectorAll('script, iframe, svg, object, embed').length,
      handlers: [...root.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
      hrefs: [...root.querySelectorAll('a[href], img[src]')].map((e) => e.getAttribute('href') ?? e.getAttribute('src')),
      kept: [...root.querySelectorAll('b, kbd, sup, br')].map((e) => `${e.tagName.toLowerCase()}${[...e.attributes].map((a) => ` ${a.name}`).join('')}`),
      images: [...root.querySelectorAll('img')].map((e) => e.getAttribute('src')),
      tracker: root.querySelector('a[href="https://example.com/track.png"]')?.textContent ?? null,
      csp: (window as unknown as { __csp: string[] }).__csp,
    }));
    assert.equal(found.xss, null, 'no payload ran');
    assert.equal(found.scripts, 0, 'no script, iframe, svg, object or embed element');
    assert.deepEqual(found.handlers, [], 'no event handler attributes');
    for (const href of found.hrefs) assert.doesNotMatch(String(href), /^\s*(javascript|data:(?!image\/png;base64,))/i, `unsafe URL kept: ${href}`);
    assert.ok(found.kept.length >= 7, `b, kbd, sup and br kept as markup: ${found.kept.join(', ')}`);
    assert.deepEqual(found.kept.filter((t) => t.includes(' ')), [], 'no attribute on a kept tag');
    assert.deepEqual(found.images, ['data:image/png;base64,iVBORw0KGgo='], 'only the inline image loads; the remote one is a link');
    assert.equal(found.tracker, 'tracker');
    assert.deepEqual(found.csp, [], 'nothing the CSP had to refuse');
    // the raw HTML is shown as text, so the user sees what the model wrote
    assert.match(await chat.text(answerBody), /<img src=x onerror=/);
    assert.equal(await answerBody.locator('strong').last().textContent(), 'bold still works');
  });
});
