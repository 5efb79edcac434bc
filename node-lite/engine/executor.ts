// The executor interface: what the Chiron engine asks of the layer that gives a block's
// transactions meaning. The engine orders blocks and runs consensus; the executor keeps the
// ledger. Issue 3's reference executor moves coin (transfer-executor.ts); the devnet puts the
// TVM and a persistent state store behind the same interface.
//
// Rules an executor must keep (block validity depends on them):
//  - deterministic: the same state and input give the same result on every node; no clock,
//    no randomness, no iteration order of a JS object;
//  - pure over immutable states: `execute`, `credit` and `debit` return a new state and never
//    change the one given (the engine keeps the state of every block of every fork);
//  - errors: invalid input throws ExecutionError (the block or transaction is rejected);
//    anything else thrown is a bug and propagates.

/** Thrown for a transaction or section the executor rejects; `code` says why without parsing text. */
export class ExecutionError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ExecutionError';
    this.code = code;
  }
}

/** What a block's execution may know about its block. */
export interface ExecutionContext {
  readonly height: number;
  /** The block's slot time in ms (slotTimestamp): never a clock. */
  readonly timestamp: number;
  /** The proposer's miner id (64 hex): the account its fees and rewards go to. */
  readonly proposer: string;
  /** The block's random value (hex), for contracts that need unpredictable input. */
  readonly random: string;
}

export interface Executor<S> {
  /** Names the executor in logs and benchmark output. */
  readonly name: string;
  /** The ledger before the first block. */
  genesis(): S;
  /**
   * Checks a transaction arriving for the pool against the current tip state (signature,
   * nonce, balance, size). Throws ExecutionError with the reason; returns a stable id
   * (hex) used to deduplicate.
   */
  checkTransaction(state: S, tx: Uint8Array): string;
  /**
   * Picks pool transactions (in the given order, skipping ones that no longer apply) and
   * encodes the block's transaction section, at most `maxBytes` long.
   */
  buildSection(state: S, pool: readonly Uint8Array[], ctx: ExecutionContext, maxBytes: number): Uint8Array;
  /** Applies a block's transaction section; throws ExecutionError if the block is invalid. */
  execute(state: S, section: Uint8Array, ctx: ExecutionContext): ExecutionResult<S>;
  /** Adds native coin to an account (rewards, refunded deposits). */
  credit(state: S, account: string, amount: bigint): S;
  /** Removes native coin from an account (deposits); throws ExecutionError('insufficient-funds'). */
  debit(state: S, account: string, amount: bigint): S;
  /** The native-coin balance of an account. */
  balance(state: S, account: string): bigint;
  /** 32 bytes committing to the whole state: the block header's stateRoot. */
  stateRoot(state: S): Uint8Array;
}

export interface ExecutionResult<S> {
  readonly state: S;
  /** Ids (as returned by checkTransaction) of the transactions the section held, in order. */
  readonly included: readonly string[];
}
