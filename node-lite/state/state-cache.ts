// A read cache in front of the state trie for the states a node is working on: the tip and
// the few blocks above its last final one. Every state made by `update` from a state the cache
// knows gets a layer holding that update's changes; a read at such a state walks its layers
// down to the base, a flat map of values read at the final state, and only then reads the
// trie (once per key). When a block becomes final, `finalize` folds the layers up to it into
// the base and drops the branches that no longer descend from it.
//
// It changes costs, never results: a value comes from the changes that made the state, or,
// when no layer on the way changed the key, from the final state, whose value the trie gives.
// Roots the cache does not know are read from the trie directly. Tested against plain trie
// reads on random branching histories (state-cache.test.ts).

import { keyText } from './key-text.ts';
import { hex } from './trie.ts';

/** The state tree as the executor uses it (TvmExecutor's StateTree). */
export interface StateTreeLike {
  get(root: Uint8Array, key: Uint8Array): Uint8Array | undefined;
  update(root: Uint8Array, changes: readonly [Uint8Array, Uint8Array | null][]): Uint8Array;
}

interface Layer {
  readonly parent: Layer | null; // null: the base
  readonly changes: ReadonlyMap<string, Uint8Array | null>;
  readonly depth: number;
}

/** Layers deeper than this are not made (reads there go to the trie) until `finalize` folds some. */
const MAX_DEPTH = 512;

export class LayeredStateCache implements StateTreeLike {
  private baseRoot: string;
  /** Values at the base root, for the keys read so far (null: absent). */
  private base = new Map<string, Uint8Array | null>();
  private layers = new Map<string, Layer>();
  readonly stats = { layerHits: 0, baseHits: 0, trieReads: 0, uncached: 0 };

  constructor(
    private readonly tree: StateTreeLike,
    baseRoot: Uint8Array,
  ) {
    this.baseRoot = hex(baseRoot);
  }

  get(root: Uint8Array, key: Uint8Array): Uint8Array | undefined {
    const r = hex(root);
    const k = keyText(key);
    let layer: Layer | null | undefined;
    if (r === this.baseRoot) layer = null;
    else {
      layer = this.layers.get(r);
      if (layer === undefined) {
        this.stats.uncached++;
        return this.tree.get(root, key);
      }
    }
    for (let l = layer; l; l = l.parent) {
      if (l.changes.has(k)) {
        this.stats.layerHits++;
        return l.changes.get(k) ?? undefined;
      }
    }
    const known = this.base.get(k);
    if (known !== undefined) {
      this.stats.baseHits++;
      return known ?? undefined;
    }
    // No layer between `root` and the base changed the key: its value is the base's.
    this.stats.trieReads++;
    const v = this.tree.get(root, key);
    this.base.set(k, v ?? null);
    return v;
  }

  update(root: Uint8Array, changes: readonly [Uint8Array, Uint8Array | null][]): Uint8Array {
    const next = this.tree.update(root, changes);
    const r = hex(root);
    const parent = r === this.baseRoot ? null : this.layers.get(r);
    const n = hex(next);
    if (parent !== undefined && n !== this.baseRoot && !this.layers.has(n) && (parent?.depth ?? 0) < MAX_DEPTH) {
      const map = new Map<string, Uint8Array | null>();
      for (const [key, value] of changes) map.set(keyText(key), value);
      this.layers.set(n, { parent, changes: map, depth: (parent?.depth ?? 0) + 1 });
    }
    return next;
  }

  /**
   * `root` is final: it becomes the base (its layers folded into the base map), and every
   * layer that does not descend from it is dropped. A root the cache does not know resets it
   * to that root.
   */
  finalize(root: Uint8Array): void {
    const r = hex(root);
    if (r === this.baseRoot) return;
    const target = this.layers.get(r);
    if (!target) return this.reset(root);
    // Fold the path base → target into the base map, oldest first.
    const path: Layer[] = [];
    for (let l: Layer | null = target; l; l = l.parent) path.push(l);
    for (let i = path.length - 1; i >= 0; i--) for (const [k, v] of path[i]!.changes) this.base.set(k, v);
    // Keep the layers above the target, re-parented onto the new base; drop the rest.
    const rebuilt = new Map<string, Layer>();
    const moved = new Map<Layer, Layer | null | 'dropped'>([[target, null]]);
    const move = (l: Layer): Layer | null | 'dropped' => {
      const known = moved.get(l);
      if (known !== undefined) return known;
      // Reaching the old base without meeting the target: not a descendant of it.
      const p = l.parent ? move(l.parent) : 'dropped';
      const result = p === 'dropped' ? 'dropped' : { parent: p, changes: l.changes, depth: (p?.depth ?? 0) + 1 };
      moved.set(l, result);
      return result;
    };
    for (const [id, l] of this.layers) {
      if (l === target) continue;
      const copy = move(l);
      if (copy !== 'dropped' && copy !== null) rebuilt.set(id, copy);
    }
    this.layers = rebuilt;
    this.baseRoot = r;
  }

  /** Forgets everything; `root` becomes the (empty) base. */
  reset(root: Uint8Array): void {
    this.baseRoot = hex(root);
    this.base = new Map();
    this.layers = new Map();
  }

  get layerCount(): number {
    return this.layers.size;
  }
}
