// The simulated network: many nodes in one process, each behind its own `Transport`, every
// message an event on one deterministic scheduler. Links lose, delay, duplicate and reorder
// messages by seeded draws; partitions, crashes, restarts and late joins change who can talk
// to whom. Same seed, same calls => same run, message for message.
// See docs/consensus-network.md.

import { DEFAULT_LINK, LinkState, linkConfigProblems, type LinkConfig } from './link.ts';
import { Rng, type Seed } from './rng.ts';
import { Scheduler, type RunResult } from './scheduler.ts';
import { copyStats, emptyStats, record, type DropReason, type NodeStats, type TrafficEvent, type TrafficStats } from './stats.ts';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  NetworkError,
  assertMessage,
  normalizeDelay,
  type Clock,
  type MessageHandler,
  type NodeId,
  type TimerHandle,
  type Transport,
} from './transport.ts';

/**
 * Called each time a node starts: when it is added (or joins late) and after every restart,
 * with a fresh transport. A crash wipes the node's handlers and timers, as a process death
 * does; whatever the node keeps across a restart is up to the code `boot` starts.
 *
 * Boot runs as an event at the time of the add or restart, not inside the call: nodes added
 * together all exist before any of them starts, so a first broadcast reaches all of them.
 * A node crashed before its boot event never boots in that incarnation.
 */
export type BootFn = (transport: Transport) => void;

export interface SimNetworkOptions {
  seed: Seed;
  /** Link defaults; each field falls back to DEFAULT_LINK. */
  link?: Partial<LinkConfig>;
  /** Default size limit of every node. */
  maxMessageBytes?: number;
  /** The clock's first reading in ms (default 0). */
  startTimeMs?: number;
}

export interface AddNodeOptions {
  boot?: BootFn;
  /** This node's size limit, for sending and receiving (default: the network's). */
  maxMessageBytes?: number;
}

export type TraceKind = 'send' | 'duplicate' | 'deliver' | 'drop' | 'reject';

/** One observable step of a message, for traces and debugging. */
export interface TraceEvent {
  time: number;
  kind: TraceKind;
  from: NodeId;
  to: NodeId;
  size: number;
  /** For 'drop'. */
  reason?: DropReason;
  /** For 'deliver': the delivered bytes (do not mutate). */
  msg?: Uint8Array;
}

export type TraceListener = (event: TraceEvent) => void;

interface NodeRecord {
  readonly id: NodeId;
  readonly maxMessageBytes: number;
  readonly boot: BootFn | undefined;
  up: boolean;
  incarnation: number;
  handlers: MessageHandler[];
  timers: Set<TimerHandle>;
  transport: SimTransport;
  outbound: TrafficStats;
  inbound: TrafficStats;
  offences: Map<string, number>;
  sendsWhileDown: number;
  crashes: number;
  restarts: number;
}

interface LinkRecord {
  readonly state: LinkState;
  override: Partial<LinkConfig>;
  stats: TrafficStats;
}

export class SimNetwork {
  readonly scheduler: Scheduler;
  private readonly rng: Rng;
  private defaults: LinkConfig;
  private readonly defaultMaxMessageBytes: number;
  private readonly nodeMap = new Map<NodeId, NodeRecord>();
  private sortedIds: NodeId[] = [];
  private readonly links = new Map<string, LinkRecord>();
  private readonly total = emptyStats();
  /** Partition side of each listed node; unlisted nodes share side -1. Undefined: no partition. */
  private sides: Map<NodeId, number> | undefined;
  private readonly listeners: TraceListener[] = [];

  constructor(options: SimNetworkOptions) {
    this.scheduler = new Scheduler(options.startTimeMs ?? 0);
    this.rng = new Rng(options.seed, 'sim-network');
    this.defaults = { ...DEFAULT_LINK, ...checkedLink(options.link ?? {}) };
    this.defaultMaxMessageBytes = checkedLimit(options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
  }

  // ---- time -------------------------------------------------------------------------------

  /** The network's clock (for harnesses; nodes use their own transport's clock). */
  get clock(): Clock {
    return this.scheduler;
  }

  now(): number {
    return this.scheduler.now();
  }

  runUntil(time: number, maxEvents?: number): RunResult {
    return this.scheduler.runUntil(time, maxEvents);
  }

  runFor(durationMs: number, maxEvents?: number): RunResult {
    return this.scheduler.runFor(durationMs, maxEvents);
  }

  runUntilIdle(maxEvents: number): RunResult {
    return this.scheduler.runUntilIdle(maxEvents);
  }

  // ---- membership and faults -------------------------------------------------------------

  /** Adds a node, up, now (a late joiner if the run has started); its boot runs as the next event. */
  addNode(id: NodeId, options: AddNodeOptions = {}): Transport {
    if (typeof id !== 'string' || id.length === 0) throw new NetworkError('invalid-argument', 'a node id must be a non-empty string');
    if (this.nodeMap.has(id)) throw new NetworkError('node-exists', `node "${id}" already exists`);
    if (options.boot !== undefined && typeof options.boot !== 'function') throw new NetworkError('invalid-argument', 'boot must be a function');
    const rec: NodeRecord = {
      id,
      maxMessageBytes: checkedLimit(options.maxMessageBytes ?? this.defaultMaxMessageBytes),
      boot: options.boot,
      up: true,
      incarnation: 1,
      handlers: [],
      timers: new Set(),
      transport: undefined as unknown as SimTransport, // set just below
      outbound: emptyStats(),
      inbound: emptyStats(),
      offences: new Map(),
      sendsWhileDown: 0,
      crashes: 0,
      restarts: 0,
    };
    rec.transport = new SimTransport(this, rec, 1);
    this.nodeMap.set(id, rec);
    this.sortedIds = [...this.nodeMap.keys()].sort();
    this.scheduleBoot(rec);
    return rec.transport;
  }

  /** Every node ever added, sorted. */
  nodes(): readonly NodeId[] {
    return this.sortedIds;
  }

  hasNode(id: NodeId): boolean {
    return this.nodeMap.has(id);
  }

  isUp(id: NodeId): boolean {
    return this.node(id).up;
  }

  /** The node's current transport (that of its latest incarnation). */
  transport(id: NodeId): Transport {
    return this.node(id).transport;
  }

  /**
   * Crashes a node now: it receives nothing (messages arriving while it is down are dropped),
   * sends nothing (its old transport goes dead), its timers are cancelled and never fire.
   */
  crash(id: NodeId): void {
    const rec = this.node(id);
    if (!rec.up) throw new NetworkError('invalid-state', `node "${id}" is already down`);
    rec.up = false;
    for (const handle of rec.timers) this.scheduler.cancelTimer(handle);
    rec.timers.clear();
    rec.handlers = [];
    rec.crashes++;
  }

  /** Restarts a crashed node with a fresh transport; its boot function runs again (as an event). */
  restart(id: NodeId): Transport {
    const rec = this.node(id);
    if (rec.up) throw new NetworkError('invalid-state', `node "${id}" is up; crash it before restarting`);
    rec.up = true;
    rec.incarnation++;
    rec.transport = new SimTransport(this, rec, rec.incarnation);
    rec.restarts++;
    this.scheduleBoot(rec);
    return rec.transport;
  }

  private scheduleBoot(rec: NodeRecord): void {
    const { boot, transport, incarnation } = rec;
    if (!boot) return;
    this.scheduler.scheduleAt(this.now(), () => {
      if (isCurrent(rec, incarnation)) boot(transport);
    });
  }

  /**
   * Splits the network: nodes in different groups cannot exchange messages, in either
   * direction, until `heal`. Nodes not listed form one more group together. Replaces any
   * partition in force. Messages already in flight across the cut are dropped on arrival.
   */
  partition(groups: readonly (readonly NodeId[])[]): void {
    if (!Array.isArray(groups)) throw new NetworkError('invalid-argument', 'a partition is an array of node-id arrays');
    const sides = new Map<NodeId, number>();
    groups.forEach((group, side) => {
      if (!Array.isArray(group)) throw new NetworkError('invalid-argument', `partition group ${side} is not an array`);
      for (const id of group) {
        this.node(id);
        if (sides.has(id)) throw new NetworkError('invalid-argument', `node "${id}" is in two partition groups`);
        sides.set(id, side);
      }
    });
    this.sides = sides;
  }

  /** Removes the partition: every node can reach every other again. */
  heal(): void {
    this.sides = undefined;
  }

  /** Whether a message from `from` to `to` can cross the current partition. */
  canReach(from: NodeId, to: NodeId): boolean {
    if (this.sides === undefined || from === to) return true;
    return (this.sides.get(from) ?? -1) === (this.sides.get(to) ?? -1);
  }

  // ---- links -----------------------------------------------------------------------------

  /** Changes the defaults of every link (fields a link overrides keep the override). */
  setDefaultLink(config: Partial<LinkConfig>): void {
    this.defaults = { ...this.defaults, ...checkedLink(config) };
  }

  /** Overrides fields of the directed link from -> to (merged into earlier overrides). */
  setLink(from: NodeId, to: NodeId, config: Partial<LinkConfig>): void {
    this.node(from);
    this.node(to);
    const link = this.link(from, to);
    link.override = { ...link.override, ...checkedLink(config) };
  }

  /** The configuration in force on from -> to. */
  linkConfig(from: NodeId, to: NodeId): LinkConfig {
    const link = this.links.get(linkKey(from, to));
    return { ...this.defaults, ...(link?.override ?? {}) };
  }

  // ---- counters and tracing --------------------------------------------------------------

  nodeStats(id: NodeId): NodeStats {
    const rec = this.node(id);
    const offences: Record<string, number> = {};
    for (const reason of [...rec.offences.keys()].sort()) offences[reason] = rec.offences.get(reason)!;
    return {
      outbound: copyStats(rec.outbound),
      inbound: copyStats(rec.inbound),
      offences,
      sendsWhileDown: rec.sendsWhileDown,
      crashes: rec.crashes,
      restarts: rec.restarts,
    };
  }

  linkStats(from: NodeId, to: NodeId): TrafficStats {
    const link = this.links.get(linkKey(from, to));
    return link ? copyStats(link.stats) : emptyStats();
  }

  totalStats(): TrafficStats {
    return copyStats(this.total);
  }

  /** Misbehaviour counted against `id`, total over reasons. */
  offenceCount(id: NodeId): number {
    let n = 0;
    for (const count of this.node(id).offences.values()) n += count;
    return n;
  }

  /** Observes every send, duplicate, delivery, drop and rejection; returns an unsubscribe. */
  onTrace(listener: TraceListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  // ---- used by SimTransport --------------------------------------------------------------

  /** @internal */
  sendFrom(rec: NodeRecord, incarnation: number, to: NodeId, msg: Uint8Array): void {
    if (!isCurrent(rec, incarnation)) {
      rec.sendsWhileDown++;
      return;
    }
    assertMessage(msg);
    this.node(to);
    this.checkSendSize(rec, msg);
    this.transmit(rec, to, msg.slice());
  }

  /** @internal */
  broadcastFrom(rec: NodeRecord, incarnation: number, msg: Uint8Array): number {
    if (!isCurrent(rec, incarnation)) {
      rec.sendsWhileDown++;
      return 0;
    }
    assertMessage(msg);
    this.checkSendSize(rec, msg);
    const bytes = msg.slice();
    let count = 0;
    for (const to of this.sortedIds) {
      if (to === rec.id) continue;
      this.transmit(rec, to, bytes);
      count++;
    }
    return count;
  }

  /** @internal */
  setNodeTimer(rec: NodeRecord, incarnation: number, delayMs: number, fn: () => void): TimerHandle {
    const delay = normalizeDelay(delayMs);
    if (typeof fn !== 'function') throw new NetworkError('invalid-argument', 'a timer needs a function');
    if (!isCurrent(rec, incarnation)) return -1; // a dead node's timer never fires
    const handle = this.scheduler.setTimer(delay, () => {
      rec.timers.delete(handle);
      if (isCurrent(rec, incarnation)) fn();
    });
    rec.timers.add(handle);
    return handle;
  }

  /** @internal */
  cancelNodeTimer(rec: NodeRecord, handle: TimerHandle): boolean {
    if (!rec.timers.delete(handle)) return false;
    return this.scheduler.cancelTimer(handle);
  }

  /** @internal */
  subscribe(rec: NodeRecord, incarnation: number, handler: MessageHandler): () => void {
    if (typeof handler !== 'function') throw new NetworkError('invalid-argument', 'a message handler must be a function');
    if (!isCurrent(rec, incarnation)) return () => {};
    rec.handlers = [...rec.handlers, handler];
    return () => {
      if (isCurrent(rec, incarnation)) rec.handlers = rec.handlers.filter((h) => h !== handler);
    };
  }

  /** @internal */
  penalizeFrom(rec: NodeRecord, incarnation: number, peer: NodeId, reason: string): void {
    if (typeof reason !== 'string' || reason.length === 0) throw new NetworkError('invalid-argument', 'a penalty needs a reason');
    const target = this.node(peer);
    if (isCurrent(rec, incarnation)) addOffence(target, reason);
  }

  /** @internal */
  peersOf(id: NodeId): NodeId[] {
    return this.sortedIds.filter((other) => other !== id);
  }

  // ---- the message path ------------------------------------------------------------------

  private checkSendSize(rec: NodeRecord, msg: Uint8Array): void {
    if (msg.length <= rec.maxMessageBytes) return;
    record(rec.outbound, 'rejected', msg.length);
    record(this.total, 'rejected', msg.length);
    addOffence(rec, 'oversized-send');
    this.emit({ time: this.now(), kind: 'reject', from: rec.id, to: rec.id, size: msg.length });
    throw new NetworkError('message-too-large', `message of ${msg.length} bytes exceeds ${rec.id}'s limit of ${rec.maxMessageBytes}`);
  }

  /** Puts one copy per draw on the link from -> to. `bytes` is a private snapshot. */
  private transmit(from: NodeRecord, to: NodeId, bytes: Uint8Array): void {
    const link = this.link(from.id, to);
    const receiver = this.node(to);
    const now = this.now();
    this.count(from, receiver, link, 'sent', bytes.length);
    this.emit({ time: now, kind: 'send', from: from.id, to, size: bytes.length });
    const target = receiver.incarnation;
    if (to === from.id) {
      // Loopback: no wire, no loss, delivered after the current event.
      this.scheduler.scheduleAt(now, () => this.arrive(from.id, receiver, link, bytes, target));
      return;
    }
    if (!this.canReach(from.id, to)) return this.drop(from, receiver, link, bytes.length, 'partition');
    const config = this.linkConfig(from.id, to);
    const departed = link.state.transmit(now, bytes.length, config);
    if (link.state.drawLoss(config)) return this.drop(from, receiver, link, bytes.length, 'loss');
    this.scheduler.scheduleAt(link.state.arrival(departed, config), () => this.arrive(from.id, receiver, link, bytes, target));
    if (link.state.drawDuplicate(config)) {
      this.count(from, receiver, link, 'duplicated', bytes.length);
      this.emit({ time: now, kind: 'duplicate', from: from.id, to, size: bytes.length });
      this.scheduler.scheduleAt(link.state.arrival(departed, config), () => this.arrive(from.id, receiver, link, bytes, target));
    }
  }

  /** A copy reaches `receiver`: checked against crash, partition and size, then handled. */
  private arrive(fromId: NodeId, receiver: NodeRecord, link: LinkRecord, bytes: Uint8Array, target: number): void {
    const sender = this.node(fromId);
    if (!isCurrent(receiver, target)) return this.drop(sender, receiver, link, bytes.length, 'crashed');
    if (!this.canReach(fromId, receiver.id)) return this.drop(sender, receiver, link, bytes.length, 'partition');
    if (bytes.length > receiver.maxMessageBytes) {
      addOffence(sender, 'oversized');
      return this.drop(sender, receiver, link, bytes.length, 'oversized');
    }
    this.count(sender, receiver, link, 'delivered', bytes.length);
    const copy = bytes.slice(); // each delivery its own buffer: no node can alter another's
    this.emit({ time: this.now(), kind: 'deliver', from: fromId, to: receiver.id, size: bytes.length, msg: copy });
    for (const handler of receiver.handlers) {
      if (!isCurrent(receiver, target)) break;
      handler(fromId, copy);
    }
  }

  private drop(from: NodeRecord, to: NodeRecord, link: LinkRecord, size: number, reason: DropReason): void {
    this.count(from, to, link, reason, size);
    this.emit({ time: this.now(), kind: 'drop', from: from.id, to: to.id, size, reason });
  }

  private count(from: NodeRecord, to: NodeRecord, link: LinkRecord, event: TrafficEvent, size: number): void {
    record(from.outbound, event, size);
    record(to.inbound, event, size);
    record(link.stats, event, size);
    record(this.total, event, size);
  }

  private emit(event: TraceEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private node(id: NodeId): NodeRecord {
    const rec = typeof id === 'string' ? this.nodeMap.get(id) : undefined;
    if (!rec) throw new NetworkError('unknown-peer', `unknown node "${String(id)}"`);
    return rec;
  }

  private link(from: NodeId, to: NodeId): LinkRecord {
    const key = linkKey(from, to);
    let link = this.links.get(key);
    if (!link) {
      link = { state: new LinkState(this.rng.fork(`link:${key}`)), override: {}, stats: emptyStats() };
      this.links.set(key, link);
    }
    return link;
  }
}

/** One incarnation of a node's view of the network. Dead once the node crashes. */
class SimTransport implements Transport {
  readonly clock: Clock;

  constructor(
    private readonly net: SimNetwork,
    private readonly rec: NodeRecord,
    private readonly incarnation: number,
  ) {
    const scheduler = net.scheduler;
    this.clock = {
      now: () => scheduler.now(),
      setTimer: (delayMs, fn) => net.setNodeTimer(rec, incarnation, delayMs, fn),
      cancelTimer: (handle) => net.cancelNodeTimer(rec, handle),
    };
  }

  get self(): NodeId {
    return this.rec.id;
  }

  get maxMessageBytes(): number {
    return this.rec.maxMessageBytes;
  }

  peers(): readonly NodeId[] {
    return this.net.peersOf(this.rec.id);
  }

  send(to: NodeId, msg: Uint8Array): void {
    this.net.sendFrom(this.rec, this.incarnation, to, msg);
  }

  broadcast(msg: Uint8Array): number {
    return this.net.broadcastFrom(this.rec, this.incarnation, msg);
  }

  onMessage(handler: MessageHandler): () => void {
    return this.net.subscribe(this.rec, this.incarnation, handler);
  }

  penalize(peer: NodeId, reason: string): void {
    this.net.penalizeFrom(this.rec, this.incarnation, peer, reason);
  }
}

function isCurrent(rec: NodeRecord, incarnation: number): boolean {
  return rec.up && rec.incarnation === incarnation;
}

function addOffence(rec: NodeRecord, reason: string): void {
  rec.offences.set(reason, (rec.offences.get(reason) ?? 0) + 1);
}

// NUL cannot appear in a sensible node id and keeps "a"+"bc" apart from "ab"+"c".
function linkKey(from: NodeId, to: NodeId): string {
  return `${from}\u0000${to}`;
}

function checkedLink(config: Partial<LinkConfig>): Partial<LinkConfig> {
  const problems = linkConfigProblems(config);
  if (problems.length > 0) throw new NetworkError('invalid-argument', `bad link configuration: ${problems.join('; ')}`);
  return config;
}

function checkedLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    throw new NetworkError('invalid-argument', `maxMessageBytes must be a positive integer, got ${String(limit)}`);
  }
  return limit;
}
