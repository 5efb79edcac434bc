// `zv devnet`: runs the devnet (node-lite/devnet) with its JSON-RPC server on 127.0.0.1 until
// Ctrl-C. Prints the RPC address and the development accounts (with their publicly known keys)
// at start, and each block's transactions with their `print` output as they are included.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Devnet, DevnetError, type Preset } from '../node-lite/devnet/devnet.ts';
import { devnetMethods, devnetSubscriptions } from '../node-lite/devnet/rpc-methods.ts';
import { startRpcServer } from '../node-lite/rpc/server.ts';
import { StoreError } from '../node-lite/store/kv.ts';
import { CliError, paint, toJson, useColor } from './output.ts';

export const DEFAULT_DEVNET_PORT = 8545;
export const DEFAULT_DEVNET_DATA = '.zv/devnet';

interface DevnetOptions {
  data?: string;
  memory?: boolean;
  reset?: boolean;
  preset?: string;
  blockTime?: string;
  port?: string;
  json?: boolean;
}

export function registerDevnetCommand(program: Command, setCode: (code: number) => void): void {
  program
    .command('devnet')
    .description('run a local devnet: the whole Chiron consensus in one process, the TVM, JSON-RPC on 127.0.0.1')
    .option('--data <dir>', `folder of the chain (default ${DEFAULT_DEVNET_DATA} in the current folder)`)
    .option('--memory', 'keep nothing on disk')
    .option('--reset', 'delete the chain in the data folder and start from a new genesis')
    .option('--preset <name>', "consensus preset: 'small' (13 miners, 200 ms slots) or 'seed' (the whitepaper's 105 miners, 3 s slots)")
    .option('--block-time <ms>', 'interval mining: one slot per this many ms (default: instant mining, a block as soon as transactions wait)')
    .option('--port <port>', `RPC port (0 picks a free one)`, String(DEFAULT_DEVNET_PORT))
    .option('--json', 'print the start banner as one JSON line and log lines as JSON')
    .action(async (o: DevnetOptions) => setCode(await runDevnet(o)));
}

async function runDevnet(o: DevnetOptions): Promise<number> {
  const preset = parsePreset(o.preset);
  const blockTimeMs = o.blockTime === undefined ? null : parseIntOption(o.blockTime, '--block-time', 10, 3_600_000);
  const port = parseIntOption(o.port ?? String(DEFAULT_DEVNET_PORT), '--port', 0, 65_535);
  const dataDir = o.memory ? null : resolve(o.data ?? DEFAULT_DEVNET_DATA);
  const c = useColor();
  // A reader that goes away (`zv devnet | head`) must not bring the chain down: drop the output.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  const log = o.json ? (line: string) => process.stdout.write(JSON.stringify({ log: line }) + '\n') : (line: string) => process.stdout.write(line + '\n');
  let devnet: Devnet;
  try {
    devnet = await Devnet.open({ dataDir, preset, reset: o.reset, blockTimeMs, log });
  } catch (e) {
    if (e instanceof DevnetError || e instanceof StoreError) throw new CliError(e.message);
    throw e;
  }
  let server;
  try {
    server = await startRpcServer({ methods: devnetMethods(devnet), subscriptions: devnetSubscriptions(devnet), port, log: (l) => log(`rpc: ${l}`) });
  } catch (e) {
    await devnet.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new CliError(`port ${port} is in use on 127.0.0.1: stop what runs there or pick another with --port`);
    if (err.code) throw new CliError(err.message); // another system refusal (EACCES…): said as it is
    throw e;
  }
  devnet.start();
  banner(devnet, server.url, server.wsUrl, dataDir, o.json === true, c);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      log('shutting down…');
      void server.close().then(() => devnet.close()).then(done, done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

function banner(dn: Devnet, url: string, wsUrl: string, dataDir: string | null, json: boolean, c: boolean): void {
  const info = {
    rpc: url,
    ws: wsUrl,
    chainId: dn.meta.chainId,
    preset: dn.meta.preset,
    height: dn.head.height,
    mining: dn.miningMode,
    data: dataDir,
    accounts: dn.accounts.map((a) => ({ address: a.address, privateKey: a.privateKey, balance: dn.executor.account(dn.head.ledger, a.address).balance })),
  };
  if (json) {
    process.stdout.write(toJson(info, 0) + '\n');
    return;
  }
  const say = (s: string) => process.stdout.write(s + '\n');
  say(`${paint(c, 'bold', 'zv devnet')} — ${dn.meta.preset} preset, ${dn.nodesView().length} miners, chain id ${dn.meta.chainId}, height ${dn.head.height}`);
  say(`  JSON-RPC  ${url}   WebSocket ${wsUrl}`);
  say(`  mining    ${dn.miningMode.mode === 'instant' ? 'instant (a block as soon as transactions wait)' : `one slot every ${dn.miningMode.blockTimeMs} ms`}`);
  say(`  data      ${dataDir ?? '(memory only)'}`);
  say('');
  say(paint(c, 'yellow', 'Development accounts (DEVNET ONLY: these keys are public, never use them on a real network)'));
  info.accounts.forEach((a, i) => say(`  (${i}) ${a.address}  ${formatCoin(a.balance)} ZV\n      key ${a.privateKey}`));
  say('');
  say('Ctrl-C stops the devnet; its chain is kept for the next start (--reset starts over).');
}

function formatCoin(base: bigint): string {
  return (base / 10n ** 9n).toLocaleString('en-US');
}

function parsePreset(p: string | undefined): Preset | undefined {
  if (p === undefined) return undefined;
  if (p !== 'small' && p !== 'seed') throw new CliError(`--preset: '${p}' is not a preset (small, seed)`, 2);
  return p;
}

function parseIntOption(text: string, what: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) throw new CliError(`${what}: '${text}' must be an integer from ${min} to ${max}`, 2);
  return Number(text);
}
