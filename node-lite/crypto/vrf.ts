// A verifiable random function from unique BLS signatures (as DFINITY and drand use):
//   prove(sk, input)  = (output = SHA-256(σ), proof = σ)   with σ = sk·H(tag ‖ input)
//   verify(pk, input, output, proof): σ is a valid signature on (tag ‖ input) under pk and
//   output == SHA-256(σ).
// Why it is a VRF: for a valid public key (a non-identity point of the prime-order subgroup,
// which PublicKey enforces) exactly one G2 point σ satisfies e(pk, H(m)) == e(g1, σ), because
// the pairing is non-degenerate and G2 has prime order; so the proof, and hence the output,
// is uniquely determined by (pk, input): the prover cannot pick among outputs. Without sk
// the output is unpredictable because computing σ is forging a BLS signature (co-CDH), and
// hashing σ makes the output pseudorandom bytes. The tag keeps VRF evaluations apart from
// ordinary signatures made with the same key.

import { equalBytes } from '@noble/ciphers/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { PublicKey, SecretKey, Signature, SIGNATURE_BYTES, verify } from './bls.ts';
import { CryptoError } from './errors.ts';

export const VRF_OUTPUT_BYTES = 32;
export const VRF_PROOF_BYTES = SIGNATURE_BYTES;
const VRF_TAG = new TextEncoder().encode('zvchain/vrf/v1');

export interface VrfResult {
  readonly output: Uint8Array;
  readonly proof: Uint8Array;
}

function vrfMessage(input: Uint8Array): Uint8Array {
  const m = new Uint8Array(VRF_TAG.length + input.length);
  m.set(VRF_TAG);
  m.set(input, VRF_TAG.length);
  return m;
}

export function vrfProve(sk: SecretKey, input: Uint8Array): VrfResult {
  const proof = sk.sign(vrfMessage(input)).toBytes();
  return { output: sha256(proof), proof };
}

/** The output a valid proof determines: SHA-256 of the proof. Throws on a malformed proof. */
export function vrfOutput(proof: Uint8Array): Uint8Array {
  if (!(proof instanceof Uint8Array) || proof.length !== VRF_PROOF_BYTES) {
    throw new CryptoError('malformed-proof', `a VRF proof is ${VRF_PROOF_BYTES} bytes`);
  }
  return sha256(proof);
}

/** True iff proof is pk's unique signature on input and output is its hash. Never throws on bad bytes. */
export function vrfVerify(pk: PublicKey, input: Uint8Array, output: Uint8Array, proof: Uint8Array): boolean {
  if (!(output instanceof Uint8Array) || output.length !== VRF_OUTPUT_BYTES) return false;
  if (!(proof instanceof Uint8Array) || proof.length !== VRF_PROOF_BYTES) return false;
  if (!equalBytes(sha256(proof), output)) return false;
  let sig: Signature;
  try {
    sig = Signature.fromBytes(proof);
  } catch (e) {
    if (e instanceof CryptoError) return false;
    throw e;
  }
  return verify(pk, vrfMessage(input), sig);
}
