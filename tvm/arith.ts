// Integer arithmetic: the slow paths behind the interpreter's number fast paths. Exactly
// CPython's semantics (floor division and modulo towards negative infinity, arithmetic shifts,
// `~x == -x-1`) on checked 256-bit ints: a result outside -2^255 .. 2^255-1 reverts
// "integer overflow". bool operands count as 0/1, as in Python.

import { revert } from './errors.ts';
import { checkedInt, normBig, toBig } from './values.ts';
import { GAS, type Meter } from './gas.ts';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const B64 = 1n << 64n;
const B128 = 1n << 128n;
const B192 = 1n << 192n;

/** An int operand (bool as 0/1); anything else reverts. */
export function intOperand(v: unknown): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return revert('unsupported operand type: expected int');
}

function big(v: unknown): bigint {
  return toBig(intOperand(v));
}

/** 64-bit limbs of an int's magnitude (1..4 in range). */
function limbs(v: number | bigint): number {
  if (typeof v === 'number') return 1;
  const a = v < 0n ? -v : v;
  return a < B64 ? 1 : a < B128 ? 2 : a < B192 ? 3 : 4;
}

function safe(r: number): boolean {
  return r <= MAX_SAFE && r >= -MAX_SAFE;
}

export function add(a: unknown, b: unknown): number | bigint {
  const x = intOperand(a);
  const y = intOperand(b);
  if (typeof x === 'number' && typeof y === 'number' && safe(x + y)) return x + y;
  return checkedInt(toBig(x) + toBig(y));
}

export function sub(a: unknown, b: unknown): number | bigint {
  const x = intOperand(a);
  const y = intOperand(b);
  if (typeof x === 'number' && typeof y === 'number' && safe(x - y)) return x - y;
  return checkedInt(toBig(x) - toBig(y));
}

export function mul(m: Meter, a: unknown, b: unknown): number | bigint {
  const x = intOperand(a);
  const y = intOperand(b);
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x * y;
    if (safe(r)) return r === 0 ? 0 : r;
  }
  m.charge(GAS.bigLimb * limbs(x) * limbs(y));
  return checkedInt(toBig(x) * toBig(y));
}

/** Floor division and modulo of bigints (Python semantics). b !== 0. */
function floorDivMod(x: bigint, y: bigint): [bigint, bigint] {
  let q = x / y;
  let r = x % y;
  if (r !== 0n && r < 0n !== y < 0n) {
    q -= 1n;
    r += y;
  }
  return [q, r];
}

export function floordiv(m: Meter, a: unknown, b: unknown): number | bigint {
  const x = intOperand(a);
  const y = intOperand(b);
  if (y === 0) revert('division by zero');
  if (typeof x === 'number' && typeof y === 'number') {
    const r = x % y;
    let q = (x - r) / y;
    if (r !== 0 && r < 0 !== y < 0) q -= 1;
    return q === 0 ? 0 : q;
  }
  m.charge(GAS.bigLimb * limbs(x) * limbs(y));
  return checkedInt(floorDivMod(toBig(x), toBig(y))[0]);
}

export function mod(m: Meter, a: unknown, b: unknown): number | bigint {
  const x = intOperand(a);
  const y = intOperand(b);
  if (y === 0) revert('division by zero');
  if (typeof x === 'number' && typeof y === 'number') {
    let r = x % y;
    if (r !== 0 && r < 0 !== y < 0) r += y;
    return r === 0 ? 0 : r;
  }
  m.charge(GAS.bigLimb * limbs(x) * limbs(y));
  return normBig(floorDivMod(toBig(x), toBig(y))[1]);
}

export function divmod(m: Meter, a: unknown, b: unknown): [number | bigint, number | bigint] {
  return [floordiv(m, a, b), mod(m, a, b)];
}

/** Bit length of |v| (0 for 0). */
export function bitLength(v: number | bigint): number {
  if (v === 0 || v === 0n) return 0;
  if (typeof v === 'number') return Math.abs(v).toString(2).length;
  return (v < 0n ? -v : v).toString(2).length;
}

export function pow(m: Meter, a: unknown, b: unknown): number | bigint {
  const x = intOperand(a);
  const y = intOperand(b);
  if (y < 0) revert('negative exponent');
  m.charge(GAS.powBit * Math.max(1, bitLength(y)));
  if (y === 0) return 1;
  if (x === 0 || x === 1) return x;
  if (x === -1) return (typeof y === 'number' ? y % 2 === 0 : y % 2n === 0n) ? 1 : -1;
  // |x| >= 2 from here: any exponent above 255 overflows.
  if (typeof y === 'bigint' || y > 255) revert('integer overflow');
  if (typeof x === 'number') {
    let result = 1;
    let base = x;
    let e = y;
    let ok = true;
    while (ok) {
      if (e & 1) {
        result *= base;
        ok = safe(result);
      }
      e >>>= 1;
      if (e === 0) break;
      base *= base;
      ok = ok && safe(base);
    }
    if (ok) return result;
  }
  const bl = bitLength(x);
  if ((bl - 1) * y >= 256) revert('integer overflow');
  m.charge(GAS.bigLimb * Math.ceil((bl * y) / 64));
  return checkedInt(toBig(x) ** BigInt(y));
}

export function shl(a: unknown, b: unknown): number | bigint {
  const x = intOperand(a);
  const y = intOperand(b);
  if (y < 0) revert('negative shift count');
  if (x === 0) return 0;
  if (typeof y === 'bigint' || y > 256) revert('integer overflow');
  if (typeof x === 'number' && y < 53) {
    const r = x * 2 ** y;
    if (safe(r)) return r;
  }
  return checkedInt(toBig(x) << BigInt(y));
}

export function shr(a: unknown, b: unknown): number | bigint {
  const x = intOperand(a);
  const y = intOperand(b);
  if (y < 0) revert('negative shift count');
  if (typeof y === 'bigint' || y > 256) return x < 0 ? -1 : 0;
  if (typeof x === 'number') {
    if (y >= 53) return x < 0 ? -1 : 0;
    const r = Math.floor(x / 2 ** y);
    return r === 0 ? 0 : r;
  }
  return normBig(x >> BigInt(y));
}

const INT32 = (v: unknown): v is number => typeof v === 'number' && (v | 0) === v;

export function band(a: unknown, b: unknown): unknown {
  if (typeof a === 'boolean' && typeof b === 'boolean') return a && b;
  if (INT32(a) && INT32(b)) return a & b;
  return normBig(big(a) & big(b));
}

export function bor(a: unknown, b: unknown): unknown {
  if (typeof a === 'boolean' && typeof b === 'boolean') return a || b;
  if (INT32(a) && INT32(b)) return a | b;
  return normBig(big(a) | big(b));
}

export function bxor(a: unknown, b: unknown): unknown {
  if (typeof a === 'boolean' && typeof b === 'boolean') return a !== b;
  if (INT32(a) && INT32(b)) return a ^ b;
  return normBig(big(a) ^ big(b));
}

export function neg(a: unknown): number | bigint {
  const x = intOperand(a);
  if (typeof x === 'number') return x === 0 ? 0 : -x;
  return checkedInt(-x);
}

export function invert(a: unknown): number | bigint {
  const x = intOperand(a);
  if (typeof x === 'number' && safe(-x - 1)) return -x - 1;
  return checkedInt(-toBig(x) - 1n);
}

/** pow(a, b, m) as CPython: m != 0; a negative b needs a modular inverse. Result has m's sign. */
export function powmod(meter: Meter, a: unknown, b: unknown, mo: unknown): number | bigint {
  let x = big(a);
  let e = big(b);
  const m = big(mo);
  if (m === 0n) revert('pow() 3rd argument cannot be 0');
  const am = m < 0n ? -m : m;
  meter.charge(GAS.powBit * Math.max(1, bitLength(e < 0n ? -e : e)) + GAS.bigLimb * 16);
  if (e < 0n) {
    x = modInverse(x, am);
    e = -e;
  }
  if (am === 1n) return 0;
  let base = ((x % am) + am) % am;
  let r = 1n;
  while (e > 0n) {
    if (e & 1n) r = (r * base) % am;
    base = (base * base) % am;
    e >>= 1n;
  }
  // CPython: the result takes the sign of the modulus.
  if (m < 0n && r !== 0n) r += m;
  return normBig(r);
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) revert('base is not invertible for the given modulus');
  return ((oldS % m) + m) % m;
}
