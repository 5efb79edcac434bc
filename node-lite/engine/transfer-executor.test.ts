import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { SecretKey, seededRandom, verifyBytes } from '../crypto/index.ts';
import { minerIdOf } from '../consensus/miners.ts';
import { ExecutionError, type ExecutionContext } from './executor.ts';
import {
  TRANSFER_BODY_BYTES,
  TRANSFER_BYTES,
  U128_MAX,
  TransferExecutor,
  accountOf,
  decodeTransfer,
  encodeTransfer,
  signTransfer,
  totalSupply,
  transferId,
  type TransferFields,
  type TransferState,
} from './transfer-executor.ts';

const CHAIN = 7;
const rng = seededRandom('transfer-executor-test');
const [alice, bob, carol, miner] = [0, 1, 2, 3].map(() => SecretKey.random(rng)) as [SecretKey, SecretKey, SecretKey, SecretKey];
const pk = (sk: SecretKey): Uint8Array => sk.publicKey().toBytes();
const acct = (sk: SecretKey): string => accountOf(pk(sk));
/** The 32 account bytes of a key, for the `to` field. */
const to = (sk: SecretKey): Uint8Array => sha256(pk(sk));
const ctx: ExecutionContext = { height: 1, timestamp: 3000, proposer: acct(miner), random: '00' };

const allocations: [string, bigint][] = [
  [acct(alice), 1000n],
  [acct(bob), 500n],
];

function executor(verify?: (p: Uint8Array, m: Uint8Array, s: Uint8Array) => boolean): TransferExecutor {
  return new TransferExecutor({ chainId: CHAIN, allocations, ...(verify ? { verify } : {}) });
}

function tx(sk: SecretKey, fields: Partial<Omit<TransferFields, 'from'>>): Uint8Array {
  return signTransfer(sk, { to: to(carol), amount: 10n, fee: 1n, nonce: 0, chainId: CHAIN, ...fields });
}

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ExecutionError);
    return (e as ExecutionError).code;
  }
  throw new Error('expected an ExecutionError');
}

function errorOf(f: () => unknown): ExecutionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ExecutionError);
    return e as ExecutionError;
  }
  throw new Error('expected an ExecutionError');
}

function snapshot(s: TransferState): unknown {
  return { balances: [...s.balances], nonces: [...s.nonces], transfers: s.transfers };
}

// Signed once: BLS signing and verification dominate the run time.
const a0 = tx(alice, { to: to(bob), amount: 100n, fee: 3n, nonce: 0 });
const a1 = tx(alice, { to: to(carol), amount: 50n, fee: 2n, nonce: 1 });
const b0 = tx(bob, { to: to(alice), amount: 20n, fee: 0n, nonce: 0 });

describe('transfer encoding', () => {
  it('round-trips, names accounts like miner ids and ids transfers by SHA-256 of their bytes', () => {
    const decoded = decodeTransfer(a0);
    expect(decoded).toMatchObject({ amount: 100n, fee: 3n, nonce: 0, chainId: CHAIN });
    expect(decoded.from).toEqual(pk(alice));
    expect(decoded.to).toEqual(to(bob));
    expect(a0.length).toBe(TRANSFER_BYTES);
    expect(encodeTransfer(decoded)).toEqual(a0);
    expect(acct(alice)).toBe(minerIdOf(pk(alice)));
    expect(transferId(a0)).toMatch(/^[0-9a-f]{64}$/);
    expect(transferId(a0)).not.toBe(transferId(a1));
    // The signature covers the domain-separated body.
    const msg = new Uint8Array([...new TextEncoder().encode('ZV-TRANSFER-v1'), ...a0.subarray(0, TRANSFER_BODY_BYTES)]);
    expect(verifyBytes(pk(alice), msg, decoded.signature)).toBe(true);
  });

  it('rejects every truncation, trailing bytes and each out-of-range field, naming the field', () => {
    for (let n = 0; n < TRANSFER_BYTES; n++) expect(code(() => decodeTransfer(a0.subarray(0, n)))).toBe('malformed-transaction');
    expect(code(() => decodeTransfer(new Uint8Array([...a0, 0])))).toBe('malformed-transaction');

    const zeroAmount = a0.slice();
    zeroAmount.fill(0, 80, 96);
    expect(errorOf(() => decodeTransfer(zeroAmount)).message).toMatch(/'amount'/);
    const hugeNonce = a0.slice();
    hugeNonce[104] = 0x01; // 2^56 > MAX_SAFE_INTEGER
    expect(errorOf(() => decodeTransfer(hugeNonce)).message).toMatch(/'nonce'/);
    const infinityKey = a0.slice();
    infinityKey[0] = 0xc0;
    expect(errorOf(() => decodeTransfer(infinityKey)).message).toMatch(/'from'/);
    const uncompressedSig = a0.slice();
    uncompressedSig[TRANSFER_BODY_BYTES]! &= 0x7f;
    expect(errorOf(() => decodeTransfer(uncompressedSig)).message).toMatch(/'signature'/);
  });

  it('refuses to encode or sign out-of-range fields', () => {
    const good = decodeTransfer(a0);
    expect(errorOf(() => encodeTransfer({ ...good, amount: U128_MAX + 1n })).message).toMatch(/'amount'/);
    expect(errorOf(() => encodeTransfer({ ...good, fee: -1n })).message).toMatch(/'fee'/);
    expect(errorOf(() => encodeTransfer({ ...good, nonce: 1.5 })).message).toMatch(/'nonce'/);
    expect(errorOf(() => encodeTransfer({ ...good, chainId: 2 ** 32 })).message).toMatch(/'chainId'/);
    expect(errorOf(() => encodeTransfer({ ...good, to: new Uint8Array(31) })).message).toMatch(/'to'/);
    expect(errorOf(() => encodeTransfer({ ...good, signature: new Uint8Array(96) })).message).toMatch(/'signature'/);
    expect(code(() => signTransfer(alice, { to: to(bob), amount: 0n, fee: 0n, nonce: 0, chainId: CHAIN }))).toBe('malformed-transaction');
  });
});

describe('checkTransaction', () => {
  const ex = executor();
  const g = ex.genesis();

  it('accepts a valid transfer and returns its id', () => {
    expect(ex.checkTransaction(g, a0)).toBe(transferId(a0));
  });

  it('gives each reason its code', () => {
    expect(code(() => ex.checkTransaction(g, tx(alice, { chainId: CHAIN + 1 })))).toBe('wrong-chain');
    expect(code(() => ex.checkTransaction(g, a1))).toBe('nonce-gap');
    // amount alone fits, amount + fee does not
    expect(code(() => ex.checkTransaction(g, tx(bob, { amount: 500n, fee: 1n })))).toBe('insufficient-funds');
    expect(code(() => ex.checkTransaction(g, tx(carol, {})))).toBe('insufficient-funds');
    const badSig = a0.slice();
    badSig[TRANSFER_BODY_BYTES + 50]! ^= 1;
    expect(code(() => ex.checkTransaction(g, badSig))).toBe('bad-signature');
    const changedAmount = a0.slice();
    changedAmount[95]! ^= 1; // 100 -> 101: the signature no longer covers the body
    expect(code(() => ex.checkTransaction(g, changedAmount))).toBe('bad-signature');
    for (let n = 0; n < TRANSFER_BYTES; n += 7) expect(code(() => ex.checkTransaction(g, a0.subarray(0, n)))).toBe('malformed-transaction');
  });

  it('rejects a replay once the transfer is applied', () => {
    const { state } = ex.execute(g, ex.buildSection(g, [a0], ctx, 10_000), ctx);
    expect(code(() => ex.checkTransaction(state, a0))).toBe('stale-nonce');
    expect(ex.checkTransaction(state, a1)).toBe(transferId(a1));
  });

  it('uses the verifier it is given', () => {
    let calls = 0;
    const counting = executor((p, m, s) => {
      calls++;
      return verifyBytes(p, m, s);
    });
    counting.checkTransaction(counting.genesis(), a0);
    expect(calls).toBe(1);
    const lax = executor(() => true);
    const badSig = a0.slice();
    badSig[TRANSFER_BODY_BYTES + 50]! ^= 1;
    expect(lax.checkTransaction(lax.genesis(), badSig)).toBe(transferId(badSig));
  });
});

describe('execute', () => {
  const ex = executor();
  const g = ex.genesis();
  const section = ex.buildSection(g, [a0, a1, b0], ctx, 10_000);

  it('moves coin, pays fees to the proposer, advances nonces and conserves the supply', () => {
    const { state, included } = ex.execute(g, section, ctx);
    expect(included).toEqual([transferId(a0), transferId(a1), transferId(b0)]);
    expect(ex.balance(state, acct(alice))).toBe(1000n - 103n - 52n + 20n);
    expect(ex.balance(state, acct(bob))).toBe(500n + 100n - 20n);
    expect(ex.balance(state, acct(carol))).toBe(50n);
    expect(ex.balance(state, acct(miner))).toBe(5n);
    expect(totalSupply(state)).toBe(totalSupply(g));
    expect(ex.nextNonce(state, acct(alice))).toBe(2);
    expect(ex.nextNonce(state, acct(bob))).toBe(1);
    expect(state.transfers).toBe(3);
  });

  it('rejects a section holding a bad transaction, naming its index, and leaves the input state as it was', () => {
    const before = snapshot(g);
    const after = ex.execute(g, section, ctx).state;
    const afterSnapshot = snapshot(after);
    const lax = executor(() => true); // builds sections without checking signatures, so one can be forged
    const replay = lax.buildSection(g, [a0], ctx, 10_000);
    const err = errorOf(() => ex.execute(after, replay, ctx));
    expect(err.code).toBe('stale-nonce');
    expect(err.message).toMatch(/transaction 0/);

    const forged = lax.buildSection(g, [a0, b0], ctx, 10_000);
    forged[forged.length - 1]! ^= 1; // b0's signature, index 1
    const e2 = errorOf(() => ex.execute(g, forged, ctx));
    expect(e2.code).toBe('bad-signature');
    expect(e2.message).toMatch(/transaction 1/);

    expect(snapshot(g)).toEqual(before);
    expect(snapshot(after)).toEqual(afterSnapshot);
  });

  it('rejects a section that repeats a transaction', () => {
    const framed = ex.buildSection(g, [a0], ctx, 10_000);
    const body = framed.subarray(4);
    const doubled = new Uint8Array([0, 0, 0, 2, ...body, ...body]);
    expect(code(() => ex.execute(g, doubled, ctx))).toBe('stale-nonce');
  });

  it('rejects every truncation of the section, trailing bytes and an inflated count as malformed', () => {
    const lax = executor(() => true);
    for (let n = 0; n < section.length; n++) expect(code(() => lax.execute(g, section.subarray(0, n), ctx))).toBe('malformed-section');
    expect(code(() => lax.execute(g, new Uint8Array([...section, 0]), ctx))).toBe('malformed-section');
    expect(code(() => lax.execute(g, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]), ctx))).toBe('malformed-section');
    // framing intact, content not a transfer
    expect(code(() => lax.execute(g, new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 42]), ctx))).toBe('malformed-transaction');
    expect(lax.execute(g, new Uint8Array(4), ctx).state).toEqual(g);
  });

  it('rejects a transfer that would push a balance past 2^128-1', () => {
    const lax = executor(() => true);
    const rich = lax.credit(lax.genesis(), acct(carol), U128_MAX - 5n);
    const toCarol = tx(alice, { to: to(carol), amount: 10n, fee: 0n, nonce: 0 });
    expect(lax.buildSection(rich, [toCarol], ctx, 10_000)).toEqual(new Uint8Array(4)); // skipped
    const framed = new Uint8Array([0, 0, 0, 1, 0, 0, 0, TRANSFER_BYTES, ...toCarol]);
    expect(code(() => lax.execute(rich, framed, ctx))).toBe('overflow');
  });
});

describe('buildSection', () => {
  const ex = executor();
  const g = ex.genesis();

  it('skips a transfer that no longer applies and keeps the rest in order', () => {
    // Alice has 1000: after a big transfer the next one cannot be paid; Bob's still applies.
    const big = tx(alice, { to: to(bob), amount: 990n, fee: 0n, nonce: 0 });
    const after = tx(alice, { to: to(carol), amount: 10n, fee: 1n, nonce: 1 });
    const section = ex.buildSection(g, [big, after, b0, a0], ctx, 10_000);
    const { included, state } = ex.execute(g, section, ctx);
    expect(included).toEqual([transferId(big), transferId(b0)]); // a0: nonce 0 already spent by `big`
    expect(ex.balance(state, acct(alice))).toBe(10n + 20n);
  });

  it('never exceeds maxBytes and takes as many as fit', () => {
    const lax = executor(() => true);
    const one = 4 + 4 + TRANSFER_BYTES;
    const two = one + 4 + TRANSFER_BYTES;
    expect(lax.buildSection(g, [a0, a1, b0], ctx, two).length).toBe(two);
    expect(lax.buildSection(g, [a0, a1, b0], ctx, two - 1).length).toBe(one);
    expect(lax.buildSection(g, [a0, a1, b0], ctx, 4)).toEqual(new Uint8Array(4));
    expect(code(() => lax.buildSection(g, [a0], ctx, 3))).toBe('invalid-argument');
    expect(code(() => lax.buildSection(g, [a0], { ...ctx, proposer: 'nope' }, 1000))).toBe('invalid-argument');
  });

  it('is deterministic: the same inputs give identical sections and equal states', () => {
    const one = executor(() => true);
    const other = new TransferExecutor({ chainId: CHAIN, allocations: new Map([...allocations].reverse()), verify: () => true });
    expect(one.genesis()).toEqual(other.genesis());
    const pool = [b0, a1, a0, a1, b0];
    const s1 = one.buildSection(one.genesis(), pool, ctx, 10_000);
    const s2 = other.buildSection(other.genesis(), pool, ctx, 10_000);
    expect(s2).toEqual(s1);
    const r1 = one.execute(one.genesis(), s1, ctx);
    const r2 = other.execute(other.genesis(), s2, ctx);
    expect(snapshot(r2.state)).toEqual(snapshot(r1.state));
    expect(r2.included).toEqual(r1.included);
  });
});

describe('credit, debit and genesis', () => {
  const ex = executor();
  const g = ex.genesis();

  it('change the supply by exactly the amount and leave the input state unchanged', () => {
    const credited = ex.credit(g, acct(miner), 40n);
    expect(totalSupply(credited)).toBe(totalSupply(g) + 40n);
    const debited = ex.debit(credited, acct(alice), 1000n);
    expect(totalSupply(debited)).toBe(totalSupply(g) - 960n);
    expect(ex.balance(debited, acct(alice))).toBe(0n);
    expect(debited.balances.has(acct(alice))).toBe(false); // zero is not stored
    expect(ex.balance(g, acct(alice))).toBe(1000n);
    expect(ex.balance(g, acct(miner))).toBe(0n);
  });

  it('refuse to overdraw, overflow or take bad arguments', () => {
    expect(code(() => ex.debit(g, acct(bob), 501n))).toBe('insufficient-funds');
    expect(code(() => ex.credit(g, acct(bob), U128_MAX))).toBe('overflow');
    expect(code(() => ex.credit(g, acct(bob), -1n))).toBe('invalid-argument');
    expect(code(() => ex.balance(g, acct(bob).toUpperCase()))).toBe('invalid-argument');
  });

  it('rejects a bad chain id or allocation', () => {
    expect(code(() => new TransferExecutor({ chainId: -1, allocations: [] }))).toBe('invalid-argument');
    expect(code(() => new TransferExecutor({ chainId: 1, allocations: [[acct(bob), 1n], [acct(bob), 0n]] }))).toBe('invalid-argument');
    expect(code(() => new TransferExecutor({ chainId: 1, allocations: [['ab', 1n]] }))).toBe('invalid-argument');
    expect(code(() => new TransferExecutor({ chainId: 1, allocations: [[acct(bob), U128_MAX + 1n]] }))).toBe('invalid-argument');
  });
});
