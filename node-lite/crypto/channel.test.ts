import { describe, expect, it } from 'vitest';
import {
  channelKey,
  CryptoError,
  decryptFrom,
  encryptTo,
  open,
  proveSharedSecret,
  seal,
  SecretKey,
  seededRandom,
  sharedSecret,
  verifySharedSecret,
} from './index.ts';

const rng = seededRandom('channel.test');
const enc = (s: string) => new TextEncoder().encode(s);

describe('encrypted channel (G1 ECDH + XChaCha20-Poly1305)', () => {
  const alice = SecretKey.random(rng);
  const bob = SecretKey.random(rng);
  const ad = enc('round 7 / from 1 / to 2');
  const message = enc('a 32-byte share goes here........');

  it('both sides derive the same shared secret', () => {
    expect(sharedSecret(alice, bob.publicKey())).toEqual(sharedSecret(bob, alice.publicKey()));
  });

  it('round-trips', () => {
    const sealed = encryptTo(alice, bob.publicKey(), message, ad, rng);
    expect(sealed.length).toBe(message.length + 40);
    expect(decryptFrom(bob, alice.publicKey(), sealed, ad)).toEqual(message);
  });

  it('detects tampering anywhere in the sealed bytes', () => {
    const sealed = encryptTo(alice, bob.publicKey(), message, ad, rng);
    for (const i of [0, 23, 24, 30, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[i]! ^= 0x01;
      expect(() => decryptFrom(bob, alice.publicKey(), bad, ad)).toThrow(CryptoError);
    }
    expect(() => decryptFrom(bob, alice.publicKey(), sealed.subarray(0, 39), ad)).toThrow(/shorter/);
  });

  it('rejects wrong associated data, wrong keys and the reverse direction', () => {
    const sealed = encryptTo(alice, bob.publicKey(), message, ad, rng);
    const fail = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect((e as CryptoError).code).toBe('decryption-failed');
        return;
      }
      throw new Error('decryption should have failed');
    };
    fail(() => decryptFrom(bob, alice.publicKey(), sealed, enc('round 8 / from 1 / to 2')));
    fail(() => decryptFrom(SecretKey.random(rng), alice.publicKey(), sealed, ad));
    // Keys are per direction: bob→alice key differs from alice→bob.
    const shared = sharedSecret(alice, bob.publicKey());
    fail(() => open(channelKey(shared, bob.publicKey(), alice.publicKey()), sealed, ad));
    expect(open(channelKey(shared, alice.publicKey(), bob.publicKey()), sealed, ad)).toEqual(message);
  });

  it('fresh nonces: the same message seals differently', () => {
    const key = channelKey(sharedSecret(alice, bob.publicKey()), alice.publicKey(), bob.publicKey());
    expect(seal(key, message, ad, rng)).not.toEqual(seal(key, message, ad, rng));
  });
});

describe('proof of a revealed shared secret (DLEQ)', () => {
  const owner = SecretKey.random(rng);
  const peer = SecretKey.random(rng).publicKey();

  it('verifies an honest reveal', () => {
    const { shared, proof } = proveSharedSecret(owner, peer);
    expect(shared).toEqual(sharedSecret(owner, peer));
    expect(verifySharedSecret(owner.publicKey(), peer, shared, proof)).toBe(true);
  });

  it('rejects a wrong secret, a wrong owner, a tampered or malformed proof', () => {
    const { shared, proof } = proveSharedSecret(owner, peer);
    const other = SecretKey.random(rng);
    expect(verifySharedSecret(owner.publicKey(), peer, sharedSecret(other, peer), proof)).toBe(false);
    expect(verifySharedSecret(other.publicKey(), peer, shared, proof)).toBe(false);
    const bad = proof.slice();
    bad[40]! ^= 1;
    expect(verifySharedSecret(owner.publicKey(), peer, shared, bad)).toBe(false);
    expect(verifySharedSecret(owner.publicKey(), peer, shared, proof.subarray(1))).toBe(false);
    expect(verifySharedSecret(owner.publicKey(), peer, new Uint8Array(48), proof)).toBe(false);
    // A proof made for another peer does not transfer.
    const p2 = proveSharedSecret(other, peer);
    expect(verifySharedSecret(owner.publicKey(), peer, p2.shared, p2.proof)).toBe(false);
  });
});
