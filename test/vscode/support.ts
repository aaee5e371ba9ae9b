// Shared by the suites that run inside VS Code: finding our extension, its test API, and waiting for the workbench.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { QwenCoderApi } from '../../src/vscode/api';
import { repoRoot } from '../support/repoRoot';

interface Manifest {
  name: string;
  publisher: string;
}

const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as Manifest;
export const extensionId = `${manifest.publisher}.${manifest.name}`;

/** Activates the extension under development and returns its test API (present outside production). */
export async function activateApi(): Promise<QwenCoderApi> {
  const extension = vscode.extensions.getExtension<QwenCoderApi | undefined>(extensionId);
  assert.ok(extension, `extension ${extensionId} not found`);
  const api = await extension.activate();
  assert.ok(api, 'activate() returned no API: is the extension running in production mode?');
  return api;
}

/** Polls until `find` returns something; the workbench and the extension apply changes asynchronously. */
export async function eventually<T>(find: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined || Date.now() > end) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Whether the extension was active when mocha loaded the suites (before any test ran): a suite activating it in its
 * `before` hook must not hide an activation on startup.
 */
export const activeWhenTestsLoaded = vscode.extensions.getExtension(extensionId)?.isActive ?? false;
