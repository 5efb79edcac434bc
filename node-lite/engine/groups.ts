// Groups as the engine holds them: an established group (its group block, the public
// polynomial from its DKG or the genesis ceremony, its members' public key shares) and a
// group being built (the GIS planned at its build height, the dealings, complaints and the
// parent's seal recorded so far on one chain).

import { toHex } from '../consensus/bytes.ts';
import type { GroupBlock, GroupInfo } from '../consensus/group-block.ts';
import type { MinerId } from '../consensus/miners.ts';
import { aggregatePublicKeys, dkgContext, evaluateCommitments, PublicKey, type Complaint, type Dealing, type DkgContext } from '../crypto/index.ts';
import type { Memo } from './memo.ts';

export interface GroupRecord {
  /** Hex of the group block hash: the GroupID blocks carry. */
  readonly id: string;
  readonly block: GroupBlock;
  readonly commitments: readonly PublicKey[];
  readonly threshold: number;
  /** Miner id → member id (1-based, the DKG id). */
  readonly memberIndex: ReadonlyMap<MinerId, number>;
  readonly activationHeight: number;
  readonly deactivationHeight: number;
  /** The qualified dealings of a DKG-built group (members derive their shares from them); [] for a genesis group. */
  readonly dealings: readonly Dealing[];
}

export function groupRecord(block: GroupBlock, commitments: readonly PublicKey[], epochLength: number, dealings: readonly Dealing[] = []): GroupRecord {
  return Object.freeze({
    dealings,
    id: toHex(block.hash),
    block,
    commitments,
    threshold: commitments.length,
    memberIndex: new Map(block.gis.members.map((m, i) => [m.id, i + 1])),
    activationHeight: block.gis.activationEpoch * epochLength,
    deactivationHeight: block.gis.deactivationEpoch * epochLength,
  });
}

// Public key shares are a pure function of the commitments: cached per record object.
const shareCache = new WeakMap<GroupRecord, Map<number, PublicKey>>();

/** Member `member`'s public key share Σ_k C_k·member^k: checks its partial signatures. */
export function publicShare(group: GroupRecord, member: number): PublicKey {
  let cache = shareCache.get(group);
  if (!cache) shareCache.set(group, (cache = new Map()));
  let pk = cache.get(member);
  if (!pk) cache.set(member, (pk = evaluateCommitments(group.commitments, member)));
  return pk;
}

/** The sum of some members' public key shares (checks an aggregate of their partials). */
export function aggregateShares(group: GroupRecord, members: readonly number[]): PublicKey {
  return aggregatePublicKeys(members.map((m) => publicShare(group, m)));
}

export interface PendingGroup {
  /** Hex of gisHash: names the group while it is built. */
  readonly key: string;
  readonly gis: GroupInfo;
  readonly gisHash: Uint8Array;
  readonly threshold: number;
  /** The parent (the validation group of the build slot). */
  readonly parentId: string;
  readonly dealUntil: number;
  readonly complainUntil: number;
  readonly activationHeight: number;
  /** Recorded dealings, in chain order; at most one per dealer unless it equivocated. */
  readonly dealings: readonly Dealing[];
  /** Ids of the recorded dealings (dedup of the identical dealing recorded twice). */
  readonly dealingIds: ReadonlySet<string>;
  readonly complaints: readonly Complaint[];
  readonly seal: Uint8Array | null;
}

/** The DKG context of a pending group: the session is its GIS hash. */
export function pendingContext(memo: Memo, group: PendingGroup): DkgContext {
  return memo.value(`dkg-ctx:${group.key}`, () =>
    dkgContext({ session: group.gisHash, threshold: group.threshold, members: group.gis.members.map((m) => PublicKey.fromBytes(m.publicKey)) }),
  );
}
