import assert from 'node:assert/strict';
import { DeltaCoalescer, type CoalescerTimer, type Delta } from '../../../src/core/chat/deltaCoalescer';

/** A timer that fires only when the test says so. */
function manualTimer(): CoalescerTimer & { fire(): void; pending: number; delays: number[] } {
  const callbacks = new Map<number, () => void>();
  let next = 0;
  const timer = {
    delays: [] as number[],
    get pending() {
      return callbacks.size;
    },
    set(callback: () => void, ms: number) {
      timer.delays.push(ms);
      callbacks.set(++next, callback);
      return next;
    },
    clear(handle: unknown) {
      callbacks.delete(handle as number);
    },
    fire() {
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const cb of due) cb();
    },
  };
  return timer;
}

describe('DeltaCoalescer', () => {
  it('emits everything pushed within one interval as a single delta, reasoning apart from content', () => {
    const timer = manualTimer();
    const out: Delta[] = [];
    const c = new DeltaCoalescer((d) => out.push(d), { timer, intervalMs: 16 });
    c.push('reasoning', 'Let me ');
    c.push('reasoning', 'think.');
    c.push('content', 'Hello');
    c.push('content', ', world');
    assert.deepEqual(out, [], 'nothing before the timer fires');
    assert.equal(timer.pending, 1, 'one timer for the whole burst');
    assert.deepEqual(timer.delays, [16]);
    timer.fire();
    assert.deepEqual(out, [{ reasoning: 'Let me think.', content: 'Hello, world' }]);
  });

  it('starts a new interval after each emit and stays quiet when nothing arrived', () => {
    const timer = manualTimer();
    const out: Delta[] = [];
    const c = new DeltaCoalescer((d) => out.push(d), { timer });
    c.push('content', 'a');
    timer.fire();
    timer.fire();
    c.push('content', 'b');
    c.push('content', '');
    timer.fire();
    assert.deepEqual(out, [
      { reasoning: '', content: 'a' },
      { reasoning: '', content: 'b' },
    ]);
  });

  it('flush() emits at once and cancels the timer, so a following retry or end message keeps its order', () => {
    const timer = manualTimer();
    const events: string[] = [];
    const c = new DeltaCoalescer((d) => events.push(`delta:${d.content}`), { timer });
    c.push('content', 'partial');
    c.flush();
    events.push('ended');
    assert.equal(timer.pending, 0);
    timer.fire();
    c.flush();
    assert.deepEqual(events, ['delta:partial', 'ended']);
  });
});
