// The compiler's intermediate representation (documented in docs/ir.md).
//
// A control-flow graph of basic blocks per function, over typed virtual registers. Not SSA:
// a local variable is one register, assigned wherever the source assigns it; temporaries get
// fresh registers. Every instruction says exactly what it touches: storage reads and writes
// name the field and carry the key registers, calls name their callee, reverts carry their
// reason and kind. Types are TVM type descriptors (tvm/types.ts), e.g. "int", "list[str]",
// "dict[Address,int]", "Point{x:int,y:int}". The verifier consumes this; the code generator
// lowers it almost one-to-one to TVM instructions.

import type { Span } from './diagnostics.ts';
import type { Constant } from '../tvm/module.ts';
import type { BuiltinName } from '../tvm/opcodes.ts';

export type Reg = number;

export type IRConst = Constant | { kind: 'bool'; value: boolean } | { kind: 'none' };

export type BinKind =
  | 'add' | 'sub' | 'mul' | 'floordiv' | 'mod' | 'pow' | 'shl' | 'shr' | 'band' | 'bor' | 'bxor'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'concat' | 'repeat' | 'contains';
export type UnKind = 'neg' | 'invert' | 'not' | 'truthy' | 'isnone' | 'len';

/** Context values, as TVM ENV numbers. */
export type EnvKind = 'sender' | 'value' | 'height' | 'timestamp' | 'self' | 'selfBalance' | 'origin' | 'gasLeft';

export type IRInstr = (
  | { op: 'const'; dst: Reg; value: IRConst }
  | { op: 'default'; dst: Reg; type: string }
  | { op: 'mov'; dst: Reg; src: Reg }
  | { op: 'bin'; kind: BinKind; dst: Reg; a: Reg; b: Reg }
  | { op: 'un'; kind: UnKind; dst: Reg; a: Reg }
  | { op: 'getitem'; dst: Reg; obj: Reg; index: Reg }
  | { op: 'setitem'; obj: Reg; index: Reg; value: Reg }
  | { op: 'delitem'; obj: Reg; index: Reg }
  | { op: 'slice'; dst: Reg; obj: Reg; lo: Reg; hi: Reg; step: Reg }
  | { op: 'newlist'; dst: Reg; items: Reg[] }
  | { op: 'newtuple'; dst: Reg; items: Reg[] }
  | { op: 'newdict'; dst: Reg; items: Reg[] } // key, value, key, value...
  | { op: 'getfield'; dst: Reg; obj: Reg; index: number }
  | { op: 'setfield'; obj: Reg; index: number; value: Reg }
  | { op: 'append'; list: Reg; value: Reg }
  | { op: 'copy'; dst: Reg; src: Reg; type: string }
  | { op: 'str'; dst: Reg; src: Reg; type: string }
  | { op: 'repr'; dst: Reg; src: Reg; type: string }
  | { op: 'format'; dst: Reg; src: Reg; type: string; spec: string }
  | { op: 'builtin'; dst: Reg; name: BuiltinName; args: Reg[] }
  | { op: 'call'; dst: Reg; fn: string; args: Reg[] }
  | { op: 'sload'; dst: Reg; field: string; keys: Reg[] }
  | { op: 'sstore'; field: string; keys: Reg[]; value: Reg }
  | { op: 'shas'; dst: Reg; field: string; keys: Reg[] }
  | { op: 'sdel'; field: string; keys: Reg[] }
  | { op: 'env'; dst: Reg; kind: EnvKind }
  | { op: 'balance'; dst: Reg; addr: Reg }
  | { op: 'transfer'; to: Reg; amount: Reg }
  | { op: 'emit'; event: string; args: Reg[] }
  | { op: 'log'; msg: Reg }
  | { op: 'xcall'; dst: Reg; iface: string; method: string; addr: Reg; value: Reg; args: Reg[] }
) & { span: Span };

export type IRTerm = (
  | { op: 'jmp'; target: number }
  | { op: 'br'; cond: Reg; then: number; else: number }
  | { op: 'ret'; value: Reg | null }
  /** kind: 'require' (require(c, msg) failed), 'assert', 'revert' (explicit revert()),
   *  'checked' (an implicit check the compiler inserted). */
  | { op: 'revert'; reason: Reg; kind: 'require' | 'assert' | 'revert' | 'checked' }
) & { span: Span };

export interface IRBlock {
  id: number;
  instrs: IRInstr[];
  term: IRTerm;
}

export type FnKind = 'constructor' | 'public' | 'view' | 'payable' | 'private' | 'function';

export interface IRFunction {
  /** Unique in the module: "Token.transfer", "Token.__init__", "helper", "stdlib.math.mul_div". */
  name: string;
  /** The name callers use in the ABI (method or function name). */
  abiName: string;
  kind: FnKind;
  /** Parameter registers are 0..params.length-1. */
  params: { name: string; type: string }[];
  returnType: string;
  /** Type of every register (index = register); name for registers that hold source variables. */
  regs: { type: string; name: string | null }[];
  /** blocks[0] is the entry. Block ids are their indices. */
  blocks: IRBlock[];
  span: Span;
}

export interface IRStorageField {
  name: string;
  id: number;
  /** Key types of a Map (outermost first); empty for a plain field. */
  keyTypes: string[];
  valueType: string;
  span: Span;
}

export interface IREvent {
  name: string;
  fields: { name: string; type: string }[];
}

export interface IRExternal {
  iface: string;
  method: string;
  argTypes: string[];
  retType: string;
  view: boolean;
}

export interface IRModule {
  /** The contract class, or null for a module with functions only. */
  contract: string | null;
  functions: IRFunction[];
  storage: IRStorageField[];
  events: IREvent[];
  externals: IRExternal[];
  /** Source files by path (the main file first), for source maps. */
  files: string[];
}
