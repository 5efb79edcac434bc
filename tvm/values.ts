// Runtime values and their canonical encoding.
//
// Representation (what registers hold):
//   int      JS number when Number.isSafeInteger, else bigint. Always normalized: a bigint in
//            the safe range is never stored, so `===` compares ints. Range -2^255 .. 2^255-1.
//   bool     boolean              str    JS string (Python length/indexing in code points)
//   bytes    Uint8Array (never mutated in place: Python bytes are immutable)
//   Address  "zv" + 64 lowercase hex digits       None   null
//   list     JS array             tuple, struct   JS array (fields in declaration order)
//   dict     PyDict (tvm/pydict.ts)
//
// Canonical encoding (storage, events, cross-contract calls):
//   int      1 length byte n (0..32) + n bytes big-endian two's complement, minimal (0 is n = 0)
//   bool     1 byte, 0 or 1       str/bytes  LEB128 length + bytes (UTF-8 for str)
//   Address  32 raw bytes         None       nothing
//   list     LEB128 count + items tuple/struct  items in order
//   dict     LEB128 count + key, value pairs in insertion order
//   Optional 0x00 | 0x01 + value
// Decoding is strict: exactly one byte string decodes to a given value.

import { TvmDecodeError, TvmValueError, VMRevert } from './errors.ts';
import { PyDict } from './pydict.ts';
import {
  bytesEqual,
  bytesToHex,
  codePoints,
  copyBytes,
  compareBytes,
  compareStr,
  cpLength,
  hasSurrogates,
  hexToBytes,
  utf8Decode,
  utf8Encode,
} from './strings.ts';
import { parseType, structShortName, typeToString, type TypeDesc } from './types.ts';
import { GAS, words, type Meter } from './gas.ts';

export { PyDict } from './pydict.ts';

// ---------------------------------------------------------------------------------------------
// ints

export const INT_MIN = -(1n << 255n);
export const INT_MAX = (1n << 255n) - 1n;
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** A bigint as a runtime int (number when safe). No range check. */
export function normBig(b: bigint): number | bigint {
  return b >= SAFE_MIN && b <= SAFE_MAX ? Number(b) : b;
}

/** A bigint as a runtime int, reverting "integer overflow" outside the 256-bit range. */
export function checkedInt(b: bigint): number | bigint {
  if (b >= SAFE_MIN && b <= SAFE_MAX) return Number(b);
  if (b < INT_MIN || b > INT_MAX) throw new VMRevert('integer overflow');
  return b;
}

/** True for a normalized runtime int. */
export function isInt(v: unknown): v is number | bigint {
  if (typeof v === 'number') return Number.isSafeInteger(v);
  return typeof v === 'bigint' && (v < SAFE_MIN || v > SAFE_MAX) && v >= INT_MIN && v <= INT_MAX;
}

export function toBig(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

/** An empty array for objects. `[]` starts out as an array of small ints in V8 and changes
 *  its internal kind on the first object pushed, which throws away (deoptimizes) compiled code
 *  that handled the arrays made before; this one has the general kind from the start. */
export function objectArray<T>(): T[] {
  const a: unknown[] = [null];
  a.pop();
  return a as T[];
}

// ---------------------------------------------------------------------------------------------
// addresses
//
// Checking an address (66 characters) and converting it to or from its 32 bytes costs far more
// than a Map lookup, and contracts use the same few addresses over and over. So valid addresses
// are memoized with their bytes. The memos are bounded and only ever answer what the slow path
// would compute, so no result depends on them.

const ADDRESS_MEMO_MAX = 4096;
/** Valid addresses seen lately -> their 32 bytes. The arrays never leave this module uncopied. */
const addressMemo = new Map<string, Uint8Array>();

function rememberAddress(a: string, bytes: Uint8Array): void {
  if (addressMemo.size >= ADDRESS_MEMO_MAX) addressMemo.clear();
  addressMemo.set(a, bytes);
}

/** The value of a lowercase hex digit by char code, or -1. */
function lowerHexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** The 32 bytes of an address string, or undefined when it is not "zv" + 64 lowercase hex
 *  digits. The result belongs to the memo: read or copy it, never mutate it. */
function addressBytesOf(v: string): Uint8Array | undefined {
  const known = addressMemo.get(v);
  if (known !== undefined) return known;
  if (v.length !== 66 || v.charCodeAt(0) !== 0x7a || v.charCodeAt(1) !== 0x76) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const hi = lowerHexDigit(v.charCodeAt(2 + 2 * i));
    const lo = lowerHexDigit(v.charCodeAt(3 + 2 * i));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  rememberAddress(v, out);
  return out;
}

export function isAddress(v: unknown): v is string {
  return typeof v === 'string' && v.length === 66 && addressBytesOf(v) !== undefined;
}

export function addressToBytes(a: string): Uint8Array {
  const b = addressBytesOf(a);
  return b !== undefined ? b.slice() : hexToBytes(a.slice(2))!;
}

export function addressFromBytes(b: Uint8Array): string {
  return b.length === 32 ? addressAt(b, 0) : 'zv' + bytesToHex(b);
}

/** Address strings built lately, direct-mapped by a hash of their bytes (decoding the same
 *  addresses again, e.g. event fields and stored owners, gives back the same strings). */
const FROM_BYTES_SLOTS = 1024;
const fromBytesKeys: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(FROM_BYTES_SLOTS).fill(undefined);
const fromBytesStrs: string[] = new Array<string>(FROM_BYTES_SLOTS).fill('');

/** The address whose 32 bytes start at buf[at]. */
function addressAt(buf: Uint8Array, at: number): string {
  const slot = (buf[at] ^ (buf[at + 11] << 1) ^ (buf[at + 22] << 2) ^ buf[at + 31]) & (FROM_BYTES_SLOTS - 1);
  const known = fromBytesKeys[slot];
  if (known !== undefined) {
    let i = 0;
    while (i < 32 && known[i] === buf[at + i]) i++;
    if (i === 32) return fromBytesStrs[slot];
  }
  const bytes = buf.slice(at, at + 32);
  const s = 'zv' + bytesToHex(bytes);
  fromBytesKeys[slot] = bytes;
  fromBytesStrs[slot] = s;
  rememberAddress(s, bytes);
  return s;
}

// ---------------------------------------------------------------------------------------------
// byte writer / reader

/** Buffers of finished writers, reused by later ones: most encodings are a few bytes long and
 *  allocating a buffer for each would cost more than the encoding. */
const spareBuffers: Uint8Array[] = [];
const SPARE_MAX = 16;
const SPARE_SIZE_MAX = 4096;
const NO_BUFFER = new Uint8Array(0);

/** A growable byte buffer. `limit` bounds its size (the VM derives it from the gas left).
 *  finish() returns the bytes and resets the writer. */
export class ByteWriter {
  // Fields are `declare`d and assigned in the constructor: plain stores, cheaper than class-field
  // definitions for an object made for every storage access.
  declare buf: Uint8Array;
  declare len: number;
  declare limit: number;
  constructor(limit = Infinity) {
    this.buf = spareBuffers.pop() ?? new Uint8Array(256);
    this.len = 0;
    this.limit = limit;
  }

  /** Empties the writer for another use with a new limit (a scratch writer: the bytes stay in
   *  `buf[0, len)` and are never handed out by finish()). An outsized buffer is dropped, so a
   *  scratch writer does not keep a large value alive. */
  reset(limit: number): void {
    this.len = 0;
    this.limit = limit;
    if (this.buf.length > SPARE_SIZE_MAX) this.buf = new Uint8Array(256);
  }

  /** Makes room for n more bytes; past the limit, out of gas. */
  private room(n: number): void {
    const need = this.len + n;
    if (need > this.limit) throw new VMRevert('out of gas', true);
    if (need > this.buf.length) this.grow(need);
  }

  private grow(need: number): void {
    let cap = Math.max(64, this.buf.length * 2);
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    const buf = this.buf;
    const at = this.len;
    if (n <= 4) for (let i = 0; i < n; i++) buf[at + i] = b[i];
    else buf.set(b, at);
    this.len = at + n;
  }

  /** The byte n, then src[n-1] down to src[0] (a length-prefixed big-endian int). */
  lengthAndReversed(src: Uint8Array, n: number): void {
    this.room(n + 1);
    const buf = this.buf;
    let at = this.len;
    buf[at++] = n;
    for (let i = n - 1; i >= 0; i--) buf[at++] = src[i];
    this.len = at;
  }

  /** The char codes of a string of bytes (each below 256), e.g. bytes kept as text. */
  latin1(t: string): void {
    const n = t.length;
    this.room(n);
    const buf = this.buf;
    const at = this.len;
    for (let i = 0; i < n; i++) buf[at + i] = t.charCodeAt(i);
    this.len = at + n;
  }

  /** Unsigned LEB128. */
  leb(n: number): void {
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  finish(): Uint8Array {
    const buf = this.buf;
    const n = this.len;
    const out = copyBytes(buf, 0, n);
    this.buf = NO_BUFFER;
    this.len = 0;
    if (buf.length > 0 && buf.length <= SPARE_SIZE_MAX && spareBuffers.length < SPARE_MAX) spareBuffers.push(buf);
    return out;
  }
}

/** Maximum value of a LEB128 length or count accepted by any decoder (7 bytes). */
export const MAX_LEB = 2 ** 49 - 1;

/** A cursor over bytes with strict, bounds-checked reads. `fail` makes the error type. */
export class ByteReader {
  declare pos: number;
  declare readonly buf: Uint8Array;
  declare readonly fail: (msg: string, at: number) => never;
  declare readonly end: number;
  constructor(buf: Uint8Array, fail: (msg: string, at: number) => never, end = buf.length) {
    this.pos = 0;
    this.buf = buf;
    this.fail = fail;
    this.end = end;
  }

  get left(): number {
    return this.end - this.pos;
  }

  byte(): number {
    if (this.pos >= this.end) this.fail('unexpected end of data', this.pos);
    return this.buf[this.pos++];
  }

  take(n: number): Uint8Array {
    const at = this.skip(n);
    return this.buf.subarray(at, at + n);
  }

  /** Moves past n bytes and returns where they start in `buf` (take() without the view). */
  skip(n: number): number {
    const at = this.pos;
    if (n > this.end - at) this.fail(`need ${n} bytes, only ${this.end - at} left`, at);
    this.pos = at + n;
    return at;
  }

  /** Unsigned LEB128, minimal, at most 7 bytes. */
  leb(): number {
    const start = this.pos;
    let n = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      if (i >= 7) this.fail('varint too long', start);
      const b = this.byte();
      n += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) this.fail('non-minimal varint', start);
        return n;
      }
    }
  }

  /** A count of items that each take at least `minSize` bytes: bounded by the bytes left. */
  count(minSize: number, what: string): number {
    const at = this.pos;
    const n = this.leb();
    if (minSize > 0 ? n * minSize > this.left : n > MAX_ZERO_SIZE_ITEMS) {
      this.fail(`${what} count ${n} exceeds the remaining data`, at);
    }
    return n;
  }
}

/** Lists of values that encode to zero bytes (None, tuple[]) are capped at this many items. */
export const MAX_ZERO_SIZE_ITEMS = 1 << 20;

// ---------------------------------------------------------------------------------------------
// canonical encoding

type T = TypeDesc;

function asType(t: TypeDesc | string): TypeDesc {
  return typeof t === 'string' ? parseType(t) : t;
}

function mismatch(t: T, v: unknown): never {
  throw new TvmValueError(`expected ${typeToString(t)}, got ${describe(v)}`);
}

/** A short description of a runtime value's kind (for error messages). */
export function describe(v: unknown): string {
  if (v === null) return 'None';
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? `int ${v}` : `non-integer number ${v}`;
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return `array of ${v.length}`;
  if (v instanceof PyDict) return 'dict';
  return typeof v;
}

/** Encodes a value canonically. Throws TvmValueError when the value does not fit the type. */
export function encodeValue(t: TypeDesc | string, v: unknown, meter?: Meter | null, limit?: number): Uint8Array {
  const w = new ByteWriter(limit);
  encodeInto(w, asType(t), v, meter ?? null);
  return w.finish();
}

export function encodeInto(w: ByteWriter, t: T, v: unknown, m: Meter | null): void {
  switch (t.kind) {
    case 'int':
      if (!isInt(v)) mismatch(t, v);
      return encodeInt(w, v);
    case 'bool':
      if (typeof v !== 'boolean') mismatch(t, v);
      return w.byte(v ? 1 : 0);
    case 'str': {
      if (typeof v !== 'string') mismatch(t, v);
      if (m) m.charge(GAS.word * words(v.length * 3));
      const b = utf8Encode(v);
      w.leb(b.length);
      return w.bytes(b);
    }
    case 'bytes':
      if (!(v instanceof Uint8Array)) mismatch(t, v);
      if (m) m.charge(GAS.word * words(v.length));
      w.leb(v.length);
      return w.bytes(v);
    case 'Address': {
      const b = typeof v === 'string' && v.length === 66 ? addressBytesOf(v) : undefined;
      if (b === undefined) return mismatch(t, v);
      return w.bytes(b);
    }
    case 'None':
      if (v !== null) mismatch(t, v);
      return;
    case 'Optional':
      if (v === null) return w.byte(0);
      w.byte(1);
      return encodeInto(w, t.inner, v, m);
    case 'list':
      if (!Array.isArray(v)) mismatch(t, v);
      if (m) m.charge(GAS.element * v.length);
      w.leb(v.length);
      for (let i = 0; i < v.length; i++) encodeInto(w, t.elem, v[i], m);
      return;
    case 'tuple':
      if (!Array.isArray(v) || v.length !== t.items.length) mismatch(t, v);
      if (m) m.charge(GAS.element * v.length);
      for (let i = 0; i < v.length; i++) encodeInto(w, t.items[i], v[i], m);
      return;
    case 'struct':
      if (!Array.isArray(v) || v.length !== t.fields.length) mismatch(t, v);
      if (m) m.charge(GAS.element * v.length);
      for (let i = 0; i < v.length; i++) encodeInto(w, t.fields[i].type, v[i], m);
      return;
    case 'dict': {
      if (!(v instanceof PyDict)) mismatch(t, v);
      if (m) m.charge(GAS.element * 2 * v.size);
      w.leb(v.size);
      for (const [k, x] of v.entries()) {
        encodeInto(w, t.key, k, m);
        encodeInto(w, t.value, x, m);
      }
      return;
    }
  }
}

/** Little-endian bytes of a number being encoded (a safe integer needs at most 7). */
const intScratch = new Uint8Array(8);

/** encodeInto for an int already checked (isInt). */
export function encodeInt(w: ByteWriter, v: number | bigint): void {
  if (v === 0 || v === 0n) return w.byte(0);
  if (typeof v === 'bigint') return encodeBigInt(w, v);
  let n = 0;
  if (v >= -0x80000000 && v <= 0x7fffffff) {
    // 32-bit: `& 255` is the low byte and `>> 8` floors, exactly as below.
    let x = v | 0;
    for (;;) {
      const b = x & 255;
      intScratch[n++] = b;
      x >>= 8;
      if ((x === 0 && b < 0x80) || (x === -1 && b >= 0x80)) break;
    }
  } else {
    let x = v;
    for (;;) {
      const b = ((x % 256) + 256) % 256;
      intScratch[n++] = b;
      x = Math.floor(x / 256);
      if ((x === 0 && b < 0x80) || (x === -1 && b >= 0x80)) break;
    }
  }
  w.lengthAndReversed(intScratch, n);
}

function encodeBigInt(w: ByteWriter, v: bigint): void {
  const out: number[] = [];
  let x = v;
  for (;;) {
    const b = Number(x & 0xffn);
    out.push(b);
    x >>= 8n;
    if ((x === 0n && b < 0x80) || (x === -1n && b >= 0x80)) break;
  }
  w.byte(out.length);
  for (let i = out.length - 1; i >= 0; i--) w.byte(out[i]);
}

function decodeFail(msg: string, at: number): never {
  throw new TvmDecodeError(`${msg} at byte ${at}`);
}

/** Decodes a canonical encoding; throws TvmDecodeError for anything else (incl. trailing bytes). */
export function decodeValue(t: TypeDesc | string, bytes: Uint8Array, meter?: Meter | null): unknown {
  return decodePrefix(asType(t), bytes, bytes.length, meter ?? null);
}

/** decodeValue of the encoding held in `buf[0, len)` (e.g. a scratch buffer: the value never
 *  shares memory with `buf`). */
export function decodePrefix(t: TypeDesc, buf: Uint8Array, len: number, meter: Meter | null): unknown {
  if (meter) meter.charge(GAS.word * words(len));
  if (t.kind === 'int') {
    const v = smallInt(buf, len);
    if (v !== null) return v;
  }
  return decodeWhole(t, buf, len, meter);
}

/** The general decoder of decodePrefix, apart so that the small-int path stays small (V8
 *  inlines it into the VM's storage loads and compiles those sooner). */
function decodeWhole(t: TypeDesc, buf: Uint8Array, len: number, meter: Meter | null): unknown {
  const r = new ByteReader(buf, decodeFail, len);
  const v = decodeFrom(r, t, meter);
  if (r.pos !== len) decodeFail(`${len - r.pos} trailing bytes`, r.pos);
  return v;
}

/** The int of a whole canonical encoding (`bytes[0, len)`) of at most 6 value bytes, decoded in
 *  place (most storage values are such ints); null for anything else, which the general decoder
 *  handles. */
function smallInt(bytes: Uint8Array, len: number): number | null {
  const n = len - 1;
  if (n < 0 || n > 6 || bytes[0] !== n) return null;
  if (n === 0) return 0;
  const b0 = bytes[1];
  if (n === 1 ? b0 === 0 : (b0 === 0 && bytes[2] < 0x80) || (b0 === 0xff && bytes[2] >= 0x80)) return null;
  let v = 0;
  for (let i = 1; i <= n; i++) v = v * 256 + bytes[i];
  if (b0 >= 0x80) v -= 2 ** (8 * n);
  return v;
}

/** Smallest number of bytes any value of the type encodes to. */
export function minEncodedSize(t: T): number {
  switch (t.kind) {
    case 'None':
      return 0;
    case 'Address':
      return 32;
    case 'tuple':
      return t.items.reduce((n, i) => n + minEncodedSize(i), 0);
    case 'struct':
      return t.fields.reduce((n, f) => n + minEncodedSize(f.type), 0);
    default:
      return 1;
  }
}

export function decodeFrom(r: ByteReader, t: T, m: Meter | null): unknown {
  switch (t.kind) {
    case 'int':
      return decodeInt(r);
    case 'bool': {
      const at = r.pos;
      const b = r.byte();
      if (b > 1) r.fail(`bool byte must be 0 or 1, got ${b}`, at);
      return b === 1;
    }
    case 'str': {
      const at = r.pos;
      const n = r.leb();
      const p = r.skip(n);
      const s = asciiAt(r.buf, p, n) ?? utf8Decode(r.buf.subarray(p, p + n));
      if (s === null) r.fail('invalid UTF-8 in str', at);
      return s;
    }
    case 'bytes': {
      const n = r.leb();
      const p = r.skip(n);
      return copyBytes(r.buf, p, p + n);
    }
    case 'Address':
      return addressAt(r.buf, r.skip(32));
    case 'None':
      return null;
    case 'Optional': {
      const at = r.pos;
      const tag = r.byte();
      if (tag === 0) return null;
      if (tag !== 1) r.fail(`Optional tag must be 0 or 1, got ${tag}`, at);
      return decodeFrom(r, t.inner, m);
    }
    case 'list': {
      const n = r.count(minEncodedSize(t.elem), 'list');
      if (m) m.charge(GAS.element * n);
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = decodeFrom(r, t.elem, m);
      return out;
    }
    case 'tuple': {
      const out: unknown[] = [];
      for (let i = 0; i < t.items.length; i++) out.push(decodeFrom(r, t.items[i], m));
      return out;
    }
    case 'struct': {
      const out: unknown[] = [];
      for (let i = 0; i < t.fields.length; i++) out.push(decodeFrom(r, t.fields[i].type, m));
      return out;
    }
    case 'dict': {
      const n = r.count(minEncodedSize(t.key) + minEncodedSize(t.value), 'dict');
      if (m) m.charge(GAS.element * 2 * n);
      const d = new PyDict();
      for (let i = 0; i < n; i++) {
        const at = r.pos;
        const k = decodeFrom(r, t.key, m);
        if (d.has(k)) r.fail('duplicate dict key', at);
        d.set(k, decodeFrom(r, t.value, m));
      }
      return d;
    }
  }
}

/** buf[at, at + n) as a string when it is short and all ASCII (where UTF-8 decoding is the
 *  identity), else null. Saves the TextDecoder call for the common short keys and names. */
function asciiAt(buf: Uint8Array, at: number, n: number): string | null {
  if (n > 64) return null;
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = buf[at + i];
    if (c >= 0x80) return null;
    s += String.fromCharCode(c);
  }
  return s;
}

function decodeInt(r: ByteReader): number | bigint {
  const at = r.pos;
  const n = r.byte();
  if (n === 0) return 0;
  if (n > 32) r.fail(`int length ${n} exceeds 32 bytes`, at);
  const p = r.skip(n);
  const buf = r.buf;
  const b0 = buf[p];
  if (n === 1 && b0 === 0) r.fail('non-minimal int (zero must have length 0)', at);
  if (n >= 2 && ((b0 === 0 && buf[p + 1] < 0x80) || (b0 === 0xff && buf[p + 1] >= 0x80))) {
    r.fail('non-minimal int encoding', at);
  }
  if (n <= 6) {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + buf[p + i];
    if (b0 >= 0x80) v -= 2 ** (8 * n);
    return v;
  }
  const b = buf.subarray(p, p + n);
  let v = BigInt('0x' + bytesToHex(b));
  if (b[0] >= 0x80) v -= 1n << BigInt(8 * n);
  return normBig(v);
}

// ---------------------------------------------------------------------------------------------
// equality and ordering (Python semantics)

const MAX_VALUE_DEPTH = 64;

function tooDeep(): never {
  throw new VMRevert('value nesting too deep');
}

/** Python `==` on runtime values (deep; dicts compare regardless of order). */
export function valueEquals(a: unknown, b: unknown, m?: Meter | null, depth = 0): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // True == 1 in Python; ints are normalized, so other cross-kind pairs are unequal.
    if (ta === 'boolean' && typeof b === 'number') return Number(a) === b;
    if (ta === 'number' && typeof b === 'boolean') return a === Number(b);
    if (ta === 'string' && typeof b === 'string' && m) m.charge(GAS.word * words(Math.min((a as string).length, (b as string).length)));
    return false;
  }
  if (depth > MAX_VALUE_DEPTH) tooDeep();
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array)) return false;
    if (m) m.charge(GAS.word * words(a.length));
    return bytesEqual(a, b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    if (m) m.charge(GAS.element * a.length);
    for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], b[i], m, depth + 1)) return false;
    return true;
  }
  if (a instanceof PyDict) {
    if (!(b instanceof PyDict) || a.size !== b.size) return false;
    if (m) m.charge(GAS.element * 2 * a.size);
    for (const [k, v] of a.entries()) {
      const w = b.get(k);
      if (w === undefined || !valueEquals(v, w, m, depth + 1)) return false;
    }
    return true;
  }
  return false;
}

function unorderable(a: unknown, b: unknown): never {
  throw new VMRevert(`'<' not supported between ${describe(a)} and ${describe(b)}`);
}

/** Python ordering: -1, 0 or 1. Ints (and bools), str by code point, bytes, lists/tuples
 *  lexicographically. None and dicts are unorderable (revert, as Python raises TypeError). */
export function compareValues(a: unknown, b: unknown, m?: Meter | null, depth = 0): number {
  let ta = typeof a;
  let tb = typeof b;
  if (ta === 'boolean') {
    a = Number(a);
    ta = 'number';
  }
  if (tb === 'boolean') {
    b = Number(b);
    tb = 'number';
  }
  if ((ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint')) {
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  if (ta === 'string' && tb === 'string') {
    if (m) m.charge(GAS.word * words(Math.min((a as string).length, (b as string).length)));
    return compareStr(a as string, b as string);
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (m) m.charge(GAS.word * words(Math.min(a.length, b.length)));
    return compareBytes(a, b);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (depth > MAX_VALUE_DEPTH) tooDeep();
    const n = Math.min(a.length, b.length);
    if (m) m.charge(GAS.element * (n + 1));
    for (let i = 0; i < n; i++) {
      if (valueEquals(a[i], b[i], m, depth + 1)) continue;
      return compareValues(a[i], b[i], m, depth + 1);
    }
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }
  return unorderable(a, b);
}

// ---------------------------------------------------------------------------------------------
// checking, importing and copying values

/** A value of the type built from a caller's JS value: JS numbers and bigints become normalized
 *  ints, containers are copied (so the VM never mutates the caller's objects). Throws
 *  TvmValueError when the value does not fit. */
export function importValue(t: TypeDesc | string, v: unknown): unknown {
  return importInner(asType(t), v);
}

function importInner(t: T, v: unknown): unknown {
  switch (t.kind) {
    case 'int': {
      if (typeof v === 'bigint') {
        if (v < INT_MIN || v > INT_MAX) throw new TvmValueError(`int out of the 256-bit range`);
        return normBig(v);
      }
      if (typeof v === 'number' && Number.isSafeInteger(v)) return v === 0 ? 0 : v;
      return mismatch(t, v);
    }
    case 'bool':
      if (typeof v !== 'boolean') mismatch(t, v);
      return v;
    case 'str':
      if (typeof v !== 'string') mismatch(t, v);
      return v;
    case 'bytes':
      if (!(v instanceof Uint8Array)) mismatch(t, v);
      return v.slice();
    case 'Address':
      if (!isAddress(v)) mismatch(t, v);
      return v;
    case 'None':
      if (v !== null && v !== undefined) mismatch(t, v);
      return null;
    case 'Optional':
      return v === null || v === undefined ? null : importInner(t.inner, v);
    case 'list':
      if (!Array.isArray(v)) mismatch(t, v);
      return v.map((x) => importInner(t.elem, x));
    case 'tuple':
      if (!Array.isArray(v) || v.length !== t.items.length) mismatch(t, v);
      return v.map((x, i) => importInner(t.items[i], x));
    case 'struct':
      if (!Array.isArray(v) || v.length !== t.fields.length) mismatch(t, v);
      return v.map((x, i) => importInner(t.fields[i].type, x));
    case 'dict': {
      const entries = v instanceof PyDict ? v.entries() : v instanceof Map ? [...v.entries()] : null;
      if (!entries) return mismatch(t, v);
      const d = new PyDict();
      for (const [k, x] of entries) d.set(importInner(t.key, k), importInner(t.value, x));
      return d;
    }
  }
}

/** True when v is a well-formed runtime value of type t. */
export function checkValue(t: TypeDesc | string, v: unknown): boolean {
  return conforms(asType(t), v);
}

/** Deep copy by type (COPY): containers are fresh, immutable leaves shared. */
export function copyValue(t: T, v: unknown, m: Meter | null): unknown {
  switch (t.kind) {
    case 'Optional':
      return v === null ? null : copyValue(t.inner, v, m);
    case 'list':
      if (!Array.isArray(v)) mismatch(t, v);
      if (m) m.charge(GAS.element * v.length);
      return v.map((x) => copyValue(t.elem, x, m));
    case 'tuple':
      if (!Array.isArray(v) || v.length !== t.items.length) mismatch(t, v);
      if (m) m.charge(GAS.element * v.length);
      return v.map((x, i) => copyValue(t.items[i], x, m));
    case 'struct':
      if (!Array.isArray(v) || v.length !== t.fields.length) mismatch(t, v);
      if (m) m.charge(GAS.element * v.length);
      return v.map((x, i) => copyValue(t.fields[i].type, x, m));
    case 'dict': {
      if (!(v instanceof PyDict)) mismatch(t, v);
      if (m) m.charge(GAS.element * 2 * v.size);
      const d = new PyDict();
      for (const [k, x] of v.entries()) d.set(k, copyValue(t.value, x, m));
      return d;
    }
    default:
      return v;
  }
}

// ---------------------------------------------------------------------------------------------
// repr / str (exactly CPython's output)

const NONPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** CPython's repr() of a str. */
export function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  if (PLAIN_ASCII.test(s) && !s.includes('\\') && !s.includes(quote)) return quote + s + quote;
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + hex2(c);
    else if (c < 0x7f) out += ch;
    else if (!NONPRINTABLE.test(ch)) out += ch;
    else if (c <= 0xff) out += '\\x' + hex2(c);
    else if (c <= 0xffff) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += '\\U' + c.toString(16).padStart(8, '0');
  }
  return out + quote;
}

/** CPython's repr() of bytes. */
export function reprBytes(b: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x27) hasSingle = true;
    else if (b[i] === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? 0x22 : 0x27;
  let out = 'b' + String.fromCharCode(quote);
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === quote || c === 0x5c) out += '\\' + String.fromCharCode(c);
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += '\\x' + hex2(c);
    else out += String.fromCharCode(c);
  }
  return out + String.fromCharCode(quote);
}

/** repr(v) for a value of type t. The meter (if any) is charged as output is produced, which
 *  bounds the memory a huge repr could take. */
export function pyRepr(t: TypeDesc | string, v: unknown, meter?: Meter | null): string {
  return repr(asType(t), v, meter ?? null);
}

/** str(v) for a value of type t: str and Address print their text; everything else as repr. */
export function pyStr(t: TypeDesc | string, v: unknown, meter?: Meter | null): string {
  const ty = asType(t);
  if (ty.kind === 'str') {
    if (typeof v !== 'string') mismatch(ty, v);
    return v;
  }
  if (ty.kind === 'Address') {
    if (!isAddress(v)) mismatch(ty, v);
    return v;
  }
  if (ty.kind === 'Optional' && v !== null) return pyStr(ty.inner, v, meter);
  return repr(ty, v, meter ?? null);
}

function piece(s: string, m: Meter | null): string {
  if (m) m.charge(GAS.word * words(s.length));
  return s;
}

function repr(t: T, v: unknown, m: Meter | null): string {
  switch (t.kind) {
    case 'int':
      if (!isInt(v)) mismatch(t, v);
      return String(v);
    case 'bool':
      if (typeof v !== 'boolean') mismatch(t, v);
      return v ? 'True' : 'False';
    case 'None':
      if (v !== null) mismatch(t, v);
      return 'None';
    case 'str':
      if (typeof v !== 'string') mismatch(t, v);
      if (m) m.charge(GAS.word * words(v.length));
      return piece(reprStr(v), m);
    case 'bytes':
      if (!(v instanceof Uint8Array)) mismatch(t, v);
      return piece(reprBytes(v), m);
    case 'Address':
      if (!isAddress(v)) mismatch(t, v);
      return `Address('${v}')`;
    case 'Optional':
      return v === null ? 'None' : repr(t.inner, v, m);
    case 'list': {
      if (!Array.isArray(v)) mismatch(t, v);
      if (m) m.charge(GAS.element * v.length);
      return '[' + v.map((x) => repr(t.elem, x, m)).join(', ') + ']';
    }
    case 'tuple': {
      if (!Array.isArray(v) || v.length !== t.items.length) mismatch(t, v);
      if (m) m.charge(GAS.element * v.length);
      const parts = v.map((x, i) => repr(t.items[i], x, m));
      return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
    }
    case 'struct': {
      if (!Array.isArray(v) || v.length !== t.fields.length) mismatch(t, v);
      if (m) m.charge(GAS.element * v.length);
      const parts = v.map((x, i) => `${t.fields[i].name}=${repr(t.fields[i].type, x, m)}`);
      return `${structShortName(t)}(${parts.join(', ')})`;
    }
    case 'dict': {
      if (!(v instanceof PyDict)) mismatch(t, v);
      if (m) m.charge(GAS.element * 2 * v.size);
      const parts = v.entries().map(([k, x]) => `${repr(t.key, k, m)}: ${repr(t.value, x, m)}`);
      return '{' + parts.join(', ') + '}';
    }
  }
}

// ---------------------------------------------------------------------------------------------
// format(v, spec): the format-spec mini-language for ints and strs

interface FormatSpec {
  fill: string | null;
  align: string | null;
  sign: string;
  z: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | null;
  type: string;
  /** How ints format under this spec when nothing in it can fail or needs grouping (see
   *  plainIntPlan); null otherwise. Derived once, when the spec is parsed. */
  plainInt: PlainIntPlan | null;
}

/** A spec for ints without precision, z, grouping or 'c', with a known radix: formatInt's
 *  checks all pass, so a safe int formats by this plan alone. */
interface PlainIntPlan {
  radix: number;
  upper: boolean;
  /** What precedes the digits of a value >= 0: sign ('+', ' ' or none) and base prefix. */
  head: string;
  prefix: string;
  fill: string;
  align: string;
  width: number;
}

const MAX_FORMAT_WIDTH = 1_000_000;

/** Parsed format specs by spec text: specs are module constants, parsed once each. Bounded. */
const specCache = new Map<string, FormatSpec>();
const SPEC_CACHE_MAX = 1024;

function isAlign(c: string | undefined): boolean {
  return c === '<' || c === '>' || c === '^' || c === '=';
}

/** The parsed spec (shared: never mutate it). `kind` only names the type in error messages. */
function parseSpec(spec: string, kind: string): FormatSpec {
  const known = specCache.get(spec);
  if (known !== undefined) return known;
  const out = parseSpecText(spec, kind);
  if (specCache.size >= SPEC_CACHE_MAX) specCache.clear();
  specCache.set(spec, out);
  return out;
}

function parseSpecText(spec: string, kind: string): FormatSpec {
  const cps = codePoints(spec);
  let i = 0;
  const out: FormatSpec = { fill: null, align: null, sign: '', z: false, alt: false, zero: false, width: 0, grouping: '', precision: null, type: '', plainInt: null };
  if (cps.length >= 2 && isAlign(cps[1])) {
    out.fill = cps[0];
    out.align = cps[1];
    i = 2;
  } else if (isAlign(cps[0])) {
    out.align = cps[0];
    i = 1;
  }
  if (cps[i] === '+' || cps[i] === '-' || cps[i] === ' ') out.sign = cps[i++];
  if (cps[i] === 'z') {
    out.z = true;
    i++;
  }
  if (cps[i] === '#') {
    out.alt = true;
    i++;
  }
  if (cps[i] === '0') {
    out.zero = true;
    i++;
  }
  let digits = '';
  while (i < cps.length && cps[i] >= '0' && cps[i] <= '9') digits += cps[i++];
  if (digits) out.width = Number(digits);
  if (cps[i] === ',' || cps[i] === '_') out.grouping = cps[i++];
  if (cps[i] === '.') {
    i++;
    let p = '';
    while (i < cps.length && cps[i] >= '0' && cps[i] <= '9') p += cps[i++];
    if (!p) throw new TvmValueError('Format specifier missing precision');
    out.precision = Number(p);
  }
  if (i < cps.length) out.type = cps[i++];
  if (i < cps.length) throw new TvmValueError(`Invalid format specifier '${spec}' for object of type '${kind}'`);
  if (out.width > MAX_FORMAT_WIDTH || (out.precision !== null && out.precision > MAX_FORMAT_WIDTH)) {
    throw new TvmValueError('Too many decimal digits in format string');
  }
  out.plainInt = plainIntPlan(out);
  return out;
}

/** The plain-int plan of a spec (formatInt's choices made ahead), or null when formatInt must
 *  check or group. */
function plainIntPlan(sp: FormatSpec): PlainIntPlan | null {
  if (sp.precision !== null || sp.z || sp.grouping) return null;
  const type = sp.type === 'n' ? 'd' : sp.type;
  const radix = type === '' || type === 'd' ? 10 : type === 'x' || type === 'X' ? 16 : type === 'o' ? 8 : type === 'b' ? 2 : 0;
  if (radix === 0) return null;
  const prefix = sp.alt && radix !== 10 ? '0' + (type === 'X' ? 'X' : type) : '';
  const sign = sp.sign === '+' ? '+' : sp.sign === ' ' ? ' ' : '';
  return {
    radix,
    upper: type === 'X',
    head: sign + prefix,
    prefix,
    fill: sp.fill ?? (sp.zero ? '0' : ' '),
    align: sp.align ?? (sp.zero ? '=' : '>'),
    width: sp.width,
  };
}

/** formatInt of a safe int under a plain spec: the same text, without re-deciding the spec. */
function formatPlainInt(v: number, p: PlainIntPlan): string {
  const neg = v < 0;
  let digits = (neg ? -v : v).toString(p.radix);
  if (p.upper) digits = digits.toUpperCase();
  const head = neg ? '-' + p.prefix : p.head;
  if (p.align === '=') return head + pad(digits, digits.length, p.width - head.length, p.fill, '>');
  const whole = head + digits;
  return pad(whole, whole.length, p.width, p.fill, p.align);
}

function pad(body: string, bodyLen: number, width: number, fill: string, align: string): string {
  const n = width - bodyLen;
  if (n <= 0) return body;
  // A one-unit fill: padStart/padEnd make the same string in one step (n code units are n
  // code points then; the body may hold pairs, so its units count, not bodyLen).
  if (fill.length === 1 && align !== '^') return align === '<' ? body.padEnd(body.length + n, fill) : body.padStart(body.length + n, fill);
  if (align === '<') return body + fill.repeat(n);
  if (align === '^') return fill.repeat(n >> 1) + body + fill.repeat(n - (n >> 1));
  return fill.repeat(n) + body;
}

function group(digits: string, sep: string, size: number): string {
  let out = '';
  for (let end = digits.length; end > 0; end -= size) {
    const start = Math.max(0, end - size);
    out = digits.slice(start, end) + (out ? sep + out : '');
  }
  return out;
}

function formatInt(v: number | bigint, spec: string, sp: FormatSpec): string {
  if (sp.plainInt !== null && typeof v === 'number') return formatPlainInt(v, sp.plainInt);
  if (sp.precision !== null) throw new TvmValueError('Precision not allowed in integer format specifier');
  if (sp.z) throw new TvmValueError('Negative zero coercion (z) not allowed in integer format specifier');
  const type = sp.type === 'n' ? 'd' : sp.type;
  if (type === 'c') {
    if (sp.sign) throw new TvmValueError("Sign not allowed with integer format specifier 'c'");
    if (sp.alt) throw new TvmValueError("Alternate form (#) not allowed with integer format specifier 'c'");
    if (sp.grouping) throw new TvmValueError(`Cannot specify '${sp.grouping}' with 'c'.`);
    if (v < 0 || v > 0x10ffff) throw new TvmValueError('%c arg not in range(0x110000)');
    return formatStrBody(String.fromCodePoint(Number(v)), { ...sp, type: '' }, '>');
  }
  const radix = type === '' || type === 'd' ? 10 : type === 'x' || type === 'X' ? 16 : type === 'o' ? 8 : type === 'b' ? 2 : 0;
  if (radix === 0) throw new TvmValueError(`Unknown format code '${sp.type}' for object of type 'int'`);
  if (sp.grouping === ',' && radix !== 10) throw new TvmValueError(`Cannot specify ',' with '${sp.type}'.`);
  const neg = v < 0;
  // Number#toString(radix) is exact for safe integers; only big ints need BigInt's.
  let digits = typeof v === 'number' ? Math.abs(v).toString(radix) : (neg ? -v : v).toString(radix);
  if (type === 'X') digits = digits.toUpperCase();
  const signStr = neg ? '-' : sp.sign === '+' ? '+' : sp.sign === ' ' ? ' ' : '';
  const prefix = sp.alt && radix !== 10 ? '0' + (type === 'X' ? 'X' : type) : '';
  const fill = sp.fill ?? (sp.zero ? '0' : ' ');
  const align = sp.align ?? (sp.zero ? '=' : '>');
  const groupSize = radix === 10 ? 3 : 4;
  let body = sp.grouping ? group(digits, sp.grouping, groupSize) : digits;
  if (align === '=' && fill === '0' && sp.grouping) {
    // Zero padding with grouping puts separators in the padding too (as CPython does).
    const need = sp.width - signStr.length - prefix.length;
    let nd = digits.length;
    while (body.length < need) body = group(digits.padStart(++nd, '0'), sp.grouping, groupSize);
  }
  if (align === '=') {
    const head = signStr + prefix;
    return head + pad(body, body.length, sp.width - head.length, fill, '>');
  }
  const whole = signStr + prefix + body;
  return pad(whole, whole.length, sp.width, fill, align);
}

function formatStrBody(s: string, sp: FormatSpec, defaultAlign: string): string {
  let body = s;
  let len = cpLength(s);
  if (sp.precision !== null && len > sp.precision) {
    body = hasSurrogates(s) ? codePoints(s).slice(0, sp.precision).join('') : s.slice(0, sp.precision);
    len = sp.precision;
  }
  const fill = sp.fill ?? (sp.zero ? '0' : ' ');
  return pad(body, len, sp.width, fill, sp.align ?? defaultAlign);
}

function formatStr(s: string, sp: FormatSpec): string {
  if (sp.type !== '' && sp.type !== 's') throw new TvmValueError(`Unknown format code '${sp.type}' for object of type 'str'`);
  if (sp.sign) throw new TvmValueError('Sign not allowed in string format specifier');
  if (sp.alt) throw new TvmValueError('Alternate form (#) not allowed in string format specifier');
  if (sp.align === '=') throw new TvmValueError("'=' alignment not allowed in string format specifier");
  if (sp.grouping) throw new TvmValueError(`Cannot specify '${sp.grouping}' with 's'.`);
  return formatStrBody(s, sp, '<');
}

const PY_TYPE_NAME: Record<string, string> = {
  None: 'NoneType',
  list: 'list',
  dict: 'dict',
  tuple: 'tuple',
  bytes: 'bytes',
  Optional: 'NoneType',
};

/** format(v, spec) as CPython: ints (d x X o b c n, fill/align/sign/#/0/width/grouping), bools
 *  (as ints once the spec is non-empty), strs and Addresses (fill/align/width/precision). */
export function pyFormat(t: TypeDesc | string, v: unknown, spec: string, meter?: Meter | null): string {
  const ty = asType(t);
  if (spec === '') return pyStr(ty, v, meter);
  if (ty.kind === 'Optional') return v === null ? pyFormat({ kind: 'None' }, v, spec) : pyFormat(ty.inner, v, spec, meter);
  let out: string;
  switch (ty.kind) {
    case 'int':
      if (!isInt(v)) mismatch(ty, v);
      out = formatInt(v, spec, parseSpec(spec, 'int'));
      break;
    case 'bool':
      if (typeof v !== 'boolean') mismatch(ty, v);
      out = formatInt(v ? 1 : 0, spec, parseSpec(spec, 'bool'));
      break;
    case 'str':
      if (typeof v !== 'string') mismatch(ty, v);
      out = formatStr(v, parseSpec(spec, 'str'));
      break;
    case 'Address':
      if (!isAddress(v)) mismatch(ty, v);
      out = formatStr(v, parseSpec(spec, 'str'));
      break;
    default: {
      const name = ty.kind === 'struct' ? structShortName(ty) : PY_TYPE_NAME[ty.kind];
      throw new TvmValueError(`unsupported format string passed to ${name}.__format__`);
    }
  }
  return piece(out, meter ?? null);
}

/** format(v, spec) for values of one type under one spec (what an f-string's FORMAT does). */
export type Formatter = (v: unknown, meter: Meter | null) => string;

/**
 * pyFormat(t, v, spec, meter) as a function of v and meter, decided once for a type and spec
 * (the JIT makes one per FORMAT instruction): a safe int under a plain spec formats directly,
 * everything else goes through pyFormat — the same text, gas and errors for every value.
 */
export function formatterFor(t: TypeDesc, spec: string): Formatter {
  const general: Formatter = (v, m) => pyFormat(t, v, spec, m);
  if (spec === '' || t.kind !== 'int') return general;
  let plan: PlainIntPlan | null;
  try {
    plan = parseSpec(spec, 'int').plainInt;
  } catch {
    return general; // a bad spec throws when the instruction runs, through pyFormat
  }
  if (plan === null) return general;
  const p = plan;
  return (v, m) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return general(v, m);
    const out = formatPlainInt(v, p);
    if (m) m.charge(GAS.word * words(out.length));
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// JSON and command-line arguments

/** A value of type t from JSON data. ints: JSON integers (safe range) or decimal strings;
 *  bytes: "0x..." hex; Address: "zv..."; tuples: arrays; structs: objects by field name (or
 *  arrays); dicts: arrays of [key, value] pairs, or objects when the key type is str. */
export function valueFromJSON(t: TypeDesc | string, json: unknown): unknown {
  return fromJSON(asType(t), json, '');
}

function jsonFail(path: string, msg: string): never {
  throw new TvmValueError(path ? `${path}: ${msg}` : msg);
}

function fromJSON(t: T, j: unknown, path: string): unknown {
  switch (t.kind) {
    case 'int': {
      if (typeof j === 'number') {
        if (!Number.isSafeInteger(j)) jsonFail(path, `${j} is not an exact integer (write big ints as strings)`);
        return j === 0 ? 0 : j;
      }
      if (typeof j === 'string') return parseIntText(j, path);
      if (typeof j === 'bigint') return importInner(t, j);
      return jsonFail(path, `expected an int, got ${jsonKind(j)}`);
    }
    case 'bool':
      if (typeof j !== 'boolean') jsonFail(path, `expected true or false, got ${jsonKind(j)}`);
      return j;
    case 'str':
      if (typeof j !== 'string') jsonFail(path, `expected a string, got ${jsonKind(j)}`);
      return j;
    case 'bytes':
      if (typeof j !== 'string') jsonFail(path, `expected a "0x..." hex string, got ${jsonKind(j)}`);
      return parseHexBytes(j, path);
    case 'Address':
      if (typeof j !== 'string' || !isAddress(j)) jsonFail(path, `expected an address "zv" + 64 hex digits, got ${JSON.stringify(j)?.slice(0, 80)}`);
      return j;
    case 'None':
      if (j !== null) jsonFail(path, `expected null, got ${jsonKind(j)}`);
      return null;
    case 'Optional':
      return j === null ? null : fromJSON(t.inner, j, path);
    case 'list':
      if (!Array.isArray(j)) jsonFail(path, `expected an array, got ${jsonKind(j)}`);
      return j.map((x, i) => fromJSON(t.elem, x, `${path}[${i}]`));
    case 'tuple':
      if (!Array.isArray(j) || j.length !== t.items.length) jsonFail(path, `expected an array of ${t.items.length} items, got ${jsonKind(j)}`);
      return j.map((x, i) => fromJSON(t.items[i], x, `${path}[${i}]`));
    case 'struct': {
      if (Array.isArray(j)) {
        if (j.length !== t.fields.length) jsonFail(path, `expected ${t.fields.length} fields, got ${j.length}`);
        return j.map((x, i) => fromJSON(t.fields[i].type, x, `${path}.${t.fields[i].name}`));
      }
      if (typeof j !== 'object' || j === null) jsonFail(path, `expected an object, got ${jsonKind(j)}`);
      const o = j as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (!t.fields.some((f) => f.name === k)) jsonFail(path, `unknown field '${k}' of ${structShortName(t)}`);
      }
      return t.fields.map((f) => {
        if (!Object.hasOwn(o, f.name)) jsonFail(path, `missing field '${f.name}' of ${structShortName(t)}`);
        return fromJSON(f.type, o[f.name], `${path}.${f.name}`);
      });
    }
    case 'dict': {
      const d = new PyDict();
      if (Array.isArray(j)) {
        j.forEach((pair, i) => {
          if (!Array.isArray(pair) || pair.length !== 2) jsonFail(`${path}[${i}]`, 'expected a [key, value] pair');
          d.set(fromJSON(t.key, pair[0], `${path}[${i}][0]`), fromJSON(t.value, pair[1], `${path}[${i}][1]`));
        });
        return d;
      }
      if (t.key.kind === 'str' && typeof j === 'object' && j !== null) {
        for (const [k, x] of Object.entries(j)) d.set(k, fromJSON(t.value, x, `${path}.${k}`));
        return d;
      }
      return jsonFail(path, `expected an array of [key, value] pairs, got ${jsonKind(j)}`);
    }
  }
}

function jsonKind(j: unknown): string {
  if (j === null) return 'null';
  if (Array.isArray(j)) return 'an array';
  if (typeof j === 'string') return `the string ${JSON.stringify(j.length > 40 ? j.slice(0, 40) + '...' : j)}`;
  if (typeof j === 'number') return `the number ${j}`;
  return typeof j;
}

/** JSON data for a value of type t (the inverse of valueFromJSON; dicts as [key, value] pairs,
 *  structs as objects, ints beyond the safe range as decimal strings). */
export function valueToJSON(t: TypeDesc | string, v: unknown): unknown {
  return toJSON(asType(t), v);
}

function toJSON(t: T, v: unknown): unknown {
  switch (t.kind) {
    case 'int':
      if (!isInt(v)) mismatch(t, v);
      return typeof v === 'number' ? v : v.toString();
    case 'bytes':
      if (!(v instanceof Uint8Array)) mismatch(t, v);
      return '0x' + bytesToHex(v);
    case 'Optional':
      return v === null ? null : toJSON(t.inner, v);
    case 'list':
      if (!Array.isArray(v)) mismatch(t, v);
      return v.map((x) => toJSON(t.elem, x));
    case 'tuple':
      if (!Array.isArray(v) || v.length !== t.items.length) mismatch(t, v);
      return v.map((x, i) => toJSON(t.items[i], x));
    case 'struct': {
      if (!Array.isArray(v) || v.length !== t.fields.length) mismatch(t, v);
      const o: Record<string, unknown> = {};
      t.fields.forEach((f, i) => (o[f.name] = toJSON(f.type, v[i])));
      return o;
    }
    case 'dict':
      if (!(v instanceof PyDict)) mismatch(t, v);
      return v.entries().map(([k, x]) => [toJSON(t.key, k), toJSON(t.value, x)]);
    default:
      encodeValue(t, v); // type check of the leaf kinds
      return v;
  }
}

function parseIntText(text: string, path: string): number | bigint {
  const s = text.trim();
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|[0-9]+(?:_[0-9]+)*)$/.exec(s);
  if (!m) jsonFail(path, `not an integer: ${JSON.stringify(text.length > 60 ? text.slice(0, 60) + '...' : text)}`);
  const digits = m[2].replace(/_/g, '');
  if (digits.length > 80) jsonFail(path, 'integer out of the 256-bit range');
  let v = BigInt(digits);
  if (m[1] === '-') v = -v;
  if (v < INT_MIN || v > INT_MAX) jsonFail(path, 'integer out of the 256-bit range');
  return normBig(v);
}

function parseHexBytes(text: string, path: string): Uint8Array {
  if (!text.startsWith('0x') && !text.startsWith('0X')) jsonFail(path, `bytes must be written as "0x" + hex digits, got ${JSON.stringify(text.slice(0, 60))}`);
  const b = hexToBytes(text.slice(2));
  if (!b) jsonFail(path, 'bad hex in bytes (need an even number of hex digits)');
  return b;
}

/** A command-line argument as a value of type t: int as decimal, 0x hex or with underscores;
 *  bool as true/false/True/False/1/0; str as is; bytes as 0x hex; Address as zv...; None as
 *  None/null; lists, dicts, tuples and structs as JSON text. */
export function parseCliArg(t: TypeDesc | string, text: string): unknown {
  const ty = asType(t);
  switch (ty.kind) {
    case 'int':
      return parseIntText(text, '');
    case 'bool':
      if (text === 'true' || text === 'True' || text === '1') return true;
      if (text === 'false' || text === 'False' || text === '0') return false;
      throw new TvmValueError(`expected a bool (true/false/True/False/1/0), got ${JSON.stringify(text)}`);
    case 'str':
      return text;
    case 'bytes':
      return parseHexBytes(text, '');
    case 'Address':
      if (!isAddress(text)) throw new TvmValueError(`expected an address "zv" + 64 lowercase hex digits, got ${JSON.stringify(text)}`);
      return text;
    case 'None':
      if (text === 'None' || text === 'null') return null;
      throw new TvmValueError(`expected None, got ${JSON.stringify(text)}`);
    case 'Optional':
      if (text === 'None' || text === 'null') return null;
      return parseCliArg(ty.inner, text);
    default: {
      let j: unknown;
      try {
        j = JSON.parse(text);
      } catch (e) {
        throw new TvmValueError(`expected JSON for ${typeToString(ty)}: ${(e as Error).message}`);
      }
      return valueFromJSON(ty, j);
    }
  }
}

/** True when v is a well-formed runtime value of type t (a kind check; allocates nothing). */
export function conforms(t: TypeDesc, v: unknown): boolean {
  switch (t.kind) {
    case 'int':
      return isInt(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'str':
      return typeof v === 'string';
    case 'bytes':
      return v instanceof Uint8Array;
    case 'Address':
      return isAddress(v);
    case 'None':
      return v === null;
    case 'Optional':
      return v === null || conforms(t.inner, v);
    case 'list':
      return Array.isArray(v) && v.every((x) => conforms(t.elem, x));
    case 'tuple':
      return Array.isArray(v) && v.length === t.items.length && v.every((x, i) => conforms(t.items[i], x));
    case 'struct':
      return Array.isArray(v) && v.length === t.fields.length && v.every((x, i) => conforms(t.fields[i].type, x));
    case 'dict':
      return v instanceof PyDict && v.entries().every(([k, x]) => conforms(t.key, k) && conforms(t.value, x));
  }
}
