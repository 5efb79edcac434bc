// The model of one directed link between two simulated nodes: what a message experiences on
// its way from one node to another. See docs/consensus-network.md, "Simulation model".

import type { Rng } from './rng.ts';

export interface LinkConfig {
  /** Fixed one-way delay, milliseconds (integer >= 0). */
  latencyMs: number;
  /**
   * Extra delay drawn uniformly from the integers 0..jitterMs for each copy. Jitter larger
   * than the gap between two sends reorders them. Uniform because it needs no Math.log or
   * Math.pow, whose last bits may differ between JS engines; heavy tails can be modelled by
   * set-link events that raise latency for a while.
   */
  jitterMs: number;
  /** Probability that a message is lost, in [0, 1]. */
  loss: number;
  /** Probability that the network delivers a second copy (own jitter draw), in [0, 1]. */
  duplicate: number;
  /**
   * Bytes per millisecond the link carries; 0 means unlimited. Messages queue behind each
   * other: a message starts when the previous one on the link has been transmitted and
   * takes ceil(bytes / bandwidth) ms (1 byte/ms = 8 kbit/s; 125 bytes/ms = 1 Mbit/s).
   */
  bandwidthBytesPerMs: number;
  /** True models a TCP/yamux stream: copies arrive in the order they were sent. */
  ordered: boolean;
}

export const DEFAULT_LINK: Readonly<LinkConfig> = Object.freeze({
  latencyMs: 20,
  jitterMs: 10,
  loss: 0,
  duplicate: 0,
  bandwidthBytesPerMs: 0,
  ordered: false,
});

const INTEGER_FIELDS = ['latencyMs', 'jitterMs', 'bandwidthBytesPerMs'] as const;
const PROBABILITY_FIELDS = ['loss', 'duplicate'] as const;
const KNOWN_FIELDS = new Set<string>([...INTEGER_FIELDS, ...PROBABILITY_FIELDS, 'ordered']);

/** Problems with a (partial) link configuration, as "field: what is wrong"; empty if fine. */
export function linkConfigProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['must be an object'];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (!KNOWN_FIELDS.has(key)) problems.push(`${key}: unknown link field (known: ${[...KNOWN_FIELDS].join(', ')})`);
  }
  for (const key of INTEGER_FIELDS) {
    const v = record[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) {
      problems.push(`${key}: must be an integer >= 0, got ${JSON.stringify(v)}`);
    }
  }
  for (const key of PROBABILITY_FIELDS) {
    const v = record[key];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) {
      problems.push(`${key}: must be a probability in [0, 1], got ${JSON.stringify(v)}`);
    }
  }
  if (record.ordered !== undefined && typeof record.ordered !== 'boolean') {
    problems.push(`ordered: must be a boolean, got ${JSON.stringify(record.ordered)}`);
  }
  return problems;
}

/** Per-link mutable state: its random stream and its queue positions. */
export class LinkState {
  /** Time the link finishes transmitting what is queued (bandwidth model). */
  private busyUntil = 0;
  /** Latest arrival scheduled so far (ordered links never deliver before it). */
  private lastArrival = 0;

  constructor(private readonly rng: Rng) {}

  /** Whether this copy is lost. One draw per message, always first, so streams stay aligned. */
  drawLoss(config: LinkConfig): boolean {
    return this.rng.chance(config.loss);
  }

  /** Whether the network makes a second copy of this message. */
  drawDuplicate(config: LinkConfig): boolean {
    return this.rng.chance(config.duplicate);
  }

  /** Time the last byte of a `size`-byte message leaves the sender, queueing it on the link. */
  transmit(now: number, size: number, config: LinkConfig): number {
    if (config.bandwidthBytesPerMs === 0) return now;
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + Math.ceil(size / config.bandwidthBytesPerMs);
    return this.busyUntil;
  }

  /** Arrival time of one copy that finished transmitting at `departed`. */
  arrival(departed: number, config: LinkConfig): number {
    const jitter = config.jitterMs > 0 ? this.rng.nextInt(config.jitterMs + 1) : 0;
    let at = departed + config.latencyMs + jitter;
    if (config.ordered) at = Math.max(at, this.lastArrival);
    this.lastArrival = Math.max(this.lastArrival, at);
    return at;
  }
}
