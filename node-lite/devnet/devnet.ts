// The devnet: a whole Chiron network in one process (every miner of the preset a ChironNode
// on the simulated network), the TVM behind the engine, blocks and state in an lmdb store, a
// mempool with precise errors, and the dev methods (mine, snapshot/revert, set balance, time
// travel). The RPC server (rpc-methods.ts) and `zv devnet` sit on top. See docs/devnet.md.
//
// Time: the network runs on virtual time (the simulator's scheduler), which moves only when
// the devnet mines: slot by slot, as fast as the CPU allows. Instant mining runs slots while
// transactions wait; interval mining runs one slot per `blockTimeMs` of real time. Every block
// still goes through the proposer's VRF, the group's threshold signature and the beacon.
//
// Durability: one node (the observer, m0) commits every block it accepts to the store, with
// the trie nodes made since the last commit. A receipt is reported only once its block is
// durable, so what a client was told is included survives a kill -9.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Block } from '../consensus/block.ts';
import { toHex } from '../consensus/bytes.ts';
import { PRESETS, type ConsensusParams } from '../consensus/params.ts';
import { Mempool, MempoolError, type AccountView } from '../chain/mempool.ts';
import { decodeTx, markVerified, signedParts, signTx, txHash, TxError, type DevOp, type Tx } from '../chain/tx.ts';
import { VerifyPool } from '../chain/verify-pool.ts';
import { genesisState, type ChainRules, type ChainState } from '../engine/chain-state.ts';
import { makeDevGenesis, type Genesis } from '../engine/genesis.ts';
import { Memo } from '../engine/memo.ts';
import { ChironNode } from '../engine/node.ts';
import type { SignerCertificate } from '../engine/types.ts';
import { SimNetwork } from '../net/sim-network.ts';
import { EMPTY_ROOT } from '../state/trie.ts';
import { LayeredStateCache } from '../state/state-cache.ts';
import { openKvStore, MemoryKvStore, type KvStore } from '../store/kv.ts';
import { TvmExecutor, type LedgerState, type Receipt } from '../exec/tvm-executor.ts';
import { systemContracts } from '../exec/system-contracts.ts';
import { ChainStore } from './chain-store.ts';
import { devAccounts, devAuthority, DEV_ACCOUNT_BALANCE, DEV_ACCOUNT_COUNT, type DevAccount } from './dev-accounts.ts';
import { ChainIndex, type IndexedTx } from './chain-index.ts';

export type Preset = 'small' | 'seed';

export interface DevnetOptions {
  /** Folder of the chain (created if missing); null keeps everything in memory. */
  readonly dataDir: string | null;
  readonly preset?: Preset;
  /** Deletes the folder's chain first. */
  readonly reset?: boolean;
  /** Interval mining: one slot per this many ms of real time. Unset: instant mining. */
  readonly blockTimeMs?: number | null;
  /** Where the devnet reports (blocks, `print` output of transactions, warnings). */
  readonly log?: (line: string) => void;
  /** Prefunded development accounts (default 10; benchmarks use more). */
  readonly accounts?: number;
}

/** What the data folder's devnet.json records: the devnet's identity, fixed at creation. */
export interface DevnetMeta {
  readonly format: 1;
  readonly preset: Preset;
  readonly chainId: number;
  readonly seed: string;
  readonly genesisTimeMs: number;
  /** Prefunded development accounts (part of the genesis). */
  readonly accounts: number;
}

export class DevnetError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DevnetError';
  }
}

/** Miners of each preset: the small preset's 13 (3 proposers), the whitepaper's 105 (5). */
const MINERS: Record<Preset, { proposers: number; verifiers: number }> = {
  small: { proposers: 3, verifiers: 10 },
  seed: { proposers: 5, verifiers: 100 },
};
const DEVNET_CHAIN_ID = 31_337;
/** Instant mining gives up after this many slots in a row that include nothing waiting. */
const MAX_IDLE_SLOTS = 64;
const META_FILE = 'devnet.json';
/** A slot that ran this long is followed by a pause for pending I/O (see runSlot). */
const HEAVY_SLOT_MS = 150;

export interface SnapshotInfo {
  readonly id: string;
  readonly height: number;
  readonly hash: string;
}

export type DevnetEvent = { kind: 'block'; state: ChainState<LedgerState>; block: Block } | { kind: 'reverted'; height: number };

export class Devnet {
  readonly meta: DevnetMeta;
  readonly params: ConsensusParams;
  readonly genesis: Genesis;
  readonly executor: TvmExecutor;
  readonly accounts: readonly DevAccount[];
  readonly mempool: Mempool;
  readonly index: ChainIndex;
  private readonly authority = devAuthority();
  private readonly log: (line: string) => void;
  private readonly store: ChainStore;
  private readonly stateCache: LayeredStateCache;
  /** The height whose state the cache was last finalized at. */
  private cacheFinal = 0;
  private readonly kv: KvStore;
  private readonly rules: () => ChainRules<LedgerState>;
  private readonly secrets: ReturnType<typeof makeDevGenesis>['secrets'];
  private net!: SimNetwork;
  private nodes: ChironNode<LedgerState>[] = [];
  private blockTimeMs: number | null;
  private mining: Promise<void> | null = null;
  private intervalTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly durable = new Set<string>();
  private readonly waiters = new Map<string, ((tx: IndexedTx) => void)[]>();
  private readonly listeners = new Set<(e: DevnetEvent) => void>();
  private snapshots: SnapshotInfo[] = [];
  private readonly verifier = new VerifyPool();
  private releaseLock: () => void = () => {};
  private nextSnapshot = 1;

  private constructor(meta: DevnetMeta, kv: KvStore, options: DevnetOptions) {
    this.meta = meta;
    this.kv = kv;
    this.log = options.log ?? (() => {});
    this.blockTimeMs = options.blockTimeMs ?? null;
    this.params = PRESETS[meta.preset];
    this.store = new ChainStore(kv);
    // Reads of the states being worked on (the tip and what is above the last checkpoint)
    // come from their changes or a flat map of the final state; the trie only once per key.
    this.stateCache = new LayeredStateCache(this.store.tree(), EMPTY_ROOT);
    const made = makeDevGenesis({ params: this.params, seed: `zv-devnet/${meta.seed}`, ...MINERS[meta.preset], groups: 2, chainId: meta.chainId, genesisTimeMs: meta.genesisTimeMs });
    this.genesis = made.genesis;
    this.secrets = made.secrets;
    this.accounts = devAccounts(meta.accounts);
    this.executor = new TvmExecutor({
      chainId: meta.chainId,
      tree: this.stateCache,
      emptyRoot: EMPTY_ROOT,
      allocations: [...this.genesis.allocations, ...this.accounts.map((a) => [a.address, DEV_ACCOUNT_BALANCE] as const)],
      devAuthority: this.authority.address,
      // The genesis system contracts: the engine reads its miners and stakes from the registry.
      system: systemContracts(this.params, this.genesis.miners, { genesisTimeMs: this.genesis.genesisTimeMs }),
    });
    const memo = new Memo();
    this.rules = () => ({ genesis: this.genesis, executor: this.executor, memo });
    // A devnet takes bursts from scripts and tests: room for many transactions per sender, far ahead.
    this.mempool = new Mempool({ chainId: meta.chainId, maxTransactions: 50_000, maxPerSender: 4096, maxNonceGap: 4096 });
    this.index = new ChainIndex();
  }

  /** Opens (or creates) the devnet in `dataDir` and starts its network; nothing is mined yet. */
  static async open(options: DevnetOptions): Promise<Devnet> {
    const dir = options.dataDir;
    let kv: KvStore;
    let meta: DevnetMeta;
    let lock = () => {};
    if (dir === null) {
      kv = new MemoryKvStore();
      meta = newMeta(options.preset ?? 'small', options.accounts);
    } else {
      if (options.reset) rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      lock = acquireLock(dir);
      try {
        meta = readOrCreateMeta(dir, options.preset, options.accounts);
        kv = await openKvStore(join(dir, 'chain'));
      } catch (e) {
        lock();
        throw e;
      }
    }
    const devnet = new Devnet(meta, kv, options);
    devnet.releaseLock = lock;
    devnet.boot([...devnet.store.blocks()]);
    return devnet;
  }

  // ---- the network ----

  /** Builds the nodes, replays `stored` blocks into each, and starts them at the tip's slot. */
  private boot(stored: { block: Block; certificate: SignerCertificate }[]): void {
    const observer = this.secrets[0]!;
    const lastHeight = stored.reduce((h, b) => Math.max(h, b.block.header.height), 0);
    this.net = new SimNetwork({ seed: this.meta.seed, maxMessageBytes: 4 << 20, startTimeMs: this.genesis.genesisTimeMs + lastHeight * this.params.slotMs });
    this.nodes = this.secrets.map((secrets, i) => {
      const rules = this.rules();
      return new ChironNode<LedgerState>(
        {
          rules,
          secrets,
          seed: `${this.meta.seed}/m${i}`,
          onBlockApplied: secrets === observer ? (block, certificate, state) => this.onObserverBlock(block, certificate, state) : undefined,
          txSource: (parent) => this.mempool.pending(this.accountView(parent.ledger), 4096).map((p) => p.bytes),
        },
        genesisState(rules),
      );
    });
    for (const node of this.nodes) node.restore(stored);
    for (const b of stored) this.durable.add(toHex(b.block.hash));
    this.index.follow(this.observer.head, (id) => this.observer.stateById(id));
    for (const node of this.nodes) this.net.addNode(node.id, { boot: (t) => node.start(t) });
    this.reloadJournal();
  }

  /** Puts the journaled transactions back in the pool; those that no longer apply are forgotten. */
  private reloadJournal(): void {
    const view = this.accountView(this.head.ledger);
    const gone: string[] = [];
    const txs: { bytes: Uint8Array; tx: ReturnType<typeof decodeTx> }[] = [];
    for (const bytes of this.store.journal()) {
      try {
        txs.push({ bytes, tx: decodeTx(bytes) });
      } catch (e) {
        if (!(e instanceof TxError)) throw e;
        gone.push(txHash(bytes)); // not a transaction: a damaged entry is dropped, not fatal
      }
    }
    // Lowest nonces first, so that each sender's run is admitted in order.
    txs.sort((a, b) => a.tx.nonce - b.tx.nonce);
    for (const { bytes, tx } of txs) {
      try {
        if (tx.body.kind === 'dev') this.mempool.addDev(bytes, view);
        else this.mempool.add(bytes, view);
      } catch (e) {
        if (!(e instanceof MempoolError)) throw e;
        gone.push(txHash(bytes));
      }
    }
    this.store.journalRemove(gone);
    if (this.mempool.size > 0) {
      this.log(`${this.mempool.size} pending transaction(s) restored from the journal`);
      if (this.blockTimeMs === null) this.kickInstant();
    }
  }

  private get observer(): ChironNode<LedgerState> {
    return this.nodes[0]!;
  }

  get head(): ChainState<LedgerState> {
    return this.observer.head;
  }

  /** The genesis block's id (hex hash). */
  get genesisId(): string {
    return this.observer.genesisId;
  }

  /** The highest block height known final (the observer's latest checkpoint; 0 before one). */
  get finalHeight(): number {
    return this.head.checkpoint?.height ?? 0;
  }

  get slot(): number {
    return Math.floor((this.net.now() - this.genesis.genesisTimeMs) / this.params.slotMs);
  }

  get miningMode(): { mode: 'instant' } | { mode: 'interval'; blockTimeMs: number } {
    return this.blockTimeMs === null ? { mode: 'instant' } : { mode: 'interval', blockTimeMs: this.blockTimeMs };
  }

  stateAt(height: number): ChainState<LedgerState> | undefined {
    const id = this.index.blockIdAt(height);
    return id ? this.observer.stateById(id) : undefined;
  }

  stateById(id: string): ChainState<LedgerState> | undefined {
    return this.observer.stateById(id);
  }

  blockById(id: string): Block | undefined {
    return this.observer.blockById(id);
  }

  isDurable(blockId: string): boolean {
    return this.durable.has(blockId);
  }

  nodesView(): readonly ChironNode<LedgerState>[] {
    return this.nodes;
  }

  on(listener: (e: DevnetEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Switches to interval mining (one slot per `ms` of real time) or, with null, to instant mining. */
  setBlockTime(ms: number | null): void {
    this.checkOpen();
    if (this.intervalTimer) clearTimeout(this.intervalTimer);
    this.intervalTimer = null;
    this.blockTimeMs = ms;
    if (ms !== null) this.scheduleInterval();
    else this.kickInstant();
  }

  /** Starts interval mining if configured. Instant mining starts with the first transaction. */
  start(): void {
    if (this.blockTimeMs !== null) this.scheduleInterval();
  }

  /** Stops mining, waits for the store, closes it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.intervalTimer) clearTimeout(this.intervalTimer);
    await this.mining?.catch(() => {});
    await this.store.flush().catch(() => {});
    await this.kv.close();
    await this.verifier.close();
    this.releaseLock();
  }

  // ---- transactions ----

  /**
   * Admits a signed transaction to the mempool (MempoolError says why not) and mines it on an
   * instant devnet. Not journaled: what acknowledges a transaction to a client must use
   * submitRawTransaction, which is (the RPC does).
   */
  sendRawTransaction(bytes: Uint8Array): { hash: string; replaced: string | null } {
    this.checkOpen();
    return this.admit(bytes, decodeOrReject(bytes));
  }

  private admit(bytes: Uint8Array, tx: Tx): { hash: string; replaced: string | null } {
    if (tx.body.kind === 'dev') throw new DevnetError('dev-only', 'dev transactions are made by the devnet itself: call zv_setBalance or zv_increaseTime');
    const r = this.mempool.add(bytes, this.accountView(this.head.ledger));
    if (this.blockTimeMs === null) this.kickInstant();
    return r;
  }

  /** Whether the transaction waits in the pool or is in a block (durable or not yet). */
  knows(hash: string): boolean {
    return this.mempool.get(hash) !== undefined || this.index.tx(hash) !== undefined;
  }

  /**
   * sendRawTransaction with the signature checked on a worker thread first (the RPC path):
   * the main thread, which runs consensus, then finds it verified.
   */
  async submitRawTransaction(bytes: Uint8Array): Promise<{ hash: string; replaced: string | null }> {
    this.checkOpen();
    const tx = decodeOrReject(bytes);
    const [pk, message, signature] = signedParts(tx, bytes);
    if (await this.verifier.verify(pk, message, signature)) markVerified(txHash(bytes));
    this.checkOpen();
    const r = this.admit(bytes, tx);
    // Acknowledged only once durable: an accepted transaction survives a crash of the devnet.
    await this.store.journalAdd(r.hash, bytes);
    if (r.replaced) this.store.journalRemove([r.replaced]);
    return r;
  }

  /** Where a transaction is, once its block is durable; undefined while pending or unknown. */
  transaction(hash: string): IndexedTx | undefined {
    const at = this.index.tx(hash);
    return at && this.durable.has(at.blockId) ? at : undefined;
  }

  receipt(hash: string): (Receipt & { blockHeight: number; blockHash: string; index: number }) | undefined {
    const at = this.transaction(hash);
    if (!at) return undefined;
    const r = this.observer.stateById(at.blockId)!.ledger.receipts[at.index]!;
    return { ...r, blockHeight: at.height, blockHash: at.blockId, index: at.index };
  }

  /** Resolves with the transaction's place once its block is durable (rejects after `timeoutMs`). */
  waitForTransaction(hash: string, timeoutMs: number): Promise<IndexedTx> {
    const now = this.transaction(hash);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(hash) ?? [];
      const timer = setTimeout(() => {
        const l = this.waiters.get(hash);
        if (l) l.splice(l.indexOf(done), 1);
        reject(new DevnetError('timeout', `transaction ${hash} was not included within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (tx: IndexedTx) => {
        clearTimeout(timer);
        resolve(tx);
      };
      list.push(done);
      this.waiters.set(hash, list);
    });
  }

  /** The accounts of a state as the mempool reads them (each account read once per view). */
  accountView(ledger: LedgerState): AccountView {
    const seen = new Map<string, { nonce: number; balance: bigint }>();
    const get = (a: string) => {
      let acc = seen.get(a);
      if (!acc) seen.set(a, (acc = this.executor.account(ledger, a)));
      return acc;
    };
    return { nonce: (a) => get(a).nonce, balance: (a) => get(a).balance };
  }

  /** The next nonce a sender should use: its account's, past its transactions waiting in the pool. */
  nextNonce(address: string): number {
    let n = this.executor.account(this.head.ledger, address).nonce;
    while (this.mempool.hasNonce(address, n)) n++;
    return n;
  }

  // ---- mining ----

  /**
   * Runs slots now until `blocks` more canonical blocks exist (a dev method). A slot can make
   * no block (no proposer drawn): at most 8 slots per block are tried. Returns the blocks made.
   */
  async mine(blocks = 1): Promise<number> {
    this.checkOpen();
    const before = this.index.count;
    await this.exclusive(async () => {
      for (let tries = 0; this.index.count - before < blocks && tries < blocks * 8 && !this.closed; tries++) await this.runSlot();
    });
    return this.index.count - before;
  }

  /** The timestamp (ms) of the block that made a state: what a view call at it sees. */
  timestampOf(state: ChainState<LedgerState>): number {
    return state.height === 0 ? this.genesis.genesisTimeMs : this.observer.blockById(state.id)!.header.timestamp;
  }

  private kickInstant(): void {
    if (this.mining) return;
    void this.exclusive(async () => {
      let idle = 0;
      while (!this.closed && this.hasWaiting() && idle < MAX_IDLE_SLOTS) {
        const before = this.mempool.size;
        await this.runSlot();
        idle = this.mempool.size < before ? 0 : idle + 1;
      }
      if (idle >= MAX_IDLE_SLOTS) this.log(`warning: ${this.mempool.size} transaction(s) still wait after ${MAX_IDLE_SLOTS} slots without inclusion`);
    });
  }

  private hasWaiting(): boolean {
    return this.mempool.pending(this.accountView(this.head.ledger), 1).length > 0;
  }

  /** One slot every blockTimeMs of real time, on a fixed cadence: a slot's own work counts against its interval. */
  private scheduleInterval(due = performance.now() + (this.blockTimeMs ?? 0)): void {
    if (this.closed || this.blockTimeMs === null) return;
    const timer = setTimeout(() => {
      void this.exclusive(() => this.runSlot()).finally(() => {
        if (this.intervalTimer !== timer || this.blockTimeMs === null) return;
        // Behind by more than a slot (a heavy block): start the next one now, without bursts.
        this.scheduleInterval(Math.max(due + this.blockTimeMs, performance.now()));
      });
    }, Math.max(0, due - performance.now()));
    this.intervalTimer = timer;
  }

  /** Serialises mining: slots, reverts and dev transactions never interleave. */
  private exclusive(work: () => Promise<void>): Promise<void> {
    const prev = this.mining ?? Promise.resolve();
    const next = prev.then(work).catch((e) => this.log(`error while mining: ${(e as Error).stack ?? String(e)}`));
    this.mining = next;
    void next.finally(() => {
      if (this.mining === next) this.mining = null;
    });
    return next;
  }

  /** One slot of virtual time; then the canonical chain is re-indexed and the pool pruned. */
  private async runSlot(): Promise<void> {
    // Run the whole of the next slot: its proposal at the start, the group's signatures at
    // 40%, the block assembled and applied everywhere before the end; stop just before the
    // slot after it begins.
    const started = performance.now();
    const end = this.genesis.genesisTimeMs + (this.slot + 2) * this.params.slotMs - 1;
    this.net.runUntil(end, 5_000_000);
    this.reindex();
    this.finalizeCache();
    this.store.journalRemove(this.mempool.pruned(this.accountView(this.head.ledger)));
    // Let RPC requests and store commits in between slots. A request takes several turns of
    // the event loop (parse, signature worker, journal commit): after a heavy block (a slot
    // of thousands of transactions runs for hundreds of ms without yielding) give them a
    // quarter of that time, or arrivals starve while blocks follow each other.
    const took = performance.now() - started;
    if (took > HEAVY_SLOT_MS) await new Promise<void>((r) => setTimeout(r, Math.min(100, Math.floor(took / 4))));
    else await new Promise<void>((r) => setImmediate(r));
  }

  /** Folds the state cache up to the latest checkpoint's state, once per new checkpoint. */
  private finalizeCache(): void {
    const h = this.finalHeight;
    if (h <= this.cacheFinal) return;
    const state = this.stateAt(h);
    if (!state) return;
    this.stateCache.finalize(state.ledger.root);
    this.cacheFinal = h;
  }

  private onObserverBlock(block: Block, certificate: SignerCertificate, state: ChainState<LedgerState>): void {
    const id = toHex(block.hash);
    this.store
      .saveBlock(block, certificate)
      .then(() => {
        this.durable.add(id);
        this.afterDurable(id);
      })
      .catch((e) => this.log(`error: block ${state.height} could not be stored: ${(e as Error).message}`));
  }

  /** A durable block on the canonical chain: tell waiters and listeners, print its logs. */
  private afterDurable(id: string): void {
    const state = this.observer.stateById(id);
    if (!state || this.index.blockIdAt(state.height) !== id) return;
    const block = this.observer.blockById(id)!;
    this.printBlock(state);
    state.ledger.receipts.forEach((r) => {
      const at = this.index.tx(r.txHash);
      if (!at) return;
      for (const w of this.waiters.get(r.txHash) ?? []) w(at);
      this.waiters.delete(r.txHash);
    });
    for (const l of this.listeners) l({ kind: 'block', state, block });
  }

  /** Follows the observer's canonical chain (re-indexing above a fork point after a reorg). */
  private reindex(): void {
    const added = this.index.follow(this.observer.head, (id) => this.observer.stateById(id));
    // Blocks that became canonical by a reorg may have been durable already.
    for (const s of added) if (this.durable.has(s.id)) this.afterDurable(s.id);
  }

  private printBlock(state: ChainState<LedgerState>): void {
    if (state.ledger.receipts.length === 0) return;
    this.log(`block ${state.height} ${state.id.slice(0, 16)}… ${state.ledger.receipts.length} transaction(s)`);
    for (const r of state.ledger.receipts) {
      const what = r.contractAddress ? `deployed ${r.contractAddress}` : r.status;
      this.log(`  tx ${r.txHash.slice(0, 16)}… ${what}${r.revertReason ? `: ${r.revertReason}` : ''} (gas ${r.gasUsed})`);
      for (const l of r.logs) this.log(`    print ${l.contract.slice(0, 10)}…: ${l.message}`);
    }
  }

  // ---- dev methods ----

  /** Sets an account's balance (through a dev transaction, mined at once). */
  async setBalance(address: string, amount: bigint): Promise<void> {
    await this.devTransaction({ op: 'set-balance', address, amount });
  }

  /** Moves block time on by `seconds` from the next block (through a dev transaction). */
  async increaseTime(seconds: number): Promise<void> {
    await this.devTransaction({ op: 'increase-time', seconds });
  }

  private async devTransaction(op: DevOp): Promise<void> {
    this.checkOpen();
    const nonce = this.nextNonce(this.authority.address);
    const t = signTx(this.authority, { chainId: this.meta.chainId, nonce, gasLimit: 0, gasPrice: 0n, value: 0n, body: { kind: 'dev', op } });
    this.mempool.addDev(t.bytes, this.accountView(this.head.ledger));
    await this.store.journalAdd(t.hash, t.bytes);
    if (this.blockTimeMs === null) this.kickInstant();
    const at = await this.waitForTransaction(t.hash, 60_000);
    const r = this.receipt(t.hash)!;
    if (r.status !== 'success') throw new DevnetError('dev-failed', `dev transaction in block ${at.height} failed: ${r.revertReason}`);
  }

  /** Records the current tip; `revert(id)` returns the chain to it. */
  snapshot(): SnapshotInfo {
    this.checkOpen();
    const s: SnapshotInfo = { id: `0x${(this.nextSnapshot++).toString(16)}`, height: this.head.height, hash: this.head.id };
    this.snapshots.push(s);
    return s;
  }

  /**
   * Returns the chain to a snapshot: later blocks are deleted from the store and the whole
   * network restarts from the snapshot's block (their transactions are dropped, as the pool
   * is emptied). The snapshot and every later one are used up, as in Hardhat.
   */
  async revert(id: string): Promise<SnapshotInfo> {
    this.checkOpen();
    const at = this.snapshots.findIndex((s) => s.id === id);
    if (at < 0) throw new DevnetError('unknown-snapshot', `no snapshot ${id} (snapshots are used up by a revert to them or to an earlier one)`);
    const snap = this.snapshots[at]!;
    this.snapshots = this.snapshots.slice(0, at);
    await this.exclusive(async () => {
      await this.store.flush();
      const keep = this.chainTo(snap.hash);
      await this.store.deleteBlocksExcept(keep);
      for (const s of this.index.above(snap.height)) this.durable.delete(s);
      this.mempool.clear();
      this.index.reset();
      // The cache's base may be above the snapshot now: start it afresh at the snapshot's state.
      this.stateCache.reset(this.observer.stateById(snap.hash)?.ledger.root ?? EMPTY_ROOT);
      this.cacheFinal = 0;
      this.boot(this.chainBlocks(keep));
      for (const l of this.listeners) l({ kind: 'reverted', height: snap.height });
    });
    this.log(`reverted to snapshot ${snap.id} at height ${snap.height}`);
    return snap;
  }

  /** Ids of the blocks from the genesis (excluded) to `tip`. */
  private chainTo(tip: string): Set<string> {
    const ids = new Set<string>();
    for (let s = this.observer.stateById(tip); s && s.height > 0; s = s.parentId ? this.observer.stateById(s.parentId) : undefined) ids.add(s.id);
    return ids;
  }

  private chainBlocks(ids: Set<string>): { block: Block; certificate: SignerCertificate }[] {
    return [...this.store.blocks()].filter((b) => ids.has(toHex(b.block.hash)));
  }

  private checkOpen(): void {
    if (this.closed) throw new DevnetError('closed', 'the devnet is shut down');
  }
}

/**
 * One devnet per data folder: lmdb would let two processes share the store, and two chains
 * would then write one folder. The lock file holds the owner's pid; a lock whose process is
 * gone (a kill -9) is taken over. Returns the release function.
 */
function acquireLock(dir: string): () => void {
  const file = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new DevnetError('bad-data', `cannot lock ${dir}: ${(e as Error).message}`);
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new DevnetError('locked', `another devnet (pid ${pid}) is running on ${dir}; stop it or choose another --data folder`);
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new DevnetError('locked', `cannot lock ${dir}`);
}

/** A transaction's bytes decoded, or the mempool's 'malformed' rejection naming the fault. */
function decodeOrReject(bytes: Uint8Array): Tx {
  try {
    return decodeTx(bytes);
  } catch (e) {
    if (e instanceof TxError) throw new MempoolError('malformed', e.message);
    throw e;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process its parent has not reaped yet (a zombie) still answers kill(pid, 0).
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: trust kill
  }
}

function newMeta(preset: Preset, accounts = DEV_ACCOUNT_COUNT): DevnetMeta {
  const now = Date.now();
  return { format: 1, preset, chainId: DEVNET_CHAIN_ID, seed: `devnet-${now}`, genesisTimeMs: now - (now % 1000), accounts };
}

function readOrCreateMeta(dir: string, preset: Preset | undefined, accounts: number | undefined): DevnetMeta {
  const file = join(dir, META_FILE);
  if (!existsSync(file)) {
    const meta = newMeta(preset ?? 'small', accounts);
    writeFileSync(file, JSON.stringify(meta, null, 2) + '\n');
    return meta;
  }
  let meta: DevnetMeta;
  try {
    meta = JSON.parse(readFileSync(file, 'utf8')) as DevnetMeta;
  } catch (e) {
    throw new DevnetError('bad-data', `${file} is not valid JSON (${(e as Error).message}); start over with --reset`);
  }
  const ok = meta && meta.format === 1 && (meta.preset === 'small' || meta.preset === 'seed') && Number.isSafeInteger(meta.chainId) && typeof meta.seed === 'string' && Number.isSafeInteger(meta.genesisTimeMs) && Number.isSafeInteger(meta.accounts) && meta.accounts >= 1;
  if (!ok) throw new DevnetError('bad-data', `${file} is not a devnet description of this version; start over with --reset`);
  if (preset && preset !== meta.preset) throw new DevnetError('preset-mismatch', `the devnet in ${dir} runs the ${meta.preset} preset; use --reset to start a ${preset} devnet there`);
  return meta;
}

