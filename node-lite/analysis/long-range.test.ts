import { describe, expect, it } from 'vitest';
import { Rng } from '../net/rng.ts';
import { AnalysisError } from './stats.ts';
import {
  PAPER_TABLE_2_3, adaptiveSuccess, checkpointModel, checkpointsKeepForming, depthAtLevel,
  fixedCycleSuccess, longRangeTable, paperMaxDepth, paperMinRatio, publishHorizon, simulateLongRange,
  type LongRangeParams,
} from './long-range.ts';

const p = (k: number, attackerGroups: number, groups: number, cycleSlots: number, depth: number): LongRangeParams =>
  ({ k, attackerGroups, groups, cycleSlots, depth });

/** Every path of L beacon draws (x = 1/2), enumerated: an independent check of the DP. */
function bruteForce(k: number, L: number, H: number, horizon: number): { fixed: number; adaptive: number } {
  let fixed = 0;
  let adaptive = 0;
  for (let mask = 0; mask < 1 << L; mask++) {
    let a = 0;
    let won = false;
    for (let s = 1; s <= L; s++) {
      a += (mask >> (s - 1)) & 1;
      if (s <= horizon && k * a > H + s) won = true;
    }
    if (k * a > H + L) fixed++;
    if (won) adaptive++;
  }
  return { fixed: fixed / (1 << L), adaptive: adaptive / (1 << L) };
}

describe("the paper's closed form", () => {
  it('reproduces Table 2.3: the attacker needs x > 1/k', () => {
    expect(paperMinRatio(1)).toBeNull();
    expect(paperMinRatio(2)).toBe(0.5);
    expect(paperMinRatio(3)).toBeCloseTo(1 / 3, 15);
    expect(paperMinRatio(5)).toBe(0.2);
    for (const row of PAPER_TABLE_2_3.slice(1)) {
      expect(`> ${Math.floor(paperMinRatio(row.k)! * 100)}%`).toBe(row.paper);
    }
  });

  it('bounds the depth by L·(k·x − 1) > H, in exact arithmetic', () => {
    expect(paperMaxDepth(2, 20, 12, 400)).toBe(79); // 400·(1.2 − 1) = 80 > H
    expect(paperMaxDepth(5, 20, 5, 400)).toBe(99); // 400·(1.25 − 1) = 100
    expect(paperMaxDepth(3, 20, 7, 10)).toBe(0); // 10·(1.05 − 1) = 0.5 > 0 only
    expect(paperMaxDepth(2, 20, 10, 400)).toBeNull(); // k·x = 1: no attack
    expect(paperMaxDepth(3, 20, 5, 400)).toBeNull(); // k·x = 0.75
    expect(paperMaxDepth(1, 20, 20, 400)).toBeNull(); // k = 1: no solution even at x = 1
  });
});

describe('exact success probabilities', () => {
  it('match hand-computed cases (x = 1/2)', () => {
    expect(fixedCycleSuccess(p(2, 1, 2, 2, 1))).toBe(0.25); // 2A > 3 ⇒ A = 2
    expect(fixedCycleSuccess(p(3, 1, 2, 2, 0))).toBe(0.75); // 3A > 2 ⇒ A >= 1
    expect(adaptiveSuccess(p(2, 1, 2, 2, 0))).toBe(0.5); // wins at s = 1 iff slot 1 is the attacker's
    expect(adaptiveSuccess(p(3, 1, 2, 3, 1))).toBe(0.625); // 1/2 at s = 1, then 1/8 at s = 3
  });

  it('agree with the enumeration of every beacon path', () => {
    for (const [k, L, H] of [[2, 10, 0], [2, 12, 1], [3, 12, 4], [5, 11, 7], [3, 9, 20]] as const) {
      const bf = bruteForce(k, L, H, L);
      expect(fixedCycleSuccess(p(k, 1, 2, L, H))).toBeCloseTo(bf.fixed, 12);
      expect(adaptiveSuccess(p(k, 1, 2, L, H))).toBeCloseTo(bf.adaptive, 12);
      // Checkpoints that keep forming cut the publishing window to maxLag − H slots.
      const cp = { maxLag: H + 6, quorum: { num: 0, den: 1 } };
      expect(adaptiveSuccess(p(k, 1, 2, L, H), cp)).toBeCloseTo(bruteForce(k, L, H, 6).adaptive, 12);
    }
  });

  it('the adaptive attacker does at least as well as the paper\'s', () => {
    for (const a of [5, 8, 10, 12]) {
      for (const H of [0, 10, 60]) {
        expect(adaptiveSuccess(p(3, a, 20, 200, H))).toBeGreaterThanOrEqual(fixedCycleSuccess(p(3, a, 20, 200, H)) - 1e-12);
      }
    }
  });

  it('k·x <= 1 is not "probability 0" for one finite cycle, but tends to 0 as the cycle grows', () => {
    // k = 2, x = 1/2: the paper's boundary case; checked against Python's exact binomial sum.
    expect(fixedCycleSuccess(p(2, 10, 20, 400, 1))).toBeCloseTo(0.48006534901810327, 12);
    const short = fixedCycleSuccess(p(2, 8, 20, 100, 1));
    const long = fixedCycleSuccess(p(2, 8, 20, 4000, 1));
    expect(short).toBeGreaterThan(1e-3);
    expect(long).toBeLessThan(1e-30); // A > 2000 with mean 1600, sd 31: 12.9 sd out
  });

  it('the paper\'s depth bound sits at the middle of the distribution (it is the mean)', () => {
    // L·(k·x − 1) = 100 for k = 5, x = 0.25, L = 400: P is near 1/2 there (Python: 0.47316).
    expect(fixedCycleSuccess(p(5, 5, 20, 400, 100))).toBeCloseTo(0.4731624142224683, 12);
    expect(fixedCycleSuccess(p(3, 8, 20, 400, 100))).toBeCloseTo(0.25295003441018676, 12);
  });

  it('depthAtLevel finds the deepest revert that still succeeds with the given probability', () => {
    const base = { k: 5, groups: 20, attackerGroups: 5, cycleSlots: 400 };
    const d = depthAtLevel(base, 0.01, fixedCycleSuccess)!;
    expect(fixedCycleSuccess({ ...base, depth: d })).toBeGreaterThanOrEqual(0.01);
    expect(fixedCycleSuccess({ ...base, depth: d + 1 })).toBeLessThan(0.01);
    expect(depthAtLevel({ ...base, k: 2 }, 0.01, fixedCycleSuccess)).toBeNull();
  });

  it('rejects parameters outside the model with AnalysisError', () => {
    expect(() => fixedCycleSuccess(p(0, 1, 2, 10, 0))).toThrow(AnalysisError);
    expect(() => fixedCycleSuccess(p(2, 3, 2, 10, 0))).toThrow(AnalysisError);
    expect(() => adaptiveSuccess(p(2, 1, 2, 10, -1))).toThrow(AnalysisError);
    expect(() => paperMaxDepth(2.5, 20, 5, 100)).toThrow(AnalysisError);
  });
});

describe('checkpoints', () => {
  const cp = checkpointModel(100);

  it('follow the paper: the checkpoint of epoch e is known in epoch e + 2, so at most 3·E − 1 blocks back', () => {
    expect(cp.maxLag).toBe(299);
    expect(checkpointsKeepForming(20, 6, cp)).toBe(true); // 14/20 >= 2/3
    expect(checkpointsKeepForming(21, 7, cp)).toBe(true); // exactly 2/3 honest
    expect(checkpointsKeepForming(20, 7, cp)).toBe(false); // 13/20 < 2/3
  });

  it('make every revert past the latest checkpoint fail, however strong the attacker', () => {
    const strong = p(5, 19, 20, 2000, 300);
    expect(adaptiveSuccess(strong)).toBe(1);
    expect(adaptiveSuccess(strong, cp)).toBe(0);
    expect(adaptiveSuccess({ ...strong, depth: 299 }, cp)).toBeCloseTo(1, 12); // stalled, but still within
    expect(publishHorizon({ ...strong, depth: 300 }, cp)).toBe(0);
  });

  it('shorten the publishing window while they keep forming', () => {
    const weak = p(5, 5, 20, 400, 100);
    expect(publishHorizon(weak, cp)).toBe(199);
    expect(adaptiveSuccess(weak, cp)).toBeLessThan(adaptiveSuccess(weak) / 5);
  });
});

describe('simulation', () => {
  const base = { k: 3, groups: 20, attackerGroups: 8, cycleSlots: 400 };
  const cp = checkpointModel(100);

  it('is deterministic for a seed', () => {
    const a = simulateLongRange(base, [1, 100], cp, 300, new Rng(3, 'lr'));
    const b = simulateLongRange(base, [1, 100], cp, 300, new Rng(3, 'lr'));
    expect(a).toEqual(b);
  });

  it('agrees with the exact probabilities within 4.5 standard errors (seed 1)', () => {
    const trials = 3000;
    for (const attackerGroups of [5, 8, 10]) {
      for (const k of [2, 3, 5]) {
        const b = { ...base, k, attackerGroups };
        const depths = [1, 100, 250];
        const sims = simulateLongRange(b, depths, cp, trials, new Rng(1, `lr/${k}/${attackerGroups}`));
        depths.forEach((depth, i) => {
          const q = { ...b, depth };
          const pairs = [
            [sims[i]!.fixed.p, fixedCycleSuccess(q)],
            [sims[i]!.adaptive.p, adaptiveSuccess(q)],
            [sims[i]!.checkpointed.p, adaptiveSuccess(q, cp)],
          ] as const;
          for (const [sim, exact] of pairs) {
            const se = Math.sqrt((exact * (1 - exact)) / trials);
            expect(Math.abs(sim - exact), `k=${k} a=${attackerGroups} H=${depth}`).toBeLessThanOrEqual(4.5 * se + 1e-9);
          }
        });
      }
    }
  });

  it('assembles the printed table from a small setup', () => {
    const t = longRangeTable({
      trials: 200,
      seed: 'x',
      setup: { groups: 10, epochLength: 10, cycleEpochs: 3, ks: [2, 5], attackerGroups: [3, 6], depths: [1, 5], level: 0.05 },
    });
    expect(t.cycleSlots).toBe(30);
    expect(t.checkpoint.maxLag).toBe(29);
    expect(t.rows.map((r) => [r.k, r.x])).toEqual([[2, 0.3], [2, 0.6], [5, 0.3], [5, 0.6]]);
    expect(t.rows[1]!.paperMaxDepth).toBe(5); // 30·(1.2 − 1) = 6 > H
    expect(t.rows[0]!.paperMaxDepth).toBeNull();
    expect(t.rows[0]!.atDepth[0]!.fixed.exact).toBe(fixedCycleSuccess(p(2, 3, 10, 30, 1)));
    expect(t.table23.map((r) => r.minRatio)).toEqual([null, 0.5, 1 / 3, 0.2]);
  });
});
