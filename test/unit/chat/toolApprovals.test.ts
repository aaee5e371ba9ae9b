import assert from 'node:assert/strict';
import { DEFAULT_TOOL_SETTINGS, type AgentHost } from '../../../src/core/chat/ports';
import { ToolApprovals, lineChanges, questionFor } from '../../../src/core/chat/toolApprovals';
import type { ApprovalRequest } from '../../../src/core/tools/types';

function agentHost(): AgentHost & { always: Set<string>; shown: string[]; closed: string[] } {
  const always = new Set<string>();
  const shown: string[] = [];
  const closed: string[] = [];
  return {
    always,
    shown,
    closed,
    tools: () => [],
    port: undefined as never,
    isAlwaysAllowed: (tool) => always.has(tool),
    allowAlways: async (tool) => {
      always.add(tool);
    },
    showProposal: async (r) => {
      shown.push(r.callId);
    },
    closeProposal: (id) => void closed.push(id),
  };
}

const edit: ApprovalRequest = { kind: 'edit', tool: 'edit_file', callId: 'c1', path: '/w/a.ts', relativePath: 'a.ts', before: 'a\nb\nc\n', after: 'a\nB\nc\nd\n', create: false };
const command: ApprovalRequest = { kind: 'command', tool: 'run_command', callId: 'c2', command: 'npm test', cwd: '/w', relativeCwd: '' };
const secret: ApprovalRequest = { kind: 'secretRead', tool: 'read_file', callId: 'c3', path: '/w/.env', relativePath: '.env' };

describe('Tool approvals', () => {
  it('the policy: reads run, edits and commands ask by default; settings and "always" allow them; secret reads always ask', () => {
    const host = agentHost();
    const approvals = new ToolApprovals(() => host);
    const s = DEFAULT_TOOL_SETTINGS;
    assert.equal(approvals.allowed({ tool: 'read_file', access: 'read' }, s), true);
    assert.equal(approvals.allowed(questionFor(edit), s), false);
    assert.equal(approvals.allowed(questionFor(command), s), false);
    assert.equal(approvals.allowed(questionFor(edit), { ...s, autoApprove: { ...s.autoApprove, edits: true } }), true);
    assert.equal(approvals.allowed({ tool: 'read_file', access: 'read' }, { ...s, autoApprove: { ...s.autoApprove, readOnly: false } }), false);
    host.always.add('run_command');
    assert.equal(approvals.allowed(questionFor(command), s), true);
    host.always.add('read_file');
    const all = { readOnly: true, edits: true, commands: true };
    assert.equal(approvals.allowed(questionFor(secret), { ...s, autoApprove: all }), false, 'neither a setting nor "always" covers a secret');
  });

  it('an edit waits for the answer with its diff open; the answer closes it; a reason comes back; "always" is remembered', async () => {
    const host = agentHost();
    const approvals = new ToolApprovals(() => host);
    let asked = 0;
    const waiting = approvals.ask(questionFor(edit), new AbortController().signal, () => asked++);
    assert.equal(asked, 1);
    assert.equal(approvals.pending, 1);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(host.shown, ['c1']);
    assert.equal(approvals.answer('c1', { approved: false, reason: 'use a const' }), true);
    assert.deepEqual(await waiting, { approved: false, reason: 'use a const' });
    assert.deepEqual(host.closed, ['c1']);
    assert.equal(approvals.answer('c1', { approved: true }), false, 'answered already');

    const again = approvals.ask(questionFor(command), new AbortController().signal, () => undefined);
    approvals.answer('c2', { approved: true, always: true });
    assert.deepEqual(await again, { approved: true });
    assert.equal(host.always.has('run_command'), true);
  });

  it('Stop withdraws a waiting question as a refusal, and one asked after Stop is refused at once', async () => {
    const approvals = new ToolApprovals(() => agentHost());
    const stop = new AbortController();
    const waiting = approvals.ask(questionFor(command), stop.signal, () => undefined);
    stop.abort();
    assert.deepEqual(await waiting, { approved: false, reason: 'The user stopped the run.' });
    assert.equal(approvals.pending, 0);
    let shown = false;
    assert.deepEqual(await approvals.ask(questionFor(edit), stop.signal, () => (shown = true)), { approved: false, reason: 'The user stopped the run.' });
    assert.equal(shown, false);
  });

  it('questions name the file, the folder or the command; an edit counts its lines', () => {
    assert.deepEqual(questionFor(edit).view, { kind: 'edit', question: 'Apply this edit to a.ts?', detail: '+2 −1 lines', canShowDiff: true });
    assert.equal(questionFor({ ...edit, create: true, before: '' }).view.question, 'Create a.ts?');
    assert.deepEqual(questionFor(command).view, { kind: 'command', question: 'Run this command in the workspace folder?', detail: 'npm test' });
    assert.match(questionFor(secret).view.question, /\.env may hold secrets/);
    assert.deepEqual(lineChanges('', 'a\nb'), { added: 2, removed: 0 });
    assert.deepEqual(lineChanges('same\n', 'same\n'), { added: 0, removed: 0 });
    assert.deepEqual(lineChanges('a\nx\nb\ny\nc', 'a\nb\nc'), { added: 0, removed: 2 }, 'two lines gone from the middle');
  });
});
