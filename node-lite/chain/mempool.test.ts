import { describe, expect, it } from 'vitest';
import { AccountKey } from './keys.ts';
import { Mempool, MempoolError, type AccountView } from './mempool.ts';
import { signTx, type TxFields } from './tx.ts';

const alice = AccountKey.fromLabel('alice');
const bob = AccountKey.fromLabel('bob');
const carol = AccountKey.fromLabel('carol');

function view(nonces: Record<string, number> = {}, balances: Record<string, bigint> = {}): AccountView {
  return { nonce: (a) => nonces[a] ?? 0, balance: (a) => balances[a] ?? 10n ** 12n };
}

function tx(key: AccountKey, nonce: number, extra: Partial<TxFields> = {}) {
  return signTx(key, { chainId: 1, nonce, gasLimit: 21_000, gasPrice: 10n, value: 1n, body: { kind: 'transfer', to: carol.address }, ...extra });
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof MempoolError) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('the mempool', () => {
  it('rejects each kind of bad transaction with its own code', () => {
    const pool = new Mempool({ chainId: 1, maxPerSender: 3 });
    const v = view({ [alice.address]: 5 }, { [bob.address]: 100n });
    expect(codeOf(() => pool.add(Uint8Array.of(1, 2, 3), v))).toBe('malformed');
    expect(codeOf(() => pool.add(new Uint8Array(400 * 1024), v))).toBe('too-large');
    expect(codeOf(() => pool.add(tx(alice, 5, { chainId: 2 }).bytes, v))).toBe('wrong-chain');
    const forged = tx(alice, 5).bytes.slice();
    forged[forged.length - 1] ^= 1;
    expect(codeOf(() => pool.add(forged, v))).toBe('bad-signature');
    expect(codeOf(() => pool.add(tx(alice, 4).bytes, v))).toBe('nonce-too-low');
    expect(codeOf(() => pool.add(tx(alice, 5 + 17).bytes, v))).toBe('nonce-too-high');
    expect(codeOf(() => pool.add(tx(alice, 5, { gasPrice: 0n }).bytes, v))).toBe('gas-price-too-low');
    expect(codeOf(() => pool.add(tx(bob, 0).bytes, v))).toBe('insufficient-funds');
    const ok = tx(alice, 5);
    expect(codeOf(() => pool.add(ok.bytes, v))).toBe('accepted');
    expect(codeOf(() => pool.add(ok.bytes, v))).toBe('already-known');
    pool.add(tx(alice, 6).bytes, v);
    pool.add(tx(alice, 7).bytes, v);
    expect(codeOf(() => pool.add(tx(alice, 8).bytes, v))).toBe('sender-limit');
  });

  it('counts earlier pending transactions of the sender against its balance', () => {
    const pool = new Mempool({ chainId: 1 });
    const cost = 21_000n * 10n + 1n;
    const v = view({}, { [alice.address]: cost * 2n });
    pool.add(tx(alice, 0).bytes, v);
    pool.add(tx(alice, 1).bytes, v);
    expect(codeOf(() => pool.add(tx(alice, 2).bytes, v))).toBe('insufficient-funds');
  });

  it('replaces a transaction at the same nonce only for a 10% higher gas price', () => {
    const pool = new Mempool({ chainId: 1 });
    const v = view();
    const first = tx(alice, 0, { gasPrice: 100n });
    pool.add(first.bytes, v);
    expect(codeOf(() => pool.add(tx(alice, 0, { gasPrice: 109n }).bytes, v))).toBe('replacement-underpriced');
    const better = tx(alice, 0, { gasPrice: 110n });
    expect(pool.add(better.bytes, v)).toEqual({ hash: better.hash, replaced: first.hash });
    expect(pool.get(first.hash)).toBeUndefined();
    expect(pool.size).toBe(1);
  });

  it('when full, evicts the cheapest sender\'s last transaction for a better-paying one, else refuses', () => {
    const pool = new Mempool({ chainId: 1, maxTransactions: 3 });
    const v = view();
    pool.add(tx(alice, 0, { gasPrice: 5n }).bytes, v);
    const cheapLast = tx(alice, 1, { gasPrice: 5n });
    pool.add(cheapLast.bytes, v);
    pool.add(tx(bob, 0, { gasPrice: 20n }).bytes, v);
    expect(codeOf(() => pool.add(tx(carol, 0, { gasPrice: 5n }).bytes, v))).toBe('pool-full');
    pool.add(tx(carol, 0, { gasPrice: 6n }).bytes, v);
    expect(pool.get(cheapLast.hash)).toBeUndefined();
    expect(pool.size).toBe(3);
  });

  it('offers executable runs only, best price first, deterministically; prunes after a block', () => {
    const pool = new Mempool({ chainId: 1 });
    const v = view();
    const a0 = tx(alice, 0, { gasPrice: 10n });
    const a1 = tx(alice, 1, { gasPrice: 50n });
    const a3 = tx(alice, 3, { gasPrice: 99n }); // gap at 2: not executable
    const b0 = tx(bob, 0, { gasPrice: 20n });
    for (const t of [a3, a1, b0, a0]) pool.add(t.bytes, v);
    expect(pool.pending(v).map((p) => p.hash)).toEqual([b0.hash, a0.hash, a1.hash]);
    expect(pool.pending(v, 2)).toHaveLength(2);
    expect(pool.prune(view({ [alice.address]: 2 }))).toBe(2);
    expect(pool.pending(view({ [alice.address]: 2 })).map((p) => p.hash)).toEqual([b0.hash]);
    pool.remove([b0.hash]);
    expect(pool.size).toBe(1);
  });
});

describe('block order', () => {
  // The order `pending` promises, computed the plain way: repeatedly the best head among the
  // senders' runs (highest gas price, ties by hash).
  function reference(pool: Mempool, v: AccountView, txs: ReturnType<typeof tx>[]): string[] {
    const bySender = new Map<string, ReturnType<typeof tx>[]>();
    for (const t of txs) {
      if (!pool.get(t.hash)) continue;
      const s = 'zv' + Buffer.from(t.tx.from).toString('hex');
      bySender.set(s, [...(bySender.get(s) ?? []), t]);
    }
    const runs = [...bySender.values()].map((list) => {
      const sorted = list.sort((a, b) => a.tx.nonce - b.tx.nonce);
      const run = [];
      for (let i = 0; i < sorted.length && sorted[i]!.tx.nonce === i; i++) run.push(sorted[i]!);
      return run;
    }).filter((r) => r.length > 0);
    const out: string[] = [];
    while (runs.length > 0) {
      runs.sort((a, b) => (b[0]!.tx.gasPrice > a[0]!.tx.gasPrice ? 1 : b[0]!.tx.gasPrice < a[0]!.tx.gasPrice ? -1 : a[0]!.hash < b[0]!.hash ? -1 : 1));
      out.push(runs[0]!.shift()!.hash);
      if (runs[0]!.length === 0) runs.shift();
    }
    return out;
  }

  it("merges the senders' runs by gas price, ties by hash, as the plain way does", () => {
    const keys = Array.from({ length: 12 }, (_, i) => AccountKey.fromLabel(`order-${i}`));
    const pool = new Mempool({ chainId: 1 });
    const txs: ReturnType<typeof tx>[] = [];
    keys.forEach((k, i) => {
      for (let n = 0; n < 1 + (i % 5); n++) {
        if (i === 3 && n === 1) continue; // a gap: this sender's run stops at nonce 0
        const t = tx(k, n, { gasPrice: BigInt(1 + ((i * 7 + n * 3) % 4)) });
        txs.push(t);
        pool.add(t.bytes, view());
      }
    });
    expect(pool.pending(view()).map((p) => p.hash)).toEqual(reference(pool, view(), txs));
    expect(pool.pending(view(), 5).map((p) => p.hash)).toEqual(reference(pool, view(), txs).slice(0, 5));
  });
});
