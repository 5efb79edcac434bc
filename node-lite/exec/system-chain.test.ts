// The miner registry contract through the whole consensus: the small preset's network runs
// the TVM with the genesis system contracts, and the engine takes its miners and stakes from
// the registry contract. A new account registers a proposer key by a signed transaction and
// becomes a miner of the engine's registry, its reward and fees going to that account;
// equivocation evidence slashes it through the contract; it annuls, is refused an early
// refund and gets its stake back after refundDelay; a registration with a bad proof of
// possession stays out; miner-op items are invalid; every node reaches the same state root.

import { memoryStateTree } from '../state/memory-tree.ts';
import { describe, expect, it } from 'vitest';
import { AccountKey } from '../chain/keys.ts';
import { signTx, type TxFields } from '../chain/tx.ts';
import { proposalHash, proposerMessage, type BlockProposal } from '../consensus/block.ts';
import { toHex } from '../consensus/bytes.ts';
import { ConsensusError } from '../consensus/errors.ts';
import { minerIdOf } from '../consensus/miners.ts';
import { SecretKey, seededRandom } from '../crypto/index.ts';
import { bodyAfter, buildPayload, slotDuty, type ChainState } from '../engine/chain-state.ts';
import { decodePayload, encodePayload, minerOpMessage } from '../engine/codec.ts';
import { popMessage } from '../engine/genesis.ts';
import { loadScenario } from '../engine/scenario-support.ts';
import { checkInvariants, createSim } from '../engine/sim.ts';
import type { ConsensusItem, MinerOp } from '../engine/types.ts';
import { valueToJSON } from '../../tvm/index.ts';
import { EMPTY_ROOT, MemoryNodeStore } from '../state/trie.ts';
import { REGISTRY_ADDRESS, systemContracts } from './system-contracts.ts';
import { encodeArgs, TvmExecutor, type LedgerState, type Receipt } from './tvm-executor.ts';

const dave = AccountKey.fromLabel('system-chain/dave');
const erin = AccountKey.fromLabel('system-chain/erin');
const FUNDS = 10n ** 15n;
const STAKE = 150n;
const daveKey = SecretKey.random(seededRandom('system-chain/dave-bls'));
const davePk = daveKey.publicKey().toBytes();
const daveId = minerIdOf(davePk);
const erinKey = SecretKey.random(seededRandom('system-chain/erin-bls'));

describe('the miner registry contract through the Chiron engine', () => {
  // Trie nodes are content-addressed: the simulated nodes may share one node store.
  const nodes = new MemoryNodeStore();
  let executor!: TvmExecutor;
  const sim = createSim<LedgerState>(
    { ...loadScenario('healthy'), slots: 80 },
    {
      executor: (genesis) =>
        (executor = new TvmExecutor({
          chainId: genesis.chainId,
          emptyRoot: EMPTY_ROOT,
          allocations: [...genesis.allocations, [dave.address, FUNDS], [erin.address, FUNDS]],
          system: systemContracts(genesis.params, genesis.miners, { genesisTimeMs: genesis.genesisTimeMs }),
          tree: memoryStateTree(nodes),
        })),
    },
  );
  const observer = sim.nodes.get('m5')!;
  const head = (): ChainState<LedgerState> => observer.head;
  const nonces = new Map<string, number>();
  const send = (key: AccountKey, method: string, types: string[], args: unknown[], value = 0n): string => {
    const nonce = nonces.get(key.address) ?? 0;
    nonces.set(key.address, nonce + 1);
    const body: TxFields['body'] = { kind: 'call', to: REGISTRY_ADDRESS, method, args: encodeArgs(types, args) };
    const t = signTx(key, { chainId: sim.genesis.chainId, nonce, gasLimit: 3_000_000, gasPrice: 1n, value, body });
    sim.nodes.get('m4')!.submitTransaction(t.bytes); // a verifier node: it forwards to the proposers
    return t.hash;
  };
  const receipt = (hash: string): { receipt: Receipt; height: number } | undefined => {
    for (const s of observer.chain()) {
      const r = s.ledger.receipts.find((x) => x.txHash === hash);
      if (r) return { receipt: r, height: s.height };
    }
    return undefined;
  };
  const included = (hash: string) => {
    const r = receipt(hash);
    if (!r) throw new Error(`transaction ${hash.slice(0, 16)}… is not in m5's chain at height ${head().height}`);
    return r;
  };
  const view = (method: string, types: string[], args: unknown[]): unknown => {
    const s = head();
    const r = executor.view(s.ledger, REGISTRY_ADDRESS, method, encodeArgs(types, args), { height: s.height, timestamp: 0 });
    if (!r.ok) throw new Error(`${method} reverted: ${r.reason}`);
    return valueToJSON(r.returnType, r.value);
  };
  const genesisStakes = sim.genesis.miners.reduce((sum, m) => sum + m.stake, 0n);
  let registeredAt = 0;
  let annulledAt = 0;

  it('a new account registers a proposer key by transaction and becomes a miner of the engine', () => {
    sim.runTo(2);
    const pop = daveKey.sign(popMessage(dave.address, davePk)).toBytes();
    const registered = send(dave, 'register', ['int', 'bytes', 'bytes'], [0n, davePk, pop], STAKE);
    // Erin's proof is for another account: the contract records her, the engine does not.
    const erinPk = erinKey.publicKey().toBytes();
    const stolen = erinKey.sign(popMessage(dave.address, erinPk)).toBytes();
    const ignored = send(erin, 'register', ['int', 'bytes', 'bytes'], [1n, erinPk, stolen], 100n);
    sim.runTo(6);
    const r = included(registered);
    expect(r.receipt.status).toBe('success');
    registeredAt = r.height;
    const miner = head().registry.miners.get(daveId);
    expect(miner).toMatchObject({ type: 'proposer', stake: STAKE, registeredAt, status: 'active' });
    expect(head().minerAccounts.byMiner.get(daveId)).toBe(dave.address);
    expect(head().minerAccounts.byAccount.get(dave.address)).toBe(daveId);
    // The stake is in the contract, not in the engine's ledger.
    expect(executor.balance(head().ledger, REGISTRY_ADDRESS)).toBe(genesisStakes + STAKE + 100n);
    expect(view('stake_of', ['Address'], [dave.address])).toBe(Number(STAKE));

    const e = included(ignored);
    expect(e.receipt.status).toBe('success');
    expect(view('stake_of', ['Address'], [erin.address])).toBe(100);
    expect(head().registry.miners.has(minerIdOf(erinPk))).toBe(false);
    expect(head().minerAccounts.byAccount.has(erin.address)).toBe(false);
    const events = observer.chain().find((s) => s.height === e.height)!.events;
    expect(events).toContainEqual({ kind: 'registration-ignored', account: erin.address, reason: "the proof of possession is not the key's signature on pop_message(account, key)" });
  });

  it("a registered miner's reward and fees go to the account that registered it", () => {
    // A block dave would propose on the current tip (bodyAfter: what the payload does, without
    // the proposal checks), with no parent certificate and one transfer by erin.
    const parent = head();
    const height = parent.height + 1;
    const group = slotDuty(sim.rules, parent, height).group!;
    const nonce = executor.account(parent.ledger, erin.address).nonce;
    const transfer = signTx(erin, { chainId: sim.genesis.chainId, nonce, gasLimit: 30_000, gasPrice: 2n, value: 5n, body: { kind: 'transfer', to: dave.address } });
    const proposal = { height, timestamp: sim.genesis.genesisTimeMs + height * sim.params.slotMs, proposer: daveId };
    const payload = buildPayload(sim.rules, parent, proposal, null, [], [transfer.bytes], 1 << 20);
    const after = bodyAfter(sim.rules, parent, proposal, group, payload).ledger;
    const reward = (sim.params.blockReward * BigInt(sim.params.proposerSharePercent)) / 100n;
    const fee = BigInt(after.receipts[0]!.fee);
    expect(fee).toBeGreaterThan(0n);
    expect(executor.balance(after, dave.address) - executor.balance(parent.ledger, dave.address)).toBe(reward + fee + 5n);
    expect(executor.balance(after, 'zv' + daveId)).toBe(0n);
  });

  it('a miner-op item is invalid when the registry is a contract, and no proposer records one', () => {
    const parent = head();
    const height = parent.height + 1;
    const group = slotDuty(sim.rules, parent, height).group!;
    const unsigned = { kind: 'annul' as const, publicKey: davePk, nonce: 0 };
    const op = { ...unsigned, signature: daveKey.sign(minerOpMessage(unsigned)).toBytes() } as MinerOp;
    const payload = encodePayload({ parentCertificate: null, items: [{ kind: 'miner-op', op }], transactions: Uint8Array.of(0, 0, 0, 0) });
    const head_ = { height, timestamp: sim.genesis.genesisTimeMs + height * sim.params.slotMs, proposer: sim.idOf('m0') };
    let error: unknown;
    try {
      bodyAfter(sim.rules, parent, head_, group, payload);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConsensusError);
    expect((error as Error).message).toBe(
      `block ${height}: item 0 (miner-op): miner operations are not consensus items on this chain: miners register, annul and take their refund through the registry contract at ${REGISTRY_ADDRESS}, by transaction`,
    );
    // Sent to the proposers, it is left out of every block.
    sim.nodes.get('m4')!.submitItem({ kind: 'miner-op', op });
    sim.runTo(parent.height + 4);
    expect(head().registry.miners.get(daveId)!.status).toBe('active');
  });

  it('equivocation evidence slashes both the registry record and the stake in the contract', () => {
    const at = head().height + 1;
    const proposal = (salt: number): BlockProposal => ({
      height: at,
      timestamp: sim.genesis.genesisTimeMs + at * sim.params.slotMs,
      prehash: new Uint8Array(32),
      proposer: daveId,
      vrfProof: daveKey.sign(Uint8Array.of(salt)).toBytes(),
      groupId: new Uint8Array(32),
      payloadHash: new Uint8Array(32).fill(salt),
      stateRoot: new Uint8Array(32),
    });
    const signed = (p: BlockProposal) => ({ proposal: p, signature: daveKey.sign(proposerMessage(proposalHash(p))).toBytes() });
    const evidence: ConsensusItem = { kind: 'equivocation', evidence: { a: signed(proposal(1)), b: signed(proposal(2)) } };
    const before = executor.balance(head().ledger, REGISTRY_ADDRESS);
    sim.nodes.get('m4')!.submitItem(evidence);
    sim.runTo(at + 4);
    const punished = observer.chain().flatMap((s) => s.events).filter((e) => e.kind === 'equivocation-punished');
    const slashed = (STAKE * BigInt(sim.params.equivocationSlashPercent)) / 100n;
    expect(punished).toEqual([{ kind: 'equivocation-punished', proposer: daveId, height: at, slashed }]);
    expect(head().registry.miners.get(daveId)!.stake).toBe(STAKE - slashed);
    expect(view('stake_of', ['Address'], [dave.address])).toBe(Number(STAKE - slashed));
    expect(view('totals', [], [])).toEqual([Number(genesisStakes + STAKE + 100n - slashed), Number(slashed)]);
    // Slashed coin stays in the contract, out of circulation; the slash was no transaction.
    expect(executor.balance(head().ledger, REGISTRY_ADDRESS)).toBe(before);
    expect(head().health.get(daveId)!.punishments).toBe(1);
  });

  it('annul, an early refund reverts, and after refundDelay the refund pays the stake back', () => {
    const annul = send(dave, 'annul', [], []);
    sim.runTo(head().height + 4);
    const a = included(annul);
    expect(a.receipt.status).toBe('success');
    annulledAt = a.height;
    expect(a.receipt.returnValue).toBe(annulledAt + sim.params.refundDelay);
    expect(head().registry.miners.get(daveId)).toMatchObject({ status: 'annulled', annulledAt });

    const early = send(dave, 'refund', [], []);
    sim.runTo(head().height + 4);
    const e = included(early);
    expect(e.receipt.status).toBe('reverted');
    expect(e.receipt.revertReason).toBe(`refund too early: annulled at height ${annulledAt}, refundable from height ${annulledAt + sim.params.refundDelay}, now ${e.height}`);
    expect(head().registry.miners.get(daveId)!.status).toBe('annulled');

    sim.runTo(annulledAt + sim.params.refundDelay);
    const balance = executor.balance(head().ledger, dave.address);
    const refund = send(dave, 'refund', [], []);
    sim.runTo(annulledAt + sim.params.refundDelay + 5);
    const r = included(refund);
    const left = STAKE - (STAKE * BigInt(sim.params.equivocationSlashPercent)) / 100n;
    expect(r.receipt).toMatchObject({ status: 'success', returnValue: Number(left) });
    expect(executor.balance(head().ledger, dave.address)).toBe(balance + left - BigInt(r.receipt.fee));
    expect(head().registry.miners.get(daveId)).toMatchObject({ status: 'refunded', stake: 0n, refundedAt: r.height });
    expect(head().minerAccounts.byAccount.has(dave.address)).toBe(false);
    expect(head().minerAccounts.byMiner.has(daveId)).toBe(false);
    expect(view('miner_of', ['Address'], [dave.address])).toMatchObject({ status: 0, stake: 0 });
  });

  it('every node agrees on the chain and the state root; the invariants hold', () => {
    const tips = new Set(sim.names.map((n) => sim.nodes.get(n)!.head.id));
    expect(tips.size).toBe(1);
    const roots = new Set(sim.names.map((n) => toHex(sim.nodes.get(n)!.head.ledger.root)));
    expect(roots.size).toBe(1);
    // No block carried a miner-op item; the only registration left out is erin's.
    for (const s of observer.chain()) expect(decodePayload(observer.blockById(s.id)!.payload).items.filter((i) => i.kind === 'miner-op')).toEqual([]);
    const ignored = observer.chain().flatMap((s) => s.events).filter((e) => e.kind === 'registration-ignored');
    expect(ignored.map((e) => e.kind === 'registration-ignored' && e.account)).toEqual([erin.address]);
    expect(checkInvariants(sim)).toEqual([]);
    expect(registeredAt).toBeGreaterThan(0);
  });
});
