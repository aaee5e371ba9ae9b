// Runs inside a real VS Code extension host (scripts/vscode-tests.mjs or test/vscode/runTest.ts), against the
// extension as VS Code loaded it from this folder: what the unit tests cannot see (manifest as VS Code reads it,
// real registration, the real Output view).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, LOG_CHANNEL_NAME } from '../../../src/vscode/ids';
import { repoRoot } from '../../support/repoRoot';
import { activeWhenTestsLoaded, eventually } from '../support';

interface Manifest {
  name: string;
  publisher: string;
  activationEvents?: string[];
  contributes: { commands: { command: string }[] };
}

const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as Manifest;
const extensionId = `${manifest.publisher}.${manifest.name}`;


describe('Qwen Coder in VS Code', () => {
  let extension: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(extensionId);
    assert.ok(found, `extension ${extensionId} not found; loaded: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
    extension = found;
    await extension.activate();
  });

  it('is the one under development, and activates', () => {
    assert.equal(extension.extensionUri.fsPath, repoRoot(), 'loaded from another folder (an installed copy?)');
    assert.equal(extension.isActive, true);
  });

  it('registers every command its package.json contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (extension.packageJSON as Manifest).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0, 'no commands contributed');
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
  });

  it('ids.ts COMMANDS are exactly the contributed commands', () => {
    const contributed = (extension.packageJSON as Manifest).contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(Object.values(COMMANDS).sort(), contributed);
  });

  it(`${COMMANDS.showLog} opens the "${LOG_CHANNEL_NAME}" log, which holds the activation line`, async () => {
    await vscode.commands.executeCommand(COMMANDS.showLog);
    // The Output view's model is a document with the `output` scheme, synced to extension hosts like any other.
    const isOurs = (d: vscode.TextDocument) => d.uri.scheme === 'output' && d.uri.path.includes(LOG_CHANNEL_NAME);
    const doc = await eventually(() => vscode.workspace.textDocuments.find(isOurs));
    const outputs = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'output').map((d) => d.uri.toString());
    assert.ok(doc, `no output document for "${LOG_CHANNEL_NAME}"; output documents: ${outputs.join(', ') || 'none'}`);
    const activated = await eventually(() => (doc.getText().includes('activated') ? true : undefined));
    assert.ok(activated, `the log does not say the extension activated:\n${doc.getText()}`);
  });

  it('activates lazily: not on startup, and nothing in a plain workspace woke it', () => {
    const events = (extension.packageJSON as Manifest).activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `activationEvents: ${events.join(', ')}`);
    assert.equal(activeWhenTestsLoaded, false, 'already active before any command ran');
  });
});
