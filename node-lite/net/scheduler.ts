// A deterministic discrete-event scheduler on a virtual clock. Everything that happens in a
// simulation (a message arriving, a timer firing, a scenario event) is an event here, run
// one at a time in (time, sequence number) order. The sequence number is the order in which
// events were scheduled, so two events at the same millisecond always run in the same order
// and a run is a pure function of its inputs and seed. Nothing reads the wall clock.
//
// Every run method takes an event budget: a protocol that re-arms a zero-delay timer forever
// stops the run with `stoppedBy: 'event-limit'` instead of hanging a test.

import { NetworkError, normalizeDelay, type Clock, type TimerHandle } from './transport.ts';

interface ScheduledEvent {
  readonly time: number;
  readonly seq: number;
  readonly fn: () => void;
}

export type StopReason = 'idle' | 'time' | 'event-limit';

export interface RunResult {
  /** Events executed by this call. */
  readonly executed: number;
  /** 'idle': no event left; 'time': the next event is after the limit; 'event-limit': budget spent. */
  readonly stoppedBy: StopReason;
  /** Virtual time when the call returned. */
  readonly time: number;
}

/** Default budget of `runUntil`: large enough for any test, small enough to end in seconds. */
export const DEFAULT_MAX_EVENTS = 1_000_000;

export class Scheduler implements Clock {
  private heap: ScheduledEvent[] = [];
  /** Pending events by seq; an event cancelled is removed here and skipped when popped. */
  private readonly pendingBySeq = new Map<number, ScheduledEvent>();
  private nextSeq = 1;
  private time: number;
  private executedTotal = 0;

  /** `startTime`: the clock's first reading (a devnet resumes at its last block's time). */
  constructor(startTime = 0) {
    if (!Number.isSafeInteger(startTime) || startTime < 0) throw new NetworkError('invalid-argument', `the start time must be a safe integer >= 0, got ${String(startTime)}`);
    this.time = startTime;
  }

  now(): number {
    return this.time;
  }

  /** Number of events executed since creation. */
  get executed(): number {
    return this.executedTotal;
  }

  /** Number of events still pending (cancelled ones excluded). */
  pending(): number {
    return this.pendingBySeq.size;
  }

  /** Time of the next pending event, or undefined when idle. */
  nextEventTime(): number | undefined {
    this.dropCancelledHead();
    return this.heap[0]?.time;
  }

  /** Schedules `fn` at absolute time `at` (an integer >= now). Returns a cancellable handle. */
  scheduleAt(at: number, fn: () => void): TimerHandle {
    if (!Number.isSafeInteger(at) || at < this.time) {
      throw new NetworkError('invalid-argument', `event time must be an integer >= now (${this.time}), got ${String(at)}`);
    }
    if (typeof fn !== 'function') throw new NetworkError('invalid-argument', 'an event needs a function');
    const event: ScheduledEvent = { time: at, seq: this.nextSeq++, fn };
    this.pendingBySeq.set(event.seq, event);
    this.push(event);
    return event.seq;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    return this.scheduleAt(this.time + normalizeDelay(delayMs), fn);
  }

  cancelTimer(handle: TimerHandle): boolean {
    return this.pendingBySeq.delete(handle);
  }

  /** Runs the next event, if any. Returns false when idle. Exceptions from the event propagate. */
  step(): boolean {
    this.dropCancelledHead();
    const event = this.pop();
    if (!event) return false;
    this.pendingBySeq.delete(event.seq);
    this.time = event.time;
    this.executedTotal++;
    event.fn();
    return true;
  }

  /**
   * Runs every event with time <= `until`, then sets the clock to `until` (time passes even
   * when nothing happens, so a later `setTimer` counts from there). Stops early after
   * `maxEvents` events, leaving the clock at the last event's time.
   */
  runUntil(until: number, maxEvents = DEFAULT_MAX_EVENTS): RunResult {
    if (!Number.isSafeInteger(until) || until < this.time) {
      throw new NetworkError('invalid-argument', `runUntil needs an integer time >= now (${this.time}), got ${String(until)}`);
    }
    const budget = checkBudget(maxEvents);
    let executed = 0;
    for (;;) {
      const next = this.nextEventTime();
      if (next === undefined || next > until) {
        this.time = until;
        return { executed, stoppedBy: next === undefined ? 'idle' : 'time', time: this.time };
      }
      if (executed >= budget) return { executed, stoppedBy: 'event-limit', time: this.time };
      this.step();
      executed++;
    }
  }

  /** Runs events until none is left or `maxEvents` have run. The budget is mandatory. */
  runUntilIdle(maxEvents: number): RunResult {
    const budget = checkBudget(maxEvents);
    let executed = 0;
    while (this.nextEventTime() !== undefined) {
      if (executed >= budget) return { executed, stoppedBy: 'event-limit', time: this.time };
      this.step();
      executed++;
    }
    return { executed, stoppedBy: 'idle', time: this.time };
  }

  /** Runs for `durationMs` of virtual time from now. */
  runFor(durationMs: number, maxEvents = DEFAULT_MAX_EVENTS): RunResult {
    return this.runUntil(this.time + normalizeDelay(durationMs), maxEvents);
  }

  private dropCancelledHead(): void {
    while (this.heap.length > 0 && !this.pendingBySeq.has(this.heap[0]!.seq)) this.pop();
  }

  // Binary min-heap on (time, seq).
  private push(event: ScheduledEvent): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): ScheduledEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < heap.length && before(heap[l]!, heap[least]!)) least = l;
      if (r < heap.length && before(heap[r]!, heap[least]!)) least = r;
      if (least === i) return top;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

function checkBudget(maxEvents: unknown): number {
  if (typeof maxEvents !== 'number' || !Number.isSafeInteger(maxEvents) || maxEvents < 0) {
    throw new NetworkError('invalid-argument', `an event budget must be a non-negative integer, got ${String(maxEvents)}`);
  }
  return maxEvents;
}
