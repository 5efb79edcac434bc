// Sequence and container operations behind the interpreter's fast paths: indexing, slicing,
// membership, concatenation and repetition on str, bytes, lists, tuples and dicts, with
// Python's semantics and gas charged before anything big is allocated.

import { revert } from './errors.ts';
import { PyDict } from './pydict.ts';
import { codePointsView, cpLength, hasSurrogates } from './strings.ts';
import { valueEquals } from './values.ts';
import { GAS, words, type Meter } from './gas.ts';

/** Python truthiness. (A struct is a non-empty array; a struct without fields would be falsy.) */
export function truthy(v: unknown): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'string':
      return v.length !== 0;
    case 'object':
      if (v === null) return false;
      if (Array.isArray(v) || v instanceof Uint8Array) return v.length !== 0;
      if (v instanceof PyDict) return v.size !== 0;
  }
  return revert('invalid operand');
}

/** Strings longer than this pay for the surrogate scan that code-point operations need. */
const FREE_SCAN = 64;

function scan(m: Meter, s: string): void {
  if (s.length > FREE_SCAN) m.charge(GAS.word * words(s.length));
}

export function len(m: Meter, v: unknown): number {
  if (typeof v === 'string') {
    scan(m, v);
    return cpLength(v);
  }
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length;
  if (v instanceof PyDict) return v.size;
  return revert('object has no len()');
}

/** A Python index into a sequence of length n (negative from the end); reverts when out of range. */
function seqIndex(i: unknown, n: number): number {
  let k: number;
  if (typeof i === 'number') k = i;
  else if (typeof i === 'boolean') k = i ? 1 : 0;
  else if (typeof i === 'bigint') return revert('index out of range');
  else return revert('indices must be integers');
  if (k < 0) k += n;
  if (k < 0 || k >= n) revert('index out of range');
  return k;
}

/** Gas for hashing a non-primitive dict key (bytes or tuple keys are serialized to look up). */
export function keyCost(m: Meter, k: unknown): void {
  if (typeof k !== 'object' || k === null) return;
  if (k instanceof Uint8Array) m.charge(GAS.word * words(k.length));
  else if (Array.isArray(k)) {
    m.charge(GAS.element * k.length);
    for (const x of k) keyCost(m, x);
  }
}

export function getitem(m: Meter, obj: unknown, i: unknown): unknown {
  if (Array.isArray(obj)) return obj[seqIndex(i, obj.length)];
  if (typeof obj === 'string') {
    scan(m, obj);
    if (!hasSurrogates(obj)) return obj[seqIndex(i, obj.length)];
    const cps = codePointsView(obj);
    return cps[seqIndex(i, cps.length)];
  }
  if (obj instanceof Uint8Array) return obj[seqIndex(i, obj.length)];
  if (obj instanceof PyDict) {
    keyCost(m, i);
    const v = obj.get(i);
    if (v === undefined) revert('key not found');
    return v;
  }
  return revert('object is not subscriptable');
}

export function setitem(m: Meter, obj: unknown, i: unknown, v: unknown): void {
  if (Array.isArray(obj)) {
    obj[seqIndex(i, obj.length)] = v;
    return;
  }
  if (obj instanceof PyDict) {
    keyCost(m, i);
    if (v === undefined) revert('invalid operand');
    if (!obj.has(i)) m.charge(GAS.element * 2);
    obj.set(i, v);
    return;
  }
  revert('object does not support item assignment');
}

export function delitem(m: Meter, obj: unknown, i: unknown): void {
  if (Array.isArray(obj)) {
    const k = seqIndex(i, obj.length);
    m.charge(GAS.element * Math.ceil((obj.length - k) / 32));
    obj.splice(k, 1);
    return;
  }
  if (obj instanceof PyDict) {
    keyCost(m, i);
    if (!obj.delete(i)) revert('key not found');
    return;
  }
  revert('object does not support item deletion');
}

/** Slice bounds as CPython's PySlice_AdjustIndices: [start, step, count]. */
function sliceIndices(n: number, lo: unknown, hi: unknown, st: unknown): [number, number, number] {
  const num = (v: unknown, what: string): number | null => {
    if (v === null) return null;
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v); // beyond any length: clamps below
    if (typeof v === 'boolean') return v ? 1 : 0;
    return revert(`slice ${what} must be an integer or None`);
  };
  const step = num(st, 'step') ?? 1;
  if (step === 0) revert('slice step cannot be zero');
  const adjust = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    if (v < 0) {
      v += n;
      if (v < 0) v = step < 0 ? -1 : 0;
    } else if (v >= n) v = step < 0 ? n - 1 : n;
    return v;
  };
  const start = adjust(num(lo, 'start'), step < 0 ? n - 1 : 0);
  const stop = adjust(num(hi, 'stop'), step < 0 ? -1 : n);
  let count = 0;
  if (step < 0) {
    if (stop < start) count = Math.floor((start - stop - 1) / -step) + 1;
  } else if (start < stop) count = Math.floor((stop - start - 1) / step) + 1;
  return [start, step, count];
}

export function slice(m: Meter, obj: unknown, lo: unknown, hi: unknown, st: unknown): unknown {
  if (typeof obj === 'string') {
    scan(m, obj);
    const plain = !hasSurrogates(obj);
    const cps = plain ? null : codePointsView(obj);
    const [start, step, count] = sliceIndices(plain ? obj.length : cps!.length, lo, hi, st);
    m.charge(GAS.word * words(count));
    if (plain && step === 1) return obj.slice(start, start + count);
    let out = '';
    for (let k = 0, i = start; k < count; k++, i += step) out += plain ? obj[i] : cps![i];
    return out;
  }
  if (obj instanceof Uint8Array) {
    const [start, step, count] = sliceIndices(obj.length, lo, hi, st);
    m.charge(GAS.word * words(count));
    if (step === 1) return obj.slice(start, start + count);
    const out = new Uint8Array(count);
    for (let k = 0, i = start; k < count; k++, i += step) out[k] = obj[i];
    return out;
  }
  if (Array.isArray(obj)) {
    const [start, step, count] = sliceIndices(obj.length, lo, hi, st);
    m.charge(GAS.element * count);
    if (step === 1) return obj.slice(start, start + count);
    const out = new Array(count);
    for (let k = 0, i = start; k < count; k++, i += step) out[k] = obj[i];
    return out;
  }
  return revert('object is not sliceable');
}

/** Index of a byte subsequence, or -1. */
export function bytesIndexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  if (needle.length === 0) return from <= hay.length ? from : -1;
  const last = hay.length - needle.length;
  const first = needle[0];
  outer: for (let i = from; i <= last; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export function contains(m: Meter, container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') return revert("'in <string>' requires string as left operand");
    m.charge(GAS.word * words(container.length + item.length));
    return container.includes(item);
  }
  if (container instanceof Uint8Array) {
    if (typeof item === 'number') {
      if (item < 0 || item > 255) revert('byte must be in range(0, 256)');
      return container.includes(item);
    }
    if (!(item instanceof Uint8Array)) return revert("a bytes-like object is required");
    m.charge(GAS.word * words(container.length * Math.max(1, Math.min(item.length, 8))));
    return bytesIndexOf(container, item) >= 0;
  }
  if (Array.isArray(container)) {
    m.charge(GAS.element * container.length);
    for (const x of container) if (valueEquals(x, item, m)) return true;
    return false;
  }
  if (container instanceof PyDict) {
    keyCost(m, item);
    return container.has(item);
  }
  return revert('argument is not a container');
}

export function concat(m: Meter, a: unknown, b: unknown): unknown {
  if (typeof a === 'string' && typeof b === 'string') {
    m.charge(GAS.word * words(a.length + b.length));
    return a + b;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    m.charge(GAS.word * words(a.length + b.length));
    const out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    m.charge(GAS.element * (a.length + b.length));
    return a.concat(b);
  }
  return revert('unsupported operand types for +');
}

export function repeat(m: Meter, a: unknown, n: unknown): unknown {
  let k: number;
  if (typeof n === 'number') k = n;
  else if (typeof n === 'boolean') k = n ? 1 : 0;
  else if (typeof n === 'bigint') k = n < 0n ? 0 : Infinity;
  else return revert("can't multiply sequence by non-int");
  if (k < 0) k = 0;
  if (typeof a === 'string') {
    if (a.length === 0 || k === 0) return '';
    m.charge(GAS.word * words(a.length * k));
    return a.repeat(k);
  }
  if (a instanceof Uint8Array) {
    if (a.length === 0 || k === 0) return new Uint8Array(0);
    m.charge(GAS.word * words(a.length * k));
    const out = new Uint8Array(a.length * k);
    for (let i = 0; i < k; i++) out.set(a, i * a.length);
    return out;
  }
  if (Array.isArray(a)) {
    if (a.length === 0 || k === 0) return [];
    m.charge(GAS.element * a.length * k);
    const out = new Array(a.length * k);
    for (let i = 0; i < out.length; i++) out[i] = a[i % a.length];
    return out;
  }
  return revert("can't multiply sequence by non-int");
}

export function newdict(m: Meter, regs: unknown[], code: Int32Array, at: number, n: number): PyDict {
  m.charge(GAS.element * n);
  const d = new PyDict();
  for (let i = 0; i < n; i += 2) {
    const k = regs[code[at + i]];
    keyCost(m, k);
    d.set(k, regs[code[at + i + 1]]);
  }
  return d;
}
