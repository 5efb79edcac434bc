// The healthy network, determinism, and the economics (rewards, health) of a run.

import { describe, expect, it } from 'vitest';
import { toHex } from '../consensus/bytes.ts';
import { healthIndex, healthRecord } from '../consensus/health.ts';
import { checkInvariants, createSim, runScenario } from './sim.ts';
import { chainEvents, chainOf, hadCertificate, loadScenario, offences, tips } from './scenario-support.ts';
import { totalSupply } from './transfer-executor.ts';

const T = 180_000;

describe('scenario: healthy network', () => {
  const scenario = loadScenario('healthy');
  const sim = runScenario(scenario);
  const chain = chainOf(sim);

  it('makes a block in almost every slot and every node follows the same tip', () => {
    expect(tips(sim).size).toBe(1);
    expect(chain.length).toBeGreaterThanOrEqual(Math.floor((scenario.slots - 1) * 0.85));
    expect(chain.at(-1)!.height).toBeGreaterThanOrEqual(scenario.slots - 3);
  });

  it('builds new groups by DKG, activates them at e+2 and lets them sign', () => {
    const established = chainEvents(sim).filter((e) => e.kind === 'group-established');
    expect(established.length).toBeGreaterThanOrEqual(5);
    const genesisGroups = new Set(sim.genesis.groups.map((g) => toHex(g.block.hash)));
    const late = chain.filter((s) => s.height >= 2 * sim.params.epochLength);
    expect(late.length).toBeGreaterThan(0);
    for (const s of late) expect(genesisGroups.has(s.groupId)).toBe(false);
  });

  it('reaches checkpoints, and every invariant holds', () => {
    const cp = sim.nodes.get('m0')!.head.checkpoint;
    expect(cp).not.toBeNull();
    expect(cp!.height).toBeGreaterThanOrEqual(20);
    expect(chainEvents(sim).filter((e) => e.kind === 'checkpoint').length).toBeGreaterThanOrEqual(2);
    expect(checkInvariants(sim)).toEqual([]);
  });

  it('counts no offence against an honest node', () => {
    for (const n of sim.names) expect(offences(sim, n)).toEqual({});
  });

  it('mints exactly the block rewards: the proposer share, and the signers share when certified', () => {
    const { blockReward, proposerSharePercent } = sim.params;
    const initial = sim.genesis.allocations.reduce((a, [, v]) => a + v, 0n);
    let minted = 0n;
    for (const s of chain) minted += hadCertificate(sim, s) ? blockReward : (blockReward * BigInt(proposerSharePercent)) / 100n;
    expect(totalSupply(sim.nodes.get('m0')!.head.ledger)).toBe(initial + minted);
    const signer = sim.idOf('m5');
    const ledger = sim.nodes.get('m0')!.head.ledger;
    expect(ledger.balances.get(signer)! > sim.genesis.allocations.find(([a]) => a === signer)![1]).toBe(true);
  });

  it('raises the health index of members that sign', () => {
    const head = sim.nodes.get('m0')!.head;
    const m = head.registry.miners.get(sim.idOf('m5'))!;
    const fresh = healthIndex(healthRecord(new Map(), m.id), m.stake, sim.params);
    expect(healthIndex(healthRecord(head.health, m.id), m.stake, sim.params) > fresh).toBe(true);
  });
});

describe('determinism', () => {
  const short = { ...loadScenario('healthy'), slots: 16 };

  it('the same scenario gives the same chain, message for message', { timeout: T }, () => {
    const a = runScenario(short);
    const b = runScenario(short);
    expect([...tips(a)]).toEqual([...tips(b)]);
    expect(a.net.totalStats()).toEqual(b.net.totalStats());
    expect(chainOf(a).map((s) => s.id)).toEqual(chainOf(b).map((s) => s.id));
  });

  it('sharing the verification memo between nodes changes nothing', { timeout: T }, () => {
    const shorter = { ...short, slots: 8 };
    const shared = runScenario(shorter);
    const separate = runScenario(shorter, { sharedMemo: false });
    expect(chainOf(separate).map((s) => s.id)).toEqual(chainOf(shared).map((s) => s.id));
    expect(separate.net.totalStats()).toEqual(shared.net.totalStats());
  });

  it('another seed gives another chain', { timeout: T }, () => {
    const other = createSim({ ...short, seed: 'another' });
    other.runTo(short.slots);
    expect(chainOf(other).map((s) => s.id)).not.toEqual(chainOf(runScenario(short)).map((s) => s.id));
  });
});
