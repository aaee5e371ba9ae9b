import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../src/vscode/ids';
import { repoRoot } from '../support/repoRoot';

interface Manifest {
  contributes: { commands: { command: string; title: string; category?: string }[] };
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  main: string;
}

describe('public ids match package.json', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as Manifest;

  it('every command id in ids.ts is contributed, and every contributed command is in ids.ts', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
  });

  it('commands are in the "Qwen" category', () => {
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Qwen', c.command);
  });

  it('engines.vscode is no newer than 1.139 and @types/vscode is at the same minor', () => {
    const engine = /^\^?(\d+)\.(\d+)/.exec(manifest.engines.vscode);
    const types = /^\^?(\d+)\.(\d+)/.exec(manifest.devDependencies['@types/vscode'] ?? '');
    assert.ok(engine && types, 'both versions present');
    assert.ok(Number(engine[1]) === 1 && Number(engine[2]) <= 139, manifest.engines.vscode);
    assert.equal(types[2], engine[2], '@types/vscode minor must equal engines.vscode minor');
    assert.ok(!manifest.devDependencies['@types/vscode']?.startsWith('^'), '@types/vscode pinned, so it cannot drift past the engine');
  });

  it('main points at the esbuild bundle', () => {
    assert.equal(manifest.main, './dist/extension.js');
  });
});
