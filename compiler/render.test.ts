import { describe, expect, it } from 'vitest';
import type { Diagnostic, Span } from './diagnostics.ts';
import { diag } from './diagnostics.ts';
import { parse } from './parser.ts';
import { renderDiagnostic, renderDiagnostics, summaryLine } from './render.ts';

/** A span over `text` at its first occurrence on 1-based `line` of `source`. */
function spanOf(source: string, line: number, text: string, file = 'token.py'): Span {
  const lines = source.split('\n');
  const col = lines[line - 1]!.indexOf(text) + 1;
  expect(col).toBeGreaterThan(0);
  let start = 0;
  for (let i = 0; i < line - 1; i++) start += lines[i]!.length + 1;
  start += col - 1;
  return { file, start, end: start + text.length, line, col, endLine: line, endCol: col + text.length };
}

const TOKEN = [
  'from zvchain import Contract, public',
  '',
  'class Token(Contract):',
  '    total: int',
  '    holders: int',
  '',
  '    @public',
  '    def split(self, n: int) -> int:',
  '        total = self.total',
  '        if n == 0:',
  '            return 0',
  '        share = total / n',
  '        return share',
  '',
].join('\n');

describe('renderDiagnostic', () => {
  it('renders the rustc/Elm layout with label and hint', () => {
    const d = diag('E0402', 'true division `/` is not supported', spanOf(TOKEN, 12, '/'), 'write `total // n`; contracts have no floats');
    d.label = 'integer division is `//`';
    expect(renderDiagnostic(d, TOKEN)).toBe([
      'error[E0402]: true division `/` is not supported',
      '  --> token.py:12:23',
      '   |',
      '12 |         share = total / n',
      '   |                       ^ integer division is `//`',
      '   |',
      '   = hint: write `total // n`; contracts have no floats',
    ].join('\n'));
  });

  it('underlines the whole span and adapts the gutter to the line number', () => {
    const d = diag('E0201', "undefined name 'self'", spanOf(TOKEN, 9, 'self.total'));
    expect(renderDiagnostic(d, TOKEN)).toBe([
      "error[E0201]: undefined name 'self'",
      ' --> token.py:9:17',
      '  |',
      '9 |         total = self.total',
      '  |                 ^^^^^^^^^^',
    ].join('\n'));
    const long = 'x = 1\n'.repeat(99) + 'y = zz\n';
    const e = renderDiagnostic(diag('E0201', "undefined name 'zz'", spanOf(long, 100, 'zz')), long);
    expect(e.split('\n').slice(1)).toEqual(['   --> token.py:100:5', '    |', '100 | y = zz', '    |     ^^']);
  });

  it('marks only the first line of a multi-line span, up to its end', () => {
    const src = 'x = foo(a,\n        b)\n';
    const span: Span = { file: 'm.py', start: 4, end: 20, line: 1, col: 5, endLine: 2, endCol: 11 };
    expect(renderDiagnostic(diag('E0301', 'type mismatch', span), src).split('\n').slice(3)).toEqual([
      '1 | x = foo(a,', '  |     ^^^^^^',
    ]);
  });

  it('expands tabs the same way in the line and under it', () => {
    const src = 'if x:\n\ty = a\t/ b\n';
    const d = diag('E0402', 'true division `/` is not supported', spanOf(src, 2, '/', 't.py'));
    const lines = renderDiagnostic(d, src).split('\n');
    expect(lines[3]).toBe('2 |     y = a   / b');
    expect(lines[4]).toBe('  |             ^');
    expect(lines[3]!.indexOf('/')).toBe(lines[4]!.indexOf('^'));
  });

  it('counts a character outside the BMP as one column', () => {
    const src = 's = "😀" + 1\n';
    const d = diag('E0303', 'operator not supported', spanOf(src, 1, '+', 't.py'));
    const lines = renderDiagnostic(d, src).split('\n');
    expect([...lines[3]!].indexOf('+')).toBe([...lines[4]!].indexOf('^'));
  });

  it('puts one caret after the line for an empty span at its end', () => {
    const src = 'def f()\n    pass\n';
    const r = parse(src, 'f.py');
    expect(renderDiagnostic(r.diagnostics[0]!, src)).toBe([
      "error[E0011]: expected ':' after the function signature",
      ' --> f.py:1:8',
      '  |',
      '1 | def f()',
      '  |        ^',
    ].join('\n'));
  });

  it('renders without the snippet when the source does not have the line', () => {
    const d = diag('E0001', 'invalid character', { file: 'gone.py', start: 50, end: 51, line: 7, col: 3, endLine: 7, endCol: 4 }, 'remove it');
    expect(renderDiagnostic(d, 'x = 1\n')).toBe(['error[E0001]: invalid character', ' --> gone.py:7:3', '  |', '  = hint: remove it'].join('\n'));
  });

  it('uses ANSI colours only when asked', () => {
    const d = diag('E0402', 'true division', spanOf(TOKEN, 12, '/'), 'use //');
    const plain = renderDiagnostic(d, TOKEN);
    expect(plain).not.toContain('\x1b[');
    expect(renderDiagnostic(d, TOKEN, { color: false })).toBe(plain);
    const colored = renderDiagnostic(d, TOKEN, { color: true });
    expect(colored).toContain('\x1b[1;31merror[E0402]\x1b[0m');
    expect(colored).toContain('\x1b[1;34m12\x1b[0m \x1b[1;34m|\x1b[0m');
    expect(colored).toContain('\x1b[1;31m^\x1b[0m');
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
    const w: Diagnostic = { ...d, severity: 'warning' };
    expect(renderDiagnostic(w, TOKEN, { color: true })).toContain('\x1b[1;33mwarning[E0402]\x1b[0m');
  });
});

describe('renderDiagnostics', () => {
  it('renders each diagnostic with its own file, separated by blank lines', () => {
    const a = 'x = $\n';
    const b = 'y = 1\nz = (\n';
    const ds = [...parse(a, 'a.py').diagnostics, ...parse(b, 'b.py').diagnostics];
    const out = renderDiagnostics(ds, { 'a.py': a, 'b.py': b });
    expect(out).toBe([
      "error[E0001]: invalid character '$' (U+0024)",
      ' --> a.py:1:5',
      '  |',
      '1 | x = $',
      '  |     ^',
      '',
      "error[E0011]: '(' was never closed",
      ' --> b.py:2:5',
      '  |',
      '2 | z = (',
      '  |     ^',
      '  |',
      "  = hint: add the matching ')'",
    ].join('\n'));
    expect(renderDiagnostics([], {})).toBe('');
  });

  it('does not throw for a file without source', () => {
    const ds = parse('x = 1 +\n', 'a.py').diagnostics;
    expect(renderDiagnostics(ds, {})).toContain('--> a.py:1:8');
  });
});

describe('summaryLine', () => {
  const e = diag('E0001', 'x', { file: 'token.py', start: 0, end: 1, line: 1, col: 1, endLine: 1, endCol: 2 });
  const w: Diagnostic = { ...e, severity: 'warning' };

  it('counts errors and warnings', () => {
    expect(summaryLine([e, e, e], 'token.py')).toBe('error: could not compile token.py: 3 errors');
    expect(summaryLine([e])).toBe('error: could not compile token.py: 1 error');
    expect(summaryLine([e, w, w], 'token.py')).toBe('error: could not compile token.py: 1 error, 2 warnings');
    expect(summaryLine([w])).toBe('warning: token.py: 1 warning');
    expect(summaryLine([])).toBe('');
  });

  it('names several files by their count', () => {
    const other = { ...e, span: { ...e.span, file: 'lib.py' } };
    expect(summaryLine([e, other])).toBe('error: could not compile 2 files: 2 errors');
  });

  it('colours the severity only when asked', () => {
    expect(summaryLine([e], 'token.py', { color: true })).toBe('\x1b[1;31merror\x1b[0m\x1b[1m: could not compile token.py: 1 error\x1b[0m');
  });
});
