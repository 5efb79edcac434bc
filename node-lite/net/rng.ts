// The simulator's pseudo-random numbers: xoshiro128** (Blackman and Vigna), 128-bit state,
// 32-bit outputs, only 32-bit integer operations (Math.imul, shifts), so the stream is
// bit-identical on every JS engine. Never Math.random: a run must be reproducible from its
// seed. Not cryptographic; key material comes from node-lite/crypto's RandomSource.
//
// The state is derived from SHA-256 of the seed and a label, so `fork(label)` gives
// independent streams: each link draws from its own, and a change in one link's traffic does
// not shift the loss and jitter draws of every other link.

import { sha256 } from '@noble/hashes/sha2.js';
import { NetworkError } from './transport.ts';

export type Seed = number | string;

export function assertSeed(seed: unknown): asserts seed is Seed {
  const okNumber = typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0;
  if (!okNumber && typeof seed !== 'string') {
    throw new NetworkError('invalid-argument', `a seed must be a non-negative safe integer or a string, got ${String(seed)}`);
  }
}

const TWO_POW_32 = 0x1_0000_0000;

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private readonly material: string;

  /** `seed` selects the run; `label` selects an independent stream within it. */
  constructor(seed: Seed, label = '') {
    assertSeed(seed);
    // Typed prefix so the number 1 and the string "1" are different seeds.
    this.material = `${typeof seed}:${String(seed)}/${label}`;
    [this.s0, this.s1, this.s2, this.s3] = stateFrom(this.material);
  }

  /** An independent stream derived from this one's seed material and `label`. */
  fork(label: string): Rng {
    const child = Object.create(Rng.prototype) as Rng;
    const material = `${this.material}|${label}`;
    const [s0, s1, s2, s3] = stateFrom(material);
    Object.assign(child, { material, s0, s1, s2, s3 });
    return child;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), n a positive safe integer below 2^32; unbiased (rejection). */
  nextInt(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new NetworkError('invalid-argument', `nextInt bound must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }

  /** True with probability p (p <= 0 never draws true, p >= 1 always). */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.nextFloat() < p;
  }
}

function stateFrom(material: string): [number, number, number, number] {
  const digest = sha256(new TextEncoder().encode(material));
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  const state: [number, number, number, number] = [view.getUint32(0), view.getUint32(4), view.getUint32(8), view.getUint32(12)];
  // The all-zero state is xoshiro's one fixed point; SHA-256 will not produce it, but be sure.
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  return state;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
