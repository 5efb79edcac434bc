// The state transition of chain-state.ts on the blocks of a real run: which tampered blocks
// applyBlock rejects and with which code (and that a node never adopts them), which payload
// items make a candidate invalid, what buildPayload keeps, miner operations end to end, and
// the split of the block reward. One short healthy run is shared by every test; the miner
// operations come last because they extend that run.

import { describe, expect, it } from 'vitest';
import { makeBlock, payloadHash, proposalHash, proposerMessage, slotTimestamp, type Block, type BlockProposal } from '../consensus/block.ts';
import { fromHex, toHex } from '../consensus/bytes.ts';
import { ConsensusError } from '../consensus/errors.ts';
import { isActiveAt, minerIdOf, totalStake } from '../consensus/miners.ts';
import { proposalPriority, proveProposer } from '../consensus/proposer.ts';
import { SecretKey, seededRandom } from '../crypto/index.ts';
import { applyBlock, bodyAfter, buildPayload, checkCandidate, slotDuty, stateRootAfter, type ChainRules, type ChainState } from './chain-state.ts';
import type { GroupRecord } from './groups.ts';
import { decodePayload, encodeMessage, encodePayload, itemId, minerOpMessage, type UnsignedMinerOp } from './codec.ts';
import { Memo } from './memo.ts';
import { chainOf, loadScenario, offences } from './scenario-support.ts';
import { createSim } from './sim.ts';
import { accountOf, EMPTY_SECTION_BYTES, signTransfer, type TransferState } from './transfer-executor.ts';
import type { ConsensusItem, MinerOp, Payload, SignerCertificate } from './types.ts';

type State = ChainState<TransferState>;

const START = 12;
const sim = createSim({ ...loadScenario('healthy'), slots: START });
sim.runTo(START);
/** The slot the shared run has reached (the miner-operation tests run it further). */
let slot = START;
const { params } = sim;
const { executor } = sim.rules;
const m0 = sim.nodes.get('m0')!;
/** m0's canonical chain after START slots: immutable states, whatever runs later. */
const chain = chainOf(sim);
const EMPTY_SECTION = new Uint8Array(EMPTY_SECTION_BYTES);

/**
 * The rules of the run with an empty memo, so no verdict on a real block is reused; `overrides`
 * change parameters the transition reads per block (the reward split), not the genesis hash.
 */
function freshRules(overrides: Partial<typeof params> = {}): ChainRules<TransferState> {
  return { ...sim.rules, genesis: { ...sim.genesis, params: { ...params, ...overrides } }, memo: new Memo() };
}

const blockOf = (s: State): Block => m0.blockById(s.id)!;
const parentOf = (s: State): State => m0.stateById(s.parentId!)!;
const payloadOf = (s: State): Payload => decodePayload(blockOf(s).payload);
const keyOf = (name: string): SecretKey => sim.secrets[sim.names.indexOf(name)]!.key;
const publicKeyOf = (key: SecretKey): Uint8Array => key.publicKey().toBytes();

function keyOfMiner(id: string): SecretKey {
  const found = sim.secrets.find((s) => minerIdOf(publicKeyOf(s.key)) === id);
  if (!found) throw new Error(`no secret key for miner ${id}`);
  return found.key;
}

/** The ConsensusError `fn` throws; fails the test when it throws anything else or nothing. */
function consensusErrorOf(fn: () => unknown): ConsensusError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConsensusError);
    return e as ConsensusError;
  }
  throw new Error('expected a ConsensusError, nothing was thrown');
}

function signedOp(op: UnsignedMinerOp, signer: SecretKey): ConsensusItem {
  return { kind: 'miner-op', op: { ...op, signature: signer.sign(minerOpMessage(op)).toBytes() } as MinerOp };
}

function annulItem(name: string, nonce: number, signer = keyOf(name)): ConsensusItem {
  return signedOp({ kind: 'annul', publicKey: publicKeyOf(keyOf(name)), nonce }, signer);
}

// ---- proposing by hand, as node.ts does ----

interface EligibleSlot {
  readonly key: SecretKey;
  readonly head: { readonly height: number; readonly timestamp: number; readonly proposer: string };
  readonly vrfProof: Uint8Array;
  readonly groupId: Uint8Array;
  readonly group: GroupRecord;
}

/** The first slot after `parent` where a genesis proposer's VRF output qualifies. */
function eligibleSlot(rules: ChainRules<TransferState>, parent: State): EligibleSlot {
  for (let height = parent.height + 1; height <= parent.height + 20; height++) {
    const duty = slotDuty(rules, parent, height);
    if (!duty.group) continue;
    const total = totalStake(parent.registry, 'proposer', height);
    for (const { key } of sim.secrets) {
      const miner = parent.registry.miners.get(minerIdOf(publicKeyOf(key)));
      if (!miner || miner.type !== 'proposer' || !isActiveAt(miner, height)) continue;
      const vrf = proveProposer(key, height, duty.slotRandom);
      if (proposalPriority(vrf.output, miner.stake, total, params.expectedProposers) === null) continue;
      const head = { height, timestamp: slotTimestamp(params, sim.genesis.genesisTimeMs, height), proposer: miner.id };
      return { key, head, vrfProof: vrf.proof, groupId: duty.group.block.hash, group: duty.group };
    }
  }
  throw new Error(`no proposer is eligible within 20 slots after block ${parent.height}`);
}

/** The proposal of `payload` in `at`, signed by its proposer. */
function candidate(parent: State, at: EligibleSlot, payload: Uint8Array): { proposal: BlockProposal; signature: Uint8Array } {
  // The honest proposer's state root; for a payload that cannot apply, any (the check fails first).
  let stateRoot: Uint8Array = new Uint8Array(32);
  try {
    stateRoot = stateRootAfter(sim.rules, parent, at.head, at.group, payload);
  } catch {
    // checkCandidate reports the payload's fault
  }
  const proposal: BlockProposal = { ...at.head, prehash: parent.hash, vrfProof: at.vrfProof, groupId: at.groupId, payloadHash: payloadHash(payload), stateRoot };
  return { proposal, signature: at.key.sign(proposerMessage(proposalHash(proposal))).toBytes() };
}

function check(rules: ChainRules<TransferState>, parent: State, at: EligibleSlot, payload: Uint8Array) {
  const c = candidate(parent, at, payload);
  return checkCandidate(rules, parent, c.proposal, c.signature, payload);
}

/** A block of the run whose own payload and whose child's payload both carry a certificate. */
function certifiedWithChild(): { index: number; state: State } {
  const index = chain.findIndex((s, i) => s.height >= 2 && i + 1 < chain.length && payloadOf(s).parentCertificate && payloadOf(chain[i + 1]!).parentCertificate);
  expect(index).toBeGreaterThanOrEqual(0);
  return { index, state: chain[index]! };
}

describe('applyBlock on a tampered block', () => {
  const { index, state } = certifiedWithChild();
  const block = blockOf(state);
  const parent = parentOf(state);
  const other = blockOf(chain[index + 1]!).header;
  const header = block.header;
  const proposerKey = keyOfMiner(header.proposer);
  /** The certificate of `state`'s signers, as its child carried it (sent along with tampered copies). */
  const certificate: SignerCertificate = payloadOf(chain[index + 1]!).parentCertificate!;
  const original = payloadOf(state);
  const changedPayload = encodePayload({ ...original, parentCertificate: null });
  const group = parentOf(state).groups.find((g) => g.id === state.groupId)!;
  // Honest in everything but the group's signature: the state root is the changed payload's.
  const changedHeader = { ...header, payloadHash: payloadHash(changedPayload), stateRoot: stateRootAfter(sim.rules, parentOf(state), header, group, changedPayload) };

  const tampered = [
    { what: "another block's group signature", block: makeBlock({ ...header, groupSignature: other.groupSignature }, block.payload), code: 'invalid-group-signature', message: /group signature does not verify/ },
    { what: "another block's random signature", block: makeBlock({ ...header, randomSignature: other.randomSignature }, block.payload), code: 'invalid-random', message: /random signature is not the group's/ },
    // The proposer's signature no longer covers the proposal either, but the slot time is checked first.
    { what: 'another timestamp', block: makeBlock({ ...header, timestamp: header.timestamp + 1 }, block.payload), code: 'invalid-block', message: /timestamp \d+, the slot's time is \d+/ },
    { what: 'a changed payload, not re-signed', block: makeBlock(changedHeader, changedPayload), code: 'invalid-proposer', message: /proposer's signature does not verify/ },
    {
      what: 'a false state root, re-signed by its proposer',
      block: (() => {
        const h = { ...header, stateRoot: new Uint8Array(32).fill(9) };
        return makeBlock({ ...h, proposerSignature: proposerKey.sign(proposerMessage(proposalHash(h))).toBytes() }, block.payload);
      })(),
      code: 'invalid-block',
      message: /state root 0909.*, executing the block gives/,
    },
    {
      what: 'a changed payload, re-signed by its proposer',
      block: makeBlock({ ...changedHeader, proposerSignature: proposerKey.sign(proposerMessage(proposalHash(changedHeader))).toBytes() }, changedPayload),
      code: 'invalid-group-signature',
      message: /group signature does not verify/,
    },
  ] as const;

  it('accepts the untampered block, giving the state the node holds', () => {
    const s = applyBlock(freshRules(), parent, block);
    expect(s.id).toBe(state.id);
    expect(s.ledger).toEqual(state.ledger);
    expect(s.registry).toEqual(state.registry);
  });

  it.each(tampered)('rejects $what with $code', ({ block: bad, code, message }) => {
    const e = consensusErrorOf(() => applyBlock(freshRules(), parent, bad));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('accepts the re-signed changed payload as a candidate: only the group signature gives it away', () => {
    const signature = proposerKey.sign(proposerMessage(proposalHash(changedHeader))).toBytes();
    const body = checkCandidate(freshRules(), parent, changedHeader, signature, changedPayload);
    expect(body.payload.parentCertificate).toBeNull();
  });

  it('refuses to build a block whose payload does not match its payload hash', () => {
    expect(consensusErrorOf(() => makeBlock(header, changedPayload)).code).toBe('malformed-block');
  });

  it('a node that receives them rejects each, keeps none and counts them against the sender', () => {
    const sender = sim.net.transport(sim.idOf('m12'));
    const invalidBefore = m0.stats.invalidBlocks;
    const offencesBefore = offences(sim, 'm12')['invalid-block'] ?? 0;
    for (const t of tampered) sender.send(sim.idOf('m0'), encodeMessage({ kind: 'block', block: t.block, certificate }));
    sim.runTo(++slot);
    for (const t of tampered) expect(m0.stateById(toHex(t.block.hash))).toBeUndefined();
    expect(m0.stats.invalidBlocks - invalidBefore).toBe(tampered.length);
    expect((offences(sim, 'm12')['invalid-block'] ?? 0) - offencesBefore).toBe(tampered.length);
    expect(m0.chain().some((s) => s.id === state.id)).toBe(true);
  });
});


describe('checkCandidate on a payload with an invalid item', () => {
  const parent = chain.at(-1)!;
  const rules = freshRules();
  const at = eligibleSlot(rules, parent);
  const valid = annulItem('m12', 0);
  const anySignature = keyOf('m3').sign(new TextEncoder().encode('not a seal')).toBytes();
  const unknownGroup = new Uint8Array(32).fill(7);
  const fresh = SecretKey.random(seededRandom('chain-state-test/unfunded'));
  const payloadWith = (items: ConsensusItem[]) => encodePayload({ parentCertificate: null, items, transactions: EMPTY_SECTION });

  it('accepts the valid item alone and applies it', () => {
    const body = check(rules, parent, at, payloadWith([valid]));
    expect(body.registry.miners.get(sim.idOf('m12'))).toMatchObject({ status: 'annulled', annulledAt: at.head.height });
    expect(body.opNonces.get(sim.idOf('m12'))).toBe(1);
  });

  const cases: { what: string; item: ConsensusItem; message: RegExp }[] = [
    {
      what: 'a seal of a group not being built',
      item: { kind: 'group-seal', group: unknownGroup, parentSignature: anySignature },
      message: /item 1 \(group-seal\): group 0707070707070707… is not being built on this chain/,
    },
    {
      what: 'a complaint outside any pending group',
      item: { kind: 'complaint', group: unknownGroup, complaint: { dealer: 1, accuser: 2, sharedSecret: publicKeyOf(keyOf('m4')), proof: new Uint8Array(64) } },
      message: /item 1 \(complaint\): group 0707070707070707… is not being built on this chain/,
    },
    { what: 'a miner operation with a nonce ahead', item: annulItem('m11', 1), message: /item 1 \(miner-op\): miner operation nonce 1, expected 0/ },
    { what: "a miner operation signed by another key", item: annulItem('m11', 0, keyOf('m10')), message: /item 1 \(miner-op\): miner operation signature does not verify/ },
    { what: 'a second annulment in one block', item: annulItem('m12', 1), message: /item 1 \(miner-op\): miner \w+ was annulled at height/ },
    {
      what: 'a registration its account cannot pay for',
      item: signedOp({ kind: 'register', publicKey: publicKeyOf(fresh), nonce: 0, minerType: 'verifier', stake: params.minStake }, fresh),
      message: new RegExp(`item 1 \\(miner-op\\): cannot debit ${params.minStake} from ${accountOf(publicKeyOf(fresh))}: its balance is 0`),
    },
  ];

  it.each(cases)('rejects $what as invalid-block naming the item', ({ item, message }) => {
    const e = consensusErrorOf(() => check(rules, parent, at, payloadWith([valid, item])));
    expect(e.code).toBe('invalid-block');
    expect(e.message).toMatch(new RegExp(`^block ${at.head.height}: `));
    expect(e.message).toMatch(message);
  });
});

describe('buildPayload', () => {
  const { index } = certifiedWithChild();
  const parent = chain[index]!;
  const cert = payloadOf(chain[index + 1]!).parentCertificate!;
  const foreignCert = { signers: cert.signers, aggregate: payloadOf(parent).parentCertificate!.aggregate };
  const rules = freshRules();
  const at = eligibleSlot(rules, parent);
  const pool: ConsensusItem[] = [
    annulItem('m12', 0), // applies
    annulItem('m12', 1), // right nonce after the first, but m12 is already annulled
    annulItem('m11', 1), // nonce ahead
    annulItem('m10', 0, keyOf('m11')), // bad signature
    annulItem('m10', 0), // applies
    { kind: 'group-seal', group: new Uint8Array(32).fill(7), parentSignature: keyOf('m3').sign(new Uint8Array(1)).toBytes() }, // unknown group
  ];

  it('keeps the items that apply, in pool order, skips the rest, and the result is a valid candidate', () => {
    const payload = buildPayload(rules, parent, at.head, cert, pool, [], 1 << 20);
    const built = decodePayload(payload);
    expect(built.items.map(itemId)).toEqual([pool[0]!, pool[4]!].map(itemId));
    expect(built.parentCertificate).toEqual(cert);
    const body = check(rules, parent, at, payload);
    for (const name of ['m12', 'm10']) expect(body.registry.miners.get(sim.idOf(name))?.status).toBe('annulled');
    expect(body.registry.miners.get(sim.idOf('m11'))?.status).toBe('active');
  });

  it('drops a certificate that does not verify rather than make the payload invalid', () => {
    const e = consensusErrorOf(() => check(rules, parent, at, encodePayload({ parentCertificate: foreignCert, items: [], transactions: EMPTY_SECTION })));
    expect(e.message).toMatch(/certificate of the parent's signers does not verify/);
    const payload = buildPayload(rules, parent, at.head, foreignCert, pool, [], 1 << 20);
    expect(decodePayload(payload).parentCertificate).toBeNull();
    expect(() => check(rules, parent, at, payload)).not.toThrow();
  });

  it('applies items before transactions: a registration funded by a transfer of the same block is skipped', () => {
    const key = SecretKey.random(seededRandom('chain-state-test/same-block'));
    const account = accountOf(publicKeyOf(key));
    const m0id = sim.idOf('m0');
    const transfer = signTransfer(keyOf('m0'), { to: fromHex(account, 'account'), amount: params.minStake, fee: 0n, nonce: parent.ledger.nonces.get(m0id) ?? 0, chainId: sim.genesis.chainId });
    const register = signedOp({ kind: 'register', publicKey: publicKeyOf(key), nonce: 0, minerType: 'verifier', stake: params.minStake }, key);
    const payload = buildPayload(rules, parent, at.head, null, [register], [transfer], 1 << 20);
    expect(decodePayload(payload).items).toEqual([]);
    const body = check(rules, parent, at, payload);
    expect(executor.balance(body.ledger, account)).toBe(params.minStake);
    expect(body.registry.miners.has(account)).toBe(false);
  });
});

describe('block rewards', () => {
  const { blockReward, proposerSharePercent } = params;

  /** Balance changes from `parent` to `state`, accounts sorted (zero changes left out). */
  function delta(parent: Pick<State, "ledger">, state: Pick<State, "ledger">): Record<string, bigint> {
    const accounts = new Set([...parent.ledger.balances.keys(), ...state.ledger.balances.keys()]);
    const out: [string, bigint][] = [];
    for (const a of [...accounts].sort()) {
      const d = executor.balance(state.ledger, a) - executor.balance(parent.ledger, a);
      if (d !== 0n) out.push([a, d]);
    }
    return Object.fromEntries(out);
  }

  /** The miner ids of the parent's validation group members that a certificate names. */
  function signersOf(parent: State, cert: SignerCertificate): string[] {
    const group = parent.groups.find((g) => g.id === parent.groupId)!;
    return cert.signers.map((member) => group.block.gis.members[member - 1]!.id);
  }

  /** The split: signers share (100 − proposerSharePercent)% equally, the proposer gets the rest. */
  function expectedSplit(proposer: string, signers: readonly string[], reward: bigint, percent: number): Record<string, bigint> {
    const each = (reward * BigInt(100 - percent)) / 100n / BigInt(signers.length);
    const out = new Map<string, bigint>([[proposer, reward - each * BigInt(signers.length)]]);
    for (const s of signers) out.set(s, (out.get(s) ?? 0n) + each);
    return Object.fromEntries(out);
  }

  const certified = chain.filter((s) => s.height >= 2 && payloadOf(s).parentCertificate);

  it('pays the proposer its share and each certified signer of the parent an equal part of the rest', () => {
    expect(certified.length).toBeGreaterThanOrEqual(5);
    for (const s of certified) {
      const payload = payloadOf(s);
      // No transfers, no miner operations: the reward is the block's only change to the ledger.
      expect(payload.transactions).toEqual(EMPTY_SECTION);
      expect(payload.items.filter((i) => i.kind === 'miner-op')).toEqual([]);
      const parent = parentOf(s);
      const signers = signersOf(parent, payload.parentCertificate!);
      expect(new Set(signers).size).toBe(parent.groups.find((g) => g.id === parent.groupId)!.threshold);
      expect(delta(parent, s)).toEqual(expectedSplit(s.proposer, signers, blockReward, proposerSharePercent));
    }
    // The small preset: 100 per block, 40 to the proposer, 60 shared by 3 signers.
    const first = certified[0]!;
    const paid = delta(parentOf(first), first);
    expect(paid[first.proposer]).toBe(40n);
    for (const s of signersOf(parentOf(first), payloadOf(first).parentCertificate!)) expect(paid[s]).toBe(20n);
  });

  it('without a certificate mints the proposer share only', () => {
    const first = chain[0]!;
    expect(payloadOf(first).parentCertificate).toBeNull();
    expect(delta(parentOf(first), first)).toEqual({ [first.proposer]: (blockReward * BigInt(proposerSharePercent)) / 100n });
  });

  it('gives the proposer what does not divide evenly among the signers', () => {
    // 30% to the proposer: 70 among 3 signers is 23 each, and the proposer takes 100 − 69 = 31.
    const s = certified[0]!;
    const parent = parentOf(s);
    // The header's state root commits to the preset's split, so compute the body alone.
    const block = blockOf(s);
    const group = parent.groups.find((g) => g.id === s.groupId)!;
    const after = bodyAfter(freshRules({ proposerSharePercent: 30 }), parent, block.header, group, block.payload);
    const signers = signersOf(parent, payloadOf(s).parentCertificate!);
    expect(delta(parent, after)).toEqual(expectedSplit(s.proposer, signers, blockReward, 30));
    expect(delta(parent, after)[s.proposer]).toBe(31n);
  });
});

describe('miner operations on the running chain', () => {
  const key = SecretKey.random(seededRandom('chain-state-test/new-miner'));
  const publicKey = publicKeyOf(key);
  const id = minerIdOf(publicKey);
  const funds = params.minStake * 3n;

  /** Runs the shared sim slot by slot until `done` holds for m0's head (at most `max` slots). */
  function runUntil(done: (head: State) => boolean, max = 8): State {
    for (let i = 0; i < max && !done(m0.head); i++) sim.runTo(++slot);
    expect(done(m0.head)).toBe(true);
    return m0.head;
  }

  /** Height of the block of m0's chain that carries `item`, or null. */
  function includedAt(item: ConsensusItem): number | null {
    const wanted = itemId(item);
    return m0.chain().find((s) => payloadOf(s).items.some((i) => itemId(i) === wanted))?.height ?? null;
  }

  it('registers a funded key as a verifier, debiting its stake', () => {
    const m0id = sim.idOf('m0');
    const nonce = m0.head.ledger.nonces.get(m0id) ?? 0;
    m0.submitTransaction(signTransfer(keyOf('m0'), { to: fromHex(accountOf(publicKey), 'account'), amount: funds, fee: 0n, nonce, chainId: sim.genesis.chainId }));
    runUntil((h) => executor.balance(h.ledger, id) === funds);

    const register = signedOp({ kind: 'register', publicKey, nonce: 0, minerType: 'verifier', stake: params.minStake }, key);
    m0.submitItem(register);
    const head = runUntil((h) => h.registry.miners.has(id));
    expect(head.registry.miners.get(id)).toMatchObject({ type: 'verifier', status: 'active', stake: params.minStake, registeredAt: includedAt(register) });
    expect(executor.balance(head.ledger, id)).toBe(funds - params.minStake);
    expect(head.opNonces.get(id)).toBe(1);
  });

  it('annuls it with the next nonce', () => {
    const annul = signedOp({ kind: 'annul', publicKey, nonce: 1 }, key);
    m0.submitItem(annul);
    const head = runUntil((h) => h.registry.miners.get(id)?.status === 'annulled');
    expect(head.registry.miners.get(id)).toMatchObject({ status: 'annulled', annulledAt: includedAt(annul), stake: params.minStake });
    expect(head.opNonces.get(id)).toBe(2);
    expect(executor.balance(head.ledger, id)).toBe(funds - params.minStake);
  });

  it('never includes a refund asked before annulment + refundDelay', () => {
    const refund = signedOp({ kind: 'refund', publicKey, nonce: 2 }, key);
    const annulledAt = m0.head.registry.miners.get(id)!.annulledAt!;
    const before = m0.head.height;
    m0.submitItem(refund);
    sim.runTo((slot += 4));
    const head = m0.head;
    expect(head.height).toBeGreaterThan(before);
    expect(includedAt(refund)).toBeNull();
    expect(head.registry.miners.get(id)).toMatchObject({ status: 'annulled', stake: params.minStake });
    expect(head.opNonces.get(id)).toBe(2);
    expect(executor.balance(head.ledger, id)).toBe(funds - params.minStake);

    const rules = freshRules();
    const at = eligibleSlot(rules, head);
    expect(decodePayload(buildPayload(rules, head, at.head, null, [refund], [], 1 << 20)).items).toEqual([]);
    const forced = encodePayload({ parentCertificate: null, items: [refund], transactions: EMPTY_SECTION });
    const e = consensusErrorOf(() => check(rules, head, at, forced));
    expect(e.code).toBe('invalid-block');
    expect(e.message).toMatch(new RegExp(`item 0 \\(miner-op\\): .*refundable from height ${annulledAt + params.refundDelay}`));
  });
});
