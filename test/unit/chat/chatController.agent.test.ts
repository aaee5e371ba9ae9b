// The agent inside the chat: a controller with the real workspace tools over a real temp folder, against the fake
// Qwen server. Replies become messages, calls become cards, approvals wait for the card's answer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentHost } from '../../../src/core/chat/ports';
import { WORKSPACE_TOOLS } from '../../../src/core/tools';
import type { ToolCallView } from '../../../src/protocol/chat';
import { tempWorkspace } from '../../support/nodeWorkspace';
import { MemoryStorage } from '../../support/memoryChatHost';
import { nextRequestId, useChatServer, type ChatRig } from './harness';

function copyOf(storage: MemoryStorage): MemoryStorage {
  const copy = new MemoryStorage();
  for (const [name, text] of storage.files) copy.files.set(name, text);
  return copy;
}

type Api = { role: string; content: unknown; tool_calls?: { id: string; function: { name: string } }[]; tool_call_id?: string };

/** The messages as the model reads them: cache markers (placement is tested in the context tests) taken off. */
function unmarked(messages: Api[]): Api[] {
  return messages.map((m) =>
    Array.isArray(m.content) ? ({ ...m, content: (m.content as { text: string }[]).map((p) => p.text).join('') } as Api) : m,
  );
}

describe('Chat with the workspace tools (agent)', () => {
  const qwen = useChatServer();
  let ws: ReturnType<typeof tempWorkspace>;
  beforeEach(() => {
    ws = tempWorkspace({ app: { 'src/math.ts': 'export const add = (a: number, b: number) => a - b;\n', 'README.md': '# app\n' } });
  });
  afterEach(() => ws.cleanup());

  const agentRig = (settings = {}, regional = false): ChatRig & { agent: AgentHost & { allowed: Set<string>; proposals: string[] } } => {
    const allowed = new Set<string>();
    const proposals: string[] = [];
    const agent: AgentHost & { allowed: Set<string>; proposals: string[] } = {
      allowed,
      proposals,
      tools: () => WORKSPACE_TOOLS,
      port: ws.ws,
      isAlwaysAllowed: (tool) => allowed.has(tool),
      allowAlways: async (tool) => void allowed.add(tool),
      showProposal: async (r) => void proposals.push(`${r.relativePath}: ${r.after}`),
      closeProposal: () => undefined,
    };
    const rig = qwen.rig({ settings, regional });
    rig.host.agent = agent;
    // the controller was made with the host object: the agent must be on that same object
    return Object.assign(rig, { agent });
  };

  const cardsOf = (rig: ChatRig, callId: string): ToolCallView[] =>
    rig.host.all('toolCall').filter((m) => m.call.id === callId).map((m) => m.call);

  it('read → edit (approved on its card) → final answer: cards go queued → running → waiting → done, the file is changed, the history is exact', async () => {
    const rig = agentRig();
    qwen.server.script(
      { kind: 'toolCalls', content: 'Let me look.', calls: [{ id: 'call_read', name: 'read_file', arguments: '{"path":"src/math.ts"}' }] },
      { kind: 'toolCalls', calls: [{ id: 'call_edit', name: 'edit_file', arguments: JSON.stringify({ path: 'src/math.ts', edits: [{ search: 'a - b', replace: 'a + b' }] }) }] },
      { kind: 'text', text: 'Fixed: `add` now adds.' },
    );
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'fix add' });
    const waiting = await rig.host.waitFor('toolCall', (m) => m.call.id === 'call_edit' && m.call.status === 'awaitingApproval');
    assert.equal(waiting.call.approval?.question, 'Apply this edit to src/math.ts?');
    assert.equal(waiting.call.approval?.detail, '+1 −1 lines');
    assert.deepEqual(rig.agent.proposals, ['src/math.ts: export const add = (a: number, b: number) => a + b;\n'], 'the diff was opened');
    assert.equal(readFileSync(join(ws.roots[0]!, 'src/math.ts'), 'utf8').includes('a - b'), true, 'nothing written before the answer');

    await rig.chat.handle({ type: 'toolDecision', callId: 'call_edit', approved: true });
    const ended = await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.equal(ended.message.text, 'Fixed: `add` now adds.');
    assert.equal(ended.message.status, 'done');
    assert.equal(readFileSync(join(ws.roots[0]!, 'src/math.ts'), 'utf8'), 'export const add = (a: number, b: number) => a + b;\n');

    assert.deepEqual(cardsOf(rig, 'call_read').map((c) => c.status), ['queued', 'running', 'done']);
    assert.deepEqual(cardsOf(rig, 'call_edit').map((c) => c.status), ['queued', 'running', 'awaitingApproval', 'running', 'done']);
    assert.equal(cardsOf(rig, 'call_read').at(-1)?.subject, 'src/math.ts');
    assert.deepEqual(cardsOf(rig, 'call_edit').at(-1)?.paths, ['src/math.ts']);
    assert.equal(rig.host.all('replyStarted').filter((m) => m.requestId === requestId).length, 2);

    // the third request carried the whole run: each call followed by its result
    const third = unmarked(qwen.server.requests.at(-1)?.body.messages as Api[]);
    assert.deepEqual(third.map((m) => m.role), ['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    assert.equal(third[3]?.tool_call_id, 'call_read');
    assert.match(String(third[3]?.content), /a - b/);
    assert.equal(third[5]?.tool_call_id, 'call_edit');
    assert.ok(Array.isArray((qwen.server.requests.at(-1)?.body as { tools?: unknown[] }).tools));

    // the chat as stored rebuilds the same history for the next prompt
    qwen.server.script({ kind: 'text', text: 'ok' });
    const next = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId: next, text: 'thanks' });
    await rig.host.waitFor('turnEnded', (m) => m.requestId === next);
    const fourth = unmarked(qwen.server.requests.at(-1)?.body.messages as Api[]);
    assert.deepEqual(fourth.map((m) => m.role), ['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'assistant', 'user']);
    assert.deepEqual(fourth.slice(1, 7), third.slice(1).concat([{ role: 'assistant', content: 'Fixed: `add` now adds.' } as Api]));
  });

  it('Deny with a reason: the file stays byte-identical and the model reads the reason', async () => {
    const rig = agentRig();
    const before = readFileSync(join(ws.roots[0]!, 'src/math.ts'));
    qwen.server.script(
      { kind: 'toolCalls', calls: [{ id: 'call_new', name: 'create_file', arguments: JSON.stringify({ path: 'src/extra.ts', content: 'x' }) }] },
      { kind: 'text', text: 'Understood.' },
    );
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'add a file' });
    await rig.host.waitFor('toolCall', (m) => m.call.id === 'call_new' && m.call.status === 'awaitingApproval');
    await rig.chat.handle({ type: 'toolDecision', callId: 'call_new', approved: false, reason: 'not in src' });
    await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.equal(cardsOf(rig, 'call_new').at(-1)?.status, 'denied');
    assert.throws(() => readFileSync(join(ws.roots[0]!, 'src/extra.ts')), /ENOENT/);
    assert.deepEqual(readFileSync(join(ws.roots[0]!, 'src/math.ts')), before);
    const sent = unmarked(qwen.server.requests.at(-1)?.body.messages as Api[]);
    assert.match(String(sent.at(-1)?.content), /not in src/);
  });

  it('Stop while a command waits for approval: the question is withdrawn, the card is cancelled, nothing ran', async () => {
    const rig = agentRig();
    qwen.server.script({ kind: 'toolCalls', calls: [{ id: 'call_cmd', name: 'run_command', arguments: '{"command":"touch ran.txt"}' }] });
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'run it' });
    await rig.host.waitFor('toolCall', (m) => m.call.id === 'call_cmd' && m.call.status === 'awaitingApproval');
    await rig.chat.handle({ type: 'stop', requestId });
    const ended = await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.equal(cardsOf(rig, 'call_cmd').at(-1)?.status, 'cancelled');
    assert.equal(ended.message.toolCalls?.[0]?.status, 'cancelled');
    assert.throws(() => readFileSync(join(ws.roots[0]!, 'ran.txt')), /ENOENT/);
    assert.equal(rig.chat.decideTool('call_cmd', true), false, 'nothing waits any more');
    assert.equal(qwen.server.requests.length, 1, 'no request after Stop');
  });

  it('the turn cap stops the run with a note under the last reply; "always allow" skips the next question', async () => {
    const rig = agentRig({ tools: { autoApprove: { readOnly: true, edits: false, commands: false }, maxTurns: 2 } });
    const read = (id: string) => ({ kind: 'toolCalls' as const, calls: [{ id, name: 'list_directory', arguments: '{}' }] });
    qwen.server.script(read('c1'), read('c2'));
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'look around' });
    const ended = await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.equal(ended.message.agentStop?.reason, 'maxTurns');
    assert.match(ended.message.agentStop?.message ?? '', /maxTurns|continue/);
    assert.equal(qwen.server.requests.length, 2, 'two replies, then the cap');
    assert.equal(ended.message.toolCalls?.[0]?.status, 'done', 'the last reply\'s calls still ran, so "continue" has a valid history');

    qwen.server.script({ kind: 'toolCalls', calls: [{ id: 'c4', name: 'run_command', arguments: '{"command":"echo hi"}' }] }, { kind: 'toolCalls', calls: [{ id: 'c5', name: 'run_command', arguments: '{"command":"echo again"}' }] });
    const second = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId: second, text: 'run' });
    await rig.host.waitFor('toolCall', (m) => m.call.id === 'c4' && m.call.status === 'awaitingApproval');
    await rig.chat.handle({ type: 'toolDecision', callId: 'c4', approved: true, always: true });
    await rig.host.waitFor('turnEnded', (m) => m.requestId === second, 10_000);
    assert.ok(rig.agent.allowed.has('run_command'));
    assert.deepEqual(cardsOf(rig, 'c5').map((c) => c.status), ['queued', 'running', 'done'], 'not asked again');
    assert.match(cardsOf(rig, 'c5').at(-1)?.result ?? '', /again/);
  });

  it('the spend cap: a known price stops the run before the next request; an unknown price says the cap could not be checked', async () => {
    const tools = { autoApprove: { readOnly: true, edits: false, commands: false }, maxTurns: 25, spendCap: 0.000001 };
    const priced = agentRig({ tools, region: 'beijing', model: 'qwen3-coder-plus' }, true);
    qwen.server.script({ kind: 'toolCalls', calls: [{ id: 's1', name: 'list_directory', arguments: '{}' }] });
    const first = nextRequestId();
    await priced.chat.handle({ type: 'send', requestId: first, text: 'look' });
    const capped = await priced.host.waitFor('turnEnded', (m) => m.requestId === first);
    assert.equal(capped.message.agentStop?.reason, 'spendCap');
    assert.equal(qwen.server.requests.length, 1, 'the second request was not sent');
    assert.ok(capped.message.metrics?.cost, 'the reply has a known cost');

    const unpriced = agentRig({ tools });
    qwen.server.script({ kind: 'toolCalls', calls: [{ id: 's2', name: 'list_directory', arguments: '{}' }] }, { kind: 'text', text: 'Here it is.' });
    const second = nextRequestId();
    await unpriced.chat.handle({ type: 'send', requestId: second, text: 'look' });
    const unchecked = await unpriced.host.waitFor('turnEnded', (m) => m.requestId === second);
    assert.equal(unchecked.message.text, 'Here it is.');
    assert.equal(unchecked.message.agentStop?.reason, 'spendUnchecked');
    assert.match(unchecked.message.agentStop?.message ?? '', /price|cost/i);
  });

  it('a later reply that fails is retried from where the run was: earlier replies and their results stay, nothing runs twice', async () => {
    const rig = agentRig();
    qwen.server.script(
      { kind: 'toolCalls', calls: [{ id: 'r1', name: 'read_file', arguments: '{"path":"README.md"}' }] },
      { kind: 'http', status: 400, body: { error: { message: 'bad things', type: 'invalid_request_error', code: 'invalid_parameter_error' } } },
    );
    const requestId = nextRequestId();
    await rig.chat.handle({ type: 'send', requestId, text: 'read the readme' });
    const failed = await rig.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    assert.equal(failed.message.status, 'error');
    const before = (await rig.chat.snapshot()).conversation.messages.map((m) => m.id);
    assert.equal(before.length, 3, 'prompt, the reply with the read, the failed reply');

    qwen.server.script({ kind: 'text', text: 'It says "# app".' });
    const retry = nextRequestId();
    await rig.chat.handle({ type: 'retry', requestId: retry, messageId: failed.message.id });
    const started = await rig.host.waitFor('turnStarted', (m) => m.requestId === retry);
    assert.equal(started.after, before[1], 'the new answer follows the earlier reply');
    const done = await rig.host.waitFor('turnEnded', (m) => m.requestId === retry);
    assert.equal(done.message.text, 'It says "# app".');
    const sent = unmarked(qwen.server.requests.at(-1)?.body.messages as Api[]);
    assert.deepEqual(sent.map((m) => m.role), ['system', 'user', 'assistant', 'tool']);
    const after = (await rig.chat.snapshot()).conversation.messages;
    assert.deepEqual(after.map((m) => m.id).slice(0, 2), before.slice(0, 2));
    assert.equal(after[1]?.toolCalls?.[0]?.status, 'done', 'the read was not run again');
    assert.equal(rig.host.all('toolCall').filter((m) => m.call.id === 'r1').length, 3, 'queued, running, done — once');
  });

  it('after a reload the cards are back (saved with their results) and the next request rebuilds the same history; a run cut by the window closing shows its unfinished card cancelled', async () => {
    const storage = new MemoryStorage();
    const rig = agentRig();
    const first = qwen.rig({ storage });
    first.host.agent = rig.agent;
    qwen.server.script({ kind: 'toolCalls', calls: [{ id: 'k1', name: 'read_file', arguments: '{"path":"README.md"}' }] }, { kind: 'text', text: 'A readme.' });
    const requestId = nextRequestId();
    await first.chat.handle({ type: 'send', requestId, text: 'what is it' });
    await first.host.waitFor('turnEnded', (m) => m.requestId === requestId);
    const sentBefore = unmarked(qwen.server.requests.at(-1)?.body.messages as Api[]);
    await first.chat.dispose();

    const second = qwen.rig({ storage });
    second.host.agent = rig.agent;
    await second.chat.handle({ type: 'ready' });
    const restored = (await second.host.waitFor('snapshot')).snapshot.conversation.messages;
    assert.deepEqual(restored[1]?.toolCalls?.map((c) => [c.id, c.status, c.subject]), [['k1', 'done', 'README.md']]);
    assert.match(restored[1]?.toolCalls?.[0]?.result ?? '', /# app/);
    qwen.server.script({ kind: 'text', text: 'ok' });
    const next = nextRequestId();
    await second.chat.handle({ type: 'send', requestId: next, text: 'and?' });
    await second.host.waitFor('turnEnded', (m) => m.requestId === next);
    const sentAfter = unmarked(qwen.server.requests.at(-1)?.body.messages as Api[]);
    assert.deepEqual(sentAfter.slice(0, 5), [...sentBefore, { role: 'assistant', content: 'A readme.' }]);

    // a window that closed while a command waited: saved as streaming, shown as interrupted with the card cancelled
    const cut = qwen.rig({ storage });
    cut.host.agent = rig.agent;
    qwen.server.script({ kind: 'toolCalls', calls: [{ id: 'k2', name: 'run_command', arguments: '{"command":"true"}' }] });
    const waiting = nextRequestId();
    await cut.chat.handle({ type: 'send', requestId: waiting, text: 'run' });
    await cut.host.waitFor('toolCall', (m) => m.call.id === 'k2' && m.call.status === 'awaitingApproval');
    await new Promise((r) => setTimeout(r, 1100)); // the streaming save (once a second) has the waiting card
    const saved = [...storage.files.values()].find((t) => t.includes('"k2"')) ?? '';
    assert.match(saved, /"awaitingApproval"/, 'the waiting card was saved mid-run');
    const third = qwen.rig({ storage: copyOf(storage) });
    await third.chat.handle({ type: 'ready' });
    const shown = (await third.host.waitFor('snapshot')).snapshot.conversation.messages.at(-1);
    assert.equal(shown?.status, 'interrupted');
    assert.equal(shown?.toolCalls?.[0]?.status, 'cancelled');
    assert.equal(shown?.toolCalls?.[0]?.approval, undefined);
    await cut.chat.handle({ type: 'stop', requestId: waiting });
  });
});
