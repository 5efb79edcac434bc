// The whitepaper's "51% attack" analysis (section 2.1.7, Table 2.2 and Figure 2.6): a user
// connects to n peers chosen at random among the W nodes of the network; an attacker controls
// a share x of the nodes; the user is a victim (sees only the attacker's chain and cannot tell
// anything is wrong) when at least 90% of its peers are the attacker's. The victim ratio is
//
//   V(x) = Σ_{i = ⌈0.9 n⌉}^{n} C(xW, i) · C((1 − x)W, n − i) / C(W, n)
//
// the upper tail of a hypergeometric distribution. The extracted text of the paper lost the
// typesetting; docs/security-analysis.md shows how this reading was recovered and that it
// reproduces every printed value of Table 2.2 (the binomial reading, W → ∞, does not).

import { Rng, type Seed } from '../net/rng.ts';
import { AnalysisError, binomBig, estimate, ratioToNumber, requireInt, requireRatio, type Estimate } from './stats.ts';

export interface VictimParams {
  /** W: the number of nodes in the network. */
  readonly network: number;
  /** n: the number of peers each user connects to (distinct, uniformly at random). */
  readonly peers: number;
  /** The number of nodes the attacker controls (x·W). */
  readonly attackers: number;
  /** A user is a victim when at least this percentage of its peers are the attacker's (default 90). */
  readonly thresholdPercent?: number;
}

/** Table 2.2 as printed: attacker ratio x and victim ratio V, with the paper's digits. */
export const PAPER_TABLE_2_2: readonly { readonly x: number; readonly v: string }[] = [
  { x: 0.5, v: '0.01071' },
  { x: 0.8, v: '0.3757' },
  { x: 0.9, v: '0.7361' },
  { x: 0.95, v: '0.914' },
  { x: 1, v: '1' },
];

/** The paper's parameters for Figure 2.6 and Table 2.2. */
export const PAPER_NETWORK = 10_000;
export const PAPER_PEERS = 10;

/** ⌈p·n/100⌉ in integer arithmetic (0.9 * 30 is 27.000000000000004 in floating point). */
export function victimThreshold(peers: number, thresholdPercent = 90): number {
  requireInt('peers', peers, 1);
  requireInt('thresholdPercent', thresholdPercent, 1, 100);
  return Math.floor((thresholdPercent * peers + 99) / 100);
}

/** The attacker's node count for ratio x; x·W must be a whole number of nodes. */
export function attackersFor(network: number, ratio: number): number {
  requireInt('network', network, 1);
  requireRatio('ratio', ratio);
  const k = Math.round(ratio * network);
  if (Math.abs(k - ratio * network) > 1e-9 * network) {
    throw new AnalysisError(`ratio ${ratio} of ${network} nodes is not a whole number of nodes`);
  }
  return k;
}

function check(p: VictimParams): Required<VictimParams> {
  const network = requireInt('network', p.network, 1);
  const peers = requireInt('peers', p.peers, 1, network);
  const attackers = requireInt('attackers', p.attackers, 0, network);
  const thresholdPercent = requireInt('thresholdPercent', p.thresholdPercent ?? 90, 1, 100);
  return { network, peers, attackers, thresholdPercent };
}

/** The closed form: the hypergeometric upper tail, computed exactly (BigInt) and rounded once. */
export function victimRatioExact(params: VictimParams): number {
  const { network, peers, attackers, thresholdPercent } = check(params);
  const m = victimThreshold(peers, thresholdPercent);
  let num = 0n;
  for (let i = m; i <= peers; i++) num += binomBig(attackers, i) * binomBig(network - attackers, peers - i);
  return ratioToNumber(num, binomBig(network, peers));
}

/**
 * The binomial reading (W → ∞, peers drawn with replacement): Σ C(n, i) x^i (1 − x)^(n − i).
 * Shown next to the exact form because it is the other "reasonable reading" of the formula,
 * and it misses two of the paper's printed values.
 */
export function victimRatioBinomial(peers: number, ratio: number, thresholdPercent = 90): number {
  requireRatio('ratio', ratio);
  const m = victimThreshold(peers, thresholdPercent);
  let sum = 0;
  for (let i = m; i <= peers; i++) sum += Number(binomBig(peers, i)) * ratio ** i * (1 - ratio) ** (peers - i);
  return Math.min(1, sum);
}

/**
 * Monte-Carlo: the attacker owns a random set of `attackers` nodes; each simulated user picks
 * `peers` distinct nodes uniformly (Floyd's algorithm: no rejection, exactly uniform subsets)
 * and counts how many are the attacker's.
 */
export function simulateVictimRatio(params: VictimParams, trials: number, rng: Rng): Estimate {
  const { network, peers, attackers, thresholdPercent } = check(params);
  requireInt('trials', trials, 1);
  const m = victimThreshold(peers, thresholdPercent);
  const owned = attackerSet(network, attackers, rng);
  const chosen = new Int32Array(peers);
  let victims = 0;
  for (let t = 0; t < trials; t++) {
    let bad = 0;
    let size = 0;
    for (let j = network - peers; j < network; j++) {
      const r = rng.nextInt(j + 1);
      const pick = contains(chosen, size, r) ? j : r;
      chosen[size++] = pick;
      bad += owned[pick]!;
    }
    if (bad >= m) victims++;
  }
  return estimate(victims, trials);
}

function attackerSet(network: number, attackers: number, rng: Rng): Uint8Array {
  // Partial Fisher-Yates: the first `attackers` entries of a shuffled id list.
  const ids = new Int32Array(network);
  for (let i = 0; i < network; i++) ids[i] = i;
  const owned = new Uint8Array(network);
  for (let i = 0; i < attackers; i++) {
    const j = i + rng.nextInt(network - i);
    const tmp = ids[i]!;
    ids[i] = ids[j]!;
    ids[j] = tmp;
    owned[ids[i]!] = 1;
  }
  return owned;
}

function contains(arr: Int32Array, size: number, v: number): boolean {
  for (let i = 0; i < size; i++) if (arr[i] === v) return true;
  return false;
}

/**
 * The smallest attacker share (a whole number of nodes over W) whose victim ratio reaches
 * `target`: the paper says "more than 95%" for 90% victims; the exact answer is printed too.
 */
export function minAttackerRatioFor(target: number, network: number, peers: number, thresholdPercent = 90): number {
  requireRatio('target', target);
  let lo = 0;
  let hi = network; // V(network) = 1 >= target
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (victimRatioExact({ network, peers, attackers: mid, thresholdPercent }) >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo / network;
}

export interface VictimRow {
  readonly x: number;
  /** The paper's printed value, when Table 2.2 has this x. */
  readonly paper: string | null;
  readonly exact: number;
  readonly binomial: number;
  readonly sim: Estimate;
}

export interface VictimTableOptions {
  readonly trials: number;
  readonly seed: Seed;
  readonly network?: number;
  readonly peers?: number;
  readonly ratios?: readonly number[];
}

/** Figure 2.6 sampled every 0.1, plus the points of Table 2.2. */
export const DEFAULT_VICTIM_RATIOS: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1];

export function victimTable(opts: VictimTableOptions): VictimRow[] {
  const network = opts.network ?? PAPER_NETWORK;
  const peers = opts.peers ?? PAPER_PEERS;
  const usePaper = network === PAPER_NETWORK && peers === PAPER_PEERS;
  return (opts.ratios ?? DEFAULT_VICTIM_RATIOS).map((x) => {
    const params = { network, peers, attackers: attackersFor(network, x) };
    // One independent stream per grid point: adding a point does not shift the others.
    const rng = new Rng(opts.seed, `victim-ratio/x=${x}`);
    return {
      x,
      paper: usePaper ? (PAPER_TABLE_2_2.find((r) => r.x === x)?.v ?? null) : null,
      exact: victimRatioExact(params),
      binomial: victimRatioBinomial(peers, x),
      sim: simulateVictimRatio(params, opts.trials, rng),
    };
  });
}
