// Resolves `from stdlib.NAME import ...` to files of the repository's stdlib/ folder.
// The compiler itself reads no files (it also runs in the browser); this is the Node side.

import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import type { Resolver } from '../compiler/index.ts';

export const STDLIB_DIR = fileURLToPath(new URL('../stdlib/', import.meta.url));

/** A resolver for stdlib modules; paths in diagnostics are shown relative to `cwd`. */
export function stdlibResolver(cwd: string = process.cwd()): Resolver {
  return (modulePath: string) => {
    if (!/^stdlib(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(modulePath)) return undefined;
    const file = join(STDLIB_DIR, ...modulePath.split('.').slice(1)) + '.py';
    if (!existsSync(file)) return undefined;
    const rel = relative(cwd, file);
    return { path: rel.startsWith('..') ? file : rel, source: readFileSync(file, 'utf8') };
  };
}
