// Raw TVM instruction rate: hand-assembled tight loops, run through the public API
// (runFunction on a loaded module), counting the instructions each loop executes; once with
// the interpreter (the reference engine) and once with the JIT (tvm/jit.ts, the default).
//
//   node bin/run-ts.js bench/tvm-raw.ts
//
// Each measure is the median of several runs after a warm-up; "M instr/s" counts executed
// module instructions (the loader's GAS pseudo-ops are not counted: they are not instructions
// of the module).

import { pathToFileURL } from 'node:url';
import { Asm } from '../tvm/asm.ts';
import { encodeModule, loadModule, runFunction, type LoadedModule } from '../tvm/index.ts';
import { getEngine, setEngine, type Engine } from '../tvm/jit.ts';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

interface Loop {
  name: string;
  fn: string;
  /** Instructions executed per iteration, and outside the loop. */
  perIter: number;
  fixed: number;
}

function buildModule(): LoadedModule {
  const a = new Asm();
  // i = 0; do { i += 1 } while (i < n): ADD, LT, JT per iteration
  a.fn('count', [['n', 'int']], 'int', 4, [
    ['LOADI', 1, 0],
    ['LOADI', 2, 1],
    'loop:',
    ['ADD', 1, 1, 2],
    ['LT', 3, 1, 0],
    ['JT', 3, 'loop'],
    ['RET', 1],
  ]);
  // acc = (acc * 31 + i) % 1000003 for i in range(n): MUL, ADD, MOD, ADD, LT, JT per iteration
  a.fn('arith', [['n', 'int']], 'int', 8, [
    ['LOADI', 1, 0], // i
    ['LOADI', 2, 1], // one
    ['LOADI', 3, 7], // acc
    ['LOADI', 4, 31],
    ['LOADI', 5, 1000003],
    'loop:',
    ['MUL', 3, 3, 4],
    ['ADD', 3, 3, 1],
    ['MOD', 3, 3, 5],
    ['ADD', 1, 1, 2],
    ['LT', 6, 1, 0],
    ['JT', 6, 'loop'],
    ['RET', 3],
  ]);
  // s += xs[i % 4] over a 4-element list: MOD, GETITEM, ADD, ADD, LT, JF, JMP per iteration
  a.fn('index', [['n', 'int']], 'int', 10, [
    ['LOADI', 1, 0], // i
    ['LOADI', 2, 1],
    ['LOADI', 3, 0], // s
    ['LOADI', 4, 4],
    ['NEWLIST', 5, [1, 2, 3, 4]],
    'loop:',
    ['MOD', 6, 1, 4],
    ['GETITEM', 7, 5, 6],
    ['ADD', 3, 3, 7],
    ['ADD', 1, 1, 2],
    ['LT', 8, 1, 0],
    ['JF', 8, 'done'],
    ['JMP', 'loop'],
    'done:',
    ['RET', 3],
  ]);
  return loadModule(encodeModule(a.build()));
}

const LOOPS: Loop[] = [
  { name: 'ADD/LT/JT loop', fn: 'count', perIter: 3, fixed: 3 },
  { name: 'MUL/ADD/MOD loop', fn: 'arith', perIter: 6, fixed: 6 },
  { name: 'list indexing loop', fn: 'index', perIter: 7, fixed: 6 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(mod: LoadedModule, loop: Loop, n: number): number {
  runFunction(mod, loop.fn, [100_000], { gasLimit: 1e12 }); // warm-up: let V8 optimize
  const rates: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    const r = runFunction(mod, loop.fn, [n], { gasLimit: 1e12 });
    const secs = (performance.now() - t0) / 1000;
    if (!r.ok) throw new Error(`${loop.fn} reverted: ${r.reason}`);
    rates.push((loop.perIter * n + loop.fixed) / secs / 1e6);
  }
  return median(rates);
}

const ENGINES: { engine: Engine; suffix: string; n: number }[] = [
  { engine: 'interp', suffix: '', n: 5_000_000 },
  { engine: 'jit', suffix: ' (JIT)', n: 20_000_000 },
];

export async function benchTvmRaw(): Promise<BenchResult[]> {
  const mod = buildModule();
  const results: BenchResult[] = [];
  const before = getEngine();
  try {
    for (const { engine, suffix, n } of ENGINES) {
      setEngine(engine);
      for (const loop of LOOPS) results.push({ name: loop.name + suffix, value: measure(mod, loop, n), unit: 'M instr/s' });
    }
  } finally {
    setEngine(before);
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await benchTvmRaw()) console.log(`${r.name.padEnd(24)} ${r.value.toFixed(1).padStart(8)} ${r.unit}`);
}
