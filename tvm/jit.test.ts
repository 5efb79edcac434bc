// Differential tests of the JIT (tvm/jit.ts) against the interpreter, the reference: every run
// happens under both engines and must give the same result, revert reason, revert location,
// gas used, events, logs and (for contracts) final storage and balances.
//
// (1) the conformance corpus, (2) the example contracts driven through a few calls each,
// (3) out of gas at many limits, (4) mutated modules (seeded fuzzing), plus the JIT-specific
// paths: the JS stack budget (deep CALL chains inside nested contract calls), functions left
// to the interpreter, and module data never reaching the generated source.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compile } from '../compiler/index.ts';
import { stdlibResolver } from '../cli/stdlib.ts';
import { Asm, type AsmLine } from './asm.ts';
import { Machine } from './machine.ts';
import { execute, MAX_FRAMES } from './interpreter.ts';
import type { VMRevert } from './errors.ts';
import {
  BUILTINS, callMethod, decodeModule, defaultValue, deploy, encodeModule, loadModule, MemoryHost, parseType, runFunction,
  TvmFormatError, type ExecResult, type LoadedModule, type ModuleDef,
} from './index.ts';
import { PyDict } from './pydict.ts';
import { compileFunctionJS, executeWithEngine, getEngine, jitModule, setEngine, type Engine } from './jit.ts';
import { mulberry32 as rng } from '../test/support/prng.ts';
import { sectionRange } from '../test/support/module-bytes.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONFORMANCE = join(ROOT, 'test/conformance');
const GAS = 50_000_000;

afterEach(() => setEngine('jit'));

// ------------------------------------------------------------------ helpers


/** A runtime value as plain comparable data (dicts as entry lists, in order). */
function canon(v: unknown): unknown {
  if (v instanceof PyDict) return { dict: v.entries().map(([k, x]) => [canon(k), canon(x)]) };
  if (Array.isArray(v)) return v.map(canon);
  if (v instanceof Uint8Array) return { bytes: Array.from(v) };
  if (typeof v === 'bigint') return { big: String(v) };
  return v;
}

/** Everything an ExecResult says, as comparable data. */
function outcome(r: ExecResult & { address?: string | null }): unknown {
  const common = {
    ok: r.ok,
    gasUsed: r.gasUsed,
    logs: r.logs.map((l) => ({ ...l })),
    address: r.address,
  };
  if (!r.ok) return { ...common, reason: r.reason, location: r.location, events: r.events };
  return {
    ...common,
    value: canon(r.value),
    returnType: r.returnType,
    events: r.events.map((e) => ({ ...e, data: Array.from(e.data), fields: e.fields.map((f) => ({ ...f, value: canon(f.value) })) })),
  };
}

function withEngine<T>(e: Engine, f: () => T): T {
  const before = getEngine();
  setEngine(e);
  try {
    return f();
  } finally {
    setEngine(before);
  }
}

/** Runs `f` under the interpreter and under the JIT; both outcomes must be equal. Returns the JIT's. */
function same<T>(what: string, f: () => T): T {
  const interp = withEngine('interp', f);
  const jit = withEngine('jit', f);
  expect(jit, what).toEqual(interp);
  return jit;
}

const compiledCache = new Map<string, Uint8Array>();

function compileFile(rel: string, level: 0 | 1 | 2 = 1): Uint8Array {
  const key = `${rel}@${level}`;
  const hit = compiledCache.get(key);
  if (hit) return hit;
  const r = compile({ path: rel, source: readFileSync(join(ROOT, rel), 'utf8'), resolve: stdlibResolver(ROOT), optimize: level });
  if (!r.ok || !r.bytecode) throw new Error(`${rel} does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  compiledCache.set(key, r.bytecode);
  return r.bytecode;
}

/** Every function of the module is translated (so a differential run really tests the JIT). */
function expectFullyCompiled(mod: LoadedModule): void {
  const jm = jitModule(mod);
  expect(jm).not.toBeNull();
  expect(mod.functions.every((_, i) => jm!.entry(i) !== null)).toBe(true);
}

function runMain(mod: LoadedModule, gasLimit = GAS): unknown {
  return outcome(runFunction(mod, 'main', [], { gasLimit }));
}

// ------------------------------------------------------------------ (1) conformance corpus

function programs(sub: string): string[] {
  return readdirSync(join(CONFORMANCE, sub))
    .filter((f) => f.endsWith('.py') && f !== 'oracle.py')
    .sort()
    .map((f) => join('test/conformance', sub, f));
}

describe('JIT = interpreter on the conformance corpus', () => {
  const all = [...programs(''), ...programs('reverts')];

  it('finds the corpus', () => {
    expect(all.length).toBeGreaterThan(200);
  });

  it.each(all)('%s', (rel) => {
    for (const level of [1, 0] as const) {
      const mod = loadModule(compileFile(rel, level));
      expectFullyCompiled(mod);
      same(`${rel} -O${level}`, () => runMain(mod));
    }
  });
});

// ------------------------------------------------------------------ (2) example contracts

const alice = 'zv' + '11'.repeat(32);
const bob = 'zv' + '22'.repeat(32);
const carol = 'zv' + '33'.repeat(32);
const dave = 'zv' + '44'.repeat(32);
const ZERO = 'zv' + '00'.repeat(32);

/** deploy label file args sender [value] | call label method args sender [value] | mine blocks */
type Step =
  | ['deploy', string, string, unknown[], string, bigint?]
  | ['call', string, string, unknown[], string, bigint?]
  | ['mine', number];

/** Runs the steps on a fresh host; '@label' arguments name deployed contracts. Returns every
 *  outcome, then the final storage and balances of every contract and account. */
function runScenario(steps: Step[], gasLimit = GAS): unknown[] {
  const host = new MemoryHost({ balances: { [alice]: 10n ** 18n, [bob]: 10n ** 18n, [carol]: 10n ** 18n } });
  const labels: Record<string, string> = {};
  const arg = (a: unknown) => (typeof a === 'string' && a.startsWith('@') ? labels[a.slice(1)] : a);
  const out: unknown[] = [];
  for (const s of steps) {
    if (s[0] === 'mine') {
      const b = host.block;
      host.block = { ...b, height: b.height + BigInt(s[1]), timestamp: b.timestamp + 3n * BigInt(s[1]) };
    } else if (s[0] === 'deploy') {
      const [, label, file, args, sender, value] = s;
      const d = deploy(host, compileFile(file), args.map(arg), { sender, value: value ?? 0n, gasLimit: GAS });
      if (d.address) labels[label] = d.address;
      out.push(outcome(d));
    } else {
      const [, label, method, args, sender, value] = s;
      out.push(outcome(callMethod(host, labels[label], method, args.map(arg), { sender, value: value ?? 0n, gasLimit })));
    }
  }
  for (const [label, addr] of Object.entries(labels)) {
    out.push({ label, storage: [...host.storageOf(addr).entries()].map(([k, v]) => [k, Array.from(v)]), balance: host.getBalance(addr) });
  }
  for (const a of [alice, bob, carol, dave]) out.push({ account: a, balance: host.getBalance(a) });
  return out;
}

const SCENARIOS: Record<string, Step[]> = {
  token: [
    ['deploy', 't', 'examples/token.py', [1000], alice],
    ['deploy', 'bad', 'examples/token.py', [-1], alice],
    ['call', 't', 'transfer', [bob, 10], alice],
    ['call', 't', 'transfer', [bob, 1001], alice],
    ['call', 't', 'transfer', [bob, 0], alice],
    ['call', 't', 'transfer', [bob, 1], alice, 5n],
    ['call', 't', 'approve', [bob, 50], alice],
    ['call', 't', 'approve', [bob, -1], alice],
    ['call', 't', 'transfer_from', [alice, carol, 30], bob],
    ['call', 't', 'transfer_from', [alice, carol, 21], bob],
    ['call', 't', 'mint', [bob, 5], bob],
    ['call', 't', 'mint', [bob, 5], alice],
    ['call', 't', 'mint', [bob, 2n ** 255n - 1n], alice],
    ['call', 't', 'burn', [3], bob],
    ['call', 't', 'burn', [1000], bob],
    ['call', 't', 'balance_of', [alice], carol],
    ['call', 't', 'allowance', [alice, bob], carol],
    ['call', 't', 'total_supply', [], carol],
    ['call', 't', 'describe', [], carol],
  ],
  escrow: [
    ['deploy', 'e', 'examples/escrow.py', [bob, carol, 500], alice],
    ['call', 'e', 'deposit', [], bob, 500n],
    ['call', 'e', 'deposit', [], alice, 499n],
    ['call', 'e', 'release', [], alice],
    ['call', 'e', 'deposit', [], alice, 500n],
    ['call', 'e', 'deposit', [], alice, 500n],
    ['call', 'e', 'get_state', [], dave],
    ['call', 'e', 'held', [], dave],
    ['call', 'e', 'parties', [], dave],
    ['call', 'e', 'release', [], bob],
    ['call', 'e', 'refund', [], alice],
    ['call', 'e', 'release', [], carol],
    ['call', 'e', 'release', [], alice, 1n],
    ['call', 'e', 'get_state', [], dave],
  ],
  ballot: [
    ['deploy', 'b', 'examples/ballot.py', [['tea', 'coffee', 'water']], alice],
    ['call', 'b', 'give_right_to_vote', [bob], alice],
    ['call', 'b', 'give_right_to_vote', [carol], alice],
    ['call', 'b', 'give_right_to_vote', [dave], alice],
    ['call', 'b', 'give_right_to_vote', [dave], bob],
    ['call', 'b', 'vote', [3], bob],
    ['call', 'b', 'delegate', [carol], bob],
    ['call', 'b', 'delegate', [dave], carol],
    ['call', 'b', 'delegate', [bob], dave],
    ['call', 'b', 'vote', [2], dave],
    ['call', 'b', 'vote', [0], alice],
    ['call', 'b', 'winning_proposal', [], alice],
    ['call', 'b', 'winner_name', [], alice],
    ['call', 'b', 'results', [], alice],
    ['call', 'b', 'voter', [bob], alice],
  ],
  auction: [
    ['deploy', 'a', 'examples/auction.py', [alice, 10], alice],
    ['call', 'a', 'bid', [], bob, 100n],
    ['call', 'a', 'bid', [], carol, 100n],
    ['call', 'a', 'bid', [], carol, 150n],
    ['call', 'a', 'withdraw', [], carol],
    ['call', 'a', 'withdraw', [], bob],
    ['call', 'a', 'end_auction', [], carol],
    ['call', 'a', 'highest_bid_of', [], dave],
    ['call', 'a', 'pending', [bob], dave],
    ['call', 'a', 'blocks_left', [], dave],
    ['mine', 11],
    ['call', 'a', 'bid', [], carol, 500n],
    ['call', 'a', 'end_auction', [], carol],
    ['call', 'a', 'end_auction', [], carol],
  ],
  vault: [
    ['deploy', 't', 'examples/token.py', [1000], alice],
    ['deploy', 'v', 'examples/vault.py', ['@t'], alice],
    ['call', 't', 'transfer', [bob, 300], alice],
    ['call', 'v', 'deposit', [100], bob],
    ['call', 't', 'approve', ['@v', 300], bob],
    ['call', 'v', 'deposit', [100], bob],
    ['call', 't', 'transfer', ['@v', 50], alice],
    ['call', 'v', 'value_of', [bob], alice],
    ['call', 'v', 'deposit', [75], bob],
    ['call', 'v', 'withdraw', [0], bob],
    ['call', 'v', 'withdraw', [151], bob],
    ['call', 'v', 'withdraw', [50], bob],
    ['call', 'v', 'pause', [], bob],
    ['call', 'v', 'pause', [], alice],
    ['call', 'v', 'deposit', [10], bob],
    ['call', 'v', 'unpause', [], alice],
    ['call', 'v', 'transfer_ownership', [ZERO], alice],
    ['call', 'v', 'transfer_ownership', [bob], alice],
    ['call', 'v', 'get_owner', [], alice],
    ['call', 'v', 'total_shares', [], alice],
    ['call', 'v', 'shares_of', [bob], alice],
  ],
};

describe('JIT = interpreter on the example contracts', () => {
  it('every example is in a scenario', () => {
    const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.py'));
    const used = new Set(Object.values(SCENARIOS).flatMap((s) => s.filter((x) => x[0] === 'deploy').map((x) => x[2])));
    for (const f of examples) expect(used.has(`examples/${f}`), f).toBe(true);
  });

  it.each(Object.keys(SCENARIOS))('%s', (name) => {
    const steps = SCENARIOS[name];
    for (const s of steps) if (s[0] === 'deploy') expectFullyCompiled(loadModule(compileFile(s[2])));
    const out = same(name, () => runScenario(steps));
    // the scenario really exercises both success and revert paths
    const results = out.filter((o) => typeof o === 'object' && o !== null && 'ok' in o) as { ok: boolean }[];
    expect(results.some((o) => o.ok)).toBe(true);
    expect(results.some((o) => !o.ok)).toBe(true);
  });
});

// ------------------------------------------------------------------ operators on edge values

const EDGES: (number | bigint)[] = [
  0, 1, -1, 2, -2, 7, -7, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32 + 3, 2 ** 52 - 1, -(2 ** 52), 2 ** 53 - 1,
  -(2 ** 53 - 1), 2n ** 53n, -(2n ** 64n) - 5n, 2n ** 255n - 1n, -(2n ** 255n),
];

const BINARY = ['ADD', 'SUB', 'MUL', 'FLOORDIV', 'MOD', 'POW', 'SHL', 'SHR', 'BAND', 'BOR', 'BXOR', 'EQ', 'NE', 'LT', 'LE', 'GT', 'GE'];
const UNARY = ['NEG', 'INVERT', 'NOT', 'TRUTHY'];

/** One module function per operator, plus a loop of FLOORDIV/MOD over two lists (so that the
 *  JIT's optimized code, not only its first runs, meets every kind of operand). */
function operatorModule(): LoadedModule {
  const a = new Asm();
  const compare = new Set(['EQ', 'NE', 'LT', 'LE', 'GT', 'GE']);
  for (const op of BINARY) a.fn(op, [['a', 'int'], ['b', 'int']], compare.has(op) ? 'bool' : 'int', 3, [[op, 2, 0, 1], ['RET', 2]]);
  for (const op of UNARY) a.fn(op, [['a', 'int']], op === 'NOT' || op === 'TRUTHY' ? 'bool' : 'int', 2, [[op, 1, 0], ['RET', 1]]);
  a.fn('divloop', [['xs', 'list[int]'], ['ys', 'list[int]']], 'list[int]', 12, [
    ['LOADI', 2, 0], ['LEN', 3, 0], ['NEWLIST', 4, []], ['LOADI', 5, 1],
    'loop:',
    ['LT', 6, 2, 3], ['JF', 6, 'done'],
    ['GETITEM', 7, 0, 2], ['GETITEM', 8, 1, 2],
    ['FLOORDIV', 9, 7, 8], ['APPEND', 4, 9], ['MOD', 10, 7, 8], ['APPEND', 4, 10],
    ['ADD', 2, 2, 5], ['JMP', 'loop'],
    'done:',
    ['RET', 4],
  ]);
  return loadModule(encodeModule(a.build()));
}

describe('JIT = interpreter on operators', () => {
  const mod = operatorModule();

  it('every operator on edge values (results, overflow reverts, gas)', () => {
    expectFullyCompiled(mod);
    same('operators', () => {
      const out: unknown[] = [];
      for (const x of EDGES) {
        for (const op of UNARY) out.push(outcome(runFunction(mod, op, [x])));
        for (const y of EDGES) for (const op of BINARY) out.push(outcome(runFunction(mod, op, [x, y])));
      }
      return out;
    });
  });

  it('floor division and modulo on random operands of every size and sign', () => {
    const r = rng(99);
    const xs: (number | bigint)[] = [];
    const ys: (number | bigint)[] = [];
    const magnitude = () => {
      const k = r();
      if (k < 0.25) return Math.floor(r() * 100);
      if (k < 0.5) return Math.floor(r() * 2 ** 31);
      if (k < 0.75) return Math.floor(r() * 2 ** Math.floor(r() * 53));
      if (k < 0.9) return 2 ** 52 - Math.floor(r() * 1000);
      return 2 ** 53 - 1 - Math.floor(r() * 1000);
    };
    for (let i = 0; i < 6000; i++) {
      const b = (magnitude() || 3) * (r() < 0.5 ? -1 : 1);
      // near multiples of b as well, where a rounded quotient could hide an off-by-one
      const a = r() < 0.3 ? Math.floor(r() * Math.floor(2 ** 52 / Math.abs(b))) * b + Math.floor(r() * 3) - 1 : magnitude() * (r() < 0.5 ? -1 : 1);
      xs.push(a);
      ys.push(b);
    }
    xs.push(2n ** 200n, -(2n ** 70n), 12);
    ys.push(7, 3n ** 40n, -(2n ** 80n));
    const out = same('divloop', () => outcome(runFunction(mod, 'divloop', [xs, ys], { gasLimit: GAS }))) as { ok: boolean; value: unknown[] };
    expect(out.ok).toBe(true);
    // spot-check against bigint arithmetic
    for (let i = 0; i < xs.length; i += 97) {
      const A = BigInt(xs[i]);
      const B = BigInt(ys[i]);
      let q = A / B;
      if (A % B !== 0n && A < 0n !== B < 0n) q -= 1n;
      expect(BigInt(out.value[2 * i] as number)).toBe(q);
      expect(BigInt(out.value[2 * i + 1] as number)).toBe(A - q * B);
    }
  });
});

// ------------------------------------------------------------------ every operand kind

/** A value loaded into register r: how, by kind. Registers 10, 11 hold 1 and 2, 12 a str. */
type Loader = (a: Asm, r: number) => AsmLine;
const KINDS: [string, Loader][] = [
  ['int', (_a, r) => ['LOADI', r, 5]],
  ['zero', (_a, r) => ['LOADI', r, 0]],
  ['negative', (_a, r) => ['LOADI', r, -3]],
  ['big', (a, r) => ['LOADK', r, a.int(2n ** 100n)]],
  ['bool', (_a, r) => ['LOADBOOL', r, 1]],
  ['None', (_a, r) => ['LOADNONE', r]],
  ['str', (a, r) => ['LOADK', r, a.str('ab\u00e9')]],
  ['bytes', (a, r) => ['LOADK', r, a.bytes(Uint8Array.of(1, 2, 250))]],
  ['list', (_a, r) => ['NEWLIST', r, [10, 11]]],
  ['dict', (_a, r) => ['NEWDICT', r, [10, 11]]],
];

/** Instructions under test, on registers 1 (a) and 2 (b), result in 0 (or the mutated 1). */
const BINARY_CASES: AsmLine[] = [
  ...['ADD', 'SUB', 'MUL', 'FLOORDIV', 'MOD', 'POW', 'SHL', 'SHR', 'BAND', 'BOR', 'BXOR', 'EQ', 'NE', 'LT', 'LE', 'GT', 'GE',
    'CONCAT', 'REPEAT', 'GETITEM', 'CONTAINS'].map((op): AsmLine => [op, 0, 1, 2]),
  ['SETITEM', 1, 2, 10],
  ['DELITEM', 1, 2],
  ['SLICE', 0, 1, 2, 14, 2],
  ['APPEND', 1, 2],
  ['SETFIELD', 1, 0, 2],
  ['NEWDICT', 0, [1, 2]],
  ['CALLB', 0, BUILTINS.findIndex((b) => b.name === 'min2'), [1, 2]],
  ['CALLB', 0, BUILTINS.findIndex((b) => b.name === 'dict.get'), [1, 2, 10]],
  ['CALLB', 0, BUILTINS.findIndex((b) => b.name === 'sorted'), [1, 2]],
];
const UNARY_CASES = (a: Asm): AsmLine[] => [
  ...['NEG', 'INVERT', 'NOT', 'TRUTHY', 'ISNONE', 'LEN'].map((op): AsmLine => [op, 0, 1]),
  ['GETFIELD', 0, 1, 0],
  ['GETFIELD', 0, 1, 5],
  ['SETFIELD', 1, 5, 10],
  ['COPY', 0, 1, a.type('list[int]')],
  ['STR', 0, 1, a.type('int')],
  ['REPR', 0, 1, a.type('list[int]')],
  ['FORMAT', 0, 1, a.type('int'), a.str('>6')],
  ['CALLB', 0, BUILTINS.findIndex((b) => b.name === 'abs'), [1]],
  ['CALLB', 0, BUILTINS.findIndex((b) => b.name === 'str.upper'), [1]],
  ['LOG', 1],
  ['REVERT', 1],
  ['ENV', 0, 7],
];

/** One function per case and operand kinds. Each first runs a LEN on a str (a slow path, so the
 *  JIT's location variable is set) and then the instruction under test: a slow path that forgot
 *  to record its own location would report the LEN. */
function operandModule(): { mod: LoadedModule; names: string[] } {
  const a = new Asm();
  const names: string[] = [];
  const prologue = (): AsmLine[] => [['LOADI', 10, 1], ['LOADI', 11, 2], ['LOADK', 12, a.str('xyz')], ['LOADNONE', 14], ['LEN', 13, 12]];
  const add = (name: string, body: AsmLine[]) => {
    a.fn(name, [], 'None', 16, [...prologue(), ...body]);
    names.push(name);
  };
  const ret: AsmLine[] = [['RET', 0]];
  for (const [ka, la] of KINDS) {
    for (const [kb, lb] of KINDS) {
      BINARY_CASES.forEach((ins, i) => add(`b${i}_${ka}_${kb}`, [['LOADNONE', 0], la(a, 1), lb(a, 2), ['LEN', 13, 12], ins, ...(ins[0] === 'SETITEM' || ins[0] === 'DELITEM' || ins[0] === 'APPEND' || ins[0] === 'SETFIELD' ? [['RET', 1] as AsmLine] : ret)]));
    }
    UNARY_CASES(a).forEach((ins, i) => add(`u${i}_${ka}`, [['LOADNONE', 0], la(a, 1), ['LEN', 13, 12], ins, ['RET', ins[0] === 'SETFIELD' ? 1 : 0]]));
    // JT/JF on the value itself, after a MOV, and after a compare
    for (const j of ['JT', 'JF']) {
      add(`${j}_${ka}`, [la(a, 1), ['LEN', 13, 12], [j, 1, 'yes'], ['LOADI', 0, 7], ['RET', 0], 'yes:', ['LOADI', 0, 8], ['RET', 0]]);
      add(`${j}_mov_${ka}`, [la(a, 1), ['EQ', 3, 10, 11], ['MOV', 3, 1], ['LEN', 13, 12], [j, 3, 'yes'], ['LOADI', 0, 7], ['RET', 0], 'yes:', ['LOADI', 0, 8], ['RET', 0]]);
      add(`${j}_cmp_${ka}`, [la(a, 1), ['LEN', 13, 12], ['LT', 3, 1, 10], [j, 3, 'yes'], ['LOADI', 0, 7], ['RET', 0], 'yes:', ['LOADI', 0, 8], ['RET', 0]]);
    }
  }
  return { mod: loadModule(encodeModule(a.build())), names };
}

/** Runs one function on a bare machine (no return-type check, so any value is compared). */
function runRaw(mod: LoadedModule, fnIndex: number, engine: Engine): unknown {
  const m = new Machine(mod, null, null, 100_000, { events: [], logs: [] }, null);
  try {
    const v = engine === 'jit' ? executeWithEngine(m, fnIndex, []) : execute(m, fnIndex, []);
    return { ok: true, value: canon(v), gas: m.gas, logs: m.trace.logs };
  } catch (e) {
    const r = e as VMRevert;
    return { ok: false, reason: r.reason, location: r.location, gas: m.gas, logs: m.trace.logs };
  }
}

describe('JIT = interpreter on every kind of operand', () => {
  it('each instruction on every operand kind: values, revert reasons and locations, gas', () => {
    const { mod, names } = operandModule();
    expect(getEngine()).toBe('jit');
    let reverts = 0;
    for (let i = 0; i < names.length; i++) {
      const interp = runRaw(mod, i, 'interp');
      const jit = runRaw(mod, i, 'jit');
      expect(jit, names[i]).toEqual(interp);
      if (!(interp as { ok: boolean }).ok) reverts++;
    }
    expect(mod.functions.every((_, i) => jitModule(mod)!.entry(i) !== null)).toBe(true);
    // both outcomes are well represented
    expect(reverts).toBeGreaterThan(names.length / 5);
    expect(names.length - reverts).toBeGreaterThan(names.length / 5);
  });
});

// ------------------------------------------------------------------ (3) out of gas

/** The gas a run needs (its gasUsed at a generous limit), then: both engines agree at limits
 *  spread below it, at the binary-searched threshold and right around it. */
function gasLimitsAgree(what: string, run: (limit: number) => unknown, gasOf: (o: unknown) => number): number {
  const full = same(`${what} at the full limit`, () => run(GAS));
  const need = gasOf(full);
  expect(need).toBeGreaterThan(0);
  const limits = new Set<number>([0, 1, 2, 3, need - 1, need, need + 1]);
  for (let k = 1; k < 24; k++) limits.add(Math.floor((need * k) / 24));
  const r = rng(need);
  for (let k = 0; k < 8; k++) limits.add(Math.floor(r() * need));
  for (const l of limits) if (l >= 0) same(`${what} at gas limit ${l}`, () => run(l));
  // binary search of the smallest limit that succeeds, checking agreement at every probe
  let lo = 0;
  let hi = need;
  const ok = (l: number) => (same(`${what} at gas limit ${l}`, () => run(l)) as { ok?: boolean; [k: number]: unknown });
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const o = ok(mid);
    if (isOk(o)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function isOk(o: unknown): boolean {
  if (Array.isArray(o)) return o.every((x) => !(typeof x === 'object' && x !== null && 'ok' in x) || (x as { ok: boolean }).ok);
  return (o as { ok: boolean }).ok;
}

describe('JIT = interpreter when gas runs out', () => {
  const fnCases: [string, string, unknown[]][] = [
    ['bench/workloads/recursion.py', 'fib', [12]],
    ['bench/workloads/arith.py', 'arith', [400]],
    ['bench/workloads/strings.py', 'build', [30]],
    ['test/conformance/algo_sieve.py', 'main', []],
    ['test/conformance/dict_nested.py', 'main', []],
    ['test/conformance/reverts/depth_mutual_300.py', 'main', []],
  ];

  it.each(fnCases)('%s %s', (file, fn, args) => {
    const mod = loadModule(compileFile(file));
    expectFullyCompiled(mod);
    const run = (gasLimit: number) => outcome(runFunction(mod, fn, args, { gasLimit }));
    const threshold = gasLimitsAgree(file, run, (o) => (o as { gasUsed: number }).gasUsed);
    expect(threshold).toBeGreaterThan(0);
  });

  it('a cross-contract call (vault deposit through the token) at many limits', () => {
    const setup: Step[] = [
      ['deploy', 't', 'examples/token.py', [1000], alice],
      ['deploy', 'v', 'examples/vault.py', ['@t'], alice],
      ['call', 't', 'transfer', [bob, 300], alice],
      ['call', 't', 'approve', ['@v', 300], bob],
    ];
    const deposit: Step = ['call', 'v', 'deposit', [100], bob];
    // only the last call runs at the limit under test
    const run = (limit: number) => runScenarioWithLast(setup, deposit, limit);
    gasLimitsAgree('vault deposit', run, (o) => ((o as unknown[])[0] as { gasUsed: number }).gasUsed);
  });
});

/** The setup steps at the full limit, then `last` at `limit`: the outcome of `last` and the state. */
function runScenarioWithLast(setup: Step[], last: Step, limit: number): unknown[] {
  const steps = [...setup, last];
  const host = new MemoryHost({ balances: { [alice]: 10n ** 18n, [bob]: 10n ** 18n } });
  const labels: Record<string, string> = {};
  const arg = (a: unknown) => (typeof a === 'string' && a.startsWith('@') ? labels[a.slice(1)] : a);
  let lastOutcome: unknown = null;
  steps.forEach((s, i) => {
    const gasLimit = i === steps.length - 1 ? limit : GAS;
    if (s[0] === 'deploy') {
      const d = deploy(host, compileFile(s[2]), s[3].map(arg), { sender: s[4], gasLimit });
      if (d.address) labels[s[1]] = d.address;
    } else if (s[0] === 'call') {
      const r = callMethod(host, labels[s[1]], s[2], s[3].map(arg), { sender: s[4], gasLimit });
      if (i === steps.length - 1) lastOutcome = outcome(r);
    }
  });
  const state = Object.values(labels).map((a) => [...host.storageOf(a).entries()].map(([k, v]) => [k, Array.from(v)]));
  return [lastOutcome, state];
}

// ------------------------------------------------------------------ JIT-specific paths

/** A contract whose `dive(n)` recurses `depth` frames deep (functions of `nregs` registers), then
 *  calls itself through XCALL with n-1 from the deepest frame: n+1 nested contracts, each with a
 *  deep CALL chain, which is what the JIT's stack budget is for. */
function diverModule(depth: number, nregs: number): Uint8Array {
  const a = new Asm('Diver');
  const ext = a.external('dive', ['int'], 'int');
  a.fn('rec', [['k', 'int'], ['n', 'int']], 'int', nregs, [
    ['LOADI', 2, 0],
    ['EQ', 3, 0, 2],
    ['JT', 3, 'bottom'],
    ['LOADI', 4, 1],
    ['SUB', 5, 0, 4],
    ['CALL', 6, 'rec', [5, 1]],
    ['ADD', 7, 6, 4],
    ['RET', 7],
    'bottom:',
    ['EQ', 3, 1, 2],
    ['JT', 3, 'leaf'],
    ['ENV', 8, 4],
    ['LOADI', 4, 1],
    ['SUB', 5, 1, 4],
    ['XCALL', 7, ext, 8, 2, [5]],
    ['RET', 7],
    'leaf:',
    ['RET', 2],
  ], 'private');
  a.fn('dive', [['n', 'int']], 'int', 4, [['LOADI', 1, depth], ['CALL', 2, 'rec', [1, 0]], ['RET', 2]], 'public');
  a.fn('probe', [['k', 'int']], 'int', 4, [['LOADI', 1, 0], ['CALL', 2, 'rec', [0, 1]], ['RET', 2]], 'public');
  return encodeModule(a.build());
}

describe('JIT stack budget and interpreter hand-over', () => {
  it('deep CALL chains in 8 nested contracts give the same results as the interpreter', () => {
    for (const [depth, nregs] of [[250, 16], [250, 60], [40, 600]]) {
      const code = diverModule(depth, nregs);
      expectFullyCompiled(loadModule(code));
      const run = () => {
        const host = new MemoryHost();
        const d = deploy(host, code, [], { gasLimit: GAS });
        return [outcome(d), ...[0, 3, 7, 8].map((n) => outcome(callMethod(host, d.address!, 'dive', [n], { gasLimit: GAS })))];
      };
      const out = same(`diver ${depth}x${nregs}`, run) as { ok: boolean; value?: unknown; reason?: string }[];
      expect(out[3]).toMatchObject({ ok: true, value: 8 * depth });
      expect(out[4]).toMatchObject({ ok: false });
      expect(out[4].reason).toMatch(/contract call depth exceeded$/);
    }
  });

  it('the call depth limit is the interpreter\'s, whatever the frame size', () => {
    for (const nregs of [16, 600, 3000]) {
      const code = diverModule(0, nregs);
      const run = () => {
        const host = new MemoryHost();
        const d = deploy(host, code, [], { gasLimit: GAS });
        // probe(k) is frame 0, rec(k..0) frames 1..k+1: the deepest allowed is MAX_FRAMES-1
        return [MAX_FRAMES - 3, MAX_FRAMES - 2, MAX_FRAMES - 1, 1000].map((k) => outcome(callMethod(host, d.address!, 'probe', [k], { gasLimit: GAS })));
      };
      const out = same(`probe ${nregs}`, run) as { ok: boolean; reason?: string; value?: unknown }[];
      expect(out[0]).toMatchObject({ ok: true, value: MAX_FRAMES - 3 });
      expect(out[1]).toMatchObject({ ok: true, value: MAX_FRAMES - 2 });
      expect(out[2]).toMatchObject({ ok: false, reason: 'call depth exceeded' });
      expect(out[3]).toMatchObject({ ok: false, reason: 'call depth exceeded' });
    }
  });

  it('a function too big to translate runs in the interpreter, called from translated code', () => {
    const a = new Asm();
    a.fn('big', [['x', 'int']], 'int', 5000, [['LOADI', 4999, 3], ['MUL', 1, 0, 4999], ['RET', 1]], 'private');
    a.fn('main', [], 'int', 4, [
      ['LOADI', 0, 14],
      ['CALL', 1, 'big', [0]],
      ['CALL', 2, 'big', [1]],
      ['RET', 2],
    ]);
    const mod = loadModule(encodeModule(a.build()));
    const jm = jitModule(mod)!;
    expect(jm.entry(0)).toBeNull();
    expect(jm.entry(1)).not.toBeNull();
    const out = same('big', () => [GAS, 1300, 1400, 2600].map((l) => runMain(mod, l)));
    expect(out[0]).toMatchObject({ ok: true, value: 126 });
  });

  it('module strings and names never reach the generated source', () => {
    const evil = "'); throw new Error('injected'); ('";
    const a = new Asm();
    const k = a.str(evil);
    a.fn(`f${evil}`, [], 'str', 2, [['LOADK', 0, k], ['LOG', 0], ['RET', 0]], 'private');
    a.fn('main', [], 'str', 2, [['CALL', 0, `f${evil}`, []], ['RET', 0]]);
    const mod = loadModule(encodeModule(a.build()));
    for (let i = 0; i < mod.functions.length; i++) {
      const src = compileFunctionJS(mod, i);
      expect(src).not.toContain('injected');
      expect(src).toMatch(/^function f\d+\(/);
    }
    const out = same('evil', () => runMain(mod)) as { ok: boolean; value: string };
    expect(out).toMatchObject({ ok: true, value: evil });
  });
});

// ------------------------------------------------------------------ (4) fuzzing


/** Every ABI function of the module (and, for a contract, deploy + every method) with default
 *  arguments, as comparable outcomes. */
function exercise(bytes: Uint8Array, mod: LoadedModule, gasLimit: number): unknown[] {
  const out: unknown[] = [];
  for (const f of mod.abi.functions) {
    const args = f.params.map((p) => defaultValue(parseType(p.type)));
    out.push(outcome(runFunction(mod, f.name, args, { gasLimit })));
  }
  if (mod.abi.contract !== null) {
    const host = new MemoryHost({ balances: { [alice]: 10n ** 9n } });
    const ctorArgs = (mod.abi.constructor?.params ?? []).map((p) => defaultValue(parseType(p.type)));
    const d = deploy(host, bytes, ctorArgs, { gasLimit, sender: alice });
    out.push(outcome(d));
    if (d.ok && d.address) {
      for (const m of mod.abi.methods) {
        const args = m.params.map((p) => (p.type === 'Address' ? d.address : defaultValue(parseType(p.type))));
        out.push(outcome(callMethod(host, d.address, m.name, args, { gasLimit, sender: alice })));
      }
    }
  }
  return out;
}

/** Replaces one operand of one instruction by a small random value (most stay valid). */
function mutateDef(def: ModuleDef, r: () => number): void {
  const fns = def.functions;
  const f = fns[Math.floor(r() * fns.length)];
  const ins = f.code[Math.floor(r() * f.code.length)];
  if (ins.length < 2) return;
  const j = 1 + Math.floor(r() * (ins.length - 1));
  const v = ins[j];
  const small = () => Math.floor(r() * Math.max(2, f.nregs));
  if (Array.isArray(v)) {
    if (v.length > 0) v[Math.floor(r() * v.length)] = small();
  } else ins[j] = r() < 0.2 ? Math.floor(r() * 5) - 2 : small();
}

describe('JIT = interpreter on mutated modules', () => {
  const SEEDS = [
    'test/conformance/algo_sieve.py', 'test/conformance/dict_basic.py', 'test/conformance/fstring_basic.py',
    'test/conformance/algo_bubble_sort.py', 'test/conformance/algo_rpn_calc.py', 'test/conformance/bytes_slicing.py',
    'examples/token.py', 'examples/ballot.py',
  ];

  it('byte mutations of the code section and operand mutations behave identically', () => {
    const t0 = performance.now();
    const r = rng(1234);
    const seeds = SEEDS.map((f) => compileFile(f));
    const stats = { tried: 0, loaded: 0, runs: 0, reverts: 0 };
    for (let i = 0; i < 2500 && performance.now() - t0 < 15_000; i++) {
      const seed = seeds[i % seeds.length];
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = seed.slice();
        const [lo, hi] = sectionRange(seed, 3);
        for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
          const pos = lo + Math.floor(r() * (hi - lo));
          bytes[pos] = r() < 0.5 ? Math.floor(r() * 8) : Math.floor(r() * 256);
        }
      } else {
        const def = decodeModule(seed);
        for (let k = 0; k < 1 + Math.floor(r() * 2); k++) mutateDef(def, r);
        try {
          bytes = encodeModule(def);
        } catch (e) {
          if (!(e instanceof TvmFormatError)) throw e;
          continue;
        }
      }
      stats.tried++;
      let mod: LoadedModule;
      try {
        mod = loadModule(bytes);
      } catch (e) {
        if (!(e instanceof TvmFormatError)) throw e;
        continue;
      }
      stats.loaded++;
      expectFullyCompiled(mod);
      const gasLimit = 20_000 + Math.floor(r() * 200_000);
      const out = same(`mutant ${i}`, () => exercise(bytes, mod, gasLimit)) as { ok: boolean }[];
      stats.runs += out.length;
      stats.reverts += out.filter((o) => !o.ok).length;
    }
    // the mutants really load and run, and reach both outcomes
    expect(stats.loaded).toBeGreaterThan(200);
    expect(stats.runs).toBeGreaterThan(400);
    expect(stats.reverts).toBeGreaterThan(50);
    expect(stats.runs - stats.reverts).toBeGreaterThan(50);
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 30_000);
});

describe('engine selection', () => {
  it('ZV_TVM_ENGINE=interp starts with the interpreter', async () => {
    const before = process.env.ZV_TVM_ENGINE;
    process.env.ZV_TVM_ENGINE = 'interp';
    try {
      vi.resetModules();
      const fresh = await import('./jit.ts');
      expect(fresh.getEngine()).toBe('interp');
    } finally {
      if (before === undefined) delete process.env.ZV_TVM_ENGINE;
      else process.env.ZV_TVM_ENGINE = before;
      vi.resetModules();
    }
  });

  it('without `new Function` (a strict CSP) everything runs in the interpreter', async () => {
    vi.resetModules();
    const fresh = await import('./index.ts');
    const freshJit = await import('./jit.ts');
    const mod = fresh.loadModule(compileFile('bench/workloads/recursion.py'));
    const saved = globalThis.Function;
    globalThis.Function = function () {
      throw new EvalError('Code generation from strings disallowed for this context');
    } as unknown as FunctionConstructor;
    try {
      const r = fresh.runFunction(mod, 'fib', [10]);
      expect(r).toMatchObject({ ok: true, value: 55 });
      expect(freshJit.jitModule(mod)).toBeNull();
    } finally {
      globalThis.Function = saved;
      vi.resetModules();
    }
    expect(fresh.runFunction(mod, 'fib', [10])).toEqual(withEngine('interp', () => runFunction(loadModule(compileFile('bench/workloads/recursion.py')), 'fib', [10])));
  });

  it('setEngine rejects unknown engines and getEngine reports the choice', () => {
    expect(() => setEngine('fast' as Engine)).toThrow(/unknown TVM engine/);
    setEngine('interp');
    expect(getEngine()).toBe('interp');
    setEngine('jit');
    expect(getEngine()).toBe('jit');
  });
});
