// The checker's type model. Every expression gets one of these; the IR and the TVM see them
// as type descriptor strings (typeDesc), the ABI shows them in Python notation.

export interface StructDef {
  name: string;
  fields: { name: string; type: Type }[];
  kind: 'struct' | 'event';
}

export interface InterfaceMethod {
  name: string;
  params: { name: string; type: Type }[];
  ret: Type;
  view: boolean;
  payable: boolean;
}

export interface InterfaceDef {
  name: string;
  methods: Map<string, InterfaceMethod>;
}

export type Type =
  | { k: 'int' }
  | { k: 'bool' }
  | { k: 'str' }
  | { k: 'bytes' }
  | { k: 'address' }
  | { k: 'none' }
  | { k: 'list'; elem: Type }
  | { k: 'dict'; key: Type; value: Type }
  | { k: 'tuple'; elems: Type[] }
  | { k: 'optional'; inner: Type }
  | { k: 'struct'; def: StructDef }
  /** Storage maps: only as the type of a contract field (or a Map's value). */
  | { k: 'map'; key: Type; value: Type }
  /** A handle to another contract: `IToken(addr)`. At run time it is the Address. */
  | { k: 'iface'; def: InterfaceDef }
  /** Poison: the type of an expression that already produced a diagnostic. */
  | { k: 'error' };

export const INT: Type = { k: 'int' };
export const BOOL: Type = { k: 'bool' };
export const STR: Type = { k: 'str' };
export const BYTES: Type = { k: 'bytes' };
export const ADDRESS: Type = { k: 'address' };
export const NONE: Type = { k: 'none' };
export const ERROR: Type = { k: 'error' };

export const listOf = (elem: Type): Type => ({ k: 'list', elem });
export const dictOf = (key: Type, value: Type): Type => ({ k: 'dict', key, value });
export const tupleOf = (elems: Type[]): Type => ({ k: 'tuple', elems });
export const optionalOf = (inner: Type): Type =>
  inner.k === 'optional' || inner.k === 'none' ? inner : { k: 'optional', inner };

export function sameType(a: Type, b: Type): boolean {
  if (a.k === 'error' || b.k === 'error') return true;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'list':
      return sameType(a.elem, (b as typeof a).elem);
    case 'dict':
    case 'map':
      return sameType(a.key, (b as typeof a).key) && sameType(a.value, (b as typeof a).value);
    case 'tuple': {
      const be = (b as typeof a).elems;
      return a.elems.length === be.length && a.elems.every((t, i) => sameType(t, be[i]!));
    }
    case 'optional':
      return sameType(a.inner, (b as typeof a).inner);
    case 'struct':
      return a.def === (b as typeof a).def;
    case 'iface':
      return a.def === (b as typeof a).def;
    default:
      return true;
  }
}

/** Can a value of type `from` be stored where `to` is expected? (Only Optional widens.) */
export function assignable(from: Type, to: Type): boolean {
  if (sameType(from, to)) return true;
  if (to.k === 'optional') return from.k === 'none' || assignable(from, to.inner);
  if (from.k === 'iface' && to.k === 'address') return true;
  return false;
}

/** Types usable as dict keys and Map keys: hashable, immutable values. */
export function isHashable(t: Type): boolean {
  switch (t.k) {
    case 'int': case 'bool': case 'str': case 'bytes': case 'address': case 'error':
      return true;
    case 'tuple':
      return t.elems.every(isHashable);
    default:
      return false;
  }
}

/** Ordered comparison (<, <=, >, >=) is defined. */
export function isOrdered(t: Type): boolean {
  switch (t.k) {
    case 'int': case 'bool': case 'str': case 'bytes': case 'address': case 'error':
      return true;
    case 'list':
      return isOrdered(t.elem);
    case 'tuple':
      return t.elems.every(isOrdered);
    default:
      return false;
  }
}

/** Does the type contain a storage Map anywhere (then it cannot be a value)?
 *  Safe on recursive structs (which the declarer rejects, but only after resolving them). */
export function containsMap(t: Type, seen: Set<StructDef> = new Set()): boolean {
  switch (t.k) {
    case 'map': return true;
    case 'list': return containsMap(t.elem, seen);
    case 'dict': return containsMap(t.key, seen) || containsMap(t.value, seen);
    case 'tuple': return t.elems.some((e) => containsMap(e, seen));
    case 'optional': return containsMap(t.inner, seen);
    case 'struct':
      if (seen.has(t.def)) return false;
      seen.add(t.def);
      return t.def.fields.some((f) => containsMap(f.type, seen));
    default: return false;
  }
}

/** The TVM type descriptor (tvm/types.ts grammar). */
export function typeDesc(t: Type): string {
  switch (t.k) {
    case 'int': return 'int';
    case 'bool': return 'bool';
    case 'str': return 'str';
    case 'bytes': return 'bytes';
    case 'address': return 'Address';
    case 'none': return 'None';
    case 'list': return `list[${typeDesc(t.elem)}]`;
    case 'dict': return `dict[${typeDesc(t.key)},${typeDesc(t.value)}]`;
    case 'tuple': return `tuple[${t.elems.map(typeDesc).join(',')}]`;
    case 'optional': return `Optional[${typeDesc(t.inner)}]`;
    case 'struct': return `${t.def.name}{${t.def.fields.map((f) => `${f.name}:${typeDesc(f.type)}`).join(',')}}`;
    case 'iface': return 'Address';
    case 'map': return `Map[${typeDesc(t.key)},${typeDesc(t.value)}]`;
    case 'error': return 'None';
  }
}

/** The type as a Python developer writes it, for messages and the ABI. */
export function showType(t: Type): string {
  switch (t.k) {
    case 'address': return 'Address';
    case 'none': return 'None';
    case 'list': return `list[${showType(t.elem)}]`;
    case 'dict': return `dict[${showType(t.key)}, ${showType(t.value)}]`;
    case 'tuple': return `tuple[${t.elems.map(showType).join(', ')}]`;
    case 'optional': return `Optional[${showType(t.inner)}]`;
    case 'struct': return t.def.name;
    case 'iface': return t.def.name;
    case 'map': return `Map[${showType(t.key)}, ${showType(t.value)}]`;
    case 'error': return '<error>';
    default: return t.k;
  }
}
