// The reference executor: plain native-coin transfers between accounts. It gives the Chiron
// engine a ledger to run blocks against before the TVM sits behind the same interface
// (executor.ts), and it is the yardstick of the engine's throughput benchmarks.
//
// Accounts are 64 lowercase hex characters: SHA-256 of the owner's 48-byte compressed BLS
// public key, the same as a miner's id (minerIdOf), so a proposer's fees and rewards land in
// the account of its key.
//
// A transfer is a fixed 212-byte record, all integers big-endian:
//   from publicKey[48] ‖ to account[32] ‖ amount u128 ‖ fee u64 ‖ nonce u64 ‖ chainId u32 ‖ signature[96]
// signed by `from` over "ZV-TRANSFER-v1" ‖ the first 116 bytes. BLS signatures are unique, so
// one set of fields has exactly one encoding and transferId (SHA-256 of the bytes) cannot be
// changed by re-signing.
//
// A block's transaction section is u32 count ‖ count × (u32 length ‖ transfer bytes).

import { sha256 } from '@noble/hashes/sha2.js';
import { PUBLIC_KEY_BYTES, SIGNATURE_BYTES, verifyBytes, type SecretKey } from '../crypto/index.ts';
import { toHex } from '../consensus/bytes.ts';
import { minerIdOf } from '../consensus/miners.ts';
import { ExecutionError, type ExecutionContext, type ExecutionResult, type Executor } from './executor.ts';

export const TRANSFER_DOMAIN = new TextEncoder().encode('ZV-TRANSFER-v1');
export const U128_MAX = (1n << 128n) - 1n;
export const U64_MAX = (1n << 64n) - 1n;
const U32_MAX = 0xffff_ffff;

const ACCOUNT_BYTES = 32;
const AT_TO = PUBLIC_KEY_BYTES; // 48
const AT_AMOUNT = AT_TO + ACCOUNT_BYTES; // 80
const AT_FEE = AT_AMOUNT + 16; // 96
const AT_NONCE = AT_FEE + 8; // 104
const AT_CHAIN = AT_NONCE + 8; // 112
/** Length of the signed part of a transfer. */
export const TRANSFER_BODY_BYTES = AT_CHAIN + 4; // 116
export const TRANSFER_BYTES = TRANSFER_BODY_BYTES + SIGNATURE_BYTES; // 212

/** Length prefix of each transaction in a section, and of the count. */
const FRAME_BYTES = 4;
/** The section of a block without transactions. */
export const EMPTY_SECTION_BYTES = FRAME_BYTES;

const ACCOUNT_RE = /^[0-9a-f]{64}$/;

/** What the sender signs. */
export interface TransferFields {
  /** The sender's compressed BLS public key (48 bytes); its account is accountOf(from). */
  readonly from: Uint8Array;
  /** The recipient account (32 bytes; hex of it is the account id). */
  readonly to: Uint8Array;
  /** 1 ..= 2^128 - 1. */
  readonly amount: bigint;
  /** 0 ..= 2^64 - 1, paid to the block's proposer. */
  readonly fee: bigint;
  /** The number of transfers the sender already made (a non-negative safe integer). */
  readonly nonce: number;
  /** u32: a transfer signed for one chain is not valid on another. */
  readonly chainId: number;
}

export interface Transfer extends TransferFields {
  readonly signature: Uint8Array; // 96
}

/**
 * The ledger after some block: a value, never changed after it is made. An account absent
 * from `balances` holds zero (zero balances are not stored, so equal ledgers have equal maps);
 * an account absent from `nonces` has made no transfer.
 */
export interface TransferState {
  readonly balances: ReadonlyMap<string, bigint>;
  readonly nonces: ReadonlyMap<string, number>;
  /** Transfers applied since genesis (for benchmarks). */
  readonly transfers: number;
}

/** Same contract as node-lite/crypto verifyBytes: false for anything that does not verify. */
export type TransferVerifier = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export interface TransferExecutorOptions {
  readonly chainId: number;
  /** The genesis balances; each account at most once. */
  readonly allocations: ReadonlyMap<string, bigint> | readonly (readonly [string, bigint])[];
  /** Defaults to verifyBytes; the engine passes a memoising one in simulations. */
  readonly verify?: TransferVerifier;
}

/** The account of a public key: the same id as the key's miner id. */
export function accountOf(publicKey: Uint8Array): string {
  return minerIdOf(publicKey);
}

/** The stable id of an encoded transfer: hex SHA-256 of its bytes. */
export function transferId(bytes: Uint8Array): string {
  return toHex(sha256(bytes));
}

/** The sum of all balances. Transfers keep it; only credit and debit change it. */
export function totalSupply(state: TransferState): bigint {
  let sum = 0n;
  for (const v of state.balances.values()) sum += v;
  return sum;
}

// ---- encoding ---------------------------------------------------------------------------

function malformed(field: string, problem: string): ExecutionError {
  return new ExecutionError('malformed-transaction', `transfer field '${field}' ${problem}`);
}

/**
 * A compressed point's flag bits (ZCash encoding): compressed set, infinity clear. The curve
 * and subgroup checks are left to signature verification, which does them anyway: a key or
 * signature that passes these flags but is not a point fails as 'bad-signature'.
 */
function checkPointBytes(value: unknown, length: number, field: string): asserts value is Uint8Array {
  checkBytes(value, length, field);
  if ((value[0]! & 0xc0) !== 0x80) throw malformed(field, 'is not a compressed point (flag bits of its first byte)');
}

function checkBytes(value: unknown, length: number, field: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    const got = value instanceof Uint8Array ? `${value.length} bytes` : typeof value;
    throw malformed(field, `must be ${length} bytes, got ${got}`);
  }
}

function checkAmount(amount: unknown): asserts amount is bigint {
  if (typeof amount !== 'bigint' || amount <= 0n || amount > U128_MAX) {
    throw malformed('amount', `must be a bigint in 1..2^128-1, got ${String(amount)}`);
  }
}

function checkFee(fee: unknown): asserts fee is bigint {
  if (typeof fee !== 'bigint' || fee < 0n || fee > U64_MAX) {
    throw malformed('fee', `must be a bigint in 0..2^64-1, got ${String(fee)}`);
  }
}

function checkNonce(nonce: unknown): asserts nonce is number {
  if (typeof nonce !== 'number' || !Number.isSafeInteger(nonce) || nonce < 0) {
    throw malformed('nonce', `must be a non-negative safe integer, got ${String(nonce)}`);
  }
}

function checkChainId(chainId: unknown): asserts chainId is number {
  if (typeof chainId !== 'number' || !Number.isInteger(chainId) || chainId < 0 || chainId > U32_MAX) {
    throw malformed('chainId', `must be a u32, got ${String(chainId)}`);
  }
}

function checkFields(f: TransferFields): void {
  checkPointBytes(f.from, PUBLIC_KEY_BYTES, 'from');
  checkBytes(f.to, ACCOUNT_BYTES, 'to');
  checkAmount(f.amount);
  checkFee(f.fee);
  checkNonce(f.nonce);
  checkChainId(f.chainId);
}

function encodeBody(f: TransferFields): Uint8Array {
  checkFields(f);
  const out = new Uint8Array(TRANSFER_BODY_BYTES);
  const view = new DataView(out.buffer);
  out.set(f.from, 0);
  out.set(f.to, AT_TO);
  view.setBigUint64(AT_AMOUNT, f.amount >> 64n);
  view.setBigUint64(AT_AMOUNT + 8, f.amount & U64_MAX);
  view.setBigUint64(AT_FEE, f.fee);
  view.setBigUint64(AT_NONCE, BigInt(f.nonce));
  view.setUint32(AT_CHAIN, f.chainId);
  return out;
}

function signingMessage(body: Uint8Array): Uint8Array {
  const msg = new Uint8Array(TRANSFER_DOMAIN.length + body.length);
  msg.set(TRANSFER_DOMAIN, 0);
  msg.set(body, TRANSFER_DOMAIN.length);
  return msg;
}

/** Encodes a signed transfer; throws ExecutionError('malformed-transaction') naming a bad field. */
export function encodeTransfer(tx: Transfer): Uint8Array {
  const body = encodeBody(tx);
  checkPointBytes(tx.signature, SIGNATURE_BYTES, 'signature');
  const out = new Uint8Array(TRANSFER_BYTES);
  out.set(body, 0);
  out.set(tx.signature, TRANSFER_BODY_BYTES);
  return out;
}

/** Strict decoding: exact length, every field in range; the signature is not verified here. */
export function decodeTransfer(bytes: Uint8Array): Transfer {
  if (!(bytes instanceof Uint8Array) || bytes.length !== TRANSFER_BYTES) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
    throw new ExecutionError('malformed-transaction', `a transfer is ${TRANSFER_BYTES} bytes, got ${got}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const from = bytes.slice(0, AT_TO);
  checkPointBytes(from, PUBLIC_KEY_BYTES, 'from');
  const amount = (view.getBigUint64(AT_AMOUNT) << 64n) | view.getBigUint64(AT_AMOUNT + 8);
  checkAmount(amount);
  const nonce = view.getBigUint64(AT_NONCE);
  if (nonce > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('nonce', `must be a safe integer, got ${nonce}`);
  const signature = bytes.slice(TRANSFER_BODY_BYTES);
  checkPointBytes(signature, SIGNATURE_BYTES, 'signature');
  return {
    from,
    to: bytes.slice(AT_TO, AT_AMOUNT),
    amount,
    fee: view.getBigUint64(AT_FEE),
    nonce: Number(nonce),
    chainId: view.getUint32(AT_CHAIN),
    signature,
  };
}

/** Signs `fields` with `sk` (whose public key becomes `from`) and returns the encoded transfer. */
export function signTransfer(sk: SecretKey, fields: Omit<TransferFields, 'from'>): Uint8Array {
  const body = encodeBody({ ...fields, from: sk.publicKey().toBytes() });
  const out = new Uint8Array(TRANSFER_BYTES);
  out.set(body, 0);
  out.set(sk.sign(signingMessage(body)).toBytes(), TRANSFER_BODY_BYTES);
  return out;
}

// ---- sections ---------------------------------------------------------------------------

function malformedSection(problem: string): ExecutionError {
  return new ExecutionError('malformed-section', `transaction section ${problem}`);
}

function encodeSection(txs: readonly Uint8Array[]): Uint8Array {
  let total = FRAME_BYTES;
  for (const tx of txs) total += FRAME_BYTES + tx.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, txs.length);
  let at = FRAME_BYTES;
  for (const tx of txs) {
    view.setUint32(at, tx.length);
    out.set(tx, at + FRAME_BYTES);
    at += FRAME_BYTES + tx.length;
  }
  return out;
}

/** Splits a section into its transactions; only the framing is checked here. */
function decodeSection(section: Uint8Array): Uint8Array[] {
  if (!(section instanceof Uint8Array)) throw malformedSection(`must be bytes, got ${typeof section}`);
  if (section.length < FRAME_BYTES) throw malformedSection(`is ${section.length} bytes, shorter than its count`);
  const view = new DataView(section.buffer, section.byteOffset, section.byteLength);
  const count = view.getUint32(0);
  // Bound the count by the bytes present before building anything of that size.
  if (count > (section.length - FRAME_BYTES) / FRAME_BYTES) {
    throw malformedSection(`claims ${count} transactions in ${section.length} bytes`);
  }
  const txs: Uint8Array[] = [];
  let at = FRAME_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + FRAME_BYTES > section.length) throw malformedSection(`ends inside the length of transaction ${i} at offset ${at}`);
    const length = view.getUint32(at);
    at += FRAME_BYTES;
    if (length > section.length - at) {
      throw malformedSection(`transaction ${i} claims ${length} bytes at offset ${at}, only ${section.length - at} left`);
    }
    txs.push(section.subarray(at, at + length));
    at += length;
  }
  if (at !== section.length) throw malformedSection(`has ${section.length - at} trailing bytes after ${count} transactions`);
  return txs;
}

// ---- the ledger -------------------------------------------------------------------------

/** A private, mutable copy of a state: one per block built or executed, frozen at the end. */
interface Scratch {
  balances: Map<string, bigint>;
  nonces: Map<string, number>;
  transfers: number;
}

function scratchOf(state: TransferState): Scratch {
  return { balances: new Map(state.balances), nonces: new Map(state.nonces), transfers: state.transfers };
}

function freeze(s: Scratch): TransferState {
  return Object.freeze({ balances: s.balances, nonces: s.nonces, transfers: s.transfers });
}

/** What applying one transfer changes, computed without changing anything. */
interface Transition {
  readonly sender: string;
  readonly nextNonce: number;
  /** New balances of the accounts it touches (sender, recipient, proposer). */
  readonly balances: ReadonlyMap<string, bigint>;
}

function commit(s: Scratch, t: Transition): void {
  for (const [account, value] of t.balances) {
    if (value === 0n) s.balances.delete(account);
    else s.balances.set(account, value);
  }
  s.nonces.set(t.sender, t.nextNonce);
  s.transfers++;
}

function assertAccount(account: unknown, what: string): asserts account is string {
  if (typeof account !== 'string' || !ACCOUNT_RE.test(account)) {
    throw new ExecutionError('invalid-argument', `${what} must be 64 lowercase hex characters, got '${String(account).slice(0, 80)}'`);
  }
}

function assertNonNegative(amount: unknown, what: string): asserts amount is bigint {
  if (typeof amount !== 'bigint' || amount < 0n) {
    throw new ExecutionError('invalid-argument', `${what} must be a non-negative bigint, got ${String(amount)}`);
  }
}

function checkedSum(a: bigint, b: bigint, account: string): bigint {
  const sum = a + b;
  if (sum > U128_MAX) throw new ExecutionError('overflow', `the balance of ${account} would exceed 2^128-1`);
  return sum;
}

export class TransferExecutor implements Executor<TransferState> {
  readonly name = 'transfer';
  readonly chainId: number;
  private readonly verify: TransferVerifier;
  private readonly genesisState: TransferState;

  constructor(options: TransferExecutorOptions) {
    const { chainId, allocations, verify = verifyBytes } = options;
    if (!Number.isInteger(chainId) || chainId < 0 || chainId > U32_MAX) {
      throw new ExecutionError('invalid-argument', `chainId must be a u32, got ${String(chainId)}`);
    }
    this.chainId = chainId;
    this.verify = verify;
    this.genesisState = genesisOf(allocations);
  }

  genesis(): TransferState {
    return this.genesisState;
  }

  /**
   * Checks a transfer for the pool against the tip: well formed, this chain, the sender's
   * next nonce exactly (a later nonce is rejected, not held: the pool keeps no gaps), funds
   * for amount + fee, a valid signature. Returns its id.
   */
  checkTransaction(state: TransferState, tx: Uint8Array): string {
    this.transition(state, tx, null);
    return transferId(tx);
  }

  /**
   * Takes pool transfers in order, each against the state its predecessors left, skipping
   * those that do not apply (spent nonce, funds gone, ...), until the next would exceed
   * `maxBytes`. The pool must hold a sender's transfers in nonce order: a later nonce seen
   * first is skipped as a gap.
   */
  buildSection(state: TransferState, pool: readonly Uint8Array[], ctx: ExecutionContext, maxBytes: number): Uint8Array {
    assertAccount(ctx.proposer, 'ctx.proposer');
    if (!Number.isSafeInteger(maxBytes) || maxBytes < EMPTY_SECTION_BYTES) {
      throw new ExecutionError('invalid-argument', `maxBytes must be an integer >= ${EMPTY_SECTION_BYTES}, got ${String(maxBytes)}`);
    }
    // Every valid transfer has the same size, so the room is a count.
    const room = Math.floor((maxBytes - FRAME_BYTES) / (FRAME_BYTES + TRANSFER_BYTES));
    const scratch = scratchOf(state);
    const picked: Uint8Array[] = [];
    for (const tx of pool) {
      if (picked.length === room) break;
      let t: Transition;
      try {
        t = this.transition(scratch, tx, ctx.proposer);
      } catch (e) {
        if (e instanceof ExecutionError) continue;
        throw e;
      }
      commit(scratch, t);
      picked.push(tx);
    }
    return encodeSection(picked);
  }

  /** Applies every transfer of the section in order; any that does not apply makes the block invalid. */
  execute(state: TransferState, section: Uint8Array, ctx: ExecutionContext): ExecutionResult<TransferState> {
    assertAccount(ctx.proposer, 'ctx.proposer');
    const txs = decodeSection(section);
    const scratch = scratchOf(state);
    const included: string[] = [];
    txs.forEach((tx, index) => {
      try {
        commit(scratch, this.transition(scratch, tx, ctx.proposer));
      } catch (e) {
        if (e instanceof ExecutionError) throw new ExecutionError(e.code, `transaction ${index} of the section: ${e.message}`);
        throw e;
      }
      included.push(transferId(tx));
    });
    return { state: freeze(scratch), included };
  }

  credit(state: TransferState, account: string, amount: bigint): TransferState {
    assertAccount(account, 'account');
    assertNonNegative(amount, 'credit amount');
    return withBalance(state, account, checkedSum(this.balance(state, account), amount, account));
  }

  debit(state: TransferState, account: string, amount: bigint): TransferState {
    assertAccount(account, 'account');
    assertNonNegative(amount, 'debit amount');
    const have = this.balance(state, account);
    if (have < amount) throw new ExecutionError('insufficient-funds', `cannot debit ${amount} from ${account}: its balance is ${have}`);
    return withBalance(state, account, have - amount);
  }

  balance(state: TransferState, account: string): bigint {
    assertAccount(account, 'account');
    return state.balances.get(account) ?? 0n;
  }

  /**
   * SHA-256 over every account's balance and nonce in account order. Linear in the accounts:
   * fine for a reference executor; the devnet's TVM executor keeps a Merkle trie instead.
   */
  stateRoot(state: TransferState): Uint8Array {
    const h = sha256.create();
    h.update(new TextEncoder().encode('ZV-TRANSFER-STATE-v1'));
    const accounts = [...new Set([...state.balances.keys(), ...state.nonces.keys()])].sort();
    for (const a of accounts) h.update(new TextEncoder().encode(`${a}:${state.balances.get(a) ?? 0n}:${state.nonces.get(a) ?? 0};`));
    return h.digest();
  }

  /** The nonce the account's next transfer must carry. */
  nextNonce(state: TransferState, account: string): number {
    assertAccount(account, 'account');
    return state.nonces.get(account) ?? 0;
  }

  /**
   * Everything one transfer would change, or the ExecutionError saying why it cannot apply.
   * `proposer` null (a pool check) credits the fee to no one. The signature is checked last:
   * it is the costly check, and the cheap ones turn most junk away first.
   */
  private transition(ledger: TransferState | Scratch, bytes: Uint8Array, proposer: string | null): Transition {
    const tx = decodeTransfer(bytes);
    if (tx.chainId !== this.chainId) {
      throw new ExecutionError('wrong-chain', `transfer is for chain ${tx.chainId}, this is chain ${this.chainId}`);
    }
    const sender = accountOf(tx.from);
    const expected = ledger.nonces.get(sender) ?? 0;
    if (tx.nonce < expected) throw new ExecutionError('stale-nonce', `nonce ${tx.nonce} of ${sender} is spent; next is ${expected}`);
    if (tx.nonce > expected) throw new ExecutionError('nonce-gap', `nonce ${tx.nonce} of ${sender} skips ahead; next is ${expected}`);

    const balances = new Map<string, bigint>();
    const read = (account: string): bigint => balances.get(account) ?? ledger.balances.get(account) ?? 0n;
    const cost = tx.amount + tx.fee;
    const have = read(sender);
    if (cost > have) throw new ExecutionError('insufficient-funds', `${sender} has ${have}, needs ${cost} (amount ${tx.amount} + fee ${tx.fee})`);
    balances.set(sender, have - cost);
    const to = toHex(tx.to);
    balances.set(to, checkedSum(read(to), tx.amount, to));
    if (proposer !== null && tx.fee > 0n) balances.set(proposer, checkedSum(read(proposer), tx.fee, proposer));

    if (!this.verify(tx.from, signingMessage(bytes.subarray(0, TRANSFER_BODY_BYTES)), tx.signature)) {
      throw new ExecutionError('bad-signature', `the signature of ${sender}'s transfer (nonce ${tx.nonce}) does not verify`);
    }
    return { sender, nextNonce: tx.nonce + 1, balances };
  }
}

function withBalance(state: TransferState, account: string, value: bigint): TransferState {
  const balances = new Map(state.balances);
  if (value === 0n) balances.delete(account);
  else balances.set(account, value);
  return Object.freeze({ balances, nonces: state.nonces, transfers: state.transfers });
}

/** The genesis ledger, accounts in ascending order so the map does not depend on the input's order. */
function genesisOf(allocations: TransferExecutorOptions['allocations']): TransferState {
  const entries = [...allocations].map(([account, amount]) => {
    assertAccount(account, 'allocation account');
    if (typeof amount !== 'bigint' || amount < 0n || amount > U128_MAX) {
      throw new ExecutionError('invalid-argument', `allocation of ${account} must be a bigint in 0..2^128-1, got ${String(amount)}`);
    }
    return [account, amount] as const;
  });
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const balances = new Map<string, bigint>();
  entries.forEach(([account, amount], i) => {
    if (i > 0 && entries[i - 1]![0] === account) {
      throw new ExecutionError('invalid-argument', `allocation account ${account} appears twice`);
    }
    if (amount > 0n) balances.set(account, amount);
  });
  return Object.freeze({ balances, nonces: new Map<string, number>(), transfers: 0 });
}
