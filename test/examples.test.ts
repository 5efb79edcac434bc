// Behaviour tests of the example contracts and the stdlib components, through the library
// API (compile → deploy → callMethod on a MemoryHost), plus differential tests: one scenario
// per example run both in the TVM and under CPython (bench/shim, in a python3 child process),
// compared step by step (success, revert reason, return value, events).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { compile } from '../compiler/index.ts';
import { callMethod, deploy, loadModule, MemoryHost, runFunction } from '../tvm/index.ts';
import { neutralValue, stdlibResolver, testAccount } from '../bench/neutral.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GAS = 50_000_000;
const ZERO = 'zv' + '0'.repeat(64);

const alice = testAccount(1);
const bob = testAccount(2);
const carol = testAccount(3);
const dave = testAccount(4);
const erin = testAccount(5);

// ------------------------------------------------------------------ helpers

const compiled = new Map<string, Uint8Array>();

function bytecodeOf(file: string): Uint8Array {
  const cached = compiled.get(file);
  if (cached) return cached;
  const source = readFileSync(path.join(ROOT, file), 'utf8');
  const r = compile({ path: file, source, resolve: stdlibResolver(ROOT) });
  if (!r.ok || !r.bytecode) {
    const ds = r.diagnostics.map((d) => `${d.span.file}:${d.span.line}:${d.span.col} ${d.code} ${d.message}`);
    throw new Error(`${file} does not compile:\n${ds.join('\n')}`);
  }
  compiled.set(file, r.bytecode);
  return r.bytecode;
}

interface Ev {
  name: string;
  fields: Record<string, unknown>;
}

interface Outcome {
  ok: boolean;
  /** The return value in the neutral form (ints as {int: "..."}); null on failure. */
  value: unknown;
  reason: string | null;
  events: Ev[];
}

/** A MemoryHost with helpers that turn results into plain, comparable data. */
class Env {
  readonly host: InstanceType<typeof MemoryHost>;
  readonly labels: Record<string, string> = {};

  constructor(balances: Record<string, bigint> = {}) {
    this.host = new MemoryHost({ balances });
  }

  deploy(file: string, args: unknown[], sender: string, value = 0n, label?: string): string {
    const d = deploy(this.host, bytecodeOf(file), args, { sender, value, gasLimit: GAS });
    if (!d.ok || d.address === null) throw new Error(`deploy ${file} failed: ${d.ok ? 'no address' : d.reason}`);
    if (label) this.labels[d.address] = `<${label}>`;
    return d.address;
  }

  tryDeploy(file: string, args: unknown[], sender: string, value = 0n): { ok: boolean; reason: string | null } {
    const d = deploy(this.host, bytecodeOf(file), args, { sender, value, gasLimit: GAS });
    return d.ok ? { ok: true, reason: null } : { ok: false, reason: d.reason };
  }

  call(contract: string, method: string, args: unknown[], sender: string, value = 0n): Outcome {
    const r = callMethod(this.host, contract, method, args, { sender, value, gasLimit: GAS });
    if (!r.ok) return { ok: false, value: null, reason: r.reason, events: [] };
    return {
      ok: true,
      value: neutralValue(r.returnType, r.value, this.labels),
      reason: null,
      events: r.events.map((e) => ({
        name: e.name,
        fields: Object.fromEntries(e.fields.map((f) => [f.name, neutralValue(f.type, f.value, this.labels)])),
      })),
    };
  }

  /** The value of a successful call (neutral form); fails the test with the reason otherwise. */
  get(contract: string, method: string, args: unknown[] = [], sender = alice): unknown {
    const r = this.call(contract, method, args, sender);
    if (!r.ok) throw new Error(`${method} reverted: ${r.reason}`);
    return r.value;
  }

  balance(addr: string): bigint {
    return this.host.getBalance(addr);
  }

  /** Advances the block (3 s per block, as the shim's Chain.mine). */
  mine(blocks: number): void {
    const b = this.host.block;
    this.host.block = { ...b, height: b.height + BigInt(blocks), timestamp: b.timestamp + 3n * BigInt(blocks) };
  }
}

const int = (n: number | bigint) => ({ int: String(n) });

function expectRevert(r: Outcome, reason: string): void {
  expect(r.ok, `expected a revert with "${reason}"`).toBe(false);
  expect(r.reason).toBe(reason);
}

// ------------------------------------------------------------------ the examples compile

describe('examples compile', () => {
  for (const file of ['examples/token.py', 'examples/escrow.py', 'examples/ballot.py', 'examples/auction.py', 'examples/vault.py',
    'stdlib/ownable.py', 'stdlib/pausable.py', 'stdlib/math.py', 'bench/workloads/arith.py', 'bench/workloads/strings.py',
    'bench/workloads/recursion.py', 'bench/workloads/storage.py']) {
    it(file, () => {
      expect(bytecodeOf(file).length).toBeGreaterThan(0);
    });
  }
});

// ------------------------------------------------------------------ token

describe('examples/token.py', () => {
  const T = 'examples/token.py';
  let env: Env;
  let token: string;
  beforeAll(() => {
    bytecodeOf(T);
  });
  const fresh = () => {
    env = new Env({ [alice]: 10n ** 18n, [bob]: 10n ** 18n });
    token = env.deploy(T, [1000], alice, 0n, 'token');
  };

  it('deploys with the whole supply at the deployer', () => {
    fresh();
    expect(env.get(token, 'balance_of', [alice])).toEqual(int(1000));
    expect(env.get(token, 'total_supply')).toEqual(int(1000));
    expect(env.get(token, 'describe')).toBe('Zv Token (ZVT), supply 1000');
  });

  it('rejects a negative initial supply', () => {
    env = new Env();
    expect(env.tryDeploy(T, [-1], alice)).toEqual({ ok: false, reason: 'initial supply must not be negative' });
  });

  it('transfers and emits Transfer', () => {
    fresh();
    const r = env.call(token, 'transfer', [bob, 10], alice);
    expect(r.ok).toBe(true);
    expect(r.value).toBe(true);
    expect(r.events).toEqual([{ name: 'Transfer', fields: { sender: alice, to: bob, amount: int(10) } }]);
    expect(env.get(token, 'balance_of', [alice])).toEqual(int(990));
    expect(env.get(token, 'balance_of', [bob])).toEqual(int(10));
  });

  it('reverts a transfer beyond the balance and leaves state unchanged', () => {
    fresh();
    expectRevert(env.call(token, 'transfer', [bob, 1001], alice), 'insufficient balance');
    expectRevert(env.call(token, 'transfer', [bob, 0], alice), 'amount must be positive');
    expect(env.get(token, 'balance_of', [alice])).toEqual(int(1000));
    expect(env.get(token, 'balance_of', [bob])).toEqual(int(0));
  });

  it('rejects native coin sent to a method that is not payable', () => {
    fresh();
    const before = env.balance(alice);
    expectRevert(env.call(token, 'transfer', [bob, 1], alice, 5n), 'method is not payable');
    expect(env.balance(alice)).toBe(before);
    expect(env.balance(token)).toBe(0n);
  });

  it('approves and lets the spender transfer_from within the allowance', () => {
    fresh();
    const a = env.call(token, 'approve', [bob, 50], alice);
    expect(a.events).toEqual([{ name: 'Approval', fields: { owner: alice, spender: bob, amount: int(50) } }]);
    expect(env.get(token, 'allowance', [alice, bob])).toEqual(int(50));
    const r = env.call(token, 'transfer_from', [alice, carol, 30], bob);
    expect(r.ok).toBe(true);
    expect(r.events).toEqual([{ name: 'Transfer', fields: { sender: alice, to: carol, amount: int(30) } }]);
    expect(env.get(token, 'allowance', [alice, bob])).toEqual(int(20));
    expect(env.get(token, 'balance_of', [carol])).toEqual(int(30));
    expectRevert(env.call(token, 'transfer_from', [alice, carol, 21], bob), 'insufficient allowance');
    expectRevert(env.call(token, 'transfer_from', [alice, carol, 1], carol), 'insufficient allowance');
    expectRevert(env.call(token, 'approve', [bob, -1], alice), 'amount must not be negative');
    expect(env.get(token, 'allowance', [alice, bob])).toEqual(int(20));
  });

  it('transfer_from checks the holder balance after the allowance', () => {
    fresh();
    env.call(token, 'approve', [carol, 5000], bob);
    expectRevert(env.call(token, 'transfer_from', [bob, carol, 1], carol), 'insufficient balance');
    // the failed call did not consume the allowance
    expect(env.get(token, 'allowance', [bob, carol])).toEqual(int(5000));
  });

  it('lets only the owner mint; anyone burns their own', () => {
    fresh();
    expectRevert(env.call(token, 'mint', [bob, 5], bob), 'only the owner can mint');
    const m = env.call(token, 'mint', [bob, 5], alice);
    expect(m.events).toEqual([{ name: 'Transfer', fields: { sender: ZERO, to: bob, amount: int(5) } }]);
    expect(env.get(token, 'total_supply')).toEqual(int(1005));
    const b = env.call(token, 'burn', [3], bob);
    expect(b.events).toEqual([{ name: 'Transfer', fields: { sender: bob, to: ZERO, amount: int(3) } }]);
    expect(env.get(token, 'total_supply')).toEqual(int(1002));
    expectRevert(env.call(token, 'burn', [3], bob), 'insufficient balance');
    expectRevert(env.call(token, 'burn', [0], bob), 'amount must be positive');
  });

  it('reverts minting past the int range with integer overflow', () => {
    fresh();
    const max = (1n << 255n) - 1n;
    expectRevert(env.call(token, 'mint', [bob, max], alice), 'integer overflow');
    expect(env.get(token, 'total_supply')).toEqual(int(1000));
  });
});

// ------------------------------------------------------------------ escrow

describe('examples/escrow.py', () => {
  const E = 'examples/escrow.py';
  // alice buys from bob; carol arbitrates
  let env: Env;
  let escrow: string;
  const fresh = () => {
    env = new Env({ [alice]: 10_000n, [bob]: 1000n, [carol]: 100n });
    escrow = env.deploy(E, [bob, carol, 500], alice, 0n, 'escrow');
  };

  it('starts awaiting payment with the three parties', () => {
    fresh();
    expect(env.get(escrow, 'get_state')).toBe('awaiting_payment');
    expect(env.get(escrow, 'parties')).toEqual([alice, bob, carol]);
  });

  it('checks the constructor arguments', () => {
    env = new Env({ [alice]: 10_000n });
    expect(env.tryDeploy(E, [bob, carol, 0], alice)).toEqual({ ok: false, reason: 'price must be positive' });
    expect(env.tryDeploy(E, [alice, carol, 5], alice)).toEqual({ ok: false, reason: 'buyer and seller must differ' });
  });

  it('takes exactly the price from the buyer only', () => {
    fresh();
    expectRevert(env.call(escrow, 'deposit', [], bob, 500n), 'only the buyer can deposit');
    expectRevert(env.call(escrow, 'deposit', [], alice, 499n), 'send exactly 500');
    expectRevert(env.call(escrow, 'deposit', [], alice, 20_000n), 'insufficient balance');
    expect(env.balance(alice)).toBe(10_000n);
    expect(env.balance(bob)).toBe(1000n);
    expect(env.balance(escrow)).toBe(0n);
    const r = env.call(escrow, 'deposit', [], alice, 500n);
    expect(r.ok).toBe(true);
    expect(r.events).toEqual([{ name: 'Deposited', fields: { buyer: alice, amount: int(500) } }]);
    expect(env.balance(alice)).toBe(9_500n);
    expect(env.balance(escrow)).toBe(500n);
    expect(env.get(escrow, 'held')).toEqual(int(500));
    expect(env.get(escrow, 'get_state')).toBe('awaiting_delivery');
    expectRevert(env.call(escrow, 'deposit', [], alice, 500n), 'already paid');
    expect(env.balance(alice)).toBe(9_500n);
  });

  it('releases to the seller (buyer or arbiter only)', () => {
    fresh();
    expectRevert(env.call(escrow, 'release', [], alice), 'nothing to release');
    env.call(escrow, 'deposit', [], alice, 500n);
    expectRevert(env.call(escrow, 'release', [], bob), 'only the buyer or the arbiter can release');
    const r = env.call(escrow, 'release', [], carol);
    expect(r.ok).toBe(true);
    expect(r.events).toEqual([{ name: 'Released', fields: { seller: bob, amount: int(500), by: carol } }]);
    expect(env.balance(bob)).toBe(1500n);
    expect(env.balance(escrow)).toBe(0n);
    expect(env.get(escrow, 'get_state')).toBe('complete');
    expectRevert(env.call(escrow, 'release', [], alice), 'nothing to release');
    expectRevert(env.call(escrow, 'refund', [], carol), 'nothing to refund');
  });

  it('refunds the buyer (seller or arbiter only)', () => {
    fresh();
    env.call(escrow, 'deposit', [], alice, 500n);
    expectRevert(env.call(escrow, 'refund', [], alice), 'only the seller or the arbiter can refund');
    const r = env.call(escrow, 'refund', [], bob);
    expect(r.events).toEqual([{ name: 'Refunded', fields: { buyer: alice, amount: int(500), by: bob } }]);
    expect(env.balance(alice)).toBe(10_000n);
    expect(env.get(escrow, 'get_state')).toBe('refunded');
  });

  it('rejects coin sent to release', () => {
    fresh();
    env.call(escrow, 'deposit', [], alice, 500n);
    expectRevert(env.call(escrow, 'release', [], alice, 1n), 'method is not payable');
    expect(env.balance(escrow)).toBe(500n);
    expect(env.get(escrow, 'get_state')).toBe('awaiting_delivery');
  });
});

// ------------------------------------------------------------------ ballot

describe('examples/ballot.py', () => {
  const B = 'examples/ballot.py';
  let env: Env;
  let ballot: string;
  const fresh = () => {
    env = new Env();
    ballot = env.deploy(B, [['tea', 'coffee', 'water']], alice, 0n, 'ballot');
    for (const v of [bob, carol, dave]) env.call(ballot, 'give_right_to_vote', [v], alice);
  };
  const voter = (weight: number, voted: boolean, delegate: string, vote: number) => ({
    struct: 'Voter',
    fields: { weight: int(weight), voted, delegate, vote: int(vote) },
  });

  it('needs at least one proposal', () => {
    env = new Env();
    expect(env.tryDeploy(B, [[]], alice)).toEqual({ ok: false, reason: 'at least one proposal' });
  });

  it('gives the right to vote (chairperson only, once)', () => {
    fresh();
    expectRevert(env.call(ballot, 'give_right_to_vote', [erin], bob), 'only the chairperson can give the right to vote');
    expectRevert(env.call(ballot, 'give_right_to_vote', [bob], alice), 'the voter already has the right to vote');
    expect(env.get(ballot, 'voter', [bob])).toEqual(voter(1, false, ZERO, 0));
    expect(env.get(ballot, 'voter', [erin])).toEqual(voter(0, false, ZERO, 0));
    env.call(ballot, 'vote', [0], bob);
    expectRevert(env.call(ballot, 'give_right_to_vote', [bob], alice), 'the voter already voted');
  });

  it('counts votes and names the winner', () => {
    fresh();
    expectRevert(env.call(ballot, 'vote', [3], bob), 'no such proposal');
    expectRevert(env.call(ballot, 'vote', [-1], bob), 'no such proposal');
    expectRevert(env.call(ballot, 'vote', [0], erin), 'no right to vote');
    const r = env.call(ballot, 'vote', [1], bob);
    expect(r.events).toEqual([{ name: 'Voted', fields: { voter: bob, proposal: int(1), weight: int(1) } }]);
    expectRevert(env.call(ballot, 'vote', [1], bob), 'already voted');
    env.call(ballot, 'vote', [2], carol);
    env.call(ballot, 'vote', [2], dave);
    expect(env.get(ballot, 'results')).toEqual([int(0), int(1), int(2)]);
    expect(env.get(ballot, 'winning_proposal')).toEqual(int(2));
    expect(env.get(ballot, 'winner_name')).toBe('water');
  });

  it('follows delegation chains and refuses loops', () => {
    fresh();
    expectRevert(env.call(ballot, 'delegate', [bob], bob), 'self-delegation is not allowed');
    expectRevert(env.call(ballot, 'delegate', [bob], erin), 'no right to vote');
    expectRevert(env.call(ballot, 'delegate', [erin], bob), 'cannot delegate to a voter without the right to vote');
    const d = env.call(ballot, 'delegate', [carol], bob);
    expect(d.events).toEqual([{ name: 'Delegated', fields: { voter: bob, to: carol } }]);
    env.call(ballot, 'delegate', [dave], carol); // bob -> carol -> dave: dave holds 3 votes
    expect(env.get(ballot, 'voter', [dave])).toEqual(voter(3, false, ZERO, 0));
    expectRevert(env.call(ballot, 'delegate', [bob], dave), 'found a loop in the delegation');
    expectRevert(env.call(ballot, 'delegate', [dave], bob), 'already voted');
    env.call(ballot, 'vote', [0], dave);
    // delegating to someone who already voted adds to their proposal
    env.call(ballot, 'delegate', [dave], alice);
    expect(env.get(ballot, 'results')).toEqual([int(4), int(0), int(0)]);
    expect(env.get(ballot, 'winner_name')).toBe('tea');
  });
});

// ------------------------------------------------------------------ auction

describe('examples/auction.py', () => {
  const A = 'examples/auction.py';
  let env: Env;
  let auction: string;
  const fresh = () => {
    env = new Env({ [bob]: 1000n, [carol]: 1000n });
    auction = env.deploy(A, [alice, 10], alice, 0n, 'auction');
  };

  it('needs a bidding period', () => {
    env = new Env();
    expect(env.tryDeploy(A, [alice, 0], alice)).toEqual({ ok: false, reason: 'the auction must last at least one block' });
  });

  it('takes higher bids and credits the outbid bidder', () => {
    fresh();
    const r = env.call(auction, 'bid', [], bob, 100n);
    expect(r.events).toEqual([{ name: 'HighestBidIncreased', fields: { bidder: bob, amount: int(100) } }]);
    expectRevert(env.call(auction, 'bid', [], carol, 100n), 'there is already a higher or equal bid');
    expect(env.balance(carol)).toBe(1000n);
    env.call(auction, 'bid', [], carol, 150n);
    expect(env.get(auction, 'pending', [bob])).toEqual(int(100));
    expect(env.get(auction, 'highest_bid_of')).toEqual([carol, int(150)]);
    expect(env.balance(auction)).toBe(250n);
  });

  it('lets outbid bidders withdraw once (pull pattern)', () => {
    fresh();
    env.call(auction, 'bid', [], bob, 100n);
    env.call(auction, 'bid', [], carol, 150n);
    expectRevert(env.call(auction, 'withdraw', [], carol), 'nothing to withdraw');
    const w = env.call(auction, 'withdraw', [], bob);
    expect(w.value).toEqual(int(100));
    expect(env.balance(bob)).toBe(1000n);
    expect(env.balance(auction)).toBe(150n);
    expectRevert(env.call(auction, 'withdraw', [], bob), 'nothing to withdraw');
  });

  it('ends after the closing height and pays the beneficiary once', () => {
    fresh();
    env.call(auction, 'bid', [], bob, 100n);
    expectRevert(env.call(auction, 'end_auction', [], carol), 'the auction is still open');
    env.mine(10);
    expect(env.get(auction, 'blocks_left')).toEqual(int(0));
    expectRevert(env.call(auction, 'bid', [], carol, 500n), 'the auction has ended');
    expect(env.balance(carol)).toBe(1000n);
    const r = env.call(auction, 'end_auction', [], carol);
    expect(r.events).toEqual([{ name: 'AuctionEnded', fields: { winner: bob, amount: int(100) } }]);
    expect(env.balance(alice)).toBe(100n);
    expectRevert(env.call(auction, 'end_auction', [], carol), 'end_auction has already been called');
    expect(env.balance(alice)).toBe(100n);
  });
});

// ------------------------------------------------------------------ vault (cross-contract) and stdlib

describe('examples/vault.py with stdlib Pausable, IToken, mul_div', () => {
  let env: Env;
  let token: string;
  let vault: string;
  const fresh = () => {
    env = new Env();
    token = env.deploy('examples/token.py', [1000], alice, 0n, 'token');
    vault = env.deploy('examples/vault.py', [token], alice, 0n, 'vault');
    env.call(token, 'transfer', [bob, 300], alice);
  };

  it('records the deployer as owner (Ownable) and starts unpaused', () => {
    fresh();
    expect(env.get(vault, 'get_owner')).toBe(alice);
    expect(env.get(vault, 'is_paused')).toBe(false);
  });

  it('pulls tokens through the token contract (cross-contract call)', () => {
    fresh();
    const failed = env.call(vault, 'deposit', [100], bob);
    expect(failed.ok).toBe(false);
    expect(failed.reason).toContain('insufficient allowance');
    expect(env.get(token, 'balance_of', [bob])).toEqual(int(300));
    expect(env.get(vault, 'total_shares')).toEqual(int(0));

    env.call(token, 'approve', [vault, 200], bob);
    const r = env.call(vault, 'deposit', [100], bob);
    expect(r.ok).toBe(true);
    expect(r.value).toEqual(int(100));
    expect(r.events).toEqual([
      { name: 'Transfer', fields: { sender: bob, to: '<vault>', amount: int(100) } },
      { name: 'Deposit', fields: { user: bob, amount: int(100), shares: int(100) } },
    ]);
    expect(env.get(token, 'balance_of', [vault])).toEqual(int(100));
    expect(env.get(token, 'allowance', [bob, vault])).toEqual(int(100));
    expect(env.get(vault, 'shares_of', [bob])).toEqual(int(100));
  });

  it('prices shares with mul_div and pays out on withdraw', () => {
    fresh();
    env.call(token, 'approve', [vault, 300], bob);
    env.call(vault, 'deposit', [100], bob);
    env.call(token, 'transfer', [vault, 50], alice); // a donation raises the share price
    expect(env.get(vault, 'value_of', [bob])).toEqual(int(150));
    expect(env.call(vault, 'deposit', [75], bob).value).toEqual(int(50)); // 75 * 100 // 150
    expectRevert(env.call(vault, 'withdraw', [0], bob), 'shares must be positive');
    expectRevert(env.call(vault, 'withdraw', [151], bob), 'not enough shares');
    expectRevert(env.call(vault, 'deposit', [0], bob), 'amount must be positive');
    const w = env.call(vault, 'withdraw', [50], bob);
    expect(w.value).toEqual(int(75));
    expect(env.get(token, 'balance_of', [bob])).toEqual(int(200));
    expect(env.get(vault, 'total_shares')).toEqual(int(100));
  });

  it('lets only the owner pause; paused deposits revert', () => {
    fresh();
    env.call(token, 'approve', [vault, 300], bob);
    expectRevert(env.call(vault, 'pause', [], bob), 'caller is not the owner');
    expectRevert(env.call(vault, 'unpause', [], alice), 'contract is not paused');
    const p = env.call(vault, 'pause', [], alice);
    expect(p.events).toEqual([{ name: 'Paused', fields: { account: alice } }]);
    expectRevert(env.call(vault, 'pause', [], alice), 'contract is paused');
    expectRevert(env.call(vault, 'deposit', [10], bob), 'contract is paused');
    expect(env.get(token, 'balance_of', [bob])).toEqual(int(300));
    env.call(vault, 'unpause', [], alice);
    expect(env.call(vault, 'deposit', [10], bob).ok).toBe(true);
  });

  it('transfers ownership (Ownable access control)', () => {
    fresh();
    expectRevert(env.call(vault, 'transfer_ownership', [bob], bob), 'caller is not the owner');
    expectRevert(env.call(vault, 'transfer_ownership', [ZERO], alice), 'new owner is the zero address');
    const r = env.call(vault, 'transfer_ownership', [bob], alice);
    expect(r.events).toEqual([{ name: 'OwnershipTransferred', fields: { previous_owner: alice, new_owner: bob } }]);
    expect(env.get(vault, 'get_owner')).toBe(bob);
    expectRevert(env.call(vault, 'pause', [], alice), 'caller is not the owner');
    expect(env.call(vault, 'pause', [], bob).ok).toBe(true);
  });
});

// A revert in the outer contract after a successful inner call must undo the inner call too.
const RELAY = `
from zvchain import Contract, Address, public, require
from stdlib.token import IToken


class Relay(Contract):
    token: Address

    def __init__(self, token: Address) -> None:
        self.token = token

    @public
    def pay_then_check(self, to: Address, amount: int, fail: bool) -> bool:
        ok = IToken(self.token).transfer_from(to, self.address, amount)
        require(not fail, "relay changed its mind")
        return ok
`;

describe('cross-contract rollback', () => {
  it('undoes a successful inner call when the outer call reverts (TVM and CPython)', () => {
    const r = compile({ path: 'relay.py', source: RELAY, resolve: stdlibResolver(ROOT) });
    expect(r.diagnostics).toEqual([]);
    const env = new Env();
    const token = env.deploy('examples/token.py', [1000], alice, 0n, 'token');
    const d = deploy(env.host, r.bytecode!, [token], { sender: alice, gasLimit: GAS });
    expect(d.ok).toBe(true);
    const relay = d.address!;
    env.call(token, 'approve', [relay, 500], alice);
    expectRevert(env.call(relay, 'pay_then_check', [alice, 100, true], bob), 'relay changed its mind');
    expect(env.get(token, 'balance_of', [relay])).toEqual(int(0));
    expect(env.get(token, 'allowance', [alice, relay])).toEqual(int(500));
    const ok = env.call(relay, 'pay_then_check', [alice, 100, false], bob);
    expect(ok.ok).toBe(true);
    expect(env.get(token, 'balance_of', [relay])).toEqual(int(100));

    const dir = mkdtempSync(path.join(tmpdir(), 'zv-relay-'));
    writeFileSync(path.join(dir, 'relay.py'), RELAY);
    const out = python(`
import sys; sys.path.insert(0, 'bench/shim')
from zvchain import Chain
a, b = Chain.account(1), Chain.account(2)
c = Chain()
t = c.deploy('examples/token.py', 1000, sender=a)
r = c.deploy(${JSON.stringify(path.join(dir, 'relay.py'))}, t, sender=a)
c.call(t, 'approve', r, 500, sender=a)
print(c.try_call(r, 'pay_then_check', a, 100, True, sender=b).reason)
print(c.call(t, 'balance_of', r, sender=a), c.call(t, 'allowance', a, r, sender=a))
`);
    expect(out.trim().split('\n')).toEqual(['relay changed its mind', '0 500']);
  });
});

describe('stdlib/math.py', () => {
  const run = (fn: string, args: unknown[]) => {
    const mod = loadModule(bytecodeOf('stdlib/math.py'));
    return runFunction(mod, fn, args, { gasLimit: GAS });
  };
  const value = (fn: string, args: unknown[]) => {
    const r = run(fn, args);
    if (!r.ok) throw new Error(`${fn} reverted: ${r.reason}`);
    return BigInt(r.value as number | bigint);
  };
  const isqrt = (n: bigint): bigint => {
    if (n < 2n) return n;
    let x = n;
    let y = (x + 1n) / 2n;
    while (y < x) {
      x = y;
      y = (x + n / x) / 2n;
    }
    return x;
  };

  it('sqrt is the integer square root', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 99n, 10n ** 18n, 10n ** 30n + 7n, (1n << 255n) - 1n]) {
      expect(value('sqrt', [n]), `sqrt(${n})`).toBe(isqrt(n));
    }
    const neg = run('sqrt', [-1]);
    expect(neg.ok).toBe(false);
    expect((neg as { reason: string }).reason).toBe('sqrt: negative operand');
  });

  it('mul_div rounds down and checks the denominator', () => {
    expect(value('mul_div', [10, 3, 4])).toBe(7n);
    expect(value('mul_div', [-10, 3, 4])).toBe(-8n); // floor, as Python's //
    expect(value('mul_div', [10n ** 30n, 10n ** 30n, 10n ** 40n])).toBe(10n ** 20n);
    expect((run('mul_div', [1, 1, 0]) as { reason: string }).reason).toBe('mul_div: zero denominator');
    expect((run('mul_div', [1n << 200n, 1n << 200n, 1]) as { reason: string }).reason).toBe('integer overflow');
  });

  it('clamp and percent_of', () => {
    expect(value('clamp', [5, 0, 3])).toBe(3n);
    expect(value('clamp', [-5, 0, 3])).toBe(0n);
    expect(value('clamp', [2, 0, 3])).toBe(2n);
    expect((run('clamp', [1, 3, 0]) as { reason: string }).reason).toBe('clamp: lo is greater than hi');
    expect(value('percent_of', [1000, 250])).toBe(25n);
    expect(value('percent_of', [999, 10000])).toBe(999n);
    expect((run('percent_of', [1, 10001]) as { reason: string }).reason).toBe('percent_of: bps out of 0..10000');
  });
});

// ------------------------------------------------------------------ the shim itself

function python(script: string, input = ''): string {
  const p = spawnSync('python3', ['-c', script], { cwd: ROOT, input, encoding: 'utf8', timeout: 30_000 });
  if (p.status !== 0) throw new Error(`python3 failed: ${p.error?.message ?? ''}${p.stderr}`);
  return p.stdout;
}

describe('bench/shim/zvchain.py', () => {
  it('implements keccak-256 (not SHA3-256)', () => {
    const lengths = [0, 1, 135, 136, 137, 300];
    const out = python(
      `import sys; sys.path.insert(0, 'bench/shim'); from zvchain import keccak256\n` +
        `for n in ${JSON.stringify(lengths)}: print(keccak256(bytes(i % 256 for i in range(n))).hex())`,
    );
    const expected = lengths.map((n) => bytesToHex(keccak_256(Uint8Array.from({ length: n }, (_, i) => i % 256))));
    expect(out.trim().split('\n')).toEqual(expected);
  });

  it('models storage maps, rollback and payable checks as the TVM does', () => {
    const out = python(`
import sys; sys.path.insert(0, 'bench/shim')
from zvchain import *
class S(Struct):
    a: int
class C(Contract):
    m: Map[Address, int]
    n: Map[int, Map[int, int]]
    s: Map[int, S]
    xs: list[int]
    @public
    def put(self, k: Address, v: int) -> None:
        self.m[k] = v
        self.n[1][2] = v
        self.s[3].a = v
        self.xs.append(v)
        require(v != 13, "unlucky")
    @view
    def has(self, k: Address) -> bool:
        return k in self.m
a = Chain.account(1)
c = Chain(balances={a: 10})
addr = c.deploy(C, sender=a)
obj = c.contract(addr)
print(obj.m[a], c.call(addr, 'has', a, sender=a))
c.call(addr, 'put', a, 5, sender=a)
print(obj.m[a], obj.n[1][2], obj.s[3].a, obj.xs, c.call(addr, 'has', a, sender=a))
r = c.try_call(addr, 'put', a, 13, sender=a)
print(r.reason, obj.m[a], obj.n[1][2], obj.s[3].a, obj.xs)
c.call(addr, 'put', a, 0, sender=a)
print(dict.__contains__(obj.m, a), c.call(addr, 'has', a, sender=a))
print(c.try_call(addr, 'put', a, 1, sender=a, value=1).reason, c.balance_of(a))
print(c.try_call(addr, 'put', a, 2**255, sender=a).reason)
try:
    Address('zv' + 'AB' * 32)
except Revert as e:
    print(repr(Address('zv' + 'ab' * 32))[:12], e.reason)
`);
    expect(out.trim().split('\n')).toEqual([
      '0 False',
      '5 5 5 [5] True',
      'unlucky 5 5 5 [5]',
      'False False',
      'method is not payable 10',
      'integer overflow',
      "Address('zva invalid address",
    ]);
  });
});

// ------------------------------------------------------------------ differential: TVM vs CPython

type Arg = number | string | boolean | { ref: string } | Arg[];
type Step =
  | { op: 'deploy'; name: string; file: string; args: Arg[]; sender: string; value?: number }
  | { op: 'call'; contract: string; method: string; args: Arg[]; sender: string; value?: number }
  | { op: 'mine'; blocks: number }
  | { op: 'balance'; of: string | { ref: string } };
interface Scenario {
  balances: Record<string, number>;
  steps: Step[];
}

interface StepResult {
  ok: boolean;
  value: unknown;
  reason: string | null;
  events: [string, Record<string, unknown>][];
}

function runInCPython(s: Scenario): StepResult[] {
  const p = spawnSync('python3', [path.join(ROOT, 'bench/shim/scenario.py')], {
    cwd: ROOT, input: JSON.stringify(s), encoding: 'utf8', timeout: 60_000,
  });
  if (p.status !== 0) throw new Error(`scenario.py failed: ${p.error?.message ?? ''}${p.stderr}`);
  return (JSON.parse(p.stdout) as (StepResult & { logs: string[] })[]).map(({ ok, value, reason, events }) => ({ ok, value, reason, events }));
}

function runInTvm(s: Scenario): StepResult[] {
  const env = new Env(Object.fromEntries(Object.entries(s.balances).map(([k, v]) => [k, BigInt(v)])));
  const refs: Record<string, string> = {};
  const arg = (a: Arg): unknown => (Array.isArray(a) ? a.map(arg) : typeof a === 'object' ? refs[a.ref] : a);
  const out: StepResult[] = [];
  for (const step of s.steps) {
    if (step.op === 'mine') {
      env.mine(step.blocks);
      out.push({ ok: true, value: null, reason: null, events: [] });
    } else if (step.op === 'balance') {
      const who = typeof step.of === 'string' ? step.of : refs[step.of.ref]!;
      out.push({ ok: true, value: int(env.balance(who)), reason: null, events: [] });
    } else if (step.op === 'deploy') {
      const d = deploy(env.host, bytecodeOf(step.file), step.args.map(arg), { sender: step.sender, value: BigInt(step.value ?? 0), gasLimit: GAS });
      if (d.ok && d.address !== null) {
        refs[step.name] = d.address;
        env.labels[d.address] = `<${step.name}>`;
      }
      const events = d.events.map((e) => [
        e.name, Object.fromEntries(e.fields.map((f) => [f.name, neutralValue(f.type, f.value, env.labels)])),
      ] as [string, Record<string, unknown>]);
      out.push({ ok: d.ok, value: null, reason: d.ok ? null : d.reason, events });
    } else {
      const r = env.call(refs[step.contract]!, step.method, step.args.map(arg), step.sender, BigInt(step.value ?? 0));
      out.push({ ok: r.ok, value: r.value, reason: r.reason, events: r.events.map((e) => [e.name, e.fields]) });
    }
  }
  return out;
}

const SCENARIOS: Record<string, Scenario> = {
  token: {
    balances: {},
    steps: [
      { op: 'deploy', name: 'token', file: 'examples/token.py', args: [1000], sender: alice },
      { op: 'call', contract: 'token', method: 'transfer', args: [bob, 100], sender: alice },
      { op: 'call', contract: 'token', method: 'transfer', args: [carol, 101], sender: bob },
      { op: 'call', contract: 'token', method: 'approve', args: [carol, 60], sender: bob },
      { op: 'call', contract: 'token', method: 'transfer_from', args: [bob, dave, 50], sender: carol },
      { op: 'call', contract: 'token', method: 'transfer_from', args: [bob, dave, 50], sender: carol },
      { op: 'call', contract: 'token', method: 'mint', args: [dave, 7], sender: dave },
      { op: 'call', contract: 'token', method: 'burn', args: [25], sender: dave },
      { op: 'call', contract: 'token', method: 'balance_of', args: [bob], sender: alice },
      { op: 'call', contract: 'token', method: 'allowance', args: [bob, carol], sender: alice },
      { op: 'call', contract: 'token', method: 'describe', args: [], sender: alice },
    ],
  },
  escrow: {
    balances: { [alice]: 1000, [bob]: 5 },
    steps: [
      { op: 'deploy', name: 'escrow', file: 'examples/escrow.py', args: [bob, carol, 400], sender: alice },
      { op: 'call', contract: 'escrow', method: 'deposit', args: [], sender: alice, value: 300 },
      { op: 'call', contract: 'escrow', method: 'deposit', args: [], sender: alice, value: 400 },
      { op: 'call', contract: 'escrow', method: 'refund', args: [], sender: alice },
      { op: 'call', contract: 'escrow', method: 'release', args: [], sender: alice },
      { op: 'call', contract: 'escrow', method: 'get_state', args: [], sender: alice },
      { op: 'call', contract: 'escrow', method: 'parties', args: [], sender: alice },
      { op: 'balance', of: bob },
      { op: 'balance', of: { ref: 'escrow' } },
    ],
  },
  ballot: {
    balances: {},
    steps: [
      { op: 'deploy', name: 'ballot', file: 'examples/ballot.py', args: [['red', 'green']], sender: alice },
      { op: 'call', contract: 'ballot', method: 'give_right_to_vote', args: [bob], sender: alice },
      { op: 'call', contract: 'ballot', method: 'give_right_to_vote', args: [carol], sender: alice },
      { op: 'call', contract: 'ballot', method: 'delegate', args: [carol], sender: bob },
      { op: 'call', contract: 'ballot', method: 'delegate', args: [bob], sender: carol },
      { op: 'call', contract: 'ballot', method: 'vote', args: [1], sender: carol },
      { op: 'call', contract: 'ballot', method: 'vote', args: [0], sender: alice },
      { op: 'call', contract: 'ballot', method: 'results', args: [], sender: alice },
      { op: 'call', contract: 'ballot', method: 'winner_name', args: [], sender: alice },
      { op: 'call', contract: 'ballot', method: 'voter', args: [carol], sender: alice },
    ],
  },
  auction: {
    balances: { [bob]: 1000, [carol]: 1000 },
    steps: [
      { op: 'deploy', name: 'auction', file: 'examples/auction.py', args: [alice, 5], sender: alice },
      { op: 'call', contract: 'auction', method: 'bid', args: [], sender: bob, value: 10 },
      { op: 'call', contract: 'auction', method: 'bid', args: [], sender: carol, value: 10 },
      { op: 'call', contract: 'auction', method: 'bid', args: [], sender: carol, value: 30 },
      { op: 'call', contract: 'auction', method: 'bid', args: [], sender: bob, value: 31 },
      { op: 'call', contract: 'auction', method: 'withdraw', args: [], sender: bob },
      { op: 'call', contract: 'auction', method: 'end_auction', args: [], sender: carol },
      { op: 'mine', blocks: 5 },
      { op: 'call', contract: 'auction', method: 'end_auction', args: [], sender: carol },
      { op: 'call', contract: 'auction', method: 'withdraw', args: [], sender: carol },
      { op: 'call', contract: 'auction', method: 'highest_bid_of', args: [], sender: carol },
      { op: 'balance', of: alice },
      { op: 'balance', of: bob },
      { op: 'balance', of: carol },
    ],
  },
  vault: {
    balances: {},
    steps: [
      { op: 'deploy', name: 'token', file: 'examples/token.py', args: [500], sender: alice },
      { op: 'deploy', name: 'vault', file: 'examples/vault.py', args: [{ ref: 'token' }], sender: alice },
      { op: 'call', contract: 'token', method: 'approve', args: [{ ref: 'vault' }, 300], sender: alice },
      { op: 'call', contract: 'vault', method: 'deposit', args: [120], sender: alice },
      { op: 'call', contract: 'token', method: 'transfer', args: [{ ref: 'vault' }, 30], sender: alice },
      { op: 'call', contract: 'vault', method: 'deposit', args: [100], sender: alice },
      { op: 'call', contract: 'vault', method: 'pause', args: [], sender: alice },
      { op: 'call', contract: 'vault', method: 'deposit', args: [1], sender: alice },
      { op: 'call', contract: 'vault', method: 'withdraw', args: [33], sender: alice },
      { op: 'call', contract: 'vault', method: 'value_of', args: [alice], sender: bob },
      { op: 'call', contract: 'token', method: 'balance_of', args: [{ ref: 'vault' }], sender: bob },
    ],
  },
};

describe('differential: TVM and CPython agree on every example', () => {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(name, () => {
      const py = runInCPython(scenario);
      const vm = runInTvm(scenario);
      // Sanity: the scenario exercises both successes and reverts.
      expect(py.some((r) => r.ok) && py.some((r) => !r.ok)).toBe(true);
      expect(vm).toEqual(py);
    });
  }
});
