import { describe, expect, it } from 'vitest';
import type { Instr } from '../tvm/module.ts';
import { decodeModule, encodeModule, validateModule } from '../tvm/format.ts';
import { generate, layoutBlocks } from './codegen.ts';
import { optimize } from './optimize.ts';
import { IRError, printIR, validateIR } from './ir-print.ts';
import { ModuleBuilder } from './ir-builder.ts';
import { buildArtifact, locate, sha256Hex } from './artifact.ts';
import { COMPILER_VERSION } from './version.ts';
import { prepareModule, runFunction } from '../tvm/index.ts';

const JUMPS = new Set(['JMP', 'JT', 'JF']);
const target = (ins: Instr): number => ins[ins.length - 1] as number;

/** A small contract using storage, an event, an external, a builtin and calls. */
function tokenModule() {
  const mb = new ModuleBuilder('Token', 'token.py');
  mb.storage('total', 'int').storage('balances', 'int', ['Address']);
  mb.event('Transfer', [['to', 'Address'], ['amount', 'int']]);
  mb.mod.externals.push({ iface: 'IToken', method: 'ping', argTypes: ['int'], retType: 'bool', view: true });
  mb.mod.externals.push({ iface: 'IOther', method: 'ping', argTypes: ['int'], retType: 'bool', view: true });

  const init = mb.fn('Token.__init__', [['supply', 'int']], 'None', 'constructor');
  const i0 = init.block();
  i0.add({ op: 'sstore', field: 'total', keys: [], value: 0 });
  i0.ret();

  const tr = mb.fn('Token.transfer', [['to', 'Address'], ['amount', 'int']], 'bool', 'public');
  const [t0, t1, t2] = [tr.block(), tr.block(), tr.block()];
  const sender = tr.reg('Address');
  t0.add({ op: 'env', dst: sender, kind: 'sender' });
  const bal = tr.reg('int');
  t0.add({ op: 'sload', dst: bal, field: 'balances', keys: [sender] });
  t0.br(t0.bin('ge', bal, 1), t1, t2);
  t1.add({ op: 'emit', event: 'Transfer', args: [0, 1] });
  const ok = tr.reg('bool');
  t1.add({ op: 'xcall', dst: ok, iface: 'IToken', method: 'ping', addr: 0, value: 1, args: [1] });
  const ok2 = tr.reg('bool');
  t1.add({ op: 'xcall', dst: ok2, iface: 'IOther', method: 'ping', addr: 0, value: 1, args: [1] });
  t1.ret(ok);
  t2.revert('insufficient balance', 'require');

  const bo = mb.fn('Token.balance_of', [['owner', 'Address']], 'int', 'view');
  const v0 = bo.block();
  const r = bo.reg('int');
  v0.add({ op: 'sload', dst: r, field: 'balances', keys: [0] });
  const a = bo.reg('int');
  v0.add({ op: 'builtin', dst: a, name: 'abs', args: [r] });
  v0.ret(a);

  const pay = mb.fn('Token.deposit', [], 'None', 'payable');
  const p0 = pay.block();
  p0.ret();

  const priv = mb.fn('Token._helper', [['x', 'int']], 'int', 'private');
  const h0 = priv.block();
  const big = h0.const(1n << 100n);
  h0.ret(h0.bin('add', 0, big));

  const util = mb.fn('util', [['x', 'int']], 'int', 'function');
  const u0 = util.block();
  const c = util.reg('int');
  u0.add({ op: 'call', dst: c, fn: 'Token._helper', args: [0] });
  u0.const('insufficient balance'); // same str constant as in transfer: one pool entry
  u0.const(1n << 100n); // same big int as in _helper
  u0.ret(c);
  return mb.build();
}

describe('generate: module shape', () => {
  const mod = tokenModule();
  const { def } = generate(mod);

  it('produces a module the TVM validator accepts and that round-trips through the binary format', () => {
    expect(validateIR(mod)).toEqual([]);
    expect(() => validateModule(def)).not.toThrow();
    const bytes = encodeModule(def);
    const back = decodeModule(bytes);
    expect(back.functions.map((f) => f.code)).toEqual(def.functions.map((f) => f.code));
  });

  it('maps registers one to one and keeps the function order', () => {
    expect(def.functions.map((f) => f.name)).toEqual(mod.functions.map((f) => f.name));
    def.functions.forEach((f, i) => {
      expect(f.nregs).toBe(mod.functions[i]!.regs.length);
      expect(f.nparams).toBe(mod.functions[i]!.params.length);
    });
  });

  it('deduplicates constants, types and externals', () => {
    const strs = def.constants.filter((c) => c.kind === 'str' && c.value === 'insufficient balance');
    expect(strs).toHaveLength(1);
    expect(def.constants.filter((c) => c.kind === 'int')).toEqual([{ kind: 'int', value: 1n << 100n }]);
    expect(new Set(def.types).size).toBe(def.types.length);
    // IToken.ping and IOther.ping have the same method and types: one ExternalDef.
    expect(def.externals).toEqual([{ method: 'ping', argTypes: [def.types.indexOf('int')], retType: def.types.indexOf('bool') }]);
  });

  it('uses LOADI for small ints and LOADK for large ones', () => {
    const helper = def.functions[4]!;
    const bigK = def.constants.findIndex((c) => c.kind === 'int');
    expect(helper.code[0]).toEqual(['LOADK', 1, bigK]);
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [], 'int');
    const b = f.block();
    b.const(2 ** 31 - 1);
    b.const(-(2 ** 31));
    b.const(2 ** 31);
    b.const(true);
    b.const(null);
    b.ret(b.const('s'));
    const code = generate(mb.build()).def.functions[0]!.code;
    expect(code.slice(0, 5)).toEqual([
      ['LOADI', 0, 2 ** 31 - 1],
      ['LOADI', 1, -(2 ** 31)],
      ['LOADK', 2, 0],
      ['LOADBOOL', 3, 1],
      ['LOADNONE', 4],
    ]);
  });

  it('resolves storage slots, events, externals, env and calls to table indices', () => {
    const transfer = def.functions[1]!.code;
    expect(transfer[0]).toEqual(['ENV', 2, 0]);
    expect(transfer[1]).toEqual(['SLOAD', 3, 1, [2]]);
    expect(transfer.find((i) => i[0] === 'EMIT')).toEqual(['EMIT', 0, [0, 1]]);
    expect(transfer.filter((i) => i[0] === 'XCALL').map((i) => i[2])).toEqual([0, 0]);
    expect(def.functions[0]!.code[0]).toEqual(['SSTORE', 0, 0, []]);
    expect(def.functions[5]!.code[0]).toEqual(['CALL', 1, 4, [0]]);
    expect(def.functions[2]!.code[1]).toEqual(['CALLB', 2, 0, [1]]);
    expect(def.slots).toEqual([
      { name: 'total', id: 0, keyTypes: [], valueType: def.types.indexOf('int') },
      { name: 'balances', id: 1, keyTypes: [def.types.indexOf('Address')], valueType: def.types.indexOf('int') },
    ]);
  });

  it('builds the ABI from function kinds', () => {
    const abi = def.abi;
    expect(abi.contract).toBe('Token');
    expect(abi.constructor).toEqual({
      name: '__init__', fn: 0, params: [{ name: 'supply', type: 'int' }], returns: 'None', view: false, payable: false,
    });
    expect(abi.methods.map((m) => [m.name, m.fn, m.view, m.payable])).toEqual([
      ['transfer', 1, false, false],
      ['balance_of', 2, true, false],
      ['deposit', 3, false, true],
    ]);
    expect(abi.functions.map((m) => m.name)).toEqual(['util']);
    expect(abi.events).toEqual([{ name: 'Transfer', fields: [{ name: 'to', type: 'Address' }, { name: 'amount', type: 'int' }] }]);
  });

  it('throws IRError for invalid IR', () => {
    const bad = tokenModule();
    bad.functions[5]!.blocks[0]!.instrs.unshift({ op: 'call', dst: 0, fn: 'nope', args: [], span: bad.functions[0]!.span });
    expect(() => generate(bad)).toThrow(IRError);
    expect(validateIR(bad)).toEqual(['util b0.0: unknown function nope']);
  });
});

describe('generate: layout and jumps', () => {
  /** while i < n: if i % 2 == 0: s += i  ;  i += 1 — loops and diamonds. */
  function loopModule() {
    const mb = new ModuleBuilder();
    const f = mb.fn('sum_even', [['n', 'int']], 'int');
    const i = f.reg('int', 'i');
    const s = f.reg('int', 's');
    const [b0, head, body, addB, next, exit] = [f.block(), f.block(), f.block(), f.block(), f.block(), f.block()];
    b0.const(0, i);
    b0.const(0, s);
    b0.jmp(head);
    head.br(head.bin('lt', i, 0), body, exit);
    const even = body.bin('eq', body.bin('mod', i, body.const(2)), body.const(0));
    body.br(even, addB, next);
    addB.bin('add', s, i, s);
    addB.jmp(next);
    next.bin('add', i, next.const(1), i);
    next.jmp(head);
    exit.ret(s);
    return mb.build();
  }

  it('lays out the entry first and never jumps to the next instruction', () => {
    for (const level of [0, 1] as const) {
      const mod = optimize(loopModule(), level);
      expect(layoutBlocks(mod.functions[0]!)[0]).toBe(0);
      const code = generate(mod).def.functions[0]!.code;
      code.forEach((ins, pc) => {
        if (ins[0] === 'JMP') expect(target(ins)).not.toBe(pc + 1);
        if (JUMPS.has(ins[0])) expect(target(ins)).toBeLessThan(code.length);
      });
      // One back edge JMP and conditional jumps for the two branches; the jmp b0 -> head
      // and addB -> next fall through.
      expect(code.filter((x) => x[0] === 'JMP')).toHaveLength(1);
      expect(code.filter((x) => x[0] === 'JF')).toHaveLength(2);
    }
  });

  it('emits JF to the else block when the then block follows', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['c', 'bool']], 'int');
    const [b0, t, e] = [f.block(), f.block(), f.block()];
    b0.br(0, t, e);
    t.ret(t.const(1));
    e.ret(e.const(2));
    const code = generate(mb.build()).def.functions[0]!.code;
    expect(code).toEqual([['JF', 0, 3], ['LOADI', 1, 1], ['RET', 1], ['LOADI', 2, 2], ['RET', 2]]);
  });

  it('emits JT when only the else block can follow', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [['c', 'bool']], 'int');
    const [b0, b1, b2] = [f.block(), f.block(), f.block()];
    b0.jmp(b1);
    b1.const(5);
    b1.br(0, b0, b2); // then = b0 is already placed: JT back, fall into b2
    b2.ret(1);
    const code = generate(mb.build()).def.functions[0]!.code;
    expect(code).toEqual([['LOADI', 1, 5], ['JT', 0, 0], ['RET', 1]]);
  });

  it('does not emit unreachable blocks', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [], 'None');
    const [b0, dead] = [f.block(), f.block()];
    b0.ret();
    dead.revert('never');
    const { def } = generate(mb.build());
    expect(def.functions[0]!.code).toEqual([['RETNONE']]);
    expect(def.constants).toEqual([]);
  });
});

describe('source map and debug info', () => {
  it('points every instruction at the span of the IR instruction or terminator it came from', () => {
    const mb = new ModuleBuilder(null, 'main.py');
    const f = mb.fn('f', [['a', 'int']], 'int');
    const [b0, b1, b2] = [f.block(), f.block(), f.block()];
    const c = b0.bin('gt', 0, b0.const(0));
    b0.br(c, b1, b2);
    b1.ret(b1.bin('mul', 0, 0));
    b2.revert('negative', 'require');
    const mod = mb.build();
    const { def, sourceMap } = generate(mod, { debug: true });
    const fn = mod.functions[0]!;
    const [k, gt] = fn.blocks[0]!.instrs;
    const expected = [
      k!.span, gt!.span, fn.blocks[0]!.term.span, // LOADI, GT, JF
      fn.blocks[1]!.instrs[0]!.span, fn.blocks[1]!.term.span, // MUL, RET
      fn.blocks[2]!.instrs[0]!.span, fn.blocks[2]!.term.span, // LOADK, REVERT
    ];
    expect(def.functions[0]!.code.map((i) => i[0])).toEqual(['LOADI', 'GT', 'JF', 'MUL', 'RET', 'LOADK', 'REVERT']);
    expect(sourceMap[0]).toEqual(
      expected.map((s, pc) => ({ fn: 0, pc, file: 'main.py', line: s.line, col: s.col, endLine: s.endLine, endCol: s.endCol })),
    );
    expect(def.debug).toEqual({ files: ['main.py'], lines: [expected.map((s, pc) => [pc, 0, s.line, s.col])] });
  });

  it('emits an entry only where the position changes', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [], 'int');
    const b0 = f.block();
    const x = b0.const(1);
    b0.bin('add', x, x);
    b0.ret(x);
    const mod = mb.build();
    const b = mod.functions[0]!.blocks[0]!;
    b.instrs[1]!.span = b.instrs[0]!.span;
    const { def, sourceMap } = generate(mod, { debug: true });
    expect(sourceMap[0]!.map((e) => e.pc)).toEqual([0, 2]);
    expect(def.debug!.lines[0]!.map((e) => e[0])).toEqual([0, 2]);
    expect(generate(mod).def.debug).toBeNull();
  });

  it('keeps spans through optimization', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('f', [], 'int');
    const b0 = f.block();
    const m = b0.bin('mul', b0.const(6), b0.const(7));
    b0.ret(m);
    const mod = mb.build();
    const mulSpan = mod.functions[0]!.blocks[0]!.instrs[2]!.span;
    const { def, sourceMap } = generate(optimize(mod, 1));
    expect(def.functions[0]!.code[0]).toEqual(['LOADI', m, 42]);
    expect(sourceMap[0]![0]).toMatchObject({ pc: 0, line: mulSpan.line, col: mulSpan.col });
  });
});

describe('artifact', () => {
  it('records hashes, the ABI, the source map and statistics; locate finds revert positions', () => {
    const mod = tokenModule();
    const { def, sourceMap } = generate(mod);
    const bytecode = encodeModule(def);
    const art = buildArtifact({
      sources: [{ path: 'token.py', text: 'class Token(Contract): ...' }, { path: 'stdlib/x.py', text: '' }],
      def,
      bytecode,
      sourceMap,
      ir: printIR(mod),
    });
    expect(art.format).toBe('zv-artifact/1');
    expect(art.compiler).toEqual({ name: 'zvc', version: COMPILER_VERSION });
    expect(art.contract).toBe('Token');
    expect(art.source.path).toBe('token.py');
    // sha256("") is a well-known value.
    expect(art.sources[1]!.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(art.bytecode).toMatch(/^0x[0-9a-f]+$/);
    expect(art.bytecodeHash).toBe(sha256Hex(bytecode));
    expect(art.stats).toEqual({
      instructions: def.functions.reduce((n, f) => n + f.code.length, 0),
      functions: def.functions.length,
      bytes: bytecode.length,
    });
    expect(JSON.parse(JSON.stringify(art))).toEqual(art);

    // The require revert of transfer: its REVERT instruction maps to the revert terminator.
    const tf = def.functions[1]!;
    const pc = tf.code.findIndex((i) => i[0] === 'REVERT');
    const span = mod.functions[1]!.blocks[2]!.term.span;
    expect(locate(art, 1, pc)).toEqual({ file: 'token.py', line: span.line, col: span.col });
    // An instruction between entries maps to the entry before it; out of range gives null.
    expect(locate(art, 1, 10_000)).toEqual(locate(art, 1, tf.code.length - 1));
    expect(locate(art, 99, 0)).toBeNull();
  });
});

describe('artifact fields computed on first read', () => {
  it('are plain enumerable data, in the documented key order, fixed when the artifact is built', () => {
    const { def, sourceMap } = generate(tokenModule());
    const bytecode = encodeModule(def);
    const original = bytecode.slice();
    const art = buildArtifact({ sources: [{ path: 'token.py', text: 'x' }], def, bytecode, sourceMap });
    bytecode.fill(0); // the caller reuses its buffer: the artifact still describes the module
    expect(Object.keys(art)).toEqual(['format', 'compiler', 'contract', 'source', 'sources', 'bytecode', 'bytecodeHash', 'abi', 'sourceMap', 'stats']);
    const clone = structuredClone(art);
    expect(clone.bytecode).toBe('0x' + Buffer.from(original).toString('hex'));
    expect(clone.bytecodeHash).toBe(sha256Hex(original));
    expect({ ...art }.sources[0]!.sha256).toBe(sha256Hex('x'));
    expect(art.source.sha256).toBe(sha256Hex('x'));
    expect(JSON.parse(JSON.stringify(art))).toEqual(clone);
    // Once read, a field is an ordinary data property (and may be overwritten like one).
    expect(Object.getOwnPropertyDescriptor(art, 'bytecode')).toMatchObject({ value: clone.bytecode, writable: true, enumerable: true });
    art.bytecodeHash = 'replaced';
    expect(art.bytecodeHash).toBe('replaced');
  });
});

describe('generated code in the TVM', () => {
  it('runs loops and branches with the same results at every level', () => {
    const mb = new ModuleBuilder();
    const f = mb.fn('sum_even', [['n', 'int']], 'int');
    const i = f.reg('int', 'i');
    const s = f.reg('int', 's');
    const [b0, head, body, addB, next, exit] = [f.block(), f.block(), f.block(), f.block(), f.block(), f.block()];
    b0.const(0, i);
    b0.const(0, s);
    b0.jmp(head);
    head.br(head.bin('lt', i, 0), body, exit);
    body.br(body.bin('eq', body.bin('mod', i, body.const(2)), body.const(0)), addB, next);
    addB.bin('add', s, i, s);
    addB.jmp(next);
    next.bin('add', i, next.const(1), i);
    next.jmp(head);
    exit.ret(s);
    const mod = mb.build();
    for (const level of [0, 1, 2] as const) {
      const loaded = prepareModule(generate(optimize(mod, level)).def);
      for (const [n, want] of [[0n, 0], [1n, 0], [10n, 20], [101n, 2550]] as const) {
        const r = runFunction(loaded, 'sum_even', [n]);
        expect(r.ok && r.value).toBe(want);
      }
    }
  });

  it('maps the location of a revert back to the source through the artifact', () => {
    // f(a): if a > 0: return a * (2**254)  (overflows for a >= 2)  else: require failed
    const mb = new ModuleBuilder(null, 'main.py');
    const f = mb.fn('f', [['a', 'int']], 'int');
    const [b0, b1, b2] = [f.block(), f.block(), f.block()];
    b0.br(b0.bin('gt', 0, b0.const(0)), b1, b2);
    const mul = b1.bin('mul', 0, b1.const(1n << 254n));
    b1.ret(mul);
    b2.revert('a must be positive', 'require');
    const mod = mb.build();
    const mulSpan = mod.functions[0]!.blocks[1]!.instrs[1]!.span;
    const revertSpan = mod.functions[0]!.blocks[2]!.term.span;
    for (const level of [0, 1, 2] as const) {
      const { def, sourceMap } = generate(optimize(mod, level), { debug: true });
      const art = buildArtifact({ sources: [{ path: 'main.py', text: '' }], def, bytecode: encodeModule(def), sourceMap });
      const loaded = prepareModule(def);
      const overflow = runFunction(loaded, 'f', [2n]);
      expect(overflow).toMatchObject({ ok: false, reason: 'integer overflow' });
      const loc1 = !overflow.ok && overflow.location;
      expect(loc1 && locate(art, loc1.fn, loc1.pc)).toEqual({ file: 'main.py', line: mulSpan.line, col: mulSpan.col });
      const req = runFunction(loaded, 'f', [0n]);
      expect(req).toMatchObject({ ok: false, reason: 'a must be positive' });
      const loc2 = !req.ok && req.location;
      expect(loc2 && locate(art, loc2.fn, loc2.pc)).toEqual({ file: 'main.py', line: revertSpan.line, col: revertSpan.col });
    }
  });
});

describe('printIR', () => {
  it('prints the module header, signatures, typed destinations and terminators', () => {
    const text = printIR(tokenModule());
    expect(text).toContain('contract Token\nstorage total: int  #0\nstorage balances[Address]: int  #1');
    expect(text).toContain('event Transfer(to: Address, amount: int)');
    expect(text).toContain('fn Token.transfer(to: Address, amount: int) -> bool  [public]\n  b0:');
    expect(text).toContain('    r3: int = sload balances[r2]\n    r4: bool = ge r3, r1\n    br r4, b1, b2');
    expect(text).toContain('    revert r7  [require]');
    expect(text).toContain('r5: bool = xcall IToken.ping(r1) at r0 value r1');
  });
});
