// The devnet's ten development accounts: fixed, publicly known keys (derived from their
// labels), prefunded at genesis. Anyone can sign with them: they exist for local testing
// only and must never hold anything of value on a real network.

import { AccountKey } from '../chain/keys.ts';

export const DEV_ACCOUNT_COUNT = 10;
/** One million coins of 10^9 base units each. */
export const DEV_ACCOUNT_BALANCE = 10n ** 15n;

export interface DevAccount {
  readonly index: number;
  readonly key: AccountKey;
  readonly address: string;
  /** The 32-byte Ed25519 seed as hex: what `zv keys import` takes. */
  readonly privateKey: string;
}

export function devAccounts(count = DEV_ACCOUNT_COUNT): DevAccount[] {
  return Array.from({ length: count }, (_, index) => {
    const key = AccountKey.fromLabel(`devnet/${index}`);
    return { index, key, address: key.address, privateKey: Buffer.from(key.seed).toString('hex') };
  });
}

/** The key that signs the devnet's dev transactions (set balance, time travel): not prefunded. */
export function devAuthority(): AccountKey {
  return AccountKey.fromLabel('devnet/authority');
}
