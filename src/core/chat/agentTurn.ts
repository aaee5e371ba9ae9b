/**
 * A chat turn with the workspace tools: the agent loop (`runAgent`) streams each reply into its own assistant
 * message, and each tool call of a reply becomes a card on that message — queued, waiting for the user, running,
 * then its result. The messages and cards live in the conversation (saved while the run goes on), so a reload shows
 * the run as far as it got and the next request's history is rebuilt from them exactly.
 */
import type { ChatMessageView, ConversationView, ToolCallStatus, ToolCallView } from '../../protocol/chat';
import { runAgent } from '../agent/agentLoop';
import type { AgentStop, ReplyRequest } from '../agent/types';
import type { AssistantTurn, ToolCallRequest } from '../events';
import { QwenError } from '../errors';
import { getModel } from '../models';
import { estimateCost, priceFor } from '../pricing';
import { resolveBaseUrl } from '../endpoints';
import type { ToolContext, ToolResult, ToolSpec } from '../tools/types';
import { agentSystemPrompt } from './agentPrompt';
import type { ConversationStore } from './conversationStore';
import { newId } from './conversationStore';
import { DEFAULT_TOOL_SETTINGS, type AgentHost } from './ports';
import { questionFor, type Question, type ToolApprovals } from './toolApprovals';
import type { Connection, TurnOptions } from './turn';
import { DEFAULT_TOOL_LIMITS, createReadLedger } from '../tools';

export interface AgentTurnOptions extends Omit<TurnOptions, 'history' | 'draft'> {
  agent: AgentHost;
  tools: readonly ToolSpec[];
  connection: Connection;
  approvals: ToolApprovals;
  conversation: ConversationView;
  store: ConversationStore;
  history: TurnOptions['history'];
  /** The first reply's (empty) message, already in the conversation and shown. */
  draft: ChatMessageView;
  /** The message now streaming changed: the active turn follows it (Stop, snapshots). */
  onReply(draft: ChatMessageView): void;
}

/** Runs the agent; returns the final copy of the last reply (the one `turnEnded` carries). */
export async function runAgentTurn(o: AgentTurnOptions): Promise<ChatMessageView> {
  const { host, settings, conversation, store } = o;
  const now = host.now ?? Date.now;
  const toolSettings = settings.tools ?? DEFAULT_TOOL_SETTINGS;
  const model = getModel(settings.model);
  const definitions = o.tools.map((t) => t.definition);
  const names = definitions.map((d) => d.name);
  const system = agentSystemPrompt(o.agent.port.folders());
  const reads = createReadLedger();
  const region = resolveBaseUrl(settings);
  const price = region.ok && region.region !== undefined ? priceFor(settings.model, region.region) : undefined;

  let draft = o.draft;
  let final: ChatMessageView | undefined;
  /**
   * Each call's card, by reply and position: the loop may rename a call whose id collides with an earlier one (text
   * calls are `call_text_0` in every reply), and the card then takes the name the history uses.
   */
  const cards = new Map<string, { message: ChatMessageView; id: string }>();
  const keyOf = (replyIndex: number, index: number): string => `${replyIndex}:${index}`;
  const byCallId = (callId: string): string | undefined => [...cards].find(([, c]) => c.id === callId)?.[0];

  const setCall = (key: string | undefined, patch: Partial<ToolCallView>): void => {
    const card = key === undefined ? undefined : cards.get(key);
    const message = card?.message;
    const at = message?.toolCalls?.findIndex((c) => c.id === card?.id) ?? -1;
    const current = message?.toolCalls?.[at];
    if (!card || !message || !current) return;
    const next: ToolCallView = { ...current, ...patch };
    if (next.status !== 'awaitingApproval') delete next.approval;
    message.toolCalls![at] = next;
    card.id = next.id;
    host.post({ type: 'toolCall', requestId: o.requestId, messageId: message.id, call: next });
    store.saveStreaming(conversation);
  };

  const ask = async (question: Question, signal: AbortSignal) => {
    if (o.approvals.allowed(question, toolSettings)) return { approved: true as const };
    const key = byCallId(question.callId);
    const decision = await o.approvals.ask(question, signal, () => setCall(key, { status: 'awaitingApproval', approval: question.view }));
    if (decision.approved) setCall(key, { status: 'running' });
    return decision;
  };

  const makeContext = (callId: string): ToolContext => ({
    port: o.agent.port,
    signal: o.signal,
    reads,
    limits: DEFAULT_TOOL_LIMITS,
    callId,
    approve: (request) => ask(questionFor(request), o.signal),
  });

  // Read-only tools ask only when `qwen.tools.autoApprove.readOnly` is off (and the user never said "always").
  const tools: ToolSpec[] = o.tools.map((spec) =>
    spec.access !== 'read'
      ? spec
      : {
          ...spec,
          run: async (args, ctx) => {
            const question: Question = { callId: ctx.callId, tool: spec.definition.name, access: 'read', view: { kind: 'secretRead', question: `Let Qwen run ${spec.definition.name}?`, detail: subjectOf(args) ?? '' } };
            const decision = await ask(question, ctx.signal);
            return decision.approved ? spec.run(args, ctx) : refused(spec.definition.name, decision.reason);
          },
        },
  );

  const sendReply = async (request: ReplyRequest): Promise<AssistantTurn> => {
    if (request.replyIndex > 0) {
      // The reply before made tool calls and they have run: it is final, and the next one streams below it.
      draft.status = 'done';
      const previous = { ...draft };
      draft = { id: newId(), role: 'assistant', text: '', status: 'streaming', model: settings.model, createdAt: now() };
      conversation.messages.push(draft);
      o.timing.startedAt = now();
      delete o.timing.reasoningStartedAt;
      delete o.timing.answerStartedAt;
      o.onReply(draft);
      host.post({ type: 'replyStarted', requestId: o.requestId, previous, assistant: { ...draft } });
      await store.save(conversation);
    }
    const body = o.connection.build({
      messages: request.messages,
      system,
      tools: definitions,
      parallelToolCalls: true,
      preserveThinking: model.supportsPreserveThinking,
      // The run's messages start with the history, so the summary covers the same first messages in every reply.
      ...(o.summary && { summary: o.summary }),
    });
    if ('failed' in body) {
      final = { ...draft, status: 'error', error: body.failed };
      return { reasoning: '', content: '', toolCalls: [], partial: true, error: new QwenError({ kind: 'badRequest', message: body.failed.message }) };
    }
    const streamed = await o.connection.stream(body, draft, names);
    final = streamed.final;
    const turn = streamed.turn ?? { reasoning: '', content: '', toolCalls: [], partial: true };
    if (turn.toolCalls.length > 0 && !turn.error) {
      // The reply stays "streaming" in the chat while its calls run; its figures are final already.
      const { metrics, reasoningMs } = final;
      if (metrics) draft.metrics = metrics;
      if (reasoningMs !== undefined) draft.reasoningMs = reasoningMs;
      draft.toolCalls = turn.toolCalls.map((call) => cardFor(call));
      turn.toolCalls.forEach((call, i) => {
        cards.set(keyOf(request.replyIndex, call.index), { message: draft, id: call.id });
        host.post({ type: 'toolCall', requestId: o.requestId, messageId: draft.id, call: draft.toolCalls![i]! });
      });
      store.saveStreaming(conversation);
    }
    return turn;
  };

  const result = await runAgent({
    history: o.history,
    tools,
    sendReply,
    makeContext,
    limits: {
      maxTurns: toolSettings.maxTurns,
      ...(toolSettings.spendCap !== undefined && { spendCap: toolSettings.spendCap }),
      ...(price && { costOf: (usage) => estimateCost(usage, price).amount }),
    },
    observer: {
      toolCallStarted: (call, replyIndex) => setCall(keyOf(replyIndex, call.index), { id: call.id, status: 'running' }),
      toolCallEnded: (call, r, replyIndex) => setCall(keyOf(replyIndex, call.index), { id: call.id, ...settled(r, o.signal.aborted) }),
    },
    signal: o.signal,
  });

  // Calls the run never got to (Stop, a limit) settle as cancelled, with what the model was told.
  for (const [key, card] of cards) {
    const call = card.message.toolCalls?.find((c) => c.id === card.id);
    if (call && (call.status === 'queued' || call.status === 'running' || call.status === 'awaitingApproval')) {
      const told = result.results.get(card.id);
      setCall(key, told ? { ...settled(told, true), status: 'cancelled' } : { status: 'cancelled', summary: 'Not run: the run stopped first.' });
    }
  }
  const last: ChatMessageView = final ?? { ...draft, status: o.signal.aborted ? 'stopped' : 'done' };
  const withCards: ChatMessageView = draft.toolCalls ? { ...last, toolCalls: draft.toolCalls } : last;
  return stopNote(withCards, result.stop, result.spendUnchecked);
}

/** A card for a call just made: queued until the loop starts it. */
function cardFor(call: ToolCallRequest): ToolCallView {
  const view: ToolCallView = { id: call.id, name: call.name, argumentsText: call.argumentsText, status: 'queued' };
  const subject = call.arguments ? subjectOf(call.arguments) : undefined;
  if (subject !== undefined) view.subject = subject;
  return view;
}

/** The path, pattern or command a call is about. */
function subjectOf(args: Record<string, unknown>): string | undefined {
  for (const key of ['path', 'command', 'pattern', 'glob', 'query']) {
    const value = args[key];
    if (typeof value === 'string' && value.trim() !== '') return value.length > 120 ? `${value.slice(0, 119)}…` : value;
  }
  return undefined;
}

/** A call's card once it has a result; one that failed because the user stopped the run is cancelled, not failed. */
function settled(r: ToolResult, stopped: boolean): Partial<ToolCallView> {
  const status: ToolCallStatus = r.ok ? 'done' : stopped ? 'cancelled' : r.denied ? 'denied' : 'failed';
  const patch: Partial<ToolCallView> = { status, summary: r.summary, result: r.content };
  if (r.paths && r.paths.length > 0) patch.paths = r.paths;
  return patch;
}

function refused(tool: string, reason: string | undefined): ToolResult {
  const why = reason ? ` Their reason: ${reason}` : '';
  return { ok: false, denied: true, content: `The user did not allow ${tool} this time.${why}`, summary: reason ? `Denied: ${reason}` : 'Denied' };
}

/** A run stopped by a limit says so under its last reply, with how to go on; so does a cap that could not be checked. */
function stopNote(message: ChatMessageView, stop: AgentStop, spendUnchecked: string | undefined): ChatMessageView {
  if (stop.reason === 'maxTurns' || stop.reason === 'spendCap' || stop.reason === 'runaway' || stop.reason === 'truncated') {
    const text = spendUnchecked ? `${stop.message} ${spendUnchecked}` : stop.message;
    return { ...message, agentStop: { reason: stop.reason, message: text } };
  }
  if (spendUnchecked) return { ...message, agentStop: { reason: 'spendUnchecked', message: spendUnchecked } };
  return message;
}
