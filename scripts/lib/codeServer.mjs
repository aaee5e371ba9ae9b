// Runs extension tests inside a real VS Code on machines that reach only npm and Debian's apt:
// code-server (VS Code served to a browser, from npm) driven by Debian's Chromium through playwright-core.
// Shared by scripts/vscode-tests.mjs (npm test) and scripts/code-server-shim.mjs (@vscode/test-electron's runTests).
// The tools come from scripts/install-test-tools.sh; see ../shared/TESTING.md for why this recipe.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where both entry points (vscode-tests.mjs and the runTests shim) leave the workbench screenshot. */
export const SCREENSHOT = join(repoRoot, '.tmp', 'vscode-tests.png');

/** The overall limit of one run, loading the workbench included. */
export const DEFAULT_TIMEOUT_MS = Number(process.env.QWEN_VSCODE_TIMEOUT_MS) || 180_000;

/** Where install-test-tools.sh puts things; QWEN_TOOLS_DIR moves the whole folder (e.g. to test a cold install). */
export function toolPaths(toolsDir = process.env.QWEN_TOOLS_DIR || join(repoRoot, '.tools')) {
  return {
    toolsDir,
    node24: join(toolsDir, 'node24/node_modules/node/bin/node'),
    codeServer: join(toolsDir, 'cs/node_modules/code-server/out/node/entry.js'),
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
  };
}

/** Names the missing tools, or returns [] when everything needed is installed. */
export function missingTools(paths = toolPaths()) {
  return [paths.node24, paths.codeServer, paths.chromium].filter((p) => !existsSync(p));
}

// Messages the workbench prints on every run (agent host, chat, sockets, an offline marketplace and GitHub sign-in);
// they drown the test output. Judged by their first line, so their stack traces go with them. VERBOSE=1 shows all.
const CHATTER = [
  /^\[(AgentHost|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)[\]:]/,
  /^(Resolving|Resolved) connection token|^Creating a socket|^Updating additional builtin extensions cache/,
  /^Timed out waiting for authentication provider|ENOTFOUND open-vsx\.org|^Creation of workbench contribution/,
];
const isChatter = (line) => CHATTER.some((re) => re.test(line));

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The user settings.json of a code-server started with `workDir`; VS Code applies edits to it live. */
export function userSettingsFile(workDir) {
  return join(workDir, 'user-data', 'User', 'settings.json');
}

/** Replaces the user settings of the code-server started with `workDir` (theme, qwen.baseUrl, …). */
export function writeUserSettings(workDir, settings) {
  const file = userSettingsFile(workDir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  return file;
}

/**
 * Installs this repository as an extension of the code-server started with `workDir`, by linking it into the
 * extensions folder. The workbench honours an extensionDevelopmentPath payload only under the smoke-test driver,
 * which hides notifications and quick inputs from a human (and from UI tests that click them). Through the link a
 * rebuild (npm run build) plus a window reload picks up changes.
 */
export function linkExtension(workDir) {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const extensionsDir = join(workDir, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  const link = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  rmSync(link, { recursive: true, force: true });
  symlinkSync(repoRoot, link, 'dir');
  // registered up front: code-server registers a new folder only after the first window has listed its extensions
  const id = `${pkg.publisher}.${pkg.name}`;
  const registry = join(extensionsDir, 'extensions.json');
  const entries = [].concat(existsSync(registry) ? JSON.parse(readFileSync(registry, 'utf8')) : []).filter((e) => e?.identifier?.id !== id);
  entries.push({ identifier: { id }, version: pkg.version, location: { $mid: 1, path: link, scheme: 'file' }, relativeLocation: basename(link) });
  writeFileSync(registry, JSON.stringify(entries));
}

/**
 * Starts code-server in its own process group (it spawns extension hosts, file watchers and an agent host, so
 * stopping means killing the group) with every state folder under `workDir`, and waits for /healthz.
 * Without `port` it binds port 0 and reads the port it got from its log, so no other process can take the port
 * between choosing and binding it; a wanted port that is still in use (a previous run shutting down) is retried
 * for a few seconds.
 * DASHSCOPE_API_KEY from this shell never reaches it: tests must not depend on a key outside the clone. Pass it in
 * `env` to give it one (the sandbox does).
 * @param {object} o
 * @param {string} o.workDir every state folder and the log go here
 * @param {Record<string, unknown>} [o.userSettings] written to the user settings.json before start
 * @param {Record<string, string>} [o.env] extra environment for code-server and so its extension hosts
 * @param {boolean} [o.smokeTestDriver] default true: needed for extension test payloads, but it hides toasts, so a
 *   human's sandbox turns it off
 * @param {number} [o.port] default whatever port is free
 * @param {number} [o.startTimeoutMs]
 */
export async function startCodeServer({ paths = toolPaths(), workDir, startTimeoutMs = 30_000, userSettings, env: extraEnv,
  smokeTestDriver = true, port: wantedPort }) {
  const dir = (name) => {
    const p = join(workDir, name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  if (userSettings) writeUserSettings(workDir, userSettings);
  const config = join(workDir, 'code-server.yaml');
  writeFileSync(config, ''); // otherwise it reads (and may create) ~/.config/code-server/config.yaml
  const logFile = join(workDir, 'code-server.log');
  const env = { ...process.env, DASHSCOPE_API_KEY: undefined, ...extraEnv, HOME: dir('home'), XDG_CONFIG_HOME: dir('xdg-config'),
    XDG_DATA_HOME: dir('xdg-data'), XDG_CACHE_HOME: dir('xdg-cache') };
  const t0 = Date.now();
  const args = (port) => [paths.codeServer, '--config', config, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--reconnection-grace-time', '5',
    '--user-data-dir', dir('user-data'), '--extensions-dir', dir('extensions'),
    // without it the workbench ignores the test payload and the run hangs
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : [])];
  for (let attempt = 1; ; attempt++) {
    const started = await startOnce({ node: paths.node24, args: args(wantedPort ?? 0), env, logFile, t0, startTimeoutMs });
    if (!started.inUse || wantedPort === undefined || Date.now() - t0 > 5000) {
      if (started.inUse) throw new Error(`port ${wantedPort} is in use (tried ${attempt} times); its log:\n${tail(logFile)}`);
      return started.server;
    }
    await sleep(250);
  }
}

/** One start of code-server; `inUse` when it could not bind its port. */
async function startOnce({ node, args, env, logFile, t0, startTimeoutMs }) {
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0; // the sandbox's log grows across runs
  const logFd = openSync(logFile, 'a');
  const child = spawn(node, args, { detached: true, stdio: ['ignore', logFd, logFd], env });
  closeSync(logFd);
  let exited = false;
  const exit = new Promise((r) => child.once('exit', () => { exited = true; r(); }));
  child.once('error', () => { exited = true; });
  const logSinceStart = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(logStart);
    } catch {
      return '';
    }
  };

  const stop = async () => {
    if (child.pid === undefined) return;
    const group = (signal) => { try { process.kill(-child.pid, signal); } catch { /* already gone */ } };
    group('SIGTERM');
    await Promise.race([exit, sleep(3000)]);
    group('SIGKILL'); // stragglers of the group outlive the leader
  };
  // a last resort if the caller dies without stopping it; kill() is synchronous, so it works in 'exit'
  const onExit = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', onExit);
  const fail = async (message) => {
    await stop();
    process.removeListener('exit', onExit);
    throw new Error(`${message}; its log:\n${tail(logFile)}`);
  };

  let port;
  for (;;) {
    if (exited) {
      process.removeListener('exit', onExit);
      if (/EADDRINUSE/.test(logSinceStart())) return { inUse: true };
      return fail('code-server exited during start-up');
    }
    if (Date.now() - t0 > startTimeoutMs) return fail(`code-server not healthy after ${startTimeoutMs} ms`);
    port ??= Number(/HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(logSinceStart())?.[1]) || undefined;
    const ok = port !== undefined && (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false));
    if (ok) break;
    await sleep(100);
  }
  return {
    inUse: false,
    server: {
      base: `http://127.0.0.1:${port}`,
      authority: `127.0.0.1:${port}`,
      port,
      logFile,
      pid: child.pid,
      startMs: Date.now() - t0,
      stop: async () => {
        await stop();
        process.removeListener('exit', onExit);
      },
    },
  };
}

/**
 * The workbench URL that opens `folder` with the extension(s) loaded from their folders (and, for extension tests,
 * `extensionTestsPath` run in the extension host, with `env` added to its environment).
 * @param {{ base: string, authority: string }} server what startCodeServer returned
 * @param {{ folder: string, extensionDevelopmentPaths: string[], extensionTestsPath?: string,
 *   env?: Record<string, string> }} o
 */
export function workbenchUrl(server, o) {
  const remote = (p) => `vscode-remote://${server.authority}${p}`;
  const payload = o.extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', remote(p)]);
  if (o.extensionTestsPath) payload.push(['extensionTestsPath', remote(o.extensionTestsPath)]);
  if (o.env && Object.keys(o.env).length) payload.push(['extensionEnvironment', JSON.stringify(o.env)]);
  return `${server.base}/?folder=${encodeURIComponent(o.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Debian's Chromium with a fresh profile; HOME points into `workDir` so nothing lands in the real home. */
export async function launchChromium({ paths = toolPaths(), workDir, headless = !process.env.HEADFUL }) {
  const { chromium } = await import('playwright-core');
  mkdirSync(join(workDir, 'chromium-home'), { recursive: true });
  return chromium.launchPersistentContext(join(workDir, 'chromium-profile'), {
    executablePath: paths.chromium,
    headless,
    viewport: { width: 1400, height: 850 },
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: join(workDir, 'chromium-home') },
    timeout: 60_000,
    // runExtensionTests stops Chromium and code-server together on a signal
    handleSIGINT: false,
    handleSIGTERM: false,
  });
}

/**
 * Opens the workbench on `folder` with the extension(s) under development loaded from their folders, lets VS Code
 * run `extensionTestsPath` in the (remote, Node) extension host, and resolves with the exit code the host reports
 * through window.codeAutomationExit. Never hangs: after `timeoutMs` it resolves with `timedOut`.
 * Always stops code-server and Chromium, also on errors and Ctrl+C. The work folder is kept when the run failed.
 * @param {object} o
 * @param {string[]} o.extensionDevelopmentPaths absolute folders
 * @param {string} o.extensionTestsPath absolute path of the module exporting run()
 * @param {string} o.folder the workspace folder to open
 * @param {Record<string,string>} [o.env] extra environment for the extension host
 * @param {string} [o.screenshot] PNG path; the workbench as it is when the tests end (or time out)
 * @param {number} [o.timeoutMs] overall limit for the test run, default DEFAULT_TIMEOUT_MS (180 s)
 * @param {string} [o.workDir] keep code-server's and Chromium's profiles here, for a later run to open again (a
 *   "window reload"); it is neither emptied nor removed. Default a fresh temp folder, removed after a passing run
 * @param {number} [o.port] code-server's port (a later run on the same profile needs the same origin)
 * @param {(line: string) => void} [o.log]
 * @returns {Promise<{ code: number | undefined, timedOut: boolean, startMs: number, chromiumMs: number,
 *   testsMs: number, totalMs: number, timeoutMs: number, port: number }>} the exit code (0 = passed), how long each
 *   phase took and the port code-server had
 */
export async function runExtensionTests(o) {
  const log = o.log ?? ((line) => console.log(line));
  const paths = toolPaths();
  const missing = missingTools(paths);
  if (missing.length) throw new Error(`VS Code test tools missing (${missing.join(', ')}); run: npm run test-tools`);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const keepWorkDir = o.workDir !== undefined;
  const workDir = o.workDir ?? mkdtempSync(join(tmpdir(), 'qwen-vscode-'));
  const t0 = Date.now();
  let server;
  let context;
  let failed = true;
  const cleanup = async () => {
    await context?.close().catch(() => {});
    context = undefined;
    await server?.stop();
    server = undefined;
  };
  const onSignal = (signal) => {
    log(`[vscode] ${signal}: stopping code-server and Chromium`);
    void Promise.race([cleanup(), sleep(5000)]).finally(() => {
      if (!keepWorkDir) rmSync(workDir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    server = await startCodeServer({ paths, workDir, ...(o.port ? { port: o.port } : {}) });
    log(`[vscode] code-server ${server.base} healthy in ${server.startMs} ms`);
    const t1 = Date.now();
    context = await launchChromium({ paths, workDir });
    const chromiumMs = Date.now() - t1;

    let reportExit;
    const exited = new Promise((r) => (reportExit = r));
    // VS Code forwards the extension host's console through codeAutomationLog (printf-style args)
    await context.exposeFunction('codeAutomationLog', (_type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (process.env.VERBOSE || !isChatter(text)) log(text);
    });
    await context.exposeFunction('codeAutomationExit', (code) => reportExit(code));
    const page = context.pages()[0] ?? (await context.newPage());
    if (process.env.VERBOSE) page.on('pageerror', (e) => log(`[page error] ${e.message}`));

    const url = workbenchUrl(server, o);
    const t2 = Date.now();
    let timer;
    const deadline = new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    // the limit covers loading the workbench too
    const code = await Promise.race([page.goto(url, { timeout: timeoutMs }).then(() => exited), deadline]);
    clearTimeout(timer);
    const testsMs = Date.now() - t2;
    const timedOut = code === 'timeout';
    if (o.screenshot) {
      mkdirSync(dirname(o.screenshot), { recursive: true });
      await sleep(500); // let the workbench paint what the last test opened
      await page.screenshot({ path: o.screenshot }).catch((e) => log(`[vscode] screenshot failed: ${e.message}`));
    }
    failed = timedOut || code !== 0;
    if (timedOut) log(`[vscode] no result after ${timeoutMs} ms; code-server's log ends:\n${tail(server.logFile, 15)}`);
    const totalMs = Date.now() - t0;
    return { code: timedOut ? undefined : Number(code), timedOut, startMs: server.startMs, chromiumMs, testsMs, totalMs, timeoutMs,
      port: server.port };
  } finally {
    await cleanup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (failed) log(`[vscode] kept ${workDir} (code-server log, profiles) for inspection`);
    else if (!keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}
