// The block of the block chain (whitepaper 2.1.3 "The Data Structure of Blocks": Hash,
// Height, CurTime, PreHash, PreTime, Castor, GroupID, Signature (the random number),
// Transaction[], Nonce). Our header:
//   height        the slot number (a failed slot leaves its height empty)
//   timestamp     CurTime, in ms: genesisTime + height · slotMs, from the slot, never a clock
//   prehash       PreHash (PreTime is the parent's timestamp, so it is not repeated)
//   proposer      Castor: the proposer's miner id, with its VRF proof (output = SHA-256(proof))
//   groupId       GroupID: the hash of the validation group's group block
//   payloadHash   stands for Transaction[]: SHA-256 over the opaque payload the executor
//                 interprets (transfers here, TVM transactions in the devnet)
//   stateRoot     the executor's commitment to the state after this block (the devnet's
//                 Merkle trie root); not in the paper, which lists no state root
//   proposerSig   the proposer's BLS signature on the proposal: binds Castor to the content
//                 and is the evidence when one proposer signs two blocks at one height
//   randomSig     Signature: the group's threshold signature σ_r on the beacon message;
//                 B.Rand = SHA-256(σ_r) (beacon.ts)
//   groupSig      the group's threshold signature on the proposal: the block is accepted
// The paper's Nonce has no role without proof of work (the VRF proof takes its place); the
// state root is ours (the executor's `stateRoot`; 32 zero bytes for an executor without one).
//
// Canonical encoding (big-endian, fixed width):
//   proposal = height u64 | timestamp u64 | prehash[32] | proposer[32] | vrfProof[96]
//              | groupId[32] | payloadHash[32] | stateRoot[32]
//   header   = "ZVBK" | version u8 = 1 | proposal | proposerSig[96] | randomSig[96] | groupSig[96]
//   block    = header | payloadLength u32 | payload
// proposalHash = SHA-256("ZV-PROPOSAL-v1" ‖ proposal): names a candidate before it is signed.
// hash         = SHA-256(header): the block's id, the prehash of its children. Threshold BLS
//                signatures are unique, so a proposal has exactly one final hash.
// The proposer signs "ZV-PROPOSE-v1" ‖ proposalHash; the group signs "ZV-ENDORSE-v1" ‖ proposalHash.

import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError, SIGNATURE_BYTES, Signature, VRF_PROOF_BYTES, verifyBytes, vrfOutput } from '../crypto/index.ts';
import { verifyRandomSignature, randomFromSignature } from './beacon.ts';
import { bytesEqual, concatBytes, fromHex, toHex, u64be } from './bytes.ts';
import { ConsensusError } from './errors.ts';
import { slotRandom } from './group-selection.ts';
import { minerIdOf, type MinerId } from './miners.ts';
import type { ConsensusParams } from './params.ts';
import { checkProposer } from './proposer.ts';

const MAGIC = new TextEncoder().encode('ZVBK');
const VERSION = 1;
const HASH_BYTES = 32;
const PROPOSAL_DOMAIN = new TextEncoder().encode('ZV-PROPOSAL-v1');
const PROPOSE_DOMAIN = new TextEncoder().encode('ZV-PROPOSE-v1');
const ENDORSE_DOMAIN = new TextEncoder().encode('ZV-ENDORSE-v1');
const PAYLOAD_DOMAIN = new TextEncoder().encode('ZV-PAYLOAD-v1');
/** Bounds what a decoder accepts from hostile input; far above any devnet block. */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
/** Encoded header size: magic, version, proposal (240) and three signatures. */
export const BLOCK_HEADER_BYTES = 4 + 1 + 8 + 8 + 32 + 32 + VRF_PROOF_BYTES + 32 + 32 + 32 + 3 * SIGNATURE_BYTES;

/** What the proposer builds and signs. */
export interface BlockProposal {
  readonly height: number;
  readonly timestamp: number;
  readonly prehash: Uint8Array;
  readonly proposer: MinerId;
  readonly vrfProof: Uint8Array;
  readonly groupId: Uint8Array;
  readonly payloadHash: Uint8Array;
  /** The state after this block, as the executor commits to it. */
  readonly stateRoot: Uint8Array;
}

export interface BlockHeader extends BlockProposal {
  readonly proposerSignature: Uint8Array;
  readonly randomSignature: Uint8Array;
  readonly groupSignature: Uint8Array;
}

export interface Block {
  readonly header: BlockHeader;
  readonly payload: Uint8Array;
  /** Derived: what the proposer and the group sign. */
  readonly proposalHash: Uint8Array;
  /** Derived: SHA-256 of the encoded header. */
  readonly hash: Uint8Array;
  /** Derived: B.Rand = SHA-256(randomSignature). */
  readonly random: Uint8Array;
  /** Derived: the proposer's VRF output = SHA-256(vrfProof). */
  readonly vrfOutput: Uint8Array;
}

function malformed(message: string): never {
  throw new ConsensusError('malformed-block', message);
}

function checkBytes(value: unknown, length: number, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) malformed(`${what} must be ${length} bytes`);
  return value;
}

function checkG2(value: unknown, what: string): void {
  try {
    Signature.fromBytes(checkBytes(value, SIGNATURE_BYTES, what));
  } catch (e) {
    if (e instanceof CryptoError) malformed(`${what}: ${e.message}`);
    throw e;
  }
}

function checkU64(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) malformed(`${what} must be a non-negative safe integer, got ${String(value)}`);
}

/** CurTime of a slot: genesisTime + height · slotMs. The engine's clock only decides when to act. */
export function slotTimestamp(params: ConsensusParams, genesisTimeMs: number, height: number): number {
  const t = genesisTimeMs + height * params.slotMs;
  if (!Number.isSafeInteger(genesisTimeMs) || genesisTimeMs < 0 || !Number.isSafeInteger(t)) {
    throw new ConsensusError('invalid-argument', `slot time of height ${height} from genesis time ${genesisTimeMs} is not a safe integer`);
  }
  return t;
}

export function payloadHash(payload: Uint8Array): Uint8Array {
  // Payloads reach megabytes and every node hashes every one: node:crypto's SHA-256 (the same
  // function, bit for bit) is several times faster than the portable one on such inputs.
  return new Uint8Array(createHash('sha256').update(PAYLOAD_DOMAIN).update(payload).digest());
}

function checkProposalFields(p: BlockProposal): void {
  if (!p || typeof p !== 'object') malformed('block header is missing');
  checkU64(p.height, 'height');
  if (p.height < 1) malformed('height 0 is the genesis, which is configuration, not a block');
  checkU64(p.timestamp, 'timestamp');
  checkBytes(p.prehash, HASH_BYTES, 'prehash');
  if (typeof p.proposer !== 'string' || !/^[0-9a-f]{64}$/.test(p.proposer)) malformed('proposer must be a miner id (64 lowercase hex characters)');
  checkG2(p.vrfProof, 'VRF proof');
  checkBytes(p.groupId, HASH_BYTES, 'group id');
  checkBytes(p.payloadHash, HASH_BYTES, 'payload hash');
  checkBytes(p.stateRoot, HASH_BYTES, 'state root');
}

export function encodeProposal(p: BlockProposal): Uint8Array {
  return concatBytes([u64be(p.height), u64be(p.timestamp), p.prehash, fromHex(p.proposer, 'proposer id'), p.vrfProof, p.groupId, p.payloadHash, p.stateRoot]);
}

/** Validates the proposal's shape and returns its hash. */
export function proposalHash(p: BlockProposal): Uint8Array {
  checkProposalFields(p);
  return sha256(concatBytes([PROPOSAL_DOMAIN, encodeProposal(p)]));
}

/** What the proposer signs with its own key. */
export function proposerMessage(hashOfProposal: Uint8Array): Uint8Array {
  return concatBytes([PROPOSE_DOMAIN, hashOfProposal]);
}

/** What each member of the validation group signs (partials recovered into groupSignature). */
export function endorsementMessage(hashOfProposal: Uint8Array): Uint8Array {
  return concatBytes([ENDORSE_DOMAIN, hashOfProposal]);
}

export function encodeBlockHeader(h: BlockHeader): Uint8Array {
  return concatBytes([MAGIC, Uint8Array.of(VERSION), encodeProposal(h), h.proposerSignature, h.randomSignature, h.groupSignature]);
}

/** Validates the header's shape (curve points included) and the payload hash; derives the hashes. */
export function makeBlock(header: BlockHeader, payload: Uint8Array): Block {
  const pHash = proposalHash(header);
  checkG2(header.proposerSignature, 'proposer signature');
  checkG2(header.randomSignature, 'random signature');
  checkG2(header.groupSignature, 'group signature');
  if (!(payload instanceof Uint8Array) || payload.length > MAX_PAYLOAD_BYTES) malformed(`payload must be at most ${MAX_PAYLOAD_BYTES} bytes`);
  if (!bytesEqual(payloadHash(payload), header.payloadHash)) malformed('payload hash does not match the payload');
  const copy: BlockHeader = Object.freeze({
    height: header.height,
    timestamp: header.timestamp,
    prehash: header.prehash.slice(),
    proposer: header.proposer,
    vrfProof: header.vrfProof.slice(),
    groupId: header.groupId.slice(),
    payloadHash: header.payloadHash.slice(),
    stateRoot: header.stateRoot.slice(),
    proposerSignature: header.proposerSignature.slice(),
    randomSignature: header.randomSignature.slice(),
    groupSignature: header.groupSignature.slice(),
  });
  return Object.freeze({
    header: copy,
    payload: payload.slice(),
    proposalHash: pHash,
    hash: sha256(encodeBlockHeader(copy)),
    random: randomFromSignature(copy.randomSignature),
    vrfOutput: vrfOutput(copy.vrfProof),
  });
}

export function encodeBlock(block: Block): Uint8Array {
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, block.payload.length);
  return concatBytes([encodeBlockHeader(block.header), len, block.payload]);
}

export function blockHashHex(block: Block): string {
  return toHex(block.hash);
}

/** Parses and validates a block's bytes; anything malformed throws ConsensusError('malformed-block'). */
export function decodeBlock(bytes: Uint8Array): Block {
  if (!(bytes instanceof Uint8Array)) malformed('a block is a byte array');
  if (bytes.length < BLOCK_HEADER_BYTES + 4) malformed(`truncated: a block is at least ${BLOCK_HEADER_BYTES + 4} bytes, got ${bytes.length}`);
  if (!bytesEqual(bytes.subarray(0, 4), MAGIC)) malformed('not a block (bad magic)');
  if (bytes[4] !== VERSION) malformed(`unsupported block version ${bytes[4]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const u64 = (at: number, what: string): number => {
    const v = view.getBigUint64(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) malformed(`${what} ${v} at offset ${at} exceeds the largest safe integer`);
    return Number(v);
  };
  let at = 5;
  const take = (n: number): Uint8Array => bytes.slice(at, (at += n));
  const height = u64(at, 'height');
  at += 8;
  const timestamp = u64(at, 'timestamp');
  at += 8;
  const prehash = take(HASH_BYTES);
  const proposer = toHex(take(HASH_BYTES));
  const vrfProof = take(VRF_PROOF_BYTES);
  const groupId = take(HASH_BYTES);
  const payloadHashField = take(HASH_BYTES);
  const stateRoot = take(HASH_BYTES);
  const proposerSignature = take(SIGNATURE_BYTES);
  const randomSignature = take(SIGNATURE_BYTES);
  const groupSignature = take(SIGNATURE_BYTES);
  const length = view.getUint32(at);
  at += 4;
  if (length > MAX_PAYLOAD_BYTES) malformed(`payload length ${length} exceeds ${MAX_PAYLOAD_BYTES}`);
  if (bytes.length - at !== length) {
    malformed(bytes.length - at < length ? `truncated: payload of ${length} bytes, ${bytes.length - at} left` : `${bytes.length - at - length} trailing bytes after the block`);
  }
  const header: BlockHeader = { height, timestamp, prehash, proposer, vrfProof, groupId, payloadHash: payloadHashField, stateRoot, proposerSignature, randomSignature, groupSignature };
  return makeBlock(header, bytes.slice(at));
}

/** What a node must know to judge a block: its parent and who may make it. */
export interface BlockContext {
  readonly params: ConsensusParams;
  readonly genesisTimeMs: number;
  /** The block this one extends (for the first block: height 0, the genesis hash and random). */
  readonly parent: { readonly height: number; readonly hash: Uint8Array; readonly random: Uint8Array };
  /** The proposer's registered key and stake (from the registry at the parent). */
  readonly proposer: { readonly publicKey: Uint8Array; readonly stake: bigint };
  readonly totalStake: bigint;
  readonly expectedProposers: number;
  /** The slot's validation group (selectValidationGroup with the slot random): its hash and key. */
  readonly group: { readonly id: Uint8Array; readonly publicKey: Uint8Array };
}

function invalid(message: string): never {
  throw new ConsensusError('invalid-block', message);
}

/**
 * Every rule a well-formed block must pass in its context: it follows its parent at a later
 * slot, carries its slot's time, names the slot's group and its own proposer, the proposer
 * signed it and is eligible (VRF and stake), the random signature is the group's on the
 * slot's beacon message, and the group signed it. Returns the block's priority G; throws
 * `invalid-block`, `invalid-proposer`, `invalid-random` or `invalid-group-signature`.
 * Cheap checks come first so a bad block costs few pairings.
 */
export function verifyBlock(block: Block, ctx: BlockContext): number {
  const h = block.header;
  const priority = verifyProposal(h, block.proposalHash, h.proposerSignature, ctx);
  if (!verifyRandomSignature(ctx.group.publicKey, ctx.parent.random, ctx.parent.height, h.height, h.randomSignature)) {
    throw new ConsensusError('invalid-random', `block ${h.height}: the random signature is not the group's on the slot's beacon message`);
  }
  if (!verifyBytes(ctx.group.publicKey, endorsementMessage(block.proposalHash), h.groupSignature)) {
    throw new ConsensusError('invalid-group-signature', `block ${h.height}: the group signature does not verify under the group key`);
  }
  return priority;
}

/**
 * The rules a candidate must pass before the group signs it: everything verifyBlock checks
 * except the two group signatures. `hashOfProposal` is proposalHash(p). Returns the priority.
 */
export function verifyProposal(p: BlockProposal, hashOfProposal: Uint8Array, proposerSignature: Uint8Array, ctx: BlockContext): number {
  if (p.height <= ctx.parent.height) invalid(`height ${p.height} does not follow the parent at ${ctx.parent.height}`);
  if (!bytesEqual(p.prehash, ctx.parent.hash)) invalid(`block ${p.height}: prehash is not the parent's hash`);
  const expectedTime = slotTimestamp(ctx.params, ctx.genesisTimeMs, p.height);
  if (p.timestamp !== expectedTime) invalid(`block ${p.height}: timestamp ${p.timestamp}, the slot's time is ${expectedTime}`);
  if (!bytesEqual(p.groupId, ctx.group.id)) invalid(`block ${p.height}: group ${toHex(p.groupId)} is not the slot's validation group ${toHex(ctx.group.id)}`);
  if (p.proposer !== minerIdOf(ctx.proposer.publicKey)) invalid(`block ${p.height}: proposer ${p.proposer} does not match the given key`);
  if (!verifyBytes(ctx.proposer.publicKey, proposerMessage(hashOfProposal), proposerSignature)) {
    throw new ConsensusError('invalid-proposer', `block ${p.height}: the proposer's signature does not verify`);
  }
  const slotRand = slotRandom(ctx.parent.random, ctx.parent.height, p.height);
  return checkProposer({ publicKey: ctx.proposer.publicKey, stake: ctx.proposer.stake, vrfProof: p.vrfProof }, p.height, slotRand, ctx.totalStake, ctx.expectedProposers);
}

/**
 * Two signed proposals by one proposer for one height with different content: the evidence
 * for the equivocation penalty (2.1.4, 2.1.7). The caller checks both proposer signatures
 * (verifyBytes on proposerMessage) before punishing.
 */
export function isEquivocation(a: BlockProposal, b: BlockProposal): boolean {
  return a.height === b.height && a.proposer === b.proposer && !bytesEqual(proposalHash(a), proposalHash(b));
}
