import { describe, expect, it } from 'vitest';
import { scenarioNetwork, validateScenario, type Scenario } from './scenario.ts';
import { NetworkError, type NodeId, type Transport } from './transport.ts';

function invalid(input: unknown): string {
  try {
    validateScenario(input);
  } catch (e) {
    expect(e).toBeInstanceOf(NetworkError);
    expect((e as NetworkError).code).toBe('invalid-scenario');
    return (e as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('validateScenario', () => {
  it('accepts a full scenario and normalizes it (node objects, events sorted stably by time)', () => {
    const s = validateScenario({
      seed: 'run-1',
      nodes: ['a', { id: 'b', maxMessageBytes: 64 }],
      links: { defaults: { latencyMs: 5 }, overrides: [{ from: 'a', to: 'b', link: { loss: 0.5 } }] },
      events: [
        { at: 300, kind: 'heal' },
        { at: 100, kind: 'join', node: 'c' },
        { at: 200, kind: 'partition', groups: [['a'], ['b', 'c']] },
        { at: 100, kind: 'crash', node: 'a' },
        { at: 400, kind: 'restart', node: 'a' },
        { at: 400, kind: 'set-link', link: { jitterMs: 3 } },
      ],
    });
    expect(s.nodes).toEqual([{ id: 'a' }, { id: 'b', maxMessageBytes: 64 }]);
    expect(s.events.map((e) => `${e.at}:${e.kind}`)).toEqual(['100:join', '100:crash', '200:partition', '300:heal', '400:restart', '400:set-link']);
    expect(validateScenario({ seed: 1, nodes: 3 }).nodes.map((n) => n.id)).toEqual(['n0', 'n1', 'n2']);
  });

  it('reports every shape problem with its path', () => {
    const message = invalid({
      seed: -1,
      nodes: ['a', 'a', 7],
      colour: 'blue',
      links: { defaults: { loss: 1.5, latency: 3 }, overrides: [{ from: 'a', to: 'zz', link: {} }] },
      events: [
        { at: -5, kind: 'heal' },
        { at: 10, kind: 'explode' },
        { at: 10, kind: 'crash' },
        { at: 10, kind: 'set-link', from: 'a', link: {} },
        { at: 10, kind: 'partition', groups: [[]] },
      ],
    });
    for (const expected of [
      'colour: unknown field',
      'seed: must be a non-negative safe integer or a string',
      'nodes[1]: duplicate node id "a"',
      'nodes[2]: must be a non-empty string id',
      'links.defaults: latency: unknown link field',
      'links.defaults: loss: must be a probability in [0, 1], got 1.5',
      'links.overrides[0].to: unknown node "zz"',
      'events[0].at: must be an integer time >= 0',
      'events[1].kind: must be one of partition, heal, crash, restart, join, set-link, got "explode"',
      'events[2].node: must be a non-empty string id',
      'events[3]: set-link needs both from and to',
      'events[4].groups[0]: must be a non-empty array of node ids',
    ]) {
      expect(message).toContain(expected);
    }
    expect(invalid(null)).toContain('a scenario must be an object');
    expect(invalid({ seed: 1, nodes: 'three' })).toContain('nodes: must be a count or an array');
  });

  it('checks the timeline: nodes must exist and be in the right state when an event applies', () => {
    const message = invalid({
      seed: 1,
      nodes: ['a', 'b'],
      events: [
        { at: 10, kind: 'crash', node: 'a' },
        { at: 20, kind: 'crash', node: 'a' },
        { at: 30, kind: 'restart', node: 'b' },
        { at: 40, kind: 'partition', groups: [['a', 'c'], ['b', 'a']] },
        { at: 50, kind: 'join', node: 'c' },
        { at: 60, kind: 'join', node: 'b' },
      ],
    });
    expect(message).toContain('events[1]: node "a" is already down at 20');
    expect(message).toContain('events[2]: node "b" is not down at 30');
    expect(message).toContain('events[3].groups[0][1]: unknown node "c" (not in nodes and not joined yet)');
    expect(message).toContain('events[3].groups[1][1]: node "a" is in two groups');
    expect(message).toContain('events[5].node: node "b" already exists at 60');
    // The same events in a consistent order are fine.
    validateScenario({
      seed: 1,
      nodes: ['a', 'b'],
      events: [
        { at: 50, kind: 'join', node: 'c' },
        { at: 60, kind: 'partition', groups: [['a', 'c'], ['b']] },
      ],
    });
  });

  it('applies events at their times', () => {
    const boots: string[] = [];
    const net = scenarioNetwork(
      {
        seed: 9,
        nodes: ['a', 'b'],
        links: { defaults: { latencyMs: 7, jitterMs: 0 }, overrides: [{ from: 'a', to: 'b', link: { latencyMs: 70 } }] },
        events: [
          { at: 100, kind: 'crash', node: 'b' },
          { at: 150, kind: 'restart', node: 'b' },
          { at: 200, kind: 'join', node: 'c' },
          { at: 250, kind: 'partition', groups: [['a']] },
          { at: 300, kind: 'heal' },
          { at: 350, kind: 'set-link', from: 'b', to: 'c', bidirectional: false, link: { loss: 1 } },
        ],
      },
      (id, t) => boots.push(`${id}@${t.clock.now()}`),
    );
    expect(net.linkConfig('a', 'b').latencyMs).toBe(70);
    expect(net.linkConfig('b', 'a').latencyMs).toBe(70); // bidirectional by default
    net.runUntil(100);
    expect(net.isUp('b')).toBe(false);
    net.runUntil(200);
    expect(net.isUp('b')).toBe(true);
    expect(net.hasNode('c')).toBe(true);
    net.runUntil(250);
    expect(net.canReach('a', 'b')).toBe(false);
    expect(net.canReach('b', 'c')).toBe(true);
    net.runUntil(300);
    expect(net.canReach('a', 'b')).toBe(true);
    net.runUntil(350);
    expect(net.linkConfig('b', 'c').loss).toBe(1);
    expect(net.linkConfig('c', 'b').loss).toBe(0);
    expect(boots).toEqual(['a@0', 'b@0', 'b@150', 'c@200']);
  });

  it('applies time-0 events before the nodes boot: a node crashed at 0 boots only on restart', () => {
    const boots: string[] = [];
    const net = scenarioNetwork(
      {
        seed: 9,
        nodes: 2,
        events: [
          { at: 0, kind: 'crash', node: 'n1' },
          { at: 0, kind: 'partition', groups: [['n0']] },
          { at: 5, kind: 'restart', node: 'n1' },
        ],
      },
      (id, t) => {
        boots.push(`${id}@${t.clock.now()}`);
        t.broadcast(Uint8Array.of(1));
      },
    );
    net.runUntilIdle(100);
    expect(boots).toEqual(['n0@0', 'n1@5']);
    expect(net.totalStats().dropped.partition).toBe(2); // both first broadcasts hit the cut
  });
});

// ---- toy protocols ------------------------------------------------------------------------

/**
 * Flooding with anti-entropy: the origin knows a value; a node that learns it re-broadcasts
 * it at once and then every `period` ms, so it survives loss, partitions and restarts
 * (a restarted node forgets and must learn again). Returns when each node learned it.
 */
function runFlood(scenario: Scenario, origin: NodeId, until: number) {
  const learnedAt = new Map<NodeId, number>();
  const boot = (id: NodeId, t: Transport) => {
    let known: Uint8Array | undefined;
    learnedAt.delete(id); // a restart forgets
    const learn = (value: Uint8Array) => {
      if (known) return;
      known = value;
      learnedAt.set(id, t.clock.now());
      const gossip = () => {
        t.broadcast(value);
        t.clock.setTimer(100, gossip);
      };
      gossip();
    };
    t.onMessage((_, msg) => learn(msg));
    if (id === origin) learn(new TextEncoder().encode('block #1'));
  };
  const net = scenarioNetwork(scenario, boot);
  const run = net.runUntil(until, 200_000);
  return { net, run, learnedAt: new Map([...learnedAt].sort(([a], [b]) => (a < b ? -1 : 1))) };
}

const FLOOD: Scenario = {
  seed: 2024,
  nodes: 8,
  links: { defaults: { latencyMs: 20, jitterMs: 30, loss: 0.3, duplicate: 0.05 } },
  events: [
    { at: 0, kind: 'partition', groups: [['n0', 'n1', 'n2', 'n3'], ['n4', 'n5', 'n6', 'n7']] },
    { at: 150, kind: 'crash', node: 'n2' },
    { at: 400, kind: 'restart', node: 'n2' },
    { at: 600, kind: 'heal' },
  ],
};

describe('toy protocol: flooding under loss, a crash and a healed partition', () => {
  it('reaches every node, only after the heal on the far side, reproducibly', () => {
    const a = runFlood(FLOOD, 'n0', 2000);
    expect(a.run.stoppedBy).toBe('time');
    expect([...a.learnedAt.keys()]).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7']);
    for (const id of ['n4', 'n5', 'n6', 'n7']) expect(a.learnedAt.get(id)!).toBeGreaterThan(600);
    expect(a.learnedAt.get('n2')!).toBeGreaterThan(400); // learned again after its restart
    expect(a.net.totalStats().dropped.loss).toBeGreaterThan(0);
    expect(a.net.totalStats().dropped.partition).toBeGreaterThan(0);
    expect(a.net.nodeStats('n2').inbound.dropped.crashed).toBeGreaterThan(0);

    const b = runFlood(FLOOD, 'n0', 2000);
    expect([...b.learnedAt]).toEqual([...a.learnedAt]);
    expect(b.net.totalStats()).toEqual(a.net.totalStats());
    const c = runFlood({ ...FLOOD, seed: 2025 }, 'n0', 2000);
    expect([...c.learnedAt]).not.toEqual([...a.learnedAt]);
  });

  it('never crosses a partition that is not healed', () => {
    const { learnedAt } = runFlood({ ...FLOOD, events: [FLOOD.events![0]!] }, 'n0', 2000);
    expect([...learnedAt.keys()]).toEqual(['n0', 'n1', 'n2', 'n3']);
  });
});

/**
 * Ping-pong with timeouts: the client sends ping k and retries every `timeout` ms until pong
 * k arrives, then sends ping k+1; the server answers every ping (duplicates included).
 */
function runPingPong(seed: number, loss: number, pings: number) {
  const done: number[] = [];
  let retries = 0;
  const boot = (id: NodeId, t: Transport) => {
    if (id === 'server') {
      t.onMessage((from, msg) => t.send(from, Uint8Array.of(1, msg[1]!)));
      return;
    }
    let current = 0;
    let timer = -1;
    const ping = () => {
      t.send('server', Uint8Array.of(0, current));
      timer = t.clock.setTimer(100, () => {
        retries++;
        ping();
      });
    };
    t.onMessage((_, msg) => {
      if (msg[0] !== 1 || msg[1] !== current) return; // a stale or duplicate pong
      t.clock.cancelTimer(timer);
      done.push(t.clock.now());
      if (++current < pings) ping();
    });
    ping();
  };
  const net = scenarioNetwork({ seed, nodes: ['client', 'server'], links: { defaults: { latencyMs: 10, jitterMs: 20, loss, duplicate: 0.1 } } }, boot);
  const run = net.runUntilIdle(100_000);
  return { done, retries, run, stats: net.totalStats() };
}

describe('toy protocol: ping-pong with timeouts', () => {
  it('completes every exchange under 40% loss by retrying, reproducibly', () => {
    const a = runPingPong(11, 0.4, 30);
    expect(a.run.stoppedBy).toBe('idle');
    expect(a.done).toHaveLength(30);
    expect(a.retries).toBeGreaterThan(10);
    expect(a.done.every((t, i) => i === 0 || t > a.done[i - 1]!)).toBe(true);
    const b = runPingPong(11, 0.4, 30);
    expect(b).toEqual(a);
  });

  it('needs no retry on a lossless network, each round trip within 2 x (latency + jitter)', () => {
    const a = runPingPong(11, 0, 10);
    expect(a.retries).toBe(0);
    a.done.forEach((t, i) => expect(t - (i === 0 ? 0 : a.done[i - 1]!)).toBeLessThanOrEqual(60));
  });
});
