import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConsensusError } from './errors.ts';
import {
  Prg,
  activeGroups,
  candidateHeight,
  groupLifecycle,
  isBuildingWindow,
  isGroupActive,
  isGroupBuildHeight,
  selectGroupMembers,
  selectValidationGroup,
  slotRandom,
  type GroupWindow,
} from './group-selection.ts';
import type { RankedCandidate } from './health.ts';
import type { Miner } from './miners.ts';
import { SEED, SMALL as SMALL_PRESET } from './params.ts';

// These tests were written against groups built every 2 blocks; the preset now builds every 5.
const SMALL = { ...SMALL_PRESET, checkInterval: 2 };
import { testRandom } from './testing.ts';

const SEQ_SEED = new Uint8Array(32).map((_, i) => i);

describe('Prg (SHA-256 counter mode)', () => {
  it('matches the pinned known-answer vector', () => {
    const prg = new Prg(SEQ_SEED, 'group-members');
    // Computed once from this implementation and cross-checked with Python's hashlib.
    expect(Array.from({ length: 10 }, () => prg.nextU32())).toEqual([
      2013710253, 2816065277, 3687038868, 2820784806, 53250158, 1838086153, 3186484343, 568861995, 1489966163, 80525432,
    ]);
    const other = new Prg(SEQ_SEED, 'validation-group');
    expect(Buffer.from(other.nextBytes(40)).toString('hex')).toBe('7e1a2956c5dca418163d317b3de9d79cc83262816133a8894183007789114df370dfed52fbd6aba9');
    const below = new Prg(SEQ_SEED, 'group-members');
    expect(Array.from({ length: 10 }, () => below.nextBelow(7))).toEqual([2, 4, 2, 0, 3, 1, 0, 2, 0, 1]);
  });

  it('is the documented construction, block by block', () => {
    const label = new TextEncoder().encode('abc');
    const prg = new Prg(SEQ_SEED, 'abc');
    const stream = prg.nextBytes(70); // crosses two block boundaries
    for (let i = 0; i < 3; i++) {
      const counter = Buffer.alloc(8);
      counter.writeBigUInt64BE(BigInt(i));
      const block = createHash('sha256').update(Buffer.concat([Buffer.from('ZV-PRG-v1'), Buffer.of(label.length), label, SEQ_SEED, counter])).digest();
      expect(Buffer.from(stream.subarray(32 * i, Math.min(70, 32 * i + 32)))).toEqual(block.subarray(0, Math.min(32, 70 - 32 * i)));
    }
  });

  it('same seed and label, same stream; a different seed or label, a different one', () => {
    const a = new Prg(testRandom(1), 'x').nextBytes(64);
    expect(new Prg(testRandom(1), 'x').nextBytes(64)).toEqual(a);
    expect(new Prg(testRandom(2), 'x').nextBytes(64)).not.toEqual(a);
    expect(new Prg(testRandom(1), 'y').nextBytes(64)).not.toEqual(a);
  });

  it('nextBelow is uniform enough and rejects bad bounds and seeds', () => {
    const prg = new Prg(testRandom('uniform'), 'u');
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[prg.nextBelow(6)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(880), expect(c).toBeLessThan(1120);
    expect(() => prg.nextBelow(0)).toThrow(ConsensusError);
    expect(() => prg.nextBelow(2 ** 32 + 1)).toThrow(ConsensusError);
    expect(() => new Prg(new Uint8Array(31), 'x')).toThrow(/32 bytes/);
    expect(prg.nextBelow(1)).toBe(0);
  });
});

function fakeCandidates(n: number): RankedCandidate[] {
  // Already ranked: health strictly decreasing with the index.
  return Array.from({ length: n }, (_, i) => ({
    miner: { id: i.toString(16).padStart(64, '0'), publicKey: new Uint8Array(48), type: 'verifier', stake: 100n, registeredAt: 0, status: 'active', annulledAt: null, refundedAt: null } as Miner,
    health: BigInt(1_000_000 - i),
  }));
}

describe('selectGroupMembers', () => {
  it('is deterministic in the ranking and the seed', () => {
    const ranked = fakeCandidates(30);
    const a = selectGroupMembers(ranked, SMALL, testRandom('g1')).map((m) => m.id);
    expect(selectGroupMembers(ranked, SMALL, testRandom('g1')).map((m) => m.id)).toEqual(a);
    expect(a).toHaveLength(5);
    const others = [2, 3, 4, 5].map((s) => selectGroupMembers(ranked, SMALL, testRandom(`g${s}`)).map((m) => m.id).join());
    expect(others.some((o) => o !== a.join())).toBe(true);
  });

  it('takes one member per health stratum, each candidate about equally often', () => {
    const ranked = fakeCandidates(30); // 5 strata of 6
    const index = new Map(ranked.map((c, i) => [c.miner.id, i]));
    const counts = new Array<number>(30).fill(0);
    const rounds = 1200;
    for (let r = 0; r < rounds; r++) {
      const members = selectGroupMembers(ranked, SMALL, testRandom(`strata-${r}`));
      members.forEach((m, k) => {
        const i = index.get(m.id)!;
        expect(Math.floor(i / 6)).toBe(k); // member k comes from stratum k
        counts[i]!++;
      });
    }
    // Expected 200 each (1/6 of the rounds); 5 sigma is about 65.
    for (const c of counts) expect(c).toBeGreaterThan(135), expect(c).toBeLessThan(265);
  });

  it('uneven strata still cover the whole ranking', () => {
    const ranked = fakeCandidates(107);
    const seen = new Set<string>();
    for (let r = 0; r < 60; r++) {
      const members = selectGroupMembers(ranked, SEED, testRandom(`seed-${r}`));
      expect(members).toHaveLength(100);
      expect(new Set(members.map((m) => m.id)).size).toBe(100);
      for (const m of members) seen.add(m.id);
    }
    expect(seen.size).toBe(107);
  });

  it('takes everyone when candidates do not exceed the group size, refuses below the minimum', () => {
    const four = fakeCandidates(4);
    expect(selectGroupMembers(four, SMALL, testRandom(1)).map((m) => m.id)).toEqual(four.map((c) => c.miner.id));
    let error: unknown;
    try {
      selectGroupMembers(fakeCandidates(2), SMALL, testRandom(1));
    } catch (e) {
      error = e;
    }
    expect((error as ConsensusError).code).toBe('not-enough-candidates');
  });
});

describe('lifecycle heights', () => {
  it('SMALL: created at 14 (epoch 1) works in epochs 3..4, heights 30..49', () => {
    expect(groupLifecycle(SMALL, 14)).toEqual({
      createdAt: 14,
      createdEpoch: 1,
      activationEpoch: 3,
      deactivationEpoch: 5,
      activationHeight: 30,
      deactivationHeight: 50,
      candidateHeight: 13,
    });
    const lc = groupLifecycle(SMALL, 14);
    expect(isBuildingWindow(lc, 14)).toBe(true);
    expect(isBuildingWindow(lc, 29)).toBe(true);
    expect(isBuildingWindow(lc, 30)).toBe(false);
  });

  it('SEED: created at 250 activates at 400 and retires at 600', () => {
    const lc = groupLifecycle(SEED, 250);
    expect([lc.activationHeight, lc.deactivationHeight, lc.candidateHeight]).toEqual([400, 600, 247]);
  });

  it('build heights are the positive multiples of CheckInterval; candidates are read d blocks back', () => {
    expect([0, 1, 2, 3, 4].map((h) => isGroupBuildHeight(SMALL, h))).toEqual([false, false, true, false, true]);
    expect(candidateHeight(SMALL, 0)).toBe(0);
    expect(candidateHeight(SEED, 10)).toBe(7);
  });
});

function windowOf(createdAt: number, tag: number): GroupWindow {
  const lc = groupLifecycle(SMALL, createdAt);
  const hash = new Uint8Array(32);
  hash[0] = tag;
  return { hash, gis: { createdAt, activationEpoch: lc.activationEpoch, deactivationEpoch: lc.deactivationEpoch } };
}

describe('validation group choice', () => {
  const groups = [windowOf(4, 9), windowOf(2, 1), windowOf(2, 0), windowOf(8, 3), windowOf(12, 4)];

  it('active groups are those with activation <= epoch < deactivation, in canonical order', () => {
    const active = activeGroups(groups, SMALL, 25); // epoch 2: groups created in epoch 0
    expect(active.map((g) => [g.gis.createdAt, g.hash[0]])).toEqual([
      [2, 0],
      [2, 1],
      [4, 9],
      [8, 3],
    ]);
    expect(isGroupActive(groups[4]!, SMALL, 29)).toBe(false);
    expect(isGroupActive(groups[4]!, SMALL, 30)).toBe(true);
    expect(isGroupActive(groups[0]!, SMALL, 40)).toBe(false);
  });

  it('slot randoms hash once per slot since the last block', () => {
    const r = testRandom('block-7');
    const once = createHash('sha256').update(r).digest();
    expect(Buffer.from(slotRandom(r, 7, 8))).toEqual(once);
    expect(Buffer.from(slotRandom(r, 7, 9))).toEqual(createHash('sha256').update(once).digest());
    expect(() => slotRandom(r, 7, 7)).toThrow(ConsensusError);
  });

  it('picks deterministically and about uniformly among the active groups; null when none', () => {
    const counts = new Map<GroupWindow, number>();
    for (let s = 0; s < 2000; s++) {
      const g = selectValidationGroup(groups, SMALL, 25, testRandom(`slot-${s}`))!;
      expect(selectValidationGroup([...groups].reverse(), SMALL, 25, testRandom(`slot-${s}`))).toBe(g); // input order is irrelevant
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
    expect(counts.size).toBe(4);
    for (const c of counts.values()) expect(c).toBeGreaterThan(400), expect(c).toBeLessThan(600);
    expect(selectValidationGroup(groups, SMALL, 5, testRandom(0))).toBeNull();
  });
});
