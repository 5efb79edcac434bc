// Signed transactions of the devnet: transfer, deploy, call. Ed25519 (keys.ts), one canonical
// binary encoding, checked strictly on decode. See docs/transactions.md.
//
//   "ZVTX" | version u8 = 1 | chainId u32 | from[32] | nonce u64 | gasLimit u64 | gasPrice u64
//   | value u128 | kind u8 | body | signature[64]
//   body: transfer (1): to[32]
//         deploy   (2): u32 codeLength ‖ code ‖ u32 argsLength ‖ args
//         call     (3): to[32] ‖ u8 methodLength ‖ method (ASCII identifier) ‖ u32 argsLength ‖ args
//         dev      (4): op u8 ‖ (set-balance (0): address[32] ‖ u128 amount | increase-time (1): u64 seconds)
//                       (devnet only: an executor honours it only from its configured dev authority)
//   signed: Ed25519 over "ZV-TX-v1" ‖ the encoding without the signature
//   hash:   hex SHA-256 of the whole encoding (the transaction id)

import { createHash } from 'node:crypto';
import { AccountKey, addressOf, checkAddress, verifySignature } from './keys.ts';

export const MAX_TX_BYTES = 300 * 1024;
export const MAX_CODE_BYTES = 256 * 1024;
const MAGIC = [0x5a, 0x56, 0x54, 0x58]; // "ZVTX"
const VERSION = 1;
const SIGN_DOMAIN = new TextEncoder().encode('ZV-TX-v1');
const KINDS = { transfer: 1, deploy: 2, call: 3, dev: 4 } as const;
const DEV_OPS = { 'set-balance': 0, 'increase-time': 1 } as const;
const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;

export type TxBody =
  | { readonly kind: 'transfer'; readonly to: string }
  | { readonly kind: 'deploy'; readonly code: Uint8Array; readonly args: Uint8Array }
  | { readonly kind: 'call'; readonly to: string; readonly method: string; readonly args: Uint8Array }
  | { readonly kind: 'dev'; readonly op: DevOp };

/** What the devnet's dev methods do through the chain (so every node, and a replay, agrees). */
export type DevOp =
  | { readonly op: 'set-balance'; readonly address: string; readonly amount: bigint }
  | { readonly op: 'increase-time'; readonly seconds: number };

export interface TxFields {
  readonly chainId: number;
  readonly nonce: number;
  readonly gasLimit: number;
  readonly gasPrice: bigint;
  readonly value: bigint;
  readonly body: TxBody;
}

export interface Tx extends TxFields {
  readonly from: Uint8Array;
  readonly signature: Uint8Array;
}

export class TxError extends Error {
  readonly code: 'malformed-transaction';
  constructor(message: string) {
    super(message);
    this.name = 'TxError';
    this.code = 'malformed-transaction';
  }
}

export function txSender(tx: Pick<Tx, 'from'>): string {
  return addressOf(tx.from);
}

/** The most a transaction can take from its sender: every unit of gas at its price, and its value. */
export function maxCost(tx: Pick<Tx, 'gasLimit' | 'gasPrice' | 'value'>): bigint {
  return BigInt(tx.gasLimit) * tx.gasPrice + tx.value;
}

export function txHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function signTx(key: AccountKey, fields: TxFields): { tx: Tx; bytes: Uint8Array; hash: string } {
  const unsigned = encodeUnsigned({ ...fields, from: key.publicKey });
  const signature = key.sign(concat([SIGN_DOMAIN, unsigned]));
  const bytes = concat([unsigned, signature]);
  return { tx: { ...fields, from: key.publicKey, signature }, bytes, hash: txHash(bytes) };
}

export function verifyTx(tx: Tx): boolean {
  return verifySignature(tx.from, concat([SIGN_DOMAIN, encodeUnsigned(tx)]), tx.signature);
}

// A transaction is checked on arrival, when a proposer builds a block and when every node
// executes it: the same bytes each time. Their hash (which covers the signature) names a
// verification already done, so each is verified once. The result is a pure function of the
// bytes: the cache cannot change an outcome, only its cost.
const VERIFIED_MAX = 200_000;
const verified = new Set<string>();

/** Records that the transaction with this hash verified (a VerifyPool worker checked it). */
export function markVerified(hash: string): void {
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.values().next().value!);
  verified.add(hash);
}

/** What an Ed25519 check of a transaction takes: the sender key, the signed message, the signature. */
export function signedParts(tx: Tx, bytes?: Uint8Array): [Uint8Array, Uint8Array, Uint8Array] {
  // The encoding is canonical: a decoded transaction's bytes are its unsigned encoding
  // followed by the signature, so the message need not be encoded again.
  const unsigned = bytes ? bytes.subarray(0, bytes.length - 64) : encodeUnsigned(tx);
  return [tx.from, concat([SIGN_DOMAIN, unsigned]), tx.signature];
}

/** verifyTx for the transaction decoded from `bytes`, whose hash is `hash`; remembered when it holds. */
export function verifyTxOnce(tx: Tx, hash: string): boolean {
  if (verified.has(hash)) return true;
  if (!verifyTx(tx)) return false;
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.values().next().value!);
  verified.add(hash);
  return true;
}

export function encodeTx(tx: Tx): Uint8Array {
  if (!(tx.signature instanceof Uint8Array) || tx.signature.length !== 64) throw new TxError('cannot encode: signature must be 64 bytes');
  return concat([encodeUnsigned(tx), tx.signature]);
}

function encodeUnsigned(tx: TxFields & { from: Uint8Array }): Uint8Array {
  const w = new Writer();
  w.bytes(Uint8Array.from(MAGIC));
  w.u8(VERSION);
  w.u32(checkU32(tx.chainId, 'chainId'));
  if (!(tx.from instanceof Uint8Array) || tx.from.length !== 32) throw new TxError('cannot encode: from must be a 32-byte public key');
  w.bytes(tx.from);
  w.u64(BigInt(checkSafe(tx.nonce, 'nonce')));
  w.u64(BigInt(checkSafe(tx.gasLimit, 'gasLimit')));
  w.u64(checkBig(tx.gasPrice, U64_MAX, 'gasPrice'));
  const value = checkBig(tx.value, U128_MAX, 'value');
  w.u64(value >> 64n);
  w.u64(value & U64_MAX);
  const b = tx.body;
  w.u8(KINDS[b.kind] ?? fail(`cannot encode: unknown kind ${String((b as { kind: unknown }).kind)}`));
  if (b.kind === 'transfer') w.bytes(addressBytes(b.to));
  else if (b.kind === 'deploy') {
    if (b.code.length > MAX_CODE_BYTES) throw new TxError(`cannot encode: code is ${b.code.length} bytes, at most ${MAX_CODE_BYTES}`);
    w.u32(b.code.length);
    w.bytes(b.code);
    w.u32(b.args.length);
    w.bytes(b.args);
  } else if (b.kind === 'dev') {
    const op = b.op;
    w.u8(DEV_OPS[op.op] ?? fail(`cannot encode: unknown dev op ${String((op as { op: unknown }).op)}`));
    if (op.op === 'set-balance') {
      w.bytes(addressBytes(op.address));
      const amount = checkBig(op.amount, U128_MAX, 'amount');
      w.u64(amount >> 64n);
      w.u64(amount & U64_MAX);
    } else w.u64(BigInt(checkSafe(op.seconds, 'seconds')));
  } else {
    w.bytes(addressBytes(b.to));
    checkMethod(b.method, 'cannot encode: method');
    w.u8(b.method.length);
    w.bytes(new TextEncoder().encode(b.method));
    w.u32(b.args.length);
    w.bytes(b.args);
  }
  return w.done();
}

export function decodeTx(bytes: Uint8Array): Tx {
  if (!(bytes instanceof Uint8Array)) throw new TxError('a transaction is bytes');
  if (bytes.length > MAX_TX_BYTES) throw new TxError(`a transaction is at most ${MAX_TX_BYTES} bytes, got ${bytes.length}`);
  const r = new Reader(bytes);
  for (let i = 0; i < 4; i++) if (r.u8('magic') !== MAGIC[i]) throw new TxError('not a transaction (bad magic at offset 0)');
  const version = r.u8('version');
  if (version !== VERSION) throw new TxError(`unsupported transaction version ${version} at offset 4`);
  const chainId = r.u32('chainId');
  const from = r.bytes(32, 'from');
  const nonce = r.safe('nonce');
  const gasLimit = r.safe('gasLimit');
  const gasPrice = r.u64('gasPrice');
  const value = (r.u64('value') << 64n) | r.u64('value');
  const kindAt = r.at;
  const kind = r.u8('kind');
  let body: TxBody;
  if (kind === KINDS.transfer) body = { kind: 'transfer', to: addressFromBytes(r.bytes(32, 'to')) };
  else if (kind === KINDS.deploy) {
    const codeLen = r.u32('code length');
    if (codeLen > MAX_CODE_BYTES) throw new TxError(`code length ${codeLen} at offset ${r.at - 4} exceeds ${MAX_CODE_BYTES}`);
    const code = r.bytes(codeLen, 'code');
    body = { kind: 'deploy', code, args: r.bytes(r.u32('args length'), 'args') };
  } else if (kind === KINDS.call) {
    const to = addressFromBytes(r.bytes(32, 'to'));
    const methodAt = r.at;
    const method = new TextDecoder().decode(r.bytes(r.u8('method length'), 'method'));
    try {
      checkMethod(method, 'method');
    } catch (e) {
      throw new TxError(`${(e as Error).message} (offset ${methodAt})`);
    }
    body = { kind: 'call', to, method, args: r.bytes(r.u32('args length'), 'args') };
  } else if (kind === KINDS.dev) {
    const opAt = r.at;
    const op = r.u8('dev op');
    if (op === DEV_OPS['set-balance']) body = { kind: 'dev', op: { op: 'set-balance', address: addressFromBytes(r.bytes(32, 'address')), amount: (r.u64('amount') << 64n) | r.u64('amount') } };
    else if (op === DEV_OPS['increase-time']) body = { kind: 'dev', op: { op: 'increase-time', seconds: r.safe('seconds') } };
    else throw new TxError(`unknown dev op ${op} at offset ${opAt}`);
  } else throw new TxError(`unknown transaction kind ${kind} at offset ${kindAt}`);
  const signature = r.bytes(64, 'signature');
  if (r.at !== bytes.length) throw new TxError(`${bytes.length - r.at} trailing bytes at offset ${r.at}`);
  return { chainId, from, nonce, gasLimit, gasPrice, value, body, signature };
}

// ---- helpers ----

function fail(message: string): never {
  throw new TxError(message);
}

function checkU32(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) fail(`cannot encode: ${what} must be a u32, got ${v}`);
  return v;
}

function checkSafe(v: number, what: string): number {
  if (!Number.isSafeInteger(v) || v < 0) fail(`cannot encode: ${what} must be a non-negative safe integer, got ${v}`);
  return v;
}

function checkBig(v: bigint, max: bigint, what: string): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > max) fail(`cannot encode: ${what} must be a bigint in 0..${max}, got ${String(v)}`);
  return v;
}

function checkMethod(method: string, what: string): void {
  if (typeof method !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(method)) fail(`${what} '${String(method).slice(0, 80)}' is not an identifier of at most 64 characters`);
}

function addressBytes(address: string): Uint8Array {
  try {
    checkAddress(address, 'to');
  } catch (e) {
    fail(`cannot encode: ${(e as Error).message}`);
  }
  return Uint8Array.from(Buffer.from(address.slice(2), 'hex'));
}

function addressFromBytes(b: Uint8Array): string {
  return 'zv' + Buffer.from(b).toString('hex');
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

class Writer {
  private readonly parts: Uint8Array[] = [];
  u8(v: number): void {
    this.parts.push(Uint8Array.of(v));
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v);
    this.parts.push(b);
  }
  u64(v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v);
    this.parts.push(b);
  }
  bytes(b: Uint8Array): void {
    this.parts.push(b);
  }
  done(): Uint8Array {
    return concat(this.parts);
  }
}

class Reader {
  at = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }
  private need(n: number, what: string): void {
    if (this.at + n > this.buf.length) throw new TxError(`truncated: ${what} at offset ${this.at} needs ${n} bytes, ${this.buf.length - this.at} left`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.at++]!;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.at);
    this.at += 4;
    return v;
  }
  u64(what: string): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.at);
    this.at += 8;
    return v;
  }
  safe(what: string): number {
    const at = this.at;
    const v = this.u64(what);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new TxError(`${what} at offset ${at} exceeds 2^53 - 1`);
    return Number(v);
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }
}
