// Traffic counters of the simulated network: one `TrafficStats` per directed link, per node
// (what it sent, what was addressed to it) and for the whole network. They feed the benchmark
// "messages and bytes per block" and let tests check the fate of every message:
//   sent + duplicated = delivered + dropped + in flight.

export type DropReason =
  | 'loss' // the link's loss draw
  | 'partition' // sender and receiver on different sides, at send or at arrival
  | 'crashed' // the receiver was down (or restarted) when the message arrived
  | 'oversized'; // larger than the receiver's maxMessageBytes

export const DROP_REASONS: readonly DropReason[] = ['loss', 'partition', 'crashed', 'oversized'];

export interface TrafficStats {
  /** Messages accepted by send/broadcast (one per recipient), and their bytes. */
  sentMessages: number;
  sentBytes: number;
  /** Extra copies the network made (link duplication). */
  duplicatedMessages: number;
  /** Copies handed to the receiver's handlers, and their bytes. */
  deliveredMessages: number;
  deliveredBytes: number;
  /** Copies lost, by reason, and their bytes. */
  droppedMessages: number;
  droppedBytes: number;
  dropped: Record<DropReason, number>;
  /** Sends refused by the sender's own size check: never on the wire, not in sentMessages. */
  rejectedAtSend: number;
}

export function emptyStats(): TrafficStats {
  return {
    sentMessages: 0,
    sentBytes: 0,
    duplicatedMessages: 0,
    deliveredMessages: 0,
    deliveredBytes: 0,
    droppedMessages: 0,
    droppedBytes: 0,
    dropped: { loss: 0, partition: 0, crashed: 0, oversized: 0 },
    rejectedAtSend: 0,
  };
}

export function copyStats(s: TrafficStats): TrafficStats {
  return { ...s, dropped: { ...s.dropped } };
}

/** Messages on the wire now: sent and duplicated copies not yet delivered or dropped. */
export function inFlight(s: TrafficStats): number {
  return s.sentMessages + s.duplicatedMessages - s.deliveredMessages - s.droppedMessages;
}

export type TrafficEvent = 'sent' | 'duplicated' | 'delivered' | 'rejected' | DropReason;

/** Applies one event of `size` bytes to a set of counters. */
export function record(s: TrafficStats, event: TrafficEvent, size: number): void {
  switch (event) {
    case 'sent':
      s.sentMessages++;
      s.sentBytes += size;
      return;
    case 'duplicated':
      s.duplicatedMessages++;
      return;
    case 'delivered':
      s.deliveredMessages++;
      s.deliveredBytes += size;
      return;
    case 'rejected':
      s.rejectedAtSend++;
      return;
    default:
      s.droppedMessages++;
      s.droppedBytes += size;
      s.dropped[event]++;
  }
}

/** What a node did and what was done to it. */
export interface NodeStats {
  /** Messages this node sent, by fate. */
  outbound: TrafficStats;
  /** Messages addressed to this node, by fate. */
  inbound: TrafficStats;
  /** Misbehaviour counted against this node, by reason (sorted keys). */
  offences: Record<string, number>;
  /** Send calls made through a transport of a crashed incarnation (ignored, never sent). */
  sendsWhileDown: number;
  /** Times this node crashed and restarted. */
  crashes: number;
  restarts: number;
}
