// A tiny assembler for hand-written modules (tests, benchmarks, tools). Types and constants are
// interned by value; jump targets may be label names ("loop") with labels written as "loop:"
// lines in the code; CALL's function operand may be a function name.
//
//   const a = new Asm();
//   a.fn('count', [['n', 'int']], 'int', 3, [
//     ['LOADI', 1, 0],
//     'loop:',
//     ['ADD', 1, 1, 2], ...
//   ]);
//   const def = a.build();

import type { AbiMethod, Constant, FunctionDef, Instr, ModuleDef } from './module.ts';
import { Op, OPS, type OperandKind } from './opcodes.ts';

export type AsmOperand = number | number[] | string;
export type AsmInstr = [string, ...AsmOperand[]];
export type AsmLine = AsmInstr | `${string}:`;
export type FnKind = 'function' | 'public' | 'view' | 'payable' | 'constructor' | 'private';

interface PendingFn {
  name: string;
  params: [string, string][];
  returns: string;
  nregs: number;
  lines: AsmLine[];
  kind: FnKind;
}

export class Asm {
  readonly types: string[] = [];
  readonly constants: Constant[] = [];
  readonly slots: ModuleDef['slots'] = [];
  readonly events: ModuleDef['events'] = [];
  readonly externals: ModuleDef['externals'] = [];
  private readonly fns: PendingFn[] = [];
  contract: string | null = null;

  constructor(contract: string | null = null) {
    this.contract = contract;
  }

  type(t: string): number {
    const i = this.types.indexOf(t);
    return i >= 0 ? i : this.types.push(t) - 1;
  }

  private constant(c: Constant): number {
    const i = this.constants.findIndex((x) => x.kind === c.kind && sameValue(x.value, c.value));
    return i >= 0 ? i : this.constants.push(c) - 1;
  }

  int(v: bigint | number): number {
    return this.constant({ kind: 'int', value: BigInt(v) });
  }

  str(v: string): number {
    return this.constant({ kind: 'str', value: v });
  }

  bytes(v: Uint8Array): number {
    return this.constant({ kind: 'bytes', value: v });
  }

  address(v: string): number {
    return this.constant({ kind: 'address', value: v });
  }

  slot(name: string, keyTypes: string[], valueType: string, id = this.slots.length): number {
    return this.slots.push({ name, id, keyTypes: keyTypes.map((t) => this.type(t)), valueType: this.type(valueType) }) - 1;
  }

  event(name: string, fields: [string, string][]): number {
    return this.events.push({ name, fields: fields.map(([n, t]) => ({ name: n, type: this.type(t) })) }) - 1;
  }

  external(method: string, argTypes: string[], retType: string): number {
    return this.externals.push({ method, argTypes: argTypes.map((t) => this.type(t)), retType: this.type(retType) }) - 1;
  }

  /** Adds a function; returns its index. Code may use labels and function names (see above). */
  fn(name: string, params: [string, string][], returns: string, nregs: number, lines: AsmLine[], kind: FnKind = 'function'): number {
    return this.fns.push({ name, params, returns, nregs, lines, kind }) - 1;
  }

  build(): ModuleDef {
    const functions: FunctionDef[] = this.fns.map((f) => ({
      name: f.name,
      nparams: f.params.length,
      nregs: f.nregs,
      code: assemble(f.lines, (n) => {
        const i = this.fns.findIndex((g) => g.name === n);
        if (i < 0) throw new Error(`asm: unknown function ${n}`);
        return i;
      }),
    }));
    const abiOf = (f: PendingFn, i: number): AbiMethod => ({
      name: f.kind === 'constructor' ? '__init__' : f.name,
      fn: i,
      params: f.params.map(([n, t]) => ({ name: n, type: t })),
      returns: f.returns,
      view: f.kind === 'view',
      payable: f.kind === 'payable',
    });
    const pick = (kinds: FnKind[]) => this.fns.map((f, i) => [f, i] as const).filter(([f]) => kinds.includes(f.kind)).map(([f, i]) => abiOf(f, i));
    const ctor = pick(['constructor'])[0] ?? null;
    return {
      types: this.types,
      constants: this.constants,
      functions,
      slots: this.slots,
      events: this.events,
      externals: this.externals,
      abi: {
        contract: this.contract,
        constructor: ctor,
        methods: pick(['public', 'view', 'payable']),
        functions: pick(['function']),
        events: this.events.map((e) => ({ name: e.name, fields: e.fields.map((f) => ({ name: f.name, type: this.types[f.type] })) })),
      },
      debug: null,
    };
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** Resolves labels and function names of assembly lines into instructions. */
export function assemble(lines: AsmLine[], fnIndex: (name: string) => number = () => -1): Instr[] {
  const labels = new Map<string, number>();
  let n = 0;
  for (const l of lines) {
    if (typeof l === 'string') labels.set(l.slice(0, -1), n);
    else n++;
  }
  const out: Instr[] = [];
  for (const l of lines) {
    if (typeof l === 'string') continue;
    const [op, ...operands] = l;
    const kinds = (OPS[Op[op as keyof typeof Op]]?.operands ?? []) as readonly OperandKind[];
    out.push([
      op,
      ...operands.map((v, j) => {
        if (typeof v !== 'string') return v;
        if (kinds[j] === 'F') return fnIndex(v);
        const t = labels.get(v);
        if (t === undefined) throw new Error(`asm: unknown label ${v}`);
        return t;
      }),
    ]);
  }
  return out;
}
