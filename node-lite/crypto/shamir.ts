// Shamir secret sharing over the BLS12-381 scalar field, Feldman commitments, and Lagrange
// interpolation at 0 "in the exponent": a group signature H(m)·SK recovered from any t
// partial signatures H(m)·S_i without anyone learning SK (whitepaper §2.1.3, "Shamir's
// Secret Sharing Scheme Incorporating ECDLP").
//
// Member ids are the evaluation points: positive integers, in a group the member's position
// in the group's member list plus one. Small ids keep share checks cheap (Horner's rule
// with small multipliers); any distinct non-zero ids work.

import { CryptoError } from './errors.ts';
import {
  g1Base,
  g1EvaluatePolynomial,
  g1MulSum,
  g2MulSum,
  PublicKey,
  SecretKey,
  Signature,
} from './bls.ts';
import type { RandomSource } from './random.ts';
import { evaluatePolynomial, lagrangeAtZero, mod, randomScalar } from './scalar.ts';

export type MemberId = number;

/** Largest member id: ids travel as 4-byte unsigned integers in DKG messages. */
export const MAX_MEMBER_ID = 0xffff_ffff;

export interface SecretShare {
  readonly id: MemberId;
  readonly key: SecretKey;
}

export interface PartialSignature {
  readonly id: MemberId;
  readonly signature: Signature;
}

export interface PublicKeyShare {
  readonly id: MemberId;
  readonly publicKey: PublicKey;
}

export function assertMemberId(id: MemberId): void {
  if (!Number.isInteger(id) || id < 1 || id > MAX_MEMBER_ID) {
    throw new CryptoError('invalid-argument', `member id must be an integer in 1..${MAX_MEMBER_ID}, got ${id}`);
  }
}

/** 1 ≤ t ≤ n. (Consensus picks t = ceil(0.51 n); this layer accepts any valid pair.) */
export function assertThreshold(t: number, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new CryptoError('invalid-argument', `group size must be a positive integer, got ${n}`);
  if (!Number.isInteger(t) || t < 1 || t > n) {
    throw new CryptoError('invalid-argument', `threshold must be an integer in 1..${n}, got ${t}`);
  }
}

function assertDistinctIds(ids: readonly MemberId[]): void {
  const seen = new Set<number>();
  for (const id of ids) {
    assertMemberId(id);
    if (seen.has(id)) throw new CryptoError('invalid-argument', `member id ${id} appears twice`);
    seen.add(id);
  }
}

/** Coefficients a_0..a_{t-1} with a_0 = secret (random if omitted) and the rest random non-zero. */
export function randomPolynomial(t: number, rng: RandomSource, secret?: SecretKey): bigint[] {
  assertThreshold(t, t);
  const coeffs = [secret ? secret.scalar : randomScalar(rng)];
  for (let k = 1; k < t; k++) coeffs.push(randomScalar(rng));
  return coeffs;
}

/** The share f(id) of member id. */
export function shareFor(coeffs: readonly bigint[], id: MemberId): SecretKey {
  assertMemberId(id);
  return SecretKey.fromScalar(evaluatePolynomial(coeffs, BigInt(id)));
}

/** Feldman commitments A_k = a_k·g1: public, and enough to check any share. */
export function commitPolynomial(coeffs: readonly bigint[]): PublicKey[] {
  return coeffs.map((a) => PublicKey.fromPoint(g1Base(a)));
}

/** Σ_k A_k·id^k: the public key matching the share f(id). */
export function evaluateCommitments(commitments: readonly PublicKey[], id: MemberId): PublicKey {
  assertMemberId(id);
  return PublicKey.fromPoint(g1EvaluatePolynomial(commitments.map((c) => c.point), BigInt(id)));
}

/** Feldman check: share·g1 == Σ_k A_k·id^k. */
export function verifyShare(commitments: readonly PublicKey[], id: MemberId, share: SecretKey): boolean {
  return share.publicKey().equals(evaluateCommitments(commitments, id));
}

/** Splits a secret into shares for the given ids; any t of them recover it. */
export function splitSecret(secret: SecretKey, t: number, ids: readonly MemberId[], rng: RandomSource): SecretShare[] {
  assertThreshold(t, ids.length);
  assertDistinctIds(ids);
  const coeffs = randomPolynomial(t, rng, secret);
  return ids.map((id) => ({ id, key: shareFor(coeffs, id) }));
}

/** Takes the first t items after checking there are at least t and no id repeats. */
function firstT<T extends { id: MemberId }>(items: readonly T[], t: number, what: string): T[] {
  if (!Number.isInteger(t) || t < 1) throw new CryptoError('invalid-argument', `threshold must be a positive integer, got ${t}`);
  assertDistinctIds(items.map((it) => it.id));
  if (items.length < t) throw new CryptoError('not-enough-shares', `need ${t} ${what}, got ${items.length}`);
  return items.slice(0, t);
}

function lagrangeFor(items: readonly { id: MemberId }[]): bigint[] {
  return lagrangeAtZero(items.map((it) => BigInt(it.id)));
}

/** f(0) from t shares (Lagrange interpolation in Fr). */
export function recoverSecret(shares: readonly SecretShare[], t: number): SecretKey {
  const used = firstT(shares, t, 'shares');
  const lambdas = lagrangeFor(used);
  let acc = 0n;
  for (let i = 0; i < used.length; i++) acc += lambdas[i]! * used[i]!.key.scalar;
  return SecretKey.fromScalar(mod(acc));
}

/**
 * The group signature Σ λ_i·σ_i from the first t partial signatures (distinct ids). The
 * partials are not checked here: a bad one yields a signature that fails verification under
 * the group key; verify partials first (verifyBatch, then one by one to find the culprit).
 */
export function recoverSignature(partials: readonly PartialSignature[], t: number): Signature {
  const used = firstT(partials, t, 'partial signatures');
  return Signature.fromPoint(g2MulSum(used.map((p) => p.signature.point), lagrangeFor(used)));
}

/** The group public key Σ λ_i·pk_i from t public key shares. */
export function recoverPublicKey(shares: readonly PublicKeyShare[], t: number): PublicKey {
  const used = firstT(shares, t, 'public key shares');
  return PublicKey.fromPoint(g1MulSum(used.map((s) => s.publicKey.point), lagrangeFor(used)));
}
