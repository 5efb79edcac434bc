// The network as the consensus engine sees it. Consensus code holds a `Transport` and
// nothing else: it never opens a socket, never reads the wall clock, never knows whether the
// peer at the other end is a simulated node in this process (sim-network.ts) or a libp2p
// peer on another machine. See docs/consensus-network.md.
//
// Messages are opaque bytes. Consensus code encodes its messages itself, so:
//  - sizes are real: the size limit, the byte counters and the bandwidth model measure the
//    bytes a real network would carry, not an estimate from a size function that can drift
//    from the encoding;
//  - every message crosses the same decode path in the simulation as on a real network, so
//    malformed input from a faulty peer is tested where it will arrive;
//  - no node can share a mutable object with another (the simulator copies the bytes), and
//    switching to libp2p, whose streams and gossipsub carry `Uint8Array`s, changes nothing
//    above this interface.

/** A node's identity on the network: a simulated node's name, later a libp2p peer id string. */
export type NodeId = string;

/** Called once per delivered message, with the sender the network authenticated. */
export type MessageHandler = (from: NodeId, msg: Uint8Array) => void;

/** Opaque handle for a pending timer. */
export type TimerHandle = number;

/**
 * Time as consensus code may see it. Milliseconds of virtual time in the simulator (integers:
 * every delay is rounded up to a whole millisecond so arithmetic on times is exact), of
 * monotonic real time in a real node.
 */
export interface Clock {
  /** Current time in milliseconds. */
  now(): number;
  /** Runs `fn` once, `delayMs` (finite, >= 0) from now. Returns a handle for `cancelTimer`. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  /** Cancels a pending timer; returns false if it already fired, was cancelled or is unknown. */
  cancelTimer(handle: TimerHandle): boolean;
}

/** Default per-message size limit: 1 MiB, the order of gossipsub's default max message size. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

export interface Transport {
  /** This node's id. */
  readonly self: NodeId;
  /** This node's clock; its timers die with the node when it crashes. */
  readonly clock: Clock;
  /** Largest message this node sends or accepts, in bytes. */
  readonly maxMessageBytes: number;
  /** Every other node currently known to the network (sorted, excludes `self`). */
  peers(): readonly NodeId[];
  /**
   * Sends `msg` to one node. Delivery is not guaranteed, may be delayed, reordered or
   * duplicated: protocols must be idempotent and time out. Sending to `self` delivers
   * locally, asynchronously, without loss. Throws `NetworkError` ('message-too-large',
   * 'unknown-peer', 'invalid-argument').
   */
  send(to: NodeId, msg: Uint8Array): void;
  /**
   * Gossips `msg` to every peer (not to `self`). Same delivery caveats as `send`. Returns the
   * number of peers it was addressed to. Throws as `send`.
   */
  broadcast(msg: Uint8Array): number;
  /** Registers a handler for incoming messages; returns a function that unregisters it. */
  onMessage(handler: MessageHandler): () => void;
  /**
   * Counts a misbehaviour (invalid share, bad signature, wrong round, undecodable message...)
   * against `peer`. The network keeps the tally (later: libp2p peer scoring); consensus code
   * decides what a message is worth, the network remembers who sent bad ones.
   */
  penalize(peer: NodeId, reason: string): void;
}

export type NetworkErrorCode =
  | 'message-too-large' // a send above the sender's maxMessageBytes
  | 'unknown-peer' // a node id the network does not know
  | 'invalid-argument' // not a Uint8Array, a bad delay, a bad probability...
  | 'node-exists' // addNode with an id already taken
  | 'invalid-state' // crash of a node that is down, restart of one that is up
  | 'invalid-scenario'; // a scenario that fails validation (see scenario.ts)

/** The one error type the network layer throws; `code` says what without parsing text. */
export class NetworkError extends Error {
  readonly code: NetworkErrorCode;
  constructor(code: NetworkErrorCode, message: string) {
    super(message);
    this.name = 'NetworkError';
    this.code = code;
  }
}

/** Checks that `msg` is bytes; the shared argument check of every `send` implementation. */
export function assertMessage(msg: unknown): asserts msg is Uint8Array {
  if (!(msg instanceof Uint8Array)) {
    throw new NetworkError('invalid-argument', 'a message must be a Uint8Array');
  }
}

/** Checks a timer delay and rounds it up to whole milliseconds. */
export function normalizeDelay(delayMs: unknown): number {
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
    throw new NetworkError('invalid-argument', `a delay must be a finite number >= 0, got ${String(delayMs)}`);
  }
  return Math.ceil(delayMs);
}
