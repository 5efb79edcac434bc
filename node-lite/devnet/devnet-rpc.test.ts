// The devnet behind its real JSON-RPC server (in this process, on a random port): what a
// client sees for good and bad requests, transactions of every kind of wrong, the dev
// methods, and subscriptions.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.ts';
import { decodeValue, loadModule } from '../../tvm/index.ts';
import { stdlibResolver } from '../../cli/stdlib.ts';
import { AccountKey } from '../chain/keys.ts';
import { signTx, type TxFields } from '../chain/tx.ts';
import { encodeJsonArgs } from '../exec/tvm-executor.ts';
import { RpcCallError, RpcClient, RpcSocket } from '../rpc/client.ts';
import { startRpcServer, type RpcServer } from '../rpc/server.ts';
import { REGISTRY_ADDRESS } from '../exec/system-contracts.ts';
import { Devnet } from './devnet.ts';
import { devnetMethods, devnetSubscriptions } from './rpc-methods.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLOCK_SOURCE = `
from zvchain import Contract, public, view, block

class Clock(Contract):
    seen: int

    def __init__(self) -> None:
        self.seen = block.timestamp

    @public
    def touch(self) -> int:
        print("touched at", block.timestamp)
        self.seen = block.timestamp
        return self.seen

    @view
    def now(self) -> int:
        return block.timestamp
`;

function bytecode(path: string, source: string): Uint8Array {
  const r = compile({ path, source, resolve: stdlibResolver(ROOT) });
  if (!r.ok || !r.bytecode) throw new Error(`${path} does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.bytecode;
}

const hex = (b: Uint8Array) => '0x' + Buffer.from(b).toString('hex');

async function rpcError(p: Promise<unknown>): Promise<RpcCallError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RpcCallError) return e;
    throw e;
  }
  throw new Error('expected an RPC error');
}

describe('the devnet over JSON-RPC', () => {
  let dn: Devnet;
  let server: RpcServer;
  let rpc: RpcClient;
  let alice: AccountKey;
  let bob: AccountKey;
  const token = bytecode('examples/token.py', readFileSync(join(ROOT, 'examples/token.py'), 'utf8'));
  let tokenAddress = '';
  const printed: string[] = [];

  const fields = (nonce: number, body: TxFields['body'], extra: Partial<TxFields> = {}): TxFields => ({ chainId: dn.meta.chainId, nonce, gasLimit: 3_000_000, gasPrice: 1n, value: 0n, body, ...extra });
  const send = async (key: AccountKey, f: TxFields) => {
    const t = signTx(key, f);
    const hash = await rpc.call<string>('zv_sendRawTransaction', [hex(t.bytes)]);
    expect(hash).toBe(t.hash);
    return rpc.call<Record<string, unknown>>('zv_waitForReceipt', [hash, 20_000]);
  };
  const nonceOf = async (address: string) => (await rpc.call<{ nextNonce: number }>('zv_getAccount', [address])).nextNonce;

  beforeAll(async () => {
    dn = await Devnet.open({ dataDir: null, log: (l) => printed.push(l) });
    server = await startRpcServer({ methods: devnetMethods(dn), subscriptions: devnetSubscriptions(dn), port: 0 });
    rpc = new RpcClient(server.url);
    const accounts = await rpc.call<{ address: string; privateKey: string }[]>('zv_accounts');
    expect(accounts).toHaveLength(10);
    alice = AccountKey.fromSeed(new Uint8Array(Buffer.from(accounts[0]!.privateKey, 'hex')));
    bob = AccountKey.fromSeed(new Uint8Array(Buffer.from(accounts[1]!.privateKey, 'hex')));
    expect(alice.address).toBe(accounts[0]!.address);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await dn?.close();
  });

  it('deploys and calls a contract; receipts, view calls, blocks, events and transactions read back', async () => {
    const deployed = await send(alice, fields(await nonceOf(alice.address), { kind: 'deploy', code: token, args: encodeJsonArgs({ name: '__init__', params: [{ name: 'supply', type: 'int' }] }, [1000]) }));
    expect(deployed).toMatchObject({ status: 'success', revertReason: null });
    tokenAddress = deployed.contractAddress as string;
    const sent = await send(alice, fields(await nonceOf(alice.address), { kind: 'call', to: tokenAddress, method: 'transfer', args: encodeJsonArgs({ name: 'transfer', params: [{ name: 'to', type: 'Address' }, { name: 'amount', type: 'int' }] }, [bob.address, 250]) }));
    expect(sent).toMatchObject({ status: 'success', returnValue: true });
    expect((sent.events as { name: string; fields: unknown }[])[0]).toMatchObject({ name: 'Transfer', fields: { to: bob.address, amount: 250 } });
    const view = await rpc.call<{ ok: boolean; value: unknown }>('zv_call', [tokenAddress, 'balance_of', [bob.address]]);
    expect(view).toMatchObject({ ok: true, value: 250 });
    // At the deploy's block, bob had nothing yet: reads at a past height.
    const past = await rpc.call<{ value: unknown }>('zv_call', [tokenAddress, 'balance_of', [bob.address], { block: deployed.blockHeight }]);
    expect(past.value).toBe(0);
    const block = await rpc.call<{ hash: string; transactions: string[] }>('zv_getBlock', [sent.blockHeight]);
    expect(block.transactions).toEqual([sent.txHash]);
    const byHash = await rpc.call<{ height: number }>('zv_getBlock', [block.hash]);
    expect(byHash.height).toBe(sent.blockHeight);
    const tx = await rpc.call<Record<string, unknown>>('zv_getTransaction', [sent.txHash]);
    expect(tx).toMatchObject({ status: 'included', from: alice.address, kind: 'call', method: 'transfer', to: tokenAddress });
    const logs = await rpc.call<{ name: string; txHash: string }[]>('zv_getLogs', [{ address: tokenAddress, event: 'Transfer' }]);
    expect(logs.map((l) => l.txHash)).toEqual([deployed.txHash, sent.txHash]);
    const code = await rpc.call<{ abi: { contract: string } }>('zv_getCode', [tokenAddress]);
    expect(code.abi.contract).toBe('Token');
    // Raw storage: balances[bob] is LEB128(slot id) ‖ bob's 32 address bytes (docs/tvm.md).
    const slot = loadModule(token).def.slots.find((x) => x.name === 'balances')!;
    const key = '0x' + slot.id.toString(16).padStart(2, '0') + bob.address.slice(2);
    const raw = await rpc.call<string>('zv_getStorageAt', [tokenAddress, key]);
    expect(decodeValue('int', new Uint8Array(Buffer.from(raw.slice(2), 'hex')))).toBe(250);
    expect(await rpc.call('zv_getStorageAt', [tokenAddress, key, deployed.blockHeight])).toBeNull(); // at a past height: nothing yet
    expect(await rpc.call('zv_getCode', [bob.address])).toBeNull();
  }, 60_000);

  it('a revert keeps the fee and the nonce and reports the reason', async () => {
    const before = BigInt(await rpc.call<string>('zv_getBalance', [bob.address]));
    const nonce = await nonceOf(bob.address);
    const r = await send(bob, fields(nonce, { kind: 'call', to: tokenAddress, method: 'transfer', args: encodeJsonArgs({ name: 'transfer', params: [{ name: 'to', type: 'Address' }, { name: 'amount', type: 'int' }] }, [alice.address, 10_000]) }));
    expect(r).toMatchObject({ status: 'reverted', revertReason: 'insufficient balance' });
    const after = BigInt(await rpc.call<string>('zv_getBalance', [bob.address]));
    expect(before - after).toBe(BigInt(r.fee as string));
    expect(await nonceOf(bob.address)).toBe(nonce + 1);
  }, 60_000);

  it('refuses bad transactions, each with its reason', async () => {
    const n = await nonceOf(alice.address);
    const transfer = (extra: Partial<TxFields> = {}, nonce = n) => fields(nonce, { kind: 'transfer', to: bob.address }, { gasLimit: 21_000, value: 1n, ...extra });
    const reject = async (bytes: Uint8Array | string) => {
      const e = await rpcError(rpc.call('zv_sendRawTransaction', [typeof bytes === 'string' ? bytes : hex(bytes)]));
      expect(e.code).toBe(-32003);
      return (e.data as { reason: string }).reason;
    };
    expect(await reject(signTx(alice, transfer({ chainId: 7 })).bytes)).toBe('wrong-chain');
    expect(await reject(signTx(alice, transfer({}, 0)).bytes)).toBe('nonce-too-low');
    expect(await reject(signTx(alice, transfer({}, n + 5000)).bytes)).toBe('nonce-too-high');
    expect(await reject(signTx(alice, transfer({ gasPrice: 0n })).bytes)).toBe('gas-price-too-low');
    expect(await reject(signTx(alice, transfer({ value: 10n ** 30n })).bytes)).toBe('insufficient-funds');
    const signed = signTx(alice, transfer());
    const forged = signed.bytes.slice();
    forged[forged.length - 1]! ^= 1;
    expect(await reject(forged)).toBe('bad-signature');
    expect(await reject(signed.bytes.slice(0, 40))).toBe('malformed');
    expect(await reject('0x5a56')).toBe('malformed');
    const dev = signTx(alice, fields(n, { kind: 'dev', op: { op: 'set-balance', address: alice.address, amount: 1n } }));
    expect(await reject(dev.bytes)).toBe('dev-only');
    // Not even hex: the schema refuses it before the mempool sees it.
    const e = await rpcError(rpc.call('zv_sendRawTransaction', ['zz']));
    expect(e.code).toBe(-32602);
    // A good one still goes through after all that.
    const r = await send(alice, transfer());
    expect(r.status).toBe('success');
  }, 60_000);

  it('answers bad queries with precise errors', async () => {
    expect((await rpcError(rpc.call('zv_getBalance', ['zv12']))).code).toBe(-32602);
    expect((await rpcError(rpc.call('zv_nope'))).code).toBe(-32601);
    const far = await rpcError(rpc.call('zv_getBlock', [10_000_000]));
    expect(far.code).toBe(-32001);
    expect(far.message).toMatch(/no block at height 10000000/);
    const noContract = await rpcError(rpc.call('zv_call', [bob.address, 'x', []]));
    expect(noContract.message).toMatch(/no contract at/);
    const noMethod = await rpcError(rpc.call('zv_call', [tokenAddress, 'mint_forever', []]));
    expect(noMethod.message).toMatch(/has no method 'mint_forever'.*balance_of/);
    const badArg = await rpcError(rpc.call('zv_call', [tokenAddress, 'balance_of', [42]]));
    expect(badArg.code).toBe(-32602);
    expect(badArg.message).toMatch(/argument 'owner'/);
    expect(await rpc.call('zv_getTransactionReceipt', ['00'.repeat(32)])).toBeNull();
    expect((await rpcError(rpc.call('zv_waitForReceipt', ['00'.repeat(32)]))).code).toBe(-32001);
    expect((await rpcError(rpc.call('zv_revert', ['0x999']))).code).toBe(-32001);
  });

  it('dev methods: set a balance, move time on, snapshot and revert', async () => {
    const carol = AccountKey.fromLabel('carol').address;
    expect(await rpc.call('zv_setBalance', [carol, '123456789'])).toBe('123456789');
    expect(await rpc.call('zv_getBalance', [carol])).toBe('123456789');

    const deployed = await send(alice, fields(await nonceOf(alice.address), { kind: 'deploy', code: bytecode('clock.py', CLOCK_SOURCE), args: encodeJsonArgs({ name: '__init__', params: [] }, []) }));
    const clock = deployed.contractAddress as string;
    const t0 = (await rpc.call<{ value: number }>('zv_call', [clock, 'now'])).value;
    // Block time starts at the devnet's creation (virtual time runs on from there).
    expect(Math.abs(t0 - Date.now() / 1000)).toBeLessThan(3600);
    expect(await rpc.call('zv_increaseTime', [86_400])).toBe(86_400);
    const touched = await send(alice, fields(await nonceOf(alice.address), { kind: 'call', to: clock, method: 'touch', args: new Uint8Array([]) }));
    expect(Number(touched.returnValue)).toBeGreaterThanOrEqual(t0 + 86_400);
    expect(printed.some((l) => l.includes(`touched at ${touched.returnValue as number}`))).toBe(true);

    const snap = await rpc.call<{ id: string; height: number }>('zv_snapshot');
    await rpc.call('zv_setBalance', [carol, '1']);
    expect(await rpc.call('zv_mine', [3])).toMatchObject({ blocks: 3 });
    expect(await rpc.call('zv_getBalance', [carol])).toBe('1');
    const back = await rpc.call<{ height: number }>('zv_revert', [snap.id]);
    expect(back.height).toBe(snap.height);
    expect(await rpc.call('zv_blockNumber')).toBe(snap.height);
    expect(await rpc.call('zv_getBalance', [carol])).toBe('123456789');
    expect((await rpcError(rpc.call('zv_revert', [snap.id]))).code).toBe(-32001); // used up
    // The chain goes on from the snapshot.
    const r = await send(alice, fields(await nonceOf(alice.address), { kind: 'transfer', to: carol }, { gasLimit: 21_000, value: 5n }));
    expect(r.status).toBe('success');
    expect(await rpc.call('zv_getBalance', [carol])).toBe('123456794');
  }, 120_000);

  it('streams new blocks and matching events over WebSocket', async () => {
    const socket = await RpcSocket.connect(server.wsUrl);
    const heads: { height: number }[] = [];
    const events: { name: string; fields: { amount: number } }[] = [];
    await socket.subscribe('newHeads', [], (h) => heads.push(h as { height: number }));
    await socket.subscribe('logs', [{ address: tokenAddress, event: 'Transfer' }], (e) => events.push(e as { name: string; fields: { amount: number } }));
    const r = await send(alice, fields(await nonceOf(alice.address), { kind: 'call', to: tokenAddress, method: 'transfer', args: encodeJsonArgs({ name: 'transfer', params: [{ name: 'to', type: 'Address' }, { name: 'amount', type: 'int' }] }, [bob.address, 7]) }));
    await new Promise((done) => setTimeout(done, 50));
    expect(heads.map((h) => h.height)).toContain(r.blockHeight);
    expect(events.map((e) => e.fields.amount)).toEqual([7]);
    await socket.close();
  }, 60_000);

  it('reports the consensus state, whose miners are the genesis registry contract\'s', async () => {
    const cs = await rpc.call<{ groups: unknown[]; miners: { type: string }[]; preset: string }>('zv_consensus');
    expect(cs.preset).toBe('small');
    expect(cs.groups.length).toBeGreaterThan(0);
    expect(cs.miners.filter((m) => m.type === 'proposer')).toHaveLength(3);
    // The registry at its genesis address holds them: 3 proposers, 10 verifiers, none annulled.
    const counts = await rpc.call<{ ok: boolean; value: number[] }>('zv_call', [REGISTRY_ADDRESS, 'counts', []]);
    expect(counts).toMatchObject({ ok: true, value: [3, 10, 0] });
    const code = await rpc.call<{ abi: { contract: string } }>('zv_getCode', [REGISTRY_ADDRESS]);
    expect(code.abi.contract).toBe('MinerRegistry');
  });
});
