#!/usr/bin/env node
// A stand-in for the VS Code executable that @vscode/test-electron's runTests() launches (its vscodeExecutablePath):
// it takes the Electron-style arguments runTests passes and runs the same tests in code-server + Debian's Chromium
// (lib/codeServer.mjs), for machines that cannot download or display desktop VS Code. Exits with the tests' code.
// The extension host inherits this process's environment, so runTests' extensionTestsEnv reaches the tests.
// `--user-data-dir` is honoured as desktop VS Code does: a second run with the same one opens the same profile
// (code-server's state, Chromium's storage, the same port so the workbench's origin matches), which is what a
// window reload keeps. Without it every run starts from nothing.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SCREENSHOT, runExtensionTests } from './lib/codeServer.mjs';

/** `--extensionDevelopmentPath=… --extensionTestsPath=… [--user-data-dir=…] [folder]`; the rest is Electron's. */
function parseArgs(argv) {
  const o = { extensionDevelopmentPaths: [], extensionTestsPath: undefined, folder: undefined, userDataDir: undefined };
  for (const a of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m?.[1] === 'extensionDevelopmentPath') o.extensionDevelopmentPaths.push(resolve(m[2]));
    else if (m?.[1] === 'extensionTestsPath') o.extensionTestsPath = resolve(m[2]);
    else if (m?.[1] === 'user-data-dir') o.userDataDir = resolve(m[2]);
    // --extensions-dir is ignored: the extension under development is loaded from its folder, nothing else
    else if (!a.startsWith('-') && !o.folder) o.folder = resolve(a);
  }
  return o;
}

const { userDataDir, ...o } = parseArgs(process.argv.slice(2));
if (!o.extensionTestsPath || !o.extensionDevelopmentPaths.length) {
  console.error('code-server-shim: need --extensionDevelopmentPath=… and --extensionTestsPath=…');
  process.exit(2);
}
const scratch = o.folder ? undefined : mkdtempSync(join(tmpdir(), 'qwen-shim-ws-'));
const portFile = userDataDir && join(userDataDir, 'code-server-port');
if (userDataDir) mkdirSync(userDataDir, { recursive: true });
let exitCode;
try {
  const run = await runExtensionTests({
    ...o,
    folder: o.folder ?? scratch,
    screenshot: SCREENSHOT,
    ...(userDataDir ? { workDir: userDataDir } : {}),
    ...(portFile && existsSync(portFile) ? { port: Number(readFileSync(portFile, 'utf8')) } : {}),
  });
  if (portFile) writeFileSync(portFile, String(run.port));
  console.log(`[code-server-shim] ${run.timedOut ? `timed out after ${Math.round(run.timeoutMs / 1000)} s` : `exit code ${run.code}`} after ${run.totalMs} ms`);
  exitCode = run.timedOut ? 124 : run.code;
} catch (e) {
  console.error(`[code-server-shim] ${e instanceof Error ? e.message : String(e)}`);
  exitCode = 2;
} finally {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);
