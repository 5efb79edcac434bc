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

/** Two lowercase hex digits per byte value. */
const HEX_PAIRS: string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  // Pairs joined in chunks: far cheaper than padStart per byte, and no huge argument lists.
  let s = '';
  const chunk: string[] = [];
  for (let i = 0; i < bytes.length; i += 4096) {
    const end = Math.min(bytes.length, i + 4096);
    chunk.length = end - i;
    for (let j = i; j < end; j++) chunk[j - i] = HEX_PAIRS[bytes[j]!]!;
    s += chunk.join('');
  }
  return s;
}

export function sha256Hex(data: Uint8Array | string): string {
  return toHex(sha256(typeof data === 'string' ? encoder.encode(data) : data));
}

/**
 * Hashes of source texts seen recently. A process that compiles again and again (the IDE as
 * the user types, `npm run bench`, a test suite) hashes the same stdlib modules every time;
 * a Map lookup by text costs a fraction of a SHA-256. Bounded: cleared when full.
 */
const sourceHashes = new Map<string, string>();
const SOURCE_HASHES_MAX = 64;

function sourceHash(text: string): string {
  let h = sourceHashes.get(text);
  if (h === undefined) {
    h = sha256Hex(text);
    if (sourceHashes.size >= SOURCE_HASHES_MAX) sourceHashes.clear();
    sourceHashes.set(text, h);
  }
  return h;
}

/**
 * Builds the artifact. The hashes and the hex form of the bytecode are computed when first
 * read (compile() builds an artifact on every call, and the IDE compiling as the user types
 * reads none of them); they are ordinary enumerable properties from the outside, so
 * JSON.stringify, spreading and structured cloning see plain values.
 */
export function buildArtifact(args: ArtifactInput): Artifact {
  const { sources, def, sourceMap } = args;
  const main = sources[0];
  if (!main) throw new ArtifactError('an artifact needs at least one source file');
  if (sourceMap.length !== def.functions.length)
    throw new ArtifactError(`source map has ${sourceMap.length} functions, the module ${def.functions.length}`);
  const bytecode = args.bytecode.slice(); // the artifact describes these bytes, whatever the caller does later
  const files = sources.map((s) => s.path);
  const fileIndex = new Map<string, number>();
  for (let i = files.length - 1; i >= 0; i--) fileIndex.set(files[i]!, i); // the first of duplicates wins
  const functions = def.functions.map((f, i) => ({ name: f.name, entries: mapEntries(sourceMap[i]!, files, fileIndex) }));
  const hashed = sources.map((s) => hashedSource(s.path, s.text));
  let instructions = 0;
  for (const f of def.functions) instructions += f.code.length;
  const artifact: Artifact = {
    format: 'zv-artifact/1',
    compiler: { name: 'zvc', version: COMPILER_VERSION },
    contract: def.abi.contract,
    source: hashedSource(main.path, main.text),
    sources: hashed,
    bytecode: '',
    bytecodeHash: '',
    abi: def.abi,
    sourceMap: { files, functions },
    stats: {
      instructions,
      functions: def.functions.length,
      bytes: bytecode.length,
    },
  };
  lazyField(artifact, 'bytecode', () => '0x' + toHex(bytecode));
  lazyField(artifact, 'bytecodeHash', () => sha256Hex(bytecode));
  if (args.ir !== undefined) artifact.ir = args.ir;
  return artifact;
}

function hashedSource(path: string, text: string): { path: string; sha256: string } {
  const entry = { path, sha256: '' };
  lazyField(entry, 'sha256', () => sourceHash(text));
  return entry;
}

/** Makes obj[key] (already present, so it keeps its place in the key order) an enumerable
 *  property computed on first read, after which it is a plain data property. */
function lazyField<T extends object, K extends keyof T & string>(obj: T, key: K, compute: () => T[K]): void {
  const settle = (value: T[K]): T[K] => {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
    return value;
  };
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get: () => settle(compute()),
    set: settle,
  });
}

/** One function's source map in the artifact's form; files not listed yet are appended. */
function mapEntries(entries: SourceMapEntry[], files: string[], fileIndex: Map<string, number>): ArtifactMapEntry[] {
  const out: ArtifactMapEntry[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    let fi = fileIndex.get(e.file);
    if (fi === undefined) {
      fi = files.push(e.file) - 1;
      fileIndex.set(e.file, fi);
    }
    out[i] = [e.pc, fi, e.line, e.col, e.endLine, e.endCol];
  }
  return out;
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
