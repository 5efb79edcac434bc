import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { LinkConfig } from './link.ts';
import type { Seed } from './rng.ts';
import { SimNetwork } from './sim-network.ts';
import { inFlight } from './stats.ts';
import { NetworkError, type NodeId, type Transport } from './transport.ts';

const NO_JITTER: Partial<LinkConfig> = { latencyMs: 10, jitterMs: 0 };

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** n nodes "n0".."n{n-1}", each logging what it receives as [time, from, first byte]. */
function network(seed: Seed, n: number, link: Partial<LinkConfig> = NO_JITTER) {
  const net = new SimNetwork({ seed, link });
  const inbox = new Map<NodeId, [number, NodeId, number][]>();
  const nodes: Transport[] = [];
  for (let i = 0; i < n; i++) {
    const id = `n${i}`;
    inbox.set(id, []);
    nodes.push(
      net.addNode(id, {
        boot: (t) => t.onMessage((from, msg) => inbox.get(id)!.push([t.clock.now(), from, msg[0] ?? -1])),
      }),
    );
  }
  return { net, nodes, inbox };
}

/** Every node broadcasts a few messages at seeded times; returns the delivery trace. */
function gossipTrace(seed: Seed): string[] {
  const { net, nodes } = network(seed, 6, { latencyMs: 15, jitterMs: 40, loss: 0.1, duplicate: 0.05 });
  const trace: string[] = [];
  net.onTrace((e) => {
    if (e.kind === 'deliver') trace.push(`${e.time} ${e.from}->${e.to} ${bytesToHex(sha256(e.msg!)).slice(0, 16)}`);
  });
  nodes.forEach((t, i) => {
    for (let k = 0; k < 5; k++) t.clock.setTimer(k * 7 + i, () => t.broadcast(bytes(i, k, 0xaa)));
  });
  expect(net.runUntilIdle(10_000).stoppedBy).toBe('idle');
  return trace;
}

describe('SimNetwork determinism', () => {
  it('same seed gives an identical delivery trace; another seed a different one', () => {
    const a = gossipTrace(1234);
    const b = gossipTrace(1234);
    expect(a.length).toBeGreaterThan(100);
    expect(b).toEqual(a);
    expect(gossipTrace(1235)).not.toEqual(a);
  });
});

describe('links', () => {
  it('delivers after exactly the latency without jitter, within [latency, latency+jitter] with it', () => {
    const { net, nodes, inbox } = network(1, 2, { latencyMs: 25, jitterMs: 0 });
    net.runUntil(100);
    nodes[0]!.send('n1', bytes(1));
    net.runUntilIdle(100);
    expect(inbox.get('n1')).toEqual([[125, 'n0', 1]]);

    net.setDefaultLink({ latencyMs: 30, jitterMs: 20 });
    const start = net.now();
    for (let k = 0; k < 200; k++) nodes[0]!.send('n1', bytes(k));
    net.runUntilIdle(1000);
    const delays = inbox.get('n1')!.slice(1).map(([time]) => time - start);
    expect(delays).toHaveLength(200);
    expect(Math.min(...delays)).toBe(30);
    expect(Math.max(...delays)).toBe(50);
  });

  it('loses messages at the configured rate (exact count for this seed, within tolerance)', () => {
    const { net, nodes, inbox } = network(99, 2, { ...NO_JITTER, loss: 0.2 });
    for (let k = 0; k < 5000; k++) nodes[0]!.send('n1', bytes(k & 0xff));
    net.runUntilIdle(10_000);
    const lost = net.linkStats('n0', 'n1').dropped.loss;
    expect(lost).toBe(1009); // pinned: the draws are a pure function of the seed
    expect(Math.abs(lost / 5000 - 0.2)).toBeLessThan(0.02);
    expect(inbox.get('n1')).toHaveLength(5000 - lost);
  });

  it('duplicates messages at the configured rate, each copy delivered', () => {
    const { net, nodes, inbox } = network(5, 2, { ...NO_JITTER, duplicate: 0.3 });
    for (let k = 0; k < 1000; k++) nodes[0]!.send('n1', bytes(k & 0xff));
    net.runUntilIdle(10_000);
    const s = net.linkStats('n0', 'n1');
    expect(Math.abs(s.duplicatedMessages / 1000 - 0.3)).toBeLessThan(0.05);
    expect(inbox.get('n1')).toHaveLength(1000 + s.duplicatedMessages);
    expect(s.deliveredMessages).toBe(1000 + s.duplicatedMessages);
  });

  it('reorders through jitter, and an ordered link never does', () => {
    const run = (ordered: boolean) => {
      const { net, nodes, inbox } = network(8, 2, { latencyMs: 5, jitterMs: 50, ordered });
      for (let k = 0; k < 100; k++) nodes[0]!.clock.setTimer(k, () => nodes[0]!.send('n1', bytes(k)));
      net.runUntilIdle(1000);
      return inbox.get('n1')!.map(([, , b]) => b);
    };
    const unordered = run(false);
    expect([...unordered].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, k) => k));
    expect(unordered).not.toEqual([...unordered].sort((a, b) => a - b));
    expect(run(true)).toEqual(Array.from({ length: 100 }, (_, k) => k));
  });

  it('queues messages behind each other on a bandwidth-limited link', () => {
    const { net, nodes, inbox } = network(2, 2, { latencyMs: 10, jitterMs: 0, bandwidthBytesPerMs: 100 });
    nodes[0]!.send('n1', new Uint8Array(1000).fill(1)); // 10 ms on the wire
    nodes[0]!.send('n1', new Uint8Array(500).fill(2)); // waits, then 5 ms
    nodes[1]!.send('n0', new Uint8Array(1000).fill(3)); // the other direction is its own link
    net.runUntilIdle(100);
    expect(inbox.get('n1')).toEqual([
      [20, 'n0', 1],
      [25, 'n0', 2],
    ]);
    expect(inbox.get('n0')).toEqual([[20, 'n1', 3]]);
  });

  it('per-link overrides apply to one direction and merge', () => {
    const { net, nodes, inbox } = network(2, 3, NO_JITTER);
    net.setLink('n0', 'n1', { latencyMs: 100 });
    net.setLink('n0', 'n1', { loss: 0 });
    expect(net.linkConfig('n0', 'n1').latencyMs).toBe(100);
    expect(net.linkConfig('n1', 'n0').latencyMs).toBe(10);
    nodes[0]!.broadcast(bytes(7));
    net.runUntilIdle(100);
    expect(inbox.get('n1')).toEqual([[100, 'n0', 7]]);
    expect(inbox.get('n2')).toEqual([[10, 'n0', 7]]);
    expect(() => net.setLink('n0', 'n1', { loss: 2 })).toThrow(/loss: must be a probability/);
    expect(() => net.setLink('n0', 'zz', {})).toThrow(NetworkError);
  });
});

describe('partitions', () => {
  it('block traffic both ways, drop what is in flight across the cut, and heal', () => {
    const { net, nodes, inbox } = network(3, 4, NO_JITTER);
    nodes[0]!.send('n2', bytes(1)); // in flight when the partition starts
    net.runUntil(5);
    net.partition([['n0', 'n1'], ['n2']]); // n3 unlisted: on a side of its own with nobody
    expect(net.canReach('n0', 'n1')).toBe(true);
    expect(net.canReach('n0', 'n2')).toBe(false);
    expect(net.canReach('n2', 'n0')).toBe(false);
    expect(net.canReach('n3', 'n2')).toBe(false);
    for (const t of nodes) t.broadcast(bytes(2));
    net.runUntil(50);
    expect(inbox.get('n0')).toEqual([[15, 'n1', 2]]);
    expect(inbox.get('n1')).toEqual([[15, 'n0', 2]]);
    expect(inbox.get('n2')).toEqual([]);
    expect(inbox.get('n3')).toEqual([]);
    expect(net.totalStats().dropped.partition).toBe(1 + 12 - 2);

    net.heal();
    nodes[2]!.send('n0', bytes(3));
    nodes[0]!.send('n2', bytes(4));
    net.runUntilIdle(100);
    expect(inbox.get('n0')!.at(-1)).toEqual([60, 'n2', 3]);
    expect(inbox.get('n2')).toEqual([[60, 'n0', 4]]);
  });

  it('rejects malformed partitions', () => {
    const { net } = network(3, 3);
    expect(() => net.partition([['n0'], ['n0', 'n1']])).toThrow(/two partition groups/);
    expect(() => net.partition([['n9']])).toThrow(/unknown node/);
  });
});

describe('crash, restart and late join', () => {
  it('a crashed node neither receives, nor sends, nor fires timers; restart boots it fresh', () => {
    const net = new SimNetwork({ seed: 4, link: NO_JITTER });
    const fired: string[] = [];
    const received: string[] = [];
    let boots = 0;
    const boot = (t: Transport) => {
      const life = ++boots;
      t.onMessage((from, msg) => received.push(`${t.self}#${life}<-${from}:${msg[0]}@${t.clock.now()}`));
      t.clock.setTimer(50, () => fired.push(`${t.self}#${life}@${t.clock.now()}`));
    };
    net.addNode('a', { boot: (t) => t.onMessage((from, msg) => received.push(`a<-${from}:${msg[0]}@${t.clock.now()}`)) });
    const first = net.addNode('b', { boot });
    first.send('a', bytes(1)); // arrives at 10
    net.transport('a').send('b', bytes(2)); // would arrive at 10: b is down by then
    net.runUntil(5);
    net.crash('b');
    expect(net.isUp('b')).toBe(false);
    first.send('a', bytes(3)); // stale transport: ignored
    first.clock.setTimer(1, () => fired.push('zombie'));
    net.runUntil(40);
    const second = net.restart('b');
    expect(second).not.toBe(first);
    net.transport('a').send('b', bytes(4));
    first.send('a', bytes(5)); // the old incarnation stays dead after the restart
    net.runUntilIdle(100);
    expect(received).toEqual(['a<-b:1@10', 'b#2<-a:4@50']);
    expect(fired).toEqual(['b#2@90']); // b#1's timer at 50 never fired
    const stats = net.nodeStats('b');
    expect(stats.inbound.dropped.crashed).toBe(1);
    expect(stats.sendsWhileDown).toBe(2);
    expect([stats.crashes, stats.restarts]).toEqual([1, 1]);
    expect(() => net.restart('b')).toThrow(/is up/);
    net.crash('b');
    expect(() => net.crash('b')).toThrow(/already down/);
  });

  it('a message in flight to a node that crashes and restarts before it arrives is dropped', () => {
    const { net, nodes, inbox } = network(4, 2, NO_JITTER);
    nodes[0]!.send('n1', bytes(1));
    net.runUntil(3);
    net.crash('n1');
    net.restart('n1');
    net.runUntilIdle(10);
    expect(inbox.get('n1')).toEqual([]);
    expect(net.linkStats('n0', 'n1').dropped.crashed).toBe(1);
  });

  it('a late joiner is reachable and sees the others from when it joins', () => {
    const { net, nodes, inbox } = network(6, 2, NO_JITTER);
    expect(() => nodes[0]!.send('late', bytes(0))).toThrow(/unknown node/);
    net.runUntil(1000);
    const late = net.addNode('late', { boot: (t) => t.onMessage((from, m) => inbox.set('late', [[t.clock.now(), from, m[0]!]])) });
    expect(nodes[0]!.peers()).toEqual(['late', 'n1']);
    expect(late.peers()).toEqual(['n0', 'n1']);
    expect(nodes[1]!.broadcast(bytes(9))).toBe(2);
    net.runUntilIdle(10);
    expect(inbox.get('late')).toEqual([[1010, 'n1', 9]]);
    expect(() => net.addNode('late')).toThrow(/already exists/);
  });
});

describe('size limits and penalties', () => {
  it('rejects an oversized send and counts it against the sender', () => {
    const net = new SimNetwork({ seed: 1, link: NO_JITTER, maxMessageBytes: 100 });
    const a = net.addNode('a');
    net.addNode('b');
    expect(() => a.send('b', new Uint8Array(101))).toThrow(expect.objectContaining({ code: 'message-too-large' }));
    expect(() => a.broadcast(new Uint8Array(101))).toThrow(NetworkError);
    a.send('b', new Uint8Array(100)); // the limit itself is fine
    net.runUntilIdle(10);
    const s = net.nodeStats('a');
    expect(s.outbound.rejectedAtSend).toBe(2);
    expect(s.outbound.sentMessages).toBe(1);
    expect(s.offences).toEqual({ 'oversized-send': 2 });
  });

  it('rejects an oversized message at the receiver (a sender with a larger limit) and counts it against the sender', () => {
    const net = new SimNetwork({ seed: 1, link: NO_JITTER, maxMessageBytes: 100 });
    const bad = net.addNode('bad', { maxMessageBytes: 10_000 });
    const got: number[] = [];
    net.addNode('honest', { boot: (t) => t.onMessage((_, m) => got.push(m.length)) });
    bad.send('honest', new Uint8Array(5000));
    bad.send('honest', new Uint8Array(50));
    net.runUntilIdle(10);
    expect(got).toEqual([50]);
    expect(net.nodeStats('honest').inbound.dropped.oversized).toBe(1);
    expect(net.nodeStats('bad').offences).toEqual({ oversized: 1 });
    expect(net.offenceCount('honest')).toBe(0);
  });

  it('records penalties reported by consensus code against a peer', () => {
    const { net, nodes } = network(1, 3);
    nodes[0]!.penalize('n2', 'bad-share');
    nodes[1]!.penalize('n2', 'bad-share');
    nodes[1]!.penalize('n2', 'wrong-round');
    expect(net.nodeStats('n2').offences).toEqual({ 'bad-share': 2, 'wrong-round': 1 });
    expect(net.offenceCount('n2')).toBe(3);
    expect(() => nodes[0]!.penalize('nobody', 'x')).toThrow(/unknown node/);
    expect(() => nodes[0]!.penalize('n2', '')).toThrow(/reason/);
  });
});

describe('transport contract', () => {
  it('validates arguments with NetworkError', () => {
    const { nodes } = network(1, 2);
    const t = nodes[0]!;
    expect(() => t.send('n1', 'hi' as unknown as Uint8Array)).toThrow(/Uint8Array/);
    expect(() => t.send('zz', bytes(1))).toThrow(expect.objectContaining({ code: 'unknown-peer' }));
    expect(() => t.clock.setTimer(-5, () => {})).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => t.onMessage(42 as unknown as () => void)).toThrow(/handler/);
  });

  it('delivers a private copy: neither the sender nor another receiver can alter it', () => {
    const { net, nodes, inbox } = network(1, 3, NO_JITTER);
    const seen: number[] = [];
    nodes[1]!.onMessage((_, m) => {
      m[0] = 99;
    });
    nodes[2]!.onMessage((_, m) => seen.push(m[0]!));
    const msg = bytes(5);
    nodes[0]!.broadcast(msg);
    msg[0] = 6;
    net.runUntilIdle(10);
    expect(inbox.get('n2')).toEqual([[10, 'n0', 5]]);
    expect(seen).toEqual([5]);
  });

  it('loops a send to self back, asynchronously and without the link model', () => {
    const { net, nodes, inbox } = network(1, 2, { ...NO_JITTER, loss: 1 });
    nodes[0]!.send('n0', bytes(3));
    expect(inbox.get('n0')).toEqual([]);
    net.runUntilIdle(10);
    expect(inbox.get('n0')).toEqual([[0, 'n0', 3]]);
  });

  it('unsubscribes handlers and cancels node timers', () => {
    const { net, nodes } = network(1, 2, NO_JITTER);
    const got: number[] = [];
    const off = nodes[1]!.onMessage((_, m) => got.push(m[0]!));
    const timer = nodes[1]!.clock.setTimer(5, () => got.push(-1));
    expect(nodes[1]!.clock.cancelTimer(timer)).toBe(true);
    expect(nodes[0]!.clock.cancelTimer(timer)).toBe(false); // not n0's timer
    nodes[0]!.send('n1', bytes(1));
    net.runUntilIdle(10);
    off();
    nodes[0]!.send('n1', bytes(2));
    net.runUntilIdle(10);
    expect(got).toEqual([1]);
  });

  it('accounts for every message: sent + duplicated = delivered + dropped once idle', () => {
    const { net, nodes } = network(77, 5, { latencyMs: 5, jitterMs: 30, loss: 0.15, duplicate: 0.1 });
    nodes.forEach((t, i) => t.clock.setTimer(i * 3, () => t.broadcast(bytes(i))));
    net.runUntil(10);
    net.partition([['n0', 'n1']]);
    net.runUntil(12);
    net.crash('n4');
    net.runUntilIdle(1000);
    const total = net.totalStats();
    expect(inFlight(total)).toBe(0);
    expect(total.sentMessages).toBe(20);
    let deliveredToNodes = 0;
    for (const id of net.nodes()) {
      const s = net.nodeStats(id);
      expect(inFlight(s.inbound)).toBe(0);
      deliveredToNodes += s.inbound.deliveredMessages;
    }
    expect(deliveredToNodes).toBe(total.deliveredMessages);
    expect(total.droppedMessages).toBe(total.dropped.loss + total.dropped.partition + total.dropped.crashed + total.dropped.oversized);
    expect(total.dropped.partition).toBeGreaterThan(0);
    expect(total.dropped.crashed).toBeGreaterThan(0);
  });
});
