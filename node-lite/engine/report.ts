// What a simulated run produced, in numbers: the summary `zv sim chain` prints and the
// engine benchmark records.

import { checkInvariants, type SimRun } from './sim.ts';

export interface RunSummary {
  readonly scenario: string;
  readonly preset: string;
  readonly nodes: number;
  readonly slots: number;
  /** Canonical blocks of node m0 (slots that produced a block). */
  readonly blocks: number;
  readonly failedSlots: number;
  /** Nodes (that are up) whose tip differs from m0's. */
  readonly nodesOffTip: number;
  readonly groupsEstablished: number;
  readonly groupsFailed: number;
  readonly checkpoint: { readonly height: number; readonly cycle: number } | null;
  readonly equivocationsPunished: number;
  readonly messagesPerBlock: number;
  readonly bytesPerBlock: number;
  readonly offences: number;
  readonly wallMs: number;
  readonly blocksPerSecond: number;
  readonly invariants: readonly string[];
}

export function summarize(sim: SimRun, wallMs: number): RunSummary {
  const m0 = sim.nodes.get('m0')!;
  const chain = m0.chain();
  const events = chain.flatMap((s) => s.events);
  const up = sim.names.filter((n) => sim.net.isUp(sim.idOf(n)));
  const traffic = sim.net.totalStats();
  const blocks = Math.max(1, chain.length);
  const offences = sim.names.reduce((a, n) => a + sim.net.offenceCount(sim.idOf(n)), 0);
  const cp = m0.head.checkpoint;
  return {
    scenario: sim.scenario.name,
    preset: sim.params.name,
    nodes: sim.names.length,
    slots: sim.scenario.slots - 1,
    blocks: chain.length,
    failedSlots: Math.max(0, m0.head.height - chain.length),
    nodesOffTip: up.filter((n) => sim.nodes.get(n)!.head.id !== m0.head.id).length,
    groupsEstablished: events.filter((e) => e.kind === 'group-established').length,
    groupsFailed: events.filter((e) => e.kind === 'group-failed').length,
    checkpoint: cp ? { height: cp.height, cycle: cp.cycle } : null,
    equivocationsPunished: events.filter((e) => e.kind === 'equivocation-punished').length,
    messagesPerBlock: Math.round(traffic.sentMessages / blocks),
    bytesPerBlock: Math.round(traffic.sentBytes / blocks),
    offences,
    wallMs: Math.round(wallMs),
    blocksPerSecond: Math.round((chain.length / (wallMs / 1000)) * 100) / 100,
    invariants: checkInvariants(sim),
  };
}
