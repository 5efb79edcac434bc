import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  endorsementMessage,
  makeBlock,
  payloadHash,
  proposalHash,
  proposerMessage,
  type Block,
  type BlockProposal,
} from '../consensus/block.ts';
import { toHex } from '../consensus/bytes.ts';
import { minerIdOf } from '../consensus/miners.ts';
import {
  createDealing,
  dkgContext,
  PublicKey,
  proveSharedSecret,
  SecretKey,
  seededRandom,
  sign,
  verifyBytes,
  vrfProve,
} from '../crypto/index.ts';
import { Rng } from '../net/rng.ts';
import {
  CodecError,
  decodeItem,
  decodeMessage,
  decodePayload,
  encodeItem,
  encodeMessage,
  encodePayload,
  itemId,
  minerOpMessage,
  type UnsignedMinerOp,
} from './codec.ts';
import type { ConsensusItem, Message, MinerOp, Payload, SignedProposal, SignerCertificate } from './types.ts';

// ---- fixtures, built once: real keys, signatures, a DKG dealing, VRF proofs and blocks ----

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const hash = (label: string): Uint8Array => sha256(utf8(label));
const keys = [0, 1, 2, 3].map((i) => SecretKey.random(seededRandom(`codec-test-key-${i}`)));
const publicKeys = keys.map((k) => k.publicKey());
const proposerKey = keys[0]!;
const groupKey = keys[3]!;
const sig = (key: SecretKey, label: string): Uint8Array => sign(key, utf8(label)).toBytes();

const dkg = dkgContext({ session: hash('gis'), threshold: 3, members: publicKeys });
const dealing = createDealing(dkg, 2, keys[1]!, seededRandom('codec-test-dealing'));
const revealed = proveSharedSecret(keys[2]!, PublicKey.fromBytes(dealing.ephemeral));

function proposal(height: number, payload: Uint8Array): BlockProposal {
  return {
    height,
    timestamp: 1_700_000_000_000 + height * 3000,
    prehash: hash(`parent-${height}`),
    proposer: minerIdOf(publicKeys[0]!.toBytes()),
    vrfProof: vrfProve(proposerKey, hash(`slot-${height}`)).proof,
    groupId: hash('group'),
    payloadHash: payloadHash(payload),
    stateRoot: new Uint8Array(32).fill(5),
  };
}

function signedProposal(p: BlockProposal): SignedProposal {
  return { proposal: p, signature: sign(proposerKey, proposerMessage(proposalHash(p))).toBytes() };
}

function signOp(op: UnsignedMinerOp): MinerOp {
  return { ...op, signature: sign(keys[1]!, minerOpMessage(op)).toBytes() } as MinerOp;
}

const opKey = publicKeys[1]!.toBytes();
const ops: MinerOp[] = [
  signOp({ kind: 'register', publicKey: opKey, nonce: 0, minerType: 'proposer', stake: 5_000_000_000_000_000_000n }),
  signOp({ kind: 'register', publicKey: opKey, nonce: 1, minerType: 'verifier', stake: (1n << 128n) - 1n }),
  signOp({ kind: 'annul', publicKey: opKey, nonce: 2 }),
  signOp({ kind: 'refund', publicKey: opKey, nonce: Number.MAX_SAFE_INTEGER }),
];

const items: ConsensusItem[] = [
  { kind: 'dealing', group: hash('gis'), dealing },
  { kind: 'complaint', group: hash('gis'), complaint: { dealer: 2, accuser: 3, sharedSecret: revealed.shared, proof: revealed.proof } },
  { kind: 'group-seal', group: hash('gis'), parentSignature: sig(groupKey, 'gis') },
  { kind: 'equivocation', evidence: { a: signedProposal(proposal(9, utf8('a'))), b: signedProposal(proposal(9, utf8('b'))) } },
  ...ops.map((op): ConsensusItem => ({ kind: 'miner-op', op })),
];

const certificate: SignerCertificate = { signers: [1, 2, 4, 1000], aggregate: sig(groupKey, 'aggregate') };
const payloads: Payload[] = [
  { parentCertificate: certificate, items, transactions: utf8('transfers') },
  { parentCertificate: null, items: [], transactions: new Uint8Array(0) },
];

function block(height: number, payload: Uint8Array): Block {
  const p = proposal(height, payload);
  const ph = proposalHash(p);
  return makeBlock(
    {
      ...p,
      proposerSignature: sign(proposerKey, proposerMessage(ph)).toBytes(),
      randomSignature: sig(groupKey, `beacon-${height}`),
      groupSignature: sign(groupKey, endorsementMessage(ph)).toBytes(),
    },
    payload,
  );
}

const blockA = block(7, encodePayload(payloads[0]!));
const blockB = block(8, encodePayload(payloads[1]!));
const candidatePayload = encodePayload(payloads[1]!);
const candidateProposal = proposal(10, candidatePayload);

const messages: Message[] = [
  { kind: 'candidate', candidate: { proposal: candidateProposal, proposerSignature: signedProposal(candidateProposal).signature, payload: candidatePayload } },
  {
    kind: 'endorsement',
    endorsement: { height: 10, groupId: hash('group'), proposalHash: proposalHash(candidateProposal), member: 4, endorsePartial: sig(keys[3]!, 'endorse'), beaconPartial: sig(keys[3]!, 'beacon') },
  },
  { kind: 'block', block: blockA, certificate },
  { kind: 'get-blocks', locator: [blockB.hash, blockA.hash, hash('genesis')], max: 64 },
  { kind: 'blocks', blocks: [{ block: blockA, certificate }, { block: blockB, certificate: { signers: [3], aggregate: sig(groupKey, 'b') } }] },
  { kind: 'blocks', blocks: [] },
  ...items.map((item): Message => ({ kind: 'item', item })),
  { kind: 'gis-partial', group: hash('gis'), parentGroupId: hash('group'), member: 1000, signature: sig(keys[2]!, 'gis') },
  { kind: 'tx', tx: utf8('a transfer') },
];
const encoded = messages.map(encodeMessage);

function codecError(decode: () => unknown): CodecError {
  try {
    decode();
  } catch (e) {
    if (e instanceof CodecError) return e;
    throw new Error(`expected a CodecError, got ${String(e)}`);
  }
  throw new Error('expected a CodecError, the input decoded');
}

const patched = (bytes: Uint8Array, at: number, ...values: number[]): Uint8Array => {
  const out = bytes.slice();
  out.set(values, at);
  return out;
};

// ---- tests ----

describe('round trips', () => {
  it('decodes every message kind to the value it encoded, and re-encodes to the same bytes', () => {
    messages.forEach((m, i) => {
      const decoded = decodeMessage(encoded[i]!);
      expect(decoded).toEqual(m);
      expect(encodeMessage(decoded)).toEqual(encoded[i]);
    });
  });

  it('uses the documented header and kind codes', () => {
    const codes = { candidate: 1, endorsement: 2, block: 3, 'get-blocks': 4, blocks: 5, item: 6, 'gis-partial': 7, tx: 8 };
    messages.forEach((m, i) => {
      expect([...encoded[i]!.subarray(0, 5)]).toEqual([0x5a, 0x56, 0x4d, 1, codes[m.kind]]);
    });
    // Endorsement: header 5, height 8, groupId 32, proposalHash 32, member 2, two signatures.
    expect(encoded[1]!.length).toBe(5 + 8 + 32 + 32 + 2 + 96 + 96);
    expect([...encoded[1]!.subarray(77, 79)]).toEqual([0, 4]);
    // A candidate carries block.ts's 272-byte proposal right after the header.
    expect(encoded[0]!.length).toBe(5 + 272 + 96 + 4 + candidatePayload.length);
  });

  it('decodes every item kind alone and inside a payload', () => {
    const codes = { dealing: 1, complaint: 2, 'group-seal': 3, equivocation: 4, 'miner-op': 5 };
    for (const item of items) {
      const bytes = encodeItem(item);
      expect(bytes[0]).toBe(codes[item.kind]);
      expect(decodeItem(bytes)).toEqual(item);
    }
    for (const p of payloads) {
      const bytes = encodePayload(p);
      expect(decodePayload(bytes)).toEqual(p);
      expect(encodePayload(decodePayload(bytes))).toEqual(bytes);
    }
    expect(decodePayload(blockA.payload)).toEqual(payloads[0]);
  });

  it('encodes a miner op in the documented layout and signs it without its signature', () => {
    const register = ops[0]!;
    const message = minerOpMessage(register);
    expect(new TextDecoder().decode(message.subarray(0, 14))).toBe('ZV-MINER-OP-v1');
    // kind 1, key 48, nonce 8, type 1, stake 16: the item is the same bytes plus the signature.
    expect(message.length).toBe(14 + 1 + 48 + 8 + 1 + 16);
    expect(encodeItem({ kind: 'miner-op', op: register })).toEqual(Uint8Array.of(5, ...message.subarray(14), ...register.signature));
    expect(toHex(message.subarray(14 + 1 + 48 + 8 + 1))).toBe((5_000_000_000_000_000_000n).toString(16).padStart(32, '0'));
    const resigned: MinerOp = { ...register, signature: new Uint8Array(96) };
    expect(minerOpMessage(resigned)).toEqual(message);
    expect(verifyBytes(opKey, message, register.signature)).toBe(true);
    expect(minerOpMessage(ops[2]!).length).toBe(14 + 1 + 48 + 8);
  });

  it('gives every item a stable id: the hex SHA-256 of its encoding', () => {
    const ids = items.map(itemId);
    expect(new Set(ids).size).toBe(items.length);
    expect(ids[0]).toBe(toHex(sha256(encodeItem(items[0]!))));
    expect(itemId(decodeItem(encodeItem(items[0]!)))).toBe(ids[0]);
  });

  it('returns values that do not alias the input bytes', () => {
    messages.forEach((m, i) => {
      const bytes = encoded[i]!.slice();
      const decoded = decodeMessage(bytes);
      bytes.fill(0xee);
      expect(decoded).toEqual(m);
    });
    const bytes = encodePayload(payloads[0]!);
    const decoded = decodePayload(bytes);
    bytes.fill(0);
    expect(decoded).toEqual(payloads[0]);
  });
});

describe('malformed input', () => {
  it('throws CodecError for every truncation of every message, item and payload', () => {
    const all = [...encoded, ...items.map(encodeItem), ...payloads.map(encodePayload)];
    const decoders = [...encoded.map(() => decodeMessage), ...items.map(() => decodeItem), ...payloads.map(() => decodePayload)];
    all.forEach((bytes, i) => {
      for (let n = 0; n < bytes.length; n++) {
        const e = codecError(() => decoders[i]!(bytes.subarray(0, n)));
        expect(e.code).toBe('malformed-message');
      }
    });
  });

  it('rejects trailing bytes', () => {
    for (const bytes of encoded) expect(codecError(() => decodeMessage(Uint8Array.of(...bytes, 0))).message).toMatch(/end at offset \d+: 1 trailing bytes/);
    expect(codecError(() => decodeItem(Uint8Array.of(...encodeItem(items[2]!), 0, 0))).message).toMatch(/^item: end at offset 129: 2 trailing bytes/);
    expect(codecError(() => decodePayload(Uint8Array.of(...encodePayload(payloads[1]!), 1))).message).toMatch(/^payload: end/);
  });

  it('rejects unknown magic, version and kind', () => {
    const m = encoded[messages.length - 1]!; // tx
    expect(codecError(() => decodeMessage(patched(m, 0, 0x41))).message).toMatch(/^message: magic at offset 0/);
    expect(codecError(() => decodeMessage(patched(m, 3, 2))).message).toBe('message: version at offset 3: 2 is not in 1..1');
    expect(codecError(() => decodeMessage(patched(m, 4, 0))).message).toBe('message: kind at offset 4: 0 is not in 1..8');
    expect(codecError(() => decodeMessage(patched(m, 4, 9))).message).toBe('message: kind at offset 4: 9 is not in 1..8');
    expect(codecError(() => decodeItem(Uint8Array.of(6))).message).toBe('item: kind at offset 0: 6 is not in 1..5');
    expect(codecError(() => decodePayload(utf8('ZVPX'))).message).toMatch(/^payload: magic at offset 0/);
    expect(codecError(() => decodeMessage(new Uint8Array(0))).message).toMatch(/^message: magic at offset 0: truncated/);
  });

  it('rejects oversized counts by the count alone, before reading or allocating what it announces', () => {
    // Nothing follows the counts: the error is about the count, not about missing bytes.
    expect(codecError(() => decodeMessage(Uint8Array.of(0x5a, 0x56, 0x4d, 1, 4, 0, 65))).message).toBe('get-blocks: locator count at offset 5: 65 is not in 1..64');
    expect(codecError(() => decodeMessage(Uint8Array.of(0x5a, 0x56, 0x4d, 1, 4, 0, 0))).message).toMatch(/locator count at offset 5: 0 is not in 1\.\.64/);
    expect(codecError(() => decodePayload(Uint8Array.of(...utf8('ZVPL'), 1, 0, 0x10, 0x01))).message).toBe('payload: item count at offset 6: 4097 is not in 0..4096');
    expect(codecError(() => decodeMessage(patched(encoded[1]!, 77, 0x03, 0xe9))).message).toBe('endorsement: member at offset 77: 1001 is not in 1..1000');
    expect(codecError(() => decodeMessage(patched(encoded[1]!, 77, 0, 0))).message).toBe('endorsement: member at offset 77: 0 is not in 1..1000');
    expect(codecError(() => decodeMessage(Uint8Array.of(0x5a, 0x56, 0x4d, 1, 5, 0, 65))).message).toBe('blocks: block count at offset 5: 65 is not in 0..64');
    expect(codecError(() => decodeMessage(Uint8Array.of(0x5a, 0x56, 0x4d, 1, 8, 0, 1, 0, 1))).message).toBe('tx: tx length at offset 5: 65537 is not in 1..65536');
    expect(codecError(() => decodeMessage(Uint8Array.of(0x5a, 0x56, 0x4d, 1, 1, ...new Uint8Array(368), 0xff, 0xff, 0xff, 0xff))).message).toMatch(
      /^candidate: payload length at offset 373: 4294967295 is not in 0\.\.4194304/,
    );
    // A dealing's point lists are bounded by LIMITS.maxDealingPoints.
    const dealingItem = encodeItem(items[0]!);
    expect(codecError(() => decodeItem(patched(dealingItem, 37, 0x03, 0xe9))).message).toBe('item: dealing.commitment count at offset 37: 1001 is not in 1..1000');
  });

  it('rejects certificates whose signers are not strictly ascending member ids', () => {
    const payload = encodePayload(payloads[0]!);
    // "ZVPL" 1 flag=1, then count u16 at 6 and the ids at 8, 10, 12, 14.
    expect(codecError(() => decodePayload(patched(payload, 10, 0, 1))).message).toBe('payload: certificate.signer[1] at offset 10: 1 is not in 2..1000');
    expect(codecError(() => decodePayload(patched(payload, 6, 0, 0))).message).toBe('payload: certificate.signer count at offset 6: 0 is not in 1..1000');
    expect(codecError(() => decodePayload(patched(payload, 5, 2))).message).toBe('payload: certificate flag at offset 5: 2 is not in 0..1');
  });

  it('checks proposals with block.ts and candidates against their payload hash', () => {
    const candidate = encoded[0]!;
    // The proposal starts at 5: height at 5, VRF proof at 5 + 80.
    expect(codecError(() => decodeMessage(patched(candidate, 5, 0, 0, 0, 0, 0, 0, 0, 0))).message).toMatch(/^candidate: proposal at offset 5: height 0 is the genesis/);
    expect(codecError(() => decodeMessage(patched(candidate, 5, 0xff))).message).toMatch(/^candidate: proposal\.height at offset 5: \d+ exceeds the largest safe integer/);
    expect(codecError(() => decodeMessage(patched(candidate, 85, 0))).message).toMatch(/^candidate: proposal at offset 5: VRF proof: /);
    expect(codecError(() => decodeMessage(patched(candidate, candidate.length - 1, 0xff))).message).toMatch(/^candidate: payload at offset 377: payload hash does not match/);
    const equivocation = encodeItem(items[3]!);
    expect(codecError(() => decodeItem(patched(equivocation, 1 + 368 + 80, 0))).message).toMatch(/^item: evidence\.b\.proposal at offset 369: VRF proof: /);
  });

  it('rethrows block decoding failures as CodecError', () => {
    const m = encoded[2]!; // block: header 5, u32 length, block bytes from offset 9
    expect(codecError(() => decodeMessage(patched(m, 9, 0))).message).toMatch(/^block: block at offset 9: not a block \(bad magic\)/);
    expect(codecError(() => decodeMessage(patched(m, 9 + 4 + 1 + 272, 0))).message).toMatch(/^block: block at offset 9: proposer signature: /);
  });

  it('rejects a zero stake and unknown miner op and miner types', () => {
    const register = encodeItem(items[4]!); // 5 | kind 1 | key 48 | nonce 8 | type 1 | stake 16 | sig
    expect(codecError(() => decodeItem(patched(register, 59, ...new Uint8Array(16)))).message).toBe('item: op.stake at offset 59: a stake must be positive');
    expect(codecError(() => decodeItem(patched(register, 58, 3))).message).toBe('item: op.minerType at offset 58: 3 is not in 1..2');
    expect(codecError(() => decodeItem(patched(register, 1, 4))).message).toBe('item: op.kind at offset 1: 4 is not in 1..3');
  });

  it('throws only CodecError on random mutations, or decodes to a value with the same encoding', () => {
    const rng = new Rng('codec-fuzz');
    const targets: { bytes: Uint8Array; decode: (b: Uint8Array) => unknown; encode: (v: never) => Uint8Array }[] = [
      ...encoded.map((bytes) => ({ bytes, decode: decodeMessage, encode: encodeMessage })),
      ...payloads.map((p) => ({ bytes: encodePayload(p), decode: decodePayload, encode: encodePayload })),
    ];
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const target = targets[rng.nextInt(targets.length)]!;
      const bytes = target.bytes.slice();
      const flips = 1 + rng.nextInt(3);
      // Half the flips hit the first 16 bytes, where the header, kinds and counts live.
      for (let f = 0; f < flips; f++) bytes[rng.chance(0.5) ? rng.nextInt(Math.min(16, bytes.length)) : rng.nextInt(bytes.length)]! ^= 1 + rng.nextInt(255);
      let value: unknown;
      try {
        value = target.decode(bytes);
      } catch (e) {
        if (!(e instanceof CodecError)) throw new Error(`mutation ${i} threw ${String(e)}`);
        continue;
      }
      accepted++;
      expect(target.encode(value as never)).toEqual(bytes);
    }
    // Both outcomes occur: flips in signatures and payload bytes decode, flips in structure do not.
    expect(accepted).toBeGreaterThan(300);
    expect(accepted).toBeLessThan(2700);
  });
});

describe('encoding', () => {
  it('refuses values a peer would reject', () => {
    const endorsement = messages[1] as Extract<Message, { kind: 'endorsement' }>;
    expect(codecError(() => encodeMessage({ kind: 'endorsement', endorsement: { ...endorsement.endorsement, member: 0 } })).message).toBe(
      'cannot encode endorsement: member: 0 is not in 1..1000',
    );
    expect(codecError(() => encodeMessage({ kind: 'get-blocks', locator: [], max: 1 })).message).toMatch(/locator count: 0 is not in 1\.\.64/);
    expect(codecError(() => encodeMessage({ kind: 'tx', tx: new Uint8Array(0) })).message).toMatch(/tx length: 0 is not in 1\.\.65536/);
    expect(codecError(() => encodePayload({ ...payloads[0]!, parentCertificate: { signers: [2, 2], aggregate: certificate.aggregate } })).message).toMatch(
      /certificate\.signer\[1\]: 2 is not in 3\.\.1000/,
    );
    expect(codecError(() => encodeItem({ kind: 'group-seal', group: hash('g'), parentSignature: new Uint8Array(95) })).message).toMatch(/parentSignature: must be 96 bytes, got 95/);
    expect(codecError(() => minerOpMessage({ kind: 'register', publicKey: opKey, nonce: 0, minerType: 'proposer', stake: 0n })).message).toMatch(/stake: 0 is not in/);
    const candidate = messages[0] as Extract<Message, { kind: 'candidate' }>;
    expect(codecError(() => encodeMessage({ kind: 'candidate', candidate: { ...candidate.candidate, payload: utf8('other') } })).message).toMatch(/payload hash does not match/);
    expect(codecError(() => encodeMessage({ kind: 'candidate', candidate: { ...candidate.candidate, proposal: { ...candidateProposal, height: 0 } } })).message).toMatch(
      /^cannot encode candidate: proposal: height 0/,
    );
  });
});
