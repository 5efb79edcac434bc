import { describe, expect, it } from 'vitest';
import { Asm } from './asm.ts';
import {
  callMethod, decodeModule, deploy, encodeModule, loadModule, MemoryHost, prepareModule, runFunction, validateModule,
  TvmFormatError, BUILTINS, LIMITS, defaultValue, parseType, type ModuleDef,
} from './index.ts';
import { mulberry32 as rng } from '../test/support/prng.ts';
import { sectionRange } from '../test/support/module-bytes.ts';


const bid = (n: string) => BUILTINS.findIndex((b) => b.name === n);

/** A contract that touches most of the instruction set: the seed for mutation fuzzing. */
function richModule(): ModuleDef {
  const a = new Asm('Rich');
  const total = a.slot('total', [], 'int');
  const names = a.slot('names', ['Address'], 'str');
  const ev = a.event('Added', [['who', 'Address'], ['n', 'int']]);
  const ext = a.external('get', [], 'int');
  const kHello = a.str('hello');
  const kSpec = a.str('>8');
  const kBig = a.int(2n ** 100n);
  const kBytes = a.bytes(Uint8Array.of(1, 2, 3));
  a.fn('__init__', [['start', 'int']], 'None', 2, [['SSTORE', total, 0, []], ['RETNONE']], 'constructor');
  a.fn('add', [['n', 'int']], 'int', 8, [
    ['SLOAD', 1, total, []],
    ['ADD', 1, 1, 0],
    ['SSTORE', total, 1, []],
    ['ENV', 2, 0],
    ['EMIT', ev, [2, 0]],
    ['LOADK', 3, kHello],
    ['SSTORE', names, 3, [2]],
    ['LOG', 3],
    ['RET', 1],
  ], 'public');
  a.fn('get', [], 'int', 2, [['SLOAD', 0, total, []], ['RET', 0]], 'view');
  a.fn('callget', [['other', 'Address']], 'int', 3, [['LOADI', 1, 0], ['XCALL', 2, ext, 0, 1, []], ['RET', 2]], 'public');
  a.fn('work', [['n', 'int']], 'str', 12, [
    ['LOADI', 1, 0],
    ['NEWLIST', 2, []],
    ['LOADI', 5, 1],
    'loop:',
    ['GE', 3, 1, 0],
    ['JT', 3, 'done'],
    ['MUL', 4, 1, 1],
    ['APPEND', 2, 4],
    ['ADD', 1, 1, 5],
    ['JMP', 'loop'],
    'done:',
    ['CALLB', 6, bid('sorted'), [2, 3]],
    ['LEN', 7, 6],
    ['LOADK', 8, kBig],
    ['POW', 9, 7, 5],
    ['FORMAT', 10, 9, a.type('int'), kSpec],
    ['NEWDICT', 11, [10, 6]],
    ['REPR', 10, 11, a.type('dict[str,list[int]]')],
    ['LOADK', 4, kBytes],
    ['CONCAT', 9, 10, 10],
    ['CALL', 9, 'helper', [9]],
    ['RET', 9],
  ], 'function');
  a.fn('helper', [['s', 'str']], 'str', 4, [
    ['LOADI', 1, 1],
    ['LOADNONE', 2],
    ['SLICE', 3, 0, 1, 2, 2],
    ['RET', 3],
  ], 'private');
  return a.build();
}

function loopModule(): ModuleDef {
  const a = new Asm();
  a.fn('count', [['n', 'int']], 'int', 4, [
    ['LOADI', 1, 0], ['LOADI', 2, 1], 'loop:', ['ADD', 1, 1, 2], ['LT', 3, 1, 0], ['JT', 3, 'loop'], ['RET', 1],
  ]);
  return a.build();
}

describe('module format', () => {
  it('round-trips a module through encode and decode', () => {
    for (const def of [richModule(), loopModule()]) {
      const bytes = encodeModule(def);
      const back = decodeModule(bytes);
      expect(back.functions).toEqual(def.functions);
      expect(back.types).toEqual(def.types);
      expect(back.constants).toEqual(def.constants);
      expect(back.abi).toEqual(def.abi);
      expect(encodeModule(back)).toEqual(bytes);
    }
  });

  it('keeps debug info', () => {
    const def = loopModule();
    def.debug = { files: ['a.py'], lines: [[[0, 0, 1, 0], [2, 0, 2, 4]]] };
    expect(decodeModule(encodeModule(def)).debug).toEqual(def.debug);
  });

  it('validates every operand and table reference', () => {
    const cases: [string, (d: ModuleDef) => void, RegExp][] = [
      ['unknown opcode', (d) => (d.functions[0].code[0] = ['FOO', 1]), /unknown opcode "FOO"/],
      ['register range', (d) => (d.functions[0].code[0] = ['LOADI', 9, 0]), /instruction 0 \(LOADI\): register 9 out of range/],
      ['jump range', (d) => (d.functions[0].code[4] = ['JT', 3, 99]), /jump target 99 out of range/],
      ['operand count', (d) => (d.functions[0].code[0] = ['LOADI', 1]), /expected 2 operands, got 1/],
      ['nparams', (d) => (d.functions[0].nparams = 5), /nparams must be an integer 0..nregs/],
      ['empty', (d) => (d.functions[0].code = []), /empty code/],
      ['terminator', (d) => d.functions[0].code.pop(), /run off the end/],
      ['immediate', (d) => (d.functions[0].code[0] = ['LOADI', 1, 2 ** 31]), /not a 32-bit integer/],
      ['constant', (d) => (d.functions[0].code[0] = ['LOADK', 1, 0]), /constant 0 out of range/],
      ['call arity', (d) => (d.functions[0].code[0] = ['CALL', 1, 0, []]), /with 0 arguments, it takes 1/],
      ['builtin arity', (d) => (d.functions[0].code[0] = ['CALLB', 1, bid('abs'), [1, 2]]), /builtin 'abs' takes 1 arguments, got 2/],
      ['builtin index', (d) => (d.functions[0].code[0] = ['CALLB', 1, 999, []]), /builtin 999 out of range/],
      ['newdict pairs', (d) => (d.functions[0].code[0] = ['NEWDICT', 1, [1]]), /even number/],
      ['env', (d) => (d.functions[0].code[0] = ['ENV', 1, 8]), /unknown ENV value 8/],
      ['slot', (d) => (d.functions[0].code[0] = ['SLOAD', 1, 0, []]), /slot 0 out of range/],
      ['type text', (d) => d.types.push('list[int'), /type 0: bad type descriptor/],
      ['abi fn', (d) => (d.abi.functions[0].fn = 3), /function index 3 out of range/],
      ['abi params', (d) => d.abi.functions[0].params.push({ name: 'x', type: 'int' }), /has 2 params, function 0 takes 1/],
      ['abi type', (d) => (d.abi.functions[0].returns = 'float'), /unknown type 'float'/],
      ['abi duplicate', (d) => d.abi.functions.push(d.abi.functions[0]), /duplicate name 'count'/],
      ['abi methods without contract', (d) => d.abi.methods.push(d.abi.functions[0]), /without a contract/],
      ['int constant', (d) => d.constants.push({ kind: 'int', value: 2n ** 255n }), /256-bit range/],
      ['address constant', (d) => d.constants.push({ kind: 'address', value: 'zvXX' }), /address must be/],
      ['debug', (d) => (d.debug = { files: ['a'], lines: [[[2, 0, 1, 1], [1, 0, 1, 1]]] }), /sorted/],
      ['register array', (d) => (d.functions[0].code[0] = ['NEWLIST', 1, [1, 2.5]]), /register 2.5 out of range/],
      ['too many regs', (d) => (d.functions[0].nregs = LIMITS.registers + 1), /nregs must be an integer/],
      ['duplicate slot id', (d) => (d.slots = [{ name: 'a', id: 1, keyTypes: [], valueType: 0 }, { name: 'b', id: 1, keyTypes: [], valueType: 0 }], d.types.push('int')), /duplicate slot id 1/],
    ];
    for (const [what, mutate, re] of cases) {
      const def = loopModule();
      mutate(def);
      expect(() => validateModule(def), what).toThrow(TvmFormatError);
      expect(() => validateModule(def), what).toThrow(re);
      expect(() => encodeModule(def), what).toThrow(TvmFormatError);
      expect(() => prepareModule(def), what).toThrow(TvmFormatError);
    }
  });

  it('rejects malformed bytes with the offset', () => {
    const good = encodeModule(loopModule());
    const bad = (f: (b: number[]) => void): Uint8Array => {
      const b = Array.from(good);
      f(b);
      return Uint8Array.from(b);
    };
    const cases: [string, Uint8Array, RegExp][] = [
      ['magic', bad((b) => (b[0] = 0x41)), /bad magic/],
      ['version', bad((b) => (b[4] = 2)), /unsupported format version 2/],
      ['empty', new Uint8Array(0), /unexpected end/],
      ['trailing', bad((b) => b.push(0)), /unknown section id 0/],
      ['truncated', good.subarray(0, good.length - 3), /exceeds the \d+ bytes left|unexpected end|missing/],
      ['section order', bad((b) => (b[5] = 2)), /missing before section 2|out of order/],
      ['unknown section', bad((b) => b.push(9, 0)), /unknown section id 9/],
      ['repeated section', bad((b) => b.push(8, 0)), /debug section|JSON/],
    ];
    for (const [what, bytes, re] of cases) {
      expect(() => decodeModule(bytes), what).toThrow(TvmFormatError);
      expect(() => decodeModule(bytes), what).toThrow(re);
    }
    // an unknown opcode byte is reported with its byte offset
    const def = loopModule();
    const enc = encodeModule(def);
    const at = findFunctionCode(enc);
    const b2 = enc.slice();
    b2[at] = 250;
    expect(() => decodeModule(b2)).toThrow(/instruction 0: unknown opcode 250 at byte \d+/);
    // an operand out of range names the function, instruction and byte
    const b3 = enc.slice();
    b3[at + 1] = 9; // LOADI's register
    expect(() => decodeModule(b3)).toThrow(/function 0 'count', instruction 0 \(LOADI\): register 9 out of range \(have 4\) \(byte \d+\)/);
    expect(() => decodeModule(new Uint8Array(LIMITS.moduleBytes + 1))).toThrow(/exceeds the limit/);
    expect(() => decodeModule('ZTVM' as unknown as Uint8Array)).toThrow(TvmFormatError);
  });
});

/** Offset of the first instruction byte of function 0 (after its header). */
function findFunctionCode(enc: Uint8Array): number {
  // LOADI r1 0 is the first instruction: opcode 3, then register 1, then zigzag 0
  for (let i = 0; i < enc.length - 2; i++) if (enc[i] === 3 && enc[i + 1] === 1 && enc[i + 2] === 0 && enc[i - 1] === 6) return i;
  throw new Error('not found');
}


/** Loads bytes; if they load, runs every function and method with default arguments. Any
 *  exception other than TvmFormatError from loading fails the test. */
function exercise(bytes: Uint8Array, stats: { loaded: number; rejected: number; runs: number }): void {
  let mod;
  try {
    mod = loadModule(bytes);
  } catch (e) {
    if (!(e instanceof TvmFormatError)) throw new Error(`loadModule threw ${String(e)}`);
    stats.rejected++;
    return;
  }
  stats.loaded++;
  const gasLimit = 20_000;
  for (const f of mod.abi.functions) {
    const args = f.params.map((p) => defaultValue(parseType(p.type)));
    const r = runFunction(mod, f.name, args, { gasLimit });
    expect(r.ok || r.reason).not.toBe('internal error');
    expect(r.gasUsed).toBeLessThanOrEqual(gasLimit);
    stats.runs++;
  }
  if (mod.abi.contract !== null) {
    const host = new MemoryHost();
    const ctorArgs = (mod.abi.constructor?.params ?? []).map((p) => defaultValue(parseType(p.type)));
    const d = deploy(host, bytes, ctorArgs, { gasLimit });
    expect(d.ok || d.reason).not.toBe('internal error');
    if (d.ok && d.address) {
      for (const m of mod.abi.methods) {
        const args = m.params.map((p) => (p.type === 'Address' ? d.address : defaultValue(parseType(p.type))));
        const r = callMethod(host, d.address, m.name, args, { gasLimit });
        expect(r.ok || r.reason).not.toBe('internal error');
        expect(r.gasUsed).toBeLessThanOrEqual(gasLimit);
        stats.runs++;
      }
    }
  }
}

describe('fuzzing the loader and the VM', () => {
  const seeds = [encodeModule(richModule()), encodeModule(loopModule())];

  it('the seeds load and run', () => {
    const stats = { loaded: 0, rejected: 0, runs: 0 };
    for (const s of seeds) exercise(s, stats);
    expect(stats).toMatchObject({ loaded: 2, rejected: 0 });
  });

  it('random byte strings are rejected cleanly', () => {
    const r = rng(7);
    const stats = { loaded: 0, rejected: 0, runs: 0 };
    for (let i = 0; i < 3000; i++) {
      const n = Math.floor(r() * 300);
      const b = Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
      // half of them start with a valid header so the section parser gets exercised
      if (i % 2 === 0 && n >= 5) b.set([0x5a, 0x54, 0x56, 0x4d, 1]);
      exercise(b, stats);
    }
    expect(stats.rejected).toBeGreaterThan(2900);
  });

  it('mutated and truncated modules are rejected or run within the gas limit', () => {
    const r = rng(42);
    const stats = { loaded: 0, rejected: 0, runs: 0 };
    const t0 = Date.now();
    for (let i = 0; i < 4000; i++) {
      const seed = seeds[i % seeds.length];
      const b = seed.slice();
      const kind = i % 4;
      // half of the mutations hit the code section, where most bytes are opcodes and operands
      const [lo, hi] = i % 8 < 4 ? sectionRange(seed, 3) : [0, b.length];
      const pos = () => lo + Math.floor(r() * (hi - lo));
      if (kind === 0) {
        b[pos()] = Math.floor(r() * 256);
      } else if (kind === 1) {
        for (let k = 0; k < 1 + Math.floor(r() * 4); k++) b[pos()] ^= 1 << Math.floor(r() * 8);
      } else if (kind === 2) {
        exercise(seed.subarray(0, Math.floor(r() * seed.length)), stats);
        continue;
      } else {
        // small integers in operand positions are the most interesting mutations
        b[pos()] = Math.floor(r() * 8);
      }
      exercise(b, stats);
    }
    // a good share of mutations still load and run: the VM side is really exercised
    expect(stats.loaded).toBeGreaterThan(200);
    expect(stats.runs).toBeGreaterThan(200);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
