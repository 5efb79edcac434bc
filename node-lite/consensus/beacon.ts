// The random beacon of the block chain (whitepaper 2.1.3 "Group Collaborative VRF Random
// Number"). For slot r with the last block at height h < r:
//   R_r        = SHA-256^(r - h)(B_h.Rand)           (slotRandom: one hash per slot, so each
//                                                     failed slot hashes once more)
//   message_r  = "ZV-BEACON-v1" ‖ u64be(r) ‖ R_r      (the paper's (r | R_r))
//   σ_r        = the validation group's threshold BLS signature on message_r
//   B_r.Rand   = SHA-256(σ_r)
// σ_r is unique for a group key (BLS signatures are), so nobody in the group can choose the
// random value, and anyone holding the group public key can check it: every random value on a
// chain is reproducible from the genesis random, the blocks' heights and their σ alone.

import { sha256 } from '@noble/hashes/sha2.js';
import { SIGNATURE_BYTES, verifyBytes } from '../crypto/index.ts';
import { assertBytes, assertHeight, concatBytes, u64be } from './bytes.ts';
import { ConsensusError } from './errors.ts';
import { RANDOM_BYTES, slotRandom } from './group-selection.ts';

const BEACON_DOMAIN = new TextEncoder().encode('ZV-BEACON-v1');

/** The message a slot's validation group signs: (r | R_r), domain-separated. */
export function beaconMessage(height: number, slotRand: Uint8Array): Uint8Array {
  assertHeight(height);
  assertBytes(slotRand, RANDOM_BYTES, 'a slot random value');
  return concatBytes([BEACON_DOMAIN, u64be(height), slotRand]);
}

/** The beacon message of slot `height`, from the last block's random value and height. */
export function beaconMessageAfter(lastRandom: Uint8Array, lastHeight: number, height: number): Uint8Array {
  return beaconMessage(height, slotRandom(lastRandom, lastHeight, height));
}

/** B.Rand = SHA-256(σ): 32 uniform bytes from the 96-byte group signature. */
export function randomFromSignature(randomSignature: Uint8Array): Uint8Array {
  assertBytes(randomSignature, SIGNATURE_BYTES, 'a random signature');
  return sha256(randomSignature);
}

/** True iff σ is the group's signature on the beacon message of slot `height`. Never throws on bad bytes. */
export function verifyRandomSignature(
  groupPublicKey: Uint8Array,
  lastRandom: Uint8Array,
  lastHeight: number,
  height: number,
  randomSignature: Uint8Array,
): boolean {
  if (!(randomSignature instanceof Uint8Array) || randomSignature.length !== SIGNATURE_BYTES) return false;
  if (!(groupPublicKey instanceof Uint8Array)) return false;
  return verifyBytes(groupPublicKey, beaconMessageAfter(lastRandom, lastHeight, height), randomSignature);
}

/** One block of a chain as the beacon sees it. */
export interface BeaconStep {
  readonly height: number;
  readonly randomSignature: Uint8Array;
  /** The public key of the group that validated this block (the engine looks it up by groupId). */
  readonly groupPublicKey: Uint8Array;
}

/**
 * Replays the beacon from the genesis random (height 0) along a chain's blocks, in ascending
 * height (gaps are failed slots), and returns the random value of each block. Throws
 * `invalid-random` at the first block whose σ does not verify, `invalid-height` if the heights
 * do not increase.
 */
export function replayBeacon(genesisRandom: Uint8Array, steps: readonly BeaconStep[]): Uint8Array[] {
  assertBytes(genesisRandom, RANDOM_BYTES, 'the genesis random value');
  let lastRandom = genesisRandom;
  let lastHeight = 0;
  const out: Uint8Array[] = [];
  for (const step of steps) {
    assertHeight(step.height);
    if (step.height <= lastHeight) {
      throw new ConsensusError('invalid-height', `block height ${step.height} does not follow the previous block at ${lastHeight}`);
    }
    if (!verifyRandomSignature(step.groupPublicKey, lastRandom, lastHeight, step.height, step.randomSignature)) {
      throw new ConsensusError('invalid-random', `the random signature of block ${step.height} does not verify under its group key`);
    }
    lastRandom = randomFromSignature(step.randomSignature);
    lastHeight = step.height;
    out.push(lastRandom);
  }
  return out;
}
