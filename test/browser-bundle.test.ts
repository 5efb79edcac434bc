// The compiler and the TVM also run in the browser (the IDE bundles them with esbuild), so
// they must not depend on Node: bundling them for the browser platform must succeed.

import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

describe('browser bundle', () => {
  it.each(['compiler/index.ts', 'tvm/index.ts', 'compiler/render.ts'])('%s bundles for the browser without Node modules', async (entry) => {
    const result = await build({
      entryPoints: [resolve(ROOT, entry)],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from ["']node:/);
    expect(code.length).toBeGreaterThan(1_000);
  });
});
