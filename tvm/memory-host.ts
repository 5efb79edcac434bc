// An in-memory Host for `zv run`, tests and the IDE. Every change goes through an undo journal,
// so snapshot/revertTo/commit nest exactly as the VM needs: revertTo(id) undoes everything done
// since snapshot `id` (nested snapshots included) and commit(id) keeps it (an outer snapshot
// can still undo it). Debug log lines are never undone.

import type { Address, BlockContext, EmittedEvent, Host, LogLine } from './host.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8Encode } from './strings.ts';
import { isAddress } from './values.ts';
import { TvmValueError } from './errors.ts';

/** The block a MemoryHost starts with unless told otherwise. */
export const DEFAULT_BLOCK: BlockContext = { height: 1n, timestamp: 1_700_000_000n, chainId: 1n };

export class MemoryHost implements Host {
  block: BlockContext;
  /** Events of committed calls, in order (events of reverted calls are removed). */
  readonly events: EmittedEvent[] = [];
  /** Every debug log line, including those of reverted calls. */
  readonly logs: LogLine[] = [];

  private readonly storage = new Map<Address, Map<string, Uint8Array>>();
  private readonly balances = new Map<Address, bigint>();
  private readonly code = new Map<Address, Uint8Array>();
  private readonly nonces = new Map<Address, number>();
  private journal: (() => void)[] = [];
  /** Journal length at each open snapshot, by snapshot id. */
  private marks: number[] = [];

  constructor(opts: { block?: Partial<BlockContext>; balances?: Record<string, bigint> } = {}) {
    this.block = { ...DEFAULT_BLOCK, ...(opts.block ?? {}) };
    for (const [a, v] of Object.entries(opts.balances ?? {})) this.setBalance(a, v);
  }

  // -- storage

  storageGet(contract: Address, key: Uint8Array): Uint8Array | undefined {
    return this.storage.get(contract)?.get(bytesToHex(key));
  }

  storageSet(contract: Address, key: Uint8Array, value: Uint8Array | undefined): void {
    let m = this.storage.get(contract);
    if (!m) {
      m = new Map();
      this.storage.set(contract, m);
    }
    const k = bytesToHex(key);
    const old = m.get(k);
    const map = m;
    this.record(() => (old === undefined ? map.delete(k) : map.set(k, old)));
    if (value === undefined) m.delete(k);
    else m.set(k, value.slice());
  }

  /** A contract's storage entries as hex key -> value bytes (a copy, sorted by key). */
  storageOf(contract: Address): Map<string, Uint8Array> {
    const m = this.storage.get(contract) ?? new Map<string, Uint8Array>();
    return new Map([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  // -- balances

  getBalance(addr: Address): bigint {
    return this.balances.get(addr) ?? 0n;
  }

  setBalance(addr: Address, amount: bigint): void {
    if (!isAddress(addr)) throw new TvmValueError(`not an address: ${JSON.stringify(addr)}`);
    if (typeof amount !== 'bigint' || amount < 0n) throw new TvmValueError('a balance must be a non-negative bigint');
    const old = this.balances.get(addr);
    this.record(() => (old === undefined ? this.balances.delete(addr) : this.balances.set(addr, old)));
    this.balances.set(addr, amount);
  }

  transfer(from: Address, to: Address, amount: bigint): boolean {
    if (amount < 0n || this.getBalance(from) < amount) return false;
    if (from === to || amount === 0n) return true;
    this.setBalance(from, this.getBalance(from) - amount);
    this.setBalance(to, this.getBalance(to) + amount);
    return true;
  }

  // -- code

  getCode(addr: Address): Uint8Array | undefined {
    return this.code.get(addr);
  }

  setCode(addr: Address, code: Uint8Array): void {
    const old = this.code.get(addr);
    this.record(() => (old === undefined ? this.code.delete(addr) : this.code.set(addr, old)));
    // A copy: the VM caches prepared modules by array identity, so stored code must not change.
    this.code.set(addr, code.slice());
  }

  /** A fresh contract address for a deployment by `sender`: sha256("zv-contract:" sender ":" n)
   *  with a per-sender counter n, so deployments are deterministic and never collide. */
  nextContractAddress(sender: string): string {
    const n = this.nonces.get(sender) ?? 0;
    this.nonces.set(sender, n + 1);
    return 'zv' + bytesToHex(sha256(utf8Encode(`zv-contract:${sender}:${n}`)));
  }

  // -- events and logs

  emitEvent(ev: EmittedEvent): void {
    this.events.push(ev);
    this.record(() => this.events.pop());
  }

  log(line: LogLine): void {
    this.logs.push(line);
  }

  // -- journal

  snapshot(): number {
    this.marks.push(this.journal.length);
    return this.marks.length - 1;
  }

  revertTo(id: number): void {
    this.checkSnapshot(id);
    const mark = this.marks[id];
    while (this.journal.length > mark) this.journal.pop()!();
    this.marks.length = id;
  }

  commit(id: number): void {
    this.checkSnapshot(id);
    this.marks.length = id;
    // With no snapshot open nothing can be undone any more: drop the journal.
    if (id === 0) this.journal = [];
  }

  private checkSnapshot(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.marks.length) throw new TvmValueError(`unknown snapshot ${id}`);
  }

  private record(undo: () => void): void {
    if (this.marks.length > 0) this.journal.push(undo);
  }
}

/** Parses a hex storage key of MemoryHost.storageOf back into bytes. */
export function storageKeyBytes(hex: string): Uint8Array {
  return hexToBytes(hex) ?? new Uint8Array(0);
}
