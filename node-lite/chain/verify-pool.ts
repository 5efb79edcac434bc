// Ed25519 verification of arriving transactions on worker threads. Checking a signature is
// the largest single cost of admitting a transaction (about 125 µs here); the node's main
// thread also runs consensus and execution, so arrivals are verified beside it. Requests made
// in the same turn of the event loop go to a worker as one message (a batch), round robin.
// The result only feeds the verification cache (tx.ts markVerified): consensus never depends
// on a worker, and a block's transactions are verified on the main thread if not cached.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// The worker: plain CommonJS run from a string, so it needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const keys = new Map();
function keyOf(pk) {
  const id = Buffer.from(pk).toString('hex');
  let k = keys.get(id);
  if (!k) {
    k = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pk]), format: 'der', type: 'spki' });
    if (keys.size >= 16384) keys.delete(keys.keys().next().value);
    keys.set(id, k);
  }
  return k;
}
parentPort.on('message', ({ id, items }) => {
  const results = items.map(([pk, msg, sig]) => {
    try { return verify(null, msg, keyOf(pk), sig); } catch { return false; }
  });
  parentPort.postMessage({ id, results });
});
`;

interface Request {
  readonly item: [Uint8Array, Uint8Array, Uint8Array];
  readonly resolve: (ok: boolean) => void;
}

export class VerifyPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (results: boolean[]) => void; reject: (e: Error) => void }>();
  /** Batches in flight per worker: a worker keeps the process alive only while it has some. */
  private readonly busy: number[];
  private queue: Request[] = [];
  private nextId = 1;
  private nextWorker = 0;
  private scheduled = false;
  private closed = false;

  /** `size` workers (default: one fewer than the machine's cores, at least one). */
  constructor(size = Math.max(1, availableParallelism() - 1)) {
    this.busy = Array.from({ length: size }, () => 0);
    this.workers = Array.from({ length: size }, (_, index) => {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (m: { id: number; results: boolean[] }) => {
        const p = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (--this.busy[index]! === 0) w.unref();
        p?.resolve(m.results);
      });
      w.on('error', (e) => this.failAll(e));
      w.unref();
      return w;
    });
  }

  /** Whether `signature` is `publicKey`'s Ed25519 signature of `message`. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    if (this.closed) return Promise.reject(new Error('the verification pool is closed'));
    return new Promise((resolve) => {
      this.queue.push({ item: [publicKey, message, signature], resolve });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.failAll(new Error('the verification pool closed'));
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const id = this.nextId++;
    const index = this.nextWorker++ % this.workers.length;
    const worker = this.workers[index]!;
    if (this.busy[index]!++ === 0) worker.ref();
    this.waiting.set(id, {
      resolve: (results) => batch.forEach((r, i) => r.resolve(results[i] === true)),
      // A worker that dies answers nothing: the caller verifies on its own thread instead.
      reject: () => batch.forEach((r) => r.resolve(false)),
    });
    worker.postMessage({ id, items: batch.map((r) => r.item) });
  }

  private failAll(e: Error): void {
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }
}
