// Memoisation of pure, costly checks: signature verification, DKG dealing checks, and the
// state transition of a block (a pure function of the block and its parent's state).
//
// A real node keeps its own Memo (a signature seen twice is checked once). A simulation of
// many nodes in one process may give them one shared Memo: every memoised function is pure,
// so sharing changes no outcome, only the wall time of a run. The tests run a scenario with
// shared and with separate memos and compare the chains to keep that claim honest.

import { sha256 } from '@noble/hashes/sha2.js';
import { verifyBytes } from '../crypto/index.ts';
import { toHex } from '../consensus/bytes.ts';

export class Memo {
  private readonly verified = new Map<string, boolean>();
  private readonly values = new Map<string, unknown>();
  /** Counters for benchmarks: how many checks were computed and how many answered from memory. */
  readonly stats = { verifyComputed: 0, verifyHits: 0, valueComputed: 0, valueHits: 0 };

  constructor(private readonly maxEntries = 500_000) {}

  /** verifyBytes, remembered by (key, message, signature). Never throws. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    const key = triple(publicKey, message, signature);
    const known = this.verified.get(key);
    if (known !== undefined) {
      this.stats.verifyHits++;
      return known;
    }
    this.stats.verifyComputed++;
    let ok: boolean;
    try {
      ok = verifyBytes(publicKey, message, signature);
    } catch {
      ok = false; // bytes that are not points cannot verify
    }
    bounded(this.verified, this.maxEntries);
    this.verified.set(key, ok);
    return ok;
  }

  /**
   * `compute()` once per key; `key` must name every input of the computation. A thrown error
   * is remembered and thrown again (an invalid block stays invalid).
   */
  value<T>(key: string, compute: () => T): T {
    let entry = this.values.get(key) as { ok: true; v: T } | { ok: false; e: unknown } | undefined;
    if (entry) this.stats.valueHits++;
    else {
      this.stats.valueComputed++;
      try {
        entry = { ok: true, v: compute() };
      } catch (e) {
        entry = { ok: false, e };
      }
      bounded(this.values, this.maxEntries);
      this.values.set(key, entry);
    }
    if (entry.ok) return entry.v;
    throw entry.e;
  }
}

function triple(a: Uint8Array, b: Uint8Array, c: Uint8Array): string {
  const h = sha256.create();
  for (const part of [a, b, c]) {
    h.update(Uint8Array.of(part.length >>> 24, part.length >>> 16, part.length >>> 8, part.length));
    h.update(part);
  }
  return toHex(h.digest());
}

/** Drops the oldest entries (Map keeps insertion order) when full. */
function bounded<V>(map: Map<string, V>, max: number): void {
  if (map.size < max) return;
  let drop = Math.max(1, Math.floor(max / 10));
  for (const key of map.keys()) {
    map.delete(key);
    if (--drop === 0) break;
  }
}
