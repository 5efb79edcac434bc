// The devnet's index of its canonical chain: block id by height, and where each transaction
// is (block, position). It follows the observer node's tip; after a reorg it drops what is
// above the fork point and indexes the new branch. Rebuilt from the chain at every start.

import type { ChainState } from '../engine/chain-state.ts';
import type { LedgerState } from '../exec/tvm-executor.ts';

export interface IndexedTx {
  readonly hash: string;
  readonly blockId: string;
  readonly height: number;
  /** Position in the block's transactions (and receipts). */
  readonly index: number;
}

type State = ChainState<LedgerState>;

export class ChainIndex {
  /** Canonical block id by height; undefined where a slot made no block. */
  private ids: (string | undefined)[] = [];
  private readonly txs = new Map<string, IndexedTx>();
  private tipHeight = 0;
  /** Indexed heights above 0 that hold a block (kept as blocks are indexed and unindexed). */
  private blocks = 0;

  get height(): number {
    return this.tipHeight;
  }

  /** Canonical blocks above the genesis. */
  get count(): number {
    return this.blocks;
  }

  blockIdAt(height: number): string | undefined {
    return height >= 0 && height <= this.tipHeight ? this.ids[height] : undefined;
  }

  tx(hash: string): IndexedTx | undefined {
    return this.txs.get(hash);
  }

  /** Heights of canonical blocks in [from, to], ascending. */
  *heights(from: number, to: number): Generator<number> {
    for (let h = Math.max(0, from); h <= Math.min(to, this.tipHeight); h++) if (this.ids[h]) yield h;
  }

  /** Block ids above `height`. */
  above(height: number): string[] {
    return this.ids.slice(height + 1).filter((x): x is string => x !== undefined);
  }

  reset(): void {
    this.ids = [];
    this.txs.clear();
    this.tipHeight = 0;
    this.blocks = 0;
  }

  /**
   * Moves the index to `head`'s chain. Walks down from the head until it meets an indexed
   * block, unindexes everything above that fork point, indexes the new branch. Returns the
   * newly canonical states, lowest first.
   */
  follow(head: State, stateById: (id: string) => State | undefined): State[] {
    const branch: State[] = [];
    let s: State | undefined = head;
    while (s && this.ids[s.height] !== s.id) {
      branch.push(s);
      s = s.parentId ? stateById(s.parentId) : undefined;
    }
    const forkHeight = s ? s.height : -1;
    for (let h = forkHeight + 1; h <= this.tipHeight; h++) this.unindex(h, stateById);
    this.ids.length = forkHeight + 1;
    branch.reverse();
    for (const b of branch) {
      this.ids[b.height] = b.id;
      if (b.height > 0) this.blocks++;
      b.ledger.receipts.forEach((r, index) => this.txs.set(r.txHash, { hash: r.txHash, blockId: b.id, height: b.height, index }));
    }
    this.tipHeight = head.height;
    return branch;
  }

  private unindex(height: number, stateById: (id: string) => State | undefined): void {
    const id = this.ids[height];
    if (!id) return;
    if (height > 0) this.blocks--;
    for (const r of stateById(id)?.ledger.receipts ?? []) this.txs.delete(r.txHash);
  }
}
