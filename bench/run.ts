// The benchmark suite: the same contract code run by CPython (through the zvchain shim) and
// by the TVM (compiled by our compiler), results checked equal, times compared; plus compile
// times and the TVM's raw instruction rate.
//
//   npm run bench                 print the tables
//   npm run bench -- --write      also append them, dated, to docs/benchmarks.md
//   npm run bench -- --quick      smaller workloads (a smoke test of the suite itself)
//
// Each CPython workload runs in one python3 process (bench/cpython_driver.py) that times
// itself with time.perf_counter, so interpreter start-up is not measured. Both sides do
// WARMUP untimed runs (V8 optimizes the TVM's code meanwhile), then up to RUNS timed runs
// within a budget of BUDGET_S seconds; the median is reported.

import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { compile } from '../compiler/index.ts';
import { callMethod, deploy, loadModule, MemoryHost, runFunction } from '../tvm/index.ts';
import { neutralValue, stdlibResolver, testAccount } from './neutral.ts';
import { generatedContract } from './profile-compile.ts';
import { benchTvmRaw } from './tvm-raw.ts';
import { benchConsensusCrypto } from './consensus-crypto.ts';
import { benchConsensusEngine } from './consensus-engine.ts';
import { benchStore } from './store.ts';
import { benchDevnet } from './devnet.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WARMUP = 5;
const RUNS = 15;
const BUDGET_S = 8;
const GAS = 1_000_000_000_000;

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const WRITE = args.includes('--write');

// ------------------------------------------------------------------ workloads

/** A workload as bench/cpython_driver.py reads it; the TVM side interprets the same spec. */
type Spec =
  | { kind: 'function'; file: string; fn: string; args: number[] }
  | { kind: 'call'; file: string; deploy: number[]; method: string; args: number[] }
  | { kind: 'token'; file: string; transfers: number; accounts: number };

interface Workload {
  name: string;
  what: string;
  spec: Spec;
}

const scale = (n: number, quick: number): number => (QUICK ? quick : n);

const WORKLOADS: Workload[] = [
  {
    name: 'token transfers',
    what: `${scale(2000, 100)} Token.transfer calls, driven from the host`,
    spec: { kind: 'token', file: 'examples/token.py', transfers: scale(2000, 100), accounts: 8 },
  },
  {
    name: 'arithmetic loops',
    what: `sum(i*i % 7) for i < ${scale(200_000, 5000)}, collatz steps below ${scale(10_000, 250)}`,
    spec: { kind: 'function', file: 'bench/workloads/arith.py', fn: 'arith', args: [scale(200_000, 5000)] },
  },
  {
    name: 'string building',
    what: `${scale(20_000, 500)} f-strings, join, split, str methods`,
    spec: { kind: 'function', file: 'bench/workloads/strings.py', fn: 'build', args: [scale(20_000, 500)] },
  },
  {
    name: 'recursion',
    what: `fib(${scale(24, 15)})`,
    spec: { kind: 'function', file: 'bench/workloads/recursion.py', fn: 'fib', args: [scale(24, 15)] },
  },
  {
    name: 'storage-heavy call',
    what: `one call writing ${scale(5000, 200)} × 2 Map entries and reading them back`,
    spec: { kind: 'call', file: 'bench/workloads/storage.py', deploy: [], method: 'fill', args: [scale(5000, 200)] },
  },
];

// ------------------------------------------------------------------ timing helpers

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Warm-up runs (the first one's result is the one compared; the others let V8 finish
 *  optimizing, so the timed runs measure steady state), then timed runs within the budget. */
function timeRuns(prepare: () => () => unknown): { result: unknown; times: number[] } {
  const result = prepare()();
  for (let i = 1; i < (QUICK ? 1 : WARMUP); i++) prepare()();
  const times: number[] = [];
  let spent = 0;
  for (let i = 0; i < RUNS && spent < BUDGET_S * 1000; i++) {
    const run = prepare();
    const t0 = performance.now();
    run();
    const dt = performance.now() - t0;
    times.push(dt);
    spent += dt;
  }
  return { result, times };
}

// ------------------------------------------------------------------ the TVM side

function compileFile(file: string): Uint8Array {
  const source = readFileSync(path.join(ROOT, file), 'utf8');
  const r = compile({ path: file, source, resolve: stdlibResolver(ROOT) });
  if (!r.ok || !r.bytecode) {
    const first = r.diagnostics.slice(0, 3).map((d) => `${d.span.file}:${d.span.line}:${d.span.col} ${d.code} ${d.message}`);
    throw new Error(`compile ${file} failed:\n  ${first.join('\n  ')}`);
  }
  return r.bytecode;
}

function mustOk<T extends { ok: boolean }>(r: T, what: string): T & { ok: true } {
  if (!r.ok) throw new Error(`${what} failed: ${(r as unknown as { reason: string }).reason}`);
  return r as T & { ok: true };
}

/** Deploys and returns the contract's address, or throws with the revert reason. */
function deployed(host: MemoryHost, bytecode: Uint8Array, ctorArgs: unknown[], sender: string): string {
  const d = deploy(host, bytecode, ctorArgs, { sender, gasLimit: GAS });
  if (!d.ok || d.address === null) throw new Error(`deploy failed: ${d.ok ? 'no address' : d.reason}`);
  return d.address;
}

function tvmPrepare(spec: Spec): () => () => unknown {
  const bytecode = compileFile(spec.file);
  switch (spec.kind) {
    case 'function': {
      const mod = loadModule(bytecode);
      return () => () => {
        const r = mustOk(runFunction(mod, spec.fn, spec.args, { gasLimit: GAS }), spec.fn);
        return neutralValue(r.returnType, r.value);
      };
    }
    case 'call': {
      const sender = testAccount(1);
      return () => {
        const host = new MemoryHost({ balances: { [sender]: 10n ** 18n } });
        const address = deployed(host, bytecode, spec.deploy, sender);
        return () => {
          const r = mustOk(callMethod(host, address, spec.method, spec.args, { sender, value: 0n, gasLimit: GAS }), spec.method);
          return neutralValue(r.returnType, r.value);
        };
      };
    }
    case 'token': {
      const accounts = Array.from({ length: spec.accounts }, (_, i) => testAccount(i + 1));
      const k = accounts.length;
      return () => {
        const host = new MemoryHost({ balances: { [accounts[0]!]: 10n ** 18n } });
        const opts = (sender: string) => ({ sender, value: 0n, gasLimit: GAS });
        const token = deployed(host, bytecode, [10 ** 9], accounts[0]!);
        for (const a of accounts.slice(1)) mustOk(callMethod(host, token, 'transfer', [a, 10 ** 6], opts(accounts[0]!)), 'transfer');
        return () => {
          // The same sequence as cpython_driver.py's token_runner.
          for (let i = 0; i < spec.transfers; i++) {
            const r = callMethod(host, token, 'transfer', [accounts[(i + 1) % k]!, 1 + ((i * i) % 11)], opts(accounts[i % k]!));
            mustOk(r, `transfer ${i}`);
          }
          return accounts.map((a) => {
            const r = mustOk(callMethod(host, token, 'balance_of', [a], opts(accounts[0]!)), 'balance_of');
            return neutralValue(r.returnType, r.value);
          });
        };
      };
    }
  }
}

// ------------------------------------------------------------------ the CPython side

function runCPython(spec: Spec): { result: unknown; times: number[] } {
  const p = spawnSync('python3', [path.join(ROOT, 'bench/cpython_driver.py'), JSON.stringify({ ...spec, warmup: QUICK ? 1 : WARMUP, runs: RUNS, budget_s: BUDGET_S })], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (p.status !== 0) throw new Error(`python3 failed (${p.error?.message ?? `exit ${p.status}`}): ${p.stderr.slice(-500)}`);
  const out = JSON.parse(p.stdout) as { result: unknown; times_ms: number[] };
  return { result: out.result, times: out.times_ms };
}

// ------------------------------------------------------------------ sections

type Row = string[];

function table(head: Row, rows: Row[]): string {
  const line = (r: Row) => `| ${r.join(' | ')} |`;
  return [line(head), line(head.map((h) => (/^[A-Za-z]/.test(h) && !/ms|\/s|×/.test(h) ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

function workloadSection(): string {
  const rows: Row[] = [];
  for (const w of WORKLOADS) {
    process.stderr.write(`workload: ${w.name} ...\n`);
    let py: { result: unknown; times: number[] } | null = null;
    let vm: { result: unknown; times: number[] } | null = null;
    let note = '';
    try {
      py = runCPython(w.spec);
    } catch (e) {
      note += `CPython: ${(e as Error).message.split('\n')[0]} `;
    }
    try {
      vm = timeRuns(tvmPrepare(w.spec));
    } catch (e) {
      note += `TVM: ${(e as Error).message.split('\n').slice(0, 2).join(' ')}`;
    }
    const same = py && vm ? JSON.stringify(py.result) === JSON.stringify(vm.result) : null;
    if (same === false) note += `results differ: CPython ${JSON.stringify(py!.result).slice(0, 80)} vs TVM ${JSON.stringify(vm!.result).slice(0, 80)}`;
    const pyMs = py ? median(py.times) : NaN;
    const vmMs = vm ? median(vm.times) : NaN;
    rows.push([
      w.name,
      w.what,
      py ? fmt(pyMs) : '—',
      vm ? fmt(vmMs) : '—',
      py && vm ? `${(pyMs / vmMs).toFixed(2)}×` : '—',
      same === null ? '—' : same ? 'yes' : '**no**',
      note.trim().replace(/\|/g, '\\|'),
    ]);
  }
  return (
    '### CPython vs TVM (median ms of warm runs; speedup = CPython / TVM)\n\n' +
    table(['workload', 'work', 'CPython ms', 'TVM ms', 'speedup ×', 'same result', 'note'], rows)
  );
}

const COMPILE_FILES = ['examples/token.py', 'examples/escrow.py', 'examples/ballot.py', 'examples/auction.py', 'examples/vault.py'];

/** The files of the compile benchmark: the examples, and a generated 300-line contract. */
function compileInputs(): { name: string; source: string }[] {
  const files = COMPILE_FILES.map((file) => ({ name: file, source: readFileSync(path.join(ROOT, file), 'utf8') }));
  const generated = generatedContract();
  return [...files, { name: `generated contract (${generated.split('\n').length} lines)`, source: generated }];
}

function timeCompiles(input: Parameters<typeof compile>[0], n: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    compile(input);
    times.push(performance.now() - t);
  }
  return times;
}

function compileSection(): string {
  const rows: Row[] = [];
  for (const { name, source } of compileInputs()) {
    const input = { path: name.startsWith('generated') ? 'generated.py' : name, source, resolve: stdlibResolver(ROOT) };
    const t0 = performance.now();
    const first = compile(input);
    const cold = performance.now() - t0;
    if (!first.ok) {
      rows.push([name, '—', '—', '—', '—', '—', `does not compile: ${first.diagnostics[0]?.code} ${first.diagnostics[0]?.message}`.replace(/\|/g, '\\|')]);
      continue;
    }
    // "early": the 20 compiles right after the first, while V8 is still optimizing the compiler;
    // "warm": after a warm-up of 200 more compiles (what an IDE or a long-running process sees).
    const early = median(timeCompiles(input, QUICK ? 3 : 20));
    timeCompiles(input, QUICK ? 3 : 200);
    const warm = median(timeCompiles(input, QUICK ? 3 : 30));
    const lines = Object.values(first.sources).reduce((n, s) => n + s.split('\n').length, 0);
    rows.push([name, String(lines), fmt(cold), fmt(early), fmt(warm), Math.round(lines / (warm / 1000)).toLocaleString('en-US'), '']);
  }
  return (
    '### Compile time (cold: first compile in the process; early: median of the next 20; warm: median of 30 after 200 more; lines include linked stdlib modules)\n\n' +
    table(['file', 'lines', 'cold ms', 'early ms', 'warm ms', 'warm lines/s', 'note'], rows)
  );
}

/** A table of named measurements (raw instruction rate, consensus cryptography). */
function measuresSection(title: string, results: { name: string; value: number; unit: string }[]): string {
  const rows = results.map((r) => [r.name, r.value.toLocaleString('en-US', { maximumFractionDigits: 2 }), r.unit]);
  return `### ${title}\n\n` + table(['measure', 'value', 'unit'], rows);
}

function machine(): string {
  const py = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  const pyVersion = (py.stdout || py.stderr || 'python3 missing').trim();
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}, ${pyVersion}`;
}

async function main(): Promise<void> {
  const sections = [
    workloadSection(),
    compileSection(),
    measuresSection('TVM raw instruction rate', await benchTvmRaw()),
    measuresSection('Consensus cryptography (node-lite/crypto, BLS12-381: sign and verify by blst, threshold and DKG arithmetic by mcl-wasm)', await benchConsensusCrypto()),
    measuresSection('Chiron engine (node-lite/engine: all miners as nodes in one process, simulated network)', await benchConsensusEngine(QUICK)),
    measuresSection('State store: lmdb vs classic-level (node-lite/store; docs/storage.md)', await benchStore(QUICK)),
    measuresSection('Devnet end to end: signed token transfers through the JSON-RPC, full consensus (node-lite/devnet; docs/devnet.md)', await benchDevnet(QUICK)),
  ];
  const date = new Date().toISOString().slice(0, 10);
  const report = `## ${date}${QUICK ? ' (quick)' : ''}\n\nMachine: ${machine()}\n\n${sections.join('\n\n')}\n`;
  process.stdout.write(report);
  if (WRITE) {
    const out = path.join(ROOT, 'docs/benchmarks.md');
    if (!existsSync(out)) {
      writeFileSync(out, '# Benchmarks\n\nAppended by `npm run bench -- --write` (bench/run.ts; bench/README.md says what each workload does).\n\n');
    }
    appendFileSync(out, '\n' + report);
    process.stderr.write(`appended to ${path.relative(ROOT, out)}\n`);
  }
}

await main();
