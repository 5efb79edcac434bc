// Randomness sources for key generation, dealing and nonces.
//
// Every function in this folder that needs randomness takes a `RandomSource` instead of
// reaching for a global, so the consensus simulation and the tests can run from a seed and
// reproduce a failure exactly. Production code passes `systemRandom`.

import { sha256 } from '@noble/hashes/sha2.js';

/** Returns `length` fresh random bytes. */
export type RandomSource = (length: number) => Uint8Array;

/** The platform CSPRNG (Web Crypto: present in Node 20 and in browsers, no `node:` import). */
export const systemRandom: RandomSource = (length) => {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65536 bytes per call.
  for (let off = 0; off < length; off += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(off, Math.min(length, off + 65536)));
  }
  return out;
};

/**
 * A deterministic stream from a seed: SHA-256(seed-hash ‖ counter) blocks. For tests and the
 * deterministic simulator only; it is a sound PRG for those uses but a seed that others can
 * guess gives them every key derived from it.
 */
export function seededRandom(seed: Uint8Array | string): RandomSource {
  const key = sha256(typeof seed === 'string' ? new TextEncoder().encode(seed) : seed);
  let counter = 0;
  let buf = new Uint8Array(0);
  let pos = 0;
  const input = new Uint8Array(40);
  input.set(key, 0);
  const view = new DataView(input.buffer);
  return (length) => {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (pos === buf.length) {
        view.setUint32(32, Math.floor(counter / 0x1_0000_0000));
        view.setUint32(36, counter >>> 0);
        counter++;
        buf = sha256(input);
        pos = 0;
      }
      const take = Math.min(length - filled, buf.length - pos);
      out.set(buf.subarray(pos, pos + take), filled);
      filled += take;
      pos += take;
    }
    return out;
  };
}
