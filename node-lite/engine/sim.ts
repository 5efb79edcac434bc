// Runs a Chiron network in one process: a dev genesis, one ChironNode per miner, a SimNetwork
// driven by a scenario (as data: JSON with miners named m0, m1, … in the order of the
// genesis: proposers first), and the invariants every run must keep.
// See docs/consensus-engine.md, "Scenarios".

import { replayBeacon } from '../consensus/beacon.ts';
import { verifyBlock, type Block } from '../consensus/block.ts';
import { toHex } from '../consensus/bytes.ts';
import { PRESETS, validateParams, type ConsensusParams } from '../consensus/params.ts';
import { minerIdOf } from '../consensus/miners.ts';
import { applyScenario, validateScenario, type Scenario, type ScenarioEvent } from '../net/scenario.ts';
import { SimNetwork } from '../net/sim-network.ts';
import type { LinkConfig } from '../net/link.ts';
import { blockContext, genesisState, type ChainRules, type ChainState } from './chain-state.ts';
import { makeDevGenesis, type Genesis, type MinerSecrets } from './genesis.ts';
import { Memo } from './memo.ts';
import { ChironNode, type Behaviour } from './node.ts';
import type { Executor } from './executor.ts';
import type { SignerCertificate } from './types.ts';
import { TransferExecutor, type TransferState } from './transfer-executor.ts';

export interface ChironScenario {
  readonly name: string;
  readonly description?: string;
  readonly preset: 'small' | 'seed';
  /** Field-by-field overrides of the preset (numbers only: JSON-friendly). */
  readonly params?: Partial<Record<keyof ConsensusParams, number>>;
  readonly seed: string | number;
  /** Seeds the genesis (keys, groups) when it must differ from `seed`, which drives the network. */
  readonly genesisSeed?: string | number;
  readonly proposers: number;
  readonly verifiers: number;
  readonly genesisGroups?: number;
  /** The run ends at the start of this slot. */
  readonly slots: number;
  readonly links?: { defaults?: Partial<LinkConfig>; overrides?: { from: string; to: string; bidirectional?: boolean; link: Partial<LinkConfig> }[] };
  /** Network events naming miners m0…; a miner with a `join` event starts then, not at 0. */
  readonly events?: ScenarioEvent[];
  readonly behaviours?: Readonly<Record<string, Behaviour>>;
}

export interface SimRun<S = TransferState> {
  readonly scenario: ChironScenario;
  readonly params: ConsensusParams;
  readonly genesis: Genesis;
  readonly rules: ChainRules<S>;
  readonly net: SimNetwork;
  /** Miner name (m0…) → node. */
  readonly nodes: ReadonlyMap<string, ChironNode<S>>;
  readonly names: readonly string[];
  readonly idOf: (name: string) => string;
  readonly secrets: readonly MinerSecrets[];
  /** Runs until the start of `slot` (bounded by an event budget). */
  runTo(slot: number): void;
}

export interface SimOptions<S = TransferState> {
  /** One memo for all nodes (default) or one each; the outcome must not differ. */
  readonly sharedMemo?: boolean;
  readonly maxEvents?: number;
  /** The ledger behind the blocks (default: the transfer executor over the genesis allocations). */
  readonly executor?: (genesis: Genesis) => Executor<S>;
  /** Called for every block a node accepts (persistence of that node's chain). */
  readonly onBlockApplied?: (node: string, block: Block, certificate: SignerCertificate, state: ChainState<S>) => void;
}

export function presetParams(s: Pick<ChironScenario, 'preset' | 'params'>): ConsensusParams {
  const base = PRESETS[s.preset];
  if (!base) throw new Error(`unknown preset '${String(s.preset)}' (small, seed)`);
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(s.params ?? {})) merged[k] = typeof base[k as keyof ConsensusParams] === 'bigint' ? BigInt(v as number) : v;
  return validateParams(merged as unknown as ConsensusParams);
}

/** Builds the network and the nodes of a scenario at time 0 (nothing has run yet). */
export function createSim<S = TransferState>(scenario: ChironScenario, options: SimOptions<S> = {}): SimRun<S> {
  const params = presetParams(scenario);
  const { genesis, secrets } = makeDevGenesis({
    params,
    seed: `chiron/${scenario.genesisSeed ?? scenario.seed}`,
    proposers: scenario.proposers,
    verifiers: scenario.verifiers,
    groups: scenario.genesisGroups ?? 2,
  });
  const executor = options.executor ? options.executor(genesis) : (new TransferExecutor({ chainId: genesis.chainId, allocations: genesis.allocations }) as unknown as Executor<S>);
  const shared = new Memo();
  const rulesFor = (): ChainRules<S> => ({ genesis, executor, memo: options.sharedMemo === false ? new Memo() : shared });
  const rules = rulesFor();
  const names = secrets.map((_, i) => `m${i}`);
  const ids = secrets.map((s) => minerIdOf(s.key.publicKey().toBytes()));
  const byName = new Map(names.map((n, i) => [n, ids[i]!]));
  const idOf = (name: string): string => {
    const id = byName.get(name);
    if (!id) throw new ScenarioError(`scenario ${scenario.name}: unknown miner '${name}' (m0..m${names.length - 1})`);
    return id;
  };
  const nodes = new Map<string, ChironNode<S>>();
  const byId = new Map<string, ChironNode<S>>();
  names.forEach((name, i) => {
    const nodeRules = i === 0 ? rules : rulesFor();
    const hook = options.onBlockApplied;
    const node = new ChironNode(
      {
        rules: nodeRules,
        secrets: secrets[i]!,
        behaviour: scenario.behaviours?.[name],
        seed: `${scenario.seed}/${name}`,
        onBlockApplied: hook ? (block, certificate, state) => hook(name, block, certificate, state) : undefined,
      },
      genesisState(nodeRules),
    );
    nodes.set(name, node);
    byId.set(ids[i]!, node);
  });
  const joining = new Set((scenario.events ?? []).filter((e) => e.kind === 'join').map((e) => (e as { node: string }).node));
  const netScenario: Scenario = {
    seed: scenario.seed,
    nodes: names.filter((n) => !joining.has(n)).map(idOf),
    maxMessageBytes: 4 << 20,
    links: {
      defaults: scenario.links?.defaults ?? {},
      overrides: (scenario.links?.overrides ?? []).map((o) => ({ ...o, from: idOf(o.from), to: idOf(o.to) })),
    },
    events: (scenario.events ?? []).map((e) => renameEvent(e, idOf)),
  };
  const normalized = validateScenario(netScenario);
  const net = new SimNetwork({ seed: scenario.seed, maxMessageBytes: 4 << 20 });
  applyScenario(net, normalized, (id, transport) => byId.get(id)!.start(transport));
  const maxEvents = options.maxEvents ?? 20_000_000;
  return {
    scenario,
    params,
    genesis,
    rules,
    net,
    nodes,
    names,
    idOf,
    secrets,
    runTo(slot: number) {
      const r = net.runUntil(genesis.genesisTimeMs + slot * params.slotMs, maxEvents);
      if (r.stoppedBy === 'event-limit') throw new Error(`scenario ${scenario.name}: event budget of ${maxEvents} spent before slot ${slot}`);
    },
  };
}

export function runScenario<S = TransferState>(scenario: ChironScenario, options: SimOptions<S> = {}): SimRun<S> {
  const sim = createSim<S>(scenario, options);
  sim.runTo(scenario.slots);
  return sim;
}

function renameEvent(e: ScenarioEvent, idOf: (name: string) => string): ScenarioEvent {
  switch (e.kind) {
    case 'partition':
      return { ...e, groups: e.groups.map((g) => g.map(idOf)) };
    case 'crash':
    case 'restart':
    case 'join':
      return { ...e, node: idOf(e.node) };
    case 'set-link':
      return { ...e, ...(e.from ? { from: idOf(e.from) } : {}), ...(e.to ? { to: idOf(e.to) } : {}) };
    default:
      return e;
  }
}

// ---- invariants ----

/**
 * The properties every run keeps, whatever the faults: (1) no two conflicting final blocks,
 * on any node, ever; (2) every block any node accepted carries a group signature (and random
 * signature) that verifies under its group's key, checked afresh without any memo; (3) every
 * node's random values are reproducible from its chain alone (the beacon replay). Returns
 * the violations (empty when all hold).
 */
export function checkInvariants<S>(sim: SimRun<S>): string[] {
  const problems: string[] = [];
  const final = new Map<number, { id: string; node: string }>();
  const checked = new Set<string>();
  const replayed = new Set<string>();
  for (const [name, node] of sim.nodes) {
    if (node.finalViolations > 0) problems.push(`${name}: a final block left its chain ${node.finalViolations} time(s)`);
    for (const [h, id] of node.finalSeen) {
      const other = final.get(h);
      if (other && other.id !== id) problems.push(`conflicting final blocks at height ${h}: ${other.node} has ${other.id.slice(0, 12)}, ${name} has ${id.slice(0, 12)}`);
      else final.set(h, { id, node: name });
    }
    const chain = node.chain();
    // Nodes on the same tip hold the same chain: replay each distinct chain once.
    if (replayed.has(node.head.id)) continue;
    replayed.add(node.head.id);
    let parent: ChainState<S> = node.stateById(node.genesisId)!;
    const steps = [];
    for (const state of chain) {
      const block = node.blockById(state.id)!;
      const group = parent.groups.find((g) => g.id === state.groupId);
      if (!group) {
        problems.push(`${name}: block ${state.height} names group ${state.groupId.slice(0, 12)}, unknown on its chain`);
        break;
      }
      if (!checked.has(state.id)) {
        checked.add(state.id);
        try {
          verifyBlock(block, blockContext(sim.rules, parent, block.header).ctx);
        } catch (e) {
          problems.push(`${name}: block ${state.height} fails verification afresh: ${(e as Error).message}`);
        }
      }
      steps.push({ height: state.height, randomSignature: block.header.randomSignature, groupPublicKey: group.block.groupPublicKey });
      parent = state;
    }
    try {
      const randoms = replayBeacon(sim.genesis.random, steps);
      randoms.forEach((r, i) => {
        if (toHex(r) !== toHex(chain[i]!.random)) problems.push(`${name}: the random of block ${chain[i]!.height} is not reproducible from the chain`);
      });
    } catch (e) {
      problems.push(`${name}: beacon replay fails: ${(e as Error).message}`);
    }
  }
  return problems;
}

// ---- scenario files from users ----

/** A scenario file that breaks a rule; `message` lists every problem with its path. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

const SCENARIO_FIELDS = ['name', 'description', 'preset', 'params', 'seed', 'genesisSeed', 'proposers', 'verifiers', 'genesisGroups', 'slots', 'links', 'events', 'behaviours'];
const BEHAVIOURS = ['silent', 'badPartials', 'equivocate', 'badDealing', 'spam'];

/**
 * Checks a scenario's shape before anything runs: fields, types and ranges, miner names,
 * behaviours, parameter overrides. Network events and links are checked by the network's
 * own validator when the run is built (createSim), which reports paths the same way.
 */
export function validateChironScenario(input: unknown): ChironScenario {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ScenarioError('a scenario is a JSON object');
  const s = input as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!SCENARIO_FIELDS.includes(k)) problems.push(`${k}: unknown field (expected ${SCENARIO_FIELDS.join(', ')})`);
  if (typeof s.name !== 'string' || s.name.length === 0) problems.push('name: a non-empty string is required');
  if (s.preset !== 'small' && s.preset !== 'seed') problems.push(`preset: 'small' or 'seed', got ${JSON.stringify(s.preset)}`);
  for (const k of ['seed', 'genesisSeed']) {
    if (k in s && typeof s[k] !== 'string' && !Number.isSafeInteger(s[k])) problems.push(`${k}: a string or an integer`);
  }
  if (!('seed' in s)) problems.push('seed: required');
  const int = (k: string, min: number, max: number, required = true) => {
    if (!(k in s)) {
      if (required) problems.push(`${k}: required`);
      return;
    }
    const v = s[k];
    if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) problems.push(`${k}: an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  };
  int('proposers', 1, 1000);
  int('verifiers', 1, 1000);
  int('genesisGroups', 1, 100, false);
  int('slots', 2, 1_000_000);
  const miners = (typeof s.proposers === 'number' ? s.proposers : 0) + (typeof s.verifiers === 'number' ? s.verifiers : 0);
  if (s.behaviours !== undefined) {
    if (typeof s.behaviours !== 'object' || s.behaviours === null) problems.push('behaviours: an object of miner name → behaviour');
    else {
      for (const [name, b] of Object.entries(s.behaviours as Record<string, unknown>)) {
        const m = /^m(\d+)$/.exec(name);
        if (!m || Number(m[1]) >= miners) problems.push(`behaviours.${name}: not a miner (m0..m${miners - 1})`);
        if (typeof b !== 'object' || b === null) problems.push(`behaviours.${name}: an object`);
        else for (const [k, v] of Object.entries(b)) if (!BEHAVIOURS.includes(k) || typeof v !== 'boolean') problems.push(`behaviours.${name}.${k}: expected one of ${BEHAVIOURS.join(', ')} set to true or false`);
      }
    }
  }
  if (s.params !== undefined) {
    if (typeof s.params !== 'object' || s.params === null) problems.push('params: an object of parameter overrides');
    else for (const [k, v] of Object.entries(s.params)) if (!(k in PRESETS.small) || k === 'name' || typeof v !== 'number') problems.push(`params.${k}: not a numeric consensus parameter`);
  }
  if (problems.length > 0) throw new ScenarioError(`invalid scenario:\n  ${problems.join('\n  ')}`);
  try {
    presetParams(s as unknown as ChironScenario);
  } catch (e) {
    throw new ScenarioError(`invalid scenario: params: ${(e as Error).message}`);
  }
  return s as unknown as ChironScenario;
}
