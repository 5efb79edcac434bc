// The loader: validates a module and prepares it for the interpreter.
//
// Prepared code is one flat Int32Array per function: each instruction is its opcode followed by
// its operands (a variadic operand as a count then the registers), except control flow, which
// carries precomputed gas:
//   JMP  target, gas(target block)
//   JT/JF  cond, target, gas(target block), gas(fall-through block)
//   GAS  n      (pseudo-op OP_GAS, inserted by the loader, see below)
// Jump targets are offsets into the flat array.
//
// Gas is charged per basic block, once, on entry: a block's leader is instruction 0, a jump
// target, or the instruction after JMP/JT/JF/RET/RETNONE/REVERT; its gas is the sum of the base
// gas of its instructions. Entry edges pay it: the caller (CALL charges the callee's entry block
// together with its own base gas), JMP/JT/JF (from their immediate operands), and a plain
// fall-through into a jump target, for which the loader inserts a GAS pseudo-op in front of the
// leader (jumps land after it). Straight-line code thus costs no gas bookkeeping at all, and
// the only checks in the hot loop sit on the jumps. Static costs that depend only on operands
// are folded into the instruction's base gas here: CALLB adds its builtin's base gas, CALL adds
// the callee's frame cost. CALL charges the callee's entry block when it executes. A block is charged in full even if it reverts in the
// middle; that is deterministic, which is all gas needs to be.

import { BUILTINS, OPS, type OperandKind } from './opcodes.ts';
import type { AbiMethod, ModuleDef } from './module.ts';
import { decodeModule, validateModule } from './format.ts';
import { defaultSize, defaultValue, parseType, type TypeDesc } from './types.ts';
import { encodeValue, normBig } from './values.ts';
import { GAS } from './gas.ts';

/** The loader's gas pseudo-op (never in a module file). */
export const OP_GAS = 200;

export interface PreparedFunction {
  index: number;
  name: string;
  nparams: number;
  nregs: number;
  code: Int32Array;
  /** Gas of the entry block, charged by CALL (and by the VM for the outermost call). */
  entryGas: number;
  /** The frame's cost (per 8 registers): part of CALL's static gas, charged by the VM for the outermost call. */
  frameGas: number;
  /** Flat offset -> instruction index (for revert locations and source maps). */
  pcToInstr: Int32Array;
}

export interface PreparedSlot {
  name: string;
  id: number;
  keyTypes: TypeDesc[];
  valueType: TypeDesc;
  /** LEB128(id): the first bytes of every storage key of the slot. */
  prefix: Uint8Array;
  /** Canonical encoding of the value type's default (storing it deletes the entry). */
  defaultEncoding: Uint8Array;
}

export interface PreparedEvent {
  name: string;
  fields: { name: string; type: TypeDesc; typeText: string }[];
}

export interface PreparedExternal {
  method: string;
  argTypes: TypeDesc[];
  retType: TypeDesc;
}

export class LoadedModule {
  readonly def: ModuleDef;
  readonly types: TypeDesc[];
  /** Gas of LOADDEF per type index (number of values created). */
  readonly defaultCost: number[];
  readonly constants: unknown[];
  readonly functions: PreparedFunction[];
  readonly slots: PreparedSlot[];
  readonly events: PreparedEvent[];
  readonly externals: PreparedExternal[];
  /** Contract methods by name (public, view, payable). */
  readonly methods: Map<string, AbiMethod>;
  /** Module-level functions by name (ABI `functions`). */
  readonly moduleFunctions: Map<string, AbiMethod>;

  constructor(def: ModuleDef) {
    this.def = def;
    this.types = def.types.map((t) => parseType(t));
    this.defaultCost = this.types.map((t) => defaultSize(t) * GAS.element);
    this.constants = def.constants.map((c) => (c.kind === 'int' ? normBig(BigInt(c.value)) : c.value));
    this.slots = def.slots.map((s) => {
      const valueType = this.types[s.valueType];
      return {
        name: s.name,
        id: s.id,
        keyTypes: s.keyTypes.map((k) => this.types[k]),
        valueType,
        prefix: leb(s.id),
        defaultEncoding: encodeValue(valueType, defaultValue(valueType)),
      };
    });
    this.events = def.events.map((e) => ({
      name: e.name,
      fields: e.fields.map((f) => ({ name: f.name, type: this.types[f.type], typeText: def.types[f.type] })),
    }));
    this.externals = def.externals.map((x) => ({
      method: x.method,
      argTypes: x.argTypes.map((t) => this.types[t]),
      retType: this.types[x.retType],
    }));
    this.methods = new Map(def.abi.methods.map((m) => [m.name, m]));
    this.moduleFunctions = new Map(def.abi.functions.map((m) => [m.name, m]));
    this.functions = def.functions.map((_, i) => prepareFunction(def, i));
  }

  get abi() {
    return this.def.abi;
  }

  get debug() {
    return this.def.debug;
  }

  method(name: string): AbiMethod | undefined {
    return this.methods.get(name);
  }
}

/** Decodes, validates and prepares module bytes. Throws TvmFormatError. */
export function loadModule(bytes: Uint8Array): LoadedModule {
  return new LoadedModule(decodeModule(bytes));
}

/** Validates (same checks as decoding) and prepares an in-memory module. Throws TvmFormatError. */
export function prepareModule(def: ModuleDef): LoadedModule {
  validateModule(def);
  return new LoadedModule(def);
}

function leb(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Uint8Array.from(out);
}


/** CALL's frame cost: per 8 registers of the new frame. */
export function frameGas(nregs: number): number {
  return Math.ceil(nregs / GAS.frameRegs);
}

const BRANCHES = new Set(['JMP', 'JT', 'JF', 'RET', 'RETNONE', 'REVERT']);
const CONDITIONAL = new Set(['JT', 'JF']);

type Instr = ModuleDef['functions'][number]['code'][number];
const OP_INDEX: Map<string, number> = new Map(OPS.map((o, i) => [o.name, i]));

/** Static gas of one instruction: its base gas plus costs fixed by its operands. */
function staticGas(def: ModuleDef, ins: Instr): number {
  const name = ins[0];
  let g: number = OPS[OP_INDEX.get(name)!].gas;
  if (name === 'CALLB') g += BUILTINS[ins[2] as number].gas;
  if (name === 'CALL') g += frameGas(def.functions[ins[2] as number].nregs);
  return g;
}

/** Block leaders of a function's code. */
function leadersOf(code: Instr[]): boolean[] {
  const leader = new Array<boolean>(code.length + 1).fill(false);
  leader[0] = true;
  code.forEach((ins, i) => {
    if (BRANCHES.has(ins[0])) leader[i + 1] = true;
    if (ins[0] === 'JMP') leader[ins[1] as number] = true;
    if (CONDITIONAL.has(ins[0])) leader[ins[2] as number] = true;
  });
  return leader;
}

/** Gas per block, indexed by its leader (0 for non-leaders). */
function blockGasOf(def: ModuleDef, code: Instr[]): number[] {
  const leader = leadersOf(code);
  const gas = new Array<number>(code.length).fill(0);
  let start = 0;
  for (let i = 0; i < code.length; i++) {
    if (leader[i]) start = i;
    gas[start] += staticGas(def, code[i]);
  }
  return gas;
}

function prepareFunction(def: ModuleDef, index: number): PreparedFunction {
  const f = def.functions[index];
  const code = f.code;
  const leader = leadersOf(code);
  const blockGas = blockGasOf(def, code);
  const fallsInto = (i: number) => i > 0 && leader[i] && !BRANCHES.has(code[i - 1][0]);

  // First pass: flat offsets.
  const pos = new Array<number>(code.length);
  let n = 0;
  for (let i = 0; i < code.length; i++) {
    if (fallsInto(i)) n += 2;
    pos[i] = n;
    n += flatSize(code[i]);
  }
  const flat = new Int32Array(n);
  const pcToInstr = new Int32Array(n);
  let p = 0;
  for (let i = 0; i < code.length; i++) {
    const ins = code[i];
    const start = p;
    if (fallsInto(i)) {
      flat[p++] = OP_GAS;
      flat[p++] = blockGas[i];
    }
    const op = OP_INDEX.get(ins[0])!;
    flat[p++] = op;
    if (ins[0] === 'JMP') {
      const t = ins[1] as number;
      flat[p++] = pos[t];
      flat[p++] = blockGas[t];
    } else if (CONDITIONAL.has(ins[0])) {
      const t = ins[2] as number;
      flat[p++] = ins[1] as number;
      flat[p++] = pos[t];
      flat[p++] = blockGas[t];
      flat[p++] = blockGas[i + 1];
    } else {
      const kinds = OPS[op].operands as readonly OperandKind[];
      for (let j = 0; j < kinds.length; j++) {
        const v = ins[j + 1];
        if (kinds[j] === 'N') {
          const regs = v as number[];
          flat[p++] = regs.length;
          for (const r of regs) flat[p++] = r;
        } else flat[p++] = v as number;
      }
    }
    pcToInstr.fill(i, start, p);
  }
  return {
    index,
    name: f.name,
    nparams: f.nparams,
    nregs: f.nregs,
    code: flat,
    entryGas: blockGas[0],
    frameGas: frameGas(f.nregs),
    pcToInstr,
  };
}

function flatSize(ins: Instr): number {
  if (ins[0] === 'JMP') return 3;
  if (CONDITIONAL.has(ins[0])) return 5;
  let n = 1;
  for (let j = 1; j < ins.length; j++) {
    const v = ins[j];
    n += Array.isArray(v) ? 1 + v.length : 1;
  }
  return n;
}
