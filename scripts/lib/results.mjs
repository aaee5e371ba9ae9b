// One run of a payload in a real VS Code that reports through a JSON file: `npm run test:vscode` (the test counts) and
// `npm run bench:activation` (the activation time) both open a fresh sample workspace, tell the extension host where
// to write, and read what it wrote. The exit code alone cannot carry data, so the file is the payload's answer.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot, runExtensionTests } from './codeServer.mjs';

/**
 * The JSON the extension host wrote to `file`, or why there is none, in words that say where to look.
 * @param {string} file
 * @param {{ code: number | undefined, timedOut: boolean, timeoutMs: number }} run what runExtensionTests returned
 * @param {{ extensionTestsPath?: string, screenshot?: string }} [o] named in the reasons
 * @returns {{ result: any } | { error: string }}
 */
export function readResultFile(file, run, { extensionTestsPath, screenshot } = {}) {
  if (!existsSync(file)) {
    if (run.timedOut) {
      return { error: `no result after ${Math.round(run.timeoutMs / 1000)} s (the run never finished${screenshot ? `; see ${screenshot}` : ''})` };
    }
    const payload = extensionTestsPath ? ` (did ${relative(repoRoot, extensionTestsPath)} load?)` : '';
    return { error: `the extension host exited with code ${run.code} without writing ${file}${payload}` };
  }
  try {
    return { result: JSON.parse(readFileSync(file, 'utf8')) };
  } catch (e) {
    return { error: `unreadable results file ${file}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/**
 * Runs `extensionTestsPath` in a real VS Code (runExtensionTests, this repo as the extension under development) on a
 * fresh sample workspace, with the path of a result file in the extension host's environment variable `resultEnv`,
 * and reads that file. The temporary folder is removed afterwards, also on Ctrl+C. Throws only if VS Code could not
 * be run at all; a missing or unreadable result is `error`.
 * @param {object} o
 * @param {string} o.extensionTestsPath absolute path of the module exporting run()
 * @param {string} o.resultEnv the environment variable that tells the payload where to write its JSON
 * @param {string} [o.screenshot] PNG path, see runExtensionTests
 * @param {number} [o.timeoutMs] see runExtensionTests
 * @param {(line: string) => void} [o.log] see runExtensionTests
 * @returns {Promise<{ run: Awaited<ReturnType<typeof runExtensionTests>>, result?: any, error?: string }>}
 */
export async function runWithResultFile({ extensionTestsPath, resultEnv, ...options }) {
  const dir = mkdtempSync(join(tmpdir(), 'qwen-vscode-run-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir); // Ctrl+C ends the process from inside runExtensionTests
  try {
    // the sample workspace is defined once, in TypeScript, for these runs and for test/vscode/runTest.ts
    const require = createRequire(import.meta.url);
    const { createSampleWorkspace } = require(join(repoRoot, 'out/test/vscode/sampleWorkspace.js'));
    const file = join(dir, 'result.json');
    const run = await runExtensionTests({
      ...options,
      extensionDevelopmentPaths: [repoRoot],
      extensionTestsPath,
      folder: createSampleWorkspace(dir),
      env: { [resultEnv]: file },
    });
    return { run, ...readResultFile(file, run, { extensionTestsPath, screenshot: options.screenshot }) };
  } finally {
    removeDir();
    process.removeListener('exit', removeDir);
  }
}
