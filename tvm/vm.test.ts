import { describe, expect, it } from 'vitest';
import { Asm } from './asm.ts';
import {
  callMethod, deploy, encodeModule, MemoryHost, prepareModule, runFunction, MAX_CONTRACT_DEPTH, type ExecResult,
} from './index.ts';
import { BytesMap } from './memory-host.ts';

const ALICE = 'zv' + 'a1'.repeat(32);
const BOB = 'zv' + 'b0'.repeat(32);

function contractB(): Uint8Array {
  const a = new Asm('B');
  const x = a.slot('x', [], 'int');
  const m = a.slot('m', ['int'], 'int');
  const touched = a.event('Touched', [['n', 'int']]);
  const extDeep = a.external('deep', ['int'], 'int');
  a.fn('__init__', [], 'None', 1, [['RETNONE']], 'constructor');
  a.fn('touch', [['n', 'int']], 'int', 6, [
    ['SSTORE', x, 0, []],
    ['SSTORE', m, 0, [0]],
    ['EMIT', touched, [0]],
    ['LOADK', 5, a.str('touched')],
    ['LOG', 5],
    ['ENV', 2, 0],
    ['LOADI', 3, 1],
    ['TRANSFER', 2, 3],
    ['LOADI', 1, 13],
    ['EQ', 4, 0, 1],
    ['JF', 4, 'ok'],
    ['LOADK', 5, a.str('unlucky')],
    ['REVERT', 5],
    'ok:',
    ['ADD', 1, 0, 0],
    ['RET', 1],
  ], 'public');
  a.fn('get', [], 'int', 1, [['SLOAD', 0, x, []], ['RET', 0]], 'view');
  a.fn('getm', [['k', 'int']], 'int', 2, [['SLOAD', 1, m, [0]], ['RET', 1]], 'view');
  a.fn('pay', [], 'int', 1, [['ENV', 0, 1], ['RET', 0]], 'payable');
  a.fn('deep', [['n', 'int']], 'int', 8, [
    ['LOADI', 1, 0],
    ['EQ', 2, 0, 1],
    ['JF', 2, 'rec'],
    ['RET', 1],
    'rec:',
    ['ENV', 3, 4],
    ['LOADI', 4, 1],
    ['SUB', 5, 0, 4],
    ['XCALL', 6, extDeep, 3, 1, [5]],
    ['ADD', 6, 6, 4],
    ['RET', 6],
  ], 'public');
  a.fn('spin', [], 'None', 1, ['top:', ['JMP', 'top']], 'public');
  const def = a.build();
  def.abi.constructor!.payable = true;
  return encodeModule(def);
}

function contractA(): Uint8Array {
  const a = new Asm('A');
  const y = a.slot('y', [], 'int');
  const extTouch = a.external('touch', ['int'], 'int');
  const extBad = a.external('touch', ['str'], 'int');
  const extSpin = a.external('spin', [], 'None');
  const extPay = a.external('pay', [], 'int');
  a.fn('run', [['b', 'Address'], ['n', 'int']], 'int', 5, [
    ['LOADI', 2, 1],
    ['SSTORE', y, 2, []],
    ['LOADI', 4, 0],
    ['XCALL', 3, extTouch, 0, 4, [1]],
    ['LOADI', 2, 2],
    ['SSTORE', y, 2, []],
    ['RET', 3],
  ], 'public');
  a.fn('badcall', [['b', 'Address']], 'int', 4, [['LOADK', 1, a.str('x'.repeat(40))], ['LOADI', 2, 0], ['XCALL', 3, extBad, 0, 2, [1]], ['RET', 3]], 'public');
  a.fn('peek', [['b', 'Address']], 'int', 4, [['LOADI', 1, 7], ['LOADI', 2, 0], ['XCALL', 3, extTouch, 0, 2, [1]], ['RET', 3]], 'view');
  a.fn('spin', [['b', 'Address']], 'None', 3, [['LOADI', 1, 0], ['XCALL', 2, extSpin, 0, 1, []], ['RETNONE']], 'public');
  a.fn('forward', [['b', 'Address'], ['v', 'int']], 'int', 3, [['XCALL', 2, extPay, 0, 1, []], ['RET', 2]], 'payable');
  a.fn('get', [], 'int', 1, [['SLOAD', 0, y, []], ['RET', 0]], 'view');
  return encodeModule(a.build());
}

function setup() {
  const host = new MemoryHost({ balances: { [ALICE]: 1000n } });
  const b = deploy(host, contractB(), [], { sender: ALICE, value: 100n });
  const a = deploy(host, contractA(), [], { sender: ALICE });
  expect(b.ok && a.ok).toBe(true);
  return { host, A: a.address!, B: b.address! };
}

const value = (r: ExecResult) => (r.ok ? r.value : `revert: ${r.reason}`);

/** Everything observable about the host's state. */
function state(host: MemoryHost, addrs: string[]) {
  return JSON.stringify({
    storage: addrs.map((a) => [...host.storageOf(a).entries()].map(([k, v]) => [k, Array.from(v)])),
    balances: [ALICE, ...addrs].map((a) => String(host.getBalance(a))),
    events: host.events.length,
  });
}

describe('contracts', () => {
  it('deploys at deterministic addresses and transfers the deploy value', () => {
    const one = setup();
    const two = setup();
    expect(one.A).toBe(two.A);
    expect(one.B).not.toBe(one.A);
    expect(one.host.getBalance(one.B)).toBe(100n);
    expect(one.host.getBalance(ALICE)).toBe(900n);
  });

  it('a successful nested call keeps the callee\'s writes, transfers and events', () => {
    const { host, A, B } = setup();
    const r = callMethod(host, A, 'run', [B, 5], { sender: ALICE });
    expect(value(r)).toBe(10);
    expect(value(callMethod(host, B, 'get', []))).toBe(5);
    expect(value(callMethod(host, B, 'getm', [5]))).toBe(5);
    expect(value(callMethod(host, A, 'get', []))).toBe(2);
    expect(host.getBalance(A)).toBe(1n);
    expect(host.getBalance(B)).toBe(99n);
    expect(r.ok && r.events.map((e) => [e.contract, e.name, e.fields[0].value])).toEqual([[B, 'Touched', 5]]);
    expect(r.logs).toEqual([{ contract: B, depth: 1, message: 'touched' }]);
  });

  it('a failing nested call reverts the caller and leaves no trace but its logs', () => {
    const { host, A, B } = setup();
    callMethod(host, A, 'run', [B, 5], { sender: ALICE });
    const before = state(host, [A, B]);
    const r = callMethod(host, A, 'run', [B, 13], { sender: ALICE });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('call to touch failed: unlucky');
      expect(r.events).toEqual([]);
      expect(r.logs.map((l) => l.message)).toEqual(['touched']);
      expect(r.location?.address).toBe(B);
    }
    expect(state(host, [A, B])).toBe(before);
    expect(host.logs.length).toBe(2);
  });

  it('stores under LEB128(slot id) + encoded keys, and storing the default deletes', () => {
    const { host, B } = setup();
    callMethod(host, B, 'touch', [5]);
    const keys = [...host.storageOf(B).keys()];
    expect(keys).toEqual(['00', '010105']);
    expect(Array.from(host.storageOf(B).get('00')!)).toEqual([1, 5]);
    callMethod(host, B, 'touch', [0]);
    expect([...host.storageOf(B).keys()]).toEqual(['010105']);
    expect(value(callMethod(host, B, 'getm', [77]))).toBe(0);
  });

  it('view methods run static, also through nested calls', () => {
    const { host, A, B } = setup();
    expect(value(callMethod(host, B, 'touch', [1], { static: true }))).toBe('revert: state change in a view');
    expect(value(callMethod(host, A, 'peek', [B]))).toBe('revert: call to touch failed: state change in a view');
  });

  it('payable and non-payable methods', () => {
    const { host, A, B } = setup();
    expect(value(callMethod(host, B, 'pay', [], { sender: ALICE, value: 5n }))).toBe(5);
    expect(host.getBalance(B)).toBe(105n);
    expect(value(callMethod(host, B, 'get', [], { sender: ALICE, value: 5n }))).toBe('revert: method is not payable');
    expect(value(callMethod(host, B, 'pay', [], { sender: BOB, value: 5n }))).toBe('revert: insufficient balance');
    expect(value(callMethod(host, A, 'forward', [B, 3], { sender: ALICE, value: 10n }))).toBe(3);
    expect(host.getBalance(B)).toBe(108n);
    expect(host.getBalance(A)).toBe(7n);
  });

  it('contract calls nest up to the depth limit', () => {
    const { host, B } = setup();
    expect(value(callMethod(host, B, 'deep', [MAX_CONTRACT_DEPTH - 1]))).toBe(MAX_CONTRACT_DEPTH - 1);
    const r = callMethod(host, B, 'deep', [MAX_CONTRACT_DEPTH]);
    expect(r.ok ? 'ok' : r.reason).toMatch(/^(call to deep failed: ){7}contract call depth exceeded$/);
  });

  it('arguments are checked by the callee\'s own types', () => {
    const { host, A, B } = setup();
    expect(value(callMethod(host, A, 'badcall', [B]))).toBe('revert: call to touch failed: bad arguments');
    expect(value(callMethod(host, A, 'run', [ALICE, 1]))).toMatch(/^revert: call to touch failed: no contract at/);
  });

  it('nested calls spend the caller\'s gas; running out reverts everything with gasUsed = limit', () => {
    const { host, A, B } = setup();
    const direct = callMethod(host, B, 'touch', [5], { sender: ALICE });
    const nested = callMethod(host, A, 'run', [B, 5], { sender: ALICE });
    expect(nested.gasUsed).toBeGreaterThan(direct.gasUsed);
    const before = state(host, [A, B]);
    const r = callMethod(host, A, 'spin', [B], { gasLimit: 50_000 });
    expect(r.ok ? 'ok' : r.reason).toBe('call to spin failed: out of gas');
    expect(r.gasUsed).toBe(50_000);
    expect(state(host, [A, B])).toBe(before);
  });

  it('reports bad calls as reverts', () => {
    const { host, A } = setup();
    expect(value(callMethod(host, A, 'nope', []))).toMatch(/no method 'nope'/);
    expect(value(callMethod(host, ALICE, 'get', []))).toMatch(/no contract at/);
    expect(value(callMethod(host, A, 'run', ['zv12', 1]))).toBe('revert: bad argument 0: expected Address');
    expect(value(callMethod(host, A, 'get', [], { gasLimit: -1 }))).toBe('revert: invalid gas limit');
  });

  it('deploy failures persist nothing', () => {
    const host = new MemoryHost({ balances: { [ALICE]: 10n } });
    const a = new Asm('C');
    a.fn('__init__', [], 'None', 1, [['LOADK', 0, a.str('no')], ['REVERT', 0]], 'constructor');
    const bad = deploy(host, encodeModule(a.build()), [], { sender: ALICE });
    expect(bad.ok ? 'ok' : bad.reason).toBe('no');
    expect(bad.address).toBe(null);
    const noPay = deploy(host, contractA(), [], { sender: ALICE, value: 1n });
    expect(noPay.ok ? 'ok' : noPay.reason).toBe('constructor is not payable');
    const junk = deploy(host, Uint8Array.of(1, 2, 3), [], { sender: ALICE });
    expect(junk.ok ? 'ok' : junk.reason).toMatch(/^invalid module: bad magic/);
    expect(host.getBalance(ALICE)).toBe(10n);
  });

  it('module functions have no contract context', () => {
    const a = new Asm();
    const s = a.slot('s', [], 'int');
    a.fn('f', [], 'int', 1, [['SLOAD', 0, s, []], ['RET', 0]]);
    a.fn('g', [], 'None', 1, [['LOADK', 0, a.str('hi')], ['LOG', 0], ['ENV', 0, 0], ['RETNONE']]);
    const mod = prepareModule(a.build());
    expect(value(runFunction(mod, 'f', []))).toBe('revert: not in a contract');
    const g = runFunction(mod, 'g', []);
    expect(g.ok ? 'ok' : g.reason).toBe('not in a contract');
    expect(g.logs.map((l) => l.message)).toEqual(['hi']);
  });
});

describe('MemoryHost journal', () => {
  it('nests snapshots', () => {
    const h = new MemoryHost({ balances: { [ALICE]: 10n } });
    const s0 = h.snapshot();
    h.storageSet(ALICE, Uint8Array.of(1), Uint8Array.of(1));
    const s1 = h.snapshot();
    h.storageSet(ALICE, Uint8Array.of(1), Uint8Array.of(2));
    h.transfer(ALICE, BOB, 4n);
    h.revertTo(s1);
    expect(Array.from(h.storageGet(ALICE, Uint8Array.of(1))!)).toEqual([1]);
    expect(h.getBalance(BOB)).toBe(0n);
    const s2 = h.snapshot();
    h.transfer(ALICE, BOB, 4n);
    h.commit(s2);
    h.revertTo(s0);
    expect(h.storageGet(ALICE, Uint8Array.of(1))).toBe(undefined);
    expect(h.getBalance(ALICE)).toBe(10n);
    expect(h.transfer(ALICE, BOB, 11n)).toBe(false);
  });

  it('keeps storage exactly as a plain model does, through random writes, deletes and nested reverts', () => {
    // Keys 0 and 1 (and 2 and 3) have the same 32-bit hash in the host's storage map, so they
    // share a bucket; the rest are short and long keys of every size class.
    const keys = [
      [4, 5, 98, 155, 83, 38, 210], [4, 161, 138, 3, 32, 92, 139], [4, 97, 185, 99, 34, 79, 210], [4, 2, 75, 123, 71, 133, 218],
      [0], [1], [4, 7], Array.from({ length: 33 }, (_, i) => i), Array.from({ length: 65 }, (_, i) => 255 - i), Array.from({ length: 200 }, (_, i) => i & 7),
    ].map((k) => Uint8Array.from(k));
    const hexOf = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    let seed = 5;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const h = new MemoryHost();
    let model = new Map<string, string>();
    const saved: Map<string, string>[] = [];
    const ids: number[] = [];
    for (let step = 0; step < 3000; step++) {
      const op = rand(10);
      if (op < 5) {
        const k = keys[rand(keys.length)];
        const v = rand(4) === 0 ? undefined : Uint8Array.from({ length: rand(40) === 0 ? 9000 : rand(80) }, () => rand(256));
        h.storageSet(ALICE, k.slice(), v);
        if (v) model.set(hexOf(k), hexOf(v));
        else model.delete(hexOf(k));
      } else if (op < 7 && ids.length < 6) {
        ids.push(h.snapshot());
        saved.push(new Map(model));
      } else if (op < 8 && ids.length > 0) {
        h.revertTo(ids.pop()!);
        model = saved.pop()!;
      } else if (op < 9 && ids.length > 0) {
        h.commit(ids.pop()!);
        saved.pop();
      }
      for (const k of keys) {
        const got = h.storageGet(ALICE, k);
        expect(got === undefined ? undefined : hexOf(got), `step ${step}`).toBe(model.get(hexOf(k)));
      }
    }
    expect([...h.storageOf(ALICE).entries()].map(([k, v]) => [k, hexOf(v)])).toEqual([...model.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  });
});

describe('BytesMap', () => {
  it('finds, replaces and removes keys that share a bucket, in any order', () => {
    const m = new BytesMap<number>(() => 7); // every key in one bucket: one chain
    const model = new Map<string, number>();
    let seed = 9;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const keyOf = (i: number) => Uint8Array.from({ length: 1 + (i % 3) }, (_, j) => i + j);
    for (let step = 0; step < 2000; step++) {
      const i = rand(12);
      if (rand(3) === 0) {
        m.delete(keyOf(i));
        model.delete(String(i));
      } else {
        m.set(keyOf(i), step);
        model.set(String(i), step);
      }
      expect(m.size).toBe(model.size);
      for (let j = 0; j < 12; j++) expect(m.get(keyOf(j)), `step ${step} key ${j}`).toBe(model.get(String(j)));
    }
    expect(m.entries().length).toBe(model.size);
  });
});

describe('storage gas', () => {
  it('charges SSTORE per byte of key and value; storing the default pays for the key only', () => {
    const a = new Asm('S');
    const s = a.slot('s', [], 'str');
    a.fn('set', [['v', 'str']], 'None', 1, [['SSTORE', s, 0, []], ['RETNONE']], 'public');
    const code = encodeModule(a.build());
    const gasFor = (v: string) => {
      const host = new MemoryHost();
      const d = deploy(host, code, []);
      const r = callMethod(host, d.address!, 'set', [v]);
      expect(r.ok).toBe(true);
      return r.gasUsed;
    };
    // value bytes: 5 per byte; encoding the str: 3 per 32 bytes of its (at most 3x) UTF-8 size
    expect(gasFor('a'.repeat(100)) - gasFor('a'.repeat(10))).toBe(5 * 90 + 3 * (Math.ceil(300 / 32) - Math.ceil(30 / 32)));
    expect(gasFor('a') - gasFor('')).toBe(5 * 2 + 3);
  });
});
