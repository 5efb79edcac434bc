// Recursive-descent parser for the contract language (the Python 3 grammar, including the
// constructs the language rejects, so that the checker can name them). Produces the AST of
// ast.ts with exact spans: a node spans from the start of its first token to the end of its
// last token. Where CPython's ast differs, we follow CPython (the tests compare with it): a
// parenthesized expression keeps its own span without the parentheses, a decorated def or
// class starts at `def`/`class`, a generator that is a call's sole argument spans the
// call's parentheses, `a[*b]` has a one-element Tuple index, `elif` becomes a nested If.
// A Param spans from its `*`/`**` to the end of its default. Comprehension spans run from
// `for` to the end of the clause's last condition.
//
// Beyond CPython, rejected on purpose: `\N{...}` escapes (E0005), nested replacement
// fields in f-string format specs (E0013), a number glued to a keyword (`1if`, E0004), and
// what the AST cannot represent: `**` in calls (E0406), `**` in dicts, the `*` and `/`
// parameter markers (E0420), async comprehensions (E0415). f-strings follow Python 3.11
// (a replacement field cannot reuse the enclosing quote).
//
// Error handling: parse() never throws. A syntax error sets `panic`, which silences further
// errors until the parser resynchronizes at a statement boundary (the next NEWLINE, or the
// ':' of a compound statement header), so that every line with an error gets one clear
// message. The lexer closes brackets that were never closed, so bracket structure is always
// balanced here. Recursion depth is bounded, and every loop consumes a token or exits.

import type * as A from './ast.ts';
import type { Code, Diagnostic, Span } from './diagnostics.ts';
import { diag } from './diagnostics.ts';
import type { StringInfo } from './lexer.ts';
import { Tk, Token, decodeStr, rawStr, spanOf, tokenize, tokenizeRange, tokenSpan } from './lexer.ts';

// Token kinds as module-local constants: reading an imported binding can cost a getter call
// per access under some loaders, and these are read for every token.
const EOF = Tk.EOF;
const NEWLINE = Tk.Newline;
const INDENT = Tk.Indent;
const DEDENT = Tk.Dedent;
const NAME = Tk.Name;
const KEYWORD = Tk.Keyword;
const INT = Tk.Int;
const FLOAT = Tk.Float;
const STRING = Tk.String;
const OP = Tk.Op;

export interface ParseResult {
  module: A.Module;
  diagnostics: Diagnostic[];
}

/** Parses a module. Never throws: syntax errors (and internal failures) become diagnostics.
 *  After errors the module is partial; a missing expression is a `Name` with id ''. */
export function parse(source: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const module: A.Module = { kind: 'Module', file, body: [] };
  let lexical: ReadonlySet<Diagnostic> = new Set();
  let unclosedLine = 0;
  try {
    const lexed = tokenize(source, file);
    lexical = new Set(lexed.diagnostics);
    for (const d of lexed.diagnostics) diagnostics.push(d);
    if (lexed.unclosedAt >= 0) unclosedLine = spanOf(file, lexed.lineStarts, lexed.unclosedAt, lexed.unclosedAt).line;
    const parser = new Parser(source, file, lexed.tokens, lexed.lineStarts, diagnostics, 0, false);
    module.body = parser.parseModule();
  } catch (e) {
    // A bug in the parser must not surface as a stack trace: report it at the start of the file.
    const span: Span = { file, start: 0, end: 0, line: 1, col: 1, endLine: 1, endCol: 1 };
    const what = e instanceof Error ? e.message : String(e);
    diagnostics.push(diag('E0010', `internal parser error: ${what}`, span, 'please report this bug with the source file'));
  }
  return { module, diagnostics: selectDiagnostics(diagnostics, lexical, unclosedLine) };
}

/** Sorts diagnostics by position and keeps one error per line: a lexical error if the line
 *  has one (the parser's complaint is then a consequence), else the first. When a bracket
 *  was left open at end of file, everything after its line was parsed inside the bracket:
 *  only the "never closed" error is meaningful there. */
function selectDiagnostics(diags: Diagnostic[], lexical: ReadonlySet<Diagnostic>, unclosedLine: number): Diagnostic[] {
  const order = diags.map((d, i) => ({ d, i }));
  order.sort((a, b) => a.d.span.start - b.d.span.start || a.i - b.i);
  const lexicalLines = new Set<number>();
  for (const d of lexical) lexicalLines.add(d.span.line);
  const lines = new Set<number>();
  const out: Diagnostic[] = [];
  for (const { d } of order) {
    const line = d.span.line;
    if (unclosedLine > 0 && line > unclosedLine && !lexical.has(d)) continue;
    if (d.severity === 'error') {
      if (lines.has(line) || (lexicalLines.has(line) && !lexical.has(d))) continue;
      lines.add(line);
    }
    out.push(d);
  }
  return out;
}

// ------------------------------------------------------------------ tables

/** Nesting limit for expressions and blocks (CPython allows 200 nested parentheses). */
const MAX_DEPTH = 200;

const AUG_OPS: ReadonlyMap<string, A.BinOperator> = new Map([
  ['+=', '+'], ['-=', '-'], ['*=', '*'], ['/=', '/'], ['//=', '//'], ['%=', '%'], ['**=', '**'],
  ['<<=', '<<'], ['>>=', '>>'], ['&=', '&'], ['|=', '|'], ['^=', '^'], ['@=', '@'],
] as [string, A.BinOperator][]);

function binPrec(op: string): number {
  switch (op) {
    case '|': return 1;
    case '^': return 2;
    case '&': return 3;
    case '<<': case '>>': return 4;
    case '+': case '-': return 5;
    case '*': case '/': case '//': case '%': case '@': return 6;
    default: return 0;
  }
}

const COMPOUND_KEYWORDS: ReadonlySet<string> = new Set(['def', 'class', 'if', 'while', 'for', 'try', 'with', 'async']);

function describe(t: Token): string {
  switch (t.kind) {
    case EOF: return 'end of file';
    case NEWLINE: return 'end of line';
    case INDENT: return 'an indent';
    case DEDENT: return 'the end of the block';
    case NAME: return `name '${t.value}'`;
    case KEYWORD: return `keyword '${t.value}'`;
    case INT: case FLOAT: return `number ${t.value}`;
    case STRING: return 'a string literal';
    default: return `'${t.value}'`;
  }
}

/** CPython's name for an expression kind in "cannot assign to ..." messages. */
function exprName(e: A.Expr): string {
  switch (e.kind) {
    case 'Attribute': return 'attribute';
    case 'Subscript': return 'subscript';
    case 'Starred': return 'starred';
    case 'Name': return 'name';
    case 'List': return 'list';
    case 'Tuple': return 'tuple';
    case 'Lambda': return 'lambda';
    case 'Call': return 'function call';
    case 'BoolOp': case 'BinOp': case 'UnaryOp': return 'expression';
    case 'GeneratorExp': return 'generator expression';
    case 'Yield': return 'yield expression';
    case 'Await': return 'await expression';
    case 'ListComp': return 'list comprehension';
    case 'SetComp': return 'set comprehension';
    case 'DictComp': return 'dict comprehension';
    case 'Dict': return 'dict literal';
    case 'Set': return 'set display';
    case 'FString': return 'f-string expression';
    case 'None': return 'None';
    case 'Bool': return e.value ? 'True' : 'False';
    case 'Ellipsis': return 'ellipsis';
    case 'Compare': return 'comparison';
    case 'IfExp': return 'conditional expression';
    case 'NamedExpr': return 'named expression';
    case 'Slice': return 'slice';
    default: return 'literal';
  }
}

type TargetContext = 'assign' | 'for' | 'with' | 'del';

interface IfClause { kw: Token; test: A.Expr; body: A.Stmt[] }

// ------------------------------------------------------------------ the parser

class Parser {
  private readonly src: string;
  private readonly file: string;
  private readonly toks: Token[];
  private readonly lineStarts: readonly number[];
  private readonly diags: Diagnostic[];
  /** Parsing an f-string replacement field: syntax errors are E0013 "f-string: ...". */
  private readonly inFString: boolean;
  private pos = 0;
  private tok: Token;
  /** The last consumed token that is not NEWLINE/INDENT/DEDENT: where a node ends. */
  private last: Token;
  /** Set by a syntax error; silences errors until the next synchronization point. */
  private panic = false;
  /** The previous statement had a syntax error (an indented block after it is not "unexpected"). */
  private lastFailed = false;
  private depth: number;

  constructor(src: string, file: string, toks: Token[], lineStarts: readonly number[], diags: Diagnostic[], depth: number, inFString: boolean) {
    this.src = src;
    this.file = file;
    this.toks = toks;
    this.lineStarts = lineStarts;
    this.diags = diags;
    this.depth = depth;
    this.inFString = inFString;
    const t0 = toks[0]!;
    this.tok = t0;
    this.last = new Token(EOF, '', t0.start, t0.start, t0.line, t0.col, t0.line, t0.col, null, true);
  }

  // ---------------------------------------------------------------- tokens

  private next(): Token {
    const t = this.tok;
    if (t.kind !== EOF) {
      if (t.kind > DEDENT) this.last = t;
      this.tok = this.toks[++this.pos]!;
    }
    return t;
  }

  private peek(): Token {
    return this.toks[this.pos + 1] ?? this.tok;
  }

  private isOp(v: string): boolean {
    const t = this.tok;
    return t.kind === OP && t.value === v;
  }

  private isKw(v: string): boolean {
    const t = this.tok;
    return t.kind === KEYWORD && t.value === v;
  }

  private eatOp(v: string): boolean {
    if (this.isOp(v)) { this.next(); return true; }
    return false;
  }

  private eatKw(v: string): boolean {
    if (this.isKw(v)) { this.next(); return true; }
    return false;
  }

  private peekIsOp(v: string): boolean {
    const n = this.peek();
    return n.kind === OP && n.value === v;
  }

  private atLineEnd(): boolean {
    const k = this.tok.kind;
    return k === NEWLINE || k === EOF || k === DEDENT || k === INDENT;
  }

  private canStartExpr(t: Token): boolean {
    switch (t.kind) {
      case NAME: case INT: case FLOAT: case STRING:
        return true;
      case KEYWORD:
        switch (t.value) {
          case 'None': case 'True': case 'False': case 'not': case 'lambda': case 'await': case 'yield':
            return true;
        }
        return false;
      case OP:
        switch (t.value) {
          case '(': case '[': case '{': case '-': case '+': case '~': case '...': case '*':
            return true;
        }
        return false;
    }
    return false;
  }

  // ---------------------------------------------------------------- spans and errors

  /** From the start of `start` to the end of the last consumed token. */
  private span(start: Token): Span {
    const l = this.last;
    if (l.start < start.start) return this.pointSpan(start.start, start.line, start.col);
    return { file: this.file, start: start.start, end: l.end, line: start.line, col: start.col, endLine: l.endLine, endCol: l.endCol };
  }

  private tokSpan(t: Token): Span {
    return tokenSpan(this.file, t);
  }

  private pointSpan(offset: number, line: number, col: number): Span {
    return { file: this.file, start: offset, end: offset, line, col, endLine: line, endCol: col };
  }

  private offsetSpan(start: number, end: number): Span {
    return spanOf(this.file, this.lineStarts, start, end);
  }

  /** Where to point an "expected ..." error: the current token, or just after the last one
   *  when the current token is the end of a line. */
  private hereSpan(): Span {
    if (!this.atLineEnd()) return this.tokSpan(this.tok);
    const l = this.last;
    if (l.synthetic && l.kind === EOF) return this.pointSpan(this.tok.start, this.tok.line, this.tok.col);
    return this.pointSpan(l.end, l.endLine, l.endCol);
  }

  private error(code: Code, message: string, span: Span, hint?: string): void {
    if (this.panic) return;
    this.panic = true;
    if (this.inFString && (code === 'E0010' || code === 'E0011')) {
      code = 'E0013';
      message = `f-string: ${message}`;
    }
    this.diags.push(diag(code, message, span, hint));
  }

  /** A construct that parses fine but is outside the language and cannot be represented in
   *  the AST: reported without entering panic mode. */
  private reject(code: Code, message: string, span: Span, hint?: string): void {
    if (this.panic) return;
    this.diags.push(diag(code, message, span, hint));
  }

  private errorExpr(): A.Name {
    const t = this.tok;
    return { kind: 'Name', id: '', span: this.pointSpan(t.start, t.line, t.col) };
  }

  private expectedExpression(): A.Name {
    const t = this.tok;
    const l = this.last;
    let message = `invalid syntax: expected an expression, found ${describe(t)}`;
    if (this.atLineEnd() && l.kind === OP && !l.synthetic) message = `invalid syntax: expected an expression after '${l.value}'`;
    this.error('E0011', message, this.hereSpan());
    return this.errorExpr();
  }

  /** Skips to the end of the logical line (not consuming it): used when nesting is too deep. */
  private tooDeep(): A.Name {
    this.error('E0010', 'too many nested parentheses or operators: the expression is too deeply nested', this.hereSpan(),
      'split it into several statements');
    while (!this.atLineEnd()) this.next();
    return this.errorExpr();
  }

  // ---------------------------------------------------------------- statements

  parseModule(): A.Stmt[] {
    const body: A.Stmt[] = [];
    this.statements(body, false);
    return body;
  }

  private statements(body: A.Stmt[], inBlock: boolean): void {
    for (;;) {
      const k = this.tok.kind;
      if (k === EOF) return;
      if (k === DEDENT) {
        if (inBlock) return;
        this.next();
        continue;
      }
      if (k === NEWLINE) { this.next(); continue; }
      if (k === INDENT) { this.unexpectedIndent(body); continue; }
      const before = this.pos;
      this.statement(body);
      if (this.panic) this.sync();
      else this.lastFailed = false;
      if (this.pos === before) this.next();
    }
  }

  /** Skips the rest of a failed statement, up to and including its NEWLINE. */
  private sync(): void {
    this.lastFailed = true;
    for (;;) {
      const k = this.tok.kind;
      if (k === NEWLINE) { this.next(); break; }
      if (k === EOF || k === DEDENT || k === INDENT) break;
      this.next();
    }
    this.panic = false;
  }

  private unexpectedIndent(body: A.Stmt[]): void {
    this.next();
    if (!this.lastFailed && !this.panic) {
      this.diags.push(diag('E0003', 'unexpected indent', this.tokSpan(this.tok),
        'this line is indented more than the block it is in'));
    }
    this.nestedBlock(body);
  }

  /** The statements of an indented block (after its INDENT), up to and including its DEDENT. */
  private nestedBlock(body: A.Stmt[]): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      this.error('E0003', 'too many levels of indentation', this.hereSpan());
      this.skipBlock();
      return;
    }
    this.statements(body, true);
    this.depth--;
    if (this.tok.kind === DEDENT) this.next();
  }

  private skipBlock(): void {
    let level = 1;
    while (this.tok.kind !== EOF) {
      const k = this.next().kind;
      if (k === INDENT) level++;
      else if (k === DEDENT && --level === 0) return;
    }
  }

  private statement(body: A.Stmt[]): void {
    const t = this.tok;
    if (t.kind === KEYWORD) {
      switch (t.value) {
        case 'def': body.push(this.funcDef([], t, false)); return;
        case 'class': body.push(this.classDef([])); return;
        case 'if': body.push(this.ifStmt()); return;
        case 'while': body.push(this.whileStmt()); return;
        case 'for': body.push(this.forStmt(t, false)); return;
        case 'try': body.push(this.tryStmt()); return;
        case 'with': body.push(this.withStmt(t, false)); return;
        case 'async': { const s = this.asyncStmt(); if (s !== null) body.push(s); return; }
        case 'else': case 'elif': case 'except': case 'finally': this.danglingClause(); return;
      }
    } else if (t.kind === OP && t.value === '@') {
      const s = this.decorated();
      if (s !== null) body.push(s);
      return;
    } else if (t.kind === NAME) {
      if (t.value === 'match' && this.looksLikeMatch()) { body.push(this.matchStmt()); return; }
      if (t.value === 'type' && this.looksLikeTypeAlias()) { body.push(this.typeAlias()); return; }
    }
    this.simpleStatements(body);
  }

  /** `simple_stmt (';' simple_stmt)* [';'] NEWLINE` */
  private simpleStatements(body: A.Stmt[]): void {
    for (;;) {
      const s = this.simpleStatement();
      if (s !== null) body.push(s);
      if (this.panic) return;
      if (this.isOp(';')) {
        this.next();
        if (this.tok.kind === NEWLINE) { this.next(); return; }
        if (this.tok.kind === EOF) return;
        continue;
      }
      const k = this.tok.kind;
      if (k === NEWLINE) { this.next(); return; }
      if (k === EOF || k === DEDENT) return;
      this.unexpectedAfterStatement(s);
      return;
    }
  }

  private unexpectedAfterStatement(s: A.Stmt | null): void {
    const t = this.tok;
    if (s !== null && s.kind === 'Expr' && s.value.kind === 'Name' && (s.value.id === 'print' || s.value.id === 'exec') && this.canStartExpr(t)) {
      this.error('E0010', `missing parentheses in call to '${s.value.id}'`, this.tokSpan(t), `write ${s.value.id}(...)`);
      return;
    }
    if (t.kind === OP && t.value === '=' && s !== null && s.kind === 'Expr') {
      this.error('E0010', "invalid syntax: unexpected '='", this.tokSpan(t));
      return;
    }
    const hint = this.canStartExpr(t) ? 'perhaps an operator or a comma is missing, or this belongs on a new line' : undefined;
    this.error('E0010', `invalid syntax: unexpected ${describe(t)}`, this.tokSpan(t), hint);
  }

  private simpleStatement(): A.Stmt | null {
    const t = this.tok;
    if (t.kind === KEYWORD) {
      switch (t.value) {
        case 'pass': this.next(); return { kind: 'Pass', span: this.span(t) };
        case 'break': this.next(); return { kind: 'Break', span: this.span(t) };
        case 'continue': this.next(); return { kind: 'Continue', span: this.span(t) };
        case 'return': return this.returnStmt();
        case 'raise': return this.raiseStmt();
        case 'global': case 'nonlocal': return this.globalStmt();
        case 'del': return this.delStmt();
        case 'assert': return this.assertStmt();
        case 'import': return this.importStmt();
        case 'from': return this.fromImport();
        case 'yield': {
          this.yieldExpr();
          return { kind: 'Unsupported', construct: 'yield', body: [], span: this.span(t) };
        }
        case 'else': case 'elif': case 'except': case 'finally':
        case 'def': case 'class': case 'if': case 'while': case 'for': case 'try': case 'with': case 'async':
          this.error('E0010', `invalid syntax: '${t.value}' must start a new line`, this.tokSpan(t),
            'a compound statement cannot follow another statement on the same line');
          return null;
      }
    }
    return this.exprOrAssign();
  }

  private rhs(): A.Expr {
    return this.isKw('yield') ? this.yieldExpr() : this.starExpressions();
  }

  private exprOrAssign(): A.Stmt {
    const start = this.tok;
    const first = this.starExpressions();
    if (!this.panic && this.tok.kind === OP) {
      const v = this.tok.value;
      if (v === '=') return this.assign(start, first);
      if (v === ':') return this.annAssign(start, first);
      if (v === ':=') {
        this.error('E0010', "invalid syntax: ':=' needs parentheses here", this.tokSpan(this.tok), 'use = for an assignment statement');
      } else {
        const op = AUG_OPS.get(v);
        if (op !== undefined) return this.augAssign(start, first, op);
      }
    }
    return { kind: 'Expr', value: first, span: this.span(start) };
  }

  private assign(start: Token, first: A.Expr): A.Assign {
    const targets = [first];
    let value: A.Expr;
    for (;;) {
      this.next();
      const v = this.rhs();
      if (this.isOp('=') && !this.panic) { targets.push(v); continue; }
      value = v;
      break;
    }
    for (const t of targets) this.checkTarget(t, 'assign');
    return { kind: 'Assign', targets, value, span: this.span(start) };
  }

  private annAssign(start: Token, target: A.Expr): A.AnnAssign {
    this.next();
    if (target.kind === 'Tuple' || target.kind === 'List') {
      this.error('E0012', `only single target (not ${target.kind === 'Tuple' ? 'tuple' : 'list'}) can be annotated`, target.span,
        'annotate each variable in its own statement');
    } else if (target.kind !== 'Name' && target.kind !== 'Attribute' && target.kind !== 'Subscript') {
      this.error('E0012', `illegal target for annotation: cannot annotate ${exprName(target)}`, target.span);
    }
    const annotation = this.expression();
    const value = this.eatOp('=') ? this.rhs() : null;
    return { kind: 'AnnAssign', target, annotation, value, span: this.span(start) };
  }

  private augAssign(start: Token, target: A.Expr, op: A.BinOperator): A.AugAssign {
    const opTok = this.next();
    if (target.kind !== 'Name' && target.kind !== 'Attribute' && target.kind !== 'Subscript') {
      this.error('E0012', `'${exprName(target)}' is an illegal expression for augmented assignment`, target.span,
        'augmented assignment (+= etc.) needs a single variable, attribute or subscript');
    }
    const value = this.rhs();
    return { kind: 'AugAssign', target, op, value, opSpan: this.tokSpan(opTok), span: this.span(start) };
  }

  /** Reports an invalid assignment (or deletion) target, like CPython. */
  private checkTarget(e: A.Expr, ctx: TargetContext): void {
    switch (e.kind) {
      case 'Name': case 'Attribute': case 'Subscript':
        return;
      case 'Tuple': case 'List': {
        let starred = 0;
        for (const x of e.elts) {
          if (x.kind === 'Starred' && ctx !== 'del') {
            if (++starred > 1) {
              this.error('E0012', 'multiple starred expressions in assignment', e.span);
              return;
            }
            this.checkTarget(x.value, ctx);
          } else this.checkTarget(x, ctx);
        }
        return;
      }
      case 'Starred':
        if (ctx !== 'del') {
          this.error('E0012', 'starred assignment target must be in a list or tuple', e.span, 'write `*a, = ...` or `[*a] = ...`');
          return;
        }
        break;
    }
    const what = exprName(e);
    if (ctx === 'del') this.error('E0012', `cannot delete ${what}`, e.span);
    else if (ctx === 'assign') this.error('E0012', `cannot assign to ${what}`, e.span, "maybe you meant '==' instead of '='?");
    else this.error('E0012', `cannot assign to ${what}`, e.span);
  }

  private returnStmt(): A.Return {
    const t = this.next();
    const value = this.canStartExpr(this.tok) ? this.starExpressions() : null;
    return { kind: 'Return', value, span: this.span(t) };
  }

  private raiseStmt(): A.Unsupported {
    const t = this.next();
    if (this.canStartExpr(this.tok)) {
      this.expression();
      if (this.eatKw('from')) this.expression();
    }
    return { kind: 'Unsupported', construct: 'raise', body: [], span: this.span(t) };
  }

  private globalStmt(): A.Unsupported {
    const t = this.next();
    do {
      if (this.tok.kind !== NAME) {
        this.error('E0011', `expected a name after '${t.value}', found ${describe(this.tok)}`, this.hereSpan());
        break;
      }
      this.next();
    } while (this.eatOp(','));
    return { kind: 'Unsupported', construct: t.value, body: [], span: this.span(t) };
  }

  private delStmt(): A.Delete {
    const t = this.next();
    const targets: A.Expr[] = [];
    do {
      if (!this.canStartExpr(this.tok)) {
        if (targets.length === 0) this.expectedExpression();
        break;
      }
      const e = this.binary(1);
      if (!this.panic) this.checkTarget(e, 'del');
      targets.push(e);
    } while (this.eatOp(','));
    return { kind: 'Delete', targets, span: this.span(t) };
  }

  private assertStmt(): A.Assert {
    const t = this.next();
    const test = this.expression();
    const msg = this.eatOp(',') ? this.expression() : null;
    return { kind: 'Assert', test, msg, span: this.span(t) };
  }

  private importStmt(): A.Import {
    const t = this.next();
    const names: A.ImportAlias[] = [];
    do {
      const alias = this.importAlias(true);
      if (alias === null) break;
      names.push(alias);
    } while (this.eatOp(','));
    return { kind: 'Import', names, span: this.span(t) };
  }

  /** `name [as name]`, dotted for `import a.b`. */
  private importAlias(dotted: boolean): A.ImportAlias | null {
    const start = this.tok;
    if (start.kind !== NAME) {
      this.error('E0011', `expected a module or name to import, found ${describe(start)}`, this.hereSpan());
      return null;
    }
    let name = this.next().value;
    while (dotted && this.isOp('.')) {
      this.next();
      if (this.tok.kind !== NAME) {
        this.error('E0011', `expected a name after '.', found ${describe(this.tok)}`, this.hereSpan());
        return null;
      }
      name += '.' + this.next().value;
    }
    let asname: string | null = null;
    if (this.eatKw('as')) {
      if (this.tok.kind !== NAME) {
        this.error('E0011', `expected a name after 'as', found ${describe(this.tok)}`, this.hereSpan());
        return null;
      }
      asname = this.next().value;
    }
    return { name, asname, span: this.span(start) };
  }

  private fromImport(): A.ImportFrom {
    const t = this.next();
    let level = 0;
    while (this.isOp('.') || this.isOp('...')) level += this.next().value.length;
    let module = '';
    if (this.tok.kind === NAME) {
      module = this.next().value;
      while (this.isOp('.')) {
        this.next();
        if (this.tok.kind !== NAME) {
          this.error('E0011', `expected a name after '.', found ${describe(this.tok)}`, this.hereSpan());
          break;
        }
        module += '.' + this.next().value;
      }
    } else if (level === 0) {
      this.error('E0011', `expected a module name after 'from', found ${describe(this.tok)}`, this.hereSpan());
    }
    const names: A.ImportAlias[] = [];
    if (!this.panic && !this.eatKw('import')) {
      this.error('E0011', `expected 'import' after the module name, found ${describe(this.tok)}`, this.hereSpan());
    }
    if (!this.panic) {
      if (this.isOp('*')) {
        const s = this.next();
        names.push({ name: '*', asname: null, span: this.tokSpan(s) });
      } else if (this.isOp('(')) {
        this.next();
        while (!this.isOp(')')) {
          const a = this.importAlias(false);
          if (a === null) break;
          names.push(a);
          if (!this.eatOp(',')) break;
        }
        this.closeBracket(')');
      } else {
        do {
          const a = this.importAlias(false);
          if (a === null) break;
          names.push(a);
        } while (this.eatOp(','));
      }
    }
    return { kind: 'ImportFrom', module, names, level, span: this.span(t) };
  }

  private danglingClause(): void {
    const t = this.next();
    const what = t.value === 'else' ? "'if', 'for', 'while' or 'try'" : t.value === 'elif' ? "'if'" : "'try'";
    this.error('E0010', `invalid syntax: '${t.value}' without a matching ${what}`, this.tokSpan(t),
      `check the indentation: '${t.value}' must line up with the statement it continues`);
    if (t.value === 'except' || t.value === 'elif') {
      while (!this.atLineEnd() && !this.isOp(':')) this.next();
    }
    this.block(`'${t.value}' statement`, t, `after '${t.value}'`);
  }

  // ---------------------------------------------------------------- blocks

  /** ':' and the block of a compound statement. Resynchronizes on errors in the header. */
  private block(ctx: string, head: Token, colonWhere: string, isCondition = false): A.Stmt[] {
    if (this.panic || !this.isOp(':')) {
      if (!this.panic) this.missingColon(colonWhere, isCondition);
      this.skipToBlockColon();
      this.panic = false;
    }
    this.eatOp(':');
    const body: A.Stmt[] = [];
    const k = this.tok.kind;
    if (k === NEWLINE) {
      this.next();
      if (this.tok.kind === INDENT) {
        this.next();
        this.nestedBlock(body);
        return body;
      }
      this.missingBlock(ctx, head);
      return body;
    }
    if (k === EOF || k === DEDENT) {
      this.missingBlock(ctx, head);
      return body;
    }
    const t = this.tok;
    if (t.kind === KEYWORD && COMPOUND_KEYWORDS.has(t.value)) {
      this.reject('E0010', `invalid syntax: '${t.value}' must start a new line`, this.tokSpan(t),
        "put the nested statement on its own line, indented under the ':'");
      this.statement(body);
      return body;
    }
    this.simpleStatements(body);
    return body;
  }

  private missingColon(where: string, isCondition: boolean): void {
    const t = this.tok;
    if (isCondition && t.kind === OP && t.value === '=') {
      this.error('E0010', "invalid syntax: '=' is an assignment", this.tokSpan(t), "maybe you meant '==' (comparison) or ':=' instead of '='?");
      return;
    }
    const hint = t.kind === KEYWORD && t.value === 'if' && where === "after 'else'" ? "write 'elif' instead of 'else if'" : undefined;
    this.error('E0011', `expected ':' ${where}`, this.hereSpan(), hint);
  }

  private missingBlock(ctx: string, head: Token): void {
    // Point at the next statement (CPython does too), skipping the dedents before it.
    let i = this.pos;
    while (this.toks[i]!.kind === DEDENT) i++;
    const t = this.toks[i]!;
    const span = t.kind === EOF ? this.hereSpan() : this.tokSpan(t);
    this.diags.push(diag('E0011', `expected an indented block after ${ctx} on line ${head.line}`, span,
      'indent the body under the statement, or write `pass` for an empty block'));
  }

  /** After an error in a block header: skip to the header's ':' (not consuming it). */
  private skipToBlockColon(): void {
    let depth = 0;
    while (!this.atLineEnd()) {
      const t = this.tok;
      if (t.kind === OP) {
        const v = t.value;
        if (v === ':' && depth <= 0) return;
        if (v === '(' || v === '[' || v === '{') depth++;
        else if (v === ')' || v === ']' || v === '}') depth--;
      }
      this.next();
    }
  }

  // ---------------------------------------------------------------- compound statements

  private ifStmt(): A.If {
    const clauses: IfClause[] = [];
    let kw = this.next();
    for (;;) {
      const test = this.namedExpression();
      const body = this.block(`'${kw.value}' statement`, kw, `after the '${kw.value}' condition`, true);
      clauses.push({ kw, test, body });
      if (!this.isKw('elif')) break;
      kw = this.next();
    }
    let orelse: A.Stmt[] = [];
    if (this.isKw('else')) {
      const e = this.next();
      orelse = this.block("'else' statement", e, "after 'else'");
    }
    // elif chains nest as in CPython's AST; every clause ends where the whole statement ends.
    for (let i = clauses.length - 1; i >= 0; i--) {
      const c = clauses[i]!;
      orelse = [{ kind: 'If', test: c.test, body: c.body, orelse, span: this.span(c.kw) }];
    }
    return orelse[0] as A.If;
  }

  private loopElse(): A.Stmt[] {
    if (!this.isKw('else')) return [];
    const e = this.next();
    return this.block("'else' statement", e, "after 'else'");
  }

  private whileStmt(): A.While {
    const kw = this.next();
    const test = this.namedExpression();
    const body = this.block("'while' statement", kw, "after the 'while' condition", true);
    const orelse = this.loopElse();
    return { kind: 'While', test, body, orelse, span: this.span(kw) };
  }

  private forStmt(start: Token, isAsync: boolean): A.For {
    const kw = this.next();
    const target = this.starTargets();
    if (!this.panic) this.checkTarget(target, 'for');
    let iter: A.Expr;
    if (this.eatKw('in')) iter = this.starExpressions();
    else {
      this.error('E0011', `expected 'in' after the loop variable, found ${describe(this.tok)}`, this.hereSpan(),
        'a for loop is written `for x in items:`');
      iter = this.errorExpr();
    }
    const body = this.block("'for' statement", kw, "after the 'for' loop header");
    const orelse = this.loopElse();
    return { kind: 'For', target, iter, body, orelse, isAsync, span: this.span(start) };
  }

  private funcDef(decorators: A.Expr[], start: Token, isAsync: boolean): A.FunctionDef {
    const kw = this.next();
    let name = '';
    let nameSpan = this.hereSpan();
    if (this.tok.kind === NAME) {
      const n = this.next();
      name = n.value;
      nameSpan = this.tokSpan(n);
    } else {
      this.error('E0011', `expected a function name after 'def', found ${describe(this.tok)}`, this.hereSpan(),
        this.tok.kind === KEYWORD ? 'keywords cannot be used as names' : undefined);
    }
    let params: A.Param[] = [];
    if (!this.panic) {
      if (this.isOp('(')) {
        this.next();
        params = this.params(')', true);
        this.closeBracket(')');
      } else {
        this.error('E0011', `expected '(' after the function name, found ${describe(this.tok)}`, this.hereSpan());
      }
    }
    const returns = !this.panic && this.eatOp('->') ? this.expression() : null;
    const body = this.block('function definition', kw, 'after the function signature');
    return { kind: 'FunctionDef', name, nameSpan, params, returns, body, decorators, isAsync, span: this.span(start) };
  }

  /** Parameters up to `closer` (')' for def, ':' for lambda), not consuming it. */
  private params(closer: string, annotated: boolean): A.Param[] {
    const params: A.Param[] = [];
    let sawDefault = false;
    let sawStar = false;
    let sawKwargs = false;
    while (!this.isOp(closer)) {
      const start = this.tok;
      if (this.isOp('/')) {
        this.next();
        if (params.length === 0) this.error('E0010', 'at least one parameter must precede /', this.tokSpan(start));
        this.reject('E0420', "the positional-only marker '/' is not supported", this.tokSpan(start), 'remove the /');
      } else if (this.isOp('*') && (this.peekIsOp(',') || this.peekIsOp(closer))) {
        this.next();
        sawStar = true;
        this.reject('E0420', "the keyword-only marker '*' is not supported", this.tokSpan(start), 'remove the *');
      } else {
        const p = this.param(start, annotated, sawDefault, sawStar, sawKwargs);
        if (p === null) break;
        if (p.default !== null) sawDefault = true;
        if (p.star === '*') sawStar = true;
        if (p.star === '**') sawKwargs = true;
        params.push(p);
      }
      if (this.eatOp(',')) continue;
      if (this.isOp(closer)) break;
      if (this.tok.kind === NAME) {
        this.error('E0010', 'invalid syntax: perhaps you forgot a comma between the parameters?', this.tokSpan(this.tok));
        continue;
      }
      this.error('E0010', `invalid syntax: expected ',' or '${closer}' after a parameter, found ${describe(this.tok)}`, this.hereSpan());
      break;
    }
    return params;
  }

  private param(start: Token, annotated: boolean, sawDefault: boolean, sawStar: boolean, sawKwargs: boolean): A.Param | null {
    let star: '' | '*' | '**' = '';
    if (this.eatOp('*')) star = '*';
    else if (this.eatOp('**')) star = '**';
    if (this.tok.kind !== NAME) {
      this.error('E0011', `expected a parameter name, found ${describe(this.tok)}`, this.hereSpan(),
        this.tok.kind === KEYWORD ? 'keywords cannot be used as names' : undefined);
      return null;
    }
    const nameTok = this.next();
    if (sawKwargs) this.error('E0010', 'parameters cannot follow the **kwargs parameter', this.tokSpan(nameTok));
    const annotation = annotated && this.eatOp(':') ? this.expression() : null;
    let def: A.Expr | null = null;
    if (this.isOp('=')) {
      const eq = this.next();
      if (star !== '') this.error('E0010', `${star === '*' ? 'var-positional' : 'var-keyword'} parameter cannot have a default value`, this.tokSpan(eq));
      def = this.expression();
    } else if (sawDefault && star === '' && !sawStar) {
      this.error('E0010', 'non-default parameter follows default parameter', this.tokSpan(nameTok));
    }
    return { name: nameTok.value, annotation, default: def, star, span: this.span(start) };
  }

  private classDef(decorators: A.Expr[]): A.ClassDef {
    const kw = this.next();
    let name = '';
    let nameSpan = this.hereSpan();
    if (this.tok.kind === NAME) {
      const n = this.next();
      name = n.value;
      nameSpan = this.tokSpan(n);
    } else {
      this.error('E0011', `expected a class name after 'class', found ${describe(this.tok)}`, this.hereSpan(),
        this.tok.kind === KEYWORD ? 'keywords cannot be used as names' : undefined);
    }
    let bases: A.Expr[] = [];
    let keywords: A.Keyword[] = [];
    if (!this.panic && this.isOp('(')) {
      const r = this.callArguments();
      bases = r.args;
      keywords = r.keywords;
    }
    const body = this.block('class definition', kw, 'after the class header');
    return { kind: 'ClassDef', name, nameSpan, bases, keywords, body, decorators, span: this.span(kw) };
  }

  private decorated(): A.Stmt | null {
    const decorators: A.Expr[] = [];
    while (this.isOp('@')) {
      this.next();
      decorators.push(this.namedExpression());
      if (this.tok.kind === NEWLINE) this.next();
      else {
        this.error('E0010', `invalid syntax: expected the end of the line after the decorator, found ${describe(this.tok)}`, this.hereSpan());
        this.sync();
      }
    }
    const t = this.tok;
    if (t.kind === KEYWORD) {
      if (t.value === 'def') return this.funcDef(decorators, t, false);
      if (t.value === 'class') return this.classDef(decorators);
      if (t.value === 'async' && this.peek().kind === KEYWORD && this.peek().value === 'def') {
        this.next();
        return this.funcDef(decorators, t, true);
      }
    }
    this.error('E0011', `expected a function or class definition after the decorator, found ${describe(t)}`, this.hereSpan(),
      'a decorator must be followed by `def` or `class`');
    return null;
  }

  private tryStmt(): A.Unsupported {
    const kw = this.next();
    const body = this.block("'try' statement", kw, "after 'try'");
    let handlers = 0;
    while (this.isKw('except')) {
      const ex = this.next();
      handlers++;
      this.eatOp('*');
      if (!this.isOp(':')) {
        this.expression();
        if (this.isOp(',') && !this.panic) {
          this.error('E0010', 'multiple exception types must be parenthesized', this.tokSpan(this.tok), 'write `except (A, B):`');
        }
        if (this.eatKw('as') && !this.panic) {
          if (this.tok.kind === NAME) this.next();
          else this.error('E0011', `expected a name after 'as', found ${describe(this.tok)}`, this.hereSpan());
        }
      }
      for (const s of this.block("'except' statement", ex, "after the 'except' clause")) body.push(s);
    }
    if (handlers > 0 && this.isKw('else')) {
      const e = this.next();
      for (const s of this.block("'else' statement", e, "after 'else'")) body.push(s);
    }
    let fin = false;
    if (this.isKw('finally')) {
      const f = this.next();
      fin = true;
      for (const s of this.block("'finally' statement", f, "after 'finally'")) body.push(s);
    }
    if (handlers === 0 && !fin) {
      this.error('E0011', "expected 'except' or 'finally' block", this.hereSpan());
    }
    return { kind: 'Unsupported', construct: 'try', body, span: this.span(kw) };
  }

  private withStmt(start: Token, isAsync: boolean): A.Unsupported {
    const kw = this.next();
    if (this.isOp('(') && this.parenthesizedWithItems()) {
      this.next();
      while (!this.isOp(')')) {
        this.withItem();
        if (!this.eatOp(',')) break;
      }
      this.closeBracket(')');
    } else {
      do this.withItem(); while (this.eatOp(','));
    }
    const body = this.block("'with' statement", kw, "after the 'with' items");
    return { kind: 'Unsupported', construct: isAsync ? 'async' : 'with', body, span: this.span(start) };
  }

  /** `with (a as b, c):` rather than `with (a, b) as c:`: the ')' matching the current '('
   *  is followed by the block's ':'. */
  private parenthesizedWithItems(): boolean {
    const n = this.peek();
    if (n.kind === KEYWORD && n.value === 'yield') return false;
    let depth = 0;
    for (let i = this.pos; i < this.toks.length; i++) {
      const t = this.toks[i]!;
      if (t.kind === NEWLINE || t.kind === EOF) return false;
      if (t.kind !== OP) continue;
      if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
      else if (t.value === ')' || t.value === ']' || t.value === '}') {
        if (--depth === 0) {
          const n = this.toks[i + 1]!;
          return n.kind === OP && n.value === ':';
        }
      }
    }
    return false;
  }

  private withItem(): void {
    this.expression();
    if (this.eatKw('as')) {
      const target = this.starTarget();
      if (!this.panic) this.checkTarget(target, 'with');
    }
  }

  private asyncStmt(): A.Stmt | null {
    const a = this.next();
    const t = this.tok;
    if (t.kind === KEYWORD) {
      if (t.value === 'def') return this.funcDef([], a, true);
      if (t.value === 'for') return this.forStmt(a, true);
      if (t.value === 'with') return this.withStmt(a, true);
    }
    this.error('E0010', `invalid syntax: expected 'def', 'for' or 'with' after 'async', found ${describe(t)}`, this.hereSpan());
    return null;
  }

  /** `match subject:` followed by an indented block (`match` is a soft keyword). */
  private looksLikeMatch(): boolean {
    const n = this.peek();
    if (n.kind === NEWLINE || n.kind === EOF) return false;
    if (n.kind === OP && (n.value === '=' || n.value === ':' || n.value === '.' || AUG_OPS.has(n.value))) return false;
    let i = this.pos + 1;
    while (this.toks[i]!.kind !== NEWLINE && this.toks[i]!.kind !== EOF) i++;
    const colon = this.toks[i - 1]!;
    return colon.kind === OP && colon.value === ':' && this.toks[i + 1]?.kind === INDENT;
  }

  private matchStmt(): A.Unsupported {
    const kw = this.next();
    this.starExpressions();
    const body: A.Stmt[] = [];
    if (this.panic) this.skipToBlockColon();
    this.panic = false;
    this.eatOp(':');
    if (this.tok.kind === NEWLINE) this.next();
    if (this.tok.kind !== INDENT) return { kind: 'Unsupported', construct: 'match', body, span: this.span(kw) };
    this.next();
    for (;;) {
      const t = this.tok;
      if (t.kind === EOF) break;
      if (t.kind === DEDENT) { this.next(); break; }
      if (t.kind === NEWLINE) { this.next(); continue; }
      if (t.kind === INDENT) { this.next(); this.nestedBlock([]); continue; }
      if (t.kind === NAME && t.value === 'case') {
        this.next();
        this.skipCasePattern();
        for (const s of this.block("'case' statement", t, "after the 'case' pattern")) body.push(s);
        continue;
      }
      this.error('E0010', `invalid syntax: expected 'case' in the 'match' block, found ${describe(t)}`, this.tokSpan(t));
      this.sync();
    }
    return { kind: 'Unsupported', construct: 'match', body, span: this.span(kw) };
  }

  /** Patterns are not part of the language: skip them, but parse the guard. */
  private skipCasePattern(): void {
    let depth = 0;
    while (!this.atLineEnd()) {
      const t = this.tok;
      if (depth === 0 && t.kind === KEYWORD && t.value === 'if') {
        this.next();
        this.namedExpression();
        return;
      }
      if (t.kind === OP) {
        const v = t.value;
        if (v === ':' && depth === 0) return;
        if (v === '(' || v === '[' || v === '{') depth++;
        else if (v === ')' || v === ']' || v === '}') depth--;
      }
      this.next();
    }
  }

  /** `type Name[params] = value` (soft keyword). */
  private looksLikeTypeAlias(): boolean {
    const n = this.peek();
    if (n.kind !== NAME) return false;
    const m = this.toks[this.pos + 2]!;
    return m.kind === OP && (m.value === '=' || m.value === '[');
  }

  private typeAlias(): A.Unsupported {
    const kw = this.next();
    this.next();
    if (this.isOp('[')) {
      this.next();
      this.closeBracket(']', true);
    }
    if (this.eatOp('=')) this.expression();
    else this.error('E0011', `expected '=' in the type alias, found ${describe(this.tok)}`, this.hereSpan());
    return { kind: 'Unsupported', construct: 'type-alias', body: [], span: this.span(kw) };
  }

  // ---------------------------------------------------------------- expressions

  /** `star_expressions`: an expression, or an unparenthesized tuple of them. */
  private starExpressions(): A.Expr {
    return this.commaTuple(() => this.starExpression());
  }

  private starExpression(): A.Expr {
    return this.starredOr(() => this.expression());
  }

  /** `item` or `item, item, ...` (a trailing comma allowed) as an unparenthesized tuple. */
  private commaTuple(item: () => A.Expr): A.Expr {
    const start = this.tok;
    const first = item();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (!this.canStartExpr(this.tok)) break;
      elts.push(item());
    }
    return { kind: 'Tuple', elts, parenthesized: false, span: this.span(start) };
  }

  /** `*x` (a Starred node over a bitwise-or expression), or else `plain()`. */
  private starredOr(plain: () => A.Expr): A.Expr {
    const t = this.tok;
    if (t.kind === OP && t.value === '*') {
      this.next();
      const value = this.binary(1);
      return { kind: 'Starred', value, span: this.span(t) };
    }
    return plain();
  }

  private starNamedExpression(): A.Expr {
    const t = this.tok;
    if (t.kind === OP && t.value === '*') {
      this.next();
      const value = this.binary(1);
      return { kind: 'Starred', value, span: this.span(t) };
    }
    return this.namedExpression();
  }

  /** `NAME := expression | expression` */
  private namedExpression(): A.Expr {
    const t = this.tok;
    if (t.kind === NAME && this.peekIsOp(':=')) {
      this.next();
      this.next();
      const target: A.Name = { kind: 'Name', id: t.value, span: this.tokSpan(t) };
      const value = this.expression();
      return { kind: 'NamedExpr', target, value, span: this.span(t) };
    }
    const e = this.expression();
    if (this.isOp(':=')) {
      this.error('E0012', `cannot use assignment expressions with ${exprName(e)}`, e.span, 'the target of := must be a plain name');
    }
    return e;
  }

  /** `expression`: a conditional expression, a lambda, or a disjunction. */
  private expression(): A.Expr {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return this.tooDeep();
    }
    const e = this.conditional();
    this.depth--;
    return e;
  }

  private conditional(): A.Expr {
    const t = this.tok;
    if (t.kind === KEYWORD && t.value === 'lambda') return this.lambda();
    const body = this.disjunction();
    if (!this.isKw('if')) return body;
    this.next();
    const test = this.disjunction();
    if (!this.eatKw('else')) {
      this.error('E0011', "expected 'else' after 'if' expression", this.span(t), 'a conditional expression is written `a if condition else b`');
      return { kind: 'IfExp', test, body, orelse: this.errorExpr(), span: this.span(t) };
    }
    const orelse = this.expression();
    return { kind: 'IfExp', test, body, orelse, span: this.span(t) };
  }

  private lambda(): A.Lambda {
    const kw = this.next();
    this.params(':', false);
    let body: A.Expr;
    if (this.eatOp(':')) body = this.expression();
    else {
      this.error('E0011', `expected ':' after the lambda parameters, found ${describe(this.tok)}`, this.hereSpan());
      body = this.errorExpr();
    }
    return { kind: 'Lambda', body, span: this.span(kw) };
  }

  private disjunction(): A.Expr {
    const start = this.tok;
    const first = this.conjunction();
    if (!this.isKw('or')) return first;
    const values = [first];
    while (this.eatKw('or')) values.push(this.conjunction());
    return { kind: 'BoolOp', op: 'or', values, span: this.span(start) };
  }

  private conjunction(): A.Expr {
    const start = this.tok;
    const first = this.inversion();
    if (!this.isKw('and')) return first;
    const values = [first];
    while (this.eatKw('and')) values.push(this.inversion());
    return { kind: 'BoolOp', op: 'and', values, span: this.span(start) };
  }

  private inversion(): A.Expr {
    const t = this.tok;
    if (t.kind === KEYWORD && t.value === 'not') {
      if (++this.depth > MAX_DEPTH) {
        this.depth--;
        return this.tooDeep();
      }
      this.next();
      const operand = this.inversion();
      this.depth--;
      return { kind: 'UnaryOp', op: 'not', operand, span: this.span(t) };
    }
    return this.comparison();
  }

  private comparison(): A.Expr {
    const start = this.tok;
    const left = this.binary(1);
    let op = this.compareOp();
    if (op === null) return left;
    const ops: A.CmpOperator[] = [];
    const comparators: A.Expr[] = [];
    while (op !== null) {
      ops.push(op);
      comparators.push(this.binary(1));
      op = this.compareOp();
    }
    return { kind: 'Compare', left, ops, comparators, span: this.span(start) };
  }

  /** Consumes a comparison operator if there is one. */
  private compareOp(): A.CmpOperator | null {
    const t = this.tok;
    if (t.kind === OP) {
      switch (t.value) {
        case '==': case '!=': case '<': case '<=': case '>': case '>=':
          this.next();
          return t.value;
      }
      return null;
    }
    if (t.kind !== KEYWORD) return null;
    if (t.value === 'in') { this.next(); return 'in'; }
    if (t.value === 'is') {
      this.next();
      return this.eatKw('not') ? 'is not' : 'is';
    }
    if (t.value === 'not') {
      const n = this.peek();
      if (n.kind === KEYWORD && n.value === 'in') {
        this.next();
        this.next();
        return 'not in';
      }
    }
    return null;
  }

  /** Binary operators from `|` to `*` by precedence climbing (all left-associative). */
  private binary(minPrec: number): A.Expr {
    const start = this.tok;
    let left = this.factor();
    for (;;) {
      const t = this.tok;
      if (t.kind !== OP) return left;
      const prec = binPrec(t.value);
      if (prec < minPrec || prec === 0) return left;
      this.next();
      const right = this.binary(prec + 1);
      left = { kind: 'BinOp', op: t.value as A.BinOperator, left, right, opSpan: this.tokSpan(t), span: this.span(start) };
    }
  }

  /** Unary `+ - ~`. */
  private factor(): A.Expr {
    const t = this.tok;
    if (t.kind === OP && (t.value === '-' || t.value === '+' || t.value === '~')) {
      if (++this.depth > MAX_DEPTH) {
        this.depth--;
        return this.tooDeep();
      }
      this.next();
      const operand = this.factor();
      this.depth--;
      return { kind: 'UnaryOp', op: t.value, operand, span: this.span(t) };
    }
    return this.power();
  }

  /** `await_primary ['**' factor]`: right-associative, tighter than a unary on its left. */
  private power(): A.Expr {
    const start = this.tok;
    const base = this.awaitPrimary();
    if (!this.isOp('**')) return base;
    const op = this.next();
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      return this.tooDeep();
    }
    const exp = this.factor();
    this.depth--;
    return { kind: 'BinOp', op: '**', left: base, right: exp, opSpan: this.tokSpan(op), span: this.span(start) };
  }

  private awaitPrimary(): A.Expr {
    const t = this.tok;
    if (t.kind === KEYWORD && t.value === 'await') {
      this.next();
      const value = this.primary();
      return { kind: 'Await', value, span: this.span(t) };
    }
    return this.primary();
  }

  /** An atom followed by attribute accesses, calls and subscripts. */
  private primary(): A.Expr {
    const start = this.tok;
    let e = this.atom();
    for (;;) {
      const t = this.tok;
      if (t.kind !== OP) return e;
      if (t.value === '.') {
        this.next();
        const n = this.tok;
        if (n.kind !== NAME) {
          this.error('E0011', `expected an attribute name after '.', found ${describe(n)}`, this.hereSpan());
          return e;
        }
        this.next();
        e = { kind: 'Attribute', value: e, attr: n.value, attrSpan: this.tokSpan(n), span: this.span(start) };
      } else if (t.value === '(') {
        const r = this.callArguments();
        e = { kind: 'Call', func: e, args: r.args, keywords: r.keywords, span: this.span(start) };
      } else if (t.value === '[') {
        this.next();
        const index = this.slices();
        this.closeBracket(']');
        e = { kind: 'Subscript', value: e, index, span: this.span(start) };
      } else return e;
    }
  }

  /** `( args )` of a call or class header, consuming both parentheses. */
  private callArguments(): { args: A.Expr[]; keywords: A.Keyword[] } {
    const open = this.next();
    const args: A.Expr[] = [];
    const keywords: A.Keyword[] = [];
    let sawKeyword = false;
    let soleGenerator: A.GeneratorExp | null = null;
    while (!this.isOp(')')) {
      const a = this.tok;
      if (a.kind === OP && a.value === '*') {
        this.next();
        const value = this.expression();
        args.push({ kind: 'Starred', value, span: this.span(a) });
      } else if (a.kind === OP && a.value === '**') {
        this.next();
        this.expression();
        this.reject('E0406', 'keyword argument unpacking `**` is not supported', this.span(a), 'pass the arguments by name');
        sawKeyword = true;
      } else if (a.kind === NAME && this.peekIsOp('=')) {
        this.next();
        this.next();
        const value = this.expression();
        if (keywords.some((k) => k.name === a.value)) this.error('E0010', `keyword argument repeated: ${a.value}`, this.span(a));
        keywords.push({ name: a.value, value, span: this.span(a) });
        sawKeyword = true;
      } else {
        let e = this.namedExpression();
        if (this.isKw('for') || this.isAsyncFor()) {
          const generators = this.comprehensionClauses();
          const gen: A.GeneratorExp = { kind: 'GeneratorExp', elt: e, generators, span: this.span(a) };
          if (args.length === 0 && keywords.length === 0 && this.isOp(')')) soleGenerator = gen;
          else this.error('E0010', 'generator expression must be parenthesized', gen.span, 'wrap it in parentheses: f((x for x in xs), ...)');
          e = gen;
        } else if (this.isOp('=')) {
          this.error('E0010', 'invalid syntax: expression cannot contain assignment, perhaps you meant "=="?', this.span(a));
          this.next();
          this.expression();
        } else if (sawKeyword && e.kind !== 'Starred') {
          this.error('E0010', 'positional argument follows keyword argument', e.span, 'put positional arguments before keyword arguments');
        }
        args.push(e);
      }
      if (this.eatOp(',')) continue;
      if (this.isOp(')')) break;
      if (this.canStartExpr(this.tok)) {
        this.error('E0010', 'invalid syntax: perhaps you forgot a comma?', this.tokSpan(this.tok));
        continue;
      }
      this.error('E0010', `invalid syntax: expected ',' or ')' after a call argument, found ${describe(this.tok)}`, this.hereSpan());
      break;
    }
    this.closeBracket(')');
    // A generator that is the sole argument spans the call's parentheses, as in CPython.
    if (soleGenerator !== null && args.length === 1) soleGenerator.span = this.span(open);
    return { args, keywords };
  }

  private isAsyncFor(): boolean {
    if (!this.isKw('async')) return false;
    const n = this.peek();
    return n.kind === KEYWORD && n.value === 'for';
  }

  /** Consumes the closing bracket, or after an error skips to it (the lexer balanced them).
   *  With `quiet`, skips without reporting. */
  private closeBracket(closer: string, quiet = false): void {
    if (this.isOp(closer)) { this.next(); return; }
    if (!quiet) this.error('E0011', `expected '${closer}', found ${describe(this.tok)}`, this.hereSpan());
    let depth = 0;
    for (;;) {
      const t = this.tok;
      if (t.kind === EOF || t.kind === NEWLINE) return;
      this.next();
      if (t.kind !== OP) continue;
      const v = t.value;
      if (v === '(' || v === '[' || v === '{') depth++;
      else if (v === ')' || v === ']' || v === '}') {
        if (depth === 0) return;
        depth--;
      }
    }
  }

  /** The inside of `[...]` of a subscript: a slice, an index, or a tuple of them. */
  private slices(): A.Expr {
    const start = this.tok;
    if (this.isOp(']')) {
      this.error('E0011', 'expected an index or a slice inside [ ]', this.hereSpan());
      return this.errorExpr();
    }
    const first = this.slice();
    if (!this.isOp(',')) {
      // CPython makes `a[*b]` a one-element tuple index.
      if (first.kind === 'Starred') return { kind: 'Tuple', elts: [first], parenthesized: false, span: first.span };
      return first;
    }
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(']')) break;
      elts.push(this.slice());
    }
    return { kind: 'Tuple', elts, parenthesized: false, span: this.span(start) };
  }

  private slice(): A.Expr {
    const start = this.tok;
    let lower: A.Expr | null = null;
    if (!this.isOp(':')) {
      if (this.isOp('*')) return this.starNamedExpression();
      lower = this.namedExpression();
      if (!this.isOp(':')) return lower;
    }
    this.next();
    let upper: A.Expr | null = null;
    let step: A.Expr | null = null;
    if (!this.isOp(':') && !this.isOp(']') && !this.isOp(',')) upper = this.expression();
    if (this.eatOp(':') && !this.isOp(']') && !this.isOp(',')) step = this.expression();
    return { kind: 'Slice', lower, upper, step, span: this.span(start) };
  }

  private atom(): A.Expr {
    const t = this.tok;
    switch (t.kind) {
      case NAME:
        this.next();
        return { kind: 'Name', id: t.value, span: this.tokSpan(t) };
      case INT:
        this.next();
        return { kind: 'Int', value: t.lit as bigint, span: this.tokSpan(t) };
      case FLOAT:
        this.next();
        return { kind: 'Float', text: t.value, span: this.tokSpan(t) };
      case STRING:
        return this.strings();
      case KEYWORD:
        switch (t.value) {
          case 'None':
            this.next();
            return { kind: 'None', span: this.tokSpan(t) };
          case 'True': case 'False':
            this.next();
            return { kind: 'Bool', value: t.value === 'True', span: this.tokSpan(t) };
          case 'yield': {
            const y = this.yieldExpr();
            this.error('E0010', "invalid syntax: a 'yield' expression must be in parentheses here", y.span);
            return y;
          }
          case 'lambda': {
            const l = this.lambda();
            this.error('E0010', 'invalid syntax: a lambda must be in parentheses here', l.span);
            return l;
          }
        }
        break;
      case OP:
        switch (t.value) {
          case '(': return this.parenthesized();
          case '[': return this.listDisplay();
          case '{': return this.braceDisplay();
          case '...':
            this.next();
            return { kind: 'Ellipsis', span: this.tokSpan(t) };
        }
        break;
    }
    return this.expectedExpression();
  }

  private yieldExpr(): A.YieldExpr {
    const kw = this.next();
    if (this.eatKw('from')) this.expression();
    else if (this.canStartExpr(this.tok)) this.starExpressions();
    return { kind: 'Yield', span: this.span(kw) };
  }

  /** `( ... )`: empty tuple, yield, generator expression, tuple, or a grouped expression. */
  private parenthesized(): A.Expr {
    const open = this.next();
    if (this.isOp(')')) {
      this.next();
      return { kind: 'Tuple', elts: [], parenthesized: true, span: this.span(open) };
    }
    if (this.isKw('yield')) {
      const y = this.yieldExpr();
      this.closeBracket(')');
      return y;
    }
    const first = this.starNamedExpression();
    if (this.isKw('for') || this.isAsyncFor()) {
      const generators = this.comprehensionClauses();
      this.closeBracket(')');
      return { kind: 'GeneratorExp', elt: first, generators, span: this.span(open) };
    }
    if (this.isOp(')')) {
      this.next();
      if (first.kind === 'Starred') this.error('E0010', 'cannot use starred expression here', first.span);
      return first;
    }
    const elts = [first];
    this.moreElements(elts, ')');
    this.closeBracket(')');
    return { kind: 'Tuple', elts, parenthesized: true, span: this.span(open) };
  }

  /** `, element`* up to `closer` (not consumed), recovering from a missing comma. */
  private moreElements(elts: A.Expr[], closer: string): void {
    for (;;) {
      if (this.eatOp(',')) {
        if (this.isOp(closer)) return;
        elts.push(this.starNamedExpression());
        continue;
      }
      if (this.isOp(closer)) return;
      if (this.canStartExpr(this.tok)) {
        this.error('E0010', 'invalid syntax: perhaps you forgot a comma?', this.tokSpan(this.tok));
        elts.push(this.starNamedExpression());
        continue;
      }
      this.error('E0010', `invalid syntax: expected ',' or '${closer}', found ${describe(this.tok)}`, this.hereSpan());
      return;
    }
  }

  private listDisplay(): A.Expr {
    const open = this.next();
    if (this.isOp(']')) {
      this.next();
      return { kind: 'List', elts: [], span: this.span(open) };
    }
    const first = this.starNamedExpression();
    if (this.isKw('for') || this.isAsyncFor()) {
      const generators = this.comprehensionClauses();
      this.closeBracket(']');
      return { kind: 'ListComp', elt: first, generators, span: this.span(open) };
    }
    const elts = [first];
    this.moreElements(elts, ']');
    this.closeBracket(']');
    return { kind: 'List', elts, span: this.span(open) };
  }

  /** `{...}`: dict, set, or their comprehensions. */
  private braceDisplay(): A.Expr {
    const open = this.next();
    if (this.isOp('}')) {
      this.next();
      return { kind: 'Dict', keys: [], values: [], span: this.span(open) };
    }
    if (this.isOp('**')) {
      const keys: A.Expr[] = [];
      const values: A.Expr[] = [];
      this.dictUnpacking();
      this.dictItems(keys, values);
      this.closeBracket('}');
      return { kind: 'Dict', keys, values, span: this.span(open) };
    }
    const first = this.starNamedExpression();
    if (this.isOp(':')) {
      this.next();
      const value = this.expression();
      if (this.isKw('for') || this.isAsyncFor()) {
        const generators = this.comprehensionClauses();
        this.closeBracket('}');
        return { kind: 'DictComp', key: first, value, generators, span: this.span(open) };
      }
      const keys = [first];
      const values = [value];
      this.dictItems(keys, values);
      this.closeBracket('}');
      return { kind: 'Dict', keys, values, span: this.span(open) };
    }
    if (this.isKw('for') || this.isAsyncFor()) {
      const generators = this.comprehensionClauses();
      this.closeBracket('}');
      return { kind: 'SetComp', elt: first, generators, span: this.span(open) };
    }
    const elts = [first];
    this.moreElements(elts, '}');
    this.closeBracket('}');
    return { kind: 'Set', elts, span: this.span(open) };
  }

  /** `**mapping` inside a dict display: outside the language and not representable. */
  private dictUnpacking(): void {
    const s = this.next();
    this.binary(1);
    this.reject('E0420', 'dict unpacking `**` is not supported', this.span(s), 'copy the dict and update() it instead');
  }

  /** `, key: value`* up to '}' (not consumed). */
  private dictItems(keys: A.Expr[], values: A.Expr[]): void {
    for (;;) {
      const comma = this.eatOp(',');
      if (this.isOp('}')) return;
      if (!comma) {
        if (!this.canStartExpr(this.tok) && !this.isOp('**')) {
          this.error('E0010', `invalid syntax: expected ',' or '}', found ${describe(this.tok)}`, this.hereSpan());
          return;
        }
        this.error('E0010', 'invalid syntax: perhaps you forgot a comma?', this.tokSpan(this.tok));
      }
      if (this.isOp('**')) { this.dictUnpacking(); continue; }
      const key = this.expression();
      if (!this.eatOp(':')) {
        this.error('E0011', `expected ':' after the dict key, found ${describe(this.tok)}`, this.hereSpan(),
          'a dict display mixes `key: value` items only');
        return;
      }
      keys.push(key);
      values.push(this.expression());
    }
  }

  /** `for target in iter (if cond)*` clauses, one or more. */
  private comprehensionClauses(): A.Comprehension[] {
    const generators: A.Comprehension[] = [];
    while (this.isKw('for') || this.isAsyncFor()) {
      const start = this.tok;
      if (this.isKw('async')) {
        this.next();
        this.reject('E0415', 'async comprehensions are not supported', this.tokSpan(start));
      }
      this.next();
      const target = this.starTargets();
      if (!this.panic) this.checkTarget(target, 'for');
      if (!this.eatKw('in')) {
        this.error('E0011', `expected 'in' after the comprehension variable, found ${describe(this.tok)}`, this.hereSpan());
        generators.push({ target, iter: this.errorExpr(), ifs: [], span: this.span(start) });
        break;
      }
      const iter = this.disjunction();
      const ifs: A.Expr[] = [];
      while (this.eatKw('if')) ifs.push(this.disjunction());
      generators.push({ target, iter, ifs, span: this.span(start) });
    }
    return generators;
  }

  /** Loop targets: `a`, `a, b`, `*rest` at the bitwise-or level (so `in` is not consumed). */
  private starTargets(): A.Expr {
    return this.commaTuple(() => this.starTarget());
  }

  private starTarget(): A.Expr {
    return this.starredOr(() => this.binary(1));
  }

  // ---------------------------------------------------------------- strings

  /** One or more adjacent string literals (implicit concatenation). */
  private strings(): A.Expr {
    const first = this.tok;
    const firstInfo = first.lit as StringInfo;
    this.next();
    if (this.tok.kind !== STRING && !firstInfo.fstring) {
      const span = this.tokSpan(first);
      return firstInfo.bytes
        ? { kind: 'Bytes', value: firstInfo.value as Uint8Array, span }
        : { kind: 'Str', value: firstInfo.value as string, span };
    }
    const toks = [first];
    while (this.tok.kind === STRING) toks.push(this.next());
    const bytes = firstInfo.bytes;
    let anyF = false;
    for (const t of toks) {
      const info = t.lit as StringInfo;
      if (info.bytes !== bytes) this.error('E0010', 'cannot mix bytes and nonbytes literals', this.tokSpan(t), 'write both as bytes (b"...") or both as str');
      if (info.fstring) anyF = true;
    }
    if (bytes) return { kind: 'Bytes', value: concatBytes(toks), span: this.span(first) };
    if (!anyF) {
      let value = '';
      for (const t of toks) {
        const info = t.lit as StringInfo;
        if (!info.bytes) value += info.value as string;
      }
      return { kind: 'Str', value, span: this.span(first) };
    }
    const parts: (A.StrLit | A.FormattedValue)[] = [];
    for (const t of toks) {
      const info = t.lit as StringInfo;
      if (info.bytes) continue;
      if (info.fstring) this.fstringParts(info, parts);
      else appendLiteral(parts, info.value as string, this.tokSpan(t));
    }
    return { kind: 'FString', parts: parts.filter((p) => p.kind !== 'Str' || p.value !== ''), span: this.span(first) };
  }

  private decodeLiteral(info: StringInfo, start: number, end: number): string {
    if (start >= end) return '';
    if (info.raw) return rawStr(this.src, start, end);
    return decodeStr(this.src, start, end, (code, message, s, e, hint) => {
      this.diags.push(diag(code, message, this.offsetSpan(s, e), hint));
    });
  }

  /** Splits an f-string body into literal parts and replacement fields. */
  private fstringParts(info: StringInfo, parts: (A.StrLit | A.FormattedValue)[]): void {
    const src = this.src;
    const end = info.bodyEnd;
    let runStart = info.bodyStart; // where the current literal run starts (for its span)
    let chunk = info.bodyStart; // start of raw text not yet decoded into `text`
    let text = '';
    let p = info.bodyStart;
    while (p < end) {
      const c = src.charCodeAt(p);
      if (c === 123 || c === 125) {
        text += this.decodeLiteral(info, chunk, p);
        if (p + 1 < end && src.charCodeAt(p + 1) === c) {
          text += c === 123 ? '{' : '}';
          p += 2;
          chunk = p;
          continue;
        }
        if (c === 125) {
          this.error('E0013', "f-string: single '}' is not allowed", this.offsetSpan(p, p + 1), "write '}}' for a literal brace");
          p++;
          chunk = p;
          continue;
        }
        if (text !== '') appendLiteral(parts, text, this.offsetSpan(runStart, p));
        text = '';
        p = this.replacementField(info, p, parts);
        chunk = p;
        runStart = p;
        continue;
      }
      if (c === 92 && !info.raw) {
        const n = src.charCodeAt(p + 1);
        if (n === 78 && src.charCodeAt(p + 2) === 123) {
          // \N{...}: its braces are not a replacement field (decodeStr reports the escape).
          const close = src.indexOf('}', p);
          p = close >= 0 && close < end ? close + 1 : end;
          continue;
        }
        // `\{` is a backslash followed by a replacement field, as in CPython.
        p += n === 123 || n === 125 ? 1 : 2;
        continue;
      }
      p++;
    }
    if (p > end) p = end;
    text += this.decodeLiteral(info, chunk, end);
    if (text !== '') appendLiteral(parts, text, this.offsetSpan(runStart, end));
  }

  /** Parses `{expr[=][!c][:spec]}` starting at the '{' at `open`; returns the offset after it. */
  private replacementField(info: StringInfo, open: number, parts: (A.StrLit | A.FormattedValue)[]): number {
    const src = this.src;
    const end = info.bodyEnd;
    const exprStart = open + 1;
    const scan = this.scanFieldExpression(exprStart, end);
    let p = scan.end;
    if (p >= end) {
      this.error('E0013', "f-string: expecting '}'", this.offsetSpan(open, open + 1), "close the replacement field with '}'");
      return end;
    }
    const exprEnd = scan.selfDoc >= 0 ? scan.selfDoc : p;
    let value: A.Expr;
    if (src.slice(exprStart, exprEnd).trim() === '') {
      this.error('E0013', 'f-string: empty expression not allowed', this.offsetSpan(open, p + 1), 'put an expression between the braces, or write {{ for a literal brace');
      const at = this.offsetSpan(exprStart, exprStart);
      value = { kind: 'Name', id: '', span: at };
    } else value = this.fieldExpression(exprStart, exprEnd);
    if (scan.selfDoc >= 0) {
      // `{x=}` shows the expression's text, as CPython does.
      p = scan.selfDoc + 1;
      while (p < end && (src.charCodeAt(p) === 32 || src.charCodeAt(p) === 9)) p++;
      appendLiteral(parts, src.slice(exprStart, p), this.offsetSpan(exprStart, p));
    }
    let conversion: string | null = null;
    if (src.charCodeAt(p) === 33) {
      const c = src.charAt(p + 1);
      const after = src.charCodeAt(p + 2);
      if ((c === 'r' || c === 's' || c === 'a') && (after === 58 || after === 125) && p + 2 < end) {
        conversion = c;
        p += 2;
      } else {
        this.error('E0013', `f-string: invalid conversion character${c === '' || c === '}' ? '' : ` '${c}'`}: expected 's', 'r', or 'a'`, this.offsetSpan(p, Math.min(p + 2, end)));
        p++;
        while (p < end && src.charCodeAt(p) !== 58 && src.charCodeAt(p) !== 125) p++;
      }
    }
    let formatSpec: string | null = null;
    if (p < end && src.charCodeAt(p) === 58) {
      const specStart = ++p;
      let depth = 0;
      for (; p < end; p++) {
        const c = src.charCodeAt(p);
        if (c === 123) {
          if (depth === 0) {
            this.error('E0013', 'nested replacement fields in format specs are not supported', this.offsetSpan(p, p + 1),
              'use a fixed format spec such as :>10');
          }
          depth++;
        } else if (c === 125) {
          if (depth === 0) break;
          depth--;
        }
      }
      formatSpec = src.slice(specStart, p);
    }
    if (p >= end || src.charCodeAt(p) !== 125) {
      this.error('E0013', "f-string: expecting '}'", this.offsetSpan(open, open + 1), "close the replacement field with '}'");
      return Math.min(p, end);
    }
    p++;
    if (scan.selfDoc >= 0 && conversion === null && formatSpec === null) conversion = 'r';
    parts.push({ kind: 'FormattedValue', value, conversion, formatSpec, span: this.offsetSpan(open, p) });
    return p;
  }

  /** Finds where a replacement field's expression ends: at '}', '!' (not '!='), ':' or a
   *  self-documenting '=' at bracket depth 0, skipping nested string literals. */
  private scanFieldExpression(start: number, end: number): { end: number; selfDoc: number } {
    const src = this.src;
    let depth = 0;
    let p = start;
    while (p < end) {
      const c = src.charCodeAt(p);
      switch (c) {
        case 34: case 39: {
          const q = String.fromCharCode(c);
          const triple = src.charCodeAt(p + 1) === c && src.charCodeAt(p + 2) === c;
          const close = triple ? src.indexOf(q + q + q, p + 3) : src.indexOf(q, p + 1);
          if (close < 0 || close >= end) {
            this.error('E0013', 'f-string: unterminated string', this.offsetSpan(p, p + 1));
            return { end, selfDoc: -1 };
          }
          p = close + (triple ? 3 : 1);
          continue;
        }
        case 40: case 91: case 123:
          depth++;
          break;
        case 41: case 93:
          depth--;
          break;
        case 125:
          if (depth <= 0) return { end: p, selfDoc: -1 };
          depth--;
          break;
        case 33:
          if (depth <= 0 && src.charCodeAt(p + 1) !== 61) return { end: p, selfDoc: -1 };
          break;
        case 58:
          if (depth <= 0) return { end: p, selfDoc: -1 };
          break;
        case 61: {
          if (depth > 0) break;
          const n = src.charCodeAt(p + 1);
          const b = src.charCodeAt(p - 1);
          if (n !== 61 && b !== 61 && b !== 33 && b !== 60 && b !== 62) return { end: p, selfDoc: p };
          if (n === 61) p++;
          break;
        }
        case 35:
          this.error('E0013', "f-string expression part cannot include '#'", this.offsetSpan(p, p + 1));
          break;
        case 92:
          this.error('E0013', 'f-string expression part cannot include a backslash', this.offsetSpan(p, p + 1),
            'compute the value in a variable before the f-string');
          break;
      }
      p++;
    }
    return { end, selfDoc: -1 };
  }

  /** Parses source[start, end) as the expression of a replacement field (as if parenthesized). */
  private fieldExpression(start: number, end: number): A.Expr {
    const toks = tokenizeRange(this.src, this.file, start, end, this.lineStarts, this.diags);
    const sub = new Parser(this.src, this.file, toks, this.lineStarts, this.diags, this.depth + 1, true);
    sub.panic = this.panic;
    const value = sub.isKw('yield') ? sub.yieldExpr() : sub.starExpressions();
    if (sub.tok.kind !== EOF) {
      sub.error('E0013', `f-string: invalid syntax: unexpected ${describe(sub.tok)}`, sub.hereSpan());
    }
    if (sub.panic) this.panic = true;
    return value;
  }
}

function appendLiteral(parts: (A.StrLit | A.FormattedValue)[], value: string, span: Span): void {
  const prev = parts[parts.length - 1];
  if (prev !== undefined && prev.kind === 'Str') {
    prev.value += value;
    prev.span = { ...prev.span, end: span.end, endLine: span.endLine, endCol: span.endCol };
    return;
  }
  parts.push({ kind: 'Str', value, span });
}

function concatBytes(toks: Token[]): Uint8Array {
  let n = 0;
  for (const t of toks) {
    const v = (t.lit as StringInfo).value;
    if (v instanceof Uint8Array) n += v.length;
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const t of toks) {
    const v = (t.lit as StringInfo).value;
    if (v instanceof Uint8Array) {
      out.set(v, o);
      o += v.length;
    }
  }
  return out;
}
