// The values the Chiron engine sends over the network and records in block payloads.
// Encoded and decoded by codec.ts (strict: every field checked, nothing trailing, sizes
// bounded before allocation). See docs/consensus-engine.md.

import type { BlockProposal } from '../consensus/block.ts';
import type { MinerType } from '../consensus/miners.ts';
import type { Complaint, Dealing } from '../crypto/dkg.ts';

/** A proposer's signed proposal with its payload: a block before the group has signed it. */
export interface Candidate {
  readonly proposal: BlockProposal;
  readonly proposerSignature: Uint8Array; // 96
  readonly payload: Uint8Array;
}

/**
 * A validation-group member's vote for one candidate of slot `height`: its partial signature
 * on the endorsement message of `proposalHash`, and its partial signature on the slot's
 * beacon message. `member` is its 1-based index in the group (its DKG id).
 */
export interface Endorsement {
  readonly height: number;
  readonly groupId: Uint8Array; // 32
  readonly proposalHash: Uint8Array; // 32
  readonly member: number; // 1..MAX_GROUP_MEMBERS
  readonly endorsePartial: Uint8Array; // 96
  readonly beaconPartial: Uint8Array; // 96
}

/**
 * Which members signed a block: member ids (ascending, distinct) and the aggregate of their
 * partial endorsement signatures, checkable against the sum of their public key shares.
 */
export interface SignerCertificate {
  readonly signers: readonly number[];
  readonly aggregate: Uint8Array; // 96
}

/** A signed proposal: the evidence unit of equivocation. */
export interface SignedProposal {
  readonly proposal: BlockProposal;
  readonly signature: Uint8Array; // 96
}

/** Two signed proposals by one proposer for one height (block.ts isEquivocation). */
export interface Equivocation {
  readonly a: SignedProposal;
  readonly b: SignedProposal;
}

/**
 * A miner operation (whitepaper 2.1.1), signed by the miner's BLS key over
 * "ZV-MINER-OP-v1" ‖ encoding without the signature. `nonce` = operations of this key
 * already applied on the chain, so an operation cannot be replayed.
 */
export type MinerOp =
  | { readonly kind: 'register'; readonly publicKey: Uint8Array; readonly nonce: number; readonly minerType: MinerType; readonly stake: bigint; readonly signature: Uint8Array }
  | { readonly kind: 'annul'; readonly publicKey: Uint8Array; readonly nonce: number; readonly signature: Uint8Array }
  | { readonly kind: 'refund'; readonly publicKey: Uint8Array; readonly nonce: number; readonly signature: Uint8Array };

/**
 * Consensus records a block carries (its payload's consensus section). `group` names a group
 * being built by the hash of its GIS (gisHash), which is known from the build block on.
 */
export type ConsensusItem =
  | { readonly kind: 'dealing'; readonly group: Uint8Array; readonly dealing: Dealing }
  | { readonly kind: 'complaint'; readonly group: Uint8Array; readonly complaint: Complaint }
  /** The parent group's threshold signature on the new group's GIS. */
  | { readonly kind: 'group-seal'; readonly group: Uint8Array; readonly parentSignature: Uint8Array }
  | { readonly kind: 'equivocation'; readonly evidence: Equivocation }
  | { readonly kind: 'miner-op'; readonly op: MinerOp };

export type ConsensusItemKind = ConsensusItem['kind'];

/** A block's payload: the consensus section, then the executor's opaque transactions. */
export interface Payload {
  /** Who signed the parent block (null: the proposer had no certificate; no signer rewards). */
  readonly parentCertificate: SignerCertificate | null;
  readonly items: readonly ConsensusItem[];
  readonly transactions: Uint8Array;
}

/** Every message of the engine's wire protocol. */
export type Message =
  | { readonly kind: 'candidate'; readonly candidate: Candidate }
  | { readonly kind: 'endorsement'; readonly endorsement: Endorsement }
  /** A signed block (encodeBlock bytes decoded) with the certificate of its signers. */
  | { readonly kind: 'block'; readonly block: import('../consensus/block.ts').Block; readonly certificate: SignerCertificate }
  /** Sync request: block hashes of the sender's chain, tip first, then exponentially sparser. */
  | { readonly kind: 'get-blocks'; readonly locator: readonly Uint8Array[]; readonly max: number }
  /** Sync reply: consecutive blocks of the responder's chain, ascending. */
  | { readonly kind: 'blocks'; readonly blocks: readonly { readonly block: import('../consensus/block.ts').Block; readonly certificate: SignerCertificate }[] }
  /** A consensus item for proposers to include (dealing, complaint, seal, evidence, miner op). */
  | { readonly kind: 'item'; readonly item: ConsensusItem }
  /** A parent-group member's partial signature on a new group's GIS. */
  | { readonly kind: 'gis-partial'; readonly group: Uint8Array; readonly parentGroupId: Uint8Array; readonly member: number; readonly signature: Uint8Array }
  /** An executor transaction for proposers' pools. */
  | { readonly kind: 'tx'; readonly tx: Uint8Array };

export type MessageKind = Message['kind'];

/** Limits the decoder enforces before allocating (hostile input). */
export const LIMITS = Object.freeze({
  maxLocator: 64,
  maxSyncBlocks: 64,
  maxItems: 4096,
  maxSigners: 1000,
  maxDealingPoints: 1000,
  maxTxBytes: 64 * 1024,
});
