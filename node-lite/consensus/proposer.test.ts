import { describe, expect, it } from 'vitest';
import { ConsensusError } from './errors.ts';
import { Prg } from './group-selection.ts';
import { PRIORITY_SCALE, checkProposer, compareProposals, proposalPriority, proveProposer } from './proposer.ts';
import { testKey, testPublicKey, testRandom } from './testing.ts';

const ZERO = new Uint8Array(32);
const MAX = new Uint8Array(32).fill(0xff);

describe('proposer priority', () => {
  it('is SCALE for output 0, 1 just under the threshold, null at or above it', () => {
    expect(proposalPriority(ZERO, 1n, 4n, 1)).toBe(PRIORITY_SCALE);
    const quarter = new Uint8Array(32);
    quarter[0] = 0x40; // v = 1/4 exactly: p = 1/4 does not qualify (strict)
    expect(proposalPriority(quarter, 1n, 4n, 1)).toBeNull();
    const below = new Uint8Array(32).fill(0xff);
    below[0] = 0x3f; // v just under 1/4
    expect(proposalPriority(below, 1n, 4n, 1)).toBe(1);
    expect(proposalPriority(MAX, 4n, 4n, 1)).toBe(1); // p = 1: everyone qualifies
    const half = new Uint8Array(32);
    half[0] = 0x80;
    expect(proposalPriority(half, 4n, 4n, 1)).toBe(1 + Math.floor((PRIORITY_SCALE - 1) / 2));
  });

  it('makes eligibility proportional to stake and priority independent of it (seeded draws)', () => {
    const stakes = [1n, 2n, 3n, 4n];
    const total = 10n;
    const draws = 4000;
    const prg = new Prg(testRandom('proposer-stats'), 'test');
    const counts = [0, 0, 0, 0];
    const prioritySums = [0, 0, 0, 0];
    for (let i = 0; i < draws; i++) {
      stakes.forEach((stake, m) => {
        const g = proposalPriority(prg.nextBytes(32), stake, total, 1);
        if (g !== null) {
          counts[m]!++;
          prioritySums[m]! += g;
        }
      });
    }
    stakes.forEach((stake, m) => {
      const expected = (draws * Number(stake)) / Number(total);
      expect(Math.abs(counts[m]! - expected) / expected).toBeLessThan(0.12);
      const mean = prioritySums[m]! / counts[m]!;
      expect(Math.abs(mean - PRIORITY_SCALE / 2) / PRIORITY_SCALE).toBeLessThan(0.06);
    });
  });

  it('orders candidates by priority, then VRF output, then proposal hash', () => {
    const a = { priority: 10, vrfOutput: Uint8Array.of(5), proposalHash: Uint8Array.of(1) };
    const b = { priority: 9, vrfOutput: Uint8Array.of(1), proposalHash: Uint8Array.of(1) };
    const c = { priority: 10, vrfOutput: Uint8Array.of(4), proposalHash: Uint8Array.of(9) };
    const d = { ...c, proposalHash: Uint8Array.of(2) };
    expect([a, b, c, d].sort(compareProposals)).toEqual([d, c, a, b]);
    expect([b, d, a, c].sort(compareProposals)).toEqual([d, c, a, b]);
  });
});

describe('proposer eligibility by VRF', () => {
  const sk = testKey(1);
  const publicKey = testPublicKey(1);
  const slotRand = testRandom('slot-7');

  it('accepts a valid claim and returns its priority', () => {
    const { output, proof } = proveProposer(sk, 7, slotRand);
    const g = checkProposer({ publicKey, stake: 10n, vrfProof: proof }, 7, slotRand, 10n, 1);
    expect(g).toBe(proposalPriority(output, 10n, 10n, 1));
  });

  it('rejects another slot, another key, a malformed proof and an ineligible stake', () => {
    const { output, proof } = proveProposer(sk, 7, slotRand);
    const fails = (f: () => unknown, re: RegExp): void => {
      expect(f).toThrow(ConsensusError);
      expect(f).toThrow(re);
    };
    fails(() => checkProposer({ publicKey, stake: 10n, vrfProof: proof }, 8, slotRand, 10n, 1), /does not verify/);
    fails(() => checkProposer({ publicKey: testPublicKey(2), stake: 10n, vrfProof: proof }, 7, slotRand, 10n, 1), /does not verify/);
    fails(() => checkProposer({ publicKey, stake: 10n, vrfProof: new Uint8Array(96) }, 7, slotRand, 10n, 1), /does not verify/);
    fails(() => checkProposer({ publicKey, stake: 10n, vrfProof: proof.subarray(1) }, 7, slotRand, 10n, 1), /96 bytes/);
    fails(() => checkProposer({ publicKey: new Uint8Array(48), stake: 10n, vrfProof: proof }, 7, slotRand, 10n, 1), /public key/);
    // A stake so small that the output cannot qualify: v >= 1/2^200 unless the output is near 0.
    expect(output.some((b, i) => i < 6 && b !== 0)).toBe(true);
    fails(() => checkProposer({ publicKey, stake: 1n, vrfProof: proof }, 7, slotRand, 1n << 200n, 1), /does not qualify/);
  });
});
