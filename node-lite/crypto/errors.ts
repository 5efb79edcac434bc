// The one error type the crypto layer throws. Callers (the consensus code) catch it at the
// message boundary and count it against the sender; `code` says what was wrong without
// parsing the message.

export type CryptoErrorCode =
  | 'malformed-secret-key' // not 32 bytes, zero, or not below the group order
  | 'malformed-public-key' // not 48 bytes, not a compressed G1 point of the subgroup, or identity
  | 'malformed-signature' // not 96 bytes, not a compressed G2 point of the subgroup, or identity
  | 'malformed-proof' // a VRF or DLEQ proof of the wrong size or encoding
  | 'invalid-argument' // a caller error: bad threshold, duplicate or out-of-range member ids
  | 'not-enough-shares' // fewer than t shares or partial signatures
  | 'decryption-failed' // AEAD tag mismatch: wrong key, wrong associated data or tampering
  | 'dkg-failed'; // fewer than t qualified dealers, or a qualified dealer's share is missing

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;
  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.code = code;
  }
}
