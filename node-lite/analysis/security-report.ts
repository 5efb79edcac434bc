// Everything `zv sim security` prints, as data: the victim-ratio table (Table 2.2 and Figure
// 2.6), the attacker share needed for 90% victims, Table 2.3, and the long-range bounds.

import type { Seed } from '../net/rng.ts';
import { AnalysisError, requireInt } from './stats.ts';
import {
  PAPER_NETWORK, PAPER_PEERS, minAttackerRatioFor, victimTable, type VictimRow,
} from './victim-ratio.ts';
import { longRangeTable, type LongRangeTable } from './long-range.ts';

export interface SecurityReportOptions {
  /** Monte-Carlo trials per row of both tables; default per table (they cost very differently). */
  readonly trials?: number;
  readonly seed?: Seed;
}

export const DEFAULT_VICTIM_TRIALS = 100_000;
export const DEFAULT_LONG_RANGE_TRIALS = 2_000;
export const DEFAULT_SEED = 1;
export const MAX_TRIALS = 10_000_000;

export interface VictimSection {
  readonly network: number;
  readonly peers: number;
  readonly thresholdPercent: number;
  readonly trials: number;
  readonly rows: readonly (VictimRow & { readonly paperMatches: boolean | null })[];
  /** The smallest attacker share with at least 90% victims (the paper says "more than 95%"). */
  readonly ratioFor90PercentVictims: number;
}

export interface SecurityReport {
  readonly seed: Seed;
  readonly victim: VictimSection;
  readonly longRange: LongRangeTable & { readonly trials: number };
}

/** True when `value` rounds to the paper's printed digits (null when the paper has no value). */
export function matchesPrinted(value: number, printed: string | null): boolean | null {
  if (printed === null) return null;
  const decimals = printed.includes('.') ? printed.split('.')[1]!.length : 0;
  return value.toFixed(decimals) === Number(printed).toFixed(decimals);
}

export function securityReport(opts: SecurityReportOptions = {}): SecurityReport {
  const seed = opts.seed ?? DEFAULT_SEED;
  if (opts.trials !== undefined) requireInt('trials', opts.trials, 1, MAX_TRIALS);
  if (typeof seed === 'string' && seed.length === 0) throw new AnalysisError('seed must not be empty');
  const victimTrials = opts.trials ?? DEFAULT_VICTIM_TRIALS;
  const longTrials = opts.trials ?? DEFAULT_LONG_RANGE_TRIALS;
  const rows = victimTable({ trials: victimTrials, seed }).map((r) => ({ ...r, paperMatches: matchesPrinted(r.exact, r.paper) }));
  return {
    seed,
    victim: {
      network: PAPER_NETWORK,
      peers: PAPER_PEERS,
      thresholdPercent: 90,
      trials: victimTrials,
      rows,
      ratioFor90PercentVictims: minAttackerRatioFor(0.9, PAPER_NETWORK, PAPER_PEERS),
    },
    longRange: { ...longRangeTable({ trials: longTrials, seed }), trials: longTrials },
  };
}
