// The checker and the lowering to IR, in one pass over each function body: every expression
// is type-checked as it is lowered, so the IR is typed by construction. Errors are collected
// (never thrown); an expression that failed gets the `error` type, which is accepted
// everywhere so that one mistake gives one message.

import type * as A from './ast.ts';
import type { Code, DiagnosticBag, Span } from './diagnostics.ts';
import type { BinKind, IRBlock, IRConst, IRExternal, IRFunction, IRInstr, IRModule, IRTerm, Reg } from './ir.ts';
import type { Program } from './declare.ts';
import { resolveTypeExpr, reportUnsupportedConstruct } from './declare.ts';
import { REFLECTION, type ContractInfo, type FuncSig, type StorageField } from './symbols.ts';
import {
  ADDRESS, BOOL, BYTES, ERROR, INT, NONE, STR, assignable, containsMap, dictOf, isHashable, isOrdered,
  listOf, optionalOf, sameType, showType, tupleOf, typeDesc,
  type StructDef, type Type,
} from './types.ts';
import { lowerCall } from './lower-calls.ts';

export const INT_MIN = -(1n << 255n);
export const INT_MAX = (1n << 255n) - 1n;

/** A lowered expression: the register holding its value and its type. */
export interface Val {
  reg: Reg;
  type: Type;
  /** For an interface handle created with `value=`: the register with the coin amount. */
  xvalue?: Reg;
}

/** Where an assignment goes. Storage-rooted places write back after in-place mutation. */
export type Place =
  /** `type` is the narrowed type where a test proved more (`declType` is the variable's own). */
  | { p: 'local'; name: string; reg: Reg; type: Type; declType: Type; span: Span }
  | { p: 'storage'; field: StorageField; keys: Reg[]; type: Type; span: Span }
  | { p: 'item'; base: Place; index: Reg; type: Type; span: Span }
  | { p: 'field'; base: Place; index: number; type: Type; span: Span }
  | { p: 'error'; type: Type; span: Span };

/** range(start, stop, step): the step is a constant or, rarely, a register. */
interface RangeBounds {
  start: Reg;
  stop: Reg;
  step: bigint | Reg;
}

/** An Optional variable known to hold its inner type on the current path. */
type Narrow = [name: string, type: Type];

interface LocalVar {
  reg: Reg;
  type: Type;
}

const BIN_OPS: Partial<Record<A.BinOperator, BinKind>> = {
  '+': 'add', '-': 'sub', '*': 'mul', '//': 'floordiv', '%': 'mod', '**': 'pow',
  '<<': 'shl', '>>': 'shr', '&': 'band', '|': 'bor', '^': 'bxor',
};
const CMP_OPS: Partial<Record<A.CmpOperator, BinKind>> = {
  '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge',
};

export class ModuleLowerer {
  readonly functions: IRFunction[] = [];
  readonly events = new Map<string, { name: string; fields: { name: string; type: string }[] }>();
  readonly externals: IRExternal[] = [];
  readonly funcNames = new Set<string>();

  constructor(readonly prog: Program, readonly diags: DiagnosticBag) {}

  lower(): IRModule {
    for (const sig of this.prog.functions) this.funcNames.add(sig.irName);
    for (const sig of this.prog.functions) this.functions.push(new FnLowerer(this, sig).lower());
    this.checkViews();
    const c = this.prog.contract;
    return {
      contract: c?.name ?? null,
      functions: this.functions,
      storage: c ? [...c.fields.values()].map((f) => ({
        name: f.name, id: f.id, span: f.span,
        ...storageShape(f.type),
      })) : [],
      events: [...this.events.values()],
      externals: this.externals,
      files: this.prog.files.map((f) => f.path),
    };
  }

  registerEvent(def: StructDef): void {
    if (!this.events.has(def.name)) {
      this.events.set(def.name, { name: def.name, fields: def.fields.map((f) => ({ name: f.name, type: typeDesc(f.type) })) });
    }
  }

  registerExternal(ext: IRExternal): void {
    if (!this.externals.some((e) => e.iface === ext.iface && e.method === ext.method)) this.externals.push(ext);
  }

  /** A view method must not change state, directly or through the methods it calls. */
  private checkViews(): void {
    const byName = new Map(this.functions.map((f) => [f.name, f]));
    const memo = new Map<string, boolean>();
    const direct = (f: IRFunction): { span: Span; what: string }[] => {
      const out: { span: Span; what: string }[] = [];
      for (const b of f.blocks) {
        for (const ins of b.instrs) {
          if (ins.op === 'sstore' || ins.op === 'sdel') out.push({ span: ins.span, what: `writes storage field '${ins.field}'` });
          else if (ins.op === 'emit') out.push({ span: ins.span, what: `emits event ${ins.event}` });
          else if (ins.op === 'transfer') out.push({ span: ins.span, what: 'transfers coin' });
          else if (ins.op === 'xcall') {
            const ext = this.externals.find((e) => e.iface === ins.iface && e.method === ins.method);
            if (ext && !ext.view) out.push({ span: ins.span, what: `calls ${ins.iface}.${ins.method}, which is not a view` });
          } else if (ins.op === 'call') {
            const callee = byName.get(ins.fn);
            if (callee && changesState(callee, new Set())) out.push({ span: ins.span, what: `calls '${callee.abiName}', which changes state` });
          }
        }
      }
      return out;
    };
    const changesState = (f: IRFunction, stack: Set<string>): boolean => {
      const known = memo.get(f.name);
      if (known !== undefined) return known;
      if (stack.has(f.name)) return false;
      stack.add(f.name);
      let found = false;
      for (const b of f.blocks) {
        for (const ins of b.instrs) {
          if (ins.op === 'sstore' || ins.op === 'sdel' || ins.op === 'emit' || ins.op === 'transfer') found = true;
          else if (ins.op === 'xcall') found ||= !this.externals.find((e) => e.iface === ins.iface && e.method === ins.method)?.view;
          else if (ins.op === 'call') {
            const callee = byName.get(ins.fn);
            if (callee && changesState(callee, stack)) found = true;
          }
        }
      }
      stack.delete(f.name);
      memo.set(f.name, found);
      return found;
    };
    for (const f of this.functions) {
      if (f.kind !== 'view') continue;
      for (const c of direct(f)) {
        this.diags.error('E0501', `view method '${f.abiName}' ${c.what}`, c.span, 'remove @view (use @public) or move the state change elsewhere');
      }
    }
  }
}

function storageShape(t: Type): { keyTypes: string[]; valueType: string } {
  const keys: string[] = [];
  while (t.k === 'map') {
    keys.push(typeDesc(t.key));
    t = t.value;
  }
  return { keyTypes: keys, valueType: typeDesc(t) };
}

interface BlockBuild {
  id: number;
  instrs: IRInstr[];
  term: IRTerm | null;
}

/** Names assigned anywhere in a function body (Python's rule for what is local). */
function collectAssigned(body: A.Stmt[], out: Set<string>): void {
  const target = (t: A.Expr): void => {
    if (t.kind === 'Name') out.add(t.id);
    else if (t.kind === 'Tuple' || t.kind === 'List') t.elts.forEach(target);
  };
  for (const s of body) {
    switch (s.kind) {
      case 'Assign': s.targets.forEach(target); break;
      case 'AugAssign': target(s.target); break;
      case 'AnnAssign': target(s.target); break;
      case 'For': target(s.target); collectAssigned(s.body, out); collectAssigned(s.orelse, out); break;
      case 'While': case 'If': collectAssigned(s.body, out); collectAssigned(s.orelse, out); break;
      case 'Unsupported': collectAssigned(s.body, out); break;
      default: break;
    }
  }
}

export class FnLowerer {
  readonly regs: { type: string; name: string | null }[] = [];
  readonly regTypes: Type[] = [];
  readonly blocks: BlockBuild[] = [];
  cur: BlockBuild;
  readonly vars = new Map<string, LocalVar>();
  /** Definitely-assigned variables on the current path; null when the path is dead. */
  assigned: Set<string> | null = new Set();
  /** Optional variables narrowed to their inner type on the current path. */
  narrowed = new Map<string, Type>();
  readonly loops: { brk: number; cont: number }[] = [];
  readonly localNames = new Set<string>();
  readonly diags: DiagnosticBag;
  readonly contract: ContractInfo | null;

  constructor(readonly ml: ModuleLowerer, readonly sig: FuncSig) {
    this.diags = ml.diags;
    this.contract = sig.owner;
    this.cur = this.newBlock();
  }

  // ------------------------------------------------------------------ building blocks

  newBlock(): BlockBuild {
    const b: BlockBuild = { id: this.blocks.length, instrs: [], term: null };
    this.blocks.push(b);
    return b;
  }

  newReg(type: Type, name: string | null = null): Reg {
    this.regs.push({ type: typeDesc(type), name });
    this.regTypes.push(type);
    return this.regs.length - 1;
  }

  emit(ins: IRInstr): void {
    this.cur.instrs.push(ins);
  }

  /** End the current block; code after it goes to a fresh block (unreachable unless jumped to). */
  terminate(term: IRTerm): void {
    if (this.cur.term === null) this.cur.term = term;
    this.cur = this.newBlock();
  }

  jumpTo(target: BlockBuild, span: Span): void {
    this.terminate({ op: 'jmp', target: target.id, span });
  }

  /** Continue emitting in `b`; an open current block falls through to it. */
  enter(b: BlockBuild): void {
    if (this.cur.term === null) this.cur.term = { op: 'jmp', target: b.id, span: this.sig.node.span };
    this.cur = b;
  }

  markDead(): void {
    this.assigned = null;
  }

  error(code: Code, message: string, span: Span, hint?: string): void {
    this.diags.error(code, message, span, hint);
  }

  constReg(value: IRConst, type: Type, span: Span): Reg {
    const r = this.newReg(type);
    this.emit({ op: 'const', dst: r, value, span });
    return r;
  }
  intConst(v: bigint | number, span: Span): Reg {
    return this.constReg({ kind: 'int', value: BigInt(v) }, INT, span);
  }
  strConst(s: string, span: Span): Reg {
    return this.constReg({ kind: 'str', value: s }, STR, span);
  }
  noneConst(span: Span): Reg {
    return this.constReg({ kind: 'none' }, NONE, span);
  }
  boolConst(v: boolean, span: Span): Reg {
    return this.constReg({ kind: 'bool', value: v }, BOOL, span);
  }

  bin(kind: BinKind, a: Reg, b: Reg, type: Type, span: Span): Reg {
    const r = this.newReg(type);
    this.emit({ op: 'bin', kind, dst: r, a, b, span });
    return r;
  }

  /** Revert with a constant reason. */
  revertWith(reason: string, kind: 'require' | 'assert' | 'revert' | 'checked', span: Span): void {
    const r = this.strConst(reason, span);
    this.terminate({ op: 'revert', reason: r, kind, span });
    this.markDead();
  }

  // ------------------------------------------------------------------ function

  lower(): IRFunction {
    const { sig } = this;
    collectAssigned(sig.node.body, this.localNames);
    for (const p of sig.params) {
      const reg = this.newReg(p.type, p.name);
      this.vars.set(p.name, { reg, type: p.type });
      this.assigned!.add(p.name);
    }
    this.lowerBody(sig.node.body);
    if (this.assigned !== null) {
      // The end of the body is reachable.
      if (sig.ret.k === 'none' || sig.ret.k === 'error') {
        this.cur.term = { op: 'ret', value: null, span: sig.node.span };
      } else {
        this.error('E0307', `'${sig.name}' can reach its end without returning a ${showType(sig.ret)}`, sig.node.nameSpan,
          'add a return statement on every path (or revert)');
        const r = this.strConst('missing return', sig.node.span);
        this.cur.term = { op: 'revert', reason: r, kind: 'checked', span: sig.node.span };
      }
    }
    const blocks: IRBlock[] = this.blocks.map((b) => ({
      id: b.id,
      instrs: b.instrs,
      term: b.term ?? { op: 'revert', reason: this.deadReason(b), kind: 'checked', span: sig.node.span },
    }));
    return {
      name: sig.irName,
      abiName: sig.name,
      kind: sig.kind,
      params: sig.params.map((p) => ({ name: p.name, type: typeDesc(p.type) })),
      returnType: typeDesc(sig.ret),
      regs: this.regs,
      blocks,
      span: sig.node.span,
    };
  }

  /** Blocks left open are unreachable (code after return/break); give them a valid terminator. */
  private deadReason(b: BlockBuild): Reg {
    const r = this.newReg(STR);
    b.instrs.push({ op: 'const', dst: r, value: { kind: 'str', value: 'unreachable' }, span: this.sig.node.span });
    return r;
  }

  // ------------------------------------------------------------------ statements

  lowerBody(body: A.Stmt[]): void {
    let warned = false;
    for (const s of body) {
      if (this.assigned === null && !warned && s.kind !== 'Pass') {
        // still checked (so its errors show), but it never runs
        this.diags.warning('W0101', 'unreachable code: execution never gets here', s.span,
          'what comes before it always leaves the block (return, revert, break, continue or an endless loop)');
        warned = true;
      }
      this.lowerStmt(s);
    }
  }

  lowerStmt(s: A.Stmt): void {
    switch (s.kind) {
      case 'Expr': return this.lowerExprStmt(s);
      case 'Assign': return this.lowerAssign(s);
      case 'AnnAssign': return this.lowerAnnAssign(s);
      case 'AugAssign': return this.lowerAugAssign(s);
      case 'Return': return this.lowerReturn(s);
      case 'If': return this.lowerIf(s);
      case 'While': return this.lowerWhile(s);
      case 'For': return this.lowerFor(s);
      case 'Pass': return;
      case 'Break':
      case 'Continue': {
        const loop = this.loops[this.loops.length - 1];
        if (!loop) {
          this.error('E0313', `'${s.kind.toLowerCase()}' outside a loop`, s.span);
          return;
        }
        this.terminate({ op: 'jmp', target: s.kind === 'Break' ? loop.brk : loop.cont, span: s.span });
        this.markDead();
        return;
      }
      case 'Assert': return this.lowerAssert(s);
      case 'Delete': return this.lowerDelete(s);
      case 'FunctionDef':
        this.error('E0412', `nested function '${s.name}' is not supported`, s.nameSpan, 'define it at module level and pass what it needs as arguments');
        return;
      case 'ClassDef':
        this.error('E0417', 'classes can only be defined at module level', s.nameSpan);
        return;
      case 'Import':
      case 'ImportFrom':
        this.error('E0401', 'imports belong at the top of the file', s.span);
        return;
      case 'Unsupported':
        reportUnsupportedConstruct(this.diags, s);
        // check the body anyway, so that later errors are found in the same run
        this.lowerBody(s.body);
        return;
    }
  }

  private lowerExprStmt(s: A.ExprStmt): void {
    const e = s.value;
    if (e.kind === 'Str' || e.kind === 'Ellipsis') return; // docstring / placeholder
    if (e.kind === 'Yield') {
      this.error('E0415', 'generators (yield) are not supported', e.span, 'build and return a list');
      return;
    }
    if (e.kind === 'Compare' && e.ops.length === 1 && e.ops[0] === '==') {
      this.diags.warning('W0102', 'this comparison has no effect', e.span, `did you mean an assignment: '${exprText(e.left)} = ...'?`);
    } else if (e.kind === 'Name' || e.kind === 'Attribute' || e.kind === 'BinOp' || e.kind === 'Compare' || e.kind === 'Int' || e.kind === 'Bool') {
      this.diags.warning('W0102', 'this expression has no effect: its value is computed and dropped', e.span);
    }
    this.lowerExpr(e);
  }

  private lowerAssign(s: A.Assign): void {
    if (s.targets.length === 1 && (s.targets[0]!.kind === 'Tuple' || s.targets[0]!.kind === 'List') && (s.value.kind === 'Tuple')) {
      // a, b = b, a: evaluate every value first, then assign
      const target = s.targets[0] as A.TupleExpr;
      if (target.elts.length !== s.value.elts.length) {
        this.error('E0302', `cannot unpack ${s.value.elts.length} values into ${target.elts.length} targets`, s.span);
        return;
      }
      // copy into temporaries first: `a, b = b, a` must not see a's new value
      const vals = s.value.elts.map((v, i) => {
        const x = this.lowerExpr(v, this.peekTargetType(target.elts[i]!));
        const tmp = this.newReg(x.type);
        this.emit({ op: 'mov', dst: tmp, src: x.reg, span: v.span });
        return { reg: tmp, type: x.type };
      });
      target.elts.forEach((t, i) => this.assignTo(t, vals[i]!));
      return;
    }
    const first = s.targets[0]!;
    const val = this.lowerExpr(s.value, this.peekTargetType(first));
    for (const t of s.targets) this.assignTo(t, val);
  }

  /** The declared type of an assignment target, used as the expected type of `[]`, `{}`, None. */
  peekTargetType(t: A.Expr): Type | undefined {
    if (t.kind === 'Name') return this.vars.get(t.id)?.type;
    if (t.kind === 'Attribute' && t.value.kind === 'Name' && t.value.id === 'self' && this.contract) {
      const f = this.contract.fields.get(t.attr);
      return f && f.type.k !== 'map' ? f.type : undefined;
    }
    if (t.kind === 'Subscript') {
      const base = this.peekTargetType(t.value) ?? this.peekStorageType(t.value);
      if (base?.k === 'map' || base?.k === 'dict') return base.value;
      if (base?.k === 'list') return base.elem;
    }
    return undefined;
  }

  private peekStorageType(e: A.Expr): Type | undefined {
    if (e.kind === 'Attribute' && e.value.kind === 'Name' && e.value.id === 'self' && this.contract) return this.contract.fields.get(e.attr)?.type;
    if (e.kind === 'Subscript') {
      const b = this.peekStorageType(e.value);
      if (b?.k === 'map') return b.value;
    }
    return undefined;
  }

  private lowerAnnAssign(s: A.AnnAssign): void {
    const type = resolveTypeExpr(s.annotation, this.sig.ns, false, this.diags);
    if (s.target.kind !== 'Name') {
      this.error('E0312', 'only a plain variable can be annotated', s.target.span);
      return;
    }
    const name = s.target.id;
    const existing = this.vars.get(name);
    if (existing && !sameType(existing.type, type)) {
      this.error('E0301', `'${name}' is already a ${showType(existing.type)}; it cannot be redeclared as ${showType(type)}`, s.annotation.span);
      return;
    }
    if (!existing) this.declareVar(name, type);
    if (s.value) {
      const v = this.lowerExpr(s.value, type);
      this.assignTo(s.target, v);
    }
  }

  declareVar(name: string, type: Type): LocalVar {
    const v: LocalVar = { reg: this.newReg(type, name), type };
    this.vars.set(name, v);
    return v;
  }

  private lowerAugAssign(s: A.AugAssign): void {
    if (s.op === '/') {
      this.error('E0402', 'true division `/=` is not supported', s.opSpan,
        `contracts have no floats: write \`${exprText(s.target)} //= ${exprText(s.value)}\``);
      return;
    }
    const place = this.placeOf(s.target, false);
    if (place.p === 'error') {
      this.lowerExpr(s.value);
      return;
    }
    const cur = this.readPlace(place, s.target.span);
    const rhs = this.lowerExpr(s.value, place.type);
    if (s.op === '+' && cur.type.k === 'list') {
      // xs += ys extends the list in place (aliases see it), as in Python
      if (!sameType(cur.type, rhs.type)) {
        this.error('E0301', `cannot extend ${showType(cur.type)} with ${showType(rhs.type)}`, s.value.span);
        return;
      }
      const r = this.newReg(NONE);
      this.emit({ op: 'builtin', dst: r, name: 'list.extend', args: [cur.reg, rhs.reg], span: s.span });
      if (place.p !== 'local') this.writePlace(place, cur, s.span);
      return;
    }
    const result = this.binary(s.op, cur, rhs, s.opSpan, s.span);
    this.writePlace(place, result, s.span);
  }

  private lowerReturn(s: A.Return): void {
    const ret = this.sig.ret;
    if (s.value === null) {
      if (ret.k !== 'none' && ret.k !== 'error' && ret.k !== 'optional') {
        this.error('E0301', `'${this.sig.name}' must return a ${showType(ret)}`, s.span);
      }
      if (ret.k === 'optional') {
        const r = this.noneConst(s.span);
        this.terminate({ op: 'ret', value: r, span: s.span });
      } else this.terminate({ op: 'ret', value: null, span: s.span });
      this.markDead();
      return;
    }
    const v = this.lowerExpr(s.value, ret);
    if (ret.k === 'none' && v.type.k !== 'none' && v.type.k !== 'error') {
      this.error('E0301', `'${this.sig.name}' returns None but this returns a ${showType(v.type)}`, s.value.span,
        `annotate the function with '-> ${showType(v.type)}'`);
    } else this.checkAssignable(v.type, ret, s.value.span, 'return value');
    if (ret.k === 'none') this.terminate({ op: 'ret', value: null, span: s.span });
    else this.terminate({ op: 'ret', value: v.reg, span: s.span });
    this.markDead();
  }

  checkAssignable(from: Type, to: Type, span: Span, what: string): boolean {
    if (assignable(from, to)) return true;
    this.error('E0301', `${what}: expected ${showType(to)}, found ${showType(from)}`, span);
    return false;
  }

  // --------------------------------------------------------------- control flow

  /** Evaluates a condition and branches. Narrowing of `x is None` / `x is not None` is returned for each side. */
  private branch(test: A.Expr, thenB: BlockBuild, elseB: BlockBuild): { thenNarrow: Narrow[]; elseNarrow: Narrow[] } {
    const c = this.condition(test);
    this.terminate({ op: 'br', cond: c, then: thenB.id, else: elseB.id, span: test.span });
    return this.narrowing(test);
  }

  /** A bool register for a test expression of any type (Python truthiness). */
  condition(test: A.Expr): Reg {
    if (this.isStorageMap(test)) {
      this.error('E0303', 'a storage Map has no truth value', test.span, 'keep a count of its entries in another storage field');
      return this.boolConst(false, test.span);
    }
    const v = this.lowerExpr(test);
    return this.truthy(v, test.span);
  }

  truthy(v: Val, span: Span): Reg {
    if (v.type.k === 'bool' || v.type.k === 'error') return v.reg;
    if (v.type.k === 'map') {
      this.error('E0303', 'a Map has no truth value', span);
      return v.reg;
    }
    const r = this.newReg(BOOL);
    this.emit({ op: 'un', kind: 'truthy', dst: r, a: v.reg, span });
    return r;
  }

  /** What a test proves about Optional variables when it is true (then) and when it is false (else). */
  narrowing(test: A.Expr): { thenNarrow: Narrow[]; elseNarrow: Narrow[] } {
    const none = { thenNarrow: [], elseNarrow: [] };
    const optionalVar = (name: string): Type | null => {
      const t = this.narrowed.get(name) ?? this.vars.get(name)?.type;
      return t && t.k === 'optional' ? t.inner : null;
    };
    switch (test.kind) {
      case 'Compare': {
        if (test.ops.length !== 1 || test.left.kind !== 'Name' || test.comparators[0]!.kind !== 'None') return none;
        const inner = optionalVar(test.left.id);
        if (!inner) return none;
        const entry: Narrow[] = [[test.left.id, inner]];
        if (test.ops[0] === 'is not' || test.ops[0] === '!=') return { thenNarrow: entry, elseNarrow: [] };
        if (test.ops[0] === 'is' || test.ops[0] === '==') return { thenNarrow: [], elseNarrow: entry };
        return none;
      }
      case 'Name': {
        const inner = optionalVar(test.id);
        return inner ? { thenNarrow: [[test.id, inner]], elseNarrow: [] } : none;
      }
      case 'UnaryOp': {
        if (test.op !== 'not') return none;
        const n = this.narrowing(test.operand);
        return { thenNarrow: n.elseNarrow, elseNarrow: n.thenNarrow };
      }
      case 'BoolOp': {
        // `a and b` true: both true; `a or b` false: both false
        const parts = test.values.map((v) => this.narrowing(v));
        return test.op === 'and'
          ? { thenNarrow: parts.flatMap((p) => p.thenNarrow), elseNarrow: [] }
          : { thenNarrow: [], elseNarrow: parts.flatMap((p) => p.elseNarrow) };
      }
      default:
        return none;
    }
  }

  withNarrow<T>(ns: Narrow[], f: () => T): T {
    if (ns.length === 0) return f();
    const saved = new Map(this.narrowed);
    for (const [name, t] of ns) this.narrowed.set(name, t);
    try {
      return f();
    } finally {
      this.narrowed = saved;
    }
  }

  private lowerIf(s: A.If): void {
    const thenB = this.newBlock();
    const elseB = this.newBlock();
    const join = this.newBlock();
    const { thenNarrow, elseNarrow } = this.branch(s.test, thenB, elseB);
    const before = this.assigned;
    const narrowedBefore = new Map(this.narrowed);

    this.enter(thenB);
    this.assigned = before && new Set(before);
    this.withNarrow(thenNarrow, () => this.lowerBody(s.body));
    const afterThen = this.assigned;
    const thenFalls = afterThen !== null;
    if (thenFalls) this.jumpTo(join, s.span);
    this.narrowed = new Map(narrowedBefore);

    this.enter(elseB);
    this.assigned = before && new Set(before);
    this.withNarrow(elseNarrow, () => this.lowerBody(s.orelse));
    const afterElse = this.assigned;
    if (afterElse !== null) this.jumpTo(join, s.span);
    this.narrowed = narrowedBefore;

    this.enter(join);
    this.assigned = mergeAssigned(afterThen, afterElse);
    // `if x is None: return` narrows x for the rest of the block
    if (afterThen === null && afterElse !== null) for (const [n, t] of elseNarrow) this.narrowed.set(n, t);
    if (afterElse === null && afterThen !== null) for (const [n, t] of thenNarrow) this.narrowed.set(n, t);
  }

  private lowerWhile(s: A.While): void {
    if (s.orelse.length > 0) {
      this.error('E0404', 'while ... else is not supported', s.orelse[0]!.span, 'use a flag variable or return from inside the loop');
    }
    const head = this.newBlock();
    const body = this.newBlock();
    const exit = this.newBlock();
    this.jumpTo(head, s.span);
    this.enter(head);
    const constTrue = s.test.kind === 'Bool' && s.test.value;
    const before = this.assigned;
    if (constTrue) this.jumpTo(body, s.span);
    else this.branch(s.test, body, exit);
    this.enter(body);
    this.assigned = before && new Set(before);
    this.loops.push({ brk: exit.id, cont: head.id });
    this.lowerBody(s.body);
    this.loops.pop();
    if (this.assigned !== null) this.jumpTo(head, s.span);
    this.enter(exit);
    const hasBreak = this.countBreaks(s.body);
    // after the loop: only what was assigned before it is certain (the body may run zero times)
    this.assigned = constTrue && !hasBreak ? null : before && new Set(before);
  }

  /** Does a loop body contain a break that leaves this loop? */
  private countBreaks(body: A.Stmt[]): boolean {
    for (const s of body) {
      if (s.kind === 'Break') return true;
      if (s.kind === 'If' && (this.countBreaks(s.body) || this.countBreaks(s.orelse))) return true;
      if (s.kind === 'Unsupported' && this.countBreaks(s.body)) return true;
    }
    return false;
  }

  private lowerFor(s: A.For): void {
    if (s.orelse.length > 0) {
      this.error('E0404', 'for ... else is not supported', s.orelse[0]!.span, 'use a flag variable or return from inside the loop');
    }
    if (s.isAsync) this.error('E0415', 'async for is not supported', s.span);
    const before = this.assigned;
    this.forLoop(s.target, s.iter, s.span, () => this.lowerBody(s.body));
    this.assigned = before && new Set(before);
  }

  /**
   * A for loop over `iter`, binding `target` each iteration and running `body`.
   * range() with a constant step becomes a counting loop; everything else iterates a list
   * by index, re-reading its length each time (as CPython's list iterator does).
   */
  forLoop(target: A.Expr, iter: A.Expr, span: Span, body: () => void, afterIter?: () => void): void {
    // The iterable is evaluated first, in the enclosing scope; `afterIter` then unbinds a
    // comprehension's target names (their scope starts at the loop).
    const range = this.rangeArgs(iter);
    if (range) {
      const bounds = this.rangeBounds(range, span);
      afterIter?.();
      if (bounds) this.rangeLoop(target, bounds, span, body);
      return;
    }
    const seq = this.iterable(iter);
    afterIter?.();
    if (seq) this.listLoop(target, seq, iter.span, span, body);
  }

  /** Iterates a list, str, bytes or tuple by index, re-reading its length each time. */
  private listLoop(target: A.Expr, seq: { reg: Reg; elem: Type }, iterSpan: Span, span: Span, body: () => void): void {
    const idx = this.newReg(INT);
    this.emit({ op: 'const', dst: idx, value: { kind: 'int', value: 0n }, span });
    const one = this.intConst(1, span);
    const head = this.newBlock();
    const bodyB = this.newBlock();
    const step = this.newBlock();
    const exit = this.newBlock();
    this.jumpTo(head, span);
    this.enter(head);
    const len = this.newReg(INT);
    this.emit({ op: 'un', kind: 'len', dst: len, a: seq.reg, span });
    const more = this.bin('lt', idx, len, BOOL, span);
    this.terminate({ op: 'br', cond: more, then: bodyB.id, else: exit.id, span });
    this.enter(bodyB);
    const item = this.newReg(seq.elem);
    this.emit({ op: 'getitem', dst: item, obj: seq.reg, index: idx, span: iterSpan });
    this.loopRest(target, { reg: item, type: seq.elem }, body, { head, step, exit }, idx, one, span);
  }

  /** The rest of a counting loop, from its body block on: bind the target, run the body,
   *  then `counter += inc` in the step block and go back to the head. */
  private loopRest(
    target: A.Expr, item: Val, body: () => void,
    b: { head: BlockBuild; step: BlockBuild; exit: BlockBuild }, counter: Reg, inc: Reg, span: Span,
  ): void {
    this.assigned = this.assigned ?? new Set();
    this.assignTo(target, item);
    this.loops.push({ brk: b.exit.id, cont: b.step.id });
    body();
    this.loops.pop();
    if (this.assigned !== null) this.jumpTo(b.step, span);
    this.enter(b.step);
    this.emit({ op: 'bin', kind: 'add', dst: counter, a: counter, b: inc, span });
    this.jumpTo(b.head, span);
    this.enter(b.exit);
  }

  private rangeArgs(iter: A.Expr): A.Expr[] | null {
    if (iter.kind === 'Call' && iter.func.kind === 'Name' && iter.func.id === 'range' && !this.vars.has('range')) {
      if (iter.keywords.length > 0 || iter.args.length < 1 || iter.args.length > 3) {
        this.error('E0302', 'range() takes 1 to 3 int arguments', iter.span);
        return [];
      }
      return iter.args;
    }
    return null;
  }

  /** Evaluates range() arguments: a constant step (the common case) or a step register. */
  private rangeBounds(args: A.Expr[], span: Span): RangeBounds | null {
    if (args.length === 0) return null;
    const intArg = (e: A.Expr): Reg => {
      const v = this.lowerExpr(e, INT);
      this.checkAssignable(v.type, INT, e.span, 'range() argument');
      return v.reg;
    };
    if (args.length === 1) return { start: this.intConst(0, span), stop: intArg(args[0]!), step: 1n };
    const start = intArg(args[0]!);
    const stop = intArg(args[1]!);
    if (args.length < 3) return { start, stop, step: 1n };
    const st = constInt(args[2]!);
    if (st === null) return { start, stop, step: intArg(args[2]!) };
    if (st === 0n) {
      this.error('E0302', 'range() step must not be zero', args[2]!.span);
      return null;
    }
    if (st < INT_MIN || st > INT_MAX) this.error('E0310', 'range() step is out of the int range', args[2]!.span);
    return { start, stop, step: st };
  }

  private rangeLoop(target: A.Expr, bounds: RangeBounds, span: Span, body: () => void): void {
    const { start, stop } = bounds;
    if (typeof bounds.step !== 'bigint') {
      // a step known only at run time: materialise the range as a list (the VM reverts on step 0)
      const list = this.newReg(listOf(INT));
      this.emit({ op: 'builtin', dst: list, name: 'range_list', args: [start, stop, bounds.step], span });
      this.listLoop(target, { reg: list, elem: INT }, span, span, body);
      return;
    }
    const stepVal = bounds.step;
    // counter is a hidden register: assigning the loop variable in the body does not change iteration
    const counter = this.newReg(INT);
    this.emit({ op: 'mov', dst: counter, src: start, span });
    const stepR = this.intConst(stepVal, span);
    const head = this.newBlock();
    const bodyB = this.newBlock();
    const step = this.newBlock();
    const exit = this.newBlock();
    this.jumpTo(head, span);
    this.enter(head);
    const more = this.bin(stepVal > 0n ? 'lt' : 'gt', counter, stop, BOOL, span);
    this.terminate({ op: 'br', cond: more, then: bodyB.id, else: exit.id, span });
    this.enter(bodyB);
    this.loopRest(target, { reg: counter, type: INT }, body, { head, step, exit }, counter, stepR, span);
  }

  /** The list to iterate for `for x in iter` (dicts iterate over a snapshot of their keys). */
  iterable(iter: A.Expr): { reg: Reg; elem: Type } | null {
    if (this.isStorageMap(iter)) {
      this.error('E0306', 'a storage Map cannot be iterated', iter.span, 'keep a list of the keys in another storage field');
      return null;
    }
    const v = this.lowerExpr(iter);
    const t = v.type;
    switch (t.k) {
      case 'list': return { reg: v.reg, elem: t.elem };
      case 'str': return { reg: v.reg, elem: STR };
      case 'bytes': return { reg: v.reg, elem: INT };
      case 'dict': {
        const keys = this.newReg(listOf(t.key));
        this.emit({ op: 'builtin', dst: keys, name: 'dict.keys', args: [v.reg], span: iter.span });
        return { reg: keys, elem: t.key };
      }
      case 'tuple': {
        const first = t.elems[0];
        if (first && t.elems.every((e) => sameType(e, first))) return { reg: v.reg, elem: first };
        this.error('E0306', `cannot iterate over ${showType(t)}: its elements have different types`, iter.span);
        return null;
      }
      case 'error': return null;
      case 'map':
        this.error('E0306', 'a storage Map cannot be iterated', iter.span, 'keep a list of the keys in another storage field');
        return null;
      default:
        this.error('E0306', `cannot iterate over ${showType(t)}`, iter.span);
        return null;
    }
  }

  private lowerAssert(s: A.Assert): void {
    const ok = this.newBlock();
    const fail = this.newBlock();
    const c = this.condition(s.test);
    this.terminate({ op: 'br', cond: c, then: ok.id, else: fail.id, span: s.test.span });
    const before = this.assigned;
    this.enter(fail);
    let reason: Reg;
    if (s.msg) {
      const m = this.lowerExpr(s.msg, STR);
      const text = this.toStr(m, s.msg.span);
      const prefix = this.strConst('assertion failed: ', s.span);
      reason = this.bin('concat', prefix, text, STR, s.span);
    } else reason = this.strConst('assertion failed', s.span);
    this.terminate({ op: 'revert', reason, kind: 'assert', span: s.span });
    this.enter(ok);
    this.assigned = before;
  }

  private lowerDelete(s: A.Delete): void {
    for (const t of s.targets) {
      if (t.kind !== 'Subscript') {
        this.error('E0312', 'del works only on dict entries, list items and Map entries', t.span, "use 'del d[key]'");
        continue;
      }
      const base = this.tryStorage(t.value);
      if (base && base.type.k === 'map') {
        const key = this.lowerExpr(t.index, base.type.key);
        this.checkAssignable(key.type, base.type.key, t.index.span, 'Map key');
        this.emit({ op: 'sdel', field: base.field.name, keys: [...base.keys, key.reg], span: t.span });
        continue;
      }
      const place = this.placeOf(t.value, false);
      if (place.p === 'error') continue;
      const obj = this.readPlace(place, t.value.span);
      if (obj.type.k === 'dict') {
        const key = this.lowerExpr(t.index, obj.type.key);
        this.checkAssignable(key.type, obj.type.key, t.index.span, 'dict key');
        this.emit({ op: 'delitem', obj: obj.reg, index: key.reg, span: t.span });
      } else if (obj.type.k === 'list') {
        const idx = this.lowerExpr(t.index, INT);
        this.checkAssignable(idx.type, INT, t.index.span, 'list index');
        this.emit({ op: 'delitem', obj: obj.reg, index: idx.reg, span: t.span });
      } else if (obj.type.k !== 'error') {
        this.error('E0305', `cannot delete items of ${showType(obj.type)}`, t.span);
        continue;
      }
      if (place.p !== 'local') this.writePlace(place, obj, t.span);
    }
  }

  // ------------------------------------------------------------------ places

  /** Is `e` a storage Map as a whole (`self.balances`, `self.allowances[a]`)? Emits nothing. */
  isStorageMap(e: A.Expr): boolean {
    let depth = 0;
    while (e.kind === 'Subscript') {
      e = e.value;
      depth++;
    }
    if (e.kind !== 'Attribute' || e.value.kind !== 'Name' || e.value.id !== 'self' || this.sig.kind === 'function') return false;
    let t = this.contract?.fields.get(e.attr)?.type;
    for (let i = 0; i < depth && t?.k === 'map'; i++) t = t.value;
    return t?.k === 'map';
  }

  /** The storage place of `self.f[k1][k2]...`, or null when `e` is not rooted in storage. */
  tryStorage(e: A.Expr): Extract<Place, { p: 'storage' }> | null {
    if (e.kind === 'Attribute' && e.value.kind === 'Name' && e.value.id === 'self') {
      const field = this.contract?.fields.get(e.attr);
      if (!field) return null;
      if (this.sig.kind === 'function') return null;
      return { p: 'storage', field, keys: [], type: field.type, span: e.span };
    }
    if (e.kind === 'Subscript') {
      const base = this.tryStorage(e.value);
      if (!base || base.type.k !== 'map') return null;
      const key = this.lowerExpr(e.index, base.type.key);
      this.checkAssignable(key.type, base.type.key, e.index.span, 'Map key');
      return { p: 'storage', field: base.field, keys: [...base.keys, key.reg], type: base.type.value, span: e.span };
    }
    return null;
  }

  /** An assignable location. `declare`: a plain name may introduce a new local. */
  placeOf(e: A.Expr, declare: boolean, declType?: Type): Place {
    switch (e.kind) {
      case 'Name': {
        const v = this.vars.get(e.id);
        if (v) return { p: 'local', name: e.id, reg: v.reg, type: this.narrowed.get(e.id) ?? v.type, declType: v.type, span: e.span };
        if (declare && declType) {
          const nv = this.declareVar(e.id, declType);
          return { p: 'local', name: e.id, reg: nv.reg, type: declType, declType, span: e.span };
        }
        if (e.id === 'self') {
          this.error('E0312', "cannot assign to 'self'", e.span);
          return { p: 'error', type: ERROR, span: e.span };
        }
        this.useUndefined(e);
        return { p: 'error', type: ERROR, span: e.span };
      }
      case 'Attribute': {
        const st = this.tryStorage(e);
        if (st) return st;
        if (e.value.kind === 'Name' && e.value.id === 'self' && this.contract) {
          if (this.sig.kind === 'function') {
            this.error('E0507', 'storage is not accessible in a module-level function', e.span);
            return { p: 'error', type: ERROR, span: e.span };
          }
          const hint = this.contract.methods.has(e.attr) ? 'methods cannot be reassigned' : `declare '${e.attr}: type' in the contract class`;
          this.error('E0203', `contract '${this.contract.name}' has no storage field '${e.attr}'`, e.attrSpan, hint);
          return { p: 'error', type: ERROR, span: e.span };
        }
        if (e.value.kind === 'Name' && (e.value.id === 'msg' || e.value.id === 'block') && !this.vars.has(e.value.id)) {
          this.error('E0312', `cannot assign to ${e.value.id}.${e.attr}: the call context is read-only`, e.span);
          return { p: 'error', type: ERROR, span: e.span };
        }
        const base = this.placeOf(e.value, false);
        if (base.p === 'error') return base;
        if (base.type.k === 'struct') {
          const idx = base.type.def.fields.findIndex((f) => f.name === e.attr);
          if (idx < 0) {
            this.error('E0203', `struct ${base.type.def.name} has no field '${e.attr}'`, e.attrSpan);
            return { p: 'error', type: ERROR, span: e.span };
          }
          return { p: 'field', base, index: idx, type: base.type.def.fields[idx]!.type, span: e.span };
        }
        this.error('E0312', `cannot assign to attribute '${e.attr}' of ${showType(base.type)}`, e.span);
        return { p: 'error', type: ERROR, span: e.span };
      }
      case 'Subscript': {
        const st = this.tryStorage(e);
        if (st) return st;
        if (e.index.kind === 'Slice') {
          this.error('E0312', 'assignment to a slice is not supported', e.span, 'build a new list');
          return { p: 'error', type: ERROR, span: e.span };
        }
        const base = this.placeOf(e.value, false);
        if (base.p === 'error') return base;
        const bt = base.type;
        if (bt.k === 'list') {
          const idx = this.lowerExpr(e.index, INT);
          this.checkAssignable(idx.type, INT, e.index.span, 'list index');
          return { p: 'item', base, index: idx.reg, type: bt.elem, span: e.span };
        }
        if (bt.k === 'dict') {
          const key = this.lowerExpr(e.index, bt.key);
          this.checkAssignable(key.type, bt.key, e.index.span, 'dict key');
          return { p: 'item', base, index: key.reg, type: bt.value, span: e.span };
        }
        if (bt.k === 'map') {
          // partial map that tryStorage did not resolve: only happens on errors
          return { p: 'error', type: ERROR, span: e.span };
        }
        if (bt.k !== 'error') {
          this.error('E0312', `items of ${showType(bt)} cannot be assigned${bt.k === 'str' || bt.k === 'tuple' || bt.k === 'bytes' ? ' (it is immutable)' : ''}`, e.span);
        }
        return { p: 'error', type: ERROR, span: e.span };
      }
      default:
        this.error('E0312', 'cannot assign to this expression', e.span);
        return { p: 'error', type: ERROR, span: e.span };
    }
  }

  readPlace(place: Place, span: Span): Val {
    switch (place.p) {
      case 'local': {
        const narrowed = this.narrowed.get(place.name);
        return { reg: place.reg, type: narrowed ?? place.type };
      }
      case 'storage': {
        if (place.type.k === 'map') {
          this.error('E0301', `the storage Map '${place.field.name}' is not a value`, span, `index it: self.${place.field.name}[key]`);
          return { reg: this.noneConst(span), type: ERROR };
        }
        const r = this.newReg(place.type);
        this.emit({ op: 'sload', dst: r, field: place.field.name, keys: place.keys, span });
        return { reg: r, type: place.type };
      }
      case 'item': {
        const base = this.readPlace(place.base, span);
        const r = this.newReg(place.type);
        this.emit({ op: 'getitem', dst: r, obj: base.reg, index: place.index, span });
        return { reg: r, type: place.type };
      }
      case 'field': {
        const base = this.readPlace(place.base, span);
        const r = this.newReg(place.type);
        this.emit({ op: 'getfield', dst: r, obj: base.reg, index: place.index, span });
        return { reg: r, type: place.type };
      }
      case 'error':
        return { reg: this.noneConst(span), type: ERROR };
    }
  }

  writePlace(place: Place, v: Val, span: Span): void {
    switch (place.p) {
      case 'local':
        this.narrowed.delete(place.name);
        if (v.reg !== place.reg) this.emit({ op: 'mov', dst: place.reg, src: v.reg, span });
        this.assigned?.add(place.name);
        return;
      case 'storage':
        if (place.type.k === 'map') {
          this.error('E0312', `the storage Map '${place.field.name}' cannot be assigned as a whole`, span, `assign its entries: self.${place.field.name}[key] = value`);
          return;
        }
        this.emit({ op: 'sstore', field: place.field.name, keys: place.keys, value: v.reg, span });
        return;
      case 'item': {
        const base = this.readPlace(place.base, span);
        this.emit({ op: 'setitem', obj: base.reg, index: place.index, value: v.reg, span });
        if (place.base.p !== 'local') this.writePlace(place.base, base, span);
        return;
      }
      case 'field': {
        const base = this.readPlace(place.base, span);
        this.emit({ op: 'setfield', obj: base.reg, index: place.index, value: v.reg, span });
        if (place.base.p !== 'local') this.writePlace(place.base, base, span);
        return;
      }
      case 'error':
        return;
    }
  }

  /** Assignment of an evaluated value to a target expression (names, items, fields, tuples). */
  assignTo(target: A.Expr, v: Val): void {
    if ((target.kind === 'Tuple' || target.kind === 'List') && v.type.k === 'list') {
      this.unpackList(target.elts, v, target.span);
      return;
    }
    if (target.kind === 'Tuple' || target.kind === 'List') {
      if (v.type.k !== 'tuple') {
        if (v.type.k !== 'error') this.error('E0301', `cannot unpack ${showType(v.type)}: only tuples can be unpacked`, target.span);
        return;
      }
      if (v.type.elems.length !== target.elts.length) {
        this.error('E0302', `cannot unpack a tuple of ${v.type.elems.length} into ${target.elts.length} targets`, target.span);
        return;
      }
      target.elts.forEach((t, i) => {
        const et = (v.type as { elems: Type[] }).elems[i]!;
        const r = this.newReg(et);
        this.emit({ op: 'getfield', dst: r, obj: v.reg, index: i, span: t.span });
        this.assignTo(t, { reg: r, type: et });
      });
      return;
    }
    if (target.kind === 'Starred') {
      this.error('E0406', 'starred assignment is not supported', target.span);
      return;
    }
    if (target.kind === 'Name' && !this.vars.has(target.id)) {
      if (v.type.k === 'none') {
        this.error('E0308', `cannot infer the type of '${target.id}' from None`, target.span, `annotate it: '${target.id}: Optional[int] = None'`);
        this.declareVar(target.id, ERROR);
        return;
      }
      if (v.type.k === 'map') return;
    }
    const place = this.placeOf(target, true, v.type);
    if (place.p === 'error') return;
    const want = place.p === 'local' ? place.declType : place.type;
    if (!this.checkAssignable(v.type, want, target.span, `cannot assign to '${exprText(target)}'`)) return;
    this.writePlace(place, v, target.span);
  }

  /** `a, b = some_list`: the length is checked at run time, as CPython does. */
  private unpackList(targets: A.Expr[], v: Val, span: Span): void {
    const elem = (v.type as { elem: Type }).elem;
    const n = this.newReg(INT);
    this.emit({ op: 'un', kind: 'len', dst: n, a: v.reg, span });
    const ok = this.bin('eq', n, this.intConst(targets.length, span), BOOL, span);
    const okB = this.newBlock();
    const bad = this.newBlock();
    this.terminate({ op: 'br', cond: ok, then: okB.id, else: bad.id, span });
    const before = this.assigned;
    this.enter(bad);
    this.revertWith(`cannot unpack: expected ${targets.length} values`, 'checked', span);
    this.enter(okB);
    this.assigned = before;
    targets.forEach((t, i) => {
      const r = this.newReg(elem);
      this.emit({ op: 'getitem', dst: r, obj: v.reg, index: this.intConst(i, t.span), span: t.span });
      this.assignTo(t, { reg: r, type: elem });
    });
  }

  useUndefined(e: A.Name): void {
    if (this.localNames.has(e.id)) {
      this.error('E0205', `'${e.id}' is used before it is assigned`, e.span);
      return;
    }
    const hints: Record<string, [Code, string, string?]> = {
      float: ['E0403', 'floats are not supported', 'use int (amounts in the smallest unit)'],
      set: ['E0416', 'sets are not supported', 'use dict[K, bool]'],
      isinstance: ['E0407', 'isinstance is not supported', 'types are checked at compile time'],
      issubclass: ['E0407', 'issubclass is not supported', 'types are checked at compile time'],
    };
    const h = hints[e.id];
    if (h) {
      this.error(h[0], h[1], e.span, h[2]);
      return;
    }
    if (REFLECTION.has(e.id)) {
      this.error('E0413', `'${e.id}' (reflection) is not supported`, e.span, 'contracts are static: call methods and read fields by name');
      return;
    }
    if (e.id === 'self' && this.sig.kind === 'function') {
      this.error('E0201', "'self' is only defined in methods", e.span);
      return;
    }
    this.error('E0201', `undefined name '${e.id}'`, e.span);
  }

  // ------------------------------------------------------------------ expressions

  lowerExpr(e: A.Expr, expected?: Type): Val {
    switch (e.kind) {
      case 'Int': {
        if (e.value < INT_MIN || e.value > INT_MAX) {
          this.error('E0310', 'integer literal outside the 256-bit range', e.span, 'ints are signed 256-bit: -2**255 .. 2**255-1');
          return { reg: this.intConst(0, e.span), type: INT };
        }
        return { reg: this.intConst(e.value, e.span), type: INT };
      }
      case 'Float':
        this.error('E0403', `float literal '${e.text}' is not supported`, e.span, 'use int; for money count the smallest unit (e.g. 150 cents, not 1.5)');
        return { reg: this.intConst(0, e.span), type: ERROR };
      case 'Str':
        return { reg: this.strConst(e.value, e.span), type: STR };
      case 'Bytes':
        return { reg: this.constReg({ kind: 'bytes', value: e.value }, BYTES, e.span), type: BYTES };
      case 'Bool':
        return { reg: this.boolConst(e.value, e.span), type: BOOL };
      case 'None':
        return { reg: this.noneConst(e.span), type: expected?.k === 'optional' ? expected : NONE };
      case 'Ellipsis':
        this.error('E0420', "'...' is only allowed as the body of an interface method", e.span);
        return { reg: this.noneConst(e.span), type: ERROR };
      case 'FString':
        return this.lowerFString(e);
      case 'Name':
        return this.lowerName(e);
      case 'BinOp': {
        if (e.op === '/') {
          this.lowerExpr(e.left);
          this.lowerExpr(e.right);
          this.error('E0402', 'true division `/` is not supported', e.opSpan,
            `contracts have no floats: write \`${exprText(e.left)} // ${exprText(e.right)}\` for integer (floor) division`);
          return { reg: this.intConst(0, e.span), type: ERROR };
        }
        const l = this.lowerExpr(e.left, expected);
        const r = this.lowerExpr(e.right, e.op === '*' || e.op === '<<' || e.op === '>>' || e.op === '**' ? undefined : l.type);
        return this.binary(e.op, l, r, e.opSpan, e.span);
      }
      case 'UnaryOp':
        return this.lowerUnary(e);
      case 'BoolOp':
        return this.lowerBoolOp(e, expected);
      case 'Compare':
        return this.lowerCompare(e);
      case 'Call':
        return lowerCall(this, e, expected);
      case 'Attribute':
        return this.lowerAttribute(e);
      case 'Subscript':
        return this.lowerSubscript(e);
      case 'List':
        return this.lowerList(e, expected);
      case 'Tuple': {
        const exp = expected?.k === 'tuple' ? expected.elems : [];
        const vals = e.elts.map((x, i) => this.lowerExpr(x, exp[i]));
        const t = tupleOf(vals.map((v) => v.type));
        const r = this.newReg(t);
        this.emit({ op: 'newtuple', dst: r, items: vals.map((v) => v.reg), span: e.span });
        return { reg: r, type: t };
      }
      case 'Dict':
        return this.lowerDict(e, expected);
      case 'Set':
      case 'SetComp':
        this.error('E0416', 'sets are not supported', e.span, 'use dict[K, bool] or a list');
        return { reg: this.noneConst(e.span), type: ERROR };
      case 'ListComp':
        return this.lowerListComp(e.elt, e.generators, e.span, expected);
      case 'GeneratorExp':
        this.error('E0415', 'generator expressions are only supported as the argument of sum, min, max, any, all, list or sorted', e.span, 'use a list comprehension [...]');
        return { reg: this.noneConst(e.span), type: ERROR };
      case 'DictComp':
        return this.lowerDictComp(e, expected);
      case 'IfExp':
        return this.lowerIfExp(e, expected);
      case 'Slice':
        this.error('E0420', 'a slice is only valid inside []', e.span);
        return { reg: this.noneConst(e.span), type: ERROR };
      case 'Starred':
        this.error('E0406', 'unpacking with * is not supported', e.span);
        return { reg: this.noneConst(e.span), type: ERROR };
      case 'Lambda':
        this.error('E0412', 'lambdas are not supported', e.span, 'define a module-level function');
        return { reg: this.noneConst(e.span), type: ERROR };
      case 'NamedExpr':
        this.error('E0418', 'the walrus operator := is not supported', e.span, 'assign the value on its own line first');
        return this.lowerExpr(e.value, expected);
      case 'Yield':
        this.error('E0415', 'yield is not supported', e.span, 'build and return a list');
        return { reg: this.noneConst(e.span), type: ERROR };
      case 'Await':
        this.error('E0415', 'await is not supported', e.span, 'contracts run synchronously');
        return { reg: this.noneConst(e.span), type: ERROR };
    }
  }

  private lowerName(e: A.Name): Val {
    const v = this.vars.get(e.id);
    if (v) {
      if (this.assigned !== null && !this.assigned.has(e.id)) {
        this.error('E0205', `'${e.id}' may be used before it is assigned`, e.span, 'assign it on every path before this use');
        this.assigned.add(e.id); // report once
      }
      return { reg: v.reg, type: this.narrowed.get(e.id) ?? v.type };
    }
    const sym = this.sig.ns.names.get(e.id);
    if (sym) {
      const what = sym.s === 'func' ? 'a function' : sym.s === 'contract' ? 'a contract' : sym.s === 'lib' ? 'a library name' : 'a class';
      this.error('E0301', `'${e.id}' is ${what}, not a value`, e.span, sym.s === 'func' ? `call it: ${e.id}(...)` : undefined);
      return { reg: this.noneConst(e.span), type: ERROR };
    }
    if (e.id === 'msg' || e.id === 'block') {
      this.error('E0301', `'${e.id}' is not a value`, e.span, `use its fields: ${e.id === 'msg' ? 'msg.sender, msg.value' : 'block.height, block.timestamp'}`);
      return { reg: this.noneConst(e.span), type: ERROR };
    }
    if (e.id === 'self' && this.contract) {
      this.error('E0301', "'self' is not a value", e.span, 'use self.field or self.address');
      return { reg: this.noneConst(e.span), type: ERROR };
    }
    this.useUndefined(e);
    return { reg: this.noneConst(e.span), type: ERROR };
  }

  /** Binary operators with their static typing rules. */
  binary(op: A.BinOperator, l: Val, r: Val, opSpan: Span, span: Span): Val {
    const lt = l.type;
    const rt = r.type;
    if (lt.k === 'error' || rt.k === 'error') return { reg: l.reg, type: ERROR };
    const fail = (hint?: string): Val => {
      this.error('E0303', `unsupported operand types for ${op}: ${showType(lt)} and ${showType(rt)}`, opSpan, hint);
      return { reg: l.reg, type: ERROR };
    };
    if (op === '/') return fail('use // for integer division');
    const kind = BIN_OPS[op];
    if (!kind) return fail();
    if (lt.k === 'int' && rt.k === 'int') return { reg: this.bin(kind, l.reg, r.reg, INT, span), type: INT };
    if (lt.k === 'bool' && rt.k === 'bool' && (op === '&' || op === '|' || op === '^')) {
      return { reg: this.bin(kind, l.reg, r.reg, BOOL, span), type: BOOL };
    }
    if (op === '+') {
      if ((lt.k === 'str' || lt.k === 'bytes' || lt.k === 'list') && sameType(lt, rt)) {
        return { reg: this.bin('concat', l.reg, r.reg, lt, span), type: lt };
      }
      if (lt.k === 'tuple' && rt.k === 'tuple') {
        const t = tupleOf([...lt.elems, ...rt.elems]);
        return { reg: this.bin('concat', l.reg, r.reg, t, span), type: t };
      }
    }
    if (op === '*') {
      if ((lt.k === 'str' || lt.k === 'bytes' || lt.k === 'list') && rt.k === 'int') {
        return { reg: this.bin('repeat', l.reg, r.reg, lt, span), type: lt };
      }
      if (lt.k === 'int' && (rt.k === 'str' || rt.k === 'bytes' || rt.k === 'list')) {
        return { reg: this.bin('repeat', r.reg, l.reg, rt, span), type: rt };
      }
    }
    if (op === '%' && lt.k === 'str') return fail('%-formatting is not supported: use an f-string');
    if (lt.k === 'bool' || rt.k === 'bool') return fail('convert with int(flag) to do arithmetic with a bool');
    return fail();
  }

  private lowerUnary(e: A.UnaryOp): Val {
    if (e.op === 'not') {
      const c = this.condition(e.operand);
      const r = this.newReg(BOOL);
      this.emit({ op: 'un', kind: 'not', dst: r, a: c, span: e.span });
      return { reg: r, type: BOOL };
    }
    // fold -LITERAL so that -2**255 is accepted as a literal
    if (e.op === '-' && e.operand.kind === 'Int') {
      const v = -e.operand.value;
      if (v < INT_MIN) {
        this.error('E0310', 'integer literal outside the 256-bit range', e.span);
        return { reg: this.intConst(0, e.span), type: INT };
      }
      return { reg: this.intConst(v, e.span), type: INT };
    }
    const v = this.lowerExpr(e.operand);
    if (v.type.k === 'error') return v;
    if (v.type.k !== 'int') {
      this.error('E0303', `bad operand type for unary ${e.op}: ${showType(v.type)}`, e.span);
      return { reg: v.reg, type: ERROR };
    }
    if (e.op === '+') return v;
    const r = this.newReg(INT);
    this.emit({ op: 'un', kind: e.op === '-' ? 'neg' : 'invert', dst: r, a: v.reg, span: e.span });
    return { reg: r, type: INT };
  }

  /** `a and b` / `a or b`: Python's value semantics, operands of one type. */
  private lowerBoolOp(e: A.BoolOp, expected?: Type): Val {
    const first = this.lowerExpr(e.values[0]!, expected);
    const type = first.type;
    const result = this.newReg(type);
    this.emit({ op: 'mov', dst: result, src: first.reg, span: e.values[0]!.span });
    const end = this.newBlock();
    const before = this.assigned;
    for (let i = 1; i < e.values.length; i++) {
      const prev = e.values[i - 1]!;
      const t = this.truthy({ reg: result, type }, prev.span);
      const next = this.newBlock();
      this.terminate(e.op === 'and'
        ? { op: 'br', cond: t, then: next.id, else: end.id, span: prev.span }
        : { op: 'br', cond: t, then: end.id, else: next.id, span: prev.span });
      this.enter(next);
      // in `x is not None and x > 0` the right side sees x narrowed
      const proven = e.values.slice(0, i).map((p) => this.narrowing(p));
      const ns = proven.flatMap((p) => (e.op === 'and' ? p.thenNarrow : p.elseNarrow));
      const v = this.withNarrow(ns, () => this.lowerExpr(e.values[i]!, type));
      if (!sameType(v.type, type) && v.type.k !== 'error' && type.k !== 'error') {
        this.error('E0301', `both operands of '${e.op}' must have the same type: ${showType(type)} and ${showType(v.type)}`, e.values[i]!.span,
          type.k === 'bool' || v.type.k === 'bool' ? 'compare explicitly so that both sides are bool' : undefined);
      }
      this.emit({ op: 'mov', dst: result, src: v.reg, span: e.values[i]!.span });
    }
    this.jumpTo(end, e.span);
    this.enter(end);
    this.assigned = before;
    return { reg: result, type };
  }

  private lowerCompare(e: A.Compare): Val {
    if (e.ops.length === 1) return this.compareOnce(e.ops[0]!, this.lowerExpr(e.left), e.comparators[0]!, e.span);
    // chained: a < b < c evaluates b once and stops at the first false
    const result = this.newReg(BOOL);
    const end = this.newBlock();
    let left = this.lowerExpr(e.left);
    const before = this.assigned;
    for (let i = 0; i < e.ops.length; i++) {
      const cmp = this.compareOnce(e.ops[i]!, left, e.comparators[i]!, e.span);
      this.emit({ op: 'mov', dst: result, src: cmp.reg, span: e.span });
      left = this.lastRight!;
      if (i < e.ops.length - 1) {
        const next = this.newBlock();
        this.terminate({ op: 'br', cond: result, then: next.id, else: end.id, span: e.span });
        this.enter(next);
      }
    }
    this.jumpTo(end, e.span);
    this.enter(end);
    this.assigned = before;
    return { reg: result, type: BOOL };
  }

  private lastRight: Val | null = null;

  private compareOnce(op: A.CmpOperator, l: Val, rightE: A.Expr, span: Span): Val {
    if (op === 'is' || op === 'is not') {
      const r = this.lowerExpr(rightE);
      this.lastRight = r;
      const noneSide = rightE.kind === 'None' ? l : r.type.k === 'none' ? l : null;
      if (!noneSide || (rightE.kind !== 'None' && r.type.k !== 'none')) {
        this.error('E0419', `'${op}' is only supported with None`, span, 'use == to compare values');
        return { reg: this.boolConst(false, span), type: BOOL };
      }
      const isn = this.newReg(BOOL);
      this.emit({ op: 'un', kind: 'isnone', dst: isn, a: noneSide.reg, span });
      if (op === 'is') return { reg: isn, type: BOOL };
      const n = this.newReg(BOOL);
      this.emit({ op: 'un', kind: 'not', dst: n, a: isn, span });
      return { reg: n, type: BOOL };
    }
    if (op === 'in' || op === 'not in') {
      const st = this.tryStorage(rightE);
      let r: Reg;
      if (st && st.type.k === 'map') {
        this.checkAssignable(l.type, st.type.key, span, 'Map key');
        r = this.newReg(BOOL);
        this.emit({ op: 'shas', dst: r, field: st.field.name, keys: [...st.keys, l.reg], span });
        this.lastRight = { reg: r, type: ERROR };
      } else {
        const c = this.lowerExpr(rightE);
        this.lastRight = c;
        this.checkContains(l.type, c.type, span);
        r = this.bin('contains', l.reg, c.reg, BOOL, span);
      }
      if (op === 'in') return { reg: r, type: BOOL };
      const n = this.newReg(BOOL);
      this.emit({ op: 'un', kind: 'not', dst: n, a: r, span });
      return { reg: n, type: BOOL };
    }
    const r = this.lowerExpr(rightE, l.type);
    this.lastRight = r;
    const kind = CMP_OPS[op]!;
    const lt = l.type;
    const rt = r.type;
    if (lt.k !== 'error' && rt.k !== 'error') {
      if (op === '==' || op === '!=') {
        const ok = sameType(lt, rt) || (lt.k === 'tuple' && rt.k === 'tuple') || (lt.k === 'optional' && (assignable(rt, lt))) || (rt.k === 'optional' && assignable(lt, rt))
          || (lt.k === 'none' && rt.k === 'optional') || (rt.k === 'none' && lt.k === 'optional');
        if (!ok) this.error('E0303', `comparing ${showType(lt)} with ${showType(rt)} is always ${op === '!=' ? 'True' : 'False'}`, span, 'convert one side so that both have the same type');
      } else if (lt.k === 'tuple' && rt.k === 'tuple') {
        // tuples of different lengths compare lexicographically over their common prefix
        const n = Math.min(lt.elems.length, rt.elems.length);
        const ok = lt.elems.slice(0, n).every((x, i) => sameType(x, rt.elems[i]!) && isOrdered(x));
        if (!ok) this.error('E0303', `'${op}' is not supported between ${showType(lt)} and ${showType(rt)}`, span);
      } else if (!sameType(lt, rt) || !isOrdered(lt)) {
        this.error('E0303', `'${op}' is not supported between ${showType(lt)} and ${showType(rt)}`, span,
          lt.k === 'optional' || rt.k === 'optional'
            ? 'check `is not None` first; narrowing applies to local variables, so copy a storage field into one (best = self.best)'
            : undefined);
      }
    }
    return { reg: this.bin(kind, l.reg, r.reg, BOOL, span), type: BOOL };
  }

  private checkContains(item: Type, container: Type, span: Span): void {
    if (item.k === 'error' || container.k === 'error') return;
    const ok = (() => {
      switch (container.k) {
        case 'str': return item.k === 'str';
        case 'bytes': return item.k === 'bytes' || item.k === 'int';
        case 'list': return assignable(item, container.elem);
        case 'dict': return assignable(item, container.key);
        case 'tuple': return container.elems.some((t) => assignable(item, t));
        default: return false;
      }
    })();
    if (!ok) this.error('E0303', `'in' is not supported between ${showType(item)} and ${showType(container)}`, span);
  }

  private lowerAttribute(e: A.Attribute): Val {
    if (e.attr === '__dict__' || e.attr === '__class__' || (e.attr.startsWith('__') && e.attr.endsWith('__'))) {
      this.error('E0413', `'${e.attr}' (reflection) is not supported`, e.attrSpan, 'contracts are static: read fields by name');
      return { reg: this.noneConst(e.span), type: ERROR };
    }
    if (e.value.kind === 'Name' && !this.vars.has(e.value.id)) {
      const ctx = this.contextValue(e.value.id, e.attr, e.span);
      if (ctx) return ctx;
    }
    const st = this.tryStorage(e);
    if (st) return this.readPlace(st, e.span);
    if (e.value.kind === 'Name' && e.value.id === 'self' && this.contract && !this.vars.has('self')) {
      if (this.sig.kind === 'function') {
        this.error('E0507', 'storage is not accessible in a module-level function', e.span);
        return { reg: this.noneConst(e.span), type: ERROR };
      }
      if (this.contract.methods.has(e.attr)) {
        this.error('E0301', `'self.${e.attr}' is a method, not a value`, e.span, `call it: self.${e.attr}(...)`);
      } else {
        this.error('E0203', `contract '${this.contract.name}' has no storage field '${e.attr}'`, e.attrSpan, `declare '${e.attr}: type' in the contract class`);
      }
      return { reg: this.noneConst(e.span), type: ERROR };
    }
    const obj = this.lowerExpr(e.value);
    if (obj.type.k === 'error') return obj;
    if (obj.type.k === 'struct') {
      const idx = obj.type.def.fields.findIndex((f) => f.name === e.attr);
      if (idx < 0) {
        this.error('E0203', `${obj.type.def.name} has no field '${e.attr}'`, e.attrSpan,
          obj.type.def.fields.length ? `its fields: ${obj.type.def.fields.map((f) => f.name).join(', ')}` : undefined);
        return { reg: this.noneConst(e.span), type: ERROR };
      }
      const t = obj.type.def.fields[idx]!.type;
      const r = this.newReg(t);
      this.emit({ op: 'getfield', dst: r, obj: obj.reg, index: idx, span: e.span });
      return { reg: r, type: t };
    }
    this.error('E0203', `${showType(obj.type)} has no attribute '${e.attr}'`, e.attrSpan,
      obj.type.k === 'optional' ? `check '${exprText(e.value)} is not None' first` : undefined);
    return { reg: this.noneConst(e.span), type: ERROR };
  }

  /** msg.sender, block.height, self.address ... */
  private contextValue(base: string, attr: string, span: Span): Val | null {
    const env = (kind: Parameters<typeof envOp>[0], type: Type): Val => {
      const r = this.newReg(type);
      this.emit(envOp(kind, r, span));
      return { reg: r, type };
    };
    if (base === 'msg' && !this.sig.ns.names.has('msg')) {
      if (attr === 'sender') return env('sender', ADDRESS);
      if (attr === 'value') {
        const k = this.sig.kind;
        if (k === 'public' || k === 'view' || (k === 'constructor' && !this.isPayableCtor())) {
          this.error('E0510', `msg.value is always 0 in ${k === 'constructor' ? 'a constructor' : 'a method'} without @payable`, span,
            k === 'constructor' ? 'add @payable to __init__ to accept coin at deploy' : 'add @payable to accept coin with the call');
        }
        return env('value', INT);
      }
      if (attr === 'origin') return env('origin', ADDRESS);
      this.error('E0203', `msg has no attribute '${attr}'`, span, 'msg has sender and value');
      return { reg: this.noneConst(span), type: ERROR };
    }
    if (base === 'block' && !this.sig.ns.names.has('block')) {
      if (attr === 'height') return env('height', INT);
      if (attr === 'timestamp') return env('timestamp', INT);
      this.error('E0203', `block has no attribute '${attr}'`, span, 'block has height and timestamp');
      return { reg: this.noneConst(span), type: ERROR };
    }
    if (base === 'self' && this.contract && this.sig.kind !== 'function' && !this.contract.fields.has(attr)) {
      if (attr === 'address') return env('self', ADDRESS);
      if (attr === 'balance') return env('selfBalance', INT);
    }
    return null;
  }

  private isPayableCtor(): boolean {
    return this.sig.node.decorators.some((d) => d.kind === 'Name' && d.id === 'payable');
  }

  private lowerSubscript(e: A.Subscript): Val {
    const st = this.tryStorage(e);
    if (st) return this.readPlace(st, e.span);
    const obj = this.lowerExpr(e.value);
    const t = obj.type;
    if (t.k === 'error') {
      if (e.index.kind !== 'Slice') this.lowerExpr(e.index);
      return obj;
    }
    if (e.index.kind === 'Slice' && t.k === 'tuple') return this.sliceTuple(obj, e.index, e.span);
    if (e.index.kind === 'Slice') {
      if (t.k !== 'list' && t.k !== 'str' && t.k !== 'bytes') {
        this.error('E0305', `${showType(t)} cannot be sliced`, e.span);
        return { reg: obj.reg, type: ERROR };
      }
      const part = (x: A.Expr | null): Reg => {
        if (!x) return this.noneConst(e.span);
        const v = this.lowerExpr(x, INT);
        this.checkAssignable(v.type, INT, x.span, 'slice index');
        return v.reg;
      };
      const lo = part(e.index.lower);
      const hi = part(e.index.upper);
      const step = part(e.index.step);
      const r = this.newReg(t);
      this.emit({ op: 'slice', dst: r, obj: obj.reg, lo, hi, step, span: e.span });
      return { reg: r, type: t };
    }
    switch (t.k) {
      case 'list': case 'str': case 'bytes': {
        const idx = this.lowerExpr(e.index, INT);
        this.checkAssignable(idx.type, INT, e.index.span, 'index');
        const rt = t.k === 'list' ? t.elem : t.k === 'str' ? STR : INT;
        const r = this.newReg(rt);
        this.emit({ op: 'getitem', dst: r, obj: obj.reg, index: idx.reg, span: e.span });
        return { reg: r, type: rt };
      }
      case 'dict': {
        const key = this.lowerExpr(e.index, t.key);
        this.checkAssignable(key.type, t.key, e.index.span, 'dict key');
        const r = this.newReg(t.value);
        this.emit({ op: 'getitem', dst: r, obj: obj.reg, index: key.reg, span: e.span });
        return { reg: r, type: t.value };
      }
      case 'tuple': {
        const ci = constInt(e.index);
        if (ci === null) {
          const first = t.elems[0];
          if (first && t.elems.every((x) => sameType(x, first))) {
            const idx = this.lowerExpr(e.index, INT);
            this.checkAssignable(idx.type, INT, e.index.span, 'index');
            const r = this.newReg(first);
            this.emit({ op: 'getitem', dst: r, obj: obj.reg, index: idx.reg, span: e.span });
            return { reg: r, type: first };
          }
          this.error('E0305', 'a tuple with elements of different types needs a constant index', e.index.span);
          return { reg: obj.reg, type: ERROR };
        }
        const n = BigInt(t.elems.length);
        const i = ci < 0n ? ci + n : ci;
        if (i < 0n || i >= n) {
          this.error('E0305', `tuple index ${ci} is out of range for ${showType(t)}`, e.index.span);
          return { reg: obj.reg, type: ERROR };
        }
        const et = t.elems[Number(i)]!;
        const r = this.newReg(et);
        this.emit({ op: 'getfield', dst: r, obj: obj.reg, index: Number(i), span: e.span });
        return { reg: r, type: et };
      }
      default:
        this.error('E0305', `${showType(t)} is not indexable`, e.span,
          t.k === 'optional' ? `check '${exprText(e.value)} is not None' first` : undefined);
        return { reg: obj.reg, type: ERROR };
    }
  }

  /** t[a:b:c] of a tuple: the bounds must be constants so that the result's type is known. */
  private sliceTuple(obj: Val, sl: A.Slice, span: Span): Val {
    const elems = (obj.type as { elems: Type[] }).elems;
    const bound = (x: A.Expr | null): bigint | null | 'bad' => (x === null ? null : constInt(x) ?? 'bad');
    const lo = bound(sl.lower);
    const hi = bound(sl.upper);
    const st = bound(sl.step);
    if (lo === 'bad' || hi === 'bad' || st === 'bad' || st === 0n) {
      this.error('E0305', 'a tuple can only be sliced with constant bounds', sl.span, 'convert it to a list first: list(t)[a:b]');
      return { reg: obj.reg, type: ERROR };
    }
    const idx = pySliceIndices(elems.length, lo, hi, st);
    const t = tupleOf(idx.map((i) => elems[i]!));
    const reg = (x: bigint | null): Reg => (x === null ? this.noneConst(span) : this.intConst(x, span));
    const r = this.newReg(t);
    this.emit({ op: 'slice', dst: r, obj: obj.reg, lo: reg(lo), hi: reg(hi), step: reg(st), span });
    return { reg: r, type: t };
  }

  private lowerList(e: A.ListExpr, expected?: Type): Val {
    if (expected?.k === 'error' && e.elts.length === 0) return { reg: this.noneConst(e.span), type: ERROR };
    const expElem = expected?.k === 'list' ? expected.elem : undefined;
    if (e.elts.length === 0) {
      if (!expElem) {
        this.error('E0308', 'cannot infer the element type of an empty list', e.span, "annotate the variable: 'xs: list[int] = []'");
        return { reg: this.noneConst(e.span), type: ERROR };
      }
      const t = listOf(expElem);
      const r = this.newReg(t);
      this.emit({ op: 'newlist', dst: r, items: [], span: e.span });
      return { reg: r, type: t };
    }
    const vals: Val[] = [];
    let elem: Type | undefined = expElem;
    for (const x of e.elts) {
      const v = this.lowerExpr(x, elem);
      if (elem === undefined) elem = v.type;
      else if (!assignable(v.type, elem)) {
        if (elem.k === 'none' || (v.type.k !== 'none' && assignable(elem, optionalOf(v.type)) && v.type.k !== 'error')) {
          // [None, 1] → list[Optional[int]]
          elem = optionalOf(elem.k === 'none' ? v.type : elem);
        } else if (v.type.k === 'none' && elem.k !== 'error') {
          elem = optionalOf(elem);
        } else {
          this.error('E0301', `list elements must have one type: ${showType(elem)} and ${showType(v.type)}`, x.span);
        }
      }
      vals.push(v);
    }
    const t = listOf(elem!);
    const r = this.newReg(t);
    this.emit({ op: 'newlist', dst: r, items: vals.map((v) => v.reg), span: e.span });
    return { reg: r, type: t };
  }

  private lowerDict(e: A.DictExpr, expected?: Type): Val {
    if (expected?.k === 'error' && e.keys.length === 0) return { reg: this.noneConst(e.span), type: ERROR };
    let kt: Type | undefined = expected?.k === 'dict' ? expected.key : undefined;
    let vt: Type | undefined = expected?.k === 'dict' ? expected.value : undefined;
    if (e.keys.length === 0 && (!kt || !vt)) {
      this.error('E0308', 'cannot infer the types of an empty dict', e.span, "annotate the variable: 'd: dict[str, int] = {}'");
      return { reg: this.noneConst(e.span), type: ERROR };
    }
    const items: Reg[] = [];
    for (let i = 0; i < e.keys.length; i++) {
      const keyE = e.keys[i]!;
      const k = this.lowerExpr(keyE, kt);
      const v = this.lowerExpr(e.values[i]!, vt);
      if (kt === undefined) kt = k.type;
      else this.checkAssignable(k.type, kt, keyE.span, 'dict key');
      if (vt === undefined) vt = v.type;
      else this.checkAssignable(v.type, vt, e.values[i]!.span, 'dict value');
      items.push(k.reg, v.reg);
    }
    if (!isHashable(kt!)) this.error('E0301', `${showType(kt!)} cannot be a dict key`, e.span, 'keys are int, bool, str, bytes, Address or tuples of those');
    const t = dictOf(kt!, vt!);
    const r = this.newReg(t);
    this.emit({ op: 'newdict', dst: r, items, span: e.span });
    return { reg: r, type: t };
  }

  /** Runs `inner` inside the comprehension's loops; comprehension variables are scoped. */
  private comprehension(gens: A.Comprehension[], span: Span, inner: () => void): void {
    const saved = new Map<string, LocalVar | undefined>();
    const savedAssigned = this.assigned;
    const bindNames = (t: A.Expr): void => {
      if (t.kind === 'Name') {
        if (!saved.has(t.id)) saved.set(t.id, this.vars.get(t.id));
        this.vars.delete(t.id);
      } else if (t.kind === 'Tuple' || t.kind === 'List') t.elts.forEach(bindNames);
    };
    const level = (i: number): void => {
      if (i === gens.length) return inner();
      const g = gens[i]!;
      // the iterable is evaluated before the target names are rebound
      const run = () => {
        for (const cond of g.ifs) {
          const yes = this.newBlock();
          const no = this.newBlock();
          const c = this.condition(cond);
          this.terminate({ op: 'br', cond: c, then: yes.id, else: no.id, span: cond.span });
          this.enter(no);
          this.terminate({ op: 'jmp', target: this.loops[this.loops.length - 1]!.cont, span: cond.span });
          this.enter(yes);
        }
        level(i + 1);
      };
      this.forLoop(g.target, g.iter, g.span ?? span, run, () => bindNames(g.target));
    };
    level(0);
    for (const [name, v] of saved) {
      if (v) this.vars.set(name, v);
      else this.vars.delete(name);
    }
    this.assigned = savedAssigned;
  }

  lowerListComp(elt: A.Expr, gens: A.Comprehension[], span: Span, expected?: Type): Val {
    const expElem = expected?.k === 'list' ? expected.elem : undefined;
    // the element type is known only once the element is lowered inside the loop
    const result = this.newReg(ERROR);
    this.emit({ op: 'newlist', dst: result, items: [], span });
    let elemType: Type = expElem ?? ERROR;
    this.comprehension(gens, span, () => {
      const v = this.lowerExpr(elt, expElem);
      if (!expElem) elemType = v.type;
      else this.checkAssignable(v.type, expElem, elt.span, 'list element');
      this.emit({ op: 'append', list: result, value: v.reg, span: elt.span });
    });
    const t = listOf(elemType);
    this.regTypes[result] = t;
    this.regs[result]!.type = typeDesc(t);
    return { reg: result, type: t };
  }

  private lowerDictComp(e: A.DictComp, expected?: Type): Val {
    const ek = expected?.k === 'dict' ? expected.key : undefined;
    const ev = expected?.k === 'dict' ? expected.value : undefined;
    const result = this.newReg(ERROR);
    this.emit({ op: 'newdict', dst: result, items: [], span: e.span });
    let kt: Type = ek ?? ERROR;
    let vt: Type = ev ?? ERROR;
    this.comprehension(e.generators, e.span, () => {
      const k = this.lowerExpr(e.key, ek);
      const v = this.lowerExpr(e.value, ev);
      if (!ek) kt = k.type;
      if (!ev) vt = v.type;
      this.emit({ op: 'setitem', obj: result, index: k.reg, value: v.reg, span: e.span });
    });
    if (!isHashable(kt)) this.error('E0301', `${showType(kt)} cannot be a dict key`, e.key.span);
    const t = dictOf(kt, vt);
    this.regTypes[result] = t;
    this.regs[result]!.type = typeDesc(t);
    return { reg: result, type: t };
  }

  private lowerIfExp(e: A.IfExp, expected?: Type): Val {
    const thenB = this.newBlock();
    const elseB = this.newBlock();
    const join = this.newBlock();
    const { thenNarrow, elseNarrow } = this.branch(e.test, thenB, elseB);
    const before = this.assigned;
    this.enter(thenB);
    const a = this.withNarrow(thenNarrow, () => this.lowerExpr(e.body, expected));
    let type = a.type;
    const result = this.newReg(ERROR);
    this.emit({ op: 'mov', dst: result, src: a.reg, span: e.body.span });
    this.jumpTo(join, e.span);
    this.enter(elseB);
    const b = this.withNarrow(elseNarrow, () => this.lowerExpr(e.orelse, expected ?? (a.type.k !== 'none' ? a.type : undefined)));
    if (!sameType(a.type, b.type)) {
      if (a.type.k === 'none' && b.type.k !== 'error') type = optionalOf(b.type);
      else if (b.type.k === 'none' && a.type.k !== 'error') type = optionalOf(a.type);
      else if (assignable(a.type, b.type)) type = b.type;
      else if (assignable(b.type, a.type)) type = a.type;
      else this.error('E0301', `both branches of the conditional expression must have one type: ${showType(a.type)} and ${showType(b.type)}`, e.span);
    }
    this.emit({ op: 'mov', dst: result, src: b.reg, span: e.orelse.span });
    this.jumpTo(join, e.span);
    this.enter(join);
    this.assigned = before;
    this.regTypes[result] = type;
    this.regs[result]!.type = typeDesc(type);
    return { reg: result, type };
  }

  private lowerFString(e: A.FString): Val {
    let acc: Reg | null = null;
    for (const part of e.parts) {
      let r: Reg;
      if (part.kind === 'Str') {
        if (part.value === '') continue;
        r = this.strConst(part.value, part.span);
      } else {
        const v = this.lowerExpr(part.value);
        if (part.conversion === 'r' || part.conversion === 'a') {
          r = this.newReg(STR);
          this.emit({ op: 'repr', dst: r, src: v.reg, type: typeDesc(v.type), span: part.span });
          if (part.formatSpec) {
            const f = this.newReg(STR);
            this.emit({ op: 'format', dst: f, src: r, type: 'str', spec: part.formatSpec, span: part.span });
            r = f;
          }
        } else if (part.formatSpec) {
          r = this.newReg(STR);
          this.emit({ op: 'format', dst: r, src: v.reg, type: typeDesc(v.type), spec: part.formatSpec, span: part.span });
        } else r = this.toStr(v, part.span);
      }
      acc = acc === null ? r : this.bin('concat', acc, r, STR, e.span);
    }
    return { reg: acc ?? this.strConst('', e.span), type: STR };
  }

  /** str(v) */
  toStr(v: Val, span: Span): Reg {
    if (v.type.k === 'str') return v.reg;
    const r = this.newReg(STR);
    this.emit({ op: 'str', dst: r, src: v.reg, type: typeDesc(v.type), span });
    return r;
  }

  /** Checks storage/field validity of a struct type used as a value. */
  checkValueType(t: Type, span: Span): void {
    if (containsMap(t)) this.error('E0506', 'a Map can only be a storage field', span);
  }
}

/** The indices a Python slice [lo:hi:step] selects from a sequence of length n. */
export function pySliceIndices(n: number, lo: bigint | null, hi: bigint | null, step: bigint | null): number[] {
  const st = Number(step ?? 1n);
  const clamp = (v: bigint | null, dflt: number, low: number, high: number): number => {
    if (v === null) return dflt;
    let x = Number(v);
    if (x < 0) x += n;
    return Math.min(Math.max(x, low), high);
  };
  const out: number[] = [];
  if (st > 0) {
    const a = clamp(lo, 0, 0, n);
    const b = clamp(hi, n, 0, n);
    for (let i = a; i < b; i += st) out.push(i);
  } else {
    const a = clamp(lo, n - 1, -1, n - 1);
    const b = clamp(hi, -1, -1, n - 1);
    for (let i = a; i > b; i += st) out.push(i);
  }
  return out;
}

function mergeAssigned(a: Set<string> | null, b: Set<string> | null): Set<string> | null {
  if (a === null) return b;
  if (b === null) return a;
  return new Set([...a].filter((x) => b.has(x)));
}

export function envOp(kind: 'sender' | 'value' | 'height' | 'timestamp' | 'self' | 'selfBalance' | 'origin', dst: Reg, span: Span): IRInstr {
  return { op: 'env', kind, dst, span };
}

/** The value of an integer literal (with unary minus), or null. */
export function constInt(e: A.Expr): bigint | null {
  if (e.kind === 'Int') return e.value;
  if (e.kind === 'UnaryOp' && e.op === '-' && e.operand.kind === 'Int') return -e.operand.value;
  return null;
}

/** Short source-like text of an expression, for hints. */
export function exprText(e: A.Expr): string {
  switch (e.kind) {
    case 'Name': return e.id;
    case 'Int': return e.value.toString();
    case 'Attribute': return `${exprText(e.value)}.${e.attr}`;
    case 'Subscript': return `${exprText(e.value)}[${exprText(e.index)}]`;
    case 'Call': return `${exprText(e.func)}(...)`;
    case 'Str': return JSON.stringify(e.value);
    case 'BinOp': return `${exprText(e.left)} ${e.op} ${exprText(e.right)}`;
    default: return '...';
  }
}

