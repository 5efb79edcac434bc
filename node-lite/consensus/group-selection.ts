// Group building and group choice (whitepaper 2.1.3): the PRG seeded from a block's random
// value, the selection of a new group's members from the candidates ranked by health, the
// group's lifecycle heights, and the choice of the validation group of a slot.

import { sha256 } from '@noble/hashes/sha2.js';
import { assertBytes, assertHeight, compareBytes, concatBytes, u64be } from './bytes.ts';
import { ConsensusError } from './errors.ts';
import type { HealthBook, RankedCandidate } from './health.ts';
import { rankCandidates } from './health.ts';
import type { Miner, MinerRegistry } from './miners.ts';
import type { ConsensusParams } from './params.ts';
import { thresholdFor } from './params.ts';

export const RANDOM_BYTES = 32;
const PRG_DOMAIN = new TextEncoder().encode('ZV-PRG-v1');
const TWO_POW_32 = 0x1_0000_0000;

/** The labels of the PRG streams the rules draw from (one stream per use of a seed). */
export const PRG_LABELS = Object.freeze({ groupMembers: 'group-members', validationGroup: 'validation-group' });

/**
 * SHA-256 in counter mode. Block i of the stream is
 *   SHA-256("ZV-PRG-v1" ‖ u8(len(label)) ‖ label ‖ seed[32] ‖ u64be(i)),  i = 0, 1, 2, ...
 * and the stream is block 0 ‖ block 1 ‖ ..., read four bytes at a time as big-endian u32.
 * The label separates uses of one seed (the same block random picks members and, hashed, a
 * validation group). Deterministic and platform-independent; as unpredictable as the seed,
 * which is a threshold-BLS group signature nobody can choose.
 */
export class Prg {
  private readonly prefix: Uint8Array;
  private counter = 0;
  private block = new Uint8Array(0);
  private pos = 0;

  constructor(seed: Uint8Array, label: string) {
    assertBytes(seed, RANDOM_BYTES, 'a PRG seed');
    const labelBytes = new TextEncoder().encode(label);
    if (labelBytes.length > 255) throw new ConsensusError('invalid-argument', 'a PRG label is at most 255 bytes');
    this.prefix = concatBytes([PRG_DOMAIN, Uint8Array.of(labelBytes.length), labelBytes, seed]);
  }

  /** The next `n` bytes of the stream. */
  nextBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (this.pos === this.block.length) {
        this.block = sha256(concatBytes([this.prefix, u64be(this.counter++)]));
        this.pos = 0;
      }
      out[i] = this.block[this.pos++]!;
    }
    return out;
  }

  nextU32(): number {
    const b = this.nextBytes(4);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }

  /** Uniform in [0, n) for 1 <= n <= 2^32, without modulo bias (rejection sampling). */
  nextBelow(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new ConsensusError('invalid-argument', `nextBelow bound must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }
}

/**
 * The members of a new group, from the candidates ranked by health (best first). With N
 * candidates and target size n:
 * - N < minGroupSize: no group (throws not-enough-candidates);
 * - N <= n: every candidate, in rank order;
 * - N > n: stratified sampling. The ranking is cut into n consecutive strata, stratum k being
 *   ranks [floor(kN/n), floor((k+1)N/n)), and the PRG picks one candidate in each, in order
 *   k = 0..n-1. This is how we read 2.1.3 §3: the new group's health distribution follows the
 *   candidates' (one member per quantile), high-health members "carry along" low-health ones,
 *   and a block of low-health "zombies" can take at most its share of strata.
 * Ties in health are already broken by miner id in the ranking, so the result is a function of
 * the ranking and the seed only. The member order is the DKG order (member id = index + 1).
 */
export function selectGroupMembers(ranked: readonly RankedCandidate[], params: ConsensusParams, seed: Uint8Array): Miner[] {
  const total = ranked.length;
  if (total < params.minGroupSize) {
    throw new ConsensusError('not-enough-candidates', `${total} eligible candidates, a group needs at least ${params.minGroupSize}`);
  }
  const prg = new Prg(seed, PRG_LABELS.groupMembers);
  if (total <= params.groupSize) return ranked.map((c) => c.miner);
  const size = params.groupSize;
  const members: Miner[] = [];
  for (let k = 0; k < size; k++) {
    const lo = Math.floor((k * total) / size);
    const hi = Math.floor(((k + 1) * total) / size);
    members.push(ranked[lo + prg.nextBelow(hi - lo)]!.miner);
  }
  return members;
}

export function epochOf(params: ConsensusParams, height: number): number {
  assertHeight(height);
  return Math.floor(height / params.epochLength);
}

/** A group is built when the block at a positive multiple of CheckInterval is made (2.1.3 §2). */
export function isGroupBuildHeight(params: ConsensusParams, height: number): boolean {
  assertHeight(height);
  return height > 0 && height % params.checkInterval === 0;
}

/** The synced height r - d whose registry and health the candidates are read from. */
export function candidateHeight(params: ConsensusParams, height: number): number {
  assertHeight(height);
  return Math.max(0, height - params.syncDepth);
}

export interface GroupLifecycle {
  /** Height of the block whose random seeded the selection (the parent's block). */
  readonly createdAt: number;
  readonly createdEpoch: number;
  /** GIS.Activation = e + 2 (activationDelayEpochs). */
  readonly activationEpoch: number;
  /** GIS.Deactivation = Activation + ValidPeriod. */
  readonly deactivationEpoch: number;
  /** First height at which the group can be the validation group. */
  readonly activationHeight: number;
  /** First height at which it no longer can (it works in [activationHeight, deactivationHeight)). */
  readonly deactivationHeight: number;
  /** Candidates are read at this height (r - d). */
  readonly candidateHeight: number;
}

export function groupLifecycle(params: ConsensusParams, createdAt: number): GroupLifecycle {
  const createdEpoch = epochOf(params, createdAt);
  const activationEpoch = createdEpoch + params.activationDelayEpochs;
  const deactivationEpoch = activationEpoch + params.validPeriodEpochs;
  return Object.freeze({
    createdAt,
    createdEpoch,
    activationEpoch,
    deactivationEpoch,
    activationHeight: activationEpoch * params.epochLength,
    deactivationHeight: deactivationEpoch * params.epochLength,
    candidateHeight: candidateHeight(params, createdAt),
  });
}

/**
 * Asynchronous group building (2.1.3 §5): members that come online late may still deal and
 * collect shares until the group activates; a group not established by then never works.
 */
export function isBuildingWindow(lifecycle: GroupLifecycle, height: number): boolean {
  return height >= lifecycle.createdAt && height < lifecycle.activationHeight;
}

/** The group window as the group block records it. */
export interface GroupWindow {
  readonly hash: Uint8Array;
  readonly gis: { readonly createdAt: number; readonly activationEpoch: number; readonly deactivationEpoch: number };
}

/** Activation <= epoch(height) < Deactivation (2.1.3 §4). */
export function isGroupActive(group: GroupWindow, params: ConsensusParams, height: number): boolean {
  const e = epochOf(params, height);
  return group.gis.activationEpoch <= e && e < group.gis.deactivationEpoch;
}

/** Canonical order of groups: creation height, then group hash. */
export function compareGroups(a: GroupWindow, b: GroupWindow): number {
  return a.gis.createdAt !== b.gis.createdAt ? a.gis.createdAt - b.gis.createdAt : compareBytes(a.hash, b.hash);
}

/** The list gB of 2.1.3 §4: groups active at `height`, in canonical order. */
export function activeGroups<G extends GroupWindow>(groups: readonly G[], params: ConsensusParams, height: number): G[] {
  return groups.filter((g) => isGroupActive(g, params, height)).sort(compareGroups);
}

/**
 * R_r for slot r (2.1.3 §3): R_r = hash(B_{r-1}.Rand), and each failed slot hashes once more,
 * R_{r+1} = hash(hash(B_{r-1}.Rand)). So with the last block at height h < r,
 * R_r = SHA-256^(r - h)(B_h.Rand).
 */
export function slotRandom(lastRandom: Uint8Array, lastHeight: number, slot: number): Uint8Array {
  assertBytes(lastRandom, RANDOM_BYTES, 'a block random value');
  assertHeight(lastHeight, 'the last block height');
  assertHeight(slot, 'the slot');
  if (slot <= lastHeight) throw new ConsensusError('invalid-height', `slot ${slot} is not after the last block at ${lastHeight}`);
  let r = lastRandom;
  for (let i = lastHeight; i < slot; i++) r = sha256(r);
  return r;
}

/**
 * The validation group of slot `height`: the PRG seeded by R_r picks uniformly among the
 * active groups (2.1.3 §4; 2.1.7: "all groups have equal chance"). Null when none is active.
 */
export function selectValidationGroup<G extends GroupWindow>(groups: readonly G[], params: ConsensusParams, height: number, slotRand: Uint8Array): G | null {
  const active = activeGroups(groups, params, height);
  if (active.length === 0) return null;
  const prg = new Prg(slotRand, PRG_LABELS.validationGroup);
  return active[prg.nextBelow(active.length)]!;
}

export interface GroupPlan {
  readonly lifecycle: GroupLifecycle;
  readonly members: readonly Miner[];
  readonly threshold: number;
  /** The block random that seeded the selection (recorded in the GIS for audit). */
  readonly seed: Uint8Array;
}

/**
 * What the parent group proposes at a build height r: candidates from the registry and
 * health at r - d, members by stratified PRG selection seeded with block r's random value,
 * activation and deactivation epochs. Every honest parent member computes the same plan.
 */
export function planGroup(
  registry: MinerRegistry,
  book: HealthBook,
  params: ConsensusParams,
  height: number,
  blockRandom: Uint8Array,
): GroupPlan {
  if (!isGroupBuildHeight(params, height)) {
    throw new ConsensusError('invalid-height', `height ${height} is not a group build height (positive multiple of ${params.checkInterval})`);
  }
  assertBytes(blockRandom, RANDOM_BYTES, 'a block random value');
  const lifecycle = groupLifecycle(params, height);
  const ranked = rankCandidates(registry, book, params, lifecycle.candidateHeight);
  const members = selectGroupMembers(ranked, params, blockRandom);
  return Object.freeze({ lifecycle, members: Object.freeze(members), threshold: thresholdFor(params, members.length), seed: blockRandom.slice() });
}
