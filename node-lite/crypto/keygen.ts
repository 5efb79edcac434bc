// KeyGen of draft-irtf-cfrg-bls-signature-05 §2.3 (also EIP-2333's derive_master_SK):
// a secret key from at least 32 bytes of seed material, deterministically.

import { sha256 } from '@noble/hashes/sha2.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { CryptoError } from './errors.ts';
import { scalarFromBytesModOrder } from './scalar.ts';

const L = 48; // ceil(3 * ceil(log2(r)) / 16)

export function hkdfKeyGen(ikm: Uint8Array, keyInfo: Uint8Array): bigint {
  if (!(ikm instanceof Uint8Array) || ikm.length < 32) {
    throw new CryptoError('invalid-argument', 'key generation needs at least 32 bytes of seed material');
  }
  const ikmZero = new Uint8Array(ikm.length + 1);
  ikmZero.set(ikm);
  const info = new Uint8Array(keyInfo.length + 2);
  info.set(keyInfo);
  info[keyInfo.length] = L >> 8;
  info[keyInfo.length + 1] = L & 0xff;
  let salt: Uint8Array = new TextEncoder().encode('BLS-SIG-KEYGEN-SALT-');
  for (;;) {
    salt = sha256(salt);
    const okm = expand(sha256, extract(sha256, ikmZero, salt), info, L);
    const sk = scalarFromBytesModOrder(okm);
    if (sk !== 0n) return sk;
  }
}
