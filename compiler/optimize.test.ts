import { describe, expect, it } from 'vitest';
import type { BinKind, IRConst, IRFunction, IRModule } from './ir.ts';
import { foldBin, foldUn, INT_MAX, INT_MIN } from './fold.ts';
import { optimize } from './optimize.ts';
import { IRError, printFunction, printIR, validateIR } from './ir-print.ts';
import { ModuleBuilder, toConst, type BlockBuilder, type ConstLike } from './ir-builder.ts';
import { generate } from './codegen.ts';
import { callMethod, deploy, encodeModule, MemoryHost, prepareModule, runFunction } from '../tvm/index.ts';
import { mulberry32 as prng } from '../test/support/prng.ts';

const I = (v: bigint | number): IRConst => ({ kind: 'int', value: BigInt(v) });
const fold = (kind: BinKind, a: ConstLike, b: ConstLike): IRConst | null => foldBin(kind, toConst(a), toConst(b));
const only = (mod: IRModule): IRFunction => mod.functions[0]!;
const ops = (fn: IRFunction): string[] =>
  fn.blocks.flatMap((b) => [...b.instrs.map((i) => (i.op === 'bin' || i.op === 'un' ? i.kind : i.op)), b.term.op]);

describe('constant folding semantics', () => {
  it('folds int arithmetic like CPython (floor division and modulo of negatives)', () => {
    // Expected values from CPython: -7//2, -7%2, 7//-2, 7%-2, -7//-2, -7%-2
    expect(fold('floordiv', -7, 2)).toEqual(I(-4));
    expect(fold('mod', -7, 2)).toEqual(I(1));
    expect(fold('floordiv', 7, -2)).toEqual(I(-4));
    expect(fold('mod', 7, -2)).toEqual(I(-1));
    expect(fold('floordiv', -7, -2)).toEqual(I(3));
    expect(fold('mod', -7, -2)).toEqual(I(-1));
    expect(fold('band', -5, 3)).toEqual(I(3));
    expect(fold('bor', -5, 3)).toEqual(I(-5));
    expect(fold('bxor', -5, 3)).toEqual(I(-8));
    expect(foldUn('invert', I(-5))).toEqual(I(4));
    expect(fold('shr', INT_MIN, 3)).toEqual(I(INT_MIN >> 3n));
    expect(fold('shr', -1, 300)).toEqual(I(-1));
    expect(fold('shr', 5, 300)).toEqual(I(0));
    expect(fold('pow', -2, 255)).toEqual(I(INT_MIN));
    expect(fold('pow', 0, 0)).toEqual(I(1));
    expect(fold('pow', -1, 10n ** 30n)).toEqual(I(1));
  });

  it('never folds an operation that reverts', () => {
    expect(fold('add', INT_MAX, 1)).toBeNull();
    expect(fold('sub', INT_MIN, 1)).toBeNull();
    expect(fold('mul', 2n ** 128n, 2n ** 127n)).toBeNull();
    expect(fold('pow', 2, 255)).toBeNull();
    expect(fold('pow', 3, 10n ** 20n)).toBeNull();
    expect(fold('pow', 2, -1)).toBeNull();
    expect(fold('floordiv', 1, 0)).toBeNull();
    expect(fold('mod', 1, 0)).toBeNull();
    expect(fold('floordiv', INT_MIN, -1)).toBeNull();
    expect(fold('shl', 1, 255)).toBeNull();
    expect(fold('shl', 1, -1)).toBeNull();
    expect(fold('shr', 1, -1)).toBeNull();
    expect(foldUn('neg', I(INT_MIN))).toBeNull();
    // Within range these do fold.
    expect(fold('shl', 1, 254)).toEqual(I(1n << 254n));
    expect(fold('add', INT_MAX, 0)).toEqual(I(INT_MAX));
    expect(fold('mod', INT_MIN, -1)).toEqual(I(0));
  });

  it('folds str operations with code-point order and code-point length', () => {
    expect(fold('concat', 'ab', 'cd')).toEqual(toConst('abcd'));
    expect(fold('repeat', 'ab', 3)).toEqual(toConst('ababab'));
    expect(fold('repeat', 'ab', -3)).toEqual(toConst(''));
    expect(fold('contains', 'bc', 'abcd')).toEqual(toConst(true));
    // U+FFFF < U+1F600 in code points, though not in UTF-16 units.
    expect(fold('lt', '\uffff', '😀')).toEqual(toConst(true));
    expect(foldUn('len', toConst('a😀'))).toEqual(I(2));
    expect(fold('eq', 'a', 'a')).toEqual(toConst(true));
    expect(fold('repeat', 'x', 10n ** 9n)).toBeNull(); // too long to fold
  });

  it('folds truthiness and leaves undecidable cases to the VM', () => {
    expect(foldUn('not', toConst(''))).toEqual(toConst(true));
    expect(foldUn('truthy', I(0))).toEqual(toConst(false));
    expect(foldUn('truthy', toConst(null))).toEqual(toConst(false));
    expect(foldUn('isnone', toConst(null))).toEqual(toConst(true));
    expect(foldUn('isnone', I(0))).toEqual(toConst(false));
    expect(fold('eq', 1, true)).toBeNull();
    expect(fold('lt', null, null)).toBeNull();
    expect(fold('band', true, false)).toEqual(toConst(false));
    expect(fold('add', true, 1)).toBeNull();
  });
});

describe('optimize', () => {
  it('returns the module itself at level 0 and never mutates its input', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [], 'int');
    const b0 = f.block();
    b0.ret(b0.bin('add', b0.const(1), b0.const(2)));
    const mod = mb.build();
    const before = printIR(mod);
    expect(optimize(mod, 0)).toBe(mod);
    const o = optimize(mod, 1);
    expect(printIR(mod)).toBe(before);
    expect(ops(only(o))).toEqual(['const', 'ret']);
  });

  it('keeps an overflowing operation on constants (it must revert at run time)', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [], 'int');
    const b0 = f.block();
    const big = b0.const(INT_MAX);
    const r = b0.bin('add', big, b0.const(1));
    b0.ret(r);
    const fn = only(optimize(mb.build(), 1));
    expect(ops(fn)).toEqual(['const', 'const', 'add', 'ret']);
  });

  it('keeps a reverting operation whose result is unused', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['a', 'int']], 'None');
    const b0 = f.block();
    b0.bin('floordiv', 0, b0.const(0)); // result unused, but it reverts "division by zero"
    b0.bin('add', 0, 0); // may overflow
    b0.bin('lt', 0, 0); // pure: removed
    b0.ret();
    const fn = only(optimize(mb.build(), 1));
    expect(ops(fn)).toEqual(['const', 'floordiv', 'add', 'ret']);
  });

  it('does not propagate a register assigned in a loop', () => {
    // i = 0; while i < 10: i = i + 1; return i
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [], 'int');
    const i = f.reg('int', 'i');
    const [b0, head, body, exit] = [f.block(), f.block(), f.block(), f.block()];
    b0.const(0, i);
    b0.jmp(head);
    head.br(head.bin('lt', i, head.const(10)), body, exit);
    body.bin('add', i, body.const(1), i);
    body.jmp(head);
    exit.ret(i);
    const fn = only(optimize(mb.build(), 1));
    expect(ops(fn)).toContain('add');
    expect(ops(fn)).toContain('br');
    const ret = fn.blocks.find((b) => b.term.op === 'ret')!;
    expect(ret.term).toMatchObject({ op: 'ret', value: i });
  });

  it('propagates a constant through a join when both paths agree', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['c', 'bool']], 'int');
    const x = f.reg('int', 'x');
    const [b0, b1, b2, b3] = [f.block(), f.block(), f.block(), f.block()];
    b0.br(0, b1, b2);
    b1.const(7, x);
    b1.jmp(b3);
    b2.const(7, x);
    b2.jmp(b3);
    b3.ret(b3.bin('mul', x, b3.const(6)));
    const fn = only(optimize(mb.build(), 1));
    // x is 7 on both paths: mul folds to 42, x and the branch become dead.
    expect(fn.blocks).toHaveLength(1);
    expect(fn.blocks[0]!.instrs).toMatchObject([{ op: 'const', value: I(42) }]);
  });

  it('does not propagate a constant through a join when the paths differ', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['c', 'bool']], 'int');
    const x = f.reg('int', 'x');
    const [b0, b1, b2, b3] = [f.block(), f.block(), f.block(), f.block()];
    b0.br(0, b1, b2);
    b1.const(7, x);
    b1.jmp(b3);
    b2.const(8, x);
    b2.jmp(b3);
    b3.ret(b3.bin('mul', x, b3.const(6)));
    const fn = only(optimize(mb.build(), 1));
    expect(ops(fn)).toContain('mul');
    expect(ops(fn)).toContain('br');
  });

  it('folds branches on constants and removes unreachable blocks', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['a', 'int']], 'int');
    const [b0, b1, b2, b3] = [f.block(), f.block(), f.block(), f.block()];
    const c = b0.bin('gt', b0.const(3), b0.const(2));
    b0.br(c, b1, b2);
    b1.jmp(b3);
    b2.revert('unreachable', 'require');
    b3.ret(0);
    const fn = only(optimize(mb.build(), 1));
    expect(fn.blocks).toHaveLength(1);
    expect(fn.blocks[0]!.term).toMatchObject({ op: 'ret', value: 0 });
    expect(fn.blocks[0]!.instrs).toEqual([]);
  });

  it('threads jumps through empty blocks and merges straight-line chains', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['c', 'bool'], ['a', 'int']], 'int');
    const [b0, e1, e2, b3, b4, b5] = [f.block(), f.block(), f.block(), f.block(), f.block(), f.block()];
    b0.br(0, e1, b4);
    e1.jmp(e2);
    e2.jmp(b3);
    b3.ret(b3.bin('add', 1, 1));
    b4.bin('sub', 1, 1); // may revert: stays
    b4.jmp(b5);
    b5.ret(1);
    const mod = optimize(mb.build(), 1);
    const fn = only(mod);
    expect(validateIR(mod)).toEqual([]);
    // b0: br c, b3', b4'; b4 and b5 merged.
    expect(fn.blocks).toHaveLength(3);
    expect(fn.blocks[0]!.term).toMatchObject({ op: 'br', then: 1, else: 2 });
    expect(ops(fn)).toEqual(['br', 'add', 'ret', 'sub', 'ret']);
  });

  it('leaves a cycle of empty blocks alone (an infinite loop is behaviour)', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['c', 'bool']], 'None');
    const [b0, l1, l2, b3] = [f.block(), f.block(), f.block(), f.block()];
    b0.br(0, l1, b3);
    l1.jmp(l2);
    l2.jmp(l1);
    b3.ret();
    const mod = optimize(mb.build(), 1);
    expect(validateIR(mod)).toEqual([]);
    const fn = only(mod);
    // The two empty blocks merge into one block that jumps to itself; the branch stays.
    expect(fn.blocks[0]!.term).toMatchObject({ op: 'br', then: 1, else: 2 });
    expect(fn.blocks[1]!.term).toMatchObject({ op: 'jmp', target: 1 });
    expect(fn.blocks[2]!.term).toMatchObject({ op: 'ret' });
  });

  it('propagates copies only while neither register is reassigned', () => {
    // x = a; a = a + 1; return x + a   (x must not be replaced by a after the reassignment)
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['a', 'int']], 'int');
    const x = f.reg('int', 'x');
    const b0 = f.block();
    b0.mov(x, 0);
    b0.bin('add', 0, b0.const(1), 0);
    const s = b0.bin('add', x, 0);
    b0.ret(s);
    const fn = only(optimize(mb.build(), 1));
    const last = fn.blocks[0]!.instrs.filter((i) => i.op === 'bin').pop()!;
    expect(last).toMatchObject({ op: 'bin', kind: 'add', a: x, b: 0 });
    expect(fn.blocks[0]!.instrs.some((i) => i.op === 'mov' && i.dst === x && i.src === 0)).toBe(true);
  });

  it('replaces reads of a copy by the original and drops the copy', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['a', 'int']], 'int');
    const x = f.reg('int', 'x');
    const b0 = f.block();
    b0.mov(x, 0);
    b0.ret(b0.bin('mul', x, x));
    const fn = only(optimize(mb.build(), 1));
    expect(fn.blocks[0]!.instrs).toMatchObject([{ op: 'bin', kind: 'mul', a: 0, b: 0 }]);
  });

  it('coalesces a temporary into the variable it is moved to', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['a', 'int']], 'int');
    const x = f.reg('int', 'x');
    const b0 = f.block();
    const t = b0.bin('add', 0, 0);
    b0.mov(x, t);
    b0.ret(b0.bin('mul', x, x));
    const fn = only(optimize(mb.build(), 1));
    expect(fn.blocks[0]!.instrs).toMatchObject([
      { op: 'bin', kind: 'add', dst: x },
      { op: 'bin', kind: 'mul', a: x, b: x },
    ]);
  });

  it('does not coalesce when the variable is read between the definition and the move', () => {
    // t = a + a; u = x * x; x = t; return u - x   (x's old value is read after t is computed)
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['a', 'int'], ['x', 'int']], 'int');
    const b0 = f.block();
    const t = b0.bin('add', 0, 0);
    const u = b0.bin('mul', 1, 1);
    b0.mov(1, t);
    b0.ret(b0.bin('sub', u, 1));
    const mod = mb.build();
    for (const level of [0, 1, 2] as const) expect(withoutGas(run(mod, level, 'f', [5n, 3n]))).toEqual({ ok: true, value: -1n });
  });

  it('keeps the spans of rewritten instructions and terminators', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [], 'int');
    const b0 = f.block();
    const a = b0.const(20);
    const m = b0.bin('mul', a, b0.const(2));
    b0.ret(m);
    const mod = mb.build();
    const mulSpan = mod.functions[0]!.blocks[0]!.instrs[2]!.span;
    const retSpan = mod.functions[0]!.blocks[0]!.term.span;
    const fn = only(optimize(mod, 1));
    expect(fn.blocks[0]!.instrs).toEqual([{ op: 'const', dst: m, value: I(40), span: mulSpan }]);
    expect(fn.blocks[0]!.term.span).toBe(retSpan);
  });

  it('rejects invalid IR with IRError', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [], 'int');
    const b0 = f.block();
    b0.ret(99);
    expect(() => optimize(mb.build(), 1)).toThrow(IRError);
  });
});

// ---- execution in the TVM ----------------------------------------------------------------------

type Outcome = { ok: true; value: unknown; gas: number } | { ok: false; reason: string; gas: number };

/** Optimizes at `level`, generates, loads and runs module function `name` in the TVM. */
function run(mod: IRModule, level: 0 | 1 | 2, name: string, args: unknown[], gasLimit = 1_000_000): Outcome {
  const { def } = generate(optimize(mod, level));
  const r = runFunction(prepareModule(def), name, args, { gasLimit });
  const norm = (v: unknown): unknown => (typeof v === 'number' ? BigInt(v) : v);
  return r.ok ? { ok: true, value: norm(r.value), gas: r.gasUsed } : { ok: false, reason: r.reason, gas: r.gasUsed };
}

const withoutGas = (o: Outcome): unknown => (o.ok ? { ok: true, value: o.value } : { ok: false, reason: o.reason });

describe('optimized code in the TVM', () => {
  it('keeps the reason of reverting operations on constants', () => {
    const cases: [BinKind, ConstLike, ConstLike, string][] = [
      ['add', INT_MAX, 1, 'integer overflow'],
      ['floordiv', 1, 0, 'division by zero'],
      ['mod', 1, 0, 'division by zero'],
      ['pow', 2, -1, 'negative exponent'],
      ['shl', 1, -1, 'negative shift count'],
      ['shl', 1, 300, 'integer overflow'],
      ['pow', 10, 100, 'integer overflow'],
    ];
    for (const [kind, a, b, reason] of cases) {
      const mb = new ModuleBuilder();
      const f = mb.fn('f', [], 'int');
      const b0 = f.block();
      b0.ret(b0.bin(kind, b0.const(a), b0.const(b)));
      const mod = mb.build();
      for (const level of [0, 1, 2] as const) {
        expect(withoutGas(run(mod, level, 'f', [])), `${kind} at level ${level}`).toEqual({ ok: false, reason });
      }
    }
  });

  it('computes folded constants exactly as the VM does', () => {
    const samples: ConstLike[] = [0, 1, -1, 7, -7, 2, 255, 256, INT_MAX, INT_MIN, 1n << 128n, -(1n << 200n) + 3n];
    const kinds: BinKind[] = ['add', 'sub', 'mul', 'floordiv', 'mod', 'pow', 'shl', 'shr', 'band', 'bor', 'bxor', 'lt', 'eq', 'ge'];
    for (const kind of kinds) {
      const mb = new ModuleBuilder();
      for (const [i, a] of samples.entries()) {
        for (const [j, b] of samples.entries()) {
          const f = mb.fn(`f_${i}_${j}`, [], kind === 'lt' || kind === 'eq' || kind === 'ge' ? 'bool' : 'int');
          const b0 = f.block();
          b0.ret(b0.bin(kind, b0.const(a), b0.const(b)));
        }
      }
      const mod = mb.build();
      const folded = optimize(mod, 1);
      const def0 = prepareModule(generate(mod).def);
      const def1 = prepareModule(generate(folded).def);
      for (const fn of mod.functions) {
        const r0 = runFunction(def0, fn.name, []);
        const r1 = runFunction(def1, fn.name, []);
        const o0 = r0.ok ? { v: String(r0.value) } : { r: r0.reason };
        const o1 = r1.ok ? { v: String(r1.value) } : { r: r1.reason };
        expect(o1, `${kind} ${fn.name}`).toEqual(o0);
      }
    }
  });

  it('gives the same results and reverts at every level on random programs', () => {
    const argSets: bigint[][] = [
      [0n, 0n, 0n],
      [1n, 2n, 3n],
      [-7n, 7n, 255n],
      [INT_MAX, INT_MIN, -1n],
      [1n << 128n, 3n, -(1n << 100n)],
    ];
    let compared = 0;
    let reverted = 0;
    let level2Differs = 0;
    for (let seed = 1; seed <= 250; seed++) {
      const mod = seed % 2 === 0 ? randomProgram(seed) : randomLoopProgram(seed);
      expect(validateIR(mod)).toEqual([]);
      for (const level of [1, 2] as const) expect(validateIR(optimize(mod, level)), `seed ${seed}`).toEqual([]);
      const defs = ([0, 1, 2] as const).map((l) => generate(optimize(mod, l)).def);
      // Opcode sequences (register compaction alone renumbers registers in every program).
      const opcodes = (d: (typeof defs)[number]) => d.functions.map((fn) => fn.code.map((i) => i[0]).join(' ')).join(';');
      if (opcodes(defs[2]!) !== opcodes(defs[1]!)) level2Differs++;
      const loaded = defs.map((d) => prepareModule(d));
      for (const args of argSets) {
        const [r0, r1, r2] = loaded.map((m) => runFunction(m, 'f', args, { gasLimit: 200_000 }));
        if (!r0!.ok && r0!.reason === 'out of gas') continue;
        const show = (r: typeof r0) => (r!.ok ? { value: BigInt(r!.value as number | bigint) } : { reason: r!.reason });
        const msg = `seed ${seed} args ${args.join(',')}\n${printIR(mod)}`;
        expect(show(r1), msg).toEqual(show(r0));
        expect(show(r2), msg).toEqual(show(r0));
        if (r0!.ok) expect(r1!.gasUsed, msg).toBeLessThanOrEqual(r0!.gasUsed);
        compared++;
        if (!r0!.ok) reverted++;
      }
    }
    // The generator must exercise both outcomes.
    expect(compared).toBeGreaterThan(1000);
    expect(reverted).toBeGreaterThan(100);
    expect(compared - reverted).toBeGreaterThan(100);
    expect(level2Differs).toBeGreaterThan(60); // hoisting or rotation changed the code
  });
});

// ---- level 2: reuse of context and storage reads ------------------------------------------------

/** Token.transfer as the checker lowers it: msg.sender and the balance read again and again. */
function tokenModule(): IRModule {
  const mb = new ModuleBuilder('Token');
  mb.storage('balances', 'int', ['Address']);
  mb.event('Transfer', [['sender', 'Address'], ['to', 'Address'], ['amount', 'int']]);
  const init = mb.fn('Token.__init__', [['supply', 'int']], 'None', 'constructor');
  const i0 = init.block();
  const s0 = init.reg('Address');
  i0.add({ op: 'env', dst: s0, kind: 'sender' });
  i0.add({ op: 'sstore', field: 'balances', keys: [s0], value: 0 });
  i0.ret();

  const f = mb.fn('Token.transfer', [['to', 'Address'], ['amount', 'int']], 'int', 'public');
  const [b0, b1, b2] = [f.block(), f.block(), f.block()];
  const sender = (b: typeof b0): number => {
    const r = b.f.reg('Address');
    b.add({ op: 'env', dst: r, kind: 'sender' });
    return r;
  };
  const load = (b: typeof b0, key: number): number => {
    const r = b.f.reg('int');
    b.add({ op: 'sload', dst: r, field: 'balances', keys: [key] });
    return r;
  };
  b0.br(b0.bin('ge', load(b0, sender(b0)), 1), b1, b2);
  const s1 = sender(b1);
  b1.add({ op: 'sstore', field: 'balances', keys: [s1], value: b1.bin('sub', load(b1, s1), 1) });
  b1.add({ op: 'sstore', field: 'balances', keys: [0], value: b1.bin('add', load(b1, 0), 1) });
  b1.add({ op: 'emit', event: 'Transfer', args: [sender(b1), 0, 1] });
  // Returns the sender's balance read after both writes (must see the second write when to == sender).
  b1.ret(load(b1, sender(b1)));
  b2.revert('insufficient balance', 'require');

  const v = mb.fn('Token.balance_of', [['owner', 'Address']], 'int', 'view');
  const v0 = v.block();
  const a1 = load(v0, 0);
  const a2 = load(v0, 0);
  v0.ret(v0.bin('sub', v0.bin('add', a1, a2), a1));
  return mb.build();
}

describe('level 2', () => {
  const alice = 'zv' + 'a'.repeat(64);
  const bob = 'zv' + 'b'.repeat(64);

  function scenario(level: 0 | 1 | 2) {
    const host = new MemoryHost();
    const code = encodeModule(generate(optimize(tokenModule(), level)).def);
    const d = deploy(host, code, [1000n], { sender: alice });
    expect(d.ok).toBe(true);
    const address = d.address!;
    const call = (sender: string, method: string, args: unknown[]) => callMethod(host, address, method, args, { sender });
    const results = [
      call(alice, 'transfer', [bob, 300n]),
      call(alice, 'transfer', [alice, 50n]), // to == sender: the last read must see the second write
      call(bob, 'transfer', [alice, 301n]),
      call(bob, 'transfer', [alice, 300n]),
      call(alice, 'balance_of', [alice]),
      call(alice, 'balance_of', [bob]),
    ];
    return {
      outcomes: results.map((r) => (r.ok ? { value: BigInt(r.value as number) } : { reason: r.reason })),
      gas: results.map((r) => r.gasUsed),
      events: host.events.length,
    };
  }

  it('never reuses reads across calls, of mutable values, or of changing context values', () => {
    const mb = new ModuleBuilder('C');
    mb.storage('n', 'int').storage('xs', 'list[int]');
    const g = mb.fn('C.g', [], 'None', 'private');
    g.block().ret();
    const f = mb.fn('C.f', [], 'int', 'public');
    const b = f.block();
    const reads = (): number[] => {
      const rs = [f.reg('int'), f.reg('list[int]'), f.reg('int'), f.reg('int')];
      b.add({ op: 'sload', dst: rs[0]!, field: 'n', keys: [] });
      b.add({ op: 'sload', dst: rs[1]!, field: 'xs', keys: [] });
      b.add({ op: 'env', dst: rs[2]!, kind: 'gasLeft' });
      b.add({ op: 'env', dst: rs[3]!, kind: 'selfBalance' });
      return rs;
    };
    const first = reads();
    b.add({ op: 'call', dst: f.reg('None'), fn: 'C.g', args: [] });
    const second = reads();
    const v = b.const(5);
    b.add({ op: 'sstore', field: 'n', keys: [], value: v });
    const third = f.reg('int');
    b.add({ op: 'sload', dst: third, field: 'n', keys: [] });
    b.ret(b.bin('add', b.bin('add', first[0]!, second[0]!), third));
    // Keep every read used (the logs go before the block's terminator).
    for (const r of [...first, ...second]) b.add({ op: 'log', msg: r });
    const instrs = optimize(mb.build(), 2).functions[1]!.blocks[0]!.instrs;
    const count = (op: string) => instrs.filter((i) => i.op === op).length;
    expect(count('sload')).toBe(4); // n and xs before and after the call; n after the store is forwarded
    expect(count('env')).toBe(4);
  });

  /** i = 0; while i < n: i = i + 1 (the 1 loaded in the body); v = 7 in the body; return v or i. */
  function countLoop(returnV: boolean): IRModule {
    const mb = new ModuleBuilder();
    const f = mb.fn('count', [['n', 'int']], 'int');
    const i = f.reg('int', 'i');
    const v = f.reg('int', 'v');
    const [b0, head, body, exit] = [f.block(), f.block(), f.block(), f.block()];
    b0.const(0, i);
    b0.jmp(head);
    head.br(head.bin('lt', i, 0), body, exit);
    body.bin('add', i, body.const(1), i);
    body.const(7, v);
    body.jmp(head);
    exit.ret(returnV ? v : i);
    return mb.build();
  }

  it('hoists loop constants to the preheader and rotates the loop test to the bottom', () => {
    const fn = optimize(countLoop(false), 2).functions[0]!;
    expect(printFunction(fn)).toBe(
      [
        'fn count(n: int) -> int  [function]',
        '  ; locals: r1 i',
        '  b0:',
        '    r1: int = const 0',
        '    r3: int = const 1',
        '    r2: bool = lt r1, r0',
        '    br r2, b1, b2',
        '  b1:',
        '    r1: int = add r1, r3',
        '    r2: bool = lt r1, r0',
        '    br r2, b1, b2',
        '  b2:',
        '    ret r1',
      ].join('\n'),
    );
    const code = generate(optimize(countLoop(false), 2)).def.functions[0]!.code;
    expect(code.map((c) => c[0])).toEqual(['LOADI', 'LOADI', 'LT', 'JF', 'ADD', 'LT', 'JT', 'RET']);
    for (const n of [0n, 1n, 5n]) expect(withoutGas(run(countLoop(false), 2, 'count', [n]))).toEqual({ ok: true, value: n });
  });

  it('does not hoist a constant whose register is read where the loop body may not have run', () => {
    const mod = countLoop(true);
    const fn = optimize(mod, 2).functions[0]!;
    const loopBlock = fn.blocks.find((b) => b.term.op === 'br' && b.instrs.some((i) => i.op === 'bin' && i.kind === 'add'))!;
    expect(loopBlock.instrs.some((i) => i.op === 'const' && i.value.kind === 'int' && i.value.value === 7n)).toBe(true);
    // n = 0: v is never assigned and the function returns None, which the VM rejects.
    expect(run(mod, 0, 'count', [0n])).toMatchObject({ ok: false });
    expect(withoutGas(run(mod, 2, 'count', [0n]))).toEqual(withoutGas(run(mod, 0, 'count', [0n])));
    expect(withoutGas(run(mod, 2, 'count', [3n]))).toEqual({ ok: true, value: 7n });
  });

  it('gives the same results as levels 0 and 1 and uses less gas', () => {
    const [l0, l1, l2] = ([0, 1, 2] as const).map(scenario);
    expect(l0!.outcomes).toEqual([
      { value: 700n },
      { value: 700n },
      { reason: 'insufficient balance' },
      { value: 0n },
      { value: 1000n },
      { value: 0n },
    ]);
    expect(l1).toMatchObject({ outcomes: l0!.outcomes, events: l0!.events });
    expect(l2).toMatchObject({ outcomes: l0!.outcomes, events: l0!.events });
    // transfer: one SLOAD (50 gas plus its bytes) and two ENV reads saved.
    expect(l2!.gas[0]!).toBeLessThan(l1!.gas[0]! - 50);
    l1!.gas.forEach((g, i) => expect(g).toBeLessThanOrEqual(l0!.gas[i]!));
    l2!.gas.forEach((g, i) => expect(g).toBeLessThanOrEqual(l1!.gas[i]!));
  });

  it('reuses only reads that are available on every path and not invalidated', () => {
    const fn = optimize(tokenModule(), 2).functions[1]!;
    const text = printIR({ ...tokenModule(), functions: [fn] });
    expect(text.match(/env sender/g)).toHaveLength(1);
    // balances[sender] is read once for the check and reused for the update; balances[to]
    // is read; the store to balances[to] (to may be the sender) invalidates what is known
    // of balances, so the final read of balances[sender] is a real load again.
    expect(text.match(/sload balances/g)).toHaveLength(3);
    const view = optimize(tokenModule(), 2).functions[2]!;
    expect(view.blocks[0]!.instrs.filter((i) => i.op === 'sload')).toHaveLength(1);
    // Level 1 keeps every read.
    expect(optimize(tokenModule(), 1).functions[1]!.blocks.flatMap((b) => b.instrs).filter((i) => i.op === 'sload')).toHaveLength(4);
  });
});

// ---- random programs -------------------------------------------------------------------------


const ARITH: BinKind[] = ['add', 'sub', 'mul', 'floordiv', 'mod', 'pow', 'shl', 'shr', 'band', 'bor', 'bxor'];
const CMP: BinKind[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];
const INTERESTING: bigint[] = [0n, 1n, -1n, 2n, 3n, -3n, 7n, 64n, 255n, 256n, INT_MAX, INT_MIN, 1n << 200n];

/** Random choices from a seeded PRNG. */
class Dice {
  readonly rnd: () => number;
  constructor(seed: number) {
    this.rnd = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  constant(): bigint {
    return this.rnd() < 0.5 ? this.pick(INTERESTING) : BigInt(this.int(21) - 10);
  }
}

/** f(a, b, c: int) -> int with three int variables v0..v2 and a fuel register. */
function programShell(d: Dice) {
  const mb = new ModuleBuilder();
  const f = mb.fn('f', [['a', 'int'], ['b', 'int'], ['c', 'int']], 'int');
  const vars: number[] = [0, 1, 2];
  for (let i = 0; i < 3; i++) vars.push(f.reg('int', `v${i}`));
  return { mb, f, vars, locals: vars.slice(3), fuel: f.reg('int', 'fuel') };
}

/**
 * Appends random straight-line code: arithmetic (which may revert), constants, moves (often
 * of the newest temporary: the checker's `t = op; x = mov t`), negation, comparisons.
 * Temporaries are used only in the block that defines them, so programs stay well typed.
 * Returns the int and bool registers usable at the end of the block.
 */
function fillBlock(d: Dice, b: BlockBuilder, vars: number[], maxSteps = 7) {
  const locals = vars.slice(3);
  const ints = [...vars];
  const bools: number[] = [];
  const operand = (): number => (d.rnd() < 0.2 ? b.const(d.constant()) : d.pick(ints));
  const steps = d.int(maxSteps);
  for (let s = 0; s < steps; s++) {
    const p = d.rnd();
    if (p < 0.45) {
      const dst = d.rnd() < 0.4 ? d.pick(locals) : undefined;
      const r = b.bin(d.pick(ARITH), operand(), operand(), dst);
      if (dst === undefined) ints.push(r);
    } else if (p < 0.55) {
      b.const(d.constant(), d.pick(locals));
    } else if (p < 0.7) {
      b.mov(d.pick(locals), d.rnd() < 0.5 ? ints[ints.length - 1]! : d.pick(ints));
    } else if (p < 0.8) {
      ints.push(b.un(d.pick(['neg', 'invert'] as const), d.pick(ints)));
    } else if (p < 0.95) {
      bools.push(b.bin(d.pick(CMP), operand(), operand()));
    } else {
      bools.push(b.un(d.pick(['not', 'truthy'] as const), d.pick(ints)));
    }
  }
  const cond = (): number => (bools.length > 0 && d.rnd() < 0.7 ? d.pick(bools) : b.bin(d.pick(CMP), operand(), operand()));
  return { ints, cond };
}

/**
 * An unstructured random function: blocks with random code, forward jumps and branches,
 * returns and reverts, and loops bounded by a fuel register that only the loop latches
 * decrement (each latch tests the fuel itself).
 */
function randomProgram(seed: number): IRModule {
  const d = new Dice(seed);
  const { mb, f, vars, locals, fuel } = programShell(d);
  const n = 2 + d.int(6);
  const blocks = Array.from({ length: n }, () => f.block());
  blocks[0]!.const(3, fuel);
  for (const v of locals) blocks[0]!.const(d.constant(), v);
  blocks.forEach((b, i) => {
    const { ints, cond } = fillBlock(d, b, vars);
    const later = (): number => i + 1 + d.int(n - i - 1);
    const t = d.rnd();
    if (i === n - 1 || t < 0.1) {
      if (d.rnd() < 0.15) b.revert(d.pick(['boom', 'bad value']), 'require');
      else b.ret(d.pick(ints));
    } else if (t < 0.45) {
      b.jmp(later());
    } else if (t < 0.8) {
      b.br(cond(), later(), later());
    } else if (t < 0.9) {
      // A loop latch: fuel -= 1; if fuel > 0 go back, else continue forward.
      b.bin('sub', fuel, b.const(1), fuel);
      b.br(b.bin('gt', fuel, b.const(0)), d.int(i + 1), later());
    } else {
      b.revert(d.pick(['boom', 'bad value']), 'require');
    }
  });
  return mb.build();
}

/**
 * A structured random function: `while` loops (header test on a fuel register, body with an
 * if/else, break and continue edges, a latch that decrements the fuel and jumps back), one
 * level of nesting with its own fuel reset in the outer body: the shapes loop rotation and
 * constant hoisting work on.
 */
function randomLoopProgram(seed: number): IRModule {
  const d = new Dice(seed);
  const { mb, f, vars, locals, fuel } = programShell(d);
  const entry = f.block();
  entry.const(2 + d.int(3), fuel);
  for (const v of locals) entry.const(d.constant(), v);

  /** Emits a loop starting from `pre` (which jumps to the header) and returns its exit block. */
  const loop = (pre: BlockBuilder, fuelReg: number, depth: number): BlockBuilder => {
    const head = f.block();
    const body = f.block();
    const exit = f.block();
    pre.jmp(head);
    fillBlock(d, head, vars, 3);
    head.br(head.bin('gt', fuelReg, head.const(0)), body, exit);
    const latch = f.block();
    fillBlock(d, latch, vars, 3);
    latch.bin('sub', fuelReg, latch.const(1), fuelReg);
    latch.jmp(head);
    let cur = body;
    if (depth === 0 && d.rnd() < 0.5) {
      const inner = f.reg('int', 'fuel2');
      fillBlock(d, cur, vars, 3);
      cur.const(1 + d.int(3), inner);
      cur = loop(cur, inner, 1);
    }
    const { cond } = fillBlock(d, cur, vars);
    const [yes, no, join] = [f.block(), f.block(), f.block()];
    const choice = d.rnd();
    if (choice < 0.15) cur.br(cond(), exit, yes); // break
    else if (choice < 0.3) cur.br(cond(), latch, yes); // continue
    else cur.br(cond(), yes, no);
    fillBlock(d, yes, vars, 4);
    yes.jmp(join);
    fillBlock(d, no, vars, 4);
    no.jmp(join);
    fillBlock(d, join, vars, 3);
    join.jmp(latch);
    return exit;
  };

  const exit = loop(entry, fuel, 0);
  const { ints } = fillBlock(d, exit, vars);
  if (d.rnd() < 0.1) exit.revert('after the loop', 'require');
  else exit.ret(d.pick(ints));
  return mb.build();
}
