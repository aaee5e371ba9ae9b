/**
 * The inline prompt in the real workbench: select code, run "Qwen: Edit Selection with Instruction…", type the
 * instruction, and the rewrite opens as a diff with Accept / Reject (title bar and notification); Reject leaves the
 * editor's text as it was. The screenshot of the diff flow is the README's.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, runCommand } from './chatPage';
import { e2e } from './context';
import { editorLines, openFile } from './workbench';
import { repoRoot } from '../support/repoRoot';

describe('inline edit with an instruction (UI)', function () {
  this.timeout(120_000);

  it('the instruction on a selection becomes a diff; Reject leaves the text as it was (screenshot)', async () => {
    const { page, fake, shotsDir, writeReadmeShots } = e2e();
    const editor = await openFile(page, 'app.ts');
    await editor.click();
    await page.keyboard.press('Control+A');
    const before = await editorLines(page);
    fake.script({
      kind: 'text',
      tokensPerSecond: 200,
      text: 'Here it is:\n\n```ts\n/** Greets `name` politely. */\nexport function greet(name: string): string {\n  const who = name.trim() || "stranger";\n  return `Hello, ${who}!`;\n}\n\nconsole.log(greet("Qwen"));\n```',
    });
    await runCommand(page, 'Qwen: Edit Selection with Instruction…');
    const input = page.locator('.quick-input-widget input[type="text"]');
    await input.waitFor({ timeout: 10_000 });
    await input.fill('handle an empty name and add a doc comment');
    await input.press('Enter');

    const diffTab = page.locator('.tabs-container .tab').filter({ hasText: 'proposed by Qwen' });
    await diffTab.first().waitFor({ timeout: 20_000 });
    const notice = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Qwen proposes a change to src/app.ts' });
    await notice.first().waitFor({ timeout: 20_000 });
    await eventually('the whole rewrite in the diff', async () => (await page.locator('.editor-instance').last().textContent())?.includes('stranger') === true, 20_000);
    await page.mouse.move(700, 600);
    const shot = join(shotsDir, 'inline-edit.png');
    await page.screenshot({ path: shot });
    if (writeReadmeShots) {
      mkdirSync(join(repoRoot(), 'docs/images'), { recursive: true });
      copyFileSync(shot, join(repoRoot(), 'docs/images', 'inline-edit.png'));
    }
    const sent = fake.requests.at(-1)?.body.messages as { role: string; content: string }[];
    assert.match(JSON.stringify(sent.at(-1)?.content ?? ''), /handle an empty name and add a doc comment/);

    await notice.first().getByRole('button', { name: 'Reject' }).click();
    await eventually('the diff closed', async () => (await diffTab.count()) === 0, 10_000);
    await openFile(page, 'app.ts');
    assert.deepEqual(await editorLines(page), before, 'the text is as it was');
  });
});
