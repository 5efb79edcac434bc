import { describe, expect, it } from 'vitest';
import { sign } from '../crypto/index.ts';
import { toHex } from './bytes.ts';
import { ConsensusError } from './errors.ts';
import {
  MAX_GROUP_MEMBERS,
  checkGroupBlockRules,
  decodeGroupBlock,
  encodeGroupBlock,
  makeGroupBlock,
  verifyParentSignature,
  type GroupBlock,
  type GroupBlockFields,
  type GroupInfo,
} from './group-block.ts';
import { minerIdOf } from './miners.ts';
import { SMALL as SMALL_PRESET } from './params.ts';

// These tests were written against groups built every 2 blocks; the preset now builds every 5.
const SMALL = { ...SMALL_PRESET, checkInterval: 2 };
import { testKey, testPublicKey, testRandom } from './testing.ts';

const parentKey = testKey(900); // stands in for the parent group's key: a group signature is a BLS signature under it
const groupKey = testPublicKey(901);

function gis(overrides: Partial<GroupInfo> = {}): GroupInfo {
  const members = [1, 2, 3, 4, 5].map((i) => ({ id: minerIdOf(testPublicKey(i)), publicKey: testPublicKey(i) }));
  return { type: 'verifier', createdAt: 14, seed: testRandom(14), activationEpoch: 3, deactivationEpoch: 5, members, ...overrides };
}

function signedBlock(info: GroupInfo = gis()): GroupBlock {
  const unsigned = makeGroupBlock({ gis: info, parentSignature: null, prehash: new Uint8Array(32), groupPublicKey: groupKey });
  return makeGroupBlock({ gis: info, parentSignature: sign(parentKey, unsigned.gisHash).toBytes(), prehash: testRandom('parent'), groupPublicKey: groupKey });
}

function malformed(bytes: Uint8Array): string {
  try {
    decodeGroupBlock(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ConsensusError);
    expect((e as ConsensusError).code).toBe('malformed-group-block');
    return (e as ConsensusError).message;
  }
  throw new Error('decoded malformed bytes');
}

function badFields(fields: GroupBlockFields): string {
  try {
    makeGroupBlock(fields);
  } catch (e) {
    expect((e as ConsensusError).code).toBe('malformed-group-block');
    return (e as ConsensusError).message;
  }
  throw new Error('accepted bad fields');
}

// Offsets in the encoding of a 5-member block (see the layout in group-block.ts).
const OFF = { version: 4, type: 5, createdAt: 6, activation: 46, count: 54, members: 56 };
const PREHASH = OFF.members + 5 * 80;
const FLAG = PREHASH + 32;

describe('group block encoding', () => {
  it('round-trips, with a stable hash and a verifiable parent signature', () => {
    const block = signedBlock();
    const bytes = encodeGroupBlock(block);
    expect(bytes.length).toBe(FLAG + 1 + 96 + 48);
    const back = decodeGroupBlock(bytes);
    expect(back.hash).toEqual(block.hash);
    expect(back.gisHash).toEqual(block.gisHash);
    expect(back.gis).toEqual(block.gis);
    expect(encodeGroupBlock(back)).toEqual(bytes);
    expect(verifyParentSignature(back, parentKey.publicKey().toBytes())).toBe(true);
    expect(verifyParentSignature(back, testPublicKey(902))).toBe(false);
  });

  it('a genesis group has zero prehash and no signature, and round-trips too', () => {
    const genesis = makeGroupBlock({ gis: gis({ createdAt: 0, activationEpoch: 0, deactivationEpoch: 2 }), parentSignature: null, prehash: new Uint8Array(32), groupPublicKey: groupKey });
    const back = decodeGroupBlock(encodeGroupBlock(genesis));
    expect(back.hash).toEqual(genesis.hash);
    expect(back.parentSignature).toBeNull();
    expect(verifyParentSignature(back, parentKey.publicKey().toBytes())).toBe(false);
    checkGroupBlockRules(back, SMALL);
  });

  it('the hash covers every field; the parent signature covers the GIS', () => {
    const block = signedBlock();
    const changed = signedBlock(gis({ seed: testRandom(15) }));
    expect(toHex(changed.hash)).not.toBe(toHex(block.hash));
    const sameGisOtherKey = makeGroupBlock({ ...block, groupPublicKey: testPublicKey(903) });
    expect(toHex(sameGisOtherKey.hash)).not.toBe(toHex(block.hash));
    expect(sameGisOtherKey.gisHash).toEqual(block.gisHash);
    // The signature does not carry over to another GIS.
    const forged = makeGroupBlock({ ...changed, parentSignature: block.parentSignature });
    expect(verifyParentSignature(forged, parentKey.publicKey().toBytes())).toBe(false);
  });

  it('rejects every truncation and trailing bytes', () => {
    const bytes = encodeGroupBlock(signedBlock());
    for (let n = 0; n < bytes.length; n++) malformed(bytes.subarray(0, n));
    expect(malformed(Uint8Array.of(...bytes, 0))).toMatch(/1 trailing bytes/);
  });

  it('rejects bad headers, counts, flags, ids, points and windows', () => {
    const good = encodeGroupBlock(signedBlock());
    const patch = (at: number, ...values: number[]): Uint8Array => {
      const b = good.slice();
      values.forEach((v, i) => (b[at + i] = v));
      return b;
    };
    expect(malformed(patch(0, 0x58))).toMatch(/bad magic/);
    expect(malformed(patch(OFF.version, 2))).toMatch(/version 2/);
    expect(malformed(patch(OFF.type, 7))).toMatch(/type code 7/);
    expect(malformed(patch(OFF.createdAt, 0xff))).toMatch(/largest safe height/);
    expect(malformed(patch(OFF.count, 0, 0))).toMatch(/1\.\.1000 members, got 0/);
    expect(malformed(patch(OFF.count, (MAX_GROUP_MEMBERS + 1) >> 8, (MAX_GROUP_MEMBERS + 1) & 0xff))).toMatch(/got 1001/);
    malformed(patch(OFF.count, 0, 6)); // one member too many: the rest of the layout shifts; any field may complain
    expect(malformed(patch(OFF.members, good[OFF.members]! ^ 1))).toMatch(/member 0: id .* is not the hash/);
    expect(malformed(patch(OFF.members + 32 + 47, good[OFF.members + 32 + 47]! ^ 1))).toMatch(/member 0/);
    expect(malformed(patch(FLAG, 2))).toMatch(/signature flag/);
    expect(malformed(patch(FLAG + 1 + 95, good[FLAG + 96]! ^ 1))).toMatch(/parent signature/);
    expect(malformed(patch(good.length - 1, good[good.length - 1]! ^ 1))).toMatch(/group public key/);
    // activation 5 >= deactivation 5
    expect(malformed(patch(OFF.activation, 0, 0, 0, 5))).toMatch(/deactivation epoch 5 must be after activation epoch 5/);
  });

  it('makeGroupBlock rejects duplicates, missing or stray signatures and wrong sizes', () => {
    const block = signedBlock();
    const m = block.gis.members;
    expect(badFields({ ...block, gis: { ...block.gis, members: [...m, m[0]!] } })).toMatch(/appears twice/);
    expect(badFields({ ...block, parentSignature: null })).toMatch(/needs the parent signature/);
    expect(badFields({ ...block, prehash: new Uint8Array(32) })).toMatch(/genesis group .* carries no parent signature/);
    expect(badFields({ ...block, prehash: new Uint8Array(31) })).toMatch(/prehash must be 32 bytes/);
    expect(badFields({ ...block, gis: { ...block.gis, type: 'other' as 'verifier' } })).toMatch(/unknown group type/);
    expect(badFields({ ...block, gis: { ...block.gis, members: [] } })).toMatch(/got 0/);
  });

  it('decoding wrong input types gives the documented error', () => {
    expect(malformed('nope' as unknown as Uint8Array)).toMatch(/byte array/);
  });
});

describe('group block rules of a preset', () => {
  it('accepts a block with the lifecycle of its creation height', () => {
    checkGroupBlockRules(signedBlock(), SMALL);
  });
  it('rejects wrong epochs, sizes and creation heights', () => {
    const rule = (info: GroupInfo): string => {
      try {
        checkGroupBlockRules(signedBlock(info), SMALL);
      } catch (e) {
        expect((e as ConsensusError).code).toBe('malformed-group-block');
        return (e as ConsensusError).message;
      }
      throw new Error('accepted');
    };
    expect(rule(gis({ activationEpoch: 2 }))).toMatch(/activation epoch 2, expected 3/);
    expect(rule(gis({ deactivationEpoch: 6 }))).toMatch(/deactivation epoch 6/);
    expect(rule(gis({ createdAt: 15 }))).toMatch(/not a build height/);
    expect(rule(gis({ members: gis().members.slice(0, 2) }))).toMatch(/2 members, the preset allows 3\.\.5/);
  });
});
