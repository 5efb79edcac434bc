import { describe, expect, it } from 'vitest';
import { ConsensusError } from './errors.ts';
import {
  EMPTY_REGISTRY,
  activeMiners,
  annulMiner,
  getMiner,
  minerIdOf,
  refundMiner,
  registerMiner,
  slashMiner,
  stakeQualifies,
  stakeWeightedPick,
  totalStake,
  type MinerRegistry,
} from './miners.ts';
import { SMALL } from './params.ts';
import { testPublicKey } from './testing.ts';

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConsensusError);
    return (e as ConsensusError).code;
  }
  throw new Error('expected a ConsensusError');
}

const pk0 = testPublicKey(0);
const id0 = minerIdOf(pk0);

function withOne(): MinerRegistry {
  return registerMiner(EMPTY_REGISTRY, { publicKey: pk0, type: 'verifier', stake: 150n, height: 3 }, SMALL);
}

describe('miner registration', () => {
  it('derives the id from the public key by SHA-256 and records the registration', () => {
    expect(id0).toMatch(/^[0-9a-f]{64}$/);
    const reg = withOne();
    const m = getMiner(reg, id0);
    expect(m).toMatchObject({ id: id0, type: 'verifier', stake: 150n, registeredAt: 3, status: 'active', annulledAt: null });
    expect(m.publicKey).toEqual(pk0);
    expect(EMPTY_REGISTRY.miners.size).toBe(0); // immutable update
  });

  it('rejects double registration, low stake, bad keys and bad types', () => {
    const reg = withOne();
    expect(code(() => registerMiner(reg, { publicKey: pk0, type: 'proposer', stake: 500n, height: 9 }, SMALL))).toBe('already-registered');
    expect(code(() => registerMiner(reg, { publicKey: testPublicKey(1), type: 'verifier', stake: 99n, height: 9 }, SMALL))).toBe('insufficient-stake');
    expect(code(() => registerMiner(reg, { publicKey: new Uint8Array(47), type: 'verifier', stake: 100n, height: 9 }, SMALL))).toBe('invalid-public-key');
    const notOnCurve = pk0.slice();
    notOnCurve[47] ^= 1;
    expect(code(() => registerMiner(reg, { publicKey: notOnCurve, type: 'verifier', stake: 100n, height: 9 }, SMALL))).toBe('invalid-public-key');
    expect(code(() => registerMiner(reg, { publicKey: testPublicKey(1), type: 'miner' as 'verifier', stake: 100n, height: 9 }, SMALL))).toBe('invalid-argument');
    expect(code(() => registerMiner(reg, { publicKey: testPublicKey(1), type: 'verifier', stake: 100n, height: -1 }, SMALL))).toBe('invalid-argument');
  });
});

describe('annulment and refund', () => {
  it('follows active -> annulled -> refunded with the refund delay', () => {
    const annulled = annulMiner(withOne(), id0, 10);
    expect(getMiner(annulled, id0)).toMatchObject({ status: 'annulled', annulledAt: 10 });
    expect(code(() => refundMiner(annulled, id0, 10 + SMALL.refundDelay - 1, SMALL))).toBe('refund-too-early');
    const { registry, amount } = refundMiner(annulled, id0, 10 + SMALL.refundDelay, SMALL);
    expect(amount).toBe(150n);
    expect(getMiner(registry, id0)).toMatchObject({ status: 'refunded', stake: 0n, refundedAt: 60 });
    expect(code(() => refundMiner(registry, id0, 100, SMALL))).toBe('already-refunded');
    expect(code(() => annulMiner(registry, id0, 100))).toBe('already-refunded');
    // After the refund the key may come back with a fresh deposit.
    const again = registerMiner(registry, { publicKey: pk0, type: 'proposer', stake: 200n, height: 70 }, SMALL);
    expect(getMiner(again, id0)).toMatchObject({ status: 'active', type: 'proposer', stake: 200n, registeredAt: 70 });
  });

  it('rejects every invalid transition', () => {
    const reg = withOne();
    expect(code(() => annulMiner(reg, 'ab'.repeat(32), 5))).toBe('unknown-miner');
    expect(code(() => refundMiner(reg, 'ab'.repeat(32), 5, SMALL))).toBe('unknown-miner');
    expect(code(() => refundMiner(reg, id0, 500, SMALL))).toBe('not-annulled');
    expect(code(() => annulMiner(reg, id0, 2))).toBe('invalid-height');
    const annulled = annulMiner(reg, id0, 4);
    expect(code(() => annulMiner(annulled, id0, 5))).toBe('already-annulled');
    expect(code(() => slashMiner(reg, id0, -1n))).toBe('invalid-argument');
  });

  it('slashing takes at most the stake and a fully slashed miner stops participating', () => {
    const { registry, taken } = slashMiner(withOne(), id0, 100n);
    expect(taken).toBe(100n);
    expect(getMiner(registry, id0).stake).toBe(50n);
    const all = slashMiner(registry, id0, 1000n);
    expect(all.taken).toBe(50n);
    expect(activeMiners(all.registry, 'verifier', 10)).toEqual([]);
  });
});

describe('stake-weighted queries', () => {
  function registry(): MinerRegistry {
    let reg = EMPTY_REGISTRY;
    const stakes = [100n, 200n, 300n, 400n];
    stakes.forEach((stake, i) => {
      reg = registerMiner(reg, { publicKey: testPublicKey(10 + i), type: i < 3 ? 'proposer' : 'verifier', stake, height: i }, SMALL);
    });
    return reg;
  }

  it('active sets respect registration and annulment heights and are sorted by id', () => {
    let reg = registry();
    const proposers = activeMiners(reg, 'proposer', 5);
    expect(proposers.map((m) => m.id)).toEqual([...proposers.map((m) => m.id)].sort());
    expect(proposers).toHaveLength(3);
    expect(activeMiners(reg, 'proposer', 1)).toHaveLength(2); // the third registers at 2
    expect(totalStake(reg, 'proposer', 5)).toBe(600n);
    const first = minerIdOf(testPublicKey(10));
    reg = annulMiner(reg, first, 7);
    expect(totalStake(reg, 'proposer', 6)).toBe(600n); // still active before its annulment
    expect(totalStake(reg, 'proposer', 7)).toBe(500n);
  });

  it('stakeQualifies is the exact test v / 2^256 < expected * stake / total', () => {
    const half = new Uint8Array(32);
    half[0] = 0x80; // v = 2^255, v / 2^256 = 1/2
    expect(stakeQualifies(half, 50n, 100n, 1)).toBe(false); // 1/2 < 1/2 is false
    expect(stakeQualifies(half, 51n, 100n, 1)).toBe(true);
    expect(stakeQualifies(half, 26n, 100n, 2)).toBe(true);
    expect(stakeQualifies(new Uint8Array(32), 1n, 100n, 1)).toBe(true);
    expect(stakeQualifies(new Uint8Array(32).fill(255), 100n, 100n, 1)).toBe(true);
    expect(stakeQualifies(half, 0n, 100n, 1)).toBe(false);
    expect(code(() => stakeQualifies(new Uint8Array(31), 1n, 1n, 1))).toBe('invalid-argument');
  });

  it('stakeWeightedPick maps coin numbers onto cumulative stake in id order', () => {
    const reg = registry();
    const ordered = activeMiners(reg, 'proposer', 5);
    let at = 0n;
    for (const m of ordered) {
      expect(stakeWeightedPick(reg, 'proposer', 5, at)?.id).toBe(m.id);
      expect(stakeWeightedPick(reg, 'proposer', 5, at + m.stake - 1n)?.id).toBe(m.id);
      at += m.stake;
    }
    expect(stakeWeightedPick(reg, 'proposer', 5, 600n)?.id).toBe(ordered[0]!.id); // wraps
    expect(stakeWeightedPick(EMPTY_REGISTRY, 'proposer', 5, 3n)).toBeNull();
  });
});
