// The load generator of bench/devnet.ts, in its own process as real clients are: it sends
// pre-signed transactions to a devnet's RPC in JSON-RPC batches, several in flight, and
// reports to its parent (IPC) when each batch was sent and what was refused. Times are epoch
// milliseconds (timeOrigin + now), comparable across processes.

import { RpcClient } from '../node-lite/rpc/client.ts';

interface Job {
  readonly url: string;
  /** Raw transactions as 0x-hex, in sending order. */
  readonly txs: readonly string[];
  readonly batch: number;
  readonly concurrent: number;
}

const now = () => performance.timeOrigin + performance.now();

process.once('message', async (job: Job) => {
  const rpc = new RpcClient(job.url, { timeoutMs: 600_000 });
  let next = 0;
  let failed = 0;
  const sent: [number, number, number][] = []; // [first index, count, sentAt]
  const worker = async () => {
    while (next < job.txs.length) {
      const start = next;
      const batch = job.txs.slice(start, start + job.batch);
      next += batch.length;
      sent.push([start, batch.length, now()]);
      const results = await rpc.batch(batch.map((tx) => ({ method: 'zv_sendRawTransaction', params: [tx] })));
      for (const r of results) if (r instanceof Error) failed++;
    }
  };
  const t0 = now();
  await Promise.all(Array.from({ length: job.concurrent }, worker));
  process.send!({ t0, t1: now(), sent, failed }, () => process.exit(0));
});
