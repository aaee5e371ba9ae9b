/**
 * What scripts/e2e-tests.mjs hands the UI tests: one code-server with the extension installed, one Chromium page on
 * its workbench, and the fake Qwen server the extension talks to. Starting these takes ~20 s, so the suites share
 * them; before every test the runner puts the workbench back in a known state (chatPage.ts resetChat: the key
 * stored, a new chat), whatever the previous test left.
 */
import type { Page } from 'playwright-core';
import type { FakeQwenServer } from '../fakes/fakeQwenServer';

export interface E2EContext {
  page: Page;
  fake: FakeQwenServer;
  /** The workbench URL (the sample workspace open, the extension installed). */
  url: string;
  /**
   * The only key the fake accepts, random per run. code-server has no DASHSCOPE_API_KEY: the runner stores this key
   * through the real Set API Key prompt before the first test, so a request carrying it proves the stored key was sent.
   */
  apiKey: string;
  /** The user settings.json as it is now (VS Code writes settings changed from the view there). */
  settings(): Record<string, unknown>;
  /** Where screenshots go: failures, and the README's images when asked for. */
  shotsDir: string;
  /** Set (QWEN_README_SHOTS=1): the screenshot test also writes docs/images/. */
  writeReadmeShots: boolean;
}

let current: E2EContext | undefined;

export function setE2EContext(context: E2EContext | undefined): void {
  current = context;
}

export function e2e(): E2EContext {
  if (!current) throw new Error('the UI tests run through scripts/e2e-tests.mjs, which starts code-server and Chromium');
  return current;
}
