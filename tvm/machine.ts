// The state of one contract-level invocation: its module, gas counter, call context and the
// environment operations (storage, balances, events, logs) that go through the Host.
//
// Storage keys: LEB128(slot id) followed by the canonical encodings of the keys (outermost
// first). Values: canonical encodings. Storing a value whose encoding equals the default's
// deletes the entry; loading an absent entry gives a fresh default.

import type { EmittedEvent, Host, LogLine } from './host.ts';
import type { LoadedModule } from './loader.ts';
import { revert, TvmDecodeError } from './errors.ts';
import { ENV } from './opcodes.ts';
import { ByteWriter, decodeValue, encodeInto, isAddress, normBig, toBig } from './values.ts';
import { bytesEqual } from './strings.ts';
import { defaultSize, defaultValue, ZERO_ADDRESS } from './types.ts';
import { GAS, GasCounter, words } from './gas.ts';

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
  constructor(
    readonly mod: LoadedModule,
    readonly host: Host | null,
    readonly ctx: CallContext | null,
    gas: number,
    readonly trace: Trace,
    readonly xcallHandler: XcallHandler | null,
  ) {
    super(gas);
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

  private storageKey(slotIndex: number, keys: unknown[]): Uint8Array {
    const slot = this.mod.slots[slotIndex];
    const w = new ByteWriter(Math.max(0, this.gas));
    w.bytes(slot.prefix);
    for (let i = 0; i < keys.length; i++) encodeInto(w, slot.keyTypes[i], keys[i], this);
    return w.finish();
  }

  sload(slotIndex: number, keys: unknown[]): unknown {
    const c = this.contract();
    const slot = this.mod.slots[slotIndex];
    const key = this.storageKey(slotIndex, keys);
    const raw = this.host!.storageGet(c.address, key);
    this.charge(GAS.sloadByte * (key.length + (raw ? raw.length : 0)));
    if (raw === undefined) {
      this.charge(GAS.element * defaultSize(slot.valueType));
      return defaultValue(slot.valueType);
    }
    try {
      return decodeValue(slot.valueType, raw, this);
    } catch (e) {
      if (e instanceof TvmDecodeError) revert(`corrupt storage value of '${slot.name}': ${e.message}`);
      throw e;
    }
  }

  sstore(slotIndex: number, value: unknown, keys: unknown[]): void {
    const c = this.writable();
    const slot = this.mod.slots[slotIndex];
    const key = this.storageKey(slotIndex, keys);
    const w = new ByteWriter(Math.max(0, Math.floor(this.gas / GAS.sstoreByte)));
    encodeInto(w, slot.valueType, value, this);
    const enc = w.finish();
    const isDefault = bytesEqual(enc, slot.defaultEncoding);
    this.charge(GAS.sstoreByte * (key.length + (isDefault ? 0 : enc.length)));
    this.host!.storageSet(c.address, key, isDefault ? undefined : enc);
  }

  shas(slotIndex: number, keys: unknown[]): boolean {
    const c = this.contract();
    const key = this.storageKey(slotIndex, keys);
    const raw = this.host!.storageGet(c.address, key);
    this.charge(GAS.sloadByte * key.length);
    return raw !== undefined;
  }

  sdel(slotIndex: number, keys: unknown[]): void {
    const c = this.writable();
    const key = this.storageKey(slotIndex, keys);
    this.charge(GAS.sdelByte * key.length);
    this.host!.storageSet(c.address, key, undefined);
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
    const decoded = decodeValue({ kind: 'tuple', items: ev.fields.map((f) => f.type) }, data) as unknown[];
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

