// `zv compile FILE [-o DIR] [--json] [--emit ir] [-O N]`

import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { printIR } from '../compiler/ir-print.ts';
import { disassemble } from '../tvm/disasm.ts';
import { summaryLine } from '../compiler/render.ts';
import { compileFile, formatDiagnostics } from './project.ts';
import { CliError, paint, toJson, useColor } from './output.ts';

export interface CompileOptions {
  out?: string;
  json?: boolean;
  emit?: string;
  opt?: string;
}

export function compileCommand(file: string, opts: CompileOptions): number {
  const level = parseOptLevel(opts.opt);
  if (opts.emit !== undefined && opts.emit !== 'ir' && opts.emit !== 'asm') {
    throw new CliError(`--emit takes 'ir' or 'asm', not '${opts.emit}'`, 2);
  }
  const res = compileFile(file, { optimize: level });
  if (opts.json) {
    const out: Record<string, unknown> = { ok: res.ok, diagnostics: res.diagnostics };
    if (res.ok && res.artifact) {
      const path = writeArtifact(file, res.artifact, opts.out);
      out.artifact = path;
      out.contract = res.artifact.contract;
      out.bytecodeHash = res.artifact.bytecodeHash;
      out.size = res.artifact.stats.bytes;
    }
    process.stdout.write(toJson(out) + '\n');
    return res.ok ? 0 : 1;
  }
  const errColor = useColor(process.stderr);
  if (!res.ok) {
    process.stderr.write(formatDiagnostics(res, errColor) + '\n');
    process.stderr.write(summaryLine(res.diagnostics, file, { color: errColor }) + '\n');
    return 1;
  }
  if (res.diagnostics.length > 0) process.stderr.write(formatDiagnostics(res, errColor) + '\n');
  if (opts.emit === 'ir' && res.ir) {
    process.stdout.write(printIR(res.ir) + '\n');
    return 0;
  }
  if (opts.emit === 'asm' && res.module) {
    process.stdout.write(disassemble(res.module));
    return 0;
  }
  const art = res.artifact!;
  const path = writeArtifact(file, art, opts.out);
  const color = useColor();
  const name = art.contract ?? basename(file);
  process.stdout.write(`${paint(color, 'green', 'compiled')} ${name}: ${art.stats.bytes} bytes, ${art.stats.functions} functions, ${art.stats.instructions} instructions\n`);
  process.stdout.write(`  artifact  ${path}\n  bytecode  sha256 ${art.bytecodeHash}\n`);
  return 0;
}

function parseOptLevel(opt: string | undefined): 0 | 1 | 2 {
  if (opt === undefined) return 2;
  if (opt === '0' || opt === '1' || opt === '2') return Number(opt) as 0 | 1 | 2;
  throw new CliError(`-O takes 0, 1 or 2, not '${opt}'`, 2);
}

function writeArtifact(file: string, artifact: { contract: string | null }, outDir = 'out'): string {
  mkdirSync(outDir, { recursive: true });
  const stem = artifact.contract ?? basename(file).replace(/\.py$/, '');
  const path = join(outDir, `${stem}.json`);
  writeFileSync(path, toJson(artifact) + '\n');
  return path;
}
