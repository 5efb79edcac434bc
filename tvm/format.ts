// The binary module format (byte layout in docs/tvm.md) and the validator shared by the
// decoder, the encoder and the loader.
//
//   magic "ZTVM" | version u8 = 1 | sections: id u8, LEB128 byte length, payload
//   1 types  2 constants  3 functions  4 slots  5 events  6 externals  7 abi (JSON)  8 debug (JSON, optional)
//
// Sections 1-7 are required, in that order; 8 may follow. Every count is checked against the
// bytes left before anything is allocated, so hostile input costs at most linear time and
// memory in its own size, which is itself capped (LIMITS.moduleBytes).

import { BUILTINS, OPS, type OperandKind } from './opcodes.ts';
import type { Abi, AbiMethod, Constant, DebugInfo, FunctionDef, Instr, ModuleDef } from './module.ts';
import { TvmFormatError, TvmTypeError } from './errors.ts';
import { parseType } from './types.ts';
import { ByteReader, ByteWriter, decodeFrom, INT_MAX, INT_MIN, isAddress, addressFromBytes, addressToBytes, encodeInto } from './values.ts';
import { isWellFormed, utf8Decode, utf8Encode } from './strings.ts';

export const FORMAT_VERSION = 1;
const MAGIC = [0x5a, 0x54, 0x56, 0x4d]; // "ZTVM"

/** Size limits a module must respect (checked by encode, decode and prepare alike). */
export const LIMITS = {
  moduleBytes: 1 << 20,
  registers: 65535,
  functions: 65535,
  instructionsPerFunction: 1 << 18,
  /** Registers in one variadic (N) operand. */
  variadic: 65535,
  constants: 65535,
  types: 65535,
  slots: 65535,
  events: 65535,
  externals: 65535,
  /** Names (functions, slots, events, fields, methods), in UTF-8 bytes. */
  nameBytes: 1024,
  /** Slot ids (the first bytes of every storage key). */
  slotId: 2 ** 31 - 1,
} as const;

export const SECTION = {
  types: 1,
  constants: 2,
  functions: 3,
  slots: 4,
  events: 5,
  externals: 6,
  abi: 7,
  debug: 8,
} as const;

const TERMINATORS = new Set(['JMP', 'RET', 'RETNONE', 'REVERT']);
const CONST_TAG = { int: 0, str: 1, bytes: 2, address: 3 } as const;
const OP_INDEX: Map<string, number> = new Map(OPS.map((o, i) => [o.name, i]));

function fail(msg: string): never {
  throw new TvmFormatError(msg);
}

// ---------------------------------------------------------------------------------------------
// validation of the in-memory form

/** Where an error is: maps (function, instruction) to a suffix such as " (byte 123)". */
type Locate = (fn: number, instr: number) => string;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isIndex = (x: unknown, n: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < n;
const isCount = (x: unknown, max: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;

/** Rejects keys beyond the expected shape (JSON sections must not smuggle in arbitrary data). */
function onlyKeys(o: Record<string, unknown>, keys: string[], what: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${what}: unexpected key ${JSON.stringify(k.slice(0, 40))}`);
}

function checkName(x: unknown, what: string): string {
  if (typeof x !== 'string') fail(`${what}: name must be a string`);
  // A UTF-16 unit never takes more than 3 UTF-8 bytes: short names need no encoding to measure.
  if (!isWellFormed(x) || (x.length * 3 > LIMITS.nameBytes && utf8Encode(x).length > LIMITS.nameBytes))
    fail(`${what}: name must be well-formed text of at most ${LIMITS.nameBytes} bytes`);
  return x;
}

function checkArray(x: unknown, max: number, what: string): unknown[] {
  if (!Array.isArray(x)) fail(`${what} must be an array`);
  if (x.length > max) fail(`${what}: ${x.length} entries exceed the limit of ${max}`);
  return x;
}

/** Type texts parseType accepted: modules repeat the same few types in every table, ABI
 *  entry and module. Bounded: cleared when full. */
const validTypeTexts = new Set<string>();
const VALID_TYPE_TEXTS_MAX = 4096;

function checkTypeText(s: unknown, what: string): void {
  if (typeof s !== 'string') fail(`${what}: type must be a string`);
  if (validTypeTexts.has(s)) return;
  try {
    parseType(s);
  } catch (e) {
    if (e instanceof TvmTypeError) fail(`${what}: ${e.message}`);
    throw e;
  }
  if (validTypeTexts.size >= VALID_TYPE_TEXTS_MAX) validTypeTexts.clear();
  validTypeTexts.add(s);
}

/**
 * Validates a ModuleDef completely: shapes, limits, every operand of every instruction, arities,
 * terminators, ABI and debug info. Throws TvmFormatError naming the first problem found.
 */
export function validateModule(def: ModuleDef, locate: Locate = () => ''): void {
  if (!isObj(def)) fail('module must be an object');
  const types = checkArray(def.types, LIMITS.types, 'types');
  types.forEach((t, i) => checkTypeText(t, `type ${i}`));
  const constants = checkArray(def.constants, LIMITS.constants, 'constants');
  constants.forEach((c, i) => checkConstant(c, i));
  const functions = checkArray(def.functions, LIMITS.functions, 'functions') as FunctionDef[];
  functions.forEach((f, i) => checkFunctionHeader(f, i));
  const slots = checkArray(def.slots, LIMITS.slots, 'slots');
  const slotIds = new Set<number>();
  slots.forEach((s, i) => {
    if (!isObj(s)) fail(`slot ${i} must be an object`);
    checkName(s.name, `slot ${i}`);
    if (!isCount(s.id, LIMITS.slotId)) fail(`slot ${i}: id must be an integer 0..${LIMITS.slotId}`);
    if (slotIds.has(s.id)) fail(`slot ${i}: duplicate slot id ${s.id}`);
    slotIds.add(s.id);
    checkArray(s.keyTypes, 16, `slot ${i} key types`).forEach((k) => {
      if (!isIndex(k, types.length)) fail(`slot ${i}: key type index ${String(k)} out of range`);
    });
    if (!isIndex(s.valueType, types.length)) fail(`slot ${i}: value type index ${String(s.valueType)} out of range`);
  });
  const events = checkArray(def.events, LIMITS.events, 'events');
  events.forEach((e, i) => {
    if (!isObj(e)) fail(`event ${i} must be an object`);
    checkName(e.name, `event ${i}`);
    checkArray(e.fields, 255, `event ${i} fields`).forEach((f, j) => {
      if (!isObj(f)) fail(`event ${i} field ${j} must be an object`);
      checkName(f.name, `event ${i} field ${j}`);
      if (!isIndex(f.type, types.length)) fail(`event ${i} field ${j}: type index out of range`);
    });
  });
  const externals = checkArray(def.externals, LIMITS.externals, 'externals');
  externals.forEach((x, i) => {
    if (!isObj(x)) fail(`external ${i} must be an object`);
    checkName(x.method, `external ${i}`);
    checkArray(x.argTypes, 255, `external ${i} argument types`).forEach((k) => {
      if (!isIndex(k, types.length)) fail(`external ${i}: argument type index ${String(k)} out of range`);
    });
    if (!isIndex(x.retType, types.length)) fail(`external ${i}: return type index out of range`);
  });
  functions.forEach((f, i) => checkCode(def, f, i, locate));
  checkAbi(def.abi, functions);
  if (def.debug !== null) checkDebug(def.debug, functions);
}

function checkConstant(c: unknown, i: number): void {
  if (!isObj(c)) fail(`constant ${i} must be an object`);
  switch (c.kind) {
    case 'int':
      if (typeof c.value !== 'bigint' || c.value < INT_MIN || c.value > INT_MAX) fail(`constant ${i}: int must be a bigint in the 256-bit range`);
      return;
    case 'str':
      if (typeof c.value !== 'string' || !isWellFormed(c.value)) fail(`constant ${i}: str must be well-formed text`);
      return;
    case 'bytes':
      if (!(c.value instanceof Uint8Array)) fail(`constant ${i}: bytes must be a Uint8Array`);
      return;
    case 'address':
      if (!isAddress(c.value)) fail(`constant ${i}: address must be "zv" + 64 lowercase hex digits`);
      return;
    default:
      fail(`constant ${i}: unknown kind ${JSON.stringify(String(c.kind))}`);
  }
}

function checkFunctionHeader(f: unknown, i: number): void {
  if (!isObj(f)) fail(`function ${i} must be an object`);
  const name = checkName(f.name, `function ${i}`);
  if (!isCount(f.nregs, LIMITS.registers)) fail(`function ${i} '${name}': nregs must be an integer 0..${LIMITS.registers}`);
  if (!isCount(f.nparams, f.nregs)) fail(`function ${i} '${name}': nparams must be an integer 0..nregs (${f.nregs})`);
  const code = checkArray(f.code, LIMITS.instructionsPerFunction, `function ${i} '${name}' code`);
  if (code.length === 0) fail(`function ${i} '${name}': empty code`);
}

// The checks below run for every instruction of every module encoded, decoded or loaded:
// they return a problem's text (null when there is none) instead of taking a callback, and
// the message with its location is only built once a problem is found.

function checkCode(def: ModuleDef, f: FunctionDef, fi: number, locate: Locate): void {
  const code = f.code;
  for (let pc = 0; pc < code.length; pc++) {
    const ins = code[pc];
    if (!Array.isArray(ins) || typeof ins[0] !== 'string') badInstr(f, fi, pc, ins, 'instruction must be an array [op, ...operands]', locate);
    const opIndex = OP_INDEX.get(ins[0]);
    if (opIndex === undefined) badInstr(f, fi, pc, ins, `unknown opcode ${JSON.stringify(ins[0])}`, locate);
    const kinds = OPS[opIndex].operands as readonly OperandKind[];
    if (ins.length - 1 !== kinds.length) badInstr(f, fi, pc, ins, `expected ${kinds.length} operands, got ${ins.length - 1}`, locate);
    for (let j = 0; j < kinds.length; j++) {
      const problem = operandProblem(def, f, kinds[j], ins[j + 1]);
      if (problem !== null) badInstr(f, fi, pc, ins, problem, locate);
    }
    const problem = arityProblem(def, ins);
    if (problem !== null) badInstr(f, fi, pc, ins, problem, locate);
  }
  const last = code[code.length - 1][0];
  if (!TERMINATORS.has(last)) fail(`function ${fi} '${f.name}': the last instruction (${last}) is not JMP, RET, RETNONE or REVERT, so execution could run off the end${locate(fi, code.length - 1)}`);
}

function badInstr(f: FunctionDef, fi: number, pc: number, ins: unknown, msg: string, locate: Locate): never {
  const op = Array.isArray(ins) && typeof ins[0] === 'string' ? ` (${ins[0]})` : '';
  return fail(`function ${fi} '${f.name}', instruction ${pc}${op}: ${msg}${locate(fi, pc)}`);
}

const outOfRange = (v: unknown, n: number, what: string): string | null =>
  isIndex(v, n) ? null : `${what} ${String(v)} out of range (have ${n})`;

function operandProblem(def: ModuleDef, f: FunctionDef, kind: OperandKind, v: unknown): string | null {
  switch (kind) {
    case 'R':
      return outOfRange(v, f.nregs, 'register');
    case 'K':
      return outOfRange(v, def.constants.length, 'constant');
    case 'I':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1) return `immediate ${String(v)} is not a 32-bit integer`;
      return null;
    case 'L':
      return outOfRange(v, f.code.length, 'jump target');
    case 'F':
      return outOfRange(v, def.functions.length, 'function');
    case 'T':
      return outOfRange(v, def.types.length, 'type');
    case 'S':
      return outOfRange(v, def.slots.length, 'slot');
    case 'E':
      return outOfRange(v, def.events.length, 'event');
    case 'X':
      return outOfRange(v, def.externals.length, 'external');
    case 'B':
      return outOfRange(v, BUILTINS.length, 'builtin');
    case 'N':
      if (!Array.isArray(v)) return 'variadic operand must be an array of registers';
      if (v.length > LIMITS.variadic) return `${v.length} registers exceed the limit of ${LIMITS.variadic}`;
      for (const r of v) if (!isIndex(r, f.nregs)) return `register ${String(r)} out of range (nregs ${f.nregs})`;
      return null;
  }
  return null;
}

/** Operand counts that depend on other tables, and operands with a restricted meaning. */
function arityProblem(def: ModuleDef, ins: Instr): string | null {
  switch (ins[0]) {
    case 'CALL': {
      const want = def.functions[ins[2] as number].nparams;
      const got = (ins[3] as number[]).length;
      return got === want ? null : `calls function ${ins[2]} with ${got} arguments, it takes ${want}`;
    }
    case 'CALLB': {
      const b = BUILTINS[ins[2] as number];
      const got = (ins[3] as number[]).length;
      return got === b.arity ? null : `builtin '${b.name}' takes ${b.arity} arguments, got ${got}`;
    }
    case 'SLOAD':
    case 'SHAS': {
      const want = def.slots[ins[2] as number].keyTypes.length;
      const got = (ins[3] as number[]).length;
      return got === want ? null : `slot ${ins[2]} takes ${want} keys, got ${got}`;
    }
    case 'SSTORE': {
      const want = def.slots[ins[1] as number].keyTypes.length;
      const got = (ins[3] as number[]).length;
      return got === want ? null : `slot ${ins[1]} takes ${want} keys, got ${got}`;
    }
    case 'SDEL': {
      const want = def.slots[ins[1] as number].keyTypes.length;
      const got = (ins[2] as number[]).length;
      return got === want ? null : `slot ${ins[1]} takes ${want} keys, got ${got}`;
    }
    case 'EMIT': {
      const want = def.events[ins[1] as number].fields.length;
      const got = (ins[2] as number[]).length;
      return got === want ? null : `event ${ins[1]} has ${want} fields, got ${got}`;
    }
    case 'XCALL': {
      const want = def.externals[ins[2] as number].argTypes.length;
      const got = (ins[5] as number[]).length;
      return got === want ? null : `external ${ins[2]} takes ${want} arguments, got ${got}`;
    }
    case 'NEWDICT':
      return (ins[2] as number[]).length % 2 === 0 ? null : 'NEWDICT needs key, value pairs (an even number of registers)';
    case 'FORMAT':
      return def.constants[ins[4] as number].kind === 'str' ? null : 'the format spec must be a str constant';
    case 'ENV':
      return isIndex(ins[2], 8) ? null : `unknown ENV value ${ins[2]} (0..7)`;
    case 'GETFIELD':
      return (ins[3] as number) < 0 ? 'negative field index' : null;
    case 'SETFIELD':
      return (ins[2] as number) < 0 ? 'negative field index' : null;
  }
  return null;
}

function checkAbiMethod(m: unknown, what: string, functions: FunctionDef[]): AbiMethod {
  if (!isObj(m)) fail(`${what} must be an object`);
  const name = checkName(m.name, what);
  const w = `${what} '${name}'`;
  onlyKeys(m, ['name', 'fn', 'params', 'returns', 'view', 'payable'], w);
  if (!isIndex(m.fn, functions.length)) fail(`${w}: function index ${String(m.fn)} out of range`);
  const params = checkArray(m.params, 255, `${w} params`);
  params.forEach((p, i) => {
    if (!isObj(p)) fail(`${w} param ${i} must be an object`);
    onlyKeys(p, ['name', 'type'], `${w} param ${i}`);
    checkName(p.name, `${w} param ${i}`);
    checkTypeText(p.type, `${w} param ${i}`);
  });
  if (params.length !== functions[m.fn].nparams) fail(`${w}: has ${params.length} params, function ${m.fn} takes ${functions[m.fn].nparams}`);
  checkTypeText(m.returns, `${w} return`);
  if (typeof m.view !== 'boolean' || typeof m.payable !== 'boolean') fail(`${w}: view and payable must be booleans`);
  if (m.view && m.payable) fail(`${w}: a method cannot be both view and payable`);
  return m as unknown as AbiMethod;
}

function checkAbi(abi: unknown, functions: FunctionDef[]): void {
  if (!isObj(abi)) fail('abi must be an object');
  const keys = ['contract', 'constructor', 'methods', 'functions', 'events'];
  for (const k of keys) if (!Object.hasOwn(abi, k)) fail(`abi: missing '${k}'`);
  onlyKeys(abi, keys, 'abi');
  if (abi.contract !== null) checkName(abi.contract, 'abi contract');
  if (abi.constructor !== null) {
    const c = checkAbiMethod(abi.constructor, 'abi constructor', functions);
    if (c.name !== '__init__') fail(`abi constructor must be named __init__, not '${c.name}'`);
    if (abi.contract === null) fail('abi constructor without a contract');
  }
  for (const list of ['methods', 'functions'] as const) {
    const seen = new Set<string>();
    checkArray(abi[list], LIMITS.functions, `abi ${list}`).forEach((m, i) => {
      const am = checkAbiMethod(m, `abi ${list} ${i}`, functions);
      if (seen.has(am.name)) fail(`abi ${list}: duplicate name '${am.name}'`);
      seen.add(am.name);
    });
  }
  if ((abi.methods as unknown[]).length > 0 && abi.contract === null) fail('abi methods without a contract');
  checkArray(abi.events, LIMITS.events, 'abi events').forEach((e, i) => {
    if (!isObj(e)) fail(`abi event ${i} must be an object`);
    onlyKeys(e, ['name', 'fields'], `abi event ${i}`);
    checkName(e.name, `abi event ${i}`);
    checkArray(e.fields, 255, `abi event ${i} fields`).forEach((f, j) => {
      if (!isObj(f)) fail(`abi event ${i} field ${j} must be an object`);
      onlyKeys(f, ['name', 'type'], `abi event ${i} field ${j}`);
      checkName(f.name, `abi event ${i} field ${j}`);
      checkTypeText(f.type, `abi event ${i} field ${j}`);
    });
  });
}

function checkDebug(d: unknown, functions: FunctionDef[]): void {
  if (!isObj(d)) fail('debug info must be an object or null');
  onlyKeys(d, ['files', 'lines'], 'debug info');
  const files = checkArray(d.files, 65535, 'debug files');
  files.forEach((f, i) => {
    if (typeof f !== 'string') fail(`debug file ${i} must be a string`);
  });
  const lines = checkArray(d.lines, LIMITS.functions, 'debug lines');
  if (lines.length !== functions.length) fail(`debug lines: ${lines.length} entries for ${functions.length} functions`);
  lines.forEach((fl, fi) => {
    let prev = -1;
    const entries = checkArray(fl, LIMITS.instructionsPerFunction, `debug lines of function ${fi}`);
    const ninstrs = functions[fi].code.length;
    for (let j = 0; j < entries.length; j++) {
      const e = entries[j];
      let problem: string | null = null;
      if (!Array.isArray(e) || e.length !== 4) problem = 'must be [instr, file, line, col]';
      else if (!isIndex(e[0], ninstrs)) problem = 'instruction index out of range';
      else if (e[0] <= prev) problem = 'entries must be sorted by instruction index, without duplicates';
      else if (!isIndex(e[1], files.length)) problem = 'file index out of range';
      else if (!isCount(e[2], 2 ** 31) || !isCount(e[3], 2 ** 31)) problem = 'line and col must be non-negative integers';
      if (problem !== null) fail(`debug lines of function ${fi}, entry ${j}: ${problem}`);
      prev = (e as number[])[0]!;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// encoding

function writeStr(w: ByteWriter, s: string): void {
  if (s.length < 0x80 && isAscii(s)) {
    // Names and types are almost always ASCII: their UTF-8 is their char codes.
    w.byte(s.length);
    for (let i = 0; i < s.length; i++) w.byte(s.charCodeAt(i));
    return;
  }
  const b = utf8Encode(s);
  w.leb(b.length);
  w.bytes(b);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

const jsonEncoder = new TextEncoder();

/** UTF-8 of a JSON section. JSON.stringify escapes lone surrogates (ES2019), so its output
 *  is always well-formed and needs no check before encoding. */
function jsonBytes(value: unknown): Uint8Array {
  return jsonEncoder.encode(JSON.stringify(value));
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

/** Encodes a module (validating it first). Throws TvmFormatError. */
export function encodeModule(def: ModuleDef): Uint8Array {
  validateModule(def);
  const w = new ByteWriter();
  for (const b of MAGIC) w.byte(b);
  w.byte(FORMAT_VERSION);
  const section = (id: number, body: (s: ByteWriter) => void) => {
    const s = new ByteWriter();
    body(s);
    w.byte(id);
    w.leb(s.len);
    w.bytes(s.finish());
  };
  section(SECTION.types, (s) => {
    s.leb(def.types.length);
    def.types.forEach((t) => writeStr(s, t));
  });
  section(SECTION.constants, (s) => {
    s.leb(def.constants.length);
    for (const c of def.constants) {
      s.byte(CONST_TAG[c.kind]);
      if (c.kind === 'int') encodeInto(s, { kind: 'int' }, normalizeBig(c.value), null);
      else if (c.kind === 'str') writeStr(s, c.value);
      else if (c.kind === 'bytes') {
        s.leb(c.value.length);
        s.bytes(c.value);
      } else s.bytes(addressToBytes(c.value));
    }
  });
  section(SECTION.functions, (s) => {
    s.leb(def.functions.length);
    for (const f of def.functions) writeFunction(s, f);
  });
  section(SECTION.slots, (s) => {
    s.leb(def.slots.length);
    for (const sl of def.slots) {
      writeStr(s, sl.name);
      s.leb(sl.id);
      s.leb(sl.keyTypes.length);
      sl.keyTypes.forEach((k) => s.leb(k));
      s.leb(sl.valueType);
    }
  });
  section(SECTION.events, (s) => {
    s.leb(def.events.length);
    for (const e of def.events) {
      writeStr(s, e.name);
      s.leb(e.fields.length);
      for (const f of e.fields) {
        writeStr(s, f.name);
        s.leb(f.type);
      }
    }
  });
  section(SECTION.externals, (s) => {
    s.leb(def.externals.length);
    for (const x of def.externals) {
      writeStr(s, x.method);
      s.leb(x.argTypes.length);
      x.argTypes.forEach((t) => s.leb(t));
      s.leb(x.retType);
    }
  });
  section(SECTION.abi, (s) => s.bytes(jsonBytes(def.abi)));
  if (def.debug !== null) section(SECTION.debug, (s) => s.bytes(jsonBytes(def.debug)));
  if (w.len > LIMITS.moduleBytes) fail(`module of ${w.len} bytes exceeds the limit of ${LIMITS.moduleBytes}`);
  return w.finish();
}

function normalizeBig(b: bigint): number | bigint {
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function writeFunction(s: ByteWriter, f: FunctionDef): void {
  writeStr(s, f.name);
  s.leb(f.nparams);
  s.leb(f.nregs);
  s.leb(f.code.length);
  for (const ins of f.code) {
    const op = OP_INDEX.get(ins[0])!;
    s.byte(op);
    const kinds = OPS[op].operands as readonly OperandKind[];
    for (let j = 0; j < kinds.length; j++) {
      const v = ins[j + 1];
      if (kinds[j] === 'N') {
        const regs = v as number[];
        s.leb(regs.length);
        regs.forEach((r) => s.leb(r));
      } else if (kinds[j] === 'I') s.leb(zigzag(v as number));
      else s.leb(v as number);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// decoding

function readFail(msg: string, at: number): never {
  throw new TvmFormatError(`${msg} at byte ${at}`);
}

function readStr(r: ByteReader, what: string, max = LIMITS.moduleBytes): string {
  const at = r.pos;
  const n = r.leb();
  if (n > max) r.fail(`${what} of ${n} bytes is too long (limit ${max})`, at);
  const s = utf8Decode(r.take(n));
  if (s === null) r.fail(`${what} is not valid UTF-8`, at);
  return s;
}

function readIndex(r: ByteReader, what: string): number {
  const at = r.pos;
  const n = r.leb();
  if (n > 2 ** 32) r.fail(`${what} ${n} out of range`, at);
  return n;
}

/**
 * Decodes and validates a module file. Throws TvmFormatError for anything malformed: truncated
 * or trailing data, bad varints, unknown sections or opcodes, operands out of range, etc.
 */
export function decodeModule(bytes: Uint8Array): ModuleDef {
  if (!(bytes instanceof Uint8Array)) fail('module must be a Uint8Array');
  if (bytes.length > LIMITS.moduleBytes) fail(`module of ${bytes.length} bytes exceeds the limit of ${LIMITS.moduleBytes}`);
  const r = new ByteReader(bytes, readFail);
  for (let i = 0; i < 4; i++) if (r.byte() !== MAGIC[i]) readFail('bad magic (not a TVM module: expected "ZTVM")', 0);
  const version = r.byte();
  if (version !== FORMAT_VERSION) readFail(`unsupported format version ${version} (expected ${FORMAT_VERSION})`, 4);

  const def: ModuleDef = {
    types: [],
    constants: [],
    functions: [],
    slots: [],
    events: [],
    externals: [],
    abi: { contract: null, constructor: null, methods: [], functions: [], events: [] },
    debug: null,
  };
  const offsets: number[][] = [];
  let last = 0;
  while (r.left > 0) {
    const at = r.pos;
    const id = r.byte();
    if (id < 1 || id > SECTION.debug) readFail(`unknown section id ${id}`, at);
    if (id <= last) readFail(`section ${id} ${id === last ? 'repeated' : 'out of order'}`, at);
    if (id !== last + 1) readFail(`section ${last + 1} missing before section ${id}`, at);
    last = id;
    const len = r.leb();
    if (len > r.left) readFail(`section ${id} length ${len} exceeds the ${r.left} bytes left`, at);
    const s = new ByteReader(bytes, readFail, r.pos + len);
    s.pos = r.pos;
    readSection(s, id, def, offsets);
    if (s.pos !== s.end) readFail(`${s.end - s.pos} unused bytes at the end of section ${id}`, s.pos);
    r.pos = s.end;
  }
  if (last < SECTION.abi) readFail(`section ${last + 1} missing`, r.pos);
  validateModule(def, (fn, instr) => (offsets[fn]?.[instr] !== undefined ? ` (byte ${offsets[fn][instr]})` : ''));
  return def;
}

function readSection(s: ByteReader, id: number, def: ModuleDef, offsets: number[][]): void {
  switch (id) {
    case SECTION.types: {
      const n = s.count(1, 'type');
      for (let i = 0; i < n; i++) def.types.push(readStr(s, `type ${i}`));
      return;
    }
    case SECTION.constants: {
      const n = s.count(1, 'constant');
      for (let i = 0; i < n; i++) def.constants.push(readConstant(s, i));
      return;
    }
    case SECTION.functions: {
      const n = s.count(4, 'function');
      for (let i = 0; i < n; i++) {
        const offs: number[] = [];
        def.functions.push(readFunction(s, i, offs));
        offsets.push(offs);
      }
      return;
    }
    case SECTION.slots: {
      const n = s.count(4, 'slot');
      for (let i = 0; i < n; i++) {
        const name = readStr(s, `slot ${i} name`, LIMITS.nameBytes);
        const sid = readIndex(s, `slot ${i} id`);
        const nk = s.count(1, 'key type');
        const keyTypes: number[] = [];
        for (let k = 0; k < nk; k++) keyTypes.push(readIndex(s, 'type index'));
        def.slots.push({ name, id: sid, keyTypes, valueType: readIndex(s, 'type index') });
      }
      return;
    }
    case SECTION.events: {
      const n = s.count(2, 'event');
      for (let i = 0; i < n; i++) {
        const name = readStr(s, `event ${i} name`, LIMITS.nameBytes);
        const nf = s.count(2, 'event field');
        const fields: { name: string; type: number }[] = [];
        for (let k = 0; k < nf; k++) fields.push({ name: readStr(s, 'field name', LIMITS.nameBytes), type: readIndex(s, 'type index') });
        def.events.push({ name, fields });
      }
      return;
    }
    case SECTION.externals: {
      const n = s.count(3, 'external');
      for (let i = 0; i < n; i++) {
        const method = readStr(s, `external ${i} method`, LIMITS.nameBytes);
        const na = s.count(1, 'argument type');
        const argTypes: number[] = [];
        for (let k = 0; k < na; k++) argTypes.push(readIndex(s, 'type index'));
        def.externals.push({ method, argTypes, retType: readIndex(s, 'type index') });
      }
      return;
    }
    case SECTION.abi:
      def.abi = readJSON(s, 'abi') as Abi;
      return;
    case SECTION.debug:
      def.debug = readJSON(s, 'debug') as DebugInfo;
      if (def.debug === null) readFail('debug section holds null (omit the section instead)', s.pos);
      return;
  }
}

function readJSON(s: ByteReader, what: string): unknown {
  const at = s.pos;
  const text = utf8Decode(s.take(s.left));
  if (text === null) readFail(`${what} section is not valid UTF-8`, at);
  try {
    return JSON.parse(text);
  } catch (e) {
    return readFail(`${what} section is not valid JSON (${(e as Error).message})`, at);
  }
}

function readConstant(s: ByteReader, i: number): Constant {
  const at = s.pos;
  const tag = s.byte();
  switch (tag) {
    case CONST_TAG.int: {
      const v = decodeFrom(s, { kind: 'int' }, null) as number | bigint;
      return { kind: 'int', value: BigInt(v) };
    }
    case CONST_TAG.str:
      return { kind: 'str', value: readStr(s, `constant ${i}`) };
    case CONST_TAG.bytes:
      return { kind: 'bytes', value: s.take(s.leb()).slice() };
    case CONST_TAG.address:
      return { kind: 'address', value: addressFromBytes(s.take(32)) };
    default:
      return readFail(`constant ${i}: unknown tag ${tag}`, at);
  }
}

function readFunction(s: ByteReader, fi: number, offs: number[]): FunctionDef {
  const name = readStr(s, `function ${fi} name`, LIMITS.nameBytes);
  const nparams = readIndex(s, 'nparams');
  const nregs = readIndex(s, 'nregs');
  const at = s.pos;
  const n = s.count(1, 'instruction');
  if (n > LIMITS.instructionsPerFunction) readFail(`function ${fi}: ${n} instructions exceed the limit`, at);
  const code: Instr[] = [];
  for (let pc = 0; pc < n; pc++) {
    offs.push(s.pos);
    const op = s.byte();
    if (op >= OPS.length) readFail(`function ${fi} '${name}', instruction ${pc}: unknown opcode ${op}`, s.pos - 1);
    const ins: Instr = [OPS[op].name];
    for (const kind of OPS[op].operands as readonly OperandKind[]) {
      if (kind === 'N') {
        const c = s.count(1, 'register');
        const regs: number[] = [];
        for (let k = 0; k < c; k++) regs.push(readIndex(s, 'register'));
        ins.push(regs);
      } else if (kind === 'I') {
        const z = readIndex(s, 'immediate');
        ins.push(z % 2 === 0 ? z / 2 : -(z + 1) / 2);
      } else ins.push(readIndex(s, 'operand'));
    }
    code.push(ins);
  }
  return { name, nparams, nregs, code };
}
