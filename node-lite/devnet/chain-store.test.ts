// A node's chain on disk: blocks and trie nodes committed per block, replayed after a restart.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.ts';
import { stdlibResolver } from '../../cli/stdlib.ts';
import { AccountKey } from '../chain/keys.ts';
import { signTx } from '../chain/tx.ts';
import { loadScenario } from '../engine/scenario-support.ts';
import { createSim } from '../engine/sim.ts';
import { encodeArgs, TvmExecutor, type LedgerState } from '../exec/tvm-executor.ts';
import { EMPTY_ROOT } from '../state/trie.ts';
import { openKvStore } from '../store/kv.ts';
import { ChainStore } from './chain-store.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const alice = AccountKey.fromLabel('alice');
const dir = mkdtempSync(join(tmpdir(), 'zv-chain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const token = (() => {
  const r = compile({ path: 'examples/token.py', source: readFileSync(join(ROOT, 'examples/token.py'), 'utf8'), resolve: stdlibResolver(ROOT) });
  if (!r.ok || !r.bytecode) throw new Error('token does not compile');
  return r.bytecode;
})();

function network(store: ChainStore, persist: boolean) {
  let executor: TvmExecutor | null = null;
  const sim = createSim<LedgerState>(
    { ...loadScenario('healthy'), slots: 12 },
    {
      executor: (g) => (executor = new TvmExecutor({ chainId: g.chainId, tree: store.tree(), emptyRoot: EMPTY_ROOT, allocations: [...g.allocations, [alice.address, 10n ** 18n]] })),
      onBlockApplied: persist ? (node, block, certificate) => void (node === 'm0' && store.saveBlock(block, certificate)) : undefined,
    },
  );
  return { sim, executor: executor! };
}

describe('ChainStore', () => {
  it('replays the stored chain after a restart: same tip, same state, contract state readable', async () => {
    const kv = await openKvStore(join(dir, 'm0'));
    const store = new ChainStore(kv);
    const { sim } = network(store, true);
    sim.runTo(2);
    const deploy = signTx(alice, { chainId: sim.genesis.chainId, nonce: 0, gasLimit: 3_000_000, gasPrice: 1n, value: 0n, body: { kind: 'deploy', code: token, args: encodeArgs(['int'], [1000n]) } });
    sim.nodes.get('m1')!.submitTransaction(deploy.bytes);
    sim.runTo(12);
    await store.flush();
    const before = sim.nodes.get('m0')!.head;
    const address = sim.nodes.get('m0')!.chain().flatMap((s) => s.ledger.receipts).find((r) => r.txHash === deploy.hash)!.contractAddress!;
    await kv.close();

    const kv2 = await openKvStore(join(dir, 'm0'));
    const store2 = new ChainStore(kv2);
    const restarted = network(store2, false);
    const m0 = restarted.sim.nodes.get('m0')!;
    m0.restore(store2.blocks());
    expect(m0.head.id).toBe(before.id);
    expect(m0.knownBlocks()).toBeGreaterThanOrEqual(before.height - 2);
    expect(Buffer.from(m0.head.ledger.root).toString('hex')).toBe(Buffer.from(before.ledger.root).toString('hex'));
    const supply = restarted.executor.view(m0.head.ledger, address, 'total_supply', encodeArgs([], []), { height: m0.head.height, timestamp: 0 });
    expect(supply.ok && supply.value).toBe(1000);
    expect(m0.stats.invalidBlocks).toBe(0);
    await kv2.close();
  });
});
