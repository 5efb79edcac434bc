// Consensus parameters as data, two presets, and the validation of a parameter set.
// Heights are block heights = slot numbers (whitepaper A.1: the block of slot r has height r;
// a failed slot leaves its height empty). Epochs are counted from height 0:
// epoch(h) = floor(h / epochLength). Where each preset value comes from is written next to it
// and in docs/consensus-groups.md.

import { ConsensusError } from './errors.ts';

export interface Ratio {
  readonly num: number;
  readonly den: number;
}

export interface ConsensusParams {
  readonly name: string;
  /** Target members of a new group (n when enough candidates exist). */
  readonly groupSize: number;
  /** Fewest candidates a group may be built from; below it no group is built. */
  readonly minGroupSize: number;
  /** Threshold as a percentage of the actual group size: t = ceil(n * percent / 100). */
  readonly thresholdPercent: number;
  /** Slot length in milliseconds (the engine's timer; nothing here reads a clock). */
  readonly slotMs: number;
  /** Slots per epoch. */
  readonly epochLength: number;
  /** Blocks between checkpoints. */
  readonly checkpointInterval: number;
  /** Share of an epoch's validation groups whose endorsement makes a block final. */
  readonly checkpointQuorum: Ratio;
  /** A new group is built at every height that is a positive multiple of this (CheckInterval). */
  readonly checkInterval: number;
  /** Epochs between creation and activation (the whitepaper's e+2). */
  readonly activationDelayEpochs: number;
  /** Epochs a group works: deactivation = activation + validPeriod (ValidPeriod). */
  readonly validPeriodEpochs: number;
  /** d: blocks at heights <= r - d are taken as synced everywhere; candidates are read there. */
  readonly syncDepth: number;
  /** Blocks after annulment before the deposit may be refunded; longer than a group's life. */
  readonly refundDelay: number;
  /** Minimum deposit of a miner, in the chain's smallest unit. */
  readonly minStake: bigint;
  /** Health index: participations (proposals + signatures) at which that factor is one half. */
  readonly healthHalfParticipations: number;
  /** Health index: groups joined at which that factor is one half. */
  readonly healthHalfGroups: number;
  /** Expected eligible proposers per slot: the `expected` of the stake-weighted VRF lottery. */
  readonly expectedProposers: number;
  /** Coin minted per block, split between the proposer and the signers of its parent. */
  readonly blockReward: bigint;
  /** The proposer's share of blockReward, in percent; the rest goes to the parent's signers. */
  readonly proposerSharePercent: number;
  /** Stake taken, in percent (at least 1 unit), from a proposer proven to sign two blocks at one height. */
  readonly equivocationSlashPercent: number;
  /** DKG: dealings count when recorded in blocks at heights (r, r + dkgDealWindow], r the build height. */
  readonly dkgDealWindow: number;
  /** DKG: complaints count when recorded up to r + dkgDealWindow + dkgComplaintWindow. */
  readonly dkgComplaintWindow: number;
}

/** A devnet preset: groups of 5 (threshold 3), 10-slot epochs, a new group every 5 blocks. */
export const SMALL: ConsensusParams = Object.freeze({
  name: 'small',
  groupSize: 5,
  minGroupSize: 3,
  thresholdPercent: 51, // same rule as the real chain: ceil(0.51 n) -> 3 of 5
  slotMs: 200,
  epochLength: 10,
  checkpointInterval: 10, // one checkpoint per epoch, as in the whitepaper 2.1.6
  checkpointQuorum: Object.freeze({ num: 2, den: 3 }),
  checkInterval: 5, // 2 groups created per epoch, about 4 active at a time: checkpoints form within 2 epochs
  activationDelayEpochs: 2,
  validPeriodEpochs: 2,
  syncDepth: 1,
  refundDelay: 50, // > syncDepth + (2 + 2) * 10 = 41
  minStake: 100n,
  healthHalfParticipations: 10,
  healthHalfGroups: 2,
  expectedProposers: 2, // our choice: with 3 equal proposers a slot has none 1 time in 27
  blockReward: 100n,
  proposerSharePercent: 40,
  equivocationSlashPercent: 10,
  dkgDealWindow: 3,
  dkgComplaintWindow: 2,
});

/**
 * The whitepaper's own numbers: groups of 100 ("usually 100 nodes per group", 2.1), threshold
 * ceil(0.51 n) = 51 (the real chain, DESIGN.md), 3 s slots (DESIGN.md), a checkpoint per 100
 * blocks (2.1.6 and 2.1.7 "one CP per 100 blocks") with the checkpoint cycle equal to the
 * epoch (2.1.6), activation at e+2 (2.1.3, and the real chain's GroupActivateEpochGap = 1,
 * i.e. e+1+1), a life of 2 epochs (the real chain's GroupLiveEpochs = 2; the whitepaper names
 * ValidPeriod without a value). The real chain used 80..100 members and 240-block epochs
 * (DESIGN.md); we keep the whitepaper's epoch = checkpoint cycle = 100 blocks so that 2.1.6's
 * "two thirds of the epoch's groups" is one well-defined set per checkpoint.
 */
export const SEED: ConsensusParams = Object.freeze({
  name: 'seed',
  groupSize: 100,
  minGroupSize: 80,
  thresholdPercent: 51,
  slotMs: 3000,
  epochLength: 100,
  checkpointInterval: 100,
  checkpointQuorum: Object.freeze({ num: 2, den: 3 }),
  checkInterval: 10, // our choice (not in the whitepaper): 10 new groups per epoch, ~20 active
  activationDelayEpochs: 2,
  validPeriodEpochs: 2,
  syncDepth: 3, // our choice: a block reaches the network within 3 slots (9 s)
  refundDelay: 500, // > syncDepth + (2 + 2) * 100 = 403: "longer than the group's life" (2.1.1)
  minStake: 500n * 10n ** 9n, // our choice: 500 coins of 10^9 base units
  healthHalfParticipations: 50,
  healthHalfGroups: 5,
  expectedProposers: 5, // our choice: several candidates per slot, few empty slots
  blockReward: 3n * 10n ** 9n, // our choice: 3 coins per block (the whitepaper gives no amount)
  proposerSharePercent: 40,
  equivocationSlashPercent: 10,
  dkgDealWindow: 10, // 30 s for 100 dealers to get their dealing recorded
  dkgComplaintWindow: 5,
});

export const PRESETS: Readonly<Record<'small' | 'seed', ConsensusParams>> = Object.freeze({ small: SMALL, seed: SEED });

/** t for a group of n members: ceil(n * percent / 100), in integers. */
export function thresholdFor(params: ConsensusParams, n: number): number {
  return Math.floor((n * params.thresholdPercent + 99) / 100);
}

/**
 * The longest a miner can stay bound to a group after it stops being a candidate: a group
 * built at height r reads candidates at r - syncDepth and works until the end of epoch
 * epoch(r) + activationDelay + validPeriod - 1, i.e. at most syncDepth + (delay + period) *
 * epochLength blocks after the candidate snapshot.
 */
export function groupLifeBound(params: ConsensusParams): number {
  return params.syncDepth + (params.activationDelayEpochs + params.validPeriodEpochs) * params.epochLength;
}

/** Every rule a parameter set must satisfy; the first broken one is thrown. */
export function validateParams(params: ConsensusParams): ConsensusParams {
  const fail = (message: string): never => {
    throw new ConsensusError('invalid-params', `${params.name || 'params'}: ${message}`);
  };
  const positive = (key: keyof ConsensusParams): void => {
    const v = params[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) fail(`${key} must be a positive integer, got ${String(v)}`);
  };
  for (const key of [
    'groupSize',
    'minGroupSize',
    'thresholdPercent',
    'slotMs',
    'epochLength',
    'checkpointInterval',
    'checkInterval',
    'activationDelayEpochs',
    'validPeriodEpochs',
    'refundDelay',
    'healthHalfParticipations',
    'healthHalfGroups',
    'expectedProposers',
    'dkgDealWindow',
    'dkgComplaintWindow',
  ] as const) {
    positive(key);
  }
  if (!Number.isSafeInteger(params.syncDepth) || params.syncDepth < 0) fail(`syncDepth must be a non-negative integer, got ${params.syncDepth}`);
  if (params.minGroupSize > params.groupSize) fail(`minGroupSize ${params.minGroupSize} exceeds groupSize ${params.groupSize}`);
  // t > n/2: honest members sign one candidate per height, so two blocks at one height would
  // need two overlapping majorities; below half, two disjoint subsets could each reach t.
  if (params.thresholdPercent <= 50 || params.thresholdPercent > 100) {
    fail(`thresholdPercent must be in 51..100 (the threshold must exceed half the group and not exceed it), got ${params.thresholdPercent}`);
  }
  const tMin = thresholdFor(params, params.minGroupSize);
  if (tMin < 2) fail(`the smallest group (${params.minGroupSize} members) would have threshold ${tMin}; a threshold signature needs t >= 2`);
  if (thresholdFor(params, params.groupSize) > params.groupSize) fail('threshold exceeds the group size');
  const q = params.checkpointQuorum;
  if (!q || !Number.isSafeInteger(q.num) || !Number.isSafeInteger(q.den) || q.den <= 0 || q.num <= 0 || q.num > q.den) {
    fail(`checkpointQuorum must be a ratio num/den in (0, 1], got ${q ? `${q.num}/${q.den}` : String(q)}`);
  }
  if (q.num * 3 < q.den * 2) fail(`checkpointQuorum ${q.num}/${q.den} is below the two thirds of 2.1.6`);
  if (params.checkInterval > params.epochLength) {
    fail(`checkInterval ${params.checkInterval} exceeds epochLength ${params.epochLength}: some epochs would create no group`);
  }
  // The candidate snapshot r - d must stay inside the building window before activation.
  if (params.syncDepth >= params.epochLength) fail(`syncDepth ${params.syncDepth} must be shorter than an epoch (${params.epochLength})`);
  if (typeof params.minStake !== 'bigint' || params.minStake <= 0n) fail(`minStake must be a positive bigint, got ${String(params.minStake)}`);
  if (typeof params.blockReward !== 'bigint' || params.blockReward < 0n) fail(`blockReward must be a non-negative bigint, got ${String(params.blockReward)}`);
  for (const key of ['proposerSharePercent', 'equivocationSlashPercent'] as const) {
    const v = params[key];
    if (!Number.isSafeInteger(v) || v < 0 || v > 100) fail(`${key} must be an integer percentage in 0..100, got ${String(v)}`);
  }
  // A group built at the last build height of an epoch activates checkInterval + epochLength
  // blocks later at the least; its dealings and complaints must be settled before, with one
  // block to spare for the parent's seal.
  if (params.dkgDealWindow + params.dkgComplaintWindow >= params.epochLength) {
    fail(`dkgDealWindow + dkgComplaintWindow (${params.dkgDealWindow + params.dkgComplaintWindow}) must be shorter than an epoch (${params.epochLength}) so a group is settled before it activates`);
  }
  const life = groupLifeBound(params);
  if (params.refundDelay <= life) {
    fail(`refundDelay ${params.refundDelay} must exceed a group's life (syncDepth + (activationDelay + validPeriod) * epochLength = ${life})`);
  }
  return params;
}
