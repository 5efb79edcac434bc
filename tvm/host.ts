// The Host: everything a contract can reach outside its own registers. The VM never touches
// chain state directly; node-lite implements this interface over its state store, and
// tvm/memory-host.ts implements it in memory for `zv run`, tests and the IDE.
//
// Revert semantics rest on snapshots: the VM takes a snapshot before every contract call
// (outermost and nested) and reverts to it when the call fails, so storage writes, balance
// transfers and events of a failed call, including its nested calls, all disappear. Debug
// log lines are kept on revert (they explain the failure) and are marked as reverted.

/** "zv" + 64 lowercase hex digits. */
export type Address = string;

export interface BlockContext {
  height: bigint;
  /** Seconds since the Unix epoch, from the block header (never the wall clock). */
  timestamp: bigint;
  chainId: bigint;
}

export interface EmittedEvent {
  contract: Address;
  name: string;
  /** Field values in declaration order, as runtime values. */
  fields: { name: string; type: string; value: unknown }[];
  /** Canonical encoding of the fields (what a chain stores). */
  data: Uint8Array;
}

export interface LogLine {
  contract: Address;
  /** Call depth (0 = the outermost call). */
  depth: number;
  message: string;
}

export interface Host {
  readonly block: BlockContext;

  /** Contract storage. `undefined` means absent. */
  storageGet(contract: Address, key: Uint8Array): Uint8Array | undefined;
  /** `value === undefined` deletes the entry. */
  storageSet(contract: Address, key: Uint8Array, value: Uint8Array | undefined): void;

  getBalance(addr: Address): bigint;
  /** Moves native coin; returns false (and changes nothing) when `from` has too little. */
  transfer(from: Address, to: Address, amount: bigint): boolean;

  /** The code deployed at an address: the module bytes, or undefined for an account without code. */
  getCode(addr: Address): Uint8Array | undefined;
  setCode(addr: Address, code: Uint8Array): void;

  emitEvent(ev: EmittedEvent): void;
  log(line: LogLine): void;

  /** Journal: take a snapshot, later revert to it or drop it (commit). Nested. */
  snapshot(): number;
  revertTo(id: number): void;
  commit(id: number): void;
}
