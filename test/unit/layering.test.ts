import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from '../support/repoRoot';

// The architecture's one hard rule, checked through the real lint config so it cannot quietly stop applying.
describe('layering: src/core stays pure', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: repoRoot() });
  const lint = async (path: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(repoRoot(), path) });
    return (result?.messages ?? []).map((m) => m.ruleId);
  };

  it('refuses `vscode` imports in src/core', async () => {
    const rules = await lint('src/core/probe.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n");
    assert.ok(rules.includes('no-restricted-imports'), String(rules));
  });

  it('refuses DOM globals in src/core', async () => {
    const rules = await lint('src/core/probe.ts', 'export const t = document.title;\n');
    assert.ok(rules.includes('no-restricted-globals'), String(rules));
  });

  it('refuses reaching into the vscode adapters from src/core', async () => {
    const rules = await lint('src/core/probe.ts', "import { COMMANDS } from '../vscode/ids';\nexport const c = COMMANDS;\n");
    assert.ok(rules.includes('no-restricted-imports'), String(rules));
  });

  it('allows `vscode` in src/vscode', async () => {
    const rules = await lint('src/vscode/probe.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n");
    assert.ok(!rules.includes('no-restricted-imports'), String(rules));
  });
});
