import { describe, expect, it } from 'vitest';
import type { IRFunction, IRInstr } from './ir.ts';
import type { Span } from './diagnostics.ts';
import { defOf, forEachUse, forward, hasCycle, INSTR_OPS, mapUses, reachableOrder, reads, reversePostorder, usesOf } from './ir-walk.ts';

const span: Span = { file: 't.py', start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };

/** One instruction of every kind, every register operand a different number (10 upwards). */
const SAMPLES: IRInstr[] = [
  { op: 'const', dst: 1, value: { kind: 'int', value: 1n }, span },
  { op: 'default', dst: 1, type: 'int', span },
  { op: 'mov', dst: 1, src: 10, span },
  { op: 'bin', kind: 'add', dst: 1, a: 10, b: 11, span },
  { op: 'un', kind: 'neg', dst: 1, a: 10, span },
  { op: 'getitem', dst: 1, obj: 10, index: 11, span },
  { op: 'setitem', obj: 10, index: 11, value: 12, span },
  { op: 'delitem', obj: 10, index: 11, span },
  { op: 'slice', dst: 1, obj: 10, lo: 11, hi: 12, step: 13, span },
  { op: 'newlist', dst: 1, items: [10, 11, 12], span },
  { op: 'newtuple', dst: 1, items: [10, 11], span },
  { op: 'newdict', dst: 1, items: [10, 11, 12, 13], span },
  { op: 'getfield', dst: 1, obj: 10, index: 2, span },
  { op: 'setfield', obj: 10, index: 2, value: 11, span },
  { op: 'append', list: 10, value: 11, span },
  { op: 'copy', dst: 1, src: 10, type: 'list[int]', span },
  { op: 'str', dst: 1, src: 10, type: 'int', span },
  { op: 'repr', dst: 1, src: 10, type: 'int', span },
  { op: 'format', dst: 1, src: 10, type: 'int', spec: '>4', span },
  { op: 'builtin', dst: 1, name: 'abs', args: [10], span },
  { op: 'call', dst: 1, fn: 'f', args: [10, 11], span },
  { op: 'sload', dst: 1, field: 'm', keys: [10, 11], span },
  { op: 'sstore', field: 'm', keys: [10, 11], value: 12, span },
  { op: 'shas', dst: 1, field: 'm', keys: [10], span },
  { op: 'sdel', field: 'm', keys: [10], span },
  { op: 'env', dst: 1, kind: 'sender', span },
  { op: 'balance', dst: 1, addr: 10, span },
  { op: 'transfer', to: 10, amount: 11, span },
  { op: 'emit', event: 'E', args: [10, 11, 12], span },
  { op: 'log', msg: 10, span },
  { op: 'xcall', dst: 1, iface: 'I', method: 'm', addr: 10, value: 11, args: [12, 13], span },
];

/** The registers mapUses (driven by the operand table) visits, in its order. */
function tableUses(ins: IRInstr): number[] {
  const seen: number[] = [];
  mapUses(ins, (r) => {
    seen.push(r);
    return r;
  });
  return seen;
}

describe('instruction operands', () => {
  it('has a sample of every instruction kind', () => {
    expect(SAMPLES.map((s) => s.op).sort()).toEqual([...INSTR_OPS].sort());
  });

  it('usesOf, forEachUse and reads agree with the operand table', () => {
    for (const ins of SAMPLES) {
      const want = tableUses(ins);
      expect(usesOf(ins), ins.op).toEqual(want);
      const visited: number[] = [];
      forEachUse(ins, (r, out) => out.push(r), visited);
      expect(visited, ins.op).toEqual(want);
      for (let r = 0; r < 16; r++) expect(reads(ins, r), `${ins.op} reads r${r}`).toBe(want.includes(r));
    }
  });

  it('usesOf returns a fresh array (callers may keep or change it)', () => {
    const ins = SAMPLES.find((s) => s.op === 'call')!;
    const uses = usesOf(ins);
    uses.push(99);
    expect(usesOf(ins)).toEqual([10, 11]);
  });

  it('defOf names the destination of the instructions that have one', () => {
    for (const ins of SAMPLES) expect(defOf(ins), ins.op).toBe('dst' in ins ? 1 : null);
  });
});

/** A function from terminators only: b0 -> b1 | b2, b1 -> b3, b2 -> b3, b3 -> b1 (a loop) | ret; b4 unreachable. */
function diamondWithLoop(): IRFunction {
  const regs = [{ type: 'bool', name: null }];
  const block = (id: number, term: IRFunction['blocks'][number]['term']) => ({ id, instrs: [], term });
  return {
    name: 'f', abiName: 'f', kind: 'function', params: [], returnType: 'None', regs, span,
    blocks: [
      block(0, { op: 'br', cond: 0, then: 1, else: 2, span }),
      block(1, { op: 'jmp', target: 3, span }),
      block(2, { op: 'jmp', target: 3, span }),
      block(3, { op: 'br', cond: 0, then: 1, else: 5, span }),
      block(4, { op: 'jmp', target: 3, span }),
      block(5, { op: 'ret', value: null, span }),
    ],
  };
}

describe('control-flow orders and forward dataflow', () => {
  it('orders the reachable blocks', () => {
    const fn = diamondWithLoop();
    expect(reachableOrder(fn)).toEqual([0, 1, 3, 5, 2]);
    expect(reversePostorder(fn)).toEqual([0, 2, 1, 3, 5]);
  });

  it('finds cycles the entry reaches, and only those', () => {
    const fn = diamondWithLoop();
    expect(hasCycle(fn)).toBe(true);
    // Without the back edge b3 -> b1 (b3 returns), only the unreachable b4 could loop.
    fn.blocks[3]!.term = { op: 'ret', value: null, span };
    fn.blocks[4]!.term = { op: 'jmp', target: 4, span };
    expect(hasCycle(fn)).toBe(false);
    // A block that jumps to itself is a cycle.
    fn.blocks[5]!.term = { op: 'jmp', target: 5, span };
    fn.blocks[3]!.term = { op: 'jmp', target: 5, span };
    expect(hasCycle(fn)).toBe(true);
  });

  it('reaches the fixed point through the back edge and leaves unreachable blocks without state', () => {
    // "Blocks on every path from the entry": meet is intersection, each block adds itself.
    const fn = diamondWithLoop();
    const seen = forward<Set<number>>(
      fn,
      new Set(),
      (id, s) => s.add(id),
      (into, from) => {
        let changed = false;
        for (const x of into) if (!from.has(x)) changed = into.delete(x) || changed;
        return changed;
      },
      (s) => new Set(s),
    );
    const sorted = seen.map((s) => (s === undefined ? undefined : [...s].sort()));
    expect(sorted).toEqual([[], [0], [0], [0], undefined, [0, 3]]);
  });
});
