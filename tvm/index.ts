// The public API of the TVM. Everything other parts of the toolchain use comes from here.

export { runFunction, deploy, callMethod, cachedLoad, MAX_CONTRACT_DEPTH } from './vm.ts';
export type { Value, ExecOk, ExecRevert, ExecResult, CallOptions } from './vm.ts';
export { MemoryHost, DEFAULT_BLOCK } from './memory-host.ts';
export type { Host, BlockContext, EmittedEvent, LogLine, Address } from './host.ts';
export type * from './module.ts';

export { parseType, typeToString, defaultValue, isHashable, structShortName, ZERO_ADDRESS } from './types.ts';
export type { TypeDesc } from './types.ts';
export {
  encodeValue,
  decodeValue,
  valueEquals,
  compareValues,
  pyRepr,
  pyStr,
  pyFormat,
  valueFromJSON,
  valueToJSON,
  parseCliArg,
  importValue,
  checkValue,
  isAddress,
  isInt,
  PyDict,
  INT_MIN,
  INT_MAX,
} from './values.ts';
export { encodeModule, decodeModule, validateModule, LIMITS, FORMAT_VERSION } from './format.ts';
export { loadModule, prepareModule, LoadedModule } from './loader.ts';
export type { PreparedFunction } from './loader.ts';
export { TvmFormatError, TvmDecodeError, TvmTypeError, TvmValueError } from './errors.ts';
export { GAS, DEFAULT_GAS_LIMIT } from './gas.ts';
export { OPS, Op, BUILTINS, BuiltinId, ENV } from './opcodes.ts';
export type { OpName, BuiltinName, OperandKind, OpInfo } from './opcodes.ts';
export { MAX_FRAMES } from './interpreter.ts';
export { setEngine, getEngine } from './jit.ts';
export type { Engine } from './jit.ts';
