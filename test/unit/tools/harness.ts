// Running a tool as the agent will: arguments checked against its schema first, then `run` with a context whose
// approvals are scripted and recorded.
import assert from 'node:assert/strict';
import { DEFAULT_TOOL_LIMITS, WORKSPACE_TOOLS, createReadLedger } from '../../../src/core/tools/index';
import type { WorkspacePort } from '../../../src/core/tools/port';
import type { ApprovalDecision, ApprovalRequest, ReadLedger, ToolLimits, ToolResult } from '../../../src/core/tools/types';
import { checkArguments } from '../../../src/core/tools/validate';

export interface Rig {
  call(name: string, args: Record<string, unknown>): Promise<ToolResult>;
  approvals: ApprovalRequest[];
  /** What the next approvals answer (default: approved). */
  decide: (request: ApprovalRequest) => ApprovalDecision | Promise<ApprovalDecision>;
  reads: ReadLedger;
  limits: ToolLimits;
  abort: AbortController;
}

export function rig(port: WorkspacePort, limits: Partial<ToolLimits> = {}): Rig {
  const r: Rig = {
    approvals: [],
    decide: () => ({ approved: true }),
    reads: createReadLedger(),
    limits: { ...DEFAULT_TOOL_LIMITS, ...limits },
    abort: new AbortController(),
    async call(name, args) {
      const spec = WORKSPACE_TOOLS.find((t) => t.definition.name === name);
      assert.ok(spec, `no tool ${name}`);
      const problem = checkArguments(spec.definition.parameters, args);
      assert.equal(problem, undefined, `arguments for ${name} do not fit its schema: ${problem}`);
      return spec.run(args, {
        port,
        signal: r.abort.signal,
        reads: r.reads,
        limits: r.limits,
        callId: 'call-1',
        approve: async (request) => {
          r.approvals.push(request);
          return r.decide(request);
        },
      });
    },
  };
  return r;
}
