import { describe, expect, it } from 'vitest';
import type { BinKind, IRConst, IRFunction, IRModule } from './ir.ts';
import { foldBin, foldUn, INT_MAX, INT_MIN } from './fold.ts';
import { optimize } from './optimize.ts';
import { IRError, printIR, validateIR } from './ir-print.ts';
import { ModuleBuilder, toConst, type ConstLike } from './ir-builder.ts';

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
