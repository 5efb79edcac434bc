// The genesis system contracts behind the TVM executor (system-contracts.ts, tvm-executor.ts):
// the genesis deployment and enrolment, the decoding of the registry's events from receipts
// (its own address only, successful calls only), the engine's slash() system call, and the
// engine's genesis state read from the contract and checked against the genesis.

import { memoryStateTree } from '../state/memory-tree.ts';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.ts';
import { AccountKey } from '../chain/keys.ts';
import { signTx, type TxFields } from '../chain/tx.ts';
import { minerIdOf } from '../consensus/miners.ts';
import { SMALL } from '../consensus/params.ts';
import { SecretKey, seededRandom } from '../crypto/index.ts';
import { genesisState, type ChainRules } from '../engine/chain-state.ts';
import { genesisRegistry, makeDevGenesis, popMessage, type Genesis } from '../engine/genesis.ts';
import { Memo } from '../engine/memo.ts';
import { valueToJSON } from '../../tvm/index.ts';
import { EMPTY_ROOT } from '../state/trie.ts';
import { contractAddress } from './state-host.ts';
import { BONUS_ADDRESS, ENGINE_ADDRESS, GENESIS_DEPLOYER, registryOpOf, registryOpsOf, REGISTRY_ADDRESS, systemContracts, type SystemContractsConfig } from './system-contracts.ts';
import { encodeArgs, TvmExecutor, type LedgerState, type StateTree } from './tvm-executor.ts';

const CHAIN = 7;
const alice = AccountKey.fromLabel('system-contracts/alice');
const bob = AccountKey.fromLabel('system-contracts/bob');
const FUNDS = 10n ** 12n;
const dev = makeDevGenesis({ params: SMALL, seed: 'system-contracts-test', proposers: 2, verifiers: 5, groups: 1 });
const { genesis } = dev;
const system = systemContracts(genesis.params, genesis.miners, { genesisTimeMs: genesis.genesisTimeMs });
const stakes = genesis.miners.reduce((sum, m) => sum + m.stake, 0n);

const tree = (): StateTree => memoryStateTree();

/** With the system contracts of `config`; null: without any. */
function executor(config: SystemContractsConfig | null = system, allocations: readonly (readonly [string, bigint])[] = []): TvmExecutor {
  return new TvmExecutor({
    chainId: CHAIN,
    tree: tree(),
    emptyRoot: EMPTY_ROOT,
    allocations: [...genesis.allocations, [alice.address, FUNDS], [bob.address, FUNDS], ...allocations],
    system: config ?? undefined,
  });
}

const ctx = (height: number) => ({ height, timestamp: height * 200, proposer: minerIdOf(genesis.miners[0]!.publicKey), random: '00'.repeat(32) });
const tx = (key: AccountKey, nonce: number, body: TxFields['body'], value = 0n) => signTx(key, { chainId: CHAIN, nonce, gasLimit: 3_000_000, gasPrice: 1n, value, body });
const call = (method: string, types: string[], args: unknown[]): TxFields['body'] => ({ kind: 'call', to: REGISTRY_ADDRESS, method, args: encodeArgs(types, args) });

function block(exec: TvmExecutor, state: LedgerState, txs: Uint8Array[], height: number): LedgerState {
  return exec.execute(state, exec.buildSection(state, txs, ctx(height), 1 << 20), ctx(height)).state;
}

function view(exec: TvmExecutor, state: LedgerState, method: string, types: string[] = [], args: unknown[] = []): unknown {
  const r = exec.view(state, REGISTRY_ADDRESS, method, encodeArgs(types, args), { height: 0, timestamp: 0 });
  if (!r.ok) throw new Error(`${method} reverted: ${r.reason}`);
  return valueToJSON(r.returnType, r.value);
}

const key = (label: string) => {
  const sk = SecretKey.random(seededRandom(`system-contracts-test/${label}`));
  return { sk, pk: sk.publicKey().toBytes() };
};

describe('the system contracts in the TVM executor genesis', () => {
  const exec = executor();
  const s0 = exec.genesis();

  it('lives at the addresses of docs/system-contracts.md', () => {
    expect(GENESIS_DEPLOYER).toBe('zv5030b8232b3b30b6c9cb81f68145f6fa1e6e14d52255e562e4abf3ff20c74208');
    expect(ENGINE_ADDRESS).toBe('zv2788858a03f297e82699a45cf493d7539721fb7c36088525329396614d5b0546');
    expect(REGISTRY_ADDRESS).toBe(contractAddress(GENESIS_DEPLOYER, 0));
    expect(BONUS_ADDRESS).toBe(contractAddress(GENESIS_DEPLOYER, 1));
    expect(exec.code(s0, REGISTRY_ADDRESS)).toEqual(system.registryCode);
    expect(exec.code(s0, BONUS_ADDRESS)).toEqual(system.bonusCode);
    expect(exec.minerRegistry?.address).toBe(REGISTRY_ADDRESS);
  });

  it('deploys both with the consensus parameters and enrolls the genesis miners, stakes locked in the registry', () => {
    expect(view(exec, s0, 'config')).toEqual([ENGINE_ADDRESS, 100, 50]);
    const b = exec.view(s0, BONUS_ADDRESS, 'params', encodeArgs([], []), { height: 0, timestamp: 0 });
    expect(b.ok && valueToJSON(b.returnType, b.value)).toEqual([100, 40]);
    expect(view(exec, s0, 'counts')).toEqual([2, 5, 0]);
    expect(view(exec, s0, 'totals')).toEqual([Number(stakes), 0]);
    expect(exec.balance(s0, REGISTRY_ADDRESS)).toBe(stakes);
    // The deployer paid exactly the stakes it was given and made three calls.
    expect(exec.account(s0, GENESIS_DEPLOYER)).toEqual({ nonce: 3, balance: 0n });
    // The miners' own accounts keep their allocations: the stakes were minted, as before.
    for (const [account, amount] of genesis.allocations) expect(exec.balance(s0, account)).toBe(amount);
    expect(s0.receipts).toEqual([]);
  });

  it('gives the engine the genesis operations: the configuration, then each miner in genesis order', () => {
    const ops = exec.minerRegistry!.genesisOps();
    expect(ops[0]).toEqual({ kind: 'configured', engine: ENGINE_ADDRESS, minStake: SMALL.minStake, refundDelay: SMALL.refundDelay, height: 0 });
    expect(ops.slice(1).map((op) => op.kind === 'registered' && [op.account, op.minerType, minerIdOf(op.publicKey), op.stake, op.height])).toEqual(
      genesis.miners.map((m) => ['zv' + minerIdOf(m.publicKey), m.type, minerIdOf(m.publicKey), m.stake, 0]),
    );
  });

  it("the engine's genesis state is read from the contract and equals the genesis registry", () => {
    const rules: ChainRules<LedgerState> = { genesis, executor: exec, memo: new Memo() };
    const state = genesisState(rules);
    expect(state.registry).toEqual(genesisRegistry(genesis.params, genesis.miners));
    expect([...state.minerAccounts.byMiner]).toEqual(genesis.miners.map((m) => [minerIdOf(m.publicKey), 'zv' + minerIdOf(m.publicKey)]));
    expect(state.minerAccounts.byAccount.get('zv' + minerIdOf(genesis.miners[3]!.publicKey))).toBe(minerIdOf(genesis.miners[3]!.publicKey));
  });

  it('is the same state on every executor built the same way, and differs from the one without', () => {
    expect(executor().genesis().root).toEqual(s0.root);
    expect(executor(null).genesis().root).not.toEqual(s0.root);
    expect(executor(null).minerRegistry).toBeUndefined();
  });
});

describe('genesis configurations the system contracts refuse', () => {
  const rulesOf = (g: Genesis, exec: TvmExecutor): ChainRules<LedgerState> => ({ genesis: g, executor: exec, memo: new Memo() });

  it('a genesis miner without a proof of possession', () => {
    const miners = genesis.miners.map((m, i) => (i === 2 ? { ...m, pop: undefined } : m));
    expect(() => systemContracts(genesis.params, miners)).toThrow(`genesis miner 2 (${minerIdOf(genesis.miners[2]!.publicKey)}) has no proof of possession`);
  });

  it('an allocation to the genesis deployer', () => {
    expect(() => executor(system, [[GENESIS_DEPLOYER, 5n]])).toThrow(/the genesis allocations fund the genesis deployer zv5030b8/);
  });

  it('a stake below the minimum (the contract reverts the enrolment)', () => {
    const low = { ...system, genesisMiners: system.genesisMiners.map((m, i) => (i === 1 ? { ...m, stake: 5n } : m)) };
    expect(() => executor(low)).toThrow('genesis system contracts: enroll_genesis of 7 miners reverted: genesis miner 1: stake 5 is below the minimum 100');
  });

  it('a registry deployed with parameters other than the consensus parameters', () => {
    const exec = executor({ ...system, refundDelay: 60 });
    expect(() => genesisState(rulesOf(genesis, exec))).toThrow('genesis: the registry contract has min_stake 100 and refund_delay 60; the consensus parameters say minStake 100 and refundDelay 50');
  });

  it('a proof of possession that does not verify', () => {
    const bad = { ...system, genesisMiners: system.genesisMiners.map((m, i) => (i === 4 ? { ...m, pop: system.genesisMiners[3]!.pop } : m)) };
    expect(() => genesisState(rulesOf(genesis, executor(bad)))).toThrow(/genesis: the registration of zv[0-9a-f]{64} in the registry contract is not admitted: the proof of possession is not the key's signature/);
  });

  it('miners other than the genesis lists', () => {
    const other = { ...system, genesisMiners: system.genesisMiners.map((m, i) => (i === 0 ? { ...m, stake: m.stake + 1n } : m)) };
    expect(() => genesisState(rulesOf(genesis, executor(other)))).toThrow(/genesis: miner [0-9a-f]{64} is a proposer of stake 1000 for zv[0-9a-f]{64}; the registry contract has a proposer of stake 1001/);
    const fewer = { ...system, genesisMiners: system.genesisMiners.slice(1) };
    expect(() => genesisState(rulesOf(genesis, executor(fewer)))).toThrow('genesis: the registry contract enrolled 6 miners, the genesis lists 7');
  });
});

describe("the registry's operations of a block", () => {
  const exec = executor();
  const s0 = exec.genesis();
  const k1 = key('k1');
  const k2 = key('k2');
  const pop = (k: { sk: SecretKey; pk: Uint8Array }, account: string) => k.sk.sign(popMessage(account, k.pk)).toBytes();

  it('are decoded from the receipts in order; reverted calls made none', () => {
    const register = tx(alice, 0, call('register', ['int', 'bytes', 'bytes'], [0n, k1.pk, pop(k1, alice.address)]), 150n);
    const tooLittle = tx(bob, 0, call('register', ['int', 'bytes', 'bytes'], [1n, k2.pk, pop(k2, bob.address)]), 99n);
    const annul = tx(alice, 1, call('annul', [], []));
    const s1 = block(exec, s0, [register.bytes, tooLittle.bytes, annul.bytes], 4);
    expect(s1.receipts.map((r) => r.status)).toEqual(['success', 'reverted', 'success']);
    expect(s1.receipts[1]!.revertReason).toBe('stake 99 is below the minimum 100');
    expect(exec.minerRegistry!.blockOps(s1)).toEqual([
      { kind: 'registered', account: alice.address, minerType: 'proposer', publicKey: k1.pk, pop: pop(k1, alice.address), stake: 150n, height: 4 },
      { kind: 'annulled', account: alice.address, height: 4, refundableAt: 54 },
    ]);
    expect(exec.balance(s1, REGISTRY_ADDRESS)).toBe(stakes + 150n);
    // A block without registry calls made no operation.
    expect(exec.minerRegistry!.blockOps(block(exec, s1, [], 5))).toEqual([]);
  });

  it("count only the registry's own events: another contract's MinerRegistered is not one", () => {
    const source = [
      'from zvchain import Contract, Address, Event, public, emit, msg, block',
      '',
      'class MinerRegistered(Event):',
      '    account: Address',
      '    kind: int',
      '    bls_public_key: bytes',
      '    pop: bytes',
      '    stake: int',
      '    height: int',
      '',
      'class Impostor(Contract):',
      '    calls: int',
      '',
      '    @public',
      '    def claim(self, key: bytes, pop: bytes) -> None:',
      '        self.calls += 1',
      '        emit(MinerRegistered(msg.sender, 0, key, pop, 1000000, block.height))',
    ].join('\n');
    const r = compile({ path: 'impostor.py', source });
    if (!r.ok || !r.bytecode) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
    const deployed = tx(bob, 0, { kind: 'deploy', code: r.bytecode, args: encodeArgs([], []) });
    const s1 = block(exec, s0, [deployed.bytes], 2);
    const impostor = s1.receipts[0]!.contractAddress!;
    const claim = tx(bob, 1, { kind: 'call', to: impostor, method: 'claim', args: encodeArgs(['bytes', 'bytes'], [k2.pk, pop(k2, bob.address)]) });
    const s2 = block(exec, s1, [claim.bytes], 3);
    expect(s2.receipts[0]!.events.map((e) => e.name)).toEqual(['MinerRegistered']);
    expect(exec.minerRegistry!.blockOps(s2)).toEqual([]);
    expect(registryOpsOf(s2.receipts[0]!.events, impostor)).toHaveLength(1);
  });

  it('slash: a system call as the engine, no fee, no receipt; the stake leaves the record and stays in the contract', () => {
    const victim = 'zv' + minerIdOf(genesis.miners[0]!.publicKey);
    const before = exec.balance(s0, victim);
    const r = exec.minerRegistry!.slash(s0, victim, 30n, ctx(6));
    expect(r.op).toEqual({ kind: 'slashed', account: victim, amount: 30n, taken: 30n, stake: 970n, height: 6 });
    expect(r.state.receipts).toBe(s0.receipts);
    expect(view(exec, r.state, 'stake_of', ['Address'], [victim])).toBe(970);
    expect(view(exec, r.state, 'totals')).toEqual([Number(stakes) - 30, 30]);
    expect(exec.balance(r.state, REGISTRY_ADDRESS)).toBe(stakes);
    expect(exec.balance(r.state, victim)).toBe(before);
    expect(exec.balance(r.state, ENGINE_ADDRESS)).toBe(0n);
    // The old state is untouched.
    expect(view(exec, s0, 'stake_of', ['Address'], [victim])).toBe(1000);
    // An account without a record: the engine and the contract disagree, a bug.
    expect(() => exec.minerRegistry!.slash(s0, alice.address, 1n, ctx(6))).toThrow(`the system call slash(${alice.address}, 1) on the registry contract reverted at height 6: ${alice.address} is not a registered miner`);
  });
});

describe('registry event decoding', () => {
  const ev = (name: string, fields: Record<string, unknown>) => ({ contract: REGISTRY_ADDRESS, name, fields });
  const account = alice.address;

  it('reads every operation; ints as numbers or decimal strings', () => {
    expect(registryOpOf(ev('MinerRefunded', { account, amount: '123456789012345678901234567890', height: 9 }))).toEqual({ kind: 'refunded', account, amount: 123456789012345678901234567890n, height: 9 });
    expect(registryOpOf(ev('MinerSlashed', { account, amount: 5, taken: 4, stake: 0, height: 3 }))).toEqual({ kind: 'slashed', account, amount: 5n, taken: 4n, stake: 0n, height: 3 });
    expect(registryOpOf(ev('MinerAnnulled', { account, height: 3, refundable_at: 53 }))).toEqual({ kind: 'annulled', account, height: 3, refundableAt: 53 });
    expect(registryOpOf(ev('Transfer', { account }))).toBeNull();
  });

  it('names the event and the field that is wrong', () => {
    expect(() => registryOpOf(ev('MinerRegistered', { account, kind: 2, bls_public_key: '0x00', pop: '0x00', stake: 1, height: 1 }))).toThrow("registry event MinerRegistered: field 'kind' is 0 (proposer) or 1 (verifier), got 2");
    expect(() => registryOpOf(ev('MinerRegistered', { account, kind: 0, bls_public_key: '0xabc', pop: '0x00', stake: 1, height: 1 }))).toThrow("field 'bls_public_key' is bytes ('0x' + hex), got \"0xabc\"");
    expect(() => registryOpOf(ev('MinerAnnulled', { account: 'alice', height: 1, refundable_at: 2 }))).toThrow("registry event MinerAnnulled: field 'account' is an address ('zv' + 64 hex), got \"alice\"");
    expect(() => registryOpOf(ev('MinerRefunded', { account, amount: 1.5, height: 1 }))).toThrow("field 'amount' is an integer (a JSON number or a decimal string), got 1.5");
    expect(() => registryOpOf(ev('MinerRefunded', { account, amount: 1, height: -1 }))).toThrow("field 'height' is a height (a non-negative safe integer), got -1");
    expect(() => registryOpOf(ev('MinerRefunded', { account, amount: 1 }))).toThrow("field 'height' is an integer (a JSON number or a decimal string), got nothing");
  });
});
