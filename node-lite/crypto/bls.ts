// BLS signatures on BLS12-381, ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_
// (draft-irtf-cfrg-bls-signature, "minimal-pubkey-size": public keys in G1, 48 bytes;
// signatures in G2, 96 bytes; hash to G2 by RFC 9380 SSWU with SHA-256). It is the suite
// Ethereum uses and the one both mcl-wasm and @noble/curves implement without patches; our
// Sign and Verify are exactly the suite's (the POP suite's CoreSign/CoreVerify with its DST).
//
// The engine is mcl-wasm (WebAssembly, 5-15x faster than pure JS here: docs/consensus-crypto.md);
// it is initialised once by the top-level await below, so importing this module is enough.
// Verification, the protocol's most frequent operation, goes to blst (@chainsafe/blst, a
// native binding with prebuilt binaries: about 4x faster than mcl-wasm here) when it loads;
// it implements the same ciphersuite, so it accepts exactly the signatures mcl does (a
// cross-check test holds them equal), and mcl remains the fallback.
// Wire formats are the standard compressed encodings (ZCash flags), validated on input: a
// wrong length, a point off the curve or outside the prime-order subgroup, or the identity
// is a CryptoError, never a crash and never silently accepted.

import { equalBytes } from '@noble/ciphers/utils.js';
import * as mcl from 'mcl-wasm';
import { CryptoError } from './errors.ts';
import { systemRandom, type RandomSource } from './random.ts';
import { hkdfKeyGen } from './keygen.ts';
import { bytesToBigint, randomScalar, scalarFromBytes, scalarToBytes, SCALAR_BYTES } from './scalar.ts';

export const CIPHERSUITE = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
export const SECRET_KEY_BYTES = SCALAR_BYTES;
export const PUBLIC_KEY_BYTES = 48;
export const SIGNATURE_BYTES = 96;

await mcl.init(mcl.BLS12_381);
const native = await import('@chainsafe/blst').catch(() => null);
mcl.setETHserialization(true); // standard compressed encodings, big-endian scalars
mcl.setMapToMode(mcl.IRTF); // RFC 9380 hash-to-curve; mcl's default G2 DST is the POP suite's

// The standard G1 generator, compressed. mcl's getBasePointG1() is not available for pairing curves.
const G1_GENERATOR_HEX =
  '97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb';
const G1_GEN = new mcl.G1();
G1_GEN.deserializeHexStr(G1_GENERATOR_HEX);
const NEG_G1_GEN = mcl.neg(G1_GEN);

/** Converts a scalar (any bigint, reduced mod r) into mcl's representation. */
export function toFr(x: bigint): mcl.Fr {
  const fr = new mcl.Fr();
  fr.deserialize(scalarToBytes(x));
  return fr;
}

/** A secret key: a non-zero scalar. Also used for Shamir and DKG shares. */
export class SecretKey {
  /** The scalar; treat as internal to node-lite/crypto. */
  readonly scalar: bigint;
  private frCache: mcl.Fr | undefined;

  private constructor(scalar: bigint) {
    this.scalar = scalar;
  }

  /** Internal constructor from a scalar already reduced mod r; zero is rejected. */
  static fromScalar(x: bigint): SecretKey {
    if (x === 0n) throw new CryptoError('malformed-secret-key', 'a secret key cannot be zero');
    return new SecretKey(x);
  }

  /** 32 big-endian bytes, below the group order, non-zero. */
  static fromBytes(bytes: Uint8Array): SecretKey {
    return SecretKey.fromScalar(scalarFromBytes(bytes));
  }

  /** The IETF KeyGen (HKDF-SHA256, draft-irtf-cfrg-bls-signature §2.3): same seed, same key. */
  static fromSeed(ikm: Uint8Array, keyInfo: Uint8Array = new Uint8Array(0)): SecretKey {
    return new SecretKey(hkdfKeyGen(ikm, keyInfo));
  }

  static random(rng: RandomSource = systemRandom): SecretKey {
    return new SecretKey(randomScalar(rng));
  }

  get fr(): mcl.Fr {
    return (this.frCache ??= toFr(this.scalar));
  }

  toBytes(): Uint8Array {
    return scalarToBytes(this.scalar);
  }

  publicKey(): PublicKey {
    return PublicKey.fromPoint(mcl.mul(G1_GEN, this.fr));
  }

  sign(message: Uint8Array): Signature {
    return sign(this, message);
  }
}

/** A G1 point other than the identity: a public key, a Feldman commitment or a key share. */
export class PublicKey {
  /** The mcl point; treat as internal to node-lite/crypto. */
  readonly point: mcl.G1;
  private bytesCache: Uint8Array | undefined;

  private constructor(point: mcl.G1) {
    this.point = point;
  }

  /** Internal: wraps a computed point, rejecting the identity (which no honest key yields). */
  static fromPoint(point: mcl.G1): PublicKey {
    if (point.isZero()) throw new CryptoError('malformed-public-key', 'the identity is not a valid public key');
    return new PublicKey(point);
  }

  static fromBytes(bytes: Uint8Array): PublicKey {
    checkLength(bytes, PUBLIC_KEY_BYTES, 'malformed-public-key', 'public key');
    const p = remembered(g1Points, bytes, () => {
      const q = new mcl.G1();
      q.deserialize(bytes); // checks the encoding, the curve equation and the subgroup
      return q;
    });
    if (!p) throw new CryptoError('malformed-public-key', 'public key is not a valid compressed G1 point of the prime-order subgroup');
    const pk = PublicKey.fromPoint(p);
    pk.bytesCache = bytes.slice();
    return pk;
  }

  toBytes(): Uint8Array {
    return (this.bytesCache ??= this.point.serialize()).slice();
  }

  equals(other: PublicKey): boolean {
    return this.point.isEqual(other.point);
  }
}

/**
 * A G2 point other than the identity. It holds its point, its compressed bytes, or both: a
 * signature made or checked by blst exists as bytes, and is decoded into an mcl point only
 * when arithmetic needs it (threshold recovery, aggregation).
 */
export class Signature {
  private pointCache: mcl.G2 | undefined;
  private bytesCache: Uint8Array | undefined;

  private constructor(point: mcl.G2 | undefined, bytes: Uint8Array | undefined) {
    this.pointCache = point;
    this.bytesCache = bytes;
  }

  static fromPoint(point: mcl.G2): Signature {
    if (point.isZero()) throw new CryptoError('malformed-signature', 'the identity is not a valid signature');
    return new Signature(point, undefined);
  }

  static fromBytes(bytes: Uint8Array): Signature {
    checkLength(bytes, SIGNATURE_BYTES, 'malformed-signature', 'signature');
    if (native) {
      if (!remembered(nativeSignatures, bytes, () => nativeSignatureValid(bytes))) {
        throw new CryptoError('malformed-signature', 'signature is not a valid compressed G2 point of the prime-order subgroup');
      }
      return new Signature(undefined, bytes.slice());
    }
    const p = remembered(g2Points, bytes, () => {
      const q = new mcl.G2();
      q.deserialize(bytes);
      return q;
    });
    if (!p) throw new CryptoError('malformed-signature', 'signature is not a valid compressed G2 point of the prime-order subgroup');
    return Signature.fromPoint(p);
  }

  /** The mcl point; treat as internal to node-lite/crypto. */
  get point(): mcl.G2 {
    if (!this.pointCache) {
      const bytes = this.bytesCache!;
      // These bytes passed blst's subgroup check (fromBytes) or came from blst's signing:
      // decode them without repeating the check, mcl's costliest part of decoding.
      this.pointCache = remembered(g2Points, bytes, () => {
        const q = new mcl.G2();
        mcl.verifyOrderG2(false);
        try {
          q.deserialize(bytes);
        } finally {
          mcl.verifyOrderG2(true);
        }
        return q;
      })!;
    }
    return this.pointCache;
  }

  toBytes(): Uint8Array {
    return (this.bytesCache ??= this.pointCache!.serialize()).slice();
  }

  equals(other: Signature): boolean {
    // The compressed encoding of a point is unique.
    return equalBytes(this.toBytes(), other.toBytes());
  }
}

/** A valid, non-identity G2 point in its prime-order subgroup (checked by blst). */
function nativeSignatureValid(bytes: Uint8Array): true {
  native!.Signature.fromBytes(bytes, true); // throws for an invalid encoding or point
  if (bytes[0]! & 0x40) throw new Error('the identity'); // the compressed-infinity flag
  return true;
}

/** H(m) in G2 under the ciphersuite's DST. */
function hashToG2(message: Uint8Array): mcl.G2 {
  // Long messages (a DKG dealing's) are hashed once per check anyway: not worth a key.
  if (message.length > 512) return mcl.hashAndMapToG2(message);
  return remembered(hashes, message, () => mcl.hashAndMapToG2(message))!;
}

// Decoding a point (with its subgroup check) and hashing to G2 cost about a millisecond and
// are pure functions of their bytes; a node meets the same keys, signatures and messages many
// times (every member's partial on one message, every block's signatures on every node of a
// simulation). Bounded caches keep the results. mcl points are never mutated after creation
// here (arithmetic returns new points), so sharing one is safe.
const CACHE_ENTRIES = 8192;
const g1Points = new Map<string, mcl.G1 | null>();
const g2Points = new Map<string, mcl.G2 | null>();
const hashes = new Map<string, mcl.G2 | null>();
const nativeSignatures = new Map<string, true | null>();

function remembered<P>(cache: Map<string, P | null>, bytes: Uint8Array, make: () => P): P | null {
  const key = String.fromCharCode(...bytes);
  const known = cache.get(key);
  if (known !== undefined) return known;
  let value: P | null;
  try {
    value = make();
  } catch {
    value = null; // not a valid encoding: remembered as such
  }
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

export function sign(sk: SecretKey, message: Uint8Array): Signature {
  if (native) return Signature.fromBytes(nativeSecret(sk).sign(message).toBytes(true));
  return Signature.fromPoint(mcl.mul(hashToG2(message), sk.fr));
}

/** The same signature by mcl-wasm alone (the fallback, and the reference in tests). */
export function mclSign(sk: SecretKey, message: Uint8Array): Signature {
  return Signature.fromPoint(mcl.mul(hashToG2(message), sk.fr));
}

// blst secret keys by their scalar's bytes (signing keys: a node's own and its group shares).
const nativeSecrets = new Map<string, { sign(m: Uint8Array): { toBytes(compress?: boolean): Uint8Array } } | null>();

function nativeSecret(sk: SecretKey) {
  const bytes = sk.toBytes();
  return remembered(nativeSecrets, bytes, () => native!.SecretKey.fromBytes(bytes))!;
}

/** e(pk, H(m)) == e(g1, σ), as one product of two Miller loops and one final exponentiation. */
export function verify(pk: PublicKey, message: Uint8Array, signature: Signature): boolean {
  if (native) return nativeVerify(pk.toBytes(), message, signature.toBytes());
  return mclVerify(pk, message, signature);
}

/** The same check by mcl-wasm alone (the fallback, and the reference the native one is tested against). */
export function mclVerify(pk: PublicKey, message: Uint8Array, signature: Signature): boolean {
  return pairingCheck(pk.point, hashToG2(message), signature.point);
}

/** Whether verification runs natively (blst) in this process. */
export const NATIVE_VERIFY = native !== null;

// Decoded and validated blst keys, by their bytes (a node verifies the same few keys all the
// time); null for bytes that are no valid key.
const nativeKeys = new Map<string, unknown>();

function nativeVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const blst = native!;
  if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  // Encoding, curve, subgroup, not the identity.
  const pk = remembered(nativeKeys, publicKey, () => blst.PublicKey.fromBytes(publicKey, true)) as InstanceType<typeof blst.PublicKey> | null;
  if (!pk) return false;
  try {
    return blst.verify(message, pk, blst.Signature.fromBytes(signature, true)); // encoding, curve, subgroup
  } catch {
    return false; // not a valid signature encoding: nothing verifies
  }
}

/** Verify from wire bytes: malformed keys or signatures give false instead of throwing. */
export function verifyBytes(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (native) return nativeVerify(publicKey, message, signature);
  let pk: PublicKey;
  let sig: Signature;
  try {
    pk = PublicKey.fromBytes(publicKey);
    sig = Signature.fromBytes(signature);
  } catch (e) {
    if (e instanceof CryptoError) return false;
    throw e;
  }
  return mclVerify(pk, message, sig);
}

function pairingCheck(p: mcl.G1, h: mcl.G2, sig: mcl.G2): boolean {
  const product = mcl.mul(mcl.millerLoop(p, h), mcl.millerLoop(NEG_G1_GEN, sig));
  return mcl.finalExp(product).isOne();
}

/**
 * Verifies many signatures on one message at the cost of about one verification plus two
 * multi-scalar multiplications: with fresh random 128-bit weights r_i it checks
 * e(Σ r_i pk_i, H(m)) == e(g1, Σ r_i σ_i). Random weights make it sound without proofs of
 * possession (a forger would have to guess the weights). False means at least one is
 * invalid; check them one by one to find which. The weights never affect a true result, so a
 * seeded rng keeps simulations reproducible.
 */
export function verifyBatch(
  message: Uint8Array,
  items: readonly { publicKey: PublicKey; signature: Signature }[],
  rng: RandomSource = systemRandom,
): boolean {
  if (items.length === 0) return true;
  if (items.length === 1) return verify(items[0]!.publicKey, message, items[0]!.signature);
  const weights = items.map(() => {
    const fr = new mcl.Fr();
    fr.deserialize(scalarToBytes(bytesToBigint(rng(16)) | 1n));
    return fr;
  });
  const pkSum = mcl.mulVec(items.map((it) => it.publicKey.point), weights);
  const sigSum = mcl.mulVec(items.map((it) => it.signature.point), weights);
  return pairingCheck(pkSum, hashToG2(message), sigSum);
}

/** Plain sums. Verifying a plain aggregate of same-message signatures against the plain sum
 *  of their keys is only safe for keys with proofs of possession: use verifyBatch instead. */
export function aggregateSignatures(signatures: readonly Signature[]): Signature {
  if (signatures.length === 0) throw new CryptoError('invalid-argument', 'nothing to aggregate');
  let acc = signatures[0]!.point;
  for (let i = 1; i < signatures.length; i++) acc = mcl.add(acc, signatures[i]!.point);
  return Signature.fromPoint(acc);
}

export function aggregatePublicKeys(keys: readonly PublicKey[]): PublicKey {
  if (keys.length === 0) throw new CryptoError('invalid-argument', 'nothing to aggregate');
  let acc = keys[0]!.point;
  for (let i = 1; i < keys.length; i++) acc = mcl.add(acc, keys[i]!.point);
  return PublicKey.fromPoint(acc);
}

// ---- point helpers for Shamir, DKG and the channel (internal to node-lite/crypto) ----

/** x·g1 as a raw point (may be the identity only if x ≡ 0). */
export function g1Base(x: bigint): mcl.G1 {
  return mcl.mul(G1_GEN, toFr(x));
}

export function g1Mul(p: mcl.G1, x: bigint): mcl.G1 {
  return mcl.mul(p, toFr(x));
}

export function g1Add(a: mcl.G1, b: mcl.G1): mcl.G1 {
  return mcl.add(a, b);
}

export function g1Sub(a: mcl.G1, b: mcl.G1): mcl.G1 {
  return mcl.sub(a, b);
}

/** Σ_k points[k]·x^k by Horner's rule inside mcl (cheap for small x such as member ids). */
export function g1EvaluatePolynomial(points: readonly mcl.G1[], x: bigint): mcl.G1 {
  return mcl.shareG1(points as mcl.G1[], toFr(x));
}

/** Σ points[i]·scalars[i] (multi-scalar multiplication in G2). */
export function g2MulSum(points: readonly mcl.G2[], scalars: readonly bigint[]): mcl.G2 {
  return mcl.mulVec(points as mcl.G2[], scalars.map(toFr));
}

/** Σ points[i]·scalars[i] in G1. */
export function g1MulSum(points: readonly mcl.G1[], scalars: readonly bigint[]): mcl.G1 {
  return mcl.mulVec(points as mcl.G1[], scalars.map(toFr));
}

export function g1Bytes(p: mcl.G1): Uint8Array {
  return p.serialize();
}

function checkLength(
  bytes: Uint8Array,
  expected: number,
  code: 'malformed-public-key' | 'malformed-signature',
  what: string,
): void {
  if (!(bytes instanceof Uint8Array)) throw new CryptoError(code, `${what} must be a Uint8Array, got ${typeof bytes}`);
  if (bytes.length !== expected) throw new CryptoError(code, `${what} is ${expected} bytes, got ${bytes.length}`);
}
