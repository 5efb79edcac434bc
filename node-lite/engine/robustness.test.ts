// Hostile input at a running node: thousands of real protocol messages, mutated, replayed,
// misaddressed or sent by an outsider. An honest node must never throw, never stall, and must
// count the offences against the sender.

import { describe, expect, it } from 'vitest';
import { Rng } from '../net/rng.ts';
import { checkInvariants, createSim } from './sim.ts';
import { chainOf, loadScenario, tips } from './scenario-support.ts';

describe('a node under hostile input', () => {
  // Record every message the healthy network exchanges in its first slots.
  const recorder = createSim({ ...loadScenario('healthy'), slots: 12 });
  const recorded: Uint8Array[] = [];
  recorder.net.onTrace((e) => {
    if (e.kind === 'deliver' && e.msg) recorded.push(e.msg.slice());
  });
  recorder.runTo(12);

  it('survives mutated and replayed protocol messages from an outsider and keeps making blocks', { timeout: 120_000 }, () => {
    expect(recorded.length).toBeGreaterThan(300);
    const sim = createSim({ ...loadScenario('healthy'), seed: 'hostile', genesisSeed: 101, slots: 24 });
    const rng = new Rng('mutations');
    const victims = ['m0', 'm3', 'm8'].map((n) => sim.idOf(n));
    sim.net.addNode('outsider', {
      boot: (t) => {
        // Every 20 ms for the whole run: a recorded message, sometimes as is (a replay from
        // another slot, another group, another sender), mostly with a few bytes changed.
        const fire = (): void => {
          for (let k = 0; k < 3; k++) {
            const msg = recorded[rng.nextInt(recorded.length)]!.slice();
            const flips = rng.nextInt(4);
            for (let f = 0; f < flips; f++) msg[rng.nextInt(msg.length)] ^= 1 << rng.nextInt(8);
            t.send(victims[rng.nextInt(victims.length)]!, msg);
          }
          t.clock.setTimer(20, fire);
        };
        fire();
      },
    });
    sim.runTo(24); // any exception out of a handler would fail here
    const honest = sim.names;
    expect(tips(sim, honest).size).toBe(1);
    expect(chainOf(sim).length).toBeGreaterThanOrEqual(18);
    const offences = sim.net.nodeStats('outsider').offences;
    expect(Object.values(offences).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    for (const n of honest) expect(sim.net.offenceCount(sim.idOf(n))).toBe(0);
    expect(checkInvariants(sim)).toEqual([]);
  });
});
