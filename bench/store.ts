// lmdb against classic-level (LevelDB) for the devnet's workload, side by side in one run:
// durable block commits, random point reads, prefix scans, reopening, size on disk.
// Run alone: node bin/run-ts.js bench/store.ts [--quick]. The choice is in docs/storage.md.

import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { open as openLmdb } from 'lmdb';
import { ClassicLevel } from 'classic-level';
import type { BenchResult } from './consensus-crypto.ts';

interface Backend {
  readonly name: string;
  commit(entries: [Buffer, Buffer][]): Promise<void>;
  get(key: Buffer): Promise<Buffer | undefined> | Buffer | undefined;
  scan(prefix: Buffer, limit: number): Promise<number>;
  close(): Promise<void>;
}

function lmdbBackend(path: string): Backend {
  // Default lmdb commits are durable (fsync on commit; noSync false); reads are synchronous.
  const db = openLmdb({ path, encoding: 'binary', keyEncoding: 'binary' });
  return {
    name: 'lmdb',
    commit: (entries) => db.transaction(() => {
      for (const [k, v] of entries) db.put(k, v);
    }) as Promise<void>,
    get: (key) => db.getBinary(key) ?? undefined,
    scan: async (prefix, limit) => {
      let n = 0;
      for (const { key } of db.getRange({ start: prefix, limit })) if (Buffer.from(key as Buffer).subarray(0, prefix.length).equals(prefix)) n++;
      return n;
    },
    close: () => db.close(),
  };
}

function levelBackend(path: string): Backend {
  // `sync: true` makes LevelDB fsync its log before the batch resolves: the same guarantee.
  const db = new ClassicLevel<Buffer, Buffer>(path, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  return {
    name: 'classic-level',
    commit: (entries) => db.batch(entries.map(([key, value]) => ({ type: 'put' as const, key, value })), { sync: true }),
    get: async (key) => (await db.get(key)) ?? undefined,
    scan: async (prefix, limit) => {
      let n = 0;
      for await (const _ of db.keys({ gte: prefix, limit })) n++;
      return n;
    },
    close: () => db.close(),
  };
}

function dirSize(path: string): number {
  let total = 0;
  for (const f of readdirSync(path)) {
    const p = join(path, f);
    const s = statSync(p);
    total += s.isDirectory() ? dirSize(p) : s.size;
  }
  return total;
}

const key = (i: number): Buffer => {
  const b = Buffer.alloc(33);
  b[0] = 0x73;
  b.writeUInt32BE(i, 29);
  return b;
};

async function measure(make: (path: string) => Backend, quick: boolean, out: Map<string, number[]>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'zv-store-bench-'));
  const path = join(dir, 'db');
  let db = make(path);
  const name = db.name;
  const put = (label: string, v: number) => out.set(label, [...(out.get(label) ?? []), v]);
  const total = quick ? 20_000 : 200_000;
  const value = randomBytes(100); // one value reused: compressible, which favours LevelDB's size
  // Load in blocks of 2,000 (the devnet's large block), timing each durable commit.
  let t = performance.now();
  for (let i = 0; i < total; i += 2000) await db.commit(Array.from({ length: 2000 }, (_, j) => [key(i + j), value] as [Buffer, Buffer]));
  put('durable commit of 2,000 entries (ms)', (performance.now() - t) / (total / 2000));
  const rounds = quick ? 10 : 50;
  t = performance.now();
  for (let r = 0; r < rounds; r++) await db.commit(Array.from({ length: 200 }, (_, j) => [key(total + r * 200 + j), value] as [Buffer, Buffer]));
  put('durable commit of 200 entries (ms)', (performance.now() - t) / rounds);
  const reads = quick ? 10_000 : 100_000;
  t = performance.now();
  // Awaited for both, so the comparison is fair; lmdb's reads are synchronous underneath.
  for (let i = 0; i < reads; i++) await db.get(key((i * 7919) % total));
  put('random point read (µs)', ((performance.now() - t) * 1000) / reads);
  t = performance.now();
  await db.scan(key(1000), 1000);
  put('prefix scan of 1,000 entries (ms)', performance.now() - t);
  await db.close();
  t = performance.now();
  db = make(path);
  await db.get(key(5));
  put(`reopen with ${total.toLocaleString('en-US')} entries (ms)`, performance.now() - t);
  await db.close();
  put('size on disk (MiB)', dirSize(path) / 2 ** 20);
  rmSync(dir, { recursive: true, force: true });
  return name;
}

export async function benchStore(quick = false): Promise<BenchResult[]> {
  const lm = new Map<string, number[]>();
  const lv = new Map<string, number[]>();
  await measure(lmdbBackend, quick, lm);
  await measure(levelBackend, quick, lv);
  const out: BenchResult[] = [];
  const round = (x: number) => Math.round(x * 100) / 100;
  for (const [label, [a]] of lm) {
    const b = lv.get(label)![0]!;
    out.push({ name: `lmdb: ${label}`, value: round(a!), unit: '' });
    out.push({ name: `classic-level: ${label}`, value: round(b), unit: `(classic-level ÷ lmdb = ${round(b / a!)})` });
  }
  return out;
}

if (process.argv[1]?.endsWith('store.ts')) {
  for (const r of await benchStore(process.argv.includes('--quick'))) console.log(`${r.name.padEnd(64)} ${String(r.value).padStart(10)} ${r.unit}`);
}
