import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Asm, type AsmLine } from './asm.ts';
import { prepareModule, runFunction, Op, type ExecResult } from './index.ts';
import { MAX_FRAMES } from './interpreter.ts';

function python(script: string, input: unknown): any {
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

function outcome(r: ExecResult): string {
  return r.ok ? String(r.value) : `revert: ${r.reason}`;
}

describe('interpreter switch', () => {
  it('numeric case labels match the opcode table', () => {
    const src = readFileSync(new URL('./interpreter.ts', import.meta.url), 'utf8');
    const labels = [...src.matchAll(/case (\d+): (?:\{ )?\/\/ ([A-Z]+)/g)];
    const seen = new Set<string>();
    for (const [, num, name] of labels) {
      if (name === 'GAS') continue;
      expect(Op[name as keyof typeof Op], name).toBe(Number(num));
      seen.add(name);
    }
    // every opcode has its case
    for (const name of Object.keys(Op)) expect(seen.has(name), name).toBe(true);
  });
});

const BINOPS: [string, string][] = [
  ['ADD', '+'], ['SUB', '-'], ['MUL', '*'], ['FLOORDIV', '//'], ['MOD', '%'], ['POW', '**'],
  ['SHL', '<<'], ['SHR', '>>'], ['BAND', '&'], ['BOR', '|'], ['BXOR', '^'],
  ['EQ', '=='], ['NE', '!='], ['LT', '<'], ['LE', '<='], ['GT', '>'], ['GE', '>='],
];

function binopModule() {
  const a = new Asm();
  for (const [op] of BINOPS) {
    const ret = ['EQ', 'NE', 'LT', 'LE', 'GT', 'GE'].includes(op) ? 'bool' : 'int';
    a.fn(op.toLowerCase(), [['a', 'int'], ['b', 'int']], ret, 3, [[op, 2, 0, 1], ['RET', 2]]);
  }
  a.fn('neg', [['a', 'int']], 'int', 2, [['NEG', 1, 0], ['RET', 1]]);
  a.fn('invert', [['a', 'int']], 'int', 2, [['INVERT', 1, 0], ['RET', 1]]);
  return prepareModule(a.build());
}

const P = 2n ** 255n;
const EDGE = [
  0n, 1n, -1n, 2n, -2n, 3n, -3n, 7n, -7n, 10n, 255n, 256n, 257n, 2n ** 31n, -(2n ** 31n), 2n ** 32n,
  2n ** 53n - 1n, -(2n ** 53n - 1n), 2n ** 53n, -(2n ** 53n), 2n ** 53n + 1n, 2n ** 63n, -(2n ** 64n),
  10n ** 30n, -(10n ** 30n), 2n ** 128n + 12345n, P - 1n, -P, -P + 1n, P / 2n, 94906265n, 94906267n,
];

describe('integer arithmetic matches CPython', () => {
  it('binary and unary operators on edge values, with overflow reverts', () => {
    const mod = binopModule();
    const cases: [string, string, string][] = [];
    for (const [op] of BINOPS) for (const x of EDGE) for (const y of EDGE) cases.push([op, String(x), String(y)]);
    const expected = python(
      `
import json, sys
MIN, MAX = -2**255, 2**255 - 1
SYM = dict(${BINOPS.map(([o, s]) => `${o}='${s}'`).join(', ')})
def ev(op, a, b):
    if op == 'POW':
        if b < 0: return 'revert: negative exponent'
        if abs(a) >= 2 and b > 300: return 'revert: integer overflow'
    if op == 'SHL':
        if b < 0: return 'revert: negative shift count'
        if a != 0 and b > 300: return 'revert: integer overflow'
    if op == 'SHR' and b < 0: return 'revert: negative shift count'
    if op in ('FLOORDIV', 'MOD') and b == 0: return 'revert: division by zero'
    r = eval('a %s b' % SYM[op])
    if isinstance(r, bool): return 'true' if r else 'false'
    if r < MIN or r > MAX: return 'revert: integer overflow'
    return str(r)
out = [ev(op, int(a), int(b)) for op, a, b in json.load(sys.stdin)]
print(json.dumps(out))
`,
      cases,
    );
    const mismatches: string[] = [];
    cases.forEach(([op, x, y], i) => {
      const got = outcome(runFunction(mod, op.toLowerCase(), [BigInt(x), BigInt(y)]));
      if (got !== expected[i]) mismatches.push(`${x} ${op} ${y}: got ${got}, python ${expected[i]}`);
    });
    expect(mismatches.slice(0, 20).join('\n')).toBe('');
    for (const x of EDGE) {
      const n = -x >= -P && -x <= P - 1n ? String(-x) : 'revert: integer overflow';
      expect(outcome(runFunction(mod, 'neg', [x]))).toBe(n);
      const inv = -x - 1n >= -P && -x - 1n <= P - 1n ? String(-x - 1n) : 'revert: integer overflow';
      expect(outcome(runFunction(mod, 'invert', [x]))).toBe(inv);
    }
  });

  it('results are normalized: big intermediate values coming back into the safe range are numbers', () => {
    const mod = binopModule();
    const r = runFunction(mod, 'sub', [2n ** 60n, 2n ** 60n - 5n]);
    expect(r.ok && r.value).toBe(5);
    const q = runFunction(mod, 'floordiv', [2n ** 200n, 2n ** 199n]);
    expect(q.ok && q.value).toBe(2);
    const big = runFunction(mod, 'mul', [2n ** 40n, 2n ** 40n]);
    expect(big.ok && big.value).toBe(2n ** 80n);
  });

  it('bool operands of bitwise operators give bools', () => {
    const a = new Asm();
    a.fn('f', [['a', 'bool'], ['b', 'bool']], 'tuple[bool,bool,bool]', 6, [
      ['BAND', 2, 0, 1], ['BOR', 3, 0, 1], ['BXOR', 4, 0, 1], ['NEWTUPLE', 5, [2, 3, 4]], ['RET', 5],
    ]);
    const mod = prepareModule(a.build());
    expect((runFunction(mod, 'f', [true, false]) as any).value).toEqual([false, true, true]);
    expect((runFunction(mod, 'f', [true, true]) as any).value).toEqual([true, true, false]);
  });
});

function loopModule(extra: AsmLine[] = []) {
  const a = new Asm();
  a.fn('count', [['n', 'int']], 'int', 4, [
    ['LOADI', 1, 0],
    ['LOADI', 2, 1],
    'loop:',
    ['ADD', 1, 1, 2],
    ['LT', 3, 1, 0],
    ['JT', 3, 'loop'],
    ['RET', 1],
  ]);
  a.fn('forever', [], 'None', 1, ['top:', ['NOP'], ...extra, ['JMP', 'top']]);
  a.fn('recurse', [['n', 'int']], 'int', 3, [
    ['LOADI', 1, 1],
    ['ADD', 2, 0, 1],
    ['CALL', 2, 'recurse', [2]],
    ['RET', 2],
  ]);
  a.fn('depth', [['n', 'int']], 'int', 4, [
    // depth(n) = 0 if n == 0 else 1 + depth(n - 1)
    ['LOADI', 1, 0],
    ['EQ', 2, 0, 1],
    ['JF', 2, 'more'],
    ['RET', 1],
    'more:',
    ['LOADI', 1, 1],
    ['SUB', 2, 0, 1],
    ['CALL', 3, 'depth', [2]],
    ['ADD', 3, 3, 1],
    ['RET', 3],
  ]);
  return prepareModule(a.build());
}

describe('gas', () => {
  it('charges each basic block once: a counting loop costs 3 per iteration', () => {
    const mod = loopModule();
    const r1 = runFunction(mod, 'count', [10]);
    const r2 = runFunction(mod, 'count', [20]);
    expect(r1.ok && r2.ok).toBe(true);
    expect(r2.gasUsed - r1.gasUsed).toBe(30);
  });

  it('stops an infinite loop with "out of gas" and gasUsed = limit', () => {
    const mod = loopModule();
    const r = runFunction(mod, 'forever', [], { gasLimit: 100_000 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('out of gas');
      expect(r.gasUsed).toBe(100_000);
      expect(r.location).not.toBeNull();
    }
  });

  it('uses identical gas across repeated runs', () => {
    const mod = loopModule();
    const runs = Array.from({ length: 5 }, () => runFunction(mod, 'count', [1000]).gasUsed);
    expect(new Set(runs).size).toBe(1);
  });

  it('a gas limit of zero fails immediately', () => {
    const r = runFunction(loopModule(), 'count', [3], { gasLimit: 0 });
    expect(r.ok ? 'ok' : r.reason).toBe('out of gas');
  });
});

describe('calls', () => {
  it('recursion works up to the frame limit and reverts beyond it', () => {
    const mod = loopModule();
    const ok = runFunction(mod, 'depth', [MAX_FRAMES - 1]);
    expect(ok.ok && ok.value).toBe(MAX_FRAMES - 1);
    const deep = runFunction(mod, 'depth', [MAX_FRAMES]);
    expect(deep.ok ? 'ok' : deep.reason).toBe('call depth exceeded');
    const inf = runFunction(mod, 'recurse', [0]);
    expect(inf.ok ? 'ok' : inf.reason).toBe('call depth exceeded');
  });
});

describe('reverts', () => {
  it('REVERT carries its reason and location; VM errors use short reasons', () => {
    const a = new Asm();
    const k = a.str('nope');
    a.fn('boom', [], 'None', 2, [['NOP'], ['LOADK', 0, k], ['REVERT', 0]]);
    a.fn('idx', [['xs', 'list[int]'], ['i', 'int']], 'int', 3, [['GETITEM', 2, 0, 1], ['RET', 2]]);
    a.fn('key', [['d', 'dict[str,int]'], ['k', 'str']], 'int', 3, [['GETITEM', 2, 0, 1], ['RET', 2]]);
    const mod = prepareModule(a.build());
    const r = runFunction(mod, 'boom', []);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('nope');
      expect(r.location).toEqual({ address: null, fn: 0, pc: 2 });
    }
    expect(outcome(runFunction(mod, 'idx', [[1, 2, 3], -1]))).toBe('3');
    expect(outcome(runFunction(mod, 'idx', [[1, 2, 3], 3]))).toBe('revert: index out of range');
    expect(outcome(runFunction(mod, 'idx', [[1, 2, 3], -4]))).toBe('revert: index out of range');
    expect(outcome(runFunction(mod, 'idx', [[1, 2, 3], 2n ** 100n]))).toBe('revert: index out of range');
    expect(outcome(runFunction(mod, 'key', [new Map([['a', 1]]), 'b']))).toBe('revert: key not found');
  });

  it('ill-typed operands revert instead of crashing', () => {
    const a = new Asm();
    a.fn('f', [['x', 'str']], 'int', 3, [['LOADI', 1, 1], ['ADD', 2, 0, 1], ['RET', 2]]);
    a.fn('g', [['x', 'int']], 'int', 3, [['APPEND', 0, 0], ['RET', 0]]);
    a.fn('h', [['x', 'int']], 'int', 3, [['JT', 0, 0], ['RET', 0]]);
    const mod = prepareModule(a.build());
    for (const f of ['f', 'g', 'h']) expect(runFunction(mod, f, [f === 'f' ? 'a' : 1]).ok).toBe(false);
  });

  it('bad arguments revert with the parameter index and type', () => {
    const mod = loopModule();
    const r = runFunction(mod, 'count', ['ten']);
    expect(r.ok ? 'ok' : r.reason).toBe('bad argument 0: expected int');
    const r2 = runFunction(mod, 'count', [1, 2]);
    expect(r2.ok ? 'ok' : r2.reason).toMatch(/^bad arguments/);
    const r3 = runFunction(mod, 'nosuch', []);
    expect(r3.ok ? 'ok' : r3.reason).toMatch(/no function 'nosuch'/);
  });
});

describe('containers and strings', () => {
  const a = new Asm();
  a.fn('slice', [['s', 'str'], ['lo', 'Optional[int]'], ['hi', 'Optional[int]'], ['st', 'Optional[int]']], 'str', 5, [['SLICE', 4, 0, 1, 2, 3], ['RET', 4]]);
  a.fn('lslice', [['s', 'list[int]'], ['lo', 'Optional[int]'], ['hi', 'Optional[int]'], ['st', 'Optional[int]']], 'list[int]', 5, [['SLICE', 4, 0, 1, 2, 3], ['RET', 4]]);
  a.fn('len', [['s', 'str']], 'int', 2, [['LEN', 1, 0], ['RET', 1]]);
  a.fn('at', [['s', 'str'], ['i', 'int']], 'str', 3, [['GETITEM', 2, 0, 1], ['RET', 2]]);
  a.fn('has', [['s', 'str'], ['t', 'str']], 'bool', 3, [['CONTAINS', 2, 1, 0], ['RET', 2]]);
  a.fn('rep', [['s', 'list[int]'], ['n', 'int']], 'list[int]', 3, [['REPEAT', 2, 0, 1], ['RET', 2]]);
  a.fn('cat', [['s', 'bytes'], ['t', 'bytes']], 'bytes', 3, [['CONCAT', 2, 0, 1], ['RET', 2]]);
  a.fn('dict', [['k', 'str'], ['v', 'int']], 'dict[str,int]', 6, [
    ['NEWDICT', 2, [0, 1]], ['LOADI', 3, 5], ['LOADK', 4, a.str('z')], ['SETITEM', 2, 4, 3], ['SETITEM', 2, 0, 3], ['RET', 2],
  ]);
  a.fn('cmp', [['a', 'list[str]'], ['b', 'list[str]']], 'bool', 3, [['LT', 2, 0, 1], ['RET', 2]]);
  a.fn('eqd', [['a', 'dict[str,int]'], ['b', 'dict[str,int]']], 'bool', 3, [['EQ', 2, 0, 1], ['RET', 2]]);
  const mod = prepareModule(a.build());

  it('slices like Python', () => {
    const cases: [string, number | null, number | null, number | null][] = [];
    const idx = [null, 0, 1, -1, 3, -3, 10, -10];
    for (const lo of idx) for (const hi of idx) for (const st of [null, 1, 2, -1, -2, 3]) cases.push(['abcdef😀g', lo, hi, st]);
    const expected = python(
      `
import json, sys
print(json.dumps([[s[lo:hi:st], list(range(7))[lo:hi:st]] for s, lo, hi, st in json.load(sys.stdin)]))`,
      cases,
    );
    cases.forEach(([s, lo, hi, st], i) => {
      expect((runFunction(mod, 'slice', [s, lo, hi, st]) as any).value, JSON.stringify(cases[i])).toBe(expected[i][0]);
      expect((runFunction(mod, 'lslice', [[0, 1, 2, 3, 4, 5, 6], lo, hi, st]) as any).value).toEqual(expected[i][1]);
    });
    expect(outcome(runFunction(mod, 'slice', ['abc', null, null, 0]))).toBe('revert: slice step cannot be zero');
  });

  it('measures and indexes str in code points', () => {
    expect(outcome(runFunction(mod, 'len', ['a😀b']))).toBe('3');
    expect(outcome(runFunction(mod, 'at', ['a😀b', 1]))).toBe('😀');
    expect(outcome(runFunction(mod, 'at', ['a😀b', -1]))).toBe('b');
    expect(outcome(runFunction(mod, 'has', ['hello', 'ell']))).toBe('true');
  });

  it('repeat, concat, dict insertion order, deep comparison', () => {
    expect((runFunction(mod, 'rep', [[1, 2], 3]) as any).value).toEqual([1, 2, 1, 2, 1, 2]);
    expect((runFunction(mod, 'rep', [[1, 2], -3]) as any).value).toEqual([]);
    expect(outcome(runFunction(mod, 'rep', [[1], 2n ** 200n], { gasLimit: 1_000_000 }))).toBe('revert: out of gas');
    expect((runFunction(mod, 'cat', [Uint8Array.of(1), Uint8Array.of(2, 3)]) as any).value).toEqual(Uint8Array.of(1, 2, 3));
    const d = (runFunction(mod, 'dict', ['a', 1]) as any).value;
    expect(d.entries()).toEqual([['a', 5], ['z', 5]]);
    expect(outcome(runFunction(mod, 'cmp', [['a', 'b'], ['a', 'c']]))).toBe('true');
    expect(outcome(runFunction(mod, 'cmp', [['\uffff'], ['😀']]))).toBe('true'); // code point order
    expect(outcome(runFunction(mod, 'eqd', [new Map([['a', 1], ['b', 2]]), new Map([['b', 2], ['a', 1]])]))).toBe('true');
  });
});

describe('value operations', () => {
  const a = new Asm();
  const P = 'P{x:int,y:list[int]}';
  a.fn('copy', [['p', P]], 'tuple[P{x:int,y:list[int]},P{x:int,y:list[int]}]', 6, [
    ['COPY', 1, 0, a.type(P)],
    ['LOADI', 2, 9],
    ['SETFIELD', 1, 0, 2],
    ['GETFIELD', 3, 1, 1],
    ['APPEND', 3, 2],
    ['NEWTUPLE', 4, [0, 1]],
    ['RET', 4],
  ]);
  a.fn('fresh', [], 'bool', 4, [
    ['LOADDEF', 0, a.type('list[int]')],
    ['LOADDEF', 1, a.type('list[int]')],
    ['LOADI', 2, 1],
    ['APPEND', 0, 2],
    ['EQ', 3, 0, 1],
    ['RET', 3],
  ]);
  a.fn('text', [['x', 'int'], ['d', 'dict[str,list[int]]']], 'list[str]', 6, [
    ['STR', 2, 0, a.type('int')],
    ['REPR', 3, 1, a.type('dict[str,list[int]]')],
    ['FORMAT', 4, 0, a.type('int'), a.str('#010x')],
    ['NEWLIST', 5, [2, 3, 4]],
    ['RET', 5],
  ]);
  a.fn('del', [['xs', 'list[int]'], ['d', 'dict[int,int]']], 'tuple[list[int],dict[int,int]]', 5, [
    ['LOADI', 2, 0],
    ['DELITEM', 0, 2],
    ['LOADI', 2, 7],
    ['DELITEM', 1, 2],
    ['NEWTUPLE', 3, [0, 1]],
    ['RET', 3],
  ]);
  // gas left is what remains after the current block was charged: equal within a block
  a.fn('gasleft', [], 'tuple[bool,bool]', 5, [
    ['ENV', 0, 7], ['ENV', 1, 7], ['EQ', 2, 0, 1], ['JMP', 'next'], 'next:', ['ENV', 1, 7], ['GT', 3, 0, 1], ['NEWTUPLE', 4, [2, 3]], ['RET', 4],
  ]);
  a.fn('truth', [['xs', 'list[int]'], ['s', 'str'], ['o', 'Optional[int]']], 'tuple[bool,bool,bool,bool]', 8, [
    ['TRUTHY', 3, 0], ['TRUTHY', 4, 1], ['ISNONE', 5, 2], ['NOT', 6, 1], ['NEWTUPLE', 7, [3, 4, 5, 6]], ['RET', 7],
  ]);
  const mod = prepareModule(a.build());

  it('COPY is deep, LOADDEF is fresh', () => {
    const r = runFunction(mod, 'copy', [[1, [2]]]);
    expect(r.ok && r.value).toEqual([[1, [2]], [9, [2, 9]]]);
    expect(outcome(runFunction(mod, 'fresh', []))).toBe('false');
  });

  it('STR, REPR and FORMAT', () => {
    const r = runFunction(mod, 'text', [-255, new Map([['a', [1, 2]]])]);
    expect(r.ok && r.value).toEqual(['-255', "{'a': [1, 2]}", '-0x00000ff']);
  });

  it('DELITEM on lists and dicts', () => {
    const r = runFunction(mod, 'del', [[1, 2, 3], new Map([[7, 1], [8, 2]])]);
    expect(r.ok && (r.value as any)[0]).toEqual([2, 3]);
    expect(r.ok && (r.value as any)[1].entries()).toEqual([[8, 2]]);
    const miss = runFunction(mod, 'del', [[1], new Map([[8, 2]])]);
    expect(outcome(miss)).toBe('revert: key not found');
  });

  it('ENV gas left is per block; truthiness', () => {
    const g = runFunction(mod, 'gasleft', []);
    expect(g.ok && g.value).toEqual([true, true]);
    const r = runFunction(mod, 'truth', [[], 'x', null]);
    expect(r.ok && r.value).toEqual([false, true, true, false]);
  });
});
