#!/usr/bin/env node
// A stand-in for the VS Code executable that @vscode/test-electron's runTests() launches (its vscodeExecutablePath):
// it takes the Electron-style arguments runTests passes and runs the same tests in code-server + Debian's Chromium
// (lib/codeServer.mjs), for machines that cannot download or display desktop VS Code. Exits with the tests' code.
// The extension host inherits this process's environment, so runTests' extensionTestsEnv reaches the tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SCREENSHOT, runExtensionTests } from './lib/codeServer.mjs';

/** `--extensionDevelopmentPath=… --extensionTestsPath=… [folder]`; the rest (sandbox, profile dirs) is Electron's. */
function parseArgs(argv) {
  const o = { extensionDevelopmentPaths: [], extensionTestsPath: undefined, folder: undefined };
  for (const a of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m?.[1] === 'extensionDevelopmentPath') o.extensionDevelopmentPaths.push(resolve(m[2]));
    else if (m?.[1] === 'extensionTestsPath') o.extensionTestsPath = resolve(m[2]);
    // --user-data-dir / --extensions-dir are ignored on purpose: every run gets fresh ones, so no state leaks in
    else if (!a.startsWith('-') && !o.folder) o.folder = resolve(a);
  }
  return o;
}

const o = parseArgs(process.argv.slice(2));
if (!o.extensionTestsPath || !o.extensionDevelopmentPaths.length) {
  console.error('code-server-shim: need --extensionDevelopmentPath=… and --extensionTestsPath=…');
  process.exit(2);
}
const scratch = o.folder ? undefined : mkdtempSync(join(tmpdir(), 'qwen-shim-ws-'));
let exitCode;
try {
  const run = await runExtensionTests({
    ...o,
    folder: o.folder ?? scratch,
    screenshot: SCREENSHOT,
  });
  console.log(`[code-server-shim] ${run.timedOut ? 'timed out' : `exit code ${run.code}`} after ${run.totalMs} ms`);
  exitCode = run.timedOut ? 124 : run.code;
} catch (e) {
  console.error(`[code-server-shim] ${e instanceof Error ? e.message : String(e)}`);
  exitCode = 2;
} finally {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);
