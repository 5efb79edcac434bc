// Differential conformance: every program of test/conformance/ runs under CPython (the oracle,
// test/conformance/oracle.py, run once for the whole corpus) and through our compiler and the
// TVM. The printed lines followed by repr(main()) must be identical.
//
// test/conformance/reverts/ holds the documented differences: programs that revert in the TVM
// (the first line says `# reverts: <reason>`) where CPython computes an out-of-range int, a
// float, or raises the matching exception. Both sides of that claim are checked.
//
// The toolchain is imported dynamically so that the corpus checks (CPython side) still run,
// and say what is wrong with the corpus, while the compiler or the TVM cannot be loaded.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../compiler/diagnostics.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'conformance');
const GAS_LIMIT = 50_000_000;
const MIN_PROGRAMS = 150;
const MIN_REVERTS = 15;
/** CPython time per program: generous against a loaded machine; the corpus runs in ~1 ms each. */
const MAX_CPYTHON_MS = 500;

/** Exactly the reasons the TVM gives; assertion failures carry their message instead. */
const REASONS = [
  'integer overflow', 'division by zero', 'index out of range', 'key not found',
  'negative shift count', 'negative exponent', 'call depth exceeded',
] as const;

interface OracleResult {
  stdout: string[];
  repr: string | null;
  type: string | null;
  error: string | null;
  overflow: string | null;
  lint: string[];
  ms: number;
}

const programs = listPrograms('');
const reverts = listPrograms('reverts');

function listPrograms(sub: string): string[] {
  return readdirSync(join(DIR, sub))
    .filter((f) => f.endsWith('.py') && f !== 'oracle.py')
    .sort()
    .map((f) => (sub ? `${sub}/${f}` : f));
}

function readProgram(rel: string): string {
  return readFileSync(join(DIR, rel), 'utf8');
}

function runOracle(): Record<string, OracleResult> {
  const out = execFileSync('python3', [join(DIR, 'oracle.py'), DIR], {
    encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as Record<string, OracleResult>;
}

/** `# reverts: <reason>` on the first line of a revert program. */
function annotatedReason(source: string): string | null {
  const m = /^# reverts: (.+)$/m.exec(source.split('\n', 1)[0] ?? '');
  return m ? m[1]!.trim() : null;
}

function isKnownReason(reason: string): boolean {
  return (REASONS as readonly string[]).includes(reason) || /^assertion failed: .+/.test(reason);
}

/** Why CPython's behaviour does not back the annotated reason, or null when it does. */
function cpythonDisagreement(reason: string, o: OracleResult): string | null {
  const raised = (prefix: string) =>
    o.error?.startsWith(prefix) ? null : `expected CPython to raise ${prefix}, got ${o.error ?? `the value ${o.repr}`}`;
  switch (reason) {
    case 'integer overflow':
      if (o.error) return `CPython raised ${o.error}`;
      return o.overflow ? null : 'CPython never produced an int outside the 256-bit range';
    case 'division by zero': return raised('ZeroDivisionError');
    case 'index out of range': return raised('IndexError');
    case 'key not found': return raised('KeyError');
    case 'negative shift count': return raised('ValueError: negative shift count');
    case 'call depth exceeded': return raised('RecursionError');
    case 'negative exponent':
      return o.type === 'float' ? null : `expected CPython to give a float, got ${o.error ?? o.repr}`;
    default: {
      const message = reason.slice('assertion failed: '.length);
      return o.error === `AssertionError: ${message}` ? null : `expected AssertionError: ${message}, got ${o.error ?? o.repr}`;
    }
  }
}

// ------------------------------------------------------------------ the toolchain under test

type CompilerModule = typeof import('../compiler/index.ts');
type TvmModule = typeof import('../tvm/index.ts');
interface Toolchain {
  compiler: CompilerModule;
  tvm: TvmModule;
  render: (diags: Diagnostic[], path: string, source: string) => string;
}

async function loadToolchain(): Promise<Toolchain> {
  const compiler = await import('../compiler/index.ts');
  const tvm = await import('../tvm/index.ts');
  const { renderDiagnostics } = await import('../compiler/render.ts');
  // A failure message must show the diagnostics even if the renderer itself breaks.
  const render = (diags: Diagnostic[], path: string, source: string): string => {
    try {
      return renderDiagnostics(diags, { [path]: source });
    } catch {
      return JSON.stringify(diags, null, 1);
    }
  };
  return { compiler, tvm, render };
}

type Outcome =
  | { kind: 'compile-error'; text: string }
  | { kind: 'ok'; lines: string[] }
  | { kind: 'revert'; reason: string; logs: string[] };

/** Log messages as lines, the way CPython's captured stdout is split. */
function logLines(logs: { message: string }[]): string[] {
  return logs.flatMap((l) => l.message.split('\n'));
}

function execute(tc: Toolchain, rel: string, optimize: 0 | 1 | 2 = 1): Outcome {
  const source = readProgram(rel);
  const path = `test/conformance/${rel}`;
  const res = tc.compiler.compile({ path, source, optimize });
  if (!res.ok || !res.bytecode) {
    return { kind: 'compile-error', text: tc.render(res.diagnostics, path, source) };
  }
  const { loadModule, runFunction, pyRepr, parseType } = tc.tvm;
  const out = runFunction(loadModule(res.bytecode), 'main', [], { gasLimit: GAS_LIMIT });
  if (!out.ok) return { kind: 'revert', reason: out.reason, logs: logLines(out.logs) };
  return { kind: 'ok', lines: [...logLines(out.logs), pyRepr(parseType(out.returnType), out.value)] };
}

function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'compile-error': return `compile error:\n${o.text}`;
    case 'revert': return `reverted with ${JSON.stringify(o.reason)} after logging ${JSON.stringify(o.logs)}`;
    case 'ok': return `ran to the end: ${JSON.stringify(o.lines)}`;
  }
}

// ------------------------------------------------------------------ tests

let oracle: Record<string, OracleResult> = {};
let toolchain: Toolchain | null = null;
let toolchainError: unknown = null;

beforeAll(async () => {
  oracle = runOracle();
  try {
    toolchain = await loadToolchain();
  } catch (e) {
    toolchainError = e;
  }
}, 180_000);

function requireToolchain(): Toolchain {
  if (!toolchain) throw new Error(`the compiler or the TVM cannot be loaded: ${String(toolchainError)}`);
  return toolchain;
}

function oracleFor(rel: string): OracleResult {
  const o = oracle[rel];
  if (!o) throw new Error(`the oracle has no result for ${rel}`);
  return o;
}

describe('conformance corpus (CPython side)', () => {
  it('finds the whole corpus, and the oracle ran every program', () => {
    expect(programs.length).toBeGreaterThanOrEqual(MIN_PROGRAMS);
    expect(reverts.length).toBeGreaterThanOrEqual(MIN_REVERTS);
    expect(Object.keys(oracle).sort()).toEqual([...programs, ...reverts].sort());
  });

  it.each(programs)('%s is a valid program that CPython runs cleanly', (rel) => {
    const o = oracleFor(rel);
    expect(o.lint, 'outside the language subset').toEqual([]);
    expect(o.error, 'CPython raised').toBeNull();
    expect(o.overflow, 'an intermediate int leaves the 256-bit range (the TVM would revert)').toBeNull();
    expect(o.ms).toBeLessThan(MAX_CPYTHON_MS);
  });

  it.each(reverts)('%s: CPython backs the annotated revert reason', (rel) => {
    const reason = annotatedReason(readProgram(rel));
    expect(reason, 'first line must be `# reverts: <reason>`').not.toBeNull();
    expect(isKnownReason(reason!), `unknown reason ${JSON.stringify(reason)}`).toBe(true);
    const o = oracleFor(rel);
    expect(o.lint, 'outside the language subset').toEqual([]);
    expect(cpythonDisagreement(reason!, o)).toBeNull();
  });
});

describe('conformance: compiler + TVM agree with CPython', () => {
  it.each(programs)('%s', (rel) => {
    const o = oracleFor(rel);
    const outcome = execute(requireToolchain(), rel);
    if (outcome.kind !== 'ok') expect.unreachable(`${rel}: ${describeOutcome(outcome)}\nCPython printed ${JSON.stringify([...o.stdout, o.repr])}`);
    expect(outcome.lines).toEqual([...o.stdout, o.repr]);
  });

  // The optimizer must not change what a program computes: every level gives CPython's answer.
  it.each(programs)('%s at optimization levels 0 and 1', (rel) => {
    const o = oracleFor(rel);
    for (const level of [0, 1] as const) {
      const outcome = execute(requireToolchain(), rel, level);
      if (outcome.kind !== 'ok') expect.unreachable(`${rel} at -O${level}: ${describeOutcome(outcome)}`);
      expect(outcome.lines, `-O${level}`).toEqual([...o.stdout, o.repr]);
    }
  });
});

describe('conformance: documented reverts', () => {
  it.each(reverts)('%s', (rel) => {
    const reason = annotatedReason(readProgram(rel));
    const o = oracleFor(rel);
    for (const level of [1, 0, 2] as const) {
      const outcome = execute(requireToolchain(), rel, level);
      if (outcome.kind !== 'revert') expect.unreachable(`${rel} at -O${level}: expected a revert with ${JSON.stringify(reason)}, but it ${describeOutcome(outcome)}`);
      expect(outcome.reason, `-O${level}`).toBe(reason);
      // Everything printed before the failing operation is kept in the log, as CPython printed it.
      expect(outcome.logs, `-O${level}`).toEqual(o.stdout);
    }
  });
});
