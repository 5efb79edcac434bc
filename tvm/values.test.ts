import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  decodeValue, encodeValue, formatterFor, parseCliArg, pyFormat, pyRepr, pyStr, valueEquals, compareValues, valueFromJSON, valueToJSON,
  PyDict, importValue, INT_MAX, INT_MIN, addressFromBytes, addressToBytes, isAddress, ByteWriter, objectArray,
} from './values.ts';
import { codePoints, codePointsView, copyBytes, cpLength, hasSurrogates } from './strings.ts';
import { VMRevert } from './errors.ts';
import { parseType, typeToString, type TypeDesc } from './types.ts';
import { TvmDecodeError, TvmValueError } from './errors.ts';
import { mulberry32 as rng } from '../test/support/prng.ts';

function python(script: string, input: unknown): any {
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}


const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

describe('canonical encoding', () => {
  it('encodes ints minimally in two\'s complement', () => {
    const cases: [number | bigint, string][] = [
      [0, '00'], [1, '0101'], [-1, '01ff'], [127, '017f'], [128, '020080'], [-128, '0180'], [-129, '02ff7f'],
      [255, '0200ff'], [256, '020100'], [2 ** 53 - 1, '071fffffffffffff'], [-(2 ** 53) + 1, '07e00000000000001'.slice(0, 16)],
      [INT_MAX, '207f' + 'ff'.repeat(31)], [INT_MIN, '2080' + '00'.repeat(31)],
    ];
    for (const [v, h] of cases.slice(0, -3)) expect(hex(encodeValue('int', v)), String(v)).toBe(h);
    expect(hex(encodeValue('int', INT_MAX))).toBe('207f' + 'ff'.repeat(31));
    expect(hex(encodeValue('int', INT_MIN))).toBe('2080' + '00'.repeat(31));
    for (const v of [0, 1, -1, 127, 128, -128, -129, 2 ** 53 - 1, -(2 ** 53 - 1), 2n ** 53n, -(2n ** 53n), 2n ** 200n, INT_MAX, INT_MIN]) {
      expect(decodeValue('int', encodeValue('int', v))).toBe(v);
    }
  });

  it('encodes every kind as documented', () => {
    expect(hex(encodeValue('bool', true))).toBe('01');
    expect(hex(encodeValue('str', 'hé'))).toBe('0368c3a9');
    expect(hex(encodeValue('bytes', Uint8Array.of(1, 2)))).toBe('020102');
    expect(hex(encodeValue('Address', 'zv' + 'ab'.repeat(32)))).toBe('ab'.repeat(32));
    expect(hex(encodeValue('None', null))).toBe('');
    expect(hex(encodeValue('list[int]', [1, 2]))).toBe('0201010102');
    expect(hex(encodeValue('tuple[bool,str]', [false, 'a']))).toBe('000161');
    expect(hex(encodeValue('P{x:int,y:int}', [1, 0]))).toBe('010100');
    expect(hex(encodeValue('Optional[int]', null))).toBe('00');
    expect(hex(encodeValue('Optional[int]', 5))).toBe('010105');
    const d = PyDict.fromEntries<unknown, unknown>([['b', 1], ['a', 2]]);
    expect(hex(encodeValue('dict[str,int]', d))).toBe('02016201010161' + '0102');
    expect(hex(encodeValue('str', 'x'.repeat(200))).slice(0, 4)).toBe('c801');
  });

  it('rejects non-canonical and malformed encodings', () => {
    const bad: [string, string, RegExp][] = [
      ['int', '0100', /non-minimal int/],
      ['int', '020001', /non-minimal int/],
      ['int', '02ffff', /non-minimal int/],
      ['int', '21' + '00'.repeat(33), /exceeds 32 bytes/],
      ['int', '0201', /need 2 bytes/],
      ['int', '', /unexpected end/],
      ['int', '010100', /1 trailing bytes/],
      ['bool', '02', /must be 0 or 1/],
      ['str', '8000', /non-minimal varint/],
      ['str', '01ff', /invalid UTF-8/],
      ['str', '02c0af', /invalid UTF-8/],
      ['str', '03eda080', /invalid UTF-8/],
      ['bytes', '05aabb', /need 5 bytes/],
      ['Address', 'ab'.repeat(31), /need 32 bytes/],
      ['Optional[int]', '02', /tag must be 0 or 1/],
      ['list[int]', '05', /exceeds the remaining data/],
      ['list[int]', 'ffffffffffffffff01', /varint too long/],
      ['dict[str,int]', '0201610101016101', /duplicate dict key/],
      ['list[None]', 'ffffff7f', /exceeds the remaining data/],
    ];
    for (const [t, h, re] of bad) {
      let err: unknown;
      try {
        decodeValue(t, unhex(h));
      } catch (e) {
        err = e;
      }
      expect(err, `${t} ${h}`).toBeInstanceOf(TvmDecodeError);
      expect((err as Error).message, `${t} ${h}`).toMatch(re);
    }
    // a BOM is content, not stripped
    expect(decodeValue('str', unhex('03efbbbf'))).toBe('\ufeff');
  });

  it('refuses values that do not fit the type', () => {
    for (const [t, v] of [['int', 1.5], ['int', 2n ** 255n], ['bool', 1], ['Address', 'zv12'], ['tuple[int,int]', [1]], ['str', '\ud800'], ['None', 0]] as [string, unknown][]) {
      expect(() => encodeValue(t, v), t).toThrow(TvmValueError);
    }
  });

  it('round-trips random values of random types', () => {
    const r = rng(1234);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const randType = (d: number): TypeDesc => {
      const leaf = ['int', 'bool', 'str', 'bytes', 'Address', 'None'];
      if (d > 3 || r() < 0.4) return parseType(pick(leaf));
      switch (pick(['list', 'dict', 'tuple', 'Optional', 'struct'])) {
        case 'list': return { kind: 'list', elem: randType(d + 1) };
        case 'dict': return { kind: 'dict', key: parseType(pick(['int', 'str', 'bytes', 'tuple[int,str]'])), value: randType(d + 1) };
        case 'tuple': return { kind: 'tuple', items: Array.from({ length: Math.floor(r() * 3) }, () => randType(d + 1)) };
        case 'Optional': return { kind: 'Optional', inner: randType(d + 1) };
        default: return { kind: 'struct', name: 'S', fields: Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => ({ name: 'f' + i, type: randType(d + 1) })) };
      }
    };
    const randVal = (t: TypeDesc): unknown => {
      switch (t.kind) {
        case 'int': return pick([0, 1, -1, 255, -256, 2 ** 53 - 1, 2n ** 100n, -(2n ** 254n), INT_MIN, INT_MAX, Math.floor(r() * 1e6) - 5e5]);
        case 'bool': return r() < 0.5;
        case 'str': return pick(['', 'a', 'héllo', '😀x', 'line\n"q"']);
        case 'bytes': return Uint8Array.from({ length: Math.floor(r() * 5) }, () => Math.floor(r() * 256));
        case 'Address': return 'zv' + Math.floor(r() * 16).toString(16).repeat(64);
        case 'None': return null;
        case 'Optional': return r() < 0.3 ? null : randVal(t.inner);
        case 'list': return Array.from({ length: Math.floor(r() * 4) }, () => randVal(t.elem));
        case 'tuple': return t.items.map(randVal);
        case 'struct': return t.fields.map((f) => randVal(f.type));
        case 'dict': {
          const d = new PyDict();
          for (let i = 0; i < 3; i++) d.set(randVal(t.key), randVal(t.value));
          return d;
        }
      }
    };
    for (let i = 0; i < 500; i++) {
      const t = randType(0);
      const v = randVal(t);
      const enc = encodeValue(t, v);
      const back = decodeValue(t, enc);
      expect(valueEquals(back, v), typeToString(t)).toBe(true);
      expect(hex(encodeValue(t, back))).toBe(hex(enc));
      expect(valueEquals(valueFromJSON(t, JSON.parse(JSON.stringify(valueToJSON(t, v)))), v)).toBe(true);
      // every strict prefix fails to decode, with a TvmDecodeError
      for (let k = 0; k < enc.length; k++) {
        try {
          decodeValue(t, enc.subarray(0, k));
        } catch (e) {
          expect(e).toBeInstanceOf(TvmDecodeError);
        }
      }
    }
  });
});

// [type, JS value, Python expression]
const P = 'zv' + '0a'.repeat(32);
const REPR_CASES: [string, unknown, string][] = [
  ['int', -42, '-42'],
  ['int', 2n ** 200n, '2**200'],
  ['bool', true, 'True'],
  ['None', null, 'None'],
  ['str', "it's", `"it's"`],
  ['str', 'say "hi"', `'say "hi"'`],
  ['str', `both ' and "`, `'both \\' and "'`],
  ['str', 'tab\tnl\ncr\rbs\\', "'tab\\tnl\\ncr\\rbs\\\\'"],
  ['str', '\x00\x1f\x7f\x80\xa0\xad é', "'\\x00\\x1f\\x7f\\x80\\xa0\\xad é'"],
  ['str', '\u2028\u200b\ufeff😀\u{10ffff}\u0378', "'\\u2028\\u200b\\ufeff😀\\U0010ffff\\u0378'"],
  ['str', '\ud800x', "'\\ud800x'"],
  ['bytes', Uint8Array.from([0, 9, 10, 13, 39, 92, 65, 127, 128, 255]), "bytes([0, 9, 10, 13, 39, 92, 65, 127, 128, 255])"],
  ['bytes', Uint8Array.from([39, 34]), "b'\\'\"'"],
  ['bytes', Uint8Array.from([39]), `b"'"`],
  ['list[int]', [1, 2, 3], '[1, 2, 3]'],
  ['list[str]', [], '[]'],
  ['tuple[int]', [1], '(1,)'],
  ['tuple[]', [], '()'],
  ['tuple[int,str]', [1, 'a'], "(1, 'a')"],
  ['dict[str,list[int]]', PyDict.fromEntries<unknown, unknown>([['b', [1]], ['a', []]]), "{'b': [1], 'a': []}"],
  ['dict[int,bool]', new PyDict(), '{}'],
  ['Optional[int]', null, 'None'],
  ['Optional[str]', 'x', "'x'"],
  ['Point{x:int,y:int}', [1, -2], 'Point(x=1, y=-2)'],
  ['m.Pair{a:str,b:Optional[bytes]}', ['q', null], "Pair(a='q', b=None)"],
  ['list[tuple[str,bool]]', [['a', false]], "[('a', False)]"],
];

describe('repr and str match CPython', () => {
  it('repr', () => {
    const expected = python(
      `
import json, sys
from dataclasses import dataclass
@dataclass
class Point:
    x: int
    y: int
@dataclass
class Pair:
    a: str
    b: object
print(json.dumps([repr(eval(e)) for e in json.load(sys.stdin)]))`,
      REPR_CASES.map((c) => c[2]),
    );
    REPR_CASES.forEach(([t, v], i) => expect(pyRepr(t, v), `${t} ${REPR_CASES[i][2]}`).toBe(expected[i]));
  });

  it('str', () => {
    const expected = python(
      `
import json, sys
print(json.dumps([str(eval(e)) for e in json.load(sys.stdin)]))`,
      REPR_CASES.filter((c) => !c[0].includes('{')).map((c) => c[2]),
    );
    REPR_CASES.filter((c) => !c[0].includes('{')).forEach(([t, v], i) => expect(pyStr(t, v)).toBe(expected[i]));
  });

  it('Address prints its text and reprs as Address(...)', () => {
    expect(pyStr('Address', P)).toBe(P);
    expect(pyRepr('Address', P)).toBe(`Address('${P}')`);
    expect(pyRepr('list[Address]', [P])).toBe(`[Address('${P}')]`);
  });
});

describe('format specs match CPython', () => {
  const INT_SPECS = ['', 'd', 'x', 'X', 'b', 'o', '#x', '#X', '#b', '#o', '>8', '<8', '^8', '08', '+d', ' d', '=+8', '*^9', ',', '_', '_x', '_b',
    '012,', '011,', '#012_b', '012_x', '+#010x', 'c', '>5c', 'n', '-^7d', '010', '0>5', 'z', '.2', ',x', '+c', 'q', '5.5'];
  const INTS = [0, 5, -5, 255, -255, 1234567, -1234567, 65, 2n ** 100n, -(2n ** 100n)];
  const STR_SPECS = ['', 's', '>6', '<6', '^6', '*^7', '.2', '>8.3', '05', '+', '=5', ',', '#', 'd'];
  const STRS = ['ab', 'héllo', '😀b', ''];

  it('ints, bools and strs', () => {
    const cases: [string, unknown, string, string][] = [];
    for (const v of INTS) for (const s of INT_SPECS) cases.push(['int', v, s, `${v}`]);
    for (const v of [true, false]) for (const s of ['', 'd', '>5', '#x', '^7']) cases.push(['bool', v, s, v ? 'True' : 'False']);
    for (const v of STRS) for (const s of STR_SPECS) cases.push(['str', v, s, JSON.stringify(v)]);
    const expected = python(
      `
import json, sys
out = []
for expr, spec in json.load(sys.stdin):
    try: out.append(format(eval(expr), spec))
    except (ValueError, TypeError, OverflowError) as e: out.append('error: ' + str(e))
print(json.dumps(out))`,
      cases.map((c) => [c[3], c[2]]),
    );
    const mismatches: string[] = [];
    cases.forEach(([t, v, spec], i) => {
      let got: string;
      try {
        got = pyFormat(t, v, spec);
      } catch (e) {
        if (!(e instanceof TvmValueError)) throw e;
        got = 'error: ' + e.message;
      }
      const want: string = expected[i];
      // error messages: the same class of failure is enough for unusual float conversions
      if (want.startsWith('error') && got.startsWith('error')) return;
      if (got !== want) mismatches.push(`format(${String(v)}, ${JSON.stringify(spec)}): got ${JSON.stringify(got)}, python ${JSON.stringify(want)}`);
    });
    expect(mismatches.join('\n')).toBe('');
  });

  it('formatterFor gives the text, gas and errors of pyFormat for every value', () => {
    const outcome = (f: (m: { charge(g: number): void }) => string): string => {
      let gas = 0;
      try {
        return `${f({ charge: (g) => void (gas += g) })} gas ${gas}`;
      } catch (e) {
        return `${e instanceof TvmValueError ? 'value error' : 'other'}: ${(e as Error).message} gas ${gas}`;
      }
    };
    const values: unknown[] = [...INTS, 9007199254740991, -9007199254740991, 1.5, 'ab', true, null, []];
    const mismatches: string[] = [];
    for (const type of ['int', 'bool', 'str', 'Optional[int]']) {
      for (const spec of [...INT_SPECS, ...STR_SPECS, '2000000']) {
        const t = parseType(type);
        const fmt = formatterFor(t, spec);
        for (const v of values) {
          const want = outcome((m) => pyFormat(t, v, spec, m));
          const got = outcome((m) => fmt(v, m));
          if (got !== want) mismatches.push(`${type} ${JSON.stringify(spec)} ${String(v)}: ${got} vs ${want}`);
        }
      }
    }
    expect(mismatches.join('\n')).toBe('');
  });

  it('other types accept only the empty spec', () => {
    expect(pyFormat('list[int]', [1], '')).toBe('[1]');
    expect(() => pyFormat('list[int]', [1], '>5')).toThrow(/unsupported format string passed to list.__format__/);
    expect(() => pyFormat('None', null, 'x')).toThrow(/NoneType/);
  });
});

describe('ordering and equality', () => {
  it('compares like Python', () => {
    expect(compareValues(1, 2n ** 100n)).toBe(-1);
    expect(compareValues('a', 'b')).toBe(-1);
    expect(compareValues('\uffff', '\u{10000}')).toBe(-1);
    expect(compareValues([1, 'b'], [1, 'a'])).toBe(1);
    expect(compareValues([1], [1, 0])).toBe(-1);
    expect(compareValues(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(-1);
    expect(compareValues(true, 0)).toBe(1);
    expect(() => compareValues(null, null)).toThrow(/not supported/);
    expect(valueEquals(true, 1)).toBe(true);
    expect(valueEquals(PyDict.fromEntries([[1, 'a']]), PyDict.fromEntries([[1, 'a']]))).toBe(true);
    expect(valueEquals([Uint8Array.of(1)], [Uint8Array.of(1)])).toBe(true);
  });

  it('dict keys compare by value, keep insertion order, and move on delete + insert', () => {
    const d = new PyDict();
    d.set(Uint8Array.of(1, 2), 'a');
    d.set([1, 'x'], 'b');
    d.set(2n ** 100n, 'c');
    d.set(Uint8Array.of(1, 2), 'A');
    expect(d.get(Uint8Array.of(1, 2))).toBe('A');
    expect(d.get([1, 'x'])).toBe('b');
    expect(d.get(2n ** 100n)).toBe('c');
    expect(d.keys().length).toBe(3);
    d.delete([1, 'x']);
    d.set([1, 'x'], 'z');
    expect(d.values()).toEqual(['A', 'c', 'z']);
  });
});

describe('JSON and command-line values', () => {
  it('converts to and from JSON', () => {
    const t = 'S{a:int,b:bytes,c:dict[str,int],d:tuple[Address,Optional[int]]}';
    const v = [2n ** 100n, Uint8Array.of(0xab), PyDict.fromEntries<unknown, unknown>([['z', 1], ['1', 2]]), [P, null]];
    const j = valueToJSON(t, v);
    expect(j).toEqual({ a: String(2n ** 100n), b: '0xab', c: [['z', 1], ['1', 2]], d: [P, null] });
    expect(valueEquals(valueFromJSON(t, j), v)).toBe(true);
    expect(valueEquals(valueFromJSON('dict[str,int]', { a: 1 }), PyDict.fromEntries([['a', 1]]))).toBe(true);
    expect(() => valueFromJSON('int', 1.5)).toThrow(/not an exact integer/);
    expect(() => valueFromJSON('list[int]', [1, 'x'])).toThrow(/\[1\]: not an integer/);
    expect(() => valueFromJSON('S{a:int}', { a: 1, b: 2 })).toThrow(/unknown field 'b'/);
    expect(() => valueFromJSON('S{a:int}', {})).toThrow(/missing field 'a'/);
    expect(() => valueFromJSON('int', String(2n ** 255n))).toThrow(/256-bit range/);
  });

  it('parses command-line arguments', () => {
    expect(parseCliArg('int', '1_000')).toBe(1000);
    expect(parseCliArg('int', '-0x10')).toBe(-16);
    expect(parseCliArg('int', String(2n ** 100n))).toBe(2n ** 100n);
    expect(parseCliArg('bool', 'True')).toBe(true);
    expect(parseCliArg('bool', '0')).toBe(false);
    expect(parseCliArg('str', ' x ')).toBe(' x ');
    expect(parseCliArg('bytes', '0xdead')).toEqual(Uint8Array.of(0xde, 0xad));
    expect(parseCliArg('Address', P)).toBe(P);
    expect(parseCliArg('Optional[int]', 'None')).toBe(null);
    expect(parseCliArg('list[int]', '[1, "2"]')).toEqual([1, 2]);
    for (const [t, s] of [['int', '1__0'], ['int', '_1'], ['int', '1.0'], ['bool', 'yes'], ['bytes', 'dead'], ['bytes', '0xabc'], ['Address', 'zvXY'], ['list[int]', '[1,']]) {
      expect(() => parseCliArg(t, s), `${t} ${s}`).toThrow(TvmValueError);
    }
  });

  it('imports caller values: bigints are normalized, containers copied', () => {
    const xs = [1n, 2];
    const v = importValue('list[int]', xs) as unknown[];
    expect(v).toEqual([1, 2]);
    expect(v).not.toBe(xs);
    expect(() => importValue('int', 1.5)).toThrow(/expected int/);
  });
});

// The fast paths (memos of addresses and strings, reused writer buffers, slab copies) must give
// exactly what the plain definitions give, whatever order values come in.
describe('fast paths agree with the plain definitions', () => {
  const plainIsAddress = (v: unknown) => typeof v === 'string' && /^zv[0-9a-f]{64}$/.test(v);

  it('checks and converts addresses, memoized or not', () => {
    const rand = rng(11);
    const bytes = () => Uint8Array.from({ length: 32 }, () => Math.floor(rand() * 256));
    // More distinct addresses than the memos hold, each seen twice, to go through evictions.
    const all = Array.from({ length: 5000 }, bytes);
    for (const pass of [0, 1]) {
      for (const b of all) {
        const a = addressFromBytes(b);
        expect(a).toBe('zv' + hex(b));
        expect(isAddress(a)).toBe(true);
        const back = addressToBytes(a);
        expect(hex(back)).toBe(hex(b));
        back[0] ^= 1; // a fresh copy: changing it changes nothing else
        if (pass === 1) expect(hex(addressToBytes(a))).toBe(hex(b));
      }
    }
    const a = addressFromBytes(all[0]);
    for (const v of [a.toUpperCase(), 'zV' + a.slice(2), a.slice(0, 65), a + '0', a.slice(0, 65) + 'g', 'xx' + a.slice(2), a.slice(0, 40) + '\u0660' + a.slice(41), 42, null]) {
      expect(isAddress(v), String(v)).toBe(plainIsAddress(v));
    }
    // The memo keys on content: changing the bytes after a call gives the new address.
    const b = Uint8Array.from(all[1]);
    const before = addressFromBytes(b);
    b[31] ^= 0xff;
    expect(addressFromBytes(b)).toBe('zv' + hex(b));
    expect(addressFromBytes(all[1])).toBe(before);
    expect(encodeValue('Address', a)).toEqual(all[0]);
    expect(() => encodeValue('Address', a.toUpperCase())).toThrow(TvmValueError);
  });

  it('writers hand out independent copies, across sizes and nesting', () => {
    const rand = rng(12);
    const outs: [Uint8Array, string][] = [];
    for (let i = 0; i < 300; i++) {
      const n = [0, 1, 15, 16, 17, 63, 64, 65, 200, 1024, 1025, 5000][i % 12];
      const data = Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
      const w = new ByteWriter();
      w.bytes(data.subarray(0, n >> 1));
      const inner = new ByteWriter(); // a second live writer must not share the first's buffer
      inner.bytes(data);
      w.bytes(data.subarray(n >> 1));
      const out = w.finish();
      expect(hex(inner.finish())).toBe(hex(data));
      outs.push([out, hex(data)]);
    }
    for (const [out, want] of outs) expect(hex(out)).toBe(want);
    const limited = new ByteWriter(3);
    limited.bytes(Uint8Array.of(1, 2, 3));
    expect(() => limited.byte(4)).toThrow(VMRevert);
  });

  it('copies byte ranges of every size', () => {
    const rand = rng(13);
    const src = Uint8Array.from({ length: 3000 }, () => Math.floor(rand() * 256));
    const want = Uint8Array.from(src);
    const copies: [Uint8Array, number, number][] = [];
    for (let i = 0; i < 400; i++) {
      const start = Math.floor(rand() * 1000);
      const n = Math.floor(rand() * (i % 2 ? 100 : 1500));
      copies.push([copyBytes(src, start, start + n), start, n]);
    }
    src.fill(0); // the copies do not share the source's memory
    for (const [c, start, n] of copies) expect(hex(c)).toBe(hex(want.subarray(start, start + n)));
    // nor each other's (copies carved from one slab must not overlap)
    copies.forEach(([c], i) => c.fill(i & 0xff));
    copies.forEach(([c, , n], i) => expect(hex(c)).toBe((i & 0xff).toString(16).padStart(2, '0').repeat(n)));
  });

  it('measures strings in code points whatever was asked before', () => {
    const long = 'ab'.repeat(40);
    const withPair = long + '\u{1F600}' + long;
    const withLone = long + '\ud800' + long;
    const sameLength = 'ba'.repeat(40) + 'xy' + long; // as long as withPair, no surrogates
    const order = [long, withPair, withPair, sameLength, withLone, long, withPair, sameLength];
    for (const s of order) {
      expect(hasSurrogates(s)).toBe(/[\ud800-\udfff]/.test(s));
      expect(cpLength(s)).toBe(Array.from(s).length);
      expect(codePointsView(s)).toEqual(codePoints(s));
    }
  });

  it('objectArray gives an empty array', () => {
    const a = objectArray<{ x: number }>();
    expect(a).toEqual([]);
    a.push({ x: 1 });
    expect(a).toEqual([{ x: 1 }]);
  });
});
