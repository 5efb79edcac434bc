import { describe, expect, it } from 'vitest';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import {
  aggregatePublicKeys,
  aggregateSignatures,
  CIPHERSUITE,
  CryptoError,
  PublicKey,
  SecretKey,
  seededRandom,
  sign,
  Signature,
  verify,
  verifyBatch,
  verifyBytes,
} from './index.ts';
import { mclSign, mclVerify, NATIVE_VERIFY } from './bls.ts';
import { CURVE_ORDER } from './scalar.ts';

const noble = bls12_381.longSignatures; // G1 public keys, G2 signatures: our layout
const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const rng = seededRandom('bls.test');

function expectCode(f: () => unknown, code: string): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CryptoError);
    expect((e as CryptoError).code).toBe(code);
    return;
  }
  throw new Error(`expected CryptoError ${code}`);
}

/** A point on E(Fp) outside the prime-order subgroup, compressed (E has cofactor h ≠ 1). */
function nonSubgroupG1(): Uint8Array {
  const Fp = bls12_381.fields.Fp;
  for (let x = 1n; ; x++) {
    const y2 = Fp.add(Fp.mul(Fp.mul(x, x), x), 4n);
    let y: bigint;
    try {
      y = Fp.sqrt(y2);
    } catch {
      continue;
    }
    try {
      bls12_381.G1.Point.fromAffine({ x, y }).assertValidity();
    } catch {
      const b = Uint8Array.from(Buffer.from(x.toString(16).padStart(96, '0'), 'hex'));
      b[0]! |= 0x80;
      return b;
    }
  }
}

describe('BLS signatures (mcl-wasm)', () => {
  const sk = SecretKey.random(rng);
  const pk = sk.publicKey();
  const msg = enc('block 42');

  it('signs and verifies; rejects a wrong key or message', () => {
    const sig = sign(sk, msg);
    expect(verify(pk, msg, sig)).toBe(true);
    expect(verify(SecretKey.random(rng).publicKey(), msg, sig)).toBe(false);
    expect(verify(pk, enc('block 43'), sig)).toBe(false);
    expect(sig.equals(sk.sign(msg))).toBe(true); // unique: signing is deterministic
  });

  it('round-trips fixed-size encodings', () => {
    const sig = sign(sk, msg);
    expect(sk.toBytes()).toHaveLength(32);
    expect(pk.toBytes()).toHaveLength(48);
    expect(sig.toBytes()).toHaveLength(96);
    expect(SecretKey.fromBytes(sk.toBytes()).scalar).toBe(sk.scalar);
    expect(PublicKey.fromBytes(pk.toBytes()).equals(pk)).toBe(true);
    expect(Signature.fromBytes(sig.toBytes()).equals(sig)).toBe(true);
    expect(verifyBytes(pk.toBytes(), msg, sig.toBytes())).toBe(true);
  });

  it('rejects malformed secret keys', () => {
    expectCode(() => SecretKey.fromBytes(new Uint8Array(31)), 'malformed-secret-key');
    expectCode(() => SecretKey.fromBytes(new Uint8Array(32)), 'malformed-secret-key'); // zero
    expectCode(() => SecretKey.fromBytes(new Uint8Array(32).fill(0xff)), 'malformed-secret-key');
    const r = Uint8Array.from(Buffer.from(CURVE_ORDER.toString(16).padStart(64, '0'), 'hex'));
    expectCode(() => SecretKey.fromBytes(r), 'malformed-secret-key');
    expectCode(() => SecretKey.fromSeed(new Uint8Array(31)), 'invalid-argument');
  });

  it('rejects malformed public keys and signatures with a clear error', () => {
    const good = pk.toBytes();
    expectCode(() => PublicKey.fromBytes(good.subarray(0, 47)), 'malformed-public-key');
    expectCode(() => PublicKey.fromBytes(new Uint8Array(48).fill(0xff)), 'malformed-public-key');
    expectCode(() => PublicKey.fromBytes(new Uint8Array(48)), 'malformed-public-key'); // no compression flag
    const infinity = new Uint8Array(48);
    infinity[0] = 0xc0;
    expectCode(() => PublicKey.fromBytes(infinity), 'malformed-public-key');
    expectCode(() => PublicKey.fromBytes(nonSubgroupG1()), 'malformed-public-key');
    expectCode(() => PublicKey.fromBytes('abc' as unknown as Uint8Array), 'malformed-public-key');
    const sigInf = new Uint8Array(96);
    sigInf[0] = 0xc0;
    expectCode(() => Signature.fromBytes(sigInf), 'malformed-signature');
    expectCode(() => Signature.fromBytes(new Uint8Array(96).fill(0xaa)), 'malformed-signature');
    expectCode(() => Signature.fromBytes(new Uint8Array(95)), 'malformed-signature');
    const flipped = sign(sk, msg).toBytes();
    flipped[10]! ^= 1;
    expect(verifyBytes(good, msg, flipped)).toBe(false); // either not a point or not the signature
    expect(verifyBytes(good.subarray(1), msg, sign(sk, msg).toBytes())).toBe(false);
  });

  it('derives keys from a seed by the IETF KeyGen (EIP-2333 test case 0)', () => {
    const seed = Uint8Array.from(
      Buffer.from(
        'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04',
        'hex',
      ),
    );
    expect(SecretKey.fromSeed(seed).scalar).toBe(6083874454709270928345386274498605044986640685124978867557563392430687146096n);
  });

  it('batch-verifies same-message signatures and catches one bad signature', () => {
    const keys = Array.from({ length: 6 }, () => SecretKey.random(rng));
    const items = keys.map((k) => ({ publicKey: k.publicKey(), signature: k.sign(msg) }));
    expect(verifyBatch(msg, items, rng)).toBe(true);
    const bad = [...items];
    bad[3] = { publicKey: items[3]!.publicKey, signature: keys[3]!.sign(enc('other')) };
    expect(verifyBatch(msg, bad, rng)).toBe(false);
    // Swapped signatures: each wrong, the plain sum still matches; random weights catch it.
    const swapped = [...items];
    swapped[0] = { publicKey: items[0]!.publicKey, signature: items[1]!.signature };
    swapped[1] = { publicKey: items[1]!.publicKey, signature: items[0]!.signature };
    expect(verify(aggregatePublicKeys(swapped.map((i) => i.publicKey)), msg, aggregateSignatures(swapped.map((i) => i.signature)))).toBe(true);
    expect(verifyBatch(msg, swapped, rng)).toBe(false);
  });
});

describe(`cross-check against @noble/curves (${CIPHERSUITE})`, () => {
  const msgs = [enc(''), enc('abc'), enc('a'.repeat(300)), new Uint8Array([0, 1, 2, 255])];

  it('derives the same public keys', () => {
    for (let i = 0; i < 4; i++) {
      const sk = SecretKey.random(rng);
      expect(hex(sk.publicKey().toBytes())).toBe(hex(noble.getPublicKey(sk.toBytes()).toBytes()));
    }
  });

  it('hashes to the same G2 point and makes byte-identical signatures', () => {
    const sk = SecretKey.random(rng);
    for (const m of msgs) {
      const ours = sign(sk, m);
      const theirs = noble.sign(noble.hash(m, CIPHERSUITE), sk.toBytes());
      expect(hex(ours.toBytes())).toBe(hex(noble.Signature.toBytes(theirs)));
    }
  });

  it('each verifies the other\'s signatures and both reject the same forgeries', () => {
    const sk = SecretKey.random(rng);
    const pkBytes = sk.publicKey().toBytes();
    const m = enc('cross');
    const ours = sign(sk, m).toBytes();
    expect(noble.verify(ours, noble.hash(m, CIPHERSUITE), pkBytes)).toBe(true);
    expect(noble.verify(ours, noble.hash(enc('crosz'), CIPHERSUITE), pkBytes)).toBe(false);
    const theirs = noble.Signature.toBytes(noble.sign(noble.hash(m, CIPHERSUITE), sk.toBytes()));
    expect(verifyBytes(pkBytes, m, theirs)).toBe(true);
    // A signature under the other standard DST (NUL suite) is not ours.
    const nul = noble.Signature.toBytes(noble.sign(noble.hash(m, 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_'), sk.toBytes()));
    expect(verifyBytes(pkBytes, m, nul)).toBe(false);
  });

  it('agrees on which encodings are points', () => {
    const bad = nonSubgroupG1();
    expect(() => bls12_381.G1.Point.fromBytes(bad)).toThrow();
    expect(() => PublicKey.fromBytes(bad)).toThrow(CryptoError);
  });
});

describe('the native path (blst) against mcl-wasm', () => {
  it('loads here, and signs byte for byte as mcl does', () => {
    expect(NATIVE_VERIFY).toBe(true);
    for (let i = 0; i < 6; i++) {
      const sk = SecretKey.random(rng);
      const m = enc(`message ${i}`.repeat(i * 40));
      expect(hex(sign(sk, m).toBytes())).toBe(hex(mclSign(sk, m).toBytes()));
    }
  });

  it('accepts and rejects exactly what mcl does', () => {
    const sk = SecretKey.random(rng);
    const other = SecretKey.random(rng);
    const m = enc('agree');
    const good = mclSign(sk, m);
    const cases: [PublicKey, Uint8Array, Signature][] = [
      [sk.publicKey(), m, good],
      [sk.publicKey(), enc('agreE'), good],
      [other.publicKey(), m, good],
      [sk.publicKey(), m, mclSign(other, m)],
    ];
    for (const [pk, msg, sig] of cases) {
      expect(verify(pk, msg, sig)).toBe(mclVerify(pk, msg, sig));
      expect(verifyBytes(pk.toBytes(), msg, sig.toBytes())).toBe(mclVerify(pk, msg, sig));
    }
    // Malformed, the identity, a flipped bit: neither accepts, neither throws.
    const identity = new Uint8Array(96);
    identity[0] = 0xc0;
    expect(verifyBytes(sk.publicKey().toBytes(), m, identity)).toBe(false);
    expect(() => Signature.fromBytes(identity)).toThrow(CryptoError);
    const flipped = good.toBytes();
    flipped[50]! ^= 1;
    expect(verifyBytes(sk.publicKey().toBytes(), m, flipped)).toBe(false);
    expect(verifyBytes(sk.publicKey().toBytes(), m, good.toBytes().slice(0, 95))).toBe(false);
  });

  it('a signature made natively takes part in threshold arithmetic', () => {
    const sk = SecretKey.random(rng);
    const m = enc('sum');
    const a = sign(sk, m);
    const sum = aggregateSignatures([a, a]);
    expect(hex(sum.toBytes())).toBe(hex(aggregateSignatures([mclSign(sk, m), mclSign(sk, m)]).toBytes()));
    expect(Signature.fromBytes(a.toBytes()).equals(a)).toBe(true);
  });
});
