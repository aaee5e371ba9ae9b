#!/usr/bin/env node
// `npm run test:e2e`: UI tests of the real chat view. Starts the fake Qwen server, code-server with this repository
// installed as an extension (qwen.baseUrl → the fake; no DASHSCOPE_API_KEY: the fake's random key is stored through
// the real Set API Key prompt) and Debian's Chromium on the workbench, then runs mocha over out/test/e2e/*.test.js,
// which drive the page through playwright-core (test/e2e/context.ts is what they get). Before each test the
// workbench is put back in a known state (test/e2e/chatPage.ts resetChat); counted by test/support/mochaRun.ts.
// scripts/test.mjs imports runE2ETests() and adds the counts to its line.
// Screenshots land in .tmp/e2e/ (one per failed test, plus the theme shots); QWEN_README_SHOTS=1 also refreshes
// docs/images/. Env: HEADFUL=1, VERBOSE=1 (page errors and console), QWEN_TOOLS_DIR, QWEN_TEST_GREP=<pattern> (only
// the tests whose title matches).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';
import {
  launchChromium, linkExtension, missingTools, repoRoot, startCodeServer, toolPaths, userSettingsFile,
} from './lib/codeServer.mjs';

const require = createRequire(import.meta.url);
const failure = (reason) => ({ passed: 0, failed: 1, skipped: 0, failures: [`UI tests: ${reason}`] });
export const SHOTS_DIR = join(repoRoot, '.tmp', 'e2e');

/**
 * Runs the UI tests and returns their counts; never throws (a broken harness is one failure with its reason).
 * @param {{ buildTests?: boolean, log?: (line: string) => void }} [options] buildTests=false reuses dist/ and out/
 */
export async function runE2ETests({ buildTests = true, log = (line) => console.log(line) } = {}) {
  const paths = toolPaths();
  const missing = missingTools(paths);
  if (missing.length) return failure(`test tools missing (${missing.join(', ')}); run: npm run test-tools`);
  for (const script of buildTests ? ['build.mjs', 'build-tests.mjs'] : []) {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', script)], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) return failure(`scripts/${script} failed:\n${r.stdout}${r.stderr}`);
  }
  const files = readdirSync(join(repoRoot, 'out/test/e2e')).filter((f) => f.endsWith('.test.js')).sort();
  if (!files.length) return failure('no out/test/e2e/*.test.js (did scripts/build-tests.mjs run?)');

  const workDir = mkdtempSync(join(tmpdir(), 'qwen-e2e-'));
  mkdirSync(SHOTS_DIR, { recursive: true });
  // a failure picture from an earlier run would pass for one of this run
  for (const f of readdirSync(SHOTS_DIR)) if (f.startsWith('failed-')) rmSync(join(SHOTS_DIR, f));
  const { startFakeQwen } = require(join(repoRoot, 'out/test/fakes/fakeQwenServer.js'));
  const { createSampleWorkspace } = require(join(repoRoot, 'out/test/vscode/sampleWorkspace.js'));
  // the same module instance the test files get through require('./context')
  const { setE2EContext } = require(join(repoRoot, 'out/test/e2e/context.js'));
  const apiKey = `sk-e2e-${randomBytes(6).toString('hex')}`;
  let fake;
  let server;
  let context;
  let ok = false;
  const cleanup = async () => {
    setE2EContext(undefined);
    await context?.close().catch(() => {});
    await server?.stop();
    await fake?.close();
    context = server = fake = undefined;
  };
  const onSignal = (signal) => {
    log(`[e2e] ${signal}: stopping code-server, Chromium and the fake server`);
    void Promise.race([cleanup(), new Promise((r) => setTimeout(r, 5000))]).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    fake = await startFakeQwen({ apiKey });
    const folder = createSampleWorkspace(workDir);
    linkExtension(workDir);
    const t0 = Date.now();
    server = await startCodeServer({
      paths,
      workDir,
      userSettings: {
        'workbench.colorTheme': 'Default Dark Modern',
        'workbench.startupEditor': 'none',
        'chat.disableAIFeatures': true, // VS Code's own chat would be a second webview beside ours
        'git.openRepositoryInParentFolders': 'never',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'qwen.baseUrl': fake.baseUrl,
        'qwen.model': 'qwen3.6-plus', // thinks by default
      },
      smokeTestDriver: false, // it hides the quick inputs and notifications the tests click
    });
    context = await launchChromium({ paths, workDir });
    const page = context.pages()[0] ?? (await context.newPage());
    if (process.env.VERBOSE) page.on('pageerror', (e) => log(`[page error] ${e.message}`));
    const url = `${server.base}/?folder=${encodeURIComponent(folder)}`;
    await page.goto(url, { timeout: 90_000 });
    log(`[e2e] code-server ${server.base} and Chromium up in ${Date.now() - t0} ms; fake Qwen ${fake.baseUrl}`);

    const settingsFile = userSettingsFile(workDir);
    setE2EContext({
      page,
      fake,
      url,
      apiKey,
      settings: () => JSON.parse(readFileSync(settingsFile, 'utf8')),
      shotsDir: SHOTS_DIR,
      writeReadmeShots: process.env.QWEN_README_SHOTS === '1',
    });
    const results = await runMocha(files.map((f) => join(repoRoot, 'out/test/e2e', f)), { page, fake, apiKey, log });
    ok = results.failed === 0;
    return results;
  } catch (e) {
    return failure(e instanceof Error ? e.message : String(e));
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (ok) rmSync(workDir, { recursive: true, force: true });
    else log(`[e2e] kept ${workDir} (code-server log, profiles) for inspection; screenshots in ${SHOTS_DIR}`);
  }
}

/**
 * Mocha over `files` (counted by test/support/mochaRun.ts), each test starting from a known workbench and, when it
 * failed, leaving a screenshot.
 */
function runMocha(files, { page, fake, apiKey, log }) {
  const { runFiles, failTest } = require(join(repoRoot, 'out/test/support/mochaRun.js'));
  const { resetChat, forgetStoredKey } = require(join(repoRoot, 'out/test/e2e/chatPage.js'));
  forgetStoredKey();
  const mocha = new Mocha({
    reporter: 'spec',
    timeout: 120_000,
    ...(process.env.QWEN_TEST_GREP ? { grep: process.env.QWEN_TEST_GREP } : {}),
    rootHooks: {
      async beforeEach() {
        // a root hook that throws would stop every later test: one reload first, for a workbench a test wrecked
        try {
          await resetChat(page, apiKey);
        } catch (e) {
          log(`    [e2e] resetting the workbench failed (${String(e?.message ?? e).split('\n')[0]}); reloading it`);
          await page.reload();
          await resetChat(page, apiKey);
        }
      },
      async afterEach() {
        const test = this.currentTest;
        // scenarios a test queued but never used would answer the next test's prompts: that test fails, not the next
        const unused = fake.unusedScenarios();
        if (test?.state === 'passed' && unused.length) {
          const reason = `scripted scenarios never used: ${unused.map((u) => u.kind).join(', ')}`;
          log(`    ✖ ${test.title}: ${reason}`);
          failTest(test, reason);
        } else if (test?.state !== 'failed') return;
        const file = join(SHOTS_DIR, `failed-${test.fullTitle().replace(/[^\w-]+/g, '-').slice(0, 80)}.png`);
        await page.screenshot({ path: file }).then(() => log(`    screenshot: ${file}`), () => {});
      },
    },
  });
  for (const f of files) delete require.cache[f]; // a second run in the same process loads the tests again
  return runFiles(mocha, { files, where: 'out/test/e2e' });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await runE2ETests({ buildTests: !process.argv.includes('--reuse-out') });
  if (r.failures.length) console.log(`\nFailed:\n${r.failures.map((f) => `  - ${f}`).join('\n')}`);
  console.log(`\n${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
  process.exit(r.failed ? 1 : 0);
}
