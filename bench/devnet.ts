// The devnet end to end: signed token transfers (Token.transfer contract calls, not coin
// transfers) submitted through the JSON-RPC server, with the whole Chiron consensus running
// (every miner of the preset a node in this process, interval mining with one slot per slot
// length of real time, lmdb store on disk). Measured per transaction from the moment its
// batch was submitted to (a) its block being announced (newHeads over WebSocket: durable) and
// (b) that block being final (under a checkpoint). The client shares the machine's two
// cores with the devnet: signing is done before the clock starts.
// Run alone: node bin/run-ts.js bench/devnet.ts [--quick] [--preset small|seed].

import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../compiler/index.ts';
import { stdlibResolver } from '../cli/stdlib.ts';
import { signTx } from '../node-lite/chain/tx.ts';
import { Devnet, type Preset } from '../node-lite/devnet/devnet.ts';
import { devnetMethods, devnetSubscriptions } from '../node-lite/devnet/rpc-methods.ts';
import { encodeJsonArgs } from '../node-lite/exec/tvm-executor.ts';
import { RpcClient, RpcSocket } from '../node-lite/rpc/client.ts';
import { startRpcServer } from '../node-lite/rpc/server.ts';
import type { BenchResult } from './consensus-crypto.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TRANSFER = { name: 'transfer', params: [{ name: 'to', type: 'Address' }, { name: 'amount', type: 'int' }] };
const MINT = { name: 'mint', params: [{ name: 'to', type: 'Address' }, { name: 'amount', type: 'int' }] };
const BATCH = 100;
const CONCURRENT_BATCHES = 48;

export interface LoadPlan {
  readonly preset: Preset;
  readonly senders: number;
  readonly perSender: number;
  /** Stop waiting for inclusion/finality after this long (reported as not reached). */
  readonly budgetMs: number;
  /** Interval mining's real time per slot (default: the preset's slot length). */
  readonly blockTimeMs?: number;
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const hex = (b: Uint8Array) => '0x' + Buffer.from(b).toString('hex');

export async function runLoad(plan: LoadPlan, out: BenchResult[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zv-bench-devnet-'));
  const devnet = await Devnet.open({ dataDir: dir, preset: plan.preset, accounts: plan.senders + 1, blockTimeMs: null });
  const server = await startRpcServer({ methods: devnetMethods(devnet), subscriptions: devnetSubscriptions(devnet), port: 0, maxBodyBytes: 16 << 20, maxBatch: 1000 });
  const rpc = new RpcClient(server.url, { timeoutMs: 600_000 });
  const chainId = devnet.meta.chainId;
  try {
    // Setup (instant mining): deploy the token, mint to every sender.
    const token = compile({ path: 'examples/token.py', source: readFileSync(join(ROOT, 'examples/token.py'), 'utf8'), resolve: stdlibResolver(ROOT) });
    if (!token.ok || !token.bytecode) throw new Error('the token does not compile');
    const [owner, ...senders] = devnet.accounts;
    const sign = (key: (typeof senders)[number]['key'], nonce: number, body: Parameters<typeof signTx>[1]['body'], gasLimit: number) => signTx(key, { chainId, nonce, gasLimit, gasPrice: 1n, value: 0n, body });
    const d = sign(owner!.key, 0, { kind: 'deploy', code: token.bytecode, args: encodeJsonArgs({ name: '__init__', params: [{ name: 's', type: 'int' }] }, [1_000_000]) }, 3_000_000);
    await rpc.call('zv_sendRawTransaction', [hex(d.bytes)]);
    const address = (await rpc.call<{ contractAddress: string }>('zv_waitForReceipt', [d.hash, 600_000])).contractAddress;
    const mints = senders.map((s, i) => sign(owner!.key, i + 1, { kind: 'call', to: address, method: 'mint', args: encodeJsonArgs(MINT, [s.address, 1_000_000]) }, 100_000));
    await rpc.batch(mints.map((m) => ({ method: 'zv_sendRawTransaction', params: [hex(m.bytes)] })));
    await rpc.call('zv_waitForReceipt', [mints.at(-1)!.hash, 600_000]);

    // The load, signed before the clock starts: each sender sends perSender transfers of 1.
    const txs = senders.flatMap((s, i) =>
      Array.from({ length: plan.perSender }, (_, n) => sign(s.key, n, { kind: 'call', to: address, method: 'transfer', args: encodeJsonArgs(TRANSFER, [senders[(i + 1 + n) % senders.length]!.address, 1]) }, 5_000)),
    );
    // Interleave senders so every batch spreads over many accounts, as independent users would.
    txs.sort((a, b) => a.tx.nonce - b.tx.nonce);
    const indexOf = new Map(txs.map((t, i) => [t.hash, i]));
    // Times are epoch milliseconds, comparable with the client process's.
    const now = () => performance.timeOrigin + performance.now();
    const included = new Map<number, number>();
    const finalAt = new Map<number, number>();
    const heightOf = new Map<number, number>();
    const pendingFinal = new Map<number, string[]>();
    const socket = await RpcSocket.connect(server.wsUrl);
    await socket.subscribe('newHeads', [], (head) => {
      const h = head as { height?: number; transactions?: string[] };
      if (h.height === undefined) return;
      const at = now();
      for (const t of h.transactions ?? []) {
        const i = indexOf.get(t);
        if (i === undefined) continue;
        included.set(i, at);
        heightOf.set(i, h.height);
      }
      pendingFinal.set(h.height, h.transactions ?? []);
      const finalHeight = devnet.finalHeight;
      for (const [height, list] of pendingFinal) {
        if (height > finalHeight) continue;
        for (const t of list) {
          const i = indexOf.get(t);
          if (i !== undefined && !finalAt.has(i)) finalAt.set(i, at);
        }
        pendingFinal.delete(height);
      }
    });

    // Interval mining from here on: one slot per slot length of real time. The clients run in
    // their own process (bench/devnet-client.ts), as they would: their encoding and HTTP work
    // is not the devnet's.
    const blockTime = plan.blockTimeMs ?? devnet.params.slotMs;
    devnet.setBlockTime(blockTime);
    const client = fork(join(ROOT, 'bin', 'run-ts.js'), [join(ROOT, 'bench', 'devnet-client.ts')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const report = await new Promise<{ t0: number; t1: number; sent: [number, number, number][]; failed: number }>((resolve, reject) => {
      client.once('message', (m) => resolve(m as never));
      client.once('exit', (code) => reject(new Error(`the load client exited with ${code}`)));
      client.send({ url: server.url, txs: txs.map((t) => hex(t.bytes)), batch: BATCH, concurrent: CONCURRENT_BATCHES });
    });
    const submittedAt = new Float64Array(txs.length);
    for (const [start, count, at] of report.sent) submittedAt.fill(at, start, start + count);
    const t0 = report.t0;
    const submitMs = report.t1 - t0;
    const failed = report.failed;
    const expected = txs.length - failed;
    const deadline = performance.now() + plan.budgetMs;
    while (included.size < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const lastInclusion = Math.max(...included.values());
    const withFinality = plan.preset === 'small';
    while (withFinality && finalAt.size < included.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await socket.close();
    const submitted = { size: expected };

    const inclusion = [...included].map(([i, at]) => at - submittedAt[i]!);
    const finality = [...finalAt].map(([i, at]) => at - submittedAt[i]!);
    const blocks = new Set(heightOf.values()).size;
    const label = `${plan.preset} preset, ${devnet.nodesView().length} nodes, block time ${blockTime} ms, ${txs.length} token transfers from ${senders.length} senders`;
    const r2 = (x: number) => Math.round(x * 10) / 10;
    out.push({ name: `${label}: rejected at submission`, value: failed, unit: 'transactions' });
    out.push({ name: `${label}: submission rate through the RPC`, value: Math.round((submitted.size / submitMs) * 1000), unit: 'tx/s' });
    out.push({ name: `${label}: throughput, first submission to last inclusion`, value: Math.round((included.size / (lastInclusion - t0)) * 1000), unit: 'tx/s' });
    out.push({ name: `${label}: included within the budget`, value: included.size, unit: `of ${submitted.size}` });
    out.push({ name: `${label}: blocks carrying them`, value: blocks, unit: 'blocks' });
    out.push({ name: `${label}: inclusion latency p50`, value: r2(percentile(inclusion, 50)), unit: 'ms' });
    out.push({ name: `${label}: inclusion latency p95`, value: r2(percentile(inclusion, 95)), unit: 'ms' });
    out.push({ name: `${label}: inclusion latency p99`, value: r2(percentile(inclusion, 99)), unit: 'ms' });
    if (withFinality) {
      out.push({ name: `${label}: final within the budget`, value: finalAt.size, unit: `of ${included.size}` });
      out.push({ name: `${label}: finality latency p50`, value: r2(percentile(finality, 50)), unit: 'ms' });
      out.push({ name: `${label}: finality latency p95`, value: r2(percentile(finality, 95)), unit: 'ms' });
    }
  } finally {
    await server.close();
    await devnet.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Instant mining, as a developer uses it: deploy then call, each waiting for its receipt. */
async function roundTrip(out: BenchResult[], rounds: number): Promise<void> {
  const devnet = await Devnet.open({ dataDir: null });
  const server = await startRpcServer({ methods: devnetMethods(devnet), subscriptions: devnetSubscriptions(devnet), port: 0 });
  const rpc = new RpcClient(server.url);
  try {
    const token = compile({ path: 'examples/token.py', source: readFileSync(join(ROOT, 'examples/token.py'), 'utf8'), resolve: stdlibResolver(ROOT) });
    const key = devnet.accounts[0]!.key;
    const times: number[] = [];
    const deploys: number[] = [];
    let nonce = 0;
    for (let i = 0; i < rounds + 1; i++) {
      const t0 = performance.now();
      const d = signTx(key, { chainId: devnet.meta.chainId, nonce: nonce++, gasLimit: 3_000_000, gasPrice: 1n, value: 0n, body: { kind: 'deploy', code: token.bytecode!, args: encodeJsonArgs({ name: '__init__', params: [{ name: 's', type: 'int' }] }, [1000]) } });
      await rpc.call('zv_sendRawTransaction', [hex(d.bytes)]);
      const at = (await rpc.call<{ contractAddress: string }>('zv_waitForReceipt', [d.hash])).contractAddress;
      const t1 = performance.now();
      const c = signTx(key, { chainId: devnet.meta.chainId, nonce: nonce++, gasLimit: 100_000, gasPrice: 1n, value: 0n, body: { kind: 'call', to: at, method: 'transfer', args: encodeJsonArgs(TRANSFER, [devnet.accounts[1]!.address, 1]) } });
      await rpc.call('zv_sendRawTransaction', [hex(c.bytes)]);
      await rpc.call('zv_waitForReceipt', [c.hash]);
      if (i > 0) {
        times.push(performance.now() - t0);
        deploys.push(t1 - t0);
      }
    }
    const r2 = (x: number) => Math.round(x * 10) / 10;
    out.push({ name: `instant mining, small preset: deploy to receipt (median of ${rounds})`, value: r2(percentile(deploys, 50)), unit: 'ms' });
    out.push({ name: `instant mining, small preset: deploy then call, both receipts (median of ${rounds})`, value: r2(percentile(times, 50)), unit: 'ms' });
  } finally {
    await server.close();
    await devnet.close();
  }
}

export async function benchDevnet(quick = false, presets: Preset[] = quick ? ['small'] : ['small', 'seed']): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  await roundTrip(out, quick ? 3 : 10);
  for (const preset of presets) {
    if (preset === 'small') {
      await runLoad({ preset, senders: quick ? 20 : 100, perSender: quick ? 10 : 60, budgetMs: 120_000 }, out);
      // Longer blocks spread the consensus work of a block (about 100 ms) over more transactions.
      // 30,000 transfers: long enough (about ten blocks) for a steady state rather than a burst.
      if (!quick) await runLoad({ preset, senders: 300, perSender: 100, budgetMs: 120_000, blockTimeMs: 1000 }, out);
    } else {
      await runLoad({ preset, senders: quick ? 20 : 200, perSender: quick ? 10 : 40, budgetMs: 180_000 }, out);
    }
  }
  return out;
}

if (process.argv[1]?.endsWith('devnet.ts')) {
  const i = process.argv.indexOf('--preset');
  const presets = i > 0 ? [process.argv[i + 1] as Preset] : undefined;
  for (const r of await benchDevnet(process.argv.includes('--quick'), presets)) console.log(`${r.name.padEnd(110)} ${String(r.value).padStart(10)} ${r.unit}`);
}
