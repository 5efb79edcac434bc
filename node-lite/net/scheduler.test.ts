import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';
import { Scheduler } from './scheduler.ts';
import { NetworkError } from './transport.ts';

describe('Scheduler', () => {
  it('runs events in time order and breaks ties by scheduling order', () => {
    const s = new Scheduler();
    const log: string[] = [];
    s.scheduleAt(10, () => log.push('b@10'));
    s.scheduleAt(5, () => log.push('a@5'));
    s.scheduleAt(10, () => log.push('c@10'));
    s.setTimer(10, () => log.push('d@10'));
    s.scheduleAt(0, () => log.push('z@0'));
    const r = s.runUntilIdle(100);
    expect(log).toEqual(['z@0', 'a@5', 'b@10', 'c@10', 'd@10']);
    expect(r).toEqual({ executed: 5, stoppedBy: 'idle', time: 10 });
  });

  it('keeps tie order for many same-time events, including ones scheduled while running', () => {
    const s = new Scheduler();
    const log: number[] = [];
    for (let i = 0; i < 50; i++) {
      s.scheduleAt(7, () => {
        log.push(i);
        if (i === 0) s.setTimer(0, () => log.push(100)); // same time, after all 50
      });
    }
    s.runUntilIdle(1000);
    expect(log).toEqual([...Array.from({ length: 50 }, (_, i) => i), 100]);
  });

  it('cancels timers, and a cancelled or fired handle cannot be cancelled again', () => {
    const s = new Scheduler();
    const log: string[] = [];
    const a = s.setTimer(5, () => log.push('a'));
    const b = s.setTimer(6, () => log.push('b'));
    expect(s.cancelTimer(a)).toBe(true);
    expect(s.cancelTimer(a)).toBe(false);
    expect(s.pending()).toBe(1);
    s.runUntilIdle(10);
    expect(log).toEqual(['b']);
    expect(s.cancelTimer(b)).toBe(false);
  });

  it('runUntil stops at the limit and advances the clock even when idle', () => {
    const s = new Scheduler();
    const log: number[] = [];
    s.scheduleAt(100, () => log.push(s.now()));
    s.scheduleAt(101, () => log.push(s.now()));
    expect(s.runUntil(100)).toEqual({ executed: 1, stoppedBy: 'time', time: 100 });
    expect(log).toEqual([100]);
    expect(s.runUntil(500)).toEqual({ executed: 1, stoppedBy: 'idle', time: 500 });
    s.setTimer(1.2, () => log.push(s.now())); // rounded up to whole ms
    s.runFor(10);
    expect(log).toEqual([100, 101, 502]);
  });

  it('bounds a run that would never end', () => {
    const s = new Scheduler();
    let fired = 0;
    const rearm = () => {
      fired++;
      s.setTimer(0, rearm); // a zero-delay loop: time never advances
    };
    s.setTimer(0, rearm);
    expect(s.runUntilIdle(1000)).toEqual({ executed: 1000, stoppedBy: 'event-limit', time: 0 });
    expect(fired).toBe(1000);
    expect(s.runUntil(10, 500)).toEqual({ executed: 500, stoppedBy: 'event-limit', time: 0 });
    expect(s.runUntilIdle(0).stoppedBy).toBe('event-limit');
  });

  it('rejects bad times, delays and budgets with NetworkError', () => {
    const s = new Scheduler();
    s.runUntil(50);
    expect(() => s.scheduleAt(10, () => {})).toThrow(NetworkError);
    expect(() => s.scheduleAt(60.5, () => {})).toThrow(/integer/);
    expect(() => s.setTimer(-1, () => {})).toThrow(/delay/);
    expect(() => s.setTimer(Number.NaN, () => {})).toThrow(NetworkError);
    expect(() => s.runUntil(10)).toThrow(/>= now/);
    expect(() => s.runUntilIdle(-1)).toThrow(/budget/);
    expect(() => s.runUntilIdle(undefined as unknown as number)).toThrow(/budget/);
  });

  it('leaves the queue consistent when an event throws', () => {
    const s = new Scheduler();
    const log: string[] = [];
    s.scheduleAt(1, () => {
      throw new Error('boom');
    });
    s.scheduleAt(2, () => log.push('after'));
    expect(() => s.runUntilIdle(10)).toThrow('boom');
    expect(s.runUntilIdle(10).stoppedBy).toBe('idle');
    expect(log).toEqual(['after']);
  });

  it('matches a naive sorted list on a random workload (heap correctness)', () => {
    const rng = new Rng(7, 'heap');
    const s = new Scheduler();
    const expected: { time: number; seq: number }[] = [];
    const got: number[] = [];
    const handles: number[] = [];
    for (let seq = 0; seq < 2000; seq++) {
      const time = rng.nextInt(200);
      expected.push({ time, seq });
      handles.push(s.scheduleAt(time, () => got.push(seq)));
    }
    const cancelled = new Set<number>();
    for (let k = 0; k < 300; k++) {
      const seq = rng.nextInt(2000);
      if (!cancelled.has(seq)) {
        cancelled.add(seq);
        expect(s.cancelTimer(handles[seq]!)).toBe(true);
      }
    }
    s.runUntilIdle(5000);
    const order = expected
      .filter((e) => !cancelled.has(e.seq))
      .sort((a, b) => a.time - b.time || a.seq - b.seq)
      .map((e) => e.seq);
    expect(got).toEqual(order);
  });
});

describe('Rng (xoshiro128**)', () => {
  it('matches a reference implementation (Python transcription of the C code, SHA-256 seeding)', () => {
    const a = new Rng(42);
    expect(Array.from({ length: 5 }, () => a.nextU32())).toEqual([749178711, 3130418014, 215896609, 676523253, 1737804821]);
    const b = new Rng('abc', 'x').fork('y');
    expect(Array.from({ length: 3 }, () => b.nextU32())).toEqual([207079706, 1018785493, 3855927760]);
  });

  it('is reproducible, and seeds, labels and forks give different streams', () => {
    const draw = (r: Rng) => Array.from({ length: 8 }, () => r.nextU32());
    expect(draw(new Rng(1))).toEqual(draw(new Rng(1)));
    expect(draw(new Rng(1))).not.toEqual(draw(new Rng('1')));
    expect(draw(new Rng(1, 'a'))).not.toEqual(draw(new Rng(1, 'b')));
    expect(draw(new Rng(1).fork('x'))).not.toEqual(draw(new Rng(1).fork('y')));
  });

  it('draws floats in [0,1), integers in range, and chance at the extremes', () => {
    const r = new Rng(3);
    let sum = 0;
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) {
      const f = r.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      sum += f;
      counts[r.nextInt(6)]!++;
    }
    expect(Math.abs(sum / 6000 - 0.5)).toBeLessThan(0.02);
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
    expect(r.chance(0)).toBe(false);
    expect(r.chance(1)).toBe(true);
    expect(() => r.nextInt(0)).toThrow(NetworkError);
    expect(() => new Rng(-1)).toThrow(NetworkError);
  });
});
