// The state of one contract-level invocation: its module, gas counter, call context and the
// environment operations (storage, balances, events, logs) that go through the Host.
//
// Storage keys: LEB128(slot id) followed by the canonical encodings of the keys (outermost
// first). Values: canonical encodings. Storing a value whose encoding equals the default's
// deletes the entry; loading an absent entry gives a fresh default.
//
// Storage access is the hot path of most contracts, so keys and values are encoded into two
// scratch writers shared by all machines (an access never nests in another) instead of fresh
// arrays; only what crosses the Host boundary is copied, and with a MemoryHost (which keeps
// its own copies as text) nothing is. The JIT calls the entry points for 0, 1 or 2 keys
// (sload0, sload1, ...) directly, so no keys array is built either. Gas, limits and the order
// of every check are those of the generic sload/sstore/shas/sdel, which the interpreter calls.

import type { EmittedEvent, Host, LogLine } from './host.ts';
import type { LoadedModule, PreparedEvent, PreparedSlot } from './loader.ts';
import { revert, TvmDecodeError } from './errors.ts';
import { ENV } from './opcodes.ts';
import { ByteWriter, decodePrefix, decodeValue, encodeInt, encodeInto, isAddress, normBig, toBig } from './values.ts';
import { copyBytes } from './strings.ts';
import { defaultSize, defaultValue, ZERO_ADDRESS, type TypeDesc } from './types.ts';
import { GAS, GasCounter, words } from './gas.ts';
import { scratchStorageOf, type MemoryHost } from './memory-host.ts';

/** Scratch writers of storage keys and values (and, for loads, the value read). */
const keyScratch = new ByteWriter();
const valueScratch = new ByteWriter();

/** buf[0, len) equals ref. */
function sameAs(buf: Uint8Array, len: number, ref: Uint8Array): boolean {
  if (len !== ref.length) return false;
  for (let i = 0; i < len; i++) if (buf[i] !== ref[i]) return false;
  return true;
}

/** An event's fields as one tuple type (its data decodes as that), made once per event. */
const eventTupleTypes = new WeakMap<PreparedEvent, TypeDesc>();

function eventTupleType(ev: PreparedEvent): TypeDesc {
  let t = eventTupleTypes.get(ev);
  if (t === undefined) {
    t = { kind: 'tuple', items: ev.fields.map((f) => f.type) };
    eventTupleTypes.set(ev, t);
  }
  return t;
}

export interface CallContext {
  /** The running contract. */
  address: string;
  sender: string;
  value: bigint;
  origin: string;
  /** A view call: storage writes, transfers, events and value-carrying calls revert. */
  isStatic: boolean;
  /** Contract call depth: 0 for the outermost call. */
  depth: number;
}

/** What the whole call tree collects: events of successful calls, and every log line. */
export interface Trace {
  events: EmittedEvent[];
  logs: LogLine[];
}

/** Performs a cross-contract call for XCALL (implemented by tvm/vm.ts). */
export type XcallHandler = (caller: Machine, ext: number, address: unknown, value: unknown, args: unknown[]) => unknown;

export class Machine extends GasCounter {
  // Declared and assigned (not parameter properties): plain stores, cheaper than the field
  // definitions parameter properties compile to, for an object made for every call.
  declare readonly mod: LoadedModule;
  declare readonly host: Host | null;
  declare readonly ctx: CallContext | null;
  declare readonly trace: Trace;
  declare readonly xcallHandler: XcallHandler | null;
  /** The host as a MemoryHost taking scratch buffers, or null: go through the Host interface. */
  declare private readonly fastHost: MemoryHost | null;

  constructor(mod: LoadedModule, host: Host | null, ctx: CallContext | null, gas: number, trace: Trace, xcallHandler: XcallHandler | null) {
    super(gas);
    this.mod = mod;
    this.host = host;
    this.ctx = ctx;
    this.trace = trace;
    this.xcallHandler = xcallHandler;
    this.fastHost = scratchStorageOf(host);
  }

  private contract(): CallContext {
    if (this.ctx === null || this.host === null) revert('not in a contract');
    return this.ctx;
  }

  private writable(): CallContext {
    const c = this.contract();
    if (c.isStatic) revert('state change in a view');
    return c;
  }

  // -- storage

  /** Starts the key of a slot in keyScratch: out of gas once it outgrows the gas left. */
  private keyStart(slot: PreparedSlot): ByteWriter {
    const w = keyScratch;
    w.reset(Math.max(0, this.gas));
    w.bytes(slot.prefix);
    return w;
  }

  /** The key in keyScratch, given all keys (the generic path). */
  private keyOf(slot: PreparedSlot, keys: unknown[]): void {
    const w = this.keyStart(slot);
    for (let i = 0; i < keys.length; i++) encodeInto(w, slot.keyTypes[i], keys[i], this);
  }

  private keyOf1(slot: PreparedSlot, k: unknown): void {
    this.keyPart(this.keyStart(slot), slot.keyTypes[0], k);
  }

  private keyOf2(slot: PreparedSlot, k1: unknown, k2: unknown): void {
    const w = this.keyStart(slot);
    this.keyPart(w, slot.keyTypes[0], k1);
    this.keyPart(w, slot.keyTypes[1], k2);
  }

  /** encodeInto of one key, with the common int key (a safe integer) done directly. */
  private keyPart(w: ByteWriter, t: TypeDesc, k: unknown): void {
    if (typeof k === 'number' && t.kind === 'int' && Number.isSafeInteger(k)) encodeInt(w, k);
    else encodeInto(w, t, k, this);
  }

  /** Reads the entry of the key in keyScratch into valueScratch: its length, or -1 when absent. */
  private readEntry(c: CallContext): number {
    const k = keyScratch;
    const fast = this.fastHost;
    if (fast !== null) return fast.storageRead(c.address, k.buf, k.len, valueScratch);
    const raw = this.host!.storageGet(c.address, copyBytes(k.buf, 0, k.len));
    if (raw === undefined) return -1;
    valueScratch.reset(Infinity);
    valueScratch.bytes(raw);
    return raw.length;
  }

  /** Writes (valueLen >= 0: valueScratch[0, valueLen)) or deletes (valueLen < 0) the entry of the key in keyScratch. */
  private writeEntry(c: CallContext, valueLen: number): void {
    const k = keyScratch;
    const fast = this.fastHost;
    if (fast !== null) {
      fast.storageWrite(c.address, k.buf, k.len, valueLen < 0 ? null : valueScratch.buf, valueLen);
    } else {
      // The Host may keep what it gets: fresh copies.
      this.host!.storageSet(c.address, copyBytes(k.buf, 0, k.len), valueLen < 0 ? undefined : copyBytes(valueScratch.buf, 0, valueLen));
    }
  }

  /** SLOAD once the key is in keyScratch. */
  private load(c: CallContext, slot: PreparedSlot): unknown {
    const keyLen = keyScratch.len;
    const n = this.readEntry(c);
    this.charge(GAS.sloadByte * (keyLen + (n >= 0 ? n : 0)));
    if (n < 0) {
      this.charge(GAS.element * defaultSize(slot.valueType));
      return defaultValue(slot.valueType);
    }
    try {
      return decodePrefix(slot.valueType, valueScratch.buf, n, this);
    } catch (e) {
      if (e instanceof TvmDecodeError) revert(`corrupt storage value of '${slot.name}': ${e.message}`);
      throw e;
    }
  }

  /** SSTORE once the key is in keyScratch. */
  private store(c: CallContext, slot: PreparedSlot, value: unknown): void {
    const keyLen = keyScratch.len;
    const w = valueScratch;
    w.reset(Math.max(0, Math.floor(this.gas / GAS.sstoreByte)));
    encodeInto(w, slot.valueType, value, this);
    const n = w.len;
    const isDefault = sameAs(w.buf, n, slot.defaultEncoding);
    this.charge(GAS.sstoreByte * (keyLen + (isDefault ? 0 : n)));
    this.writeEntry(c, isDefault ? -1 : n);
  }

  /** SHAS once the key is in keyScratch. */
  private has(c: CallContext): boolean {
    const keyLen = keyScratch.len;
    const n = this.readEntry(c);
    this.charge(GAS.sloadByte * keyLen);
    return n >= 0;
  }

  /** SDEL once the key is in keyScratch. */
  private del(c: CallContext): void {
    this.charge(GAS.sdelByte * keyScratch.len);
    this.writeEntry(c, -1);
  }

  sload(slotIndex: number, keys: unknown[]): unknown {
    const c = this.contract();
    const slot = this.mod.slots[slotIndex];
    this.keyOf(slot, keys);
    return this.load(c, slot);
  }

  sload0(slotIndex: number): unknown {
    const c = this.contract();
    const slot = this.mod.slots[slotIndex];
    this.keyStart(slot);
    return this.load(c, slot);
  }

  sload1(slotIndex: number, k: unknown): unknown {
    const c = this.contract();
    const slot = this.mod.slots[slotIndex];
    this.keyOf1(slot, k);
    return this.load(c, slot);
  }

  sload2(slotIndex: number, k1: unknown, k2: unknown): unknown {
    const c = this.contract();
    const slot = this.mod.slots[slotIndex];
    this.keyOf2(slot, k1, k2);
    return this.load(c, slot);
  }

  sstore(slotIndex: number, value: unknown, keys: unknown[]): void {
    const c = this.writable();
    const slot = this.mod.slots[slotIndex];
    this.keyOf(slot, keys);
    this.store(c, slot, value);
  }

  sstore0(slotIndex: number, value: unknown): void {
    const c = this.writable();
    const slot = this.mod.slots[slotIndex];
    this.keyStart(slot);
    this.store(c, slot, value);
  }

  sstore1(slotIndex: number, value: unknown, k: unknown): void {
    const c = this.writable();
    const slot = this.mod.slots[slotIndex];
    this.keyOf1(slot, k);
    this.store(c, slot, value);
  }

  sstore2(slotIndex: number, value: unknown, k1: unknown, k2: unknown): void {
    const c = this.writable();
    const slot = this.mod.slots[slotIndex];
    this.keyOf2(slot, k1, k2);
    this.store(c, slot, value);
  }

  shas(slotIndex: number, keys: unknown[]): boolean {
    const c = this.contract();
    this.keyOf(this.mod.slots[slotIndex], keys);
    return this.has(c);
  }

  shas1(slotIndex: number, k: unknown): boolean {
    const c = this.contract();
    this.keyOf1(this.mod.slots[slotIndex], k);
    return this.has(c);
  }

  shas2(slotIndex: number, k1: unknown, k2: unknown): boolean {
    const c = this.contract();
    this.keyOf2(this.mod.slots[slotIndex], k1, k2);
    return this.has(c);
  }

  sdel(slotIndex: number, keys: unknown[]): void {
    const c = this.writable();
    this.keyOf(this.mod.slots[slotIndex], keys);
    this.del(c);
  }

  sdel1(slotIndex: number, k: unknown): void {
    const c = this.writable();
    this.keyOf1(this.mod.slots[slotIndex], k);
    this.del(c);
  }

  sdel2(slotIndex: number, k1: unknown, k2: unknown): void {
    const c = this.writable();
    this.keyOf2(this.mod.slots[slotIndex], k1, k2);
    this.del(c);
  }

  env(kind: number): unknown {
    if (kind === ENV.gasLeft) return Math.max(0, this.gas);
    const c = this.contract();
    switch (kind) {
      case ENV.sender:
        return c.sender;
      case ENV.value:
        return normBig(c.value);
      case ENV.height:
        return normBig(this.host!.block.height);
      case ENV.timestamp:
        return normBig(this.host!.block.timestamp);
      case ENV.self:
        return c.address;
      case ENV.selfBalance:
        return normBig(this.host!.getBalance(c.address));
      case ENV.origin:
        return c.origin;
    }
    return revert(`unknown ENV value ${kind}`);
  }

  balance(addr: unknown): unknown {
    this.contract();
    if (!isAddress(addr)) revert('balance() needs an Address');
    return normBig(this.host!.getBalance(addr));
  }

  transfer(to: unknown, amount: unknown): void {
    const c = this.writable();
    if (!isAddress(to)) revert('transfer() needs an Address');
    if (typeof amount !== 'number' && typeof amount !== 'bigint') revert('transfer() amount must be an int');
    const a = toBig(amount);
    if (a < 0n) revert('negative transfer amount');
    if (a === 0n) return;
    if (!this.host!.transfer(c.address, to, a)) revert('insufficient balance');
  }

  emit(eventIndex: number, fields: unknown[]): void {
    const c = this.writable();
    const ev = this.mod.events[eventIndex];
    const w = new ByteWriter(Math.max(0, Math.floor(this.gas / GAS.eventByte)));
    for (let i = 0; i < fields.length; i++) encodeInto(w, ev.fields[i].type, fields[i], this);
    const data = w.finish();
    this.charge(GAS.eventByte * data.length);
    // The event holds decoded copies, so later mutation of a list field cannot change it.
    const decoded = decodeValue(eventTupleType(ev), data) as unknown[];
    const e: EmittedEvent = {
      contract: c.address,
      name: ev.name,
      fields: ev.fields.map((f, i) => ({ name: f.name, type: f.typeText, value: decoded[i] })),
      data,
    };
    this.host!.emitEvent(e);
    this.trace.events.push(e);
  }

  log(msg: unknown): void {
    if (typeof msg !== 'string') revert('print() needs a str');
    this.charge(GAS.logByte * msg.length);
    const line: LogLine = { contract: this.ctx ? this.ctx.address : ZERO_ADDRESS, depth: this.ctx ? this.ctx.depth : 0, message: msg };
    this.trace.logs.push(line);
    if (this.host) this.host.log(line);
  }

  xcall(ext: number, address: unknown, value: unknown, args: unknown[]): unknown {
    this.contract();
    if (this.xcallHandler === null) revert('cross-contract calls are not available here');
    return this.xcallHandler(this, ext, address, value, args);
  }

  /** Charges for reading `n` bytes of module code (XCALL, deploy). */
  chargeCode(n: number): void {
    this.charge(GAS.codeWord * words(n));
  }
}

