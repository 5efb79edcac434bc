// Text helpers: Python strings are sequences of code points, JS strings of UTF-16 code units.
// They agree unless a string holds a surrogate pair, so every helper first checks for
// surrogates (one fast scan) and only then pays for a code-point view.

import { TvmValueError } from './errors.ts';

const SURROGATE = /[\ud800-\udfff]/;

// Contracts index, slice and measure the same string over and over (a loop over s[i]), so the
// answers for the last long string seen are kept. Comparing with `===` is immediate for the
// same string and at worst as long as the scan it saves. Strings beyond MEMO_MAX_LENGTH are not
// kept, so the memo never holds on to much memory.
const MEMO_MIN_LENGTH = 32;
const MEMO_MAX_LENGTH = 1 << 16;
let scanned = '';
let scannedHasSurrogates = false;
let splitString = '';
let splitPoints: readonly string[] = [];

/** True when the string holds any surrogate code unit (paired or lone). A regexp rather than a
 *  loop: V8 answers it without scanning for strings it stores one byte per character. */
export function hasSurrogates(s: string): boolean {
  if (s.length < MEMO_MIN_LENGTH || s.length > MEMO_MAX_LENGTH) return SURROGATE.test(s);
  if (s !== scanned) {
    scannedHasSurrogates = SURROGATE.test(s);
    scanned = s;
  }
  return scannedHasSurrogates;
}

/** The string as an array of code points, each a 1- or 2-unit string (lone surrogates stay single). */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

/** codePoints(s) for reading only: the array may be shared, never change it. */
export function codePointsView(s: string): readonly string[] {
  if (s.length < MEMO_MIN_LENGTH || s.length > MEMO_MAX_LENGTH) return Array.from(s);
  if (s !== splitString) {
    splitPoints = Array.from(s);
    splitString = s;
  }
  return splitPoints;
}

/** len(s) in code points. */
export function cpLength(s: string): number {
  if (!hasSurrogates(s)) return s.length;
  if (s.length >= MEMO_MIN_LENGTH && s.length <= MEMO_MAX_LENGTH) return codePointsView(s).length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Code-point index of a code-unit offset (for find/index results). */
export function unitToCpIndex(s: string, unit: number): number {
  return cpLength(s.slice(0, unit));
}

/** Python ordering of strings: by code point (JS `<` compares UTF-16 units). */
export function compareStr(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  let x = a.charCodeAt(i);
  let y = b.charCodeAt(i);
  // Units of surrogates (0xD800-0xDFFF) encode code points above 0xFFFF: move them above 0xE000-0xFFFF.
  if (x >= 0xd800 && y >= 0xd800) {
    x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
  }
  return x < y ? -1 : 1;
}

// Python's str.isspace() characters (bidirectional class WS, B or S, or category Zs).
const PY_SPACE = '\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const SPACE_SET = new Set(PY_SPACE);

export function isPySpace(ch: string): boolean {
  return SPACE_SET.has(ch);
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LONE_SURROGATE = /\p{Cs}/u;

/** True when the string can be encoded as UTF-8 (no lone surrogates). */
export function isWellFormed(s: string): boolean {
  return !hasSurrogates(s) || !LONE_SURROGATE.test(s);
}

/** UTF-8 bytes of a str; a lone surrogate cannot be encoded (as in Python). */
export function utf8Encode(s: string): Uint8Array {
  if (!isWellFormed(s)) throw new TvmValueError("'utf-8' codec can't encode a surrogate");
  return utf8Encoder.encode(s);
}

/** Strict UTF-8 decoding; returns null for invalid input. */
export function utf8Decode(b: Uint8Array): string | null {
  try {
    return utf8Decoder.decode(b);
  } catch {
    return null;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

/** Value of each hex digit by char code (either case), -1 for anything else. */
const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_DIGIT['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_DIGIT['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** The value of the hex digit at s[i] (either case), or -1. */
function hexDigitAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? HEX_DIGIT[c] : -1;
}

/** Hex digits (even count, either case) to bytes; null when malformed. */
export function hexToBytes(h: string): Uint8Array | null {
  if (h.length % 2 !== 0) return null;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigitAt(h, 2 * i);
    const lo = hexDigitAt(h, 2 * i + 1);
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

// V8 keeps typed arrays of up to 64 bytes on the JS heap; a larger one gets a backing store of
// its own, which costs about ten times as much to allocate. Copies of 65 bytes up to SLAB_ITEM_MAX
// are therefore carved out of shared slabs (views at an offset: their `.buffer` is the slab).
const ON_HEAP_MAX = 64;
const SLAB_SIZE = 8192;
const SLAB_ITEM_MAX = 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabUsed = 0;

/** A fresh copy of src[start, end). */
export function copyBytes(src: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start;
  if (n <= 16) {
    // Most copies (storage keys and values of ints) are this short: a loop beats slice().
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = src[start + i];
    return out;
  }
  if (n <= ON_HEAP_MAX || n > SLAB_ITEM_MAX) return src.slice(start, end);
  if (slabUsed + n > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, n);
  slabUsed += n;
  for (let i = 0; i < n; i++) out[i] = src[start + i];
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
