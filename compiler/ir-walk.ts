// Generic access to the IR: which register an instruction defines and which it reads (table-
// driven, so the optimizer, the validator and the printer agree on every instruction's
// operands), which blocks a terminator jumps to, and the control-flow graph utilities the
// optimizer builds on: orders, a forward dataflow driver, dominators, natural loops.

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

// ---- forward dataflow ---------------------------------------------------------------------

/**
 * Runs a forward analysis over the reachable blocks to a fixed point. `run` computes a
 * block's out-state from its in-state (on a copy); `meet` merges an out-state into a
 * successor's in-state and says whether that changed it. Unvisited blocks have no state,
 * so the analysis is optimistic about loops and corrects itself when the back edge arrives.
 */
export function forward<S>(
  fn: IRFunction,
  entry: S,
  run: (id: number, st: S) => S,
  meet: (into: S, from: S) => boolean,
  clone: (s: S) => S,
): (S | undefined)[] {
  const order = reversePostorder(fn);
  const inState: (S | undefined)[] = [];
  inState[0] = entry;
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of order) {
      const st = inState[id];
      if (st === undefined) continue;
      const out = run(id, clone(st));
      for (const s of successors(fn.blocks[id]!.term)) {
        const cur = inState[s];
        if (cur === undefined) {
          inState[s] = clone(out);
          changed = true;
        } else if (meet(cur, out)) changed = true;
      }
    }
  }
  return inState;
}

// ---- dominators and loops --------------------------------------------------------------------

/** Immediate dominators of the reachable blocks (idom[0] = 0; undefined when unreachable),
 *  by the iterative algorithm of Cooper, Harvey and Kennedy. */
export function dominators(fn: IRFunction): (number | undefined)[] {
  const rpo = reversePostorder(fn);
  const index = new Map(rpo.map((b, i) => [b, i]));
  const preds = predecessors(fn.blocks);
  const idom: (number | undefined)[] = [];
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (index.get(a)! > index.get(b)!) a = idom[a]!;
      while (index.get(b)! > index.get(a)!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of rpo) {
      if (b === 0) continue;
      let d: number | undefined;
      for (const p of preds[b]!) if (idom[p] !== undefined) d = d === undefined ? p : intersect(p, d);
      if (d !== undefined && idom[b] !== d) {
        idom[b] = d;
        changed = true;
      }
    }
  }
  return idom;
}

/** Does block a dominate block b (given the idom array)? */
export function dominates(idom: (number | undefined)[], a: number, b: number): boolean {
  for (let cur: number | undefined = b; cur !== undefined; cur = idom[cur]) {
    if (cur === a) return true;
    if (cur === 0) return false;
  }
  return false;
}

export interface Loop {
  header: number;
  /** Blocks of the loop, the header included. */
  body: Set<number>;
  /** Blocks inside the loop that jump back to the header. */
  latches: number[];
}

/** Natural loops (one per header, back edges with the same header merged). */
export function naturalLoops(fn: IRFunction, idom: (number | undefined)[]): Loop[] {
  const preds = predecessors(fn.blocks);
  const loops = new Map<number, Loop>();
  for (const b of reversePostorder(fn)) {
    for (const h of successors(fn.blocks[b]!.term)) {
      if (!dominates(idom, h, b)) continue;
      let loop = loops.get(h);
      if (!loop) {
        loop = { header: h, body: new Set([h]), latches: [] };
        loops.set(h, loop);
      }
      if (!loop.latches.includes(b)) loop.latches.push(b);
      const stack = [b];
      while (stack.length > 0) {
        const x = stack.pop()!;
        if (loop.body.has(x)) continue;
        loop.body.add(x);
        for (const p of preds[x]!) if (idom[p] !== undefined) stack.push(p);
      }
    }
  }
  return [...loops.values()];
}
