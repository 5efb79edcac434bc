// Shared by the commands: read a contract file and compile it, turning every failure into
// rendered diagnostics or a CliError (never a stack trace).

import { readFileSync, statSync } from 'node:fs';
import { compile, type CompileResult } from '../compiler/index.ts';
import { renderDiagnostics } from '../compiler/render.ts';
import { stdlibResolver } from './stdlib.ts';
import { CliError } from './output.ts';

export function readSource(file: string): string {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new CliError(`cannot read '${file}': no such file`, 1);
  }
  if (st.isDirectory()) throw new CliError(`'${file}' is a directory, not a contract file`, 1);
  if (st.size > 4 * 1024 * 1024) throw new CliError(`'${file}' is larger than 4 MiB; that is not a contract`, 1);
  const buf = readFileSync(file);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
  if (text.includes('\u0000')) throw new CliError(`'${file}' is a binary file, not Python source`, 1);
  return text;
}

export function compileFile(file: string, opts: { optimize?: 0 | 1 | 2 } = {}): CompileResult {
  const source = readSource(file);
  return compile({ path: file, source, resolve: stdlibResolver(), optimize: opts.optimize ?? 2 });
}

/** Rendered diagnostics for the terminal. */
export function formatDiagnostics(res: CompileResult, color: boolean): string {
  return renderDiagnostics(res.diagnostics, res.sources, { color });
}
