// The interpreter: one `switch` over the prepared Int32Array code of tvm/loader.ts, registers in
// a plain JS array per frame, an explicit frame stack for CALL (no JS recursion for internal
// calls). Case labels are numeric literals (the OPS index; interpreter.test.ts checks each
// against Op) so V8 compiles the switch to a jump table. Cheap, common cases run inline with a
// JS-number fast path; everything else calls a helper in arith.ts / ops.ts / builtins.ts /
// machine.ts. Gas: blocks are charged on entry by JMP/JT/JF/GAS/CALL (see loader.ts); dynamic
// costs are charged by the helpers through the Machine, whose `gas` field is the one counter.

import { revert, TvmValueError, VMRevert } from './errors.ts';
import type { Machine } from './machine.ts';
import type { PreparedFunction } from './loader.ts';
import * as arith from './arith.ts';
import * as ops from './ops.ts';
import { callBuiltin } from './builtins.ts';
import { compareValues, copyValue, pyFormat, pyRepr, pyStr, valueEquals } from './values.ts';
import { defaultValue } from './types.ts';
import { GAS, outOfGas } from './gas.ts';

/** Frames the CALL stack may hold, the outermost included. */
export const MAX_FRAMES = 256;
const MAX_SAFE = 9007199254740991;

class Frame {
  constructor(
    readonly fn: PreparedFunction,
    readonly regs: unknown[],
    readonly pc: number,
    readonly dst: number,
  ) {}
}

function newRegs(n: number): unknown[] {
  const r: unknown[] = [];
  for (let i = 0; i < n; i++) r.push(null);
  return r;
}

/** The registers named by a variadic operand: count at code[at], registers after it. */
function collect(regs: unknown[], code: Int32Array, at: number): unknown[] {
  const n = code[at];
  const out: unknown[] = [];
  for (let i = 1; i <= n; i++) out.push(regs[code[at + i]]);
  return out;
}

/**
 * Runs function `fnIndex` of the machine's module with the given arguments and returns its
 * result. Reverts are thrown as VMRevert, with `location` set where the revert happened.
 * `depth` is the frame depth the function starts at: 0 for a contract-level call, which also
 * charges the entry block and frame; more when another engine (tvm/jit.ts) hands over a CALL
 * whose gas it has already charged, so the 256-frame limit counts the frames of both.
 */
export function execute(m: Machine, fnIndex: number, args: unknown[], depth = 0): unknown {
  const mod = m.mod;
  const funcs = mod.functions;
  const consts = mod.constants;
  const types = mod.types;
  let fn = funcs[fnIndex];
  let code = fn.code;
  let regs = newRegs(fn.nregs);
  for (let i = 0; i < fn.nparams; i++) regs[i] = args[i];
  let pc = 0;
  const stack: Frame[] = [];
  const maxStack = MAX_FRAMES - 1 - depth;
  try {
    if (depth === 0) m.charge(fn.entryGas + fn.frameGas);
    for (;;) {
      switch (code[pc]) {
        case 0: // NOP
          pc += 1;
          break;
        case 1: // MOV
          regs[code[pc + 1]] = regs[code[pc + 2]];
          pc += 3;
          break;
        case 2: // LOADK
          regs[code[pc + 1]] = consts[code[pc + 2]];
          pc += 3;
          break;
        case 3: // LOADI
          regs[code[pc + 1]] = code[pc + 2];
          pc += 3;
          break;
        case 4: // LOADNONE
          regs[code[pc + 1]] = null;
          pc += 2;
          break;
        case 5: // LOADBOOL
          regs[code[pc + 1]] = code[pc + 2] !== 0;
          pc += 3;
          break;
        case 6: // LOADDEF
          m.charge(mod.defaultCost[code[pc + 2]]);
          regs[code[pc + 1]] = defaultValue(types[code[pc + 2]]);
          pc += 3;
          break;

        case 7: { // ADD
          const a = regs[code[pc + 2]];
          const b = regs[code[pc + 3]];
          if (typeof a === 'number' && typeof b === 'number') {
            const r = a + b;
            regs[code[pc + 1]] = r <= MAX_SAFE && r >= -MAX_SAFE ? r : arith.add(a, b);
          } else regs[code[pc + 1]] = arith.add(a, b);
          pc += 4;
          break;
        }
        case 8: { // SUB
          const a = regs[code[pc + 2]];
          const b = regs[code[pc + 3]];
          if (typeof a === 'number' && typeof b === 'number') {
            const r = a - b;
            regs[code[pc + 1]] = r <= MAX_SAFE && r >= -MAX_SAFE ? r : arith.sub(a, b);
          } else regs[code[pc + 1]] = arith.sub(a, b);
          pc += 4;
          break;
        }
        case 9: { // MUL
          const a = regs[code[pc + 2]];
          const b = regs[code[pc + 3]];
          if (typeof a === 'number' && typeof b === 'number') {
            const r = a * b;
            regs[code[pc + 1]] = r <= MAX_SAFE && r >= -MAX_SAFE ? r + 0 : arith.mul(m, a, b);
          } else regs[code[pc + 1]] = arith.mul(m, a, b);
          pc += 4;
          break;
        }
        case 10: { // FLOORDIV
          const a = regs[code[pc + 2]];
          const b = regs[code[pc + 3]];
          if (typeof a === 'number' && typeof b === 'number' && b !== 0) {
            const r = a % b;
            let q = (a - r) / b;
            if (r !== 0 && r < 0 !== b < 0) q -= 1;
            regs[code[pc + 1]] = q + 0;
          } else regs[code[pc + 1]] = arith.floordiv(m, a, b);
          pc += 4;
          break;
        }
        case 11: { // MOD
          const a = regs[code[pc + 2]];
          const b = regs[code[pc + 3]];
          if (typeof a === 'number' && typeof b === 'number' && b !== 0) {
            let r = a % b;
            if (r !== 0 && r < 0 !== b < 0) r += b;
            regs[code[pc + 1]] = r + 0;
          } else regs[code[pc + 1]] = arith.mod(m, a, b);
          pc += 4;
          break;
        }
        case 12: // POW
          regs[code[pc + 1]] = arith.pow(m, regs[code[pc + 2]], regs[code[pc + 3]]);
          pc += 4;
          break;
        case 13: // SHL
          regs[code[pc + 1]] = arith.shl(regs[code[pc + 2]], regs[code[pc + 3]]);
          pc += 4;
          break;
        case 14: // SHR
          regs[code[pc + 1]] = arith.shr(regs[code[pc + 2]], regs[code[pc + 3]]);
          pc += 4;
          break;
        case 15: // BAND
          regs[code[pc + 1]] = arith.band(regs[code[pc + 2]], regs[code[pc + 3]]);
          pc += 4;
          break;
        case 16: // BOR
          regs[code[pc + 1]] = arith.bor(regs[code[pc + 2]], regs[code[pc + 3]]);
          pc += 4;
          break;
        case 17: // BXOR
          regs[code[pc + 1]] = arith.bxor(regs[code[pc + 2]], regs[code[pc + 3]]);
          pc += 4;
          break;
        case 18: // NEG
          regs[code[pc + 1]] = arith.neg(regs[code[pc + 2]]);
          pc += 3;
          break;
        case 19: // INVERT
          regs[code[pc + 1]] = arith.invert(regs[code[pc + 2]]);
          pc += 3;
          break;

        case 20: { // EQ
          const a = regs[code[pc + 2]];
          const b = regs[code[pc + 3]];
          regs[code[pc + 1]] = a === b || ((typeof a === 'object' || typeof a !== typeof b) && valueEquals(a, b, m));
          pc += 4;
          break;
        }
        case 21: { // NE
          const a = regs[code[pc + 2]];
          const b = regs[code[pc + 3]];
          regs[code[pc + 1]] = !(a === b || ((typeof a === 'object' || typeof a !== typeof b) && valueEquals(a, b, m)));
          pc += 4;
          break;
        }
        case 22: { // LT
          const a = regs[code[pc + 2]];
          const b = regs[code[pc + 3]];
          regs[code[pc + 1]] = typeof a === 'number' && typeof b === 'number' ? a < b : compareValues(a, b, m) < 0;
          pc += 4;
          break;
        }
        case 23: { // LE
          const a = regs[code[pc + 2]];
          const b = regs[code[pc + 3]];
          regs[code[pc + 1]] = typeof a === 'number' && typeof b === 'number' ? a <= b : compareValues(a, b, m) <= 0;
          pc += 4;
          break;
        }
        case 24: { // GT
          const a = regs[code[pc + 2]];
          const b = regs[code[pc + 3]];
          regs[code[pc + 1]] = typeof a === 'number' && typeof b === 'number' ? a > b : compareValues(a, b, m) > 0;
          pc += 4;
          break;
        }
        case 25: { // GE
          const a = regs[code[pc + 2]];
          const b = regs[code[pc + 3]];
          regs[code[pc + 1]] = typeof a === 'number' && typeof b === 'number' ? a >= b : compareValues(a, b, m) >= 0;
          pc += 4;
          break;
        }
        case 26: { // NOT
          const a = regs[code[pc + 2]];
          regs[code[pc + 1]] = a === true ? false : a === false ? true : !ops.truthy(a);
          pc += 3;
          break;
        }
        case 27: { // TRUTHY
          const a = regs[code[pc + 2]];
          regs[code[pc + 1]] = typeof a === 'boolean' ? a : ops.truthy(a);
          pc += 3;
          break;
        }
        case 28: // ISNONE
          regs[code[pc + 1]] = regs[code[pc + 2]] === null;
          pc += 3;
          break;

        case 29: // CONCAT
          regs[code[pc + 1]] = ops.concat(m, regs[code[pc + 2]], regs[code[pc + 3]]);
          pc += 4;
          break;
        case 30: // REPEAT
          regs[code[pc + 1]] = ops.repeat(m, regs[code[pc + 2]], regs[code[pc + 3]]);
          pc += 4;
          break;
        case 31: { // LEN
          const a = regs[code[pc + 2]];
          regs[code[pc + 1]] = Array.isArray(a) ? a.length : ops.len(m, a);
          pc += 3;
          break;
        }
        case 32: { // GETITEM
          const a = regs[code[pc + 2]];
          const i = regs[code[pc + 3]];
          if (Array.isArray(a) && typeof i === 'number') {
            const k = i < 0 ? i + a.length : i;
            if (k >= 0 && k < a.length) regs[code[pc + 1]] = a[k];
            else revert('index out of range');
          } else regs[code[pc + 1]] = ops.getitem(m, a, i);
          pc += 4;
          break;
        }
        case 33: { // SETITEM
          const a = regs[code[pc + 1]];
          const i = regs[code[pc + 2]];
          if (Array.isArray(a) && typeof i === 'number') {
            const k = i < 0 ? i + a.length : i;
            if (k >= 0 && k < a.length) a[k] = regs[code[pc + 3]];
            else revert('index out of range');
          } else ops.setitem(m, a, i, regs[code[pc + 3]]);
          pc += 4;
          break;
        }
        case 34: // DELITEM
          ops.delitem(m, regs[code[pc + 1]], regs[code[pc + 2]]);
          pc += 3;
          break;
        case 35: // SLICE
          regs[code[pc + 1]] = ops.slice(m, regs[code[pc + 2]], regs[code[pc + 3]], regs[code[pc + 4]], regs[code[pc + 5]]);
          pc += 6;
          break;
        case 36: // CONTAINS (d, item, container)
          regs[code[pc + 1]] = ops.contains(m, regs[code[pc + 3]], regs[code[pc + 2]]);
          pc += 4;
          break;
        case 37: // NEWLIST
        case 38: { // NEWTUPLE
          const n = code[pc + 2];
          if (n > 0) m.charge(GAS.element * n);
          regs[code[pc + 1]] = collect(regs, code, pc + 2);
          pc += 3 + n;
          break;
        }
        case 39: { // NEWDICT
          const n = code[pc + 2];
          regs[code[pc + 1]] = ops.newdict(m, regs, code, pc + 3, n);
          pc += 3 + n;
          break;
        }
        case 40: { // GETFIELD
          const s = regs[code[pc + 2]];
          const idx = code[pc + 3];
          if (!Array.isArray(s) || idx >= s.length) revert('invalid field access');
          regs[code[pc + 1]] = s[idx];
          pc += 4;
          break;
        }
        case 41: { // SETFIELD
          const s = regs[code[pc + 1]];
          const idx = code[pc + 2];
          if (!Array.isArray(s) || idx >= s.length) revert('invalid field access');
          s[idx] = regs[code[pc + 3]];
          pc += 4;
          break;
        }
        case 42: { // APPEND
          const a = regs[code[pc + 1]];
          if (!Array.isArray(a)) revert('append() needs a list');
          m.charge(GAS.element);
          a.push(regs[code[pc + 2]]);
          pc += 3;
          break;
        }
        case 43: // COPY
          regs[code[pc + 1]] = copyValue(types[code[pc + 3]], regs[code[pc + 2]], m);
          pc += 4;
          break;
        case 44: // STR
          regs[code[pc + 1]] = pyStr(types[code[pc + 3]], regs[code[pc + 2]], m);
          pc += 4;
          break;
        case 45: // REPR
          regs[code[pc + 1]] = pyRepr(types[code[pc + 3]], regs[code[pc + 2]], m);
          pc += 4;
          break;
        case 46: // FORMAT
          regs[code[pc + 1]] = pyFormat(types[code[pc + 3]], regs[code[pc + 2]], consts[code[pc + 4]] as string, m);
          pc += 5;
          break;
        case 47: // CALLB
          regs[code[pc + 1]] = callBuiltin(m, code[pc + 2], collect(regs, code, pc + 3));
          pc += 4 + code[pc + 3];
          break;

        case 48: // JMP target gas
          if ((m.gas -= code[pc + 2]) < 0) throw outOfGas();
          pc = code[pc + 1];
          break;
        case 49: { // JT cond target gasTaken gasFall
          const c = regs[code[pc + 1]];
          if (c === true) {
            if ((m.gas -= code[pc + 3]) < 0) throw outOfGas();
            pc = code[pc + 2];
          } else if (c === false) {
            if ((m.gas -= code[pc + 4]) < 0) throw outOfGas();
            pc += 5;
          } else revert('condition is not a bool');
          break;
        }
        case 50: { // JF cond target gasTaken gasFall
          const c = regs[code[pc + 1]];
          if (c === false) {
            if ((m.gas -= code[pc + 3]) < 0) throw outOfGas();
            pc = code[pc + 2];
          } else if (c === true) {
            if ((m.gas -= code[pc + 4]) < 0) throw outOfGas();
            pc += 5;
          } else revert('condition is not a bool');
          break;
        }
        case 51: { // CALL d f n regs...
          const callee = funcs[code[pc + 2]];
          if (stack.length >= maxStack) revert('call depth exceeded');
          if ((m.gas -= callee.entryGas) < 0) throw outOfGas();
          const n = code[pc + 3];
          const nr = newRegs(callee.nregs);
          for (let i = 0; i < n; i++) nr[i] = regs[code[pc + 4 + i]];
          stack.push(new Frame(fn, regs, pc + 4 + n, code[pc + 1]));
          fn = callee;
          code = callee.code;
          regs = nr;
          pc = 0;
          break;
        }
        case 52: // RET
        case 53: { // RETNONE
          const v = code[pc] === 52 ? regs[code[pc + 1]] : null;
          const f = stack.pop();
          if (f === undefined) return v;
          fn = f.fn;
          code = fn.code;
          regs = f.regs;
          regs[f.dst] = v;
          pc = f.pc;
          break;
        }
        case 54: { // REVERT
          const reason = regs[code[pc + 1]];
          throw new VMRevert(typeof reason === 'string' ? reason : 'revert reason is not a str');
        }

        case 55: // SLOAD d s n keys...
          regs[code[pc + 1]] = m.sload(code[pc + 2], collect(regs, code, pc + 3));
          pc += 4 + code[pc + 3];
          break;
        case 56: // SSTORE s v n keys...
          m.sstore(code[pc + 1], regs[code[pc + 2]], collect(regs, code, pc + 3));
          pc += 4 + code[pc + 3];
          break;
        case 57: // SHAS d s n keys...
          regs[code[pc + 1]] = m.shas(code[pc + 2], collect(regs, code, pc + 3));
          pc += 4 + code[pc + 3];
          break;
        case 58: // SDEL s n keys...
          m.sdel(code[pc + 1], collect(regs, code, pc + 2));
          pc += 3 + code[pc + 2];
          break;
        case 59: // ENV
          regs[code[pc + 1]] = m.env(code[pc + 2]);
          pc += 3;
          break;
        case 60: // BALANCE
          regs[code[pc + 1]] = m.balance(regs[code[pc + 2]]);
          pc += 3;
          break;
        case 61: // TRANSFER
          m.transfer(regs[code[pc + 1]], regs[code[pc + 2]]);
          pc += 3;
          break;
        case 62: // EMIT e n fields...
          m.emit(code[pc + 1], collect(regs, code, pc + 2));
          pc += 3 + code[pc + 2];
          break;
        case 63: // LOG
          m.log(regs[code[pc + 1]]);
          pc += 2;
          break;
        case 64: // XCALL d x addr value n args...
          regs[code[pc + 1]] = m.xcall(code[pc + 2], regs[code[pc + 3]], regs[code[pc + 4]], collect(regs, code, pc + 5));
          pc += 6 + code[pc + 5];
          break;

        case 200: // GAS (loader pseudo-op: fall-through into a jump target)
          if ((m.gas -= code[pc + 1]) < 0) throw outOfGas();
          pc += 2;
          break;
        default:
          revert(`invalid opcode ${code[pc]}`);
      }
    }
  } catch (e) {
    throw located(m, e, fn, pc);
  }
}

/** The exception as a VMRevert carrying the location where it happened. JS errors raised by
 *  ill-typed operands (the VM trusts the compiler's types only as far as memory safety goes)
 *  become reverts with a fixed reason, so results stay deterministic across engines. */
export function located(m: Machine, e: unknown, fn: PreparedFunction, pc: number): VMRevert {
  let r: VMRevert;
  if (e instanceof VMRevert) r = e;
  else if (e instanceof TvmValueError) r = new VMRevert(e.message);
  else {
    r = new VMRevert('invalid operand');
    (r as { cause?: unknown }).cause = e;
  }
  if (r.outOfGas) m.gas = -1;
  if (r.location === null) {
    r.location = { address: m.ctx ? m.ctx.address : null, fn: fn.index, pc: pc < fn.pcToInstr.length ? fn.pcToInstr[pc] : -1 };
  }
  return r;
}
