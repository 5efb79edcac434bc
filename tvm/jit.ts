// The JIT: translates the prepared functions of a module (tvm/loader.ts) into JavaScript source
// and compiles it with `new Function`, so that V8 turns TVM code into machine code.
//
// The translation is the interpreter (tvm/interpreter.ts) unrolled: same fast paths, same
// helpers, same gas at the same points, same reverts and revert locations. Per TVM function:
//
//   function f3(m, d, r0, r1) {          // machine, frame allowance, parameters
//     let r2 = null, ...;                // registers are locals
//     let ip = 0, blk = 0, t = 0, u = 0; // ip: flat pc of the instruction that may throw
//     try {
//       for (;;) switch (blk) {          // one case per jump target; straight-line code and
//         case 0: ...                    // fall-through between blocks stay inline
//       }
//     } catch (e) { throw h_located(m, e, P[3], ip); }
//   }
//
// `ip` is assigned only where an instruction can throw (slow paths, helper calls), so fast
// paths do no location bookkeeping; the catch maps it to the instruction index exactly like
// the interpreter. A compare feeding JT/JF in the same block is known to be a boolean, so the
// branch tests it directly. CALL is a direct JS call of the callee's function; `d` counts the
// frames the entry may still push (see the stack budget below).
//
// Translation is lazy and cached on the prepared module: the first call of a function as an
// entry compiles it with every function its CALLs can reach, in one `new Function`.
//
// Safety: the module is validated by the loader before it gets here, the generator checks
// every operand it emits (registers in range, jump targets at instruction starts) and emits
// only integers taken from the prepared code: constants, types and strings of the module are
// referenced by index into arrays passed to the factory, never spliced into the source.
//
// Stack: JS recursion replaces the interpreter's frame stack, so deep CALL chains use the JS
// stack. Each entry reserves an estimated stack budget; when it is used up (or a function is
// too big to translate), a call continues in the interpreter (`execute` with a start depth),
// which has the same semantics, so the choice never shows in results.

import type { LoadedModule, PreparedFunction } from './loader.ts';
import { OP_GAS } from './loader.ts';
import type { Machine } from './machine.ts';
import { execute, located, MAX_FRAMES } from './interpreter.ts';
import { revert, VMRevert } from './errors.ts';
import { Op, OPS, type OperandKind } from './opcodes.ts';
import * as arith from './arith.ts';
import * as ops from './ops.ts';
import { BUILTIN_IMPLS } from './builtins.ts';
import { compareValues, copyValue, formatterFor, pyFormat, pyRepr, pyStr, valueEquals, type Formatter } from './values.ts';
import { defaultValue } from './types.ts';
import { GAS, outOfGas } from './gas.ts';

// ---------------------------------------------------------------------------------------------
// engine selection

export type Engine = 'interp' | 'jit';

/** ZV_TVM_ENGINE=interp forces the interpreter (read once, where a `process` exists). */
function initialEngine(): Engine {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    return env?.ZV_TVM_ENGINE === 'interp' ? 'interp' : 'jit';
  } catch {
    return 'jit';
  }
}

let engine: Engine = initialEngine();

/** Selects the engine for every later call (results are the same either way). */
export function setEngine(e: Engine): void {
  if (e !== 'interp' && e !== 'jit') throw new TypeError(`unknown TVM engine '${String(e)}'`);
  engine = e;
}

export function getEngine(): Engine {
  return engine;
}

/**
 * Runs function `fnIndex` of the machine's module, as `execute` of tvm/interpreter.ts does,
 * with the selected engine: the JIT unless the interpreter is forced or the module cannot be
 * compiled (no `new Function`, e.g. under a strict CSP).
 */
export function executeWithEngine(m: Machine, fnIndex: number, args: unknown[]): unknown {
  if (engine === 'jit') {
    const jm = jitModule(m.mod);
    if (jm !== null) return runJit(m, jm, fnIndex, args);
  }
  return execute(m, fnIndex, args);
}

// ---------------------------------------------------------------------------------------------
// compiled modules

type EntryFn = (m: Machine, d: number, args: unknown[]) => unknown;
/** A translated TVM function: (machine, frame allowance, ...parameters). */
type CompiledFn = (...a: unknown[]) => unknown;

/** A function's compiled entry: called with the arguments as an array. */
export interface JitEntry {
  readonly run: EntryFn;
  /** Estimated JS stack bytes of one frame of the largest function its calls can reach. */
  readonly frameBytes: number;
}

/** Functions bigger than this stay in the interpreter (V8 would not optimize them anyway). */
const MAX_FN_CODE = 1 << 13;
const MAX_FN_REGS = 4096;
/** Flat code words translated at most for one entry (bounds the source built per call). */
const MAX_UNIT_CODE = 1 << 15;

/** Stack-frame estimate (bytes), calibrated on V8's unoptimized frames with a margin. */
const FRAME_BASE = 256;
const FRAME_PER_REG = 12;
/** JS stack (bytes) all JIT frames of a call tree may use, and the reserve per entry. */
const STACK_BUDGET = 448 * 1024;
const ENTRY_RESERVE = 8 * 1024;

/**
 * The JIT's state for one prepared module. Translation is lazy: the first call of a function
 * as an entry (a contract method, a module function) compiles it together with every function
 * its CALLs can reach that is not compiled yet, in one `new Function`; functions compiled
 * before are passed in, so every CALL stays a direct call of a constant.
 */
export class JitModule {
  private readonly fns: (CompiledFn | undefined)[];
  private readonly entries: (JitEntry | null | undefined)[];
  private readonly translatable: (boolean | undefined)[];
  private readonly callees: (number[] | undefined)[];
  /** The formatters of the FORMAT instructions translated so far (shared by every unit). */
  private readonly formatters: FormatterTable;

  constructor(readonly mod: LoadedModule) {
    this.formatters = new FormatterTable(mod);
    const n = mod.functions.length;
    this.fns = new Array(n).fill(undefined);
    this.entries = new Array(n).fill(undefined);
    this.translatable = new Array(n).fill(undefined);
    this.callees = new Array(n).fill(undefined);
  }

  /** The compiled entry of function `i` (compiled now if needed), or null: run it in the interpreter. */
  entry(i: number): JitEntry | null {
    let e = this.entries[i];
    if (e === undefined) {
      e = this.build(i);
      this.entries[i] = e;
    }
    return e;
  }

  /** Within the size limits and accepted by the translator. */
  eligible(i: number): boolean {
    let ok = this.translatable[i];
    if (ok === undefined) {
      const f = this.mod.functions[i];
      ok = f !== undefined && f.code.length <= MAX_FN_CODE && f.nregs <= MAX_FN_REGS && translates(this.mod, i);
      this.translatable[i] = ok;
    }
    return ok;
  }

  private build(i: number): JitEntry | null {
    if (!this.eligible(i)) return null;
    const reach = this.reachable(i);
    const fresh = reach.filter((k) => this.fns[k] === undefined);
    let words = 0;
    let maxRegs = 0;
    let maxDict = 0;
    for (const k of fresh) {
      words += this.mod.functions[k].code.length;
      maxDict = Math.max(maxDict, maxNewdict(this.mod.functions[k]));
    }
    for (const k of reach) maxRegs = Math.max(maxRegs, this.mod.functions[k].nregs);
    if (words > MAX_UNIT_CODE) return null;
    const lines = [`'use strict';`, HELPER_PRELUDE];
    for (const k of reach) if (this.fns[k] !== undefined) lines.push(`const f${k} = F[${k}];`);
    for (const k of fresh) lines.push(compileFunctionJS(this.mod, k, (c) => this.eligible(c), this.formatters));
    const args = ['m', 'd'];
    for (let j = 0; j < this.mod.functions[i].nparams; j++) args.push(`a[${j}]`);
    lines.push(`return [function (m, d, a) { return f${i}(${args.join(', ')}); }, ${fresh.map((k) => `f${k}`).join(', ')}];`);
    const iota = new Int32Array(maxDict);
    for (let k = 0; k < maxDict; k++) iota[k] = k;
    let out: CompiledFn[];
    try {
      const factory = new Function('H', 'K', 'T', 'P', 'DC', 'IOTA', 'F', 'FM', lines.join('\n')) as (...a: unknown[]) => CompiledFn[];
      out = factory(HELPERS, this.mod.constants, this.mod.types, this.mod.functions, this.mod.defaultCost, iota, this.fns, this.formatters.list);
    } catch {
      return null;
    }
    fresh.forEach((k, j) => (this.fns[k] = out[j + 1]));
    return { run: out[0] as EntryFn, frameBytes: FRAME_BASE + FRAME_PER_REG * (maxRegs + 8) };
  }

  /** Function `i` and every eligible function its CALLs reach through eligible functions. */
  private reachable(i: number): number[] {
    const seen = new Set<number>([i]);
    const todo = [i];
    while (todo.length > 0) {
      for (const k of this.calleesOf(todo.pop()!)) {
        if (!seen.has(k) && this.eligible(k)) {
          seen.add(k);
          todo.push(k);
        }
      }
    }
    return [...seen].sort((a, b) => a - b);
  }

  private calleesOf(i: number): number[] {
    let c = this.callees[i];
    if (c === undefined) {
      const code = this.mod.functions[i].code;
      const found = new Set<number>();
      forEachInstr(code, (pc) => {
        if (code[pc] === Op.CALL) found.add(code[pc + 2]);
      });
      c = [...found];
      this.callees[i] = c;
    }
    return c;
  }
}

/**
 * The formatter (values.ts formatterFor) of each (type, spec constant) pair that FORMAT
 * instructions use, made once per module and called by generated code as `FM[i](value, m)`:
 * the spec is decided at translation instead of being looked up on every run.
 */
class FormatterTable {
  readonly list: Formatter[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly mod: LoadedModule) {}

  /** The FM index of the formatter for type `t` and spec constant `k`. */
  of(t: number, k: number): number {
    const key = `${t}:${k}`;
    let i = this.index.get(key);
    if (i === undefined) {
      const type = this.mod.types[t];
      const spec = this.mod.constants[k];
      if (type === undefined || typeof spec !== 'string') throw new JitGenError('bad FORMAT operands');
      i = this.list.length;
      this.list.push(formatterFor(type, spec));
      this.index.set(key, i);
    }
    return i;
  }
}

const cache = new WeakMap<LoadedModule, JitModule | null>();
let lastModule: LoadedModule | null = null;
let lastJit: JitModule | null = null;
let functionWorks: boolean | null = null;

/** `new Function` is usable (not under a CSP that forbids it). */
function canCompile(): boolean {
  if (functionWorks === null) {
    try {
      functionWorks = new Function('return 1')() === 1;
    } catch {
      functionWorks = false;
    }
  }
  return functionWorks;
}

/** The JIT state of a prepared module, created once and cached on it; null when `new Function`
 *  is unavailable (everything then runs in the interpreter). */
export function jitModule(mod: LoadedModule): JitModule | null {
  if (mod === lastModule) return lastJit;
  let jm = cache.get(mod);
  if (jm === undefined) {
    jm = canCompile() ? new JitModule(mod) : null;
    cache.set(mod, jm);
  }
  lastModule = mod;
  lastJit = jm;
  return jm;
}

/** The translator accepts function `i` (it rejects only code the loader would not produce). */
function translates(mod: LoadedModule, i: number): boolean {
  try {
    compileFunctionJS(mod, i);
    return true;
  } catch (e) {
    if (e instanceof JitGenError) return false;
    throw e;
  }
}

function maxNewdict(fn: PreparedFunction): number {
  let n = 0;
  forEachInstr(fn.code, (pc) => {
    if (fn.code[pc] === Op.NEWDICT) n = Math.max(n, fn.code[pc + 2]);
  });
  return n;
}

// ---------------------------------------------------------------------------------------------
// running

/** Frames the innermost running JIT entry may push (the `d` its outermost frame got). */
let curAllowance = 0;
/** Stack budget (bytes) left for JIT frames. */
let stackLeft = STACK_BUDGET;

function runJit(m: Machine, jm: JitModule, fnIndex: number, args: unknown[]): unknown {
  const entry = jm.entry(fnIndex);
  if (entry === null) return execute(m, fnIndex, args);
  const frames = Math.floor((stackLeft - ENTRY_RESERVE) / entry.frameBytes);
  if (frames < 1) return execute(m, fnIndex, args);
  const allowance = Math.min(MAX_FRAMES - 1, frames - 1);
  const fn = m.mod.functions[fnIndex];
  const savedAllowance = curAllowance;
  const savedLeft = stackLeft;
  curAllowance = allowance;
  stackLeft -= ENTRY_RESERVE + (allowance + 1) * entry.frameBytes;
  try {
    try {
      m.charge(fn.entryGas + fn.frameGas);
    } catch (e) {
      throw located(m, e, fn, 0);
    }
    return entry.run(m, allowance, args);
  } finally {
    curAllowance = savedAllowance;
    stackLeft = savedLeft;
  }
}

/**
 * CALL of function `k` from a JIT frame whose allowance `d` is used up, or of a function that
 * is not translated: the same checks and charges as the interpreter's CALL, then the callee
 * runs in the interpreter at the caller's depth + 1.
 */
function slowCall(m: Machine, d: number, k: number, args: unknown[]): unknown {
  const depth = curAllowance - d;
  if (depth >= MAX_FRAMES - 1) revert('call depth exceeded');
  if ((m.gas -= m.mod.functions[k].entryGas) < 0) throw outOfGas();
  return execute(m, k, args, depth + 1);
}

// Revert helpers: the interpreter's fixed reasons, thrown from one place each.
function oob(): never {
  return revert('index out of range');
}
function badField(): never {
  return revert('invalid field access');
}
function needList(): never {
  return revert('append() needs a list');
}
function notBool(): never {
  return revert('condition is not a bool');
}
function revertWith(reason: unknown): never {
  throw new VMRevert(typeof reason === 'string' ? reason : 'revert reason is not a str');
}
function badOp(op: number): never {
  return revert(`invalid opcode ${op}`);
}
function fellOff(): never {
  throw new Error('JIT: fell off the end of a function');
}

/** Everything generated code calls, bound to locals `h_<name>` by the prelude. */
const HELPERS = {
  add: arith.add,
  sub: arith.sub,
  mul: arith.mul,
  floordiv: arith.floordiv,
  mod: arith.mod,
  pow: arith.pow,
  shl: arith.shl,
  shr: arith.shr,
  band: arith.band,
  bor: arith.bor,
  bxor: arith.bxor,
  neg: arith.neg,
  invert: arith.invert,
  valueEquals,
  compareValues,
  truthy: ops.truthy,
  concat: ops.concat,
  repeat: ops.repeat,
  len: ops.len,
  getitem: ops.getitem,
  setitem: ops.setitem,
  delitem: ops.delitem,
  slice: ops.slice,
  contains: ops.contains,
  newdict: ops.newdict,
  copyValue,
  pyStr,
  pyRepr,
  pyFormat,
  defaultValue,
  located,
  outOfGas,
  slowCall,
  oob,
  badField,
  needList,
  notBool,
  revertWith,
  badOp,
  fellOff,
  builtins: BUILTIN_IMPLS,
};

/** The helpers, then every builtin as a local `b<id>`: CALLB calls its builtin directly with the
 *  argument registers (no argument array, no dispatch on the id). A TvmValueError it throws
 *  becomes the same revert in `h_located` as in the interpreter's callBuiltin. */
const HELPER_PRELUDE = [
  ...Object.keys(HELPERS).map((k) => `const h_${k} = H.${k};`),
  ...BUILTIN_IMPLS.map((_, i) => `const b${i} = H.builtins[${i}];`),
].join('\n');

// ---------------------------------------------------------------------------------------------
// translation

/** The generator met code it does not translate: the function stays in the interpreter. */
class JitGenError extends Error {}

const MAX_SAFE = '9007199254740991';

/** Size of the prepared instruction at `pc` (opcode and operands, variadic counts included). */
function instrSize(code: Int32Array, pc: number): number {
  const op = code[pc];
  if (op === OP_GAS) return 2;
  if (op === Op.JMP) return 3;
  if (op === Op.JT || op === Op.JF) return 5;
  const info = OPS[op];
  if (info === undefined) return 1;
  let n = 1;
  for (const k of info.operands as readonly OperandKind[]) n += k === 'N' ? 1 + code[pc + n] : 1;
  return n;
}

function forEachInstr(code: Int32Array, f: (pc: number) => void): void {
  for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) f(pc);
}

/** Key counts with an entry point of their own in Machine (sload0, sload1, ...). */
const STORAGE_ARITIES = { sload: [0, 1, 2], sstore: [0, 1, 2], shas: [1, 2], sdel: [1, 2] } as const;

const TERMINATORS = new Set<number>([Op.JMP, Op.RET, Op.RETNONE, Op.REVERT]);

/**
 * The JS source of TVM function `fnIndex` as a function declaration `f<fnIndex>`. Calls to a
 * function `k` with `eligible(k)` false go through the interpreter. Throws JitGenError for code
 * it does not translate (never for code the loader accepted).
 */
export function compileFunctionJS(
  mod: LoadedModule,
  fnIndex: number,
  eligible: (callee: number) => boolean = () => true,
  formatters: FormatterTable = new FormatterTable(mod),
): string {
  return new FunctionGen(mod, fnIndex, eligible, formatters).generate();
}

class FunctionGen {
  private readonly fn: PreparedFunction;
  private readonly code: Int32Array;
  private readonly out: string[] = [];
  /** Jump target offset -> case label. */
  private readonly labels = new Map<number, number>();
  private readonly starts = new Set<number>();
  /** Registers known to hold a boolean at this point of the current block. */
  private readonly bools = new Set<number>();

  constructor(
    private readonly mod: LoadedModule,
    private readonly index: number,
    private readonly eligible: (callee: number) => boolean,
    private readonly formatters: FormatterTable,
  ) {
    this.fn = mod.functions[index];
    this.code = this.fn.code;
  }

  generate(): string {
    const { fn, code } = this;
    this.findLabels();
    const params = ['m', 'd'];
    for (let i = 0; i < fn.nparams; i++) params.push(`r${i}`);
    const locals: string[] = [];
    for (let i = fn.nparams; i < fn.nregs; i++) locals.push(`r${i} = null`);
    const looped = this.labels.size > 1 || this.hasJumps();
    const head = `function f${this.index}(${params.join(', ')}) {\n` + (locals.length ? `let ${locals.join(', ')};\n` : '');
    this.emit('let ip = 0, blk = 0, t = 0, u = 0;');
    this.emit('try {');
    if (looped) this.emit('for (;;) switch (blk) {');
    let reachable = true;
    for (let pc = 0; pc < code.length; pc += instrSize(code, pc)) {
      const label = this.labels.get(pc);
      if (label !== undefined) {
        if (looped) this.emit(`case ${label}:`);
        this.bools.clear();
        reachable = true;
      }
      if (!reachable) continue;
      this.instr(pc);
      if (TERMINATORS.has(code[pc])) reachable = false;
    }
    this.emit('h_fellOff();');
    if (looped) this.emit('}');
    this.emit(`} catch (e) {\nthrow h_located(m, e, P[${this.index}], ip);\n}\n}`);
    return head + this.out.join('\n');
  }

  private hasJumps(): boolean {
    let any = false;
    forEachInstr(this.code, (pc) => {
      const op = this.code[pc];
      if (op === Op.JMP || op === Op.JT || op === Op.JF) any = true;
    });
    return any;
  }

  private findLabels(): void {
    const { code } = this;
    let pc = 0;
    while (pc < code.length) {
      this.starts.add(pc);
      const size = instrSize(code, pc);
      if (size < 1 || pc + size > code.length) throw new JitGenError('truncated instruction');
      pc += size;
    }
    const targets = [0];
    forEachInstr(code, (p) => {
      const op = code[p];
      if (op === Op.JMP) targets.push(code[p + 1]);
      else if (op === Op.JT || op === Op.JF) targets.push(code[p + 2]);
    });
    for (const t of targets) if (!this.starts.has(t)) throw new JitGenError('jump target inside an instruction');
    for (const t of [...new Set(targets)].sort((a, b) => a - b)) this.labels.set(t, this.labels.size);
  }

  private emit(line: string): void {
    this.out.push(line);
  }

  /** A register operand as its local's name. */
  private r(pc: number, at: number): string {
    const n = this.code[pc + at];
    if (!(n >= 0 && n < this.fn.nregs)) throw new JitGenError(`register ${n} out of range`);
    return `r${n}`;
  }

  /** An immediate operand as a JS literal (parenthesized when negative). */
  private lit(n: number): string {
    if (!Number.isSafeInteger(n)) throw new JitGenError('bad immediate');
    return n < 0 ? `(${n})` : String(n);
  }

  /** The registers of the variadic operand at `at`, as a comma-separated list. */
  private list(pc: number, at: number): string {
    const n = this.code[pc + at];
    const names: string[] = [];
    for (let i = 1; i <= n; i++) names.push(this.r(pc, at + i));
    return names.join(', ');
  }

  /** Remembers what an instruction wrote to `reg` for the boolean tracking. */
  private wrote(pc: number, at: number, isBool: boolean): void {
    const n = this.code[pc + at];
    if (isBool) this.bools.add(n);
    else this.bools.delete(n);
  }

  /** Charges `g` gas inline, the way the interpreter's jumps do. */
  private charge(pc: number, g: number): string {
    if (g === 0) return '';
    return `if ((m.gas -= ${this.lit(g)}) < 0) { ip = ${pc}; throw h_outOfGas(); }`;
  }

  /** Charges the gas of expression `g` inline, as GasCounter.charge does (NaN fails too); out
   *  of gas is thrown at this instruction, and h_located sets the counter to -1 like charge(). */
  private chargeDynamic(pc: number, g: string): string {
    return `if (!((m.gas -= ${g}) >= 0)) { ip = ${pc}; throw h_outOfGas(); }`;
  }

  private jumpTo(target: number): string {
    const label = this.labels.get(target);
    if (label === undefined) throw new JitGenError('unknown jump target');
    return `blk = ${label}; continue;`;
  }

  private instr(pc: number): void {
    const c = this.code;
    const op = c[pc];
    const R = (at: number) => this.r(pc, at);
    const set = (at: number, expr: string, isBool = false) => {
      this.emit(`${R(at)} = ${expr};`);
      this.wrote(pc, at, isBool);
    };
    /** An expression that records the location, then evaluates `expr` (for slow paths). */
    const at = (expr: string) => `(ip = ${pc}, ${expr})`;
    switch (op) {
      case Op.NOP:
        return;
      case Op.MOV: {
        const src = c[pc + 2];
        return set(1, R(2), this.bools.has(src));
      }
      case Op.LOADK:
        return set(1, `K[${this.lit(c[pc + 2])}]`);
      case Op.LOADI:
        return set(1, this.lit(c[pc + 2]));
      case Op.LOADNONE:
        return set(1, 'null');
      case Op.LOADBOOL:
        return set(1, c[pc + 2] !== 0 ? 'true' : 'false', true);
      case Op.LOADDEF:
        this.emit(`ip = ${pc}; m.charge(DC[${this.lit(c[pc + 2])}]);`);
        return set(1, `h_defaultValue(T[${this.lit(c[pc + 2])}])`);

      case Op.ADD:
      case Op.SUB:
      case Op.MUL: {
        // the interpreter's fast path; a result beyond 2^53 goes to the same helper as the rest
        const [d, a, b] = [R(1), R(2), R(3)];
        const sym = op === Op.ADD ? '+' : op === Op.SUB ? '-' : '*';
        const slow = op === Op.ADD ? `h_add(${a}, ${b})` : op === Op.SUB ? `h_sub(${a}, ${b})` : `h_mul(m, ${a}, ${b})`;
        this.emit(
          `if (typeof ${a} === 'number' && typeof ${b} === 'number' && (t = ${a} ${sym} ${b}) <= ${MAX_SAFE} && t >= -${MAX_SAFE}) ` +
            `${d} = ${op === Op.MUL ? 't + 0' : 't'}; else { ip = ${pc}; ${d} = ${slow}; }`,
        );
        return this.wrote(pc, 1, false);
      }
      case Op.FLOORDIV:
      case Op.MOD:
        return this.divmod(pc, op === Op.MOD);
      case Op.POW:
        return set(1, at(`h_pow(m, ${R(2)}, ${R(3)})`));
      case Op.SHL:
        return set(1, at(`h_shl(${R(2)}, ${R(3)})`));
      case Op.SHR:
        return set(1, at(`h_shr(${R(2)}, ${R(3)})`));
      case Op.BAND:
        return set(1, at(`h_band(${R(2)}, ${R(3)})`));
      case Op.BOR:
        return set(1, at(`h_bor(${R(2)}, ${R(3)})`));
      case Op.BXOR:
        return set(1, at(`h_bxor(${R(2)}, ${R(3)})`));
      case Op.NEG:
        return set(1, at(`h_neg(${R(2)})`));
      case Op.INVERT:
        return set(1, at(`h_invert(${R(2)})`));

      case Op.EQ:
      case Op.NE: {
        const [a, b] = [R(2), R(3)];
        const eq = `${a} === ${b} || ((typeof ${a} === 'object' || typeof ${a} !== typeof ${b}) && ${at(`h_valueEquals(${a}, ${b}, m)`)})`;
        return set(1, op === Op.EQ ? eq : `!(${eq})`, true);
      }
      case Op.LT:
      case Op.LE:
      case Op.GT:
      case Op.GE: {
        const [a, b] = [R(2), R(3)];
        const sym = op === Op.LT ? '<' : op === Op.LE ? '<=' : op === Op.GT ? '>' : '>=';
        return set(1, `typeof ${a} === 'number' && typeof ${b} === 'number' ? ${a} ${sym} ${b} : ${at(`h_compareValues(${a}, ${b}, m)`)} ${sym} 0`, true);
      }
      case Op.NOT: {
        const a = R(2);
        return set(1, `${a} === true ? false : ${a} === false ? true : !${at(`h_truthy(${a})`)}`, true);
      }
      case Op.TRUTHY: {
        const a = R(2);
        return set(1, `typeof ${a} === 'boolean' ? ${a} : ${at(`h_truthy(${a})`)}`, true);
      }
      case Op.ISNONE:
        return set(1, `${R(2)} === null`, true);

      case Op.CONCAT: {
        // ops.concat's str case inline (f-strings are chains of these): the same words charge,
        // `(n + 31) >> 5` being ceil(n / 32) for any string length (below 2^30); the rest, and
        // running out of gas, go through the helper / h_outOfGas as before.
        const [d, a, b] = [R(1), R(2), R(3)];
        this.emit(
          `if (typeof ${a} === 'string' && typeof ${b} === 'string') { ` +
            `${this.chargeDynamic(pc, `${GAS.word} * ((${a}.length + ${b}.length + 31) >> 5)`)} ` +
            `${d} = ${a} + ${b}; } else { ip = ${pc}; ${d} = h_concat(m, ${a}, ${b}); }`,
        );
        return this.wrote(pc, 1, false);
      }
      case Op.REPEAT:
        return set(1, at(`h_repeat(m, ${R(2)}, ${R(3)})`));
      case Op.LEN: {
        const a = R(2);
        return set(1, `Array.isArray(${a}) ? ${a}.length : ${at(`h_len(m, ${a})`)}`);
      }
      case Op.GETITEM: {
        const [d, a, i] = [R(1), R(2), R(3)];
        this.emit(
          `if (Array.isArray(${a}) && typeof ${i} === 'number') { t = ${i} < 0 ? ${i} + ${a}.length : ${i}; ` +
            `if (t >= 0 && t < ${a}.length) ${d} = ${a}[t]; else { ip = ${pc}; h_oob(); } } ` +
            `else { ip = ${pc}; ${d} = h_getitem(m, ${a}, ${i}); }`,
        );
        return this.wrote(pc, 1, false);
      }
      case Op.SETITEM: {
        const [a, i, v] = [R(1), R(2), R(3)];
        this.emit(
          `if (Array.isArray(${a}) && typeof ${i} === 'number') { t = ${i} < 0 ? ${i} + ${a}.length : ${i}; ` +
            `if (t >= 0 && t < ${a}.length) ${a}[t] = ${v}; else { ip = ${pc}; h_oob(); } } ` +
            `else { ip = ${pc}; h_setitem(m, ${a}, ${i}, ${v}); }`,
        );
        return;
      }
      case Op.DELITEM:
        this.emit(`ip = ${pc}; h_delitem(m, ${R(1)}, ${R(2)});`);
        return;
      case Op.SLICE:
        return set(1, at(`h_slice(m, ${R(2)}, ${R(3)}, ${R(4)}, ${R(5)})`));
      case Op.CONTAINS: // (d, item, container)
        return set(1, at(`h_contains(m, ${R(3)}, ${R(2)})`));
      case Op.NEWLIST:
      case Op.NEWTUPLE: {
        const n = c[pc + 2];
        if (n > 0) this.emit(this.chargeDynamic(pc, this.lit(GAS.element * n)));
        return set(1, `[${this.list(pc, 2)}]`);
      }
      case Op.NEWDICT:
        return set(1, at(`h_newdict(m, [${this.list(pc, 2)}], IOTA, 0, ${this.lit(c[pc + 2])})`));
      case Op.GETFIELD: {
        const [s, idx] = [R(2), this.lit(c[pc + 3])];
        this.emit(`if (!Array.isArray(${s}) || ${idx} >= ${s}.length) { ip = ${pc}; h_badField(); }`);
        return set(1, `${s}[${idx}]`);
      }
      case Op.SETFIELD: {
        const [s, idx, v] = [R(1), this.lit(c[pc + 2]), R(3)];
        this.emit(`if (!Array.isArray(${s}) || ${idx} >= ${s}.length) { ip = ${pc}; h_badField(); }`);
        this.emit(`${s}[${idx}] = ${v};`);
        return;
      }
      case Op.APPEND: {
        const a = R(1);
        this.emit(`if (!Array.isArray(${a})) { ip = ${pc}; h_needList(); }`);
        this.emit(`${this.chargeDynamic(pc, this.lit(GAS.element))} ${a}.push(${R(2)});`);
        return;
      }
      case Op.COPY:
        return set(1, at(`h_copyValue(T[${this.lit(c[pc + 3])}], ${R(2)}, m)`));
      case Op.STR: {
        // pyStr's answer for an int or str operand of that type, inline; the rest (and any
        // mismatch, which throws there) through pyStr
        const [a, t] = [R(2), this.lit(c[pc + 3])];
        const slow = at(`h_pyStr(T[${t}], ${a}, m)`);
        const kind = this.mod.types[c[pc + 3]]?.kind;
        if (kind === 'int') return set(1, `typeof ${a} === 'number' && Number.isSafeInteger(${a}) ? '' + ${a} : ${slow}`);
        if (kind === 'str') return set(1, `typeof ${a} === 'string' ? ${a} : ${slow}`);
        return set(1, slow);
      }
      case Op.REPR:
        return set(1, at(`h_pyRepr(T[${this.lit(c[pc + 3])}], ${R(2)}, m)`));
      case Op.FORMAT:
        return set(1, at(`FM[${this.lit(this.formatters.of(c[pc + 3], c[pc + 4]))}](${R(2)}, m)`));
      case Op.CALLB: {
        const id = c[pc + 2];
        if (!(id >= 0 && id < BUILTIN_IMPLS.length)) throw new JitGenError(`builtin ${id} out of range`);
        return set(1, at(`b${id}(m${c[pc + 3] > 0 ? ', ' + this.list(pc, 3) : ''})`));
      }

      case Op.JMP:
        this.emit(`${this.charge(pc, c[pc + 2])} ${this.jumpTo(c[pc + 1])}`);
        return;
      case Op.JT:
      case Op.JF:
        return this.branch(pc, op === Op.JT);
      case Op.CALL:
        return this.call(pc);
      case Op.RET:
        this.emit(`return ${R(1)};`);
        return;
      case Op.RETNONE:
        this.emit('return null;');
        return;
      case Op.REVERT:
        this.emit(`ip = ${pc}; h_revertWith(${R(1)});`);
        return;

      case Op.SLOAD:
        return set(1, at(this.storageCall(pc, 'sload', 0, c[pc + 2], 3, STORAGE_ARITIES.sload)));
      case Op.SSTORE:
        this.emit(`ip = ${pc}; ${this.storageCall(pc, 'sstore', 2, c[pc + 1], 3, STORAGE_ARITIES.sstore)};`);
        return;
      case Op.SHAS:
        return set(1, at(this.storageCall(pc, 'shas', 0, c[pc + 2], 3, STORAGE_ARITIES.shas)));
      case Op.SDEL:
        this.emit(`ip = ${pc}; ${this.storageCall(pc, 'sdel', 0, c[pc + 1], 2, STORAGE_ARITIES.sdel)};`);
        return;
      case Op.ENV:
        return set(1, at(`m.env(${this.lit(c[pc + 2])})`));
      case Op.BALANCE:
        return set(1, at(`m.balance(${R(2)})`));
      case Op.TRANSFER:
        this.emit(`ip = ${pc}; m.transfer(${R(1)}, ${R(2)});`);
        return;
      case Op.EMIT:
        this.emit(`ip = ${pc}; m.emit(${this.lit(c[pc + 1])}, [${this.list(pc, 2)}]);`);
        return;
      case Op.LOG:
        this.emit(`ip = ${pc}; m.log(${R(1)});`);
        return;
      case Op.XCALL:
        return set(1, at(`m.xcall(${this.lit(c[pc + 2])}, ${R(3)}, ${R(4)}, [${this.list(pc, 5)}])`));

      case OP_GAS:
        this.emit(this.charge(pc, c[pc + 1]));
        return;
      default:
        this.emit(`ip = ${pc}; h_badOp(${this.lit(op)});`);
    }
  }

  /**
   * A call of a storage operation of Machine: `m.<name><n>(slot[, value], k1, ..., kn)` when the
   * machine has the entry point for n keys (no keys array, one shape per call site), else the
   * generic `m.<name>(slot[, value], [keys])`. `valueAt` is the value register's operand (0: none).
   */
  private storageCall(pc: number, name: string, valueAt: number, slot: number, keysAt: number, arities: readonly number[]): string {
    const n = this.code[pc + keysAt];
    const keys = this.list(pc, keysAt);
    const head = `${this.lit(slot)}${valueAt > 0 ? `, ${this.r(pc, valueAt)}` : ''}`;
    if (arities.includes(n)) return `m.${name}${n}(${head}${keys ? ', ' + keys : ''})`;
    return `m.${name}(${head}, [${keys}])`;
  }

  /**
   * FLOORDIV / MOD. The interpreter's fast path uses `%`, which V8 compiles to a call of fmod
   * once the operands are doubles; for |a|, |b| < 2^52 this one divides instead, exactly:
   * Math.floor(a / b) is the floor quotient q (were a / b = n - s/|b| with an integer s in
   * (0, |b|) rounded up to the integer n, s/|b| would be at most half an ulp of n, below
   * |n| * 2^-53, so s < |a + s| * 2^-53 < 1), and q * b and a - q * b are exact (below 2^53).
   * Results are CPython's floor division and modulo with -0 normalized, like the interpreter's.
   * Int32 operands keep the interpreter's `%` (an integer instruction then), as do the rest up
   * to 2^53; the arith.ts helpers take bigints and b = 0.
   */
  private divmod(pc: number, isMod: boolean): void {
    const [d, a, b] = [this.r(pc, 1), this.r(pc, 2), this.r(pc, 3)];
    const M52 = '4503599627370495';
    const exact = isMod ? `t = ${a} - Math.floor(${a} / ${b}) * ${b}; ${d} = t + 0;` : `${d} = Math.floor(${a} / ${b}) + 0;`;
    const viaRem = isMod
      ? `t = ${a} % ${b}; if (t !== 0 && t < 0 !== ${b} < 0) t += ${b}; ${d} = t + 0;`
      : `t = ${a} % ${b}; u = (${a} - t) / ${b}; if (t !== 0 && t < 0 !== ${b} < 0) u -= 1; ${d} = u + 0;`;
    const slow = isMod ? `h_mod(m, ${a}, ${b})` : `h_floordiv(m, ${a}, ${b})`;
    this.emit(
      `if (typeof ${a} === 'number' && typeof ${b} === 'number' && ${b} !== 0) { ` +
        `if ((${a} | 0) === ${a} && (${b} | 0) === ${b}) { ${viaRem} } ` +
        `else if (${a} <= ${M52} && ${a} >= -${M52} && ${b} <= ${M52} && ${b} >= -${M52}) { ${exact} } else { ${viaRem} } } ` +
        `else { ip = ${pc}; ${d} = ${slow}; }`,
    );
    this.wrote(pc, 1, false);
  }

  /** JT (jump if True) / JF (jump if False): `cond target gasTaken gasFall`. */
  private branch(pc: number, onTrue: boolean): void {
    const c = this.code;
    const cond = this.r(pc, 1);
    const taken = `${this.charge(pc, c[pc + 3])} ${this.jumpTo(c[pc + 2])}`;
    if (this.bools.has(c[pc + 1])) {
      this.emit(`if (${onTrue ? '' : '!'}${cond}) { ${taken} }`);
    } else {
      this.emit(`if (${cond} === ${onTrue}) { ${taken} }`);
      this.emit(`if (${cond} !== ${!onTrue}) { ip = ${pc}; h_notBool(); }`);
    }
    this.emit(this.charge(pc, c[pc + 4]));
  }

  /** CALL d f n args: a direct call while the frame allowance `d` lasts, else the interpreter. */
  private call(pc: number): void {
    const c = this.code;
    const k = c[pc + 2];
    const callee = this.mod.functions[k];
    if (callee === undefined) throw new JitGenError(`function ${k} out of range`);
    if (c[pc + 3] !== callee.nparams) throw new JitGenError('call arity');
    const dst = this.r(pc, 1);
    const args = this.list(pc, 3);
    const slow = `ip = ${pc}; ${dst} = h_slowCall(m, d, ${k}, [${args}]);`;
    if (!this.eligible(k)) {
      this.emit(slow);
    } else {
      const direct = `${this.charge(pc, callee.entryGas)} ip = ${pc}; ${dst} = f${k}(m, d - 1${args ? ', ' + args : ''});`;
      this.emit(`if (d === 0) { ${slow} } else { ${direct} }`);
    }
    this.wrote(pc, 1, false);
  }
}
