// Generic access to the IR: which register an instruction defines and which it reads (one
// place, so the optimizer, the validator and the printer agree on every instruction's
// operands), which blocks a terminator jumps to, and the control-flow graph utilities the
// optimizer builds on: orders, a forward dataflow driver, dominators, natural loops.
//
// The operand table USES drives the generic rewriting (mapUses); usesOf, forEachUse and reads
// answer the same question with a switch each, because the optimizer asks it for every
// instruction in every pass (ir-walk.test.ts checks that all four agree).

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

/** The registers an instruction reads (with repetitions, in operand order, as listed in
 *  USES). A switch rather than a walk over USES: the optimizer calls this for every
 *  instruction in every pass, and a fresh small array literal is the cheapest answer. */
export function usesOf(ins: IRInstr): Reg[] {
  switch (ins.op) {
    case 'const':
    case 'default':
    case 'env':
      return [];
    case 'mov':
    case 'copy':
    case 'str':
    case 'repr':
    case 'format':
      return [ins.src];
    case 'bin':
      return [ins.a, ins.b];
    case 'un':
      return [ins.a];
    case 'getitem':
      return [ins.obj, ins.index];
    case 'setitem':
      return [ins.obj, ins.index, ins.value];
    case 'delitem':
      return [ins.obj, ins.index];
    case 'slice':
      return [ins.obj, ins.lo, ins.hi, ins.step];
    case 'newlist':
    case 'newtuple':
    case 'newdict':
      return ins.items.slice();
    case 'getfield':
      return [ins.obj];
    case 'setfield':
      return [ins.obj, ins.value];
    case 'append':
      return [ins.list, ins.value];
    case 'builtin':
    case 'call':
    case 'emit':
      return ins.args.slice();
    case 'sload':
    case 'shas':
    case 'sdel':
      return ins.keys.slice();
    case 'sstore':
      return [ins.value, ...ins.keys];
    case 'balance':
      return [ins.addr];
    case 'transfer':
      return [ins.to, ins.amount];
    case 'log':
      return [ins.msg];
    case 'xcall':
      return [ins.addr, ins.value, ...ins.args];
  }
}

/** Calls f(r, arg) for every register the instruction reads, in usesOf's order, without
 *  building an array (liveness calls this for every instruction several times per pass). */
export function forEachUse<T>(ins: IRInstr, f: (r: Reg, arg: T) => void, arg: T): void {
  switch (ins.op) {
    case 'const':
    case 'default':
    case 'env':
      return;
    case 'mov':
    case 'copy':
    case 'str':
    case 'repr':
    case 'format':
      f(ins.src, arg);
      return;
    case 'bin':
      f(ins.a, arg);
      f(ins.b, arg);
      return;
    case 'un':
      f(ins.a, arg);
      return;
    case 'getitem':
    case 'delitem':
      f(ins.obj, arg);
      f(ins.index, arg);
      return;
    case 'setitem':
      f(ins.obj, arg);
      f(ins.index, arg);
      f(ins.value, arg);
      return;
    case 'slice':
      f(ins.obj, arg);
      f(ins.lo, arg);
      f(ins.hi, arg);
      f(ins.step, arg);
      return;
    case 'newlist':
    case 'newtuple':
    case 'newdict':
      for (const r of ins.items) f(r, arg);
      return;
    case 'getfield':
      f(ins.obj, arg);
      return;
    case 'setfield':
      f(ins.obj, arg);
      f(ins.value, arg);
      return;
    case 'append':
      f(ins.list, arg);
      f(ins.value, arg);
      return;
    case 'builtin':
    case 'call':
    case 'emit':
      for (const r of ins.args) f(r, arg);
      return;
    case 'sload':
    case 'shas':
    case 'sdel':
      for (const r of ins.keys) f(r, arg);
      return;
    case 'sstore':
      f(ins.value, arg);
      for (const r of ins.keys) f(r, arg);
      return;
    case 'balance':
      f(ins.addr, arg);
      return;
    case 'transfer':
      f(ins.to, arg);
      f(ins.amount, arg);
      return;
    case 'log':
      f(ins.msg, arg);
      return;
    case 'xcall':
      f(ins.addr, arg);
      f(ins.value, arg);
      for (const r of ins.args) f(r, arg);
      return;
  }
}

/** Does the instruction read register r? (usesOf(ins).includes(r) without the array.) */
export function reads(ins: IRInstr, r: Reg): boolean {
  switch (ins.op) {
    case 'const':
    case 'default':
    case 'env':
      return false;
    case 'mov':
    case 'copy':
    case 'str':
    case 'repr':
    case 'format':
      return ins.src === r;
    case 'bin':
      return ins.a === r || ins.b === r;
    case 'un':
      return ins.a === r;
    case 'getitem':
    case 'delitem':
      return ins.obj === r || ins.index === r;
    case 'setitem':
      return ins.obj === r || ins.index === r || ins.value === r;
    case 'slice':
      return ins.obj === r || ins.lo === r || ins.hi === r || ins.step === r;
    case 'newlist':
    case 'newtuple':
    case 'newdict':
      return ins.items.includes(r);
    case 'getfield':
      return ins.obj === r;
    case 'setfield':
      return ins.obj === r || ins.value === r;
    case 'append':
      return ins.list === r || ins.value === r;
    case 'builtin':
    case 'call':
    case 'emit':
      return ins.args.includes(r);
    case 'sload':
    case 'shas':
    case 'sdel':
      return ins.keys.includes(r);
    case 'sstore':
      return ins.value === r || ins.keys.includes(r);
    case 'balance':
      return ins.addr === r;
    case 'transfer':
      return ins.to === r || ins.amount === r;
    case 'log':
      return ins.msg === r;
    case 'xcall':
      return ins.addr === r || ins.value === r || ins.args.includes(r);
  }
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
  const blocks = fn.blocks;
  const seen = new Uint8Array(blocks.length);
  const order: number[] = [];
  const stack = [0];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen[id] === 1 || !blocks[id]) continue;
    seen[id] = 1;
    order.push(id);
    const t = blocks[id]!.term;
    if (t.op === 'jmp') stack.push(t.target);
    else if (t.op === 'br') stack.push(t.else, t.then);
  }
  return order;
}

/** Reverse postorder of the reachable blocks (a good order for forward dataflow). */
export function reversePostorder(fn: IRFunction): number[] {
  const blocks = fn.blocks;
  const seen = new Uint8Array(blocks.length);
  const post: number[] = [];
  // Iterative DFS: parallel stacks of blocks and of the index of their next successor.
  const stack: number[] = [];
  const next: number[] = [];
  if (blocks[0]) {
    seen[0] = 1;
    stack.push(0);
    next.push(0);
  }
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = blocks[stack[top]!]!.term;
    const i = next[top]!;
    const n = t.op === 'jmp' ? 1 : t.op === 'br' ? 2 : 0;
    if (i < n) {
      next[top] = i + 1;
      const s = t.op === 'jmp' ? t.target : t.op === 'br' ? (i === 0 ? t.then : t.else) : -1;
      if (seen[s] !== 1 && blocks[s]) {
        seen[s] = 1;
        stack.push(s);
        next.push(0);
      }
    } else {
      post.push(stack.pop()!);
      next.pop();
    }
  }
  return post.reverse();
}

/** Does the entry reach a cycle? (A depth-first search meets an edge back to a block still
 *  on its stack.) Without one there are no loops, natural or not. */
export function hasCycle(fn: IRFunction): boolean {
  const blocks = fn.blocks;
  // 0 unvisited, 1 on the stack, 2 done
  const state = new Uint8Array(blocks.length);
  const stack: number[] = [];
  const next: number[] = [];
  if (!blocks[0]) return false;
  state[0] = 1;
  stack.push(0);
  next.push(0);
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = blocks[stack[top]!]!.term;
    const i = next[top]!;
    const n = t.op === 'jmp' ? 1 : t.op === 'br' ? 2 : 0;
    if (i < n) {
      next[top] = i + 1;
      const s = t.op === 'jmp' ? t.target : t.op === 'br' ? (i === 0 ? t.then : t.else) : -1;
      if (!blocks[s]) continue;
      if (state[s] === 1) return true;
      if (state[s] === 0) {
        state[s] = 1;
        stack.push(s);
        next.push(0);
      }
    } else {
      state[stack.pop()!] = 2;
      next.pop();
    }
  }
  return false;
}

// ---- forward dataflow ---------------------------------------------------------------------

/**
 * Runs a forward analysis over the reachable blocks to a fixed point. `run` computes a
 * block's out-state from its in-state (on a copy); `meet` merges an out-state into a
 * successor's in-state and says whether that changed it. Unvisited blocks have no state,
 * so the analysis is optimistic about loops and corrects itself when the back edge arrives.
 *
 * A block is run again only when its in-state changed since its last run (sweeps in reverse
 * postorder, so an acyclic function takes one sweep). The analyses here are monotone, so
 * this reaches the same (maximal) fixed point as re-running every block until nothing moves.
 */
export function forward<S>(
  fn: IRFunction,
  entry: S,
  run: (id: number, st: S) => S,
  meet: (into: S, from: S) => boolean,
  clone: (s: S) => S,
): (S | undefined)[] {
  const order = reversePostorder(fn);
  const blocks = fn.blocks;
  const inState: (S | undefined)[] = [];
  const pending = new Uint8Array(blocks.length);
  inState[0] = entry;
  pending[0] = 1;
  for (let sweep = true; sweep; ) {
    for (const id of order) {
      if (pending[id] === 0) continue;
      pending[id] = 0;
      const out = run(id, clone(inState[id]!));
      const t = blocks[id]!.term;
      if (t.op === 'jmp') flowInto(t.target, out, inState, pending, meet, clone);
      else if (t.op === 'br') {
        flowInto(t.then, out, inState, pending, meet, clone);
        flowInto(t.else, out, inState, pending, meet, clone);
      }
    }
    // Blocks marked by a back edge (at or before their source in the order) need a sweep more.
    sweep = pending.includes(1);
  }
  return inState;
}

/** Merges `out` into the in-state of block s and marks s pending when that changed it. */
function flowInto<S>(
  s: number,
  out: S,
  inState: (S | undefined)[],
  pending: Uint8Array,
  meet: (into: S, from: S) => boolean,
  clone: (s: S) => S,
): void {
  const cur = inState[s];
  if (cur === undefined) inState[s] = clone(out);
  else if (!meet(cur, out)) return;
  pending[s] = 1;
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
