// The miner registry (whitepaper 2.1.1): registration with a deposit and a type, annulment,
// and the refund of the deposit once the miner can no longer be in a working group. The
// registry is a value: every transition returns a new registry and leaves the old one as it
// was, so the engine can keep one per block and a fork simply keeps another.
//
// Ids: ID = transhash(pk) with a 256-bit hash (2.1.1); here SHA-256 of the 48-byte compressed
// BLS public key, written as 64 lowercase hex characters (hex order = byte order).

import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError, PUBLIC_KEY_BYTES, PublicKey } from '../crypto/index.ts';
import { assertHeight, toHex } from './bytes.ts';
import { ConsensusError } from './errors.ts';
import type { ConsensusParams } from './params.ts';

/** 64 lowercase hex characters: SHA-256 of the miner's public key. */
export type MinerId = string;
export type MinerType = 'proposer' | 'verifier';
export type MinerStatus = 'active' | 'annulled' | 'refunded';

export interface Miner {
  readonly id: MinerId;
  /** Compressed G1 public key (48 bytes); also the ECDH key for share delivery. */
  readonly publicKey: Uint8Array;
  readonly type: MinerType;
  /** Current deposit (reduced by slashing, zero once refunded). */
  readonly stake: bigint;
  readonly registeredAt: number;
  readonly status: MinerStatus;
  readonly annulledAt: number | null;
  readonly refundedAt: number | null;
}

export interface MinerRegistry {
  readonly miners: ReadonlyMap<MinerId, Miner>;
}

export interface Registration {
  readonly publicKey: Uint8Array;
  readonly type: MinerType;
  readonly stake: bigint;
  readonly height: number;
}

export const EMPTY_REGISTRY: MinerRegistry = Object.freeze({ miners: new Map<MinerId, Miner>() });

export function minerIdOf(publicKey: Uint8Array): MinerId {
  return toHex(sha256(publicKey));
}

function withMiner(registry: MinerRegistry, miner: Miner): MinerRegistry {
  const miners = new Map(registry.miners);
  miners.set(miner.id, Object.freeze(miner));
  return Object.freeze({ miners });
}

export function getMiner(registry: MinerRegistry, id: MinerId): Miner {
  const miner = registry.miners.get(id);
  if (!miner) throw new ConsensusError('unknown-miner', `no miner with id ${id}`);
  return miner;
}

function checkPublicKey(publicKey: unknown): Uint8Array {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_BYTES) {
    throw new ConsensusError('invalid-public-key', `a miner public key is ${PUBLIC_KEY_BYTES} bytes (compressed G1)`);
  }
  try {
    PublicKey.fromBytes(publicKey); // curve, subgroup and identity checks
  } catch (e) {
    if (e instanceof CryptoError) throw new ConsensusError('invalid-public-key', e.message);
    throw e;
  }
  return publicKey.slice();
}

/**
 * The Miner Application Contract: (pk, type) with a deposit. A key whose previous deposit was
 * refunded may register again (a fresh record); otherwise its id is taken.
 */
export function registerMiner(registry: MinerRegistry, reg: Registration, params: ConsensusParams): MinerRegistry {
  assertHeight(reg.height);
  if (reg.type !== 'proposer' && reg.type !== 'verifier') {
    throw new ConsensusError('invalid-argument', `miner type must be 'proposer' or 'verifier', got '${String(reg.type)}'`);
  }
  const publicKey = checkPublicKey(reg.publicKey);
  if (typeof reg.stake !== 'bigint' || reg.stake < params.minStake) {
    throw new ConsensusError('insufficient-stake', `stake ${String(reg.stake)} is below the minimum ${params.minStake}`);
  }
  const id = minerIdOf(publicKey);
  const existing = registry.miners.get(id);
  if (existing && existing.status !== 'refunded') {
    throw new ConsensusError('already-registered', `miner ${id} is already registered (${existing.status} since height ${existing.registeredAt})`);
  }
  return withMiner(registry, {
    id,
    publicKey,
    type: reg.type,
    stake: reg.stake,
    registeredAt: reg.height,
    status: 'active',
    annulledAt: null,
    refundedAt: null,
  });
}

/** The Miner Annulment Contract: the miner is no candidate for groups built after `height`. */
export function annulMiner(registry: MinerRegistry, id: MinerId, height: number): MinerRegistry {
  assertHeight(height);
  const miner = getMiner(registry, id);
  if (miner.status === 'annulled') throw new ConsensusError('already-annulled', `miner ${id} was annulled at height ${miner.annulledAt}`);
  if (miner.status === 'refunded') throw new ConsensusError('already-refunded', `miner ${id} left and was refunded at height ${miner.refundedAt}`);
  if (height < miner.registeredAt) {
    throw new ConsensusError('invalid-height', `annulment at height ${height} precedes registration at ${miner.registeredAt}`);
  }
  return withMiner(registry, { ...miner, status: 'annulled', annulledAt: height });
}

/** Earliest height at which an annulled miner's deposit may be refunded. */
export function refundableAt(miner: Miner, params: ConsensusParams): number | null {
  return miner.annulledAt === null ? null : miner.annulledAt + params.refundDelay;
}

export interface Refund {
  readonly registry: MinerRegistry;
  /** The deposit released to the miner's account. */
  readonly amount: bigint;
}

/** Release the deposit, allowed from annulledAt + refundDelay on (longer than a group's life). */
export function refundMiner(registry: MinerRegistry, id: MinerId, height: number, params: ConsensusParams): Refund {
  assertHeight(height);
  const miner = getMiner(registry, id);
  if (miner.status === 'active') throw new ConsensusError('not-annulled', `miner ${id} must annul before its deposit is refunded`);
  if (miner.status === 'refunded') throw new ConsensusError('already-refunded', `miner ${id} was refunded at height ${miner.refundedAt}`);
  const earliest = refundableAt(miner, params)!;
  if (height < earliest) {
    throw new ConsensusError(
      'refund-too-early',
      `miner ${id} annulled at ${miner.annulledAt}; its deposit is refundable from height ${earliest} (refundDelay ${params.refundDelay}), asked at ${height}`,
    );
  }
  const next = withMiner(registry, { ...miner, status: 'refunded', stake: 0n, refundedAt: height });
  return Object.freeze({ registry: next, amount: miner.stake });
}

export interface Slash {
  readonly registry: MinerRegistry;
  /** What was actually taken (never more than the stake). */
  readonly taken: bigint;
}

/** Forfeit part of a deposit (the penalty for two blocks at one height, 2.1.4 and 2.1.7). */
export function slashMiner(registry: MinerRegistry, id: MinerId, amount: bigint): Slash {
  if (typeof amount !== 'bigint' || amount < 0n) throw new ConsensusError('invalid-argument', `slash amount must be a non-negative bigint, got ${String(amount)}`);
  const miner = getMiner(registry, id);
  const taken = amount < miner.stake ? amount : miner.stake;
  return Object.freeze({ registry: withMiner(registry, { ...miner, stake: miner.stake - taken }), taken });
}

/** Participates at `height`: registered by then and not annulled by then. */
export function isActiveAt(miner: Miner, height: number): boolean {
  return miner.registeredAt <= height && (miner.annulledAt === null || miner.annulledAt > height);
}

/** Miners of `type` active at `height`, with a positive stake, sorted by id. */
export function activeMiners(registry: MinerRegistry, type: MinerType, height: number): Miner[] {
  assertHeight(height);
  const out: Miner[] = [];
  for (const m of registry.miners.values()) {
    if (m.type === type && m.stake > 0n && isActiveAt(m, height)) out.push(m);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function totalStake(registry: MinerRegistry, type: MinerType, height: number): bigint {
  let sum = 0n;
  for (const m of activeMiners(registry, type, height)) sum += m.stake;
  return sum;
}

const TWO_POW_256 = 1n << 256n;

function bytesToBigInt(bytes: Uint8Array): bigint {
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  return x;
}

/**
 * The VRF secret ballot's test (2.1.7: the chance of proposing is linear in stake): a proposer
 * whose 32-byte VRF output v satisfies v / 2^256 < expected * stake / total is eligible, so
 * on average `expected` proposers per slot. Exact integer arithmetic: v * total < expected *
 * stake * 2^256.
 */
export function stakeQualifies(vrfOutput: Uint8Array, stake: bigint, total: bigint, expected: number): boolean {
  if (vrfOutput.length !== 32) throw new ConsensusError('invalid-argument', `a VRF output is 32 bytes, got ${vrfOutput.length}`);
  if (!Number.isSafeInteger(expected) || expected <= 0) throw new ConsensusError('invalid-argument', `expected proposers must be a positive integer, got ${expected}`);
  if (total <= 0n || stake <= 0n) return false;
  return bytesToBigInt(vrfOutput) * total < BigInt(expected) * stake * TWO_POW_256;
}

/**
 * Follow-the-Satoshi over the active miners of `type` (sorted by id): the miner owning coin
 * number `ticket` mod total stake. The whitepaper's later-stage group selection (2.1.3 §4)
 * and any stake-weighted lottery use it; returns null when no stake is active.
 */
export function stakeWeightedPick(registry: MinerRegistry, type: MinerType, height: number, ticket: bigint): Miner | null {
  const miners = activeMiners(registry, type, height);
  let total = 0n;
  for (const m of miners) total += m.stake;
  if (total === 0n) return null;
  let coin = ((ticket % total) + total) % total;
  for (const m of miners) {
    if (coin < m.stake) return m;
    coin -= m.stake;
  }
  return null; // unreachable: coin < total
}
