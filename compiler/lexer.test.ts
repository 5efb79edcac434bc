import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KEYWORDS, Tk, computeLineStarts, isIdentifier, lineOfOffset, tokenize, type StringInfo, type Token } from './lexer.ts';

const KIND_NAMES = ['EOF', 'NEWLINE', 'INDENT', 'DEDENT', 'NAME', 'KEYWORD', 'INT', 'FLOAT', 'STRING', 'OP'];

/** Compact token listing: NAME:x OP:( INT:1 NEWLINE ... */
function kinds(src: string): string {
  return tokenize(src, 't.py').tokens.map((t) => {
    const k = KIND_NAMES[t.kind]!;
    return t.kind === Tk.Name || t.kind === Tk.Keyword || t.kind === Tk.Op || t.kind === Tk.Int || t.kind === Tk.Float ? `${k}:${t.value}` : k;
  }).join(' ');
}

function pos(t: Token): string {
  return `${t.line}:${t.col}-${t.endLine}:${t.endCol}`;
}

function codes(src: string): string[] {
  return tokenize(src, 't.py').diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.col}`);
}

const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Evaluates Python literals with CPython: strings as text, bytes as arrays, ints as decimal text. */
function pythonValues(literals: string[]): unknown[] {
  const script = `
import ast, json, sys, warnings
warnings.simplefilter('ignore')
out = []
for src in json.load(sys.stdin):
    v = ast.literal_eval(src)
    out.append(list(v) if isinstance(v, bytes) else str(v) if isinstance(v, int) else v)
print(json.dumps(out))`;
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(literals) }).toString()) as unknown[];
}

function lexValue(src: string): unknown {
  const r = tokenize(src, 't.py');
  expect(r.diagnostics).toEqual([]);
  const toks = r.tokens.filter((t) => t.kind === Tk.String || t.kind === Tk.Int);
  expect(toks.length).toBe(1);
  const t = toks[0]!;
  if (t.kind === Tk.Int) return (t.lit as bigint).toString();
  const v = (t.lit as StringInfo).value;
  return v instanceof Uint8Array ? Array.from(v) : v;
}

describe('layout tokens', () => {
  it('emits INDENT, DEDENT and NEWLINE like CPython', () => {
    expect(kinds('if x:\n    y\n    if z:\n        w\nv\n')).toBe(
      'KEYWORD:if NAME:x OP:: NEWLINE INDENT NAME:y NEWLINE KEYWORD:if NAME:z OP:: NEWLINE INDENT NAME:w NEWLINE DEDENT DEDENT NAME:v NEWLINE EOF');
  });

  it('ignores blank lines, comment-only lines and trailing comments', () => {
    expect(kinds('a = 1  # one\n\n   # indented comment\n\t\nb\n# end')).toBe('NAME:a OP:= INT:1 NEWLINE NAME:b NEWLINE EOF');
  });

  it('closes open blocks at end of file and adds the final NEWLINE', () => {
    expect(kinds('def f():\n  return 1')).toBe('KEYWORD:def NAME:f OP:( OP:) OP:: NEWLINE INDENT KEYWORD:return INT:1 NEWLINE DEDENT EOF');
  });

  it('joins lines inside brackets and after a backslash', () => {
    expect(kinds('x = (1,\n     2)\ny = 1 + \\\n  2\n')).toBe('NAME:x OP:= OP:( INT:1 OP:, INT:2 OP:) NEWLINE NAME:y OP:= INT:1 OP:+ INT:2 NEWLINE EOF');
  });

  it('ignores a byte-order mark at the start of the file', () => {
    expect(kinds('\ufeffx = 1\n')).toBe('NAME:x OP:= INT:1 NEWLINE EOF');
    expect(codes('x = \ufeff1\n')).toEqual(['E0001@1:5']);
  });

  it('gives the empty file only EOF', () => {
    expect(kinds('')).toBe('EOF');
    expect(kinds('\n\n# c\n')).toBe('EOF');
  });

  it('handles CRLF and lone CR line endings', () => {
    expect(kinds('a\r\nif b:\r\n  c\rd')).toBe('NAME:a NEWLINE KEYWORD:if NAME:b OP:: NEWLINE INDENT NAME:c NEWLINE DEDENT NAME:d NEWLINE EOF');
    const t = tokenize('a\r\nbb\rc', 't.py').tokens;
    expect(t.map(pos)).toEqual(['1:1-1:2', '1:2-2:1', '2:1-2:3', '2:3-3:1', '3:1-3:2', '3:2-3:2', '3:2-3:2']);
  });

  it('accepts tabs used consistently', () => {
    expect(codes('if a:\n\tb\n\tif c:\n\t\td\n')).toEqual([]);
  });

  it('rejects tabs and spaces mixed inconsistently (E0003)', () => {
    expect(codes('if a:\n\tb\n        c\n')).toEqual(['E0003@3:1']);
    expect(codes('if a:\n    b\n\tc\n')).toEqual(['E0003@3:1']);
  });

  it('reports an unindent matching no outer level (E0003)', () => {
    const r = tokenize('if a:\n    b\n  c\n', 't.py');
    expect(r.diagnostics.map((d) => d.message)).toEqual(['unindent does not match any outer indentation level']);
  });

  it('rejects too many levels of indentation', () => {
    let src = '';
    for (let i = 0; i < 110; i++) src += ' '.repeat(i) + 'if x:\n';
    src += ' '.repeat(110) + 'pass\n';
    expect(tokenize(src, 't.py').diagnostics.some((d) => d.message === 'too many levels of indentation')).toBe(true);
  });
});

describe('spans', () => {
  it('gives exact 1-based line/col and UTF-16 offsets, end exclusive', () => {
    const r = tokenize('def f(x):\n    return x ** 2\n', 't.py');
    const toks = r.tokens.filter((t) => t.kind > Tk.Dedent);
    expect(toks.map((t) => `${t.value}@${pos(t)}`)).toEqual([
      'def@1:1-1:4', 'f@1:5-1:6', '(@1:6-1:7', 'x@1:7-1:8', ')@1:8-1:9', ':@1:9-1:10',
      'return@2:5-2:11', 'x@2:12-2:13', '**@2:14-2:16', '2@2:17-2:18',
    ]);
    expect(toks[6]!.start).toBe(14);
    expect(toks[6]!.end).toBe(20);
  });

  it('spans multi-line strings over their lines', () => {
    const r = tokenize('x = """a\nbc"""\ny', 't.py');
    const s = r.tokens.find((t) => t.kind === Tk.String)!;
    expect(pos(s)).toBe('1:5-2:6');
    expect(r.tokens.find((t) => t.value === 'y')!.line).toBe(3);
  });

  it('counts columns in UTF-16 units', () => {
    const r = tokenize('s = "😀"; t = 1', 't.py');
    expect(pos(r.tokens.find((t) => t.value === 't')!)).toBe('1:11-1:12');
  });

  it('maps offsets to lines', () => {
    const starts = computeLineStarts('ab\ncd\r\nef\rg');
    expect(starts).toEqual([0, 3, 7, 10]);
    expect([0, 2, 3, 6, 7, 10].map((o) => lineOfOffset(starts, o))).toEqual([1, 1, 2, 2, 3, 4]);
  });
});

describe('names and keywords', () => {
  it('separates keywords from names (soft keywords are names)', () => {
    expect(kinds('if match case type _ None True lambda')).toBe(
      'KEYWORD:if NAME:match NAME:case NAME:type NAME:_ KEYWORD:None KEYWORD:True KEYWORD:lambda NEWLINE EOF');
    expect(KEYWORDS.size).toBe(35);
  });

  it('accepts Unicode identifiers (NFKC-normalized) and rejects other characters (E0001)', () => {
    expect(kinds('naïve = 𝔘 + 変数')).toBe('NAME:naïve OP:= NAME:U OP:+ NAME:変数 NEWLINE EOF');
    expect(isIdentifier('変数')).toBe(true);
    expect(isIdentifier('1x')).toBe(false);
    const r = tokenize('x = 1 € 2 $ ?', 't.py');
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "invalid character '€' (U+20AC)", "invalid character '$' (U+0024)", "invalid character '?' (U+003F)",
    ]);
    expect(kinds('x = 1 € 2')).toBe('NAME:x OP:= INT:1 INT:2 NEWLINE EOF');
    expect(tokenize('a\u00a0b', 't.py').diagnostics[0]!.message).toBe('invalid non-printable character U+00A0');
  });
});

describe('operators and brackets', () => {
  it('tokenizes every operator greedily', () => {
    const ops = '+ - * / // % ** @ << >> & | ^ ~ := < > <= >= == != ( ) [ ] { } , : ; . ... -> = += -= *= /= //= %= @= &= |= ^= >>= <<= **=';
    const r = tokenize(ops, 't.py');
    expect(r.diagnostics).toEqual([]);
    expect(r.tokens.filter((t) => t.kind === Tk.Op).map((t) => t.value).join(' ')).toBe(ops);
    expect(kinds('a**=b//c->d')).toBe('NAME:a OP:**= NAME:b OP:// NAME:c OP:-> NAME:d NEWLINE EOF');
  });

  it('drops an unmatched closer with a diagnostic', () => {
    const r = tokenize('x = 1)\n', 't.py');
    expect(r.diagnostics.map((d) => d.message)).toEqual(["unmatched ')'"]);
    expect(kinds('x = 1)\n')).toBe('NAME:x OP:= INT:1 NEWLINE EOF');
  });

  it('treats a mismatched closer as the expected one', () => {
    const r = tokenize('f(a]\n', 't.py');
    expect(r.diagnostics.map((d) => d.message)).toEqual(["closing parenthesis ']' does not match opening parenthesis '('"]);
    expect(kinds('f(a]\n')).toBe('NAME:f OP:( NAME:a OP:) NEWLINE EOF');
    expect(kinds('f([a)\n')).toBe('NAME:f OP:( OP:[ NAME:a OP:] OP:) NEWLINE EOF');
  });

  it('closes brackets never closed at end of file, pointing at the outermost opener', () => {
    const r = tokenize('x = [1, (2,\n', 't.py');
    expect(r.diagnostics.map((d) => `${d.message}@${d.span.line}:${d.span.col}`)).toEqual(["'[' was never closed@1:5"]);
    const closers = r.tokens.filter((t) => t.synthetic);
    expect(closers.map((t) => `${t.value}@${t.start}`)).toEqual([')@11', ']@11']);
    expect(r.unclosedAt).toBe(4);
  });

  it('recovers at a statement keyword when a bracket was never closed', () => {
    const src = 'x = foo(1,\ndef g():\n    return 2\n';
    const r = tokenize(src, 't.py');
    expect(r.diagnostics.map((d) => `${d.message}@${d.span.line}:${d.span.col}`)).toEqual(["'(' was never closed@1:8"]);
    expect(kinds(src)).toBe('NAME:x OP:= NAME:foo OP:( INT:1 OP:, OP:) NEWLINE KEYWORD:def NAME:g OP:( OP:) OP:: NEWLINE INDENT KEYWORD:return INT:2 NEWLINE DEDENT EOF');
    expect(r.unclosedAt).toBe(-1);
  });

  it('keeps valid multi-line bracket content that merely looks like statements', () => {
    expect(codes('x = [\n    a if b\n    else c\n]\ny = (yield\n)\n')).toEqual([]);
  });
});

describe('numbers', () => {
  it('recognises integers, floats and imaginary literals', () => {
    expect(kinds('0 00 0_0 12 1_000 0xFF 0X_f 0o17 0b1_0')).toBe('INT:0 INT:00 INT:0_0 INT:12 INT:1_000 INT:0xFF INT:0X_f INT:0o17 INT:0b1_0 NEWLINE EOF');
    expect(kinds('1.5 .5 1. 1e10 1E-3 1_0.0_1e+1_0 2j 1.5J 0.0 01.5 0e0')).toBe(
      'FLOAT:1.5 FLOAT:.5 FLOAT:1. FLOAT:1e10 FLOAT:1E-3 FLOAT:1_0.0_1e+1_0 FLOAT:2j FLOAT:1.5J FLOAT:0.0 FLOAT:01.5 FLOAT:0e0 NEWLINE EOF');
    expect(kinds('x.y 1 .real 1..2')).toBe('NAME:x OP:. NAME:y INT:1 OP:. NAME:real FLOAT:1. FLOAT:.2 NEWLINE EOF');
  });

  it('rejects invalid numerals (E0004) and keeps one token for them', () => {
    const cases: [string, string][] = [
      ['0x', 'invalid hexadecimal literal'],
      ['0b', 'invalid binary literal'],
      ['1__0', 'invalid decimal literal'],
      ['1_', 'invalid decimal literal'],
      ['0x1_', 'invalid hexadecimal literal'],
      ['0b102', "invalid digit '2' in binary literal"],
      ['0o8', "invalid digit '8' in octal literal"],
      ['012', 'leading zeros in decimal integer literals are not permitted'],
      ['1abc', 'invalid decimal literal'],
      ['1e', 'invalid decimal literal'],
      ['1.__class__', 'invalid decimal literal'],
      ['1if', 'invalid decimal literal'],
    ];
    for (const [src, message] of cases) {
      const r = tokenize(src, 't.py');
      expect(r.diagnostics.map((d) => `${d.code} ${d.message}`), src).toEqual([`E0004 ${message}`]);
      expect(r.tokens.filter((t) => t.kind === Tk.Int || t.kind === Tk.Float).length, src).toBe(1);
    }
  });

  it.skipIf(!hasPython)('gives the same integer values as CPython', () => {
    const lits = ['0', '00', '0_0', '7', '123', '1_000_000', '0xFF', '0X_f', '0o777', '0O_1', '0b1_0', '0B0',
      '123456789012345678901234567890', '0x' + 'f'.repeat(64), '9007199254740993', '999_999_999_999_999', '1' + '0'.repeat(77)];
    expect(lits.map(lexValue)).toEqual(pythonValues(lits));
  });
});

describe('strings', () => {
  const literals = [
    "'plain'", '"double"', "'a\\nb'", "'\\t\\\\\\'\\\"'", "'\\x41\\x7f\\xFF'", "'\\u00e9\\U0001F600'", "'\\101\\0\\7\\777'",
    "'\\q\\d\\%\\8\\9'", "r'\\n\\x\\''", "R'\\\\'", "b'\\x00\\xff\\n\\u1234'", "rb'\\x00'", "Br'\\\\'", 'B"abc"', "'''multi\nline'''",
    '"""a\\\nb"""', "'a\\\nb'", "u'x'", "'\\a\\b\\f\\v\\r'", "'é😀'", "'\\ud83d'", "b'\\777'", "'''it's'''", '""', "b''",
    "'tab\there'", "'\\\r\nx'",
  ];

  it('decodes every prefix and escape form without diagnostics', () => {
    for (const lit of literals) {
      const r = tokenize(lit, 't.py');
      expect(r.diagnostics, lit).toEqual([]);
    }
  });

  it.skipIf(!hasPython)('decodes to the same values as CPython', () => {
    expect(literals.map(lexValue)).toEqual(pythonValues(literals));
  });

  it('records prefixes, quotes and body offsets', () => {
    const t = tokenize("rB'''x'''", 't.py').tokens[0]!;
    const info = t.lit as StringInfo;
    expect(info).toMatchObject({ prefix: 'rb', bytes: true, raw: true, fstring: false, triple: true, bodyStart: 5, bodyEnd: 6, terminated: true });
    const f = tokenize('Rf"{x}"', 't.py').tokens[0]!.lit as StringInfo;
    expect(f).toMatchObject({ prefix: 'rf', fstring: true, raw: true, value: null });
  });

  it('rejects bad escapes (E0005)', () => {
    const cases: [string, string][] = [
      ["'\\x4'", 'invalid \\x escape: expected two hex digits'],
      ["'\\xZZ'", 'invalid \\x escape: expected two hex digits'],
      ["'\\u12'", 'invalid \\u escape: expected 4 hex digits'],
      ["'\\U00110000'", 'invalid \\U escape: U+110000 is not a Unicode character'],
      ["'\\N{BULLET}'", '\\N{...} escapes are not supported'],
      ["'\\N'", '\\N{...} escapes are not supported'],
    ];
    for (const [src, message] of cases) {
      const r = tokenize(src, 't.py');
      expect(r.diagnostics.map((d) => `${d.code} ${d.message}@${d.span.col}`), src).toEqual([`E0005 ${message}@2`]);
    }
  });

  it('rejects non-ASCII characters in bytes', () => {
    const r = tokenize("b'aé'", 't.py');
    expect(r.diagnostics.map((d) => `${d.code}@${d.span.col}`)).toEqual(['E0001@4']);
  });

  it('reports an unterminated string (E0002) and ends it at the line end', () => {
    const r = tokenize("x = 'abc\ny = 2\n", 't.py');
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}@${d.span.line}:${d.span.col}`)).toEqual(['E0002 unterminated string literal (detected at line 1)@1:5']);
    expect(kinds("x = 'abc\ny = 2\n")).toBe('NAME:x OP:= STRING NEWLINE NAME:y OP:= INT:2 NEWLINE EOF');
    expect((r.tokens[2]!.lit as StringInfo).value).toBe('abc');
  });

  it('reports an unterminated triple-quoted string at its start', () => {
    const r = tokenize('x = 1\ns = """abc\n\nmore', 't.py');
    expect(r.diagnostics.map((d) => `${d.message}@${d.span.line}:${d.span.col}`)).toEqual(['unterminated triple-quoted string literal (detected at line 4)@2:5']);
  });

  it('closes brackets opened before an unterminated string on the same line', () => {
    const r = tokenize("f('abc\nx = 1\n", 't.py');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['E0002']);
    expect(kinds("f('abc\nx = 1\n")).toBe('NAME:f OP:( STRING OP:) NEWLINE NAME:x OP:= INT:1 NEWLINE EOF');
  });

  it('does not end a string at an escaped quote, nor a raw one', () => {
    expect((tokenize("'a\\'b'", 't.py').tokens[0]!.lit as StringInfo).value).toBe("a'b");
    expect((tokenize("r'a\\'b'", 't.py').tokens[0]!.lit as StringInfo).value).toBe("a\\'b");
  });
});

describe('robustness', () => {
  it('reports a backslash not at the end of a line', () => {
    expect(codes('x = \\ y\n')).toEqual(['E0001@1:5']);
  });

  it('terminates on every prefix of a tricky source', () => {
    const src = "def f(a, b='x\\'y', *c):\n\treturn f\"{a!r:>{b}}\" + r'''q\n''' \\\n + 0x_1F\n";
    for (let i = 0; i <= src.length; i++) {
      const r = tokenize(src.slice(0, i), 't.py');
      expect(r.tokens[r.tokens.length - 1]!.kind).toBe(Tk.EOF);
      for (const t of r.tokens) expect(t.end).toBeLessThanOrEqual(i);
    }
  });
});
