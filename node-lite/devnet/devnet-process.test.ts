// `zv devnet` as a user runs it: a separate process on a random port with its data folder.
// End to end through the real RPC across a restart, and a crash test: the process is killed
// with SIGKILL while transactions pour in, and everything it acknowledged as included (a
// receipt returned) must be there, unchanged, after it restarts.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.ts';
import { stdlibResolver } from '../../cli/stdlib.ts';
import { AccountKey } from '../chain/keys.ts';
import { signTx } from '../chain/tx.ts';
import { encodeJsonArgs } from '../exec/tvm-executor.ts';
import { RpcClient } from '../rpc/client.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ZV = join(ROOT, 'bin', 'zv.js');
const TRANSFER = { name: 'transfer', params: [{ name: 'to', type: 'Address' }, { name: 'amount', type: 'int' }] };

interface Running {
  readonly child: ChildProcess;
  readonly rpc: RpcClient;
  readonly chainId: number;
  readonly height: number;
  readonly output: string[];
}

/** Starts `zv devnet --json` and resolves with its RPC client once the banner is printed. */
function startDevnet(data: string): Promise<Running> {
  const child = spawn(process.execPath, [ZV, 'devnet', '--data', data, '--port', '0', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const output: string[] = [];
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the devnet did not start in 60 s:\n${output.join('\n')}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    child.on('exit', (code) => reject(new Error(`the devnet exited with ${code}:\n${output.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const msg = JSON.parse(line) as { rpc?: string; chainId?: number; height?: number };
      if (msg.rpc) {
        clearTimeout(timer);
        resolvePromise({ child, rpc: new RpcClient(msg.rpc), chainId: msg.chainId!, height: msg.height!, output });
      }
    });
  });
}

function stop(r: Running, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((done) => {
    r.child.removeAllListeners('exit');
    r.child.on('exit', (code) => done(code));
    r.child.kill(signal);
  });
}

const token = (() => {
  const r = compile({ path: 'examples/token.py', source: readFileSync(join(ROOT, 'examples/token.py'), 'utf8'), resolve: stdlibResolver(ROOT) });
  if (!r.ok || !r.bytecode) throw new Error('the token does not compile');
  return r.bytecode;
})();

describe('zv devnet, the process', () => {
  const dirs: string[] = [];
  const running: Running[] = [];
  const folder = () => {
    const d = mkdtempSync(join(tmpdir(), 'zv-devnet-'));
    dirs.push(d);
    return d;
  };
  afterAll(async () => {
    for (const r of running) if (r.child.exitCode === null && r.child.signalCode === null) await stop(r, 'SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function keys(r: Running) {
    const accounts = await r.rpc.call<{ privateKey: string }[]>('zv_accounts');
    return accounts.map((a) => AccountKey.fromSeed(new Uint8Array(Buffer.from(a.privateKey, 'hex'))));
  }

  async function deployToken(r: Running, owner: AccountKey): Promise<string> {
    const nonce = (await r.rpc.call<{ nextNonce: number }>('zv_getAccount', [owner.address])).nextNonce;
    const t = signTx(owner, { chainId: r.chainId, nonce, gasLimit: 3_000_000, gasPrice: 1n, value: 0n, body: { kind: 'deploy', code: token, args: encodeJsonArgs({ name: '__init__', params: [{ name: 'supply', type: 'int' }] }, [1_000_000]) } });
    await r.rpc.call('zv_sendRawTransaction', ['0x' + Buffer.from(t.bytes).toString('hex')]);
    const receipt = await r.rpc.call<{ status: string; contractAddress: string }>('zv_waitForReceipt', [t.hash]);
    expect(receipt.status).toBe('success');
    return receipt.contractAddress;
  }

  it('deploys, transfers, and reads the same balances, events and receipts after a restart', async () => {
    const data = folder();
    const first = await startDevnet(data);
    running.push(first);
    const [alice, bob] = await keys(first);
    const tokenAddress = await deployToken(first, alice!);
    const t = signTx(alice!, { chainId: first.chainId, nonce: 1, gasLimit: 1_000_000, gasPrice: 1n, value: 0n, body: { kind: 'call', to: tokenAddress, method: 'transfer', args: encodeJsonArgs(TRANSFER, [bob!.address, 4242]) } });
    await first.rpc.call('zv_sendRawTransaction', ['0x' + Buffer.from(t.bytes).toString('hex')]);
    const receipt = await first.rpc.call<{ blockHash: string; status: string }>('zv_waitForReceipt', [t.hash]);
    expect(receipt.status).toBe('success');
    const head = await first.rpc.call<{ height: number; hash: string; stateRoot: string }>('zv_getBlock', ['latest']);
    expect(await stop(first, 'SIGTERM')).toBe(0);

    const second = await startDevnet(data);
    running.push(second);
    expect(second.height).toBe(head.height);
    expect(await second.rpc.call('zv_getBlock', ['latest'])).toMatchObject({ hash: head.hash, stateRoot: head.stateRoot });
    expect(await second.rpc.call('zv_getTransactionReceipt', [t.hash])).toMatchObject({ blockHash: receipt.blockHash, status: 'success' });
    expect(await second.rpc.call('zv_call', [tokenAddress, 'balance_of', [bob!.address]])).toMatchObject({ ok: true, value: 4242 });
    const events = await second.rpc.call<{ txHash: string }[]>('zv_getLogs', [{ address: tokenAddress, event: 'Transfer' }]);
    expect(events.map((e) => e.txHash)).toContain(t.hash);
    // It goes on: the next transaction (nonce 2) is mined on top.
    const t2 = signTx(alice!, { chainId: second.chainId, nonce: 2, gasLimit: 1_000_000, gasPrice: 1n, value: 0n, body: { kind: 'call', to: tokenAddress, method: 'transfer', args: encodeJsonArgs(TRANSFER, [bob!.address, 8]) } });
    await second.rpc.call('zv_sendRawTransaction', ['0x' + Buffer.from(t2.bytes).toString('hex')]);
    expect(await second.rpc.call('zv_waitForReceipt', [t2.hash])).toMatchObject({ status: 'success' });
    expect(await second.rpc.call('zv_call', [tokenAddress, 'balance_of', [bob!.address]])).toMatchObject({ value: 4250 });
    await stop(second, 'SIGTERM');
  }, 180_000);

  it('loses nothing it acknowledged (accepted or included) when killed with SIGKILL under load', async () => {
    const data = folder();
    const first = await startDevnet(data);
    running.push(first);
    const senders = (await keys(first)).slice(0, 6);
    const owner = senders[0]!;
    const tokenAddress = await deployToken(first, owner);
    const sink = AccountKey.fromLabel('sink').address;
    const acknowledged = new Map<string, { blockHash: string; amount: number }>();
    /** Transactions the devnet accepted (zv_sendRawTransaction answered), included or not. */
    const accepted = new Set<string>();
    let killed = false;
    // Each sender streams transfers of distinct amounts (owner: token transfers; others: coin).
    const pump = async (key: AccountKey, index: number) => {
      let nonce = (await first.rpc.call<{ nextNonce: number }>('zv_getAccount', [key.address])).nextNonce;
      for (let i = 0; i < 400 && !killed; i++, nonce++) {
        const body = index === 0 ? ({ kind: 'call', to: tokenAddress, method: 'transfer', args: encodeJsonArgs(TRANSFER, [sink, 1]) } as const) : ({ kind: 'transfer', to: sink } as const);
        const t = signTx(key, { chainId: first.chainId, nonce, gasLimit: index === 0 ? 1_000_000 : 21_000, gasPrice: 1n, value: index === 0 ? 0n : 1n, body });
        try {
          await first.rpc.call('zv_sendRawTransaction', ['0x' + Buffer.from(t.bytes).toString('hex')]);
          accepted.add(t.hash);
          const r = await first.rpc.call<{ blockHash: string; status: string }>('zv_waitForReceipt', [t.hash, 20_000]);
          acknowledged.set(t.hash, { blockHash: r.blockHash, amount: 1 });
        } catch {
          return; // the process is gone
        }
      }
    };
    const pumps = senders.map((k, i) => pump(k, i));
    // Kill once a good number of transactions were acknowledged, in the middle of the stream.
    for (let waited = 0; acknowledged.size < 60 && waited < 60_000; waited += 20) await new Promise((d) => setTimeout(d, 20));
    killed = true;
    await stop(first, 'SIGKILL');
    await Promise.all(pumps);
    expect(acknowledged.size).toBeGreaterThanOrEqual(60);

    const second = await startDevnet(data);
    running.push(second);
    for (const [hash, ack] of acknowledged) {
      const r = await second.rpc.call<{ blockHash: string; status: string } | null>('zv_getTransactionReceipt', [hash]);
      expect(r, `acknowledged transaction ${hash} lost`).not.toBeNull();
      expect(r!.blockHash).toBe(ack.blockHash);
      expect(r!.status).toBe('success');
    }
    // Every accepted transaction is still known: included, or back in the pool from its journal
    // (and then mined: the devnet restarts mining what waits).
    for (const hash of accepted) {
      const tx = await second.rpc.call<{ status: string } | null>('zv_getTransaction', [hash]);
      expect(tx, `accepted transaction ${hash} lost`).not.toBeNull();
    }
    for (const hash of accepted) await second.rpc.call('zv_waitForReceipt', [hash, 60_000]);
    // The state is consistent with the receipts: the sink holds one coin per included coin transfer.
    const head = await second.rpc.call<{ height: number }>('zv_getBlock', ['latest']);
    let coin = 0;
    let tokens = 0;
    for (let h = 1; h <= head.height; h++) {
      let block: { transactions: { status: string; sender: string; contractAddress: string | null }[] };
      try {
        block = await second.rpc.call('zv_getBlock', [h, true]);
      } catch {
        continue; // a slot without a block
      }
      for (const tx of block.transactions) {
        if (tx.sender === owner.address) {
          if (tx.contractAddress === null && tx.status === 'success') tokens++; // the deploy minted; the rest are transfers of 1
        }
        else if (tx.sender !== owner.address && tx.status === 'success') coin++;
      }
    }
    expect(BigInt(await second.rpc.call<string>('zv_getBalance', [sink]))).toBe(BigInt(coin));
    expect(await second.rpc.call('zv_call', [tokenAddress, 'balance_of', [sink]])).toMatchObject({ value: tokens });
    await stop(second, 'SIGTERM');
  }, 240_000);
});
