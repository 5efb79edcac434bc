// The commands that talk to a node over JSON-RPC: `zv deploy`, `zv call`, `zv send`, `zv tx`,
// `zv logs`, `zv chain`. Each takes `--network NAME|URL` (cli/network.ts) and `--json`.
// Exit codes: 0 success, 1 a revert, a rejection or an unreachable node, 2 usage errors.

import type { Command } from 'commander';
import { signTx, type TxBody } from '../node-lite/chain/tx.ts';
import type { AccountKey } from '../node-lite/chain/keys.ts';
import { encodeJsonArgs } from '../node-lite/exec/tvm-executor.ts';
import { ExecutionError } from '../node-lite/engine/executor.ts';
import { RpcSocket } from '../node-lite/rpc/client.ts';
import type { RpcClient } from '../node-lite/rpc/client.ts';
import { valueToJSON } from '../tvm/index.ts';
import { parseArgs, parseDeployArgs } from './args.ts';
import type { Abi, AbiMethod } from '../tvm/module.ts';
import { clientFor, pickNetwork, rpc, signerFor, type NetworkConfig } from './network.ts';
import { compileFile, formatDiagnostics } from './project.ts';
import { CliError, paint, toJson, useColor } from './output.ts';
import { checkVerified } from './verify-hook.ts';

interface NetOptions {
  network?: string;
  json?: boolean;
}
interface TxOptions extends NetOptions {
  from?: string;
  keystore?: string;
  value?: string;
  gas?: string;
  gasPrice?: string;
  wait?: boolean;
}

type SetCode = (code: number) => void;

export function registerChainCommands(program: Command, setCode: SetCode): void {
  const net = (c: Command) => c.option('--network <name|url>', 'a network of zv.config.json or an RPC URL (default: the config\'s default, else the devnet on 127.0.0.1:8545)').option('--json', 'print JSON');
  const tx = (c: Command) =>
    net(c)
      .option('--from <key>', "signer: a keystore name or address (password from $ZV_PASSWORD or a prompt); on a devnet default 'dev:0', a development account")
      .option('--keystore <dir>', 'keystore folder (default $ZV_KEYSTORE or ~/.zv/keystore)')
      .option('--value <amount>', 'native coin to send with it, in base units', '0')
      .option('--gas <limit>', 'gas limit (unused gas is refunded)', '3000000')
      .option('--gas-price <price>', 'gas price in base units', '1')
      .option('--no-wait', 'print the transaction hash without waiting for the receipt');

  tx(program.command('deploy').description('compile a contract and deploy it').argument('<file>', 'the contract source (.py)').option('--args <args>', 'constructor arguments: space-separated, or a JSON array')).action(
    async (file: string, o: TxOptions & { args?: string }) => setCode(await deployCmd(file, o)),
  );
  net(program.command('call').description('call a method read-only: no transaction, nothing changes').argument('<address>', 'the contract').argument('<method>').argument('[args...]', 'arguments, parsed by the parameter types (JSON for lists, dicts, tuples, structs)'))
    .option('--block <tag>', "latest, final, a height or a block hash", 'latest')
    .option('--from <address>', 'msg.sender of the call')
    .action(async (address: string, method: string, args: string[], o: NetOptions & { block: string; from?: string }) => setCode(await callCmd(address, method, args, o)));
  tx(program.command('send').description('call a method in a signed transaction and wait for its receipt').argument('<address>', 'the contract').argument('<method>').argument('[args...]', 'arguments, parsed by the parameter types')).action(
    async (address: string, method: string, args: string[], o: TxOptions) => setCode(await sendCmd(address, method, args, o)),
  );
  net(program.command('tx').description('a transaction and its receipt').argument('<hash>')).action(async (hash: string, o: NetOptions) => setCode(await txCmd(hash, o)));
  net(program.command('logs').description('events of included transactions'))
    .option('--address <address>', 'only events of this contract')
    .option('--event <name>', 'only events of this name')
    .option('--from-block <height>', 'first block (default: the last 10,000)')
    .option('--to-block <height>', 'last block (default: latest)')
    .option('--follow', 'keep printing new events as blocks arrive (Ctrl-C stops)')
    .action(async (o: LogOptions) => setCode(await logsCmd(o)));
  net(program.command('chain').description('the chain: height, final height, groups, checkpoint, miners')).action(async (o: NetOptions) => setCode(await chainCmd(o)));
}

// ---- deploy ----

async function deployCmd(file: string, o: TxOptions & { args?: string }): Promise<number> {
  const res = compileFile(file);
  if (!res.ok || !res.bytecode || !res.artifact) {
    process.stderr.write(formatDiagnostics(res, useColor(process.stderr)) + '\n');
    return 1;
  }
  const art = res.artifact;
  const ctor = art.abi.constructor ?? { name: '__init__', params: [], returns: 'None' };
  const values = parseDeployArgs(ctor, o.args, '--args');
  const args = encodeOrFail(ctor as AbiMethod, ctor.params.map((p, i) => valueToJSON(p.type, values[i])), 'constructor');
  const network = pickNetwork(o.network);
  checkVerified(network, art.bytecodeHash, art.contract ?? file);
  const client = clientFor(network);
  const r = await submit(client, network, o, { kind: 'deploy', code: res.bytecode, args });
  if (!r.receipt) return 0;
  const rc = r.receipt;
  if (o.json) process.stdout.write(toJson({ contract: art.contract, address: rc.contractAddress, transaction: r.hash, receipt: rc }) + '\n');
  else {
    const c = useColor();
    if (rc.status === 'success') process.stdout.write(`${paint(c, 'green', 'deployed')} ${art.contract ?? file} at ${rc.contractAddress}\n  block ${rc.blockHeight}, gas ${rc.gasUsed}, tx ${r.hash}\n`);
    printLogsAndEvents(rc);
  }
  return reportStatus(rc, o.json);
}

// ---- call (read-only) ----

async function callCmd(address: string, method: string, args: string[], o: NetOptions & { block: string; from?: string }): Promise<number> {
  checkAddress(address, 'address');
  const network = pickNetwork(o.network);
  const client = clientFor(network);
  const m = await methodOf(client, network, address, method);
  const json = jsonArgs(m, args);
  const block = /^[0-9]+$/.test(o.block) ? Number(o.block) : o.block;
  const r = await rpc<{ ok: boolean; value?: unknown; reason?: string; gasUsed: number; logs: { message: string }[]; height: number }>(client, network, 'zv_call', [address, method, json, { block, ...(o.from ? { from: o.from } : {}) }]);
  if (o.json) process.stdout.write(toJson(r) + '\n');
  else {
    for (const l of r.logs) process.stdout.write(`${paint(useColor(), 'gray', 'print:')} ${l.message}\n`);
    if (r.ok) process.stdout.write(`${JSON.stringify(r.value)}\n`);
    else process.stderr.write(`${paint(useColor(process.stderr), 'red', 'reverted:')} ${r.reason}\n`);
  }
  return r.ok ? 0 : 1;
}

// ---- send (transaction) ----

async function sendCmd(address: string, method: string, args: string[], o: TxOptions): Promise<number> {
  checkAddress(address, 'address');
  const network = pickNetwork(o.network);
  const client = clientFor(network);
  const m = await methodOf(client, network, address, method);
  const encoded = encodeOrFail(m, jsonArgs(m, args), method);
  const r = await submit(client, network, o, { kind: 'call', to: address, method, args: encoded });
  if (!r.receipt) return 0;
  const rc = r.receipt;
  if (o.json) process.stdout.write(toJson({ transaction: r.hash, receipt: rc }) + '\n');
  else {
    const c = useColor();
    if (rc.status === 'success') process.stdout.write(`${paint(c, 'green', 'ok')} ${method} → ${JSON.stringify(rc.returnValue)}\n  block ${rc.blockHeight}, gas ${rc.gasUsed}, tx ${r.hash}\n`);
    printLogsAndEvents(rc);
  }
  return reportStatus(rc, o.json);
}

interface ReceiptJson {
  status: 'success' | 'reverted';
  blockHeight: number;
  gasUsed: number;
  contractAddress: string | null;
  returnValue: unknown;
  revertReason: string | null;
  events: { contract: string; name: string; fields: Record<string, unknown> }[];
  logs: { message: string }[];
}

/** Signs with the chosen key at its next nonce, submits, and (unless --no-wait) waits for the receipt. */
async function submit(client: RpcClient, network: NetworkConfig, o: TxOptions, body: TxBody): Promise<{ hash: string; receipt: ReceiptJson | null }> {
  const chain = await rpc<{ chainId: number; devnet?: boolean }>(client, network, 'zv_chainId');
  const key: AccountKey = await signerFor(client, network, chain, o.from, o.keystore);
  const account = await rpc<{ nextNonce: number }>(client, network, 'zv_getAccount', [key.address]);
  const t = signTx(key, {
    chainId: chain.chainId,
    nonce: account.nextNonce,
    gasLimit: parseNumber(o.gas ?? '3000000', '--gas'),
    gasPrice: parseBig(o.gasPrice ?? '1', '--gas-price'),
    value: parseBig(o.value ?? '0', '--value'),
    body,
  });
  const hash = await rpc<string>(client, network, 'zv_sendRawTransaction', ['0x' + Buffer.from(t.bytes).toString('hex')]);
  if (o.wait === false) {
    process.stdout.write(o.json ? toJson({ transaction: hash }) + '\n' : `${hash}\n`);
    return { hash, receipt: null };
  }
  const receipt = await rpc<ReceiptJson>(client, network, 'zv_waitForReceipt', [hash, 110_000]);
  return { hash, receipt };
}

function reportStatus(rc: ReceiptJson, json: boolean | undefined): number {
  if (rc.status === 'success') return 0;
  if (!json) process.stderr.write(`${paint(useColor(process.stderr), 'red', 'reverted:')} ${rc.revertReason} (block ${rc.blockHeight}, gas ${rc.gasUsed})\n`);
  return 1;
}

function printLogsAndEvents(rc: ReceiptJson): void {
  const c = useColor();
  for (const l of rc.logs) process.stdout.write(`  ${paint(c, 'gray', 'print:')} ${l.message}\n`);
  for (const e of rc.events) process.stdout.write(`  ${paint(c, 'cyan', 'event')} ${e.name} ${JSON.stringify(e.fields)}\n`);
}

// ---- tx, logs, chain ----

async function txCmd(hash: string, o: NetOptions): Promise<number> {
  if (!/^(0x)?[0-9a-f]{64}$/.test(hash)) throw new CliError(`'${hash}' is not a transaction hash (64 lowercase hex digits)`, 2);
  const network = pickNetwork(o.network);
  const client = clientFor(network);
  const tx = await rpc<Record<string, unknown> | null>(client, network, 'zv_getTransaction', [hash]);
  if (!tx) throw new CliError(`${network.name}: no transaction ${hash}`, 1);
  const receipt = await rpc<ReceiptJson | null>(client, network, 'zv_getTransactionReceipt', [hash]);
  if (o.json) {
    process.stdout.write(toJson({ transaction: tx, receipt }) + '\n');
    return 0;
  }
  const lines = Object.entries(tx).map(([k, v]) => `  ${k.padEnd(12)} ${v === null ? '-' : String(v)}`);
  process.stdout.write(`transaction ${tx.hash}\n${lines.join('\n')}\n`);
  if (receipt) {
    process.stdout.write(`receipt: ${receipt.status}${receipt.revertReason ? ` (${receipt.revertReason})` : ''}, gas ${receipt.gasUsed}${receipt.contractAddress ? `, contract ${receipt.contractAddress}` : ''}, returned ${JSON.stringify(receipt.returnValue)}\n`);
    printLogsAndEvents(receipt);
  }
  return 0;
}

interface LogOptions extends NetOptions {
  address?: string;
  event?: string;
  fromBlock?: string;
  toBlock?: string;
  follow?: boolean;
}

async function logsCmd(o: LogOptions): Promise<number> {
  if (o.address) checkAddress(o.address, '--address');
  const network = pickNetwork(o.network);
  const client = clientFor(network);
  const filter = {
    ...(o.address ? { address: o.address } : {}),
    ...(o.event ? { event: o.event } : {}),
    ...(o.fromBlock !== undefined ? { fromBlock: parseNumber(o.fromBlock, '--from-block') } : {}),
    ...(o.toBlock !== undefined ? { toBlock: o.toBlock === 'latest' || o.toBlock === 'final' ? o.toBlock : parseNumber(o.toBlock, '--to-block') } : {}),
  };
  const print = (e: LogEntry) => process.stdout.write(o.json ? JSON.stringify(e) + '\n' : `block ${e.blockHeight} tx ${e.txHash.slice(0, 16)}… ${e.contract.slice(0, 12)}… ${e.name} ${JSON.stringify(e.fields)}\n`);
  const events = await rpc<LogEntry[]>(client, network, 'zv_getLogs', [filter]);
  if (!o.follow) {
    if (o.json) process.stdout.write(toJson(events) + '\n');
    else if (events.length === 0) process.stdout.write('no events\n');
    else events.forEach(print);
    return 0;
  }
  events.forEach(print);
  const wsUrl = network.url.replace(/^http/, 'ws');
  let socket: RpcSocket;
  try {
    socket = await RpcSocket.connect(wsUrl);
  } catch (e) {
    throw new CliError(`${network.name}: cannot subscribe at ${wsUrl}: ${(e as Error).message}`, 1);
  }
  const live = { ...filter };
  delete (live as { fromBlock?: number }).fromBlock;
  delete (live as { toBlock?: unknown }).toBlock;
  await socket.subscribe('logs', [live], (e) => print(e as LogEntry));
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await socket.close();
  return 0;
}

interface LogEntry {
  blockHeight: number;
  txHash: string;
  contract: string;
  name: string;
  fields: Record<string, unknown>;
}

async function chainCmd(o: NetOptions): Promise<number> {
  const network = pickNetwork(o.network);
  const client = clientFor(network);
  const id = await rpc<{ chainId: number; preset: string; genesisHash: string; devnet?: boolean }>(client, network, 'zv_chainId');
  const cs = await rpc<ConsensusJson>(client, network, 'zv_consensus');
  if (o.json) {
    process.stdout.write(toJson({ network: network.name, url: network.url, ...id, consensus: cs }) + '\n');
    return 0;
  }
  const say = (s: string) => process.stdout.write(s + '\n');
  say(`${network.name === network.url ? network.url : `${network.name} (${network.url})`}: chain ${id.chainId}${id.devnet ? ' (devnet)' : ''}, ${cs.preset} preset, genesis ${id.genesisHash.slice(0, 16)}…`);
  say(`  height ${cs.height} (slot ${cs.slot}), final ${cs.finalHeight}${cs.checkpoint ? `, checkpoint at ${cs.checkpoint.height}` : ', no checkpoint yet'}`);
  say(`  beacon ${cs.random.slice(0, 32)}…`);
  say(`  groups ${cs.groups.length} active, ${cs.pendingGroups} being built`);
  for (const g of cs.groups) say(`    ${g.id.slice(0, 16)}…  ${g.members} members, threshold ${g.threshold}, heights ${g.activationHeight}–${g.deactivationHeight}`);
  const proposers = cs.miners.filter((m) => m.type === 'proposer').length;
  say(`  miners ${cs.miners.length} (${proposers} proposers, ${cs.miners.length - proposers} verifiers)`);
  return 0;
}

interface ConsensusJson {
  height: number;
  slot: number;
  preset: string;
  random: string;
  finalHeight: number;
  checkpoint: { height: number } | null;
  groups: { id: string; members: number; threshold: number; activationHeight: number; deactivationHeight: number }[];
  pendingGroups: number;
  miners: { id: string; type: string }[];
}

// ---- arguments ----

async function methodOf(client: RpcClient, network: NetworkConfig, address: string, method: string): Promise<AbiMethod> {
  const code = await rpc<{ abi: Abi } | null>(client, network, 'zv_getCode', [address]);
  if (!code) throw new CliError(`${network.name}: no contract at ${address}`, 1);
  const m = code.abi.methods.find((x) => x.name === method);
  if (!m) throw new CliError(`the contract at ${address} (${code.abi.contract ?? 'module'}) has no method '${method}'; it has: ${code.abi.methods.map((x) => x.name).join(', ')}`, 2);
  return m;
}

/** CLI words → JSON values for the RPC, parsed by the parameter types. */
function jsonArgs(m: AbiMethod, args: string[]): unknown[] {
  const values = parseArgs(m, args);
  return m.params.map((p, i) => valueToJSON(p.type, values[i]));
}

function encodeOrFail(m: AbiMethod, json: unknown[], what: string): Uint8Array {
  try {
    return encodeJsonArgs(m, json);
  } catch (e) {
    if (e instanceof ExecutionError) throw new CliError(`${what}: ${e.message}`, 2);
    throw e;
  }
}

function checkAddress(text: string, what: string): void {
  if (!/^zv[0-9a-f]{64}$/.test(text)) throw new CliError(`${what}: '${text}' is not an address ('zv' and 64 lowercase hex digits)`, 2);
}

function parseNumber(text: string, what: string): number {
  if (!/^[0-9]{1,15}$/.test(text)) throw new CliError(`${what}: '${text}' is not a non-negative integer`, 2);
  return Number(text);
}

function parseBig(text: string, what: string): bigint {
  if (!/^[0-9]{1,39}$/.test(text)) throw new CliError(`${what}: '${text}' is not a non-negative integer`, 2);
  return BigInt(text);
}
