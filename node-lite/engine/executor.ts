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
//
// An executor may also hold the miner registry on chain (`minerRegistry`: the genesis system
// contracts of docs/system-contracts.md). The engine then learns who mines from the registry
// contract's events instead of from `miner-op` consensus items, and slashes through it.

import type { MinerType } from '../consensus/miners.ts';

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
  /**
   * The account the block's fees go to: the proposer's miner id (64 hex), or, when the
   * executor holds the miner registry, the account that registered the proposer ('zv…').
   */
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
  /**
   * Present when the miner registry lives in a contract of the executor's state. The engine
   * then applies the contract's operations to its own registry and treats `miner-op` items
   * as invalid; absent, the engine keeps the registry through `miner-op` items itself.
   */
  readonly minerRegistry?: RegistryContract<S>;
}

/** The miner registry contract as the engine reads and drives it. */
export interface RegistryContract<S> {
  /** The contract's address (for logs and clients). */
  readonly address: string;
  /** The operations of the genesis state: the configuration, then the genesis miners' enrolment. */
  genesisOps(): readonly RegistryOp[];
  /**
   * The operations made by the transactions of the block whose `execute` returned `state`,
   * in the order they happened (a reverted transaction made none). Only the registry
   * contract's own events count: another contract may emit events of the same names.
   */
  blockOps(state: S): readonly RegistryOp[];
  /**
   * Runs the contract's `slash(account, amount)` as the engine: a system call carried by no
   * transaction, paying no fee. Returns the new state and the operation the contract made.
   * The account must hold a record (the engine slashes only miners it learnt from the
   * contract); a refusal means the engine and the contract disagree, a bug: it throws Error.
   */
  slash(state: S, account: string, amount: bigint, ctx: ExecutionContext): { readonly state: S; readonly op: Extract<RegistryOp, { kind: 'slashed' }> };
}

/**
 * One change of the registry contract, decoded from its event (docs/system-contracts.md,
 * "Events"); `height` is the block height of the call, `account` the record's owner ('zv…').
 */
export type RegistryOp =
  /** MinersConfigured: the constructor's parameters (the genesis only). */
  | { readonly kind: 'configured'; readonly engine: string; readonly minStake: bigint; readonly refundDelay: number; readonly height: number }
  /** MinerRegistered: the key and its proof of possession are not checked by the contract. */
  | { readonly kind: 'registered'; readonly account: string; readonly minerType: MinerType; readonly publicKey: Uint8Array; readonly pop: Uint8Array; readonly stake: bigint; readonly height: number }
  | { readonly kind: 'annulled'; readonly account: string; readonly height: number; readonly refundableAt: number }
  | { readonly kind: 'refunded'; readonly account: string; readonly amount: bigint; readonly height: number }
  /** MinerSlashed: `amount` asked, `taken` = min(amount, stake), `stake` left. */
  | { readonly kind: 'slashed'; readonly account: string; readonly amount: bigint; readonly taken: bigint; readonly stake: bigint; readonly height: number };

export interface ExecutionResult<S> {
  readonly state: S;
  /** Ids (as returned by checkTransaction) of the transactions the section held, in order. */
  readonly included: readonly string[];
}
