// Checker behaviour that the diagnostics corpus (errors only) does not cover: warnings,
// narrowing of Optional values, and what the checker accepts.

import { describe, expect, it } from 'vitest';
import { compile } from './index.ts';
import { loadModule, runFunction, pyRepr } from '../tvm/index.ts';

function check(source: string) {
  return compile({ path: 't.py', source });
}

function run(source: string, fn = 'main'): string {
  const r = check(source);
  expect(r.diagnostics.filter((d) => d.severity === 'error'), JSON.stringify(r.diagnostics)).toEqual([]);
  const out = runFunction(loadModule(r.bytecode!), fn, []);
  if (!out.ok) return `revert: ${out.reason}`;
  return pyRepr(out.returnType, out.value);
}

describe('warnings', () => {
  it('W0101 marks the first unreachable statement of a block, and the program still compiles', () => {
    const r = check([
      'def f(x: int) -> int:',
      '    return x',
      '    x += 1',
      '    return x',
      '',
      'def g() -> int:',
      '    while True:',
      '        pass',
      '    return 1',
    ].join('\n'));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.span.line])).toEqual([
      ['W0101', 'warning', 3],
      ['W0101', 'warning', 9],
    ]);
  });

  it('W0102 marks statements without effect, such as == written for =', () => {
    const r = check('def f(x: int) -> int:\n    x == 5\n    x + 1\n    print(x)\n    return x\n');
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.span.line])).toEqual([['W0102', 2], ['W0102', 3]]);
    expect(r.diagnostics[0]!.hint).toContain("'x = ...'");
  });

  it('no warning where every path can reach the code', () => {
    const r = check('def f(x: int) -> int:\n    if x > 0:\n        return 1\n    return 2\n');
    expect(r.diagnostics).toEqual([]);
  });
});

describe('Optional narrowing', () => {
  it('narrows through is None, is not None, truthiness, and, or, not', () => {
    expect(run([
      'from typing import Optional',
      'def pick(a: Optional[int], b: Optional[int]) -> int:',
      '    if a is not None and b is not None:',
      '        return a + b',
      '    if a is None or b is None:',
      '        if not (a is None):',
      '            return a',
      '        return -1',
      '    return 0',
      'def main() -> list[int]:',
      '    return [pick(1, 2), pick(5, None), pick(None, None)]',
    ].join('\n'))).toBe('[3, 5, -1]');
  });

  it('narrows after an early return and for assignments through the narrowed value', () => {
    expect(run([
      'from typing import Optional',
      'def f(d: Optional[dict[str, int]]) -> int:',
      '    if d is None:',
      '        return 0',
      '    d["x"] = 5',
      '    return d["x"] + len(d)',
      'def main() -> int:',
      '    return f({"a": 1}) + f(None)',
    ].join('\n'))).toBe('7');
  });

  it('an Optional used as its inner type without a check is an error with a hint', () => {
    const r = check('from typing import Optional\ndef f(a: Optional[int]) -> int:\n    return a + 1\n');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]!.code).toBe('E0303');
  });
});

describe('comprehension scope', () => {
  it('the outermost iterable is evaluated in the enclosing scope; the target does not leak', () => {
    expect(run([
      'def main() -> list[int]:',
      '    n = 3',
      '    xs = [n * 2 for n in range(n)]',
      '    ys = [x + y for x in [10, 20] for y in range(x // 10)]',
      '    return xs + ys + [n]',
    ].join('\n'))).toBe('[0, 2, 4, 10, 20, 21, 3]');
  });
});
