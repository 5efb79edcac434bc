// Scenarios as data: a seed, the nodes, link defaults and overrides, and a timeline of faults
// (partitions, heals, crashes, restarts, late joins, link changes). A scenario is plain JSON,
// so a failing run can be saved, shared and replayed exactly. `validateScenario` checks it
// whole, timeline included (no crash of a node that is down, no partition naming a node that
// has not joined yet), and reports every problem with its path in one NetworkError.

import { linkConfigProblems, type LinkConfig } from './link.ts';
import type { Seed } from './rng.ts';
import { SimNetwork } from './sim-network.ts';
import { NetworkError, type NodeId, type Transport } from './transport.ts';

export interface ScenarioNode {
  id: NodeId;
  /** This node's size limit (e.g. a faulty node allowed to send oversized messages). */
  maxMessageBytes?: number;
}

export interface LinkOverride {
  from: NodeId;
  to: NodeId;
  /** Also apply to to -> from (default true: most link properties are symmetric). */
  bidirectional?: boolean;
  link: Partial<LinkConfig>;
}

export type ScenarioEvent =
  | { at: number; kind: 'partition'; groups: NodeId[][] }
  | { at: number; kind: 'heal' }
  | { at: number; kind: 'crash'; node: NodeId }
  | { at: number; kind: 'restart'; node: NodeId }
  | { at: number; kind: 'join'; node: NodeId; maxMessageBytes?: number }
  // Without from/to: changes the defaults of every link.
  | { at: number; kind: 'set-link'; from?: NodeId; to?: NodeId; bidirectional?: boolean; link: Partial<LinkConfig> };

export type ScenarioEventKind = ScenarioEvent['kind'];

export interface Scenario {
  seed: Seed;
  /** A count (ids "n0".."n{k-1}") or the list of nodes present at time 0. */
  nodes: number | (NodeId | ScenarioNode)[];
  /** Default size limit of every node. */
  maxMessageBytes?: number;
  links?: { defaults?: Partial<LinkConfig>; overrides?: LinkOverride[] };
  /** Applied in time order; events at the same time in list order. */
  events?: ScenarioEvent[];
}

/** A validated scenario: nodes as objects, events sorted by time (stable). */
export interface NormalizedScenario {
  seed: Seed;
  nodes: ScenarioNode[];
  maxMessageBytes?: number;
  links: { defaults: Partial<LinkConfig>; overrides: LinkOverride[] };
  events: ScenarioEvent[];
}

/** Boots one node incarnation (see `BootFn`); told which node it is. */
export type ScenarioBoot = (id: NodeId, transport: Transport) => void;

const EVENT_KINDS: readonly ScenarioEventKind[] = ['partition', 'heal', 'crash', 'restart', 'join', 'set-link'];
const EVENT_FIELDS: Record<ScenarioEventKind, readonly string[]> = {
  partition: ['at', 'kind', 'groups'],
  heal: ['at', 'kind'],
  crash: ['at', 'kind', 'node'],
  restart: ['at', 'kind', 'node'],
  join: ['at', 'kind', 'node', 'maxMessageBytes'],
  'set-link': ['at', 'kind', 'from', 'to', 'bidirectional', 'link'],
};
const TOP_FIELDS = ['seed', 'nodes', 'maxMessageBytes', 'links', 'events'];

/** Checks a scenario (typically parsed JSON); throws NetworkError('invalid-scenario') listing every problem. */
export function validateScenario(input: unknown): NormalizedScenario {
  const problems: string[] = [];
  const v = new Validator(problems);
  const result = v.scenario(input);
  if (problems.length > 0 || result === undefined) {
    throw new NetworkError('invalid-scenario', `invalid scenario:\n  ${problems.join('\n  ')}`);
  }
  return result;
}

/**
 * Adds the scenario's nodes to `net` now and schedules its events at their absolute times.
 * `net` should have been created with the scenario's seed and link defaults; use
 * `scenarioNetwork` to get both at once.
 */
export function applyScenario(net: SimNetwork, input: Scenario | NormalizedScenario, boot?: ScenarioBoot): NormalizedScenario {
  const scenario = validateScenario(input);
  const late = scenario.events.find((e) => e.at < net.now());
  if (late) throw new NetworkError('invalid-scenario', `event "${late.kind}" at ${late.at} is before the network's current time ${net.now()}`);
  const bootFor = (id: NodeId) => (boot ? (t: Transport) => boot(id, t) : undefined);
  // Events first: at any time t the scenario's changes apply before the nodes act at t (the
  // boots of the initial nodes at time 0 included), so "partition at 0" holds from the start.
  for (const event of scenario.events) {
    net.scheduler.scheduleAt(event.at, () => applyEvent(net, event, bootFor));
  }
  for (const node of scenario.nodes) net.addNode(node.id, limitOption(node.maxMessageBytes, bootFor(node.id)));
  for (const o of scenario.links.overrides) applyOverride(net, o.from, o.to, o.bidirectional, o.link);
  return scenario;
}

/** A fresh SimNetwork configured and scheduled from `scenario`. */
export function scenarioNetwork(input: Scenario, boot?: ScenarioBoot): SimNetwork {
  const scenario = validateScenario(input);
  const net = new SimNetwork({
    seed: scenario.seed,
    link: scenario.links.defaults,
    ...(scenario.maxMessageBytes !== undefined ? { maxMessageBytes: scenario.maxMessageBytes } : {}),
  });
  applyScenario(net, scenario, boot);
  return net;
}

function limitOption(maxMessageBytes: number | undefined, boot: ((t: Transport) => void) | undefined) {
  return { ...(maxMessageBytes !== undefined ? { maxMessageBytes } : {}), ...(boot ? { boot } : {}) };
}

function applyOverride(net: SimNetwork, from: NodeId, to: NodeId, bidirectional: boolean | undefined, link: Partial<LinkConfig>): void {
  net.setLink(from, to, link);
  if (bidirectional !== false) net.setLink(to, from, link);
}

function applyEvent(net: SimNetwork, event: ScenarioEvent, bootFor: (id: NodeId) => ((t: Transport) => void) | undefined): void {
  switch (event.kind) {
    case 'partition':
      return net.partition(event.groups);
    case 'heal':
      return net.heal();
    case 'crash':
      return net.crash(event.node);
    case 'restart':
      net.restart(event.node);
      return;
    case 'join':
      net.addNode(event.node, limitOption(event.maxMessageBytes, bootFor(event.node)));
      return;
    case 'set-link':
      if (event.from === undefined || event.to === undefined) return net.setDefaultLink(event.link);
      return applyOverride(net, event.from, event.to, event.bidirectional, event.link);
  }
}

/** Collects problems as "path: message" while walking the input. */
class Validator {
  constructor(private readonly problems: string[]) {}

  scenario(input: unknown): NormalizedScenario | undefined {
    if (!isObject(input)) {
      this.problem('', 'a scenario must be an object');
      return undefined;
    }
    this.unknownKeys(input, TOP_FIELDS, '');
    const seedOk =
      (typeof input.seed === 'number' && Number.isSafeInteger(input.seed) && input.seed >= 0) || typeof input.seed === 'string';
    if (!seedOk) this.problem('seed', 'must be a non-negative safe integer or a string');
    const maxMessageBytes = this.optionalLimit(input.maxMessageBytes, 'maxMessageBytes');
    const nodes = this.nodes(input.nodes);
    const links = this.links(input.links, new Set(nodes.map((n) => n.id)));
    const events = this.events(input.events, nodes);
    return {
      seed: input.seed as Seed,
      nodes,
      ...(maxMessageBytes !== undefined ? { maxMessageBytes } : {}),
      links,
      events,
    };
  }

  private nodes(input: unknown): ScenarioNode[] {
    if (typeof input === 'number') {
      if (!Number.isSafeInteger(input) || input < 0 || input > 100_000) this.problem('nodes', 'a node count must be an integer in [0, 100000]');
      return Number.isSafeInteger(input) && input >= 0 ? Array.from({ length: Math.min(input, 100_000) }, (_, i) => ({ id: `n${i}` })) : [];
    }
    if (!Array.isArray(input)) {
      this.problem('nodes', 'must be a count or an array of node ids');
      return [];
    }
    const seen = new Set<NodeId>();
    const out: ScenarioNode[] = [];
    input.forEach((entry: unknown, i) => {
      const node = this.node(entry, `nodes[${i}]`);
      if (!node) return;
      if (seen.has(node.id)) this.problem(`nodes[${i}]`, `duplicate node id "${node.id}"`);
      seen.add(node.id);
      out.push(node);
    });
    return out;
  }

  private node(entry: unknown, path: string): ScenarioNode | undefined {
    if (isNodeId(entry)) return { id: entry };
    if (!isObject(entry) || !isNodeId(entry.id)) {
      this.problem(path, 'must be a non-empty string id or { id, maxMessageBytes? }');
      return undefined;
    }
    this.unknownKeys(entry, ['id', 'maxMessageBytes'], path);
    const limit = this.optionalLimit(entry.maxMessageBytes, `${path}.maxMessageBytes`);
    return limit === undefined ? { id: entry.id } : { id: entry.id, maxMessageBytes: limit };
  }

  private links(input: unknown, known: Set<NodeId>): NormalizedScenario['links'] {
    if (input === undefined) return { defaults: {}, overrides: [] };
    if (!isObject(input)) {
      this.problem('links', 'must be an object { defaults?, overrides? }');
      return { defaults: {}, overrides: [] };
    }
    this.unknownKeys(input, ['defaults', 'overrides'], 'links');
    const defaults = input.defaults === undefined ? {} : this.linkConfig(input.defaults, 'links.defaults');
    const overrides: LinkOverride[] = [];
    if (input.overrides !== undefined && !Array.isArray(input.overrides)) this.problem('links.overrides', 'must be an array');
    if (Array.isArray(input.overrides)) {
      input.overrides.forEach((o: unknown, i) => {
        const path = `links.overrides[${i}]`;
        if (!isObject(o)) return this.problem(path, 'must be an object { from, to, bidirectional?, link }');
        this.unknownKeys(o, ['from', 'to', 'bidirectional', 'link'], path);
        this.knownNode(o.from, known, `${path}.from`);
        this.knownNode(o.to, known, `${path}.to`);
        this.optionalBoolean(o.bidirectional, `${path}.bidirectional`);
        const link = this.linkConfig(o.link, `${path}.link`);
        overrides.push({ ...(o as unknown as LinkOverride), link });
      });
    }
    return { defaults, overrides };
  }

  private events(input: unknown, initial: ScenarioNode[]): ScenarioEvent[] {
    if (input === undefined) return [];
    if (!Array.isArray(input)) {
      this.problem('events', 'must be an array');
      return [];
    }
    // Check each event's shape, then replay the timeline in order to check its state changes.
    const shaped: { event: ScenarioEvent; index: number }[] = [];
    input.forEach((e: unknown, index) => {
      const event = this.eventShape(e, `events[${index}]`);
      if (event) shaped.push({ event, index });
    });
    shaped.sort((a, b) => a.event.at - b.event.at || a.index - b.index);
    const known = new Set(initial.map((n) => n.id));
    const down = new Set<NodeId>();
    for (const { event, index } of shaped) this.eventState(event, `events[${index}]`, known, down);
    return shaped.map((s) => s.event);
  }

  private eventShape(e: unknown, path: string): ScenarioEvent | undefined {
    if (!isObject(e)) {
      this.problem(path, 'must be an object { at, kind, ... }');
      return undefined;
    }
    const kind = e.kind as ScenarioEventKind;
    if (!EVENT_KINDS.includes(kind)) {
      this.problem(`${path}.kind`, `must be one of ${EVENT_KINDS.join(', ')}, got ${JSON.stringify(e.kind)}`);
      return undefined;
    }
    const before = this.problems.length;
    this.unknownKeys(e, EVENT_FIELDS[kind], path);
    if (!(typeof e.at === 'number' && Number.isSafeInteger(e.at) && e.at >= 0)) this.problem(`${path}.at`, 'must be an integer time >= 0 (ms)');
    if (kind === 'crash' || kind === 'restart' || kind === 'join') {
      if (!isNodeId(e.node)) this.problem(`${path}.node`, 'must be a non-empty string id');
    }
    if (kind === 'join') this.optionalLimit(e.maxMessageBytes, `${path}.maxMessageBytes`);
    if (kind === 'partition') this.groupsShape(e.groups, `${path}.groups`);
    if (kind === 'set-link') {
      if ((e.from === undefined) !== (e.to === undefined)) this.problem(path, 'set-link needs both from and to, or neither (defaults)');
      this.optionalBoolean(e.bidirectional, `${path}.bidirectional`);
      this.linkConfig(e.link, `${path}.link`);
    }
    return this.problems.length === before ? (e as unknown as ScenarioEvent) : undefined;
  }

  private groupsShape(groups: unknown, path: string): void {
    if (!Array.isArray(groups) || groups.length === 0) return this.problem(path, 'must be a non-empty array of node-id arrays');
    groups.forEach((g: unknown, i) => {
      if (!Array.isArray(g) || g.length === 0 || !g.every(isNodeId)) this.problem(`${path}[${i}]`, 'must be a non-empty array of node ids');
    });
  }

  /** Checks an event against the timeline so far and advances it. */
  private eventState(event: ScenarioEvent, path: string, known: Set<NodeId>, down: Set<NodeId>): void {
    switch (event.kind) {
      case 'crash':
        if (this.knownNode(event.node, known, `${path}.node`) && down.has(event.node)) this.problem(path, `node "${event.node}" is already down at ${event.at}`);
        down.add(event.node);
        return;
      case 'restart':
        if (this.knownNode(event.node, known, `${path}.node`) && !down.has(event.node)) this.problem(path, `node "${event.node}" is not down at ${event.at}`);
        down.delete(event.node);
        return;
      case 'join':
        if (known.has(event.node)) this.problem(`${path}.node`, `node "${event.node}" already exists at ${event.at}`);
        known.add(event.node);
        return;
      case 'partition': {
        const seen = new Set<NodeId>();
        event.groups.forEach((g, i) =>
          g.forEach((n, j) => {
            if (!this.knownNode(n, known, `${path}.groups[${i}][${j}]`)) return;
            if (seen.has(n)) this.problem(`${path}.groups[${i}][${j}]`, `node "${n}" is in two groups`);
            seen.add(n);
          }),
        );
        return;
      }
      case 'set-link':
        if (event.from !== undefined) this.knownNode(event.from, known, `${path}.from`);
        if (event.to !== undefined) this.knownNode(event.to, known, `${path}.to`);
        return;
      case 'heal':
        return;
    }
  }

  private knownNode(value: unknown, known: Set<NodeId>, path: string): boolean {
    if (!isNodeId(value)) {
      this.problem(path, 'must be a non-empty string id');
      return false;
    }
    if (!known.has(value)) {
      this.problem(path, `unknown node "${value}" (not in nodes and not joined yet)`);
      return false;
    }
    return true;
  }

  private linkConfig(value: unknown, path: string): Partial<LinkConfig> {
    const problems = linkConfigProblems(value);
    for (const p of problems) this.problem(path, p);
    return problems.length === 0 ? (value as Partial<LinkConfig>) : {};
  }

  private optionalLimit(value: unknown, path: string): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
    this.problem(path, 'must be a positive integer (bytes)');
    return undefined;
  }

  private optionalBoolean(value: unknown, path: string): void {
    if (value !== undefined && typeof value !== 'boolean') this.problem(path, 'must be a boolean');
  }

  private unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(obj).sort()) {
      if (!allowed.includes(key)) this.problem(path === '' ? key : `${path}.${key}`, `unknown field (allowed: ${allowed.join(', ')})`);
    }
  }

  private problem(path: string, message: string): void {
    this.problems.push(path === '' ? message : `${path}: ${message}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNodeId(value: unknown): value is NodeId {
  return typeof value === 'string' && value.length > 0;
}
