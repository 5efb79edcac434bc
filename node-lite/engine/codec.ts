// The wire codec of the Chiron engine: every message a node sends (docs/consensus-network.md,
// "messages are bytes"), the consensus items it gossips and the block payload that records
// them. One canonical encoding per value, so equal values have equal bytes (item ids,
// payload hashes) and a decoded value re-encodes to exactly the bytes it came from.
//
//   message  = "ZVM" | version u8 = 1 | kind u8 | body
//     1 candidate    proposal[272] | proposerSignature[96] | u32 length | payload
//     2 endorsement  height u64 | groupId[32] | proposalHash[32] | member u16 | endorsePartial[96] | beaconPartial[96]
//     3 block        u32 length | encodeBlock bytes | certificate
//     4 get-blocks   u16 count | locator hashes[32] | max u16
//     5 blocks       u16 count | count × (u32 length | encodeBlock bytes | certificate)
//     6 item         item
//     7 gis-partial  group[32] | parentGroupId[32] | member u16 | signature[96]
//     8 tx           u32 length | tx
//   payload  = "ZVPL" | version u8 = 1 | certificate flag u8 (0/1) | [certificate]
//              | u16 item count | items | u32 length | transactions
//   certificate = u16 count | count × member u16 (strictly ascending, 1..1000) | aggregate[96]
//   item     = kind u8 | body            (the same bytes alone, in a payload, in a message)
//     1 dealing      group[32] | dealer u32 | u16 count | commitments[48] | ephemeral[48]
//                    | u16 count | ciphertexts[DKG_CIPHERTEXT_BYTES] | signature[96]
//     2 complaint    group[32] | dealer u32 | accuser u32 | sharedSecret[48] | proof[64]
//     3 group-seal   group[32] | parentSignature[96]
//     4 equivocation 2 × (proposal[272] | signature[96])
//     5 miner-op     op kind u8 (register 1, annul 2, refund 3) | publicKey[48] | nonce u64
//                    | register: minerType u8 (proposer 1, verifier 2) | stake u128 | signature[96]
//   proposal = block.ts's encodeProposal; group = the GIS hash of the group being built.
//
// Integers are big-endian and fixed-width. Decoding is strict and safe on hostile input:
// every count and length is checked against its bound (LIMITS, MAX_PAYLOAD_BYTES) first, a
// byte string is copied only once its bytes are known to be there, lists grow as their
// elements parse (never preallocated from a count), nothing may trail, and every failure is
// a CodecError naming the message kind, the field and its byte offset. Curve checks (the
// proposal shape with its VRF proof, decodeBlock) run only after the whole structure parsed,
// so junk costs no curve arithmetic. Other signatures, keys and DKG points are only
// length-checked: the engine verifies signatures (decoding G2 points here would cost as much
// again), and checkDealing judges dealings (a signed malformed dealing must still reach the
// chain as evidence against its dealer). Decoded byte fields are copies, never views of the
// input. The encoders check the same bounds, so a node never sends what a peer must reject.

import { sha256 } from '@noble/hashes/sha2.js';
import {
  BLOCK_HEADER_BYTES,
  decodeBlock,
  encodeBlock,
  encodeProposal,
  MAX_PAYLOAD_BYTES,
  payloadHash,
  proposalHash,
  type Block,
  type BlockProposal,
} from '../consensus/block.ts';
import { bytesEqual, concatBytes, toHex } from '../consensus/bytes.ts';
import { ConsensusError } from '../consensus/errors.ts';
import { MAX_GROUP_MEMBERS } from '../consensus/group-block.ts';
import type { MinerType } from '../consensus/miners.ts';
import {
  CryptoError,
  DKG_CIPHERTEXT_BYTES,
  PUBLIC_KEY_BYTES,
  SHARED_SECRET_BYTES,
  SHARED_SECRET_PROOF_BYTES,
  SIGNATURE_BYTES,
  VRF_PROOF_BYTES,
  type Complaint,
  type Dealing,
} from '../crypto/index.ts';
import {
  LIMITS,
  type ConsensusItem,
  type ConsensusItemKind,
  type Message,
  type MessageKind,
  type MinerOp,
  type Payload,
  type SignedProposal,
  type SignerCertificate,
} from './types.ts';

/** Every decode failure (and every value the encoders refuse): the sender sent something malformed. */
export class CodecError extends Error {
  readonly code = 'malformed-message';
  constructor(message: string) {
    super(message);
    this.name = 'CodecError';
  }
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const MESSAGE_MAGIC = utf8('ZVM');
const PAYLOAD_MAGIC = utf8('ZVPL');
const VERSION = 1;
const MINER_OP_DOMAIN = utf8('ZV-MINER-OP-v1');
const HASH_BYTES = 32;
const STAKE_BYTES = 16;
const MAX_STAKE = (1n << 128n) - 1n;
const MAX_BLOCK_BYTES = BLOCK_HEADER_BYTES + 4 + MAX_PAYLOAD_BYTES;

// Wire codes are the 1-based positions in these lists; append only.
const MESSAGE_KINDS: readonly MessageKind[] = ['candidate', 'endorsement', 'block', 'get-blocks', 'blocks', 'item', 'gis-partial', 'tx'];
const ITEM_KINDS: readonly ConsensusItemKind[] = ['dealing', 'complaint', 'group-seal', 'equivocation', 'miner-op'];
const OP_KINDS: readonly MinerOp['kind'][] = ['register', 'annul', 'refund'];
const MINER_TYPES: readonly MinerType[] = ['proposer', 'verifier'];

/** A miner operation without its signature: what minerOpMessage covers. */
export type UnsignedMinerOp = { [K in MinerOp['kind']]: Omit<Extract<MinerOp, { kind: K }>, 'signature'> }[MinerOp['kind']];

const join = (prefix: string, field: string): string => (prefix ? `${prefix}.${field}` : field);

// ---- reading ----

class Reader {
  /** The message kind named in errors; decodeMessage sets it once the kind byte is read. */
  what: string;
  private pos = 0;
  private readonly view: DataView;
  private readonly deferred: (() => void)[] = [];

  constructor(
    private readonly input: Uint8Array,
    what: string,
  ) {
    this.what = what;
    if (!(input instanceof Uint8Array)) throw new CodecError(`${what}: input at offset 0: expected a byte array`);
    this.view = new DataView(input.buffer, input.byteOffset, input.length);
  }

  get offset(): number {
    return this.pos;
  }

  fail(field: string, at: number, problem: string): never {
    throw new CodecError(`${this.what}: ${field} at offset ${at}: ${problem}`);
  }

  /** Consumes n bytes and returns where they start; never reads past the end. */
  private take(n: number, field: string): number {
    const left = this.input.length - this.pos;
    if (left < n) this.fail(field, this.pos, `truncated: needs ${n} bytes, ${left} left`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** An unsigned integer of 1, 2 or 4 bytes in lo..hi. */
  int(width: 1 | 2 | 4, field: string, lo: number, hi: number): number {
    const at = this.take(width, field);
    const v = width === 1 ? this.view.getUint8(at) : width === 2 ? this.view.getUint16(at) : this.view.getUint32(at);
    if (v < lo || v > hi) this.fail(field, at, `${v} is not in ${lo}..${hi}`);
    return v;
  }

  u64(field: string): number {
    const at = this.take(8, field);
    const v = this.view.getBigUint64(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(field, at, `${v} exceeds the largest safe integer`);
    return Number(v);
  }

  /** A copy of the next n bytes. */
  bytes(n: number, field: string): Uint8Array {
    const at = this.take(n, field);
    return this.input.slice(at, at + n);
  }

  /** The next n bytes without copying: only for a decoder that copies what it keeps. */
  window(n: number, field: string): Uint8Array {
    const at = this.take(n, field);
    return this.input.subarray(at, at + n);
  }

  /** A u32 length in lo..hi; the bytes it announces are checked when they are taken. */
  length(field: string, lo: number, hi: number): number {
    return this.int(4, `${field} length`, lo, hi);
  }

  /** A u16 count in lo..hi, then that many elements (grown as they parse, never preallocated). */
  list<T>(name: string, lo: number, hi: number, read: (field: string) => T): T[] {
    const count = this.int(2, `${name} count`, lo, hi);
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(read(`${name}[${i}]`));
    return out;
  }

  expect(expected: Uint8Array, field: string, problem: string): void {
    const at = this.pos;
    if (!bytesEqual(this.window(expected.length, field), expected)) this.fail(field, at, problem);
  }

  /** A check that needs curve arithmetic: run by finish(), after the structure parsed. */
  later(check: () => void): void {
    this.deferred.push(check);
  }

  /** Runs `fn`, turning a ConsensusError or CryptoError from block.ts or the crypto into a CodecError. */
  guard<T>(field: string, at: number, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ConsensusError || e instanceof CryptoError) this.fail(field, at, e.message);
      throw e;
    }
  }

  finish(): void {
    const left = this.input.length - this.pos;
    if (left !== 0) this.fail('end', this.pos, `${left} trailing bytes`);
    for (const check of this.deferred) check();
  }
}

// ---- writing ----

/** Encoders check the same bounds the decoders do, so nothing is ever sent that a peer must reject. */
class Writer {
  private readonly parts: Uint8Array[] = [];

  constructor(private readonly what: string) {}

  fail(field: string, problem: string): never {
    throw new CodecError(`cannot encode ${this.what}: ${field}: ${problem}`);
  }

  raw(bytes: Uint8Array): void {
    this.parts.push(bytes);
  }

  int(width: 1 | 2 | 4, value: number, field: string, lo: number, hi: number): void {
    if (!Number.isSafeInteger(value) || value < lo || value > hi) this.fail(field, `${String(value)} is not in ${lo}..${hi}`);
    const out = new Uint8Array(width);
    const view = new DataView(out.buffer);
    if (width === 1) view.setUint8(0, value);
    else if (width === 2) view.setUint16(0, value);
    else view.setUint32(0, value);
    this.parts.push(out);
  }

  u64(value: number, field: string): void {
    if (!Number.isSafeInteger(value) || value < 0) this.fail(field, `${String(value)} is not a non-negative safe integer`);
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt(value));
    this.parts.push(out);
  }

  bytes(value: Uint8Array, n: number, field: string): void {
    if (!(value instanceof Uint8Array) || value.length !== n) {
      this.fail(field, `must be ${n} bytes, got ${value instanceof Uint8Array ? value.length : typeof value}`);
    }
    this.parts.push(value);
  }

  /** A u32 length in lo..hi, then the bytes. */
  lengthPrefixed(value: Uint8Array, field: string, lo: number, hi: number): void {
    if (!(value instanceof Uint8Array)) this.fail(field, `must be bytes, got ${typeof value}`);
    this.int(4, value.length, `${field} length`, lo, hi);
    this.parts.push(value);
  }

  list<T>(values: readonly T[], name: string, lo: number, hi: number, write: (value: T, field: string) => void): void {
    if (!Array.isArray(values)) this.fail(`${name} count`, 'not a list');
    this.int(2, values.length, `${name} count`, lo, hi);
    values.forEach((v, i) => write(v, `${name}[${i}]`));
  }

  /** Runs `fn`, turning a ConsensusError or CryptoError from block.ts into a CodecError. */
  guard<T>(field: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ConsensusError || e instanceof CryptoError) this.fail(field, e.message);
      throw e;
    }
  }

  finish(): Uint8Array {
    return concatBytes(this.parts);
  }
}

// ---- proposals ----

function writeProposal(w: Writer, p: BlockProposal, field: string): void {
  // proposalHash checks the shape (height ≥ 1, hex id, G2 proof, sizes): the decoder's rule.
  w.guard(field, () => proposalHash(p));
  w.raw(encodeProposal(p));
}

function readProposal(r: Reader, field: string): BlockProposal {
  const at = r.offset;
  const proposal: BlockProposal = {
    height: r.u64(join(field, 'height')),
    timestamp: r.u64(join(field, 'timestamp')),
    prehash: r.bytes(HASH_BYTES, join(field, 'prehash')),
    proposer: toHex(r.window(HASH_BYTES, join(field, 'proposer'))),
    vrfProof: r.bytes(VRF_PROOF_BYTES, join(field, 'vrfProof')),
    groupId: r.bytes(HASH_BYTES, join(field, 'groupId')),
    payloadHash: r.bytes(HASH_BYTES, join(field, 'payloadHash')),
    stateRoot: r.bytes(HASH_BYTES, join(field, 'stateRoot')),
  };
  r.later(() => r.guard(field, at, () => proposalHash(proposal)));
  return proposal;
}

function writeSignedProposal(w: Writer, s: SignedProposal, field: string): void {
  writeProposal(w, s.proposal, join(field, 'proposal'));
  w.bytes(s.signature, SIGNATURE_BYTES, join(field, 'signature'));
}

function readSignedProposal(r: Reader, field: string): SignedProposal {
  return { proposal: readProposal(r, join(field, 'proposal')), signature: r.bytes(SIGNATURE_BYTES, join(field, 'signature')) };
}

// ---- signer certificates ----

function writeCertificate(w: Writer, c: SignerCertificate, field: string): void {
  let previous = 0;
  w.list(c.signers, join(field, 'signer'), 1, LIMITS.maxSigners, (id, f) => {
    w.int(2, id, f, previous + 1, MAX_GROUP_MEMBERS);
    previous = id;
  });
  w.bytes(c.aggregate, SIGNATURE_BYTES, join(field, 'aggregate'));
}

function readCertificate(r: Reader, field: string): SignerCertificate {
  let previous = 0;
  // Strictly ascending ids: one encoding per signer set, no duplicates to double-count.
  const signers = r.list(join(field, 'signer'), 1, LIMITS.maxSigners, (f) => (previous = r.int(2, f, previous + 1, MAX_GROUP_MEMBERS)));
  return { signers, aggregate: r.bytes(SIGNATURE_BYTES, join(field, 'aggregate')) };
}

// ---- consensus items ----

function writeDealing(w: Writer, d: Dealing, field: string): void {
  w.int(4, d.dealer, join(field, 'dealer'), 1, MAX_GROUP_MEMBERS);
  w.list(d.commitments, join(field, 'commitment'), 1, LIMITS.maxDealingPoints, (c, f) => w.bytes(c, PUBLIC_KEY_BYTES, f));
  w.bytes(d.ephemeral, PUBLIC_KEY_BYTES, join(field, 'ephemeral'));
  w.list(d.ciphertexts, join(field, 'ciphertext'), 1, LIMITS.maxDealingPoints, (c, f) => w.bytes(c, DKG_CIPHERTEXT_BYTES, f));
  w.bytes(d.signature, SIGNATURE_BYTES, join(field, 'signature'));
}

function readDealing(r: Reader, field: string): Dealing {
  return {
    dealer: r.int(4, join(field, 'dealer'), 1, MAX_GROUP_MEMBERS),
    commitments: r.list(join(field, 'commitment'), 1, LIMITS.maxDealingPoints, (f) => r.bytes(PUBLIC_KEY_BYTES, f)),
    ephemeral: r.bytes(PUBLIC_KEY_BYTES, join(field, 'ephemeral')),
    ciphertexts: r.list(join(field, 'ciphertext'), 1, LIMITS.maxDealingPoints, (f) => r.bytes(DKG_CIPHERTEXT_BYTES, f)),
    signature: r.bytes(SIGNATURE_BYTES, join(field, 'signature')),
  };
}

function writeComplaint(w: Writer, c: Complaint, field: string): void {
  w.int(4, c.dealer, join(field, 'dealer'), 1, MAX_GROUP_MEMBERS);
  w.int(4, c.accuser, join(field, 'accuser'), 1, MAX_GROUP_MEMBERS);
  w.bytes(c.sharedSecret, SHARED_SECRET_BYTES, join(field, 'sharedSecret'));
  w.bytes(c.proof, SHARED_SECRET_PROOF_BYTES, join(field, 'proof'));
}

function readComplaint(r: Reader, field: string): Complaint {
  return {
    dealer: r.int(4, join(field, 'dealer'), 1, MAX_GROUP_MEMBERS),
    accuser: r.int(4, join(field, 'accuser'), 1, MAX_GROUP_MEMBERS),
    sharedSecret: r.bytes(SHARED_SECRET_BYTES, join(field, 'sharedSecret')),
    proof: r.bytes(SHARED_SECRET_PROOF_BYTES, join(field, 'proof')),
  };
}

/** kind | publicKey | nonce | (register: minerType | stake): the op without its signature. */
function writeUnsignedOp(w: Writer, op: UnsignedMinerOp, field: string): void {
  w.int(1, OP_KINDS.indexOf(op.kind) + 1, join(field, 'kind'), 1, OP_KINDS.length);
  w.bytes(op.publicKey, PUBLIC_KEY_BYTES, join(field, 'publicKey'));
  w.u64(op.nonce, join(field, 'nonce'));
  if (op.kind !== 'register') return;
  w.int(1, MINER_TYPES.indexOf(op.minerType) + 1, join(field, 'minerType'), 1, MINER_TYPES.length);
  if (typeof op.stake !== 'bigint' || op.stake <= 0n || op.stake > MAX_STAKE) w.fail(join(field, 'stake'), `${String(op.stake)} is not in 1..2^128-1`);
  const stake = new Uint8Array(STAKE_BYTES);
  for (let i = 0, v = op.stake; i < STAKE_BYTES; i++, v >>= 8n) stake[STAKE_BYTES - 1 - i] = Number(v & 0xffn);
  w.raw(stake);
}

function readMinerOp(r: Reader, field: string): MinerOp {
  const kind = OP_KINDS[r.int(1, join(field, 'kind'), 1, OP_KINDS.length) - 1]!;
  const publicKey = r.bytes(PUBLIC_KEY_BYTES, join(field, 'publicKey'));
  const nonce = r.u64(join(field, 'nonce'));
  if (kind !== 'register') return { kind, publicKey, nonce, signature: r.bytes(SIGNATURE_BYTES, join(field, 'signature')) };
  const minerType = MINER_TYPES[r.int(1, join(field, 'minerType'), 1, MINER_TYPES.length) - 1]!;
  const stakeAt = r.offset;
  let stake = 0n;
  for (const b of r.window(STAKE_BYTES, join(field, 'stake'))) stake = (stake << 8n) | BigInt(b);
  if (stake === 0n) r.fail(join(field, 'stake'), stakeAt, 'a stake must be positive');
  return { kind, publicKey, nonce, minerType, stake, signature: r.bytes(SIGNATURE_BYTES, join(field, 'signature')) };
}

function writeItem(w: Writer, item: ConsensusItem, field: string): void {
  w.int(1, ITEM_KINDS.indexOf(item?.kind) + 1, join(field, 'kind'), 1, ITEM_KINDS.length);
  switch (item.kind) {
    case 'dealing':
      w.bytes(item.group, HASH_BYTES, join(field, 'group'));
      return writeDealing(w, item.dealing, join(field, 'dealing'));
    case 'complaint':
      w.bytes(item.group, HASH_BYTES, join(field, 'group'));
      return writeComplaint(w, item.complaint, join(field, 'complaint'));
    case 'group-seal':
      w.bytes(item.group, HASH_BYTES, join(field, 'group'));
      return w.bytes(item.parentSignature, SIGNATURE_BYTES, join(field, 'parentSignature'));
    case 'equivocation':
      writeSignedProposal(w, item.evidence.a, join(field, 'evidence.a'));
      return writeSignedProposal(w, item.evidence.b, join(field, 'evidence.b'));
    case 'miner-op':
      writeUnsignedOp(w, item.op, join(field, 'op'));
      return w.bytes(item.op.signature, SIGNATURE_BYTES, join(field, 'op.signature'));
  }
}

function readItem(r: Reader, field: string): ConsensusItem {
  const kind = ITEM_KINDS[r.int(1, join(field, 'kind'), 1, ITEM_KINDS.length) - 1]!;
  switch (kind) {
    case 'dealing':
      return { kind, group: r.bytes(HASH_BYTES, join(field, 'group')), dealing: readDealing(r, join(field, 'dealing')) };
    case 'complaint':
      return { kind, group: r.bytes(HASH_BYTES, join(field, 'group')), complaint: readComplaint(r, join(field, 'complaint')) };
    case 'group-seal':
      return { kind, group: r.bytes(HASH_BYTES, join(field, 'group')), parentSignature: r.bytes(SIGNATURE_BYTES, join(field, 'parentSignature')) };
    case 'equivocation':
      return { kind, evidence: { a: readSignedProposal(r, join(field, 'evidence.a')), b: readSignedProposal(r, join(field, 'evidence.b')) } };
    case 'miner-op':
      return { kind, op: readMinerOp(r, join(field, 'op')) };
  }
}

export function encodeItem(item: ConsensusItem): Uint8Array {
  const w = new Writer('item');
  writeItem(w, item, '');
  return w.finish();
}

export function decodeItem(bytes: Uint8Array): ConsensusItem {
  const r = new Reader(bytes, 'item');
  const item = readItem(r, '');
  r.finish();
  return item;
}

/** The deduplication key of an item: hex SHA-256 of its encoding. */
export function itemId(item: ConsensusItem): string {
  return toHex(sha256(encodeItem(item)));
}

/** What a miner signs: "ZV-MINER-OP-v1" ‖ the op's encoding without the signature. */
export function minerOpMessage(op: UnsignedMinerOp): Uint8Array {
  const w = new Writer('miner op');
  w.raw(MINER_OP_DOMAIN);
  writeUnsignedOp(w, op, '');
  return w.finish();
}

// ---- payloads ----

export function encodePayload(p: Payload): Uint8Array {
  const w = new Writer('payload');
  w.raw(PAYLOAD_MAGIC);
  w.raw(Uint8Array.of(VERSION));
  w.int(1, p.parentCertificate ? 1 : 0, 'certificate flag', 0, 1);
  if (p.parentCertificate) writeCertificate(w, p.parentCertificate, 'certificate');
  w.list(p.items, 'item', 0, LIMITS.maxItems, (item, f) => writeItem(w, item, f));
  w.lengthPrefixed(p.transactions, 'transactions', 0, MAX_PAYLOAD_BYTES);
  return w.finish();
}

export function decodePayload(bytes: Uint8Array): Payload {
  const r = new Reader(bytes, 'payload');
  r.expect(PAYLOAD_MAGIC, 'magic', 'not a payload (expected "ZVPL")');
  r.int(1, 'version', VERSION, VERSION);
  const parentCertificate = r.int(1, 'certificate flag', 0, 1) === 1 ? readCertificate(r, 'certificate') : null;
  const items = r.list('item', 0, LIMITS.maxItems, (f) => readItem(r, f));
  const transactions = r.bytes(r.length('transactions', 0, MAX_PAYLOAD_BYTES), 'transactions');
  r.finish();
  return { parentCertificate, items, transactions };
}

// ---- messages ----

type BlockEntry = { readonly block: Block; readonly certificate: SignerCertificate };

function writeBlockEntry(w: Writer, e: BlockEntry, field: string): void {
  const bytes = w.guard(join(field, 'block'), () => encodeBlock(e.block));
  w.lengthPrefixed(bytes, join(field, 'block'), 0, MAX_BLOCK_BYTES);
  writeCertificate(w, e.certificate, join(field, 'certificate'));
}

/** Parses the structure now; the returned function decodes the block (curve checks) after finish(). */
function readBlockEntry(r: Reader, field: string): () => BlockEntry {
  const blockField = join(field, 'block');
  const length = r.length(blockField, 0, MAX_BLOCK_BYTES);
  const at = r.offset;
  const bytes = r.window(length, blockField); // decodeBlock copies every field it keeps
  const certificate = readCertificate(r, join(field, 'certificate'));
  return () => ({ block: r.guard(blockField, at, () => decodeBlock(bytes)), certificate });
}

function writeBody(w: Writer, m: Message): void {
  switch (m.kind) {
    case 'candidate': {
      const c = m.candidate;
      writeProposal(w, c.proposal, 'proposal');
      w.bytes(c.proposerSignature, SIGNATURE_BYTES, 'proposerSignature');
      w.lengthPrefixed(c.payload, 'payload', 0, MAX_PAYLOAD_BYTES);
      if (!bytesEqual(payloadHash(c.payload), c.proposal.payloadHash)) w.fail('payload', 'payload hash does not match the proposal');
      return;
    }
    case 'endorsement': {
      const e = m.endorsement;
      w.u64(e.height, 'height');
      w.bytes(e.groupId, HASH_BYTES, 'groupId');
      w.bytes(e.proposalHash, HASH_BYTES, 'proposalHash');
      w.int(2, e.member, 'member', 1, MAX_GROUP_MEMBERS);
      w.bytes(e.endorsePartial, SIGNATURE_BYTES, 'endorsePartial');
      return w.bytes(e.beaconPartial, SIGNATURE_BYTES, 'beaconPartial');
    }
    case 'block':
      return writeBlockEntry(w, m, '');
    case 'get-blocks':
      w.list(m.locator, 'locator', 1, LIMITS.maxLocator, (h, f) => w.bytes(h, HASH_BYTES, f));
      return w.int(2, m.max, 'max', 1, LIMITS.maxSyncBlocks);
    case 'blocks':
      return w.list(m.blocks, 'block', 0, LIMITS.maxSyncBlocks, (e, f) => writeBlockEntry(w, e, f));
    case 'item':
      return writeItem(w, m.item, '');
    case 'gis-partial':
      w.bytes(m.group, HASH_BYTES, 'group');
      w.bytes(m.parentGroupId, HASH_BYTES, 'parentGroupId');
      w.int(2, m.member, 'member', 1, MAX_GROUP_MEMBERS);
      return w.bytes(m.signature, SIGNATURE_BYTES, 'signature');
    case 'tx':
      return w.lengthPrefixed(m.tx, 'tx', 1, LIMITS.maxTxBytes);
  }
}

export function encodeMessage(m: Message): Uint8Array {
  const kind = MESSAGE_KINDS.indexOf(m?.kind) + 1;
  const w = new Writer(kind > 0 ? m.kind : 'message');
  w.raw(MESSAGE_MAGIC);
  w.raw(Uint8Array.of(VERSION));
  w.int(1, kind, 'kind', 1, MESSAGE_KINDS.length);
  writeBody(w, m);
  return w.finish();
}

/**
 * Parses a message body. Returns a function that completes the value after r.finish() has
 * run the deferred checks (only blocks need it: decodeBlock does the curve checks itself).
 */
function readBody(r: Reader, kind: MessageKind): () => Message {
  switch (kind) {
    case 'candidate': {
      const proposal = readProposal(r, 'proposal');
      const proposerSignature = r.bytes(SIGNATURE_BYTES, 'proposerSignature');
      const length = r.length('payload', 0, MAX_PAYLOAD_BYTES);
      const at = r.offset;
      const payload = r.bytes(length, 'payload');
      r.later(() => {
        if (!bytesEqual(payloadHash(payload), proposal.payloadHash)) r.fail('payload', at, 'payload hash does not match the proposal');
      });
      return () => ({ kind, candidate: { proposal, proposerSignature, payload } });
    }
    case 'endorsement': {
      // The partial signatures are only length-checked: the engine verifies them against
      // the member's key share, and decoding G2 points here would cost as much again.
      const endorsement = {
        height: r.u64('height'),
        groupId: r.bytes(HASH_BYTES, 'groupId'),
        proposalHash: r.bytes(HASH_BYTES, 'proposalHash'),
        member: r.int(2, 'member', 1, MAX_GROUP_MEMBERS),
        endorsePartial: r.bytes(SIGNATURE_BYTES, 'endorsePartial'),
        beaconPartial: r.bytes(SIGNATURE_BYTES, 'beaconPartial'),
      };
      return () => ({ kind, endorsement });
    }
    case 'block': {
      const entry = readBlockEntry(r, '');
      return () => ({ kind, ...entry() });
    }
    case 'get-blocks': {
      const locator = r.list('locator', 1, LIMITS.maxLocator, (f) => r.bytes(HASH_BYTES, f));
      const max = r.int(2, 'max', 1, LIMITS.maxSyncBlocks);
      return () => ({ kind, locator, max });
    }
    case 'blocks': {
      const entries = r.list('block', 0, LIMITS.maxSyncBlocks, (f) => readBlockEntry(r, f));
      return () => ({ kind, blocks: entries.map((entry) => entry()) });
    }
    case 'item': {
      const item = readItem(r, '');
      return () => ({ kind, item });
    }
    case 'gis-partial': {
      const m = {
        kind,
        group: r.bytes(HASH_BYTES, 'group'),
        parentGroupId: r.bytes(HASH_BYTES, 'parentGroupId'),
        member: r.int(2, 'member', 1, MAX_GROUP_MEMBERS),
        signature: r.bytes(SIGNATURE_BYTES, 'signature'),
      };
      return () => m;
    }
    case 'tx': {
      const tx = r.bytes(r.length('tx', 1, LIMITS.maxTxBytes), 'tx');
      return () => ({ kind, tx });
    }
  }
}

export function decodeMessage(bytes: Uint8Array): Message {
  const r = new Reader(bytes, 'message');
  r.expect(MESSAGE_MAGIC, 'magic', 'not a Chiron message (expected "ZVM")');
  r.int(1, 'version', VERSION, VERSION);
  const kind = MESSAGE_KINDS[r.int(1, 'kind', 1, MESSAGE_KINDS.length) - 1]!;
  r.what = kind;
  const complete = readBody(r, kind);
  r.finish();
  return complete();
}
