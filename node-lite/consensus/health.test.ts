import { describe, expect, it } from 'vitest';
import { ConsensusError } from './errors.ts';
import {
  EMPTY_HEALTH,
  FRESH_HEALTH,
  HEALTH_SCALE,
  applyHealthEvent,
  applyHealthEvents,
  healthFactors,
  healthIndex,
  healthRecord,
  rankCandidates,
  type HealthEvent,
  type HealthRecord,
} from './health.ts';
import { EMPTY_REGISTRY, minerIdOf, registerMiner } from './miners.ts';
import { SMALL } from './params.ts';
import { Prg } from './group-selection.ts';
import { testPublicKey, testRandom } from './testing.ts';

const record = (r: Partial<HealthRecord>): HealthRecord => ({ ...FRESH_HEALTH, ...r });

describe('health index values (SMALL: half at 10 participations, 2 groups, stake 100)', () => {
  it('a newcomer with the minimum stake', () => {
    // factors: participations 0, rate (0+1)/(0+2) = 500000, device 1e6, groups 0, stake 100/200 = 500000
    expect(healthFactors(FRESH_HEALTH, 100n, SMALL)).toEqual({ participations: 0n, rate: 500_000n, device: 1_000_000n, groups: 0n, stake: 500_000n });
    // (8 * 500000 + 4 * 1e6 + 1 * 500000) / 31 = 8_500_000 / 31 = 274193.5...
    expect(healthIndex(FRESH_HEALTH, 100n, SMALL)).toBe(274_193n);
  });

  it('an active member', () => {
    const r = record({ proposals: 2, signatures: 8, missed: 2, groupsJoined: 2 });
    // participations 10/20, rate 9/12, device 1, groups 2/4, stake 300/400
    expect(healthFactors(r, 300n, SMALL)).toEqual({ participations: 500_000n, rate: 750_000n, device: 1_000_000n, groups: 500_000n, stake: 750_000n });
    // (16*500000 + 8*750000 + 4*1e6 + 2*500000 + 750000) / 31 = 19_750_000 / 31 = 637096.7...
    expect(healthIndex(r, 300n, SMALL)).toBe(637_096n);
    // each equivocation punishment halves it
    expect(healthIndex({ ...r, punishments: 1 }, 300n, SMALL)).toBe(318_548n);
    expect(healthIndex({ ...r, punishments: 2 }, 300n, SMALL)).toBe(159_274n);
    expect(healthIndex({ ...r, punishments: 1000 }, 300n, SMALL)).toBe(0n);
  });

  it('stays within [0, SCALE] and reaches neither bound by chance', () => {
    const best = record({ proposals: 1e9, signatures: 1e9, groupsJoined: 1e9 });
    const h = healthIndex(best, 10n ** 30n, SMALL);
    expect(h).toBeLessThanOrEqual(HEALTH_SCALE);
    expect(h).toBeGreaterThan(999_990n);
    expect(healthIndex(record({ missed: 1e9, device: 0 }), 0n, SMALL)).toBe(0n);
  });
});

describe('health events', () => {
  it('each event changes its counter and nothing else; the book update is immutable', () => {
    const id = 'aa'.repeat(32);
    const events: HealthEvent[] = [
      { kind: 'signed', miner: id },
      { kind: 'signed', miner: id },
      { kind: 'missed', miner: id },
      { kind: 'proposed', miner: id },
      { kind: 'joined-group', miner: id },
      { kind: 'punished', miner: id },
      { kind: 'device', miner: id, ppm: 700_000 },
    ];
    const book = applyHealthEvents(EMPTY_HEALTH, events);
    expect(healthRecord(book, id)).toEqual({ proposals: 1, signatures: 2, missed: 1, groupsJoined: 1, punishments: 1, device: 700_000 });
    expect(healthRecord(EMPTY_HEALTH, id)).toBe(FRESH_HEALTH);
    expect(() => applyHealthEvent(FRESH_HEALTH, { kind: 'device', miner: id, ppm: 1_000_001 })).toThrow(ConsensusError);
    expect(() => applyHealthEvent(FRESH_HEALTH, { kind: 'bogus', miner: id } as unknown as HealthEvent)).toThrow(/unknown health event/);
  });

  it('is monotone: signing, proposing, joining never lower it; missing and punishment never raise it', () => {
    const prg = new Prg(testRandom('health-monotone'), 'records');
    for (let i = 0; i < 300; i++) {
      const r = record({
        proposals: prg.nextBelow(200),
        signatures: prg.nextBelow(200),
        missed: prg.nextBelow(200),
        groupsJoined: prg.nextBelow(20),
        punishments: prg.nextBelow(3),
        device: prg.nextBelow(1_000_001),
      });
      const stake = 100n + BigInt(prg.nextBelow(10_000));
      const h = healthIndex(r, stake, SMALL);
      const after = (kind: HealthEvent['kind']) => healthIndex(applyHealthEvent(r, { kind, miner: 'x' } as HealthEvent), stake, SMALL);
      expect(after('signed')).toBeGreaterThanOrEqual(h);
      expect(after('proposed')).toBeGreaterThanOrEqual(h);
      expect(after('joined-group')).toBeGreaterThanOrEqual(h);
      expect(after('missed')).toBeLessThanOrEqual(h);
      expect(after('punished')).toBeLessThan(h === 0n ? 1n : h);
      expect(healthIndex(r, stake + 1000n, SMALL)).toBeGreaterThanOrEqual(h);
    }
  });

  it('is strictly monotone while counts are small', () => {
    const r = record({ signatures: 3, missed: 1 });
    expect(healthIndex(applyHealthEvent(r, { kind: 'signed', miner: 'x' }), 100n, SMALL)).toBeGreaterThan(healthIndex(r, 100n, SMALL));
    expect(healthIndex(applyHealthEvent(r, { kind: 'missed', miner: 'x' }), 100n, SMALL)).toBeLessThan(healthIndex(r, 100n, SMALL));
  });

  it('a higher-priority factor outweighs all lower ones together', () => {
    // Full participations with nothing else beats nothing participations with everything else.
    const doer = record({ proposals: 1e9, missed: 1e9, device: 0 });
    const idle = record({ groupsJoined: 1e9 });
    expect(healthIndex(doer, 0n, SMALL)).toBeGreaterThan(healthIndex(idle, 10n ** 30n, SMALL));
  });
});

describe('candidate ranking', () => {
  it('ranks active verifiers by health, ties by id, proposers and late registrations excluded', () => {
    let reg = EMPTY_REGISTRY;
    for (let i = 0; i < 6; i++) {
      reg = registerMiner(reg, { publicKey: testPublicKey(100 + i), type: i === 5 ? 'proposer' : 'verifier', stake: 100n, height: i === 4 ? 50 : 0 }, SMALL);
    }
    const ids = [0, 1, 2, 3].map((i) => minerIdOf(testPublicKey(100 + i)));
    const book = applyHealthEvents(EMPTY_HEALTH, [
      { kind: 'signed', miner: ids[2]! },
      { kind: 'signed', miner: ids[2]! },
      { kind: 'signed', miner: ids[1]! },
    ]);
    const ranked = rankCandidates(reg, book, SMALL, 10);
    expect(ranked).toHaveLength(4);
    expect(ranked[0]!.miner.id).toBe(ids[2]);
    expect(ranked[1]!.miner.id).toBe(ids[1]);
    const tied = [ids[0]!, ids[3]!].sort();
    expect(ranked.slice(2).map((c) => c.miner.id)).toEqual(tied);
    expect(ranked[2]!.health).toBe(ranked[3]!.health);
  });
});
