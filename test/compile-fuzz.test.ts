// Mutation fuzzing of the whole compiler: broken variants of real contracts must give
// diagnostics (or compile), never an internal compiler error, and anything that compiles
// must load in the TVM.

import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { compile } from '../compiler/index.ts';
import { loadModule } from '../tvm/index.ts';
import { stdlibResolver } from '../cli/stdlib.ts';
import { mulberry32 as prng } from './support/prng.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SEEDS = readdirSync(resolve(ROOT, 'examples')).filter((f) => f.endsWith('.py')).map((f) => `examples/${f}`);
const MUTANTS_PER_SEED = Number(process.env.ZV_FUZZ_MUTANTS ?? 300);


const TOKENS = ['self', 'msg.sender', '0', '-1', '2**255', '"x"', 'None', 'True', '[]', '{}', '(', ')', ':', '.', ',', '+', '/', 'not', 'return', 'pass', 'int', 'str', 'Address', 'Map[int, int]', 'list[int]', '\n', '    ', 'lambda x: x', 'x'];

function mutate(src: string, rnd: () => number): string {
  const lines = src.split('\n');
  const pick = (n: number) => Math.floor(rnd() * n);
  const ops = 1 + pick(3);
  for (let k = 0; k < ops; k++) {
    const i = pick(lines.length);
    switch (pick(6)) {
      case 0: lines.splice(i, 1); break; // delete a line
      case 1: lines.splice(pick(lines.length), 0, lines[i]!); break; // duplicate a line elsewhere
      case 2: { // swap two lines
        const j = pick(lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        break;
      }
      case 3: { // replace a word with a token
        const words = lines[i]!.split(/(\W+)/);
        const w = pick(words.length);
        words[w] = TOKENS[pick(TOKENS.length)]!;
        lines[i] = words.join('');
        break;
      }
      case 4: { // insert a token at a random column
        const line = lines[i]!;
        const c = pick(line.length + 1);
        lines[i] = line.slice(0, c) + TOKENS[pick(TOKENS.length)] + line.slice(c);
        break;
      }
      default: { // change the indentation
        lines[i] = (rnd() < 0.5 ? '    ' : '') + lines[i]!.replace(/^ {0,4}/, '');
      }
    }
  }
  return lines.join('\n');
}

describe('compiler mutation fuzzing', () => {
  it.each(SEEDS)('%s: no mutant crashes the compiler', (seedFile) => {
    const source = readFileSync(resolve(ROOT, seedFile), 'utf8');
    const resolveStd = stdlibResolver(ROOT);
    const rnd = prng(seedFile.length * 7919 + source.length + Number(process.env.ZV_FUZZ_SEED ?? 0));
    const crashes: string[] = [];
    let compiled = 0;
    for (let n = 0; n < MUTANTS_PER_SEED; n++) {
      const mutant = mutate(source, rnd);
      const res = compile({ path: seedFile, source: mutant, resolve: resolveStd });
      const internal = res.diagnostics.find((d) => d.message.startsWith('internal'));
      if (internal) crashes.push(`${internal.message}\n--- mutant ${n} ---\n${mutant}`);
      if (res.ok) {
        compiled++;
        expect(() => loadModule(res.bytecode!)).not.toThrow();
      }
      for (const d of res.diagnostics) {
        expect(d.span.start).toBeGreaterThanOrEqual(0);
        expect(d.message.length).toBeGreaterThan(0);
      }
    }
    expect(crashes.slice(0, 1)).toEqual([]);
    // the mutations are not all fatal: some variants still compile (a sanity check of the fuzzer)
    expect(compiled).toBeGreaterThan(0);
  });
});
