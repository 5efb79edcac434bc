// The builtin functions and methods called by CALLB, one implementation per BUILTINS entry, with
// CPython's semantics (and CPython's error messages as revert reasons where Python raises).
// Every builtin charges gas for the data it scans or creates before creating it.

import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { BUILTINS, type BuiltinName } from './opcodes.ts';
import { revert, TvmValueError, VMRevert } from './errors.ts';
import { PyDict } from './pydict.ts';
import { bytesToHex, codePoints, compareStr, cpLength, hasSurrogates, isPySpace, unitToCpIndex, utf8Decode, utf8Encode } from './strings.ts';
import { addressFromBytes, addressToBytes, checkedInt, compareValues, isAddress, normBig, reprStr, toBig, valueEquals } from './values.ts';
import * as arith from './arith.ts';
import { keyCost, truthy } from './ops.ts';
import { TITLE_CASE } from './titlecase.ts';
import { GAS, words, type Meter } from './gas.ts';

/** A builtin takes its arguments positionally (at most three; BUILTINS gives each arity), so the
 *  JIT calls it directly with its registers and no argument array. */
export type Builtin = (m: Meter, a: unknown, b: unknown, c: unknown) => unknown;

// ---------------------------------------------------------------------------------------------
// argument helpers

function str(v: unknown): string {
  if (typeof v !== 'string') revert('expected a str argument');
  return v;
}

function bytesArg(v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) revert('expected a bytes argument');
  return v;
}

function list(v: unknown): unknown[] {
  if (!Array.isArray(v)) revert('expected a list argument');
  return v;
}

function dict(v: unknown): PyDict {
  if (!(v instanceof PyDict)) revert('expected a dict argument');
  return v;
}

function int(v: unknown): number | bigint {
  return arith.intOperand(v);
}

/** An int argument as a JS number (bigints become ±Infinity-like huge numbers; fine for clamping). */
function num(v: unknown): number {
  return Number(int(v));
}

/** Charges for scanning or producing strings of these lengths together. */
function chargeStr(m: Meter, a: string, b = '', c = ''): void {
  m.charge(GAS.word * words(a.length + b.length + c.length));
}

function chargeElems(m: Meter, n: number): void {
  m.charge(GAS.element * n);
}

/** Items of an iterable argument: list/tuple, str (code points), dict (keys), bytes (ints). */
function items(m: Meter, v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') {
    chargeStr(m, v);
    return codePoints(v);
  }
  if (v instanceof PyDict) return v.keys();
  if (v instanceof Uint8Array) return Array.from(v);
  return revert('object is not iterable');
}

// ---------------------------------------------------------------------------------------------
// ints

const INT_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const LIMIT = 1n << 256n;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Digit values of ASCII characters (either case) for int(); 99 for non-digits. */
const ASCII_DIGIT = new Uint8Array(128).fill(99);
for (let d = 0; d < 36; d++) {
  ASCII_DIGIT[INT_DIGITS.charCodeAt(d)] = d;
  ASCII_DIGIT[INT_DIGITS.toUpperCase().charCodeAt(d)] = d;
}

function invalidLiteral(text: string, base: number): never {
  return revert(`invalid literal for int() with base ${base}: ${reprStr(text.length > 200 ? text.slice(0, 200) : text)}`);
}

const NON_ASCII = /[^\x00-\x7f]/;
const UNICODE_DECIMAL = /^\p{Nd}$/u;

/** The value of a Unicode decimal digit (category Nd), or -1. Nd characters come in runs of
 *  ten, 0 to 9, some runs right after others, so the value is the distance from the start of
 *  the whole stretch of Nd characters, modulo 10. */
function decimalValue(ch: string): number {
  if (!UNICODE_DECIMAL.test(ch)) return -1;
  const cp = ch.codePointAt(0)!;
  let start = cp;
  while (UNICODE_DECIMAL.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** What CPython's int() parses instead of the text: Unicode decimal digits as ASCII digits and
 *  Unicode whitespace as spaces; any other non-ASCII character as '?', which no base accepts. */
function asciiDigits(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  let out = '';
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out += ch;
    else if (isPySpace(ch)) out += ' ';
    else {
      const d = decimalValue(ch);
      out += d >= 0 ? String(d) : '?';
    }
  }
  return out;
}

/** The text without leading and trailing ASCII whitespace (" \t\n\v\f\r", what int() skips
 *  once Unicode spaces have become ' '). */
function stripAsciiSpace(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && isAsciiSpace(s[i])) i++;
  while (j > i && isAsciiSpace(s[j - 1])) j--;
  return s.slice(i, j);
}

/** Longest text plainDigits() tries: more digits than any safe integer has in base 2. */
const PLAIN_DIGITS_MAX = 53;

/** int(text, base) when the text is nothing but ASCII digits of the base (2..36) and its value
 *  is a safe integer — what the general parser returns for such text — else -1 (not plain:
 *  signs, spaces, prefixes, underscores, other characters, empty or long text, big values). */
function plainDigits(text: string, base: number): number {
  const n = text.length;
  if (n === 0 || n > PLAIN_DIGITS_MAX || !(base >= 2)) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const d = c < 128 ? ASCII_DIGIT[c] : 99;
    if (d >= base) return -1;
    // Exact while below 2^53; once past MAX_SAFE it can only grow (rounding is monotone).
    v = v * base + d;
  }
  return v <= MAX_SAFE ? v : -1;
}

/** Python's int(text, base) for base 0 or 2..36. */
function parseInt(text: string, base: number, m: Meter): number | bigint {
  chargeStr(m, text);
  const plain = plainDigits(text, base);
  if (plain >= 0) return plain;
  let s = stripAsciiSpace(asciiDigits(text));
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  let b = base;
  // A base prefix: '0' then x, o or b in either case (`| 0x20` lowercases an ASCII letter).
  const p1 = s.charCodeAt(0) === 0x30 ? s.charCodeAt(1) | 0x20 : 0;
  const prefixBase = p1 === 0x78 ? 16 : p1 === 0x6f ? 8 : p1 === 0x62 ? 2 : 0;
  let afterPrefix = false;
  if (prefixBase && (b === 0 || b === prefixBase)) {
    b = prefixBase;
    s = s.slice(2);
    afterPrefix = true;
  } else if (b === 0) {
    b = 10;
    // base 0: a decimal literal may not have leading zeros (except zero itself)
    if (/^0+(_?0+)*$/.test(s)) return 0;
    if (s[0] === '0') invalidLiteral(text, base);
  }
  // digits with single underscores between them (one may follow a base prefix)
  if (afterPrefix && s[0] === '_') s = s.slice(1);
  if (s.length === 0 || s[0] === '_' || s[s.length - 1] === '_' || s.includes('__')) invalidLiteral(text, base);
  // The value stays a JS number while it is safe, then goes on as a bigint.
  let n = 0;
  let big: bigint | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i); // ASCII only (see asciiDigits)
    if (c === 0x5f) continue; // '_'
    const d = ASCII_DIGIT[c];
    if (d >= b) invalidLiteral(text, base);
    if (big === null) {
      const next = n * b + d;
      if (next <= MAX_SAFE) {
        n = next;
        continue;
      }
      big = BigInt(n);
    }
    big = big * BigInt(b) + BigInt(d);
    if (big > LIMIT) revert('integer overflow');
  }
  if (big === null) return negative && n !== 0 ? -n : n;
  return checkedInt(negative ? -big : big);
}

function radixStr(v: number | bigint, radix: number, prefix: string): string {
  const neg = v < 0;
  // Number#toString(radix) is exact for safe integers; only big ints need BigInt's.
  const digits = typeof v === 'number' ? Math.abs(v).toString(radix) : (neg ? -v : v).toString(radix);
  return (neg ? '-' : '') + prefix + digits;
}

// ---------------------------------------------------------------------------------------------
// sorting and lists

function sortedCopy(m: Meter, xs: unknown[], reverse: unknown): unknown[] {
  const out = xs.slice();
  sortInPlace(m, out, reverse);
  return out;
}

function sortInPlace(m: Meter, xs: unknown[], reverse: unknown): void {
  const n = xs.length;
  if (n < 2) return;
  chargeElems(m, n);
  m.charge(GAS.compare * n * Math.ceil(Math.log2(n)));
  const rev = truthy(reverse);
  let cmp: (a: unknown, b: unknown) => number;
  if (xs.every((x) => typeof x === 'number')) cmp = (a, b) => (a as number) - (b as number);
  else if (xs.every((x) => typeof x === 'string')) cmp = (a, b) => compareStr(a as string, b as string);
  else cmp = (a, b) => compareValues(a, b, m);
  // Stable in both directions, as Python's sort(reverse=True) is.
  xs.sort(rev ? (a, b) => cmp(b, a) : cmp);
}

function findIndex(m: Meter, xs: unknown[], v: unknown): number {
  chargeElems(m, xs.length);
  for (let i = 0; i < xs.length; i++) if (valueEquals(xs[i], v, m)) return i;
  return -1;
}

function rangeList(m: Meter, a: unknown, b: unknown, s: unknown): unknown[] {
  const start = toBig(int(a));
  const stop = toBig(int(b));
  const step = toBig(int(s));
  if (step === 0n) revert('range() arg 3 must not be zero');
  let count = 0n;
  if (step > 0n && start < stop) count = (stop - start - 1n) / step + 1n;
  if (step < 0n && start > stop) count = (start - stop - 1n) / -step + 1n;
  m.charge(GAS.element * Number(count));
  const n = Number(count);
  const out = new Array(n);
  if (Number.isSafeInteger(Number(start)) && Number.isSafeInteger(Number(start + step * count))) {
    const st = Number(start);
    const sp = Number(step);
    for (let i = 0; i < n; i++) out[i] = st + i * sp;
  } else {
    for (let i = 0; i < n; i++) out[i] = normBig(start + BigInt(i) * step);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// strings

/** Whether strip() removes c: whitespace (set null) or a member of the set. */
function stripped(c: string, set: Set<string> | null): boolean {
  return set === null ? isPySpace(c) : set.has(c);
}

/** Python strip/lstrip/rstrip: chars null means whitespace; otherwise a set of code points. */
function pyStrip(s: string, chars: string | null, left: boolean, right: boolean): string {
  const set = chars === null ? null : new Set(codePoints(chars));
  if (!hasSurrogates(s)) {
    let i = 0;
    let j = s.length;
    if (left) while (i < j && stripped(s[i], set)) i++;
    if (right) while (j > i && stripped(s[j - 1], set)) j--;
    return s.slice(i, j);
  }
  const cps = codePoints(s);
  let i = 0;
  let j = cps.length;
  if (left) while (i < j && stripped(cps[i], set)) i++;
  if (right) while (j > i && stripped(cps[j - 1], set)) j--;
  return cps.slice(i, j).join('');
}

function splitWhitespace(s: string, maxsplit: number): string[] {
  const cps = codePoints(s);
  const out: string[] = [];
  let i = 0;
  const n = cps.length;
  while (i < n) {
    while (i < n && isPySpace(cps[i])) i++;
    if (i >= n) break;
    if (maxsplit >= 0 && out.length === maxsplit) {
      // the rest, with its leading whitespace stripped but trailing whitespace kept
      out.push(cps.slice(i).join(''));
      return out;
    }
    const start = i;
    while (i < n && !isPySpace(cps[i])) i++;
    out.push(cps.slice(start, i).join(''));
  }
  return out;
}

function splitSep(s: string, sep: string, maxsplit: number): string[] {
  if (sep.length === 0) revert('empty separator');
  // The first two parts are found before the array is made, so that the common results (one
  // or two parts) are array literals of their final size rather than grown by push.
  const k = sep.length;
  const i = s.indexOf(sep);
  if (i < 0 || maxsplit === 0) return [s];
  const j = maxsplit === 1 ? -1 : s.indexOf(sep, i + k);
  if (j < 0) return [s.slice(0, i), s.slice(i + k)];
  const out = [s.slice(0, i), s.slice(i + k, j)];
  let from = j + k;
  while (maxsplit < 0 || out.length < maxsplit) {
    const at = s.indexOf(sep, from);
    if (at < 0) break;
    out.push(s.slice(from, at));
    from = at + k;
  }
  out.push(s.slice(from));
  return out;
}

function cpIndex(s: string, unit: number): number {
  return unit < 0 ? -1 : hasSurrogates(s) ? unitToCpIndex(s, unit) : unit;
}

function countSub(s: string, sub: string): number {
  if (sub.length === 0) return cpLength(s) + 1;
  let n = 0;
  for (let i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

function replaceAll(m: Meter, s: string, old: string, rep: string): string {
  const n = countSub(s, old);
  m.charge(GAS.word * words(s.length + n * rep.length));
  if (old.length === 0) {
    const cps = codePoints(s);
    return rep + cps.map((c) => c + rep).join('');
  }
  return s.split(old).join(rep);
}

const ALPHA = /^\p{L}$/u;
const ALNUM = /^[\p{L}\p{N}]$/u;
const DECIMAL = /^\p{Nd}$/u;
const LOWER = /^\p{Lowercase}$/u;
const UPPER = /^\p{Uppercase}$/u;
const TITLE = /^\p{Lt}$/u;
// Characters with Numeric_Type=Digit that are not decimals (superscripts, circled digits, ...).
const DIGIT_EXTRA = /^[\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]$/u;

function allChars(m: Meter, s: string, pred: (c: string) => boolean): boolean {
  chargeStr(m, s);
  if (s.length === 0) return false;
  for (const c of s) if (!pred(c)) return false;
  return true;
}

/** Python's islower (upper=false) / isupper (upper=true). */
function caseCheck(m: Meter, s: string, upper: boolean): boolean {
  chargeStr(m, s);
  let cased = false;
  for (const c of s) {
    if (TITLE.test(c) || (upper ? LOWER.test(c) : UPPER.test(c))) return false;
    if (!cased && (upper ? UPPER.test(c) : LOWER.test(c))) cased = true;
  }
  return cased;
}

function capitalize(s: string): string {
  if (s.length === 0) return s;
  const first = String.fromCodePoint(s.codePointAt(0)!);
  const title = TITLE_CASE[first] ?? first.toUpperCase();
  return title + s.slice(first.length).toLowerCase();
}

function zfill(s: string, width: number): string {
  const n = cpLength(s);
  if (n >= width) return s;
  const zeros = '0'.repeat(width - n);
  if (s[0] === '+' || s[0] === '-') return s[0] + zeros + s.slice(1);
  return zeros + s;
}

function fromHex(s: string): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    if (isAsciiSpace(s[i])) {
      i++;
      continue;
    }
    const hi = parseHexDigit(s[i]);
    if (hi < 0) revert(`non-hexadecimal number found in fromhex() arg at position ${i}`);
    const lo = i + 1 < s.length ? parseHexDigit(s[i + 1]) : -1;
    if (lo < 0) revert(`non-hexadecimal number found in fromhex() arg at position ${i + 1}`);
    out.push(hi * 16 + lo);
    i += 2;
  }
  return Uint8Array.from(out);
}

/** ASCII whitespace: what bytes.fromhex() skips, and int() around the number. */
function isAsciiSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\x0b' || c === '\x0c';
}

function parseHexDigit(c: string): number {
  const d = '0123456789abcdef'.indexOf(c.toLowerCase());
  return c.length === 1 ? d : -1;
}

function hash(m: Meter, b: unknown, f: (x: Uint8Array) => Uint8Array): Uint8Array {
  const data = bytesArg(b);
  m.charge(GAS.hashWord * words(data.length));
  return f(data);
}

// ---------------------------------------------------------------------------------------------
// the table

const IMPL: Record<BuiltinName, Builtin> = {
  // ints
  abs: (_m, x) => {
    const v = int(x);
    return typeof v === 'number' ? Math.abs(v) : checkedInt(v < 0n ? -v : v);
  },
  min2: (m, a, b) => (compareValues(b, a, m) < 0 ? b : a),
  max2: (m, a, b) => (compareValues(b, a, m) > 0 ? b : a),
  divmod: (m, a, b) => arith.divmod(m, a, b),
  powmod: (m, a, b, c) => arith.powmod(m, a, b, c),
  int_of_str: (m, s) => parseInt(str(s), 10, m),
  int_of_str_base: (m, s, b) => {
    const base = num(b);
    if (base !== 0 && (base < 2 || base > 36)) revert('int() base must be >= 2 and <= 36, or 0');
    return parseInt(str(s), base, m);
  },
  int_of_bool: (_m, b) => (truthy(b) ? 1 : 0),
  chr: (_m, i) => {
    const c = num(i);
    if (!(c >= 0 && c <= 0x10ffff)) revert('chr() arg not in range(0x110000)');
    return String.fromCodePoint(c);
  },
  ord: (_m, s) => {
    const t = str(s);
    const n = cpLength(t);
    if (n !== 1) revert(`ord() expected a character, but string of length ${n} found`);
    return t.codePointAt(0)!;
  },
  hex: (_m, x) => radixStr(int(x), 16, '0x'),
  bin: (_m, x) => radixStr(int(x), 2, '0b'),
  oct: (_m, x) => radixStr(int(x), 8, '0o'),

  // lists and iterables
  min_list: (m, xs) => {
    const l = items(m, xs);
    if (l.length === 0) revert('min() arg is an empty sequence');
    chargeElems(m, l.length);
    let best = l[0];
    for (let i = 1; i < l.length; i++) if (compareValues(l[i], best, m) < 0) best = l[i];
    return best;
  },
  max_list: (m, xs) => {
    const l = items(m, xs);
    if (l.length === 0) revert('max() arg is an empty sequence');
    chargeElems(m, l.length);
    let best = l[0];
    for (let i = 1; i < l.length; i++) if (compareValues(l[i], best, m) > 0) best = l[i];
    return best;
  },
  sum_list: (m, xs) => {
    const l = list(xs);
    chargeElems(m, l.length);
    let s = 0;
    let i = 0;
    for (; i < l.length; i++) {
      const v = l[i];
      if (typeof v !== 'number' || !Number.isSafeInteger(s + v)) break;
      s += v;
    }
    if (i === l.length) return s;
    let b = BigInt(s);
    for (; i < l.length; i++) b += toBig(int(l[i]));
    return checkedInt(b);
  },
  any_list: (m, xs) => {
    const l = items(m, xs);
    chargeElems(m, l.length);
    return l.some(truthy);
  },
  all_list: (m, xs) => {
    const l = items(m, xs);
    chargeElems(m, l.length);
    return l.every(truthy);
  },
  sorted: (m, xs, rev) => sortedCopy(m, items(m, xs), rev),
  reversed: (m, xs) => {
    const l = items(m, xs);
    chargeElems(m, l.length);
    return l.slice().reverse();
  },
  range_list: (m, a, b, s) => rangeList(m, a, b, s),
  enumerate: (m, xs) => {
    const l = items(m, xs);
    chargeElems(m, 3 * l.length);
    return l.map((x, i) => [i, x]);
  },
  zip: (m, xs, ys) => {
    const a = items(m, xs);
    const b = items(m, ys);
    const n = Math.min(a.length, b.length);
    chargeElems(m, 3 * n);
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = [a[i], b[i]];
    return out;
  },
  list_copy: (m, xs) => {
    const l = items(m, xs);
    chargeElems(m, l.length);
    return l === xs ? l.slice() : l;
  },
  list_of_str: (m, s) => {
    const t = str(s);
    chargeElems(m, t.length);
    return items(m, t);
  },
  list_of_dict: (m, d) => {
    const dd = dict(d);
    chargeElems(m, dd.size);
    return dd.keys();
  },
  'list.pop': (_m, xs) => {
    const l = list(xs);
    if (l.length === 0) revert('pop from empty list');
    return l.pop();
  },
  'list.pop_at': (m, xs, i) => {
    const l = list(xs);
    if (l.length === 0) revert('pop from empty list');
    let k = num(i);
    if (k < 0) k += l.length;
    if (!(k >= 0 && k < l.length)) revert('pop index out of range');
    chargeElems(m, Math.ceil((l.length - k) / 32));
    return l.splice(k, 1)[0];
  },
  'list.insert': (m, xs, i, v) => {
    const l = list(xs);
    let k = num(i);
    if (k < 0) k = Math.max(0, k + l.length);
    if (k > l.length) k = l.length;
    chargeElems(m, 1 + Math.ceil((l.length - k) / 32));
    l.splice(k, 0, v);
    return null;
  },
  'list.extend': (m, xs, ys) => {
    const l = list(xs);
    const add = items(m, ys).slice();
    chargeElems(m, add.length);
    for (const x of add) l.push(x);
    return null;
  },
  'list.index': (m, xs, v) => {
    const i = findIndex(m, list(xs), v);
    if (i < 0) revert('value is not in list');
    return i;
  },
  'list.count': (m, xs, v) => {
    const l = list(xs);
    chargeElems(m, l.length);
    let n = 0;
    for (const x of l) if (valueEquals(x, v, m)) n++;
    return n;
  },
  'list.remove': (m, xs, v) => {
    const l = list(xs);
    const i = findIndex(m, l, v);
    if (i < 0) revert('list.remove(x): x not in list');
    l.splice(i, 1);
    return null;
  },
  'list.reverse': (m, xs) => {
    const l = list(xs);
    chargeElems(m, l.length);
    l.reverse();
    return null;
  },
  'list.sort': (m, xs, rev) => {
    sortInPlace(m, list(xs), rev);
    return null;
  },
  'list.clear': (_m, xs) => {
    list(xs).length = 0;
    return null;
  },

  // dicts
  'dict.get': (m, d, k, dflt) => {
    keyCost(m, k);
    const v = dict(d).get(k);
    return v === undefined ? dflt : v;
  },
  'dict.keys': (m, d) => {
    const dd = dict(d);
    chargeElems(m, dd.size);
    return dd.keys();
  },
  'dict.values': (m, d) => {
    const dd = dict(d);
    chargeElems(m, dd.size);
    return dd.values();
  },
  'dict.items': (m, d) => {
    const dd = dict(d);
    chargeElems(m, 3 * dd.size);
    return dd.entries();
  },
  'dict.pop': (m, d, k) => {
    keyCost(m, k);
    const dd = dict(d);
    const v = dd.get(k);
    if (v === undefined) revert('key not found');
    dd.delete(k);
    return v;
  },
  'dict.pop_default': (m, d, k, dflt) => {
    keyCost(m, k);
    const dd = dict(d);
    const v = dd.get(k);
    if (v === undefined) return dflt;
    dd.delete(k);
    return v;
  },
  'dict.setdefault': (m, d, k, dflt) => {
    keyCost(m, k);
    const dd = dict(d);
    const v = dd.get(k);
    if (v !== undefined) return v;
    chargeElems(m, 2);
    dd.set(k, dflt);
    return dflt;
  },
  'dict.copy': (m, d) => {
    const dd = dict(d);
    chargeElems(m, 2 * dd.size);
    return dd.copy();
  },
  'dict.clear': (_m, d) => {
    dict(d).clear();
    return null;
  },
  'dict.update': (m, d, o) => {
    const dd = dict(d);
    const entries = dict(o).entries();
    chargeElems(m, 2 * entries.length);
    for (const [k, v] of entries) dd.set(k, v);
    return null;
  },

  // strings
  'str.upper': (m, s) => {
    const t = str(s);
    chargeStr(m, t, t);
    return t.toUpperCase();
  },
  'str.lower': (m, s) => {
    const t = str(s);
    chargeStr(m, t, t);
    return t.toLowerCase();
  },
  'str.strip': (m, s, c) => {
    chargeStr(m, str(s));
    return pyStrip(str(s), c === null ? null : str(c), true, true);
  },
  'str.lstrip': (m, s, c) => {
    chargeStr(m, str(s));
    return pyStrip(str(s), c === null ? null : str(c), true, false);
  },
  'str.rstrip': (m, s, c) => {
    chargeStr(m, str(s));
    return pyStrip(str(s), c === null ? null : str(c), false, true);
  },
  'str.split': (m, s, sep, max) => {
    const t = str(s);
    chargeStr(m, t, t);
    const parts = sep === null ? splitWhitespace(t, num(max)) : splitSep(t, str(sep), num(max));
    chargeElems(m, parts.length);
    return parts;
  },
  'str.join': (m, sep, xs) => {
    const s = str(sep);
    const l = list(xs);
    chargeElems(m, l.length);
    let n = s.length * Math.max(0, l.length - 1);
    for (let i = 0; i < l.length; i++) {
      const x = l[i];
      if (typeof x !== 'string') revert(`sequence item ${i}: expected str instance`);
      n += x.length;
    }
    m.charge(GAS.word * words(n));
    return l.join(s);
  },
  'str.startswith': (m, s, p) => {
    chargeStr(m, str(p));
    return str(s).startsWith(str(p));
  },
  'str.endswith': (m, s, p) => {
    chargeStr(m, str(p));
    return str(s).endsWith(str(p));
  },
  'str.find': (m, s, sub) => {
    chargeStr(m, str(s), str(sub));
    return cpIndex(str(s), str(s).indexOf(str(sub)));
  },
  'str.rfind': (m, s, sub) => {
    chargeStr(m, str(s), str(sub));
    return cpIndex(str(s), str(s).lastIndexOf(str(sub)));
  },
  'str.index': (m, s, sub) => {
    chargeStr(m, str(s), str(sub));
    const i = str(s).indexOf(str(sub));
    if (i < 0) revert('substring not found');
    return cpIndex(str(s), i);
  },
  'str.replace': (m, s, a, b) => replaceAll(m, str(s), str(a), str(b)),
  'str.count': (m, s, sub) => {
    const t = str(s);
    const u = str(sub);
    chargeStr(m, t, u);
    return countSub(t, u);
  },
  'str.isdigit': (m, s) => allChars(m, str(s), (c) => DECIMAL.test(c) || DIGIT_EXTRA.test(c)),
  'str.isalpha': (m, s) => allChars(m, str(s), (c) => ALPHA.test(c)),
  'str.isalnum': (m, s) => allChars(m, str(s), (c) => ALNUM.test(c)),
  'str.isspace': (m, s) => allChars(m, str(s), isPySpace),
  'str.islower': (m, s) => caseCheck(m, str(s), false),
  'str.isupper': (m, s) => caseCheck(m, str(s), true),
  'str.zfill': (m, s, w) => {
    const width = num(w);
    const t = str(s);
    m.charge(GAS.word * words(Math.max(t.length, width)));
    return zfill(t, width);
  },
  'str.capitalize': (m, s) => {
    chargeStr(m, str(s), str(s));
    return capitalize(str(s));
  },
  'str.encode': (m, s) => {
    chargeStr(m, str(s), str(s), str(s));
    return utf8Encode(str(s));
  },

  // bytes and addresses
  'bytes.hex': (m, b) => {
    const d = bytesArg(b);
    m.charge(GAS.word * words(3 * d.length));
    return bytesToHex(d);
  },
  'bytes.decode': (m, b) => {
    const d = bytesArg(b);
    m.charge(GAS.word * words(2 * d.length));
    const s = utf8Decode(d);
    if (s === null) revert("'utf-8' codec can't decode bytes: invalid UTF-8");
    return s;
  },
  'bytes.fromhex': (m, s) => {
    chargeStr(m, str(s));
    return fromHex(str(s));
  },
  bytes_of_list: (m, xs) => {
    const l = list(xs);
    chargeElems(m, l.length);
    const out = new Uint8Array(l.length);
    l.forEach((x, i) => {
      const v = int(x);
      if (typeof v !== 'number' || v < 0 || v > 255) revert('bytes must be in range(0, 256)');
      out[i] = v;
    });
    return out;
  },
  address_of_str: (_m, s) => {
    const t = str(s);
    if (!/^zv[0-9a-fA-F]{64}$/.test(t)) revert(`invalid address ${reprStr(t.length > 80 ? t.slice(0, 80) + '...' : t)}: expected "zv" + 64 hex digits`);
    return t.toLowerCase();
  },
  address_of_bytes: (_m, b) => {
    const d = bytesArg(b);
    if (d.length !== 32) revert(`an address is 32 bytes, got ${d.length}`);
    return addressFromBytes(d);
  },
  'address.bytes': (_m, a) => {
    if (!isAddress(a)) revert('expected an Address argument');
    return addressToBytes(a);
  },
  sha256: (m, b) => hash(m, b, sha256),
  keccak256: (m, b) => hash(m, b, keccak_256),
};

/** Implementations indexed by builtin id (the B operand of CALLB). */
export const BUILTIN_IMPLS: readonly Builtin[] = BUILTINS.map((b) => IMPL[b.name]);

/** Calls builtin `id`. TvmValueErrors of value helpers (e.g. encoding a lone surrogate) revert. */
export function callBuiltin(m: Meter, id: number, args: unknown[]): unknown {
  try {
    return BUILTIN_IMPLS[id](m, args[0], args[1], args[2]);
  } catch (e) {
    if (e instanceof TvmValueError) throw new VMRevert(e.message);
    throw e;
  }
}
