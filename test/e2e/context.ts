/**
 * What scripts/e2e-tests.mjs hands the UI tests: one code-server with the extension installed, one Chromium page on
 * its workbench, and the fake Qwen server the extension talks to. Starting these takes ~20 s, so the suites share
 * them and put the chat back in a known state themselves (a new chat per test).
 */
import type { Page } from 'playwright-core';
import type { FakeQwenServer } from '../fakes/fakeQwenServer';

export interface E2EContext {
  page: Page;
  fake: FakeQwenServer;
  /** The workbench URL (the sample workspace open, the extension installed). */
  url: string;
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
