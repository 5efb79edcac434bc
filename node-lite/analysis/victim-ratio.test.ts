import { describe, expect, it } from 'vitest';
import { Rng } from '../net/rng.ts';
import { AnalysisError, binomBig, ratioToNumber, wilson } from './stats.ts';
import {
  PAPER_TABLE_2_2, attackersFor, minAttackerRatioFor, simulateVictimRatio, victimRatioBinomial,
  victimRatioExact, victimTable, victimThreshold,
} from './victim-ratio.ts';
import { matchesPrinted } from './security-report.ts';

const W = 10_000;
const N = 10;
const at = (x: number) => ({ network: W, peers: N, attackers: attackersFor(W, x) });

describe('exact arithmetic', () => {
  it('binomial coefficients are exact (checked with Python math.comb)', () => {
    expect(binomBig(10_000, 10)).toBe(2743355077591282538231819720749000n);
    expect(binomBig(10, 9)).toBe(10n);
    expect(binomBig(5, 0)).toBe(1n);
    expect(binomBig(5, 6)).toBe(0n);
    expect(binomBig(4, -1)).toBe(0n);
  });

  it('ratios of big integers keep all the digits a double can hold', () => {
    expect(ratioToNumber(2n, 9n)).toBe(2 / 9);
    expect(ratioToNumber(11n * 10n ** 40n, 1024n * 10n ** 40n)).toBe(11 / 1024);
    expect(ratioToNumber(7n, 7n)).toBe(1);
  });

  it('the Wilson interval is exact at the edges and brackets the frequency', () => {
    expect(wilson(0, 100)).toEqual({ low: 0, high: expect.closeTo(0.037, 3) });
    expect(wilson(100, 100).high).toBe(1);
    const w = wilson(50, 100);
    expect(w.low).toBeCloseTo(0.4038, 3);
    expect(w.high).toBeCloseTo(0.5962, 3);
  });
});

describe('victim threshold', () => {
  it('is ⌈0.9 n⌉ in integer arithmetic', () => {
    expect(victimThreshold(10)).toBe(9);
    expect(victimThreshold(20)).toBe(18);
    expect(victimThreshold(30)).toBe(27); // 0.9 * 30 = 27.000000000000004 in floating point
    expect(victimThreshold(7)).toBe(7); // ⌈6.3⌉
    expect(victimThreshold(1)).toBe(1);
    expect(victimThreshold(10, 50)).toBe(5);
  });
});

describe('closed form (hypergeometric tail)', () => {
  it('matches hand-computed small cases', () => {
    // W = 10, 5 attackers, 2 peers, both must be the attacker's: C(5,2)/C(10,2) = 10/45.
    expect(victimRatioExact({ network: 10, peers: 2, attackers: 5 })).toBe(2 / 9);
    // 3 peers out of 6 nodes, 4 attackers, victim at >= 90% (all 3): C(4,3)/C(6,3) = 4/20.
    expect(victimRatioExact({ network: 6, peers: 3, attackers: 4 })).toBe(0.2);
    expect(victimRatioExact({ network: 6, peers: 3, attackers: 2 })).toBe(0);
    expect(victimRatioExact({ network: 6, peers: 3, attackers: 6 })).toBe(1);
  });

  it('gives the values Python computes exactly for the paper grid', () => {
    // Σ_{i=9}^{10} C(K,i)·C(W−K,10−i) / C(W,10) with Fraction arithmetic in Python.
    expect(victimRatioExact(at(0.5))).toBeCloseTo(0.010711441172263572, 15);
    expect(victimRatioExact(at(0.8))).toBeCloseTo(0.3756887789838585, 15);
    expect(victimRatioExact(at(0.9))).toBeCloseTo(0.7361183398348279, 15);
    expect(victimRatioExact(at(0.95))).toBeCloseTo(0.9139438395357102, 15);
  });

  it('reproduces every printed value of the paper\'s Table 2.2', () => {
    for (const row of PAPER_TABLE_2_2) {
      expect(matchesPrinted(victimRatioExact(at(row.x)), row.v), `x = ${row.x}`).toBe(true);
    }
  });

  it('the binomial reading (W → ∞) misses two printed values, so the paper used W = 10000', () => {
    expect(victimRatioBinomial(N, 0.5)).toBe(11 / 1024); // (C(10,9) + 1) / 2^10
    expect(matchesPrinted(victimRatioBinomial(N, 0.5), '0.01071')).toBe(false); // 0.01074
    expect(matchesPrinted(victimRatioBinomial(N, 0.8), '0.3757')).toBe(false); // 0.3758
    expect(matchesPrinted(victimRatioBinomial(N, 0.9), '0.7361')).toBe(true);
  });

  it('needs 94.55% of the nodes for 90% victims (the paper says "more than 95%")', () => {
    expect(minAttackerRatioFor(0.9, W, N)).toBe(0.9455);
    expect(victimRatioExact({ network: W, peers: N, attackers: 9454 })).toBeLessThan(0.9);
    expect(victimRatioExact({ network: W, peers: N, attackers: 9455 })).toBeGreaterThanOrEqual(0.9);
  });

  it('rejects parameters outside the model with AnalysisError', () => {
    expect(() => victimRatioExact({ network: 5, peers: 6, attackers: 1 })).toThrow(AnalysisError);
    expect(() => victimRatioExact({ network: 5, peers: 2, attackers: 7 })).toThrow(AnalysisError);
    expect(() => victimRatioExact({ network: 5, peers: 2, attackers: 1.5 })).toThrow(AnalysisError);
    expect(() => attackersFor(W, 1.5)).toThrow(AnalysisError);
    expect(() => attackersFor(7, 0.5)).toThrow(/whole number/);
    expect(() => victimThreshold(10, 0)).toThrow(AnalysisError);
  });
});

describe('simulation', () => {
  it('is deterministic for a seed and changes with it', () => {
    const a = simulateVictimRatio(at(0.8), 2000, new Rng(7, 'v'));
    const b = simulateVictimRatio(at(0.8), 2000, new Rng(7, 'v'));
    const c = simulateVictimRatio(at(0.8), 2000, new Rng(8, 'v'));
    expect(a).toEqual(b);
    expect(c.hits).not.toBe(a.hits);
  });

  it('agrees with the closed form within 4.5 standard errors on the whole grid (seed 1)', () => {
    const trials = 20_000;
    for (const row of victimTable({ trials, seed: 1 })) {
      const se = Math.sqrt((row.exact * (1 - row.exact)) / trials);
      expect(Math.abs(row.sim.p - row.exact), `x = ${row.x}`).toBeLessThanOrEqual(4.5 * se + 1e-12);
      expect(row.sim.ci.low).toBeLessThanOrEqual(row.sim.p);
      expect(row.sim.ci.high).toBeGreaterThanOrEqual(row.sim.p);
    }
  });

  it('would notice a wrong model: the simulated x = 0.5 rate separates from a 95% threshold', () => {
    // With victims at >= 95% of 10 peers (all 10), V(0.5) ≈ 0.00098, far from 0.01071.
    const sim = simulateVictimRatio(at(0.5), 20_000, new Rng(1, 'wrong'));
    const wrong = victimRatioExact({ ...at(0.5), thresholdPercent: 95 });
    expect(Math.abs(sim.p - wrong)).toBeGreaterThan(0.005);
    expect(sim.ci.low).toBeLessThan(0.01071);
    expect(sim.ci.high).toBeGreaterThan(0.01071);
  });
});
