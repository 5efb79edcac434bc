// PyDict: the runtime dict. Insertion-ordered with Python's semantics (re-setting a key keeps
// its position; delete then insert moves it to the end), which a JS Map already has. Keys are
// compared by value: numbers, bigints, strings, booleans and null are Map keys themselves
// (ints are normalized, so one value has one representation); bytes and tuples are turned into
// a string that encodes their content with type tags, so equal contents give equal keys.

import { VMRevert } from './errors.ts';

interface Entry<K, V> {
  k: K;
  v: V;
}

export class PyDict<K = unknown, V = unknown> {
  private readonly m = new Map<unknown, Entry<K, V>>();

  get size(): number {
    return this.m.size;
  }

  has(k: K): boolean {
    return this.m.has(dictKey(k));
  }

  /** The value for k, or `undefined` when absent (runtime values are never undefined). */
  get(k: K): V | undefined {
    const e = this.m.get(dictKey(k));
    return e === undefined ? undefined : e.v;
  }

  set(k: K, v: V): void {
    const nk = dictKey(k);
    const e = this.m.get(nk);
    if (e !== undefined) e.v = v;
    else this.m.set(nk, { k, v });
  }

  delete(k: K): boolean {
    return this.m.delete(dictKey(k));
  }

  clear(): void {
    this.m.clear();
  }

  keys(): K[] {
    const out: K[] = [];
    for (const e of this.m.values()) out.push(e.k);
    return out;
  }

  values(): V[] {
    const out: V[] = [];
    for (const e of this.m.values()) out.push(e.v);
    return out;
  }

  entries(): [K, V][] {
    const out: [K, V][] = [];
    for (const e of this.m.values()) out.push([e.k, e.v]);
    return out;
  }

  /** Shallow copy, same order. */
  copy(): PyDict<K, V> {
    const d = new PyDict<K, V>();
    for (const [nk, e] of this.m) d.m.set(nk, { k: e.k, v: e.v });
    return d;
  }

  static fromEntries<K, V>(entries: Iterable<[K, V]>): PyDict<K, V> {
    const d = new PyDict<K, V>();
    for (const [k, v] of entries) d.set(k, v);
    return d;
  }
}

/** The Map key of a dict key. */
export function dictKey(k: unknown): unknown {
  if (typeof k !== 'object' || k === null) return k;
  return '\u0000' + keyText(k, 0);
}

function keyText(k: unknown, depth: number): string {
  switch (typeof k) {
    case 'number':
    case 'bigint':
      return 'i' + String(k) + ';';
    case 'string':
      return 's' + k.length + ':' + k;
    case 'boolean':
      return k ? 'T' : 'F';
    case 'object':
      if (k === null) return 'N';
      if (k instanceof Uint8Array) return 'b' + k.length + ':' + latin1(k);
      if (Array.isArray(k) && depth < 32) {
        let s = '(';
        for (let i = 0; i < k.length; i++) s += keyText(k[i], depth + 1);
        return s + ')';
      }
  }
  throw new VMRevert('unhashable dict key');
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}
