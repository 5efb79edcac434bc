// The gas schedule. Base costs per instruction live in OPS (tvm/opcodes.ts) and per builtin in
// BUILTINS; this file adds the dynamic costs, which make every kind of work and every byte of
// memory the VM can be made to spend proportional to gas (see docs/gas.md for the argument
// that every execution terminates and stays bounded in memory under a gas limit).

import { BUILTINS, OPS } from './opcodes.ts';
import { VMRevert } from './errors.ts';

export const GAS = {
  /** Base gas per instruction, by opcode (from OPS). Charged per basic block by the loader's scheme. */
  op: OPS.map((o) => o.gas) as readonly number[],
  /** Base gas per builtin (from BUILTINS), charged on top of CALLB's own base gas. */
  builtin: BUILTINS.map((b) => b.gas) as readonly number[],

  /** Per 32 bytes (bytes) or 32 UTF-16 code units (str), rounded up, created, copied, scanned,
   *  formatted, encoded or decoded. */
  word: 3,
  /** Per element of a list, tuple or struct, or entry of a dict, created, copied, compared or visited. */
  element: 1,
  /** Big-int MUL, FLOORDIV, MOD, divmod, powmod: per product of the operands' 64-bit limb counts,
   *  charged only when an operand or the result leaves the JS safe-integer range. */
  bigLimb: 1,
  /** POW and powmod: per bit of the exponent. */
  powBit: 2,
  /** CALL: per 8 registers of the new frame (rounded up), on top of CALL's base gas. */
  frameRegs: 8,
  /** Sorting: per comparison, estimated as n * ceil(log2 n). */
  compare: 1,
  /** sha256 / keccak256: per 32 bytes hashed (rounded up), on top of the builtin's base gas. */
  hashWord: 6,

  /** SLOAD / SHAS: per byte of the key and of the value read. */
  sloadByte: 1,
  /** SSTORE: per byte of the key and of the value written. */
  sstoreByte: 5,
  /** SDEL: per byte of the key. */
  sdelByte: 1,
  /** EMIT: per byte of the event's canonical data. */
  eventByte: 2,
  /** LOG: per UTF-16 code unit of the message. */
  logByte: 1,
  /** XCALL: per byte of encoded arguments and of the encoded result. */
  xcallByte: 1,
  /** XCALL and deploy: per 32 bytes of module code loaded (rounded up). */
  codeWord: 2,
  /** deploy: per byte of code stored at the new address. */
  deployByte: 5,
} as const;

/** Default gas limit of a call when the caller gives none. */
export const DEFAULT_GAS_LIMIT = 10_000_000;

/** ceil(n / 32): the number of 32-unit words of a length. */
export function words(n: number): number {
  return Math.ceil(n / 32);
}

/** Something that charges gas and throws an out-of-gas revert when it runs out. */
export interface Meter {
  charge(gas: number): void;
}

/** Gas as a counter: the interpreter's machine state holds one per call tree. */
export class GasCounter implements Meter {
  declare gas: number;
  constructor(gas: number) {
    this.gas = gas;
  }
  charge(g: number): void {
    // `!(x >= 0)` also catches NaN from a bad length computation: never run on without paying.
    if (!((this.gas -= g) >= 0)) {
      this.gas = -1;
      throw outOfGas();
    }
  }
}

export function outOfGas(): VMRevert {
  return new VMRevert('out of gas', true);
}
