// Lowering of calls: user functions and methods, struct/event constructors, interface calls,
// the contract library (require, emit, transfer ...), Python builtins and the methods of
// str, bytes, list and dict. Each maps to IR `call`, `xcall`, `builtin` or a dedicated op.

import type * as A from './ast.ts';
import type { Span } from './diagnostics.ts';
import type { Reg } from './ir.ts';
import type { BuiltinName } from '../tvm/opcodes.ts';
import type { FnLowerer, Place, Val } from './lower.ts';
import { exprText } from './lower.ts';
import { REFLECTION, type FuncSig } from './symbols.ts';
import {
  ADDRESS, BOOL, BYTES, ERROR, INT, NONE, STR, isOrdered, listOf, optionalOf,
  sameType, showType, tupleOf, typeDesc,
  type InterfaceDef, type StructDef, type Type,
} from './types.ts';


export function lowerCall(fl: FnLowerer, e: A.Call, expected?: Type): Val {
  const f = e.func;
  if (f.kind === 'Name' && !fl.vars.has(f.id)) return callName(fl, f, e, expected);
  if (f.kind === 'Attribute') return callAttribute(fl, f, e);
  const callee = fl.lowerExpr(f);
  if (callee.type.k !== 'error') fl.error('E0304', `${showType(callee.type)} is not callable`, f.span);
  e.args.forEach((a) => fl.lowerExpr(a));
  return err(fl, e.span);
}

function err(fl: FnLowerer, span: Span): Val {
  return { reg: fl.noneConst(span), type: ERROR };
}

function builtin(fl: FnLowerer, name: BuiltinName, args: Reg[], type: Type, span: Span): Val {
  const r = fl.newReg(type);
  fl.emit({ op: 'builtin', dst: r, name, args, span });
  return { reg: r, type };
}

function noKeywords(fl: FnLowerer, e: A.Call, what: string): void {
  for (const k of e.keywords) fl.error('E0311', `${what} takes no keyword argument '${k.name}'`, k.span);
}

function arity(fl: FnLowerer, e: A.Call, what: string, min: number, max = min): boolean {
  const n = e.args.length;
  if (n < min || n > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    fl.error('E0302', `${what} takes ${want} argument${max === 1 && min === 1 ? '' : 's'}, ${n} given`, e.span);
    e.args.forEach((a) => fl.lowerExpr(a));
    return false;
  }
  return true;
}

/** Lowers an argument and checks it against the expected type. */
function arg(fl: FnLowerer, a: A.Expr, want: Type, what: string): Val {
  const v = fl.lowerExpr(a, want);
  fl.checkAssignable(v.type, want, a.span, what);
  return v;
}

/** Positional and keyword arguments matched to named parameters. */
function matchArgs(fl: FnLowerer, e: A.Call, params: { name: string; type: Type }[], what: string): Reg[] | null {
  const slots: (Reg | null)[] = params.map(() => null);
  if (e.args.length > params.length) {
    fl.error('E0302', `${what} takes ${params.length} argument${params.length === 1 ? '' : 's'}, ${e.args.length} given`, e.span);
    e.args.forEach((a) => fl.lowerExpr(a));
    return null;
  }
  e.args.forEach((a, i) => {
    if (a.kind === 'Starred') {
      fl.error('E0406', 'unpacking arguments with * is not supported', a.span);
      return;
    }
    slots[i] = arg(fl, a, params[i]!.type, `argument '${params[i]!.name}' of ${what}`).reg;
  });
  let ok = true;
  for (const k of e.keywords) {
    const i = params.findIndex((p) => p.name === k.name);
    if (i < 0) {
      fl.error('E0311', `${what} has no parameter '${k.name}'`, k.span, `parameters: ${params.map((p) => p.name).join(', ') || 'none'}`);
      fl.lowerExpr(k.value);
      ok = false;
      continue;
    }
    if (slots[i] !== null) {
      fl.error('E0302', `argument '${k.name}' given twice`, k.span);
      ok = false;
      continue;
    }
    slots[i] = arg(fl, k.value, params[i]!.type, `argument '${k.name}' of ${what}`).reg;
  }
  const missing = params.filter((_, i) => slots[i] === null).map((p) => p.name);
  if (missing.length > 0 && ok) {
    fl.error('E0302', `${what} is missing argument${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`, e.span);
    return null;
  }
  return ok ? (slots as Reg[]) : null;
}

function callFunction(fl: FnLowerer, sig: FuncSig, e: A.Call, what: string): Val {
  const args = matchArgs(fl, e, sig.params, what);
  const ret = sig.ret;
  if (!args) return { reg: fl.noneConst(e.span), type: ret };
  const r = fl.newReg(ret);
  fl.emit({ op: 'call', dst: r, fn: sig.irName, args, span: e.span });
  return { reg: r, type: ret };
}

function construct(fl: FnLowerer, def: StructDef, e: A.Call): Val {
  const t: Type = { k: 'struct', def };
  const args = matchArgs(fl, e, def.fields, def.name);
  if (!args) return { reg: fl.noneConst(e.span), type: ERROR };
  const r = fl.newReg(t);
  fl.emit({ op: 'newtuple', dst: r, items: args, span: e.span });
  return { reg: r, type: t };
}

// ---------------------------------------------------------------- calls by name

function callName(fl: FnLowerer, f: A.Name, e: A.Call, expected?: Type): Val {
  const sym = fl.sig.ns.names.get(f.id);
  if (sym) {
    switch (sym.s) {
      case 'func': return callFunction(fl, sym.sig, e, `${f.id}()`);
      case 'struct': return construct(fl, sym.def, e);
      case 'event':
        fl.error('E0301', `event ${f.id} can only be created inside emit(...)`, e.span, `write emit(${f.id}(...))`);
        e.args.forEach((a) => fl.lowerExpr(a));
        return err(fl, e.span);
      case 'iface': return ifaceHandle(fl, sym.def, e);
      case 'contract':
        fl.error('E0304', `contract ${f.id} cannot be instantiated in code`, e.span, 'deploy it, and call it through an Interface');
        return err(fl, e.span);
      default: break;
    }
  }
  const name = f.id;
  switch (name) {
    case 'require': return callRequire(fl, e);
    case 'revert': {
      noKeywords(fl, e, 'revert()');
      if (!arity(fl, e, 'revert()', 0, 1)) return err(fl, e.span);
      const reason = e.args.length ? fl.toStr(arg(fl, e.args[0]!, STR, 'revert reason'), e.span) : fl.strConst('reverted', e.span);
      fl.terminate({ op: 'revert', reason, kind: 'revert', span: e.span });
      fl.markDead();
      return { reg: fl.noneConst(e.span), type: NONE };
    }
    case 'emit': return callEmit(fl, e);
    case 'transfer': {
      noKeywords(fl, e, 'transfer()');
      if (!arity(fl, e, 'transfer(to, amount)', 2)) return err(fl, e.span);
      if (!fl.contract || fl.sig.kind === 'function') fl.error('E0507', 'transfer() is only available in contract methods', e.span);
      const to = arg(fl, e.args[0]!, ADDRESS, 'transfer recipient');
      const amount = arg(fl, e.args[1]!, INT, 'transfer amount');
      fl.emit({ op: 'transfer', to: to.reg, amount: amount.reg, span: e.span });
      return { reg: fl.noneConst(e.span), type: NONE };
    }
    case 'balance': {
      noKeywords(fl, e, 'balance()');
      if (!arity(fl, e, 'balance(address)', 1)) return err(fl, e.span);
      const a = arg(fl, e.args[0]!, ADDRESS, 'balance() argument');
      const r = fl.newReg(INT);
      fl.emit({ op: 'balance', dst: r, addr: a.reg, span: e.span });
      return { reg: r, type: INT };
    }
    case 'sha256':
    case 'keccak256': {
      noKeywords(fl, e, `${name}()`);
      if (!arity(fl, e, `${name}(data)`, 1)) return err(fl, e.span);
      const a = arg(fl, e.args[0]!, BYTES, `${name}() argument`);
      return builtin(fl, name, [a.reg], BYTES, e.span);
    }
    case 'Address': {
      noKeywords(fl, e, 'Address()');
      if (!arity(fl, e, 'Address(text)', 1)) return err(fl, e.span);
      const a0 = e.args[0]!;
      if (a0.kind === 'Str') {
        if (!/^zv[0-9a-f]{64}$/.test(a0.value)) {
          fl.error('E0301', 'invalid address literal', a0.span, "an address is 'zv' followed by 64 lowercase hex digits");
          return err(fl, e.span);
        }
        return { reg: fl.constReg({ kind: 'address', value: a0.value }, ADDRESS, e.span), type: ADDRESS };
      }
      const v = fl.lowerExpr(a0);
      if (v.type.k === 'str') return builtin(fl, 'address_of_str', [v.reg], ADDRESS, e.span);
      if (v.type.k === 'bytes') return builtin(fl, 'address_of_bytes', [v.reg], ADDRESS, e.span);
      if (v.type.k === 'iface') return { reg: v.reg, type: ADDRESS };
      if (v.type.k !== 'error') fl.error('E0301', `Address() takes a str or 32 bytes, not ${showType(v.type)}`, a0.span);
      return err(fl, e.span);
    }
    case 'print': return callPrint(fl, e);
    case 'range':
      fl.error('E0301', 'range() can only be iterated by for or turned into list(range(...))', e.span);
      return err(fl, e.span);
    default:
      break;
  }
  const b = pyBuiltin(fl, name, e, expected);
  if (b) return b;
  if (REFLECTION.has(name)) {
    fl.error('E0413', `'${name}()' (reflection) is not supported`, f.span, 'contracts are static: call methods and read fields by name');
    return err(fl, e.span);
  }
  if (name === 'isinstance' || name === 'issubclass' || name === 'callable') {
    fl.error('E0407', `'${name}()' is not supported`, f.span, 'types are checked at compile time');
    return err(fl, e.span);
  }
  if (name === 'float') {
    fl.error('E0403', 'floats are not supported', f.span, 'use int');
    return err(fl, e.span);
  }
  if (name === 'set' || name === 'frozenset') {
    fl.error('E0416', 'sets are not supported', f.span, 'use dict[K, bool]');
    return err(fl, e.span);
  }
  if (['open', 'input', 'iter', 'next', 'map', 'filter', 'super', 'object', 'hash', 'format', 'round', 'memoryview', 'bytearray', 'complex', 'slice', 'property', 'staticmethod', 'classmethod'].includes(name)) {
    fl.error('E0204', `the builtin '${name}()' is not available in contracts`, f.span,
      name === 'map' || name === 'filter' ? 'use a list comprehension' : name === 'super' ? 'call the base method by its own name' : undefined);
    e.args.forEach((a) => fl.lowerExpr(a));
    return err(fl, e.span);
  }
  fl.useUndefined(f);
  e.args.forEach((a) => fl.lowerExpr(a));
  return err(fl, e.span);
}

function callRequire(fl: FnLowerer, e: A.Call): Val {
  noKeywords(fl, e, 'require()');
  if (!arity(fl, e, 'require(condition, message)', 1, 2)) return err(fl, e.span);
  const c = fl.condition(e.args[0]!);
  const ok = fl.newBlock();
  const fail = fl.newBlock();
  fl.terminate({ op: 'br', cond: c, then: ok.id, else: fail.id, span: e.args[0]!.span });
  const before = fl.assigned;
  fl.enter(fail);
  const reason = e.args[1] ? fl.toStr(arg(fl, e.args[1], STR, 'require message'), e.args[1].span) : fl.strConst('requirement failed', e.span);
  fl.terminate({ op: 'revert', reason, kind: 'require', span: e.span });
  fl.enter(ok);
  fl.assigned = before;
  return { reg: fl.noneConst(e.span), type: NONE };
}

function callEmit(fl: FnLowerer, e: A.Call): Val {
  noKeywords(fl, e, 'emit()');
  if (!arity(fl, e, 'emit(Event(...))', 1)) return err(fl, e.span);
  const ev = e.args[0]!;
  const sym = ev.kind === 'Call' && ev.func.kind === 'Name' ? fl.sig.ns.names.get(ev.func.id) : undefined;
  if (ev.kind !== 'Call' || sym?.s !== 'event') {
    fl.error('E0301', 'emit() takes an event: emit(EventName(field, ...))', ev.span, 'declare events as classes deriving from Event');
    return err(fl, e.span);
  }
  if (!fl.contract || fl.sig.kind === 'function') fl.error('E0507', 'events can only be emitted by contract methods', e.span);
  const args = matchArgs(fl, ev, sym.def.fields, sym.def.name);
  if (!args) return err(fl, e.span);
  fl.ml.registerEvent(sym.def);
  fl.emit({ op: 'emit', event: sym.def.name, args, span: e.span });
  return { reg: fl.noneConst(e.span), type: NONE };
}

function callPrint(fl: FnLowerer, e: A.Call): Val {
  for (const k of e.keywords) {
    fl.error('E0311', `print() keyword '${k.name}' is not supported`, k.span, 'build the line with an f-string');
  }
  const parts = e.args.map((a) => fl.toStr(fl.lowerExpr(a), a.span));
  let line: Reg;
  if (parts.length === 0) line = fl.strConst('', e.span);
  else {
    line = parts[0]!;
    const sp = parts.length > 1 ? fl.strConst(' ', e.span) : 0;
    for (let i = 1; i < parts.length; i++) {
      line = fl.bin('concat', fl.bin('concat', line, sp, STR, e.span), parts[i]!, STR, e.span);
    }
  }
  fl.emit({ op: 'log', msg: line, span: e.span });
  return { reg: fl.noneConst(e.span), type: NONE };
}

function ifaceHandle(fl: FnLowerer, def: InterfaceDef, e: A.Call): Val {
  if (!arity(fl, e, `${def.name}(address)`, 1)) return err(fl, e.span);
  const a = arg(fl, e.args[0]!, ADDRESS, `${def.name}() address`);
  const v: Val = { reg: a.reg, type: { k: 'iface', def } };
  for (const k of e.keywords) {
    if (k.name === 'value') v.xvalue = arg(fl, k.value, INT, 'call value').reg;
    else fl.error('E0311', `${def.name}() takes only the keyword 'value'`, k.span);
  }
  return v;
}

/** Items of an iterable argument (list, or generator expression lowered as a list). */
function listArg(fl: FnLowerer, a: A.Expr, what: string): Val | null {
  if (a.kind === 'GeneratorExp') return fl.lowerListComp(a.elt, a.generators, a.span);
  if (a.kind === 'Call' && a.func.kind === 'Name' && a.func.id === 'range' && !fl.vars.has('range')) return rangeList(fl, a);
  const v = fl.lowerExpr(a);
  const t = v.type;
  if (t.k === 'list' || t.k === 'error') return v;
  if (t.k === 'dict') return builtin(fl, 'dict.keys', [v.reg], listOf(t.key), a.span);
  if (t.k === 'str') return builtin(fl, 'list_of_str', [v.reg], listOf(STR), a.span);
  if (t.k === 'tuple') {
    const first = t.elems[0];
    if (first && t.elems.every((x) => sameType(x, first))) return builtin(fl, 'list_copy', [v.reg], listOf(first), a.span);
  }
  fl.error('E0306', `${what} needs a list, not ${showType(t)}`, a.span);
  return null;
}

/** list(range(...)) materialised (the VM reverts on a zero step). */
function rangeList(fl: FnLowerer, call: A.Call): Val {
  noKeywords(fl, call, 'range()');
  if (!arity(fl, call, 'range()', 1, 3)) return err(fl, call.span);
  const span = call.span;
  const ints = call.args.map((x) => arg(fl, x, INT, 'range() argument').reg);
  const [start, stop, step] = ints.length === 1 ? [fl.intConst(0, span), ints[0]!, fl.intConst(1, span)]
    : [ints[0]!, ints[1]!, ints[2] ?? fl.intConst(1, span)];
  return builtin(fl, 'range_list', [start, stop, step], listOf(INT), span);
}

function reverseKw(fl: FnLowerer, e: A.Call, what: string): Reg {
  let r: Reg | null = null;
  for (const k of e.keywords) {
    if (k.name === 'reverse') r = arg(fl, k.value, BOOL, 'reverse').reg;
    else fl.error('E0311', k.name === 'key' ? `${what}: key= functions are not supported` : `${what} has no keyword '${k.name}'`, k.span,
      k.name === 'key' ? 'sort a list of tuples whose first element is the key' : undefined);
  }
  return r ?? fl.boolConst(false, e.span);
}

// ---------------------------------------------------------------- Python builtins

function pyBuiltin(fl: FnLowerer, name: string, e: A.Call, expected?: Type): Val | null {
  const span = e.span;
  const one = (what: string): Val | null => {
    noKeywords(fl, e, what);
    if (!arity(fl, e, what, 1)) return null;
    return fl.lowerExpr(e.args[0]!);
  };
  switch (name) {
    case 'len': {
      const a0 = e.args[0];
      if (e.args.length === 1 && a0 && fl.tryStorage(a0)?.type.k === 'map') {
        fl.error('E0303', 'a storage Map has no len()', a0.span, 'keep a count in another storage field');
        return err(fl, span);
      }
      const v = one('len()');
      if (!v) return err(fl, span);
      if (!['str', 'bytes', 'list', 'tuple', 'dict', 'error'].includes(v.type.k)) {
        fl.error('E0303', `${showType(v.type)} has no len()`, e.args[0]!.span, v.type.k === 'map' ? 'storage Maps have no length; keep a count in a field' : undefined);
        return err(fl, span);
      }
      const r = fl.newReg(INT);
      fl.emit({ op: 'un', kind: 'len', dst: r, a: v.reg, span });
      return { reg: r, type: INT };
    }
    case 'abs': {
      const v = one('abs()');
      if (!v) return err(fl, span);
      fl.checkAssignable(v.type, INT, e.args[0]!.span, 'abs() argument');
      return builtin(fl, 'abs', [v.reg], INT, span);
    }
    case 'min':
    case 'max': {
      noKeywords(fl, e, `${name}()`);
      if (e.args.length === 0) return arity(fl, e, `${name}()`, 1, Infinity) ? null : err(fl, span);
      if (e.args.length === 1) {
        const l = listArg(fl, e.args[0]!, `${name}()`);
        if (!l || l.type.k !== 'list') return err(fl, span);
        if (!isOrdered(l.type.elem)) fl.error('E0303', `${name}() needs comparable elements`, e.args[0]!.span);
        return builtin(fl, name === 'min' ? 'min_list' : 'max_list', [l.reg], l.type.elem, span);
      }
      let acc = fl.lowerExpr(e.args[0]!);
      if (!isOrdered(acc.type) || acc.type.k === 'list' || acc.type.k === 'tuple') {
        if (acc.type.k !== 'error') fl.error('E0303', `${name}() of ${showType(acc.type)} is not supported`, e.args[0]!.span);
      }
      for (const a of e.args.slice(1)) {
        const v = fl.lowerExpr(a, acc.type);
        fl.checkAssignable(v.type, acc.type, a.span, `${name}() argument`);
        acc = builtin(fl, name === 'min' ? 'min2' : 'max2', [acc.reg, v.reg], acc.type, span);
      }
      return acc;
    }
    case 'sum': {
      noKeywords(fl, e, 'sum()');
      if (!arity(fl, e, 'sum()', 1)) return err(fl, span);
      const l = listArg(fl, e.args[0]!, 'sum()');
      if (!l) return err(fl, span);
      if (l.type.k === 'list' && l.type.elem.k !== 'int' && l.type.elem.k !== 'error') fl.error('E0303', `sum() needs a list of int, not ${showType(l.type)}`, e.args[0]!.span);
      return builtin(fl, 'sum_list', [l.reg], INT, span);
    }
    case 'any':
    case 'all': {
      noKeywords(fl, e, `${name}()`);
      if (!arity(fl, e, `${name}()`, 1)) return err(fl, span);
      const l = listArg(fl, e.args[0]!, `${name}()`);
      if (!l) return err(fl, span);
      return builtin(fl, name === 'any' ? 'any_list' : 'all_list', [l.reg], BOOL, span);
    }
    case 'sorted': {
      if (!arity(fl, e, 'sorted()', 1)) return err(fl, span);
      const l = listArg(fl, e.args[0]!, 'sorted()');
      const rev = reverseKw(fl, e, 'sorted()');
      if (!l || l.type.k !== 'list') return err(fl, span);
      if (!isOrdered(l.type.elem)) fl.error('E0303', `sorted() needs comparable elements, not ${showType(l.type.elem)}`, e.args[0]!.span);
      return builtin(fl, 'sorted', [l.reg, rev], l.type, span);
    }
    case 'reversed': {
      noKeywords(fl, e, 'reversed()');
      if (!arity(fl, e, 'reversed()', 1)) return err(fl, span);
      const l = listArg(fl, e.args[0]!, 'reversed()');
      if (!l || l.type.k !== 'list') return err(fl, span);
      return builtin(fl, 'reversed', [l.reg], l.type, span);
    }
    case 'enumerate': {
      noKeywords(fl, e, 'enumerate()');
      if (!arity(fl, e, 'enumerate()', 1)) return err(fl, span);
      const l = listArg(fl, e.args[0]!, 'enumerate()');
      if (!l || l.type.k !== 'list') return err(fl, span);
      return builtin(fl, 'enumerate', [l.reg], listOf(tupleOf([INT, l.type.elem])), span);
    }
    case 'zip': {
      noKeywords(fl, e, 'zip()');
      if (!arity(fl, e, 'zip()', 2)) return err(fl, span);
      const a = listArg(fl, e.args[0]!, 'zip()');
      const b = listArg(fl, e.args[1]!, 'zip()');
      if (!a || !b || a.type.k !== 'list' || b.type.k !== 'list') return err(fl, span);
      return builtin(fl, 'zip', [a.reg, b.reg], listOf(tupleOf([a.type.elem, b.type.elem])), span);
    }
    case 'str': {
      noKeywords(fl, e, 'str()');
      if (e.args.length === 0) return { reg: fl.strConst('', span), type: STR };
      const v = one('str()');
      if (!v) return err(fl, span);
      return { reg: fl.toStr(v, span), type: STR };
    }
    case 'repr': {
      const v = one('repr()');
      if (!v) return err(fl, span);
      const r = fl.newReg(STR);
      fl.emit({ op: 'repr', dst: r, src: v.reg, type: typeDesc(v.type), span });
      return { reg: r, type: STR };
    }
    case 'int': {
      noKeywords(fl, e, 'int()');
      if (e.args.length === 0) return { reg: fl.intConst(0, span), type: INT };
      if (!arity(fl, e, 'int()', 1, 2)) return err(fl, span);
      const v = fl.lowerExpr(e.args[0]!);
      if (e.args.length === 2) {
        fl.checkAssignable(v.type, STR, e.args[0]!.span, 'int() text');
        const base = arg(fl, e.args[1]!, INT, 'int() base');
        return builtin(fl, 'int_of_str_base', [v.reg, base.reg], INT, span);
      }
      switch (v.type.k) {
        case 'int': return v;
        case 'bool': return builtin(fl, 'int_of_bool', [v.reg], INT, span);
        case 'str': return builtin(fl, 'int_of_str', [v.reg], INT, span);
        case 'error': return err(fl, span);
        default:
          fl.error('E0301', `int() takes str, bool or int, not ${showType(v.type)}`, e.args[0]!.span,
            v.type.k === 'bytes' ? 'use int.from_bytes is not supported; decode the bytes to text first' : undefined);
          return err(fl, span);
      }
    }
    case 'bool': {
      noKeywords(fl, e, 'bool()');
      if (e.args.length === 0) return { reg: fl.boolConst(false, span), type: BOOL };
      if (!arity(fl, e, 'bool()', 1)) return err(fl, span);
      return { reg: fl.condition(e.args[0]!), type: BOOL };
    }
    case 'list': {
      noKeywords(fl, e, 'list()');
      if (e.args.length === 0) {
        if (expected?.k === 'list') {
          const r = fl.newReg(expected);
          fl.emit({ op: 'newlist', dst: r, items: [], span });
          return { reg: r, type: expected };
        }
        fl.error('E0308', 'cannot infer the element type of list()', span, "annotate the variable: 'xs: list[int] = []'");
        return err(fl, span);
      }
      if (!arity(fl, e, 'list()', 1)) return err(fl, span);
      const a0 = e.args[0]!;
      if (a0.kind === 'Call' && a0.func.kind === 'Name' && a0.func.id === 'range' && !fl.vars.has('range')) return rangeList(fl, a0);
      if (a0.kind === 'GeneratorExp') return fl.lowerListComp(a0.elt, a0.generators, a0.span);
      const v = fl.lowerExpr(a0);
      switch (v.type.k) {
        case 'list': return builtin(fl, 'list_copy', [v.reg], v.type, span);
        case 'str': return builtin(fl, 'list_of_str', [v.reg], listOf(STR), span);
        case 'dict': return builtin(fl, 'list_of_dict', [v.reg], listOf(v.type.key), span);
        case 'bytes': return builtin(fl, 'list_copy', [v.reg], listOf(INT), span);
        case 'tuple': {
          const first = v.type.elems[0];
          if (first && v.type.elems.every((x) => sameType(x, first))) return builtin(fl, 'list_copy', [v.reg], listOf(first), span);
          break;
        }
        case 'error': return err(fl, span);
        default: break;
      }
      fl.error('E0306', `list() cannot convert ${showType(v.type)}`, a0.span);
      return err(fl, span);
    }
    case 'dict': {
      noKeywords(fl, e, 'dict()');
      if (e.args.length === 0) {
        if (expected?.k === 'dict') {
          const r = fl.newReg(expected);
          fl.emit({ op: 'newdict', dst: r, items: [], span });
          return { reg: r, type: expected };
        }
        fl.error('E0308', 'cannot infer the types of dict()', span, "annotate the variable: 'd: dict[str, int] = {}'");
        return err(fl, span);
      }
      const v = one('dict()');
      if (!v) return err(fl, span);
      if (v.type.k === 'dict') return builtin(fl, 'dict.copy', [v.reg], v.type, span);
      if (v.type.k !== 'error') fl.error('E0301', `dict() takes a dict, not ${showType(v.type)}`, e.args[0]!.span, 'use a dict comprehension');
      return err(fl, span);
    }
    case 'tuple':
      fl.error('E0204', 'tuple() is not supported', span, 'write a tuple literal (a, b)');
      return err(fl, span);
    case 'bytes': {
      noKeywords(fl, e, 'bytes()');
      if (e.args.length === 0) return { reg: fl.constReg({ kind: 'bytes', value: new Uint8Array() }, BYTES, span), type: BYTES };
      const v = one('bytes()');
      if (!v) return err(fl, span);
      if (v.type.k === 'list' && v.type.elem.k === 'int') return builtin(fl, 'bytes_of_list', [v.reg], BYTES, span);
      if (v.type.k === 'bytes') return v;
      if (v.type.k === 'address') return builtin(fl, 'address.bytes', [v.reg], BYTES, span);
      if (v.type.k !== 'error') fl.error('E0301', `bytes() takes a list[int] or an Address, not ${showType(v.type)}`, e.args[0]!.span,
        v.type.k === 'str' ? "use s.encode() for the UTF-8 bytes of a str" : undefined);
      return err(fl, span);
    }
    case 'chr': case 'hex': case 'bin': case 'oct': {
      const v = one(`${name}()`);
      if (!v) return err(fl, span);
      fl.checkAssignable(v.type, INT, e.args[0]!.span, `${name}() argument`);
      return builtin(fl, name, [v.reg], STR, span);
    }
    case 'ord': {
      const v = one('ord()');
      if (!v) return err(fl, span);
      fl.checkAssignable(v.type, STR, e.args[0]!.span, 'ord() argument');
      return builtin(fl, 'ord', [v.reg], INT, span);
    }
    case 'divmod': {
      noKeywords(fl, e, 'divmod()');
      if (!arity(fl, e, 'divmod(a, b)', 2)) return err(fl, span);
      const a = arg(fl, e.args[0]!, INT, 'divmod() argument');
      const b = arg(fl, e.args[1]!, INT, 'divmod() argument');
      return builtin(fl, 'divmod', [a.reg, b.reg], tupleOf([INT, INT]), span);
    }
    case 'pow': {
      noKeywords(fl, e, 'pow()');
      if (!arity(fl, e, 'pow()', 2, 3)) return err(fl, span);
      const xs = e.args.map((a) => arg(fl, a, INT, 'pow() argument').reg);
      if (xs.length === 2) return { reg: fl.bin('pow', xs[0]!, xs[1]!, INT, span), type: INT };
      return builtin(fl, 'powmod', xs, INT, span);
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------- calls of attributes

function callAttribute(fl: FnLowerer, f: A.Attribute, e: A.Call): Val {
  const base = f.value;
  // self.method(...)
  if (base.kind === 'Name' && base.id === 'self' && !fl.vars.has('self') && fl.contract) {
    const m = fl.contract.methods.get(f.attr);
    if (m) {
      if (fl.sig.kind === 'function') {
        fl.error('E0507', 'module-level functions cannot call contract methods', e.span);
        return err(fl, e.span);
      }
      if (m.kind === 'constructor') {
        fl.error('E0508', 'the constructor cannot be called', e.span);
        return err(fl, e.span);
      }
      return callFunction(fl, m, e, `${f.attr}()`);
    }
    if (fl.contract.fields.has(f.attr) || f.attr === 'address' || f.attr === 'balance') {
      fl.error('E0304', `'self.${f.attr}' is ${fl.contract.fields.has(f.attr) ? 'a storage field' : 'a value'}, not a method`, e.span,
        `read it without parentheses: self.${f.attr}`);
      e.args.forEach((a) => fl.lowerExpr(a));
      return err(fl, e.span);
    }
    {
      fl.error('E0204', `contract '${fl.contract.name}' has no method '${f.attr}'`, f.attrSpan);
      e.args.forEach((a) => fl.lowerExpr(a));
      return err(fl, e.span);
    }
  }
  // bytes.fromhex("..")
  if (base.kind === 'Name' && base.id === 'bytes' && !fl.vars.has('bytes') && f.attr === 'fromhex') {
    noKeywords(fl, e, 'bytes.fromhex()');
    if (!arity(fl, e, 'bytes.fromhex()', 1)) return err(fl, e.span);
    const s = arg(fl, e.args[0]!, STR, 'bytes.fromhex() argument');
    return builtin(fl, 'bytes.fromhex', [s.reg], BYTES, e.span);
  }
  if (base.kind === 'Name' && base.id === 'int' && !fl.vars.has('int')) {
    fl.error('E0204', `int.${f.attr}() is not supported`, f.span);
    return err(fl, e.span);
  }
  // a mutating method on a storage-rooted value reads, mutates and writes back
  const place = isPlaceExpr(fl, base) && MUTATING.has(f.attr) ? fl.placeOf(base, false) : null;
  const recv = place && place.p !== 'error' ? fl.readPlace(place, base.span) : fl.lowerExpr(base);
  if (recv.type.k === 'iface') return callInterface(fl, recv, f, e);
  const out = valueMethod(fl, recv, f, e);
  if (place && place.p !== 'local' && place.p !== 'error' && recv.type.k !== 'error') fl.writePlace(place as Place, recv, e.span);
  return out;
}

const MUTATING = new Set(['append', 'pop', 'insert', 'extend', 'remove', 'reverse', 'sort', 'clear', 'setdefault', 'update']);

/** Expressions that name a location (so that mutation must be written back). */
function isPlaceExpr(fl: FnLowerer, e: A.Expr): boolean {
  if (e.kind === 'Name') return fl.vars.has(e.id);
  if (e.kind === 'Attribute') return isPlaceExpr(fl, e.value) || (e.value.kind === 'Name' && e.value.id === 'self');
  if (e.kind === 'Subscript') return e.index.kind !== 'Slice' && isPlaceExpr(fl, e.value);
  return false;
}

function callInterface(fl: FnLowerer, recv: Val, f: A.Attribute, e: A.Call): Val {
  const def = (recv.type as { def: InterfaceDef }).def;
  const m = def.methods.get(f.attr);
  if (!m) {
    fl.error('E0204', `interface ${def.name} has no method '${f.attr}'`, f.attrSpan,
      def.methods.size ? `its methods: ${[...def.methods.keys()].join(', ')}` : undefined);
    e.args.forEach((a) => fl.lowerExpr(a));
    return err(fl, e.span);
  }
  const args = matchArgs(fl, e, m.params, `${def.name}.${m.name}()`);
  if (!args) return { reg: fl.noneConst(e.span), type: m.ret };
  if (!fl.contract || fl.sig.kind === 'function') fl.error('E0507', 'other contracts can only be called from contract methods', e.span);
  if (recv.xvalue !== undefined && !m.payable) {
    fl.error('E0510', `${def.name}.${m.name} is not @payable: it cannot receive value`, e.span, 'mark the method @payable in the interface if the contract accepts coin');
  }
  fl.ml.registerExternal({
    iface: def.name, method: m.name, argTypes: m.params.map((p) => typeDesc(p.type)), retType: typeDesc(m.ret), view: m.view,
  });
  const value = recv.xvalue ?? fl.intConst(0, e.span);
  const r = fl.newReg(m.ret);
  fl.emit({ op: 'xcall', dst: r, iface: def.name, method: m.name, addr: recv.reg, value, args, span: e.span });
  return { reg: r, type: m.ret };
}

// ---------------------------------------------------------------- methods of values

interface MethodSpec {
  b: BuiltinName;
  /** Parameter types (after the receiver); `null` marks an optional parameter filled with None. */
  params: (Type | { opt: Type; fill: 'none' | 'neg1' })[];
  ret: Type;
}

function strMethods(): Record<string, MethodSpec> {
  const pred = (b: BuiltinName): MethodSpec => ({ b, params: [], ret: BOOL });
  const same = (b: BuiltinName): MethodSpec => ({ b, params: [], ret: STR });
  return {
    upper: same('str.upper'), lower: same('str.lower'), capitalize: same('str.capitalize'),
    strip: { b: 'str.strip', params: [{ opt: STR, fill: 'none' }], ret: STR },
    lstrip: { b: 'str.lstrip', params: [{ opt: STR, fill: 'none' }], ret: STR },
    rstrip: { b: 'str.rstrip', params: [{ opt: STR, fill: 'none' }], ret: STR },
    split: { b: 'str.split', params: [{ opt: optionalOf(STR), fill: 'none' }, { opt: INT, fill: 'neg1' }], ret: listOf(STR) },
    join: { b: 'str.join', params: [listOf(STR)], ret: STR },
    startswith: { b: 'str.startswith', params: [STR], ret: BOOL },
    endswith: { b: 'str.endswith', params: [STR], ret: BOOL },
    find: { b: 'str.find', params: [STR], ret: INT },
    rfind: { b: 'str.rfind', params: [STR], ret: INT },
    index: { b: 'str.index', params: [STR], ret: INT },
    replace: { b: 'str.replace', params: [STR, STR], ret: STR },
    count: { b: 'str.count', params: [STR], ret: INT },
    isdigit: pred('str.isdigit'), isalpha: pred('str.isalpha'), isalnum: pred('str.isalnum'),
    isspace: pred('str.isspace'), islower: pred('str.islower'), isupper: pred('str.isupper'),
    zfill: { b: 'str.zfill', params: [INT], ret: STR },
    encode: { b: 'str.encode', params: [], ret: BYTES },
  };
}
const STR_METHODS = strMethods();

function valueMethod(fl: FnLowerer, recv: Val, f: A.Attribute, e: A.Call): Val {
  const t = recv.type;
  const name = f.attr;
  if (t.k === 'error') {
    e.args.forEach((a) => fl.lowerExpr(a));
    return err(fl, e.span);
  }
  if (t.k === 'str') {
    const spec = STR_METHODS[name];
    if (spec) return applySpec(fl, spec, recv, e, `str.${name}()`);
  }
  if (t.k === 'bytes') {
    if (name === 'hex') return applySpec(fl, { b: 'bytes.hex', params: [], ret: STR }, recv, e, 'bytes.hex()');
    if (name === 'decode') return applySpec(fl, { b: 'bytes.decode', params: [], ret: STR }, recv, e, 'bytes.decode()');
  }
  if (t.k === 'list') {
    const el = t.elem;
    switch (name) {
      case 'append': {
        noKeywords(fl, e, 'list.append()');
        if (!arity(fl, e, 'list.append()', 1)) return err(fl, e.span);
        const v = arg(fl, e.args[0]!, el, 'list.append() argument');
        fl.emit({ op: 'append', list: recv.reg, value: v.reg, span: e.span });
        return { reg: fl.noneConst(e.span), type: NONE };
      }
      case 'pop':
        noKeywords(fl, e, 'list.pop()');
        if (!arity(fl, e, 'list.pop()', 0, 1)) return err(fl, e.span);
        if (e.args.length === 0) return builtin(fl, 'list.pop', [recv.reg], el, e.span);
        return builtin(fl, 'list.pop_at', [recv.reg, arg(fl, e.args[0]!, INT, 'list.pop() index').reg], el, e.span);
      case 'insert': return applySpec(fl, { b: 'list.insert', params: [INT, el], ret: NONE }, recv, e, 'list.insert()');
      case 'extend': return applySpec(fl, { b: 'list.extend', params: [t], ret: NONE }, recv, e, 'list.extend()');
      case 'index': return applySpec(fl, { b: 'list.index', params: [el], ret: INT }, recv, e, 'list.index()');
      case 'count': return applySpec(fl, { b: 'list.count', params: [el], ret: INT }, recv, e, 'list.count()');
      case 'remove': return applySpec(fl, { b: 'list.remove', params: [el], ret: NONE }, recv, e, 'list.remove()');
      case 'reverse': return applySpec(fl, { b: 'list.reverse', params: [], ret: NONE }, recv, e, 'list.reverse()');
      case 'clear': return applySpec(fl, { b: 'list.clear', params: [], ret: NONE }, recv, e, 'list.clear()');
      case 'copy': return applySpec(fl, { b: 'list_copy', params: [], ret: t }, recv, e, 'list.copy()');
      case 'sort': {
        if (!arity(fl, e, 'list.sort()', 0)) return err(fl, e.span);
        if (!isOrdered(el)) fl.error('E0303', `list.sort() needs comparable elements, not ${showType(el)}`, e.span);
        const rev = reverseKw(fl, e, 'list.sort()');
        return builtin(fl, 'list.sort', [recv.reg, rev], NONE, e.span);
      }
      default: break;
    }
  }
  if (t.k === 'dict') {
    const { key: kt, value: vt } = t;
    switch (name) {
      case 'get': {
        noKeywords(fl, e, 'dict.get()');
        if (!arity(fl, e, 'dict.get()', 1, 2)) return err(fl, e.span);
        const k = arg(fl, e.args[0]!, kt, 'dict key');
        if (e.args.length === 2) {
          const d = arg(fl, e.args[1]!, vt, 'dict.get() default');
          return builtin(fl, 'dict.get', [recv.reg, k.reg, d.reg], vt, e.span);
        }
        return builtin(fl, 'dict.get', [recv.reg, k.reg, fl.noneConst(e.span)], optionalOf(vt), e.span);
      }
      case 'keys': return applySpec(fl, { b: 'dict.keys', params: [], ret: listOf(kt) }, recv, e, 'dict.keys()');
      case 'values': return applySpec(fl, { b: 'dict.values', params: [], ret: listOf(vt) }, recv, e, 'dict.values()');
      case 'items': return applySpec(fl, { b: 'dict.items', params: [], ret: listOf(tupleOf([kt, vt])) }, recv, e, 'dict.items()');
      case 'pop': {
        noKeywords(fl, e, 'dict.pop()');
        if (!arity(fl, e, 'dict.pop()', 1, 2)) return err(fl, e.span);
        const k = arg(fl, e.args[0]!, kt, 'dict key');
        if (e.args.length === 2) return builtin(fl, 'dict.pop_default', [recv.reg, k.reg, arg(fl, e.args[1]!, vt, 'dict.pop() default').reg], vt, e.span);
        return builtin(fl, 'dict.pop', [recv.reg, k.reg], vt, e.span);
      }
      case 'setdefault': return applySpec(fl, { b: 'dict.setdefault', params: [kt, vt], ret: vt }, recv, e, 'dict.setdefault()');
      case 'copy': return applySpec(fl, { b: 'dict.copy', params: [], ret: t }, recv, e, 'dict.copy()');
      case 'clear': return applySpec(fl, { b: 'dict.clear', params: [], ret: NONE }, recv, e, 'dict.clear()');
      case 'update': return applySpec(fl, { b: 'dict.update', params: [t], ret: NONE }, recv, e, 'dict.update()');
      default: break;
    }
  }
  fl.error('E0204', `${showType(t)} has no method '${name}'`, f.attrSpan,
    t.k === 'optional' ? `check '${exprText(f.value)} is not None' first` : t.k === 'map' ? 'storage Maps support m[key], key in m and del m[key]' : undefined);
  e.args.forEach((a) => fl.lowerExpr(a));
  return err(fl, e.span);
}

function applySpec(fl: FnLowerer, spec: MethodSpec, recv: Val, e: A.Call, what: string): Val {
  noKeywords(fl, e, what);
  const required = spec.params.filter((p) => !('opt' in p)).length;
  if (!arity(fl, e, what, required, spec.params.length)) return err(fl, e.span);
  const regs: Reg[] = [recv.reg];
  spec.params.forEach((p, i) => {
    const a = e.args[i];
    const pt = 'opt' in p ? p.opt : p;
    if (a) regs.push(arg(fl, a, pt, `${what} argument`).reg);
    else if ('opt' in p) regs.push(p.fill === 'none' ? fl.noneConst(e.span) : fl.intConst(-1, e.span));
  });
  return builtin(fl, spec.b, regs, spec.ret, e.span);
}

