// Proposer eligibility and the priority of a proposal (whitepaper 2.1.7 "VRF random secret
// balloting", 2.1.4 and 2.1.5 "the priority level of each block").
//
// Eligibility: a proposer evaluates the BLS VRF on
//   input = "ZV-PROPOSER-v1" ‖ u64be(r) ‖ R_r        (R_r = slotRandom: the previous block's
//                                                     random, hashed once per slot since)
// and may propose in slot r iff its output v passes stakeQualifies: v/2^256 < p with
// p = expected·stake/total (the chance of proposing is linear in stake, 2.1.7).
//
// Priority (our reconstruction: the paper names G_i, "the priority level of each block",
// without a formula). We take the VRF quality to be how far below its threshold the output
// falls: q = 1 - v/p in (0, 1], quantised to an integer in [1, PRIORITY_SCALE]:
//   G = 1 + floor(PRIORITY_SCALE · (p - v) / p)
//     = 1 + floor(PRIORITY_SCALE · (E·S·2^256 - V·T) / (E·S·2^256))   (exact, integers)
// Given eligibility, v is uniform on [0, p), so q is uniform whatever the stake: a large
// stake makes a miner eligible more often (linear in stake, as 2.1.7 wants) but does not also
// make each of its blocks heavier, and a proposer cannot raise G (the VRF output is unique).

import { CryptoError, PublicKey, VRF_PROOF_BYTES, vrfOutput, vrfProve, vrfVerify, type SecretKey, type VrfResult } from '../crypto/index.ts';
import { assertBytes, assertHeight, compareBytes, concatBytes, u64be } from './bytes.ts';
import { ConsensusError } from './errors.ts';
import { RANDOM_BYTES } from './group-selection.ts';
import { stakeQualifies } from './miners.ts';

/** Priorities are integers in [1, PRIORITY_SCALE] (parts per million of the quality). */
export const PRIORITY_SCALE = 1_000_000;
const PROPOSER_DOMAIN = new TextEncoder().encode('ZV-PROPOSER-v1');
const TWO_POW_256 = 1n << 256n;

/** The VRF input of slot `height`: (r, R_r), domain-separated from the beacon message. */
export function proposerVrfInput(height: number, slotRand: Uint8Array): Uint8Array {
  assertHeight(height);
  assertBytes(slotRand, RANDOM_BYTES, 'a slot random value');
  return concatBytes([PROPOSER_DOMAIN, u64be(height), slotRand]);
}

/** The proposer's own VRF evaluation for slot `height` (it then checks proposalPriority). */
export function proveProposer(sk: SecretKey, height: number, slotRand: Uint8Array): VrfResult {
  return vrfProve(sk, proposerVrfInput(height, slotRand));
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  return x;
}

/**
 * The priority G of a VRF output for a proposer with `stake` out of `total`, or null when the
 * output does not qualify (stakeQualifies). `expected` is the mean number of eligible
 * proposers per slot.
 */
export function proposalPriority(output: Uint8Array, stake: bigint, total: bigint, expected: number): number | null {
  if (!stakeQualifies(output, stake, total, expected)) return null;
  const threshold = BigInt(expected) * stake * TWO_POW_256; // p · T · 2^256
  const margin = threshold - bytesToBigInt(output) * total; // (p - v) · T · 2^256 > 0
  return 1 + Number((BigInt(PRIORITY_SCALE - 1) * margin) / threshold);
}

export interface ProposerClaim {
  readonly publicKey: Uint8Array;
  readonly stake: bigint;
  readonly vrfProof: Uint8Array;
}

/**
 * Checks a proposer's claim to slot `height`: the VRF proof verifies under its key on the
 * slot's input, and the output qualifies for its stake. Returns the priority G; throws
 * `invalid-proposer` with the reason otherwise.
 */
export function checkProposer(claim: ProposerClaim, height: number, slotRand: Uint8Array, total: bigint, expected: number): number {
  assertBytes(claim.vrfProof, VRF_PROOF_BYTES, 'a VRF proof');
  let pk: PublicKey;
  try {
    pk = PublicKey.fromBytes(claim.publicKey);
  } catch (e) {
    if (e instanceof CryptoError) throw new ConsensusError('invalid-proposer', `proposer public key: ${e.message}`);
    throw e;
  }
  const output = vrfOutput(claim.vrfProof);
  if (!vrfVerify(pk, proposerVrfInput(height, slotRand), output, claim.vrfProof)) {
    throw new ConsensusError('invalid-proposer', `the VRF proof does not verify for slot ${height}`);
  }
  const priority = proposalPriority(output, claim.stake, total, expected);
  if (priority === null) {
    throw new ConsensusError('invalid-proposer', `the VRF output does not qualify for stake ${claim.stake} of ${total} at slot ${height}`);
  }
  return priority;
}

/** What the validation group ranks candidates of one slot by. */
export interface RankedProposal {
  readonly priority: number;
  readonly vrfOutput: Uint8Array;
  /** The proposal hash (block.ts proposalHash): distinguishes two proposals of one proposer. */
  readonly proposalHash: Uint8Array;
}

/**
 * Candidate order within a slot, best first: higher priority; then the smaller VRF output
 * (the finer quality the quantisation dropped; unique per proposer); then the smaller
 * proposal hash (only reached by one proposer's two proposals, i.e. an equivocation).
 */
export function compareProposals(a: RankedProposal, b: RankedProposal): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return compareBytes(a.vrfOutput, b.vrfOutput) || compareBytes(a.proposalHash, b.proposalHash);
}

