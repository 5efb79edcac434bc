import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { ConsensusError } from './errors.ts';
import {
  assertReorgAllowed,
  chainWeight,
  compareChains,
  findCheckpoint,
  findForkPoint,
  heavierChain,
  isFinal,
  reorgAllowed,
  settledCycleAt,
  shouldSwitch,
  type BlockRef,
  type ChainView,
  type EndorsedBlock,
} from './fork-choice.ts';
import { SMALL } from './params.ts';

const enc = new TextEncoder();
const h = (label: string): Uint8Array => sha256(enc.encode(label));

/** A chain of blocks over heights, `label` naming its branch, with some failed slots. */
function blocks(label: string, from: number, to: number, skip: (height: number) => boolean): BlockRef[] {
  const out: BlockRef[] = [];
  for (let x = from; x <= to; x++) if (!skip(x)) out.push({ height: x, hash: h(`${label}-${x}`) });
  return out;
}

/** A ChainView over a sorted block list (genesis first) that counts its lookups. */
function view(chain: readonly BlockRef[]): ChainView & { calls: number } {
  const v = {
    calls: 0,
    tipHeight: chain[chain.length - 1]!.height,
    headAt(height: number): BlockRef {
      v.calls++;
      let lo = 0;
      let hi = chain.length - 1; // last block with height <= `height`
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (chain[mid]!.height <= height) lo = mid;
        else hi = mid - 1;
      }
      return chain[lo]!;
    },
  };
  return v;
}

const failedSlot = (x: number): boolean => x > 0 && x % 7 === 3;

describe('chain weight and comparison', () => {
  it('sums priorities exactly and prefers the heavier chain, ties by smaller tip hash', () => {
    expect(chainWeight([1, 2, 1_000_000])).toBe(1_000_003n);
    expect(chainWeight([])).toBe(0n);
    expect(() => chainWeight([1.5])).toThrow(ConsensusError);
    const light = { weight: 10n, hash: Uint8Array.of(0) };
    const heavy = { weight: 11n, hash: Uint8Array.of(9) };
    expect(heavierChain(light, heavy)).toBe(heavy);
    expect(heavierChain(heavy, light)).toBe(heavy);
    const tieA = { weight: 10n, hash: Uint8Array.of(1, 2) };
    const tieB = { weight: 10n, hash: Uint8Array.of(1, 3) };
    expect(heavierChain(tieA, tieB)).toBe(tieA);
    expect(heavierChain(tieB, tieA)).toBe(tieA);
    expect(compareChains(tieA, tieB)).toBe(-compareChains(tieB, tieA));
    expect(compareChains(tieA, { ...tieA })).toBe(0);
  });
});

describe('fork point search', () => {
  const TIP = 2000;
  const main = blocks('main', 0, TIP, failedSlot);

  it.each([0, 1, 2, 3, 5, 17, 100, 640, 1999])('finds a fork %i blocks below the tip in O(log) lookups', (depth) => {
    const forkHeight = TIP - depth; // the branch replaces everything above forkHeight
    const common = main.filter((b) => b.height <= forkHeight);
    const branch = [...common, ...blocks('side', forkHeight + 1, TIP + 5, (x) => x % 5 === 0)];
    const a = view(main);
    const b = view(branch);
    const fork = findForkPoint(a, b);
    expect(fork.common).toEqual(common[common.length - 1]);
    for (const [x, y] of [[a, b], [b, a]] as const) x.calls = y.calls = 0;
    const reverse = findForkPoint(b, a);
    expect(reverse.common).toEqual(fork.common);
    const bound = 4 * Math.ceil(Math.log2(depth + 2)) + 6;
    expect(a.calls + b.calls).toBeLessThanOrEqual(bound);
    expect(reverse.lookups).toBe(a.calls + b.calls);
  });

  it('returns the shorter tip when one chain extends the other, and the tip for equal chains', () => {
    const prefix = main.filter((b) => b.height <= 1234);
    expect(findForkPoint(view(main), view(prefix)).common).toEqual(prefix[prefix.length - 1]);
    expect(findForkPoint(view(main), view(main)).common).toEqual(main[main.length - 1]);
  });

  it('refuses chains without a common genesis', () => {
    const other = blocks('other', 0, 50, () => false);
    expect(() => findForkPoint(view(main), view(other))).toThrow(/do not share their genesis/);
  });
});

describe('checkpoints', () => {
  // SMALL: cycles of 10 blocks, quorum 2/3. Cycle 1 = heights 10..19 is settled from height 30.
  const groupIds = [0, 1, 2, 3, 4, 5].map((g) => h(`group-${g}`));
  const outsider = h('group-outsider');
  const signed = (height: number, group: Uint8Array): EndorsedBlock => ({ height, hash: h(`block-${height}`), groupId: group });

  it('settles cycle n at cycle n + 2', () => {
    expect(settledCycleAt(SMALL, 19)).toBe(null);
    expect(settledCycleAt(SMALL, 20)).toBe(0);
    expect(settledCycleAt(SMALL, 29)).toBe(0);
    expect(settledCycleAt(SMALL, 30)).toBe(1);
  });

  it('makes final the highest block of the cycle seen by two thirds of its groups', () => {
    // Groups signing from height 15 on: 0, 1, 2, 3 (and an outsider) -> 4 of 6 = 2/3.
    // From height 16 on: 1, 2, 3 (+ outsider) -> 3 of 6 < 2/3.
    const chain = [signed(12, groupIds[5]!), signed(15, groupIds[0]!), signed(16, groupIds[1]!), signed(19, outsider), signed(22, groupIds[2]!), signed(28, groupIds[3]!), signed(29, groupIds[1]!)];
    const cp = findCheckpoint(SMALL, 1, chain, groupIds);
    expect(cp).toEqual({ height: 15, hash: h('block-15'), cycle: 1, endorsers: 4, groups: 6 });
  });

  it('finds no checkpoint when no block of the cycle reaches the quorum, and rejects misplaced blocks', () => {
    const chain = [signed(10, groupIds[0]!), signed(11, groupIds[1]!), signed(25, outsider), signed(26, groupIds[2]!)];
    expect(findCheckpoint(SMALL, 1, chain, groupIds)).toBeNull();
    expect(() => findCheckpoint(SMALL, 1, [signed(30, groupIds[0]!)], groupIds)).toThrow(ConsensusError);
    expect(() => findCheckpoint(SMALL, 1, [signed(12, groupIds[0]!), signed(11, groupIds[0]!)], groupIds)).toThrow(/ascend/);
  });

  it('refuses reorganisations that cross the latest checkpoint', () => {
    expect(reorgAllowed(null, 0)).toBe(true);
    expect(reorgAllowed(15, 15)).toBe(true);
    expect(reorgAllowed(15, 40)).toBe(true);
    expect(reorgAllowed(15, 14)).toBe(false);
    expect(() => assertReorgAllowed(15, 3)).toThrow(/replace the checkpoint at 15/);
    expect(isFinal(15, 15)).toBe(true);
    expect(isFinal(15, 16)).toBe(false);
    expect(isFinal(null, 0)).toBe(false);
    const current = { weight: 100n, hash: h('a') };
    const heavier = { weight: 500n, hash: h('b') };
    expect(shouldSwitch(current, heavier, 20, 15)).toBe(true);
    expect(shouldSwitch(current, heavier, 10, 15)).toBe(false); // a long-range rewrite: heavier but refused
    expect(shouldSwitch(heavier, current, 20, 15)).toBe(false);
  });
});
