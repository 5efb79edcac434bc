// Diagnostics: every error the compiler reports has a stable code, a message, a span and,
// where it helps, a hint. The codes are part of the public interface (tests, --json, IDE).

export interface Span {
  file: string;
  /** UTF-16 offsets into the file's source, end exclusive. */
  start: number;
  end: number;
  /** 1-based line and column of `start` (column counts UTF-16 units, 1-based). */
  line: number;
  col: number;
  /** 1-based line and column of `end` (exclusive end position). */
  endLine: number;
  endCol: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  hint?: string;
  /** Short text shown after the ^^^ under the span (e.g. "integer division is `//`"). */
  label?: string;
}

/** Every code with a one-line description (docs/diagnostics.md is generated from this table). */
export const CODES = {
  // E00xx: lexical and syntax
  E0001: 'invalid character',
  E0002: 'unterminated string literal',
  E0003: 'inconsistent indentation',
  E0004: 'invalid number literal',
  E0005: 'invalid escape sequence',
  E0010: 'syntax error: unexpected token',
  E0011: 'syntax error: expected a token',
  E0012: 'invalid assignment target',
  E0013: 'syntax error in f-string',
  // E02xx: names and scopes
  E0201: 'undefined name',
  E0202: 'duplicate definition',
  E0203: 'unknown attribute',
  E0204: 'unknown method or function',
  E0205: 'variable used before assignment',
  // E03xx: types
  E0301: 'type mismatch',
  E0302: 'wrong number of arguments',
  E0303: 'operator not supported for these types',
  E0304: 'not callable',
  E0305: 'not indexable',
  E0306: 'not iterable',
  E0307: 'missing return',
  E0308: 'cannot infer the type (annotate it)',
  E0309: 'invalid type annotation',
  E0310: 'constant out of the int range',
  E0311: 'unknown keyword argument',
  E0312: 'cannot assign to this',
  E0313: 'break or continue outside a loop',
  E0314: 'return outside a function',
  // E04xx: constructs outside the language
  E0401: 'import of an unknown module',
  E0402: 'true division `/` is not supported',
  E0403: 'float literals are not supported',
  E0404: 'loop else clauses are not supported',
  E0405: 'default parameter values are not supported',
  E0406: '*args and **kwargs are not supported',
  E0407: 'isinstance and runtime type tests are not supported',
  E0410: 'try/except/raise are not supported',
  E0411: 'global and nonlocal are not supported',
  E0412: 'lambdas and nested functions (closures) are not supported',
  E0413: 'reflection is not supported',
  E0414: 'with statements are not supported',
  E0415: 'generators, yield and async are not supported',
  E0416: 'sets are not supported',
  E0417: 'unsupported class kind',
  E0418: 'the walrus operator is not supported',
  E0419: '`is` is only supported with None',
  E0420: 'unsupported syntax',
  // E05xx: contract structure
  E0501: 'a view method cannot change state',
  E0502: 'public methods need annotated parameters and return type',
  E0503: 'storage fields need a type annotation',
  E0504: 'more than one contract in a file',
  E0505: 'invalid decorator',
  E0506: 'Map is only allowed as a storage field type',
  E0507: 'storage is not accessible here',
  E0508: 'invalid constructor',
  E0509: 'invalid event, struct or interface declaration',
  E0510: 'msg.value used in a method that is not payable',
  // W01xx: warnings (the program compiles)
  W0101: 'unreachable code',
  W0102: 'statement has no effect',
} as const;

export type Code = keyof typeof CODES;

export function diag(code: Code, message: string, span: Span, hint?: string): Diagnostic {
  const d: Diagnostic = { code, severity: 'error', message, span };
  if (hint !== undefined) d.hint = hint;
  return d;
}

/** Collects diagnostics; the compiler never throws on bad input, it reports. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  error(code: Code, message: string, span: Span, hint?: string): void {
    this.items.push(diag(code, message, span, hint));
  }
  warning(code: Code, message: string, span: Span, hint?: string): void {
    const d = diag(code, message, span, hint);
    d.severity = 'warning';
    this.items.push(d);
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}
