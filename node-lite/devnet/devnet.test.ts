// The devnet's data folder: one devnet at a time, a stale lock taken over, a damaged or
// foreign description refused with what to do.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signTx } from '../chain/tx.ts';
import { Devnet, DevnetError } from './devnet.ts';

describe('the devnet data folder', () => {
  const dirs: string[] = [];
  const folder = () => {
    const d = mkdtempSync(join(tmpdir(), 'zv-devnet-dir-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is locked while a devnet runs on it, and free after it closes', async () => {
    const dir = folder();
    const a = await Devnet.open({ dataDir: dir });
    await expect(Devnet.open({ dataDir: dir })).rejects.toThrow(/another devnet \(pid \d+\) is running on/);
    await a.close();
    const b = await Devnet.open({ dataDir: dir });
    await b.close();
  }, 60_000);

  it('keeps accepted transactions across a restart (the pool journal), and mines them', async () => {
    const dir = folder();
    const first = await Devnet.open({ dataDir: dir, blockTimeMs: 3_600_000 }); // no slot runs
    const a = first.accounts[0]!;
    const txs = [0, 1, 2].map((nonce) => signTx(a.key, { chainId: first.meta.chainId, nonce, gasLimit: 21_000, gasPrice: 1n, value: 5n, body: { kind: 'transfer', to: first.accounts[1]!.address } }));
    for (const t of txs) await first.submitRawTransaction(t.bytes);
    expect(first.head.height).toBe(0);
    await first.close();
    const second = await Devnet.open({ dataDir: dir }); // instant mining: the restored pool is mined
    expect(second.mempool.size + txs.filter((t) => second.knows(t.hash)).length).toBeGreaterThan(0);
    for (const t of txs) await second.waitForTransaction(t.hash, 30_000);
    expect(second.receipt(txs[2]!.hash)).toMatchObject({ status: 'success' });
    await second.close();
    // Once included, they leave the journal: a third start has nothing to restore.
    const third = await Devnet.open({ dataDir: dir, blockTimeMs: 3_600_000 });
    expect(third.mempool.size).toBe(0);
    await third.close();
  }, 120_000);

  it('takes over the lock of a process that is gone', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'LOCK'), '999999999');
    const dn = await Devnet.open({ dataDir: dir });
    await dn.close();
  }, 60_000);

  it('refuses a damaged description or another preset, naming --reset', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'devnet.json'), '{"format": 7}');
    const err = await Devnet.open({ dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DevnetError);
    expect((err as Error).message).toMatch(/not a devnet description of this version; start over with --reset/);
    const fresh = folder();
    await (await Devnet.open({ dataDir: fresh })).close();
    await expect(Devnet.open({ dataDir: fresh, preset: 'seed' })).rejects.toThrow(/runs the small preset; use --reset/);
    const reset = await Devnet.open({ dataDir: fresh, preset: 'seed', reset: true });
    expect(reset.meta.preset).toBe('seed');
    await reset.close();
  }, 120_000);
});
