/**
 * The streaming markdown renderer in Chromium (the DOM half of what test/unit/webview/streamRender.test.ts checks
 * in plain Node): slices merged into lists and tables, code blocks kept while they grow, Stop extending an answer.
 * Runs in its own page of the UI tests' browser, on the real renderer bundled by esbuild.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { repoRoot } from '../support/repoRoot';
import { e2e } from './context';

describe('streamed markdown in Chromium', function () {
  this.timeout(120_000);
  let page: Page;

  before(async () => {
    const built = await esbuild.build({
      entryPoints: [join(repoRoot(), 'test/e2e/streamPage.ts')],
      bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning',
    });
    page = await e2e().page.context().newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: built.outputFiles[0]!.text });
    await page.evaluate(() => window.streamCheck.ready);
    assert.deepEqual(errors, []);
  });

  after(async () => {
    await page?.close();
  });

  it('ends every chunking of hard markdown with the DOM of one render of the whole', async () => {
    const texts = await page.evaluate(() => window.streamCheck.texts());
    assert.ok(texts.length > 50);
    const failures: string[] = [];
    for (const { name, chars } of texts) {
      for (const [chunk, perFrame] of [[1, 1], [16, 1], [16, 32], [1_000_000, 1]] as const) {
        if (chunk === 1 && chars > 2000) continue; // a character at a time only for the short ones
        const r = await page.evaluate(([n, c, f]) => window.streamCheck.streamed(n, c, f), [name, chunk, perFrame] as const);
        if (!r.done) failures.push(`${name} (${chunk}-char chunks): never finished`);
        else if (!r.same) failures.push(`${name} (${chunk}-char chunks, ${perFrame}/frame) differs at ${r.at}:\n  streamed …${r.streamed}…\n  one-shot …${r.oneShot}…`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('Stop then a longer final text extends the answer: the blocks shown stay the same elements', async () => {
    const r = await page.evaluate(() => window.streamCheck.stopThenExtend());
    assert.ok(r.done && r.same, `same DOM as one render: ${r.streamed ?? ''} / ${r.oneShot ?? ''}`);
    assert.equal(r.kept, true, 'the heading, paragraph and list were not rebuilt');
  });

  it('a growing code block keeps its element (and Copy button) from its first line to the end', async () => {
    const r = await page.evaluate(() => window.streamCheck.codeBlockKept());
    assert.equal(r.grew, true, 'the code grew while streaming');
    assert.equal(r.kept, true, 'one element throughout');
    assert.ok(r.pieces >= 3, `highlighted in ${r.pieces} pieces`);
    assert.equal(r.same, true, 'and it ends as one render would build it');
  });
});
