// The compiler's public entry: source text in, diagnostics or an artifact out.
// Pipeline: parse (parser.ts) → declarations and imports (declare.ts) → checking and lowering
// to IR (lower.ts) → optimization (optimize.ts) → TVM code generation (codegen.ts) → artifact.
// It never throws on bad input: every problem becomes a diagnostic.

import { DiagnosticBag, type Diagnostic } from './diagnostics.ts';
import { Declarer, type Resolver, type SourceFile } from './declare.ts';
import { ModuleLowerer } from './lower.ts';
import { optimize } from './optimize.ts';
import { generate } from './codegen.ts';
import { buildArtifact, type Artifact } from './artifact.ts';
import type { IRModule } from './ir.ts';
import type { ModuleDef } from '../tvm/module.ts';
import { encodeModule } from '../tvm/format.ts';

export interface CompileInput {
  path: string;
  source: string;
  /** Finds imported stdlib modules ("stdlib.math" → its source). Without it, stdlib imports fail with E0401. */
  resolve?: Resolver;
  /** Optimization level: 0 none, 1 local (folding, propagation, dead code, CFG cleanup), 2 (default) also reuses storage/context reads, hoists constants and rotates loops. */
  optimize?: 0 | 1 | 2;
  /** Keep debug info (source positions) in the bytecode. Default true. */
  debug?: boolean;
}

export interface CompileResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The optimized IR (also present when only later stages failed). */
  ir: IRModule | null;
  module: ModuleDef | null;
  bytecode: Uint8Array | null;
  artifact: Artifact | null;
  /** Every source read (the main file and linked stdlib modules), by path. */
  sources: Record<string, string>;
}

export function compile(input: CompileInput): CompileResult {
  const diags = new DiagnosticBag();
  const sources: Record<string, string> = {};
  const fail = (ir: IRModule | null = null): CompileResult => ({
    ok: false, diagnostics: sortDiagnostics(diags.items), ir, module: null, bytecode: null, artifact: null, sources,
  });
  try {
    const declarer = new Declarer(diags, input.resolve);
    const prog = declarer.declareMain({ path: input.path, source: input.source });
    for (const f of prog.files) sources[f.path] = f.source;
    if (diags.hasErrors && hasSyntaxErrors(diags.items)) return fail();
    const ir = new ModuleLowerer(prog, diags).lower();
    if (diags.hasErrors) return fail(ir);
    const level = input.optimize ?? 2;
    const opt = optimize(ir, level);
    // optimize() validates the IR at levels 1 and 2 (and keeps it valid): not twice.
    const { def, sourceMap } = generate(opt, { debug: input.debug ?? true, validate: level === 0 });
    const bytecode = encodeModule(def);
    const artifact = buildArtifact({
      sources: prog.files.map((f) => ({ path: f.path, text: f.source })), def, bytecode, sourceMap,
    });
    return { ok: true, diagnostics: sortDiagnostics(diags.items), ir: opt, module: def, bytecode, artifact, sources };
  } catch (e) {
    // A bug in the compiler must not become a stack trace for the user: report it as a diagnostic.
    const msg = e instanceof Error ? e.message : String(e);
    diags.error('E0420', `internal compiler error: ${msg}`, {
      file: input.path, start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1,
    }, 'please report this with the contract that triggers it');
    return fail();
  }
}

function hasSyntaxErrors(ds: Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error' && d.code.startsWith('E00'));
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => (a.span.file === b.span.file ? a.span.start - b.span.start : 0));
}

export type { Artifact, Diagnostic, IRModule, Resolver, SourceFile };
export { COMPILER_VERSION } from './version.ts';
