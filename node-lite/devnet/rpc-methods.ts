// The devnet's JSON-RPC methods and subscriptions (docs/rpc.md): chain and block queries,
// accounts, sending raw transactions, receipts, read-only calls, events, the consensus state,
// and the dev methods. Params are validated by their schemas before a handler runs; handlers
// turn the devnet's own errors into JSON-RPC errors with a code and the reason.

import type { Block } from '../consensus/block.ts';
import { toHex } from '../consensus/bytes.ts';
import { MempoolError } from '../chain/mempool.ts';
import { decodeTx, txSender } from '../chain/tx.ts';
import type { ChainState } from '../engine/chain-state.ts';
import { decodePayload } from '../engine/codec.ts';
import { ExecutionError } from '../engine/executor.ts';
import { decodeSection, encodeJsonArgs, type LedgerState, type Receipt } from '../exec/tvm-executor.ts';
import { ERR, RpcError, type JsonSchema, type ParamSpec, type RpcMethod } from '../rpc/schema.ts';
import type { Subscription } from '../rpc/server.ts';
import { Devnet, DevnetError } from './devnet.ts';
import { valueToJSON } from '../../tvm/index.ts';

const ADDRESS: JsonSchema = { type: 'string', pattern: '^zv[0-9a-f]{64}$', description: "'zv' and 64 lowercase hex digits" };
const HASH: JsonSchema = { type: 'string', pattern: '^(0x)?[0-9a-f]{64}$' };
const AMOUNT: JsonSchema = { type: 'string', pattern: '^[0-9]{1,39}$', description: 'a decimal integer string' };
const BLOCK_TAG: JsonSchema = {
  description: "'latest', 'final', a height, or a block hash",
  oneOf: [{ enum: ['latest', 'final'] }, { type: 'integer', minimum: 0 }, { type: 'string', pattern: '^(0x)?[0-9a-f]{64}$' }],
};
const RAW_TX: JsonSchema = { type: 'string', pattern: '^(0x)?([0-9a-fA-F]{2})+$', maxLength: 2 + 2 * 300 * 1024 };
const FILTER: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    fromBlock: { type: 'integer', minimum: 0 },
    toBlock: { oneOf: [{ type: 'integer', minimum: 0 }, { enum: ['latest', 'final'] }] },
    address: { oneOf: [ADDRESS, { type: 'array', items: ADDRESS, maxItems: 64 }] },
    event: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' },
  },
};
/** A getLogs query scans at most this many blocks and returns at most this many events. */
export const MAX_LOG_RANGE = 10_000;
export const MAX_LOG_RESULTS = 10_000;

type State = ChainState<LedgerState>;

function p(name: string, schema: JsonSchema, description: string, optional = false): ParamSpec {
  return { name, schema, description, optional };
}

export function devnetMethods(dn: Devnet): Record<string, RpcMethod> {
  const at = (tag: unknown): State => resolveBlock(dn, tag ?? 'latest');
  return {
    zv_chainId: {
      description: 'The chain id, the preset and the genesis hash.',
      params: [],
      handler: () => ({ chainId: dn.meta.chainId, preset: dn.meta.preset, genesisHash: dn.genesisId, devnet: true }),
    },
    zv_blockNumber: {
      description: 'The height of the latest block.',
      params: [],
      handler: () => dn.head.height,
    },
    zv_getBlock: {
      description: 'A block by tag, height or hash; with `full`, its transactions\' receipts.',
      params: [p('block', BLOCK_TAG, 'which block'), p('full', { type: 'boolean' }, 'include receipts', true)],
      handler: ([tag, full]) => blockJson(dn, at(tag), full === true),
    },
    zv_getBalance: {
      description: 'Native-coin balance (decimal string) of an account, at a block (default latest).',
      params: [p('address', ADDRESS, 'the account'), p('block', BLOCK_TAG, 'at which block', true)],
      handler: ([address, tag]) => dn.executor.account(at(tag).ledger, address as string).balance.toString(),
    },
    zv_getAccount: {
      description: 'Nonce, balance and code of an account at a block; `nextNonce` counts transactions waiting in the pool.',
      params: [p('address', ADDRESS, 'the account'), p('block', BLOCK_TAG, 'at which block', true)],
      handler: ([address, tag]) => {
        const s = at(tag);
        const a = dn.executor.account(s.ledger, address as string);
        const abi = dn.executor.abi(s.ledger, address as string);
        return { address, height: s.height, nonce: a.nonce, nextNonce: dn.nextNonce(address as string), balance: a.balance.toString(), contract: abi ? abi.contract ?? true : null };
      },
    },
    zv_getCode: {
      description: 'The bytecode (hex) and ABI of the contract at an address, or null.',
      params: [p('address', ADDRESS, 'the contract'), p('block', BLOCK_TAG, 'at which block', true)],
      handler: ([address, tag]) => {
        const s = at(tag);
        const code = dn.executor.code(s.ledger, address as string);
        return code ? { code: '0x' + toHex(code), abi: dn.executor.abi(s.ledger, address as string) } : null;
      },
    },
    zv_getStorageAt: {
      description: "A contract's raw storage entry at a block (hex, or null when absent): the key is the TVM's storage key encoding (docs/tvm.md).",
      params: [p('address', ADDRESS, 'the contract'), p('key', { type: 'string', pattern: '^(0x)?([0-9a-f]{2}){1,1024}$' }, 'the storage key, hex'), p('block', BLOCK_TAG, 'at which block', true)],
      handler: ([address, key, tag]) => {
        const v = dn.executor.storage(at(tag).ledger, address as string, fromHexParam(key as string));
        return v ? '0x' + toHex(v) : null;
      },
    },
    zv_sendRawTransaction: {
      description: 'Submits a signed transaction (hex); returns its hash once the mempool admits it.',
      params: [p('tx', RAW_TX, 'the encoded signed transaction')],
      handler: async ([hex]) => {
        try {
          return (await dn.submitRawTransaction(fromHexParam(hex as string))).hash;
        } catch (e) {
          if (e instanceof MempoolError || e instanceof DevnetError) throw new RpcError(ERR.TX_REJECTED, `transaction rejected: ${e.message}`, { reason: e.code });
          throw e;
        }
      },
    },
    zv_getTransaction: {
      description: 'A transaction: where it is (pending or its block) and its fields.',
      params: [p('hash', HASH, 'the transaction hash')],
      handler: ([h]) => transactionJson(dn, stripHex(h as string)),
    },
    zv_getTransactionReceipt: {
      description: 'The receipt of an included transaction (status, gas, return value or revert reason, events, logs); null while pending or unknown.',
      params: [p('hash', HASH, 'the transaction hash')],
      handler: ([h]) => receiptJson(dn, stripHex(h as string)),
    },
    zv_waitForReceipt: {
      description: 'Waits until the transaction is included in a durable block (at most `timeoutMs`, default 30000) and returns its receipt.',
      params: [p('hash', HASH, 'the transaction hash'), p('timeoutMs', { type: 'integer', minimum: 1, maximum: 600_000 }, 'how long to wait', true)],
      handler: async ([h, timeout]) => {
        const hash = stripHex(h as string);
        if (!dn.knows(hash)) throw new RpcError(ERR.NOT_FOUND, `transaction ${hash} is neither pending nor included`);
        try {
          await dn.waitForTransaction(hash, (timeout as number | undefined) ?? 30_000);
        } catch (e) {
          if (e instanceof DevnetError) throw new RpcError(ERR.UNAVAILABLE, e.message);
          throw e;
        }
        return receiptJson(dn, hash);
      },
    },
    zv_call: {
      description: 'Runs a contract method read-only (no transaction, nothing kept) and returns its result.',
      params: [
        p('to', ADDRESS, 'the contract'),
        p('method', { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }, 'the method name'),
        p('args', { type: 'array', maxItems: 64 }, 'the arguments as JSON (ints as numbers or decimal strings, bytes as 0x-hex)', true),
        p('options', { type: 'object', additionalProperties: false, properties: { block: BLOCK_TAG, from: ADDRESS, gasLimit: { type: 'integer', minimum: 1, maximum: 100_000_000 } } }, 'block, sender, gas limit', true),
      ],
      handler: ([to, method, args, options]) => viewCall(dn, to as string, method as string, (args as unknown[] | undefined) ?? [], (options as CallOptions | undefined) ?? {}),
    },
    zv_getLogs: {
      description: `Events of included transactions matching a filter (at most ${MAX_LOG_RANGE} blocks scanned, ${MAX_LOG_RESULTS} events returned).`,
      params: [p('filter', FILTER, 'fromBlock, toBlock, address, event', true)],
      handler: ([f]) => getLogs(dn, (f as LogFilter | undefined) ?? {}),
    },
    zv_consensus: {
      description: 'The consensus state at the tip: slot, beacon random, checkpoint, active and pending groups, miners.',
      params: [],
      handler: () => consensusJson(dn),
    },
    zv_accounts: {
      description: 'DEVNET ONLY: the prefunded development accounts with their (publicly known) private keys.',
      params: [],
      handler: () => dn.accounts.map((a) => ({ address: a.address, privateKey: a.privateKey, balance: dn.executor.account(dn.head.ledger, a.address).balance.toString() })),
    },
    zv_gasPrice: {
      description: 'The lowest gas price the mempool admits (decimal string).',
      params: [],
      handler: () => '1',
    },
    // ---- dev methods ----
    zv_mine: {
      description: 'DEV: runs slots now until `blocks` more blocks are made (default 1, at most 1000; a slot may make none, at most 8 slots per block are run).',
      params: [p('blocks', { type: 'integer', minimum: 1, maximum: 1000 }, 'how many blocks', true)],
      handler: async ([n]) => ({ blocks: await dev(() => dn.mine((n as number | undefined) ?? 1)), height: dn.head.height }),
    },
    zv_setBlockTime: {
      description: 'DEV: interval mining, one slot per `ms` of real time; null switches to instant mining.',
      params: [p('ms', { type: ['integer', 'null'], minimum: 10, maximum: 3_600_000 }, 'the block time, or null')],
      handler: ([ms]) => {
        dn.setBlockTime((ms as number | null | undefined) ?? null);
        return dn.miningMode;
      },
    },
    zv_snapshot: {
      description: 'DEV: records the tip; zv_revert returns the chain to it.',
      params: [],
      handler: () => dn.snapshot(),
    },
    zv_revert: {
      description: 'DEV: returns the chain to a snapshot (later blocks and pending transactions are dropped; that snapshot and later ones are used up).',
      params: [p('id', { type: 'string', pattern: '^0x[0-9a-f]+$' }, 'the snapshot id')],
      handler: async ([id]) => {
        try {
          return await dn.revert(id as string);
        } catch (e) {
          if (e instanceof DevnetError) throw new RpcError(ERR.NOT_FOUND, e.message);
          throw e;
        }
      },
    },
    zv_setBalance: {
      description: 'DEV: sets an account\'s balance (recorded in a block, like every change).',
      params: [p('address', ADDRESS, 'the account'), p('amount', AMOUNT, 'the new balance')],
      handler: async ([address, amount]) => {
        if (BigInt(amount as string) >= 1n << 128n) throw new RpcError(ERR.INVALID_PARAMS, `amount ${amount as string} exceeds 2^128 - 1`);
        await dev(() => dn.setBalance(address as string, BigInt(amount as string)));
        return dn.executor.account(dn.head.ledger, address as string).balance.toString();
      },
    },
    zv_increaseTime: {
      description: 'DEV: moves block time on by `seconds` from the next block; returns the total offset in seconds.',
      params: [p('seconds', { type: 'integer', minimum: 1, maximum: 100 * 365 * 86_400 }, 'how far')],
      handler: async ([seconds]) => {
        await dev(() => dn.increaseTime(seconds as number));
        return Number(dn.executor.timeOffset(dn.head.ledger));
      },
    },
  };
}

/** Runs a dev method; the devnet's own failures (closed, timeout, a failed dev transaction) become -32002. */
async function dev<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof DevnetError) throw new RpcError(ERR.UNAVAILABLE, e.message, { reason: e.code });
    throw e;
  }
}

export function devnetSubscriptions(dn: Devnet): Record<string, Subscription> {
  return {
    newHeads: {
      description: 'Every new durable block of the canonical chain (as zv_getBlock returns it); `{ reverted: height }` after a revert.',
      params: [],
      start: (_args, emit) => dn.on((e) => emit(e.kind === 'block' ? blockJson(dn, e.state, false) : { reverted: e.height })),
    },
    logs: {
      description: 'Events of newly included transactions matching a filter (address, event).',
      params: [p('filter', FILTER, 'address, event', true)],
      start: ([f], emit) => {
        const filter = (f as LogFilter | undefined) ?? {};
        return dn.on((e) => {
          if (e.kind !== 'block') return;
          for (const ev of eventsOf(e.state, filter)) emit(ev);
        });
      },
    },
  };
}

// ---- blocks ----

function resolveBlock(dn: Devnet, tag: unknown): State {
  if (tag === 'latest') return dn.head;
  if (tag === 'final') return dn.stateAt(dn.finalHeight) ?? dn.stateById(dn.genesisId)!;
  if (typeof tag === 'number') {
    if (tag > dn.head.height) throw new RpcError(ERR.NOT_FOUND, `no block at height ${tag}: the chain is at ${dn.head.height}`);
    if (tag === 0) return dn.stateById(dn.genesisId)!;
    const s = dn.stateAt(tag);
    if (!s) throw new RpcError(ERR.NOT_FOUND, `no block at height ${tag}: that slot made none`);
    return s;
  }
  const id = stripHex(tag as string);
  const s = dn.stateById(id);
  if (!s) throw new RpcError(ERR.NOT_FOUND, `no block ${id}`);
  return s;
}

function blockJson(dn: Devnet, s: State, full: boolean): unknown {
  const block: Block | undefined = s.height > 0 ? dn.blockById(s.id) : undefined;
  return {
    height: s.height,
    hash: s.id,
    parentHash: s.parentId,
    timestamp: block ? Math.floor(block.header.timestamp / 1000) + Number(dn.executor.timeOffset(dn.stateById(s.parentId!)!.ledger)) : Math.floor(dn.genesis.genesisTimeMs / 1000),
    proposer: s.proposer || null,
    group: s.groupId || null,
    stateRoot: toHex(dn.executor.stateRoot(s.ledger)),
    random: toHex(s.random),
    final: s.height <= dn.finalHeight,
    canonical: dn.index.blockIdAt(s.height) === s.id,
    transactions: full ? s.ledger.receipts.map((r, i) => receiptOf(dn, r, s, i)) : s.ledger.receipts.map((r) => r.txHash),
  };
}

// ---- transactions ----

function receiptOf(dn: Devnet, r: Receipt, s: State, index: number): unknown {
  return { ...r, blockHeight: s.height, blockHash: s.id, index, final: s.height <= dn.finalHeight };
}

function receiptJson(dn: Devnet, hash: string): unknown {
  const r = dn.receipt(hash);
  return r ? { ...r, final: r.blockHeight <= dn.finalHeight } : null;
}

function transactionJson(dn: Devnet, hash: string): unknown {
  const pooled = dn.mempool.get(hash);
  const at = dn.transaction(hash);
  let bytes: Uint8Array | undefined = pooled?.bytes;
  if (!bytes && at) {
    const block = dn.blockById(at.blockId)!;
    bytes = sectionTx(block, at.index);
  }
  if (!bytes) return null;
  const tx = decodeTx(bytes);
  const b = tx.body;
  return {
    hash,
    status: at ? 'included' : 'pending',
    blockHeight: at?.height ?? null,
    blockHash: at?.blockId ?? null,
    index: at?.index ?? null,
    from: txSender(tx),
    nonce: tx.nonce,
    gasLimit: tx.gasLimit,
    gasPrice: tx.gasPrice.toString(),
    value: tx.value.toString(),
    kind: b.kind,
    to: b.kind === 'transfer' || b.kind === 'call' ? b.to : null,
    method: b.kind === 'call' ? b.method : null,
  };
}

/** The i-th transaction of a block (its payload's transaction section). */
function sectionTx(block: Block, i: number): Uint8Array | undefined {
  return decodeSection(decodePayload(block.payload).transactions)[i];
}

// ---- calls ----

interface CallOptions {
  readonly block?: unknown;
  readonly from?: string;
  readonly gasLimit?: number;
}

function viewCall(dn: Devnet, to: string, method: string, args: unknown[], options: CallOptions): unknown {
  const s = resolveBlock(dn, options.block ?? 'latest');
  const abi = dn.executor.abi(s.ledger, to);
  if (!abi) throw new RpcError(ERR.INVALID_INPUT, `no contract at ${to} at height ${s.height}`);
  const m = abi.methods.find((x) => x.name === method);
  if (!m) throw new RpcError(ERR.INVALID_INPUT, `the contract at ${to} has no method '${method}' (it has: ${abi.methods.map((x) => x.name).join(', ')})`);
  let encoded: Uint8Array;
  try {
    encoded = encodeJsonArgs(m, args);
  } catch (e) {
    if (e instanceof ExecutionError) throw new RpcError(ERR.INVALID_PARAMS, e.message);
    throw e;
  }
  const r = dn.executor.view(s.ledger, to, method, encoded, { height: s.height, timestamp: dn.timestampOf(s), sender: options.from, gasLimit: options.gasLimit });
  const logs = r.logs.map((l) => ({ contract: l.contract, depth: l.depth, message: l.message }));
  if (!r.ok) return { ok: false, reason: r.reason, gasUsed: r.gasUsed, logs, height: s.height };
  return { ok: true, value: r.returnType === 'None' ? null : valueToJSON(r.returnType, r.value), gasUsed: r.gasUsed, logs, height: s.height };
}

// ---- events ----

interface LogFilter {
  readonly fromBlock?: number;
  readonly toBlock?: number | 'latest' | 'final';
  readonly address?: string | string[];
  readonly event?: string;
}

function eventsOf(s: State, f: LogFilter): unknown[] {
  const addresses = f.address === undefined ? null : new Set(Array.isArray(f.address) ? f.address : [f.address]);
  const out: unknown[] = [];
  s.ledger.receipts.forEach((r, txIndex) => {
    r.events.forEach((ev, logIndex) => {
      if (addresses && !addresses.has(ev.contract)) return;
      if (f.event && ev.name !== f.event) return;
      out.push({ ...ev, txHash: r.txHash, txIndex, logIndex, blockHeight: s.height, blockHash: s.id });
    });
  });
  return out;
}

function getLogs(dn: Devnet, f: LogFilter): unknown[] {
  const tip = dn.head.height;
  const to = f.toBlock === undefined || f.toBlock === 'latest' ? tip : f.toBlock === 'final' ? dn.finalHeight : Math.min(f.toBlock, tip);
  const from = f.fromBlock ?? Math.max(0, to - MAX_LOG_RANGE + 1);
  if (from > to) return [];
  if (to - from + 1 > MAX_LOG_RANGE) throw new RpcError(ERR.LIMIT_EXCEEDED, `the range ${from}..${to} spans ${to - from + 1} blocks; at most ${MAX_LOG_RANGE} per query`);
  const out: unknown[] = [];
  for (const h of dn.index.heights(from, to)) {
    const s = dn.stateAt(h)!;
    if (!dn.isDurable(s.id)) continue;
    for (const ev of eventsOf(s, f)) {
      if (out.length >= MAX_LOG_RESULTS) throw new RpcError(ERR.LIMIT_EXCEEDED, `more than ${MAX_LOG_RESULTS} events match; narrow the block range or filter by address or event`);
      out.push(ev);
    }
  }
  return out;
}

// ---- consensus ----

function consensusJson(dn: Devnet): unknown {
  const s = dn.head;
  const cp = s.checkpoint;
  return {
    height: s.height,
    slot: dn.slot,
    slotMs: dn.params.slotMs,
    preset: dn.params.name,
    mining: dn.miningMode,
    random: toHex(s.random),
    finalHeight: dn.finalHeight,
    checkpoint: cp ? { height: cp.height, hash: dn.index.blockIdAt(cp.height) ?? null } : null,
    groups: s.groups.map((g) => ({
      id: g.id,
      members: g.block.gis.members.length,
      threshold: g.threshold,
      activationHeight: g.activationHeight,
      deactivationHeight: g.deactivationHeight,
    })),
    pendingGroups: s.pending.length,
    miners: [...s.registry.miners.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((m) => ({ id: m.id, type: m.type, stake: m.stake.toString(), account: 'zv' + m.id })),
  };
}

// ---- hex ----

function stripHex(h: string): string {
  return h.startsWith('0x') ? h.slice(2) : h;
}

function fromHexParam(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(stripHex(h), 'hex'));
}
