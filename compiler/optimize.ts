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

import type { IRBlock, IRConst, IRFunction, IRInstr, IRModule, Reg } from './ir.ts';
import { constEquals, defaultConst, foldBin, foldUn } from './fold.ts';
import {
  defOf,
  forEachUse,
  forward,
  mapTargets,
  mapTermUses,
  mapUses,
  reachableOrder,
  reads,
  reversePostorder,
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

/** Runs the passes in rounds until a round changes nothing (at most MAX_ROUNDS rounds).
 *  A pass that changed nothing is skipped until another pass changes the function: it would
 *  find the same function and change nothing again (passes depend on nothing else). */
function fixpoint(f: IRFunction, mod: IRModule, passes: Pass[]): void {
  const idleAt = new Array<number>(passes.length).fill(-1); // `changes` when pass i last found nothing
  let changes = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    for (let i = 0; i < passes.length; i++) {
      if (idleAt[i] === changes) continue;
      if (passes[i]!(f, mod)) {
        changes++;
        changed = true;
      } else idleAt[i] = changes;
    }
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
  const blocks = fn.blocks;
  const entry: ConstState = new Array<IRConst | null>(fn.regs.length).fill(null);
  const inState = forward(fn, entry, (id, st) => runConsts(blocks[id]!.instrs, st), meetConst, cloneConsts);
  let changed = false;
  for (const b of blocks) {
    const st0 = inState[b.id];
    if (st0 === undefined) continue;
    const st = st0.slice();
    const instrs = b.instrs;
    for (let i = 0; i < instrs.length; i++) {
      const ins = instrs[i]!;
      const value = constResult(ins, st);
      stepConst(ins, st);
      if (value === null || ins.op === 'const') continue;
      changed = true;
      instrs[i] = { op: 'const', dst: defOf(ins)!, value, span: ins.span };
    }
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

function runConsts(instrs: IRInstr[], st: ConstState): ConstState {
  for (const ins of instrs) stepConst(ins, st);
  return st;
}

const cloneConsts = (s: ConstState): ConstState => s.slice();

/** Does the function hold a `mov` (with `selfMoves`, also `mov r, r`)? */
function hasMov(fn: IRFunction, selfMoves: boolean): boolean {
  for (const b of fn.blocks) for (const ins of b.instrs) if (ins.op === 'mov' && (selfMoves || ins.src !== ins.dst)) return true;
  return false;
}

// ---- copy propagation ----------------------------------------------------------------------

/** Available copies: copies[dst] = src for every `mov dst, src` valid on all paths to this
 *  point, -1 for the other registers. (A plain array of small integers: copying one, once
 *  per block visited, is much cheaper than copying a Map or a typed array.) */
type Copies = number[];

function killCopies(c: Copies, r: Reg): void {
  c[r] = -1;
  for (let d = 0; d < c.length; d++) if (c[d] === r) c[d] = -1;
}

function stepCopies(ins: IRInstr, c: Copies): void {
  const d = defOf(ins);
  if (d === null) return;
  killCopies(c, d);
  if (ins.op === 'mov' && ins.src !== d) c[d] = ins.src;
}

function runCopies(instrs: IRInstr[], c: Copies): Copies {
  for (const ins of instrs) stepCopies(ins, c);
  return c;
}

function meetCopies(into: Copies, from: Copies): boolean {
  let changed = false;
  for (let d = 0; d < into.length; d++) {
    if (into[d] !== -1 && from[d] !== into[d]) {
      into[d] = -1;
      changed = true;
    }
  }
  return changed;
}

const cloneCopies = (c: Copies): Copies => c.slice();

function readsACopy(regs: Reg[], c: Copies): boolean {
  for (const r of regs) if (c[r] !== -1) return true;
  return false;
}

/** Reads of a register that is a copy of another read the original instead; `mov r, r`
 *  disappears. The movs themselves become dead and removeDeadCode deletes them. */
function propagateCopies(fn: IRFunction): boolean {
  // Without a `mov` there is no copy to propagate and none to delete (after the first round
  // most functions have none left): skip the dataflow.
  if (!hasMov(fn, true)) return false;
  const blocks = fn.blocks;
  const entry: Copies = new Array<number>(fn.regs.length).fill(-1);
  const inState = forward(fn, entry, (id, c) => runCopies(blocks[id]!.instrs, c), meetCopies, cloneCopies);
  let changed = false;
  for (const b of blocks) {
    const c0 = inState[b.id];
    if (c0 === undefined) continue;
    const c = c0.slice();
    const out: IRInstr[] = [];
    for (const ins of b.instrs) {
      if (ins.op === 'mov' && ins.src === ins.dst) {
        changed = true;
        continue;
      }
      let ins2 = ins;
      if (readsACopy(usesOf(ins), c)) {
        // A copy's source is never the copy itself, so this changes at least one operand.
        ins2 = mapUses(ins, (r) => (c[r] === -1 ? r : c[r]!));
        changed = true;
      }
      stepCopies(ins2, c);
      out.push(ins2);
    }
    b.instrs = out;
    if (readsACopy(termUses(b.term), c)) {
      b.term = mapTermUses(b.term, (r) => (c[r] === -1 ? r : c[r]!));
      changed = true;
    }
  }
  return changed;
}

// ---- liveness, dead code, move coalescing ---------------------------------------------------

/** Sets of registers as bit sets: register r is bit r & 31 of word r >>> 5 of the set. The
 *  sets of all blocks of a function share one array (block b's set starts at b * words):
 *  registers are small dense numbers and liveness runs several times per round, so
 *  word-wide unions over one buffer beat a Set<number> (or a typed array) per block. */
interface Liveness {
  words: number;
  /** Registers live at the end of each block (before its terminator reads). */
  out: Uint32Array;
}

const hasReg = (s: Uint32Array, r: Reg): boolean => ((s[r >>> 5]! >>> (r & 31)) & 1) === 1;

function addReg(s: Uint32Array, r: Reg): void {
  s[r >>> 5]! |= 1 << (r & 31);
}

function removeReg(s: Uint32Array, r: Reg): void {
  s[r >>> 5]! &= ~(1 << (r & 31));
}

/** forEachUse's callback for liveness: a read makes the register live. */
function markLive(r: Reg, live: Uint32Array): void {
  addReg(live, r);
}

/** live := live - def(ins) + uses(ins): the step of liveness backwards over one instruction. */
function stepLive(ins: IRInstr, live: Uint32Array): void {
  const d = defOf(ins);
  if (d !== null) removeReg(live, d);
  forEachUse(ins, markLive, live);
}

/** Sets `live` to the registers live just before block b's terminator: its live-out set
 *  plus what the terminator reads. */
function liveAtEnd(b: IRBlock, lv: Liveness, live: Uint32Array): Uint32Array {
  const base = b.id * lv.words;
  for (let w = 0; w < lv.words; w++) live[w] = lv.out[base + w]!;
  const t = b.term;
  if (t.op === 'br') addReg(live, t.cond);
  else if (t.op === 'ret') {
    if (t.value !== null) addReg(live, t.value);
  } else if (t.op === 'revert') addReg(live, t.reason);
  return live;
}

/** Registers live at the end of each block (backward dataflow to the least fixed point).
 *  Blocks the entry cannot reach have nothing live out. */
function liveOut(fn: IRFunction): Liveness {
  const blocks = fn.blocks;
  const words = (fn.regs.length + 31) >>> 5;
  const size = blocks.length * words;
  const lv: Liveness = { words, out: new Uint32Array(size) };
  const liveIn = new Uint32Array(size); // starts as gen: read before written in the block
  const kill = new Uint32Array(size);
  const g = new Uint32Array(words);
  const k = new Uint32Array(words);
  for (const b of blocks) {
    liveAtEnd(b, lv, g);
    k.fill(0);
    for (let j = b.instrs.length - 1; j >= 0; j--) {
      const ins = b.instrs[j]!;
      const d = defOf(ins);
      if (d !== null) {
        removeReg(g, d);
        addReg(k, d);
      }
      forEachUse(ins, markLive, g);
    }
    liveIn.set(g, b.id * words);
    kill.set(k, b.id * words);
  }
  const out = lv.out;
  const order = reversePostorder(fn).reverse();
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of order) {
      const base = id * words;
      const t = blocks[id]!.term;
      if (t.op === 'jmp') orInto(out, base, liveIn, t.target * words, words);
      else if (t.op === 'br') {
        orInto(out, base, liveIn, t.then * words, words);
        orInto(out, base, liveIn, t.else * words, words);
      }
      for (let w = base; w < base + words; w++) {
        const grown = out[w]! & ~kill[w]! & ~liveIn[w]!;
        if (grown !== 0) {
          liveIn[w] = liveIn[w]! | grown;
          changed = true;
        }
      }
    }
  }
  return lv;
}

function orInto(into: Uint32Array, at: number, from: Uint32Array, fromAt: number, words: number): void {
  for (let w = 0; w < words; w++) into[at + w] = into[at + w]! | from[fromAt + w]!;
}

/** Deletes pure instructions whose result is never read. */
function removeDeadCode(fn: IRFunction): boolean {
  const lv = liveOut(fn);
  const live = new Uint32Array(lv.words);
  let changed = false;
  for (const b of fn.blocks) {
    liveAtEnd(b, lv, live);
    const instrs = b.instrs;
    let kept: IRInstr[] | null = null; // reversed survivors, once something was deleted
    for (let i = instrs.length - 1; i >= 0; i--) {
      const ins = instrs[i]!;
      const d = defOf(ins);
      if (d !== null && !hasReg(live, d) && isRemovable(ins)) {
        if (kept === null) kept = instrs.slice(i + 1).reverse();
        changed = true;
        continue;
      }
      stepLive(ins, live);
      kept?.push(ins);
    }
    if (kept !== null) b.instrs = kept.reverse();
  }
  return changed;
}

/**
 * `t = <op> ...; ...; x = mov t` with t dead afterwards and neither x nor t touched in
 * between becomes `x = <op> ...` (the checker's temporaries assigned to variables). Sound
 * because every TVM instruction reads its operands before it writes its destination.
 */
function coalesceMoves(fn: IRFunction): boolean {
  if (!hasMov(fn, false)) return false; // nothing to coalesce: skip the liveness analysis
  const lv = liveOut(fn);
  const live = new Uint32Array(lv.words);
  let changed = false;
  for (const b of fn.blocks) {
    const instrs = b.instrs;
    // Candidates: the `mov x, t` (x != t) after which t is dead; found walking backwards.
    let candidate: Uint8Array | null = null;
    liveAtEnd(b, lv, live);
    for (let i = instrs.length - 1; i >= 0; i--) {
      const ins = instrs[i]!;
      if (ins.op === 'mov' && ins.src !== ins.dst && !hasReg(live, ins.src)) (candidate ??= new Uint8Array(instrs.length))[i] = 1;
      stepLive(ins, live);
    }
    if (candidate === null) continue;
    let dead: Uint8Array | null = null;
    for (let j = 0; j < instrs.length; j++) {
      if (candidate[j] !== 1) continue;
      const mv = instrs[j]!;
      if (mv.op !== 'mov') continue;
      const t = mv.src;
      const x = mv.dst;
      for (let k = j - 1; k >= 0; k--) {
        if (dead !== null && dead[k] === 1) continue;
        const ins = instrs[k]!;
        const d = defOf(ins);
        if (d === t) {
          instrs[k] = { ...ins, dst: x } as IRInstr;
          dead ??= new Uint8Array(instrs.length);
          dead[j] = 1;
          changed = true;
          break;
        }
        if (d === x || reads(ins, t) || reads(ins, x)) break;
      }
    }
    if (dead !== null) b.instrs = instrs.filter((_, i) => dead[i] === 0);
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
  const blocks = fn.blocks;
  let changed = false;
  for (const b of blocks) {
    const t = b.term;
    if (t.op === 'jmp') {
      const target = resolveJump(blocks, t.target);
      if (target !== t.target) {
        b.term = { ...t, target };
        changed = true;
      }
    } else if (t.op === 'br') {
      const then = resolveJump(blocks, t.then);
      const els = resolveJump(blocks, t.else);
      if (then !== t.then || els !== t.else) {
        b.term = { ...t, then, else: els };
        changed = true;
      }
    }
  }
  return changed;
}

const isForwarder = (blocks: IRBlock[], id: number): boolean => {
  const b = blocks[id]!;
  return id !== 0 && b.instrs.length === 0 && b.term.op === 'jmp';
};

/** Where a jump to `id` ends up through forwarders; `id` itself when they form a cycle. */
function resolveJump(blocks: IRBlock[], id: number): number {
  if (!isForwarder(blocks, id)) return id;
  const seen: number[] = [];
  let cur = id;
  while (isForwarder(blocks, cur) && !seen.includes(cur)) {
    seen.push(cur);
    const t = blocks[cur]!.term;
    if (t.op !== 'jmp') break;
    cur = t.target;
  }
  return seen.includes(cur) ? id : cur;
}

/** A block whose only predecessor ends in `jmp` to it is appended to that predecessor. */
function mergeBlocks(fn: IRFunction): boolean {
  // Only the number of edges into each block matters: merging s into p moves s's outgoing
  // edges to p (their targets keep their counts) and leaves s with none.
  const npreds = new Int32Array(fn.blocks.length);
  for (const b of fn.blocks) {
    const t = b.term;
    if (t.op === 'jmp') npreds[t.target]!++;
    else if (t.op === 'br') {
      npreds[t.then]!++;
      npreds[t.else]!++;
    }
  }
  let changed = false;
  for (const p of fn.blocks) {
    for (;;) {
      const t = p.term;
      if (t.op !== 'jmp') break;
      const s = t.target;
      if (s === 0 || s === p.id || npreds[s] !== 1) break;
      const sb = fn.blocks[s]!;
      p.instrs.push(...sb.instrs);
      p.term = sb.term;
      npreds[s] = 0; // sb is now unreachable
      sb.instrs = [];
      sb.term = { op: 'jmp', target: s, span: sb.term.span };
      changed = true;
    }
  }
  return changed;
}

/** Drops blocks the entry cannot reach and renumbers the rest in their original order. */
function removeUnreachable(fn: IRFunction): boolean {
  const reach = reachableOrder(fn);
  const n = fn.blocks.length;
  if (reach.length === n) return false;
  const newId = new Int32Array(n).fill(-1);
  for (const id of reach) newId[id] = 0;
  const kept: IRBlock[] = [];
  for (const b of fn.blocks) if (newId[b.id] === 0) newId[b.id] = kept.push(b) - 1;
  fn.blocks = kept.map((b, i) => ({ id: i, instrs: b.instrs, term: mapTargets(b.term, (t) => newId[t]!) }));
  return true;
}
