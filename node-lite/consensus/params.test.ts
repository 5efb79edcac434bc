import { describe, expect, it } from 'vitest';
import { ConsensusError } from './errors.ts';
import { PRESETS, SEED, SMALL, groupLifeBound, thresholdFor, validateParams, type ConsensusParams } from './params.ts';

function rejects(overrides: Partial<ConsensusParams>, fragment: string): void {
  const params = { ...SMALL, ...overrides };
  let error: unknown;
  try {
    validateParams(params);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConsensusError);
  expect((error as ConsensusError).code).toBe('invalid-params');
  expect((error as ConsensusError).message).toContain(fragment);
}

describe('consensus presets', () => {
  it('both presets are valid', () => {
    expect(validateParams(SMALL)).toBe(SMALL);
    expect(validateParams(SEED)).toBe(SEED);
    expect(PRESETS.small).toBe(SMALL);
    expect(PRESETS.seed).toBe(SEED);
  });

  it('the seed preset has the whitepaper numbers', () => {
    expect(SEED.groupSize).toBe(100);
    expect(thresholdFor(SEED, 100)).toBe(51);
    expect(SEED.slotMs).toBe(3000);
    expect(SEED.checkpointInterval).toBe(100);
    expect(SEED.activationDelayEpochs).toBe(2);
    expect(SEED.refundDelay).toBeGreaterThan(groupLifeBound(SEED));
  });

  it('threshold is ceil(n * percent / 100) in integers', () => {
    expect(thresholdFor(SEED, 80)).toBe(41); // 40.8
    expect(thresholdFor(SEED, 99)).toBe(51); // 50.49
    expect(thresholdFor(SMALL, 5)).toBe(3); // 2.55
    expect(thresholdFor(SMALL, 3)).toBe(2); // 1.53
    expect(thresholdFor({ ...SMALL, thresholdPercent: 100 }, 7)).toBe(7);
  });
});

describe('validateParams rejects', () => {
  it('non-positive or non-integer sizes', () => {
    rejects({ groupSize: 0 }, 'groupSize must be a positive integer');
    rejects({ epochLength: 2.5 }, 'epochLength must be a positive integer');
    rejects({ syncDepth: -1 }, 'syncDepth');
  });
  it('a minimum group size above the group size', () => rejects({ minGroupSize: 6 }, 'minGroupSize 6 exceeds groupSize 5'));
  it('a threshold at or below half, or above the group', () => {
    rejects({ thresholdPercent: 50 }, 'thresholdPercent must be in 51..100');
    rejects({ thresholdPercent: 101 }, 'thresholdPercent must be in 51..100');
  });
  it('a group too small for a threshold signature', () => rejects({ minGroupSize: 1 }, 'threshold 1'));
  it('a checkpoint quorum below two thirds or above one', () => {
    rejects({ checkpointQuorum: { num: 1, den: 2 } }, 'below the two thirds');
    rejects({ checkpointQuorum: { num: 3, den: 2 } }, 'checkpointQuorum must be a ratio');
  });
  it('a CheckInterval longer than an epoch', () => rejects({ checkInterval: 11 }, 'checkInterval 11 exceeds epochLength 10'));
  it('a sync depth of an epoch or more', () => rejects({ syncDepth: 10 }, 'syncDepth 10 must be shorter than an epoch'));
  it('a refund delay not longer than a group life', () => {
    expect(groupLifeBound(SMALL)).toBe(41);
    rejects({ refundDelay: 41 }, 'refundDelay 41 must exceed');
  });
  it('a non-positive minimum stake', () => rejects({ minStake: 0n }, 'minStake must be a positive bigint'));
});
