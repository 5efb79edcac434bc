// The TVM executor end to end on the Merkle state: deploy and call the token example with
// signed transactions, revert semantics (gas paid, nonce used, effects undone), fees, views,
// and reads at a past state root.

import { memoryStateTree } from '../state/memory-tree.ts';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.ts';
import { stdlibResolver } from '../../cli/stdlib.ts';
import { ExecutionError } from '../engine/executor.ts';
import { AccountKey } from '../chain/keys.ts';
import { signTx, type TxFields } from '../chain/tx.ts';
import { EMPTY_ROOT } from '../state/trie.ts';
import { encodeArgs, TvmExecutor, type LedgerState, type StateTree } from './tvm-executor.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const alice = AccountKey.fromLabel('alice');
const bob = AccountKey.fromLabel('bob');
const proposer = 'ab'.repeat(32); // a miner id: its account is 'zv' + id

const tree = (): StateTree => memoryStateTree();

const token = (() => {
  const r = compile({ path: 'examples/token.py', source: readFileSync(join(ROOT, 'examples/token.py'), 'utf8'), resolve: stdlibResolver(ROOT) });
  if (!r.ok || !r.bytecode) throw new Error('token does not compile');
  return r.bytecode;
})();

describe('TvmExecutor', () => {
  const exec = new TvmExecutor({ chainId: 9, tree: tree(), emptyRoot: EMPTY_ROOT, allocations: [[alice.address, 10n ** 18n]] });
  const ctx = (height: number) => ({ height, timestamp: 1_700_000_000_000 + height * 3000, proposer, random: '00'.repeat(32) });
  const tx = (key: AccountKey, nonce: number, body: TxFields['body'], extra: Partial<TxFields> = {}) =>
    signTx(key, { chainId: 9, nonce, gasLimit: 2_000_000, gasPrice: 1n, value: 0n, body, ...extra });
  const section = (state: LedgerState, txs: Uint8Array[], height: number) => exec.buildSection(state, txs, ctx(height), 1 << 20);

  let s0 = exec.genesis();
  const deployTx = tx(alice, 0, { kind: 'deploy', code: token, args: encodeArgs(['int'], [1000n]) });
  const r1 = exec.execute(s0, section(s0, [deployTx.bytes], 1), ctx(1));
  const s1 = r1.state;
  const tokenAddress = s1.receipts[0]!.contractAddress!;

  it('deploys a contract: receipt, address, fee to the proposer, unused gas refunded', () => {
    const rc = s1.receipts[0]!;
    expect(rc).toMatchObject({ txHash: deployTx.hash, sender: alice.address, status: 'success', revertReason: null });
    expect(tokenAddress).toMatch(/^zv[0-9a-f]{64}$/);
    expect(rc.gasUsed).toBeGreaterThan(0);
    expect(exec.balance(s1, alice.address)).toBe(10n ** 18n - BigInt(rc.fee));
    expect(exec.balance(s1, 'zv' + proposer)).toBe(BigInt(rc.fee));
    expect(exec.account(s1, alice.address).nonce).toBe(1);
    expect(r1.included).toEqual([deployTx.hash]);
  });

  it('calls methods; a revert pays its gas and uses its nonce but changes nothing else', () => {
    const ok = tx(alice, 1, { kind: 'call', to: tokenAddress, method: 'transfer', args: encodeArgs(['Address', 'int'], [bob.address, 300n]) });
    const bad = tx(alice, 2, { kind: 'call', to: tokenAddress, method: 'transfer', args: encodeArgs(['Address', 'int'], [bob.address, 10_000n]) });
    const s2 = exec.execute(s1, section(s1, [ok.bytes, bad.bytes], 2), ctx(2)).state;
    const [a, b] = s2.receipts;
    expect(a).toMatchObject({ status: 'success', returnValue: true });
    expect(a!.events.map((e) => e.name)).toEqual(['Transfer']);
    expect(b).toMatchObject({ status: 'reverted', returnValue: null });
    expect(b!.revertReason).toBeTruthy();
    expect(b!.gasUsed).toBeGreaterThan(0);
    expect(exec.account(s2, alice.address).nonce).toBe(3);
    const view = exec.view(s2, tokenAddress, 'balance_of', encodeArgs(['Address'], [bob.address]), { height: 2, timestamp: 0 });
    expect(view.ok && view.value).toBe(300);
    // The state of block 1 is still readable: bob had nothing there.
    const before = exec.view(s1, tokenAddress, 'balance_of', encodeArgs(['Address'], [bob.address]), { height: 1, timestamp: 0 });
    expect(before.ok && before.value).toBe(0);
  });

  it('moves native coin; leaves out of a built block what no longer applies', () => {
    const pay = tx(alice, 1, { kind: 'transfer', to: bob.address }, { value: 777n });
    const stale = tx(alice, 0, { kind: 'transfer', to: bob.address }, { value: 1n });
    const poor = tx(bob, 0, { kind: 'transfer', to: alice.address }, { value: 10n ** 20n });
    const sec = section(s1, [stale.bytes, pay.bytes, poor.bytes], 2);
    const s2 = exec.execute(s1, sec, ctx(2)).state;
    expect(s2.receipts.map((r) => r.txHash)).toEqual([pay.hash]);
    expect(exec.balance(s2, bob.address)).toBe(777n);
  });

  it('rejects a block holding an invalid transaction, naming it', () => {
    const stale = tx(alice, 0, { kind: 'transfer', to: bob.address }, { value: 1n });
    const forged = new Uint8Array(4 + 4 + stale.bytes.length);
    const view = new DataView(forged.buffer);
    view.setUint32(0, 1);
    view.setUint32(4, stale.bytes.length);
    forged.set(stale.bytes, 8);
    expect(() => exec.execute(s1, forged, ctx(2))).toThrow(ExecutionError);
    expect(() => exec.execute(s1, forged, ctx(2))).toThrow(/transaction 0 of the block: nonce 0/);
    expect(() => exec.execute(s1, Uint8Array.of(0, 0, 0, 5), ctx(2))).toThrow(/count 5/);
    expect(() => exec.checkTransaction(s1, stale.bytes)).toThrow(/nonce/);
  });

  it('gives every state its own root; the same block gives the same root', () => {
    s0 = exec.genesis();
    const again = exec.execute(s0, section(s0, [deployTx.bytes], 1), ctx(1)).state;
    expect(Buffer.from(again.root).toString('hex')).toBe(Buffer.from(s1.root).toString('hex'));
    expect(Buffer.from(s1.root).toString('hex')).not.toBe(Buffer.from(s0.root).toString('hex'));
  });
});

describe('one run of a section serves every proposer it did not touch', () => {
  // The shared run (fees paid at the end) against a fresh executor that runs every block
  // afresh, fees paid per transaction: the same root and receipts for every proposer,
  // including one whose account the transactions touch (which must not take the shortcut).
  const carol = AccountKey.fromLabel('carol');
  const p1 = '11'.repeat(32);
  const p2 = '22'.repeat(32);
  const p3 = '33'.repeat(32);
  const allocations: [string, bigint][] = [[alice.address, 10n ** 18n], [carol.address, 10n ** 18n]];
  const ctxOf = (proposer: string) => ({ height: 5, timestamp: 1_700_000_015_000, proposer, random: '00'.repeat(32) });
  const pay = (key: AccountKey, nonce: number, to: string, value: bigint) => signTx(key, { chainId: 9, nonce, gasLimit: 30_000, gasPrice: 3n, value, body: { kind: 'transfer', to } }).bytes;
  // Two transfers between users, one paying proposer p3's account (it is then touched).
  const pool = [pay(alice, 0, bob.address, 5n), pay(carol, 0, 'zv' + p3, 7n), pay(alice, 1, carol.address, 1n)];

  it('gives exactly what a fresh run with fees paid as they accrue gives', () => {
    const shared = new TvmExecutor({ chainId: 9, tree: tree(), emptyRoot: EMPTY_ROOT, allocations });
    const g = shared.genesis();
    for (const p of [p1, p2, p3]) {
      const section = shared.buildSection(g, pool, ctxOf(p), 1 << 20);
      const got = shared.execute(g, section, ctxOf(p));
      const fresh = new TvmExecutor({ chainId: 9, tree: tree(), emptyRoot: EMPTY_ROOT, allocations });
      const want = fresh.execute(fresh.genesis(), section, ctxOf(p));
      expect(Buffer.from(got.state.root).toString('hex'), `proposer ${p.slice(0, 2)}`).toBe(Buffer.from(want.state.root).toString('hex'));
      expect(got.state.receipts).toEqual(want.state.receipts);
      const fees = want.state.receipts.reduce((sum, r) => sum + BigInt(r.fee), 0n);
      expect(shared.balance(got.state, 'zv' + p)).toBe(fees + (p === p3 ? 7n : 0n));
    }
  });
});
