// Module-level symbols: what a name at the top of a file can refer to.

import type { ClassDef, FunctionDef } from './ast.ts';
import type { Span } from './diagnostics.ts';
import type { FnKind } from './ir.ts';
import type { InterfaceDef, StructDef, Type } from './types.ts';

export interface FuncSig {
  name: string;
  /** Unique name in the IR module. */
  irName: string;
  kind: FnKind;
  params: { name: string; type: Type; span: Span }[];
  ret: Type;
  node: FunctionDef;
  /** The namespace its body resolves names in (the file it was written in). */
  ns: Namespace;
  /** The contract it belongs to (the compiled contract, also for inherited methods). */
  owner: ContractInfo | null;
}

export interface StorageField {
  name: string;
  type: Type;
  id: number;
  span: Span;
}

export interface ContractInfo {
  name: string;
  node: ClassDef;
  ns: Namespace;
  base: ContractInfo | null;
  /** Own and inherited fields, base first. */
  fields: Map<string, StorageField>;
  /** Own and inherited methods (an override replaces the base's). */
  methods: Map<string, FuncSig>;
}

export type LibName =
  | 'Contract' | 'Map' | 'Address' | 'Struct' | 'Event' | 'Interface'
  | 'public' | 'view' | 'payable' | 'msg' | 'block' | 'require' | 'revert' | 'emit'
  | 'transfer' | 'balance' | 'sha256' | 'keccak256' | 'Optional';

export const LIB_NAMES: ReadonlySet<string> = new Set<LibName>([
  'Contract', 'Map', 'Address', 'Struct', 'Event', 'Interface', 'public', 'view', 'payable',
  'msg', 'block', 'require', 'revert', 'emit', 'transfer', 'balance', 'sha256', 'keccak256',
]);

export type Sym =
  | { s: 'func'; sig: FuncSig }
  | { s: 'struct'; def: StructDef }
  | { s: 'event'; def: StructDef }
  | { s: 'iface'; def: InterfaceDef }
  | { s: 'contract'; info: ContractInfo }
  | { s: 'lib'; name: string }
  /** A stdlib module imported as a whole is not supported; kept for messages. */
  | { s: 'type'; type: Type };

export interface Namespace {
  file: string;
  /** Dotted module name ("main" for the compiled file, "stdlib.math" ...). */
  module: string;
  names: Map<string, Sym>;
}

/** Builtins that inspect or build code by name: rejected with E0413 (contracts are static). */
export const REFLECTION: ReadonlySet<string> = new Set([
  'eval', 'exec', 'getattr', 'setattr', 'hasattr', 'delattr', 'vars', 'globals', 'locals', 'type',
  'compile', '__import__', 'id', 'dir',
]);
