// Arithmetic in the BLS12-381 scalar field Fr (integers modulo the group order r).
//
// Scalars are plain bigints here: polynomial evaluation and Lagrange coefficients are a few
// thousand multiplications at most, BigInt does them in microseconds, and it keeps this file
// independent of the curve library. Points are multiplied by scalars in bls.ts.

import { CryptoError } from './errors.ts';
import type { RandomSource } from './random.ts';

/** The order r of G1, G2 and GT (255 bits). */
export const CURVE_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
export const SCALAR_BYTES = 32;

export function mod(a: bigint): bigint {
  const x = a % CURVE_ORDER;
  return x < 0n ? x + CURVE_ORDER : x;
}

export function inverse(a: bigint): bigint {
  // Extended Euclid; a must be non-zero mod r.
  let [r0, r1] = [mod(a), CURVE_ORDER];
  let [s0, s1] = [1n, 0n];
  if (r0 === 0n) throw new CryptoError('invalid-argument', 'cannot invert zero in Fr');
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0);
}

/** Big-endian, fixed 32 bytes (the IETF / Ethereum encoding of a secret key). */
export function scalarToBytes(a: bigint): Uint8Array {
  const out = new Uint8Array(SCALAR_BYTES);
  let x = mod(a);
  for (let i = SCALAR_BYTES - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** Big-endian bytes as an integer, without reduction. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  return x;
}

/** Canonical decoding: exactly 32 bytes and below r; anything else is an error. */
export function scalarFromBytes(bytes: Uint8Array): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SCALAR_BYTES) {
    throw new CryptoError('malformed-secret-key', `a scalar is ${SCALAR_BYTES} bytes, got ${describeLength(bytes)}`);
  }
  const x = bytesToBigint(bytes);
  if (x >= CURVE_ORDER) throw new CryptoError('malformed-secret-key', 'scalar is not below the group order');
  return x;
}

/** Reduces arbitrary bytes modulo r (used with 48+ bytes so the bias is below 2^-128). */
export function scalarFromBytesModOrder(bytes: Uint8Array): bigint {
  return mod(bytesToBigint(bytes));
}

/** A uniformly random non-zero scalar. */
export function randomScalar(rng: RandomSource): bigint {
  for (;;) {
    const x = scalarFromBytesModOrder(rng(48));
    if (x !== 0n) return x;
  }
}

/** p(x) = coeffs[0] + coeffs[1] x + ... by Horner's rule. */
export function evaluatePolynomial(coeffs: readonly bigint[], x: bigint): bigint {
  let acc = 0n;
  for (let k = coeffs.length - 1; k >= 0; k--) acc = (acc * x + coeffs[k]!) % CURVE_ORDER;
  return acc;
}

/**
 * Lagrange coefficients for interpolating at 0 from the points xs (distinct, non-zero):
 * λ_i = Π_{j≠i} x_j / (x_j − x_i). One batched inversion for all denominators.
 */
export function lagrangeAtZero(xs: readonly bigint[]): bigint[] {
  const n = xs.length;
  const nums: bigint[] = new Array(n);
  const dens: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    let num = 1n;
    let den = 1n;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      num = (num * xs[j]!) % CURVE_ORDER;
      den = (den * mod(xs[j]! - xs[i]!)) % CURVE_ORDER;
    }
    nums[i] = num;
    dens[i] = den;
  }
  const invs = batchInverse(dens);
  return nums.map((num, i) => (num * invs[i]!) % CURVE_ORDER);
}

/** Montgomery's trick: n inversions for the price of one plus 3n multiplications. */
function batchInverse(xs: readonly bigint[]): bigint[] {
  const prefix: bigint[] = new Array(xs.length);
  let acc = 1n;
  for (let i = 0; i < xs.length; i++) {
    prefix[i] = acc;
    acc = (acc * xs[i]!) % CURVE_ORDER;
  }
  let inv = inverse(acc);
  const out: bigint[] = new Array(xs.length);
  for (let i = xs.length - 1; i >= 0; i--) {
    out[i] = (inv * prefix[i]!) % CURVE_ORDER;
    inv = (inv * xs[i]!) % CURVE_ORDER;
  }
  return out;
}

function describeLength(bytes: unknown): string {
  return bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes;
}
