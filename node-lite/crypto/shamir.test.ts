import { describe, expect, it } from 'vitest';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import {
  commitPolynomial,
  CryptoError,
  evaluateCommitments,
  randomPolynomial,
  recoverPublicKey,
  recoverSecret,
  recoverSignature,
  SecretKey,
  seededRandom,
  shareFor,
  splitSecret,
  verify,
  verifyShare,
} from './index.ts';
import { CURVE_ORDER, lagrangeAtZero, mod } from './scalar.ts';

const rng = seededRandom('shamir.test');
const enc = (s: string) => new TextEncoder().encode(s);

/** A deterministic family of t-subsets of 1..n (first, last, strided, random). */
function subsets(n: number, t: number, count: number): number[][] {
  const all = Array.from({ length: n }, (_, i) => i);
  const out = [all.slice(0, t), all.slice(n - t)];
  for (let s = 0; out.length < count; s++) {
    const pool = [...all];
    const picked: number[] = [];
    for (let k = 0; k < t; k++) picked.push(pool.splice(rng(1)[0]! % pool.length, 1)[0]!);
    out.push(picked);
  }
  return out;
}

describe('Shamir sharing over Fr', () => {
  const n = 7;
  const t = 4;
  const secret = SecretKey.random(rng);
  const shares = splitSecret(secret, t, [1, 2, 3, 4, 5, 6, 7], rng);

  it('any t of n shares recover the secret, in any order', () => {
    for (const s of subsets(n, t, 8)) {
      expect(recoverSecret(s.map((i) => shares[i]!), t).scalar).toBe(secret.scalar);
    }
    expect(recoverSecret([...shares].reverse(), t).scalar).toBe(secret.scalar);
  });

  it('t-1 shares do not determine it: every candidate secret is consistent with them', () => {
    expect(() => recoverSecret(shares.slice(0, t - 1), t)).toThrow(CryptoError);
    // Interpolating t-1 shares plus any guessed point gives a different "secret" per guess.
    const guesses = new Set<bigint>();
    for (let g = 1n; g <= 3n; g++) {
      guesses.add(recoverSecret([...shares.slice(0, t - 1), { id: 99, key: SecretKey.fromScalar(g) }], t).scalar);
    }
    expect(guesses.size).toBe(3);
    expect(guesses.has(secret.scalar)).toBe(false);
  });

  it('rejects duplicate or invalid ids and bad thresholds', () => {
    expect(() => recoverSecret([shares[0]!, shares[0]!, shares[1]!, shares[2]!], t)).toThrow(/appears twice/);
    expect(() => splitSecret(secret, 8, [1, 2, 3], rng)).toThrow(CryptoError);
    expect(() => splitSecret(secret, 2, [0, 1, 2], rng)).toThrow(/member id/);
    expect(() => splitSecret(secret, 2, [1.5, 2], rng)).toThrow(/member id/);
  });

  it('Lagrange coefficients at 0 sum to 1 and match a direct computation', () => {
    const xs = [3n, 7n, 11n, 20n];
    const ls = lagrangeAtZero(xs);
    expect(mod(ls.reduce((a, b) => a + b, 0n))).toBe(1n);
    const Fr = bls12_381.fields.Fr;
    for (let i = 0; i < xs.length; i++) {
      let l = 1n;
      for (let j = 0; j < xs.length; j++) if (j !== i) l = Fr.mul(l, Fr.div(xs[j]!, Fr.sub(xs[j]!, xs[i]!)));
      expect(ls[i]).toBe(l);
    }
    expect(CURVE_ORDER).toBe(Fr.ORDER);
  });

  it('Feldman commitments accept the right share and reject a wrong one', () => {
    const coeffs = randomPolynomial(t, rng);
    const commitments = commitPolynomial(coeffs);
    expect(verifyShare(commitments, 5, shareFor(coeffs, 5))).toBe(true);
    expect(verifyShare(commitments, 5, shareFor(coeffs, 6))).toBe(false);
    expect(evaluateCommitments(commitments, 5).equals(shareFor(coeffs, 5).publicKey())).toBe(true);
  });
});

describe('threshold signatures (Lagrange in the exponent)', () => {
  const n = 7;
  const t = 4;
  const groupSecret = SecretKey.random(rng);
  const shares = splitSecret(groupSecret, t, Array.from({ length: n }, (_, i) => i + 1), rng);
  const msg = enc('height 9 / previous random');

  it('any t partial signatures recover the group signature', () => {
    const partials = shares.map((s) => ({ id: s.id, signature: s.key.sign(msg) }));
    const expected = groupSecret.sign(msg);
    for (const s of subsets(n, t, 6)) {
      const sig = recoverSignature(s.map((i) => partials[i]!), t);
      expect(sig.equals(expected)).toBe(true);
      expect(verify(groupSecret.publicKey(), msg, sig)).toBe(true);
    }
  });

  it('t-1 valid partials plus a bad one give a signature that fails', () => {
    const partials = shares.slice(0, t).map((s) => ({ id: s.id, signature: s.key.sign(msg) }));
    partials[2] = { id: partials[2]!.id, signature: shares[2]!.key.sign(enc('other')) };
    expect(verify(groupSecret.publicKey(), msg, recoverSignature(partials, t))).toBe(false);
    expect(() => recoverSignature(partials.slice(0, t - 1), t)).toThrow(/need 4 partial signatures/);
  });

  it('recovers the group public key from t public key shares', () => {
    const pkShares = shares.slice(2, 2 + t).map((s) => ({ id: s.id, publicKey: s.key.publicKey() }));
    expect(recoverPublicKey(pkShares, t).equals(groupSecret.publicKey())).toBe(true);
  });
});
