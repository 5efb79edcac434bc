// Diagnostics corpus: every file of test/diagnostics/ is an invalid program whose expected
// errors are annotated inline (`# expect: E0402` on the line where the error's span starts;
// see test/diagnostics/README.md). The compiler must report exactly those errors: all of them
// (not only the first) and nothing else, each with a message and a span inside the file.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../compiler/index.ts';
import { CODES, type Diagnostic } from '../compiler/diagnostics.ts';
import { renderDiagnostics } from '../compiler/render.ts';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'diagnostics');
const CONFORMANCE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'conformance');
const MIN_FILES = 60;

/** Codes no file of the corpus can trigger, with the reason. Keep it short: every entry is a hole. */
const NOT_COVERED: Record<string, string> = {
  W0101: 'a warning, not an error: compiler/checker.test.ts checks where it is reported',
  W0102: 'a warning, not an error: compiler/checker.test.ts checks where it is reported',
};

const files = readdirSync(DIR).filter((f) => f.endsWith('.py')).sort();

interface Expected {
  /** "line:code", one entry per expected error (a code may repeat on a line). */
  errors: string[];
  /** Malformed annotations, reported as failures of the file. */
  problems: string[];
}

const ANNOTATION = /#\s*expect:\s*(.*)$/;

/** Reads the `# expect: E0301, E0201` annotations (found textually, even inside a broken string). */
function parseAnnotations(source: string): Expected {
  const errors: string[] = [];
  const problems: string[] = [];
  source.split('\n').forEach((text, i) => {
    const m = ANNOTATION.exec(text);
    if (!m) return;
    for (const raw of m[1]!.split(',')) {
      const code = raw.trim();
      if (!Object.hasOwn(CODES, code)) problems.push(`line ${i + 1}: '${code}' is not a code of CODES`);
      else errors.push(`${i + 1}:${code}`);
    }
  });
  return { errors: errors.sort(), problems };
}

function pathOf(file: string): string {
  return `test/diagnostics/${file}`;
}

function readSource(file: string): string {
  return readFileSync(join(DIR, file), 'utf8');
}

/** 1-based line and column (UTF-16 units) of an offset, as diagnostics.ts defines them. */
function lineCol(source: string, offset: number): { line: number; col: number } {
  const before = source.slice(0, offset);
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, col: offset - nl };
}

/** Everything wrong with one diagnostic's shape, as messages (empty when it is well formed). */
function malformed(d: Diagnostic, path: string, source: string): string[] {
  const out: string[] = [];
  const where = `${d.code} '${d.message}'`;
  if (!Object.hasOwn(CODES, d.code)) out.push(`${where}: code not in CODES`);
  if (typeof d.message !== 'string' || d.message.trim() === '') out.push(`${where}: empty message`);
  if (d.hint !== undefined && (typeof d.hint !== 'string' || d.hint.trim() === '')) out.push(`${where}: empty hint`);
  if (d.severity !== 'error' && d.severity !== 'warning') out.push(`${where}: severity ${String(d.severity)}`);
  const s = d.span;
  if (s.file !== path) {
    out.push(`${where}: span in file ${s.file}, expected ${path}`);
    return out;
  }
  if (!(s.start >= 0 && s.start <= s.end && s.end <= source.length)) {
    out.push(`${where}: offsets ${s.start}..${s.end} outside 0..${source.length}`);
    return out;
  }
  const a = lineCol(source, s.start);
  const b = lineCol(source, s.end);
  if (a.line !== s.line || a.col !== s.col) out.push(`${where}: start ${s.line}:${s.col} but offset ${s.start} is ${a.line}:${a.col}`);
  if (b.line !== s.endLine || b.col !== s.endCol) out.push(`${where}: end ${s.endLine}:${s.endCol} but offset ${s.end} is ${b.line}:${b.col}`);
  return out;
}

/** The whole source and its prefixes ending at each line break (and mid-line, when asked). */
function truncations(source: string, midLine: boolean): string[] {
  const breaks = [...source.matchAll(/\n/g)].map((m) => m.index!);
  const out = [source];
  breaks.forEach((end, i) => {
    out.push(source.slice(0, end));
    if (midLine) out.push(source.slice(0, ((breaks[i - 1] ?? 0) + end) >> 1));
  });
  return out;
}

function actualErrors(diags: Diagnostic[]): string[] {
  return diags.filter((d) => d.severity === 'error').map((d) => `${d.span.line}:${d.code}`).sort();
}

function listing(diags: Diagnostic[]): string {
  return diags.map((d) => `  ${d.span.line}:${d.span.col} ${d.severity} ${d.code} ${d.message}`).join('\n') || '  (none)';
}

describe('diagnostics corpus', () => {
  it('has enough files, each with at least one annotation', () => {
    expect(files.length).toBeGreaterThanOrEqual(MIN_FILES);
    const unannotated = files.filter((f) => parseAnnotations(readSource(f)).errors.length === 0);
    expect(unannotated).toEqual([]);
  });

  it('annotates every code of CODES somewhere (or says why not)', () => {
    const used = new Set(files.flatMap((f) => parseAnnotations(readSource(f)).errors.map((e) => e.split(':')[1])));
    const missing = Object.keys(CODES).filter((c) => !used.has(c) && !(c in NOT_COVERED));
    expect(missing).toEqual([]);
  });

  it.each(files)('%s reports exactly the annotated errors', (file) => {
    const source = readSource(file);
    const expected = parseAnnotations(source);
    expect(expected.problems).toEqual([]);
    const res = compile({ path: pathOf(file), source });
    const actual = actualErrors(res.diagnostics);
    expect(res.ok).toBe(false);
    expect(res.bytecode).toBeNull();
    expect(actual, `reported:\n${listing(res.diagnostics)}`).toEqual(expected.errors);
  });

  it.each(files)('%s: every diagnostic is well formed and renders', (file) => {
    const source = readSource(file);
    const path = pathOf(file);
    const { diagnostics } = compile({ path, source });
    expect(diagnostics.flatMap((d) => malformed(d, path, source))).toEqual([]);
    const text = renderDiagnostics(diagnostics, { [path]: source });
    for (const d of diagnostics) expect(text).toContain(d.code);
  });

  it('compile() never throws nor fails internally, also on every truncation of every file', () => {
    const failures: string[] = [];
    const check = (path: string, text: string) => {
      try {
        const res = compile({ path, source: text });
        const internal = res.diagnostics.find((d) => d.message.startsWith('internal compiler error'));
        if (internal) failures.push(`${path} cut at ${text.length}: ${internal.message}`);
      } catch (e) {
        failures.push(`${path} cut at ${text.length}: threw ${String(e)}`);
      }
    };
    // Unfinished code as typed in an editor: prefixes ending at each line break and, for this
    // corpus, in the middle of each line; the conformance programs add valid code cut short.
    for (const file of files) {
      for (const text of truncations(readSource(file), true)) check(pathOf(file), text);
    }
    for (const file of readdirSync(CONFORMANCE_DIR).filter((f) => f.endsWith('.py') && f !== 'oracle.py')) {
      const source = readFileSync(join(CONFORMANCE_DIR, file), 'utf8');
      for (const text of truncations(source, false)) check(`test/conformance/${file}`, text);
    }
    expect(failures).toEqual([]);
  });
});
