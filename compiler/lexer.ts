// Tokenizer for the contract language: the Python 3 lexical grammar (CPython's tokenizer
// behaviour for INDENT/DEDENT/NEWLINE, implicit line joining, strings and numbers), with
// exact spans and error recovery so that the parser can report every error of a file.
//
// Speed matters (the IDE re-parses on every keystroke): the hot loop works on char codes,
// never on regexes or per-character strings, and no exception is used for control flow.

import type { Code, Diagnostic, Span } from './diagnostics.ts';
import { diag } from './diagnostics.ts';

export const Tk = {
  EOF: 0,
  Newline: 1,
  Indent: 2,
  Dedent: 3,
  Name: 4,
  Keyword: 5,
  Int: 6,
  /** Floats and imaginary literals: kept so the checker can reject them (E0403). */
  Float: 7,
  String: 8,
  Op: 9,
} as const;
export type TokenKind = (typeof Tk)[keyof typeof Tk];

/** Python's hard keywords (soft keywords `match`, `case`, `type`, `_` are Names). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
  'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global',
  'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return',
  'try', 'while', 'with', 'yield',
]);
// Maps a scanned identifier to the interned keyword string, so that the parser compares
// keyword tokens by identity.
const KEYWORD_OF = new Map<string, string>();
for (const k of KEYWORDS) KEYWORD_OF.set(k, k);

/** Keywords that can never occur inside brackets: a line starting with one of them while a
 *  bracket is open means the bracket was never closed (recover there, not at end of file). */
const STATEMENT_ONLY_KEYWORDS: ReadonlySet<string> = new Set([
  'def', 'class', 'return', 'pass', 'break', 'continue', 'import', 'while', 'try', 'except',
  'finally', 'with', 'raise', 'global', 'nonlocal', 'del', 'assert', 'elif',
]);

export interface StringInfo {
  /** Lower-cased prefix letters as written ('', 'b', 'rb', 'f', 'u', ...). */
  prefix: string;
  bytes: boolean;
  raw: boolean;
  fstring: boolean;
  triple: boolean;
  /** Offsets of the text between the quotes (end exclusive). */
  bodyStart: number;
  bodyEnd: number;
  terminated: boolean;
  /** The decoded value; null for f-strings, whose parts the parser decodes. */
  value: string | Uint8Array | null;
}

export class Token {
  readonly kind: TokenKind;
  /** Operator text, identifier, keyword, or a number's source text ('' for strings). */
  readonly value: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
  /** Int: its value; String: its StringInfo; otherwise null. */
  readonly lit: bigint | StringInfo | null;
  /** A zero-width closing bracket inserted by the lexer for a bracket that was never closed. */
  readonly synthetic: boolean;
  constructor(
    kind: TokenKind, value: string, start: number, end: number, line: number, col: number,
    endLine: number, endCol: number, lit: bigint | StringInfo | null, synthetic: boolean,
  ) {
    this.kind = kind;
    this.value = value;
    this.start = start;
    this.end = end;
    this.line = line;
    this.col = col;
    this.endLine = endLine;
    this.endCol = endCol;
    this.lit = lit;
    this.synthetic = synthetic;
  }
}

export interface LexResult {
  tokens: Token[];
  diagnostics: Diagnostic[];
  /** Offset of the outermost bracket left open at end of input (-1 if none): the parse of
   *  everything after it is unreliable. */
  unclosedAt: number;
  /** Offsets at which each line starts (index 0 is line 1). */
  lineStarts: number[];
}

// ------------------------------------------------------------------ positions

/** Line start offsets; a line ends at \n, \r\n or a lone \r (as in CPython). */
export function computeLineStarts(src: string): number[] {
  const starts = [0];
  if (src.indexOf('\r') < 0) {
    for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (src.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** 1-based line containing `offset`. */
export function lineOfOffset(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function spanOf(file: string, lineStarts: readonly number[], start: number, end: number): Span {
  const line = lineOfOffset(lineStarts, start);
  const endLine = end === start ? line : lineOfOffset(lineStarts, end);
  return {
    file, start, end, line, col: start - lineStarts[line - 1]! + 1,
    endLine, endCol: end - lineStarts[endLine - 1]! + 1,
  };
}

// ------------------------------------------------------------------ character classes

const ID_START = 1;
const ID_CONT = 2;
const DIGIT = 4;
const HEX = 8;
const CC = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const digit = c >= 48 && c <= 57;
  const hex = digit || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
  CC[c] = (letter ? ID_START | ID_CONT : 0) | (digit ? ID_CONT | DIGIT : 0) | (hex ? HEX : 0);
}
const XID_START = /^\p{XID_Start}$/u;
const XID_CONTINUE = /^\p{XID_Continue}$/u;

function codePointAt(src: string, p: number): number {
  return src.codePointAt(p) ?? 0;
}
function isIdStartCp(cp: number): boolean {
  return cp < 128 ? (CC[cp]! & ID_START) !== 0 : XID_START.test(String.fromCodePoint(cp));
}
function isIdContCp(cp: number): boolean {
  return cp < 128 ? (CC[cp]! & ID_CONT) !== 0 : XID_CONTINUE.test(String.fromCodePoint(cp));
}
export function isIdentifier(s: string): boolean {
  if (s.length === 0) return false;
  let i = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (i === 0 ? !isIdStartCp(cp) : !isIdContCp(cp)) return false;
    i++;
  }
  return true;
}

function describeChar(cp: number): string {
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  const printable = cp > 32 && cp !== 127 && !(cp >= 0x80 && cp <= 0xa0) && !/\p{Z}|\p{C}/u.test(String.fromCodePoint(cp));
  return printable ? `invalid character '${String.fromCodePoint(cp)}' (${hex})` : `invalid non-printable character ${hex}`;
}

// ------------------------------------------------------------------ escape decoding

export type EscapeReporter = (code: Code, message: string, start: number, end: number, hint?: string) => void;

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/** Reads `n` hex digits at `p`; -1 when they are not all there. */
function readHex(src: string, p: number, end: number, n: number): number {
  if (p + n > end) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const h = hexVal(src.charCodeAt(p + i));
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/** Decodes a str literal body [start, end) with Python's escapes (not raw). Newlines in the
 *  source (\r\n, \r) become \n, as Python reads source files in universal-newline mode. */
export function decodeStr(src: string, start: number, end: number, report: EscapeReporter): string {
  let out = '';
  let chunk = start;
  for (let p = start; p < end; ) {
    const c = src.charCodeAt(p);
    if (c === 13) {
      out += src.slice(chunk, p) + '\n';
      p += src.charCodeAt(p + 1) === 10 && p + 1 < end ? 2 : 1;
      chunk = p;
      continue;
    }
    if (c !== 92) { p++; continue; }
    out += src.slice(chunk, p);
    const r = decodeEscape(src, p, end, false, report);
    out += r.text;
    p = r.next;
    chunk = p;
  }
  return out + src.slice(chunk, end);
}

/** Decodes a bytes literal body (raw or not); non-ASCII characters are an error. */
export function decodeBytes(src: string, start: number, end: number, raw: boolean, report: EscapeReporter): Uint8Array {
  const out: number[] = [];
  for (let p = start; p < end; ) {
    const c = src.charCodeAt(p);
    if (c === 13) {
      out.push(10);
      p += src.charCodeAt(p + 1) === 10 && p + 1 < end ? 2 : 1;
      continue;
    }
    if (c === 92 && !raw) {
      const r = decodeEscape(src, p, end, true, report);
      for (let i = 0; i < r.text.length; i++) out.push(r.text.charCodeAt(i) & 0xff);
      p = r.next;
      continue;
    }
    if (c >= 128) {
      report('E0001', 'bytes can only contain ASCII literal characters', p, p + 1, 'write the byte as an escape such as \\xe9');
      out.push(c & 0xff);
    } else out.push(c);
    p++;
  }
  return Uint8Array.from(out);
}

/** Normalizes newlines of a raw str body. */
export function rawStr(src: string, start: number, end: number): string {
  const s = src.slice(start, end);
  return s.indexOf('\r') < 0 ? s : s.replace(/\r\n?/g, '\n');
}

const SIMPLE_ESCAPES: Record<number, string> = {
  92: '\\', 39: "'", 34: '"', 97: '\x07', 98: '\b', 102: '\f', 110: '\n', 114: '\r', 116: '\t', 118: '\v',
};

/** One escape at `p` (a backslash). For bytes the result holds char codes 0-255. */
function decodeEscape(src: string, p: number, end: number, bytes: boolean, report: EscapeReporter): { text: string; next: number } {
  if (p + 1 >= end) return { text: '\\', next: p + 1 };
  const c = src.charCodeAt(p + 1);
  if (c === 10) return { text: '', next: p + 2 };
  if (c === 13) return { text: '', next: src.charCodeAt(p + 2) === 10 ? p + 3 : p + 2 };
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { text: simple, next: p + 2 };
  if (c >= 48 && c <= 55) {
    let v = 0;
    let q = p + 1;
    while (q < end && q < p + 4) {
      const d = src.charCodeAt(q);
      if (d < 48 || d > 55) break;
      v = v * 8 + d - 48;
      q++;
    }
    // Python accepts \400-\777 (with a warning): str keeps the code point, bytes the low 8 bits.
    return { text: String.fromCharCode(bytes ? v & 0xff : v), next: q };
  }
  if (c === 120) {
    const v = readHex(src, p + 2, end, 2);
    if (v < 0) {
      report('E0005', 'invalid \\x escape: expected two hex digits', p, Math.min(end, p + 4), 'write \\x followed by exactly two hex digits, e.g. \\x0a');
      return { text: '', next: Math.min(end, p + 2) };
    }
    return { text: String.fromCharCode(v), next: p + 4 };
  }
  if (!bytes && (c === 117 || c === 85)) {
    const n = c === 117 ? 4 : 8;
    const v = readHex(src, p + 2, end, n);
    if (v < 0) {
      report('E0005', `invalid \\${c === 117 ? 'u' : 'U'} escape: expected ${n} hex digits`, p, Math.min(end, p + 2 + n), undefined);
      return { text: '', next: p + 2 };
    }
    if (v > 0x10ffff) {
      report('E0005', `invalid \\U escape: U+${v.toString(16).toUpperCase()} is not a Unicode character`, p, p + 10, undefined);
      return { text: '', next: p + 10 };
    }
    return { text: String.fromCodePoint(v), next: p + 2 + n };
  }
  if (!bytes && c === 78) {
    let q = p + 2;
    if (src.charCodeAt(q) === 123) {
      const close = src.indexOf('}', q);
      q = close >= 0 && close < end ? close + 1 : q + 1;
    }
    report('E0005', '\\N{...} escapes are not supported', p, q, 'write the character itself or use a \\uXXXX escape');
    return { text: '', next: q };
  }
  // Unknown escapes are kept literally, as Python does (it only warns).
  return { text: '\\', next: p + 1 };
}

// ------------------------------------------------------------------ the lexer

const MAX_BRACKET_DEPTH = 200;
const MAX_INDENT_LEVELS = 100;
const OPENERS = '([{';
const CLOSERS = ')]}';

class Lexer {
  readonly src: string;
  readonly file: string;
  readonly end: number;
  /** 'file': a module with layout tokens; 'expr': an f-string field (no layout tokens). */
  readonly exprMode: boolean;
  readonly tokens: Token[] = [];
  readonly diags: Diagnostic[];
  pos: number;
  line: number;
  lineStart: number;
  atLineStart: boolean;
  readonly indents: number[] = [0];
  readonly altIndents: number[] = [0];
  /** Token indices of the open brackets. */
  readonly brackets: number[] = [];
  lastSignificant: Token | null = null;
  tooDeepReported = false;
  /** Offset of the outermost bracket still open at end of input, or -1. */
  unclosedAt = -1;

  constructor(src: string, file: string, start: number, end: number, line: number, lineStart: number, exprMode: boolean, diags: Diagnostic[]) {
    this.src = src;
    this.file = file;
    this.pos = start;
    this.end = end;
    this.line = line;
    this.lineStart = lineStart;
    this.exprMode = exprMode;
    this.atLineStart = !exprMode;
    this.diags = diags;
  }

  // ---- helpers

  error(code: Code, message: string, start: number, end: number, hint?: string): void {
    if (this.exprMode && (code === 'E0010' || code === 'E0011')) {
      code = 'E0013';
      message = `f-string: ${message}`;
    }
    this.diags.push(diag(code, message, this.spanAt(start, end), hint));
  }

  /** Span of [start, end) for offsets on the current line or earlier lines. */
  spanAt(start: number, end: number): Span {
    if (start >= this.lineStart && end >= this.lineStart) {
      return {
        file: this.file, start, end, line: this.line, col: start - this.lineStart + 1,
        endLine: this.line, endCol: end - this.lineStart + 1,
      };
    }
    // Rare (multi-line strings, openers on earlier lines): recompute from the text.
    return spanOf(this.file, computeLineStartsUpTo(this.src, end), start, end);
  }

  /** Pushes a token lying on the current line. */
  push(kind: TokenKind, value: string, start: number, end: number, lit: bigint | StringInfo | null): Token {
    const col = start - this.lineStart + 1;
    const t = new Token(kind, value, start, end, this.line, col, this.line, col + (end - start), lit, false);
    this.tokens.push(t);
    if (kind > Tk.Dedent) this.lastSignificant = t;
    return t;
  }

  // ---- main loop

  run(): void {
    const src = this.src;
    for (;;) {
      if (this.atLineStart && !this.indentation()) break;
      if (this.pos >= this.end) break;
      const c = src.charCodeAt(this.pos);
      if (c < 128) {
        const cls = CC[c]!;
        if (cls & ID_START) { this.name(); continue; }
        if (cls & DIGIT) { this.number(); continue; }
      }
      switch (c) {
        case 32: case 9: case 12:
          this.pos++;
          continue;
        case 35:
          this.skipComment();
          continue;
        case 10: case 13:
          this.newline();
          continue;
        case 92:
          this.backslash();
          continue;
        case 34: case 39:
          this.string(this.pos, this.pos, '');
          continue;
        case 46: {
          const n = src.charCodeAt(this.pos + 1);
          if (n >= 48 && n <= 57) this.number();
          else if (n === 46 && src.charCodeAt(this.pos + 2) === 46) this.op('...', 3);
          else this.op('.', 1);
          continue;
        }
        default:
          if (c < 128) this.operator(c);
          else this.nonAscii();
      }
    }
    this.finish();
  }

  skipComment(): void {
    if (this.exprMode) this.error('E0013', "f-string expression part cannot include '#'", this.pos, this.pos + 1);
    let p = this.pos;
    const src = this.src;
    while (p < this.end) {
      const c = src.charCodeAt(p);
      if (c === 10 || c === 13) break;
      p++;
    }
    this.pos = p;
  }

  /** Consumes a newline at pos; returns its length. */
  consumeNewline(): number {
    const p = this.pos;
    const len = this.src.charCodeAt(p) === 13 && this.src.charCodeAt(p + 1) === 10 ? 2 : 1;
    this.pos = p + len;
    this.line++;
    this.lineStart = this.pos;
    return len;
  }

  newline(): void {
    const start = this.pos;
    if (this.exprMode) { this.consumeNewline(); return; }
    if (this.brackets.length > 0) {
      const nlLine = this.line;
      const nlCol = start - this.lineStart + 1;
      const len = this.consumeNewline();
      if (!this.nextLineStartsStatement()) return;
      // A statement keyword inside brackets: the bracket was never closed. Recover here.
      this.reportNeverClosed();
      this.closeAllBrackets();
      this.tokens.push(new Token(Tk.Newline, '', start, start + len, nlLine, nlCol, nlLine + 1, 1, null, false));
      this.atLineStart = true;
      return;
    }
    const line = this.line;
    const col = start - this.lineStart + 1;
    const len = this.consumeNewline();
    this.tokens.push(new Token(Tk.Newline, '', start, start + len, line, col, line + 1, 1, null, false));
    this.atLineStart = true;
  }

  /** At the start of a physical line inside brackets: does it begin with a keyword that can
   *  only start a statement? Looks ahead without consuming. */
  nextLineStartsStatement(): boolean {
    const src = this.src;
    let p = this.pos;
    for (;;) {
      while (p < this.end) {
        const c = src.charCodeAt(p);
        if (c !== 32 && c !== 9 && c !== 12) break;
        p++;
      }
      if (p >= this.end) return false;
      const c = src.charCodeAt(p);
      if (c === 35) {
        while (p < this.end && src.charCodeAt(p) !== 10 && src.charCodeAt(p) !== 13) p++;
      }
      const d = src.charCodeAt(p);
      if (d === 10 || d === 13) { p++; continue; }
      break;
    }
    let q = p;
    while (q < this.end && q - p < 9) {
      const c = src.charCodeAt(q);
      if (c >= 97 && c <= 122) q++;
      else break;
    }
    if (q === p || (q < this.end && src.charCodeAt(q) < 128 && (CC[src.charCodeAt(q)]! & ID_CONT) !== 0)) return false;
    return STATEMENT_ONLY_KEYWORDS.has(src.slice(p, q));
  }

  backslash(): void {
    const src = this.src;
    const n = src.charCodeAt(this.pos + 1);
    if (n === 10 || n === 13) {
      this.pos++;
      this.consumeNewline();
      if (this.pos >= this.end && !this.exprMode) this.error('E0002', 'unexpected end of file after line continuation character', this.pos - 1, this.pos);
      return;
    }
    if (this.exprMode) this.error('E0013', 'f-string expression part cannot include a backslash', this.pos, this.pos + 1);
    else this.error('E0001', 'unexpected character after line continuation character', this.pos, this.pos + 1, 'a backslash continues a line only as the last character of the line');
    this.pos++;
  }

  /** Measures the indentation of a new logical line, skipping blank and comment-only lines,
   *  and emits INDENT/DEDENT. Returns false at end of input. */
  indentation(): boolean {
    const src = this.src;
    let col = 0;
    let alt = 0;
    for (;;) {
      col = 0;
      alt = 0;
      let p = this.pos;
      while (p < this.end) {
        const c = src.charCodeAt(p);
        if (c === 32) { col++; alt++; }
        else if (c === 9) { col = (Math.floor(col / 8) + 1) * 8; alt++; }
        else if (c === 12) { col = 0; alt = 0; }
        else break;
        p++;
      }
      this.pos = p;
      if (p >= this.end) return false;
      const c = src.charCodeAt(p);
      if (c === 35) {
        this.skipComment();
        if (this.pos >= this.end) return false;
        this.consumeNewline();
        continue;
      }
      if (c === 10 || c === 13) { this.consumeNewline(); continue; }
      break;
    }
    this.atLineStart = false;
    this.applyIndent(col, alt);
    return true;
  }

  applyIndent(col: number, alt: number): void {
    const indents = this.indents;
    const alts = this.altIndents;
    const top = indents[indents.length - 1]!;
    if (col === top) {
      if (alt !== alts[alts.length - 1]) this.tabError();
      return;
    }
    if (col > top) {
      if (alt <= alts[alts.length - 1]!) this.tabError();
      if (indents.length > MAX_INDENT_LEVELS) {
        this.error('E0003', 'too many levels of indentation', this.lineStart, this.pos);
        return;
      }
      indents.push(col);
      alts.push(alt);
      this.push(Tk.Indent, '', this.lineStart, this.pos, null);
      return;
    }
    while (indents.length > 1 && col < indents[indents.length - 1]!) {
      indents.pop();
      alts.pop();
      this.push(Tk.Dedent, '', this.pos, this.pos, null);
    }
    if (col !== indents[indents.length - 1]) {
      this.error('E0003', 'unindent does not match any outer indentation level', this.lineStart, this.pos,
        'indent this line exactly as one of the enclosing blocks');
    } else if (alt !== alts[alts.length - 1]) this.tabError();
  }

  tabError(): void {
    this.error('E0003', 'inconsistent use of tabs and spaces in indentation', this.lineStart, this.pos,
      'indent with spaces only (4 per level)');
  }

  // ---- names and keywords

  name(): void {
    const src = this.src;
    const start = this.pos;
    const c0 = src.charCodeAt(start);
    let p = start + (c0 >= 0xd800 && c0 <= 0xdbff ? 2 : 1);
    let ascii = c0 < 128;
    while (p < this.end) {
      const c = src.charCodeAt(p);
      if (c < 128) {
        if ((CC[c]! & ID_CONT) === 0) break;
        p++;
      } else {
        const cp = codePointAt(src, p);
        if (!isIdContCp(cp)) break;
        ascii = false;
        p += cp > 0xffff ? 2 : 1;
      }
    }
    const q = src.charCodeAt(p);
    if ((q === 34 || q === 39) && p - start <= 2 && ascii) {
      const prefix = src.slice(start, p).toLowerCase();
      if (STRING_PREFIXES.has(prefix)) { this.string(start, p, prefix); return; }
    }
    this.pos = p;
    let text = src.slice(start, p);
    if (!ascii) text = text.normalize('NFKC');
    const kw = KEYWORD_OF.get(text);
    if (kw !== undefined) this.push(Tk.Keyword, kw, start, p, null);
    else this.push(Tk.Name, text, start, p, null);
  }

  nonAscii(): void {
    const cp = codePointAt(this.src, this.pos);
    if (isIdStartCp(cp)) {
      this.name();
      return;
    }
    const len = cp > 0xffff ? 2 : 1;
    this.error('E0001', describeChar(cp), this.pos, this.pos + len);
    this.pos += len;
  }

  // ---- operators and brackets

  op(text: string, len: number): void {
    this.push(Tk.Op, text, this.pos, this.pos + len, null);
    this.pos += len;
  }

  operator(c: number): void {
    const src = this.src;
    const n = src.charCodeAt(this.pos + 1);
    switch (c) {
      case 40: this.open('('); return;
      case 91: this.open('['); return;
      case 123: this.open('{'); return;
      case 41: this.close(')'); return;
      case 93: this.close(']'); return;
      case 125: this.close('}'); return;
      case 44: this.op(',', 1); return;
      case 59: this.op(';', 1); return;
      case 126: this.op('~', 1); return;
      case 58: if (n === 61) this.op(':=', 2); else this.op(':', 1); return;
      case 43: if (n === 61) this.op('+=', 2); else this.op('+', 1); return;
      case 45:
        if (n === 61) this.op('-=', 2);
        else if (n === 62) this.op('->', 2);
        else this.op('-', 1);
        return;
      case 42:
        if (n === 42) { if (src.charCodeAt(this.pos + 2) === 61) this.op('**=', 3); else this.op('**', 2); }
        else if (n === 61) this.op('*=', 2);
        else this.op('*', 1);
        return;
      case 47:
        if (n === 47) { if (src.charCodeAt(this.pos + 2) === 61) this.op('//=', 3); else this.op('//', 2); }
        else if (n === 61) this.op('/=', 2);
        else this.op('/', 1);
        return;
      case 37: if (n === 61) this.op('%=', 2); else this.op('%', 1); return;
      case 64: if (n === 61) this.op('@=', 2); else this.op('@', 1); return;
      case 38: if (n === 61) this.op('&=', 2); else this.op('&', 1); return;
      case 124: if (n === 61) this.op('|=', 2); else this.op('|', 1); return;
      case 94: if (n === 61) this.op('^=', 2); else this.op('^', 1); return;
      case 60:
        if (n === 60) { if (src.charCodeAt(this.pos + 2) === 61) this.op('<<=', 3); else this.op('<<', 2); }
        else if (n === 61) this.op('<=', 2);
        else this.op('<', 1);
        return;
      case 62:
        if (n === 62) { if (src.charCodeAt(this.pos + 2) === 61) this.op('>>=', 3); else this.op('>>', 2); }
        else if (n === 61) this.op('>=', 2);
        else this.op('>', 1);
        return;
      case 61: if (n === 61) this.op('==', 2); else this.op('=', 1); return;
      case 33:
        if (n === 61) { this.op('!=', 2); return; }
        break;
    }
    this.error('E0001', describeChar(c), this.pos, this.pos + 1);
    this.pos++;
  }

  open(text: string): void {
    if (this.brackets.length >= MAX_BRACKET_DEPTH && !this.tooDeepReported) {
      this.tooDeepReported = true;
      this.error('E0010', 'too many nested parentheses', this.pos, this.pos + 1);
    }
    this.brackets.push(this.tokens.length);
    this.op(text, 1);
  }

  close(text: string): void {
    const want = OPENERS[CLOSERS.indexOf(text)]!;
    const stack = this.brackets;
    if (stack.length === 0) {
      this.error('E0010', `unmatched '${text}'`, this.pos, this.pos + 1, 'remove it, or add the opening bracket it belongs to');
      this.pos++;
      return;
    }
    const top = this.tokens[stack[stack.length - 1]!]!;
    if (top.value === want) {
      stack.pop();
      this.op(text, 1);
      return;
    }
    const where = top.line === this.line ? '' : ` on line ${top.line}`;
    this.error('E0010', `closing parenthesis '${text}' does not match opening parenthesis '${top.value}'${where}`, this.pos, this.pos + 1);
    let depth = -1;
    for (let i = stack.length - 2; i >= 0; i--) {
      if (this.tokens[stack[i]!]!.value === want) { depth = i; break; }
    }
    if (depth >= 0) {
      // The brackets above the matching one were never closed: close them here.
      while (stack.length - 1 > depth) this.syntheticClose();
      stack.pop();
      this.op(text, 1);
    } else {
      // A typo for the expected closer: treat it as that closer.
      stack.pop();
      this.op(CLOSERS[OPENERS.indexOf(top.value)]!, 1);
    }
  }

  /** Emits a zero-width closer for the innermost open bracket, after the last real token. */
  syntheticClose(): void {
    const opener = this.tokens[this.brackets.pop()!]!;
    const text = CLOSERS[OPENERS.indexOf(opener.value)]!;
    const last = this.lastSignificant ?? opener;
    const t = new Token(Tk.Op, text, last.end, last.end, last.endLine, last.endCol, last.endLine, last.endCol, null, true);
    this.tokens.push(t);
    this.lastSignificant = t;
  }

  closeAllBrackets(): void {
    while (this.brackets.length > 0) this.syntheticClose();
  }

  /** Reports the open bracket at `index` of the stack (default: the innermost). */
  reportNeverClosed(index = this.brackets.length - 1): void {
    const opener = this.tokens[this.brackets[index]!]!;
    this.diags.push(diag('E0011', `'${opener.value}' was never closed`, tokenSpan(this.file, opener),
      `add the matching '${CLOSERS[OPENERS.indexOf(opener.value)]}'`));
  }

  // ---- numbers

  number(): void {
    const src = this.src;
    const start = this.pos;
    const c0 = src.charCodeAt(start);
    if (c0 === 48) {
      const x = src.charCodeAt(start + 1) | 32;
      if (x === 120) { this.radixNumber(start, 16, 'hexadecimal'); return; }
      if (x === 111) { this.radixNumber(start, 8, 'octal'); return; }
      if (x === 98) { this.radixNumber(start, 2, 'binary'); return; }
    }
    let bad = false;
    let p = start;
    let isFloat = false;
    if (c0 !== 46) {
      p = this.digits(p);
      if (p < 0) { bad = true; p = -p; }
    }
    if (!bad && src.charCodeAt(p) === 46) {
      isFloat = true;
      p++;
      if ((CC[src.charCodeAt(p)] ?? 0) & DIGIT) {
        p = this.digits(p);
        if (p < 0) { bad = true; p = -p; }
      }
    }
    if (!bad && (src.charCodeAt(p) | 32) === 101) {
      let q = p + 1;
      const s = src.charCodeAt(q);
      if (s === 43 || s === 45) q++;
      if ((CC[src.charCodeAt(q)] ?? 0) & DIGIT) {
        isFloat = true;
        p = this.digits(q);
        if (p < 0) { bad = true; p = -p; }
      } else bad = true;
    }
    if (!bad && (src.charCodeAt(p) | 32) === 106) {
      isFloat = true;
      p++;
    }
    const junkEnd = this.identTail(p);
    if (junkEnd > p) { bad = true; p = junkEnd; }
    this.pos = p;
    const text = src.slice(start, p);
    if (bad) {
      this.error('E0004', 'invalid decimal literal', start, p, junkEnd > start && /[a-zA-Z_]/.test(text.slice(-1)) ? 'separate the number from the name that follows it with a space' : undefined);
      this.push(isFloat ? Tk.Float : Tk.Int, text, start, p, isFloat ? null : 0n);
      return;
    }
    if (isFloat) { this.push(Tk.Float, text, start, p, null); return; }
    if (c0 === 48 && /[1-9]/.test(text)) {
      this.error('E0004', 'leading zeros in decimal integer literals are not permitted', start, p, `use an 0o prefix for octal integers (0o${text.replace(/^[0_]+/, '')}) or remove the zeros`);
    }
    this.push(Tk.Int, text, start, p, decimalValue(text));
  }

  /** Scans digits with single underscores between them from p (a digit). Returns the end,
   *  or -end when an underscore is misplaced. */
  digits(p: number): number {
    const src = this.src;
    for (;;) {
      const c = src.charCodeAt(p);
      if (c >= 48 && c <= 57) { p++; continue; }
      if (c === 95) {
        const n = src.charCodeAt(p + 1);
        if (n >= 48 && n <= 57) { p++; continue; }
        return -(p + 1);
      }
      return p;
    }
  }

  /** End of identifier characters glued to a number (an error), from p. */
  identTail(p: number): number {
    const src = this.src;
    while (p < this.end) {
      const c = src.charCodeAt(p);
      if (c < 128) {
        if ((CC[c]! & ID_CONT) === 0) break;
        p++;
      } else {
        const cp = codePointAt(src, p);
        if (!isIdContCp(cp)) break;
        p += cp > 0xffff ? 2 : 1;
      }
    }
    return p;
  }

  radixNumber(start: number, radix: number, what: string): void {
    const src = this.src;
    let p = start + 2;
    let ndigits = 0;
    let badDigit = '';
    let bad = false;
    for (;;) {
      const c = src.charCodeAt(p);
      if (c === 95) {
        const n = src.charCodeAt(p + 1);
        const nv = hexVal(n);
        if (nv < 0 || (radix === 16 ? false : !(n >= 48 && n <= 57))) { bad = true; p++; break; }
        p++;
        continue;
      }
      const v = c >= 48 && c <= 57 ? c - 48 : radix === 16 ? hexVal(c) : -1;
      if (v < 0) break;
      if (v >= radix) { if (badDigit === '') badDigit = String.fromCharCode(c); }
      ndigits++;
      p++;
    }
    const tail = this.identTail(p);
    if (tail > p) bad = true;
    p = tail;
    this.pos = p;
    const text = src.slice(start, p);
    if (bad || ndigits === 0 || badDigit !== '') {
      const msg = badDigit !== '' && !bad ? `invalid digit '${badDigit}' in ${what} literal` : `invalid ${what} literal`;
      this.error('E0004', msg, start, p);
      this.push(Tk.Int, text, start, p, 0n);
      return;
    }
    const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : '0b';
    this.push(Tk.Int, text, start, p, BigInt(prefix + text.slice(2).replace(/_/g, '')));
  }

  // ---- strings

  /** Scans a string literal whose prefix is [start, quotePos) (already validated). */
  string(start: number, quotePos: number, prefix: string): void {
    const src = this.src;
    const q = src.charCodeAt(quotePos);
    const triple = src.charCodeAt(quotePos + 1) === q && src.charCodeAt(quotePos + 2) === q;
    const startLine = this.line;
    const startCol = start - this.lineStart + 1;
    const bodyStart = quotePos + (triple ? 3 : 1);
    let p = bodyStart;
    let bodyEnd = -1;
    let terminated = false;
    let hasBackslash = false;
    while (p < this.end) {
      const c = src.charCodeAt(p);
      if (c === q) {
        if (!triple) { bodyEnd = p; p++; terminated = true; break; }
        if (src.charCodeAt(p + 1) === q && src.charCodeAt(p + 2) === q) { bodyEnd = p; p += 3; terminated = true; break; }
        p++;
      } else if (c === 92) {
        hasBackslash = true;
        const n = src.charCodeAt(p + 1);
        if (n === 10 || n === 13) {
          this.pos = p + 1;
          this.consumeNewline();
          p = this.pos;
        } else p += 2;
      } else if (c === 10 || c === 13) {
        if (!triple) break;
        this.pos = p;
        this.consumeNewline();
        p = this.pos;
      } else p++;
    }
    if (p > this.end) p = this.end;
    if (!terminated) bodyEnd = p;
    this.pos = p;
    const bytes = prefix.indexOf('b') >= 0;
    const raw = prefix.indexOf('r') >= 0;
    const fstring = prefix.indexOf('f') >= 0;
    const info: StringInfo = { prefix, bytes, raw, fstring, triple, bodyStart, bodyEnd, terminated, value: null };
    const t = new Token(Tk.String, '', start, p, startLine, startCol, this.line, p - this.lineStart + 1, info, false);
    this.tokens.push(t);
    this.lastSignificant = t;
    if (!terminated) this.unterminated(t, triple, quotePos);
    if (!fstring) info.value = this.decode(info, hasBackslash);
  }

  unterminated(t: Token, triple: boolean, quotePos: number): void {
    const span: Span = { file: this.file, start: t.start, end: quotePos + (triple ? 3 : 1), line: t.line, col: t.col, endLine: t.line, endCol: t.col + (quotePos + (triple ? 3 : 1) - t.start) };
    const what = triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
    // Like CPython, a string running to the end of the file is detected on its last line.
    const atLine = this.pos === this.lineStart && this.line > t.line ? this.line - 1 : this.line;
    this.diags.push(diag('E0002', `${what} (detected at line ${atLine})`, span,
      triple ? 'close it with the same three quotes' : 'close the string with the same quote on this line, or use a triple-quoted string'));
    // The rest of the line was meant to be in the string: brackets opened before it on this
    // line would otherwise swallow the following lines.
    if (!triple && !this.exprMode && this.brackets.length > 0) this.closeAllBrackets();
  }

  decode(info: StringInfo, hasBackslash: boolean): string | Uint8Array {
    // Most literals are plain text: no reporter (a closure per literal) unless escapes may need one.
    if (!info.bytes && (info.raw || !hasBackslash)) return rawStr(this.src, info.bodyStart, info.bodyEnd);
    const report: EscapeReporter = (code, message, s, e, hint) => {
      this.diags.push(diag(code, message, spanOf(this.file, computeLineStartsUpTo(this.src, e), s, e), hint));
    };
    if (info.bytes) return decodeBytes(this.src, info.bodyStart, info.bodyEnd, info.raw, report);
    return decodeStr(this.src, info.bodyStart, info.bodyEnd, report);
  }

  // ---- end of input

  finish(): void {
    if (this.brackets.length > 0) {
      // Everything after the outermost open bracket was read inside it: report that one.
      this.unclosedAt = this.tokens[this.brackets[0]!]!.start;
      this.reportNeverClosed(0);
      this.closeAllBrackets();
    }
    const end = this.end;
    const col = end - this.lineStart + 1;
    if (!this.exprMode) {
      const last = this.tokens[this.tokens.length - 1];
      if (last !== undefined && last.kind !== Tk.Newline && last.kind !== Tk.Dedent) {
        this.tokens.push(new Token(Tk.Newline, '', end, end, this.line, col, this.line, col, null, false));
      }
      while (this.indents.length > 1) {
        this.indents.pop();
        this.tokens.push(new Token(Tk.Dedent, '', end, end, this.line, col, this.line, col, null, false));
      }
    }
    this.tokens.push(new Token(Tk.EOF, '', end, end, this.line, col, this.line, col, null, false));
  }
}

const STRING_PREFIXES: ReadonlySet<string> = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);

/** Line starts of src up to (and including the line of) `upTo`; used on rare error paths. */
function computeLineStartsUpTo(src: string, upTo: number): number[] {
  return computeLineStarts(upTo + 1 < src.length ? src.slice(0, upTo + 1) : src);
}

function decimalValue(text: string): bigint {
  if (text.length <= 15) {
    let v = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 95) v = v * 10 + (c - 48);
    }
    return BigInt(v);
  }
  return BigInt(text.replace(/_/g, ''));
}

export function tokenSpan(file: string, t: Token): Span {
  return { file, start: t.start, end: t.end, line: t.line, col: t.col, endLine: t.endLine, endCol: t.endCol };
}

/** Tokenizes a whole module. Never throws. */
export function tokenize(source: string, file: string): LexResult {
  const diagnostics: Diagnostic[] = [];
  // A byte-order mark at the start of the file is not part of the program (as in CPython).
  const start = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lexer = new Lexer(source, file, start, source.length, 1, 0, false, diagnostics);
  lexer.run();
  return { tokens: lexer.tokens, diagnostics, unclosedAt: lexer.unclosedAt, lineStarts: computeLineStarts(source) };
}

/** Tokenizes source[start, end) as the inside of brackets (an f-string replacement field):
 *  no NEWLINE/INDENT/DEDENT, ends with an EOF token at `end`. */
export function tokenizeRange(
  source: string, file: string, start: number, end: number, lineStarts: readonly number[], diagnostics: Diagnostic[],
): Token[] {
  const line = lineOfOffset(lineStarts, start);
  const lexer = new Lexer(source, file, start, end, line, lineStarts[line - 1]!, true, diagnostics);
  lexer.run();
  return lexer.tokens;
}
