import { describe, expect, it } from 'vitest';
import {
  assembleDealing,
  checkDealing,
  commitPolynomial,
  createDealing,
  CryptoError,
  dealingMessage,
  dkgContext,
  groupKey,
  publicKeyShare,
  qualify,
  randomPolynomial,
  receiveShare,
  recoverSignature,
  secretKeyShare,
  SecretKey,
  seededRandom,
  shareFor,
  verify,
  verifyComplaint,
  type Complaint,
  type Dealing,
  type DkgContext,
  type GroupKey,
} from './index.ts';
import { g1Add } from './bls.ts';
import { proveSharedSecret } from './channel.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function setup(n: number, t: number, seed: string) {
  const rng = seededRandom(seed);
  const keys = Array.from({ length: n }, () => SecretKey.random(rng));
  const ctx = dkgContext({ session: enc(`group ${seed}`), threshold: t, members: keys.map((k) => k.publicKey()) });
  return { rng, keys, ctx };
}

/** Each member opens its shares from the qualified dealers; returns the complaints raised. */
function collectComplaints(ctx: DkgContext, keys: SecretKey[], dealings: Dealing[]): Complaint[] {
  const q = qualify(ctx, dealings, []);
  const complaints: Complaint[] = [];
  for (let j = 1; j <= ctx.n; j++) {
    for (const d of q.qualified) {
      const r = receiveShare(ctx, d, j, keys[j - 1]!);
      if (!r.ok) complaints.push(r.complaint);
    }
  }
  return complaints;
}

/** Member j's final secret share from the dealings that qualified. */
function memberShare(ctx: DkgContext, keys: SecretKey[], group: GroupKey, dealings: Dealing[], complaints: Complaint[], j: number) {
  const q = qualify(ctx, dealings, complaints);
  const shares = new Map<number, SecretKey>();
  for (const d of q.qualified) {
    const r = receiveShare(ctx, d, j, keys[j - 1]!);
    if (r.ok) shares.set(d.dealer, r.share);
  }
  return secretKeyShare(group, shares);
}

function expectThresholdSignatures(group: GroupKey, shares: Map<number, SecretKey>, t: number, subsets: number[][]) {
  const msg = enc('beacon round');
  for (const ids of subsets) {
    const partials = ids.map((id) => ({ id, signature: shares.get(id)!.sign(msg) }));
    for (const p of partials) expect(verify(publicKeyShare(group, p.id), msg, p.signature)).toBe(true);
    expect(verify(group.publicKey, msg, recoverSignature(partials, t))).toBe(true);
  }
}

describe('DKG, n=7 t=4, all honest', () => {
  const { rng, keys, ctx } = setup(7, 4, 'honest-7');
  const dealings = keys.map((k, i) => createDealing(ctx, i + 1, k, rng));

  it('every member qualifies every dealer and derives the same group key', () => {
    const groups = keys.map(() => {
      const q = qualify(ctx, [...dealings].reverse(), []);
      expect(q.excluded).toEqual([]);
      expect(q.falseAccusers).toEqual([]);
      return groupKey(ctx, q.qualified);
    });
    for (const g of groups) {
      expect(g.qualified).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(g.publicKey.equals(groups[0]!.publicKey)).toBe(true);
    }
    expect(collectComplaints(ctx, keys, dealings)).toEqual([]);
  });

  it('threshold signatures from any t members verify under the group key', () => {
    const group = groupKey(ctx, qualify(ctx, dealings, []).qualified);
    const shares = new Map(keys.map((_, i) => [i + 1, memberShare(ctx, keys, group, dealings, [], i + 1)] as const));
    for (const [id, s] of shares) expect(s.publicKey().equals(publicKeyShare(group, id))).toBe(true);
    expectThresholdSignatures(group, shares, 4, [[1, 2, 3, 4], [4, 5, 6, 7], [7, 1, 5, 3], [2, 6, 3, 5]]);
  });

  it('the group key is the sum of the dealers\' constant commitments (nobody knows its secret)', () => {
    const q = qualify(ctx, dealings, []);
    const group = groupKey(ctx, q.qualified);
    let acc = q.qualified[0]!.commitments[0]!.point;
    for (const d of q.qualified.slice(1)) acc = g1Add(acc, d.commitments[0]!.point);
    expect(group.publicKey.point.isEqual(acc)).toBe(true);
  });
});

describe('DKG with a cheating dealer', () => {
  const n = 7;
  const t = 4;
  const { rng, keys, ctx } = setup(n, t, 'cheat-7');
  const CHEAT = 3;
  const VICTIM = 5;
  // Dealer 3 commits to one polynomial but sends member 5 a share off it.
  const coeffs = randomPolynomial(t, rng);
  const shares = Array.from({ length: n }, (_, i) => shareFor(coeffs, i + 1).toBytes());
  shares[VICTIM - 1] = shareFor(coeffs, VICTIM + 1).toBytes();
  const bad = assembleDealing(ctx, CHEAT, keys[CHEAT - 1]!, commitPolynomial(coeffs), SecretKey.random(rng), shares, rng);
  const dealings = keys.map((k, i) => (i + 1 === CHEAT ? bad : createDealing(ctx, i + 1, k, rng)));

  it('the victim detects it and its complaint is upheld by everyone; the dealer is excluded', () => {
    const complaints = collectComplaints(ctx, keys, dealings);
    expect(complaints.map((c) => [c.dealer, c.accuser])).toEqual([[CHEAT, VICTIM]]);
    const checked = qualify(ctx, dealings, []).qualified.find((d) => d.dealer === CHEAT)!;
    expect(verifyComplaint(ctx, checked, complaints[0]!).upheld).toBe(true);
    const q = qualify(ctx, dealings, complaints);
    expect(q.qualified.map((d) => d.dealer)).toEqual([1, 2, 4, 5, 6, 7]);
    expect(q.excluded).toEqual([{ dealer: CHEAT, reason: expect.stringMatching(/complaint by member 5 upheld/) }]);
  });

  it('the remaining members agree on a working group key', () => {
    const complaints = collectComplaints(ctx, keys, dealings);
    const group = groupKey(ctx, qualify(ctx, dealings, complaints).qualified);
    const memberShares = new Map(keys.map((_, i) => [i + 1, memberShare(ctx, keys, group, dealings, complaints, i + 1)] as const));
    expectThresholdSignatures(group, memberShares, t, [[1, 2, 3, 4], [3, 5, 6, 7], [5, 1, 7, 2]]);
  });

  it('a false complaint against an honest dealer is refuted and its author reported', () => {
    const honest = qualify(ctx, dealings, []).qualified.find((d) => d.dealer === 1)!;
    // Member 2 tells the truth about its key but claims the (valid) share is bad.
    const r = receiveShare(ctx, honest, 2, keys[1]!);
    expect(r.ok).toBe(true);
    const { shared, proof } = proveSharedSecret(keys[1]!, honest.ephemeral);
    const lie: Complaint = { dealer: 1, accuser: 2, sharedSecret: shared, proof };
    expect(verifyComplaint(ctx, honest, lie)).toEqual({ upheld: false, reason: 'the revealed share is valid' });
    // Member 4 reveals a made-up secret: the proof does not hold.
    const forged: Complaint = { dealer: 1, accuser: 4, sharedSecret: shared, proof };
    expect(verifyComplaint(ctx, honest, forged).upheld).toBe(false);
    const q = qualify(ctx, dealings, [lie, forged]);
    expect(q.qualified.map((d) => d.dealer)).toContain(1);
    expect(q.falseAccusers.map((f) => f.accuser)).toEqual([2, 4]);
  });
});

describe('DKG rejects malformed and forged dealings', () => {
  const { rng, keys, ctx } = setup(5, 3, 'malformed-5');
  const honest = createDealing(ctx, 2, keys[1]!, rng);
  const resign = (d: Omit<Dealing, 'signature'>): Dealing => ({ ...d, signature: keys[d.dealer - 1]!.sign(dealingMessage(ctx, d)).toBytes() });

  it('accepts the honest dealing', () => {
    expect(checkDealing(ctx, honest).status).toBe('valid');
  });

  it('a signed dealing with a malformed commitment convicts its dealer', () => {
    const commitments = [...honest.commitments];
    commitments[1] = new Uint8Array(48).fill(0xff);
    const check = checkDealing(ctx, resign({ ...honest, commitments }));
    expect(check).toEqual({ status: 'faulty', dealer: 2, reason: expect.stringMatching(/^commitment 1: /) });
    const infinity = new Uint8Array(48);
    infinity[0] = 0xc0;
    commitments[1] = infinity;
    expect(checkDealing(ctx, resign({ ...honest, commitments })).status).toBe('faulty');
  });

  it('wrong numbers of commitments or ciphertexts, or a short ciphertext, convict the dealer', () => {
    expect(checkDealing(ctx, resign({ ...honest, commitments: honest.commitments.slice(0, 2) }))).toMatchObject({ status: 'faulty', reason: '2 commitments, expected 3' });
    expect(checkDealing(ctx, resign({ ...honest, ciphertexts: honest.ciphertexts.slice(1) }))).toMatchObject({ status: 'faulty' });
    const cts = [...honest.ciphertexts];
    cts[0] = cts[0]!.subarray(1);
    expect(checkDealing(ctx, resign({ ...honest, ciphertexts: cts }))).toMatchObject({ status: 'faulty' });
    expect(checkDealing(ctx, resign({ ...honest, ephemeral: new Uint8Array(48) }))).toMatchObject({ status: 'faulty', reason: /^ephemeral key/ });
  });

  it('unsigned or forged dealings are ignored, blaming no dealer', () => {
    const tampered = { ...honest, commitments: [...honest.commitments].reverse() };
    expect(checkDealing(ctx, tampered).status).toBe('unauthenticated');
    expect(checkDealing(ctx, { ...honest, dealer: 3 }).status).toBe('unauthenticated');
    expect(checkDealing(ctx, { ...honest, dealer: 9 }).status).toBe('unauthenticated');
    expect(checkDealing(ctx, { ...honest, signature: new Uint8Array(96) }).status).toBe('unauthenticated');
    expect(checkDealing(ctx, { ...honest, commitments: 'x' } as unknown as Dealing).status).toBe('unauthenticated');
    expect(checkDealing(ctx, null as unknown as Dealing).status).toBe('unauthenticated');
    const other = dkgContext({ ...ctx.params, session: enc('another group') });
    expect(checkDealing(other, honest).status).toBe('unauthenticated'); // bound to its session
  });

  it('a dealer who signs two different dealings is excluded; fewer than t qualified fails', () => {
    const d1 = createDealing(ctx, 1, keys[0]!, rng);
    const d1b = createDealing(ctx, 1, keys[0]!, rng);
    const d3 = createDealing(ctx, 3, keys[2]!, rng);
    const q = qualify(ctx, [d1, d1b, honest, d3, d1], []);
    expect(q.excluded).toEqual([{ dealer: 1, reason: 'signed two different dealings' }]);
    expect(q.qualified.map((d) => d.dealer)).toEqual([2, 3]);
    expect(() => groupKey(ctx, q.qualified)).toThrow(CryptoError);
    expect(() => groupKey(ctx, q.qualified)).toThrow(/only 2 qualified dealers, need at least 3/);
  });

  it('a member missing a qualified dealer\'s share cannot finish silently', () => {
    const all = keys.map((k, i) => (i === 1 ? honest : createDealing(ctx, i + 1, k, rng)));
    const group = groupKey(ctx, qualify(ctx, all, []).qualified);
    expect(() => secretKeyShare(group, new Map())).toThrow(/no accepted share from qualified dealer 1/);
  });
});

describe('DKG, n=21 t=11', () => {
  it('all members derive matching keys; any 11 sign for the group', () => {
    const { rng, keys, ctx } = setup(21, 11, 'honest-21');
    const dealings = keys.map((k, i) => createDealing(ctx, i + 1, k, rng));
    const q = qualify(ctx, dealings, []);
    expect(q.qualified).toHaveLength(21);
    const group = groupKey(ctx, q.qualified);
    const shares = new Map<number, SecretKey>();
    for (let j = 1; j <= 21; j++) {
      const accepted = new Map<number, SecretKey>();
      for (const d of q.qualified) {
        const r = receiveShare(ctx, d, j, keys[j - 1]!);
        if (!r.ok) throw new Error(r.reason);
        accepted.set(d.dealer, r.share);
      }
      shares.set(j, secretKeyShare(group, accepted));
      expect(shares.get(j)!.publicKey().equals(publicKeyShare(group, j))).toBe(true);
    }
    const evens = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 21];
    expectThresholdSignatures(group, shares, 11, [evens, [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]]);
  });
});
