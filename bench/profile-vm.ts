// Runs one of the call-, string- or storage-heavy benchmark workloads over and over, for a CPU
// profile of the VM around the instruction dispatch (callMethod, storage, events, strings).
//
//   node bin/run-ts.js bench/profile-vm.ts token|strings|storage [RUNS]
//   node --cpu-prof --import tsx bench/profile-vm.ts token 60      (writes a CPU profile)
//
// The workloads are those of bench/run.ts (same sources, same arguments). Each run prepares a
// fresh host (as run.ts does) and times only the work run.ts times; the first runs are V8
// warming up, so the report gives both the first runs and the best and median of all.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { compile } from '../compiler/index.ts';
import { callMethod, deploy, loadModule, MemoryHost, runFunction, type ExecResult } from '../tvm/index.ts';
import { stdlibResolver, testAccount } from './neutral.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GAS = 1_000_000_000_000;

function compileFile(file: string): Uint8Array {
  const r = compile({ path: file, source: readFileSync(path.join(ROOT, file), 'utf8'), resolve: stdlibResolver(ROOT) });
  if (!r.ok || !r.bytecode) throw new Error(`${file} does not compile: ${r.diagnostics[0]?.message}`);
  return r.bytecode;
}

function ok(r: ExecResult): ExecResult {
  if (!r.ok) throw new Error(r.reason);
  return r;
}

/** Prepares one run and returns the part to time. */
type Workload = () => () => void;

function tokenTransfers(): Workload {
  const code = compileFile('examples/token.py');
  const accounts = Array.from({ length: 8 }, (_, i) => testAccount(i + 1));
  const opts = (sender: string) => ({ sender, value: 0n, gasLimit: GAS });
  return () => {
    const host = new MemoryHost({ balances: { [accounts[0]!]: 10n ** 18n } });
    const token = deploy(host, code, [10 ** 9], opts(accounts[0]!)).address!;
    for (const a of accounts.slice(1)) ok(callMethod(host, token, 'transfer', [a, 10 ** 6], opts(accounts[0]!)));
    return () => {
      for (let i = 0; i < 2000; i++) ok(callMethod(host, token, 'transfer', [accounts[(i + 1) % 8], 1 + ((i * i) % 11)], opts(accounts[i % 8]!)));
      for (const a of accounts) ok(callMethod(host, token, 'balance_of', [a], opts(accounts[0]!)));
    };
  };
}

function stringBuilding(): Workload {
  const mod = loadModule(compileFile('bench/workloads/strings.py'));
  return () => () => void ok(runFunction(mod, 'build', [20_000], { gasLimit: GAS }));
}

function storageCall(): Workload {
  const code = compileFile('bench/workloads/storage.py');
  const sender = testAccount(1);
  return () => {
    const host = new MemoryHost({ balances: { [sender]: 10n ** 18n } });
    const address = deploy(host, code, [], { sender, gasLimit: GAS }).address!;
    return () => void ok(callMethod(host, address, 'fill', [5000], { sender, value: 0n, gasLimit: GAS }));
  };
}

const WORKLOADS: Record<string, () => Workload> = { token: tokenTransfers, strings: stringBuilding, storage: storageCall };

function main(): void {
  const name = process.argv[2] ?? '';
  const runs = Number(process.argv[3] ?? 30);
  const make = WORKLOADS[name];
  if (!make || !(runs >= 1)) {
    console.error('usage: profile-vm.ts token|strings|storage [RUNS]');
    process.exit(2);
  }
  const prepare = make();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = prepare();
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const ms = (t: number) => t.toFixed(1);
  console.log(`${name}: first runs ${times.slice(0, 6).map(ms).join(' ')} ms; best ${ms(sorted[0]!)}, median ${ms(sorted[sorted.length >> 1]!)} ms of ${runs}`);
}

main();
