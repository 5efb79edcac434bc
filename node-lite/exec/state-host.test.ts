// StateHost: the TVM host over committed state plus a journaled overlay. The token example
// runs on it and on MemoryHost side by side and must give the same results, gas and events.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.ts';
import { stdlibResolver } from '../../cli/stdlib.ts';
import { callMethod, deploy, MemoryHost } from '../../tvm/index.ts';
import { accountKey, contractAddress, decodeAccount, encodeAccount, StateHost, storageKey } from './state-host.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BLOCK = { height: 5n, timestamp: 1_700_000_000n, chainId: 7n };
const alice = 'zv' + 'a1'.repeat(32);
const bob = 'zv' + 'b2'.repeat(32);

function tokenCode(): Uint8Array {
  const r = compile({ path: 'examples/token.py', source: readFileSync(join(ROOT, 'examples/token.py'), 'utf8'), resolve: stdlibResolver(ROOT) });
  if (!r.ok || !r.bytecode) throw new Error('token does not compile');
  return r.bytecode;
}

/** Committed state as a plain map (what the trie will provide). */
function committed(entries: [Uint8Array, Uint8Array][] = []) {
  const m = new Map(entries.map(([k, v]) => [Buffer.from(k).toString('hex'), v]));
  return (key: Uint8Array) => m.get(Buffer.from(key).toString('hex'));
}

describe('StateHost', () => {
  it('accounts round-trip and absent accounts read as empty', () => {
    const host = new StateHost(committed([[accountKey(alice), encodeAccount({ nonce: 3, balance: 10n ** 30n })]]), BLOCK);
    expect(host.account(alice)).toEqual({ nonce: 3, balance: 10n ** 30n });
    expect(host.account(bob)).toEqual({ nonce: 0, balance: 0n });
    expect(host.transfer(alice, bob, 5n)).toBe(true);
    expect(host.transfer(bob, alice, 6n)).toBe(false);
    expect(host.getBalance(bob)).toBe(5n);
    const changes = host.changes();
    expect(changes.map(([k]) => Buffer.from(k).toString('hex'))).toEqual([accountKey(alice), accountKey(bob)].map((k) => Buffer.from(k).toString('hex')).sort());
    expect(decodeAccount(changes.find(([k]) => k[1] === 0xb2)![1]!)).toEqual({ nonce: 0, balance: 5n });
  });

  it('nested snapshots revert writes and events exactly', () => {
    const host = new StateHost(committed(), BLOCK);
    const k = new Uint8Array([1, 2]);
    host.storageSet(alice, k, new Uint8Array([1]));
    const outer = host.snapshot();
    host.storageSet(alice, k, new Uint8Array([2]));
    host.emitEvent({ contract: alice, name: 'E', fields: [], data: new Uint8Array() });
    const inner = host.snapshot();
    host.storageSet(alice, k, undefined);
    host.storageSet(bob, k, new Uint8Array([3]));
    host.revertTo(inner);
    expect(host.storageGet(alice, k)).toEqual(new Uint8Array([2]));
    expect(host.storageGet(bob, k)).toBeUndefined();
    host.revertTo(outer);
    expect(host.storageGet(alice, k)).toEqual(new Uint8Array([1]));
    expect(host.events).toHaveLength(0);
    expect(host.changes().map(([key]) => Buffer.from(key).toString('hex'))).toEqual([Buffer.from(storageKey(alice, k)).toString('hex')]);
  });

  it('runs the token example exactly as MemoryHost does', () => {
    const code = tokenCode();
    const mem = new MemoryHost({ block: BLOCK, balances: { [alice]: 1000n } });
    const st = new StateHost(committed([[accountKey(alice), encodeAccount({ nonce: 0, balance: 1000n })]]), BLOCK);
    const address = contractAddress(alice, 0);
    const opts = { sender: alice, gasLimit: 1_000_000, address };
    const d1 = deploy(mem, code, [1000n], opts);
    const d2 = deploy(st, code, [1000n], opts);
    expect(d2).toEqual(d1);
    const calls: [string, unknown[], string][] = [
      ['transfer', [bob, 300n], alice],
      ['transfer', [alice, 301n], bob], // reverts: not enough
      ['approve', [bob, 50n], alice],
      ['transfer_from', [alice, bob, 50n], bob],
      ['balance_of', [bob], alice],
      ['total_supply', [], alice],
    ];
    for (const [method, args, sender] of calls) {
      const r1 = callMethod(mem, address, method, args, { sender, gasLimit: 1_000_000 });
      const r2 = callMethod(st, address, method, args, { sender, gasLimit: 1_000_000 });
      expect(r2).toEqual(r1);
    }
    expect(st.events.map((e) => e.name)).toEqual(mem.events.map((e) => e.name));
    // Storage written by the contract lands under 's' ‖ address, code under 'c' ‖ address.
    const tags = new Set(st.changes().map(([k]) => String.fromCharCode(k[0]!)));
    expect([...tags].sort()).toEqual(['c', 's']); // no native coin moved
  });
});
