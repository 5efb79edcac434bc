// An in-memory Host for `zv run`, tests and the IDE. Every change goes through an undo journal,
// so snapshot/revertTo/commit nest exactly as the VM needs: revertTo(id) undoes everything done
// since snapshot `id` (nested snapshots included) and commit(id) keeps it (an outer snapshot
// can still undo it). Debug log lines are never undone.

import type { Address, BlockContext, EmittedEvent, Host, LogLine } from './host.ts';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8Encode } from './strings.ts';
import { isAddress, objectArray, type ByteWriter } from './values.ts';
import { TvmValueError } from './errors.ts';

/** The block a MemoryHost starts with unless told otherwise. */
export const DEFAULT_BLOCK: BlockContext = { height: 1n, timestamp: 1_700_000_000n, chainId: 1n };

/** The 32-bit FNV-1a hash of k[0, len), cut to 30 bits: a small integer for V8, which an
 *  entry can hold without boxing it. */
function fnv1a(k: Uint8Array, len: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ k[i], 0x01000193);
  return h & 0x3fffffff;
}

/**
 * Bytes as a string of char codes 0-255. Storage entries keep their keys and values this way: a
 * short string is one small heap object where a Uint8Array takes about ten times the memory, and
 * every entry of a fresh storage map is memory the garbage collector copies until it settles in
 * the old space. (storageGet makes a fresh Uint8Array of the value each time.)
 */
function bytesAsText(k: Uint8Array, len: number): string {
  switch (len) {
    case 1:
      return String.fromCharCode(k[0]);
    case 2:
      return String.fromCharCode(k[0], k[1]);
    case 3:
      return String.fromCharCode(k[0], k[1], k[2]);
    case 4:
      return String.fromCharCode(k[0], k[1], k[2], k[3]);
    case 5:
      return String.fromCharCode(k[0], k[1], k[2], k[3], k[4]);
    case 6:
      return String.fromCharCode(k[0], k[1], k[2], k[3], k[4], k[5]);
    default: {
      // In chunks: apply() takes only so many arguments.
      let t = '';
      for (let i = 0; i < len; i += 4096) t += String.fromCharCode.apply(null, k.subarray(i, Math.min(len, i + 4096)) as unknown as number[]);
      return t;
    }
  }
}

function textAsBytes(t: string): Uint8Array {
  const out = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = t.charCodeAt(i);
  return out;
}

/** k[0, len) and the bytes of t (as bytesAsText) are the same. */
function sameBytes(k: Uint8Array, len: number, t: string): boolean {
  if (len !== t.length) return false;
  for (let i = 0; i < len; i++) if (k[i] !== t.charCodeAt(i)) return false;
  return true;
}

/** One entry of a BytesMap: its key (as bytesAsText), the key's hash, the value, the next entry of its bucket. */
interface BytesEntry<V> {
  readonly key: string;
  readonly hash: number;
  value: V;
  next: BytesEntry<V> | undefined;
}

/** Buckets of a new BytesMap (a power of two). */
const INITIAL_BUCKETS = 16;

/**
 * A map keyed by the contents of byte arrays (storage keys). Hashing the bytes and comparing
 * them in place is cheaper than building a string key for each access. The methods that take
 * a length look at `k[0, len)` only, so a key can sit in a scratch buffer (entries keep copies).
 *
 * The buckets are an array indexed by the hash's low bits, each a chain of entries, doubled
 * when the entries outnumber them (a JS Map keyed by the hash would box every hash outside
 * the small-integer range and hash it once more).
 */
export class BytesMap<V> {
  private buckets: (BytesEntry<V> | undefined)[] = new Array<BytesEntry<V> | undefined>(INITIAL_BUCKETS).fill(undefined);
  private mask = INITIAL_BUCKETS - 1;
  size = 0;

  /** `hash` (of k[0, len)) is for tests (a constant one puts every key in one bucket). */
  constructor(readonly hash: (k: Uint8Array, len: number) => number = fnv1a) {}

  /** The entry of k[0, len), whose hash is h. */
  find(k: Uint8Array, len: number, h: number): BytesEntry<V> | undefined {
    for (let e = this.buckets[h & this.mask]; e !== undefined; e = e.next) if (e.hash === h && sameBytes(k, len, e.key)) return e;
    return undefined;
  }

  /** Adds an entry for k[0, len) (which must be absent), whose hash is h. */
  add(k: Uint8Array, len: number, h: number, v: V): BytesEntry<V> {
    const i = h & this.mask;
    const e: BytesEntry<V> = { key: bytesAsText(k, len), hash: h, value: v, next: this.buckets[i] };
    this.buckets[i] = e;
    if (++this.size > this.buckets.length) this.grow();
    return e;
  }

  /** Doubles the buckets and moves every entry to its new bucket. */
  private grow(): void {
    const old = this.buckets;
    const n = old.length * 2;
    const buckets = new Array<BytesEntry<V> | undefined>(n).fill(undefined);
    const mask = n - 1;
    for (let b = 0; b < old.length; b++) {
      for (let e = old[b]; e !== undefined; ) {
        const next = e.next;
        const i = e.hash & mask;
        e.next = buckets[i];
        buckets[i] = e;
        e = next;
      }
    }
    this.buckets = buckets;
    this.mask = mask;
  }

  /** Removes an entry of this map. */
  remove(e: BytesEntry<V>): void {
    const i = e.hash & this.mask;
    const first = this.buckets[i];
    if (first === e) {
      this.buckets[i] = e.next;
    } else {
      let p = first;
      while (p !== undefined && p.next !== e) p = p.next;
      if (p === undefined) return;
      p.next = e.next;
    }
    this.size--;
  }

  get(k: Uint8Array): V | undefined {
    const e = this.find(k, k.length, this.hash(k, k.length));
    return e === undefined ? undefined : e.value;
  }

  set(k: Uint8Array, v: V): void {
    const h = this.hash(k, k.length);
    const e = this.find(k, k.length, h);
    if (e !== undefined) e.value = v;
    else this.add(k, k.length, h, v);
  }

  delete(k: Uint8Array): void {
    const e = this.find(k, k.length, this.hash(k, k.length));
    if (e !== undefined) this.remove(e);
  }

  /** Puts back the value an entry's key (BytesEntry.key) had: `old` undefined removes it. */
  restore(key: string, old: V | undefined): void {
    const k = textAsBytes(key);
    if (old === undefined) this.delete(k);
    else this.set(k, old);
  }

  /** All entries, in no particular order. */
  entries(): [Uint8Array, V][] {
    const out: [Uint8Array, V][] = [];
    for (const first of this.buckets) for (let e: BytesEntry<V> | undefined = first; e !== undefined; e = e.next) out.push([textAsBytes(e.key), e.value]);
    return out;
  }
}

/** Journal target of an emitted event (undo: drop the last event). */
const EVENT = 'event';

/** Where a journal entry's undo applies: a keyed map, or the event list. */
type UndoTarget = Map<string, unknown> | BytesMap<string> | typeof EVENT;

export class MemoryHost implements Host {
  declare block: BlockContext;
  /** Events of committed calls, in order (events of reverted calls are removed). */
  readonly events: EmittedEvent[] = objectArray();
  /** Every debug log line, including those of reverted calls. */
  readonly logs: LogLine[] = objectArray();

  /** Storage per contract; values kept as bytesAsText. */
  private readonly storage = new Map<Address, BytesMap<string>>();
  private readonly balances = new Map<Address, bigint>();
  private readonly code = new Map<Address, Uint8Array>();
  private readonly nonces = new Map<Address, number>();
  /** Undo entries, three slots each: target, key, previous value (undefined: was absent). */
  private readonly journal: unknown[] = objectArray();
  /** Journal length at each open snapshot, by snapshot id. */
  private marks: number[] = [];

  constructor(opts: { block?: Partial<BlockContext>; balances?: Record<string, bigint> } = {}) {
    this.block = { ...DEFAULT_BLOCK, ...(opts.block ?? {}) };
    for (const [a, v] of Object.entries(opts.balances ?? {})) this.setBalance(a, v);
  }

  // -- storage

  storageGet(contract: Address, key: Uint8Array): Uint8Array | undefined {
    const t = this.storage.get(contract)?.get(key);
    return t === undefined ? undefined : textAsBytes(t);
  }

  storageSet(contract: Address, key: Uint8Array, value: Uint8Array | undefined): void {
    this.storageWrite(contract, key, key.length, value ?? null, value === undefined ? -1 : value.length);
  }

  /**
   * storageGet without fresh arrays (the VM's path, see scratchStorageOf): the key is
   * `key[0, keyLen)`, and the value, when present, is written into `out` (reset first) rather
   * than returned. Returns the value's length, or -1 when the entry is absent.
   */
  storageRead(contract: Address, key: Uint8Array, keyLen: number, out: ByteWriter): number {
    const m = this.storage.get(contract);
    if (m === undefined) return -1;
    const e = m.find(key, keyLen, m.hash(key, keyLen));
    if (e === undefined) return -1;
    out.reset(Infinity);
    out.latin1(e.value);
    return e.value.length;
  }

  /**
   * storageSet of key `key[0, keyLen)` to `value[0, valueLen)`, or deleting it when value is
   * null. Both may be scratch buffers: the map keeps copies (as text).
   */
  storageWrite(contract: Address, key: Uint8Array, keyLen: number, value: Uint8Array | null, valueLen: number): void {
    const m = this.storage.get(contract) ?? this.newStorage(contract);
    // The journal holds the entry's key (undo: BytesMap.restore).
    const h = m.hash(key, keyLen);
    const e = m.find(key, keyLen, h);
    if (e !== undefined) {
      this.record(m, e.key, e.value);
      if (value === null) m.remove(e);
      else e.value = bytesAsText(value, valueLen);
    } else if (value !== null) {
      this.record(m, m.add(key, keyLen, h, bytesAsText(value, valueLen)).key, undefined);
    }
  }

  /** A contract's storage entries as hex key -> value bytes (a copy, sorted by key). */
  storageOf(contract: Address): Map<string, Uint8Array> {
    const m = this.storage.get(contract);
    const entries: [string, Uint8Array][] = m ? m.entries().map(([k, v]) => [bytesToHex(k), textAsBytes(v)]) : [];
    return new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  // -- balances

  getBalance(addr: Address): bigint {
    return this.balances.get(addr) ?? 0n;
  }

  setBalance(addr: Address, amount: bigint): void {
    if (!isAddress(addr)) throw new TvmValueError(`not an address: ${JSON.stringify(addr)}`);
    if (typeof amount !== 'bigint' || amount < 0n) throw new TvmValueError('a balance must be a non-negative bigint');
    this.record(this.balances, addr, this.balances.get(addr));
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
    this.record(this.code, addr, this.code.get(addr));
    // A copy: the VM caches prepared modules by array identity, so stored code must not change.
    this.code.set(addr, code.slice());
    // The contract's (empty) storage map is made now rather than on its first write: that
    // branch of storageWrite then stays cold, so V8's optimized code of the VM's storage path
    // does not deoptimize on it with each new contract.
    if (!this.storage.has(addr)) this.newStorage(addr);
  }

  private newStorage(contract: Address): BytesMap<string> {
    const m = new BytesMap<string>();
    this.storage.set(contract, m);
    return m;
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
    this.record(EVENT, null, undefined);
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
    const j = this.journal;
    while (j.length > mark) {
      const old = j.pop();
      const key = j.pop();
      const target = j.pop() as UndoTarget;
      if (target === EVENT) this.events.pop();
      else if (target instanceof BytesMap) target.restore(key as string, old as string | undefined);
      else if (old === undefined) target.delete(key as string);
      else target.set(key as string, old);
    }
    this.marks.length = id;
  }

  commit(id: number): void {
    this.checkSnapshot(id);
    // pop() rather than `length = id`: usually one mark goes, and pop is the cheaper operation.
    while (this.marks.length > id) this.marks.pop();
    // With no snapshot open nothing can be undone any more: drop the journal.
    if (id === 0 && this.journal.length > 0) this.journal.length = 0;
  }

  private checkSnapshot(id: number): void {
    if (!Number.isInteger(id) || id < 0 || id >= this.marks.length) throw new TvmValueError(`unknown snapshot ${id}`);
  }

  /** Journals how to undo a change of `key` in `target` (old undefined: the key was absent). */
  private record(target: UndoTarget, key: unknown, old: unknown): void {
    if (this.marks.length > 0) this.journal.push(target, key, old);
  }
}

/** Parses a hex storage key of MemoryHost.storageOf back into bytes. */
export function storageKeyBytes(hex: string): Uint8Array {
  return hexToBytes(hex) ?? new Uint8Array(0);
}

/**
 * The host's storage as a MemoryHost's scratch-buffer methods (storageRead / storageWrite), or
 * null when the VM must use the Host interface with fresh arrays: any other host, or a
 * MemoryHost whose storageGet / storageSet a subclass or an instance replaced.
 */
export function scratchStorageOf(host: Host | null): MemoryHost | null {
  return host instanceof MemoryHost && host.storageGet === MemoryHost.prototype.storageGet && host.storageSet === MemoryHost.prototype.storageSet
    ? host
    : null;
}
