// The IR optimizer (docs/ir.md, "Optimization").
//
// `optimize` never mutates its argument: level 0 returns the module itself, levels 1 and 2
// return a new module whose functions have fresh block and instruction arrays (unchanged
// instructions, spans and constants are shared with the input; nothing here mutates them).
//
// Every pass works on one function, returns whether it changed anything, and preserves:
// - behaviour: results, storage effects, events, logs and reverts with their reasons are
//   unchanged; only gas may go down (docs/ir.md lists the two exceptions). An operation that
//   may revert is never folded or deleted unless its operands are constants for which it
//   provably does not revert.
// - spans: a rewritten instruction keeps the span of the instruction it replaces.
// - the register table: registers keep their numbers and types (level 2 may renumber).
// The IR is not SSA, so constant and copy propagation are proper dataflow analyses over
// the control-flow graph (forward, to a fixed point), and dead-code removal uses liveness.

import type { IRConst, IRFunction, IRInstr, IRModule, IRTerm, Reg } from './ir.ts';
import { constEquals, defaultConst, foldBin, foldUn } from './fold.ts';
import {
  defOf,
  forward,
  mapTargets,
  mapTermUses,
  mapUses,
  predecessors,
  reachableOrder,
  reversePostorder,
  successors,
  termUses,
  usesOf,
} from './ir-walk.ts';
import { IRError, validateIR } from './ir-print.ts';
import { compactRegisters, hoistLoopConstants, reuseLoads, rotateLoops } from './optimize-level2.ts';

export type OptLevel = 0 | 1 | 2;

/** Rounds of all passes per function; each round that changes nothing ends the loop early. */
const MAX_ROUNDS = 16;

/** A pass rewrites one function in place and says whether it changed anything. */
type Pass = (fn: IRFunction, mod: IRModule) => boolean;

const LEVEL1: Pass[] = [
  propagateConstants,
  // Before copy propagation: `t = op; x = mov t` is best turned into `x = op`, which copy
  // propagation would prevent by redirecting x's readers to t.
  coalesceMoves,
  propagateCopies,
  removeDeadCode,
  simplifyCFG,
];

/** Level 2 runs LEVEL1 plus reuseLoads to a fixed point, then the loop passes (and those
 *  again to clean up after them), then compacts the registers. */
const LEVEL2: Pass[] = [reuseLoads, ...LEVEL1];

/** Optimize every function of a module. Throws IRError when the module is not valid IR. */
export function optimize(mod: IRModule, level: OptLevel): IRModule {
  if (level === 0) return mod;
  const problems = validateIR(mod);
  if (problems.length > 0) throw new IRError(problems);
  return { ...mod, functions: mod.functions.map((f) => optimizeFunction(f, mod, level)) };
}

function fixpoint(f: IRFunction, mod: IRModule, passes: Pass[]): void {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    for (const pass of passes) changed = pass(f, mod) || changed;
    if (!changed) break;
  }
}

/** One function of `mod` (assumed valid), optimized; `fn` itself is not modified. */
export function optimizeFunction(fn: IRFunction, mod: IRModule, level: OptLevel): IRFunction {
  if (level === 0) return fn;
  const f: IRFunction = {
    ...fn,
    blocks: fn.blocks.map((b) => ({ ...b, instrs: [...b.instrs] })),
  };
  fixpoint(f, mod, level === 1 ? LEVEL1 : LEVEL2);
  if (level === 2) {
    // Hoisting first: rotation turns preheaders' jumps into branches, which hoisting needs.
    fixpoint(f, mod, [hoistLoopConstants]);
    fixpoint(f, mod, [rotateLoops]);
    fixpoint(f, mod, LEVEL2);
    compactRegisters(f);
  }
  return f;
}

// ---- purity --------------------------------------------------------------------------------

/** Instructions that have no effect besides writing `dst` and can never revert (for
 *  well-typed operands), so they may be deleted when `dst` is dead. */
const PURE_OPS = new Set<IRInstr['op']>([
  'const', 'default', 'mov', 'newlist', 'newtuple', 'newdict', 'getfield', 'copy', 'str', 'repr', 'env',
]);
const PURE_BIN = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'band', 'bor', 'bxor', 'concat', 'contains']);
const PURE_UN = new Set(['not', 'truthy', 'isnone', 'invert', 'len']);

export function isRemovable(ins: IRInstr): boolean {
  if (ins.op === 'bin') return PURE_BIN.has(ins.kind);
  if (ins.op === 'un') return PURE_UN.has(ins.kind);
  return PURE_OPS.has(ins.op);
}

// ---- constant propagation and folding -------------------------------------------------------

/** Per register: the constant it certainly holds, or null. */
type ConstState = (IRConst | null)[];

/** The constant an instruction writes to its dst given the constants before it, or null. */
function constResult(ins: IRInstr, st: ConstState): IRConst | null {
  switch (ins.op) {
    case 'const':
      return ins.value;
    case 'default':
      return defaultConst(ins.type);
    case 'mov':
      return st[ins.src] ?? null;
    case 'bin': {
      const a = st[ins.a];
      const b = st[ins.b];
      return a && b ? foldBin(ins.kind, a, b) : null;
    }
    case 'un': {
      const a = st[ins.a];
      return a ? foldUn(ins.kind, a) : null;
    }
    default:
      return null;
  }
}

function stepConst(ins: IRInstr, st: ConstState): void {
  const d = defOf(ins);
  if (d !== null) st[d] = constResult(ins, st);
}

function meetConst(into: ConstState, from: ConstState): boolean {
  let changed = false;
  for (let r = 0; r < into.length; r++) {
    const a = into[r];
    if (a === null) continue;
    const b = from[r];
    if (b === null || b === undefined || !constEquals(a!, b)) {
      into[r] = null;
      changed = true;
    }
  }
  return changed;
}

/** Replaces computations with known constant results by `const`, and branches on known
 *  conditions by jumps. The replaced instructions are pure by construction: constResult
 *  only evaluates const/default/mov/bin/un, and folding refuses anything that reverts. */
function propagateConstants(fn: IRFunction): boolean {
  const entry: ConstState = fn.regs.map(() => null);
  const run = (id: number, st: ConstState): ConstState => {
    for (const ins of fn.blocks[id]!.instrs) stepConst(ins, st);
    return st;
  };
  const inState = forward(fn, entry, run, meetConst, (s) => [...s]);
  let changed = false;
  for (const b of fn.blocks) {
    const st0 = inState[b.id];
    if (st0 === undefined) continue;
    const st = [...st0];
    b.instrs = b.instrs.map((ins) => {
      const value = constResult(ins, st);
      stepConst(ins, st);
      if (value === null || ins.op === 'const') return ins;
      changed = true;
      return { op: 'const', dst: defOf(ins)!, value, span: ins.span };
    });
    const t = b.term;
    if (t.op === 'br') {
      const c = st[t.cond];
      if (c && c.kind === 'bool') {
        b.term = { op: 'jmp', target: c.value ? t.then : t.else, span: t.span };
        changed = true;
      }
    }
  }
  return changed;
}

// ---- copy propagation ----------------------------------------------------------------------

/** Available copies: dst -> src for every `mov dst, src` valid on all paths to this point. */
type Copies = Map<Reg, Reg>;

function killCopies(c: Copies, r: Reg): void {
  c.delete(r);
  for (const [d, s] of c) if (s === r) c.delete(d);
}

function stepCopies(ins: IRInstr, c: Copies): void {
  const d = defOf(ins);
  if (d === null) return;
  killCopies(c, d);
  if (ins.op === 'mov' && ins.src !== d) c.set(d, ins.src);
}

function meetCopies(into: Copies, from: Copies): boolean {
  let changed = false;
  for (const [d, s] of into) {
    if (from.get(d) !== s) {
      into.delete(d);
      changed = true;
    }
  }
  return changed;
}

/** Reads of a register that is a copy of another read the original instead; `mov r, r`
 *  disappears. The movs themselves become dead and removeDeadCode deletes them. */
function propagateCopies(fn: IRFunction): boolean {
  const run = (id: number, c: Copies): Copies => {
    for (const ins of fn.blocks[id]!.instrs) stepCopies(ins, c);
    return c;
  };
  const inState = forward(fn, new Map<Reg, Reg>(), run, meetCopies, (c) => new Map(c));
  let changed = false;
  for (const b of fn.blocks) {
    const c0 = inState[b.id];
    if (c0 === undefined) continue;
    const c = new Map(c0);
    const subst = (r: Reg): Reg => {
      const s = c.get(r);
      if (s === undefined) return r;
      changed = true;
      return s;
    };
    const out: IRInstr[] = [];
    for (const ins of b.instrs) {
      if (ins.op === 'mov' && ins.src === ins.dst) {
        changed = true;
        continue;
      }
      const ins2 = usesOf(ins).some((r) => c.has(r)) ? mapUses(ins, subst) : ins;
      stepCopies(ins2, c);
      out.push(ins2);
    }
    b.instrs = out;
    if (termUses(b.term).some((r) => c.has(r))) b.term = mapTermUses(b.term, subst);
  }
  return changed;
}

// ---- liveness, dead code, move coalescing ---------------------------------------------------

/** Registers live at the end of each block (backward dataflow to a fixed point). */
function liveOut(fn: IRFunction): Set<Reg>[] {
  const gen: Set<Reg>[] = [];
  const kill: Set<Reg>[] = [];
  for (const b of fn.blocks) {
    const g = new Set<Reg>(termUses(b.term));
    const k = new Set<Reg>();
    for (let i = b.instrs.length - 1; i >= 0; i--) {
      const ins = b.instrs[i]!;
      const d = defOf(ins);
      if (d !== null) {
        g.delete(d);
        k.add(d);
      }
      for (const u of usesOf(ins)) g.add(u);
    }
    gen.push(g);
    kill.push(k);
  }
  const liveIn: Set<Reg>[] = fn.blocks.map((_, i) => new Set(gen[i]));
  const out: Set<Reg>[] = fn.blocks.map(() => new Set());
  const order = reversePostorder(fn).reverse();
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of order) {
      const o = out[id]!;
      for (const s of successors(fn.blocks[id]!.term)) for (const r of liveIn[s]!) o.add(r);
      const li = liveIn[id]!;
      for (const r of o) {
        if (!kill[id]!.has(r) && !li.has(r)) {
          li.add(r);
          changed = true;
        }
      }
    }
  }
  return out;
}

/** Live sets after each instruction of a block, given the block's live-out set. */
function liveAfter(instrs: IRInstr[], term: IRTerm, out: Set<Reg>): Set<Reg>[] {
  const live = new Set(out);
  for (const r of termUses(term)) live.add(r);
  const after: Set<Reg>[] = new Array(instrs.length);
  for (let i = instrs.length - 1; i >= 0; i--) {
    after[i] = new Set(live);
    const ins = instrs[i]!;
    const d = defOf(ins);
    if (d !== null) live.delete(d);
    for (const u of usesOf(ins)) live.add(u);
  }
  return after;
}

/** Deletes pure instructions whose result is never read. */
function removeDeadCode(fn: IRFunction): boolean {
  const out = liveOut(fn);
  let changed = false;
  for (const b of fn.blocks) {
    const live = new Set(out[b.id]);
    for (const r of termUses(b.term)) live.add(r);
    const kept: IRInstr[] = [];
    for (let i = b.instrs.length - 1; i >= 0; i--) {
      const ins = b.instrs[i]!;
      const d = defOf(ins);
      if (d !== null && !live.has(d) && isRemovable(ins)) {
        changed = true;
        continue;
      }
      if (d !== null) live.delete(d);
      for (const u of usesOf(ins)) live.add(u);
      kept.push(ins);
    }
    b.instrs = kept.reverse();
  }
  return changed;
}

const mentions = (ins: IRInstr, r: Reg): boolean => defOf(ins) === r || usesOf(ins).includes(r);

/**
 * `t = <op> ...; ...; x = mov t` with t dead afterwards and neither x nor t touched in
 * between becomes `x = <op> ...` (the checker's temporaries assigned to variables). Sound
 * because every TVM instruction reads its operands before it writes its destination.
 */
function coalesceMoves(fn: IRFunction): boolean {
  const out = liveOut(fn);
  let changed = false;
  for (const b of fn.blocks) {
    const after = liveAfter(b.instrs, b.term, out[b.id]!);
    const dead = new Set<number>();
    for (let j = 0; j < b.instrs.length; j++) {
      const mv = b.instrs[j]!;
      if (mv.op !== 'mov' || mv.src === mv.dst || after[j]!.has(mv.src)) continue;
      const t = mv.src;
      const x = mv.dst;
      for (let k = j - 1; k >= 0; k--) {
        if (dead.has(k)) continue;
        const ins = b.instrs[k]!;
        if (defOf(ins) === t) {
          b.instrs[k] = { ...ins, dst: x } as IRInstr;
          dead.add(j);
          changed = true;
          break;
        }
        if (mentions(ins, t) || mentions(ins, x)) break;
      }
    }
    if (dead.size > 0) b.instrs = b.instrs.filter((_, i) => !dead.has(i));
  }
  return changed;
}

// ---- control-flow simplification -------------------------------------------------------------

function simplifyCFG(fn: IRFunction): boolean {
  let changed = foldSameTargetBranches(fn);
  changed = threadJumps(fn) || changed;
  changed = removeUnreachable(fn) || changed;
  changed = mergeBlocks(fn) || changed;
  changed = removeUnreachable(fn) || changed;
  return changed;
}

/** `br c, X, X` -> `jmp X`. */
function foldSameTargetBranches(fn: IRFunction): boolean {
  let changed = false;
  for (const b of fn.blocks) {
    const t = b.term;
    if (t.op === 'br' && t.then === t.else) {
      b.term = { op: 'jmp', target: t.then, span: t.span };
      changed = true;
    }
  }
  return changed;
}

/** Edges into a block that holds nothing but `jmp T` go to T directly (following chains;
 *  a cycle of empty blocks, an infinite loop, is left alone). */
function threadJumps(fn: IRFunction): boolean {
  const isForwarder = (id: number): boolean => {
    const b = fn.blocks[id]!;
    return id !== 0 && b.instrs.length === 0 && b.term.op === 'jmp';
  };
  const resolve = (id: number): number => {
    const seen = new Set<number>();
    let cur = id;
    while (isForwarder(cur) && !seen.has(cur)) {
      seen.add(cur);
      const t = fn.blocks[cur]!.term;
      if (t.op !== 'jmp') break;
      cur = t.target;
    }
    return seen.has(cur) ? id : cur;
  };
  let changed = false;
  for (const b of fn.blocks) {
    const t = mapTargets(b.term, resolve);
    if (successors(t).some((s, i) => s !== successors(b.term)[i])) {
      b.term = t;
      changed = true;
    }
  }
  return changed;
}

/** A block whose only predecessor ends in `jmp` to it is appended to that predecessor. */
function mergeBlocks(fn: IRFunction): boolean {
  const preds = predecessors(fn.blocks);
  let changed = false;
  for (const p of fn.blocks) {
    for (;;) {
      const t = p.term;
      if (t.op !== 'jmp') break;
      const s = t.target;
      if (s === 0 || s === p.id || preds[s]!.length !== 1) break;
      const sb = fn.blocks[s]!;
      p.instrs.push(...sb.instrs);
      p.term = sb.term;
      // sb is now unreachable; its successors' edges come from p.
      for (const n of successors(sb.term)) preds[n] = preds[n]!.map((x) => (x === s ? p.id : x));
      preds[s] = [];
      sb.instrs = [];
      sb.term = { op: 'jmp', target: s, span: sb.term.span };
      changed = true;
    }
  }
  return changed;
}

/** Drops blocks the entry cannot reach and renumbers the rest in their original order. */
function removeUnreachable(fn: IRFunction): boolean {
  const reach = new Set(reachableOrder(fn));
  if (reach.size === fn.blocks.length) return false;
  const newId = new Map<number, number>();
  const kept = fn.blocks.filter((b) => reach.has(b.id));
  kept.forEach((b, i) => newId.set(b.id, i));
  fn.blocks = kept.map((b, i) => ({ id: i, instrs: b.instrs, term: mapTargets(b.term, (t) => newId.get(t)!) }));
  return true;
}
