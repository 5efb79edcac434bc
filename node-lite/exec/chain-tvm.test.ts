// Contracts through the whole consensus: the Chiron engine's nodes carry signed TVM
// transactions in their blocks; every node executes them and reaches the same state root.

import { memoryStateTree } from '../state/memory-tree.ts';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.ts';
import { stdlibResolver } from '../../cli/stdlib.ts';
import { AccountKey } from '../chain/keys.ts';
import { signTx } from '../chain/tx.ts';
import { checkInvariants, createSim } from '../engine/sim.ts';
import { loadScenario } from '../engine/scenario-support.ts';
import { EMPTY_ROOT, MemoryNodeStore } from '../state/trie.ts';
import { encodeArgs, TvmExecutor, type LedgerState } from './tvm-executor.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const alice = AccountKey.fromLabel('alice');
const bob = AccountKey.fromLabel('bob');

describe('TVM transactions through the Chiron engine', () => {
  const r = compile({ path: 'examples/token.py', source: readFileSync(join(ROOT, 'examples/token.py'), 'utf8'), resolve: stdlibResolver(ROOT) });
  if (!r.ok || !r.bytecode) throw new Error('token does not compile');
  // Trie nodes are content-addressed: the simulated nodes may share one node store, as they
  // share the verification memo; each would keep its own on a real network.
  const nodes = new MemoryNodeStore();
  let executor: TvmExecutor | null = null;
  const sim = createSim<LedgerState>(
    { ...loadScenario('healthy'), slots: 16 },
    {
      executor: (genesis) =>
        (executor = new TvmExecutor({
          chainId: genesis.chainId,
          emptyRoot: EMPTY_ROOT,
          allocations: [...genesis.allocations, [alice.address, 10n ** 18n]],
          tree: memoryStateTree(nodes),
        })),
    },
  );
  const send = (nonce: number, body: Parameters<typeof signTx>[1]['body']) => {
    const t = signTx(alice, { chainId: sim.genesis.chainId, nonce, gasLimit: 3_000_000, gasPrice: 1n, value: 0n, body });
    sim.nodes.get('m4')!.submitTransaction(t.bytes); // a verifier node: it forwards to the proposers
    return t.hash;
  };

  it('deploys and calls a contract; every node reaches the same state root and receipts', () => {
    sim.runTo(2);
    const deployHash = send(0, { kind: 'deploy', code: r.bytecode!, args: encodeArgs(['int'], [1000n]) });
    sim.runTo(6);
    const receipts = sim.nodes.get('m0')!.chain().flatMap((s) => s.ledger.receipts);
    const deployed = receipts.find((x) => x.txHash === deployHash);
    expect(deployed).toMatchObject({ status: 'success' });
    const token = deployed!.contractAddress!;
    const callHash = send(1, { kind: 'call', to: token, method: 'transfer', args: encodeArgs(['Address', 'int'], [bob.address, 250n]) });
    sim.runTo(16);
    const head = sim.nodes.get('m7')!.head;
    const call = sim.nodes.get('m7')!.chain().flatMap((s) => s.ledger.receipts).find((x) => x.txHash === callHash);
    expect(call).toMatchObject({ status: 'success', returnValue: true });
    expect(call!.events[0]).toMatchObject({ name: 'Transfer', contract: token });
    const roots = new Set(sim.names.map((n) => Buffer.from(sim.nodes.get(n)!.head.ledger.root).toString('hex')));
    expect(roots.size).toBe(1);
    const balance = executor!.view(head.ledger, token, 'balance_of', encodeArgs(['Address'], [bob.address]), { height: head.height, timestamp: 0 });
    expect(balance.ok && balance.value).toBe(250);
    // Block rewards and fees land in the miners' accounts of the same state.
    const m0 = sim.idOf('m0');
    expect(executor!.balance(head.ledger, m0) > sim.genesis.allocations.find(([a]) => a === m0)![1]).toBe(true);
    expect(checkInvariants(sim)).toEqual([]);
  });
});
