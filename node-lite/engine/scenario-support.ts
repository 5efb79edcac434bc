// Helpers the scenario tests share: load a scenario file, read a run's outcome.

import { readFileSync } from 'node:fs';
import { decodePayload } from './codec.ts';
import type { ChainState } from './chain-state.ts';
import type { ChironScenario, SimRun } from './sim.ts';
import type { TransferState } from './transfer-executor.ts';

export function loadScenario(name: string): ChironScenario {
  return JSON.parse(readFileSync(new URL(`./scenarios/${name}.json`, import.meta.url), 'utf8')) as ChironScenario;
}

/** Tip ids of the named nodes (all by default), deduplicated. */
export function tips(sim: SimRun, names: readonly string[] = sim.names): Set<string> {
  return new Set(names.map((n) => sim.nodes.get(n)!.head.id));
}

export function chainOf(sim: SimRun, name = 'm0'): ChainState<TransferState>[] {
  return sim.nodes.get(name)!.chain();
}

/** Every chain event of a node's canonical chain, with its height. */
export function chainEvents(sim: SimRun, name = 'm0') {
  return chainOf(sim, name).flatMap((s) => s.events.map((e) => ({ ...e, at: s.height })));
}

/** Offences the network counted against a miner, by reason. */
export function offences(sim: SimRun, name: string): Record<string, number> {
  return { ...sim.net.nodeStats(sim.idOf(name)).offences };
}

/** Whether a block's payload carried the certificate of its parent's signers. */
export function hadCertificate(sim: SimRun, state: ChainState<TransferState>, name = 'm0'): boolean {
  return decodePayload(sim.nodes.get(name)!.blockById(state.id)!.payload).parentCertificate !== null;
}
