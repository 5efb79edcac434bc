// The public entry points of the VM: run a module-level function, deploy a contract, call a
// contract method; plus XCALL, the nested contract call. Contract-level failures never throw:
// they come back as an ExecRevert result, and the host is rolled back to its state before the
// call (snapshot/revertTo), so nothing of a failed call persists but its log lines.

import type { AbiMethod } from './module.ts';
import type { EmittedEvent, Host, LogLine } from './host.ts';
import { LoadedModule, loadModule } from './loader.ts';
import { Machine, type CallContext, type Trace } from './machine.ts';
import { executeWithEngine as execute } from './jit.ts'; // the JIT, or the interpreter (setEngine)
import { revert, TvmDecodeError, TvmFormatError, TvmValueError, VMRevert } from './errors.ts';
import { ByteWriter, conforms, decodeValue, encodeInto, importValue, isAddress, objectArray, toBig } from './values.ts';
import { parseType, typeToString, ZERO_ADDRESS, type TypeDesc } from './types.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, bytesToHex, utf8Encode } from './strings.ts';
import { DEFAULT_GAS_LIMIT, GAS, outOfGas, words } from './gas.ts';

export type Value = unknown;

export interface ExecOk {
  ok: true;
  value: Value;
  returnType: string;
  gasUsed: number;
  events: EmittedEvent[];
  logs: LogLine[];
}

export interface ExecRevert {
  ok: false;
  reason: string;
  gasUsed: number;
  events: [];
  logs: LogLine[];
  /** where it reverted: module-level location for source maps */
  location: { address: string | null; fn: number; pc: number } | null;
}

export type ExecResult = ExecOk | ExecRevert;

export interface CallOptions {
  sender?: string;
  value?: bigint;
  gasLimit?: number;
  origin?: string;
}

/** Contracts may nest calls this deep (the outermost call included). */
export const MAX_CONTRACT_DEPTH = 8;

// ---------------------------------------------------------------------------------------------
// helpers

interface MethodTypes {
  params: TypeDesc[];
  returns: TypeDesc;
  /** The parameters as one tuple: how XCALL arguments are decoded. */
  argTuple: TypeDesc;
}

const methodTypes = new WeakMap<AbiMethod, MethodTypes>();

function typesOf(m: AbiMethod): MethodTypes {
  let t = methodTypes.get(m);
  if (!t) {
    const params = m.params.map((p) => parseType(p.type));
    t = { params, returns: parseType(m.returns), argTuple: { kind: 'tuple', items: params } };
    methodTypes.set(m, t);
  }
  return t;
}

// Prepared modules, found by the identity of the code array and, failing that, by its content:
// a host may hand out a fresh copy of the same code (MemoryHost copies it on setCode), and
// preparing a module (decoding, validating, compiling) costs far more than hashing its bytes.
// Code arrays are never mutated once stored (see MemoryHost.setCode).
const moduleByArray = new WeakMap<Uint8Array, LoadedModule>();
/** Content hash -> modules with that hash, each with a private copy of its bytes. */
const moduleByContent = new Map<number, { code: Uint8Array; mod: LoadedModule }[]>();
const MODULES_BY_CONTENT_MAX = 32;
let modulesByContent = 0;

function contentHash(b: Uint8Array): number {
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h;
}

/** Loads module bytes, reusing the prepared module for the same bytes. */
/** loadModule with a cache by content: the executor and the VM load the same code many times. */
export function cachedLoad(code: Uint8Array): LoadedModule {
  let mod = moduleByArray.get(code);
  if (mod) return mod;
  const h = contentHash(code);
  const same = moduleByContent.get(h)?.find((e) => bytesEqual(e.code, code));
  if (same) mod = same.mod;
  else {
    mod = loadModule(code);
    if (modulesByContent >= MODULES_BY_CONTENT_MAX) {
      moduleByContent.clear();
      modulesByContent = 0;
    }
    const list = moduleByContent.get(h) ?? [];
    list.push({ code: code.slice(), mod });
    moduleByContent.set(h, list);
    modulesByContent++;
  }
  moduleByArray.set(code, mod);
  return mod;
}

function reverted(reason: string, gasUsed: number, logs: LogLine[], location: ExecRevert['location'] = null): ExecRevert {
  return { ok: false, reason, gasUsed, events: [], logs, location };
}

/** Arguments from the API caller as runtime values of the parameter types. */
function importArgs(method: AbiMethod, args: Value[]): unknown[] {
  if (!Array.isArray(args)) revert('bad arguments: expected an array');
  const types = typesOf(method).params;
  if (args.length !== types.length) revert(`bad arguments: ${method.name} takes ${types.length}, got ${args.length}`);
  const out: unknown[] = [];
  let i = 0;
  try {
    for (; i < types.length; i++) out.push(importValue(types[i], args[i]));
  } catch (e) {
    if (e instanceof TvmValueError) revert(`bad argument ${i}: expected ${typeToString(types[i])}`);
    throw e;
  }
  return out;
}

function validGasLimit(g: number | undefined): number {
  const v = g ?? DEFAULT_GAS_LIMIT;
  if (!Number.isSafeInteger(v) || v < 0) revert('invalid gas limit');
  return v;
}

/** A VMRevert from anything thrown (internal errors included) so the API never throws. */
function asRevert(e: unknown): VMRevert {
  if (e instanceof VMRevert) return e;
  if (e instanceof TvmValueError || e instanceof TvmFormatError || e instanceof TvmDecodeError) return new VMRevert(e.message);
  const r = new VMRevert('internal error');
  (r as { cause?: unknown }).cause = e;
  return r;
}

/** Runs `method` on a machine, turning its outcome into an ExecResult. */
function runOnMachine(m: Machine, method: AbiMethod, args: unknown[], limit: number): ExecResult {
  try {
    const value = execute(m, method.fn, args);
    if (!conforms(typesOf(method).returns, value)) revert(`bad return value: expected ${method.returns}`);
    return { ok: true, value, returnType: method.returns, gasUsed: limit - m.gas, events: m.trace.events, logs: m.trace.logs };
  } catch (e) {
    const r = asRevert(e);
    return reverted(r.reason, r.outOfGas || m.gas < 0 ? limit : limit - m.gas, m.trace.logs, r.location);
  }
}

// ---------------------------------------------------------------------------------------------
// runFunction

/** Runs a module-level function (ABI `functions`) with no contract context: storage and
 *  environment operations revert "not in a contract"; log lines are collected (and passed to
 *  the host, if one is given). */
export function runFunction(mod: LoadedModule, name: string, args: Value[], opts: { gasLimit?: number; host?: Host } = {}): ExecResult {
  const trace: Trace = { events: objectArray(), logs: objectArray() };
  let limit = 0;
  try {
    limit = validGasLimit(opts.gasLimit);
    if (!(mod instanceof LoadedModule)) revert('not a loaded module');
    const method = mod.moduleFunctions.get(name);
    if (!method) revert(`no function '${name}' in the module`);
    const imported = importArgs(method, args);
    const m = new Machine(mod, opts.host ?? null, null, limit, trace, null);
    return runOnMachine(m, method, imported, limit);
  } catch (e) {
    return reverted(asRevert(e).reason, 0, trace.logs);
  }
}

// ---------------------------------------------------------------------------------------------
// deploy

/** An address for a contract when neither the caller nor the host gives one: the first
 *  candidate sha256("zv-deploy:" sender ":" sha256(code) ":" i) that holds no code yet. */
function deriveAddress(sender: string, code: Uint8Array, host: Host): string {
  const codeHash = bytesToHex(sha256(code));
  for (let i = 0; i < 1000; i++) {
    const a = 'zv' + bytesToHex(sha256(utf8Encode(`zv-deploy:${sender}:${codeHash}:${i}`)));
    if (host.getCode(a) === undefined) return a;
  }
  return revert('no free address for the contract');
}

/** Deploys a contract: stores the code at a fresh address, transfers `value` and runs the
 *  constructor with `args`. On revert nothing persists and `address` is null. */
export function deploy(
  host: Host & { nextContractAddress?(sender: string): string },
  code: Uint8Array,
  args: Value[],
  opts: CallOptions & { address?: string } = {},
): ExecResult & { address: string | null } {
  const logs: LogLine[] = objectArray();
  let limit = 0;
  let snap: number | null = null;
  // Gas left, as a plain number (a GasCounter here would make GasCounter.charge see two kinds
  // of receiver, this and Machine, and V8 would recompile it).
  let gasLeft = 0;
  try {
    limit = validGasLimit(opts.gasLimit);
    gasLeft = limit;
    const sender = opts.sender ?? ZERO_ADDRESS;
    if (!isAddress(sender)) revert('sender is not an address');
    const value = opts.value ?? 0n;
    if (typeof value !== 'bigint' || value < 0n) revert('value must be a non-negative bigint');
    if (!(code instanceof Uint8Array)) revert('code must be a Uint8Array');
    gasLeft -= GAS.deployByte * code.length + GAS.codeWord * words(code.length);
    if (!(gasLeft >= 0)) throw outOfGas();
    let mod: LoadedModule;
    try {
      mod = cachedLoad(code);
    } catch (e) {
      if (e instanceof TvmFormatError) revert(`invalid module: ${e.message}`);
      throw e;
    }
    if (mod.abi.contract === null) revert('the module has no contract to deploy');
    const ctor = mod.abi.constructor;
    if (value > 0n && !(ctor && ctor.payable)) revert('constructor is not payable');
    if (!ctor && args.length !== 0) revert(`bad arguments: the contract has no constructor, got ${args.length} arguments`);
    const imported = ctor ? importArgs(ctor, args) : [];
    const address = opts.address ?? host.nextContractAddress?.(sender) ?? deriveAddress(sender, code, host);
    if (!isAddress(address)) revert('contract address is not an address');
    if (host.getCode(address) !== undefined) revert(`address ${address} already holds a contract`);

    snap = host.snapshot();
    host.setCode(address, code);
    if (value > 0n && !host.transfer(sender, address, value)) revert('insufficient balance');
    if (!ctor) {
      host.commit(snap);
      return { ok: true, value: null, returnType: 'None', gasUsed: limit - gasLeft, events: [], logs, address };
    }
    const ctx: CallContext = { address, sender, value, origin: opts.origin ?? sender, isStatic: false, depth: 0 };
    const m = new Machine(mod, host, ctx, gasLeft, { events: objectArray(), logs }, xcall);
    const r = runOnMachine(m, ctor, imported, limit);
    if (r.ok) host.commit(snap);
    else host.revertTo(snap);
    return { ...r, address: r.ok ? address : null };
  } catch (e) {
    if (snap !== null) host.revertTo(snap);
    const r = asRevert(e);
    return { ...reverted(r.reason, r.outOfGas ? limit : limit - Math.max(0, gasLeft), logs), address: null };
  }
}

// ---------------------------------------------------------------------------------------------
// callMethod

/** Calls a public, view or payable method of a deployed contract. `value` > 0 to a method that
 *  is not payable reverts "method is not payable"; a view method (or `static: true`) runs
 *  static: SSTORE/SDEL/TRANSFER/EMIT revert "state change in a view". */
export function callMethod(host: Host, address: string, method: string, args: Value[], opts: CallOptions & { static?: boolean } = {}): ExecResult {
  const logs: LogLine[] = objectArray();
  let snap: number | null = null;
  try {
    const limit = validGasLimit(opts.gasLimit);
    const sender = opts.sender ?? ZERO_ADDRESS;
    if (!isAddress(sender)) revert('sender is not an address');
    if (!isAddress(address)) revert('contract address is not an address');
    const value = opts.value ?? 0n;
    if (typeof value !== 'bigint' || value < 0n) revert('value must be a non-negative bigint');
    const code = host.getCode(address);
    if (code === undefined) revert(`no contract at ${address}`);
    let mod: LoadedModule;
    try {
      mod = cachedLoad(code);
    } catch (e) {
      if (e instanceof TvmFormatError) revert(`invalid module at ${address}: ${e.message}`);
      throw e;
    }
    const target = mod.method(method);
    if (!target) revert(`no method '${method}' in contract ${mod.abi.contract ?? '(none)'}`);
    if (value > 0n && !target.payable) revert('method is not payable');
    if (value > 0n && opts.static) revert('state change in a view');
    const imported = importArgs(target, args);
    snap = host.snapshot();
    if (value > 0n && !host.transfer(sender, address, value)) revert('insufficient balance');
    const ctx: CallContext = { address, sender, value, origin: opts.origin ?? sender, isStatic: !!opts.static || target.view, depth: 0 };
    const m = new Machine(mod, host, ctx, limit, { events: objectArray(), logs }, xcall);
    const r = runOnMachine(m, target, imported, limit);
    if (r.ok) host.commit(snap);
    else host.revertTo(snap);
    return r;
  } catch (e) {
    if (snap !== null) host.revertTo(snap);
    return reverted(asRevert(e).reason, 0, logs);
  }
}

// ---------------------------------------------------------------------------------------------
// XCALL

/** A cross-contract call from `caller`: arguments are encoded with the caller's external
 *  signature and decoded with the callee's parameter types, the callee runs in a nested machine
 *  with the caller's remaining gas, inside its own snapshot; the result travels back the same
 *  way. Any failure reverts the caller with "call to <method> failed: <reason>". */
function xcall(caller: Machine, extIndex: number, address: unknown, value: unknown, args: unknown[]): unknown {
  const ext = caller.mod.externals[extIndex];
  const ctx = caller.ctx!;
  const host = caller.host!;
  function fail(reason: string): never {
    throw new VMRevert(`call to ${ext.method} failed: ${reason}`);
  }
  if (!isAddress(address)) revert('call target is not an Address');
  if (typeof value !== 'number' && typeof value !== 'bigint') revert('call value must be an int');
  const amount = toBig(value);
  if (amount < 0n) revert('negative call value');
  if (amount > 0n && ctx.isStatic) revert('state change in a view');
  if (ctx.depth + 1 >= MAX_CONTRACT_DEPTH) revert('contract call depth exceeded');

  const w = new ByteWriter(Math.max(0, Math.floor(caller.gas / GAS.xcallByte)));
  for (let i = 0; i < args.length; i++) encodeInto(w, ext.argTypes[i], args[i], caller);
  const data = w.finish();
  caller.charge(GAS.xcallByte * data.length);

  const code = host.getCode(address);
  if (code === undefined) return fail(`no contract at ${address}`);
  caller.chargeCode(code.length);
  let mod: LoadedModule;
  try {
    mod = cachedLoad(code);
  } catch (e) {
    if (e instanceof TvmFormatError) fail('invalid module');
    throw e;
  }
  const target = mod.method(ext.method);
  if (!target) return fail(`no method '${ext.method}'`);

  const snap = host.snapshot();
  const eventsBefore = caller.trace.events.length;
  const innerCtx: CallContext = {
    address,
    sender: ctx.address,
    value: amount,
    origin: ctx.origin,
    isStatic: ctx.isStatic || target.view,
    depth: ctx.depth + 1,
  };
  const inner = new Machine(mod, host, innerCtx, caller.gas, caller.trace, xcall);
  try {
    if (amount > 0n && !target.payable) revert('method is not payable');
    let decoded: unknown[];
    try {
      decoded = decodeValue(typesOf(target).argTuple, data, inner) as unknown[];
    } catch (e) {
      if (e instanceof TvmDecodeError) revert('bad arguments');
      throw e;
    }
    if (amount > 0n && !host.transfer(ctx.address, address, amount)) revert('insufficient balance');
    const result = execute(inner, target.fn, decoded);
    const rw = new ByteWriter(Math.max(0, Math.floor(inner.gas / GAS.xcallByte)));
    try {
      encodeInto(rw, typesOf(target).returns, result, inner);
    } catch (e) {
      if (e instanceof TvmValueError) revert('bad return value');
      throw e;
    }
    const enc = rw.finish();
    inner.charge(GAS.xcallByte * enc.length);
    let ret: unknown;
    try {
      ret = decodeValue(ext.retType, enc, inner);
    } catch (e) {
      if (e instanceof TvmDecodeError) revert('bad return value');
      throw e;
    }
    host.commit(snap);
    caller.gas = inner.gas;
    return ret;
  } catch (e) {
    host.revertTo(snap);
    caller.trace.events.length = eventsBefore;
    const r = asRevert(e);
    caller.gas = r.outOfGas ? -1 : inner.gas;
    const wrapped = new VMRevert(`call to ${ext.method} failed: ${r.reason}`, r.outOfGas);
    wrapped.location = r.location;
    throw wrapped;
  }
}
