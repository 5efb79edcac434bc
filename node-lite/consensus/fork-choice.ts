// Fork choice (whitepaper 2.1.5) and checkpoints (2.1.6).
//
// Chain weight: totalG = Σ G_i over the chain's blocks, G_i the priority of block i's
// proposal (proposer.ts), in exact integers (bigint). A failed slot adds nothing. Nodes prefer
// the heavier chain; on equal weight, the tip with the smaller hash (a total order that does
// not depend on which chain arrived first).
//
// Fork point: the paper's "regional search ... binary comparison on target chain segments of
// a certain step size; the step size is adjusted according to the results". We read it as a
// galloping search: from the lower tip, step down 1, 2, 4, ... blocks until the chains agree,
// then halve the step between the last agreeing and the first disagreeing height. A fork d
// blocks deep costs O(log d) lookups on each chain, so the common, shallow forks are cheapest.
//
// Checkpoints: the cycle is `checkpointInterval` blocks (the epoch in both presets). Once the
// chain enters cycle n + 2, cycle n is settled: a block B of cycle n is final when at least
// `checkpointQuorum` (2/3) of cycle n's validation groups endorsed it, a group endorsing B when
// it signed B or a later block on the same chain up to the end of cycle n + 1 (a group signs
// a block only after checking its parent, so a signature on a descendant vouches for B: the
// "strongly seen" of Hashgraph that 2.1.6 alludes to). The checkpoint of cycle n is the
// highest final block of cycle n; no reorganisation may replace it.

import { assertHeight, bytesEqual, compareBytes, toHex } from './bytes.ts';
import { ConsensusError } from './errors.ts';
import type { ConsensusParams } from './params.ts';

/** totalG of a chain (or a segment): the sum of its blocks' priorities. */
export function chainWeight(priorities: Iterable<number>): bigint {
  let sum = 0n;
  for (const g of priorities) {
    if (!Number.isSafeInteger(g) || g < 0) throw new ConsensusError('invalid-argument', `a block priority is a non-negative integer, got ${g}`);
    sum += BigInt(g);
  }
  return sum;
}

export interface ChainTip {
  /** totalG from genesis (or from a common fork point: only differences matter). */
  readonly weight: bigint;
  readonly hash: Uint8Array;
}

/** Positive when `a` is preferred, negative when `b` is, 0 only for the same tip. */
export function compareChains(a: ChainTip, b: ChainTip): number {
  if (a.weight !== b.weight) return a.weight > b.weight ? 1 : -1;
  return Math.sign(compareBytes(b.hash, a.hash));
}

export function heavierChain<T extends ChainTip>(a: T, b: T): T {
  return compareChains(a, b) >= 0 ? a : b;
}

/** A block by height and hash. */
export interface BlockRef {
  readonly height: number;
  readonly hash: Uint8Array;
}

/**
 * A chain as the fork-point search reads it. `headAt(h)` is the chain's last block at a height
 * <= h (heights are slots, so failed slots leave gaps; asking for the head rather than the
 * block at h makes "the chains agree at h" monotone in h). Height 0 is the genesis.
 */
export interface ChainView {
  readonly tipHeight: number;
  headAt(height: number): BlockRef;
}

export interface ForkPoint {
  /** The last block both chains share (the genesis if nothing else). */
  readonly common: BlockRef;
  /** Highest height h at which both chains' heads are that block. */
  readonly agreeUpTo: number;
  /** headAt calls made on each chain together (for the O(log) bound). */
  readonly lookups: number;
}

/**
 * Locates where two chains part, by the step-size (galloping, then binary) search. Throws
 * `no-common-ancestor` when the chains do not share their genesis.
 */
export function findForkPoint(a: ChainView, b: ChainView): ForkPoint {
  assertHeight(a.tipHeight, 'tip height');
  assertHeight(b.tipHeight, 'tip height');
  let lookups = 0;
  const agree = (h: number): boolean => {
    lookups += 2;
    return bytesEqual(a.headAt(h).hash, b.headAt(h).hash);
  };
  const top = Math.min(a.tipHeight, b.tipHeight);
  // Gallop down from the lower tip: `good` ends at a height where the chains agree and `bad`
  // just above it at one where they do not (or top + 1 if they agree at top).
  let bad = top + 1;
  let good = top;
  for (let step = 1; !agree(good); step *= 2) {
    bad = good;
    if (good === 0) throw new ConsensusError('no-common-ancestor', 'the chains do not share their genesis block');
    good = Math.max(0, good - step);
  }
  // Binary search on (good, bad): agree(good) and not agree(bad) (or bad = top + 1).
  while (bad - good > 1) {
    const mid = good + Math.floor((bad - good) / 2);
    if (agree(mid)) good = mid;
    else bad = mid;
  }
  lookups += 1;
  return Object.freeze({ common: a.headAt(good), agreeUpTo: good, lookups });
}

/**
 * The rule of 2.1.6: a reorganisation whose fork point (the last common block) lies below the
 * latest checkpoint would replace a final block, and is refused. `latestCheckpoint` null means
 * no checkpoint yet.
 */
export function reorgAllowed(latestCheckpointHeight: number | null, forkPointHeight: number): boolean {
  assertHeight(forkPointHeight, 'fork point height');
  if (latestCheckpointHeight === null) return true;
  assertHeight(latestCheckpointHeight, 'checkpoint height');
  return forkPointHeight >= latestCheckpointHeight;
}

/** reorgAllowed as an assertion, for callers that count the refusal against the sender. */
export function assertReorgAllowed(latestCheckpointHeight: number | null, forkPointHeight: number): void {
  if (!reorgAllowed(latestCheckpointHeight, forkPointHeight)) {
    throw new ConsensusError('reorg-below-checkpoint', `a fork from height ${forkPointHeight} would replace the checkpoint at ${latestCheckpointHeight}`);
  }
}

/**
 * Whether to switch from the current chain to a candidate that forks from it at `forkPoint`:
 * only if the reorganisation keeps the latest checkpoint and the candidate is preferred.
 */
export function shouldSwitch(current: ChainTip, candidate: ChainTip, forkPointHeight: number, latestCheckpointHeight: number | null): boolean {
  return reorgAllowed(latestCheckpointHeight, forkPointHeight) && compareChains(candidate, current) > 0;
}

// ---- checkpoints ----

export function checkpointCycleOf(params: ConsensusParams, height: number): number {
  assertHeight(height);
  return Math.floor(height / params.checkpointInterval);
}

/** The cycle that becomes decidable when the chain reaches `height` (cycle n at n + 2), or null. */
export function settledCycleAt(params: ConsensusParams, height: number): number | null {
  const n = checkpointCycleOf(params, height) - 2;
  return n >= 0 ? n : null;
}

/** A block of the chain as the checkpoint rule reads it: where it is and which group signed it. */
export interface EndorsedBlock extends BlockRef {
  readonly groupId: Uint8Array;
}

export interface Checkpoint extends BlockRef {
  readonly cycle: number;
  /** Distinct groups of the cycle's validation set that endorsed the block. */
  readonly endorsers: number;
  /** Size of the cycle's validation group set. */
  readonly groups: number;
}

/**
 * The checkpoint of cycle n: the highest block of cycle n endorsed by at least
 * checkpointQuorum of cycle n's validation groups, or null if none is.
 * `blocks`: the chain's blocks at heights in [n·I, (n+2)·I), ascending (I = checkpointInterval).
 * `cycleGroups`: the ids of the groups active during cycle n (its validation group set).
 */
export function findCheckpoint(params: ConsensusParams, cycle: number, blocks: readonly EndorsedBlock[], cycleGroups: readonly Uint8Array[]): Checkpoint | null {
  assertHeight(cycle, 'cycle');
  const start = cycle * params.checkpointInterval;
  const end = start + 2 * params.checkpointInterval;
  const members = new Set(cycleGroups.map(toHex));
  if (members.size === 0) return null;
  let last = -1;
  for (const b of blocks) {
    assertHeight(b.height);
    if (b.height <= last || b.height < start || b.height >= end) {
      throw new ConsensusError('invalid-argument', `checkpoint blocks must ascend within [${start}, ${end}), got height ${b.height} after ${last}`);
    }
    last = b.height;
  }
  // Walk down, adding each block's group: `seen` is then the endorsers of the current block.
  const seen = new Set<string>();
  const { num, den } = params.checkpointQuorum;
  let best: Checkpoint | null = null;
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i]!;
    const g = toHex(b.groupId);
    if (members.has(g)) seen.add(g);
    if (b.height < start + params.checkpointInterval && seen.size * den >= num * members.size) {
      best = Object.freeze({ height: b.height, hash: b.hash, cycle, endorsers: seen.size, groups: members.size });
      break; // endorsement only grows downwards; the highest qualifying block is the checkpoint
    }
  }
  return best;
}

/** Whether a block at `height` is final under the latest checkpoint (it is at or below it). */
export function isFinal(latestCheckpointHeight: number | null, height: number): boolean {
  assertHeight(height);
  return latestCheckpointHeight !== null && height <= latestCheckpointHeight;
}
