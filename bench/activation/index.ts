// The extensionTestsPath entry of `npm run bench:activation`: runs in VS Code's extension host, times the
// extension's activation (from the activate() call to its promise resolving, which covers loading
// dist/extension.js and running its activate()) and writes the figure to QWEN_BENCH_RESULT.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

const SETTLE_MS = 3000;

export interface ActivationResult {
  /** Undefined when the extension was already active before the bench could time it. */
  activateMs?: number;
  alreadyActive: boolean;
  /** Commands the extension contributed that were registered after activation. */
  commands: number;
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension('qwen-coder.qwen-coder');
  if (!ext) throw new Error('extension qwen-coder.qwen-coder not found');
  // the window's own start-up (built-in extensions activating) would otherwise be timed with ours
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const alreadyActive = ext.isActive;
  const t0 = performance.now();
  await ext.activate();
  const activateMs = performance.now() - t0;
  const all = new Set(await vscode.commands.getCommands(true));
  const contributed = (ext.packageJSON.contributes?.commands ?? []) as { command: string }[];
  const result: ActivationResult = {
    ...(alreadyActive ? {} : { activateMs }),
    alreadyActive,
    commands: contributed.filter((c) => all.has(c.command)).length,
  };
  const file = process.env.QWEN_BENCH_RESULT;
  if (file) writeFileSync(file, JSON.stringify(result));
}
