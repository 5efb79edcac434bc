// One Chiron miner: its keys, its view of the chain, and the protocol it runs over a
// Transport. Many of them run in one process in a simulation (sim.ts), each with its own
// blocks, pools and tip, talking only through the network. See docs/consensus-engine.md.
//
// Per slot r (at genesisTime + r·slotMs on the transport's clock):
//  - every eligible proposer builds a candidate on its tip and sends it to the slot's
//    validation group;
//  - at signAt into the slot every member signs the best valid candidate it has (one per
//    height, never two) and the slot's beacon message, and sends both partials to the
//    collectors: the candidate's proposer and two aggregators of the group;
//  - a collector with t partials recovers the group signature and the random signature,
//    checks them against the group key (checking each partial only when the recovered
//    signature fails: bad partials are then found, dropped and counted against their senders),
//    assembles the block with a certificate of its signers and broadcasts it;
//  - every node verifies and applies each block (chain-state.ts), keeps every valid fork,
//    follows the heaviest chain (2.1.5) and never reorganises below its latest checkpoint.
// Between slots members run the DKG of the groups being built on their chain, parent members
// seal them, and proposers record dealings, complaints, seals and equivocation evidence.

import { beaconMessage } from '../consensus/beacon.ts';
import { endorsementMessage, makeBlock, payloadHash, proposalHash as computeProposalHash, proposerMessage, slotTimestamp, type Block, type BlockProposal } from '../consensus/block.ts';
import { compareBytes, toHex } from '../consensus/bytes.ts';
import { ConsensusError } from '../consensus/errors.ts';
import { compareChains, findForkPoint, reorgAllowed, type BlockRef, type ChainView } from '../consensus/fork-choice.ts';
import { isActiveAt, minerIdOf, totalStake } from '../consensus/miners.ts';
import { compareProposals, proposalPriority, proveProposer, type RankedProposal } from '../consensus/proposer.ts';
import { CryptoError, aggregateSignatures, createDealing, assembleDealing, receiveShare, recoverSignature, secretKeyShare, seededRandom, Signature, SecretKey, vrfOutput, type Complaint, type Dealing } from '../crypto/index.ts';
import type { Transport, NodeId } from '../net/transport.ts';
import { NetworkError } from '../net/transport.ts';
import { CodecError, decodeMessage, encodeMessage, itemId } from './codec.ts';
import { applyBlock, buildPayload, checkCandidate, checkDealingMemo, slotDuty, stateRootAfter, verifyCertificate, type ChainRules, type ChainState } from './chain-state.ts';
import { ExecutionError } from './executor.ts';
import type { MinerSecrets } from './genesis.ts';
import { pendingContext, publicShare, type GroupRecord, type PendingGroup } from './groups.ts';
import type { Candidate, ConsensusItem, Endorsement, Message, SignerCertificate } from './types.ts';
import { LIMITS } from './types.ts';

/** Faults a scenario can give a node (honest nodes have none). */
export interface Behaviour {
  /** Never signs, deals or seals (a member that is online but idle). */
  readonly silent?: boolean;
  /** Sends partial signatures that do not verify. */
  readonly badPartials?: boolean;
  /** As a proposer, signs two different candidates per slot and sends one to each half of the group. */
  readonly equivocate?: boolean;
  /** As a dealer, sends one member a share that does not match the commitments. */
  readonly badDealing?: boolean;
  /** Every slot, sends malformed, oversized and wrong-round messages to its peers. */
  readonly spam?: boolean;
}

export interface NodeOptions<S> {
  readonly rules: ChainRules<S>;
  readonly secrets: MinerSecrets;
  readonly behaviour?: Behaviour;
  /** Seeds this node's own randomness (dealings, batch weights): a run is reproducible. */
  readonly seed: string;
  /** Called once for every block this node accepts (not for blocks given to `restore`): persistence. */
  readonly onBlockApplied?: (block: Block, certificate: SignerCertificate, state: ChainState<S>) => void;
  /**
   * Where a proposer takes executor transactions from, best first, for a block on `parent`
   * (default: its own pool, filled by gossip). The devnet gives all its in-process proposers
   * one mempool, as if gossip were perfect.
   */
  readonly txSource?: (parent: ChainState<S>) => readonly Uint8Array[];
}

/** Counters a scenario asserts on. */
export interface NodeStatsView {
  blocksApplied: number;
  invalidBlocks: number;
  reorgs: number;
  rejectedReorgs: number;
  candidatesSigned: number;
  blocksAssembled: number;
  badPartials: number;
  malformed: number;
  equivocationsSeen: number;
  syncRequests: number;
}

interface StoredBlock<S> {
  readonly block: Block;
  readonly state: ChainState<S>;
  /** As received (served to peers in sync); used in a payload only when it verified. */
  readonly certificate: SignerCertificate;
  readonly certificateValid: boolean;
}

interface Collecting {
  readonly candidate: Candidate;
  readonly hash: Uint8Array;
  readonly group: GroupRecord;
  readonly slotRandom: Uint8Array;
  readonly partials: Map<number, Endorsement>;
  done: boolean;
}

const SIGN_AT = 0.4; // members sign 40% into the slot: candidates have arrived, the block still fits
const RESEND_SLOTS = 3; // DKG records not yet on the chain are sent again this often
const MAX_POOL = 20_000;
const MAX_ORPHANS = 512;

export class ChironNode<S> {
  readonly id: string;
  readonly stats: NodeStatsView = { blocksApplied: 0, invalidBlocks: 0, reorgs: 0, rejectedReorgs: 0, candidatesSigned: 0, blocksAssembled: 0, badPartials: 0, malformed: 0, equivocationsSeen: 0, syncRequests: 0 };
  private readonly rules: ChainRules<S>;
  private readonly key: SecretKey;
  private readonly behaviour: Behaviour;
  private readonly seed: string;
  private readonly onBlockApplied: NodeOptions<S>['onBlockApplied'];
  private readonly txSource: NodeOptions<S>['txSource'];
  private restoring = false;
  private readonly blocks = new Map<string, StoredBlock<S>>();
  private readonly genesisState: ChainState<S>;
  private tip: ChainState<S>;
  /** Canonical block id by height (undefined for failed slots). */
  private heightIndex: (string | undefined)[] = [];
  private readonly orphans = new Map<string, { block: Block; certificate: SignerCertificate; from: NodeId }>();
  private transport: Transport | null = null;
  // Slot work (volatile: lost on restart, as a real node's memory would be).
  private candidates = new Map<number, Map<string, { candidate: Candidate; rank: RankedProposal }>>();
  private collecting = new Map<string, Collecting>();
  private early = new Map<string, Endorsement[]>();
  /** Items for proposals, with the slot they arrived in (they expire: see forgetOld). */
  private itemPool = new Map<string, { item: ConsensusItem; slot: number }>();
  private txPool = new Map<string, Uint8Array>();
  private gisPartials = new Map<string, Map<number, Uint8Array>>();
  private seenProposals = new Map<string, { proposal: BlockProposal; signature: Uint8Array }>();
  // Keys and DKG work (kept across restarts: a real node keeps its keys on disk).
  private readonly shares = new Map<string, { member: number; share: SecretKey }>();
  /** Heights this member signed (slashing protection: never two candidates at one height, restarts included). */
  private readonly signedAt = new Map<number, string>();
  private readonly myDealings = new Map<string, Dealing>();
  private readonly sentAt = new Map<string, number>();
  /** Per group being built: how many recorded dealings this member has opened; complaints to make. */
  private readonly sharesOpened = new Map<string, number>();
  private readonly complaints = new Map<string, Complaint>();
  /** Final blocks this node has seen (height → id): they must never change. */
  readonly finalSeen = new Map<number, string>();
  finalViolations = 0;

  constructor(options: NodeOptions<S>, genesisState: ChainState<S>) {
    this.rules = options.rules;
    this.key = options.secrets.key;
    this.id = minerIdOf(this.key.publicKey().toBytes());
    this.behaviour = options.behaviour ?? {};
    this.seed = options.seed;
    this.onBlockApplied = options.onBlockApplied;
    this.txSource = options.txSource;
    for (const [group, s] of options.secrets.genesisShares) this.shares.set(group, s);
    this.genesisState = genesisState;
    this.tip = genesisState;
    this.blocks.set(genesisState.id, { block: null as unknown as Block, state: genesisState, certificate: { signers: [], aggregate: new Uint8Array(96) }, certificateValid: false });
    this.heightIndex[0] = genesisState.id;
  }

  // ---- public view ----

  get head(): ChainState<S> {
    return this.tip;
  }

  /** The canonical chain from the genesis (excluded) to the tip. */
  chain(): ChainState<S>[] {
    const out: ChainState<S>[] = [];
    for (let s: ChainState<S> | undefined = this.tip; s && s.height > 0; s = s.parentId ? this.blocks.get(s.parentId)?.state : undefined) out.push(s);
    return out.reverse();
  }

  stateById(id: string): ChainState<S> | undefined {
    return this.blocks.get(id)?.state;
  }

  get genesisId(): string {
    return this.genesisState.id;
  }

  blockById(id: string): Block | undefined {
    return this.blocks.get(id)?.block ?? undefined;
  }

  knownBlocks(): number {
    return this.blocks.size - 1;
  }

  /**
   * Re-applies blocks a store kept (any order of forks, parents before children: height order
   * is enough) before `start`: states are recomputed, the tip is chosen as for new blocks.
   * Blocks that do not apply are counted in stats.invalidBlocks and skipped.
   */
  restore(blocks: Iterable<{ block: Block; certificate: SignerCertificate }>): void {
    this.restoring = true;
    try {
      for (const b of blocks) this.onBlock(this.id, b.block, b.certificate);
    } finally {
      this.restoring = false;
    }
  }

  /** Starts (or restarts) the node on a fresh transport: slot timer, handlers, a sync request. */
  start(transport: Transport): void {
    this.transport = transport;
    this.candidates = new Map();
    this.collecting = new Map();
    this.early = new Map();
    this.gisPartials = new Map();
    transport.onMessage((from, bytes) => this.receive(from, bytes));
    this.scheduleNextSlot();
    this.requestSync(this.syncPeer(0));
  }

  /** Gossips a consensus item (a miner operation, evidence) to the proposers, as a client would. */
  submitItem(item: ConsensusItem): void {
    this.acceptItem(item);
    this.sendToProposers({ kind: 'item', item });
  }

  /** Queues an executor transaction (as a client would send it to this node). */
  submitTransaction(tx: Uint8Array): void {
    this.acceptTx(tx);
    this.sendToProposers({ kind: 'tx', tx });
  }

  // ---- time ----

  private get params() {
    return this.rules.genesis.params;
  }

  private currentSlot(): number {
    const t = this.transport!.clock.now() - this.rules.genesis.genesisTimeMs;
    return Math.max(0, Math.floor(t / this.params.slotMs));
  }

  private scheduleNextSlot(): void {
    const next = this.currentSlot() + 1;
    const at = this.rules.genesis.genesisTimeMs + next * this.params.slotMs;
    const clock = this.transport!.clock;
    clock.setTimer(Math.max(0, at - clock.now()), () => {
      this.onSlot(next);
      this.scheduleNextSlot();
    });
  }

  private onSlot(slot: number): void {
    this.forgetOld(slot);
    if (this.behaviour.spam) this.spam(slot);
    const parent = this.tip;
    if (parent.height >= slot) return;
    this.groupDuties(parent, slot);
    if (parent.height + 5 < slot - 1 && slot % 5 === 0) this.requestSync(this.syncPeer(slot));
    const duty = slotDuty(this.rules, parent, slot);
    if (!duty.group) return;
    this.propose(parent, slot, duty.group, duty.slotRandom);
    if (duty.group.memberIndex.has(this.id) && this.shares.has(duty.group.id) && !this.behaviour.silent) {
      this.transport!.clock.setTimer(Math.floor(this.params.slotMs * SIGN_AT), () => this.sign(slot));
    }
  }

  private forgetOld(slot: number): void {
    for (const r of this.candidates.keys()) if (r < slot - 2) this.candidates.delete(r);
    for (const r of this.signedAt.keys()) if (r < slot - 2) this.signedAt.delete(r);
    for (const [k, c] of this.collecting) if (c.candidate.proposal.height < slot - 2) this.collecting.delete(k);
    for (const [k, list] of this.early) if ((list[0]?.height ?? 0) < slot - 2) this.early.delete(k);
    const horizon = slot - 4 * this.params.epochLength;
    for (const [k, p] of this.seenProposals) if (p.proposal.height < horizon) this.seenProposals.delete(k);
    // An item that could not be recorded for an epoch never will be (a spent nonce, a closed
    // window); whoever still needs one sends it again (the DKG duties resend every few slots).
    for (const [k, e] of this.itemPool) if (e.slot < slot - this.params.epochLength) this.itemPool.delete(k);
  }

  // ---- proposing ----

  private propose(parent: ChainState<S>, slot: number, group: GroupRecord, slotRand: Uint8Array): void {
    const me = parent.registry.miners.get(this.id);
    if (!me || me.type !== 'proposer' || !isActiveAt(me, slot) || me.stake <= 0n) return;
    const vrf = proveProposer(this.key, slot, slotRand);
    const total = totalStake(parent.registry, 'proposer', slot);
    if (proposalPriority(vrf.output, me.stake, total, this.params.expectedProposers) === null) return;
    const stored = this.blocks.get(parent.id)!;
    const cert = stored.certificateValid ? stored.certificate : null;
    const head = { height: slot, timestamp: slotTimestamp(this.params, this.rules.genesis.genesisTimeMs, slot), proposer: this.id };
    const payload = buildPayload(this.rules, parent, head, cert, [...this.itemPool.values()].map((e) => e.item), this.txSource ? this.txSource(parent) : [...this.txPool.values()], 1 << 20);
    const candidate = this.signCandidate(parent, head, vrf.proof, group, payload);
    const members = group.block.gis.members.map((m) => m.id);
    if (this.behaviour.equivocate) {
      const other = this.signCandidate(parent, head, vrf.proof, group, buildPayload(this.rules, parent, head, null, [], [], 1 << 20));
      const half = Math.ceil(members.length / 2);
      members.forEach((m, i) => this.sendTo(m, { kind: 'candidate', candidate: i < half ? candidate : other }));
      this.collect(candidate, group, slotRand);
      this.collect(other, group, slotRand);
      return;
    }
    for (const m of members) this.sendTo(m, { kind: 'candidate', candidate });
    this.collect(candidate, group, slotRand);
  }

  private signCandidate(parent: ChainState<S>, head: { height: number; timestamp: number; proposer: string }, vrfProof: Uint8Array, group: GroupRecord, payload: Uint8Array): Candidate {
    const stateRoot = stateRootAfter(this.rules, parent, head, group, payload);
    const proposal: BlockProposal = { ...head, prehash: parent.hash, vrfProof, groupId: group.block.hash, payloadHash: payloadHash(payload), stateRoot };
    return { proposal, proposerSignature: this.key.sign(proposerMessage(proposalHash(proposal))).toBytes(), payload };
  }

  // ---- signing (validation group members) ----

  private onCandidate(from: NodeId, c: Candidate): void {
    const slot = c.proposal.height;
    const now = this.currentSlot();
    if (slot !== now) {
      if (Math.abs(slot - now) > 1) this.penalize(from, 'candidate-wrong-round');
      return;
    }
    if (c.proposal.proposer !== from) return this.penalize(from, 'candidate-not-from-its-proposer');
    const parent = this.blocks.get(toHex(c.proposal.prehash))?.state;
    if (!parent) return; // we are behind; the block will come with sync
    this.noteProposal(c.proposal, c.proposerSignature);
    const duty = slotDuty(this.rules, parent, slot);
    if (!duty.group || !duty.group.memberIndex.has(this.id)) return this.penalize(from, 'candidate-wrong-group');
    let priority: number;
    try {
      priority = checkCandidate(this.rules, parent, c.proposal, c.proposerSignature, c.payload).priority;
    } catch (e) {
      if (isRuleError(e)) return this.penalize(from, `invalid-candidate: ${(e as Error).message}`);
      throw e;
    }
    let forSlot = this.candidates.get(slot);
    if (!forSlot) this.candidates.set(slot, (forSlot = new Map()));
    const hash = proposalHash(c.proposal);
    forSlot.set(toHex(hash), { candidate: c, rank: { priority, vrfOutput: vrfOutput(c.proposal.vrfProof), proposalHash: hash } });
  }

  private sign(slot: number): void {
    if (this.signedAt.has(slot)) return;
    const parent = this.tip;
    if (parent.height >= slot) return;
    const duty = slotDuty(this.rules, parent, slot);
    if (!duty.group) return;
    const mine = this.shares.get(duty.group.id);
    if (!mine) return;
    // The best candidate on our tip: priority, then VRF output, then proposal hash.
    let best: { candidate: Candidate; rank: RankedProposal; hash: string } | null = null;
    for (const [hash, entry] of this.candidates.get(slot) ?? []) {
      if (toHex(entry.candidate.proposal.prehash) !== parent.id) continue;
      if (!best || compareProposals(entry.rank, best.rank) < 0) best = { ...entry, hash };
    }
    if (!best) return;
    this.signedAt.set(slot, best.hash);
    this.stats.candidatesSigned++;
    const ph = proposalHash(best.candidate.proposal);
    let endorsePartial = mine.share.sign(endorsementMessage(ph)).toBytes();
    let beaconPartial = mine.share.sign(beaconMessage(slot, duty.slotRandom)).toBytes();
    if (this.behaviour.badPartials) {
      endorsePartial = mine.share.sign(new TextEncoder().encode(`not the proposal ${slot}`)).toBytes();
      beaconPartial = endorsePartial;
    }
    const e: Endorsement = { height: slot, groupId: duty.group.block.hash, proposalHash: ph, member: mine.member, endorsePartial, beaconPartial };
    for (const to of this.collectors(duty.group, slot, best.candidate.proposal.proposer)) this.sendTo(to, { kind: 'endorsement', endorsement: e });
  }

  /** The candidate's proposer and two members chosen by slot: any of them can assemble the block. */
  private collectors(group: GroupRecord, slot: number, proposer: string): string[] {
    const members = group.block.gis.members;
    const out = new Set<string>([proposer]);
    for (let k = 0; k < 2; k++) out.add(members[(slot + k) % members.length]!.id);
    return [...out];
  }

  // ---- collecting partials and assembling the block ----

  private collect(candidate: Candidate, group: GroupRecord, slotRand: Uint8Array): void {
    const hash = proposalHash(candidate.proposal);
    const key = toHex(hash);
    if (this.collecting.has(key)) return;
    const entry: Collecting = { candidate, hash, group, slotRandom: slotRand, partials: new Map(), done: false };
    this.collecting.set(key, entry);
    for (const e of this.early.get(key) ?? []) entry.partials.set(e.member, e);
    this.early.delete(key);
    this.tryAssemble(entry);
  }

  private onEndorsement(from: NodeId, e: Endorsement): void {
    const key = toHex(e.proposalHash);
    const entry = this.collecting.get(key);
    const now = this.currentSlot();
    if (Math.abs(e.height - now) > 1) return this.penalize(from, 'endorsement-wrong-round');
    if (!entry) {
      // A member may sign before our copy of the candidate arrives; keep a few partials.
      const list = this.early.get(key) ?? [];
      if (list.length < LIMITS.maxSigners && this.early.size < 64) this.early.set(key, [...list, e]);
      else this.penalize(from, 'endorsement-unknown-candidate');
      return;
    }
    if (toHex(e.groupId) !== entry.group.id || e.height !== entry.candidate.proposal.height) return this.penalize(from, 'endorsement-wrong-group');
    if (entry.group.block.gis.members[e.member - 1]?.id !== from) return this.penalize(from, 'endorsement-wrong-member');
    if (entry.done || entry.partials.has(e.member)) return;
    entry.partials.set(e.member, e);
    this.tryAssemble(entry);
  }

  private tryAssemble(entry: Collecting): void {
    const t = entry.group.threshold;
    while (!entry.done && entry.partials.size >= t) {
      const chosen = [...entry.partials.values()].sort((a, b) => a.member - b.member).slice(0, t);
      const recovered = this.recover(entry, chosen);
      if (recovered) return this.assemble(entry, chosen, recovered);
      // The recovered signature failed: find the bad partials one by one and drop them.
      for (const e of chosen) {
        if (this.partialValid(entry, e)) continue;
        entry.partials.delete(e.member);
        this.stats.badPartials++;
        this.penalize(entry.group.block.gis.members[e.member - 1]!.id, 'bad-partial-signature');
      }
    }
  }

  private partialValid(entry: Collecting, e: Endorsement): boolean {
    const pk = publicShare(entry.group, e.member).toBytes();
    const memo = this.rules.memo;
    return memo.verify(pk, endorsementMessage(entry.hash), e.endorsePartial) && memo.verify(pk, beaconMessage(e.height, entry.slotRandom), e.beaconPartial);
  }

  private recover(entry: Collecting, chosen: readonly Endorsement[]): { group: Uint8Array; random: Uint8Array } | null {
    try {
      const t = entry.group.threshold;
      const group = recoverSignature(chosen.map((e) => ({ id: e.member, signature: Signature.fromBytes(e.endorsePartial) })), t).toBytes();
      const random = recoverSignature(chosen.map((e) => ({ id: e.member, signature: Signature.fromBytes(e.beaconPartial) })), t).toBytes();
      const gpk = entry.group.block.groupPublicKey;
      const memo = this.rules.memo;
      const ok = memo.verify(gpk, endorsementMessage(entry.hash), group) && memo.verify(gpk, beaconMessage(entry.candidate.proposal.height, entry.slotRandom), random);
      return ok ? { group, random } : null;
    } catch (e) {
      if (e instanceof CryptoError) return null; // a partial that is not a curve point
      throw e;
    }
  }

  private assemble(entry: Collecting, chosen: readonly Endorsement[], sigs: { group: Uint8Array; random: Uint8Array }): void {
    entry.done = true;
    const c = entry.candidate;
    const block = makeBlock({ ...c.proposal, proposerSignature: c.proposerSignature, randomSignature: sigs.random, groupSignature: sigs.group }, c.payload);
    const certificate: SignerCertificate = {
      signers: chosen.map((e) => e.member),
      aggregate: aggregateSignatures(chosen.map((e) => Signature.fromBytes(e.endorsePartial))).toBytes(),
    };
    this.stats.blocksAssembled++;
    this.transport!.broadcast(encodeMessage({ kind: 'block', block, certificate }));
    this.onBlock(this.id, block, certificate);
  }

  // ---- blocks and fork choice ----

  private onBlock(from: NodeId, block: Block, certificate: SignerCertificate): void {
    const id = toHex(block.hash);
    const known = this.blocks.get(id);
    if (known) return;
    if (!this.restoring && block.header.height > this.currentSlot() + 1) return; // from the future: not yet
    const parentId = toHex(block.header.prehash);
    const parent = this.blocks.get(parentId);
    if (!parent) {
      if (this.orphans.size < MAX_ORPHANS) this.orphans.set(id, { block, certificate, from });
      if (this.transport) this.requestSync(from);
      return;
    }
    let state: ChainState<S>;
    try {
      state = applyBlock(this.rules, parent.state, block);
    } catch (e) {
      if (!isRuleError(e)) throw e;
      this.stats.invalidBlocks++;
      return this.penalize(from, `invalid-block: ${(e as Error).message}`);
    }
    this.stats.blocksApplied++;
    const group = parent.state.groups.find((g) => g.id === state.groupId)!;
    // A bad certificate does not make the block invalid (it is not part of it): it is not used.
    const certificateValid = verifyCertificate(this.rules, group, block.proposalHash, certificate);
    this.blocks.set(id, { block, state, certificate, certificateValid });
    if (!this.restoring) this.onBlockApplied?.(block, certificate, state);
    this.noteProposal(block.header, block.header.proposerSignature);
    this.considerTip(state, from);
    this.adoptOrphans(id);
  }

  private adoptOrphans(parentId: string): void {
    for (const [id, o] of [...this.orphans]) {
      if (toHex(o.block.header.prehash) !== parentId) continue;
      this.orphans.delete(id);
      this.onBlock(o.from, o.block, o.certificate);
    }
  }

  private considerTip(candidate: ChainState<S>, from: NodeId): void {
    const current = this.tip;
    if (compareChains(candidate, current) <= 0) return;
    if (candidate.parentId !== current.id) {
      const fork = findForkPoint(this.viewOf(current), this.viewOf(candidate));
      const cp = current.checkpoint?.height ?? null;
      if (!reorgAllowed(cp, fork.common.height)) {
        this.stats.rejectedReorgs++;
        return this.penalize(from, 'reorg-below-checkpoint');
      }
      this.stats.reorgs++;
    }
    this.setTip(candidate);
  }

  private setTip(state: ChainState<S>): void {
    this.tip = state;
    // Walk down the new branch to the fork point (a block of the old canonical chain; the
    // genesis at worst), then re-index above it.
    const branch: ChainState<S>[] = [];
    let s = state;
    while (this.heightIndex[s.height] !== s.id) {
      branch.push(s);
      s = this.blocks.get(s.parentId!)!.state;
    }
    this.heightIndex.length = s.height + 1;
    branch.reverse();
    for (const b of branch) this.heightIndex[b.height] = b.id;
    this.recordFinal(state);
    for (const b of branch) this.dropIncluded(b);
  }

  private recordFinal(state: ChainState<S>): void {
    const cp = state.checkpoint;
    if (!cp) return;
    for (const [h, id] of this.finalSeen) if (this.heightIndex[h] !== id) this.finalViolations++;
    for (let h = 1; h <= cp.height; h++) {
      const id = this.heightIndex[h];
      if (id && !this.finalSeen.has(h)) this.finalSeen.set(h, id);
    }
  }

  private viewOf(tip: ChainState<S>): ChainView {
    const heads = new Map<number, ChainState<S>>();
    const chain: ChainState<S>[] = [];
    for (let s: ChainState<S> | undefined = tip; s; s = s.parentId ? this.blocks.get(s.parentId)!.state : undefined) chain.push(s);
    chain.reverse();
    for (const s of chain) heads.set(s.height, s);
    return {
      tipHeight: tip.height,
      headAt: (h: number): BlockRef => {
        // The last block at or below h: binary search over the ascending chain.
        let lo = 0;
        let hi = chain.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (chain[mid]!.height <= h) lo = mid;
          else hi = mid - 1;
        }
        const s = chain[lo]!;
        return { height: s.height, hash: s.hash };
      },
    };
  }

  /** Forgets pool entries a newly canonical block recorded or made invalid. */
  private dropIncluded(state: ChainState<S>): void {
    const stored = this.blocks.get(state.id);
    if (!stored?.block) return;
    const body = checkCandidate(this.rules, this.blocks.get(state.parentId!)!.state, stored.block.header, stored.block.header.proposerSignature, stored.block.payload);
    for (const item of body.payload.items) this.itemPool.delete(itemId(item));
    if (state.id !== this.tip.id) return; // the pool is judged against the tip only
    for (const [id, tx] of this.txPool) {
      try {
        this.rules.executor.checkTransaction(state.ledger, tx);
      } catch (e) {
        if (!(e instanceof ExecutionError)) throw e;
        this.txPool.delete(id);
      }
    }
  }

  // ---- equivocation ----

  private noteProposal(proposal: BlockProposal, signature: Uint8Array): void {
    const key = `${proposal.proposer}:${proposal.height}`;
    const prior = this.seenProposals.get(key);
    if (!prior) {
      this.seenProposals.set(key, { proposal, signature });
      return;
    }
    if (compareBytes(proposalHash(prior.proposal), proposalHash(proposal)) === 0) return;
    const miner = this.tip.registry.miners.get(proposal.proposer);
    if (!miner || !this.rules.memo.verify(miner.publicKey, proposerMessage(proposalHash(proposal)), signature)) return;
    this.stats.equivocationsSeen++;
    const item: ConsensusItem = { kind: 'equivocation', evidence: { a: prior, b: { proposal, signature } } };
    this.acceptItem(item);
    this.sendToProposers({ kind: 'item', item });
  }

  // ---- group building duties ----

  private groupDuties(tip: ChainState<S>, slot: number): void {
    if (this.behaviour.silent) return;
    for (const p of tip.pending) {
      const me = p.gis.members.findIndex((m) => m.id === this.id) + 1;
      if (me > 0) this.dealerDuties(p, me, slot);
      if (!p.seal && this.shares.has(p.parentId)) this.sealDuty(p, slot);
    }
    for (const g of tip.groups) if (!this.shares.has(g.id) && g.memberIndex.has(this.id) && g.dealings.length > 0) this.deriveShare(g);
  }

  private dealerDuties(p: PendingGroup, me: number, slot: number): void {
    const ctx = pendingContext(this.rules.memo, p);
    if (slot <= p.dealUntil && !p.dealings.some((d) => d.dealer === me)) {
      let dealing = this.myDealings.get(p.key);
      if (!dealing) {
        dealing = this.deal(ctx, p, me);
        this.myDealings.set(p.key, dealing);
      }
      this.sendItemThrottled(`deal:${p.key}`, slot, { kind: 'dealing', group: p.gisHash, dealing });
    }
    if (slot > p.complainUntil) return;
    // Each recorded dealing is opened once (the list only grows while the group is built).
    const done = this.sharesOpened.get(p.key) ?? 0;
    if (done < p.dealings.length) this.sharesOpened.set(p.key, p.dealings.length);
    for (const d of p.dealings.slice(done)) {
      const check = checkDealingMemo(this.rules.memo, ctx, p.gisHash, d);
      if (check.status !== 'valid') continue;
      const result = this.rules.memo.value(`share:${this.id}:${check.dealing.id}`, () => receiveShare(ctx, check.dealing, me, this.key));
      if (result.ok) continue;
      this.complaints.set(`${p.key}:${d.dealer}`, result.complaint);
    }
    for (const [key, complaint] of this.complaints) {
      if (!key.startsWith(p.key) || p.complaints.some((c) => c.dealer === complaint.dealer && c.accuser === me)) continue;
      this.sendItemThrottled(`complain:${key}`, slot, { kind: 'complaint', group: p.gisHash, complaint });
    }
  }

  private deal(ctx: ReturnType<typeof pendingContext>, p: PendingGroup, me: number): Dealing {
    const rng = seededRandom(`${this.seed}/dealing/${p.key}`);
    if (!this.behaviour.badDealing) return createDealing(ctx, me, this.key, rng);
    // A cheating dealer: an honest polynomial, but the last member's share is off by one.
    const coeffs = Array.from({ length: ctx.t }, (_, k) => BigInt(k + 7) * 1_000_003n);
    const shares: Uint8Array[] = [];
    for (let j = 1; j <= ctx.n; j++) {
      let v = 0n;
      for (let k = coeffs.length - 1; k >= 0; k--) v = v * BigInt(j) + coeffs[k]!;
      if (j === ctx.n) v += 1n;
      shares.push(SecretKey.fromScalar(v).toBytes());
    }
    const commitments = coeffs.map((c) => SecretKey.fromScalar(c).publicKey());
    return assembleDealing(ctx, me, this.key, commitments, SecretKey.random(rng), shares, rng);
  }

  private sealDuty(p: PendingGroup, slot: number): void {
    const mine = this.shares.get(p.parentId)!;
    const key = `seal:${p.key}`;
    if ((this.sentAt.get(key) ?? -Infinity) > slot - RESEND_SLOTS) return;
    this.sentAt.set(key, slot);
    const signature = mine.share.sign(p.gisHash).toBytes();
    const msg: Message = { kind: 'gis-partial', group: p.gisHash, parentGroupId: hexBytes(p.parentId), member: mine.member, signature };
    this.sendToProposers(msg);
    if (this.isProposer()) this.onGisPartial(this.id, msg.group, msg.parentGroupId, msg.member, msg.signature);
  }

  private deriveShare(g: GroupRecord): void {
    const me = g.memberIndex.get(this.id)!;
    const pending: PendingGroup = pendingFromRecord(g);
    const ctx = pendingContext(this.rules.memo, pending);
    const accepted = new Map<number, SecretKey>();
    for (const d of g.dealings) {
      const check = checkDealingMemo(this.rules.memo, ctx, pending.gisHash, d);
      if (check.status !== 'valid') return;
      const result = this.rules.memo.value(`share:${this.id}:${check.dealing.id}`, () => receiveShare(ctx, check.dealing, me, this.key));
      if (!result.ok) return; // a qualified dealer cheated us and our complaint was not recorded: we cannot sign for this group
      accepted.set(d.dealer, result.share);
    }
    const share = secretKeyShare({ qualified: [...accepted.keys()], publicKey: g.commitments[0]!, commitments: g.commitments }, accepted);
    this.shares.set(g.id, { member: me, share });
  }

  private onGisPartial(from: NodeId, group: Uint8Array, parentGroupId: Uint8Array, member: number, signature: Uint8Array): void {
    if (!this.isProposer()) return;
    const key = toHex(group);
    const p = this.tip.pending.find((x) => x.key === key);
    if (!p || p.seal) return;
    const parent = this.tip.groups.find((g) => g.id === p.parentId);
    if (!parent || toHex(parentGroupId) !== parent.id) return this.penalize(from, 'gis-partial-wrong-group');
    if (parent.block.gis.members[member - 1]?.id !== from) return this.penalize(from, 'gis-partial-wrong-member');
    if (!this.rules.memo.verify(publicShare(parent, member).toBytes(), p.gisHash, signature)) return this.penalize(from, 'bad-partial-signature');
    let set = this.gisPartials.get(key);
    if (!set) this.gisPartials.set(key, (set = new Map()));
    set.set(member, signature);
    if (set.size < parent.threshold) return;
    const chosen = [...set].sort((a, b) => a[0] - b[0]).slice(0, parent.threshold);
    const seal = recoverSignature(chosen.map(([id, sig]) => ({ id, signature: Signature.fromBytes(sig) })), parent.threshold).toBytes();
    this.acceptItem({ kind: 'group-seal', group: p.gisHash, parentSignature: seal });
  }

  private sendItemThrottled(key: string, slot: number, item: ConsensusItem): void {
    if ((this.sentAt.get(key) ?? -Infinity) > slot - RESEND_SLOTS) return;
    this.sentAt.set(key, slot);
    this.acceptItem(item);
    this.sendToProposers({ kind: 'item', item });
  }

  // ---- pools ----

  private isProposer(): boolean {
    return this.tip.registry.miners.get(this.id)?.type === 'proposer';
  }

  private acceptItem(item: ConsensusItem): void {
    if (!this.isProposer()) return;
    if (this.itemPool.size >= MAX_POOL) this.itemPool.delete(this.itemPool.keys().next().value!);
    const id = itemId(item);
    if (!this.itemPool.has(id)) this.itemPool.set(id, { item, slot: this.transport ? this.currentSlot() : 0 });
  }

  private acceptTx(tx: Uint8Array): void {
    if (!this.isProposer()) return;
    const id = this.rules.executor.checkTransaction(this.tip.ledger, tx);
    if (this.txPool.size >= MAX_POOL) this.txPool.delete(this.txPool.keys().next().value!);
    this.txPool.set(id, tx);
  }

  // ---- sync ----

  private syncPeer(salt: number): NodeId | null {
    const peers = this.transport!.peers();
    if (peers.length === 0) return null;
    return peers[(parseInt(this.id.slice(0, 8), 16) + salt) % peers.length]!;
  }

  private requestSync(peer: NodeId | null): void {
    if (!peer || peer === this.id) return;
    this.stats.syncRequests++;
    this.sendTo(peer, { kind: 'get-blocks', locator: this.locator(), max: LIMITS.maxSyncBlocks });
  }

  /** Canonical hashes at the tip, tip−1, tip−2, tip−4, … and the genesis: the step-size search's probes. */
  private locator(): Uint8Array[] {
    const out: Uint8Array[] = [];
    let step = 1;
    let h = this.tip.height;
    while (h > 0 && out.length < LIMITS.maxLocator - 1) {
      const id = this.heightIndex[h];
      if (id) out.push(this.blocks.get(id)!.state.hash);
      h -= step;
      if (out.length > 2) step *= 2;
    }
    out.push(this.genesisState.hash);
    return out;
  }

  private onGetBlocks(from: NodeId, locator: readonly Uint8Array[], max: number): void {
    let start = 0;
    for (const hash of locator) {
      const s = this.blocks.get(toHex(hash))?.state;
      if (s && this.heightIndex[s.height] === s.id) {
        start = s.height;
        break;
      }
    }
    const blocks: { block: Block; certificate: SignerCertificate }[] = [];
    for (let h = start + 1; h <= this.tip.height && blocks.length < Math.min(max, LIMITS.maxSyncBlocks); h++) {
      const id = this.heightIndex[h];
      if (!id) continue;
      const stored = this.blocks.get(id)!;
      blocks.push({ block: stored.block, certificate: stored.certificate });
    }
    if (blocks.length > 0) this.sendTo(from, { kind: 'blocks', blocks });
  }

  private onBlocks(from: NodeId, blocks: readonly { block: Block; certificate: SignerCertificate }[]): void {
    const before = this.tip.height;
    for (const b of blocks) this.onBlock(from, b.block, b.certificate);
    if (blocks.length >= LIMITS.maxSyncBlocks && this.tip.height > before) this.requestSync(from);
  }

  // ---- the wire ----

  private receive(from: NodeId, bytes: Uint8Array): void {
    let msg: Message;
    try {
      msg = decodeMessage(bytes);
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      this.stats.malformed++;
      return this.penalize(from, 'malformed-message');
    }
    try {
      this.dispatch(from, msg);
    } catch (e) {
      if (!isRuleError(e)) throw e;
      this.penalize(from, `${msg.kind}: ${(e as Error).message}`);
    }
  }

  private dispatch(from: NodeId, msg: Message): void {
    switch (msg.kind) {
      case 'candidate':
        return this.onCandidate(from, msg.candidate);
      case 'endorsement':
        return this.onEndorsement(from, msg.endorsement);
      case 'block':
        return this.onBlock(from, msg.block, msg.certificate);
      case 'get-blocks':
        return this.onGetBlocks(from, msg.locator, msg.max);
      case 'blocks':
        return this.onBlocks(from, msg.blocks);
      case 'item':
        return this.acceptItem(msg.item);
      case 'gis-partial':
        return this.onGisPartial(from, msg.group, msg.parentGroupId, msg.member, msg.signature);
      case 'tx':
        return this.acceptTx(msg.tx);
    }
  }

  private sendTo(to: NodeId, msg: Message): void {
    const t = this.transport!;
    const bytes = encodeMessage(msg);
    if (to === this.id) t.send(to, bytes);
    else if (t.peers().includes(to)) t.send(to, bytes);
  }

  private sendToProposers(msg: Message): void {
    const bytes = encodeMessage(msg);
    const peers = new Set(this.transport!.peers());
    for (const m of this.tip.registry.miners.values()) {
      if (m.type === 'proposer' && m.id !== this.id && peers.has(m.id)) this.transport!.send(m.id, bytes);
    }
  }

  private penalize(peer: NodeId, reason: string): void {
    if (peer === this.id) return;
    this.transport!.penalize(peer, reason.split(':')[0]!);
  }

  // ---- a faulty node's noise ----

  private spam(slot: number): void {
    const t = this.transport!;
    const peers = t.peers();
    if (peers.length === 0) return;
    const to = peers[slot % peers.length]!;
    const junk = seededRandom(`${this.seed}/spam/${slot}`)(64 + (slot % 200));
    t.send(to, junk); // undecodable
    const stale: Endorsement = { height: Math.max(1, slot - 7), groupId: new Uint8Array(32), proposalHash: new Uint8Array(32), member: 1, endorsePartial: new Uint8Array(96), beaconPartial: new Uint8Array(96) };
    t.send(to, encodeMessage({ kind: 'endorsement', endorsement: stale })); // wrong round
    try {
      t.send(to, new Uint8Array(t.maxMessageBytes + 1)); // oversized: refused at send
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }
}

// proposalHash validates the VRF proof as a curve point each time (costly): once per proposal object.
const proposalHashes = new WeakMap<BlockProposal, Uint8Array>();
function proposalHash(p: BlockProposal): Uint8Array {
  let h = proposalHashes.get(p);
  if (!h) proposalHashes.set(p, (h = computeProposalHash(p)));
  return h;
}

function isRuleError(e: unknown): boolean {
  return e instanceof ConsensusError || e instanceof ExecutionError || e instanceof CryptoError || e instanceof CodecError;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The DKG session of an established group is the same as while it was built: its GIS hash. */
function pendingFromRecord(g: GroupRecord): PendingGroup {
  return {
    key: toHex(g.block.gisHash),
    gis: g.block.gis,
    gisHash: g.block.gisHash,
    threshold: g.threshold,
    parentId: '',
    dealUntil: 0,
    complainUntil: 0,
    activationHeight: g.activationHeight,
    dealings: g.dealings,
    dealingIds: new Set(),
    complaints: [],
    seal: g.block.parentSignature,
  };
}
