// Test fixtures shared by this folder's tests: deterministic BLS keys and block randoms.
// Not part of the public API (index.ts does not export it).

import { sha256 } from '@noble/hashes/sha2.js';
import { SecretKey } from '../crypto/index.ts';

const encoder = new TextEncoder();

/** The i-th test key, reproducible anywhere (IETF KeyGen from a fixed seed). */
export function testKey(i: number): SecretKey {
  return SecretKey.fromSeed(sha256(encoder.encode(`consensus-test-key-${i}`)));
}

export function testPublicKey(i: number): Uint8Array {
  return testKey(i).publicKey().toBytes();
}

/** A stand-in for the group signature of block `height`: any fixed 32-byte value. */
export function testRandom(label: string | number): Uint8Array {
  return sha256(encoder.encode(`consensus-test-random-${label}`));
}
