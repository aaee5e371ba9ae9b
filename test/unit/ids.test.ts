import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, CONTEXT_KEYS, SETTINGS, SETTINGS_SECTION, VIEWS } from '../../src/vscode/ids';
import { repoRoot } from '../support/repoRoot';

interface Setting {
  type: string | string[];
  default?: unknown;
  enum?: string[];
  enumDescriptions?: string[];
  markdownDescription?: string;
}

interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string; type?: string }[]>;
    menus: Record<string, { command?: string; submenu?: string; when?: string }[]>;
    submenus?: { id: string; label: string }[];
    keybindings: { command?: string; submenu?: string; when?: string }[];
    configuration: { properties: Record<string, Setting> };
  };
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

  it('the chat view lives in the activity-bar container with its icon', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === VIEWS.container);
    assert.ok(container, 'no activity-bar container');
    assert.ok(existsSync(join(repoRoot(), container.icon)), container.icon);
    assert.deepEqual(manifest.contributes.views[VIEWS.container]?.map((v) => [v.id, v.type]), [[VIEWS.chat, 'webview']]);
  });

  it('every setting in ids.ts is contributed with a description, and nothing else is', () => {
    const props = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(props).sort(), Object.values(SETTINGS).map((k) => `${SETTINGS_SECTION}.${k}`).sort());
    for (const [key, setting] of Object.entries(props)) {
      assert.ok(setting.markdownDescription, `${key} has no markdownDescription`);
      assert.ok('default' in setting, `${key} has no default`);
      if (setting.enum) assert.equal(setting.enumDescriptions?.length, setting.enum.length, `${key} enumDescriptions`);
    }
  });

  it('settings defaults are the ones the design names', () => {
    const props = manifest.contributes.configuration.properties;
    assert.equal(props['qwen.model']?.default, 'qwen3-coder-plus');
    assert.equal(props['qwen.region']?.default, 'singapore');
    assert.deepEqual(props['qwen.region']?.enum, ['singapore', 'beijing', 'virginia']);
    assert.deepEqual(props['qwen.thinking']?.enum, ['auto', 'on', 'off']);
    assert.equal(props['qwen.requestTimeoutSeconds']?.default, 600);
  });

  it('menus and keybindings only name contributed commands; Escape stops only while streaming', () => {
    const commands = new Set(Object.values(COMMANDS) as string[]);
    const submenus = new Set((manifest.contributes.submenus ?? []).map((m) => m.id));
    const used = [...Object.values(manifest.contributes.menus).flat(), ...manifest.contributes.keybindings];
    for (const item of used) {
      // a menu entry names a command, or a submenu that is declared and has its own menu
      if (item.submenu !== undefined) assert.ok(submenus.has(item.submenu) && item.submenu in manifest.contributes.menus, item.submenu);
      else assert.ok(commands.has(item.command ?? ''), item.command);
    }
    const stop = manifest.contributes.keybindings.find((k) => k.command === COMMANDS.stop);
    assert.ok(stop?.when?.includes(CONTEXT_KEYS.streaming), stop?.when);
  });

  it('activation is lazy: VS Code infers it from the view and the commands', () => {
    const events = manifest.activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), events.join(', '));
  });
});
