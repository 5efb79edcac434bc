// The code generator: IR (compiler/ir.ts) to the in-memory TVM module (tvm/module.ts).
//
// Registers map one to one (nregs = regs.length, parameters first). Blocks are laid out so
// that a jump's target or a branch's `then` block follows it whenever it can, which turns
// most jumps into fall-throughs; blocks the entry cannot reach are not emitted. Constants,
// type descriptors and external methods are deduplicated into the module's tables.
// Every emitted instruction records the span of the IR instruction or terminator it came
// from: as DebugInfo lines in the module (opts.debug) and as the source map returned beside it.

import type { Span } from './diagnostics.ts';
import type { BinKind, IRConst, IRExternal, IRFunction, IRInstr, IRModule, IRTerm, UnKind } from './ir.ts';
import type { AbiMethod, Constant, DebugInfo, ExternalDef, FunctionDef, Instr, ModuleDef } from '../tvm/module.ts';
import { BuiltinId, ENV, type OpName } from '../tvm/opcodes.ts';
import { reachableOrder } from './ir-walk.ts';
import { IRError, validateIR } from './ir-print.ts';

/** A source position for one emitted instruction (pc = instruction index in the function). */
export interface SourceMapEntry {
  fn: number;
  pc: number;
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export interface GenerateOptions {
  /** Put DebugInfo (instruction -> file, line, col) into the module. Default false. */
  debug?: boolean;
  /** Check the module with validateIR first. Default true; compile() turns it off for the
   *  output of optimize() at levels 1 and 2, which validated its input and keeps it valid. */
  validate?: boolean;
}

const BIN_OPS: Record<BinKind, OpName> = {
  add: 'ADD', sub: 'SUB', mul: 'MUL', floordiv: 'FLOORDIV', mod: 'MOD', pow: 'POW',
  shl: 'SHL', shr: 'SHR', band: 'BAND', bor: 'BOR', bxor: 'BXOR',
  eq: 'EQ', ne: 'NE', lt: 'LT', le: 'LE', gt: 'GT', ge: 'GE',
  concat: 'CONCAT', repeat: 'REPEAT', contains: 'CONTAINS',
};

const UN_OPS: Record<UnKind, OpName> = {
  neg: 'NEG', invert: 'INVERT', not: 'NOT', truthy: 'TRUTHY', isnone: 'ISNONE', len: 'LEN',
};

const I32_MIN = -(2n ** 31n);
const I32_MAX = 2n ** 31n - 1n;

/** Module-wide tables shared by all functions, with deduplication. */
class Tables {
  readonly types: string[] = [];
  readonly constants: Constant[] = [];
  readonly externals: ExternalDef[] = [];
  private readonly typeIdx = new Map<string, number>();
  private readonly constIdx = new Map<string, number>();
  private readonly extIdx = new Map<string, number>();
  readonly fnIdx: Map<string, number>;
  readonly slotIdx: Map<string, number>;
  readonly eventIdx: Map<string, number>;

  constructor(readonly mod: IRModule) {
    this.fnIdx = new Map(mod.functions.map((f, i) => [f.name, i]));
    this.slotIdx = new Map(mod.storage.map((s, i) => [s.name, i]));
    this.eventIdx = new Map(mod.events.map((e, i) => [e.name, i]));
  }

  type(t: string): number {
    return intern(this.typeIdx, this.types, t, t);
  }

  constant(c: Constant): number {
    const key = c.kind === 'bytes' ? `bytes:${hex(c.value)}` : `${c.kind}:${String(c.value)}`;
    return intern(this.constIdx, this.constants, key, c);
  }

  external(iface: string, method: string): number {
    const x: IRExternal | undefined = this.mod.externals.find((e) => e.iface === iface && e.method === method);
    if (!x) throw new IRError([`unknown external ${iface}.${method}`]);
    const def: ExternalDef = { method, argTypes: x.argTypes.map((t) => this.type(t)), retType: this.type(x.retType) };
    return intern(this.extIdx, this.externals, JSON.stringify(def), def);
  }

  lookup(table: Map<string, number>, name: string, what: string): number {
    const i = table.get(name);
    if (i === undefined) throw new IRError([`unknown ${what} ${name}`]);
    return i;
  }
}

function intern<T>(index: Map<string, number>, list: T[], key: string, value: T): number {
  let i = index.get(key);
  if (i === undefined) {
    i = list.length;
    list.push(value);
    index.set(key, i);
  }
  return i;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

// ---- instructions ---------------------------------------------------------------------------

function lowerConst(dst: number, c: IRConst, t: Tables): Instr {
  switch (c.kind) {
    case 'bool':
      return ['LOADBOOL', dst, c.value ? 1 : 0];
    case 'none':
      return ['LOADNONE', dst];
    case 'int':
      if (c.value >= I32_MIN && c.value <= I32_MAX) return ['LOADI', dst, Number(c.value)];
      return ['LOADK', dst, t.constant(c)];
    default:
      return ['LOADK', dst, t.constant(c)];
  }
}

function lowerInstr(ins: IRInstr, t: Tables): Instr {
  switch (ins.op) {
    case 'const': return lowerConst(ins.dst, ins.value, t);
    case 'default': return ['LOADDEF', ins.dst, t.type(ins.type)];
    case 'mov': return ['MOV', ins.dst, ins.src];
    case 'bin': return [BIN_OPS[ins.kind], ins.dst, ins.a, ins.b];
    case 'un': return [UN_OPS[ins.kind], ins.dst, ins.a];
    case 'getitem': return ['GETITEM', ins.dst, ins.obj, ins.index];
    case 'setitem': return ['SETITEM', ins.obj, ins.index, ins.value];
    case 'delitem': return ['DELITEM', ins.obj, ins.index];
    case 'slice': return ['SLICE', ins.dst, ins.obj, ins.lo, ins.hi, ins.step];
    case 'newlist': return ['NEWLIST', ins.dst, [...ins.items]];
    case 'newtuple': return ['NEWTUPLE', ins.dst, [...ins.items]];
    case 'newdict': return ['NEWDICT', ins.dst, [...ins.items]];
    case 'getfield': return ['GETFIELD', ins.dst, ins.obj, ins.index];
    case 'setfield': return ['SETFIELD', ins.obj, ins.index, ins.value];
    case 'append': return ['APPEND', ins.list, ins.value];
    case 'copy': return ['COPY', ins.dst, ins.src, t.type(ins.type)];
    case 'str': return ['STR', ins.dst, ins.src, t.type(ins.type)];
    case 'repr': return ['REPR', ins.dst, ins.src, t.type(ins.type)];
    case 'format':
      return ['FORMAT', ins.dst, ins.src, t.type(ins.type), t.constant({ kind: 'str', value: ins.spec })];
    case 'builtin': return ['CALLB', ins.dst, BuiltinId[ins.name], [...ins.args]];
    case 'call': return ['CALL', ins.dst, t.lookup(t.fnIdx, ins.fn, 'function'), [...ins.args]];
    case 'sload': return ['SLOAD', ins.dst, t.lookup(t.slotIdx, ins.field, 'storage field'), [...ins.keys]];
    case 'sstore': return ['SSTORE', t.lookup(t.slotIdx, ins.field, 'storage field'), ins.value, [...ins.keys]];
    case 'shas': return ['SHAS', ins.dst, t.lookup(t.slotIdx, ins.field, 'storage field'), [...ins.keys]];
    case 'sdel': return ['SDEL', t.lookup(t.slotIdx, ins.field, 'storage field'), [...ins.keys]];
    case 'env': return ['ENV', ins.dst, ENV[ins.kind]];
    case 'balance': return ['BALANCE', ins.dst, ins.addr];
    case 'transfer': return ['TRANSFER', ins.to, ins.amount];
    case 'emit': return ['EMIT', t.lookup(t.eventIdx, ins.event, 'event'), [...ins.args]];
    case 'log': return ['LOG', ins.msg];
    case 'xcall':
      return ['XCALL', ins.dst, t.external(ins.iface, ins.method), ins.addr, ins.value, [...ins.args]];
  }
}

// ---- block layout -------------------------------------------------------------------------

/** The successor a block would like to fall through to. */
function preferredNext(term: IRTerm): number | null {
  if (term.op === 'jmp') return term.target;
  if (term.op === 'br') return term.then;
  return null;
}

/**
 * Block order: chains built greedily from the entry, each block followed by its preferred
 * successor (a jump's target, a branch's `then`, else the branch's `else`) when that is not
 * placed yet; a new chain starts at the next reachable block in depth-first order.
 */
export function layoutBlocks(fn: IRFunction): number[] {
  const order: number[] = [];
  const placed = new Uint8Array(fn.blocks.length);
  for (const start of reachableOrder(fn)) {
    let cur: number | null = start;
    while (cur !== null && placed[cur] !== 1) {
      placed[cur] = 1;
      order.push(cur);
      const term: IRTerm = fn.blocks[cur]!.term;
      const pref = preferredNext(term);
      if (pref !== null && placed[pref] !== 1) cur = pref;
      else if (term.op === 'br' && placed[term.else] !== 1) cur = term.else;
      else cur = null;
    }
  }
  return order;
}

// ---- functions ------------------------------------------------------------------------------

interface Lowered {
  def: FunctionDef;
  /** The span of every emitted instruction. */
  spans: Span[];
}

/** Emits one function's code: instructions with their spans, and jumps to blocks whose
 *  positions are patched once every block is placed. */
class FunctionEmitter {
  readonly code: Instr[] = [];
  readonly spans: Span[] = [];
  /** Code position of each placed block, by block id (-1 until placed). */
  readonly start: Int32Array;
  /** [instruction index, operand position, target block] triples, flattened. */
  private readonly fixups: number[] = [];

  constructor(nblocks: number) {
    this.start = new Int32Array(nblocks).fill(-1);
  }

  emit(ins: Instr, span: Span): void {
    this.code.push(ins);
    this.spans.push(span);
  }

  jump(op: 'JMP' | 'JT' | 'JF', target: number, span: Span, cond?: number): void {
    const ins: Instr = cond === undefined ? [op, -1] : [op, cond, -1];
    this.fixups.push(this.code.length, ins.length - 1, target);
    this.emit(ins, span);
  }

  patchJumps(): void {
    const f = this.fixups;
    for (let i = 0; i < f.length; i += 3) this.code[f[i]!]![f[i + 1]!] = this.start[f[i + 2]!]!;
  }
}

function lowerFunction(fn: IRFunction, t: Tables): Lowered {
  const e = new FunctionEmitter(fn.blocks.length);
  const order = layoutBlocks(fn);
  for (let pos = 0; pos < order.length; pos++) {
    const id = order[pos]!;
    const b = fn.blocks[id]!;
    const next = order[pos + 1];
    e.start[id] = e.code.length;
    for (const ins of b.instrs) e.emit(lowerInstr(ins, t), ins.span);
    const term = b.term;
    switch (term.op) {
      case 'jmp':
        if (term.target !== next) e.jump('JMP', term.target, term.span);
        break;
      case 'br':
        if (term.then === term.else) {
          if (term.then !== next) e.jump('JMP', term.then, term.span);
        } else if (term.then === next) e.jump('JF', term.else, term.span, term.cond);
        else if (term.else === next) e.jump('JT', term.then, term.span, term.cond);
        else {
          e.jump('JT', term.then, term.span, term.cond);
          e.jump('JMP', term.else, term.span);
        }
        break;
      case 'ret':
        e.emit(term.value === null ? ['RETNONE'] : ['RET', term.value], term.span);
        break;
      case 'revert':
        e.emit(['REVERT', term.reason], term.span);
        break;
    }
  }
  e.patchJumps();
  return { def: { name: fn.name, nparams: fn.params.length, nregs: fn.regs.length, code: e.code }, spans: e.spans };
}

// ---- ABI, debug info, source map --------------------------------------------------------------

function abiMethod(fn: IRFunction, index: number): AbiMethod {
  return {
    name: fn.abiName,
    fn: index,
    params: fn.params.map((p) => ({ name: p.name, type: p.type })),
    returns: fn.returnType,
    view: fn.kind === 'view',
    payable: fn.kind === 'payable',
  };
}

function buildAbi(mod: IRModule): ModuleDef['abi'] {
  let ctor = -1;
  const methods: AbiMethod[] = [];
  const functions: AbiMethod[] = [];
  mod.functions.forEach((f, i) => {
    if (f.kind === 'constructor' && ctor < 0) ctor = i;
    else if (f.kind === 'public' || f.kind === 'view' || f.kind === 'payable') methods.push(abiMethod(f, i));
    else if (f.kind === 'function') functions.push(abiMethod(f, i));
  });
  return {
    contract: mod.contract,
    constructor: ctor < 0 ? null : abiMethod(mod.functions[ctor]!, ctor),
    methods,
    functions,
    events: mod.events.map((e) => ({ name: e.name, fields: e.fields.map((f) => ({ name: f.name, type: f.type })) })),
  };
}

const sameSpan = (a: Span, b: Span): boolean =>
  a.file === b.file && a.line === b.line && a.col === b.col && a.endLine === b.endLine && a.endCol === b.endCol;

function sourceMapOf(fnIndex: number, spans: Span[]): SourceMapEntry[] {
  const out: SourceMapEntry[] = [];
  let last: Span | null = null;
  for (let pc = 0; pc < spans.length; pc++) {
    const s = spans[pc]!;
    if (last && sameSpan(last, s)) continue;
    last = s;
    out.push({ fn: fnIndex, pc, file: s.file, line: s.line, col: s.col, endLine: s.endLine, endCol: s.endCol });
  }
  return out;
}

function debugInfoOf(files: string[], allSpans: Span[][]): DebugInfo {
  const fileList = [...files];
  const fileIdx = new Map<string, number>();
  for (let i = fileList.length - 1; i >= 0; i--) fileIdx.set(fileList[i]!, i); // the first of duplicates wins
  const lines = allSpans.map((spans) => {
    const out: [number, number, number, number][] = [];
    let prev: [number, number, number, number] | undefined;
    for (let pc = 0; pc < spans.length; pc++) {
      const s = spans[pc]!;
      let fi = fileIdx.get(s.file);
      if (fi === undefined) {
        fi = fileList.push(s.file) - 1;
        fileIdx.set(s.file, fi);
      }
      if (!prev || prev[1] !== fi || prev[2] !== s.line || prev[3] !== s.col) {
        prev = [pc, fi, s.line, s.col];
        out.push(prev);
      }
    }
    return out;
  });
  return { files: fileList, lines };
}

/**
 * Lowers a module. Throws IRError when the module is not valid IR (a compiler bug).
 * The returned module is ready for `encodeModule` (tvm/format.ts); `sourceMap[i]` lists the
 * source positions of function i's instructions (an entry wherever the span changes).
 */
export function generate(
  mod: IRModule,
  opts: GenerateOptions = {},
): { def: ModuleDef; sourceMap: SourceMapEntry[][] } {
  if (opts.validate !== false) {
    const problems = validateIR(mod);
    if (problems.length > 0) throw new IRError(problems);
  }
  const t = new Tables(mod);
  const slots = mod.storage.map((s) => ({
    name: s.name,
    id: s.id,
    keyTypes: s.keyTypes.map((k) => t.type(k)),
    valueType: t.type(s.valueType),
  }));
  const events = mod.events.map((e) => ({
    name: e.name,
    fields: e.fields.map((f) => ({ name: f.name, type: t.type(f.type) })),
  }));
  const lowered = mod.functions.map((f) => lowerFunction(f, t));
  const def: ModuleDef = {
    types: t.types,
    constants: t.constants,
    functions: lowered.map((l) => l.def),
    slots,
    events,
    externals: t.externals,
    abi: buildAbi(mod),
    debug: opts.debug ? debugInfoOf(mod.files, lowered.map((l) => l.spans)) : null,
  };
  return { def, sourceMap: lowered.map((l, i) => sourceMapOf(i, l.spans)) };
}
