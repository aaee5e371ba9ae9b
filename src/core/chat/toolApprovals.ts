/**
 * The questions an agent run asks the user, and their answers. A call that needs approval waits here until the
 * user answers on its card (`toolDecision`) or in the diff editor (Accept / Reject), or until Stop withdraws the
 * question. The policy (`qwen.tools.autoApprove`, "always allow <tool> in this workspace") is applied first, so a
 * call that is allowed never asks.
 */
import type { ToolApprovalView } from '../../protocol/chat';
import type { ApprovalDecision, ApprovalRequest, ToolAccess } from '../tools/types';
import type { AgentHost, ToolSettings } from './ports';

/** What the answer may carry besides yes/no. */
export interface UserDecision {
  approved: boolean;
  reason?: string;
  /** Remember "yes" for this tool in this workspace. */
  always?: boolean;
}

/** What a call asks: the card's question, and the kind of permission it needs. */
export interface Question {
  callId: string;
  tool: string;
  access: ToolAccess | 'secretRead';
  view: ToolApprovalView;
  /** An edit: shown as a diff while the question waits. */
  proposal?: Extract<ApprovalRequest, { kind: 'edit' }>;
}

export class ToolApprovals {
  private readonly waiting = new Map<string, { question: Question; answer(decision: UserDecision): void }>();

  constructor(private readonly agentHost: () => AgentHost | undefined) {}

  private get agent(): AgentHost | undefined {
    return this.agentHost();
  }

  /** True when `question` needs no asking under `settings` and what the user allowed before. */
  allowed(question: Pick<Question, 'tool' | 'access'>, settings: ToolSettings): boolean {
    // Reading a secret-looking file is asked every time: neither a setting nor "always" covers it.
    if (question.access === 'secretRead') return false;
    const auto = settings.autoApprove;
    const bySetting = question.access === 'read' ? auto.readOnly : question.access === 'write' ? auto.edits : auto.commands;
    return bySetting || this.agent?.isAlwaysAllowed(question.tool) === true;
  }

  /**
   * Waits for the user's answer to `question` (`show` puts the question on the card first). Stop answers "no" with
   * its own reason. The diff of an edit is open while it waits, and closed once answered.
   */
  async ask(question: Question, signal: AbortSignal, show: () => void): Promise<ApprovalDecision> {
    if (signal.aborted) return { approved: false, reason: 'The user stopped the run.' };
    const decision = await new Promise<UserDecision>((resolve) => {
      const onAbort = (): void => {
        this.answer(question.callId, { approved: false, reason: 'The user stopped the run.' });
      };
      this.waiting.set(question.callId, {
        question,
        answer: (d) => {
          signal.removeEventListener('abort', onAbort);
          resolve(d);
        },
      });
      signal.addEventListener('abort', onAbort, { once: true });
      show();
      if (question.proposal) void this.showProposal(question.callId);
    });
    if (question.proposal) await this.agent?.closeProposal?.(question.callId);
    if (decision.approved && decision.always === true) await this.agent?.allowAlways(question.tool);
    return decision.approved ? { approved: true } : decision.reason !== undefined ? { approved: false, reason: decision.reason } : { approved: false };
  }

  /** The user's answer for `callId`; false when nothing waits for it (already answered, or stopped). */
  answer(callId: string, decision: UserDecision): boolean {
    const waiting = this.waiting.get(callId);
    if (!waiting) return false;
    this.waiting.delete(callId);
    waiting.answer(decision);
    return true;
  }

  /** Opens the diff of a waiting edit (again). */
  async showProposal(callId: string): Promise<boolean> {
    const proposal = this.waiting.get(callId)?.question.proposal;
    if (!proposal || !this.agent?.showProposal) return false;
    try {
      await this.agent.showProposal(proposal);
      return true;
    } catch {
      // The card still asks: the diff is a convenience.
      return false;
    }
  }

  get pending(): number {
    return this.waiting.size;
  }
}

/** The card's question for an approval request of a tool. */
export function questionFor(request: ApprovalRequest): Question {
  switch (request.kind) {
    case 'edit': {
      const { added, removed } = lineChanges(request.before, request.after);
      return {
        callId: request.callId,
        tool: request.tool,
        access: 'write',
        proposal: request,
        view: {
          kind: 'edit',
          question: request.create ? `Create ${request.relativePath}?` : `Apply this edit to ${request.relativePath}?`,
          detail: `+${added} −${removed} lines`,
          canShowDiff: true,
        },
      };
    }
    case 'command':
      return {
        callId: request.callId,
        tool: request.tool,
        access: 'command',
        view: { kind: 'command', question: `Run this command in ${request.relativeCwd || 'the workspace folder'}?`, detail: request.command },
      };
    case 'secretRead':
      return {
        callId: request.callId,
        tool: request.tool,
        access: 'secretRead',
        view: { kind: 'secretRead', question: `${request.relativePath} may hold secrets. Let Qwen read it?` },
      };
  }
}

/**
 * Lines added and removed: the common prefix and suffix are cut, then the changed middle is compared line by line
 * (longest common subsequence) when it is small enough; a huge rewrite counts its whole middle.
 */
export function lineChanges(before: string, after: string): { added: number; removed: number } {
  const a = before === '' ? [] : before.split(/\r?\n/);
  const b = after === '' ? [] : after.split(/\r?\n/);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const x = a.slice(start, a.length - end);
  const y = b.slice(start, b.length - end);
  const common = x.length * y.length <= 4_000_000 ? commonLines(x, y) : 0;
  return { added: y.length - common, removed: x.length - common };
}

/** Length of the longest common subsequence of two line lists (one row of the table at a time). */
function commonLines(x: readonly string[], y: readonly string[]): number {
  let row = new Uint32Array(y.length + 1);
  for (const line of x) {
    const next = new Uint32Array(y.length + 1);
    for (let j = 0; j < y.length; j++) next[j + 1] = line === y[j] ? row[j]! + 1 : Math.max(row[j + 1]!, next[j]!);
    row = next;
  }
  return row[y.length] ?? 0;
}
