// Account keys: Ed25519 through Node's built-in node:crypto (about 25x faster to verify than
// pure JS here; DESIGN.md). A key is its 32-byte seed (RFC 8032 private key); an account's
// address is the whitepaper's transhash(pk): 'zv' + hex(SHA-256(32-byte public key)), the
// same form as the TVM's Address values.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';

// DER prefixes that wrap a raw Ed25519 seed (PKCS#8) and public key (SPKI) for node:crypto.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export const SEED_BYTES = 32;
export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

export class KeyError extends Error {
  readonly code: 'malformed-key' | 'malformed-address';
  constructor(code: 'malformed-key' | 'malformed-address', message: string) {
    super(message);
    this.name = 'KeyError';
    this.code = code;
  }
}

/** An account key pair. `seed` is the secret: keep it in a keystore, never in logs. */
export class AccountKey {
  readonly publicKey: Uint8Array;
  readonly address: string;
  private readonly secret: KeyObject;

  private constructor(readonly seed: Uint8Array) {
    this.secret = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const jwk = createPublicKey(this.secret).export({ format: 'jwk' });
    this.publicKey = new Uint8Array(Buffer.from(jwk.x!, 'base64url'));
    this.address = addressOf(this.publicKey);
  }

  static generate(): AccountKey {
    const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    return new AccountKey(new Uint8Array(Buffer.from(jwk.d!, 'base64url')));
  }

  static fromSeed(seed: Uint8Array): AccountKey {
    if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) throw new KeyError('malformed-key', `an Ed25519 private key is ${SEED_BYTES} bytes`);
    return new AccountKey(seed.slice());
  }

  /** A development key derived from a label (devnet accounts): never for value. */
  static fromLabel(label: string): AccountKey {
    return AccountKey.fromSeed(new Uint8Array(createHash('sha256').update(`zv dev key ${label}`).digest()));
  }

  sign(message: Uint8Array): Uint8Array {
    return new Uint8Array(nodeSign(null, message, this.secret));
  }
}

/** transhash(pk): 'zv' + 64 lowercase hex digits. */
export function addressOf(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_BYTES) throw new KeyError('malformed-key', `an Ed25519 public key is ${PUBLIC_KEY_BYTES} bytes`);
  return 'zv' + createHash('sha256').update(publicKey).digest('hex');
}

/** Checks an address's form ('zv' + 64 lowercase hex); returns it. */
export function checkAddress(text: string, what = 'address'): string {
  if (typeof text !== 'string' || !/^zv[0-9a-f]{64}$/.test(text)) throw new KeyError('malformed-address', `${what} '${String(text).slice(0, 80)}' is not an address ('zv' and 64 lowercase hex digits)`);
  return text;
}

// Building a KeyObject costs more than the verification itself: keep the recent senders'.
const KEY_CACHE_MAX = 16_384;
const keyCache = new Map<string, KeyObject>();

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('hex');
  let key = keyCache.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, key);
  }
  return key;
}

/** Ed25519 verification; false (never a throw) for a malformed key or signature. */
export function verifySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  try {
    return nodeVerify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}
