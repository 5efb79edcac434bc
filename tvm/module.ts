// The in-memory form of a TVM module: what the compiler's code generator builds and hands to
// `encodeModule` (tvm/format.ts), and what `decodeModule` returns after validating a file.

/** Constants of the pool. Ints are kept as bigint here; the VM converts small ones to numbers. */
export type Constant =
  | { kind: 'int'; value: bigint }
  | { kind: 'str'; value: string }
  | { kind: 'bytes'; value: Uint8Array }
  | { kind: 'address'; value: string }; // "zv" + 64 lowercase hex digits

/** One instruction: the opcode name and its operands as numbers, in OPS order.
 *  A variadic 'N' operand is given as an array of registers. */
export type Instr = [op: string, ...operands: (number | number[])[]];

export interface FunctionDef {
  name: string;
  nparams: number;
  nregs: number;
  code: Instr[];
}

export interface SlotDef {
  /** Storage field name (for tools) and its id: the storage key starts with the id. */
  name: string;
  id: number;
  keyTypes: number[]; // type-table indices; empty for a plain field
  valueType: number;
}

export interface EventDef {
  name: string;
  fields: { name: string; type: number }[];
}

/** A method of another contract called through an interface. */
export interface ExternalDef {
  method: string;
  argTypes: number[];
  retType: number;
}

export interface AbiParam {
  name: string;
  /** A type descriptor string (see tvm/types.ts), e.g. "int", "list[Address]". */
  type: string;
}

export interface AbiMethod {
  name: string;
  /** Index into functions. */
  fn: number;
  params: AbiParam[];
  returns: string;
  view: boolean;
  payable: boolean;
}

export interface Abi {
  /** The contract's class name, or null for a module with functions only. */
  contract: string | null;
  /** The constructor (a method named "__init__"), if the contract has one. */
  constructor: AbiMethod | null;
  /** Public, view and payable methods of the contract. */
  methods: AbiMethod[];
  /** Module-level functions (callable by `zv run FILE FUNCTION`; not part of a deployed contract's interface). */
  functions: AbiMethod[];
  events: { name: string; fields: AbiParam[] }[];
}

/** Debug info: source positions for instructions. Optional in a file. */
export interface DebugInfo {
  files: string[];
  /** Per function: entries [instrIndex, fileIndex, line, col], sorted by instrIndex. */
  lines: [number, number, number, number][][];
}

export interface ModuleDef {
  /** Type descriptors (tvm/types.ts syntax), referenced by index. */
  types: string[];
  constants: Constant[];
  functions: FunctionDef[];
  slots: SlotDef[];
  events: EventDef[];
  externals: ExternalDef[];
  abi: Abi;
  debug: DebugInfo | null;
}
