// The whitepaper's long-range attack analysis (section 2.1.7, Table 2.3). Block difficulty lies
// in [D_min, D_max] with D_max = k·D_min. The attacker controls a share x of the groups, forks
// H blocks below the honest tip and builds a private chain. The validation group of each slot
// is drawn by the beacon, and threshold-BLS signatures are unique, so the attacker cannot pick
// which group a slot gets: its private chain gets an effective block (difficulty at most
// k·D_min) when one of its own groups is drawn, and an empty slot otherwise. The honest chain
// gains at least D_min per slot. Over one working cycle of L = n·H_epoch slots the paper takes
// the mean (A = x·L effective blocks) and finds
//
//   attacker wins  ⇔  x·L·k·D_min > (H + L)·D_min  ⇔  L·(k·x − 1) > H,
//
// so no attack when k·x ≤ 1 and a depth bound H < L·(k·x − 1) otherwise (Table 2.3: x > 1/k).
// Here the same model is also solved exactly, with A ~ Binomial(L, x) instead of its mean, for
// three attackers: the paper's (publish at the end of the cycle), an adaptive one (publish at
// the first slot the private chain is heavier), and the adaptive one against checkpoints (the
// fork point may not lie below the latest checkpoint). A simulation of the beacon's draws
// checks all three. docs/security-analysis.md discusses where the paper's claims hold.

import { Rng, type Seed } from '../net/rng.ts';
import { AnalysisError, binomialPmf, estimate, requireInt, type Estimate } from './stats.ts';

export interface LongRangeParams {
  /** k = D_max / D_min, a whole number >= 1. */
  readonly k: number;
  /** The number of groups that can be drawn as a slot's validation group. */
  readonly groups: number;
  /** How many of them the attacker controls (x = attackerGroups / groups). */
  readonly attackerGroups: number;
  /** L = n·H_epoch: the slots of one working cycle, the attacker's time budget. */
  readonly cycleSlots: number;
  /** H: how many honest blocks the fork reverts (the fork point's depth below the tip). */
  readonly depth: number;
}

export interface CheckpointModel {
  /**
   * The most blocks the latest checkpoint can lie below the honest tip. The paper decides the
   * checkpoint of epoch e once the chain enters epoch e + 2, so this is 3·H_epoch − 1 at worst.
   */
  readonly maxLag: number;
  /** The share of groups whose endorsement makes a checkpoint (the paper: two thirds). */
  readonly quorum: { readonly num: number; readonly den: number };
}

export function checkpointModel(epochLength: number): CheckpointModel {
  requireInt('epochLength', epochLength, 1);
  return { maxLag: 3 * epochLength - 1, quorum: { num: 2, den: 3 } };
}

function check(p: LongRangeParams): LongRangeParams {
  requireInt('k', p.k, 1, 1_000_000);
  requireInt('groups', p.groups, 1, 0xffff_ffff);
  requireInt('attackerGroups', p.attackerGroups, 0, p.groups);
  requireInt('cycleSlots', p.cycleSlots, 1, 1_000_000);
  requireInt('depth', p.depth, 0);
  return p;
}

// ---------------------------------------------------------------------------------------------
// The paper's closed form

/** Table 2.3: the attacker needs x > 1/k; null for k = 1 ("no solution": x would exceed 1). */
export function paperMinRatio(k: number): number | null {
  requireInt('k', k, 1);
  return k === 1 ? null : 1 / k;
}

/**
 * The deepest revert the paper's inequality L·(k·x − 1) > H allows, in exact integer
 * arithmetic (x = a/G): the largest whole H >= 0 with H·G < L·(k·a − G); null when k·x <= 1.
 */
export function paperMaxDepth(k: number, groups: number, attackerGroups: number, cycleSlots: number): number | null {
  check({ k, groups, attackerGroups, cycleSlots, depth: 0 });
  const excess = cycleSlots * (k * attackerGroups - groups); // L·(k·a − G), compared with H·G
  if (excess <= 0) return null;
  return Math.ceil(excess / groups) - 1;
}

// ---------------------------------------------------------------------------------------------
// Exact probabilities of the same model, with the beacon's randomness kept

/** The paper's attacker, published at the end of the cycle: P[k·A > H + L], A ~ Bin(L, x). */
export function fixedCycleSuccess(params: LongRangeParams): number {
  const { k, groups, attackerGroups, cycleSlots: L, depth: H } = check(params);
  const pmf = binomialPmf(L, attackerGroups / groups);
  const first = Math.floor((H + L) / k) + 1;
  let win = 0;
  let lose = 0;
  for (let a = 0; a <= L; a++) {
    if (a >= first) win += pmf[a]!;
    else lose += pmf[a]!;
  }
  // Sum the smaller tail and subtract from 1, so a probability near 1 keeps its digits.
  return win <= lose ? win : Math.max(0, 1 - lose);
}

/**
 * P[the private chain is heavier at some slot s <= L at which it may still be published],
 * by dynamic programming over A(s) for the paths that have not won yet. Without checkpoints
 * every s <= L is allowed. With checkpoints that keep forming, the fork point must stay
 * within maxLag of the advancing tip (H + s <= maxLag). With checkpoints stalled (the
 * attacker withholds the endorsements of more than 1 − quorum of the groups), the latest
 * checkpoint stays where it was, so the fork needs only H <= maxLag.
 */
export function adaptiveSuccess(params: LongRangeParams, checkpoints?: CheckpointModel): number {
  const { k, groups, attackerGroups, depth: H } = check(params);
  const horizon = publishHorizon(params, checkpoints);
  if (horizon <= 0) return 0;
  const x = attackerGroups / groups;
  let alive = new Float64Array(horizon + 1);
  let next = new Float64Array(horizon + 1);
  alive[0] = 1;
  let won = 0;
  for (let s = 1; s <= horizon; s++) {
    next.fill(0);
    for (let a = 0; a < s; a++) {
      const q = alive[a]!;
      if (q === 0) continue;
      next[a] += q * (1 - x);
      next[a + 1] += q * x;
    }
    for (let a = Math.floor((H + s) / k) + 1; a <= s; a++) {
      won += next[a]!;
      next[a] = 0;
    }
    [alive, next] = [next, alive];
  }
  // As in fixedCycleSuccess: near 1, the mass of the paths that never won is the precise term.
  let lost = 0;
  for (let a = 0; a <= horizon; a++) lost += alive[a]!;
  return won <= lost ? won : Math.max(0, 1 - lost);
}

/** Whether the attacker's groups are too few to block the checkpoint quorum. */
export function checkpointsKeepForming(groups: number, attackerGroups: number, cp: CheckpointModel): boolean {
  return (groups - attackerGroups) * cp.quorum.den >= cp.quorum.num * groups;
}

/** The last slot at which the attacker may publish (0: never). */
export function publishHorizon(params: LongRangeParams, checkpoints?: CheckpointModel): number {
  const { groups, attackerGroups, cycleSlots: L, depth: H } = params;
  if (!checkpoints) return L;
  if (H > checkpoints.maxLag) return 0;
  if (!checkpointsKeepForming(groups, attackerGroups, checkpoints)) return L;
  return Math.min(L, checkpoints.maxLag - H);
}

/** The deepest H whose success probability is at least `level` (null: not even H = 0). */
export function depthAtLevel(
  base: Omit<LongRangeParams, 'depth'>,
  level: number,
  success: (p: LongRangeParams) => number,
): number | null {
  if (success({ ...base, depth: 0 }) < level) return null;
  let lo = 0; // success(lo) >= level
  let hi = base.k * base.cycleSlots; // k·A <= k·L, so H >= k·L never wins
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (success({ ...base, depth: mid }) >= level) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Simulation

export interface LongRangeSim {
  readonly fixed: Estimate;
  readonly adaptive: Estimate;
  readonly checkpointed: Estimate;
}

/**
 * Runs `trials` private chains: every slot the beacon draws one of the `groups` groups
 * uniformly (on the private chain the random value after a signed slot is the attacker
 * group's unique signature and after an empty slot its hash, so neither can be steered;
 * a seeded PRG stands in for it); the attacker's groups make an effective block, the
 * others leave the slot empty. One path is scored against all three attackers at each depth.
 */
export function simulateLongRange(
  base: Omit<LongRangeParams, 'depth'>,
  depths: readonly number[],
  checkpoints: CheckpointModel,
  trials: number,
  rng: Rng,
): LongRangeSim[] {
  for (const depth of depths) check({ ...base, depth });
  requireInt('trials', trials, 1);
  const { k, groups, attackerGroups, cycleSlots: L } = base;
  const horizons = depths.map((depth) => publishHorizon({ ...base, depth }, checkpoints));
  const hits = depths.map(() => ({ fixed: 0, adaptive: 0, checkpointed: 0 }));
  // firstWin[d]: the first slot at which k·A(s) > H + s, or Infinity.
  const firstWin = new Float64Array(depths.length);
  for (let t = 0; t < trials; t++) {
    firstWin.fill(Infinity);
    let a = 0;
    for (let s = 1; s <= L; s++) {
      if (rng.nextInt(groups) < attackerGroups) a++;
      for (let d = 0; d < depths.length; d++) {
        if (firstWin[d] === Infinity && k * a > depths[d]! + s) firstWin[d] = s;
      }
    }
    for (let d = 0; d < depths.length; d++) {
      const h = hits[d]!;
      if (k * a > depths[d]! + L) h.fixed++;
      if (firstWin[d]! <= L) h.adaptive++;
      if (firstWin[d]! <= horizons[d]!) h.checkpointed++;
    }
  }
  return hits.map((h) => ({
    fixed: estimate(h.fixed, trials),
    adaptive: estimate(h.adaptive, trials),
    checkpointed: estimate(h.checkpointed, trials),
  }));
}

// ---------------------------------------------------------------------------------------------
// The table `zv sim security` prints

export interface LongRangeSetup {
  readonly groups: number;
  readonly epochLength: number;
  /** n: epochs per working cycle (the paper leaves it open; ValidPeriod in section 2.1.3). */
  readonly cycleEpochs: number;
  readonly ks: readonly number[];
  /** Attacker group counts (x = a / groups). */
  readonly attackerGroups: readonly number[];
  /** Depths at which the probabilities are printed. */
  readonly depths: readonly number[];
  /** The success level that defines the "practical" depth bound (default 1%). */
  readonly level: number;
}

export const DEFAULT_LONG_RANGE: LongRangeSetup = {
  groups: 20,
  epochLength: 100,
  cycleEpochs: 4,
  ks: [2, 3, 5],
  attackerGroups: [5, 8, 10, 12], // x = 0.25, 0.4, 0.5, 0.6
  depths: [1, 100],
  level: 0.01,
};

export interface LongRangeAtDepth {
  readonly depth: number;
  readonly fixed: { readonly exact: number; readonly sim: Estimate };
  readonly adaptive: { readonly exact: number; readonly sim: Estimate };
  readonly checkpointed: { readonly exact: number; readonly sim: Estimate };
}

export interface LongRangeRow {
  readonly k: number;
  readonly x: number;
  readonly kx: number;
  /** The paper's bound: the deepest H with L·(k·x − 1) > H, or null (k·x <= 1: "no attack"). */
  readonly paperMaxDepth: number | null;
  /** The deepest H each attacker still reaches with probability >= level (null: none). */
  readonly depthAtLevel: { readonly fixed: number | null; readonly adaptive: number | null; readonly checkpointed: number | null };
  readonly checkpointsKeepForming: boolean;
  readonly atDepth: readonly LongRangeAtDepth[];
}

export interface LongRangeTable {
  readonly setup: LongRangeSetup;
  readonly cycleSlots: number;
  readonly checkpoint: CheckpointModel;
  /** Table 2.3: k, the paper's printed range, and 1/k. */
  readonly table23: readonly { readonly k: number; readonly paper: string; readonly minRatio: number | null }[];
  readonly rows: readonly LongRangeRow[];
}

/** Table 2.3 as printed in the paper. */
export const PAPER_TABLE_2_3: readonly { readonly k: number; readonly paper: string }[] = [
  { k: 1, paper: 'no solution' },
  { k: 2, paper: '> 50%' },
  { k: 3, paper: '> 33%' },
  { k: 5, paper: '> 20%' },
];

export function longRangeTable(opts: { trials: number; seed: Seed; setup?: LongRangeSetup }): LongRangeTable {
  const setup = opts.setup ?? DEFAULT_LONG_RANGE;
  requireInt('cycleEpochs', setup.cycleEpochs, 1);
  if (!(setup.level > 0 && setup.level <= 1)) throw new AnalysisError(`level must be in (0, 1], got ${setup.level}`);
  const cycleSlots = setup.cycleEpochs * requireInt('epochLength', setup.epochLength, 1);
  const cp = checkpointModel(setup.epochLength);
  const rows: LongRangeRow[] = [];
  for (const k of setup.ks) {
    for (const a of setup.attackerGroups) {
      const base = { k, groups: setup.groups, attackerGroups: a, cycleSlots };
      const rng = new Rng(opts.seed, `long-range/k=${k}/a=${a}/G=${setup.groups}`);
      const sims = simulateLongRange(base, setup.depths, cp, opts.trials, rng);
      const withCp = (p: LongRangeParams) => adaptiveSuccess(p, cp);
      rows.push({
        k,
        x: a / setup.groups,
        kx: (k * a) / setup.groups,
        paperMaxDepth: paperMaxDepth(k, setup.groups, a, cycleSlots),
        depthAtLevel: {
          fixed: depthAtLevel(base, setup.level, fixedCycleSuccess),
          adaptive: depthAtLevel(base, setup.level, (p) => adaptiveSuccess(p)),
          checkpointed: depthAtLevel(base, setup.level, withCp),
        },
        checkpointsKeepForming: checkpointsKeepForming(setup.groups, a, cp),
        atDepth: setup.depths.map((depth, i) => {
          const p = { ...base, depth };
          const s = sims[i]!;
          return {
            depth,
            fixed: { exact: fixedCycleSuccess(p), sim: s.fixed },
            adaptive: { exact: adaptiveSuccess(p), sim: s.adaptive },
            checkpointed: { exact: withCp(p), sim: s.checkpointed },
          };
        }),
      });
    }
  }
  const table23 = PAPER_TABLE_2_3.map((r) => ({ ...r, minRatio: paperMinRatio(r.k) }));
  return { setup, cycleSlots, checkpoint: cp, table23, rows };
}
