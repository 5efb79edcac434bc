// Generic access to the operands of IR instructions and terminators: which register an
// instruction defines, which it reads, and which blocks a terminator jumps to. Table-driven,
// so the optimizer, the validator and the printer agree on every instruction's operands.

import type { IRBlock, IRFunction, IRInstr, IRTerm, Reg } from './ir.ts';

type Op = IRInstr['op'];

/** Register-valued fields each instruction reads: single registers, then register lists. */
const USES: Record<Op, { one: string[]; many: string[] }> = {
  const: { one: [], many: [] },
  default: { one: [], many: [] },
  mov: { one: ['src'], many: [] },
  bin: { one: ['a', 'b'], many: [] },
  un: { one: ['a'], many: [] },
  getitem: { one: ['obj', 'index'], many: [] },
  setitem: { one: ['obj', 'index', 'value'], many: [] },
  delitem: { one: ['obj', 'index'], many: [] },
  slice: { one: ['obj', 'lo', 'hi', 'step'], many: [] },
  newlist: { one: [], many: ['items'] },
  newtuple: { one: [], many: ['items'] },
  newdict: { one: [], many: ['items'] },
  getfield: { one: ['obj'], many: [] },
  setfield: { one: ['obj', 'value'], many: [] },
  append: { one: ['list', 'value'], many: [] },
  copy: { one: ['src'], many: [] },
  str: { one: ['src'], many: [] },
  repr: { one: ['src'], many: [] },
  format: { one: ['src'], many: [] },
  builtin: { one: [], many: ['args'] },
  call: { one: [], many: ['args'] },
  sload: { one: [], many: ['keys'] },
  sstore: { one: ['value'], many: ['keys'] },
  shas: { one: [], many: ['keys'] },
  sdel: { one: [], many: ['keys'] },
  env: { one: [], many: [] },
  balance: { one: ['addr'], many: [] },
  transfer: { one: ['to', 'amount'], many: [] },
  emit: { one: [], many: ['args'] },
  log: { one: ['msg'], many: [] },
  xcall: { one: ['addr', 'value'], many: ['args'] },
};

export const INSTR_OPS = Object.keys(USES) as Op[];

/** The register an instruction writes, or null. */
export function defOf(ins: IRInstr): Reg | null {
  return 'dst' in ins ? ins.dst : null;
}

/** The registers an instruction reads (with repetitions, in operand order). */
export function usesOf(ins: IRInstr): Reg[] {
  const spec = USES[ins.op];
  const rec = ins as unknown as Record<string, Reg & Reg[]>;
  const out: Reg[] = spec.one.map((f) => rec[f]!);
  for (const f of spec.many) out.push(...rec[f]!);
  return out;
}

/** A copy of the instruction with every read register replaced by f(r). */
export function mapUses(ins: IRInstr, f: (r: Reg) => Reg): IRInstr {
  const spec = USES[ins.op];
  const out = { ...ins } as unknown as Record<string, unknown>;
  for (const k of spec.one) out[k] = f(out[k] as Reg);
  for (const k of spec.many) out[k] = (out[k] as Reg[]).map(f);
  return out as unknown as IRInstr;
}

/** A copy of the instruction with its destination (if any) replaced by f(dst). */
export function mapDef(ins: IRInstr, f: (r: Reg) => Reg): IRInstr {
  return 'dst' in ins ? ({ ...ins, dst: f(ins.dst) } as IRInstr) : ins;
}

export function termUses(t: IRTerm): Reg[] {
  switch (t.op) {
    case 'br':
      return [t.cond];
    case 'ret':
      return t.value === null ? [] : [t.value];
    case 'revert':
      return [t.reason];
    case 'jmp':
      return [];
  }
}

export function mapTermUses(t: IRTerm, f: (r: Reg) => Reg): IRTerm {
  switch (t.op) {
    case 'br':
      return { ...t, cond: f(t.cond) };
    case 'ret':
      return t.value === null ? t : { ...t, value: f(t.value) };
    case 'revert':
      return { ...t, reason: f(t.reason) };
    case 'jmp':
      return t;
  }
}

/** Successor block ids (a `br` with equal targets lists it twice). */
export function successors(t: IRTerm): number[] {
  if (t.op === 'jmp') return [t.target];
  if (t.op === 'br') return [t.then, t.else];
  return [];
}

export function mapTargets(t: IRTerm, f: (b: number) => number): IRTerm {
  if (t.op === 'jmp') return { ...t, target: f(t.target) };
  if (t.op === 'br') return { ...t, then: f(t.then), else: f(t.else) };
  return t;
}

/** Predecessor lists per block id, one entry per edge. */
export function predecessors(blocks: IRBlock[]): number[][] {
  const preds: number[][] = blocks.map(() => []);
  for (const b of blocks) for (const s of successors(b.term)) preds[s]?.push(b.id);
  return preds;
}

/** Blocks reachable from the entry, in depth-first preorder (successor order kept). */
export function reachableOrder(fn: IRFunction): number[] {
  const seen = new Set<number>();
  const order: number[] = [];
  const stack = [0];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id) || !fn.blocks[id]) continue;
    seen.add(id);
    order.push(id);
    const succ = successors(fn.blocks[id]!.term);
    for (let i = succ.length - 1; i >= 0; i--) stack.push(succ[i]!);
  }
  return order;
}

/** Reverse postorder of the reachable blocks (a good order for forward dataflow). */
export function reversePostorder(fn: IRFunction): number[] {
  const seen = new Set<number>();
  const post: number[] = [];
  // Iterative DFS: a frame is [block, index of the next successor to visit].
  const stack: [number, number][] = [];
  const visit = (id: number): void => {
    if (seen.has(id) || !fn.blocks[id]) return;
    seen.add(id);
    stack.push([id, 0]);
  };
  visit(0);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const succ = successors(fn.blocks[top[0]]!.term);
    if (top[1] < succ.length) visit(succ[top[1]++]!);
    else post.push(stack.pop()![0]);
  }
  return post.reverse();
}
