// The TVM's Host over the devnet's state: reads come from the committed state at the parent
// block (any synchronous reader: the Merkle trie over the store), writes go to an overlay
// with a journal, so nested snapshots and reverts cost nothing in the store. At the end of a
// block, `changes()` lists the overlay in key order for one trie update.
//
// State layout (keys are bytes; the trie hashes them, so prefixes cost nothing):
//   'a' ‖ address[32]          → account: nonce u64 ‖ balance u128 (24 bytes)
//   'c' ‖ address[32]          → contract code (a TVM module)
//   's' ‖ address[32] ‖ key    → contract storage value

import { sha256 } from '@noble/hashes/sha2.js';
import type { Address, BlockContext, EmittedEvent, Host, LogLine } from '../../tvm/host.ts';
import { keyText, textKey } from '../state/key-text.ts';

export type StateReader = (key: Uint8Array) => Uint8Array | undefined;

export interface Account {
  readonly nonce: number;
  readonly balance: bigint;
}

export const EMPTY_ACCOUNT: Account = Object.freeze({ nonce: 0, balance: 0n });
const U128_MAX = (1n << 128n) - 1n;

export class StateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateError';
  }
}

export function addressBytes(address: Address): Uint8Array {
  // Called on every state access: validate while decoding instead of a regular expression.
  if (typeof address !== 'string' || address.length !== 66 || address.charCodeAt(0) !== 0x7a || address.charCodeAt(1) !== 0x76) notAddress(address);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const hi = HEX_VALUE[address.charCodeAt(2 + 2 * i)] ?? 255;
    const lo = HEX_VALUE[address.charCodeAt(3 + 2 * i)] ?? 255;
    if ((hi | lo) > 15) notAddress(address);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function notAddress(address: unknown): never {
  throw new StateError(`not an address: ${JSON.stringify(address).slice(0, 80)}`);
}

// Hex digit values by char code, 255 for anything else (lowercase only: the address form).
const HEX_VALUE = new Uint8Array(128).fill(255);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) HEX_VALUE[97 + i] = 10 + i;

export function accountKey(address: Address): Uint8Array {
  return prefixed(0x61, addressBytes(address)); // 'a'
}

export function codeKey(address: Address): Uint8Array {
  return prefixed(0x63, addressBytes(address)); // 'c'
}

export function storageKey(address: Address, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(33 + key.length);
  out[0] = 0x73; // 's'
  out.set(addressBytes(address), 1);
  out.set(key, 33);
  return out;
}

function prefixed(tag: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + body.length);
  out[0] = tag;
  out.set(body, 1);
  return out;
}

export function encodeAccount(a: Account): Uint8Array {
  if (!Number.isSafeInteger(a.nonce) || a.nonce < 0) throw new StateError(`bad nonce ${a.nonce}`);
  if (a.balance < 0n || a.balance > U128_MAX) throw new StateError(`balance out of range: ${a.balance}`);
  const out = new Uint8Array(24);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(a.nonce));
  view.setBigUint64(8, a.balance >> 64n);
  view.setBigUint64(16, a.balance & 0xffff_ffff_ffff_ffffn);
  return out;
}

export function decodeAccount(bytes: Uint8Array): Account {
  if (bytes.length !== 24) throw new StateError(`an account entry is 24 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
  return { nonce: Number(view.getBigUint64(0)), balance: (view.getBigUint64(8) << 64n) | view.getBigUint64(16) };
}

/** Where a deployment lands: SHA-256("zv-contract:" sender ":" nonce) of the deploying transaction. */
export function contractAddress(sender: Address, nonce: number): Address {
  const digest = sha256(new TextEncoder().encode(`zv-contract:${sender}:${nonce}`));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return 'zv' + hex;
}

const ABSENT = Symbol('absent'); // journal: the overlay had no entry for the key

export class StateHost implements Host {
  readonly events: EmittedEvent[] = [];
  readonly logs: LogLine[] = [];
  private readonly overlay = new Map<string, Uint8Array | null>();
  private readonly reads = new Map<string, Uint8Array | null>();
  private readonly journal: [string, Uint8Array | null | typeof ABSENT | 'event'][] = [];
  private marks: number[] = [];

  constructor(
    private readonly read: StateReader,
    public block: BlockContext,
  ) {}

  // -- raw state

  get(key: Uint8Array): Uint8Array | undefined {
    return this.getText(keyText(key));
  }

  set(key: Uint8Array, value: Uint8Array | undefined): void {
    this.setText(keyText(key), value);
  }

  // Keys as latin1 text (see keyText): the overlay's and the read cache's map keys.
  private getText(k: string): Uint8Array | undefined {
    if (this.overlay.has(k)) return this.overlay.get(k) ?? undefined;
    // The base state never changes under a host: each key is read from the trie once.
    if (this.reads.has(k)) return this.reads.get(k) ?? undefined;
    const v = this.read(textKey(k));
    this.reads.set(k, v ?? null);
    return v;
  }

  private setText(k: string, value: Uint8Array | undefined): void {
    if (this.marks.length > 0) this.journal.push([k, this.overlay.has(k) ? this.overlay.get(k)! : ABSENT]);
    this.overlay.set(k, value === undefined ? null : value.slice());
  }

  /** The account keys (as accountKeyText) this host has read or written: what a run observed. */
  touchedAccounts(): Set<string> {
    const out = new Set<string>();
    for (const k of this.reads.keys()) if (k.length === 33 && k.charCodeAt(0) === 0x61) out.add(k);
    for (const k of this.overlay.keys()) if (k.length === 33 && k.charCodeAt(0) === 0x61) out.add(k);
    return out;
  }

  /** Every key written in this block, in byte order, with its value (null: deleted). */
  changes(): [Uint8Array, Uint8Array | null][] {
    return [...this.overlay.keys()].sort().map((k) => [textKey(k), this.overlay.get(k)!]);
  }

  // -- accounts

  account(address: Address): Account {
    const bytes = this.getText(accountKeyText(address));
    return bytes ? decodeAccount(bytes) : EMPTY_ACCOUNT;
  }

  setAccount(address: Address, a: Account): void {
    this.setText(accountKeyText(address), a.nonce === 0 && a.balance === 0n ? undefined : encodeAccount(a));
  }

  credit(address: Address, amount: bigint): void {
    const a = this.account(address);
    if (a.balance + amount > U128_MAX) throw new StateError(`balance of ${address} would exceed 2^128 - 1`);
    this.setAccount(address, { ...a, balance: a.balance + amount });
  }

  /** Takes coin; false (and no change) when the balance is short. */
  debit(address: Address, amount: bigint): boolean {
    const a = this.account(address);
    if (a.balance < amount) return false;
    this.setAccount(address, { ...a, balance: a.balance - amount });
    return true;
  }

  // -- Host

  storageGet(contract: Address, key: Uint8Array): Uint8Array | undefined {
    return this.get(storageKey(contract, key));
  }

  storageSet(contract: Address, key: Uint8Array, value: Uint8Array | undefined): void {
    this.set(storageKey(contract, key), value);
  }

  getBalance(addr: Address): bigint {
    return this.account(addr).balance;
  }

  transfer(from: Address, to: Address, amount: bigint): boolean {
    if (amount < 0n) return false;
    if (from === to || amount === 0n) return this.getBalance(from) >= amount;
    if (!this.debit(from, amount)) return false;
    this.credit(to, amount);
    return true;
  }

  getCode(addr: Address): Uint8Array | undefined {
    return this.get(codeKey(addr));
  }

  setCode(addr: Address, code: Uint8Array): void {
    this.set(codeKey(addr), code);
  }

  emitEvent(ev: EmittedEvent): void {
    this.events.push(ev);
    if (this.marks.length > 0) this.journal.push(['', 'event']);
  }

  log(line: LogLine): void {
    this.logs.push(line);
  }

  snapshot(): number {
    this.marks.push(this.journal.length);
    return this.marks.length - 1;
  }

  revertTo(id: number): void {
    this.checkSnapshot(id);
    const mark = this.marks[id]!;
    while (this.journal.length > mark) {
      const [k, old] = this.journal.pop()!;
      if (old === 'event') this.events.pop();
      else if (old === ABSENT) this.overlay.delete(k);
      else this.overlay.set(k, old);
    }
    this.marks.length = id;
  }

  commit(id: number): void {
    this.checkSnapshot(id);
    this.marks.length = id;
    if (id === 0) this.journal.length = 0;
  }

  private checkSnapshot(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.marks.length) throw new StateError(`unknown snapshot ${id}`);
  }
}

// An account's key as text, by address: every transaction touches a few accounts several
// times, and decoding the address each time showed in profiles. Bounded; content never stale.
const ACCOUNT_KEYS_MAX = 65_536;
const accountKeys = new Map<string, string>();

export function accountKeyText(address: Address): string {
  let k = accountKeys.get(address);
  if (k === undefined) {
    k = keyText(accountKey(address));
    if (accountKeys.size >= ACCOUNT_KEYS_MAX) accountKeys.delete(accountKeys.keys().next().value!);
    accountKeys.set(address, k);
  }
  return k;
}

