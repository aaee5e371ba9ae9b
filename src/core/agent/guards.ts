/**
 * What keeps a run from going on forever or costing too much: the spend so far against the cap, and the same call
 * failing again and again (a model stuck retrying what cannot work).
 */
import type { AssistantTurn, ToolCallRequest } from '../events';
import type { ToolResult } from '../tools/types';
import type { AgentLimits } from './types';

export const DEFAULT_REPEATED_FAILURES = 3;

/**
 * Adds up `costOf(usage)` per reply. A reply whose cost is unknown (no price for the model, or no usage chunk) makes
 * the total a lower bound: the cap still stops the run once the known part reaches it, `spent` is not reported,
 * and `uncheckedNote` says so once, in the result.
 */
export class SpendMeter {
  private known = 0;
  private unknownReplies = 0;
  private replies = 0;

  constructor(private readonly limits: AgentLimits) {}

  add(turn: Pick<AssistantTurn, 'usage' | 'error' | 'content' | 'reasoning' | 'toolCalls'>): void {
    const usage = turn.usage;
    // A reply that failed before producing anything was not billed (only generated tokens are); one that was cut
    // after some output without reporting usage cost something we cannot know.
    const produced = turn.content !== '' || turn.reasoning !== '' || turn.toolCalls.length > 0;
    if (usage === undefined && turn.error !== undefined && !produced) return;
    this.replies++;
    const cost = usage === undefined ? undefined : this.limits.costOf?.(usage);
    if (cost === undefined || !Number.isFinite(cost) || cost < 0) this.unknownReplies++;
    else this.known += cost;
  }

  /** True when the cap is set and the money known to be spent has reached it. */
  get capReached(): boolean {
    return this.limits.spendCap !== undefined && this.known >= this.limits.spendCap;
  }

  /** The run's cost when every reply's cost is known. */
  get spent(): number | undefined {
    return this.unknownReplies === 0 && this.limits.costOf !== undefined ? this.known : undefined;
  }

  /** The known part (a lower bound when some costs are unknown). */
  get knownSpent(): number {
    return this.known;
  }

  get unknown(): boolean {
    return this.unknownReplies > 0;
  }

  /** For the user, when a cap was set but could not be fully checked. */
  get uncheckedNote(): string | undefined {
    const cap = this.limits.spendCap;
    if (cap === undefined || this.unknownReplies === 0) return undefined;
    const which = this.unknownReplies === this.replies ? 'any reply' : `${this.unknownReplies} of ${this.replies} replies`;
    return (
      `The spend cap (${formatMoney(cap)}) could not be checked for ${which}: the cost is unknown ` +
      '(no price for this model and region, or the server reported no token usage).'
    );
  }
}

export function formatMoney(amount: number): string {
  return amount >= 1 ? amount.toFixed(2) : amount.toPrecision(2);
}

/**
 * Counts the same call (tool name + arguments, key order ignored) failing in a row. Any other result in between —
 * a success, or a different failing call — starts the count again.
 */
export class FailureStreak {
  private key: string | undefined;
  private count = 0;
  private worst: { call: ToolCallRequest; result: ToolResult; count: number } | undefined;

  constructor(private readonly limit: number) {}

  record(call: ToolCallRequest, result: ToolResult): void {
    if (result.ok) {
      this.key = undefined;
      this.count = 0;
      return;
    }
    const key = `${call.name}\u0000${normalizedArguments(call)}`;
    this.count = key === this.key ? this.count + 1 : 1;
    this.key = key;
    if (this.count >= this.limit && this.worst === undefined) this.worst = { call, result, count: this.count };
  }

  /** The call that reached the limit, if one did. */
  get tripped(): { call: ToolCallRequest; result: ToolResult; count: number } | undefined {
    return this.worst;
  }
}

function normalizedArguments(call: ToolCallRequest): string {
  return call.arguments !== undefined ? stableStringify(call.arguments) : call.argumentsText.trim();
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
