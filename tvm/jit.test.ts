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
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../compiler/index.ts';
import { stdlibResolver } from '../cli/stdlib.ts';
import { Asm } from './asm.ts';
import {
  callMethod, decodeModule, defaultValue, deploy, encodeModule, loadModule, MemoryHost, parseType, runFunction,
  TvmFormatError, type ExecResult, type LoadedModule, type ModuleDef,
} from './index.ts';
import { PyDict } from './pydict.ts';
import { MAX_FRAMES } from './interpreter.ts';
import { compileFunctionJS, getEngine, jitModule, setEngine, type Engine } from './jit.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONFORMANCE = join(ROOT, 'test/conformance');
const GAS = 50_000_000;

afterEach(() => setEngine('jit'));

// ------------------------------------------------------------------ helpers

/** mulberry32: a small seeded PRNG. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
  expect(jm!.entries.every((e) => e !== null)).toBe(true);
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
    expect(jm.entries[0]).toBeNull();
    expect(jm.entries[1]).not.toBeNull();
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

/** [start, end) of a section's payload in a valid module. */
function sectionRange(enc: Uint8Array, id: number): [number, number] {
  let p = 5;
  for (;;) {
    const sid = enc[p++];
    let len = 0;
    let mul = 1;
    for (;;) {
      const b = enc[p++];
      len += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) break;
    }
    if (sid === id) return [p, p + len];
    p += len;
  }
}

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
    for (let i = 0; i < 900 && performance.now() - t0 < 15_000; i++) {
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
    console.log(JSON.stringify(stats), performance.now() - t0);
    // the mutants really load and run, and reach both outcomes
    expect(stats.loaded).toBeGreaterThan(200);
    expect(stats.runs).toBeGreaterThan(400);
    expect(stats.reverts).toBeGreaterThan(50);
    expect(stats.runs - stats.reverts).toBeGreaterThan(50);
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 30_000);
});

describe('engine selection', () => {
  it('setEngine rejects unknown engines and getEngine reports the choice', () => {
    expect(() => setEngine('fast' as Engine)).toThrow(/unknown TVM engine/);
    setEngine('interp');
    expect(getEngine()).toBe('interp');
    setEngine('jit');
    expect(getEngine()).toBe('jit');
  });
});
