// A concise way to build IR by hand: for tests of the optimizer, the code generator and the
// verifier. Every instruction and terminator gets a distinct span (line = a counter), so
// tests can tell which IR instruction an emitted TVM instruction came from.

import type { Span } from './diagnostics.ts';
import type { BinKind, FnKind, IRBlock, IRConst, IRFunction, IRInstr, IRModule, IRTerm, Reg, UnKind } from './ir.ts';

type WithoutSpan<T> = T extends unknown ? Omit<T, 'span'> : never;
export type InstrNoSpan = WithoutSpan<IRInstr>;

export type ConstLike = IRConst | bigint | number | string | boolean | null;

export function toConst(v: ConstLike): IRConst {
  if (v === null) return { kind: 'none' };
  switch (typeof v) {
    case 'bigint':
      return { kind: 'int', value: v };
    case 'number':
      return { kind: 'int', value: BigInt(v) };
    case 'string':
      return { kind: 'str', value: v };
    case 'boolean':
      return { kind: 'bool', value: v };
    default:
      return v;
  }
}

const CONST_TYPES: Record<IRConst['kind'], string> = {
  int: 'int', bool: 'bool', str: 'str', bytes: 'bytes', address: 'Address', none: 'None',
};
const BOOL_BINS = new Set<BinKind>(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'contains']);

export class ModuleBuilder {
  readonly mod: IRModule;
  private line = 0;

  constructor(contract: string | null = null, readonly file = 'test.py') {
    this.mod = { contract, functions: [], storage: [], events: [], externals: [], files: [file] };
  }

  /** A fresh span on the next line of the (imaginary) source file. */
  span(): Span {
    const line = ++this.line;
    return { file: this.file, start: line * 100, end: line * 100 + 10, line, col: 5, endLine: line, endCol: 15 };
  }

  storage(name: string, valueType: string, keyTypes: string[] = []): this {
    this.mod.storage.push({ name, id: this.mod.storage.length, keyTypes, valueType, span: this.span() });
    return this;
  }

  event(name: string, fields: [string, string][]): this {
    this.mod.events.push({ name, fields: fields.map(([n, type]) => ({ name: n, type })) });
    return this;
  }

  fn(name: string, params: [string, string][], returnType: string, kind: FnKind = 'function'): FnBuilder {
    const f: IRFunction = {
      name,
      abiName: name.split('.').pop()!,
      kind,
      params: params.map(([n, type]) => ({ name: n, type })),
      returnType,
      regs: params.map(([n, type]) => ({ type, name: n })),
      blocks: [],
      span: this.span(),
    };
    this.mod.functions.push(f);
    return new FnBuilder(this, f);
  }

  build(): IRModule {
    return this.mod;
  }
}

export class FnBuilder {
  constructor(readonly mb: ModuleBuilder, readonly fn: IRFunction) {}

  /** Parameter i's register (parameters are registers 0..n-1). */
  param(i: number): Reg {
    return i;
  }

  reg(type: string, name: string | null = null): Reg {
    this.fn.regs.push({ type, name });
    return this.fn.regs.length - 1;
  }

  typeOf(r: Reg): string {
    return this.fn.regs[r]!.type;
  }

  /** A new block; it must be given a terminator before the module is used. */
  block(): BlockBuilder {
    const b: IRBlock = {
      id: this.fn.blocks.length,
      instrs: [],
      term: { op: 'revert', reason: -1, kind: 'checked', span: this.mb.span() },
    };
    this.fn.blocks.push(b);
    return new BlockBuilder(this, b);
  }
}

type Target = BlockBuilder | number;
const id = (t: Target): number => (typeof t === 'number' ? t : t.id);

export class BlockBuilder {
  constructor(readonly f: FnBuilder, readonly b: IRBlock) {}

  get id(): number {
    return this.b.id;
  }

  /** Appends any instruction (the span is added). */
  add(ins: InstrNoSpan): IRInstr {
    const full = { ...ins, span: this.f.mb.span() } as IRInstr;
    this.b.instrs.push(full);
    return full;
  }

  const(v: ConstLike, dst?: Reg): Reg {
    const value = toConst(v);
    const d = dst ?? this.f.reg(CONST_TYPES[value.kind]);
    this.add({ op: 'const', dst: d, value });
    return d;
  }

  bin(kind: BinKind, a: Reg, b: Reg, dst?: Reg): Reg {
    const d = dst ?? this.f.reg(BOOL_BINS.has(kind) ? 'bool' : this.f.typeOf(a));
    this.add({ op: 'bin', kind, dst: d, a, b });
    return d;
  }

  un(kind: UnKind, a: Reg, dst?: Reg): Reg {
    const type = kind === 'len' || kind === 'neg' || kind === 'invert' ? 'int' : 'bool';
    const d = dst ?? this.f.reg(type);
    this.add({ op: 'un', kind, dst: d, a });
    return d;
  }

  mov(dst: Reg, src: Reg): Reg {
    this.add({ op: 'mov', dst, src });
    return dst;
  }

  private term(t: WithoutSpan<IRTerm>): void {
    this.b.term = { ...t, span: this.f.mb.span() } as IRTerm;
  }

  jmp(target: Target): void {
    this.term({ op: 'jmp', target: id(target) });
  }

  br(cond: Reg, then: Target, els: Target): void {
    this.term({ op: 'br', cond, then: id(then), else: id(els) });
  }

  ret(value: Reg | null = null): void {
    this.term({ op: 'ret', value });
  }

  /** Reverts with a register, or with a str constant loaded first. */
  revert(reason: Reg | string, kind: 'require' | 'assert' | 'revert' | 'checked' = 'revert'): void {
    const r = typeof reason === 'string' ? this.const(reason) : reason;
    this.term({ op: 'revert', reason: r, kind });
  }
}
