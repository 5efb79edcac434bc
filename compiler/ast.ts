// The syntax tree produced by the parser (compiler/parser.ts). It covers the Python subset
// the language accepts plus the constructs it rejects with a dedicated diagnostic, so that the
// checker can explain instead of failing with a generic syntax error. Every node has a span.

import type { Span } from './diagnostics.ts';

export interface Node {
  span: Span;
}

// ---------------------------------------------------------------- expressions

export interface Name extends Node { kind: 'Name'; id: string }
export interface IntLit extends Node { kind: 'Int'; value: bigint }
export interface FloatLit extends Node { kind: 'Float'; text: string }
export interface StrLit extends Node { kind: 'Str'; value: string }
export interface BytesLit extends Node { kind: 'Bytes'; value: Uint8Array }
export interface BoolLit extends Node { kind: 'Bool'; value: boolean }
export interface NoneLit extends Node { kind: 'None' }
export interface EllipsisLit extends Node { kind: 'Ellipsis' }

/** f"...": literal parts and formatted values in order. */
export interface FString extends Node {
  kind: 'FString';
  parts: (StrLit | FormattedValue)[];
}
export interface FormattedValue extends Node {
  kind: 'FormattedValue';
  value: Expr;
  /** 'r' | 's' | 'a' from `!r` etc. */
  conversion: string | null;
  /** The raw format spec after ':' (e.g. '>10', 'x'); null when absent. */
  formatSpec: string | null;
}

export type BinOperator =
  | '+' | '-' | '*' | '/' | '//' | '%' | '**' | '<<' | '>>' | '&' | '|' | '^' | '@';
export interface BinOp extends Node { kind: 'BinOp'; op: BinOperator; left: Expr; right: Expr; opSpan: Span }
export interface UnaryOp extends Node { kind: 'UnaryOp'; op: '-' | '+' | 'not' | '~'; operand: Expr }
export interface BoolOp extends Node { kind: 'BoolOp'; op: 'and' | 'or'; values: Expr[] }
export type CmpOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';
export interface Compare extends Node { kind: 'Compare'; left: Expr; ops: CmpOperator[]; comparators: Expr[] }
export interface Keyword extends Node { name: string; value: Expr }
export interface Call extends Node {
  kind: 'Call';
  func: Expr;
  args: Expr[];
  keywords: Keyword[];
}
export interface Attribute extends Node { kind: 'Attribute'; value: Expr; attr: string; attrSpan: Span }
export interface Subscript extends Node { kind: 'Subscript'; value: Expr; index: Expr }
/** Only appears as the index of a Subscript (or inside a Tuple index: `a[1:2, 3]`). */
export interface Slice extends Node { kind: 'Slice'; lower: Expr | null; upper: Expr | null; step: Expr | null }
export interface ListExpr extends Node { kind: 'List'; elts: Expr[] }
export interface TupleExpr extends Node { kind: 'Tuple'; elts: Expr[]; parenthesized: boolean }
export interface DictExpr extends Node { kind: 'Dict'; keys: Expr[]; values: Expr[] }
export interface SetExpr extends Node { kind: 'Set'; elts: Expr[] }
export interface Comprehension extends Node { target: Expr; iter: Expr; ifs: Expr[] }
export interface ListComp extends Node { kind: 'ListComp'; elt: Expr; generators: Comprehension[] }
export interface DictComp extends Node { kind: 'DictComp'; key: Expr; value: Expr; generators: Comprehension[] }
export interface SetComp extends Node { kind: 'SetComp'; elt: Expr; generators: Comprehension[] }
export interface GeneratorExp extends Node { kind: 'GeneratorExp'; elt: Expr; generators: Comprehension[] }
export interface IfExp extends Node { kind: 'IfExp'; test: Expr; body: Expr; orelse: Expr }
export interface Starred extends Node { kind: 'Starred'; value: Expr }
export interface Lambda extends Node { kind: 'Lambda'; body: Expr }
export interface NamedExpr extends Node { kind: 'NamedExpr'; target: Expr; value: Expr }
export interface YieldExpr extends Node { kind: 'Yield' }
export interface AwaitExpr extends Node { kind: 'Await'; value: Expr }

export type Expr =
  | Name | IntLit | FloatLit | StrLit | BytesLit | BoolLit | NoneLit | EllipsisLit | FString
  | BinOp | UnaryOp | BoolOp | Compare | Call | Attribute | Subscript | Slice
  | ListExpr | TupleExpr | DictExpr | SetExpr | ListComp | DictComp | SetComp | GeneratorExp
  | IfExp | Starred | Lambda | NamedExpr | YieldExpr | AwaitExpr;

// ---------------------------------------------------------------- statements

export interface Param extends Node {
  name: string;
  annotation: Expr | null;
  /** A default value (rejected by the checker, E0405). */
  default: Expr | null;
  /** '*' or '**' for *args / **kwargs (rejected, E0406); '' otherwise. */
  star: '' | '*' | '**';
}

export interface FunctionDef extends Node {
  kind: 'FunctionDef';
  name: string;
  nameSpan: Span;
  params: Param[];
  returns: Expr | null;
  body: Stmt[];
  decorators: Expr[];
  isAsync: boolean;
}
export interface ClassDef extends Node {
  kind: 'ClassDef';
  name: string;
  nameSpan: Span;
  bases: Expr[];
  keywords: Keyword[];
  body: Stmt[];
  decorators: Expr[];
}
export interface Return extends Node { kind: 'Return'; value: Expr | null }
/** `a = b = value`: targets in source order. */
export interface Assign extends Node { kind: 'Assign'; targets: Expr[]; value: Expr }
export interface AugAssign extends Node { kind: 'AugAssign'; target: Expr; op: BinOperator; value: Expr; opSpan: Span }
export interface AnnAssign extends Node { kind: 'AnnAssign'; target: Expr; annotation: Expr; value: Expr | null }
export interface For extends Node { kind: 'For'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[]; isAsync: boolean }
export interface While extends Node { kind: 'While'; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface If extends Node { kind: 'If'; test: Expr; body: Stmt[]; orelse: Stmt[] }
export interface ExprStmt extends Node { kind: 'Expr'; value: Expr }
export interface Pass extends Node { kind: 'Pass' }
export interface Break extends Node { kind: 'Break' }
export interface Continue extends Node { kind: 'Continue' }
export interface Assert extends Node { kind: 'Assert'; test: Expr; msg: Expr | null }
export interface Delete extends Node { kind: 'Delete'; targets: Expr[] }
export interface ImportAlias extends Node { name: string; asname: string | null }
export interface Import extends Node { kind: 'Import'; names: ImportAlias[] }
export interface ImportFrom extends Node { kind: 'ImportFrom'; module: string; names: ImportAlias[]; level: number }
/** Constructs outside the language, kept so the checker can name them:
 *  'try', 'raise', 'with', 'global', 'nonlocal', 'async', 'match', 'class-decorator', ... */
export interface Unsupported extends Node { kind: 'Unsupported'; construct: string; body: Stmt[] }

export type Stmt =
  | FunctionDef | ClassDef | Return | Assign | AugAssign | AnnAssign | For | While | If
  | ExprStmt | Pass | Break | Continue | Assert | Delete | Import | ImportFrom | Unsupported;

export interface Module {
  kind: 'Module';
  file: string;
  body: Stmt[];
}
