// The miner health index (whitepaper appendix A.1) and the ranking of group candidates
// (2.1.3 §3). Integer arithmetic only (BigInt): every honest node must compute the same index
// bit for bit, because the ranking feeds the group selection.
//
// A.1 names five factors "ranked according to priority from high to low":
//   1. number of participations in block generation (proposals or verifications)
//   2. participation rate (actual participations / theoretical participations)
//   3. health level of the device (device fingerprint)
//   4. number of groups joined (duration of online activity)
//   5. proof of stake
// and no formula. Our reconstruction (docs/consensus-groups.md): each factor is mapped to a
// score in [0, SCALE]; the index is their weighted mean with weights 16, 8, 4, 2, 1, so each
// factor outweighs all lower-priority ones together (16 > 8+4+2+1), which is the closest
// combining function to "priority" that still lets every factor count; each punishment for
// equivocation halves the index (2.1.4: "deduction in health index").

import { ConsensusError } from './errors.ts';
import type { Miner, MinerId, MinerRegistry } from './miners.ts';
import { activeMiners } from './miners.ts';
import type { ConsensusParams } from './params.ts';

/** Scores and the index are parts per million: SCALE is a perfect score. */
export const HEALTH_SCALE = 1_000_000n;
export const HEALTH_WEIGHTS = Object.freeze({ participations: 16n, rate: 8n, device: 4n, groups: 2n, stake: 1n });
const WEIGHT_SUM = 31n;
/** Beyond this many punishments the index is 0 (SCALE >> 20 = 0). */
const MAX_PUNISHMENT_SHIFT = 20n;

export interface HealthRecord {
  /** Blocks proposed that made it onto the chain. */
  readonly proposals: number;
  /** Validation-group slots in which the miner's partial signature was part of the block. */
  readonly signatures: number;
  /** Validation-group slots in which it was a member and did not sign. */
  readonly missed: number;
  /** Groups it was selected into. */
  readonly groupsJoined: number;
  /** Punishments for proposing two blocks at one height. */
  readonly punishments: number;
  /** Device health in parts per million; node-lite has no device fingerprint, default SCALE. */
  readonly device: number;
}

export const FRESH_HEALTH: HealthRecord = Object.freeze({
  proposals: 0,
  signatures: 0,
  missed: 0,
  groupsJoined: 0,
  punishments: 0,
  device: Number(HEALTH_SCALE),
});

export type HealthEvent =
  | { readonly kind: 'signed'; readonly miner: MinerId }
  | { readonly kind: 'missed'; readonly miner: MinerId }
  | { readonly kind: 'proposed'; readonly miner: MinerId }
  | { readonly kind: 'joined-group'; readonly miner: MinerId }
  | { readonly kind: 'punished'; readonly miner: MinerId }
  | { readonly kind: 'device'; readonly miner: MinerId; readonly ppm: number };

/** Health records by miner id; a miner without a record has FRESH_HEALTH. */
export type HealthBook = ReadonlyMap<MinerId, HealthRecord>;
export const EMPTY_HEALTH: HealthBook = new Map();

export function healthRecord(book: HealthBook, id: MinerId): HealthRecord {
  return book.get(id) ?? FRESH_HEALTH;
}

export function applyHealthEvent(record: HealthRecord, event: HealthEvent): HealthRecord {
  switch (event.kind) {
    case 'signed':
      return Object.freeze({ ...record, signatures: record.signatures + 1 });
    case 'missed':
      return Object.freeze({ ...record, missed: record.missed + 1 });
    case 'proposed':
      return Object.freeze({ ...record, proposals: record.proposals + 1 });
    case 'joined-group':
      return Object.freeze({ ...record, groupsJoined: record.groupsJoined + 1 });
    case 'punished':
      return Object.freeze({ ...record, punishments: record.punishments + 1 });
    case 'device':
      if (!Number.isSafeInteger(event.ppm) || event.ppm < 0 || event.ppm > Number(HEALTH_SCALE)) {
        throw new ConsensusError('invalid-argument', `device health must be an integer in 0..${HEALTH_SCALE} ppm, got ${event.ppm}`);
      }
      return Object.freeze({ ...record, device: event.ppm });
    default:
      throw new ConsensusError('invalid-argument', `unknown health event kind '${String((event as { kind: unknown }).kind)}'`);
  }
}

/** A new book with the events applied in order (the old book is unchanged). */
export function applyHealthEvents(book: HealthBook, events: readonly HealthEvent[]): HealthBook {
  const next = new Map(book);
  for (const event of events) next.set(event.miner, applyHealthEvent(next.get(event.miner) ?? FRESH_HEALTH, event));
  return next;
}

/** x / (x + half) in ppm: 0 at 0, one half at `half`, tends to SCALE; local and monotone. */
function saturating(x: bigint, half: bigint): bigint {
  return (x * HEALTH_SCALE) / (x + half);
}

export interface HealthFactors {
  readonly participations: bigint;
  readonly rate: bigint;
  readonly device: bigint;
  readonly groups: bigint;
  readonly stake: bigint;
}

/** The five factor scores of A.1, each in [0, SCALE] ppm. */
export function healthFactors(record: HealthRecord, stake: bigint, params: ConsensusParams): HealthFactors {
  const signed = BigInt(record.signatures);
  const theoretical = signed + BigInt(record.missed);
  return {
    participations: saturating(BigInt(record.proposals) + signed, BigInt(params.healthHalfParticipations)),
    // Laplace's rule (s+1)/(s+m+2): a newcomer with no duty yet scores one half, not 0 or 1.
    rate: ((signed + 1n) * HEALTH_SCALE) / (theoretical + 2n),
    device: BigInt(record.device),
    groups: saturating(BigInt(record.groupsJoined), BigInt(params.healthHalfGroups)),
    stake: stake <= 0n ? 0n : saturating(stake, params.minStake),
  };
}

/** The health index in ppm, 0..1_000_000. */
export function healthIndex(record: HealthRecord, stake: bigint, params: ConsensusParams): bigint {
  const f = healthFactors(record, stake, params);
  const w = HEALTH_WEIGHTS;
  const mean = (f.participations * w.participations + f.rate * w.rate + f.device * w.device + f.groups * w.groups + f.stake * w.stake) / WEIGHT_SUM;
  const shift = BigInt(record.punishments) > MAX_PUNISHMENT_SHIFT ? MAX_PUNISHMENT_SHIFT : BigInt(record.punishments);
  return mean >> shift;
}

export interface RankedCandidate {
  readonly miner: Miner;
  readonly health: bigint;
}

/** Highest health first; equal health by ascending miner id, so the order is total. */
export function compareRanked(a: RankedCandidate, b: RankedCandidate): number {
  if (a.health !== b.health) return a.health > b.health ? -1 : 1;
  return a.miner.id < b.miner.id ? -1 : a.miner.id > b.miner.id ? 1 : 0;
}

/**
 * Group candidates at `height` (the synced snapshot r - d): the verifiers (light nodes, 2.1.1
 * "random sampling on light node miners") active then, ranked by health index.
 */
export function rankCandidates(registry: MinerRegistry, book: HealthBook, params: ConsensusParams, height: number): RankedCandidate[] {
  return activeMiners(registry, 'verifier', height)
    .map((miner) => ({ miner, health: healthIndex(healthRecord(book, miner.id), miner.stake, params) }))
    .sort(compareRanked);
}
