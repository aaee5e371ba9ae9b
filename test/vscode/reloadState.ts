// What the first VS Code window's key test leaves for the second (test/vscode/runTest.ts runs both on one profile):
// the endpoint and the key it stored, in QWEN_TEST_STATE.
import assert from 'node:assert/strict';
import { join } from 'node:path';

export interface ReloadState {
  baseUrl: string;
  port: number;
  key: string;
}

export function reloadStateFile(): string {
  const dir = process.env.QWEN_TEST_STATE;
  assert.ok(dir, 'QWEN_TEST_STATE is not set: run the VS Code tests through test/vscode/runTest.ts');
  return join(dir, 'stored-key.json');
}
