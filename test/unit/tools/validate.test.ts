// Argument checks: each message names the argument and what to send, so the model can fix its call.
import assert from 'node:assert/strict';
import { WORKSPACE_TOOLS } from '../../../src/core/tools/index';
import { checkArguments } from '../../../src/core/tools/validate';
import { isProbablyBinary, isSecretLooking } from '../../../src/core/tools/paths';

const schemaOf = (name: string) => {
  const spec = WORKSPACE_TOOLS.find((t) => t.definition.name === name);
  assert.ok(spec);
  return spec.definition.parameters;
};

describe('tools: argument checks', () => {
  const read = schemaOf('read_file');
  const edit = schemaOf('edit_file');

  it('accepts arguments that fit, and null for optional ones', () => {
    assert.equal(checkArguments(read, { path: 'a.ts' }), undefined);
    assert.equal(checkArguments(read, { path: 'a.ts', start_line: 3, end_line: null }), undefined);
    assert.equal(checkArguments(edit, { path: 'a', edits: [{ search: 'x', replace: '' }] }), undefined);
    assert.equal(checkArguments(schemaOf('get_open_editors'), {}), undefined);
  });

  it('names a missing required argument and its type', () => {
    assert.match(checkArguments(read, {}) ?? '', /`path` is required \(string\)/);
    assert.match(checkArguments(read, { path: null }) ?? '', /`path` is required \(string\)/);
  });

  it('says what a wrong type should be', () => {
    assert.match(checkArguments(read, { path: 7 }) ?? '', /`path` must be a string, not number 7/);
    assert.match(checkArguments(read, { path: 'a', start_line: '12' }) ?? '', /`start_line` must be an integer, not the string "12"/);
    assert.match(checkArguments(read, { path: 'a', start_line: 1.5 }) ?? '', /`start_line` must be an integer/);
    assert.match(checkArguments(schemaOf('search_text'), { query: 'x', regex: 'yes' }) ?? '', /`regex` must be a boolean/);
    assert.match(checkArguments(edit, { path: 'a', edits: 'x' }) ?? '', /`edits` must be an array of objects/);
  });

  it('checks minimum and enum', () => {
    assert.match(checkArguments(read, { path: 'a', start_line: 0 }) ?? '', /`start_line` must be at least 1, not 0/);
    const schema = { type: 'object', properties: { mode: { type: 'string', enum: ['a', 'b'] } } };
    assert.match(checkArguments(schema, { mode: 'c' }) ?? '', /`mode` must be one of "a", "b", not the string "c"/);
    assert.equal(checkArguments(schema, { mode: 'b' }), undefined);
  });

  it('checks array items by index, nested required fields and unknown nested fields', () => {
    const msg = checkArguments(edit, { path: 'a', edits: [{ search: 'x', replace: 'y' }, { search: 'x' }, { search: 1, replace: '', extra: 1 }] }) ?? '';
    assert.match(msg, /`edits\[1\]\.replace` is required \(string\)/);
    assert.match(msg, /`edits\[2\]\.search` must be a string/);
    assert.match(msg, /Unknown argument `edits\[2\]\.extra`; the known ones are `edits\[2\]\.search`, `edits\[2\]\.replace`/);
  });

  it('refuses unknown arguments, listing the known ones', () => {
    const msg = checkArguments(read, { path: 'a', startLine: 3 }) ?? '';
    assert.match(msg, /Unknown argument `startLine`; the known ones are `path`, `start_line`, `end_line`/);
    assert.match(checkArguments(schemaOf('get_open_editors'), { x: 1 }) ?? '', /this takes no arguments/);
  });

  it('refuses arguments that are not an object, and reports every problem at once', () => {
    assert.match(checkArguments(read, [1]) ?? '', /must be a JSON object, not an array/);
    const msg = checkArguments(read, { start_line: 'x', bogus: true }) ?? '';
    assert.match(msg, /`path` is required/);
    assert.match(msg, /`start_line` must be an integer/);
    assert.match(msg, /Unknown argument `bogus`/);
    assert.match(msg, /Send the call again/);
  });

  it('every tool declares an object schema whose required names are properties', () => {
    for (const { definition } of WORKSPACE_TOOLS) {
      assert.equal(definition.parameters.type, 'object', definition.name);
      const props = definition.parameters.properties as Record<string, unknown>;
      for (const r of (definition.parameters.required as string[] | undefined) ?? []) assert.ok(r in props, `${definition.name}.${r}`);
      assert.ok(definition.description.length > 80, definition.name);
    }
  });
});

describe('tools: secret-looking and binary files', () => {
  it('flags files that usually hold credentials', () => {
    for (const p of ['.env', 'app/.env', '.env.local', '.env.production', 'prod.env', 'certs/server.pem', 'tls.key', 'id_rsa', '.ssh/config',
      'home/id_ed25519', 'id_ecdsa_sk.pub', 'store.p12', 'a.pfx', 'release.jks', 'debug.keystore', '.npmrc', '.netrc', 'credentials',
      'credentials.json', '.aws/config', 'secrets.yaml', '.git-credentials']) {
      assert.ok(isSecretLooking(p), p);
    }
  });

  it('leaves source and templates alone', () => {
    for (const p of ['id_utils.ts', 'src/id_map.py', 'ids.ts', '.env.example', '.env.sample', 'credentials.ts', 'src/credentialsStore.ts',
      'secrets.py', 'keyboard.ts', 'monkey.js', 'README.md', 'environment.ts', 'src/env.ts', 'pem.ts']) {
      assert.ok(!isSecretLooking(p), p);
    }
  });

  it('calls bytes binary on a NUL in the first 8 KB or mostly invalid UTF-8, not on UTF-8 text', () => {
    const enc = new TextEncoder();
    assert.ok(isProbablyBinary(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01])));
    assert.ok(isProbablyBinary(new Uint8Array(Array.from({ length: 200 }, (_, i) => 0x80 + (i % 64)))));
    assert.ok(!isProbablyBinary(enc.encode('plain ascii\n')));
    assert.ok(!isProbablyBinary(enc.encode('ünïcødé ✓ 日本語 '.repeat(1000))));
    assert.ok(!isProbablyBinary(new Uint8Array()));
    const late = new Uint8Array(9000).fill(0x61);
    late[8500] = 0;
    assert.ok(!isProbablyBinary(late), 'a NUL after the first 8 KB is not looked at');
  });
});
