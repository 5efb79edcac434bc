import { describe, expect, it } from 'vitest';
import { Rng } from '../net/rng.ts';
import { EMPTY_ROOT, getAtPath, hex, MemoryNodeStore, TrieError, trieEntries, trieGet, trieProve, trieUpdate, updateAtPaths, verifyTrieProof } from './trie.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function build(entries: [string, string][], batches = 1) {
  const store = new MemoryNodeStore();
  let root: Uint8Array = EMPTY_ROOT;
  const size = Math.ceil(entries.length / batches);
  for (let i = 0; i < entries.length; i += size) {
    const u = trieUpdate(store, root, entries.slice(i, i + size).map(([k, v]) => [enc(k), enc(v)] as const));
    store.putNodes(u.newNodes);
    root = u.root;
  }
  return { store, root };
}

describe('the Merkle state trie', () => {
  const entries: [string, string][] = Array.from({ length: 300 }, (_, i) => [`key-${i}`, `value-${i * 7}`]);

  it('reads back what was written, and nothing else', () => {
    const { store, root } = build(entries);
    for (const [k, v] of entries) expect(trieGet(store, root, enc(k))).toEqual(enc(v));
    expect(trieGet(store, root, enc('absent'))).toBeUndefined();
    expect(trieGet(store, EMPTY_ROOT, enc('key-1'))).toBeUndefined();
    expect([...trieEntries(store, root)]).toHaveLength(entries.length);
  });

  it('has one root per key set, whatever the insertion order or batching', () => {
    const a = build(entries).root;
    const b = build([...entries].reverse(), 7).root;
    const rng = new Rng('shuffle');
    const shuffled = [...entries];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    expect(hex(b)).toBe(hex(a));
    expect(hex(build(shuffled, 13).root)).toBe(hex(a));
    expect(hex(build(entries.slice(1)).root)).not.toBe(hex(a));
  });

  it('matches a Map through random inserts, updates and deletes; deleting everything gives the empty root', () => {
    const rng = new Rng('trie-model');
    const store = new MemoryNodeStore();
    const model = new Map<string, string>();
    let root: Uint8Array = EMPTY_ROOT;
    for (let step = 0; step < 60; step++) {
      const changes: [Uint8Array, Uint8Array | null][] = [];
      for (let i = 0; i < 1 + rng.nextInt(30); i++) {
        const k = `k${rng.nextInt(120)}`;
        if (rng.nextInt(3) === 0) {
          changes.push([enc(k), null]);
          model.delete(k);
        } else {
          const v = `v${rng.nextU32()}`;
          changes.push([enc(k), enc(v)]);
          model.set(k, v);
        }
      }
      const u = trieUpdate(store, root, changes);
      store.putNodes(u.newNodes);
      root = u.root;
      for (let k = 0; k < 120; k++) {
        const got = trieGet(store, root, enc(`k${k}`));
        expect(got === undefined ? undefined : new TextDecoder().decode(got)).toBe(model.get(`k${k}`));
      }
      expect(hex(root)).toBe(hex(build([...model.entries()]).root));
    }
    const u = trieUpdate(store, root, [...model.keys()].map((k) => [enc(k), null] as const));
    expect(hex(u.root)).toBe(hex(EMPTY_ROOT));
  });

  it('keeps old roots readable after later updates (reads at a past height)', () => {
    const { store, root } = build(entries);
    const u = trieUpdate(store, root, [[enc('key-1'), enc('changed')], [enc('key-2'), null]]);
    store.putNodes(u.newNodes);
    expect(trieGet(store, u.root, enc('key-1'))).toEqual(enc('changed'));
    expect(trieGet(store, u.root, enc('key-2'))).toBeUndefined();
    expect(trieGet(store, root, enc('key-1'))).toEqual(enc('value-7'));
    expect(trieGet(store, root, enc('key-2'))).toEqual(enc('value-14'));
    // Only the nodes on the changed paths are new: about log2(n) per key.
    expect(u.newNodes.size).toBeLessThan(40);
  });

  it('proves presence and absence against a root alone', () => {
    const { store, root } = build(entries);
    const p = trieProve(store, root, enc('key-5'));
    expect(verifyTrieProof(root, enc('key-5'), enc('value-35'), p)).toBe(true);
    expect(verifyTrieProof(root, enc('key-5'), enc('value-36'), p)).toBe(false);
    expect(verifyTrieProof(root, enc('key-5'), undefined, p)).toBe(false);
    const other = build(entries.slice(1)).root;
    expect(verifyTrieProof(other, enc('key-5'), enc('value-35'), p)).toBe(false);
    const tampered = p.map((n) => n.slice());
    tampered[1]![40] ^= 1;
    expect(verifyTrieProof(root, enc('key-5'), enc('value-35'), tampered)).toBe(false);
    const absent = trieProve(store, root, enc('nope'));
    expect(verifyTrieProof(root, enc('nope'), undefined, absent)).toBe(true);
    expect(verifyTrieProof(root, enc('nope'), enc('x'), absent)).toBe(false);
  });

  it('reports a missing node instead of failing obscurely', () => {
    const { root } = build(entries);
    expect(() => trieGet(new MemoryNodeStore(), root, enc('key-1'))).toThrow(TrieError);
    try {
      trieGet(new MemoryNodeStore(), root, enc('key-1'));
    } catch (e) {
      expect((e as TrieError).code).toBe('missing-node');
    }
  });

  it('handles paths that share 255 bits', () => {
    const store = new MemoryNodeStore();
    const p = (last: number) => {
      const path = new Uint8Array(32).fill(0xab);
      path[31] = last;
      return path;
    };
    const changes = [0xa0, 0xa1, 0xa3, 0x20].map((b) => ({ path: p(b), key: Uint8Array.of(b), value: Uint8Array.of(b, b) }));
    const u = updateAtPaths(store, EMPTY_ROOT, changes);
    store.putNodes(u.newNodes);
    for (const c of changes) expect(getAtPath(store, u.root, c.path)).toEqual(c.value);
    expect(getAtPath(store, u.root, p(0xa2))).toBeUndefined();
    const back = updateAtPaths(store, u.root, [{ path: p(0xa1), key: Uint8Array.of(0xa1), value: null }]);
    store.putNodes(back.newNodes);
    expect(hex(back.root)).toBe(hex(updateAtPaths(new MemoryNodeStore(), EMPTY_ROOT, changes.filter((c) => c.path[31] !== 0xa1)).root));
  });
});
