import { describe, expect, it } from 'vitest';
import { AccountKey } from './keys.ts';
import { decodeTx, encodeTx, maxCost, signedParts, signTx, TxError, txHash, txSender, verifyTx, type TxFields } from './tx.ts';

const alice = AccountKey.fromLabel('alice');
const bob = AccountKey.fromLabel('bob');
const base = { chainId: 7, nonce: 3, gasLimit: 100_000, gasPrice: 2n, value: 5n };
const bodies: TxFields['body'][] = [
  { kind: 'transfer', to: bob.address },
  { kind: 'deploy', code: new Uint8Array([1, 2, 3, 4]), args: new Uint8Array([9]) },
  { kind: 'call', to: bob.address, method: 'transfer_from', args: new Uint8Array([7, 7]) },
];

describe('transactions', () => {
  it('round-trips every kind, signed by the sender, with a stable hash', () => {
    for (const body of bodies) {
      const { tx, bytes, hash } = signTx(alice, { ...base, body });
      const back = decodeTx(bytes);
      expect(back).toEqual(tx);
      expect(encodeTx(back)).toEqual(bytes);
      expect(verifyTx(back)).toBe(true);
      expect(txSender(back)).toBe(alice.address);
      expect(txHash(bytes)).toBe(hash);
    }
    expect(maxCost({ ...base })).toBe(200_005n);
  });

  it('rejects every truncation, trailing bytes, bad magic and unknown kinds with TxError', () => {
    for (const body of bodies) {
      const { bytes } = signTx(alice, { ...base, body });
      for (let n = 0; n < bytes.length; n++) expect(() => decodeTx(bytes.subarray(0, n))).toThrow(TxError);
      expect(() => decodeTx(Uint8Array.from([...bytes, 0]))).toThrow(/trailing/);
    }
    const { bytes } = signTx(alice, { ...base, body: bodies[0]! });
    const bad = bytes.slice();
    bad[0] = 0;
    expect(() => decodeTx(bad)).toThrow(/magic/);
    const kind = bytes.slice();
    kind[4 + 1 + 4 + 32 + 8 + 8 + 8 + 16] = 9;
    expect(() => decodeTx(kind)).toThrow(/unknown transaction kind 9/);
  });

  it('a changed byte breaks the signature; a foreign signature does not verify', () => {
    const { bytes } = signTx(alice, { ...base, body: bodies[0]! });
    const changed = bytes.slice();
    changed[60] ^= 1; // inside the nonce
    expect(verifyTx(decodeTx(changed))).toBe(false);
    const other = signTx(bob, { ...base, body: bodies[0]! }).tx;
    expect(verifyTx({ ...decodeTx(bytes), signature: other.signature })).toBe(false);
  });

  it('refuses to encode out-of-range fields and bad method names', () => {
    expect(() => signTx(alice, { ...base, value: 1n << 128n, body: bodies[0]! })).toThrow(/value/);
    expect(() => signTx(alice, { ...base, nonce: -1, body: bodies[0]! })).toThrow(/nonce/);
    expect(() => signTx(alice, { ...base, body: { kind: 'call', to: bob.address, method: '1bad', args: new Uint8Array() } })).toThrow(/identifier/);
    expect(() => signTx(alice, { ...base, body: { kind: 'transfer', to: 'zvnope' } })).toThrow(/address/);
  });
});

describe('the signed message from the bytes', () => {
  it('is the unsigned encoding: the same as encoding the decoded transaction again', () => {
    const key = AccountKey.fromLabel('parts');
    const bodies: TxFields['body'][] = [
      { kind: 'transfer', to: key.address },
      { kind: 'deploy', code: new Uint8Array([1, 2, 3]), args: new Uint8Array([4]) },
      { kind: 'call', to: key.address, method: 'transfer_all', args: new Uint8Array([9, 9]) },
      { kind: 'dev', op: { op: 'set-balance', address: key.address, amount: 2n ** 100n } },
      { kind: 'dev', op: { op: 'increase-time', seconds: 86_400 } },
    ];
    for (const body of bodies) {
      const t = signTx(key, { chainId: 3, nonce: 7, gasLimit: 50_000, gasPrice: 2n, value: 2n ** 90n, body });
      const decoded = decodeTx(t.bytes);
      expect(Buffer.from(signedParts(decoded, t.bytes)[1]).equals(Buffer.from(signedParts(decoded)[1]))).toBe(true);
      expect(Buffer.from(encodeTx(decoded)).equals(Buffer.from(t.bytes))).toBe(true);
    }
  });
});
