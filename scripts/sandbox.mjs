#!/usr/bin/env node
// `npm run sandbox`: try the extension in a real VS Code in your browser, offline or with your key.
// Installs the tools if missing (scripts/install-test-tools.sh), builds, starts code-server on 127.0.0.1 with the
// extension loaded from this folder and a small sample workspace, and prints the URL to open.
//   - DASHSCOPE_API_KEY set: the real endpoint (qwen.region / qwen.baseUrl as you set them in the sandbox).
//   - otherwise: a fake Qwen server (test/fakes) answering every prompt with reasoning, markdown and code, and
//     qwen.baseUrl pointing at it, so every feature works offline.
// Ctrl+C stops everything it started (code-server's whole process group, the fake server).
// State (settings, chats) is kept in .tmp/sandbox between runs; `--fresh` starts from nothing.
//   --check   start, open the URL in Chromium, save a fresh .tmp/sandbox.png, stop, verify nothing is left running
//             (part of npm test; --reuse-build skips the builds when dist/ and out/ are fresh)
// Env: SANDBOX_PORT (default a free port), QWEN_TOOLS_DIR.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  launchChromium, linkExtension, missingTools, repoRoot, startCodeServer, toolPaths, userSettingsFile,
} from './lib/codeServer.mjs';

const require = createRequire(import.meta.url);
const checkMode = process.argv.includes('--check');
const workDir = join(repoRoot, '.tmp', checkMode ? 'sandbox-check' : 'sandbox');
const SANDBOX_KEY = 'sk-sandbox';
const SCREENSHOT = join(repoRoot, '.tmp', 'sandbox.png');
const startedAt = Date.now();

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`sandbox: \`${cmd} ${args.join(' ')}\` failed`);
    process.exit(1);
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

if (process.argv.includes('--fresh') || checkMode) rmSync(workDir, { recursive: true, force: true });
if (checkMode) rmSync(SCREENSHOT, { force: true }); // an old picture must not pass this run's check
if (missingTools(toolPaths()).length) step('bash', ['scripts/install-test-tools.sh']);
if (!process.argv.includes('--reuse-build')) {
  step(process.execPath, ['scripts/build.mjs']);
  step(process.execPath, ['scripts/build-tests.mjs']); // the fake server and the sample workspace, as plain JS in out/
}

const realKey = process.env.DASHSCOPE_API_KEY?.trim();
let fake;
// the user's own settings from earlier runs are kept; only what the sandbox depends on is set
const settings = { 'workbench.colorTheme': 'Default Dark Modern', 'workbench.startupEditor': 'none',
  // VS Code's own chat panel would sit next to ours and confuse a newcomer
  'chat.disableAIFeatures': true,
  // the sample workspace sits inside this repository: no "open the parent repository?" prompt
  'git.openRepositoryInParentFolders': 'never', 'workbench.secondarySideBar.defaultVisibility': 'hidden', ...readJson(userSettingsFile(workDir)) };
if (realKey) {
  if (String(settings['qwen.baseUrl'] ?? '').startsWith('http://127.0.0.1:')) delete settings['qwen.baseUrl'];
} else {
  const { startFakeQwen } = require(join(repoRoot, 'out/test/fakes/fakeQwenServer.js'));
  const { showcaseScenario } = require(join(repoRoot, 'out/test/e2e/showcase.js'));
  fake = await startFakeQwen({ apiKey: SANDBOX_KEY });
  fake.defaultScenario = showcaseScenario();
  settings['qwen.baseUrl'] = fake.baseUrl;
  // a model that thinks, so the fake's reasoning matches what the view says the model will do
  settings['qwen.model'] ??= 'qwen3.6-plus';
}

const { createSampleWorkspace } = require(join(repoRoot, 'out/test/vscode/sampleWorkspace.js'));
const folder = createSampleWorkspace(workDir);
linkExtension(workDir); // edits to the repository show after `npm run build` and a window reload
let server;
try {
  server = await startCodeServer({
    workDir,
    userSettings: settings,
    // the extension host inherits code-server's environment: the fake's key stands in for a real one
    env: { DASHSCOPE_API_KEY: realKey || SANDBOX_KEY },
    smokeTestDriver: false, // it would hide notifications from a human
    port: Number(process.env.SANDBOX_PORT) || undefined,
  });
} catch (e) {
  await fake?.close();
  console.error(`sandbox: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
const url = `${server.base}/?folder=${encodeURIComponent(folder)}`;

let stopping;
function stopAll() {
  stopping ??= Promise.all([server.stop(), fake?.close()]);
  return stopping;
}

if (checkMode) {
  process.exit(await check());
}

console.log(`
Qwen Coder sandbox is running (code-server ${server.base}, pid group ${server.pid}).
  ${realKey ? 'Endpoint: the real Qwen API (DASHSCOPE_API_KEY)' : `Endpoint: fake Qwen at ${fake.baseUrl} (offline; set DASHSCOPE_API_KEY for the real one)`}
  State:    ${workDir}   (npm run sandbox -- --fresh to start over)

Open this URL in your browser (the extension is linked from ${repoRoot}):

${url}

Ctrl+C stops it.`);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.log(`\nsandbox: ${signal}, stopping code-server and the fake server`);
    void stopAll().then(() => process.exit(0));
  });
}

/**
 * The sandbox's own test: the URL opens a workbench with the Qwen view, a first prompt gets the fake's answer (when
 * offline), and stopping leaves nothing behind.
 */
async function check() {
  const problems = [];
  let context;
  try {
    context = await launchChromium({ workDir });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    const qwen = page.locator('.activitybar .action-item [aria-label^="Qwen Coder"]').first();
    await qwen.waitFor({ timeout: 60_000 }).catch((e) => problems.push(`no Qwen item in the activity bar: ${e.message.split('\n')[0]}`));
    if (await qwen.count()) await qwen.click();
    const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await view.locator('[data-part="app"]').waitFor({ timeout: 30_000 }).catch(() => problems.push('the chat view did not render'));
    if (fake && !problems.length) {
      // offline, the newcomer's first prompt must get the fake's answer, reasoning included
      const input = view.locator('[data-part="composer-input"]');
      await input.fill('Show me what you can do');
      await input.press('Enter');
      const answer = view.locator('[data-part="message"][data-role="assistant"][data-status="done"]');
      await answer.waitFor({ timeout: 60_000 }).catch(() => problems.push('no answer to a first prompt'));
      if (!problems.length && !(await answer.locator('[data-part="reasoning"]').count())) problems.push('the answer has no reasoning');
    }
    await page.screenshot({ path: SCREENSHOT });
    console.log(`sandbox --check: screenshot ${SCREENSHOT}`);
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  } finally {
    await context?.close().catch(() => {});
  }
  const pgid = server.pid;
  await stopAll();
  // killed processes take a moment to disappear from the process table
  let left = '';
  for (let i = 0; i < 20; i++) {
    left = spawnSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' }).stdout.trim();
    if (!left) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (left) problems.push(`processes left in code-server's group ${pgid}: ${left.split('\n').join(' ')}`);
  if (fake && (await fetch(fake.baseUrl).then(() => true, () => false))) problems.push('the fake server still answers');
  if (!existsSync(SCREENSHOT) || statSync(SCREENSHOT).mtimeMs < startedAt) problems.push('no screenshot from this run');
  for (const p of problems) console.error(`sandbox --check: ${p}`);
  console.log(`sandbox --check: ${problems.length ? 'FAILED' : 'ok'} (started, opened, stopped; nothing left running)`);
  return problems.length ? 1 : 0;
}
