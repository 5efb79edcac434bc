// The genesis of a Chiron chain: parameters, the miners registered at height 0, the genesis
// groups and the coin allocations, hashed into the genesis hash; the genesis random value is
// derived from that hash. Genesis groups are configuration, as on the real chain: their keys
// are dealt once by the genesis ceremony (one dealer, Shamir with Feldman commitments, so
// every member can check its share), and every later group comes from the dealerless DKG.
//
// `makeDevGenesis` builds one from a seed for simulations and the devnet: every key is
// derived from the seed, so it is for development only, never for value.

import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, toHex, u64be } from '../consensus/bytes.ts';
import { encodeGroupBlock, makeGroupBlock, type GroupBlock, type GroupMember } from '../consensus/group-block.ts';
import { selectGroupMembers } from '../consensus/group-selection.ts';
import { EMPTY_HEALTH, rankCandidates } from '../consensus/health.ts';
import { ConsensusError } from '../consensus/errors.ts';
import { EMPTY_REGISTRY, minerIdOf, registerMiner, type MinerRegistry, type MinerType } from '../consensus/miners.ts';
import { thresholdFor, validateParams, type ConsensusParams } from '../consensus/params.ts';
import { commitPolynomial, randomPolynomial, SecretKey, seededRandom, shareFor, type PublicKey } from '../crypto/index.ts';

export interface GenesisMiner {
  readonly publicKey: Uint8Array;
  readonly type: MinerType;
  readonly stake: bigint;
  /**
   * The account that owns the miner's record in the registry contract (it alone may annul
   * it, and gets the refund). Default: 'zv' + the miner id, the account the genesis
   * allocation and the rewards already use (genesisAccount).
   */
  readonly account?: string;
  /**
   * The key's proof of possession for that account: its BLS signature on
   * popMessage(account, publicKey). Needed when the registry is a contract (the engine checks
   * it when it reads the genesis enrolment); makeDevGenesis always makes one.
   */
  readonly pop?: Uint8Array;
}

export interface GenesisGroup {
  readonly block: GroupBlock;
  /** The public polynomial C_0..C_{t-1} (C_0 = the group key): members' public key shares. */
  readonly commitments: readonly PublicKey[];
}

export interface Genesis {
  readonly params: ConsensusParams;
  readonly chainId: number;
  /** Slot 0's time; block r carries genesisTimeMs + r·slotMs. */
  readonly genesisTimeMs: number;
  readonly miners: readonly GenesisMiner[];
  readonly groups: readonly GenesisGroup[];
  /** Coin by account (64 hex), in account order. */
  readonly allocations: readonly (readonly [string, bigint])[];
  readonly hash: Uint8Array;
  readonly random: Uint8Array;
}

/** What one miner keeps secret: its key and its shares of the genesis groups. */
export interface MinerSecrets {
  readonly key: SecretKey;
  /** Group id (hex of the group block hash) → this miner's member id and secret share. */
  readonly genesisShares: ReadonlyMap<string, { readonly member: number; readonly share: SecretKey }>;
}

export interface DevGenesisOptions {
  readonly params: ConsensusParams;
  readonly seed: string;
  readonly proposers: number;
  readonly verifiers: number;
  /** Genesis groups (default 2); they work epochs [0, validPeriodEpochs); disjoint when there are enough verifiers. */
  readonly groups?: number;
  readonly chainId?: number;
  readonly genesisTimeMs?: number;
  /** Stake of every genesis miner (default 10 × minStake). */
  readonly stake?: bigint;
  /** Coin of every miner's account (default 1000 × minStake). */
  readonly balance?: bigint;
}

export function makeDevGenesis(options: DevGenesisOptions): { genesis: Genesis; secrets: MinerSecrets[] } {
  const params = validateParams(options.params);
  const stake = options.stake ?? params.minStake * 10n;
  const balance = options.balance ?? params.minStake * 1000n;
  const keys: SecretKey[] = [];
  const miners: GenesisMiner[] = [];
  const total = options.proposers + options.verifiers;
  for (let i = 0; i < total; i++) {
    const key = SecretKey.random(seededRandom(`${options.seed}/miner/${i}`));
    keys.push(key);
    const publicKey = key.publicKey().toBytes();
    const pop = key.sign(popMessage(genesisAccount({ publicKey }), publicKey)).toBytes();
    miners.push({ publicKey, type: i < options.proposers ? 'proposer' : 'verifier', stake, pop });
  }
  const registry = genesisRegistry(params, miners);
  const shares = keys.map(() => new Map<string, { member: number; share: SecretKey }>());
  const groups: GenesisGroup[] = [];
  const byId = new Map(keys.map((k, i) => [minerIdOf(miners[i]!.publicKey), i]));
  const groupCount = options.groups ?? 2;
  const verifiers = miners.filter((m) => m.type === 'verifier').map((m) => ({ id: minerIdOf(m.publicKey), publicKey: m.publicKey }));
  // With enough verifiers the ceremony seats disjoint groups (in genesis order), so one
  // group's failure touches no other; otherwise each group is a PRG sample of all of them.
  const disjoint = verifiers.length >= groupCount * params.groupSize;
  for (let g = 0; g < groupCount; g++) {
    const seed = sha256(new TextEncoder().encode(`${options.seed}/genesis-group/${g}`));
    const members = disjoint
      ? verifiers.slice(g * params.groupSize, (g + 1) * params.groupSize)
      : selectGroupMembers(rankCandidates(registry, EMPTY_HEALTH, params, 0), params, seed).map((m) => ({ id: m.id, publicKey: m.publicKey }));
    const dealt = dealGenesisGroup(params, members, seed, seededRandom(`${options.seed}/genesis-dealer/${g}`));
    groups.push(dealt.group);
    const id = toHex(dealt.group.block.hash);
    members.forEach((m, j) => shares[byId.get(m.id)!]!.set(id, { member: j + 1, share: dealt.shares[j]! }));
  }
  const allocations = miners.map((m) => [minerIdOf(m.publicKey), balance] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const genesis = sealGenesis({ params, chainId: options.chainId ?? 1, genesisTimeMs: options.genesisTimeMs ?? 0, miners, groups, allocations });
  return { genesis, secrets: keys.map((key, i) => ({ key, genesisShares: shares[i]! })) };
}

/** The account of a genesis miner's registry record: its own, or 'zv' + its miner id. */
export function genesisAccount(m: Pick<GenesisMiner, 'publicKey' | 'account'>): string {
  return m.account ?? 'zv' + minerIdOf(m.publicKey);
}

const POP_DOMAIN = new TextEncoder().encode('ZV-MINER-POP-v1');

/**
 * What a miner's proof of possession signs (docs/system-contracts.md, the registry contract's
 * pop_message): "ZV-MINER-POP-v1" ‖ the account's 32 address bytes ‖ the 48-byte key. It binds
 * the key to the account that registers it, so no one registers a key they do not hold.
 */
export function popMessage(account: string, publicKey: Uint8Array): Uint8Array {
  if (!/^zv[0-9a-f]{64}$/.test(account)) throw new ConsensusError('invalid-argument', `not an account address ('zv' + 64 hex): ${JSON.stringify(account).slice(0, 80)}`);
  const out = new Uint8Array(POP_DOMAIN.length + 32 + publicKey.length);
  out.set(POP_DOMAIN, 0);
  for (let i = 0; i < 32; i++) out[POP_DOMAIN.length + i] = parseInt(account.slice(2 + 2 * i, 4 + 2 * i), 16);
  out.set(publicKey, POP_DOMAIN.length + 32);
  return out;
}

/** The registry at height 0: every genesis miner registered (their stake is minted, not debited). */
export function genesisRegistry(params: ConsensusParams, miners: readonly GenesisMiner[]): MinerRegistry {
  let registry = EMPTY_REGISTRY;
  for (const m of miners) registry = registerMiner(registry, { publicKey: m.publicKey, type: m.type, stake: m.stake, height: 0 }, params);
  return registry;
}

function dealGenesisGroup(params: ConsensusParams, members: readonly GroupMember[], seed: Uint8Array, rng: (n: number) => Uint8Array) {
  const t = thresholdFor(params, members.length);
  const coeffs = randomPolynomial(t, rng);
  const commitments = commitPolynomial(coeffs);
  const block = makeGroupBlock({
    gis: { type: 'verifier', createdAt: 0, seed, activationEpoch: 0, deactivationEpoch: params.validPeriodEpochs, members },
    parentSignature: null,
    prehash: new Uint8Array(32),
    groupPublicKey: commitments[0]!.toBytes(),
  });
  return { group: { block, commitments }, shares: members.map((_, j) => shareFor(coeffs, j + 1)) };
}

/** Computes the genesis hash and random over every field. */
export function sealGenesis(fields: Omit<Genesis, 'hash' | 'random'>): Genesis {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [enc.encode('ZV-GENESIS-v1'), enc.encode(fields.params.name), u64be(fields.chainId), u64be(fields.genesisTimeMs)];
  // A miner's account is hashed only when it is not the default, so genesis hashes made
  // before accounts existed stay the same. Its proof of possession is not hashed: a BLS
  // signature is unique, so the key and the account determine the only one that verifies,
  // and the engine verifies it when it reads the genesis enrolment.
  for (const m of fields.miners) {
    parts.push(m.publicKey, enc.encode(m.type), enc.encode(m.stake.toString()));
    if (m.account !== undefined) parts.push(enc.encode(`account:${m.account}`));
  }
  for (const g of fields.groups) {
    parts.push(encodeGroupBlock(g.block));
    for (const c of g.commitments) parts.push(c.toBytes());
  }
  for (const [account, amount] of fields.allocations) parts.push(enc.encode(`${account}:${amount}`));
  const hash = sha256(concatBytes(parts));
  const random = sha256(concatBytes([enc.encode('ZV-GENESIS-RANDOM-v1'), hash]));
  return Object.freeze({ ...fields, hash, random });
}
