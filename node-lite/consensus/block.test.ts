import { describe, expect, it } from 'vitest';
import { sign } from '../crypto/index.ts';
import { beaconMessageAfter } from './beacon.ts';
import {
  BLOCK_HEADER_BYTES,
  decodeBlock,
  encodeBlock,
  endorsementMessage,
  isEquivocation,
  makeBlock,
  payloadHash,
  proposalHash,
  proposerMessage,
  slotTimestamp,
  verifyBlock,
  type Block,
  type BlockContext,
  type BlockProposal,
} from './block.ts';
import { toHex } from './bytes.ts';
import { ConsensusError } from './errors.ts';
import { slotRandom } from './group-selection.ts';
import { minerIdOf } from './miners.ts';
import { SMALL } from './params.ts';
import { proposalPriority, proveProposer } from './proposer.ts';
import { testKey, testPublicKey, testRandom } from './testing.ts';

// The group signs with its group secret directly: a threshold signature equals it (beacon.test.ts).
const groupKey = testKey(700);
const groupId = testRandom('group-700');
const proposerKey = testKey(1);
const GENESIS_TIME = 1_700_000_000_000;
const parent = { height: 4, hash: testRandom('parent-hash'), random: testRandom('parent-random') };

function context(overrides: Partial<BlockContext> = {}): BlockContext {
  return {
    params: SMALL,
    genesisTimeMs: GENESIS_TIME,
    parent,
    proposer: { publicKey: testPublicKey(1), stake: 100n },
    totalStake: 100n, // the only proposer: always eligible
    expectedProposers: 1,
    group: { id: groupId, publicKey: groupKey.publicKey().toBytes() },
    ...overrides,
  };
}

function buildBlock(height = 6, payload = new TextEncoder().encode('transfers'), overrides: Partial<BlockProposal> = {}): Block {
  const proposal: BlockProposal = {
    height,
    timestamp: slotTimestamp(SMALL, GENESIS_TIME, height),
    prehash: parent.hash,
    proposer: minerIdOf(testPublicKey(1)),
    vrfProof: proveProposer(proposerKey, height, slotRandom(parent.random, parent.height, height)).proof,
    groupId,
    payloadHash: payloadHash(payload),
    stateRoot: new Uint8Array(32).fill(5),
    ...overrides,
  };
  const ph = proposalHash(proposal);
  return makeBlock(
    {
      ...proposal,
      proposerSignature: sign(proposerKey, proposerMessage(ph)).toBytes(),
      randomSignature: sign(groupKey, beaconMessageAfter(parent.random, parent.height, height)).toBytes(),
      groupSignature: sign(groupKey, endorsementMessage(ph)).toBytes(),
    },
    payload,
  );
}

function rejects(bytes: Uint8Array, re: RegExp): void {
  let error: unknown;
  try {
    decodeBlock(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConsensusError);
  expect((error as ConsensusError).code).toBe('malformed-block');
  expect((error as ConsensusError).message).toMatch(re);
}

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConsensusError);
    return (e as ConsensusError).code;
  }
  throw new Error('no error');
}

describe('block encoding', () => {
  const block = buildBlock();
  const bytes = encodeBlock(block);

  it('round-trips with a stable hash, random and VRF output', () => {
    expect(bytes.length).toBe(BLOCK_HEADER_BYTES + 4 + block.payload.length);
    const again = decodeBlock(bytes);
    expect(toHex(again.hash)).toBe(toHex(block.hash));
    expect(toHex(again.random)).toBe(toHex(block.random));
    expect(toHex(again.proposalHash)).toBe(toHex(block.proposalHash));
    expect(again.header).toEqual(block.header);
    expect(toHex(encodeBlock(again))).toBe(toHex(bytes));
    expect(toHex(decodeBlock(encodeBlock(buildBlock(6, new Uint8Array(0)))).payload)).toBe('');
  });

  it('rejects malformed bytes with a clear error', () => {
    const edit = (at: number, value: number): Uint8Array => {
      const b = bytes.slice();
      b[at] = value;
      return b;
    };
    rejects(bytes.subarray(0, 100), /truncated/);
    rejects(bytes.subarray(0, bytes.length - 1), /truncated: payload/);
    rejects(new Uint8Array([...bytes, 0]), /trailing/);
    rejects(edit(0, 0x41), /bad magic/);
    rejects(edit(4, 2), /version 2/);
    rejects(edit(5, 0xff), /exceeds the largest safe integer/);
    const heightZero = bytes.slice();
    heightZero.fill(0, 5, 13);
    rejects(heightZero, /genesis/);
    rejects(edit(BLOCK_HEADER_BYTES + 4, bytes[BLOCK_HEADER_BYTES + 4]! ^ 1), /payload hash/);
    rejects(edit(5 + 8 + 8 + 32 + 32, 0), /VRF proof/); // clear the compression flag bits
    rejects(edit(BLOCK_HEADER_BYTES - 96, 0), /group signature/);
    const huge = bytes.slice();
    new DataView(huge.buffer).setUint32(BLOCK_HEADER_BYTES, 0xffff_ffff);
    rejects(huge, /exceeds/);
    expect(code(() => decodeBlock('nope' as unknown as Uint8Array))).toBe('malformed-block');
  });
});

describe('block rules', () => {
  const block = buildBlock();

  it('accepts a valid block and returns its priority', () => {
    const g = verifyBlock(block, context());
    expect(g).toBe(proposalPriority(block.vrfOutput, 100n, 100n, 1));
  });

  it('rejects each broken rule with its code', () => {
    expect(code(() => verifyBlock(block, context({ parent: { ...parent, hash: testRandom('x') } })))).toBe('invalid-block');
    expect(code(() => verifyBlock(block, context({ parent: { ...parent, height: 6 } })))).toBe('invalid-block');
    expect(code(() => verifyBlock(block, context({ genesisTimeMs: GENESIS_TIME + 1 })))).toBe('invalid-block');
    expect(code(() => verifyBlock(block, context({ group: { id: testRandom('other'), publicKey: groupKey.publicKey().toBytes() } })))).toBe('invalid-block');
    expect(code(() => verifyBlock(block, context({ proposer: { publicKey: testPublicKey(2), stake: 100n } })))).toBe('invalid-block');
    expect(code(() => verifyBlock(block, context({ totalStake: 1n << 250n })))).toBe('invalid-proposer');
    // The same group's signature but another group's key: both the random and the endorsement fail.
    expect(code(() => verifyBlock(block, context({ group: { id: groupId, publicKey: testPublicKey(701) } })))).toBe('invalid-random');
    // A parent random that does not match: the VRF input changes first.
    expect(code(() => verifyBlock(block, context({ parent: { ...parent, random: testRandom('y') } })))).toBe('invalid-proposer');
  });

  it('rejects a group signature on other content and a random for another slot', () => {
    const other = buildBlock(6, new TextEncoder().encode('other'));
    const mixed = makeBlock({ ...block.header, groupSignature: other.header.groupSignature }, block.payload);
    expect(code(() => verifyBlock(mixed, context()))).toBe('invalid-group-signature');
    const seven = buildBlock(7);
    const wrongSlot = makeBlock({ ...block.header, randomSignature: seven.header.randomSignature }, block.payload);
    expect(code(() => verifyBlock(wrongSlot, context()))).toBe('invalid-random');
  });

  it('detects one proposer signing two blocks at one height', () => {
    const other = buildBlock(6, new TextEncoder().encode('double spend'));
    expect(isEquivocation(block.header, other.header)).toBe(true);
    expect(isEquivocation(block.header, block.header)).toBe(false);
    expect(isEquivocation(block.header, buildBlock(7).header)).toBe(false);
    expect(isEquivocation(block.header, { ...other.header, proposer: minerIdOf(testPublicKey(2)) })).toBe(false);
  });
});
