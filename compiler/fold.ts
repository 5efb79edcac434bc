// Constant evaluation for the optimizer, with the TVM's exact semantics (docs/language.md,
// tvm/opcodes.ts): checked 256-bit ints, Python's floor division and modulo, code-point
// order for str. Every function returns null when it cannot decide the result at compile
// time, and in particular whenever the operation would revert at run time (overflow,
// division by zero, negative shift or exponent): such operations stay in the code so that
// they revert when executed, with the VM's own reason.

import type { BinKind, IRConst, UnKind } from './ir.ts';

export const INT_MIN = -(1n << 255n);
export const INT_MAX = (1n << 255n) - 1n;

/** Results longer than this (str code units / bytes) are left to run time: folding them
 *  would bloat the constant pool and skip the VM's per-byte gas and size checks. */
const MAX_FOLDED_LENGTH = 1024;

type Kind = IRConst['kind'];
type ConstOf<K extends Kind> = Extract<IRConst, { kind: K }>;

const int = (value: bigint): IRConst | null =>
  value >= INT_MIN && value <= INT_MAX ? { kind: 'int', value } : null;
const bool = (value: boolean): IRConst => ({ kind: 'bool', value });

export function isInt(c: IRConst): c is ConstOf<'int'> {
  return c.kind === 'int';
}

/** Structural equality of two constants (same kind and same value). */
export function constEquals(a: IRConst, b: IRConst): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'none':
      return true;
    case 'bytes':
      return bytesCompare(a.value, (b as ConstOf<'bytes'>).value) === 0;
    default:
      return a.value === (b as { value: unknown }).value;
  }
}

// ---- integer arithmetic -------------------------------------------------------------------

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function floorMod(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

/** a ** b with b >= 0, or null when the result leaves the int range. */
function checkedPow(a: bigint, b: bigint): IRConst | null {
  if (b === 0n) return int(1n);
  if (a === 0n || a === 1n) return int(a);
  if (a === -1n) return int(b % 2n === 0n ? 1n : -1n);
  if (b > 256n) return null; // |a| >= 2: certainly out of range
  let r = 1n;
  for (let i = 0n; i < b; i++) {
    r *= a;
    if (r > INT_MAX || r < INT_MIN) return null;
  }
  return int(r);
}

const INT_OPS: Partial<Record<BinKind, (a: bigint, b: bigint) => IRConst | null>> = {
  add: (a, b) => int(a + b),
  sub: (a, b) => int(a - b),
  mul: (a, b) => int(a * b),
  floordiv: (a, b) => (b === 0n ? null : int(floorDiv(a, b))),
  mod: (a, b) => (b === 0n ? null : int(floorMod(a, b))),
  pow: (a, b) => (b < 0n ? null : checkedPow(a, b)),
  // A shift count above 256 overflows for any a != 0; 0 << huge is left to run time too.
  shl: (a, b) => (b < 0n || b > 256n ? null : int(a << b)),
  shr: (a, b) => (b < 0n ? null : int(b >= 256n ? (a < 0n ? -1n : 0n) : a >> b)),
  band: (a, b) => int(a & b),
  bor: (a, b) => int(a | b),
  bxor: (a, b) => int(a ^ b),
};

const BOOL_OPS: Partial<Record<BinKind, (a: boolean, b: boolean) => boolean>> = {
  band: (a, b) => a && b,
  bor: (a, b) => a || b,
  bxor: (a, b) => a !== b,
};

// ---- ordering -----------------------------------------------------------------------------

/** Compare str by Unicode code points (JS `<` compares UTF-16 units, which differs for
 *  characters outside the BMP). */
function strCompare(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

function bytesCompare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Three-way comparison of two constants of the same orderable kind, else null. */
function compare(a: IRConst, b: IRConst): number | null {
  if (a.kind !== b.kind) return null;
  switch (a.kind) {
    case 'int': {
      const y = (b as ConstOf<'int'>).value;
      return a.value === y ? 0 : a.value < y ? -1 : 1;
    }
    case 'bool':
      return Number(a.value) - Number((b as ConstOf<'bool'>).value);
    case 'str':
      return strCompare(a.value, (b as ConstOf<'str'>).value);
    case 'bytes':
      return bytesCompare(a.value, (b as ConstOf<'bytes'>).value);
    case 'address': {
      // "zv" + 64 lowercase hex digits: string order is byte order.
      const y = (b as ConstOf<'address'>).value;
      return a.value === y ? 0 : a.value < y ? -1 : 1;
    }
    default:
      return null; // None is not ordered
  }
}

const COMPARISONS: Partial<Record<BinKind, (c: number) => boolean>> = {
  lt: (c) => c < 0,
  le: (c) => c <= 0,
  gt: (c) => c > 0,
  ge: (c) => c >= 0,
};

// ---- sequences ----------------------------------------------------------------------------

function concat(a: IRConst, b: IRConst): IRConst | null {
  if (a.kind === 'str' && b.kind === 'str') {
    const s = a.value + b.value;
    return s.length <= MAX_FOLDED_LENGTH ? { kind: 'str', value: s } : null;
  }
  if (a.kind === 'bytes' && b.kind === 'bytes') {
    if (a.value.length + b.value.length > MAX_FOLDED_LENGTH) return null;
    const r = new Uint8Array(a.value.length + b.value.length);
    r.set(a.value, 0);
    r.set(b.value, a.value.length);
    return { kind: 'bytes', value: r };
  }
  return null;
}

function repeat(a: IRConst, n: IRConst): IRConst | null {
  if (n.kind !== 'int' || a.kind !== 'str') return null;
  const times = n.value < 0n ? 0n : n.value;
  if (BigInt(a.value.length) * times > BigInt(MAX_FOLDED_LENGTH)) return null;
  return { kind: 'str', value: a.value.repeat(Number(times)) };
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** `item in container` for str in str (substring) and bytes in bytes. */
function contains(item: IRConst, container: IRConst): IRConst | null {
  if (item.kind === 'str' && container.kind === 'str') return bool(container.value.includes(item.value));
  if (item.kind === 'bytes' && container.kind === 'bytes')
    return bool(indexOfBytes(container.value, item.value) >= 0);
  return null;
}

// ---- public entry points ------------------------------------------------------------------

/** The result of `a <kind> b` on constants, or null (not foldable, or it would revert).
 *  `contains` is `a in b`. */
export function foldBin(kind: BinKind, a: IRConst, b: IRConst): IRConst | null {
  if (kind === 'eq' || kind === 'ne') {
    // Only same-kind operands: mixed kinds (1 == True, x == None) are left to the VM.
    if (a.kind !== b.kind) return null;
    return bool(constEquals(a, b) === (kind === 'eq'));
  }
  const cmp = COMPARISONS[kind];
  if (cmp) {
    const c = compare(a, b);
    return c === null ? null : bool(cmp(c));
  }
  if (kind === 'concat') return concat(a, b);
  if (kind === 'repeat') return repeat(a, b);
  if (kind === 'contains') return contains(a, b);
  if (a.kind === 'int' && b.kind === 'int') return INT_OPS[kind]?.(a.value, b.value) ?? null;
  if (a.kind === 'bool' && b.kind === 'bool') {
    const op = BOOL_OPS[kind];
    return op ? bool(op(a.value, b.value)) : null;
  }
  return null;
}

/** Python truthiness of a constant, or null when the VM decides (Address). */
export function truthiness(c: IRConst): boolean | null {
  switch (c.kind) {
    case 'int':
      return c.value !== 0n;
    case 'bool':
      return c.value;
    case 'str':
      return c.value.length > 0;
    case 'bytes':
      return c.value.length > 0;
    case 'none':
      return false;
    default:
      return null;
  }
}

/** The result of `<kind> a` on a constant, or null (not foldable, or it would revert). */
export function foldUn(kind: UnKind, a: IRConst): IRConst | null {
  switch (kind) {
    case 'neg':
      return a.kind === 'int' ? int(-a.value) : null;
    case 'invert':
      return a.kind === 'int' ? int(~a.value) : null;
    case 'not':
    case 'truthy': {
      const t = truthiness(a);
      return t === null ? null : bool(kind === 'not' ? !t : t);
    }
    case 'isnone':
      return bool(a.kind === 'none');
    case 'len':
      if (a.kind === 'str') return int(BigInt([...a.value].length));
      if (a.kind === 'bytes') return int(BigInt(a.value.length));
      return null;
  }
}

/** The default value of a type as a constant, for the immutable scalar types; null for
 *  containers and structs (LOADDEF makes a fresh mutable value for those). */
export function defaultConst(type: string): IRConst | null {
  switch (type) {
    case 'int':
      return { kind: 'int', value: 0n };
    case 'bool':
      return bool(false);
    case 'str':
      return { kind: 'str', value: '' };
    case 'bytes':
      return { kind: 'bytes', value: new Uint8Array(0) };
    case 'Address':
      return { kind: 'address', value: 'zv' + '0'.repeat(64) };
    case 'None':
      return { kind: 'none' };
    default:
      return type.startsWith('Optional[') ? { kind: 'none' } : null;
  }
}
