// The cryptography of the Chiron consensus: BLS12-381 signatures, Shamir sharing and
// threshold signatures, the dealerless DKG, encrypted share delivery, and the BLS VRF.
// See docs/consensus-crypto.md.

export { CryptoError, type CryptoErrorCode } from './errors.ts';
export { systemRandom, seededRandom, type RandomSource } from './random.ts';
export { CURVE_ORDER } from './scalar.ts';
export {
  CIPHERSUITE,
  SECRET_KEY_BYTES,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  SecretKey,
  PublicKey,
  Signature,
  sign,
  verify,
  verifyBytes,
  verifyBatch,
  aggregateSignatures,
  aggregatePublicKeys,
} from './bls.ts';
export {
  MAX_MEMBER_ID,
  assertMemberId,
  assertThreshold,
  randomPolynomial,
  shareFor,
  commitPolynomial,
  evaluateCommitments,
  verifyShare,
  splitSecret,
  recoverSecret,
  recoverSignature,
  recoverPublicKey,
  type MemberId,
  type SecretShare,
  type PartialSignature,
  type PublicKeyShare,
} from './shamir.ts';
export {
  DKG_CIPHERTEXT_BYTES,
  dkgContext,
  createDealing,
  assembleDealing,
  dealingMessage,
  checkDealing,
  receiveShare,
  verifyComplaint,
  qualify,
  groupKey,
  publicKeyShare,
  secretKeyShare,
  type DkgParams,
  type DkgContext,
  type Dealing,
  type CheckedDealing,
  type DealingCheck,
  type Complaint,
  type ComplaintVerdict,
  type ShareResult,
  type Qualification,
  type GroupKey,
} from './dkg.ts';
export {
  SHARED_SECRET_BYTES,
  CHANNEL_KEY_BYTES,
  SEAL_OVERHEAD,
  SHARED_SECRET_PROOF_BYTES,
  sharedSecret,
  channelKey,
  seal,
  open,
  encryptTo,
  decryptFrom,
  proveSharedSecret,
  verifySharedSecret,
} from './channel.ts';
export { VRF_OUTPUT_BYTES, VRF_PROOF_BYTES, vrfProve, vrfVerify, vrfOutput, type VrfResult } from './vrf.ts';
