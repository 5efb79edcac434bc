// Encrypted point-to-point payloads (DKG shares): ECDH in the BLS12-381 G1 group, HKDF-SHA256,
// and XChaCha20-Poly1305 with the context bound as associated data.
//
// Why ECDH in G1 rather than X25519:
// - the seed makes the miners' registered public keys (MinerArray.pubk) the ECDH keys, and
//   those are BLS keys: no second key to register, rotate or look up;
// - a member who receives a bad share must prove it to everyone else. In a prime-order group
//   it can publish the ECDH value S = x·E with a Chaum-Pedersen proof that S is computed
//   with its own key (log_g P = log_E S); anyone then decrypts that one share and checks it.
//   X25519's cofactor and x-only arithmetic make that proof awkward and no library here has it.
// - the cost (a G1 multiplication, 0.3 ms) is small next to the share check itself.
// XChaCha20's 24-byte random nonce makes reusing a key safe (a static-static pair of keys can
// send many messages); @noble/ciphers is pure JS and gives the same bytes everywhere.

import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { g1Base, g1Bytes, g1Mul, g1Sub, PublicKey, SecretKey } from './bls.ts';
import { CryptoError } from './errors.ts';
import type { RandomSource } from './random.ts';
import { scalarFromBytes, scalarFromBytesModOrder, scalarToBytes, mod } from './scalar.ts';

export const SHARED_SECRET_BYTES = 48;
export const CHANNEL_KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;
/** Sealed size = plaintext size + SEAL_OVERHEAD. */
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES;
export const SHARED_SECRET_PROOF_BYTES = 64;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const KDF_SALT = utf8('zvchain/channel/v1');
const DLEQ_TAG = utf8('zvchain/dleq/v1');
const DLEQ_NONCE_TAG = utf8('zvchain/dleq-nonce/v1');

/** x·P, compressed (48 bytes). P is a validated non-identity point, so the result is too. */
export function sharedSecret(own: SecretKey, peer: PublicKey): Uint8Array {
  return g1Bytes(g1Mul(peer.point, own.scalar));
}

/** The symmetric key for messages from `sender` to `recipient` (direction matters). */
export function channelKey(shared: Uint8Array, sender: PublicKey, recipient: PublicKey): Uint8Array {
  const info = concat(sender.toBytes(), recipient.toBytes());
  return hkdf(sha256, shared, KDF_SALT, info, CHANNEL_KEY_BYTES);
}

/** nonce ‖ ciphertext ‖ tag. */
export function seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array, rng: RandomSource): Uint8Array {
  const nonce = rng(NONCE_BYTES);
  const body = xchacha20poly1305(key, nonce, associatedData).encrypt(plaintext);
  return concat(nonce, body);
}

/** Decrypts or throws CryptoError('decryption-failed'): wrong key, wrong associated data, tampering or truncation. */
export function open(key: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array): Uint8Array {
  if (!(sealed instanceof Uint8Array) || sealed.length < SEAL_OVERHEAD) {
    throw new CryptoError('decryption-failed', `sealed message shorter than ${SEAL_OVERHEAD} bytes`);
  }
  try {
    return xchacha20poly1305(key, sealed.subarray(0, NONCE_BYTES), associatedData).decrypt(sealed.subarray(NONCE_BYTES));
  } catch {
    throw new CryptoError('decryption-failed', 'authentication failed: wrong key, wrong associated data, or the message was altered');
  }
}

/** Encrypts from the sender's key pair (static or ephemeral) to the recipient's public key. */
export function encryptTo(
  sender: SecretKey,
  recipient: PublicKey,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
  rng: RandomSource,
): Uint8Array {
  const key = channelKey(sharedSecret(sender, recipient), sender.publicKey(), recipient);
  return seal(key, plaintext, associatedData, rng);
}

export function decryptFrom(
  recipient: SecretKey,
  sender: PublicKey,
  sealed: Uint8Array,
  associatedData: Uint8Array,
): Uint8Array {
  const key = channelKey(sharedSecret(recipient, sender), sender, recipient.publicKey());
  return open(key, sealed, associatedData);
}

// ---- proof that a revealed shared secret is the right one (Chaum-Pedersen DLEQ) ----

/**
 * Reveals S = x·peer together with a proof that log_g(x·g) = log_peer(S). Publishing S opens
 * exactly the messages between these two keys, so reveal it only for a single-use
 * (ephemeral) peer key, as a DKG complaint does.
 */
export function proveSharedSecret(own: SecretKey, peer: PublicKey): { shared: Uint8Array; proof: Uint8Array } {
  const ownPk = own.publicKey();
  const S = g1Mul(peer.point, own.scalar);
  const shared = g1Bytes(S);
  // Deterministic nonce (as RFC 6979 does for ECDSA): no randomness to get wrong.
  const k = nonZero(scalarFromBytesModOrder(sha512(concat(DLEQ_NONCE_TAG, own.toBytes(), peer.toBytes()))));
  const c = dleqChallenge(ownPk.toBytes(), peer.toBytes(), shared, g1Bytes(g1Base(k)), g1Bytes(g1Mul(peer.point, k)));
  const z = mod(k + c * own.scalar);
  return { shared, proof: concat(scalarToBytes(c), scalarToBytes(z)) };
}

/** True iff `shared` is owner's secret key times `peer` and the proof shows it. Never throws on bad bytes. */
export function verifySharedSecret(owner: PublicKey, peer: PublicKey, shared: Uint8Array, proof: Uint8Array): boolean {
  if (!(proof instanceof Uint8Array) || proof.length !== SHARED_SECRET_PROOF_BYTES) return false;
  let S: PublicKey;
  let c: bigint;
  let z: bigint;
  try {
    S = PublicKey.fromBytes(shared);
    c = scalarFromBytes(proof.subarray(0, 32));
    z = scalarFromBytes(proof.subarray(32));
  } catch (e) {
    if (e instanceof CryptoError) return false;
    throw e;
  }
  // A1 = z·g − c·P and A2 = z·E − c·S reproduce the prover's commitments iff the logs agree.
  const a1 = g1Sub(g1Base(z), g1Mul(owner.point, c));
  const a2 = g1Sub(g1Mul(peer.point, z), g1Mul(S.point, c));
  return dleqChallenge(owner.toBytes(), peer.toBytes(), S.toBytes(), g1Bytes(a1), g1Bytes(a2)) === c;
}

function dleqChallenge(...parts: Uint8Array[]): bigint {
  return scalarFromBytesModOrder(sha512(concat(DLEQ_TAG, ...parts)));
}

function nonZero(x: bigint): bigint {
  return x === 0n ? 1n : x;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
