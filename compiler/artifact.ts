// The artifact `zv compile` writes: bytecode, ABI and source map of one compiled file, in
// JSON. Hashes are lowercase hex SHA-256 without prefix; the bytecode is 0x-prefixed hex.

import { sha256 } from '@noble/hashes/sha2.js';
import type { Abi, ModuleDef } from '../tvm/module.ts';
import type { SourceMapEntry } from './codegen.ts';
import { COMPILER_VERSION } from './version.ts';

/** [pc, file index, line, col, endLine, endCol] */
export type ArtifactMapEntry = [pc: number, file: number, line: number, col: number, endLine: number, endCol: number];

export interface Artifact {
  format: 'zv-artifact/1';
  compiler: { name: 'zvc'; version: string };
  contract: string | null;
  /** The compiled file. */
  source: { path: string; sha256: string };
  /** Every source file the module was built from (the compiled file first, then imports). */
  sources: { path: string; sha256: string }[];
  bytecode: string;
  bytecodeHash: string;
  abi: Abi;
  /** Per function (same order as the module's functions): entries sorted by pc. */
  sourceMap: { files: string[]; functions: { name: string; entries: ArtifactMapEntry[] }[] };
  /** Optional extra (e.g. printIR text for `--emit ir`); must be JSON-serializable. */
  ir?: unknown;
  stats: { instructions: number; functions: number; bytes: number };
}

export interface ArtifactInput {
  /** Source files with their text, the compiled file first. */
  sources: { path: string; text: string }[];
  /** The generated module (for the ABI, function names and statistics). */
  def: ModuleDef;
  /** The encoded module: encodeModule(def). */
  bytecode: Uint8Array;
  sourceMap: SourceMapEntry[][];
  ir?: unknown;
}

/** Thrown by buildArtifact for inconsistent input (no sources, source map of another module). */
export class ArtifactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArtifactError';
  }
}

const encoder = new TextEncoder();

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function sha256Hex(data: Uint8Array | string): string {
  return toHex(sha256(typeof data === 'string' ? encoder.encode(data) : data));
}

export function buildArtifact(args: ArtifactInput): Artifact {
  const { sources, def, bytecode, sourceMap } = args;
  const main = sources[0];
  if (!main) throw new ArtifactError('an artifact needs at least one source file');
  if (sourceMap.length !== def.functions.length)
    throw new ArtifactError(`source map has ${sourceMap.length} functions, the module ${def.functions.length}`);
  const files = sources.map((s) => s.path);
  const fileIndex = (path: string): number => {
    const i = files.indexOf(path);
    return i >= 0 ? i : files.push(path) - 1;
  };
  const functions = def.functions.map((f, i) => ({
    name: f.name,
    entries: sourceMap[i]!.map(
      (e): ArtifactMapEntry => [e.pc, fileIndex(e.file), e.line, e.col, e.endLine, e.endCol],
    ),
  }));
  const artifact: Artifact = {
    format: 'zv-artifact/1',
    compiler: { name: 'zvc', version: COMPILER_VERSION },
    contract: def.abi.contract,
    source: { path: main.path, sha256: sha256Hex(main.text) },
    sources: sources.map((s) => ({ path: s.path, sha256: sha256Hex(s.text) })),
    bytecode: '0x' + toHex(bytecode),
    bytecodeHash: sha256Hex(bytecode),
    abi: def.abi,
    sourceMap: { files, functions },
    stats: {
      instructions: def.functions.reduce((n, f) => n + f.code.length, 0),
      functions: def.functions.length,
      bytes: bytecode.length,
    },
  };
  if (args.ir !== undefined) artifact.ir = args.ir;
  return artifact;
}

/** The source position of instruction `pc` of function `fn` (e.g. where a revert happened):
 *  the entry with the greatest pc <= the given pc; null when there is none. */
export function locate(artifact: Artifact, fn: number, pc: number): { file: string; line: number; col: number } | null {
  const entries = artifact.sourceMap.functions[fn]?.entries;
  if (!entries) return null;
  let lo = 0;
  let hi = entries.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]![0] <= pc) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best < 0) return null;
  const e = entries[best]!;
  const file = artifact.sourceMap.files[e[1]];
  return file === undefined ? null : { file, line: e[2], col: e[3] };
}
