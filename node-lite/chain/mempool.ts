// The devnet's mempool: every transaction checked on arrival with a precise error, bounded,
// with a documented eviction rule and replacement by fee. See docs/transactions.md, "Mempool".

import { decodeTx, maxCost, txHash, txSender, verifyTxOnce, TxError, MAX_TX_BYTES, type Tx } from './tx.ts';

export type MempoolErrorCode =
  | 'malformed'
  | 'too-large'
  | 'wrong-chain'
  | 'bad-signature'
  | 'nonce-too-low'
  | 'nonce-too-high'
  | 'gas-price-too-low'
  | 'already-known'
  | 'replacement-underpriced'
  | 'insufficient-funds'
  | 'sender-limit'
  | 'pool-full';

export class MempoolError extends Error {
  readonly code: MempoolErrorCode;
  constructor(code: MempoolErrorCode, message: string) {
    super(message);
    this.name = 'MempoolError';
    this.code = code;
  }
}

/** The chain state the pool checks against: the tip's accounts. */
export interface AccountView {
  nonce(address: string): number;
  balance(address: string): bigint;
}

export interface MempoolOptions {
  readonly chainId: number;
  readonly maxTransactions?: number;
  readonly maxPerSender?: number;
  /** How far ahead of the account's nonce a transaction may wait. */
  readonly maxNonceGap?: number;
  readonly minGasPrice?: bigint;
  /** A replacement at the same nonce must raise the gas price by this many percent. */
  readonly replacementBumpPercent?: number;
}

export interface PooledTx {
  readonly hash: string;
  readonly bytes: Uint8Array;
  readonly tx: Tx;
  readonly sender: string;
}

export class Mempool {
  private readonly byHash = new Map<string, PooledTx>();
  /** sender → nonce → transaction */
  private readonly bySender = new Map<string, Map<number, PooledTx>>();
  private readonly o: Required<MempoolOptions>;

  constructor(options: MempoolOptions) {
    this.o = { maxTransactions: 10_000, maxPerSender: 64, maxNonceGap: 16, minGasPrice: 1n, replacementBumpPercent: 10, ...options };
  }

  get size(): number {
    return this.byHash.size;
  }

  get(hash: string): PooledTx | undefined {
    return this.byHash.get(hash);
  }

  /** Whether the sender has a transaction with this nonce waiting. */
  hasNonce(sender: string, nonce: number): boolean {
    return this.bySender.get(sender)?.has(nonce) ?? false;
  }

  /** Drops everything (the devnet's revert). */
  clear(): void {
    this.byHash.clear();
    this.bySender.clear();
  }

  /** Admits one of the devnet's own dev transactions, which carry no gas price (see Devnet). */
  addDev(bytes: Uint8Array, view: AccountView): { hash: string; replaced: string | null } {
    return this.add(bytes, view, 0n);
  }

  /** Checks and admits a transaction; throws MempoolError saying why not. */
  add(bytes: Uint8Array, view: AccountView, minGasPrice = this.o.minGasPrice): { hash: string; replaced: string | null } {
    if (!(bytes instanceof Uint8Array)) throw new MempoolError('malformed', 'a transaction is bytes');
    if (bytes.length > MAX_TX_BYTES) throw new MempoolError('too-large', `the transaction is ${bytes.length} bytes, at most ${MAX_TX_BYTES}`);
    let tx: Tx;
    try {
      tx = decodeTx(bytes);
    } catch (e) {
      if (e instanceof TxError) throw new MempoolError('malformed', e.message);
      throw e;
    }
    if (tx.chainId !== this.o.chainId) throw new MempoolError('wrong-chain', `the transaction is for chain ${tx.chainId}; this is chain ${this.o.chainId}`);
    const hash = txHash(bytes);
    if (!verifyTxOnce(tx, hash)) throw new MempoolError('bad-signature', 'the signature does not verify for the sender key');
    const sender = txSender(tx);
    const next = view.nonce(sender);
    if (tx.nonce < next) throw new MempoolError('nonce-too-low', `nonce ${tx.nonce} is used: the account's next nonce is ${next}`);
    if (tx.nonce > next + this.o.maxNonceGap) throw new MempoolError('nonce-too-high', `nonce ${tx.nonce} is more than ${this.o.maxNonceGap} ahead of the account's next nonce ${next}`);
    if (tx.gasPrice < minGasPrice) throw new MempoolError('gas-price-too-low', `gas price ${tx.gasPrice} is below the minimum ${minGasPrice}`);
    if (this.byHash.has(hash)) throw new MempoolError('already-known', `transaction ${hash} is already in the pool`);
    const mine = this.bySender.get(sender) ?? new Map<number, PooledTx>();
    const old = mine.get(tx.nonce);
    if (old) {
      const needed = (old.tx.gasPrice * BigInt(100 + this.o.replacementBumpPercent) + 99n) / 100n;
      if (tx.gasPrice < needed) throw new MempoolError('replacement-underpriced', `replacing nonce ${tx.nonce} needs a gas price of at least ${needed} (${this.o.replacementBumpPercent}% above ${old.tx.gasPrice})`);
    }
    // Funds: this transaction after every pending one of the sender with a lower nonce.
    let committed = maxCost(tx);
    for (const [n, p] of mine) if (n < tx.nonce) committed += maxCost(p.tx);
    const balance = view.balance(sender);
    if (committed > balance) throw new MempoolError('insufficient-funds', `the sender holds ${balance}; with its earlier pending transactions this one may cost ${committed}`);
    if (!old && mine.size >= this.o.maxPerSender) throw new MempoolError('sender-limit', `the sender already has ${mine.size} pending transactions (at most ${this.o.maxPerSender})`);
    if (!old && this.byHash.size >= this.o.maxTransactions) this.evictFor(tx);
    const entry: PooledTx = { hash, bytes: bytes.slice(), tx, sender };
    if (old) this.byHash.delete(old.hash);
    mine.set(tx.nonce, entry);
    this.bySender.set(sender, mine);
    this.byHash.set(hash, entry);
    return { hash, replaced: old?.hash ?? null };
  }

  /**
   * When full: the cheapest sender's highest nonce goes (it is the last to become executable,
   * and dropping it leaves no gap), if the newcomer pays strictly more; otherwise 'pool-full'.
   */
  private evictFor(tx: Tx): void {
    let victim: PooledTx | null = null;
    for (const mine of this.bySender.values()) {
      const last = mine.get(Math.max(...mine.keys()))!;
      if (!victim || last.tx.gasPrice < victim.tx.gasPrice || (last.tx.gasPrice === victim.tx.gasPrice && last.hash > victim.hash)) victim = last;
    }
    if (!victim || victim.tx.gasPrice >= tx.gasPrice) throw new MempoolError('pool-full', `the pool holds ${this.byHash.size} transactions and none pays less than ${tx.gasPrice}`);
    this.removeEntry(victim);
  }

  /**
   * Executable transactions for a block: each sender's run of consecutive nonces from its
   * account nonce, senders interleaved by gas price (highest first, ties by hash).
   */
  pending(view: AccountView, limit = Infinity): PooledTx[] {
    // Each sender's run, then a merge by the head of each run: a binary heap, since a block
    // takes thousands of transactions from hundreds of senders.
    const runs: PooledTx[][] = [];
    for (const [sender, mine] of [...this.bySender].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const run: PooledTx[] = [];
      for (let n = view.nonce(sender); mine.has(n); n++) run.push(mine.get(n)!);
      if (run.length > 0) runs.push(run);
    }
    const before = (a: PooledTx, b: PooledTx) => (a.tx.gasPrice !== b.tx.gasPrice ? a.tx.gasPrice > b.tx.gasPrice : a.hash < b.hash);
    const heap = new RunHeap(runs.map((run) => ({ run, at: 0 })), (x, y) => before(x.run[x.at]!, y.run[y.at]!));
    const out: PooledTx[] = [];
    while (out.length < limit && heap.size > 0) {
      const top = heap.peek();
      out.push(top.run[top.at++]!);
      if (top.at === top.run.length) heap.pop();
      else heap.siftDown(0);
    }
    return out;
  }

  remove(hashes: Iterable<string>): void {
    for (const h of hashes) {
      const e = this.byHash.get(h);
      if (e) this.removeEntry(e);
    }
  }

  /** After a new tip: drops what is now included or can never run (nonce below the account's). */
  prune(view: AccountView): number {
    return this.pruned(view).length;
  }

  /** prune, returning the hashes it dropped. */
  pruned(view: AccountView): string[] {
    const dropped: string[] = [];
    for (const [sender, mine] of [...this.bySender]) {
      const next = view.nonce(sender);
      for (const [n, e] of [...mine]) {
        if (n < next) {
          this.removeEntry(e);
          dropped.push(e.hash);
        }
      }
    }
    return dropped;
  }

  private removeEntry(e: PooledTx): void {
    this.byHash.delete(e.hash);
    const mine = this.bySender.get(e.sender);
    if (!mine) return;
    mine.delete(e.tx.nonce);
    if (mine.size === 0) this.bySender.delete(e.sender);
  }
}

/** A binary min-heap over `first` (the best first); the top may be changed in place then sifted down. */
class RunHeap<T> {
  constructor(
    private readonly items: T[],
    private readonly first: (a: T, b: T) => boolean,
  ) {
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T {
    return this.items[0]!;
  }

  pop(): void {
    const last = this.items.pop()!;
    if (this.items.length > 0) {
      this.items[0] = last;
      this.siftDown(0);
    }
  }

  siftDown(i: number): void {
    const a = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < a.length && this.first(a[l]!, a[best]!)) best = l;
      if (r < a.length && this.first(a[r]!, a[best]!)) best = r;
      if (best === i) return;
      [a[i], a[best]] = [a[best]!, a[i]!];
      i = best;
    }
  }
}
