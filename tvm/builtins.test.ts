import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { Asm } from './asm.ts';
import { prepareModule, pyRepr, runFunction, BUILTINS, PyDict } from './index.ts';
import { BUILTIN_IMPLS } from './builtins.ts';

function python(script: string, input: unknown): any {
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

type Arg = [type: string, value: unknown, py: string];
const I = (n: number | bigint): Arg => ['int', n, String(n)];
const S = (s: string): Arg => ['str', s, JSON.stringify(s)];
const OS = (s: string | null): Arg => ['Optional[str]', s, s === null ? 'None' : JSON.stringify(s)];
const B = (b: boolean): Arg => ['bool', b, b ? 'True' : 'False'];
const Y = (...b: number[]): Arg => ['bytes', Uint8Array.from(b), `bytes([${b.join(',')}])`];
const LI = (...xs: number[]): Arg => ['list[int]', xs, `[${xs.join(', ')}]`];
const LS = (...xs: string[]): Arg => ['list[str]', xs, JSON.stringify(xs)];
const D = (...kv: [string, number][]): Arg => ['dict[str,int]', PyDict.fromEntries(kv), `{${kv.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`];

interface Case {
  b: string;
  args: Arg[];
  ret: string;
  /** Python expression over a0, a1, ... */
  py: string;
  /** Return argument N (after the call) instead of the builtin's result: in-place methods. */
  retArg?: number;
}

const c = (b: string, args: Arg[], ret: string, py: string, retArg?: number): Case => ({ b, args, ret, py, retArg });

const CASES: Case[] = [
  // ints
  c('abs', [I(-5)], 'int', 'abs(a0)'),
  c('abs', [I(-(2n ** 255n))], 'int', 'abs(a0)'),
  c('min2', [I(3), I(-1)], 'int', 'min(a0, a1)'),
  c('min2', [S('b'), S('a')], 'str', 'min(a0, a1)'),
  c('max2', [S('\uffff'), S('😀')], 'str', 'max(a0, a1)'),
  c('divmod', [I(-7), I(2)], 'tuple[int,int]', 'divmod(a0, a1)'),
  c('divmod', [I(7), I(-2)], 'tuple[int,int]', 'divmod(a0, a1)'),
  c('divmod', [I(2n ** 200n + 1n), I(-(2n ** 100n))], 'tuple[int,int]', 'divmod(a0, a1)'),
  c('divmod', [I(1), I(0)], 'tuple[int,int]', 'divmod(a0, a1)'),
  c('powmod', [I(3), I(200), I(7)], 'int', 'pow(a0, a1, a2)'),
  c('powmod', [I(3), I(-1), I(7)], 'int', 'pow(a0, a1, a2)'),
  c('powmod', [I(2), I(-1), I(4)], 'int', 'pow(a0, a1, a2)'),
  c('powmod', [I(5), I(3), I(-7)], 'int', 'pow(a0, a1, a2)'),
  c('powmod', [I(-5), I(3), I(7)], 'int', 'pow(a0, a1, a2)'),
  c('powmod', [I(5), I(0), I(1)], 'int', 'pow(a0, a1, a2)'),
  c('powmod', [I(5), I(2), I(0)], 'int', 'pow(a0, a1, a2)'),
  c('powmod', [I(2n ** 200n), I(2n ** 100n), I(2n ** 127n - 1n)], 'int', 'pow(a0, a1, a2)'),
  c('int_of_str', [S(' -1_000 ')], 'int', 'int(a0)'),
  c('int_of_str', [S('+7')], 'int', 'int(a0)'),
  c('int_of_str', [S('\u20037\n')], 'int', 'int(a0)'),
  c('int_of_str', [S('1__0')], 'int', 'int(a0)'),
  c('int_of_str', [S('_1')], 'int', 'int(a0)'),
  c('int_of_str', [S('0x10')], 'int', 'int(a0)'),
  c('int_of_str', [S('')], 'int', 'int(a0)'),
  c('int_of_str', [S('9'.repeat(80))], 'int', 'int(a0)'),
  c('int_of_str', [S('0'.repeat(100) + '42')], 'int', 'int(a0)'),
  c('int_of_str_base', [S('0x_ff'), I(16)], 'int', 'int(a0, a1)'),
  c('int_of_str_base', [S('FF'), I(16)], 'int', 'int(a0, a1)'),
  c('int_of_str_base', [S('-zz'), I(36)], 'int', 'int(a0, a1)'),
  c('int_of_str_base', [S('010'), I(0)], 'int', 'int(a0, a1)'),
  c('int_of_str_base', [S('0_0'), I(0)], 'int', 'int(a0, a1)'),
  c('int_of_str_base', [S('0o17'), I(0)], 'int', 'int(a0, a1)'),
  c('int_of_str_base', [S('0B101'), I(0)], 'int', 'int(a0, a1)'),
  c('int_of_str_base', [S('0b101'), I(16)], 'int', 'int(a0, a1)'),
  c('int_of_str_base', [S('12'), I(1)], 'int', 'int(a0, a1)'),
  c('int_of_str_base', [S('19'), I(8)], 'int', 'int(a0, a1)'),
  // Unicode decimal digits count as digits, Unicode spaces as spaces; nothing else beyond ASCII
  c('int_of_str', [S('\u0661\u0662\u0663')], 'int', 'int(a0)'),
  c('int_of_str', [S('\xa0-\u0664_\u0662\u3000')], 'int', 'int(a0)'),
  c('int_of_str', [S('\u{1D7CF}\u{1D7D8}\u{1D7F7}')], 'int', 'int(a0)'),
  c('int_of_str', [S('\x1c12')], 'int', 'int(a0)'),
  c('int_of_str', [S('\u00b2')], 'int', 'int(a0)'),
  c('int_of_str_base', [S('\uff10x\uff11f'), I(0)], 'int', 'int(a0, a1)'),
  c('int_of_str_base', [S('\u0660\u0661'), I(0)], 'int', 'int(a0, a1)'),
  c('int_of_str_base', [S('\u212a'), I(36)], 'int', 'int(a0, a1)'),
  c('int_of_bool', [B(true)], 'int', 'int(a0)'),
  c('chr', [I(65)], 'str', 'chr(a0)'),
  c('chr', [I(0x1f600)], 'str', 'chr(a0)'),
  c('chr', [I(0x110000)], 'str', 'chr(a0)'),
  c('ord', [S('😀')], 'int', 'ord(a0)'),
  c('ord', [S('ab')], 'int', 'ord(a0)'),
  c('hex', [I(-255)], 'str', 'hex(a0)'),
  c('hex', [I(2n ** 200n)], 'str', 'hex(a0)'),
  c('bin', [I(5)], 'str', 'bin(a0)'),
  c('bin', [I(0)], 'str', 'bin(a0)'),
  c('oct', [I(-8)], 'str', 'oct(a0)'),
  // lists
  c('min_list', [LI(3, 1, 2)], 'int', 'min(a0)'),
  c('min_list', [LI()], 'int', 'min(a0)'),
  c('max_list', [LS('a', 'c', 'b')], 'str', 'max(a0)'),
  c('sum_list', [LI(1, 2, 2 ** 52, 2 ** 52, -7)], 'int', 'sum(a0)'),
  c('sum_list', [LI()], 'int', 'sum(a0)'),
  c('any_list', [LI(0, 0, 1)], 'bool', 'any(a0)'),
  c('all_list', [LI()], 'bool', 'all(a0)'),
  c('all_list', [LS('a', '')], 'bool', 'all(a0)'),
  c('sorted', [LI(3, 1, 2, -5), B(false)], 'list[int]', 'sorted(a0, reverse=a1)'),
  c('sorted', [LS('b', 'a', 'C', '😀', '\uffff'), B(true)], 'list[str]', 'sorted(a0, reverse=a1)'),
  c('sorted', [['list[tuple[int,str]]', [[1, 'b'], [1, 'a'], [0, 'z']], "[(1, 'b'), (1, 'a'), (0, 'z')]"], B(false)], 'list[tuple[int,str]]', 'sorted(a0, reverse=a1)'),
  c('sorted', [['list[tuple[int,str]]', [[1, 'b'], [0, 'z'], [1, 'a']], "[(1, 'b'), (0, 'z'), (1, 'a')]"], B(true)], 'list[tuple[int,str]]', 'sorted(a0, key=lambda t: t[0], reverse=a1)'.replace(', key=lambda t: t[0]', '')),
  c('reversed', [LI(1, 2, 3)], 'list[int]', 'list(reversed(a0))'),
  c('range_list', [I(0), I(10), I(3)], 'list[int]', 'list(range(a0, a1, a2))'),
  c('range_list', [I(10), I(0), I(-3)], 'list[int]', 'list(range(a0, a1, a2))'),
  c('range_list', [I(2n ** 60n), I(2n ** 60n + 3n), I(1)], 'list[int]', 'list(range(a0, a1, a2))'),
  c('range_list', [I(0), I(5), I(0)], 'list[int]', 'list(range(a0, a1, a2))'),
  c('enumerate', [LS('a', 'b')], 'list[tuple[int,str]]', 'list(enumerate(a0))'),
  c('zip', [LI(1, 2, 3), LS('a', 'b')], 'list[tuple[int,str]]', 'list(zip(a0, a1))'),
  c('list_copy', [LI(1, 2)], 'list[int]', 'list(a0)'),
  c('list_copy', [S('h😀')], 'list[str]', 'list(a0)'),
  c('list_of_str', [S('a😀')], 'list[str]', 'list(a0)'),
  c('list_of_dict', [D(['a', 1], ['b', 2])], 'list[str]', 'list(a0)'),
  c('list.pop', [LI(1, 2, 3)], 'int', 'a0.pop()'),
  c('list.pop', [LI()], 'int', 'a0.pop()'),
  c('list.pop_at', [LI(1, 2, 3), I(0)], 'int', 'a0.pop(a1)'),
  c('list.pop_at', [LI(1, 2, 3), I(-1)], 'list[int]', '(a0.pop(a1), a0)[1]', 0),
  c('list.pop_at', [LI(1), I(5)], 'int', 'a0.pop(a1)'),
  c('list.insert', [LI(1, 2, 3), I(-1), I(9)], 'list[int]', '(a0.insert(a1, a2), a0)[1]', 0),
  c('list.insert', [LI(1, 2, 3), I(100), I(9)], 'list[int]', '(a0.insert(a1, a2), a0)[1]', 0),
  c('list.insert', [LI(1, 2, 3), I(-100), I(9)], 'list[int]', '(a0.insert(a1, a2), a0)[1]', 0),
  c('list.extend', [LI(1), LI(2, 3)], 'list[int]', '(a0.extend(a1), a0)[1]', 0),
  c('list.index', [LI(1, 2, 3), I(2)], 'int', 'a0.index(a1)'),
  c('list.index', [LI(1), I(5)], 'int', 'a0.index(a1)'),
  c('list.count', [LI(1, 2, 1), I(1)], 'int', 'a0.count(a1)'),
  c('list.remove', [LI(1, 2, 1), I(1)], 'list[int]', '(a0.remove(a1), a0)[1]', 0),
  c('list.remove', [LI(1, 2, 1), I(7)], 'list[int]', '(a0.remove(a1), a0)[1]', 0),
  c('list.reverse', [LI(1, 2, 3)], 'list[int]', '(a0.reverse(), a0)[1]', 0),
  c('list.sort', [LI(3, 1, 2), B(true)], 'list[int]', '(a0.sort(reverse=a1), a0)[1]', 0),
  c('list.clear', [LI(3, 1, 2)], 'list[int]', '(a0.clear(), a0)[1]', 0),
  // dicts
  c('dict.get', [D(['a', 1]), S('b'), ['Optional[int]', null, 'None']], 'Optional[int]', 'a0.get(a1, a2)'),
  c('dict.get', [D(['a', 1]), S('a'), ['Optional[int]', null, 'None']], 'Optional[int]', 'a0.get(a1, a2)'),
  c('dict.keys', [D(['b', 1], ['a', 2])], 'list[str]', 'list(a0.keys())'),
  c('dict.values', [D(['b', 1], ['a', 2])], 'list[int]', 'list(a0.values())'),
  c('dict.items', [D(['b', 1], ['a', 2])], 'list[tuple[str,int]]', 'list(a0.items())'),
  c('dict.pop', [D(['b', 1], ['a', 2]), S('b')], 'dict[str,int]', '(a0.pop(a1), a0)[1]', 0),
  c('dict.pop', [D(['b', 1]), S('x')], 'int', 'a0.pop(a1)'),
  c('dict.pop_default', [D(['b', 1]), S('x'), I(7)], 'int', 'a0.pop(a1, a2)'),
  c('dict.setdefault', [D(['b', 1]), S('x'), I(7)], 'dict[str,int]', '(a0.setdefault(a1, a2), a0)[1]', 0),
  c('dict.setdefault', [D(['b', 1]), S('b'), I(7)], 'int', 'a0.setdefault(a1, a2)'),
  c('dict.copy', [D(['b', 1])], 'dict[str,int]', 'a0.copy()'),
  c('dict.clear', [D(['b', 1])], 'dict[str,int]', '(a0.clear(), a0)[1]', 0),
  c('dict.update', [D(['b', 1], ['a', 1]), D(['c', 3], ['b', 2])], 'dict[str,int]', '(a0.update(a1), a0)[1]', 0),
  // strings
  c('str.upper', [S('straße ǆ ﬁ')], 'str', 'a0.upper()'),
  c('str.lower', [S('İSTANBUL ΟΔΟΣ ΑΣ.')], 'str', 'a0.lower()'),
  c('str.strip', [S(' \t\n\x1c x y \u3000\x85'), OS(null)], 'str', 'a0.strip(a1)'),
  c('str.strip', [S('\ufeffx\ufeff'), OS(null)], 'str', 'a0.strip(a1)'),
  c('str.strip', [S('xyhixy'), OS('yx')], 'str', 'a0.strip(a1)'),
  c('str.strip', [S('😀a😀'), OS('😀')], 'str', 'a0.strip(a1)'),
  c('str.lstrip', [S('  x  '), OS(null)], 'str', 'a0.lstrip(a1)'),
  c('str.rstrip', [S('  x  '), OS(null)], 'str', 'a0.rstrip(a1)'),
  c('str.split', [S('  a  b c  '), OS(null), I(-1)], 'list[str]', 'a0.split(a1, a2)'),
  c('str.split', [S('  a  b c  '), OS(null), I(1)], 'list[str]', 'a0.split(a1, a2)'),
  c('str.split', [S('  a  b c  '), OS(null), I(0)], 'list[str]', 'a0.split(a1, a2)'),
  c('str.split', [S('a,b,,c'), OS(','), I(-1)], 'list[str]', 'a0.split(a1, a2)'),
  c('str.split', [S('a,b,c'), OS(','), I(1)], 'list[str]', 'a0.split(a1, a2)'),
  c('str.split', [S(''), OS(null), I(-1)], 'list[str]', 'a0.split(a1, a2)'),
  c('str.split', [S(''), OS(','), I(-1)], 'list[str]', 'a0.split(a1, a2)'),
  c('str.split', [S('a'), OS(''), I(-1)], 'list[str]', 'a0.split(a1, a2)'),
  c('str.join', [S(', '), LS('a', 'b', 'c')], 'str', 'a0.join(a1)'),
  c('str.startswith', [S('hello'), S('he')], 'bool', 'a0.startswith(a1)'),
  c('str.endswith', [S('hello'), S('lo')], 'bool', 'a0.endswith(a1)'),
  c('str.find', [S('a😀b😀'), S('b')], 'int', 'a0.find(a1)'),
  c('str.find', [S('abc'), S('')], 'int', 'a0.find(a1)'),
  c('str.find', [S('abc'), S('x')], 'int', 'a0.find(a1)'),
  c('str.rfind', [S('a😀b😀'), S('😀')], 'int', 'a0.rfind(a1)'),
  c('str.rfind', [S('a😀c'), S('')], 'int', 'a0.rfind(a1)'),
  c('str.index', [S('abc'), S('c')], 'int', 'a0.index(a1)'),
  c('str.index', [S('abc'), S('d')], 'int', 'a0.index(a1)'),
  c('str.replace', [S('aaa'), S('a'), S('bb')], 'str', 'a0.replace(a1, a2)'),
  c('str.replace', [S('a😀'), S(''), S('-')], 'str', 'a0.replace(a1, a2)'),
  c('str.replace', [S(''), S(''), S('-')], 'str', 'a0.replace(a1, a2)'),
  c('str.count', [S('aaaa'), S('aa')], 'int', 'a0.count(a1)'),
  c('str.count', [S('a😀c'), S('')], 'int', 'a0.count(a1)'),
  c('str.isdigit', [S('123')], 'bool', 'a0.isdigit()'),
  c('str.isdigit', [S('²³①')], 'bool', 'a0.isdigit()'),
  c('str.isdigit', [S('١٢')], 'bool', 'a0.isdigit()'),
  c('str.isdigit', [S('')], 'bool', 'a0.isdigit()'),
  c('str.isdigit', [S('½')], 'bool', 'a0.isdigit()'),
  c('str.isalpha', [S('héllo')], 'bool', 'a0.isalpha()'),
  c('str.isalpha', [S('a1')], 'bool', 'a0.isalpha()'),
  c('str.isalnum', [S('a1²½')], 'bool', 'a0.isalnum()'),
  c('str.isalnum', [S('a b')], 'bool', 'a0.isalnum()'),
  c('str.isspace', [S(' \t\x1c\u2028')], 'bool', 'a0.isspace()'),
  c('str.isspace', [S('\u200b')], 'bool', 'a0.isspace()'),
  c('str.isspace', [S('')], 'bool', 'a0.isspace()'),
  c('str.islower', [S('abc1')], 'bool', 'a0.islower()'),
  c('str.islower', [S('aBc')], 'bool', 'a0.islower()'),
  c('str.islower', [S('1')], 'bool', 'a0.islower()'),
  c('str.islower', [S('ªº')], 'bool', 'a0.islower()'),
  c('str.isupper', [S('ABC1')], 'bool', 'a0.isupper()'),
  c('str.isupper', [S('ǅ')], 'bool', 'a0.isupper()'),
  c('str.zfill', [S('-42'), I(6)], 'str', 'a0.zfill(a1)'),
  c('str.zfill', [S('+1'), I(1)], 'str', 'a0.zfill(a1)'),
  c('str.zfill', [S('abc'), I(5)], 'str', 'a0.zfill(a1)'),
  c('str.capitalize', [S('hELLO wORLD')], 'str', 'a0.capitalize()'),
  c('str.capitalize', [S('ßa')], 'str', 'a0.capitalize()'),
  c('str.capitalize', [S('ǆX')], 'str', 'a0.capitalize()'),
  c('str.capitalize', [S('')], 'str', 'a0.capitalize()'),
  c('str.encode', [S('hé😀')], 'bytes', 'a0.encode()'),
  c('str.encode', [S('\ud800')], 'bytes', 'a0.encode()'),
  // bytes
  c('bytes.hex', [Y(0, 171, 255)], 'str', 'a0.hex()'),
  c('bytes.decode', [Y(0xc3, 0xa9)], 'str', 'a0.decode()'),
  c('bytes.decode', [Y(0xff)], 'str', 'a0.decode()'),
  c('bytes.fromhex', [S('de ad BE')], 'bytes', 'bytes.fromhex(a0)'),
  c('bytes.fromhex', [S('abc')], 'bytes', 'bytes.fromhex(a0)'),
  c('bytes.fromhex', [S('zz')], 'bytes', 'bytes.fromhex(a0)'),
  c('bytes_of_list', [LI(1, 255)], 'bytes', 'bytes(a0)'),
  c('bytes_of_list', [LI(256)], 'bytes', 'bytes(a0)'),
  c('sha256', [Y(97, 98, 99)], 'bytes', '__import__("hashlib").sha256(a0).digest()'),
];

function caseModule() {
  const a = new Asm();
  CASES.forEach((k, i) => {
    const n = k.args.length;
    const ret = k.retArg ?? n;
    a.fn(`case${i}`, k.args.map((x, j) => [`a${j}`, x[0]]), k.ret, n + 1, [['CALLB', n, BUILTINS.findIndex((b) => b.name === k.b), k.args.map((_, j) => j)], ['RET', ret]]);
  });
  return prepareModule(a.build());
}

describe('builtins', () => {
  it('has an implementation for every BUILTINS entry', () => {
    expect(BUILTIN_IMPLS.length).toBe(BUILTINS.length);
    for (const f of BUILTIN_IMPLS) expect(typeof f).toBe('function');
  });

  it('match CPython', () => {
    const mod = caseModule();
    const expected = python(
      `
import json, sys
out = []
for args, expr in json.load(sys.stdin):
    env = {('a%d' % i): eval(a) for i, a in enumerate(args)}
    try:
        r = eval(expr, {}, env)
        if isinstance(r, int) and not isinstance(r, bool) and not (-2**255 <= r < 2**255): out.append('error')
        else: out.append(repr(r))
    except Exception as e:
        out.append('error')
print(json.dumps(out))`,
      CASES.map((k) => [k.args.map((x) => x[2]), k.py]),
    );
    const mismatches: string[] = [];
    CASES.forEach((k, i) => {
      const r = runFunction(mod, `case${i}`, k.args.map((x) => (x[1] instanceof PyDict ? x[1].copy() : Array.isArray(x[1]) ? x[1].slice() : x[1])));
      const got = r.ok ? pyRepr(k.ret, r.value) : 'error';
      if (got !== expected[i]) mismatches.push(`${k.b}(${k.args.map((x) => x[2]).join(', ')}): got ${got}${r.ok ? '' : ` (${r.reason})`}, python ${expected[i]}`);
    });
    expect(mismatches.join('\n')).toBe('');
  });

  it('hashes and addresses', () => {
    const a = new Asm();
    const id = (n: string) => BUILTINS.findIndex((b) => b.name === n);
    a.fn('keccak', [['b', 'bytes']], 'bytes', 2, [['CALLB', 1, id('keccak256'), [0]], ['RET', 1]]);
    a.fn('addr', [['s', 'str']], 'Address', 2, [['CALLB', 1, id('address_of_str'), [0]], ['RET', 1]]);
    a.fn('addrb', [['b', 'bytes']], 'Address', 2, [['CALLB', 1, id('address_of_bytes'), [0]], ['RET', 1]]);
    a.fn('abytes', [['a', 'Address']], 'bytes', 2, [['CALLB', 1, id('address.bytes'), [0]], ['RET', 1]]);
    const mod = prepareModule(a.build());
    const hexOf = (v: unknown) => Buffer.from(v as Uint8Array).toString('hex');
    const k = runFunction(mod, 'keccak', [new Uint8Array(0)]);
    expect(k.ok && hexOf(k.value)).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    const r = runFunction(mod, 'addr', ['zv' + 'AB'.repeat(32)]);
    expect(r.ok && r.value).toBe('zv' + 'ab'.repeat(32));
    expect(runFunction(mod, 'addr', ['zv' + 'ab'.repeat(31)]).ok).toBe(false);
    expect(runFunction(mod, 'addr', ['0x' + 'ab'.repeat(32)]).ok).toBe(false);
    const b = runFunction(mod, 'addrb', [new Uint8Array(32).fill(1)]);
    expect(b.ok && b.value).toBe('zv' + '01'.repeat(32));
    expect(runFunction(mod, 'addrb', [new Uint8Array(31)]).ok).toBe(false);
    const back = runFunction(mod, 'abytes', ['zv' + '01'.repeat(32)]);
    expect(back.ok && hexOf(back.value)).toBe('01'.repeat(32));
  });

  it('charges gas for big inputs before allocating', () => {
    const a = new Asm();
    const id = (n: string) => BUILTINS.findIndex((b) => b.name === n);
    a.fn('rng', [['n', 'int']], 'list[int]', 4, [['LOADI', 1, 0], ['LOADI', 2, 1], ['CALLB', 3, id('range_list'), [1, 0, 2]], ['RET', 3]]);
    const mod = prepareModule(a.build());
    const small = runFunction(mod, 'rng', [10]);
    const big = runFunction(mod, 'rng', [1000]);
    expect(big.gasUsed - small.gasUsed).toBe(990);
    const huge = runFunction(mod, 'rng', [2n ** 200n], { gasLimit: 100_000 });
    expect(huge.ok ? 'ok' : huge.reason).toBe('out of gas');
  });
});
