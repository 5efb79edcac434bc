// `zv sim security [--trials N] [--seed S] [--json]`
//
// Recomputes the security analysis of whitepaper section 2.1.7 (the 51%-attack victim ratio
// and the long-range attack bounds) by closed form and by seeded simulation, and prints the
// paper's values beside them. The models are in node-lite/analysis; docs/security-analysis.md
// explains how the formulas were recovered from the paper.

import type { Command } from 'commander';
import {
  AnalysisError, MAX_TRIALS, securityReport,
  type Estimate, type LongRangeRow, type SecurityReport,
} from '../node-lite/analysis/index.ts';
import { CliError, paint, toJson, useColor } from './output.ts';
import { simChainCommand, type SimChainOptions } from './sim-chain-cmd.ts';

export interface SimSecurityOptions {
  trials?: string;
  seed?: string;
  json?: boolean;
}

/** Adds `zv sim` and its subcommands to the program; `setCode` receives the exit code. */
export function registerSimCommand(program: Command, setCode: (code: number) => void): void {
  const sim = program
    .command('sim')
    .description('simulations and analyses of the consensus (whitepaper chapter 2.1)')
    .action(() => {
      // `zv sim` alone names no analysis: a usage error, with the list of subcommands.
      process.stderr.write(sim.helpInformation());
      setCode(2);
    });
  sim
    .command('security')
    .description('recompute the 51%-attack victim table and the long-range attack bounds (section 2.1.7)')
    .option('--trials <n>', 'Monte-Carlo trials per table row (default 100000 victim, 2000 long-range)')
    .option('--seed <s>', 'simulation seed: a non-negative integer or a string', '1')
    .option('--json', 'print the whole report as JSON')
    .action((opts: SimSecurityOptions) => {
      setCode(simSecurityCommand(opts));
    });
  sim
    .command('chain')
    .description('run the Chiron engine: every miner of a dev genesis as a node on a simulated network')
    .option('--preset <name>', "consensus preset: 'small' (groups of 5, 200 ms slots) or 'seed' (groups of 100, 3 s slots)")
    .option('--slots <n>', 'slots to run (default 50 small, 8 seed)')
    .option('--scenario <file>', 'a scenario file (JSON: preset, miners, faults, network events)')
    .option('--seed <s>', 'seed of the genesis and the network')
    .option('--json', 'print the summary as JSON')
    .action((opts: SimChainOptions) => {
      setCode(simChainCommand(opts));
    });
}

export function simSecurityCommand(opts: SimSecurityOptions): number {
  const trials = opts.trials === undefined ? undefined : parseTrials(opts.trials);
  const seed = parseSeed(opts.seed ?? '1');
  let report: SecurityReport;
  try {
    report = securityReport({ trials, seed });
  } catch (e) {
    if (e instanceof AnalysisError) throw new CliError(e.message, 2);
    throw e;
  }
  process.stdout.write(opts.json ? toJson(report) + '\n' : formatReport(report, useColor()) + '\n');
  return 0;
}

function parseTrials(s: string): number {
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > MAX_TRIALS) {
    throw new CliError(`--trials must be an integer from 1 to ${MAX_TRIALS}, got '${s}'`, 2);
  }
  return Number(s);
}

function parseSeed(s: string): number | string {
  if (s.length === 0) throw new CliError('--seed must not be empty', 2);
  // Digits are a number seed (as in the scenario files); anything else is a string seed.
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new CliError(`--seed ${s} is too large for a number seed`, 2);
    return n;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Text output

/** A probability with four significant digits; exact 0 and 1 stay short. */
function prob(p: number): string {
  if (p === 0) return '0';
  if (p === 1) return '1';
  if (p < 1e-4) return p.toExponential(2);
  // Near 1, four significant digits would print 1.000: show the distance from 1 instead.
  if (p > 0.9999) return `1-${(1 - p).toExponential(1)}`;
  return p.toPrecision(4);
}

function simCell(e: Estimate): string {
  return `${prob(e.p)} [${prob(e.ci.low)}, ${prob(e.ci.high)}]`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReport(r: SecurityReport, color: boolean): string {
  const h = (s: string) => paint(color, 'bold', s);
  const v = r.victim;
  const lr = r.longRange;
  const out: string[] = [];

  out.push(h('51% attack: victim ratio (whitepaper Table 2.2, Figure 2.6)'));
  out.push(`W = ${v.network} nodes, n = ${v.peers} random peers per user, victim when >= ${v.thresholdPercent}% of them are the attacker's;` +
    ` seed ${JSON.stringify(r.seed)}, ${v.trials} users simulated per row`);
  out.push(table(
    ['x', 'paper', 'closed form (hypergeom.)', 'match', 'binomial (W→∞)', 'simulation [95% CI]'],
    v.rows.map((row) => [
      String(row.x),
      row.paper ?? '—',
      prob(row.exact),
      row.paperMatches === null ? '' : row.paperMatches ? 'yes' : 'NO',
      prob(row.binomial),
      simCell(row.sim),
    ]),
  ));
  out.push(`90% victims needs x >= ${(v.ratioFor90PercentVictims * 100).toFixed(2)}% of the nodes (the paper: "more than 95%").`);
  out.push('');

  out.push(h('Long-range attack: minimum share of groups (whitepaper Table 2.3, attack needs k·x > 1)'));
  out.push(table(
    ['k = Dmax/Dmin', 'paper', 'closed form x > 1/k'],
    lr.table23.map((t) => [String(t.k), t.paper, t.minRatio === null ? 'no solution (x > 1)' : `> ${(t.minRatio * 100).toFixed(2)}%`]),
  ));
  out.push('');

  const cp = lr.checkpoint;
  out.push(h('Long-range attack: how deep a fork can revert'));
  out.push(`${lr.setup.groups} groups, epoch ${lr.setup.epochLength} blocks, working cycle n = ${lr.setup.cycleEpochs} epochs` +
    ` (L = ${lr.cycleSlots} slots); latest checkpoint at most ${cp.maxLag} blocks below the tip;` +
    ` depth reached with probability >= ${lr.setup.level * 100}% (exact)`);
  out.push(table(
    ['k', 'x', 'k·x', 'paper: H < L(kx−1)', 'end of cycle', 'adaptive', 'adaptive + checkpoints'],
    lr.rows.map((row) => [
      String(row.k), String(row.x), fmtKx(row.kx),
      row.paperMaxDepth === null ? 'none (kx <= 1)' : `H <= ${row.paperMaxDepth}`,
      depthCell(row.depthAtLevel.fixed),
      depthCell(row.depthAtLevel.adaptive),
      depthCell(row.depthAtLevel.checkpointed) + (row.checkpointsKeepForming ? '' : ' (stalled)'),
    ]),
  ));
  for (const [i, depth] of lr.setup.depths.entries()) {
    out.push('');
    out.push(h(`Long-range attack: P[success] reverting H = ${depth} block${depth === 1 ? '' : 's'}`) +
      ` (exact | simulation [95% CI], ${lr.trials} private chains per row)`);
    out.push(table(
      ['k', 'x', 'end of cycle', 'sim', 'adaptive', 'sim', 'checkpoints', 'sim'],
      lr.rows.map((row) => probRow(row, i)),
    ));
  }
  out.push('');
  out.push('end of cycle: the paper\'s attacker, published after L slots; adaptive: published at the first slot it is heavier;');
  out.push('(stalled): the attacker holds more than 1/3 of the groups and can withhold checkpoint endorsements. See docs/security-analysis.md.');
  return out.join('\n');
}

function fmtKx(kx: number): string {
  return Number.isInteger(kx) ? String(kx) : kx.toFixed(2);
}

function depthCell(d: number | null): string {
  return d === null ? 'none' : `H <= ${d}`;
}

function probRow(row: LongRangeRow, i: number): string[] {
  const d = row.atDepth[i]!;
  return [
    String(row.k), String(row.x),
    prob(d.fixed.exact), simCell(d.fixed.sim),
    prob(d.adaptive.exact), simCell(d.adaptive.sim),
    prob(d.checkpointed.exact), simCell(d.checkpointed.sim),
  ];
}
