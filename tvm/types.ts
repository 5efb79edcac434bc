// Type descriptors: the textual types the compiler writes into modules (type table, ABI, slots,
// events) and the tree the VM works with.
//
// Grammar (spaces are tolerated between tokens; the canonical form has none):
//   type   := 'int' | 'bool' | 'str' | 'bytes' | 'Address' | 'None'
//           | 'list[' type ']' | 'dict[' type ',' type ']' | 'Optional[' type ']'
//           | 'tuple[' [type (',' type)*] ']'
//           | Name '{' [field (',' field)*] '}'          -- a struct, written inline
//   field  := ident ':' type
//   Name   := ident ('.' ident)*
// Dict keys must be hashable: int, bool, str, bytes, Address or tuples of those.
// Limits (so hostile module files cannot exhaust the stack): nesting depth 32, 16384 characters.

import { TvmTypeError } from './errors.ts';
import { PyDict } from './pydict.ts';

export type TypeDesc =
  | { kind: 'int' }
  | { kind: 'bool' }
  | { kind: 'str' }
  | { kind: 'bytes' }
  | { kind: 'Address' }
  | { kind: 'None' }
  | { kind: 'list'; elem: TypeDesc }
  | { kind: 'dict'; key: TypeDesc; value: TypeDesc }
  | { kind: 'tuple'; items: TypeDesc[] }
  | { kind: 'Optional'; inner: TypeDesc }
  | { kind: 'struct'; name: string; fields: { name: string; type: TypeDesc }[] };

export const MAX_TYPE_DEPTH = 32;
export const MAX_TYPE_LENGTH = 16384;

/** The zero address: the default Address value. */
export const ZERO_ADDRESS = 'zv' + '0'.repeat(64);

const PRIMITIVES: Record<string, TypeDesc> = {
  int: { kind: 'int' },
  bool: { kind: 'bool' },
  str: { kind: 'str' },
  bytes: { kind: 'bytes' },
  Address: { kind: 'Address' },
  None: { kind: 'None' },
};

class TypeParser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(msg: string, at = this.pos): never {
    throw new TvmTypeError(`bad type descriptor ${JSON.stringify(this.src)}: ${msg} at position ${at}`, at);
  }

  skipSpaces(): void {
    while (this.pos < this.src.length && (this.src[this.pos] === ' ' || this.src[this.pos] === '\t')) this.pos++;
  }

  eat(ch: string): boolean {
    this.skipSpaces();
    if (this.src[this.pos] === ch) {
      this.pos++;
      return true;
    }
    return false;
  }

  expect(ch: string): void {
    if (!this.eat(ch)) this.fail(`expected '${ch}'`);
  }

  ident(): string {
    this.skipSpaces();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos, this.pos + 256));
    if (!m) this.fail('expected a type name');
    this.pos += m[0].length;
    return m[0];
  }

  /** A possibly dotted name (structs of components are qualified, e.g. "ownable.Role"). */
  name(): string {
    let n = this.ident();
    while (this.src[this.pos] === '.') {
      this.pos++;
      n += '.' + this.ident();
    }
    return n;
  }

  type(depth: number): TypeDesc {
    if (depth > MAX_TYPE_DEPTH) this.fail(`nesting deeper than ${MAX_TYPE_DEPTH}`);
    this.skipSpaces();
    const start = this.pos;
    const name = this.name();
    this.skipSpaces();
    const next = this.src[this.pos];
    if (next === '{') return this.struct(name, depth);
    if (next !== '[') {
      const prim = PRIMITIVES[name];
      if (!prim || !Object.hasOwn(PRIMITIVES, name)) this.fail(`unknown type '${name}'`, start);
      return prim;
    }
    this.pos++;
    switch (name) {
      case 'list': {
        const elem = this.type(depth + 1);
        this.expect(']');
        return { kind: 'list', elem };
      }
      case 'Optional': {
        const inner = this.type(depth + 1);
        this.expect(']');
        return { kind: 'Optional', inner };
      }
      case 'dict': {
        const keyAt = this.pos;
        const key = this.type(depth + 1);
        if (!isHashable(key)) this.fail(`dict key type ${typeToString(key)} is not hashable`, keyAt);
        this.expect(',');
        const value = this.type(depth + 1);
        this.expect(']');
        return { kind: 'dict', key, value };
      }
      case 'tuple': {
        const items: TypeDesc[] = [];
        if (!this.eat(']')) {
          do items.push(this.type(depth + 1));
          while (this.eat(','));
          this.expect(']');
        }
        return { kind: 'tuple', items };
      }
      default:
        return this.fail(`'${name}' takes no type parameters`, start);
    }
  }

  struct(name: string, depth: number): TypeDesc {
    this.pos++; // '{'
    const fields: { name: string; type: TypeDesc }[] = [];
    const seen = new Set<string>();
    if (!this.eat('}')) {
      do {
        const at = this.pos;
        const fname = this.ident();
        if (seen.has(fname)) this.fail(`duplicate field '${fname}'`, at);
        seen.add(fname);
        this.expect(':');
        fields.push({ name: fname, type: this.type(depth + 1) });
      } while (this.eat(','));
      this.expect('}');
    }
    return { kind: 'struct', name, fields };
  }
}

/** Dict keys: int, bool, str, bytes, Address and tuples of those (as the language spec says). */
export function isHashable(t: TypeDesc): boolean {
  switch (t.kind) {
    case 'int':
    case 'bool':
    case 'str':
    case 'bytes':
    case 'Address':
      return true;
    case 'tuple':
      return t.items.every(isHashable);
    default:
      return false;
  }
}

/** Parses a type descriptor; throws TvmTypeError (with the position) on bad input. */
export function parseType(s: string): TypeDesc {
  if (typeof s !== 'string') throw new TvmTypeError('type descriptor must be a string', 0);
  if (s.length > MAX_TYPE_LENGTH) throw new TvmTypeError(`type descriptor longer than ${MAX_TYPE_LENGTH} characters`, 0);
  const p = new TypeParser(s);
  const t = p.type(0);
  p.skipSpaces();
  if (p.pos !== s.length) p.fail('unexpected text after the type');
  return t;
}

/** The canonical text of a type (no spaces; structs inline). */
export function typeToString(t: TypeDesc): string {
  switch (t.kind) {
    case 'list':
      return `list[${typeToString(t.elem)}]`;
    case 'dict':
      return `dict[${typeToString(t.key)},${typeToString(t.value)}]`;
    case 'tuple':
      return `tuple[${t.items.map(typeToString).join(',')}]`;
    case 'Optional':
      return `Optional[${typeToString(t.inner)}]`;
    case 'struct':
      return `${t.name}{${t.fields.map((f) => `${f.name}:${typeToString(f.type)}`).join(',')}}`;
    default:
      return t.kind;
  }
}

/** A fresh default value of the type (see tvm/values.ts for the runtime representation). */
export function defaultValue(t: TypeDesc): unknown {
  switch (t.kind) {
    case 'int':
      return 0;
    case 'bool':
      return false;
    case 'str':
      return '';
    case 'bytes':
      return new Uint8Array(0);
    case 'Address':
      return ZERO_ADDRESS;
    case 'None':
    case 'Optional':
      return null;
    case 'list':
      return [];
    case 'dict':
      return new PyDict();
    case 'tuple':
      return t.items.map(defaultValue);
    case 'struct':
      return t.fields.map((f) => defaultValue(f.type));
  }
}

/** Number of values nested in a default value: the gas measure of LOADDEF. */
export function defaultSize(t: TypeDesc): number {
  switch (t.kind) {
    case 'tuple':
      return t.items.reduce((n, i) => n + defaultSize(i), 1);
    case 'struct':
      return t.fields.reduce((n, f) => n + defaultSize(f.type), 1);
    default:
      return 1;
  }
}

/** The short display name of a struct (the class name, without its module path). */
export function structShortName(t: { name: string }): string {
  const i = t.name.lastIndexOf('.');
  return i < 0 ? t.name : t.name.slice(i + 1);
}
