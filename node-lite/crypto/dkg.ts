// Dealerless distributed key generation (Joint-Feldman, as in Pedersen '91 / GJKR '99 with
// complaints made verifiable), the whitepaper's §2.1.3 "decentralized Shamir" with the check
// it lacks: every received share is verified against its dealer's Feldman commitments, and
// a dealer who sends a bad share is excluded on evidence anyone can check.
//
// Pure functions over messages: no network, no clock. The consensus layer broadcasts each
// Dealing and each Complaint, decides by its own deadline which ones count (all honest
// members must use the same sets, e.g. those recorded for the group), and calls `qualify`.
//
// Protocol (members have ids 1..n, member i's key is params.members[i-1]):
//  1. deal:    each member d picks f_d of degree t-1, broadcasts a signed Dealing with the
//              commitments A_{d,k} = a_{d,k}·g1 and f_d(j) encrypted to every member j under
//              ECDH(ephemeral e_d, member key P_j).
//  2. check:   everyone runs checkDealing on every dealing (signature, sizes, points). A badly
//              signed dealing is ignored (it may be forged); a signed malformed one convicts
//              its dealer. Each member j decrypts its share and checks
//              f_d(j)·g1 == Σ_k A_{d,k}·j^k (receiveShare); on failure it broadcasts a
//              Complaint revealing x_j·E_d with a DLEQ proof.
//  3. qualify: a complaint is upheld if the revealed share fails the same check (or does not
//              decrypt); the dealer is then excluded. A refuted complaint convicts the accuser
//              (reported, for the consensus layer to penalise). QUAL = dealers with a valid
//              dealing, no equivocation and no upheld complaint; at least t are required.
//  4. combine: group public key = Σ_{d∈QUAL} A_{d,0}; group commitments C_k = Σ A_{d,k};
//              member j's secret share S_j = Σ_{d∈QUAL} f_d(j); its public share is
//              Σ_k C_k·j^k, computable by anyone.
// Known limit of Joint-Feldman (GJKR '99): a dealer who sees others' dealings first can bias
// the group key's distribution (not learn it). Threshold signing and the beacon stay secure.

import { sha256 } from '@noble/hashes/sha2.js';
import { g1Add, PublicKey, SecretKey, Signature, SIGNATURE_BYTES, verify } from './bls.ts';
import {
  channelKey,
  concat,
  open,
  proveSharedSecret,
  seal,
  SEAL_OVERHEAD,
  sharedSecret,
  SHARED_SECRET_BYTES,
  SHARED_SECRET_PROOF_BYTES,
  verifySharedSecret,
} from './channel.ts';
import { CryptoError } from './errors.ts';
import type { RandomSource } from './random.ts';
import { mod, SCALAR_BYTES } from './scalar.ts';
import {
  assertMemberId,
  assertThreshold,
  commitPolynomial,
  evaluateCommitments,
  randomPolynomial,
  shareFor,
  verifyShare,
  type MemberId,
} from './shamir.ts';

export const DKG_CIPHERTEXT_BYTES = SCALAR_BYTES + SEAL_OVERHEAD;
const MAX_SESSION_BYTES = 256;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const CONTEXT_TAG = utf8('zvchain/dkg/context/v1');
const DEALING_TAG = utf8('zvchain/dkg/dealing/v1');
const SHARE_TAG = utf8('zvchain/dkg/share/v1');

export interface DkgParams {
  /** Names this key generation (e.g. the hash of the new group's GIS); 1..256 bytes. */
  readonly session: Uint8Array;
  readonly threshold: number;
  /** Member id i is members[i-1]; these keys sign dealings and receive encrypted shares. */
  readonly members: readonly PublicKey[];
}

/** Params bound to a digest that every signature and ciphertext of the session commits to. */
export interface DkgContext {
  readonly params: DkgParams;
  readonly n: number;
  readonly t: number;
  readonly digest: Uint8Array;
}

/** The broadcast message of one dealer (wire form: fixed-size byte fields). */
export interface Dealing {
  readonly dealer: MemberId;
  /** t compressed G1 points A_0..A_{t-1}. */
  readonly commitments: readonly Uint8Array[];
  /** The ephemeral ECDH public key E = e·g1 for this dealing. */
  readonly ephemeral: Uint8Array;
  /** n entries: member j's share sealed to it, at index j-1. */
  readonly ciphertexts: readonly Uint8Array[];
  /** The dealer's BLS signature over everything above and the session. */
  readonly signature: Uint8Array;
}

/** A dealing that passed checkDealing, with its points decoded once. */
export interface CheckedDealing {
  readonly dealing: Dealing;
  readonly dealer: MemberId;
  readonly commitments: readonly PublicKey[];
  readonly ephemeral: PublicKey;
  /** sha256 of the signed content: two different dealings by one dealer are equivocation. */
  readonly id: string;
}

export type DealingCheck =
  | { readonly status: 'valid'; readonly dealing: CheckedDealing }
  /** Not signed by the member it names: drop it, blame no one (anyone can forge junk). */
  | { readonly status: 'unauthenticated'; readonly reason: string }
  /** Signed by its dealer and malformed: the signature is the evidence; the dealer is excluded. */
  | { readonly status: 'faulty'; readonly dealer: MemberId; readonly reason: string };

/** Member `accuser` says its share from `dealer` is bad, and reveals what it received. */
export interface Complaint {
  readonly dealer: MemberId;
  readonly accuser: MemberId;
  /** x_accuser·E_dealer, 48 bytes. */
  readonly sharedSecret: Uint8Array;
  /** Chaum-Pedersen proof that sharedSecret uses the accuser's registered key, 64 bytes. */
  readonly proof: Uint8Array;
}

export type ComplaintVerdict =
  | { readonly upheld: true; readonly reason: string }
  | { readonly upheld: false; readonly reason: string };

export type ShareResult =
  | { readonly ok: true; readonly share: SecretKey }
  | { readonly ok: false; readonly reason: string; readonly complaint: Complaint };

export interface Qualification {
  /** Valid dealings of the qualified dealers, sorted by dealer id. */
  readonly qualified: readonly CheckedDealing[];
  /** Dealers excluded, with the evidence-backed reason. */
  readonly excluded: readonly { readonly dealer: MemberId; readonly reason: string }[];
  /** Accusers whose complaints were refuted or malformed: misbehaving members. */
  readonly falseAccusers: readonly { readonly accuser: MemberId; readonly dealer: MemberId; readonly reason: string }[];
}

export interface GroupKey {
  readonly qualified: readonly MemberId[];
  readonly publicKey: PublicKey;
  /** C_k = Σ_{d∈QUAL} A_{d,k}: the public polynomial of the group secret. */
  readonly commitments: readonly PublicKey[];
}

// ---- context ----

export function dkgContext(params: DkgParams): DkgContext {
  const n = params.members.length;
  const t = params.threshold;
  assertThreshold(t, n);
  if (!(params.session instanceof Uint8Array) || params.session.length < 1 || params.session.length > MAX_SESSION_BYTES) {
    throw new CryptoError('invalid-argument', `session must be 1..${MAX_SESSION_BYTES} bytes`);
  }
  for (const m of params.members) {
    if (!(m instanceof PublicKey)) throw new CryptoError('invalid-argument', 'members must be PublicKey objects');
  }
  const digest = sha256(
    concat(CONTEXT_TAG, u32(params.session.length), params.session, u32(t), u32(n), ...params.members.map((m) => m.toBytes())),
  );
  return { params, n, t, digest };
}

// ---- dealing ----

/** Step 1 for `dealer`: a fresh polynomial, its commitments, and every member's share sealed. */
export function createDealing(ctx: DkgContext, dealer: MemberId, dealerKey: SecretKey, rng: RandomSource): Dealing {
  const coeffs = randomPolynomial(ctx.t, rng);
  const shares: Uint8Array[] = [];
  for (let j = 1; j <= ctx.n; j++) shares.push(shareFor(coeffs, j).toBytes());
  return assembleDealing(ctx, dealer, dealerKey, commitPolynomial(coeffs), SecretKey.random(rng), shares, rng);
}

/**
 * Seals the given share bytes (shares[j-1] for member j) and signs the dealing. createDealing
 * uses it with honest shares; tests use it to build a dealer who cheats one member.
 */
export function assembleDealing(
  ctx: DkgContext,
  dealer: MemberId,
  dealerKey: SecretKey,
  commitments: readonly PublicKey[],
  ephemeralKey: SecretKey,
  shares: readonly Uint8Array[],
  rng: RandomSource,
): Dealing {
  checkMember(ctx, dealer, 'dealer');
  if (shares.length !== ctx.n) throw new CryptoError('invalid-argument', `need ${ctx.n} shares, got ${shares.length}`);
  const ephemeralPk = ephemeralKey.publicKey();
  const ciphertexts = shares.map((share, i) => {
    const recipient = ctx.params.members[i]!;
    const key = channelKey(sharedSecret(ephemeralKey, recipient), ephemeralPk, recipient);
    return seal(key, share, shareAssociatedData(ctx, dealer, i + 1), rng);
  });
  const unsigned = { dealer, commitments: commitments.map((c) => c.toBytes()), ephemeral: ephemeralPk.toBytes(), ciphertexts };
  return { ...unsigned, signature: dealerKey.sign(dealingMessage(ctx, unsigned)).toBytes() };
}

/** The bytes a dealer signs: the session digest and every field, length-prefixed. */
export function dealingMessage(ctx: DkgContext, d: Omit<Dealing, 'signature'>): Uint8Array {
  const parts: Uint8Array[] = [DEALING_TAG, ctx.digest, u32(d.dealer), u32(d.commitments.length)];
  for (const c of d.commitments) parts.push(u32(c.length), c);
  parts.push(u32(d.ephemeral.length), d.ephemeral, u32(d.ciphertexts.length));
  for (const c of d.ciphertexts) parts.push(u32(c.length), c);
  return concat(...parts);
}

// ---- checking ----

/** Step 2, public part: anyone can run it on any dealing; never throws on malformed input. */
export function checkDealing(ctx: DkgContext, dealing: Dealing): DealingCheck {
  const shape = shapeProblem(dealing);
  if (shape) return { status: 'unauthenticated', reason: shape };
  if (!Number.isInteger(dealing.dealer) || dealing.dealer < 1 || dealing.dealer > ctx.n) {
    return { status: 'unauthenticated', reason: `dealer id ${dealing.dealer} is not a member` };
  }
  let message: Uint8Array;
  let signature: Signature;
  try {
    message = dealingMessage(ctx, dealing);
    signature = Signature.fromBytes(dealing.signature);
  } catch (e) {
    if (e instanceof CryptoError) return { status: 'unauthenticated', reason: e.message };
    throw e;
  }
  if (!verify(ctx.params.members[dealing.dealer - 1]!, message, signature)) {
    return { status: 'unauthenticated', reason: `signature does not verify under member ${dealing.dealer}'s key` };
  }
  // From here on the dealer signed it: every problem is the dealer's.
  const faulty = (reason: string): DealingCheck => ({ status: 'faulty', dealer: dealing.dealer, reason });
  if (dealing.commitments.length !== ctx.t) return faulty(`${dealing.commitments.length} commitments, expected ${ctx.t}`);
  if (dealing.ciphertexts.length !== ctx.n) return faulty(`${dealing.ciphertexts.length} ciphertexts, expected ${ctx.n}`);
  const badCt = dealing.ciphertexts.findIndex((c) => c.length !== DKG_CIPHERTEXT_BYTES);
  if (badCt >= 0) return faulty(`ciphertext for member ${badCt + 1} is not ${DKG_CIPHERTEXT_BYTES} bytes`);
  const commitments: PublicKey[] = [];
  for (let k = 0; k < dealing.commitments.length; k++) {
    try {
      commitments.push(PublicKey.fromBytes(dealing.commitments[k]!));
    } catch (e) {
      if (e instanceof CryptoError) return faulty(`commitment ${k}: ${e.message}`);
      throw e;
    }
  }
  let ephemeral: PublicKey;
  try {
    ephemeral = PublicKey.fromBytes(dealing.ephemeral);
  } catch (e) {
    if (e instanceof CryptoError) return faulty(`ephemeral key: ${e.message}`);
    throw e;
  }
  const id = hex(sha256(message));
  return { status: 'valid', dealing: { dealing, dealer: dealing.dealer, commitments, ephemeral, id } };
}

/** Step 2, private part: member `me` opens and checks its share, or gets a complaint to broadcast. */
export function receiveShare(ctx: DkgContext, checked: CheckedDealing, me: MemberId, myKey: SecretKey): ShareResult {
  checkMember(ctx, me, 'recipient');
  const shared = sharedSecret(myKey, checked.ephemeral);
  const problem = shareProblem(ctx, checked, me, shared);
  if (typeof problem !== 'string') return { ok: true, share: problem };
  const { shared: revealed, proof } = proveSharedSecret(myKey, checked.ephemeral);
  return { ok: false, reason: problem, complaint: { dealer: checked.dealer, accuser: me, sharedSecret: revealed, proof } };
}

/** Step 3 for one complaint: anyone can decide it from public data. Never throws on bad input. */
export function verifyComplaint(ctx: DkgContext, checked: CheckedDealing, complaint: Complaint): ComplaintVerdict {
  const refuted = (reason: string): ComplaintVerdict => ({ upheld: false, reason });
  if (complaint.dealer !== checked.dealer) return refuted('complaint names another dealer');
  const accuser = complaint.accuser;
  if (!Number.isInteger(accuser) || accuser < 1 || accuser > ctx.n) return refuted(`accuser ${accuser} is not a member`);
  if (accuser === checked.dealer) return refuted('a dealer cannot complain about itself');
  if (!(complaint.sharedSecret instanceof Uint8Array) || complaint.sharedSecret.length !== SHARED_SECRET_BYTES) {
    return refuted('shared secret has the wrong size');
  }
  if (!(complaint.proof instanceof Uint8Array) || complaint.proof.length !== SHARED_SECRET_PROOF_BYTES) {
    return refuted('proof has the wrong size');
  }
  if (!verifySharedSecret(ctx.params.members[accuser - 1]!, checked.ephemeral, complaint.sharedSecret, complaint.proof)) {
    return refuted('the revealed shared secret is not proven to be the accuser\'s');
  }
  const problem = shareProblem(ctx, checked, accuser, complaint.sharedSecret);
  return typeof problem === 'string' ? { upheld: true, reason: problem } : refuted('the revealed share is valid');
}

/** Opens member j's ciphertext with the ECDH value and checks the share: the share, or what is wrong. */
function shareProblem(ctx: DkgContext, checked: CheckedDealing, j: MemberId, shared: Uint8Array): SecretKey | string {
  const recipient = ctx.params.members[j - 1]!;
  const key = channelKey(shared, checked.ephemeral, recipient);
  let share: SecretKey;
  try {
    const plain = open(key, checked.dealing.ciphertexts[j - 1]!, shareAssociatedData(ctx, checked.dealer, j));
    share = SecretKey.fromBytes(plain);
  } catch (e) {
    if (e instanceof CryptoError) return `share for member ${j} from dealer ${checked.dealer}: ${e.message}`;
    throw e;
  }
  if (!verifyShare(checked.commitments, j, share)) {
    return `share for member ${j} from dealer ${checked.dealer} does not match the dealer's commitments`;
  }
  return share;
}

// ---- qualification and combination ----

/**
 * Step 3: the qualified set from the agreed dealings and complaints. Deterministic in its
 * inputs (order does not matter), so every honest member with the same sets gets the same QUAL.
 */
export function qualify(ctx: DkgContext, dealings: readonly Dealing[], complaints: readonly Complaint[]): Qualification {
  const byDealer = new Map<MemberId, CheckedDealing>();
  const excluded = new Map<MemberId, string>();
  for (const d of dealings) {
    const check = checkDealing(ctx, d);
    if (check.status === 'unauthenticated') continue;
    if (check.status === 'faulty') {
      excluded.set(check.dealer, check.reason);
      continue;
    }
    const prior = byDealer.get(check.dealing.dealer);
    if (prior && prior.id !== check.dealing.id) excluded.set(check.dealing.dealer, 'signed two different dealings');
    byDealer.set(check.dealing.dealer, check.dealing);
  }
  const falseAccusers: { accuser: MemberId; dealer: MemberId; reason: string }[] = [];
  const seen = new Set<string>();
  for (const c of complaints) {
    const checked = byDealer.get(c.dealer);
    if (!checked || excluded.has(c.dealer)) continue; // nothing left to decide
    const key = `${c.dealer}:${c.accuser}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const verdict = verifyComplaint(ctx, checked, c);
    if (verdict.upheld) excluded.set(c.dealer, `complaint by member ${c.accuser} upheld: ${verdict.reason}`);
    else falseAccusers.push({ accuser: c.accuser, dealer: c.dealer, reason: verdict.reason });
  }
  const qualified = [...byDealer.values()].filter((d) => !excluded.has(d.dealer)).sort((a, b) => a.dealer - b.dealer);
  const excludedList = [...excluded].map(([dealer, reason]) => ({ dealer, reason })).sort((a, b) => a.dealer - b.dealer);
  falseAccusers.sort((a, b) => a.accuser - b.accuser || a.dealer - b.dealer);
  return { qualified, excluded: excludedList, falseAccusers };
}

/** Step 4, public part: the group key and public polynomial. Throws dkg-failed if |QUAL| < t. */
export function groupKey(ctx: DkgContext, qualified: readonly CheckedDealing[]): GroupKey {
  if (qualified.length < ctx.t) {
    throw new CryptoError('dkg-failed', `only ${qualified.length} qualified dealers, need at least ${ctx.t}`);
  }
  const commitments: PublicKey[] = [];
  for (let k = 0; k < ctx.t; k++) {
    let acc = qualified[0]!.commitments[k]!.point;
    for (let i = 1; i < qualified.length; i++) acc = g1Add(acc, qualified[i]!.commitments[k]!.point);
    commitments.push(PublicKey.fromPoint(acc));
  }
  return { qualified: qualified.map((d) => d.dealer), publicKey: commitments[0]!, commitments };
}

/** Member j's public key share Σ_k C_k·j^k: verifies its partial signatures. */
export function publicKeyShare(group: GroupKey, id: MemberId): PublicKey {
  return evaluateCommitments(group.commitments, id);
}

/** Step 4, private part: S_j = Σ_{d∈QUAL} f_d(j) from the shares member j accepted. */
export function secretKeyShare(group: GroupKey, shares: ReadonlyMap<MemberId, SecretKey>): SecretKey {
  let acc = 0n;
  for (const d of group.qualified) {
    const s = shares.get(d);
    if (!s) throw new CryptoError('dkg-failed', `no accepted share from qualified dealer ${d}`);
    acc += s.scalar;
  }
  return SecretKey.fromScalar(mod(acc));
}

// ---- helpers ----

function shareAssociatedData(ctx: DkgContext, dealer: MemberId, recipient: MemberId): Uint8Array {
  return concat(SHARE_TAG, ctx.digest, u32(dealer), u32(recipient));
}

function checkMember(ctx: DkgContext, id: MemberId, role: string): void {
  assertMemberId(id);
  if (id > ctx.n) throw new CryptoError('invalid-argument', `${role} id ${id} is not a member of this ${ctx.n}-member group`);
}

/** Rejects dealings whose fields are not even the right types (data from the wire). */
function shapeProblem(d: Dealing): string | undefined {
  if (typeof d !== 'object' || d === null) return 'dealing is not an object';
  if (!Array.isArray(d.commitments) || !d.commitments.every((c) => c instanceof Uint8Array)) return 'commitments must be byte arrays';
  if (!Array.isArray(d.ciphertexts) || !d.ciphertexts.every((c) => c instanceof Uint8Array)) return 'ciphertexts must be byte arrays';
  if (!(d.ephemeral instanceof Uint8Array)) return 'ephemeral key must be bytes';
  if (!(d.signature instanceof Uint8Array) || d.signature.length !== SIGNATURE_BYTES) return 'signature must be 96 bytes';
  return undefined;
}

function u32(x: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, x >>> 0);
  return out;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
