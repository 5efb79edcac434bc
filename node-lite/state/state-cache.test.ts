// The layered read cache against plain trie reads, on random histories that branch, finalize
// and read at every state made, known or not: every read must give the trie's value.

import { describe, expect, it } from 'vitest';
import { Rng } from '../net/rng.ts';
import { EMPTY_ROOT, hex } from './trie.ts';
import { memoryStateTree } from './memory-tree.ts';
import { LayeredStateCache, type StateTreeLike } from './state-cache.ts';

const plainTree = (): StateTreeLike => memoryStateTree();

const key = (i: number) => new TextEncoder().encode(`k${i}`);
const value = (i: number, v: number) => new TextEncoder().encode(`v${i}:${v}`);

describe('LayeredStateCache', () => {
  it('gives the trie value for every key at every state, through branches and finalizations', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rng = new Rng(seed, 'state-cache');
      const tree = plainTree();
      const cache = new LayeredStateCache(tree, EMPTY_ROOT);
      const roots: Uint8Array[] = [EMPTY_ROOT];
      const KEYS = 40;
      for (let step = 0; step < 300; step++) {
        const roll = rng.nextInt(100);
        if (roll < 45) {
          // A block on a random known state (mostly the newest: a chain with short forks).
          const from = rng.nextInt(100) < 80 ? roots[roots.length - 1]! : roots[rng.nextInt(roots.length)]!;
          const changes: [Uint8Array, Uint8Array | null][] = [];
          for (let c = 1 + rng.nextInt(4); c > 0; c--) {
            const i = rng.nextInt(KEYS);
            changes.push([key(i), rng.nextInt(5) === 0 ? null : value(i, step)]);
          }
          roots.push(cache.update(from, changes));
        } else if (roll < 50) {
          cache.finalize(roots[Math.max(0, roots.length - 1 - rng.nextInt(6))]!);
        } else {
          const at = roots[rng.nextInt(roots.length)]!;
          const i = rng.nextInt(KEYS);
          const want = tree.get(at, key(i));
          const got = cache.get(at, key(i));
          expect(got && hex(got), `seed ${seed} step ${step}: key ${i} at ${hex(at).slice(0, 8)}`).toBe(want && hex(want));
        }
      }
      // Every key at every state, at the end.
      for (const at of roots) for (let i = 0; i < KEYS; i++) expect(cache.get(at, key(i)) && hex(cache.get(at, key(i))!)).toBe(tree.get(at, key(i)) && hex(tree.get(at, key(i))!));
      expect(cache.stats.layerHits + cache.stats.baseHits).toBeGreaterThan(0);
    }
  });

  it('serves a linear chain from its layers and base, reading the trie once per key', () => {
    const tree = plainTree();
    let reads = 0;
    const counted: StateTreeLike = { get: (r, k) => (reads++, tree.get(r, k)), update: (r, c) => tree.update(r, c) };
    const cache = new LayeredStateCache(counted, EMPTY_ROOT);
    let root = cache.update(EMPTY_ROOT, [[key(1), value(1, 0)], [key(2), value(2, 0)]]);
    cache.finalize(root);
    for (let b = 1; b <= 20; b++) root = cache.update(root, [[key(1), value(1, b)]]);
    expect(hex(cache.get(root, key(1))!)).toBe(hex(value(1, 20)));
    expect(hex(cache.get(root, key(2))!)).toBe(hex(value(2, 0)));
    expect(hex(cache.get(root, key(2))!)).toBe(hex(value(2, 0)));
    expect(cache.get(root, key(3))).toBeUndefined();
    expect(cache.get(root, key(3))).toBeUndefined();
    expect(reads).toBe(1); // key 3 once; key 2 came from the folded first layer
    cache.finalize(root);
    expect(cache.layerCount).toBe(0);
    expect(hex(cache.get(root, key(1))!)).toBe(hex(value(1, 20)));
  });
});
