// Faults: offline members, an absent or malicious group, an equivocating proposer, faulty
// messages. Each scenario is a JSON file in scenarios/; the assertions are here.

import { describe, expect, it } from 'vitest';
import { toHex } from '../consensus/bytes.ts';
import { checkInvariants, runScenario } from './sim.ts';
import { chainEvents, chainOf, loadScenario, offences, tips } from './scenario-support.ts';

describe('scenario: n - t members of each group offline', () => {
  const scenario = loadScenario('members-offline');
  const sim = runScenario(scenario);
  const online = sim.names.filter((n) => !['m3', 'm4', 'm8', 'm9'].includes(n));

  it('still makes blocks in almost every slot', () => {
    expect(tips(sim, online).size).toBe(1);
    expect(chainOf(sim).length).toBeGreaterThanOrEqual(Math.floor((scenario.slots - 1) * 0.8));
    expect(checkInvariants(sim)).toEqual([]);
  });
});

describe('scenario: a whole group absent', () => {
  const sim = runScenario(loadScenario('group-absent'));
  const group1 = toHex(sim.genesis.groups[1]!.block.hash);
  const early = chainOf(sim).filter((s) => s.height <= 4);

  it('skips the absent group slots; the other group makes the blocks meanwhile', () => {
    expect(early.length).toBeLessThan(4); // some of slots 1-4 fell to the absent group
    expect(early.length).toBeGreaterThan(0);
    for (const s of early) expect(s.groupId).toBe(group1);
  });

  it('the absent members come back, sync and agree on the tip', () => {
    expect(tips(sim).size).toBe(1);
    expect(sim.nodes.get('m3')!.stats.syncRequests).toBeGreaterThanOrEqual(1);
    expect(sim.nodes.get('m3')!.stats.blocksApplied).toBeGreaterThanOrEqual(chainOf(sim).length);
    expect(checkInvariants(sim)).toEqual([]);
  });
});

describe('scenario: a malicious group (t or more members send bad partial signatures)', () => {
  const sim = runScenario(loadScenario('malicious-group'));
  const group0 = toHex(sim.genesis.groups[0]!.block.hash);

  it('skips its slots and proceeds with the honest group', () => {
    const chain = chainOf(sim);
    expect(chain.length).toBeGreaterThanOrEqual(4);
    for (const s of chain.filter((x) => x.height < 20)) expect(s.groupId).toBe(group0);
    expect(tips(sim).size).toBe(1);
  });

  it('finds the bad partials and counts them against their senders', () => {
    for (const n of ['m8', 'm9', 'm10']) expect(offences(sim, n)['bad-partial-signature']).toBeGreaterThan(0);
    for (const n of ['m3', 'm4', 'm11', 'm12']) expect(offences(sim, n)['bad-partial-signature']).toBeUndefined();
    expect(checkInvariants(sim)).toEqual([]);
  });
});

describe('scenario: an equivocating proposer', () => {
  const scenario = loadScenario('equivocator');
  const sim = runScenario(scenario);
  const cheat = sim.idOf('m0');

  it('records the evidence and slashes the proposer', () => {
    const punished = chainEvents(sim).filter((e) => e.kind === 'equivocation-punished');
    expect(punished.length).toBeGreaterThan(0);
    for (const p of punished) expect(p.kind === 'equivocation-punished' && p.proposer).toBe(cheat);
    const head = sim.nodes.get('m1')!.head;
    const initial = sim.genesis.miners.find((m) => toHex(m.publicKey) === toHex(head.registry.miners.get(cheat)!.publicKey))!.stake;
    expect(head.registry.miners.get(cheat)!.stake < initial).toBe(true);
    expect(head.health.get(cheat)!.punishments).toBe(punished.length);
  });

  it('never lets two blocks of one height into a chain, and the honest nodes agree', () => {
    const heights = chainOf(sim, 'm1').map((s) => s.height);
    expect(new Set(heights).size).toBe(heights.length);
    expect(tips(sim).size).toBe(1);
    expect(chainOf(sim).length).toBeGreaterThanOrEqual(Math.floor((scenario.slots - 1) * 0.6));
    expect(checkInvariants(sim)).toEqual([]);
  });
});

describe('scenario: faulty and malicious messages', () => {
  const scenario = loadScenario('faulty-messages');
  const sim = runScenario(scenario);

  it('counts each kind of fault against its sender and never against the honest', () => {
    expect(offences(sim, 'm5')['malformed-message']).toBeGreaterThan(0);
    expect(offences(sim, 'm5')['endorsement-wrong-round']).toBeGreaterThan(0);
    expect(offences(sim, 'm5')['oversized-send']).toBeGreaterThan(0);
    expect(offences(sim, 'm6')['bad-partial-signature']).toBeGreaterThan(0);
    for (const n of ['m0', 'm1', 'm2', 'm3', 'm4', 'm8', 'm11', 'm12']) expect(offences(sim, n)).toEqual({});
  });

  it('excludes the cheating dealer from the groups it dealt for', () => {
    const cheat = sim.idOf('m7');
    const established = chainEvents(sim).filter((e) => e.kind === 'group-established');
    const dealtFor = established.filter((e) => e.kind === 'group-established' && e.excluded.some((x) => x.startsWith(cheat)));
    expect(dealtFor.length).toBeGreaterThan(0);
  });

  it('keeps making blocks with every honest node on one tip', () => {
    expect(tips(sim).size).toBe(1);
    expect(chainOf(sim).length).toBeGreaterThanOrEqual(Math.floor((scenario.slots - 1) * 0.7));
    expect(checkInvariants(sim)).toEqual([]);
  });
});
