// The devnet's persistent key-value store: LMDB (the `lmdb` package), chosen by measurement
// over LevelDB (docs/storage.md): synchronous reads (contract execution cannot await),
// durable atomic commits several times faster, reads an order of magnitude faster.
//
// Contract: `commit` applies a batch atomically and resolves only once it is durable (LMDB
// syncs on commit); after a crash, a batch is wholly there or wholly absent. Keys and values
// are bytes; iteration is in byte order.

import { mkdirSync, statSync } from 'node:fs';
import { open, type RootDatabase } from 'lmdb';

export interface KvBatch {
  readonly put: readonly (readonly [Uint8Array, Uint8Array])[];
  readonly del: readonly Uint8Array[];
}

export interface KvStore {
  get(key: Uint8Array): Uint8Array | undefined;
  commit(batch: KvBatch): Promise<void>;
  /** Entries whose key starts with `prefix`, in byte order (reverse: descending). */
  iterate(prefix: Uint8Array, opts?: { reverse?: boolean; limit?: number }): Iterable<[Uint8Array, Uint8Array]>;
  close(): Promise<void>;
}

export type StoreErrorCode = 'cannot-open' | 'locked' | 'corrupt' | 'closed';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** Opens (creating) the store in folder `path`. */
export async function openKvStore(path: string): Promise<KvStore> {
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    throw new StoreError('cannot-open', `cannot create the data folder ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!statSync(path).isDirectory()) throw new StoreError('cannot-open', `${path} is not a folder`);
  let db: RootDatabase<Buffer, Buffer>;
  try {
    db = open<Buffer, Buffer>({ path, encoding: 'binary', keyEncoding: 'binary', mapSize: 2 ** 34 });
    db.getBinary(Buffer.from([0])); // touch it: a foreign or damaged file fails here, not later
  } catch (e) {
    const msg = (e as Error).message;
    if (/lock|busy|resource temporarily unavailable/i.test(msg)) throw new StoreError('locked', `the store in ${path} is in use by another process`);
    throw new StoreError(/invalid|version|corrupt|MDB_/i.test(msg) ? 'corrupt' : 'cannot-open', `cannot open the store in ${path}: ${msg}`);
  }
  return new LmdbStore(db, path);
}

class LmdbStore implements KvStore {
  private closed = false;
  constructor(
    private readonly db: RootDatabase<Buffer, Buffer>,
    private readonly path: string,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    this.check();
    const v = this.db.getBinary(Buffer.from(key.buffer, key.byteOffset, key.length));
    return v === undefined ? undefined : new Uint8Array(v);
  }

  async commit(batch: KvBatch): Promise<void> {
    this.check();
    await this.db.transaction(() => {
      for (const k of batch.del) this.db.remove(Buffer.from(k));
      for (const [k, v] of batch.put) this.db.put(Buffer.from(k), Buffer.from(v));
    });
  }

  *iterate(prefix: Uint8Array, opts: { reverse?: boolean; limit?: number } = {}): Iterable<[Uint8Array, Uint8Array]> {
    this.check();
    const start = Buffer.from(prefix);
    const end = prefixEnd(prefix);
    // Reverse: from just below the next prefix down; stop at the first key outside the prefix.
    const range = opts.reverse
      ? this.db.getRange({ start: end ?? undefined, reverse: true, exclusiveStart: end !== null })
      : this.db.getRange({ start, end: end ?? undefined });
    let n = 0;
    for (const { key, value } of range) {
      if (opts.limit !== undefined && n >= opts.limit) return;
      const k = new Uint8Array(key as Buffer);
      if (!startsWith(k, prefix)) {
        if (opts.reverse) return;
        continue;
      }
      n++;
      yield [k, new Uint8Array(value as Buffer)];
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }

  private check(): void {
    if (this.closed) throw new StoreError('closed', `the store in ${this.path} is closed`);
  }
}

/** In memory, same behaviour: for tests and throwaway devnets. */
export class MemoryKvStore implements KvStore {
  private readonly map = new Map<string, Uint8Array>();
  private closed = false;

  get(key: Uint8Array): Uint8Array | undefined {
    this.check();
    const v = this.map.get(latin1(key));
    return v?.slice();
  }

  async commit(batch: KvBatch): Promise<void> {
    this.check();
    for (const k of batch.del) this.map.delete(latin1(k));
    for (const [k, v] of batch.put) this.map.set(latin1(k), v.slice());
  }

  *iterate(prefix: Uint8Array, opts: { reverse?: boolean; limit?: number } = {}): Iterable<[Uint8Array, Uint8Array]> {
    this.check();
    const p = latin1(prefix);
    const keys = [...this.map.keys()].filter((k) => k.startsWith(p)).sort();
    if (opts.reverse) keys.reverse();
    for (const k of keys.slice(0, opts.limit ?? keys.length)) yield [bytesOf(k), this.map.get(k)!.slice()];
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(): void {
    if (this.closed) throw new StoreError('closed', 'the in-memory store is closed');
  }
}

/** The smallest key above every key with this prefix, or null (all 0xff). */
function prefixEnd(prefix: Uint8Array): Buffer | null {
  const out = Buffer.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      out[i]!++;
      return out.subarray(0, i + 1);
    }
  }
  return null;
}

function startsWith(k: Uint8Array, prefix: Uint8Array): boolean {
  if (k.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (k[i] !== prefix[i]) return false;
  return true;
}

// One char per byte: string order is byte order.
function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
}

function bytesOf(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'latin1'));
}
