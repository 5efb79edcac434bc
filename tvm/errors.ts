// Error types of the TVM. Every failure the public API can report is one of these (or a revert
// result from the VM functions, which never throw for contract-level failures).

/** A type descriptor string does not parse (see tvm/types.ts). */
export class TvmTypeError extends Error {
  /** Character offset in the descriptor where the problem was found. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'TvmTypeError';
    this.position = position;
  }
}

/** Bytes are not a canonical encoding of a value of the expected type (tvm/values.ts). */
export class TvmDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TvmDecodeError';
  }
}

/** A value does not fit its type: encoding, JSON and command-line conversion. */
export class TvmValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TvmValueError';
  }
}

/** A module file or ModuleDef is malformed or fails validation (tvm/format.ts). */
export class TvmFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TvmFormatError';
  }
}

/**
 * A revert raised inside the VM. Internal: the public functions of tvm/vm.ts catch it and turn
 * it into an ExecRevert result. `outOfGas` makes the caller report gasUsed = gas limit.
 */
export class VMRevert extends Error {
  readonly reason: string;
  readonly outOfGas: boolean;
  /** Where the revert happened, filled in by the interpreter that caught it first. */
  location: { address: string | null; fn: number; pc: number } | null = null;
  constructor(reason: string, outOfGas = false) {
    super(reason);
    this.name = 'VMRevert';
    this.reason = reason;
    this.outOfGas = outOfGas;
  }
}

/** Throws the revert; a function so call sites read as statements and type as `never`. */
export function revert(reason: string): never {
  throw new VMRevert(reason);
}
