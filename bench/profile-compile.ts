// Per-stage compile times: where the compiler spends its time on each example and on a
// generated contract of about 300 lines (generatedContract below).
//
//   node bin/run-ts.js bench/profile-compile.ts [--runs N] [--level 0|1|2] [FILE.py | generated ...]
//   node --cpu-prof --import tsx bench/profile-compile.ts generated     (writes a CPU profile)
//
// For each file, in one process and in this order:
// - cold: its first compile() (for the first file this includes V8 compiling the compiler);
// - early: the median of the next 20 compiles, the figure `npm run bench` reports as warm
//   (V8 is still tiering the compiler up: expect it well above the warm figures);
// - per stage, warm: the mean of RUNS compiles after RUNS/4 warm-up compiles, the stages
//   called one after the other as compile() (compiler/index.ts) calls them: declare
//   (Declarer.declareMain, which parses every file), lower, optimize, generate, encode,
//   artifact; parse is the parser alone on the same files, measured separately (so it is
//   part of declare, not added to it); sum adds the stages;
// - compile, warm: compile() as a whole, the mean of RUNS compiles; lines/s from it.
// Lines count the file and the stdlib modules it links. Stdlib sources come from a resolver
// that caches them in memory, so no disk reads are timed.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { compile } from '../compiler/index.ts';
import { Declarer, type Resolver, type SourceFile } from '../compiler/declare.ts';
import { parse } from '../compiler/parser.ts';
import { ModuleLowerer } from '../compiler/lower.ts';
import { optimize, type OptLevel } from '../compiler/optimize.ts';
import { generate } from '../compiler/codegen.ts';
import { buildArtifact } from '../compiler/artifact.ts';
import { DiagnosticBag } from '../compiler/diagnostics.ts';
import { encodeModule } from '../tvm/format.ts';
import { stdlibResolver } from '../cli/stdlib.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLES = ['token', 'escrow', 'ballot', 'auction', 'vault'].map((n) => `examples/${n}.py`);
const GENERATED = '<generated 300 lines>';

const STAGES = ['declare', 'parse', 'lower', 'optimize', 'generate', 'encode', 'artifact', 'sum', 'compile'] as const;
type Stage = (typeof STAGES)[number];

interface Options {
  runs: number;
  level: OptLevel;
  files: string[];
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { runs: 200, level: 1, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--runs') opts.runs = Math.max(1, Number(argv[++i]));
    else if (a === '--level') opts.level = Number(argv[++i]) as OptLevel;
    else opts.files.push(a);
  }
  if (opts.files.length === 0) opts.files = [...EXAMPLES, GENERATED];
  return opts;
}

/** The stdlib resolver with its answers cached: disk reads are not the compiler's time. */
function cachedResolver(): Resolver {
  const disk = stdlibResolver(ROOT);
  const cache = new Map<string, SourceFile | undefined>();
  return (m) => {
    if (!cache.has(m)) cache.set(m, disk(m));
    return cache.get(m);
  };
}

/**
 * A contract of about 300 lines in the shape of the examples: storage maps, requires,
 * events, f-strings, loops with branches and arithmetic, private helpers, so that every
 * stage (and the optimizer's loop passes) has realistic work.
 */
export function generatedContract(groups = 6): string {
  const out: string[] = [
    'from zvchain import Contract, Map, Address, Event',
    'from zvchain import public, view, msg, require, emit',
    '',
    '',
    'class Moved(Event):',
    '    sender: Address',
    '    to: Address',
    '    amount: int',
    '',
    '',
    'class Big(Contract):',
    '    owner: Address',
    '    supply: int',
    '    label: str',
    '    balances: Map[Address, int]',
    '    allowances: Map[Address, Map[Address, int]]',
    '',
    '    def __init__(self, initial: int) -> None:',
    '        require(initial >= 0, "initial supply must not be negative")',
    '        self.owner = msg.sender',
    '        self.supply = initial',
    '        self.balances[msg.sender] = initial',
    '        self.label = "big"',
    '',
  ];
  for (let g = 0; g < groups; g++) {
    out.push(
      '    @public',
      `    def transfer_${g}(self, to: Address, amount: int) -> bool:`,
      '        require(amount > 0, "amount must be positive")',
      '        require(self.balances[msg.sender] >= amount, "insufficient balance")',
      '        self.balances[msg.sender] -= amount',
      '        self.balances[to] += amount',
      '        emit(Moved(msg.sender, to, amount))',
      '        return True',
      '',
      '    @public',
      `    def approve_${g}(self, spender: Address, amount: int) -> bool:`,
      '        require(amount >= 0, "amount must not be negative")',
      '        self.allowances[msg.sender][spender] = amount',
      '        return True',
      '',
      '    @view',
      `    def score_${g}(self, n: int) -> int:`,
      '        total = 0',
      '        i = 0',
      '        while i < n:',
      '            if i % 3 == 0:',
      `                total += i * ${g + 2}`,
      '            elif i % 3 == 1:',
      '                total -= 1',
      '            else:',
      '                total += 7 * 6 - 40',
      '            i += 1',
      '        return total',
      '',
      '    @view',
      `    def describe_${g}(self, who: Address) -> str:`,
      '        bal = self.balances[who]',
      '        parts: list[str] = []',
      '        for k in range(3):',
      '            parts.append(f"{k}:{bal + k}")',
      `        return f"{self.label} ${g} " + ",".join(parts)`,
      '',
      `    def _helper_${g}(self, a: int, b: int) -> int:`,
      '        x = a + b',
      '        y = x * 2',
      '        if y > 100:',
      '            return y - 100',
      '        return y + a - b',
      '',
    );
  }
  return out.join('\n') + '\n';
}

type Times = Record<Stage, number>;

const zero = (): Times => Object.fromEntries(STAGES.map((s) => [s, 0])) as Times;

/** One compile through the stages, adding each stage's time (ms) to `acc`. */
function stagedCompile(file: SourceFile, resolve: Resolver, level: OptLevel, acc: Times): void {
  let t = performance.now();
  const lap = (stage: Stage): void => {
    const now = performance.now();
    acc[stage] += now - t;
    t = now;
  };
  const diags = new DiagnosticBag();
  const prog = new Declarer(diags, resolve).declareMain(file);
  lap('declare');
  if (diags.hasErrors) throw new Error(`${file.path}: ${diags.items[0]?.message}`);
  const ir = new ModuleLowerer(prog, diags).lower();
  lap('lower');
  if (diags.hasErrors) throw new Error(`${file.path}: ${diags.items[0]?.message}`);
  const opt = optimize(ir, level);
  lap('optimize');
  const { def, sourceMap } = generate(opt, { debug: true, validate: level === 0 }); // as compile() does
  lap('generate');
  const bytecode = encodeModule(def);
  lap('encode');
  buildArtifact({ sources: prog.files.map((f) => ({ path: f.path, text: f.source })), def, bytecode, sourceMap });
  lap('artifact');
  // The parser alone on the same files (declare parsed them too).
  for (const f of prog.files) parse(f.source, f.path);
  lap('parse');
}

interface Row {
  file: string;
  lines: number;
  /** The first compile of this file in the process (the first file's includes JIT start-up). */
  cold: number;
  /** Median of the 20 compiles after that (what `npm run bench` reports as warm). */
  early: number;
  ms: Times;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function profileFile(file: SourceFile, opts: Options): Row {
  const resolve = cachedResolver();
  const input = { path: file.path, source: file.source, resolve, optimize: opts.level };
  let t = performance.now();
  const first = compile(input);
  const cold = performance.now() - t;
  if (!first.ok) throw new Error(`${file.path} does not compile: ${first.diagnostics[0]?.message}`);
  const lines = Object.values(first.sources).reduce((n, s) => n + s.split('\n').length, 0);
  const early: number[] = [];
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    compile(input);
    early.push(performance.now() - t);
  }
  const acc = zero();
  for (let i = 0; i < Math.ceil(opts.runs / 4); i++) stagedCompile(file, resolve, opts.level, zero()); // warm-up
  for (let i = 0; i < opts.runs; i++) stagedCompile(file, resolve, opts.level, acc);
  const t0 = performance.now();
  for (let i = 0; i < opts.runs; i++) compile(input);
  acc.compile = performance.now() - t0;
  const ms = zero();
  for (const s of STAGES) ms[s] = acc[s] / opts.runs;
  ms.sum = ms.declare + ms.lower + ms.optimize + ms.generate + ms.encode + ms.artifact;
  return { file: file.path, lines, cold, early: median(early), ms };
}

function readInput(name: string): SourceFile {
  if (name === GENERATED || name === 'generated') return { path: 'generated.py', source: generatedContract() };
  return { path: name, source: readFileSync(path.resolve(ROOT, name), 'utf8') };
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const rows = opts.files.map((f) => profileFile(readInput(f), opts));
  const perSecond = (lines: number, ms: number): string => Math.round(lines / (ms / 1000)).toLocaleString('en-US');
  const head = ['file', 'lines', 'cold ms', 'early ms', 'early lines/s', ...STAGES.map((s) => (s === 'declare' ? 'declare (with parse) ms' : `${s} ms`)), 'warm lines/s'];
  const body = rows.map((r) => [
    r.file,
    String(r.lines),
    r.cold.toFixed(1),
    r.early.toFixed(2),
    perSecond(r.lines, r.early),
    ...STAGES.map((s) => r.ms[s].toFixed(3)),
    perSecond(r.lines, r.ms.compile),
  ]);
  const totalLines = rows.reduce((n, r) => n + r.lines, 0);
  const totalMs = rows.reduce((n, r) => n + r.ms.compile, 0);
  const totalEarly = rows.reduce((n, r) => n + r.early, 0);
  console.log(`optimize level ${opts.level}; cold: the file's first compile; early: median of the next 20;`);
  console.log(`stages and compile (warm): mean of ${opts.runs} runs after ${Math.ceil(opts.runs / 4)} warm-up runs\n`);
  console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const b of body) console.log(`| ${b.join(' | ')} |`);
  console.log(`\noverall: ${totalLines} lines; early ${totalEarly.toFixed(2)} ms = ${perSecond(totalLines, totalEarly)} lines/s; warm ${totalMs.toFixed(2)} ms = ${perSecond(totalLines, totalMs)} lines/s`);
}

// Only when run as a script (generatedContract is also imported by other scripts).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
