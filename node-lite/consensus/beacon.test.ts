import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { recoverSignature, seededRandom, sign, splitSecret, type SecretKey } from '../crypto/index.ts';
import { beaconMessageAfter, randomFromSignature, replayBeacon, verifyRandomSignature, type BeaconStep } from './beacon.ts';
import { toHex } from './bytes.ts';
import { ConsensusError } from './errors.ts';
import { slotRandom } from './group-selection.ts';
import { testKey, testRandom } from './testing.ts';

// Two groups of 5 with threshold 3, dealt from known group secrets so the test can also sign
// directly with the group key and check that the threshold signature is the unique one.
const T = 3;
const groups = [testKey(500), testKey(501)].map((secret, g) => ({
  secret,
  publicKey: secret.publicKey().toBytes(),
  shares: splitSecret(secret, T, [1, 2, 3, 4, 5], seededRandom(`beacon-group-${g}`)),
}));
const genesisRandom = testRandom('genesis');
const FAILED = new Set([3, 4, 9, 15, 16, 17]);

function thresholdSign(shares: readonly { id: number; key: SecretKey }[], message: Uint8Array): Uint8Array {
  return recoverSignature(shares.map((s) => ({ id: s.id, signature: sign(s.key, message) })), T).toBytes();
}

/** 20 slots; slot r is validated by group r mod 2 through a rotating subset of 3 members. */
function buildChain(): { steps: BeaconStep[]; randoms: Uint8Array[] } {
  const steps: BeaconStep[] = [];
  const randoms: Uint8Array[] = [];
  let lastRandom = genesisRandom;
  let lastHeight = 0;
  for (let r = 1; r <= 20; r++) {
    if (FAILED.has(r)) continue;
    const group = groups[r % 2]!;
    const signers = [0, 1, 2, 3, 4].map((i) => group.shares[(i + r) % 5]!).slice(0, T);
    const sig = thresholdSign(signers, beaconMessageAfter(lastRandom, lastHeight, r));
    steps.push({ height: r, randomSignature: sig, groupPublicKey: group.publicKey });
    lastRandom = randomFromSignature(sig);
    lastHeight = r;
    randoms.push(lastRandom);
  }
  return { steps, randoms };
}

describe('random beacon', () => {
  const chain = buildChain();

  it('is reproducible from the genesis random and the chain alone', () => {
    expect(chain.steps.length).toBe(14);
    expect(replayBeacon(genesisRandom, chain.steps).map(toHex)).toEqual(chain.randoms.map(toHex));
  });

  it('gives the unique group signature whichever members sign', () => {
    const step = chain.steps[0]!; // slot 1, group 1
    const message = beaconMessageAfter(genesisRandom, 0, 1);
    expect(toHex(step.randomSignature)).toBe(toHex(sign(groups[1]!.secret, message).toBytes()));
    expect(toHex(thresholdSign(groups[1]!.shares.slice(2), message))).toBe(toHex(step.randomSignature));
  });

  it('hashes once per failed slot: the message after failed slots uses SHA-256^(r-h)', () => {
    // Slots 3 and 4 failed: block 5 signs (5, H^3(rand_2)).
    const rand2 = chain.randoms[1]!;
    const step5 = chain.steps.find((s) => s.height === 5)!;
    expect(toHex(slotRandom(rand2, 2, 5))).toBe(toHex(sha256(sha256(sha256(rand2)))));
    expect(verifyRandomSignature(step5.groupPublicKey, rand2, 2, 5, step5.randomSignature)).toBe(true);
    expect(verifyRandomSignature(step5.groupPublicKey, rand2, 2, 4, step5.randomSignature)).toBe(false);
    expect(verifyRandomSignature(step5.groupPublicKey, chain.randoms[0]!, 2, 5, step5.randomSignature)).toBe(false);
  });

  it('rejects a chain with a wrong group key, a replaced signature or non-increasing heights', () => {
    const wrongKey = chain.steps.map((s, i) => (i === 5 ? { ...s, groupPublicKey: groups[(s.height + 1) % 2]!.publicKey } : s));
    expect(() => replayBeacon(genesisRandom, wrongKey)).toThrow(/random signature of block 8/);
    const moved = chain.steps.map((s, i) => (i === 2 ? { ...s, height: s.height + 1 } : s)); // block 5 claimed at slot 6
    expect(() => replayBeacon(genesisRandom, moved)).toThrow(ConsensusError);
    const swapped = [chain.steps[0]!, chain.steps[1]!, chain.steps[0]!];
    expect(() => replayBeacon(genesisRandom, swapped)).toThrow(/does not follow/);
    expect(() => replayBeacon(testRandom('other genesis'), chain.steps)).toThrow(/block 1 /);
  });

  it('never throws on malformed signature bytes when verifying', () => {
    expect(verifyRandomSignature(groups[0]!.publicKey, genesisRandom, 0, 1, new Uint8Array(96))).toBe(false);
    expect(verifyRandomSignature(groups[0]!.publicKey, genesisRandom, 0, 1, new Uint8Array(3))).toBe(false);
    expect(() => randomFromSignature(new Uint8Array(5))).toThrow(ConsensusError);
  });
});
