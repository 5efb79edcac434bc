// A node's chain on disk: every block it accepted (with the certificate it arrived with) and
// the state trie's nodes, in one KvStore. Each block is committed in one atomic batch with the
// trie nodes created since the last commit, so a stored block's state is always complete; on
// restart the node replays the stored blocks (ChironNode.restore) and its states recompute
// over nodes that are already there. See docs/devnet.md.
//
//   'b' ‖ u64 height ‖ hash[32]  → the block message (block + certificate, engine codec)
//   'n' ‖ hash[32]               → a trie node
//   'p' ‖ hash[32]               → a transaction the mempool accepted (the pool's journal)

import type { Block } from '../consensus/block.ts';
import { decodeMessage, encodeMessage } from '../engine/codec.ts';
import type { SignerCertificate } from '../engine/types.ts';
import type { StateTree } from '../exec/tvm-executor.ts';
import type { KvStore } from '../store/kv.ts';
import { hex, trieGet, trieUpdate, type NodeSource } from '../state/trie.ts';

const BLOCK = 0x62; // 'b'
const NODE = 0x6e; // 'n'
const POOL = 0x70; // 'p'
const NODE_CACHE_MAX = 100_000;

export class ChainStore implements NodeSource {
  /** Trie nodes made since the last commit, by hex hash. */
  private pending = new Map<string, Uint8Array>();
  /** Nodes of commits not yet durable: still read from memory until the store has them. */
  private readonly inFlight = new Set<Map<string, Uint8Array>>();
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  /** Recently read nodes (content-addressed: a cached node is never stale). */
  private readonly nodeCache = new Map<string, Uint8Array>();

  /** Journal changes waiting for the next commit, and that commit's promise. */
  private journalPut: [Uint8Array, Uint8Array][] = [];
  private journalDel: Uint8Array[] = [];
  private journalCommit: Promise<void> | null = null;
  private journalQueue: Promise<void> = Promise.resolve();

  constructor(private readonly kv: KvStore) {}

  /**
   * Records accepted transactions (hash hex → bytes); resolves once they are durable. Calls
   * in one turn of the event loop share one commit (one fsync for a whole RPC batch).
   */
  journalAdd(hash: string, bytes: Uint8Array): Promise<void> {
    this.journalPut.push([prefixed(POOL, Buffer.from(hash, 'hex')), bytes]);
    return this.scheduleJournal();
  }

  /** Forgets journaled transactions (included, or dropped from the pool) with the next commit. */
  journalRemove(hashes: readonly string[]): void {
    if (hashes.length === 0) return;
    for (const h of hashes) this.journalDel.push(prefixed(POOL, Buffer.from(h, 'hex')));
    void this.scheduleJournal().catch(() => {});
  }

  /** The journaled transactions (bytes), in hash order. */
  *journal(): Generator<Uint8Array> {
    for (const [, value] of this.kv.iterate(Uint8Array.of(POOL))) yield value;
  }

  private scheduleJournal(): Promise<void> {
    this.journalCommit ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const put = this.journalPut;
      const del = this.journalDel;
      this.journalPut = [];
      this.journalDel = [];
      this.journalCommit = null;
      // Its own queue, not behind the blocks' commits: journal writes and block writes need no
      // order between them (a journaled transaction already included is dropped on reload),
      // and an acknowledgement must not wait for a big block's trie nodes.
      const done = this.journalQueue.then(() => this.kv.commit({ put, del }));
      this.journalQueue = done.catch((e) => {
        this.failure ??= e;
      });
      return done;
    });
    return this.journalCommit;
  }

  getNode(hash: Uint8Array): Uint8Array | undefined {
    const h = hex(hash);
    const mem = this.pending.get(h);
    if (mem) return mem;
    for (const batch of this.inFlight) {
      const v = batch.get(h);
      if (v) return v;
    }
    const cached = this.nodeCache.get(h);
    if (cached) return cached;
    const v = this.kv.get(prefixed(NODE, hash));
    if (v) {
      if (this.nodeCache.size >= NODE_CACHE_MAX) this.nodeCache.delete(this.nodeCache.keys().next().value!);
      this.nodeCache.set(h, v);
    }
    return v;
  }

  /** The state tree of the TVM executor, over this store. */
  tree(): StateTree {
    return {
      get: (root, key) => trieGet(this, root, key),
      update: (root, changes) => {
        const u = trieUpdate(this, root, changes);
        for (const [k, v] of u.newNodes) this.pending.set(k, v);
        return u.root;
      },
    };
  }

  /**
   * Queues the block's commit (in acceptance order) and returns its promise: the block is
   * durable once it resolves. The trie nodes made so far go in the same batch.
   */
  saveBlock(block: Block, certificate: SignerCertificate): Promise<void> {
    const nodes = this.pending;
    this.pending = new Map();
    this.inFlight.add(nodes);
    const key = new Uint8Array(1 + 8 + 32);
    key[0] = BLOCK;
    new DataView(key.buffer).setBigUint64(1, BigInt(block.header.height));
    key.set(block.hash, 9);
    const put: [Uint8Array, Uint8Array][] = [[key, encodeMessage({ kind: 'block', block, certificate })]];
    for (const [h, enc] of nodes) put.push([prefixed(NODE, Buffer.from(h, 'hex')), enc]);
    const done = this.queue.then(() => this.kv.commit({ put, del: [] })).finally(() => this.inFlight.delete(nodes));
    this.queue = done.catch((e) => {
      this.failure ??= e;
    });
    return done;
  }

  /** Resolves when every queued commit is durable; rejects with the first failure. */
  async flush(): Promise<void> {
    if (this.journalCommit) await this.journalCommit.catch(() => {});
    await this.journalQueue;
    await this.queue;
    if (this.failure) throw this.failure;
  }

  /**
   * Deletes every stored block not in `keep` (ids as hex): the devnet's revert. Trie nodes
   * stay (content-addressed, shared between states; unreachable ones only cost space).
   */
  async deleteBlocksExcept(keep: ReadonlySet<string>): Promise<void> {
    await this.flush();
    const del: Uint8Array[] = [];
    for (const [key] of this.kv.iterate(Uint8Array.of(BLOCK))) if (!keep.has(Buffer.from(key.subarray(9)).toString('hex'))) del.push(key);
    for (const [key] of this.kv.iterate(Uint8Array.of(POOL))) del.push(key); // the pool is emptied too
    if (del.length > 0) await this.kv.commit({ put: [], del });
  }

  /** The stored blocks in height order (parents before children). */
  *blocks(): Generator<{ block: Block; certificate: SignerCertificate }> {
    for (const [, value] of this.kv.iterate(Uint8Array.of(BLOCK))) {
      const m = decodeMessage(value);
      if (m.kind !== 'block') throw new Error('internal: a stored block entry is not a block message');
      yield { block: m.block, certificate: m.certificate };
    }
  }
}

function prefixed(tag: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + body.length);
  out[0] = tag;
  out.set(body, 1);
  return out;
}
