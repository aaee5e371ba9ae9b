/**
 * The Content Security Policy of the real chat page as the workbench serves it (the unit test in test/vscode checks
 * the HTML we hand VS Code; this checks what the browser enforces): strict, and never violated by our own page while
 * it streams an answer with highlighted code and hostile markup.
 */
import assert from 'node:assert/strict';
import type { ConsoleMessage } from 'playwright-core';
import { ChatPage, eventually } from './chatPage';
import { e2e } from './context';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

declare global {
  interface Window {
    __qwenCspViolations?: Violation[];
    __qwenCspProbe?: number;
  }
}

const HOSTILE = [
  'Some code first:',
  '```ts\nexport function greet(name: string): string {\n  return `Hello, ${name}`;\n}\n```',
  '```python\ndef greet(name):\n    return f"Hello, {name}"\n```',
  'Then markup: <img src=x onerror="document.body.dataset.xss=1"> <script>document.body.dataset.xss=2</script>',
  '<style>body { background: red }</style> <div style="color: red">styled</div>',
  '[click me](javascript:document.body.dataset.xss=3) ![pic](javascript:document.body.dataset.xss=4)',
  '<svg onload="document.body.dataset.xss=6"></svg> <iframe src="javascript:alert(7)"></iframe>',
  '| a | b |\n|---|---|\n| `x` | **y** |',
].join('\n\n');

describe('the chat page\'s Content Security Policy in the workbench (UI)', function () {
  this.timeout(120_000);

  it('is strict, and nothing our page does while streaming code and hostile markup violates it', async () => {
    const { page, fake } = e2e();
    const chat = new ChatPage(page); // open on a new chat (the runner's resetChat)
    const consoleErrors: string[] = [];
    const onConsole = (m: ConsoleMessage) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) consoleErrors.push(m.text());
    };
    page.on('console', onConsole);
    try {
      const csp = (await chat.view.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
      assert.deepEqual(directives.get('default-src'), ["'none'"], csp);
      const scriptSrc = directives.get('script-src') ?? [];
      assert.equal(scriptSrc.length, 1, `script-src: ${scriptSrc.join(' ')}`);
      const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(scriptSrc[0] ?? '')?.[1];
      assert.ok(nonce, `script-src is our nonce only: ${scriptSrc.join(' ')}`);
      for (const name of ['style-src', 'img-src', 'font-src']) {
        const values = directives.get(name) ?? [];
        assert.ok(values.length > 0, `${name} is set`);
        assert.ok(!values.some((v) => /unsafe|\*$|^https?:$/.test(v)), `${name} allows too much: ${values.join(' ')}`);
      }
      // our bundle ran under that nonce (it marks the body); the only other script is VS Code's own bootstrap, which
      // precedes the policy in the document
      assert.equal(await chat.view.locator('body[data-qwen-version]').count(), 1);
      const scripts = await chat.view.locator('script').evaluateAll((ss) => ss.map((s) => [s.id, (s as HTMLScriptElement).nonce]));
      assert.ok(scripts.every(([id, n]) => id === '_vscodeApiScript' || n === nonce), `scripts: ${JSON.stringify(scripts)}`);

      // listen in the page itself; a deliberate inline script proves the listener sees what the CSP blocks
      const app = chat.part('app');
      await app.evaluate((el) => {
        const w = el.ownerDocument.defaultView as Window;
        w.__qwenCspViolations = [];
        el.ownerDocument.addEventListener('securitypolicyviolation', (e) =>
          w.__qwenCspViolations?.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }));
        const probe = el.ownerDocument.createElement('script');
        probe.textContent = 'window.__qwenCspProbe = 1';
        el.ownerDocument.body.append(probe);
      });
      const violations = () => app.evaluate((el) => (el.ownerDocument.defaultView as Window).__qwenCspViolations ?? []);
      assert.equal(await app.evaluate((el) => (el.ownerDocument.defaultView as Window).__qwenCspProbe ?? null), null, 'an inline script ran');
      await eventually('the page to report the blocked probe', async () => (await violations()).some((v) => v.directive === 'script-src-elem'));
      await eventually('the console to report the blocked probe', async () => consoleErrors.some((e) => /inline script/i.test(e)));
      await app.evaluate((el) => ((el.ownerDocument.defaultView as Window).__qwenCspViolations = []));
      consoleErrors.length = 0;

      fake.script({ kind: 'text', text: HOSTILE, chunkSize: 12, tokensPerSecond: 60 });
      await chat.send('Show me code and some HTML.');
      assert.equal(await chat.settled(), 'done');
      const answer = chat.lastAnswer().locator('[data-part="answer"]');
      assert.ok((await answer.locator('pre code .hljs-keyword').count()) > 0, 'the code was highlighted');
      await answer.evaluate((root) => Promise.all([...root.querySelectorAll('img')].map((i) => i.decode().catch(() => {}))));
      await chat.frames();
      assert.deepEqual(await violations(), [], 'CSP violations while streaming');
      assert.deepEqual(consoleErrors, [], 'CSP errors in the console');
      assert.equal(await app.evaluate((el) => el.ownerDocument.body.dataset.xss ?? null), null, 'a payload ran');
    } finally {
      page.off('console', onConsole);
    }
  });
});
