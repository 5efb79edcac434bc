// Partitions, late nodes and the long-range rewrite: what fork choice, sync and checkpoints
// must get right.

import { describe, expect, it } from 'vitest';
import { encodeMessage } from './codec.ts';
import { checkInvariants, createSim, runScenario } from './sim.ts';
import { chainOf, loadScenario, tips } from './scenario-support.ts';

describe('scenario: a partition that heals', () => {
  const scenario = loadScenario('partition-heals');
  const sim = createSim(scenario);
  sim.runTo(33); // 12 slots into the split
  const during = tips(sim);
  sim.runTo(scenario.slots);

  it('ends with one chain again, reorganising the side that lost', () => {
    expect(during.size).toBeGreaterThan(1);
    expect(tips(sim).size).toBe(1);
    const reorgs = sim.names.reduce((a, n) => a + sim.nodes.get(n)!.stats.reorgs, 0);
    expect(reorgs).toBeGreaterThan(0);
  });

  it('loses no final block and keeps every invariant', () => {
    for (const n of sim.names) expect(sim.nodes.get(n)!.finalViolations).toBe(0);
    expect(sim.nodes.get('m0')!.head.checkpoint!.height).toBeGreaterThanOrEqual(20);
    expect(checkInvariants(sim)).toEqual([]);
  });
});

describe('scenario: a late node', () => {
  const sim = runScenario(loadScenario('late-node'));

  it('catches up by sync and follows the same tip', () => {
    const late = sim.nodes.get('m12')!;
    expect(late.head.id).toBe(sim.nodes.get('m0')!.head.id);
    expect(late.stats.blocksApplied).toBeGreaterThanOrEqual(25);
    expect(late.stats.syncRequests).toBeGreaterThanOrEqual(1);
    expect(checkInvariants(sim)).toEqual([]);
  });
});

describe('a long-range rewrite', () => {
  // The honest chain: a group absent for its first slots leaves it a few blocks short.
  const honest = createSim({ ...loadScenario('group-absent'), slots: 36 });
  honest.runTo(36);
  // The attacker holds the keys of the genesis groups (bought from their retired members) and
  // builds a full chain of its own from the same genesis, in private.
  const attacker = createSim({ ...loadScenario('healthy'), seed: 'attacker', genesisSeed: 103, slots: 36 });
  attacker.runTo(36);

  it('is refused by the checkpoint even though the rewrite is heavier', () => {
    const victim = honest.nodes.get('m3')!;
    const before = victim.head;
    const forged = chainOf(attacker);
    expect(forged.at(-1)!.weight > before.weight).toBe(true); // the attack is real
    const forkHeight = forged.findIndex((s, i) => chainOf(honest, 'm3')[i]?.id !== s.id);
    const cp = before.checkpoint!;
    expect(cp).not.toBeNull();
    expect(forged[forkHeight]!.height).toBeLessThanOrEqual(cp.height); // it would replace a final block

    const blocks = forged.map((s) => ({ block: attacker.nodes.get('m0')!.blockById(s.id)!, certificate: { signers: [1, 2, 3], aggregate: new Uint8Array(96) } }));
    honest.net.addNode('attacker', {
      boot: (t) => {
        for (let i = 0; i < blocks.length; i += 32) t.send(honest.idOf('m3'), encodeMessage({ kind: 'blocks', blocks: blocks.slice(i, i + 32) }));
      },
    });
    honest.runTo(37);
    expect(victim.stats.rejectedReorgs).toBeGreaterThan(0);
    // It kept its own chain (which may have grown meanwhile) and adopted nothing forged.
    expect(victim.head.id).toBe(honest.nodes.get('m0')!.head.id);
    const kept = new Set(victim.chain().map((s) => s.id));
    expect(kept.has(before.id)).toBe(true);
    for (const s of forged.slice(forkHeight)) expect(kept.has(s.id)).toBe(false);
    expect(honest.net.nodeStats('attacker').offences['reorg-below-checkpoint']).toBeGreaterThan(0);
    expect(checkInvariants(honest)).toEqual([]);
  });
});

describe('scenario: a member that comes online late in the building window', () => {
  const sim = runScenario(loadScenario('late-dealer'));
  const late = sim.idOf('m12');

  it('still deals, and the group is established with it', () => {
    const chain = chainOf(sim);
    const planned = chain.find((s) => s.pending.some((p) => p.gis.createdAt === 5))!.pending.find((p) => p.gis.createdAt === 5)!;
    const me = planned.gis.members.findIndex((m) => m.id === late) + 1;
    expect(me).toBeGreaterThan(0);
    // Its dealing was recorded after its restart (slot 6.5), inside the window (until 5 + 3).
    const recordedAt = chain.find((s) => s.pending.some((p) => p.key === planned.key && p.dealings.some((d) => d.dealer === me)))!.height;
    expect(recordedAt).toBeGreaterThanOrEqual(7);
    expect(recordedAt).toBeLessThanOrEqual(5 + sim.params.dkgDealWindow);
    const established = chain.flatMap((s) => s.events).find((e) => e.kind === 'group-established' && e.qualified === planned.gis.members.length);
    expect(established).toBeDefined();
    expect(checkInvariants(sim)).toEqual([]);
  });
});
