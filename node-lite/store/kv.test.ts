import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryKvStore, openKvStore, StoreError, type KvStore } from './kv.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'zv-kv-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const b = (...xs: number[]) => Uint8Array.from(xs);
const keys = (it: Iterable<[Uint8Array, Uint8Array]>) => [...it].map(([k]) => [...k]);

const implementations: [string, () => Promise<KvStore>][] = [
  ['MemoryKvStore', async () => new MemoryKvStore()],
  ['lmdb', () => openKvStore(join(tempDir(), 'db'))],
];

describe.each(implementations)('%s', (_name, make) => {
  it('puts, gets and deletes in atomic batches', async () => {
    const s = await make();
    await s.commit({ put: [[b(1), b(10)], [b(2), b(20)]], del: [] });
    expect(s.get(b(1))).toEqual(b(10));
    await s.commit({ put: [[b(3), b(30)]], del: [b(1)] });
    expect(s.get(b(1))).toBeUndefined();
    expect(s.get(b(3))).toEqual(b(30));
    await s.close();
    expect(() => s.get(b(3))).toThrow(StoreError);
  });

  it('iterates a prefix in byte order, both ways, bounded, including 0xff keys', async () => {
    const s = await make();
    const all = [b(1), b(1, 0), b(1, 0xff), b(1, 0xff, 0xff), b(2), b(0xff), b(0xff, 0xff), b(0, 5)];
    await s.commit({ put: all.map((k) => [k, b(9)] as const), del: [] });
    expect(keys(s.iterate(b(1)))).toEqual([[1], [1, 0], [1, 0xff], [1, 0xff, 0xff]]);
    expect(keys(s.iterate(b(1), { reverse: true }))).toEqual([[1, 0xff, 0xff], [1, 0xff], [1, 0], [1]]);
    expect(keys(s.iterate(b(1), { limit: 2 }))).toEqual([[1], [1, 0]]);
    expect(keys(s.iterate(b(0xff)))).toEqual([[0xff], [0xff, 0xff]]);
    expect(keys(s.iterate(b(0xff), { reverse: true }))).toEqual([[0xff, 0xff], [0xff]]);
    expect(keys(s.iterate(b(3)))).toEqual([]);
    await s.close();
  });
});

describe('the lmdb store on disk', () => {
  it('keeps its data across a reopen', async () => {
    const path = join(tempDir(), 'db');
    const s = await openKvStore(path);
    await s.commit({ put: [[b(7), b(70)]], del: [] });
    await s.close();
    const again = await openKvStore(path);
    expect(again.get(b(7))).toEqual(b(70));
    await again.close();
  });

  it('says what is wrong with a path it cannot use', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    await expect(openKvStore(file)).rejects.toThrow(/is not a folder|cannot create/);
    await expect(openKvStore(join(file, 'below'))).rejects.toMatchObject({ code: 'cannot-open' });
  });

  it('loses no acknowledged batch and never keeps half a batch when killed with SIGKILL', { timeout: 60_000 }, async () => {
    const path = join(tempDir(), 'db');
    const script = join(ROOT, 'node-lite/store/crash-writer.ts');
    let next = 0;
    for (const killAfter of [400, 700, 1100]) {
      const acked = await new Promise<number[]>((done) => {
        const child = spawn(process.execPath, [join(ROOT, 'bin/run-ts.js'), script, path, String(next)], { stdio: ['ignore', 'pipe', 'inherit'] });
        const seen: number[] = [];
        let buf = '';
        let timer: NodeJS.Timeout | null = null;
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          const lines = buf.split('\n');
          buf = lines.pop()!;
          for (const l of lines) seen.push(Number(l));
          // Kill only once it is writing, at a moment that differs per round.
          timer ??= setTimeout(() => child.kill('SIGKILL'), killAfter);
        });
        child.on('exit', () => {
          if (timer) clearTimeout(timer);
          done(seen);
        });
      });
      expect(acked.length).toBeGreaterThan(0);
      const s = await openKvStore(path);
      const count = (n: number) => [...Array(50).keys()].filter((i) => s.get(new TextEncoder().encode(`${n}:${i}`)) !== undefined).length;
      for (const n of acked) expect(count(n)).toBe(50);
      const last = acked.at(-1)!;
      for (const n of [last + 1, last + 2]) expect([0, 50]).toContain(count(n));
      next = last + 3;
      await s.close();
    }
  });
});
