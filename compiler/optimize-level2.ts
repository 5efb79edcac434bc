// Level 2 passes (docs/ir.md, "Optimization"): reuse of context and storage reads, constants
// hoisted out of loops, loop rotation, register compaction. Same contract as the level 1
// passes in optimize.ts: each rewrites one function in place and says whether it changed it.

import type { IRFunction, IRInstr, IRModule, Reg } from './ir.ts';
import { constEquals } from './fold.ts';
import {
  defOf,
  dominates,
  dominators,
  forEachUse,
  forward,
  hasCycle,
  mapDef,
  mapTermUses,
  mapUses,
  naturalLoops,
  predecessors,
  termUses,
  usesOf,
} from './ir-walk.ts';

// ---- reuse of environment and storage reads ----------------------------------------------------

/** Context values that cannot change during a call (selfBalance and gasLeft can). */
const INVARIANT_ENV = new Set(['sender', 'value', 'height', 'timestamp', 'self', 'origin']);

/** Splits "a,b[c,d],e" at top-level commas. */
function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.filter((p) => p.trim() !== '');
}

/** Values of these types cannot be mutated in place, so sharing one between two reads is
 *  unobservable (a list read twice from storage must give two distinct lists). */
export function isImmutableType(t: string): boolean {
  t = t.trim();
  if (['int', 'bool', 'str', 'bytes', 'Address', 'None'].includes(t)) return true;
  if (t.startsWith('Optional[') && t.endsWith(']')) return isImmutableType(t.slice(9, -1));
  if (t.startsWith('tuple[') && t.endsWith(']')) return splitTop(t.slice(6, -1)).every(isImmutableType);
  return false;
}

/** A value known to be in register `holder`; valid while holder and `uses` keep their
 *  values and, for storage facts, until the field may have been written. */
interface Fact {
  holder: Reg;
  uses: Reg[];
  field: string | null;
}
type Facts = Map<string, Fact>;

const storageKey = (what: 'sload' | 'shas', field: string, keys: Reg[]): string => `${what}:${field}:${keys.join(',')}`;

/** The fact an instruction's result establishes, if it is a reusable read. */
function readKey(ins: IRInstr, immutable: ReadonlySet<string>): string | null {
  if (ins.op === 'env') return INVARIANT_ENV.has(ins.kind) ? `env:${ins.kind}` : null;
  if (ins.op === 'sload') return immutable.has(ins.field) ? storageKey('sload', ins.field, ins.keys) : null;
  if (ins.op === 'shas') return storageKey('shas', ins.field, ins.keys);
  return null;
}

function stepFacts(ins: IRInstr, facts: Facts, immutable: ReadonlySet<string>): void {
  // Effects: a write to a field invalidates what we know of it; a call (internal, or
  // external that may call back into this contract) may write any field.
  if (ins.op === 'sstore' || ins.op === 'sdel') {
    for (const [k, f] of facts) if (f.field === ins.field) facts.delete(k);
  } else if (ins.op === 'call' || ins.op === 'xcall') {
    for (const [k, f] of facts) if (f.field !== null) facts.delete(k);
  }
  const d = defOf(ins);
  if (d !== null) for (const [k, f] of facts) if (f.holder === d || f.uses.includes(d)) facts.delete(k);
  const key = readKey(ins, immutable);
  if (key !== null && d !== null) {
    const storage = ins.op === 'sload' || ins.op === 'shas' ? ins : null;
    const keys = storage?.keys ?? [];
    if (!keys.includes(d)) facts.set(key, { holder: d, uses: keys, field: storage?.field ?? null });
  }
  // Store-to-load forwarding: after `sstore f[k] = v` a read of f[k] gives v.
  if (ins.op === 'sstore' && immutable.has(ins.field))
    facts.set(storageKey('sload', ins.field, ins.keys), { holder: ins.value, uses: ins.keys, field: ins.field });
}

function meetFacts(into: Facts, from: Facts): boolean {
  let changed = false;
  for (const [k, f] of into) {
    if (from.get(k)?.holder !== f.holder) {
      into.delete(k);
      changed = true;
    }
  }
  return changed;
}

/**
 * Level 2: a read of an invariant context value, of a storage entry of an immutable type, or
 * a presence test, whose value is already in a register on every path (an earlier identical
 * read or a store to the same entry, with no write to the field and no call in between)
 * becomes a `mov` from that register. SLOAD costs 50 gas, MOV 1.
 */
export function reuseLoads(fn: IRFunction, mod: IRModule): boolean {
  // Only reads (env, sload, shas) are ever replaced: without one, skip the dataflow.
  if (!hasRead(fn)) return false;
  const immutable = immutableFields(mod);
  const blocks = fn.blocks;
  const inState = forward(fn, new Map<string, Fact>(), (id, facts) => runFacts(blocks[id]!.instrs, facts, immutable), meetFacts, cloneFacts);
  let changed = false;
  for (const b of blocks) {
    const f0 = inState[b.id];
    if (f0 === undefined) continue;
    const facts = new Map(f0);
    const instrs = b.instrs;
    for (let i = 0; i < instrs.length; i++) {
      const ins = instrs[i]!;
      const key = readKey(ins, immutable);
      const known = key === null ? undefined : facts.get(key);
      const d = defOf(ins);
      const out: IRInstr = known && d !== null && known.holder !== d ? { op: 'mov', dst: d, src: known.holder, span: ins.span } : ins;
      if (out !== ins) {
        instrs[i] = out;
        changed = true;
      }
      stepFacts(out, facts, immutable);
    }
  }
  return changed;
}

/** Storage fields whose values are immutable (see isImmutableType); the last declaration of
 *  a name decides, as a Map built from the list would. */
function immutableFields(mod: IRModule): ReadonlySet<string> {
  const out = new Set<string>();
  for (const s of mod.storage) {
    if (isImmutableType(s.valueType)) out.add(s.name);
    else out.delete(s.name);
  }
  return out;
}

function runFacts(instrs: IRInstr[], facts: Facts, immutable: ReadonlySet<string>): Facts {
  for (const ins of instrs) stepFacts(ins, facts, immutable);
  return facts;
}

const cloneFacts = (f: Facts): Facts => new Map(f);

function hasRead(fn: IRFunction): boolean {
  for (const b of fn.blocks) for (const ins of b.instrs) if (ins.op === 'env' || ins.op === 'sload' || ins.op === 'shas') return true;
  return false;
}

// ---- constants out of loops -----------------------------------------------------------------

/** An instruction position: block and index (the terminator is at instrs.length). */
interface Site {
  block: number;
  index: number;
}

/** Definition and use sites of every register (parameters count as defined at the entry). */
function sites(fn: IRFunction): { defs: Site[][]; uses: Site[][] } {
  const defs: Site[][] = fn.regs.map(() => []);
  const uses: Site[][] = fn.regs.map(() => []);
  for (let p = 0; p < fn.params.length; p++) defs[p]!.push({ block: 0, index: -1 });
  for (const b of fn.blocks) {
    b.instrs.forEach((ins, index) => {
      for (const u of usesOf(ins)) uses[u]!.push({ block: b.id, index });
      const d = defOf(ins);
      if (d !== null) defs[d]!.push({ block: b.id, index });
    });
    for (const u of termUses(b.term)) uses[u]!.push({ block: b.id, index: b.instrs.length });
  }
  return { defs, uses };
}

const siteDominates = (idom: (number | undefined)[], a: Site, b: Site): boolean =>
  a.block === b.block ? a.index < b.index : dominates(idom, a.block, b.block);

function replaceUses(fn: IRFunction, from: Reg, to: Reg): void {
  const f = (r: Reg): Reg => (r === from ? to : r);
  for (const b of fn.blocks) {
    b.instrs = b.instrs.map((ins) => (usesOf(ins).includes(from) ? mapUses(ins, f) : ins));
    b.term = mapTermUses(b.term, f);
  }
}

/**
 * A `const` inside a loop whose register has no other definition, and which dominates every
 * use of that register, moves to the loop's preheader (the one block outside the loop that
 * jumps to its header), or reuses a register the preheader already loads with the same
 * constant. It then runs once per entry into the loop instead of once per iteration (a loop
 * whose body never runs pays for it once). Innermost loops first; a constant hoisted out of
 * an inner loop may leave the outer one on the next call.
 */
export function hoistLoopConstants(fn: IRFunction): boolean {
  if (!hasCycle(fn)) return false; // no loop: skip dominators and loop discovery
  const idom = dominators(fn);
  const loops = naturalLoops(fn, idom).sort((a, b) => a.body.size - b.body.size);
  for (const loop of loops) {
    const outside = predecessors(fn.blocks)[loop.header]!.filter((p) => !loop.body.has(p));
    if (loop.header === 0 || outside.length !== 1) continue;
    const pre = fn.blocks[outside[0]!]!;
    if (pre.term.op !== 'jmp') continue;
    const { defs, uses } = sites(fn);
    const movable = new Set<IRInstr>();
    for (const id of loop.body) {
      fn.blocks[id]!.instrs.forEach((ins, index) => {
        const here = { block: id, index };
        if (ins.op === 'const' && defs[ins.dst]!.length === 1 && uses[ins.dst]!.every((u) => siteDominates(idom, here, u)))
          movable.add(ins);
      });
    }
    if (movable.size === 0) continue;
    for (const id of [...loop.body].sort((a, b) => a - b)) {
      const b = fn.blocks[id]!;
      const moved = b.instrs.filter((ins) => movable.has(ins));
      b.instrs = b.instrs.filter((ins) => !movable.has(ins));
      for (const ins of moved) {
        if (ins.op !== 'const') continue;
        const same = pre.instrs.find(
          (p) => p.op === 'const' && constEquals(p.value, ins.value) && p.dst >= fn.params.length && defs[p.dst]!.length === 1,
        );
        if (same && same.op === 'const') replaceUses(fn, ins.dst, same.dst);
        else pre.instrs.push(ins);
      }
    }
    return true; // sites and loops are stale now; the driver calls again
  }
  return false;
}

// ---- loop rotation ------------------------------------------------------------------------------

/** Header blocks up to this many instructions are copied into their latches. */
const MAX_ROTATED_HEADER = 6;

/**
 * A latch that ends with `jmp H`, where the loop header H is a small block ending in a `br`
 * (a while/for test), gets a copy of H instead: the loop test runs at the bottom and the
 * jump back disappears from every iteration. Copies keep their spans.
 */
export function rotateLoops(fn: IRFunction): boolean {
  if (!hasCycle(fn)) return false;
  const idom = dominators(fn);
  let changed = false;
  for (const loop of naturalLoops(fn, idom)) {
    const h = fn.blocks[loop.header]!;
    if (h.term.op !== 'br' || h.instrs.length > MAX_ROTATED_HEADER) continue;
    for (const l of loop.latches) {
      const latch = fn.blocks[l]!;
      if (l === loop.header || latch.term.op !== 'jmp' || latch.term.target !== loop.header) continue;
      latch.instrs.push(...h.instrs);
      latch.term = h.term;
      changed = true;
    }
  }
  return changed;
}

// ---- register compaction -------------------------------------------------------------------------

/**
 * Once at the end: renumbers registers so that the ones still used are dense
 * (parameters keep 0..n-1, the rest keep their relative order). A frame costs gas per 8
 * registers (tvm/gas.ts frameRegs), and the dead temporaries the other passes leave behind
 * would otherwise still be allocated on every call.
 */
export function compactRegisters(fn: IRFunction): boolean {
  const nregs = fn.regs.length;
  const used = new Uint8Array(nregs);
  for (let i = 0; i < fn.params.length; i++) used[i] = 1;
  for (const b of fn.blocks) {
    for (const ins of b.instrs) {
      const d = defOf(ins);
      if (d !== null) used[d] = 1;
      forEachUse(ins, markUsed, used);
    }
    for (const u of termUses(b.term)) used[u] = 1;
  }
  // New number of every register; below `first` (the first unused one) nothing moves.
  const map = new Int32Array(nregs);
  const regs: IRFunction['regs'] = [];
  let first = -1;
  for (let i = 0; i < nregs; i++) {
    if (used[i] === 0) {
      if (first < 0) first = i;
      continue;
    }
    map[i] = regs.length;
    regs.push(fn.regs[i]!);
  }
  if (first < 0) return false;
  const f = (r: Reg): Reg => map[r]!;
  fn.regs = regs;
  for (const b of fn.blocks) {
    b.instrs = b.instrs.map((ins) => (touchesFrom(ins, first) ? mapDef(mapUses(ins, f), f) : ins));
    b.term = mapTermUses(b.term, f);
  }
  return true;
}

function markUsed(r: Reg, used: Uint8Array): void {
  used[r] = 1;
}

/** Does the instruction write or read a register numbered `first` or above? */
function touchesFrom(ins: IRInstr, first: Reg): boolean {
  const d = defOf(ins);
  if (d !== null && d >= first) return true;
  for (const u of usesOf(ins)) if (u >= first) return true;
  return false;
}
