// The state of a Chiron chain after each block, and the state transition: a pure function
// of the parent's state and the block (see docs/consensus-engine.md, "The state transition").
// Everything a node decides about a block — is it valid, who may propose and sign the next
// one, which groups exist, what is final — is read from these states, so every honest node
// with the same blocks reaches the same conclusions, whatever order the network used.

import { verifyProposal, type Block, type BlockContext, type BlockProposal, endorsementMessage, isEquivocation, proposalHash, proposerMessage } from '../consensus/block.ts';
import { bytesEqual, toHex } from '../consensus/bytes.ts';
import { ConsensusError } from '../consensus/errors.ts';
import { beaconMessageAfter } from '../consensus/beacon.ts';
import { findCheckpoint, type Checkpoint, type EndorsedBlock } from '../consensus/fork-choice.ts';
import { gisFromPlan, gisHash, makeGroupBlock } from '../consensus/group-block.ts';
import { isGroupBuildHeight, planGroup, selectValidationGroup, slotRandom } from '../consensus/group-selection.ts';
import { applyHealthEvents, type HealthBook, type HealthEvent, EMPTY_HEALTH } from '../consensus/health.ts';
import { annulMiner, EMPTY_REGISTRY, getMiner, isActiveAt, minerIdOf, refundMiner, registerMiner, slashMiner, totalStake, type MinerId, type MinerRegistry } from '../consensus/miners.ts';
import { checkDealing, CryptoError, groupKey, PublicKey, qualify, type Dealing } from '../crypto/index.ts';
import { decodePayload, encodeItem, encodePayload, itemId, minerOpMessage } from './codec.ts';
import { ExecutionError, type ExecutionContext, type Executor, type RegistryOp } from './executor.ts';
import type { Genesis } from './genesis.ts';
import { genesisAccount, genesisRegistry, popMessage } from './genesis.ts';
import { aggregateShares, groupRecord, pendingContext, type GroupRecord, type PendingGroup } from './groups.ts';
import type { Memo } from './memo.ts';
import type { ConsensusItem, Payload, SignerCertificate } from './types.ts';

export interface ChainState<S> {
  readonly height: number;
  /** Hex of the block hash (the genesis hash at height 0). */
  readonly id: string;
  readonly hash: Uint8Array;
  readonly parentId: string | null;
  readonly random: Uint8Array;
  readonly proposalHash: Uint8Array;
  /** The group that signed this block ('' for the genesis). */
  readonly groupId: string;
  readonly proposer: string;
  readonly priority: number;
  /** totalG from the genesis (2.1.5). */
  readonly weight: bigint;
  readonly registry: MinerRegistry;
  readonly health: HealthBook;
  readonly ledger: S;
  /** Miner operations applied per key (the nonce the next one must carry). */
  readonly opNonces: ReadonlyMap<string, number>;
  /** With the registry contract: the account that owns each miner's record (empty without). */
  readonly minerAccounts: MinerAccounts;
  /** Established groups not yet retired, in creation order. */
  readonly groups: readonly GroupRecord[];
  readonly pending: readonly PendingGroup[];
  /** Registry and health of recent heights, for planning groups at r − syncDepth. */
  readonly snapshots: readonly { readonly height: number; readonly registry: MinerRegistry; readonly health: HealthBook }[];
  /** The chain's blocks of the last checkpoint cycles (what the checkpoint rule reads). */
  readonly recent: readonly EndorsedBlock[];
  readonly settledCycle: number;
  readonly checkpoint: Checkpoint | null;
  /** `${proposer}:${height}` of punished equivocations (punished once). */
  readonly punished: ReadonlySet<string>;
  /** What happened in this block, for logs and tests. */
  readonly events: readonly ChainEvent[];
}

export type ChainEvent =
  | { readonly kind: 'group-planned'; readonly group: string; readonly members: number }
  | { readonly kind: 'group-established'; readonly group: string; readonly qualified: number; readonly excluded: readonly string[] }
  | { readonly kind: 'group-failed'; readonly group: string; readonly reason: string }
  | { readonly kind: 'equivocation-punished'; readonly proposer: string; readonly height: number; readonly slashed: bigint }
  | { readonly kind: 'checkpoint'; readonly height: number; readonly cycle: number; readonly endorsers: number; readonly groups: number }
  | { readonly kind: 'false-accusation'; readonly accuser: string; readonly group: string }
  /** A registration the registry contract recorded but the engine did not admit (bad key or proof): never a candidate. */
  | { readonly kind: 'registration-ignored'; readonly account: string; readonly reason: string };

/**
 * Who owns which record of the registry contract, both ways: the contract names miners by
 * account, the engine by miner id (the hash of the BLS key). An entry lives from the
 * registration the engine admitted to the refund.
 */
export interface MinerAccounts {
  readonly byAccount: ReadonlyMap<string, MinerId>;
  readonly byMiner: ReadonlyMap<MinerId, string>;
}

const NO_ACCOUNTS: MinerAccounts = Object.freeze({ byAccount: new Map<string, MinerId>(), byMiner: new Map<MinerId, string>() });

/** Everything the transition needs besides the states: one per chain, shared by its nodes. */
export interface ChainRules<S> {
  readonly genesis: Genesis;
  readonly executor: Executor<S>;
  readonly memo: Memo;
}

export function genesisState<S>(rules: ChainRules<S>): ChainState<S> {
  const { genesis } = rules;
  const { registry, accounts } = rules.executor.minerRegistry ? genesisFromContract(rules) : { registry: genesisRegistry(genesis.params, genesis.miners), accounts: NO_ACCOUNTS };
  const groups = genesis.groups.map((g) => groupRecord(g.block, g.commitments, genesis.params.epochLength));
  return Object.freeze({
    height: 0,
    id: toHex(genesis.hash),
    hash: genesis.hash,
    parentId: null,
    random: genesis.random,
    proposalHash: genesis.hash,
    groupId: '',
    proposer: '',
    priority: 0,
    weight: 0n,
    registry,
    health: EMPTY_HEALTH,
    ledger: rules.executor.genesis(),
    opNonces: new Map<string, number>(),
    minerAccounts: accounts,
    groups,
    pending: [],
    snapshots: [{ height: 0, registry, health: EMPTY_HEALTH }],
    recent: [],
    settledCycle: -1,
    checkpoint: null,
    punished: new Set<string>(),
    events: [],
  });
}

// ---- who works in a slot ----

export interface SlotDuty {
  readonly height: number;
  readonly slotRandom: Uint8Array;
  /** The validation group, or null when no group is active (the slot cannot produce a block). */
  readonly group: GroupRecord | null;
}

/** Slot `height` on top of `parent`: its random and its validation group. */
export function slotDuty<S>(rules: ChainRules<S>, parent: ChainState<S>, height: number): SlotDuty {
  const rand = slotRandom(parent.random, parent.height, height);
  const { params } = rules.genesis;
  let group = selectValidationGroup(parent.groups.map(asWindow), params, height, rand);
  if (!group) {
    // No group active (every group of an epoch failed to build): the last generation to
    // retire keeps working until a successor activates, instead of halting the chain.
    // Our rule; the whitepaper does not say. Chosen by the same PRG among that generation.
    const last = Math.max(...parent.groups.filter((g) => g.deactivationHeight <= height).map((g) => g.deactivationHeight), -1);
    const generation = parent.groups.filter((g) => g.deactivationHeight === last).map(asWindow);
    const stretched = generation.map((g) => ({ ...g, gis: { ...g.gis, deactivationEpoch: Number.MAX_SAFE_INTEGER } }));
    group = selectValidationGroup(stretched, params, height, rand);
  }
  return { height, slotRandom: rand, group: group ? group.record : null };
}

function asWindow(record: GroupRecord) {
  return { hash: record.block.hash, gis: record.block.gis, record };
}

/** The context block.ts judges a proposal in; throws if the slot has no group or the proposer cannot propose. */
export function blockContext<S>(rules: ChainRules<S>, parent: ChainState<S>, proposal: BlockProposal): { ctx: BlockContext; group: GroupRecord } {
  const { params } = rules.genesis;
  const duty = slotDuty(rules, parent, proposal.height);
  if (!duty.group) throw new ConsensusError('invalid-block', `slot ${proposal.height} has no active group`);
  const miner = parent.registry.miners.get(proposal.proposer);
  if (!miner || miner.type !== 'proposer' || !isActiveAt(miner, proposal.height) || miner.stake <= 0n) {
    throw new ConsensusError('invalid-proposer', `block ${proposal.height}: ${proposal.proposer.slice(0, 16)}… is not an active proposer`);
  }
  const ctx: BlockContext = {
    params,
    genesisTimeMs: rules.genesis.genesisTimeMs,
    parent: { height: parent.height, hash: parent.hash, random: parent.random },
    proposer: { publicKey: miner.publicKey, stake: miner.stake },
    totalStake: totalStake(parent.registry, 'proposer', proposal.height),
    expectedProposers: params.expectedProposers,
    group: { id: duty.group.block.hash, publicKey: duty.group.block.groupPublicKey },
  };
  return { ctx, group: duty.group };
}

// ---- the transition ----

/** A candidate's checks before signing: the proposal rules and the payload. Memoised by proposal. */
export function checkCandidate<S>(rules: ChainRules<S>, parent: ChainState<S>, proposal: BlockProposal, proposerSignature: Uint8Array, payload: Uint8Array): Body<S> {
  const hash = proposalHash(proposal);
  return rules.memo.value(`candidate:${toHex(hash)}:${toHex(proposerSignature)}`, () => {
    const { ctx, group } = blockContext(rules, parent, proposal);
    const priority = verifyProposal(proposal, hash, proposerSignature, ctx);
    const body = applyBody(rules, parent, proposal, group, priority, payload);
    const root = rules.executor.stateRoot(body.ledger);
    if (!bytesEqual(root, proposal.stateRoot)) invalid(`block ${proposal.height}: state root ${toHex(proposal.stateRoot)}, executing the block gives ${toHex(root)}`);
    return body;
  });
}

/** What the proposer puts in its header: the executor's root of the state after the payload. */
export function stateRootAfter<S>(rules: ChainRules<S>, parent: ChainState<S>, head: Pick<BlockProposal, 'height' | 'timestamp' | 'proposer'>, group: GroupRecord, payload: Uint8Array): Uint8Array {
  return rules.executor.stateRoot(bodyAfter(rules, parent, head, group, payload).ledger);
}

/** What a payload does to the state, without any check of the proposal (the proposer's view). */
export function bodyAfter<S>(rules: ChainRules<S>, parent: ChainState<S>, head: Pick<BlockProposal, 'height' | 'timestamp' | 'proposer'>, group: GroupRecord, payload: Uint8Array): Body<S> {
  return applyBody(rules, parent, head, group, 0, payload);
}

/** The state after `block` on `parent`; throws ConsensusError/ExecutionError if the block is invalid. */
export function applyBlock<S>(rules: ChainRules<S>, parent: ChainState<S>, block: Block): ChainState<S> {
  return rules.memo.value(`state:${toHex(block.hash)}`, () => {
    // The proposal rules and the payload (memoised: members checked it as a candidate), then
    // the group's two signatures: together exactly verifyBlock's checks, each done once.
    const body = checkCandidate(rules, parent, block.header, block.header.proposerSignature, block.payload);
    const h = block.header;
    const gpk = body.group.block.groupPublicKey;
    if (!rules.memo.verify(gpk, beaconMessageAfter(parent.random, parent.height, h.height), h.randomSignature)) {
      throw new ConsensusError('invalid-random', `block ${h.height}: the random signature is not the group's on the slot's beacon message`);
    }
    if (!rules.memo.verify(gpk, endorsementMessage(block.proposalHash), h.groupSignature)) {
      throw new ConsensusError('invalid-group-signature', `block ${h.height}: the group signature does not verify under the group key`);
    }
    return finishBlock(rules, parent, block, body);
  });
}

/** What a proposal's payload does to the state, before the group's signatures exist. */
export interface Body<S> {
  readonly priority: number;
  readonly group: GroupRecord;
  readonly payload: Payload;
  readonly registry: MinerRegistry;
  readonly health: HealthBook;
  readonly ledger: S;
  readonly opNonces: ReadonlyMap<string, number>;
  readonly minerAccounts: MinerAccounts;
  readonly pending: readonly PendingGroup[];
  readonly punished: ReadonlySet<string>;
  readonly events: readonly ChainEvent[];
}

/** A mutable working copy of the parts of a state a payload changes. */
interface Draft<S> {
  registry: MinerRegistry;
  health: HealthEvent[];
  ledger: S;
  opNonces: Map<string, number>;
  /** Replaced, never changed in place (changes are rare; the parent's maps are shared). */
  accounts: MinerAccounts;
  pending: PendingGroup[];
  punished: Set<string>;
  events: ChainEvent[];
}

function newDraft<S>(parent: ChainState<S>): Draft<S> {
  return {
    registry: parent.registry,
    health: [],
    ledger: parent.ledger,
    opNonces: new Map(parent.opNonces),
    accounts: parent.minerAccounts,
    pending: [...parent.pending],
    punished: new Set(parent.punished),
    events: [],
  };
}

function invalid(message: string): never {
  throw new ConsensusError('invalid-block', message);
}

function applyBody<S>(rules: ChainRules<S>, parent: ChainState<S>, proposal: Pick<BlockProposal, 'height' | 'timestamp' | 'proposer'>, group: GroupRecord, priority: number, payloadBytes: Uint8Array): Body<S> {
  const payload = decodePayloadOrInvalid(payloadBytes);
  const draft = newDraft(parent);
  const exec = executionContext(proposal, parent);
  const signers = applyCertificate(rules, parent, payload.parentCertificate, draft);
  for (const [i, item] of payload.items.entries()) {
    try {
      applyItem(rules, parent, exec, item, draft);
    } catch (e) {
      if (e instanceof ConsensusError || e instanceof ExecutionError) invalid(`block ${proposal.height}: item ${i} (${item.kind}): ${e.message}`);
      throw e;
    }
  }
  draft.ledger = rules.executor.execute(draft.ledger, payload.transactions, exec).state;
  // The registry contract's changes made by the block's transactions, after all of them (a
  // registration takes effect from this height, as a miner-op item's does).
  const contract = rules.executor.minerRegistry;
  if (contract) applyRegistryOps(rules, proposal.height, contract.blockOps(draft.ledger), draft);
  payRewards(rules, proposal.proposer, signers, parent.minerAccounts, draft);
  draft.health.push({ kind: 'proposed', miner: proposal.proposer });
  return Object.freeze({
    priority,
    group,
    payload,
    registry: draft.registry,
    health: applyHealthEvents(parent.health, draft.health),
    ledger: draft.ledger,
    opNonces: draft.opNonces,
    minerAccounts: draft.accounts,
    pending: draft.pending,
    punished: draft.punished,
    events: draft.events,
  });
}

/**
 * A proposer's payload on `parent`: the certificate, the pool items that still apply (in
 * pool order; an item that no longer applies is skipped, not fatal), then the executor's
 * section built on the resulting ledger.
 */
export function buildPayload<S>(
  rules: ChainRules<S>,
  parent: ChainState<S>,
  proposal: Pick<BlockProposal, 'height' | 'timestamp' | 'proposer'>,
  certificate: SignerCertificate | null,
  items: readonly ConsensusItem[],
  txPool: readonly Uint8Array[],
  maxBytes: number,
): Uint8Array {
  const draft = newDraft(parent);
  let cert = certificate;
  try {
    applyCertificate(rules, parent, cert, draft);
  } catch (e) {
    if (!(e instanceof ConsensusError)) throw e;
    cert = null;
  }
  const exec = executionContext(proposal, parent);
  const chosen: ConsensusItem[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = encodeItem(item).length;
    if (size + bytes > maxBytes / 2) break; // half the block for consensus records at most
    const saved = { registry: draft.registry, ledger: draft.ledger, opNonces: new Map(draft.opNonces), accounts: draft.accounts, pending: [...draft.pending], punished: new Set(draft.punished), events: [...draft.events] };
    try {
      applyItem(rules, parent, exec, item, draft);
      chosen.push(item);
      size += bytes;
    } catch (e) {
      if (!(e instanceof ConsensusError || e instanceof ExecutionError)) throw e;
      Object.assign(draft, saved);
    }
  }
  const transactions = rules.executor.buildSection(draft.ledger, txPool, exec, maxBytes - size);
  return encodePayload({ parentCertificate: cert, items: chosen, transactions });
}

function decodePayloadOrInvalid(bytes: Uint8Array): Payload {
  try {
    return decodePayload(bytes);
  } catch (e) {
    return invalid(`payload: ${(e as Error).message}`);
  }
}

export function executionContext(proposal: Pick<BlockProposal, 'height' | 'timestamp' | 'proposer'>, parent: { readonly random: Uint8Array; readonly minerAccounts?: MinerAccounts }): ExecutionContext {
  // The block's own random is only known once the group signs; contracts see the parent's.
  // Fees go where the proposer's reward goes (rewardAccount).
  return { height: proposal.height, timestamp: proposal.timestamp, proposer: rewardAccount(parent.minerAccounts ?? NO_ACCOUNTS, proposal.proposer), random: toHex(parent.random) };
}

/**
 * Where a miner's rewards and fees go: with the registry contract, the account that
 * registered it (where its stake came from and its refund goes); otherwise, and for a miner
 * without a record, its miner id (the executor's account 'zv' + id).
 */
export function rewardAccount(accounts: MinerAccounts, id: MinerId): string {
  return accounts.byMiner.get(id) ?? id;
}

/** Checks the parent's signer certificate; health events for its group; returns the signers' miner ids. */
function applyCertificate<S>(rules: ChainRules<S>, parent: ChainState<S>, cert: SignerCertificate | null, draft: Draft<S>): string[] {
  if (!cert || parent.height === 0) {
    if (cert) invalid('the genesis has no signers to certify');
    return [];
  }
  const group = findGroup(parent, parent.groupId);
  if (!verifyCertificate(rules, group, parent.proposalHash, cert)) invalid(`the certificate of the parent's signers does not verify`);
  const signed = new Set(cert.signers);
  const ids: string[] = [];
  group.block.gis.members.forEach((m, i) => {
    if (signed.has(i + 1)) {
      ids.push(m.id);
      draft.health.push({ kind: 'signed', miner: m.id });
    } else draft.health.push({ kind: 'missed', miner: m.id });
  });
  return ids;
}

/** A certificate verifies when its signers are members and their aggregate signs the proposal. */
export function verifyCertificate<S>(rules: ChainRules<S>, group: GroupRecord, hashOfProposal: Uint8Array, cert: SignerCertificate): boolean {
  const n = group.block.gis.members.length;
  // Distinct, ascending members: a repeated id would let one member pass for several.
  if (cert.signers.length < group.threshold || cert.signers.some((s, i) => s < 1 || s > n || (i > 0 && s <= cert.signers[i - 1]!))) return false;
  const key = rules.memo.value(`agg:${group.id}:${cert.signers.join(',')}`, () => aggregateShares(group, cert.signers).toBytes());
  return rules.memo.verify(key, endorsementMessage(hashOfProposal), cert.aggregate);
}

function findGroup<S>(state: ChainState<S>, id: string): GroupRecord {
  const g = state.groups.find((x) => x.id === id);
  if (!g) throw new Error(`internal: group ${id} of block ${state.height} is not in its own state`);
  return g;
}

/** Mints the block reward; `accounts` (the parent's: who was a miner when the block began) name the recipients. */
function payRewards<S>(rules: ChainRules<S>, proposer: string, signers: readonly string[], accounts: MinerAccounts, draft: Draft<S>): void {
  const { blockReward, proposerSharePercent } = rules.genesis.params;
  const signerPart = signers.length > 0 ? (blockReward * BigInt(100 - proposerSharePercent)) / 100n : 0n;
  const each = signers.length > 0 ? signerPart / BigInt(signers.length) : 0n;
  // The proposer takes its share plus what does not divide evenly; with no certificate the
  // signers' part is not minted at all.
  const proposerPart = signers.length > 0 ? blockReward - each * BigInt(signers.length) : (blockReward * BigInt(proposerSharePercent)) / 100n;
  const { executor } = rules;
  if (proposerPart > 0n) draft.ledger = executor.credit(draft.ledger, rewardAccount(accounts, proposer), proposerPart);
  if (each > 0n) for (const s of signers) draft.ledger = executor.credit(draft.ledger, rewardAccount(accounts, s), each);
}

// ---- consensus items ----

function applyItem<S>(rules: ChainRules<S>, parent: ChainState<S>, exec: ExecutionContext, item: ConsensusItem, draft: Draft<S>): void {
  const { height } = exec;
  switch (item.kind) {
    case 'dealing':
      return recordDealing(rules, height, item.group, item.dealing, draft);
    case 'complaint': {
      const { index, group } = pendingOf(draft, item.group);
      if (height > group.complainUntil) invalid(`complaint after the complaint window (until ${group.complainUntil})`);
      const c = item.complaint;
      if (!group.dealings.some((d) => d.dealer === c.dealer)) invalid(`complaint against dealer ${c.dealer}, who has no recorded dealing`);
      if (!Number.isInteger(c.accuser) || c.accuser < 1 || c.accuser > group.gis.members.length) invalid(`complaint by ${c.accuser}, not a member`);
      if (group.complaints.some((x) => x.dealer === c.dealer && x.accuser === c.accuser)) invalid('complaint recorded twice');
      draft.pending[index] = { ...group, complaints: [...group.complaints, c] };
      return;
    }
    case 'group-seal': {
      const { index, group } = pendingOf(draft, item.group);
      if (group.seal) invalid('group sealed twice');
      const parentGroup = parent.groups.find((g) => g.id === group.parentId);
      if (!parentGroup) invalid('the parent group has retired');
      if (!rules.memo.verify(parentGroup.block.groupPublicKey, group.gisHash, item.parentSignature)) invalid("the seal is not the parent group's signature on the GIS");
      draft.pending[index] = { ...group, seal: item.parentSignature };
      return;
    }
    case 'equivocation':
      return punishEquivocation(rules, parent, exec, item.evidence.a, item.evidence.b, draft);
    case 'miner-op': {
      const contract = rules.executor.minerRegistry;
      if (contract) invalid(`miner operations are not consensus items on this chain: miners register, annul and take their refund through the registry contract at ${contract.address}, by transaction`);
      return applyMinerOp(rules, height, item.op, draft);
    }
  }
}

function pendingOf<S>(draft: Draft<S>, key: Uint8Array): { index: number; group: PendingGroup } {
  const hex = toHex(key);
  const index = draft.pending.findIndex((p) => p.key === hex);
  if (index < 0) invalid(`group ${hex.slice(0, 16)}… is not being built on this chain`);
  return { index, group: draft.pending[index]! };
}

function recordDealing<S>(rules: ChainRules<S>, height: number, key: Uint8Array, dealing: Dealing, draft: Draft<S>): void {
  const { index, group } = pendingOf(draft, key);
  if (height > group.dealUntil) invalid(`dealing after the dealing window (until ${group.dealUntil})`);
  const ctx = pendingContext(rules.memo, group);
  const check = checkDealingMemo(rules.memo, ctx, key, dealing);
  // Unsigned junk would let a proposer pad blocks at no risk; a signed faulty dealing is
  // evidence against its dealer and is kept (qualify excludes the dealer).
  if (check.status === 'unauthenticated') invalid(`dealing not signed by its dealer: ${check.reason}`);
  const id = check.status === 'valid' ? check.dealing.id : `faulty:${toHex(dealing.signature)}`;
  if (group.dealingIds.has(id)) invalid(`dealing of member ${dealing.dealer} recorded twice`);
  draft.pending[index] = { ...group, dealings: [...group.dealings, dealing], dealingIds: new Set([...group.dealingIds, id]) };
}

/** checkDealing, remembered by the dealing's full content (its item id). */
export function checkDealingMemo(memo: Memo, ctx: import('../crypto/index.ts').DkgContext, group: Uint8Array, dealing: Dealing) {
  return memo.value(`dealing:${itemId({ kind: 'dealing', group, dealing })}`, () => checkDealing(ctx, dealing));
}

function punishEquivocation<S>(rules: ChainRules<S>, parent: ChainState<S>, exec: ExecutionContext, a: { proposal: BlockProposal; signature: Uint8Array }, b: { proposal: BlockProposal; signature: Uint8Array }, draft: Draft<S>): void {
  if (!isEquivocation(a.proposal, b.proposal)) invalid('equivocation evidence: not two different proposals of one proposer at one height');
  const key = `${a.proposal.proposer}:${a.proposal.height}`;
  if (draft.punished.has(key)) invalid('equivocation already punished');
  const miner = draft.registry.miners.get(a.proposal.proposer);
  if (!miner) invalid('equivocation evidence against an unknown miner');
  for (const s of [a, b]) {
    if (!rules.memo.verify(miner.publicKey, proposerMessage(proposalHash(s.proposal)), s.signature)) invalid('equivocation evidence: a proposal signature does not verify');
  }
  if (a.proposal.height > parent.height + 1 + rules.genesis.params.epochLength * 100) invalid('equivocation evidence from the future');
  const pct = BigInt(rules.genesis.params.equivocationSlashPercent);
  const amount = miner.stake > 0n ? (miner.stake * pct) / 100n || 1n : 0n;
  let taken: bigint;
  if (rules.executor.minerRegistry) {
    taken = slashThroughContract(rules, exec, miner.id, amount, draft);
  } else {
    const slash = slashMiner(draft.registry, miner.id, amount);
    draft.registry = slash.registry;
    taken = slash.taken;
  }
  draft.punished.add(key);
  draft.health.push({ kind: 'punished', miner: miner.id });
  draft.events.push({ kind: 'equivocation-punished', proposer: miner.id, height: a.proposal.height, slashed: taken });
}

/**
 * The stake is in the registry contract: the engine calls its slash() (a system call, no
 * fee) and applies the MinerSlashed it answers with, as it applies every registry event.
 */
function slashThroughContract<S>(rules: ChainRules<S>, exec: ExecutionContext, id: MinerId, amount: bigint, draft: Draft<S>): bigint {
  const contract = rules.executor.minerRegistry!;
  const account = draft.accounts.byMiner.get(id);
  if (account === undefined) {
    // Refunded: the contract has no record left and the engine's stake is zero (as slashMiner
    // on a refunded miner, nothing is taken).
    if (getMiner(draft.registry, id).status !== 'refunded') throw new Error(`internal: miner ${id} holds a stake but no registry contract account`);
    return 0n;
  }
  if (amount === 0n) return 0n; // a stake already slashed to nothing: no call, nothing to take
  const slash = contract.slash(draft.ledger, account, amount, exec);
  draft.ledger = slash.state;
  applyRegistryOps(rules, exec.height, [slash.op], draft);
  return slash.op.taken;
}

function applyMinerOp<S>(rules: ChainRules<S>, height: number, op: import('./types.ts').MinerOp, draft: Draft<S>): void {
  const id = minerIdOf(op.publicKey);
  const expected = draft.opNonces.get(id) ?? 0;
  if (op.nonce !== expected) invalid(`miner operation nonce ${op.nonce}, expected ${expected}`);
  if (!rules.memo.verify(op.publicKey, minerOpMessage(op), op.signature)) invalid('miner operation signature does not verify');
  const { params } = rules.genesis;
  const { executor } = rules;
  if (op.kind === 'register') {
    draft.ledger = executor.debit(draft.ledger, id, op.stake);
    draft.registry = registerMiner(draft.registry, { publicKey: op.publicKey, type: op.minerType, stake: op.stake, height }, params);
  } else if (op.kind === 'annul') {
    getMiner(draft.registry, id);
    draft.registry = annulMiner(draft.registry, id, height);
  } else {
    const refund = refundMiner(draft.registry, id, height, params);
    draft.registry = refund.registry;
    draft.ledger = executor.credit(draft.ledger, id, refund.amount);
  }
  draft.opNonces.set(id, expected + 1);
}

// ---- the registry contract ----

/** The parts of a draft the registry contract's operations change. */
type RegistryDraft = Pick<Draft<unknown>, 'registry' | 'accounts' | 'events'>;

/** The genesis registry read from the contract's genesis enrolment, checked against the genesis. */
function genesisFromContract<S>(rules: ChainRules<S>): { registry: MinerRegistry; accounts: MinerAccounts } {
  const { genesis } = rules;
  const ops = rules.executor.minerRegistry!.genesisOps();
  if (!ops.some((op) => op.kind === 'configured')) throw new Error('genesis: the registry contract announced no configuration (MinersConfigured)');
  const d: RegistryDraft = { registry: EMPTY_REGISTRY, accounts: NO_ACCOUNTS, events: [] };
  applyRegistryOps(rules, 0, ops, d);
  for (const e of d.events) if (e.kind === 'registration-ignored') throw new Error(`genesis: the registration of ${e.account} in the registry contract is not admitted: ${e.reason}`);
  // The genesis groups were dealt from genesis.miners: the contract must hold exactly them.
  const expected = genesisRegistry(genesis.params, genesis.miners);
  if (d.registry.miners.size !== expected.miners.size) {
    throw new Error(`genesis: the registry contract enrolled ${d.registry.miners.size} miners, the genesis lists ${expected.miners.size}`);
  }
  for (const m of genesis.miners) {
    const id = minerIdOf(m.publicKey);
    const got = d.registry.miners.get(id);
    const account = d.accounts.byMiner.get(id);
    if (!got || got.type !== m.type || got.stake !== m.stake || account !== genesisAccount(m)) {
      throw new Error(`genesis: miner ${id} is a ${m.type} of stake ${m.stake} for ${genesisAccount(m)}; the registry contract has ${got ? `a ${got.type} of stake ${got.stake} for ${account}` : 'no such miner'}`);
    }
  }
  return { registry: d.registry, accounts: d.accounts };
}

/**
 * Applies the registry contract's operations, in order, to the engine's registry
 * (docs/system-contracts.md, "How the engine applies them"). A registration whose key or
 * proof of possession fails the engine's checks is recorded by the contract but never
 * admitted: later operations of its account change nothing here. Anything else the engine
 * refuses means the two disagree, which the contract's rules exclude: a bug, thrown as Error.
 */
function applyRegistryOps<S>(rules: ChainRules<S>, height: number, ops: readonly RegistryOp[], d: RegistryDraft): void {
  const { params } = rules.genesis;
  for (const op of ops) {
    if (op.height !== height) throw new Error(`internal: a registry operation (${op.kind}) of height ${op.height} in block ${height}`);
    if (op.kind === 'configured') {
      if (height !== 0) throw new Error(`internal: the registry contract was configured again at height ${height}`);
      if (op.minStake !== params.minStake || op.refundDelay !== params.refundDelay) {
        throw new Error(`genesis: the registry contract has min_stake ${op.minStake} and refund_delay ${op.refundDelay}; the consensus parameters say minStake ${params.minStake} and refundDelay ${params.refundDelay}`);
      }
      continue;
    }
    if (op.kind === 'registered') {
      admitRegistration(rules, height, op, d);
      continue;
    }
    const id = d.accounts.byAccount.get(op.account);
    if (id === undefined) continue; // a registration the engine did not admit
    const where = `registry contract and engine disagree on ${op.account} (miner ${id}) at height ${height}`;
    try {
      if (op.kind === 'annulled') {
        d.registry = annulMiner(d.registry, id, height);
      } else if (op.kind === 'refunded') {
        const refund = refundMiner(d.registry, id, height, params);
        if (refund.amount !== op.amount) throw new Error(`${where}: the contract refunded ${op.amount}, the engine's stake is ${refund.amount}`);
        d.registry = refund.registry;
        d.accounts = withoutAccount(d.accounts, op.account, id);
      } else {
        const slash = slashMiner(d.registry, id, op.amount);
        if (slash.taken !== op.taken) throw new Error(`${where}: the contract took ${op.taken}, the engine would take ${slash.taken}`);
        d.registry = slash.registry;
      }
    } catch (e) {
      if (e instanceof ConsensusError) throw new Error(`${where}: ${e.message}`);
      throw e;
    }
  }
}

function admitRegistration<S>(rules: ChainRules<S>, height: number, op: Extract<RegistryOp, { kind: 'registered' }>, d: RegistryDraft): void {
  let reason: string | null = null;
  try {
    PublicKey.fromBytes(op.publicKey); // curve, subgroup, identity: what the contract cannot check
  } catch (e) {
    if (!(e instanceof CryptoError)) throw e;
    reason = `the BLS public key is invalid: ${e.message}`;
  }
  if (reason === null && !rules.memo.verify(op.publicKey, popMessage(op.account, op.publicKey), op.pop)) {
    reason = 'the proof of possession is not the key\'s signature on pop_message(account, key)';
  }
  if (reason === null) {
    if (d.accounts.byAccount.has(op.account)) throw new Error(`internal: the registry contract registered ${op.account} twice`);
    try {
      d.registry = registerMiner(d.registry, { publicKey: op.publicKey, type: op.minerType, stake: op.stake, height }, rules.genesis.params);
      d.accounts = withAccount(d.accounts, op.account, minerIdOf(op.publicKey));
      return;
    } catch (e) {
      if (!(e instanceof ConsensusError)) throw e;
      reason = e.message;
    }
  }
  d.events.push({ kind: 'registration-ignored', account: op.account, reason });
}

function withAccount(accounts: MinerAccounts, account: string, id: MinerId): MinerAccounts {
  const byAccount = new Map(accounts.byAccount).set(account, id);
  const byMiner = new Map(accounts.byMiner).set(id, account);
  return Object.freeze({ byAccount, byMiner });
}

function withoutAccount(accounts: MinerAccounts, account: string, id: MinerId): MinerAccounts {
  const byAccount = new Map(accounts.byAccount);
  const byMiner = new Map(accounts.byMiner);
  byAccount.delete(account);
  byMiner.delete(id);
  return Object.freeze({ byAccount, byMiner });
}

// ---- after the body: groups, checkpoints, bookkeeping ----

function finishBlock<S>(rules: ChainRules<S>, parent: ChainState<S>, block: Block, body: Body<S>): ChainState<S> {
  const { params } = rules.genesis;
  const height = block.header.height;
  const events = [...body.events];
  let health = body.health;
  let pending = [...body.pending];
  const snapshots = [...parent.snapshots.filter((s) => s.height >= height - params.syncDepth - 1), { height, registry: body.registry, health }];
  if (isGroupBuildHeight(params, height)) {
    const planned = planNewGroup(rules, parent, height, block.random, body.group);
    if (planned) {
      pending.push(planned);
      events.push({ kind: 'group-planned', group: planned.key, members: planned.gis.members.length });
    }
  }
  let groups = [...parent.groups];
  const settled = settlePending(rules, groups, pending, height);
  pending = settled.pending;
  groups = settled.groups;
  events.push(...settled.events);
  if (settled.joined.length > 0) health = applyHealthEvents(health, settled.joined.map((miner) => ({ kind: 'joined-group' as const, miner })));
  const recent = [...parent.recent, { height, hash: block.hash, groupId: body.group.block.hash }];
  const cp = settleCheckpoints(rules, parent, groups, recent, height);
  events.push(...cp.events);
  const keepFrom = (cp.settledCycle + 1) * params.checkpointInterval;
  return Object.freeze({
    height,
    id: toHex(block.hash),
    hash: block.hash,
    parentId: parent.id,
    random: block.random,
    proposalHash: block.proposalHash,
    groupId: body.group.id,
    proposer: block.header.proposer,
    priority: body.priority,
    weight: parent.weight + BigInt(body.priority),
    registry: body.registry,
    health,
    ledger: body.ledger,
    opNonces: body.opNonces,
    minerAccounts: body.minerAccounts,
    groups: retain(groups, keepFrom),
    pending,
    snapshots,
    recent: recent.filter((b) => b.height >= keepFrom),
    settledCycle: cp.settledCycle,
    checkpoint: cp.checkpoint,
    punished: body.punished,
    events,
  });
}

/**
 * Groups to keep: those a settling checkpoint cycle may still count, and always the latest
 * generation to retire (the fallback of slotDuty when no group is active).
 */
function retain(groups: readonly GroupRecord[], keepFrom: number): GroupRecord[] {
  const last = Math.max(...groups.map((g) => g.deactivationHeight), -1);
  return groups.filter((g) => g.deactivationHeight > keepFrom || g.deactivationHeight === last);
}

function planNewGroup<S>(rules: ChainRules<S>, parent: ChainState<S>, height: number, random: Uint8Array, parentGroup: GroupRecord): PendingGroup | null {
  const { params } = rules.genesis;
  const at = height - params.syncDepth;
  // The newest snapshot at or below r − d (a failed slot leaves its height without one).
  const snap = [...parent.snapshots].reverse().find((s) => s.height <= at) ?? parent.snapshots[0]!;
  let plan;
  try {
    plan = planGroup(snap.registry, snap.health, params, height, random);
  } catch (e) {
    if (e instanceof ConsensusError && e.code === 'not-enough-candidates') return null;
    throw e;
  }
  const gis = gisFromPlan(plan);
  const hash = gisHash(gis);
  return Object.freeze({
    key: toHex(hash),
    gis,
    gisHash: hash,
    threshold: plan.threshold,
    parentId: parentGroup.id,
    dealUntil: height + params.dkgDealWindow,
    complainUntil: height + params.dkgDealWindow + params.dkgComplaintWindow,
    activationHeight: plan.lifecycle.activationHeight,
    dealings: [],
    dealingIds: new Set<string>(),
    complaints: [],
    seal: null,
  });
}

/** Establishes the pending groups whose windows closed and whose seal is recorded; drops the hopeless. */
function settlePending<S>(rules: ChainRules<S>, groups: GroupRecord[], pending: PendingGroup[], height: number) {
  const events: ChainEvent[] = [];
  const joined: string[] = [];
  const still: PendingGroup[] = [];
  for (const p of pending) {
    if (height >= p.activationHeight) {
      events.push({ kind: 'group-failed', group: p.key, reason: p.seal ? 'not settled before activation' : 'the parent group never sealed it' });
      continue;
    }
    if (height < p.complainUntil || !p.seal) {
      still.push(p);
      continue;
    }
    // Keyed by everything qualify reads: the recorded dealings and the complaints themselves.
    const complaints = p.complaints.map((c) => `${c.dealer}/${c.accuser}/${toHex(c.sharedSecret)}/${toHex(c.proof)}`).join(',');
    const result = rules.memo.value(`qualify:${p.key}:${[...p.dealingIds].join(',')}:${complaints}`, () => establish(rules, groups, p));
    if (result.kind === 'failed') {
      events.push({ kind: 'group-failed', group: p.key, reason: result.reason });
      continue;
    }
    groups.push(result.record);
    joined.push(...result.record.block.gis.members.map((m) => m.id));
    events.push({ kind: 'group-established', group: result.record.id, qualified: result.qualified, excluded: result.excluded });
    for (const accuser of result.falseAccusers) events.push({ kind: 'false-accusation', accuser, group: result.record.id });
  }
  return { groups, pending: still, events, joined };
}

type Established =
  | { kind: 'ok'; record: GroupRecord; qualified: number; excluded: string[]; falseAccusers: string[] }
  | { kind: 'failed'; reason: string };

function establish<S>(rules: ChainRules<S>, groups: readonly GroupRecord[], p: PendingGroup): Established {
  const ctx = pendingContext(rules.memo, p);
  const q = qualify(ctx, p.dealings, p.complaints);
  if (q.qualified.length < p.threshold) return { kind: 'failed', reason: `${q.qualified.length} qualified dealers, need ${p.threshold}` };
  const key = groupKey(ctx, q.qualified);
  const parent = groups.find((g) => g.id === p.parentId);
  const block = makeGroupBlock({
    gis: p.gis,
    parentSignature: p.seal,
    prehash: parent ? parent.block.hash : new Uint8Array(32),
    groupPublicKey: key.publicKey.toBytes(),
  });
  return {
    kind: 'ok',
    record: groupRecord(block, key.commitments, rules.genesis.params.epochLength, q.qualified.map((d) => d.dealing)),
    qualified: q.qualified.length,
    excluded: q.excluded.map((e) => `${p.gis.members[e.dealer - 1]?.id ?? e.dealer}: ${e.reason}`),
    falseAccusers: q.falseAccusers.map((f) => p.gis.members[f.accuser - 1]?.id ?? String(f.accuser)),
  };
}

function settleCheckpoints<S>(rules: ChainRules<S>, parent: ChainState<S>, groups: readonly GroupRecord[], recent: readonly EndorsedBlock[], height: number) {
  const { params } = rules.genesis;
  const I = params.checkpointInterval;
  const upTo = Math.floor(height / I) - 2;
  let checkpoint = parent.checkpoint;
  const events: ChainEvent[] = [];
  for (let n = parent.settledCycle + 1; n <= upTo; n++) {
    const blocks = recent.filter((b) => b.height >= n * I && b.height < (n + 2) * I);
    const cycleGroups = groups.filter((g) => g.activationHeight < (n + 1) * I && g.deactivationHeight > n * I).map((g) => g.block.hash);
    const cp = findCheckpoint(params, n, blocks, cycleGroups);
    if (cp) {
      checkpoint = cp;
      events.push({ kind: 'checkpoint', height: cp.height, cycle: n, endorsers: cp.endorsers, groups: cp.groups });
    }
  }
  return { checkpoint, settledCycle: Math.max(parent.settledCycle, upTo), events };
}

