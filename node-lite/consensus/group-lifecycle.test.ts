// End to end over the pure rules: 30 miners register, a genesis group works the first epochs
// and, as parent, builds three groups at successive CheckInterval heights from successive
// block randoms; we check membership, determinism, the activation and deactivation windows,
// the group blocks and the refund of a miner who left.
import { describe, expect, it } from 'vitest';
import { sign } from '../crypto/index.ts';
import { ConsensusError } from './errors.ts';
import { checkGroupBlockRules, decodeGroupBlock, encodeGroupBlock, gisFromPlan, makeGroupBlock, verifyParentSignature, type GroupBlock } from './group-block.ts';
import { isGroupActive, planGroup, selectValidationGroup, slotRandom, type GroupPlan } from './group-selection.ts';
import { EMPTY_HEALTH, applyHealthEvents, type HealthBook } from './health.ts';
import { EMPTY_REGISTRY, annulMiner, getMiner, isActiveAt, minerIdOf, refundMiner, registerMiner, type MinerRegistry } from './miners.ts';
import { SMALL as SMALL_PRESET } from './params.ts';

// These tests were written against groups built every 2 blocks; the preset now builds every 5.
const SMALL = { ...SMALL_PRESET, checkInterval: 2 };
import { testKey, testPublicKey, testRandom } from './testing.ts';

const P = SMALL;
const LATE = 7; // registers at height 5
const LEAVER = 12; // annuls at height 3
const idOf = (i: number) => minerIdOf(testPublicKey(i));

function registry(upTo: number): MinerRegistry {
  let reg = EMPTY_REGISTRY;
  for (let i = 0; i < 30; i++) {
    const height = i === LATE ? 5 : 0;
    if (height > upTo) continue;
    reg = registerMiner(reg, { publicKey: testPublicKey(i), type: i % 5 === 4 ? 'proposer' : 'verifier', stake: 100n + BigInt(i), height }, P);
  }
  if (upTo >= 3) reg = annulMiner(reg, idOf(LEAVER), 3);
  return reg;
}

function health(): HealthBook {
  // The genesis members worked the first slots; two of them missed some.
  const events = [0, 1, 2, 3, 5].flatMap((i) => [
    { kind: 'joined-group' as const, miner: idOf(i) },
    { kind: 'signed' as const, miner: idOf(i) },
    { kind: i < 2 ? ('missed' as const) : ('signed' as const), miner: idOf(i) },
  ]);
  return applyHealthEvents(EMPTY_HEALTH, events);
}

const genesisKey = testKey(1000);
const genesis = makeGroupBlock({
  gis: {
    type: 'verifier',
    createdAt: 0,
    seed: testRandom('genesis'),
    activationEpoch: 0,
    deactivationEpoch: P.validPeriodEpochs,
    members: [0, 1, 2, 3, 5].map((i) => ({ id: idOf(i), publicKey: testPublicKey(i) })),
  },
  parentSignature: null,
  prehash: new Uint8Array(32),
  groupPublicKey: genesisKey.publicKey().toBytes(),
});

/** Block randoms: a fixed chain of values standing in for the threshold signatures. */
const blockRandom = (h: number) => testRandom(`block-${h}`);

function build(height: number, k: number): { plan: GroupPlan; block: GroupBlock } {
  // The working group of slot `height` is the parent; here only the genesis group is active.
  const parent = selectValidationGroup([genesis], P, height, slotRandom(blockRandom(height - 1), height - 1, height));
  expect(parent).toBe(genesis);
  const plan = planGroup(registry(height), health(), P, height, blockRandom(height));
  const gis = gisFromPlan(plan);
  const unsigned = makeGroupBlock({ gis, parentSignature: null, prehash: new Uint8Array(32), groupPublicKey: testKey(1001 + k).publicKey().toBytes() });
  const block = makeGroupBlock({
    gis,
    parentSignature: sign(genesisKey, unsigned.gisHash).toBytes(),
    prehash: genesis.hash,
    groupPublicKey: testKey(1001 + k).publicKey().toBytes(),
  });
  return { plan, block };
}

describe('three groups from 30 miners (SMALL preset)', () => {
  const built = [2, 4, 6].map((h, k) => build(h, k));

  it('each group has 5 verifiers eligible at its candidate height, threshold 3', () => {
    for (const { plan } of built) {
      expect(plan.members).toHaveLength(5);
      expect(plan.threshold).toBe(3);
      expect(new Set(plan.members.map((m) => m.id)).size).toBe(5);
      for (const m of plan.members) {
        expect(m.type).toBe('verifier');
        expect(isActiveAt(m, plan.lifecycle.candidateHeight)).toBe(true);
      }
    }
    const ids = built.map(({ plan }) => plan.members.map((m) => m.id));
    expect(ids[0]).not.toContain(idOf(LATE)); // not yet registered at height 1
    expect(ids[1]).not.toContain(idOf(LATE));
    expect(ids[1]).not.toContain(idOf(LEAVER)); // annulled at 3 = candidate height of 4
    expect(ids[2]).not.toContain(idOf(LEAVER));
    expect(new Set(ids.map((g) => [...g].sort().join())).size).toBe(3); // three different groups
  });

  it('is reproducible: every honest parent member computes the same plan and group block', () => {
    const again = [2, 4, 6].map((h, k) => build(h, k));
    again.forEach(({ block }, k) => expect(block.hash).toEqual(built[k]!.block.hash));
  });

  it('the members are drawn from every health stratum', () => {
    // 23 candidates at height 1 (24 verifiers minus the late one) make strata of ranks
    // 0-3, 4-8, 9-12, 13-17, 18-22. The five genesis members have the best health (ranks 0-4),
    // so member 0 is one of them and members 2-4 (low-health strata) are not: high-health
    // members carry along low-health ones.
    const first = built[0]!.plan.members.map((m) => m.id);
    const genesisIds = genesis.gis.members.map((m) => m.id);
    expect(genesisIds).toContain(first[0]);
    for (const id of first.slice(2)) expect(genesisIds).not.toContain(id);
  });

  it('activates at epoch e+2 and deactivates ValidPeriod epochs later', () => {
    for (const { plan, block } of built) {
      expect(plan.lifecycle).toMatchObject({ createdEpoch: 0, activationEpoch: 2, deactivationEpoch: 4, activationHeight: 20, deactivationHeight: 40 });
      const activeHeights = Array.from({ length: 60 }, (_, h) => h).filter((h) => isGroupActive(block, P, h));
      expect(activeHeights[0]).toBe(20);
      expect(activeHeights.at(-1)).toBe(39);
      expect(activeHeights).toHaveLength(20);
      checkGroupBlockRules(block, P);
    }
  });

  it('group blocks survive the wire and carry the parent signature', () => {
    for (const { block } of built) {
      const back = decodeGroupBlock(encodeGroupBlock(block));
      expect(back.hash).toEqual(block.hash);
      expect(back.prehash).toEqual(genesis.hash);
      expect(verifyParentSignature(back, genesisKey.publicKey().toBytes())).toBe(true);
    }
  });

  it('validation groups: genesis until height 20, then only the three new groups, none from 40', () => {
    const groups = [genesis, ...built.map((b) => b.block)];
    const used = new Set<GroupBlock>();
    let rand = blockRandom(0);
    for (let h = 1; h < 45; h++) {
      const chosen = selectValidationGroup(groups, P, h, slotRandom(rand, h - 1, h));
      if (h < 20) expect(chosen).toBe(genesis);
      else if (h < 40) expect(built.map((b) => b.block)).toContain(chosen);
      else expect(chosen).toBeNull();
      if (chosen) used.add(chosen);
      rand = blockRandom(h);
    }
    expect(used.size).toBe(4);
  });

  it('the leaver is refunded only after every group it could be in has retired', () => {
    const reg = registry(60);
    const leaver = getMiner(reg, idOf(LEAVER));
    const lastDeactivation = Math.max(...built.filter((b) => b.plan.members.some((m) => m.id === leaver.id)).map((b) => b.plan.lifecycle.deactivationHeight), 0);
    expect(3 + P.refundDelay).toBeGreaterThan(lastDeactivation);
    expect(() => refundMiner(reg, leaver.id, 3 + P.refundDelay - 1, P)).toThrow(ConsensusError);
    expect(refundMiner(reg, leaver.id, 3 + P.refundDelay, P).amount).toBe(100n + BigInt(LEAVER));
  });
});
