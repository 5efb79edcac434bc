// The group block, one entry of the group chain (whitepaper 2.1.3 "Data Structure of Group
// Block"): Type, Hash, GIS (Activation, Deactivation, MinerArray of pubk and ID), the parent
// group's Signature on GIS, Prehash (the parent group's hash) and Gpk (the group public key).
// We add to the GIS the creation height and the block random that seeded the member
// selection, so anyone can re-run the selection and audit it (2.1.3 §3: "new member selection
// strategies are auditable"); Type sits in the GIS so the parent's signature covers it.
//
// Canonical encoding (big-endian, no padding, nothing optional but the signature):
//   "ZVGB" | version u8 = 1
//   GIS:   type u8 (1 verifier, 2 proposer) | createdAt u64 | seed [32]
//          | activation u32 | deactivation u32 | count u16 | count * (id [32] | pubk [48])
//   prehash [32] | hasSignature u8 (0 genesis, 1 otherwise) | signature [96] if 1 | gpk [48]
// Hash = SHA-256(encoding). The parent signs gisHash = SHA-256("ZV-GIS-v1" | GIS bytes).
// A genesis group has prehash = 32 zero bytes and no signature; every other group has both.

import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError, PUBLIC_KEY_BYTES, PublicKey, SIGNATURE_BYTES, Signature, verifyBytes } from '../crypto/index.ts';
import { bytesEqual, concatBytes, fromHex, toHex, u64be } from './bytes.ts';
import { ConsensusError } from './errors.ts';
import type { GroupPlan } from './group-selection.ts';
import { epochOf, isGroupBuildHeight } from './group-selection.ts';
import type { MinerId } from './miners.ts';
import { minerIdOf } from './miners.ts';
import type { ConsensusParams } from './params.ts';

export type GroupType = 'verifier' | 'proposer';

export interface GroupMember {
  readonly id: MinerId;
  readonly publicKey: Uint8Array;
}

/** GIS: what the parent group decides and signs. */
export interface GroupInfo {
  readonly type: GroupType;
  readonly createdAt: number;
  readonly seed: Uint8Array;
  readonly activationEpoch: number;
  readonly deactivationEpoch: number;
  readonly members: readonly GroupMember[];
}

export interface GroupBlockFields {
  readonly gis: GroupInfo;
  /** Parent group's signature on gisHash; null only for a genesis group. */
  readonly parentSignature: Uint8Array | null;
  /** Hash of the parent group's block; 32 zero bytes for a genesis group. */
  readonly prehash: Uint8Array;
  readonly groupPublicKey: Uint8Array;
}

export interface GroupBlock extends GroupBlockFields {
  readonly gisHash: Uint8Array;
  readonly hash: Uint8Array;
}

const MAGIC = new TextEncoder().encode('ZVGB');
const VERSION = 1;
const GIS_DOMAIN = new TextEncoder().encode('ZV-GIS-v1');
const HASH_BYTES = 32;
const MEMBER_BYTES = HASH_BYTES + PUBLIC_KEY_BYTES;
/** Far above any preset (100); bounds what a decoder allocates for hostile input. */
export const MAX_GROUP_MEMBERS = 1000;
const MAX_U32 = 0xffff_ffff;
const TYPE_CODES: Readonly<Record<GroupType, number>> = { verifier: 1, proposer: 2 };

function malformed(message: string): never {
  throw new ConsensusError('malformed-group-block', message);
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}

function u32be(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

function u16be(value: number): Uint8Array {
  return Uint8Array.of(value >>> 8, value & 0xff);
}

function checkPoint(bytes: Uint8Array, kind: 'public key' | 'signature', what: string): void {
  try {
    if (kind === 'public key') PublicKey.fromBytes(bytes);
    else Signature.fromBytes(bytes);
  } catch (e) {
    if (e instanceof CryptoError) malformed(`${what}: ${e.message}`);
    throw e;
  }
}

function checkBytes(value: unknown, length: number, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) malformed(`${what} must be ${length} bytes`);
  return value;
}

function checkGis(gis: GroupInfo): void {
  if (!gis || typeof gis !== 'object') malformed('GIS is missing');
  if (!(gis.type in TYPE_CODES)) malformed(`unknown group type '${String(gis.type)}'`);
  if (!Number.isSafeInteger(gis.createdAt) || gis.createdAt < 0) malformed(`createdAt must be a non-negative safe integer, got ${gis.createdAt}`);
  checkBytes(gis.seed, HASH_BYTES, 'GIS seed');
  for (const [name, v] of [['activation', gis.activationEpoch], ['deactivation', gis.deactivationEpoch]] as const) {
    if (!Number.isSafeInteger(v) || v < 0 || v > MAX_U32) malformed(`${name} epoch must be a u32, got ${v}`);
  }
  if (gis.deactivationEpoch <= gis.activationEpoch) {
    malformed(`deactivation epoch ${gis.deactivationEpoch} must be after activation epoch ${gis.activationEpoch}`);
  }
  if (!Array.isArray(gis.members) || gis.members.length === 0 || gis.members.length > MAX_GROUP_MEMBERS) {
    malformed(`a group has 1..${MAX_GROUP_MEMBERS} members, got ${Array.isArray(gis.members) ? gis.members.length : 'none'}`);
  }
  const seen = new Set<string>();
  gis.members.forEach((m, i) => {
    checkBytes(m.publicKey, PUBLIC_KEY_BYTES, `member ${i} public key`);
    if (m.id !== minerIdOf(m.publicKey)) malformed(`member ${i}: id ${String(m.id)} is not the hash of its public key`);
    if (seen.has(m.id)) malformed(`member ${i}: miner ${m.id} appears twice`);
    seen.add(m.id);
    checkPoint(m.publicKey, 'public key', `member ${i} public key`);
  });
}

function checkFields(fields: GroupBlockFields): void {
  checkGis(fields.gis);
  const prehash = checkBytes(fields.prehash, HASH_BYTES, 'prehash');
  const genesis = isZero(prehash);
  if (genesis && fields.parentSignature !== null) malformed('a genesis group (zero prehash) carries no parent signature');
  if (!genesis) {
    if (fields.parentSignature === null) malformed('a group with a parent needs the parent signature');
    checkPoint(checkBytes(fields.parentSignature, SIGNATURE_BYTES, 'parent signature'), 'signature', 'parent signature');
  }
  checkPoint(checkBytes(fields.groupPublicKey, PUBLIC_KEY_BYTES, 'group public key'), 'public key', 'group public key');
}

export function encodeGis(gis: GroupInfo): Uint8Array {
  const parts: Uint8Array[] = [
    Uint8Array.of(TYPE_CODES[gis.type]),
    u64be(gis.createdAt),
    gis.seed,
    u32be(gis.activationEpoch),
    u32be(gis.deactivationEpoch),
    u16be(gis.members.length),
  ];
  for (const m of gis.members) parts.push(fromHex(m.id, 'member id'), m.publicKey);
  return concatBytes(parts);
}

/** The message the parent group signs. */
export function gisHash(gis: GroupInfo): Uint8Array {
  return sha256(concatBytes([GIS_DOMAIN, encodeGis(gis)]));
}

function encodeFields(fields: GroupBlockFields): Uint8Array {
  const sig = fields.parentSignature === null ? [Uint8Array.of(0)] : [Uint8Array.of(1), fields.parentSignature];
  return concatBytes([MAGIC, Uint8Array.of(VERSION), encodeGis(fields.gis), fields.prehash, ...sig, fields.groupPublicKey]);
}

/** Validates the fields (shape, ids, curve points) and computes gisHash and hash. */
export function makeGroupBlock(fields: GroupBlockFields): GroupBlock {
  checkFields(fields);
  const gis: GroupInfo = Object.freeze({
    ...fields.gis,
    seed: fields.gis.seed.slice(),
    members: Object.freeze(fields.gis.members.map((m) => Object.freeze({ id: m.id, publicKey: m.publicKey.slice() }))),
  });
  const copy: GroupBlockFields = {
    gis,
    parentSignature: fields.parentSignature === null ? null : fields.parentSignature.slice(),
    prehash: fields.prehash.slice(),
    groupPublicKey: fields.groupPublicKey.slice(),
  };
  return Object.freeze({ ...copy, gisHash: gisHash(gis), hash: sha256(encodeFields(copy)) });
}

export function encodeGroupBlock(block: GroupBlock): Uint8Array {
  return encodeFields(block);
}

export function groupBlockHashHex(block: GroupBlock): string {
  return toHex(block.hash);
}

class Reader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  take(n: number, what: string): Uint8Array {
    if (this.at + n > this.bytes.length) malformed(`truncated: ${what} needs ${n} bytes at offset ${this.at}, ${this.bytes.length - this.at} left`);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  u8(what: string): number {
    return this.take(1, what)[0]!;
  }
  u16(what: string): number {
    const b = this.take(2, what);
    return (b[0]! << 8) | b[1]!;
  }
  u32(what: string): number {
    const b = this.take(4, what);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
  }
  u64(what: string): number {
    const b = this.take(8, what);
    const v = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) malformed(`${what} ${v} exceeds the largest safe height`);
    return Number(v);
  }
  end(): void {
    if (this.at !== this.bytes.length) malformed(`${this.bytes.length - this.at} trailing bytes after the group block`);
  }
}

function decodeGis(r: Reader): GroupInfo {
  const typeCode = r.u8('type');
  const type = (Object.keys(TYPE_CODES) as GroupType[]).find((k) => TYPE_CODES[k] === typeCode);
  if (!type) malformed(`unknown group type code ${typeCode}`);
  const createdAt = r.u64('createdAt');
  const seed = r.take(HASH_BYTES, 'seed').slice();
  const activationEpoch = r.u32('activation');
  const deactivationEpoch = r.u32('deactivation');
  const count = r.u16('member count');
  if (count === 0 || count > MAX_GROUP_MEMBERS) malformed(`a group has 1..${MAX_GROUP_MEMBERS} members, got ${count}`);
  const members: GroupMember[] = [];
  for (let i = 0; i < count; i++) {
    const entry = r.take(MEMBER_BYTES, `member ${i}`);
    members.push({ id: toHex(entry.subarray(0, HASH_BYTES)), publicKey: entry.slice(HASH_BYTES) });
  }
  return { type, createdAt, seed, activationEpoch, deactivationEpoch, members };
}

/** Parses and validates; anything malformed throws ConsensusError('malformed-group-block'). */
export function decodeGroupBlock(bytes: Uint8Array): GroupBlock {
  if (!(bytes instanceof Uint8Array)) malformed('a group block is a byte array');
  const r = new Reader(bytes);
  if (!bytesEqual(r.take(MAGIC.length, 'magic'), MAGIC)) malformed('not a group block (bad magic)');
  const version = r.u8('version');
  if (version !== VERSION) malformed(`unsupported group block version ${version}`);
  const gis = decodeGis(r);
  const prehash = r.take(HASH_BYTES, 'prehash').slice();
  const flag = r.u8('signature flag');
  if (flag > 1) malformed(`signature flag must be 0 or 1, got ${flag}`);
  const parentSignature = flag === 1 ? r.take(SIGNATURE_BYTES, 'parent signature').slice() : null;
  const groupPublicKey = r.take(PUBLIC_KEY_BYTES, 'group public key').slice();
  r.end();
  return makeGroupBlock({ gis, parentSignature, prehash, groupPublicKey });
}

/** The parent group's signature on gisHash under the parent's group key (false if absent or bad). */
export function verifyParentSignature(block: GroupBlock, parentGroupKey: Uint8Array): boolean {
  return block.parentSignature !== null && verifyBytes(parentGroupKey, block.gisHash, block.parentSignature);
}

/** The GIS of a planned group (the engine adds the DKG's group key and the parent signature). */
export function gisFromPlan(plan: GroupPlan, type: GroupType = 'verifier'): GroupInfo {
  return {
    type,
    createdAt: plan.lifecycle.createdAt,
    seed: plan.seed,
    activationEpoch: plan.lifecycle.activationEpoch,
    deactivationEpoch: plan.lifecycle.deactivationEpoch,
    members: plan.members.map((m) => ({ id: m.id, publicKey: m.publicKey })),
  };
}

/**
 * The preset's rules on a (well-formed) group block: lifecycle epochs as 2.1.3 fixes them,
 * member count within [minGroupSize, groupSize], creation at a build height (a genesis group
 * at height 0). Re-running the member selection needs the registry: the engine compares
 * gis.members with planGroup's.
 */
export function checkGroupBlockRules(block: GroupBlock, params: ConsensusParams): void {
  const { gis } = block;
  const genesis = block.parentSignature === null;
  if (genesis ? gis.createdAt !== 0 : !isGroupBuildHeight(params, gis.createdAt)) {
    malformed(`created at ${gis.createdAt}, which is not a ${genesis ? 'genesis height (0)' : `build height (multiple of ${params.checkInterval})`}`);
  }
  const activation = epochOf(params, gis.createdAt) + params.activationDelayEpochs;
  if (!genesis && gis.activationEpoch !== activation) malformed(`activation epoch ${gis.activationEpoch}, expected ${activation}`);
  if (gis.deactivationEpoch !== gis.activationEpoch + params.validPeriodEpochs) {
    malformed(`deactivation epoch ${gis.deactivationEpoch}, expected activation + ${params.validPeriodEpochs}`);
  }
  const n = gis.members.length;
  if (n < params.minGroupSize || n > params.groupSize) malformed(`${n} members, the preset allows ${params.minGroupSize}..${params.groupSize}`);
}
