// The devnet's executor: signed Ed25519 transactions (node-lite/chain/tx.ts) run on the TVM
// over the authenticated state (node-lite/state/trie.ts), behind the engine's Executor
// interface. A ledger state is a trie root plus the receipts of the block that made it:
// immutable, so every block of every fork keeps its own state and a past height is read from
// its root.
//
// Per transaction (docs/devnet.md, "Execution"):
//  1. decode, check the signature, the chain id and the nonce (= the account's), and that the
//     sender can pay gasLimit × gasPrice + value: otherwise the transaction is invalid and so is
//     a block that holds it;
//  2. take gasLimit × gasPrice, bump the nonce;
//  3. run it: a transfer moves value (21 000-like flat gas: GAS_TRANSFER); a deploy runs the
//     constructor at contractAddress(sender, nonce); a call runs the method; a revert undoes
//     the run's effects but not the fee or the nonce;
//  4. refund the unused gas; the fee for the gas used goes to the block's proposer account.
//
// With `system` (system-contracts.ts) the genesis state holds the system contracts and the
// executor is the engine's `minerRegistry`: it decodes the registry contract's events from
// the receipts and runs the engine's slash() calls (docs/system-contracts.md).

import { createHash } from 'node:crypto';
import type { ExecutionContext, ExecutionResult, Executor, RegistryContract, RegistryOp } from '../engine/executor.ts';
import { ExecutionError } from '../engine/executor.ts';
import { cachedLoad, callMethod, decodeValue, deploy, encodeValue, importValue, parseType, TvmFormatError, valueFromJSON, valueToJSON, type EmittedEvent, type ExecResult, type LogLine, type TypeDesc } from '../../tvm/index.ts';
import type { Abi, AbiMethod } from '../../tvm/module.ts';
import { decodeTx, maxCost, type DevOp, txHash, txSender, verifyTxOnce, TxError, type Tx } from '../chain/tx.ts';
import { contractAddress, StateHost, accountKey, accountKeyText, decodeAccount, encodeAccount, type Account } from './state-host.ts';
import { BONUS_ADDRESS, ENGINE_ADDRESS, enrollmentArgs, GENESIS_DEPLOYER, REGISTRY_ADDRESS, registryOpsOf, type SystemContractsConfig } from './system-contracts.ts';

/** Gas of a plain transfer (no code runs). */
export const GAS_TRANSFER = 21_000;
/** Gas limit of each genesis call of the system contracts (the enrolment of every genesis miner). */
const GENESIS_CALL_GAS = 2_000_000_000;
/** Gas limit of a system call the engine makes in a block (slash); paid by no one. */
const SYSTEM_CALL_GAS = 10_000_000;

export interface Receipt {
  readonly txHash: string;
  readonly sender: string;
  readonly status: 'success' | 'reverted';
  readonly gasUsed: number;
  readonly fee: string;
  /** Deploy: the new contract's address (null when the constructor reverted). */
  readonly contractAddress: string | null;
  /** The method's return value as JSON (null for none or a revert). */
  readonly returnValue: unknown;
  readonly revertReason: string | null;
  readonly events: readonly { contract: string; name: string; fields: Record<string, unknown> }[];
  /** The contract's debug log (`print`), kept on revert: it explains the failure. */
  readonly logs: readonly { contract: string; depth: number; message: string }[];
}

export interface LedgerState {
  readonly root: Uint8Array;
  /** Receipts of the transactions of the block that produced this state (empty otherwise). */
  readonly receipts: readonly Receipt[];
}

/** The authenticated state as the executor needs it: reads at a root, batched updates. */
export interface StateTree {
  get(root: Uint8Array, key: Uint8Array): Uint8Array | undefined;
  /** Applies the changes (null deletes) and returns the new root; keeps the new nodes. */
  update(root: Uint8Array, changes: readonly [Uint8Array, Uint8Array | null][]): Uint8Array;
}

export interface TvmExecutorOptions {
  readonly chainId: number;
  readonly tree: StateTree;
  readonly emptyRoot: Uint8Array;
  /** Genesis coin by address ('zv…', or a miner id: see accountOf). */
  readonly allocations: readonly (readonly [string, bigint])[];
  /** Gas of all transactions of one block together. */
  readonly blockGasLimit?: number;
  /**
   * Devnet only: the address whose `dev` transactions (set a balance, move time on) this
   * executor honours. Unset on every other network: a `dev` transaction is then invalid.
   */
  readonly devAuthority?: string;
  /**
   * The genesis system contracts (systemContracts() in system-contracts.ts). Unset: no
   * contract at genesis and no `minerRegistry`; the engine keeps the registry itself.
   */
  readonly system?: SystemContractsConfig;
}

/**
 * A run of a section whose fees were not yet paid: the state changes and receipts, the fees
 * in total, and the accounts the run read or wrote. For a proposer whose account the run did
 * not touch, the block's result is exactly these changes plus the fees credited to it (no
 * transaction could have seen the difference), so one run serves every candidate of a slot
 * that carries the same transactions on the same parent. A run that touched the proposer's
 * account is not used for it: the block is then run again with fees paid as they accrue.
 */
interface Prepared {
  readonly changes: [Uint8Array, Uint8Array | null][];
  readonly receipts: readonly Receipt[];
  readonly fees: bigint;
  readonly touched: ReadonlySet<string>;
  /** The parent root with `changes` applied (fees not yet paid), once computed. */
  root?: Uint8Array;
}
const PREPARED_MAX = 64;

/** The run's key: parent root, section, and the context a transaction can see (height, time). */
function preparedKey(state: LedgerState, ctx: ExecutionContext, section: Uint8Array): string {
  const h = createHash('sha256').update(state.root).update(section).digest('hex');
  return `${h}|${ctx.height}|${ctx.timestamp}`;
}

/** The pool a proposer builds from, on its parent and context: the same for every proposer of a slot of the devnet. */
function poolKey(state: LedgerState, ctx: ExecutionContext, pool: readonly Uint8Array[], maxBytes: number): string {
  const h = createHash('sha256').update(state.root);
  for (const tx of pool) h.update(tx);
  return `${h.digest('hex')}|${pool.length}|${ctx.height}|${ctx.timestamp}|${maxBytes}`;
}

/** Where the devnet's time offset (seconds added to every block's timestamp) is kept. */
const TIME_OFFSET_KEY = new TextEncoder().encode('x:time-offset');

export class TvmExecutor implements Executor<LedgerState> {
  readonly name = 'tvm';
  readonly blockGasLimit: number;
  private readonly genesisState: LedgerState;
  private readonly prepared = new Map<string, Prepared>();
  /** Sections built from a pool (by poolKey) → the section and its run's key in `prepared`. */
  private readonly built = new Map<string, { section: Uint8Array; prepared: string }>();
  /** Set while a run defers fees (see Prepared): finish() adds to it instead of paying. */
  private deferredFees: { total: bigint } | null = null;
  /** Present with `system`: the engine reads and slashes the miner registry through it. */
  readonly minerRegistry?: RegistryContract<LedgerState>;

  constructor(private readonly opts: TvmExecutorOptions) {
    this.blockGasLimit = opts.blockGasLimit ?? 30_000_000;
    const changes = opts.allocations.map(([address, amount]) => [accountKey(accountOf(address)), encodeAccount({ nonce: 0, balance: amount })] as [Uint8Array, Uint8Array]);
    const allocated: LedgerState = Object.freeze({ root: opts.tree.update(opts.emptyRoot, changes), receipts: [] });
    if (!opts.system) {
      this.genesisState = allocated;
      return;
    }
    if (opts.allocations.some(([address]) => accountOf(address) === GENESIS_DEPLOYER)) {
      throw new Error(`the genesis allocations fund the genesis deployer ${GENESIS_DEPLOYER}: with system contracts the executor gives it exactly the genesis miners' stakes`);
    }
    const genesis = this.deploySystemContracts(allocated, opts.system);
    this.genesisState = genesis.state;
    const ops = Object.freeze(genesis.ops);
    this.minerRegistry = Object.freeze({
      address: REGISTRY_ADDRESS,
      genesisOps: () => ops,
      blockOps: (state: LedgerState) => registryOpsOf(state.receipts.flatMap((r) => r.events)),
      slash: (state: LedgerState, account: string, amount: bigint, ctx: ExecutionContext) => this.slash(state, account, amount, ctx),
    });
  }

  /**
   * The genesis of docs/system-contracts.md, at height 0: the deployer, funded with the sum of
   * the genesis stakes, deploys MinerRegistry (nonce 0) and Bonus (nonce 1), then pays the
   * stakes into enroll_genesis (nonce 2). A failure is a configuration error: it throws.
   */
  private deploySystemContracts(allocated: LedgerState, system: SystemContractsConfig): { state: LedgerState; ops: RegistryOp[] } {
    const host = this.host(allocated, { height: 0, timestamp: system.genesisTimeMs });
    let stakes = 0n;
    for (const m of system.genesisMiners) stakes += m.stake;
    host.credit(GENESIS_DEPLOYER, stakes);
    const fail = (what: string, reason: string): never => {
      throw new Error(`genesis system contracts: ${what} reverted: ${reason}`);
    };
    const registry = deploy(host, system.registryCode, [ENGINE_ADDRESS, system.minStake, BigInt(system.refundDelay)], { sender: GENESIS_DEPLOYER, gasLimit: GENESIS_CALL_GAS, address: REGISTRY_ADDRESS });
    if (!registry.ok) fail(`MinerRegistry(engine, ${system.minStake}, ${system.refundDelay})`, registry.reason);
    const bonus = deploy(host, system.bonusCode, [ENGINE_ADDRESS, system.blockReward, BigInt(system.proposerSharePercent)], { sender: GENESIS_DEPLOYER, gasLimit: GENESIS_CALL_GAS, address: BONUS_ADDRESS });
    if (!bonus.ok) fail(`Bonus(engine, ${system.blockReward}, ${system.proposerSharePercent})`, bonus.reason);
    const enrolled = callMethod(host, REGISTRY_ADDRESS, 'enroll_genesis', enrollmentArgs(system.genesisMiners), { sender: GENESIS_DEPLOYER, value: stakes, gasLimit: GENESIS_CALL_GAS });
    if (!enrolled.ok) fail(`enroll_genesis of ${system.genesisMiners.length} miners`, enrolled.reason);
    // Three calls made: the deployer's nonce says so, as if they had been transactions.
    host.setAccount(GENESIS_DEPLOYER, { ...host.account(GENESIS_DEPLOYER), nonce: 3 });
    return { state: this.commit(allocated, host, []), ops: registryOpsOf(host.events.map(eventJson)) };
  }

  /** The engine's slash(account, amount) on the registry: a system call, no transaction, no fee. */
  private slash(state: LedgerState, account: string, amount: bigint, ctx: ExecutionContext): { state: LedgerState; op: Extract<RegistryOp, { kind: 'slashed' }> } {
    const host = this.host(state, ctx);
    const r = callMethod(host, REGISTRY_ADDRESS, 'slash', [account, amount], { sender: ENGINE_ADDRESS, gasLimit: SYSTEM_CALL_GAS });
    if (!r.ok) throw new Error(`the system call slash(${account}, ${amount}) on the registry contract reverted at height ${ctx.height}: ${r.reason}`);
    const ops = registryOpsOf(host.events.map(eventJson));
    const op = ops[0];
    if (ops.length !== 1 || op?.kind !== 'slashed') throw new Error(`the registry contract's slash() made ${ops.map((o) => o.kind).join(', ') || 'no operation'}, expected one MinerSlashed`);
    // The state keeps the receipts it had: a system call is no transaction of the block.
    return { state: this.commit(state, host, state.receipts), op };
  }

  genesis(): LedgerState {
    return this.genesisState;
  }

  checkTransaction(state: LedgerState, bytes: Uint8Array): string {
    const tx = this.decode(bytes);
    const host = this.host(state, { height: 0, timestamp: 0 });
    this.admit(host, tx);
    return txHash(bytes);
  }

  buildSection(state: LedgerState, pool: readonly Uint8Array[], ctx: ExecutionContext, maxBytes: number): Uint8Array {
    const proposer = accountKeyText(accountOf(ctx.proposer));
    const pk = poolKey(state, ctx, pool, maxBytes);
    const known = this.built.get(pk);
    if (known && this.prepared.get(known.prepared)?.touched.has(proposer) === false) return known.section;
    // Choose the transactions with fees deferred; if the run never touched this proposer's
    // account, the run serves the block (and any other proposer it did not touch either).
    const fees = { total: 0n };
    this.deferredFees = fees;
    let run: { host: StateHost; chosen: Uint8Array[]; receipts: Receipt[] };
    try {
      run = this.choose(state, pool, ctx, maxBytes);
    } finally {
      this.deferredFees = null;
    }
    const touched = run.host.touchedAccounts();
    if (touched.has(proposer)) run = this.choose(state, pool, ctx, maxBytes); // fees paid as they accrue
    const section = encodeSection(run.chosen);
    if (!touched.has(proposer)) {
      const key = preparedKey(state, ctx, section);
      this.remember(key, { changes: run.host.changes(), receipts: run.receipts, fees: fees.total, touched });
      if (this.built.size >= PREPARED_MAX) this.built.delete(this.built.keys().next().value!);
      this.built.set(pk, { section, prepared: key });
    }
    return section;
  }

  /** Runs pool transactions in order, leaving out those that no longer apply; stops at the size and gas limits. */
  private choose(state: LedgerState, pool: readonly Uint8Array[], ctx: ExecutionContext, maxBytes: number): { host: StateHost; chosen: Uint8Array[]; receipts: Receipt[] } {
    const host = this.host(state, ctx);
    const chosen: Uint8Array[] = [];
    const receipts: Receipt[] = [];
    let size = 4;
    let gas = 0;
    for (const bytes of pool) {
      if (size + 4 + bytes.length > maxBytes) break;
      let tx: Tx;
      try {
        tx = this.decode(bytes);
        if (gas + tx.gasLimit > this.blockGasLimit) continue;
        const snap = host.snapshot();
        try {
          receipts.push(this.apply(host, tx, bytes, ctx));
          host.commit(snap);
        } catch (e) {
          host.revertTo(snap);
          throw e;
        }
      } catch (e) {
        if (e instanceof ExecutionError) continue; // no longer valid on this state: leave it out
        throw e;
      }
      chosen.push(bytes);
      size += 4 + bytes.length;
      gas += tx.gasLimit;
    }
    return { host, chosen, receipts };
  }

  private remember(key: string, result: Prepared): void {
    if (this.prepared.size >= PREPARED_MAX) this.prepared.delete(this.prepared.keys().next().value!);
    this.prepared.set(key, result);
  }

  execute(state: LedgerState, section: Uint8Array, ctx: ExecutionContext): ExecutionResult<LedgerState> {
    const ready = this.prepared.get(preparedKey(state, ctx, section));
    const proposer = accountOf(ctx.proposer);
    if (ready && !ready.touched.has(accountKeyText(proposer))) {
      // The run's changes go into the trie once for all proposers (the big update); each
      // proposer's block then adds one change: the fees into its account, which no change
      // touched, so its value is the parent's.
      ready.root ??= ready.changes.length === 0 ? state.root : this.opts.tree.update(state.root, ready.changes);
      let root = ready.root;
      if (ready.fees > 0n) {
        const key = accountKey(proposer);
        const bytes = this.opts.tree.get(state.root, key);
        const before = bytes ? decodeAccount(bytes) : { nonce: 0, balance: 0n };
        root = this.opts.tree.update(root, [[key, encodeAccount({ ...before, balance: before.balance + ready.fees })]]);
      }
      return { state: Object.freeze({ root, receipts: ready.receipts }), included: ready.receipts.map((r) => r.txHash) };
    }
    const txs = decodeSection(section);
    const host = this.host(state, ctx);
    const receipts: Receipt[] = [];
    let gas = 0;
    txs.forEach((bytes, i) => {
      try {
        const tx = this.decode(bytes);
        gas += tx.gasLimit;
        if (gas > this.blockGasLimit) throw new ExecutionError('block-gas-limit', `the block's transactions ask for more than ${this.blockGasLimit} gas`);
        receipts.push(this.apply(host, tx, bytes, ctx));
      } catch (e) {
        if (e instanceof ExecutionError) throw new ExecutionError(e.code, `transaction ${i} of the block: ${e.message}`);
        throw e;
      }
    });
    return { state: this.commit(state, host, receipts), included: receipts.map((r) => r.txHash) };
  }

  credit(state: LedgerState, account: string, amount: bigint): LedgerState {
    const host = this.host(state, { height: 0, timestamp: 0 });
    host.credit(accountOf(account), amount);
    return this.commit(state, host, state.receipts);
  }

  debit(state: LedgerState, account: string, amount: bigint): LedgerState {
    const host = this.host(state, { height: 0, timestamp: 0 });
    if (!host.debit(accountOf(account), amount)) throw new ExecutionError('insufficient-funds', `${account} holds less than ${amount}`);
    return this.commit(state, host, state.receipts);
  }

  balance(state: LedgerState, account: string): bigint {
    return this.host(state, { height: 0, timestamp: 0 }).account(accountOf(account)).balance;
  }

  stateRoot(state: LedgerState): Uint8Array {
    return state.root;
  }

  account(state: LedgerState, address: string): Account {
    return this.host(state, { height: 0, timestamp: 0 }).account(address);
  }

  /** A contract's raw storage entry (the TVM's key encoding; undefined when absent). */
  storage(state: LedgerState, address: string, key: Uint8Array): Uint8Array | undefined {
    return this.host(state, { height: 0, timestamp: 0 }).storageGet(address, key);
  }

  /** The code deployed at an address (undefined for none). */
  code(state: LedgerState, address: string): Uint8Array | undefined {
    return this.host(state, { height: 0, timestamp: 0 }).getCode(address);
  }

  /** The ABI of the contract at an address (undefined for none). */
  abi(state: LedgerState, address: string): Abi | undefined {
    const code = this.code(state, address);
    return code ? cachedLoad(code).abi : undefined;
  }

  /** A read-only call of a method (a `@view`, or any method without keeping its effects). */
  view(state: LedgerState, to: string, method: string, args: Uint8Array, ctx: { height: number; timestamp: number; sender?: string; gasLimit?: number }): ExecResult {
    const host = this.host(state, ctx);
    return callMethod(host, to, method, this.decodeArgs(host, to, method, args), { sender: ctx.sender, gasLimit: ctx.gasLimit ?? 10_000_000, static: true });
  }

  // ---- internals ----

  private host(state: LedgerState, ctx: { height: number; timestamp: number }): StateHost {
    const tree = this.opts.tree;
    const root = state.root;
    return new StateHost((key) => tree.get(root, key), {
      height: BigInt(ctx.height),
      timestamp: BigInt(Math.floor(ctx.timestamp / 1000)) + this.timeOffset(state),
      chainId: BigInt(this.opts.chainId),
    });
  }

  /** Seconds the devnet's time travel has added to block timestamps so far (0 elsewhere). */
  timeOffset(state: LedgerState): bigint {
    return this.opts.devAuthority ? readTimeOffset(this.opts.tree.get(state.root, TIME_OFFSET_KEY)) : 0n;
  }

  /** A dev transaction: effects only, no code runs, no gas (the devnet signs them itself). */
  private applyDev(host: StateHost, sender: string, op: DevOp): ExecResult {
    if (!this.opts.devAuthority || sender !== this.opts.devAuthority) throw new ExecutionError('dev-only', `dev transactions are accepted only on a devnet, from its dev authority; ${sender} is not it`);
    if (op.op === 'set-balance') {
      const a = host.account(op.address);
      host.setAccount(op.address, { ...a, balance: op.amount });
    } else {
      const now = readTimeOffset(host.get(TIME_OFFSET_KEY));
      const buf = new Uint8Array(8);
      new DataView(buf.buffer).setBigUint64(0, now + BigInt(op.seconds));
      host.set(TIME_OFFSET_KEY, buf);
    }
    return { ok: true, value: null, returnType: 'None', gasUsed: 0, events: [], logs: [] };
  }

  private commit(state: LedgerState, host: StateHost, receipts: readonly Receipt[]): LedgerState {
    const changes = host.changes();
    const root = changes.length === 0 ? state.root : this.opts.tree.update(state.root, changes);
    return Object.freeze({ root, receipts });
  }

  private decode(bytes: Uint8Array): Tx {
    let tx: Tx;
    try {
      tx = decodeTx(bytes);
    } catch (e) {
      if (e instanceof TxError) throw new ExecutionError('malformed-transaction', e.message);
      throw e;
    }
    if (tx.chainId !== this.opts.chainId) throw new ExecutionError('wrong-chain', `transaction for chain ${tx.chainId}, this is chain ${this.opts.chainId}`);
    if (!verifyTxOnce(tx, txHash(bytes))) throw new ExecutionError('bad-signature', 'the transaction signature does not verify');
    return tx;
  }

  /** Nonce and funds: what makes a signed transaction includable now. */
  private admit(host: StateHost, tx: Tx): void {
    const sender = txSender(tx);
    const account = host.account(sender);
    if (tx.nonce !== account.nonce) throw new ExecutionError(tx.nonce < account.nonce ? 'stale-nonce' : 'nonce-gap', `nonce ${tx.nonce}, the account's next is ${account.nonce}`);
    const cost = maxCost(tx);
    if (account.balance < cost) throw new ExecutionError('insufficient-funds', `${sender} holds ${account.balance}, the transaction may cost ${cost}`);
  }

  private apply(host: StateHost, tx: Tx, bytes: Uint8Array, ctx: ExecutionContext): Receipt {
    this.admit(host, tx);
    const sender = txSender(tx);
    const before = host.account(sender);
    host.setAccount(sender, { nonce: before.nonce + 1, balance: before.balance - BigInt(tx.gasLimit) * tx.gasPrice });
    const eventsBefore = host.events.length;
    const logsBefore = host.logs.length;
    let result: ExecResult & { address?: string | null };
    const body = tx.body;
    if (body.kind === 'dev') {
      result = this.applyDev(host, sender, body.op);
    } else if (body.kind === 'transfer') {
      result = tx.gasLimit < GAS_TRANSFER
        ? { ok: false, reason: 'out of gas', gasUsed: tx.gasLimit, events: [], logs: [], location: null }
        : host.transfer(sender, body.to, tx.value)
          ? { ok: true, value: null, returnType: 'None', gasUsed: GAS_TRANSFER, events: [], logs: [] }
          : { ok: false, reason: 'insufficient balance', gasUsed: GAS_TRANSFER, events: [], logs: [], location: null };
    } else if (body.kind === 'deploy') {
      let args: unknown[];
      try {
        args = this.constructorArgs(body.code, body.args);
      } catch (e) {
        if (!(e instanceof ExecutionError)) throw e;
        result = { ok: false, reason: e.message, gasUsed: tx.gasLimit, events: [], logs: [], location: null };
        return this.finish(host, tx, bytes, ctx, sender, result, eventsBefore, logsBefore, null);
      }
      result = deploy(host, body.code, args, { sender, value: tx.value, gasLimit: tx.gasLimit, address: contractAddress(sender, tx.nonce) });
    } else {
      let args: unknown[];
      try {
        args = this.decodeArgs(host, body.to, body.method, body.args);
      } catch (e) {
        if (!(e instanceof ExecutionError)) throw e;
        result = { ok: false, reason: e.message, gasUsed: tx.gasLimit, events: [], logs: [], location: null };
        return this.finish(host, tx, bytes, ctx, sender, result, eventsBefore, logsBefore, null);
      }
      result = callMethod(host, body.to, body.method, args, { sender, value: tx.value, gasLimit: tx.gasLimit });
    }
    return this.finish(host, tx, bytes, ctx, sender, result, eventsBefore, logsBefore, body.kind === 'deploy' ? (result.address ?? null) : null);
  }

  private finish(host: StateHost, tx: Tx, bytes: Uint8Array, ctx: ExecutionContext, sender: string, result: ExecResult, eventsBefore: number, logsBefore: number, address: string | null): Receipt {
    const gasUsed = Math.min(tx.gasLimit, result.gasUsed);
    const fee = BigInt(gasUsed) * tx.gasPrice;
    host.credit(sender, BigInt(tx.gasLimit - gasUsed) * tx.gasPrice);
    if (fee > 0n) {
      if (this.deferredFees) this.deferredFees.total += fee;
      else host.credit(accountOf(ctx.proposer), fee);
    }
    const events = host.events.slice(eventsBefore).map(eventJson);
    const logs = host.logs.slice(logsBefore).map((l: LogLine) => ({ contract: l.contract, depth: l.depth, message: l.message }));
    return Object.freeze({
      txHash: txHash(bytes),
      sender,
      status: result.ok ? 'success' : 'reverted',
      gasUsed,
      fee: fee.toString(),
      contractAddress: result.ok ? address : null,
      returnValue: result.ok && result.returnType !== 'None' ? valueToJSON(result.returnType, result.value) : null,
      revertReason: result.ok ? null : result.reason,
      events,
      logs,
    });
  }

  private constructorArgs(code: Uint8Array, args: Uint8Array): unknown[] {
    let params: TypeDesc[];
    try {
      params = (cachedLoad(code).abi.constructor?.params ?? []).map((p) => parseType(p.type));
    } catch (e) {
      if (e instanceof TvmFormatError) throw new ExecutionError('invalid-code', `invalid module: ${e.message}`);
      throw e;
    }
    return decodeArgTuple(params, args, 'constructor');
  }

  private decodeArgs(host: StateHost, to: string, method: string, args: Uint8Array): unknown[] {
    const code = host.getCode(to);
    if (!code) throw new ExecutionError('no-contract', `no contract at ${to}`);
    const m = cachedLoad(code).abi.methods.find((x) => x.name === method);
    if (!m) throw new ExecutionError('no-method', `no method '${method}' in the contract at ${to}`);
    return decodeArgTuple(m.params.map((p) => parseType(p.type)), args, method);
  }
}

/**
 * The engine names miners by their id (64 hex: the hash of their BLS key) and pays their
 * rewards to it; on the devnet that id, prefixed 'zv', is an account like any other.
 */
export function accountOf(id: string): string {
  return id.startsWith('zv') ? id : 'zv' + id;
}

/**
 * Arguments given as JSON (as the RPC and the CLI take them: ints as numbers or decimal
 * strings, bytes as 0x-hex, addresses as strings) encoded for the parameters of `method`.
 * Throws ExecutionError('bad-arguments') naming the parameter that is wrong.
 */
export function encodeJsonArgs(method: Pick<AbiMethod, 'name' | 'params'>, values: readonly unknown[]): Uint8Array {
  const sig = `${method.name}(${method.params.map((p) => `${p.name}: ${p.type}`).join(', ')})`;
  if (values.length !== method.params.length) throw new ExecutionError('bad-arguments', `${sig} takes ${method.params.length} argument(s), ${values.length} given`);
  const items = method.params.map((p) => parseType(p.type));
  const runtime = method.params.map((p, i) => {
    try {
      return valueFromJSON(items[i]!, values[i]);
    } catch (e) {
      throw new ExecutionError('bad-arguments', `argument '${p.name}' of ${sig}: ${(e as Error).message}`);
    }
  });
  return encodeValue({ kind: 'tuple', items }, runtime);
}

/** Arguments travel as the canonical encoding of a tuple of the parameters' types. */
export function encodeArgs(paramTypes: readonly string[], values: readonly unknown[]): Uint8Array {
  if (values.length !== paramTypes.length) throw new ExecutionError('bad-arguments', `${paramTypes.length} arguments expected, got ${values.length}`);
  const items = paramTypes.map((t) => parseType(t));
  // importValue turns host values (bigint, string, arrays) into the TVM's runtime values.
  return encodeValue({ kind: 'tuple', items }, values.map((v, i) => importValue(items[i]!, v)));
}

function decodeArgTuple(params: TypeDesc[], args: Uint8Array, what: string): unknown[] {
  try {
    return decodeValue({ kind: 'tuple', items: params }, args) as unknown[];
  } catch (e) {
    throw new ExecutionError('bad-arguments', `arguments of ${what} do not decode as (${params.length} parameters): ${(e as Error).message}`);
  }
}

function readTimeOffset(bytes: Uint8Array | undefined): bigint {
  return bytes ? new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0) : 0n;
}

function eventJson(ev: EmittedEvent) {
  const fields: Record<string, unknown> = {};
  for (const f of ev.fields) fields[f.name] = valueToJSON(f.type, f.value);
  return { contract: ev.contract, name: ev.name, fields };
}

function encodeSection(txs: readonly Uint8Array[]): Uint8Array {
  let size = 4;
  for (const t of txs) size += 4 + t.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, txs.length);
  let at = 4;
  for (const t of txs) {
    view.setUint32(at, t.length);
    out.set(t, at + 4);
    at += 4 + t.length;
  }
  return out;
}

/** The signed transactions of a block's transaction section, in order. */
export function decodeSection(bytes: Uint8Array): Uint8Array[] {
  const fail = (m: string): never => {
    throw new ExecutionError('malformed-section', m);
  };
  if (bytes.length < 4) fail('a transaction section starts with a 4-byte count');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const n = view.getUint32(0);
  if (n > bytes.length / 4) fail(`count ${n} cannot fit in ${bytes.length} bytes`);
  const out: Uint8Array[] = [];
  let at = 4;
  for (let i = 0; i < n; i++) {
    if (at + 4 > bytes.length) fail(`transaction ${i}: truncated length at offset ${at}`);
    const len = view.getUint32(at);
    if (at + 4 + len > bytes.length) fail(`transaction ${i}: ${len} bytes at offset ${at + 4} run past the end`);
    out.push(bytes.slice(at + 4, at + 4 + len));
    at += 4 + len;
  }
  if (at !== bytes.length) fail(`${bytes.length - at} trailing bytes after ${n} transactions`);
  return out;
}
