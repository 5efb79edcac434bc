// `zv sim chain [--preset small|seed] [--slots N] [--scenario FILE] [--seed S] [--json]`
//
// Runs the Chiron engine: every miner of a dev genesis as a node in this process, on the
// simulated network, for N slots (or a scenario file with faults), and prints what the chain
// did, the traffic per block, the wall time and whether every invariant held. Exit code 1
// when an invariant is broken. See docs/consensus-engine.md.

import { readFileSync } from 'node:fs';
import { NetworkError } from '../node-lite/net/transport.ts';
import { summarize, type RunSummary } from '../node-lite/engine/report.ts';
import { createSim, ScenarioError, validateChironScenario, type ChironScenario } from '../node-lite/engine/sim.ts';
import { CliError, paint, toJson, useColor } from './output.ts';

export interface SimChainOptions {
  preset?: string;
  slots?: string;
  scenario?: string;
  seed?: string;
  json?: boolean;
}

/** The healthy network of each preset: enough verifiers for two genesis groups. */
const DEFAULT_NETWORKS: Record<'small' | 'seed', { proposers: number; verifiers: number; slots: number }> = {
  small: { proposers: 3, verifiers: 10, slots: 50 },
  seed: { proposers: 5, verifiers: 100, slots: 8 },
};

export function simChainCommand(opts: SimChainOptions): number {
  const scenario = opts.scenario ? loadScenarioFile(opts.scenario, opts) : defaultScenario(opts);
  const started = performance.now();
  let summary: RunSummary;
  try {
    const sim = createSim(scenario);
    sim.runTo(scenario.slots);
    summary = summarize(sim, performance.now() - started);
  } catch (e) {
    if (e instanceof NetworkError || e instanceof ScenarioError) throw new CliError(e.message, 2);
    throw e;
  }
  process.stdout.write(opts.json ? toJson(summary) + '\n' : format(summary, useColor()) + '\n');
  return summary.invariants.length === 0 ? 0 : 1;
}

function defaultScenario(opts: SimChainOptions): ChironScenario {
  const preset = opts.preset ?? 'small';
  if (preset !== 'small' && preset !== 'seed') throw new CliError(`--preset must be 'small' or 'seed', got '${preset}'`, 2);
  const net = DEFAULT_NETWORKS[preset];
  const slots = opts.slots === undefined ? net.slots : parseSlots(opts.slots);
  return validateChironScenario({ name: `healthy-${preset}`, preset, seed: opts.seed ?? 1, proposers: net.proposers, verifiers: net.verifiers, slots: slots + 1 });
}

function loadScenarioFile(path: string, opts: SimChainOptions): ChironScenario {
  if (opts.preset) throw new CliError('--preset and --scenario do not go together: the scenario names its preset', 2);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read scenario ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${path}: not JSON: ${(e as Error).message}`, 2);
  }
  try {
    const s = validateChironScenario(json);
    const slots = opts.slots === undefined ? s.slots : parseSlots(opts.slots) + 1;
    return { ...s, slots, ...(opts.seed ? { seed: opts.seed } : {}) };
  } catch (e) {
    if (e instanceof ScenarioError) throw new CliError(`${path}: ${e.message}`, 2);
    throw e;
  }
}

function parseSlots(s: string): number {
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 100_000) throw new CliError(`--slots must be an integer from 1 to 100000, got '${s}'`, 2);
  return Number(s);
}

function format(r: RunSummary, color: boolean): string {
  const ok = r.invariants.length === 0;
  const lines = [
    `${r.scenario}: preset ${r.preset}, ${r.nodes} nodes, ${r.slots} slots`,
    `  blocks            ${r.blocks} (${r.failedSlots} failed slots)${r.nodesOffTip > 0 ? `, ${r.nodesOffTip} node(s) on another tip` : ', every node on one tip'}`,
    `  groups            ${r.groupsEstablished} built by DKG${r.groupsFailed > 0 ? `, ${r.groupsFailed} failed` : ''}`,
    `  checkpoint        ${r.checkpoint ? `height ${r.checkpoint.height} (cycle ${r.checkpoint.cycle})` : 'none yet'}`,
    `  per block         ${r.messagesPerBlock} messages, ${(r.bytesPerBlock / 1024).toFixed(1)} KiB`,
    `  offences counted  ${r.offences}${r.equivocationsPunished > 0 ? `, ${r.equivocationsPunished} equivocation(s) punished` : ''}`,
    `  wall time         ${(r.wallMs / 1000).toFixed(1)} s, ${r.blocksPerSecond} blocks/s for the whole network in one process`,
    `  invariants        ${ok ? paint(color, 'green', 'hold') : paint(color, 'red', 'BROKEN')}`,
    ...r.invariants.map((p) => `    ${p}`),
  ];
  return lines.join('\n');
}
