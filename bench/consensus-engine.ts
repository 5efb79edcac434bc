// The whole Chiron engine in one process: every miner of a dev genesis as a node on the
// simulated network, for both presets. Measures wall time per slot (median: a steady slot;
// max: a slot in which a new group's DKG runs), blocks per second of the whole network, and
// the traffic per block. Run alone: node bin/run-ts.js bench/consensus-engine.ts [--quick].

import { summarize } from '../node-lite/engine/report.ts';
import { createSim } from '../node-lite/engine/sim.ts';
import type { BenchResult } from './consensus-crypto.ts';

interface EngineRun {
  readonly preset: 'small' | 'seed';
  readonly proposers: number;
  readonly verifiers: number;
  readonly slots: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function runEngine(run: EngineRun, out: BenchResult[]): void {
  const sim = createSim({ name: `bench-${run.preset}`, preset: run.preset, seed: 'bench', proposers: run.proposers, verifiers: run.verifiers, slots: run.slots + 1 });
  const perSlot: number[] = [];
  const t0 = performance.now();
  for (let s = 1; s <= run.slots; s++) {
    const t = performance.now();
    sim.runTo(s + 1);
    perSlot.push(performance.now() - t);
  }
  const r = summarize(sim, performance.now() - t0);
  const label = `${run.preset} preset, ${r.nodes} nodes, ${run.slots} slots`;
  const round = (x: number): number => Math.round(x * 100) / 100;
  out.push({ name: `${label}: blocks made`, value: r.blocks, unit: `of ${run.slots} slots` });
  out.push({ name: `${label}: blocks per second (whole network in one process)`, value: r.blocksPerSecond, unit: 'blocks/s' });
  out.push({ name: `${label}: wall time of a steady slot (median)`, value: round(median(perSlot)), unit: 'ms' });
  out.push({ name: `${label}: wall time of the slowest slot (group DKG)`, value: round(Math.max(...perSlot)), unit: 'ms' });
  out.push({ name: `${label}: one node's share of a steady slot (median / nodes)`, value: round(median(perSlot) / r.nodes), unit: 'ms' });
  out.push({ name: `${label}: messages per block`, value: r.messagesPerBlock, unit: 'messages' });
  out.push({ name: `${label}: bytes per block (all recipients)`, value: Math.round(r.bytesPerBlock / 1024), unit: 'KiB' });
  if (r.invariants.length > 0) throw new Error(`bench run broke invariants: ${r.invariants.join('; ')}`);
}

export async function benchConsensusEngine(quick = false): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  runEngine({ preset: 'small', proposers: 3, verifiers: 10, slots: quick ? 12 : 40 }, out);
  runEngine({ preset: 'seed', proposers: 5, verifiers: 100, slots: quick ? 4 : 14 }, out);
  return out;
}

if (process.argv[1]?.endsWith('consensus-engine.ts')) {
  for (const r of await benchConsensusEngine(process.argv.includes('--quick'))) console.log(`${r.name.padEnd(90)} ${String(r.value).padStart(10)} ${r.unit}`);
}
