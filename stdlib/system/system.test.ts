// The genesis system contracts (stdlib/system/miners.py, stdlib/system/bonus.py) compiled and
// run on the TVM's MemoryHost: every rule of the miner registry (stake, one record per account
// and per key, annulment, the refund delay, slashing by the engine only), the events in the
// exact form a receipt carries them, the replay of those events through the engine's own
// registry (node-lite/consensus/miners.ts), and the reward split against the engine's
// payRewards (node-lite/engine/chain-state.ts), both its arithmetic and real blocks.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { compile } from '../../compiler/index.ts';
import { stdlibResolver } from '../../cli/stdlib.ts';
import { neutralValue } from '../../bench/neutral.ts';
import { callMethod, deploy, MemoryHost, valueToJSON, type ExecResult } from '../../tvm/index.ts';
import { aggregateSignatures, SecretKey, seededRandom, verifyBytes } from '../../node-lite/crypto/index.ts';
import { annulMiner, EMPTY_REGISTRY, isActiveAt, minerIdOf, refundMiner, registerMiner, slashMiner, type MinerRegistry } from '../../node-lite/consensus/miners.ts';
import { SEED, SMALL, type ConsensusParams } from '../../node-lite/consensus/params.ts';
import { endorsementMessage } from '../../node-lite/consensus/block.ts';
import { contractAddress } from '../../node-lite/exec/state-host.ts';
import { bodyAfter, type ChainRules, type ChainState } from '../../node-lite/engine/chain-state.ts';
import { encodePayload } from '../../node-lite/engine/codec.ts';
import { Memo } from '../../node-lite/engine/memo.ts';
import { chainOf, loadScenario } from '../../node-lite/engine/scenario-support.ts';
import { createSim } from '../../node-lite/engine/sim.ts';
import { EMPTY_SECTION_BYTES, type TransferState } from '../../node-lite/engine/transfer-executor.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GAS = 50_000_000;
const ZERO = 'zv' + '0'.repeat(64);
const MIN = 100n;
const DELAY = 50;

const addr = (label: string): string => 'zv' + bytesToHex(sha256(utf8ToBytes(label)));
const ENGINE = addr('zv-system:engine');
const GENESIS_DEPLOYER = addr('zv-system:genesis-deployer');
const alice = addr('system-test/alice');
const bob = addr('system-test/bob');
const carol = addr('system-test/carol');
const stranger = addr('system-test/stranger');
const FUNDS = 10_000n;

// ------------------------------------------------------------------ compiling and running

const bytecode = new Map<string, Uint8Array>();

function code(file: string): Uint8Array {
  const cached = bytecode.get(file);
  if (cached) return cached;
  const r = compile({ path: file, source: readFileSync(path.join(ROOT, file), 'utf8'), resolve: stdlibResolver(ROOT) });
  if (!r.ok || !r.bytecode) {
    throw new Error(`${file} does not compile:\n${r.diagnostics.map((d) => `${d.span.file}:${d.span.line}:${d.span.col} ${d.code} ${d.message}`).join('\n')}`);
  }
  bytecode.set(file, r.bytecode);
  return r.bytecode;
}

const MINERS = 'stdlib/system/miners.py';
const BONUS = 'stdlib/system/bonus.py';

interface Ev {
  readonly name: string;
  readonly fields: Record<string, unknown>;
}

/** A MemoryHost with the block height under the test's control. */
class Chain {
  readonly host = new MemoryHost({ balances: { [alice]: FUNDS, [bob]: FUNDS, [carol]: FUNDS, [stranger]: FUNDS, [ENGINE]: FUNDS, [GENESIS_DEPLOYER]: FUNDS } });

  at(height: number): this {
    this.host.block = { ...this.host.block, height: BigInt(height) };
    return this;
  }

  tryDeploy(file: string, args: unknown[], sender: string, address?: string): ExecResult & { address: string | null } {
    return deploy(this.host, code(file), args, { sender, gasLimit: GAS, address });
  }

  deploy(file: string, args: unknown[], sender: string, address?: string): string {
    const d = this.tryDeploy(file, args, sender, address);
    if (!d.ok || d.address === null) throw new Error(`deploy ${file} failed: ${d.ok ? 'no address' : d.reason}`);
    return d.address;
  }

  call(contract: string, method: string, args: unknown[], sender: string, value = 0n): ExecResult {
    return callMethod(this.host, contract, method, args, { sender, value, gasLimit: GAS });
  }

  /** A successful call's return value in the receipt's JSON form (valueToJSON). */
  ok(contract: string, method: string, args: unknown[], sender: string, value = 0n): unknown {
    const r = this.call(contract, method, args, sender, value);
    if (!r.ok) throw new Error(`${method} reverted: ${r.reason}`);
    return valueToJSON(r.returnType, r.value);
  }

  view(contract: string, method: string, ...args: unknown[]): unknown {
    const r = callMethod(this.host, contract, method, args, { gasLimit: GAS, static: true });
    if (!r.ok) throw new Error(`${method} reverted: ${r.reason}`);
    return valueToJSON(r.returnType, r.value);
  }

  /** The reason of a call that must revert. */
  reason(contract: string, method: string, args: unknown[], sender: string, value = 0n): string {
    const r = this.call(contract, method, args, sender, value);
    if (r.ok) throw new Error(`${method} was expected to revert, returned ${String(r.value)}`);
    return r.reason;
  }

  /** Events of a contract so far, fields as a receipt carries them (node-lite eventJson). */
  events(contract: string): Ev[] {
    return this.host.events
      .filter((e) => e.contract === contract)
      .map((e) => ({ name: e.name, fields: Object.fromEntries(e.fields.map((f) => [f.name, valueToJSON(f.type, f.value)])) }));
  }

  balance(a: string): bigint {
    return this.host.getBalance(a);
  }
}

// ------------------------------------------------------------------ miner keys

interface MinerKey {
  readonly key: SecretKey;
  readonly pk: Uint8Array;
}

function minerKey(label: string): MinerKey {
  const key = SecretKey.random(seededRandom(`system-test/${label}`));
  return { key, pk: key.publicKey().toBytes() };
}

/** What the proof of possession signs: "ZV-MINER-POP-v1" ‖ the 32 address bytes ‖ the key. */
function popMessage(account: string, pk: Uint8Array): Uint8Array {
  const domain = utf8ToBytes('ZV-MINER-POP-v1');
  const out = new Uint8Array(domain.length + 32 + pk.length);
  out.set(domain, 0);
  out.set(hexToBytes(account.slice(2)), domain.length);
  out.set(pk, domain.length + 32);
  return out;
}

const popOf = (m: MinerKey, account: string): Uint8Array => m.key.sign(popMessage(account, m.pk)).toBytes();
const hex = (b: Uint8Array): string => '0x' + bytesToHex(b);

const K1 = minerKey('k1');
const K2 = minerKey('k2');
const K3 = minerKey('k3');

function registry(chain: Chain, at = 1): string {
  return chain.at(at).deploy(MINERS, [ENGINE, MIN, BigInt(DELAY)], GENESIS_DEPLOYER);
}

/** Registers `account` with key `m` (kind 0 proposer, 1 verifier) at the chain's height. */
function register(chain: Chain, reg: string, account: string, m: MinerKey, kind: number, stake: bigint): ExecResult {
  return chain.call(reg, 'register', [BigInt(kind), m.pk, popOf(m, account)], account, stake);
}

const record = (kind: number, m: MinerKey, stake: number, registeredAt: number, annulledAt: number, status: number) => ({
  kind,
  bls_public_key: hex(m.pk),
  stake,
  registered_at: registeredAt,
  annulled_at: annulledAt,
  status,
});
const NO_RECORD = { kind: 0, bls_public_key: '0x', stake: 0, registered_at: 0, annulled_at: 0, status: 0 };

// ------------------------------------------------------------------ the miner registry

describe('MinerRegistry (stdlib/system/miners.py)', () => {
  it('deploys with its configuration and announces it in MinersConfigured', () => {
    const chain = new Chain();
    const reg = registry(chain, 3);
    expect(chain.events(reg)).toEqual([{ name: 'MinersConfigured', fields: { engine: ENGINE, min_stake: 100, refund_delay: 50, height: 3 } }]);
    expect(chain.view(reg, 'config')).toEqual([ENGINE, 100, 50]);
    expect(chain.view(reg, 'counts')).toEqual([0, 0, 0]);
    expect(chain.view(reg, 'totals')).toEqual([0, 0]);
  });

  it('refuses a configuration the engine would refuse', () => {
    const chain = new Chain();
    const reason = (args: unknown[]) => {
      const d = chain.tryDeploy(MINERS, args, GENESIS_DEPLOYER);
      return d.ok ? 'deployed' : d.reason;
    };
    expect(reason([ZERO, MIN, 50n])).toBe('engine must not be the zero address');
    expect(reason([ENGINE, 0n, 50n])).toBe('min_stake must be positive, got 0');
    expect(reason([ENGINE, MIN, 0n])).toBe('refund_delay must be positive, got 0');
  });

  it('register with less than the minimum stake reverts, and the coin stays with the caller', () => {
    const chain = new Chain();
    const reg = registry(chain);
    expect(chain.reason(reg, 'register', [1n, K1.pk, popOf(K1, alice)], alice, 99n)).toBe('stake 99 is below the minimum 100');
    expect(chain.reason(reg, 'register', [1n, K1.pk, popOf(K1, alice)], alice)).toBe('stake 0 is below the minimum 100');
    expect(chain.balance(alice)).toBe(FUNDS);
    expect(chain.balance(reg)).toBe(0n);
    expect(chain.events(reg).map((e) => e.name)).toEqual(['MinersConfigured']);
  });

  it('register checks the kind and the sizes of the key and the proof', () => {
    const chain = new Chain();
    const reg = registry(chain);
    const pop = popOf(K1, alice);
    expect(chain.reason(reg, 'register', [2n, K1.pk, pop], alice, MIN)).toBe('kind must be 0 (proposer) or 1 (verifier), got 2');
    expect(chain.reason(reg, 'register', [-1n, K1.pk, pop], alice, MIN)).toBe('kind must be 0 (proposer) or 1 (verifier), got -1');
    expect(chain.reason(reg, 'register', [0n, K1.pk.slice(1), pop], alice, MIN)).toBe('bls_public_key must be 48 bytes (a compressed G1 point), got 47');
    expect(chain.reason(reg, 'register', [0n, K1.pk, pop.slice(0, 95)], alice, MIN)).toBe('pop must be 96 bytes (a BLS signature), got 95');
    expect(chain.reason(reg, 'register', [0n, new Uint8Array(0), pop], alice, MIN)).toBe('bls_public_key must be 48 bytes (a compressed G1 point), got 0');
  });

  it('register records the miner and emits MinerRegistered with every field', () => {
    const chain = new Chain();
    const reg = registry(chain);
    const pop = popOf(K1, alice);
    chain.at(7);
    expect(chain.ok(reg, 'register', [1n, K1.pk, pop], alice, 150n)).toBeNull();
    expect(chain.events(reg)[1]).toEqual({
      name: 'MinerRegistered',
      fields: { account: alice, kind: 1, bls_public_key: hex(K1.pk), pop: hex(pop), stake: 150, height: 7 },
    });
    expect(chain.view(reg, 'miner_of', alice)).toEqual(record(1, K1, 150, 7, 0, 1));
    expect(chain.view(reg, 'stake_of', alice)).toBe(150);
    expect(chain.view(reg, 'holder_of', K1.pk)).toBe(alice);
    expect(chain.view(reg, 'counts')).toEqual([0, 1, 0]);
    expect(chain.view(reg, 'totals')).toEqual([150, 0]);
    expect(chain.balance(reg)).toBe(150n);
    expect(chain.balance(alice)).toBe(FUNDS - 150n);
    // A proposer counts separately.
    expect(register(chain, reg, bob, K2, 0, MIN).ok).toBe(true);
    expect(chain.view(reg, 'counts')).toEqual([1, 1, 0]);
    // Nothing for an account without a record.
    expect(chain.view(reg, 'miner_of', carol)).toEqual(NO_RECORD);
    expect(chain.view(reg, 'stake_of', carol)).toBe(0);
    expect(chain.view(reg, 'holder_of', K3.pk)).toBe(ZERO);
  });

  it('allows one registration per account and one account per key', () => {
    const chain = new Chain();
    const reg = registry(chain);
    chain.at(7);
    expect(register(chain, reg, alice, K1, 1, MIN).ok).toBe(true);
    expect(chain.reason(reg, 'register', [0n, K2.pk, popOf(K2, alice)], alice, MIN)).toBe(
      `${alice} is already registered (active verifier since height 7); annul and refund first`,
    );
    expect(chain.reason(reg, 'register', [1n, K1.pk, popOf(K1, bob)], bob, MIN)).toBe(`bls_public_key is already registered by ${alice}`);
    chain.at(9);
    chain.ok(reg, 'annul', [], alice);
    // Annulled is still registered: the stake is in the contract until refunded.
    expect(chain.reason(reg, 'register', [1n, K1.pk, popOf(K1, alice)], alice, MIN)).toBe(
      `${alice} is already registered (annulled verifier since height 7); annul and refund first`,
    );
    expect(chain.reason(reg, 'register', [1n, K1.pk, popOf(K1, bob)], bob, MIN)).toBe(`bls_public_key is already registered by ${alice}`);
    // Reverted registrations moved no coin.
    expect(chain.balance(bob)).toBe(FUNDS);
    expect(chain.balance(reg)).toBe(MIN);
  });

  it('annul: only by the registered account, once, and not with coin', () => {
    const chain = new Chain();
    const reg = registry(chain);
    chain.at(7);
    register(chain, reg, alice, K1, 0, 150n);
    chain.at(20);
    expect(chain.reason(reg, 'annul', [], stranger)).toBe(`${stranger} is not a registered miner`);
    expect(chain.reason(reg, 'annul', [], ENGINE)).toBe(`${ENGINE} is not a registered miner`);
    expect(chain.reason(reg, 'annul', [], alice, 1n)).toBe('method is not payable');
    expect(chain.ok(reg, 'annul', [], alice)).toBe(70);
    expect(chain.events(reg).at(-1)).toEqual({ name: 'MinerAnnulled', fields: { account: alice, height: 20, refundable_at: 70 } });
    expect(chain.view(reg, 'miner_of', alice)).toEqual(record(0, K1, 150, 7, 20, 2));
    expect(chain.view(reg, 'refundable_at', alice)).toBe(70);
    expect(chain.view(reg, 'counts')).toEqual([0, 0, 1]);
    expect(chain.view(reg, 'totals')).toEqual([150, 0]);
    chain.at(21);
    expect(chain.reason(reg, 'annul', [], alice)).toBe('already annulled at height 20; refundable from height 70');
    expect(callMethod(chain.host, reg, 'refundable_at', [bob], { static: true })).toMatchObject({ ok: false, reason: `${bob} has not annulled (not registered)` });
  });

  it('is_active is the engine\'s isActiveAt: registered by the height, not annulled by then', () => {
    const chain = new Chain();
    const reg = registry(chain);
    chain.at(7);
    register(chain, reg, alice, K1, 0, MIN);
    const active = (h: number) => chain.view(reg, 'is_active', alice, BigInt(h));
    expect([active(0), active(6), active(7), active(100)]).toEqual([false, false, true, true]);
    chain.at(20);
    chain.ok(reg, 'annul', [], alice);
    expect([active(6), active(7), active(19), active(20), active(21)]).toEqual([false, true, true, false, false]);
    expect(chain.view(reg, 'is_active', bob, 10n)).toBe(false);
  });

  it('refund: not before annul, not one block early, and at exactly the delay the stake comes back', () => {
    const chain = new Chain();
    const reg = registry(chain);
    chain.at(7);
    register(chain, reg, alice, K1, 1, 150n);
    expect(chain.reason(reg, 'refund', [], alice)).toBe('annul first: the stake is refundable refund_delay blocks after annul()');
    expect(chain.reason(reg, 'refund', [], stranger)).toBe(`${stranger} is not a registered miner`);
    chain.at(20);
    chain.ok(reg, 'annul', [], alice);
    chain.at(69);
    expect(chain.reason(reg, 'refund', [], alice)).toBe('refund too early: annulled at height 20, refundable from height 70, now 69');
    expect(chain.balance(alice)).toBe(FUNDS - 150n);
    chain.at(70);
    expect(chain.ok(reg, 'refund', [], alice)).toBe(150);
    expect(chain.balance(alice)).toBe(FUNDS);
    expect(chain.balance(reg)).toBe(0n);
    expect(chain.events(reg).at(-1)).toEqual({ name: 'MinerRefunded', fields: { account: alice, amount: 150, height: 70 } });
    // The record is cleared and the key is free again.
    expect(chain.view(reg, 'miner_of', alice)).toEqual(NO_RECORD);
    expect(chain.view(reg, 'holder_of', K1.pk)).toBe(ZERO);
    expect(chain.view(reg, 'counts')).toEqual([0, 0, 0]);
    expect(chain.view(reg, 'totals')).toEqual([0, 0]);
    expect(chain.reason(reg, 'refund', [], alice)).toBe(`${alice} is not a registered miner`);
    // Another account may now take the key (with its own proof), and alice may come back.
    chain.at(71);
    expect(register(chain, reg, bob, K1, 0, MIN).ok).toBe(true);
    expect(register(chain, reg, alice, K2, 1, MIN).ok).toBe(true);
    expect(chain.view(reg, 'miner_of', alice)).toEqual(record(1, K2, 100, 71, 0, 1));
  });

  it('slash: only the engine; takes at most the stake; slashed coin stays in the contract', () => {
    const chain = new Chain();
    const reg = registry(chain);
    chain.at(7);
    register(chain, reg, alice, K1, 0, 150n);
    chain.at(8);
    expect(chain.reason(reg, 'slash', [alice, 30n], stranger)).toBe('only the engine can slash');
    expect(chain.reason(reg, 'slash', [alice, 30n], alice)).toBe('only the engine can slash');
    expect(chain.reason(reg, 'slash', [alice, 30n], GENESIS_DEPLOYER)).toBe('only the engine can slash');
    expect(chain.reason(reg, 'slash', [alice, -1n], ENGINE)).toBe('slash amount must not be negative, got -1');
    expect(chain.reason(reg, 'slash', [bob, 1n], ENGINE)).toBe(`${bob} is not a registered miner`);
    expect(chain.view(reg, 'stake_of', alice)).toBe(150);

    expect(chain.ok(reg, 'slash', [alice, 30n], ENGINE)).toBe(30);
    expect(chain.events(reg).at(-1)).toEqual({ name: 'MinerSlashed', fields: { account: alice, amount: 30, taken: 30, stake: 120, height: 8 } });
    expect(chain.view(reg, 'stake_of', alice)).toBe(120);
    expect(chain.view(reg, 'totals')).toEqual([120, 30]);
    // Still slashable once annulled: evidence may arrive late, which is what the delay is for.
    chain.at(9);
    chain.ok(reg, 'annul', [], alice);
    chain.at(10);
    expect(chain.ok(reg, 'slash', [alice, 1000n], ENGINE)).toBe(120);
    expect(chain.events(reg).at(-1)).toEqual({ name: 'MinerSlashed', fields: { account: alice, amount: 1000, taken: 120, stake: 0, height: 10 } });
    expect(chain.ok(reg, 'slash', [alice, 5n], ENGINE)).toBe(0);
    expect(chain.view(reg, 'totals')).toEqual([0, 150]);
    // The refund pays what is left (nothing); the slashed coin stays in the contract.
    chain.at(59);
    expect(chain.ok(reg, 'refund', [], alice)).toBe(0);
    expect(chain.events(reg).at(-1)).toEqual({ name: 'MinerRefunded', fields: { account: alice, amount: 0, height: 59 } });
    expect(chain.balance(alice)).toBe(FUNDS - 150n);
    expect(chain.balance(reg)).toBe(150n);
    expect(chain.view(reg, 'totals')).toEqual([0, 150]);
  });

  it('a partly slashed miner gets the rest back', () => {
    const chain = new Chain();
    const reg = registry(chain);
    register(chain, reg, bob, K2, 1, 400n);
    chain.ok(reg, 'slash', [bob, 40n], ENGINE);
    chain.ok(reg, 'annul', [], bob);
    chain.at(1 + DELAY);
    expect(chain.ok(reg, 'refund', [], bob)).toBe(360);
    expect(chain.balance(bob)).toBe(FUNDS - 40n);
    expect(chain.balance(reg)).toBe(40n);
  });

  it('pop_message is the bytes the proof signs, and a real proof verifies against the event', () => {
    const chain = new Chain();
    const reg = registry(chain);
    expect(chain.view(reg, 'pop_message', alice, K1.pk)).toBe(hex(popMessage(alice, K1.pk)));
    register(chain, reg, alice, K1, 0, MIN);
    const ev = chain.events(reg).at(-1)!;
    const pk = hexToBytes((ev.fields.bls_public_key as string).slice(2));
    const pop = hexToBytes((ev.fields.pop as string).slice(2));
    expect(verifyBytes(pk, popMessage(ev.fields.account as string, pk), pop)).toBe(true);
    // Bound to the account: the same proof does not verify for another one.
    expect(verifyBytes(pk, popMessage(bob, pk), pop)).toBe(false);
  });
});

describe('MinerRegistry genesis enrollment', () => {
  const genesisMiner = (account: string, kind: number, m: MinerKey, stake: bigint) => [account, BigInt(kind), m.pk, popOf(m, account), stake];

  it('the deployer enrolls the genesis miners at the deployment height, paying their stakes', () => {
    const chain = new Chain();
    const reg = registry(chain, 0);
    const list = [genesisMiner(alice, 0, K1, 200n), genesisMiner(bob, 1, K2, MIN)];
    expect(chain.ok(reg, 'enroll_genesis', [list], GENESIS_DEPLOYER, 300n)).toBe(2);
    expect(chain.events(reg).map((e) => [e.name, e.fields.account, e.fields.stake, e.fields.height])).toEqual([
      ['MinersConfigured', undefined, undefined, 0],
      ['MinerRegistered', alice, 200, 0],
      ['MinerRegistered', bob, 100, 0],
    ]);
    expect(chain.view(reg, 'miner_of', alice)).toEqual(record(0, K1, 200, 0, 0, 1));
    expect(chain.view(reg, 'counts')).toEqual([1, 1, 0]);
    expect(chain.balance(GENESIS_DEPLOYER)).toBe(FUNDS - 300n);
    // The record is alice's: she annuls it and the refund goes to her.
    chain.at(5);
    chain.ok(reg, 'annul', [], alice);
    chain.at(5 + DELAY);
    chain.ok(reg, 'refund', [], alice);
    expect(chain.balance(alice)).toBe(FUNDS + 200n);
  });

  it('refuses strangers, a wrong amount, bad entries and a later height', () => {
    const chain = new Chain();
    const reg = registry(chain, 0);
    const list = [genesisMiner(alice, 0, K1, 200n), genesisMiner(bob, 1, K2, MIN)];
    expect(chain.reason(reg, 'enroll_genesis', [list], stranger, 300n)).toBe('only the deployer can enroll genesis miners');
    expect(chain.reason(reg, 'enroll_genesis', [list], GENESIS_DEPLOYER, 299n)).toBe('send exactly the genesis stakes: 300, got 299');
    expect(chain.reason(reg, 'enroll_genesis', [[list[0], genesisMiner(bob, 1, K2, 5n)]], GENESIS_DEPLOYER, 205n)).toBe('genesis miner 1: stake 5 is below the minimum 100');
    expect(chain.reason(reg, 'enroll_genesis', [[list[0], genesisMiner(bob, 1, K1, MIN)]], GENESIS_DEPLOYER, 300n)).toBe(`genesis miner 1: bls_public_key is already registered by ${alice}`);
    expect(chain.reason(reg, 'enroll_genesis', [[genesisMiner(ZERO, 1, K3, MIN)]], GENESIS_DEPLOYER, MIN)).toBe('genesis miner 0: account must not be the zero address');
    expect(chain.events(reg).map((e) => e.name)).toEqual(['MinersConfigured']);
    expect(chain.balance(GENESIS_DEPLOYER)).toBe(FUNDS);
    chain.at(1);
    expect(chain.reason(reg, 'enroll_genesis', [list], GENESIS_DEPLOYER, 300n)).toBe('genesis miners are enrolled at the deployment height 0, now 1');
  });
});

// ------------------------------------------------------------------ replay through the engine's registry

/**
 * What the engine integration does with the registry's receipts: every event, in order,
 * applied to the engine's own registry (miners.ts), after the checks the contract cannot
 * make (a valid G1 key, a proof of possession that verifies). Returns the registry and the
 * account of each miner id.
 */
function replay(events: readonly Ev[], params: ConsensusParams): { registry: MinerRegistry; idOf: Map<string, string> } {
  let reg = EMPTY_REGISTRY;
  const idOf = new Map<string, string>();
  for (const { name, fields: f } of events) {
    const account = f.account as string;
    const height = Number(f.height);
    if (name === 'MinerRegistered') {
      const pk = hexToBytes((f.bls_public_key as string).slice(2));
      const pop = hexToBytes((f.pop as string).slice(2));
      if (!verifyBytes(pk, popMessage(account, pk), pop)) continue; // never a candidate
      reg = registerMiner(reg, { publicKey: pk, type: f.kind === 0 ? 'proposer' : 'verifier', stake: BigInt(f.stake as number), height }, params);
      idOf.set(account, minerIdOf(pk));
      continue;
    }
    // Annulment, refund and slashing of a registration that never became a candidate change
    // nothing the engine keeps (the contract still returns its stake).
    const id = idOf.get(account);
    if (id === undefined) continue;
    if (name === 'MinerAnnulled') {
      reg = annulMiner(reg, id, height);
    } else if (name === 'MinerRefunded') {
      const r = refundMiner(reg, id, height, params);
      expect(r.amount).toBe(BigInt(f.amount as number));
      reg = r.registry;
      idOf.delete(account);
    } else if (name === 'MinerSlashed') {
      const s = slashMiner(reg, id, BigInt(f.amount as number));
      expect(s.taken).toBe(BigInt(f.taken as number));
      reg = s.registry;
    }
  }
  return { registry: reg, idOf };
}

describe('the registry as the engine reads it', () => {
  it('emits one event per change, in order, and the replay through miners.ts agrees with the views', () => {
    const params: ConsensusParams = { ...SMALL, minStake: MIN, refundDelay: DELAY };
    const chain = new Chain();
    const reg = registry(chain, 0);
    chain.ok(reg, 'enroll_genesis', [[[carol, 1n, K3.pk, popOf(K3, carol), 300n]]], GENESIS_DEPLOYER, 300n);
    chain.at(4);
    register(chain, reg, alice, K1, 0, 250n);
    register(chain, reg, bob, K2, 1, MIN);
    chain.at(6);
    chain.ok(reg, 'slash', [alice, 25n], ENGINE);
    chain.ok(reg, 'annul', [], bob);
    chain.at(6 + DELAY);
    chain.ok(reg, 'refund', [], bob);
    chain.at(60);
    chain.ok(reg, 'annul', [], carol);
    // A registration whose proof is for another account: recorded, but never a candidate.
    chain.at(61);
    chain.call(reg, 'register', [1n, K2.pk, popOf(K2, alice)], bob, MIN);

    const events = chain.events(reg);
    expect(events.map((e) => e.name)).toEqual([
      'MinersConfigured', 'MinerRegistered', 'MinerRegistered', 'MinerRegistered', 'MinerSlashed',
      'MinerAnnulled', 'MinerRefunded', 'MinerAnnulled', 'MinerRegistered',
    ]);
    const { registry: engineView, idOf } = replay(events, params);
    expect(idOf.has(bob)).toBe(false); // the bad proof kept bob out
    expect(chain.view(reg, 'stake_of', bob)).toBe(100); // although the contract holds his stake
    for (const account of [alice, carol]) {
      const miner = engineView.miners.get(idOf.get(account)!)!;
      expect(miner.stake).toBe(BigInt(chain.view(reg, 'stake_of', account) as number));
      for (const h of [0, 3, 4, 5, 59, 60, 61, 200]) {
        expect(isActiveAt(miner, h), `${account} at ${h}`).toBe(chain.view(reg, 'is_active', account, BigInt(h)));
      }
    }
    // Bob's first record was refunded in both.
    expect(engineView.miners.get(minerIdOf(K2.pk))!.status).toBe('refunded');
  });
});

// ------------------------------------------------------------------ the bonus contract

/** payRewards of node-lite/engine/chain-state.ts, operation for operation (bigints). */
function engineSplit(blockReward: bigint, proposerSharePercent: number, n: number): { proposer: bigint; each: bigint } {
  const signerPart = n > 0 ? (blockReward * BigInt(100 - proposerSharePercent)) / 100n : 0n;
  const each = n > 0 ? signerPart / BigInt(n) : 0n;
  const proposerPart = n > 0 ? blockReward - each * BigInt(n) : (blockReward * BigInt(proposerSharePercent)) / 100n;
  return { proposer: proposerPart, each };
}

const big = (v: unknown): bigint => BigInt(v as number | string);

function bonus(chain: Chain, reward = 100n, percent = 40n): string {
  return chain.deploy(BONUS, [ENGINE, reward, percent], GENESIS_DEPLOYER);
}

describe('Bonus (stdlib/system/bonus.py)', () => {
  it('deploys with its parameters and announces them in RewardParamsSet', () => {
    const chain = new Chain().at(0);
    const b = bonus(chain);
    expect(chain.events(b)).toEqual([{ name: 'RewardParamsSet', fields: { engine: ENGINE, block_reward: 100, proposer_share_percent: 40, height: 0 } }]);
    expect(chain.view(b, 'params')).toEqual([100, 40]);
    expect(chain.view(b, 'engine_address')).toBe(ENGINE);
  });

  it('refuses parameters the engine would refuse', () => {
    const chain = new Chain();
    const reason = (args: unknown[]) => {
      const d = chain.tryDeploy(BONUS, args, GENESIS_DEPLOYER);
      return d.ok ? 'deployed' : d.reason;
    };
    expect(reason([ZERO, 100n, 40n])).toBe('engine must not be the zero address');
    expect(reason([ENGINE, -1n, 40n])).toBe('block_reward must not be negative, got -1');
    expect(reason([ENGINE, 100n, 101n])).toBe('proposer_share_percent must be in 0..100, got 101');
    expect(reason([ENGINE, 100n, -1n])).toBe('proposer_share_percent must be in 0..100, got -1');
  });

  it('only the engine changes the parameters; every change is announced', () => {
    const chain = new Chain();
    const b = bonus(chain);
    expect(chain.reason(b, 'set_params', [200n, 30n], stranger)).toBe('only the engine can change the reward parameters');
    expect(chain.reason(b, 'set_params', [200n, 130n], ENGINE)).toBe('proposer_share_percent must be in 0..100, got 130');
    chain.at(12);
    chain.ok(b, 'set_params', [200n, 30n], ENGINE);
    expect(chain.view(b, 'params')).toEqual([200, 30]);
    expect(chain.events(b).at(-1)).toEqual({ name: 'RewardParamsSet', fields: { engine: ENGINE, block_reward: 200, proposer_share_percent: 30, height: 12 } });
  });

  it('set_engine hands the parameters over: the old engine loses them', () => {
    const chain = new Chain();
    const b = bonus(chain);
    expect(chain.reason(b, 'set_engine', [carol], stranger)).toBe('only the engine can change the reward parameters');
    expect(chain.reason(b, 'set_engine', [ZERO], ENGINE)).toBe('new engine must not be the zero address');
    chain.ok(b, 'set_engine', [carol], ENGINE);
    expect(chain.events(b).at(-1)).toEqual({ name: 'RewardParamsSet', fields: { engine: carol, block_reward: 100, proposer_share_percent: 40, height: 1 } });
    expect(chain.reason(b, 'set_params', [1n, 1n], ENGINE)).toBe('only the engine can change the reward parameters');
    chain.ok(b, 'set_params', [1n, 1n], carol);
    expect(chain.view(b, 'params')).toEqual([1, 1]);
  });

  it("split matches the engine's payRewards arithmetic for every n", () => {
    const chain = new Chain();
    const b = bonus(chain);
    const rewards = [0n, 1n, 7n, 99n, 100n, 101n, 3n * 10n ** 9n, 10n ** 30n + 7n];
    const percents = [0, 1, 33, 40, 50, 99, 100];
    const ns = [0, 1, 2, 3, 4, 5, 6, 7, 51, 100];
    for (const reward of rewards) {
      for (const pct of percents) {
        chain.ok(b, 'set_params', [reward, BigInt(pct)], ENGINE);
        for (const n of ns) {
          const want = engineSplit(reward, pct, n);
          const [proposer, each, remainder] = (chain.view(b, 'split', BigInt(n)) as unknown[]).map(big);
          const where = `reward ${reward}, ${pct}%, ${n} signers`;
          expect(proposer, where).toBe(want.proposer);
          expect(each, where).toBe(want.each);
          // The remainder is the part of the signers' pool that does not divide: inside proposer.
          const pool = n > 0 ? (reward * BigInt(100 - pct)) / 100n : 0n;
          expect(remainder, where).toBe(pool - want.each * BigInt(n));
          expect(big(chain.view(b, 'minted', BigInt(n))), where).toBe(want.proposer + want.each * BigInt(n));
        }
      }
    }
    expect(callMethod(chain.host, b, 'split', [-1n], { static: true })).toMatchObject({ ok: false, reason: 'signers must not be negative, got -1' });
  });

  it("split matches what the engine credits on real blocks with 0, 3, 4 and 5 signers", () => {
    // A short healthy run of the small preset (groups of 5, threshold 3); certificates with
    // more signers than the run's are made from the genesis groups' secret shares.
    const sim = createSim({ ...loadScenario('healthy'), slots: 4 });
    sim.runTo(4);
    const m0 = sim.nodes.get('m0')!;
    const s = chainOf(sim).find((x) => x.height >= 2)!;
    const parent = m0.stateById(s.parentId!)!;
    const block = m0.blockById(s.id)!;
    const parentGroup = parent.groups.find((g) => g.id === parent.groupId)!;
    const group = parent.groups.find((g) => g.id === s.groupId)!;
    const shares = new Map<number, SecretKey>();
    for (const secret of sim.secrets) {
      const mine = secret.genesisShares.get(parent.groupId);
      if (mine) shares.set(mine.member, mine.share);
    }
    expect(shares.size).toBe(parentGroup.block.gis.members.length);

    const certificate = (signers: number[]) => ({
      signers,
      aggregate: aggregateSignatures(signers.map((m) => shares.get(m)!.sign(endorsementMessage(parent.proposalHash)))).toBytes(),
    });
    const executor = sim.rules.executor;
    const delta = (after: Pick<ChainState<TransferState>, 'ledger'>): Map<string, bigint> => {
      const out = new Map<string, bigint>();
      for (const a of new Set([...parent.ledger.balances.keys(), ...after.ledger.balances.keys()])) {
        const d = executor.balance(after.ledger, a) - executor.balance(parent.ledger, a);
        if (d !== 0n) out.set(a, d);
      }
      return out;
    };

    const chain = new Chain();
    const b = bonus(chain);
    let compared = 0;
    for (const [reward, pct] of [[100n, 40], [100n, 30], [101n, 0], [7n, 100], [SEED.blockReward, SEED.proposerSharePercent], [1000n, 33]] as const) {
      chain.ok(b, 'set_params', [reward, BigInt(pct)], ENGINE);
      const rules: ChainRules<TransferState> = { ...sim.rules, genesis: { ...sim.genesis, params: { ...sim.params, blockReward: reward, proposerSharePercent: pct } }, memo: new Memo() };
      for (const signers of [null, [1, 2, 3], [1, 3, 4, 5], [1, 2, 3, 4, 5]]) {
        const payload = encodePayload({ parentCertificate: signers && certificate(signers), items: [], transactions: new Uint8Array(EMPTY_SECTION_BYTES) });
        const credited = delta(bodyAfter(rules, parent, block.header, group, payload));
        const n = signers?.length ?? 0;
        const [proposer, each] = (chain.view(b, 'split', BigInt(n)) as unknown[]).map(big);
        const expected = new Map<string, bigint>();
        if (proposer > 0n) expected.set(s.proposer, proposer);
        if (each > 0n) for (const m of signers ?? []) expected.set(parentGroup.block.gis.members[m - 1]!.id, each);
        expect(credited, `reward ${reward}, ${pct}%, ${n} signers`).toEqual(expected);
        let total = 0n;
        for (const v of credited.values()) total += v;
        expect(total).toBe(big(chain.view(b, 'minted', BigInt(n))));
        compared++;
      }
    }
    expect(compared).toBe(24);
  }, 60_000);
});

// ------------------------------------------------------------------ genesis

describe('genesis deployment', () => {
  it('the addresses in docs/system-contracts.md are the ones the executor derives', () => {
    const miners = contractAddress(GENESIS_DEPLOYER, 0);
    const bonusAddress = contractAddress(GENESIS_DEPLOYER, 1);
    const doc = readFileSync(path.join(ROOT, 'docs/system-contracts.md'), 'utf8');
    for (const a of [ENGINE, GENESIS_DEPLOYER, miners, bonusAddress]) expect(doc).toContain(a);
    // MemoryHost derives deployment addresses the same way (per-sender counter = nonce).
    const chain = new Chain().at(0);
    expect(chain.deploy(MINERS, [ENGINE, SMALL.minStake, BigInt(SMALL.refundDelay)], GENESIS_DEPLOYER)).toBe(miners);
    expect(chain.deploy(BONUS, [ENGINE, SMALL.blockReward, BigInt(SMALL.proposerSharePercent)], GENESIS_DEPLOYER)).toBe(bonusAddress);
    expect(chain.view(miners, 'config')).toEqual([ENGINE, 100, 50]);
    expect(chain.view(bonusAddress, 'params')).toEqual([100, 40]);
  });

  it('the seed preset deploys too', () => {
    const chain = new Chain().at(0);
    const reg = chain.deploy(MINERS, [ENGINE, SEED.minStake, BigInt(SEED.refundDelay)], GENESIS_DEPLOYER);
    const b = chain.deploy(BONUS, [ENGINE, SEED.blockReward, BigInt(SEED.proposerSharePercent)], GENESIS_DEPLOYER);
    expect(chain.view(reg, 'config')).toEqual([ENGINE, 500_000_000_000, 500]);
    expect(chain.view(b, 'split', 51n)).toEqual([1_200_000_000 + (1_800_000_000 - 35_294_117 * 51), 35_294_117, 1_800_000_000 - 35_294_117 * 51]);
  });
});

// ------------------------------------------------------------------ the same under CPython

/** An argument in the JSON both sides read: ints and bytes tagged, addresses as text. */
type Arg = { int: string } | { bytes: string } | string | Arg[];
interface Step {
  readonly method: string;
  readonly args: readonly Arg[];
  readonly sender: string;
  readonly value?: number;
  readonly height: number;
}
interface Scenario {
  readonly file: string;
  readonly args: readonly Arg[];
  readonly height: number;
  readonly steps: readonly Step[];
}
interface Outcome {
  ok: boolean;
  value: unknown;
  reason: string | null;
  events: [string, Record<string, unknown>][];
  balance: string;
}

const int = (v: bigint | number): Arg => ({ int: String(v) });
const raw = (b: Uint8Array): Arg => ({ bytes: bytesToHex(b) });

function fromArg(a: Arg): unknown {
  if (Array.isArray(a)) return a.map(fromArg);
  if (typeof a === 'string') return a;
  return 'int' in a ? BigInt(a.int) : hexToBytes(a.bytes);
}

/** The scenario through bench/shim/zvchain.py, values in scenario.py's neutral JSON. */
const CPYTHON_DRIVER = `
import json, sys
sys.path.insert(0, 'bench/shim')
import zvchain
from scenario import to_json
s = json.load(sys.stdin)
def arg(a):
    if isinstance(a, list):
        return [arg(x) for x in a]
    if isinstance(a, dict):
        return int(a['int']) if 'int' in a else bytes.fromhex(a['bytes'])
    return zvchain.Address(a)
chain = zvchain.Chain(balances={k: int(v) for k, v in s['balances'].items()})
chain.height = s['height']
contract = chain.deploy(s['file'], *[arg(a) for a in s['args']], sender=s['deployer'])
out = []
for st in s['steps']:
    chain.height = st['height']
    r = chain.try_call(contract, st['method'], *[arg(a) for a in st['args']], sender=st['sender'], value=st.get('value', 0))
    out.append({'ok': r.ok, 'value': to_json(r.value) if r.ok else None, 'reason': r.reason,
                'events': [[n, {k: to_json(v) for k, v in f.items()}] for (_, n, f) in r.events],
                'balance': str(chain.balance_of(st['sender']))})
print(json.dumps(out))
`;

const accounts = [alice, bob, carol, stranger, ENGINE, GENESIS_DEPLOYER];

function runInCPython(s: Scenario): Outcome[] {
  const input = JSON.stringify({ ...s, deployer: GENESIS_DEPLOYER, balances: Object.fromEntries(accounts.map((a) => [a, String(FUNDS)])) });
  const p = spawnSync('python3', ['-c', CPYTHON_DRIVER], { cwd: ROOT, input, encoding: 'utf8', timeout: 30_000 });
  if (p.status !== 0) throw new Error(`python3 failed: ${p.error?.message ?? ''}${p.stderr}`);
  return JSON.parse(p.stdout) as Outcome[];
}

function runInTvm(s: Scenario): Outcome[] {
  const chain = new Chain().at(s.height);
  const contract = chain.deploy(s.file, s.args.map(fromArg), GENESIS_DEPLOYER);
  return s.steps.map((st) => {
    chain.at(st.height);
    const before = chain.host.events.length;
    const r = chain.call(contract, st.method, st.args.map(fromArg), st.sender, BigInt(st.value ?? 0));
    return {
      ok: r.ok,
      value: r.ok ? neutralValue(r.returnType, r.value) : null,
      reason: r.ok ? null : r.reason,
      events: chain.host.events.slice(before).map((e): [string, Record<string, unknown>] => [e.name, Object.fromEntries(e.fields.map((f) => [f.name, neutralValue(f.type, f.value)]))]),
      balance: String(chain.balance(st.sender)),
    };
  });
}

describe('the system contracts under CPython (bench/shim) compute what the TVM computes', () => {
  const step = (height: number, sender: string, method: string, args: Arg[], value = 0): Step => ({ method, args, sender, value, height });

  it('MinerRegistry', () => {
    const pop = (m: MinerKey, a: string) => raw(popOf(m, a));
    const s: Scenario = {
      file: MINERS,
      args: [ENGINE, int(MIN), int(DELAY)],
      height: 1,
      steps: [
        step(2, alice, 'register', [int(0), raw(K1.pk), pop(K1, alice)], 99),
        step(2, alice, 'register', [int(3), raw(K1.pk), pop(K1, alice)], 100),
        step(2, alice, 'register', [int(0), raw(K1.pk.slice(2)), pop(K1, alice)], 100),
        step(3, alice, 'register', [int(0), raw(K1.pk), pop(K1, alice)], 150),
        step(3, alice, 'register', [int(1), raw(K2.pk), pop(K2, alice)], 150),
        step(3, bob, 'register', [int(1), raw(K1.pk), pop(K1, bob)], 150),
        step(4, bob, 'register', [int(1), raw(K2.pk), pop(K2, bob)], 120),
        step(5, stranger, 'annul', []),
        step(5, alice, 'annul', [], 1),
        step(5, stranger, 'slash', [alice, int(10)]),
        step(5, ENGINE, 'slash', [alice, int(10)]),
        step(6, alice, 'annul', []),
        step(7, alice, 'annul', []),
        step(7, ENGINE, 'is_active', [alice, int(6)]),
        step(7, ENGINE, 'is_active', [alice, int(5)]),
        step(55, alice, 'refund', []),
        step(56, alice, 'refund', []),
        step(56, alice, 'miner_of', [alice]),
        step(56, bob, 'miner_of', [bob]),
        step(56, bob, 'counts', []),
        step(56, bob, 'totals', []),
        step(56, bob, 'holder_of', [raw(K1.pk)]),
        step(56, bob, 'pop_message', [bob, raw(K2.pk)]),
        step(57, ENGINE, 'slash', [bob, int(500)]),
        step(57, carol, 'refund', []),
        step(58, carol, 'register', [int(0), raw(K1.pk), pop(K1, carol)], 100),
        step(58, carol, 'refundable_at', [carol]),
      ],
    };
    const tvm = runInTvm(s);
    expect(runInCPython(s)).toEqual(tvm);
    expect(tvm.filter((o) => o.ok).length).toBe(15);
  });

  it('Bonus', () => {
    const s: Scenario = {
      file: BONUS,
      args: [ENGINE, int(100), int(40)],
      height: 0,
      steps: [
        step(1, stranger, 'set_params', [int(7), int(10)]),
        step(1, ENGINE, 'set_params', [int(7), int(101)]),
        ...[0, 1, 2, 3, 7, 61].map((n) => step(1, carol, 'split', [int(n)])),
        step(2, ENGINE, 'set_params', [int(10n ** 21n + 3n), int(33)]),
        ...[0, 1, 2, 3, 7, 61].flatMap((n) => [step(2, carol, 'split', [int(n)]), step(2, carol, 'minted', [int(n)])]),
        step(2, carol, 'split', [int(-1)]),
        step(3, ENGINE, 'set_engine', [carol]),
        step(3, ENGINE, 'set_params', [int(1), int(1)]),
        step(3, carol, 'set_params', [int(1), int(1)]),
        step(3, carol, 'params', []),
      ],
    };
    expect(runInCPython(s)).toEqual(runInTvm(s));
  });
});
