// Declarations: resolves imports (linking stdlib components), collects the structs, events,
// interfaces, functions and the contract of every file, and resolves their types. Bodies of
// functions are checked and lowered later (lower.ts).

import type * as A from './ast.ts';
import type { DiagnosticBag, Span } from './diagnostics.ts';
import type { FnKind } from './ir.ts';
import { parse } from './parser.ts';
import type { ContractInfo, FuncSig, Namespace, StorageField, Sym } from './symbols.ts';
import { LIB_NAMES } from './symbols.ts';
import {
  ADDRESS, BOOL, BYTES, ERROR, INT, NONE, STR, containsMap, dictOf, isHashable, listOf, optionalOf,
  showType, tupleOf,
  type InterfaceDef, type StructDef, type Type,
} from './types.ts';

export interface SourceFile {
  path: string;
  source: string;
}

/** Finds the source of `stdlib.x` (or any dotted module the resolver knows). */
export type Resolver = (modulePath: string) => SourceFile | undefined;

export interface Program {
  main: Namespace;
  contract: ContractInfo | null;
  /** Every function to lower: module functions of every file, then the contract's methods. */
  functions: FuncSig[];
  files: SourceFile[];
  modules: A.Module[];
}


export class Declarer {
  private readonly namespaces = new Map<string, Namespace>();
  private readonly loading = new Set<string>();
  readonly files: SourceFile[] = [];
  readonly modules: A.Module[] = [];
  readonly functions: FuncSig[] = [];

  constructor(private readonly diags: DiagnosticBag, private readonly resolve: Resolver | undefined) {}

  declareMain(file: SourceFile): Program {
    const ns = this.declareFile(file, 'main');
    let contract: ContractInfo | null = null;
    for (const stmt of this.modules[0]?.body ?? []) {
      if (stmt.kind !== 'ClassDef') continue;
      const sym = ns.names.get(stmt.name);
      if (sym?.s === 'contract' && sym.info.node === stmt) {
        if (contract) {
          this.diags.error('E0504', `a file compiles to one contract; '${contract.name}' is already defined`, stmt.nameSpan,
            'move this contract to its own file and call it through an Interface');
        } else contract = sym.info;
      }
    }
    if (contract) this.addContractMethods(contract);
    return { main: ns, contract, functions: this.functions, files: this.files, modules: this.modules };
  }

  // ------------------------------------------------------------------ files and imports

  private declareFile(file: SourceFile, module: string): Namespace {
    const { module: ast, diagnostics } = parse(file.source, file.path);
    for (const d of diagnostics) this.diags.items.push(d);
    this.files.push(file);
    this.modules.push(ast);
    const ns: Namespace = { file: file.path, module, names: new Map() };
    this.namespaces.set(module, ns);

    // Pass 1: imports and names of classes and functions, so that order does not matter.
    for (const stmt of ast.body) this.declareName(stmt, ns);
    // Pass 2: resolve types of structs, events, interfaces; then functions and contracts.
    for (const stmt of ast.body) {
      if (stmt.kind === 'ClassDef') this.resolveClass(stmt, ns);
    }
    this.rejectRecursiveStructs(ast, ns);
    for (const stmt of ast.body) {
      if (stmt.kind === 'FunctionDef') {
        const sym = ns.names.get(stmt.name);
        if (sym?.s === 'func' && sym.sig.node === stmt) {
          this.resolveSignature(sym.sig, null);
          this.functions.push(sym.sig);
        }
      }
    }
    return ns;
  }

  private bind(ns: Namespace, name: string, sym: Sym, span: Span): void {
    if (ns.names.has(name)) {
      this.diags.error('E0202', `'${name}' is defined twice in this file`, span, 'rename one of them');
      return;
    }
    ns.names.set(name, sym);
  }

  private declareName(stmt: A.Stmt, ns: Namespace): void {
    switch (stmt.kind) {
      case 'ImportFrom': return this.declareImportFrom(stmt, ns);
      case 'Import':
        for (const alias of stmt.names) {
          this.diags.error('E0401', `'import ${alias.name}' is not supported`, alias.span,
            alias.name === 'zvchain' || alias.name.startsWith('stdlib')
              ? `write 'from ${alias.name} import NAME'`
              : 'contracts can import only the contract library (zvchain), typing and stdlib components');
        }
        return;
      case 'FunctionDef': {
        const sig: FuncSig = {
          name: stmt.name, irName: ns.module === 'main' ? stmt.name : `${ns.module}.${stmt.name}`,
          kind: 'function', params: [], ret: NONE, node: stmt, ns, owner: null,
        };
        this.bind(ns, stmt.name, { s: 'func', sig }, stmt.nameSpan);
        return;
      }
      case 'ClassDef': return this.declareClassName(stmt, ns);
      case 'Expr':
        if (stmt.value.kind === 'Str' || stmt.value.kind === 'Ellipsis') return; // docstring
        this.diags.error('E0420', 'statements at module level are not supported', stmt.span,
          'put code in a function; module level holds imports, classes and functions');
        return;
      case 'Unsupported':
        this.reportUnsupported(stmt);
        return;
      case 'Pass':
        return;
      case 'Return':
        this.diags.error('E0314', "'return' outside a function", stmt.span);
        return;
      case 'Assign':
      case 'AnnAssign':
        this.diags.error('E0420', 'module-level variables are not supported', stmt.span,
          'use a function that returns the constant, or a storage field of the contract');
        return;
      default:
        this.diags.error('E0420', `a '${stmt.kind.toLowerCase()}' statement cannot stand at module level`, stmt.span,
          'put code in a function');
    }
  }

  reportUnsupported(stmt: A.Unsupported): void {
    reportUnsupportedConstruct(this.diags, stmt);
  }

  private declareImportFrom(stmt: A.ImportFrom, ns: Namespace): void {
    const mod = stmt.module;
    if (stmt.level > 0) {
      this.diags.error('E0401', 'relative imports are not supported', stmt.span, "import components as 'from stdlib.NAME import ...'");
      return;
    }
    if (mod === 'zvchain' || mod === 'typing' || mod === '__future__') {
      for (const alias of stmt.names) {
        const ok = mod === 'zvchain' ? LIB_NAMES.has(alias.name) : mod === 'typing' ? alias.name === 'Optional' : alias.name === 'annotations';
        if (!ok) {
          const hint = mod === 'typing' ? "write list[int], dict[str, int], tuple[int, str] instead of typing's aliases" : undefined;
          this.diags.error('E0401', `'${mod}' has no '${alias.name}' in this language`, alias.span, hint);
        } else if (alias.asname && alias.asname !== alias.name) {
          this.diags.error('E0401', `renaming '${alias.name}' on import is not supported`, alias.span, `import it as '${alias.name}'`);
        }
      }
      return;
    }
    if (!mod.startsWith('stdlib.')) {
      this.diags.error('E0401', `cannot import '${mod}': contracts can import only zvchain, typing and stdlib components`, stmt.span,
        'deterministic contracts cannot use Python libraries; see stdlib/ for the components you can link in');
      return;
    }
    const target = this.loadModule(mod, stmt.span);
    if (!target) return;
    for (const alias of stmt.names) {
      const sym = target.names.get(alias.name);
      if (!sym) {
        this.diags.error('E0401', `module '${mod}' has no '${alias.name}'`, alias.span);
        continue;
      }
      this.bind(ns, alias.asname ?? alias.name, sym, alias.span);
    }
  }

  private loadModule(mod: string, span: Span): Namespace | null {
    const existing = this.namespaces.get(mod);
    if (existing) return existing;
    if (this.loading.has(mod)) {
      this.diags.error('E0401', `circular import of '${mod}'`, span);
      return null;
    }
    const file = this.resolve?.(mod);
    if (!file) {
      this.diags.error('E0401', `cannot find module '${mod}'`, span,
        `stdlib components live in stdlib/${mod.slice('stdlib.'.length).replace(/\./g, '/')}.py`);
      return null;
    }
    this.loading.add(mod);
    const ns = this.declareFile(file, mod);
    this.loading.delete(mod);
    return ns;
  }

  // ------------------------------------------------------------------ classes

  private declareClassName(cls: A.ClassDef, ns: Namespace): void {
    if (cls.decorators.length > 0) {
      this.diags.error('E0505', 'class decorators are not supported', cls.decorators[0]!.span);
    }
    if (cls.keywords.length > 0) {
      this.diags.error('E0417', 'class keywords (metaclass=...) are not supported', cls.keywords[0]!.span);
    }
    const base = cls.bases.length === 1 ? cls.bases[0]! : null;
    if (cls.bases.length > 1) {
      this.diags.error('E0417', `class '${cls.name}' has more than one base class`, cls.bases[1]!.span,
        'a contract may derive from one contract component; use Interfaces for other contracts');
    }
    const baseName = base?.kind === 'Name' ? base.id : null;
    const baseSym = baseName ? ns.names.get(baseName) : undefined;
    if (baseName === 'Struct' || baseName === 'Event') {
      const def: StructDef = { name: cls.name, fields: [], kind: baseName === 'Struct' ? 'struct' : 'event' };
      this.bind(ns, cls.name, baseName === 'Struct' ? { s: 'struct', def } : { s: 'event', def }, cls.nameSpan);
    } else if (baseName === 'Interface') {
      const def: InterfaceDef = { name: cls.name, methods: new Map() };
      this.bind(ns, cls.name, { s: 'iface', def }, cls.nameSpan);
    } else if (baseName === 'Contract' || baseSym?.s === 'contract') {
      const info: ContractInfo = {
        name: cls.name, node: cls, ns, base: baseSym?.s === 'contract' ? baseSym.info : null,
        fields: new Map(), methods: new Map(),
      };
      this.bind(ns, cls.name, { s: 'contract', info }, cls.nameSpan);
    } else {
      this.diags.error('E0417', base
        ? `class '${cls.name}' must derive from Contract, Struct, Event or Interface`
        : `class '${cls.name}' needs a base class`, base?.span ?? cls.nameSpan,
      'contracts derive from Contract (or a stdlib component), records from Struct, events from Event, other contracts\' APIs from Interface');
    }
  }

  private resolveClass(cls: A.ClassDef, ns: Namespace): void {
    const sym = ns.names.get(cls.name);
    if (!sym) return;
    if ((sym.s === 'struct' || sym.s === 'event') && sym.def.fields.length === 0) this.resolveRecord(cls, sym.def, ns);
    else if (sym.s === 'iface' && sym.def.methods.size === 0) this.resolveInterface(cls, sym.def, ns);
    else if (sym.s === 'contract' && sym.info.node === cls) this.resolveContractOnce(sym.info);
  }

  private isDocOrPass(stmt: A.Stmt): boolean {
    return stmt.kind === 'Pass' || (stmt.kind === 'Expr' && (stmt.value.kind === 'Str' || stmt.value.kind === 'Ellipsis'));
  }

  private resolveRecord(cls: A.ClassDef, def: StructDef, ns: Namespace): void {
    const what = def.kind === 'struct' ? 'struct' : 'event';
    for (const stmt of cls.body) {
      if (this.isDocOrPass(stmt)) continue;
      if (stmt.kind === 'AnnAssign' && stmt.target.kind === 'Name') {
        if (stmt.value) {
          this.diags.error('E0509', `${what} fields cannot have default values`, stmt.value.span, 'pass every field when you create it');
        }
        const name = stmt.target.id;
        if (def.fields.some((f) => f.name === name)) {
          this.diags.error('E0202', `field '${name}' is defined twice`, stmt.target.span);
          continue;
        }
        const type = this.resolveType(stmt.annotation, ns, false);
        def.fields.push({ name, type });
        continue;
      }
      this.diags.error('E0509', `a ${what} holds only annotated fields ('name: type')`, stmt.span,
        def.kind === 'struct' ? 'write helper functions at module level' : undefined);
    }
  }

  /** A struct that contains itself (directly or through other structs, lists, dicts...) has no
   *  finite encoding: reject it, and cut the cycle so that later stages terminate. */
  private rejectRecursiveStructs(ast: A.Module, ns: Namespace): void {
    const reaches = (t: Type, target: StructDef, seen: Set<StructDef>): boolean => {
      switch (t.k) {
        case 'list': return reaches(t.elem, target, seen);
        case 'dict': case 'map': return reaches(t.key, target, seen) || reaches(t.value, target, seen);
        case 'tuple': return t.elems.some((e) => reaches(e, target, seen));
        case 'optional': return reaches(t.inner, target, seen);
        case 'struct':
          if (t.def === target) return true;
          if (seen.has(t.def)) return false;
          seen.add(t.def);
          return t.def.fields.some((f) => reaches(f.type, target, seen));
        default: return false;
      }
    };
    for (const stmt of ast.body) {
      if (stmt.kind !== 'ClassDef') continue;
      const sym = ns.names.get(stmt.name);
      if (sym?.s !== 'struct' && sym?.s !== 'event') continue;
      for (const f of sym.def.fields) {
        if (!reaches(f.type, sym.def, new Set())) continue;
        this.diags.error('E0509', `${sym.def.name}.${f.name} makes ${sym.def.name} contain itself`, stmt.nameSpan,
          'a struct cannot contain itself, even through a list; store references as ids (int) or addresses');
        f.type = ERROR;
      }
    }
  }

  private resolveInterface(cls: A.ClassDef, def: InterfaceDef, ns: Namespace): void {
    for (const stmt of cls.body) {
      if (this.isDocOrPass(stmt)) continue;
      if (stmt.kind !== 'FunctionDef') {
        this.diags.error('E0509', 'an interface holds only method signatures', stmt.span);
        continue;
      }
      let view = false;
      let payable = false;
      for (const dec of stmt.decorators) {
        const n = dec.kind === 'Name' ? dec.id : '';
        if (n === 'view') view = true;
        else if (n === 'payable') payable = true;
        else if (n !== 'public') this.diags.error('E0505', `'${n || 'this decorator'}' is not allowed on an interface method`, dec.span, 'use @view, @payable or @public');
      }
      const params = this.resolveParams(stmt, ns, true);
      const ret = stmt.returns ? this.resolveType(stmt.returns, ns, false) : NONE;
      if (!stmt.returns) this.diags.error('E0502', `interface method '${stmt.name}' needs a return annotation`, stmt.nameSpan, "add '-> None' if it returns nothing");
      def.methods.set(stmt.name, { name: stmt.name, params, ret, view, payable });
    }
  }

  private resolveContract(info: ContractInfo): void {
    const { node: cls, ns } = info;
    if (info.base) {
      this.resolveContractOnce(info.base);
      for (const [k, f] of info.base.fields) info.fields.set(k, f);
    }
    for (const stmt of cls.body) {
      if (this.isDocOrPass(stmt)) continue;
      if (stmt.kind === 'AnnAssign' && stmt.target.kind === 'Name') {
        const name = stmt.target.id;
        if (stmt.value) {
          this.diags.error('E0503', `storage field '${name}' cannot have an initial value here`, stmt.value.span,
            `declare '${name}: type' and set it in __init__`);
        }
        if (info.fields.has(name)) {
          this.diags.error('E0202', `storage field '${name}' is defined twice`, stmt.target.span);
          continue;
        }
        const type = this.resolveType(stmt.annotation, ns, true);
        const field: StorageField = { name, type, id: info.fields.size, span: stmt.target.span };
        info.fields.set(name, field);
      } else if (stmt.kind === 'Assign') {
        const t = stmt.targets[0];
        this.diags.error('E0503', `storage field ${t?.kind === 'Name' ? `'${t.id}' ` : ''}needs a type annotation`, stmt.span,
          t?.kind === 'Name' ? `write '${t.id}: int' (with its type) and set the value in __init__` : undefined);
      } else if (stmt.kind === 'FunctionDef') {
        // methods are resolved in addContractMethods (after all classes have types)
      } else if (stmt.kind === 'Unsupported') {
        this.reportUnsupported(stmt);
      } else {
        this.diags.error('E0509', 'a contract class holds storage fields and methods only', stmt.span);
      }
    }
  }

  private readonly resolvedContracts = new Set<ContractInfo>();
  private resolveContractOnce(info: ContractInfo): void {
    if (this.resolvedContracts.has(info)) return;
    this.resolvedContracts.add(info);
    this.resolveContract(info);
  }

  /** Methods of the compiled contract: inherited first, then its own (overriding). */
  private addContractMethods(info: ContractInfo): void {
    const chain: ContractInfo[] = [];
    for (let c: ContractInfo | null = info; c; c = c.base) chain.unshift(c);
    for (const c of chain) {
      const own = new Set<string>();
      for (const stmt of c.node.body) {
        if (stmt.kind !== 'FunctionDef') continue;
        if (own.has(stmt.name)) {
          this.diags.error('E0202', `method '${stmt.name}' is defined twice`, stmt.nameSpan);
          continue;
        }
        own.add(stmt.name);
        const kind = this.methodKind(stmt);
        const sig: FuncSig = {
          name: stmt.name, irName: `${info.name}.${stmt.name}`, kind, params: [], ret: NONE,
          node: stmt, ns: c.ns, owner: info,
        };
        this.resolveSignature(sig, c);
        info.methods.set(stmt.name, sig);
      }
    }
    for (const sig of info.methods.values()) this.functions.push(sig);
  }

  private methodKind(fn: A.FunctionDef): FnKind {
    if (fn.name === '__init__') {
      for (const dec of fn.decorators) {
        if (!(dec.kind === 'Name' && dec.id === 'payable')) {
          this.diags.error('E0508', 'the constructor takes only the @payable decorator', dec.span);
        }
      }
      return 'constructor';
    }
    let kind: FnKind = 'private';
    for (const dec of fn.decorators) {
      const n = dec.kind === 'Name' ? dec.id : null;
      if (n === 'public') { if (kind === 'private') kind = 'public'; }
      else if (n === 'view') {
        if (kind === 'payable') this.diags.error('E0505', 'a method cannot be both @view and @payable', dec.span);
        kind = 'view';
      } else if (n === 'payable') {
        if (kind === 'view') this.diags.error('E0505', 'a method cannot be both @view and @payable', dec.span);
        kind = 'payable';
      } else {
        this.diags.error('E0505', `unknown decorator${n ? ` '@${n}'` : ''}`, dec.span, 'methods take @public, @view or @payable');
      }
    }
    return kind;
  }

  // ------------------------------------------------------------------ signatures and types

  private resolveSignature(sig: FuncSig, cls: ContractInfo | null): void {
    const fn = sig.node;
    if (fn.isAsync) this.diags.error('E0415', 'async functions are not supported', fn.nameSpan, 'contracts run synchronously; remove async');
    if (!cls) {
      for (const dec of fn.decorators) {
        this.diags.error('E0505', 'module-level functions take no decorators', dec.span,
          '@public, @view and @payable belong on methods of the contract class');
      }
    }
    const isMethod = cls !== null;
    const params = fn.params.slice();
    if (isMethod) {
      const first = params.shift();
      if (!first || first.name !== 'self') {
        this.diags.error('E0502', `method '${fn.name}' must take 'self' as its first parameter`, fn.nameSpan);
      }
    }
    const external = sig.kind === 'public' || sig.kind === 'view' || sig.kind === 'payable' || sig.kind === 'constructor';
    sig.params = this.resolveParamList(params, sig.ns, fn, external);
    if (fn.returns) sig.ret = this.resolveType(fn.returns, sig.ns, false);
    else if (external && sig.kind !== 'constructor') {
      sig.ret = ERROR; // unknown: do not also complain about its return statements
      this.diags.error('E0502', `public method '${fn.name}' needs a return type annotation`, fn.nameSpan, "add '-> None' if it returns nothing");
    }
    if (sig.kind === 'constructor' && sig.ret.k !== 'none' && sig.ret.k !== 'error') {
      this.diags.error('E0508', '__init__ must return None', fn.returns!.span);
    }
  }

  private resolveParams(fn: A.FunctionDef, ns: Namespace, external: boolean): { name: string; type: Type; span: Span }[] {
    const params = fn.params.slice();
    const first = params.shift();
    if (!first || first.name !== 'self') this.diags.error('E0502', `method '${fn.name}' must take 'self' first`, fn.nameSpan);
    return this.resolveParamList(params, ns, fn, external);
  }

  private resolveParamList(params: A.Param[], ns: Namespace, fn: A.FunctionDef, external: boolean): { name: string; type: Type; span: Span }[] {
    const out: { name: string; type: Type; span: Span }[] = [];
    const seen = new Set<string>();
    for (const p of params) {
      if (p.star) {
        this.diags.error('E0406', `'${p.star}${p.name}' parameters are not supported`, p.span, 'pass a list[...] or dict[...] instead');
        continue;
      }
      if (p.default) this.diags.error('E0405', `parameter '${p.name}' has a default value`, p.default.span, 'default parameter values are not supported; pass the value explicitly');
      if (seen.has(p.name)) this.diags.error('E0202', `parameter '${p.name}' appears twice`, p.span);
      seen.add(p.name);
      let type: Type = ERROR;
      if (!p.annotation) {
        this.diags.error(external ? 'E0502' : 'E0309', `parameter '${p.name}' of '${fn.name}' needs a type annotation`, p.span, `write '${p.name}: int' (or its type)`);
      } else type = this.resolveType(p.annotation, ns, false);
      out.push({ name: p.name, type, span: p.span });
    }
    return out;
  }

  /** A type annotation to a Type. `allowMap`: storage field position. */
  resolveType(e: A.Expr, ns: Namespace, allowMap: boolean): Type {
    return resolveTypeExpr(e, ns, allowMap, this.diags);
  }
}

const PRIMS: Record<string, Type> = { int: INT, bool: BOOL, str: STR, bytes: BYTES, Address: ADDRESS, None: NONE };

export function resolveTypeExpr(e: A.Expr, ns: Namespace, allowMap: boolean, diags: DiagnosticBag): Type {
  const bad = (msg: string, hint?: string): Type => {
    diags.error('E0309', msg, e.span, hint);
    return ERROR;
  };
  switch (e.kind) {
    case 'None':
      return NONE;
    case 'Name': {
      const prim = PRIMS[e.id];
      if (prim) return prim;
      const sym = ns.names.get(e.id);
      if (sym?.s === 'struct') return { k: 'struct', def: sym.def };
      if (sym?.s === 'iface') return { k: 'iface', def: sym.def };
      if (e.id === 'float') {
        diags.error('E0403', 'floats are not supported', e.span, 'use int (for money: an integer number of the smallest unit)');
        return ERROR;
      }
      if (e.id === 'list' || e.id === 'dict' || e.id === 'tuple') return bad(`'${e.id}' needs its element types`, `write ${e.id === 'dict' ? 'dict[str, int]' : e.id === 'list' ? 'list[int]' : 'tuple[int, str]'}`);
      if (e.id === 'set' || e.id === 'frozenset') {
        diags.error('E0416', 'sets are not supported', e.span, 'use dict[K, bool]');
        return ERROR;
      }
      if (e.id === 'Map') return bad('Map needs key and value types', 'write Map[Address, int]');
      return bad(`unknown type '${e.id}'`);
    }
    case 'Str':
      return bad('string annotations are not supported', 'write the type directly');
    case 'BinOp':
      if (e.op === '|') {
        const l = resolveTypeExpr(e.left, ns, false, diags);
        const r = resolveTypeExpr(e.right, ns, false, diags);
        if (r.k === 'none') return optionalOf(l);
        if (l.k === 'none') return optionalOf(r);
        return bad('union types other than `T | None` are not supported');
      }
      return bad('invalid type annotation');
    case 'Subscript': {
      const head = e.value.kind === 'Name' ? e.value.id : '';
      const args = e.index.kind === 'Tuple' ? e.index.elts : [e.index];
      const arg = (i: number, m = false) => resolveTypeExpr(args[i]!, ns, m, diags);
      const want = (n: number) => {
        if (args.length !== n) {
          diags.error('E0309', `${head}[...] takes ${n} type argument${n > 1 ? 's' : ''}`, e.index.span);
          return false;
        }
        return true;
      };
      switch (head) {
        case 'list': case 'List': {
          if (head === 'List') return bad("typing's List is not supported", 'write list[T]');
          if (!want(1)) return ERROR;
          const t = arg(0);
          if (containsMap(t)) return bad('Map is only allowed as a storage field type');
          return listOf(t);
        }
        case 'dict': {
          if (!want(2)) return ERROR;
          const k = arg(0);
          const v = arg(1);
          if (!isHashable(k)) return bad(`${showType(k)} cannot be a dict key`, 'keys are int, bool, str, bytes, Address or tuples of those');
          return dictOf(k, v);
        }
        case 'tuple': {
          if (args.length === 1 && args[0]!.kind === 'Tuple' && (args[0] as A.TupleExpr).elts.length === 0) return tupleOf([]);
          if (args.some((a) => a.kind === 'Ellipsis')) return bad('variable-length tuples are not supported', 'use list[T]');
          return tupleOf(args.map((_, i) => arg(i)));
        }
        case 'Optional': {
          if (!want(1)) return ERROR;
          return optionalOf(arg(0));
        }
        case 'Map': {
          if (!want(2)) return ERROR;
          if (!allowMap) {
            diags.error('E0506', 'Map is only allowed as the type of a storage field', e.span, 'use dict[K, V] for a value in memory');
            return ERROR;
          }
          const k = arg(0);
          if (!isHashable(k)) return bad(`${showType(k)} cannot be a Map key`, 'keys are int, bool, str, bytes, Address or tuples of those');
          const v = arg(1, true);
          return { k: 'map', key: k, value: v };
        }
        case 'set':
          diags.error('E0416', 'sets are not supported', e.span, 'use dict[K, bool]');
          return ERROR;
        default:
          if (['Dict', 'Tuple', 'Set', 'Union'].includes(head)) return bad(`typing's ${head} is not supported`, 'write dict[K, V], tuple[A, B] or `T | None`');
          return bad(`unknown generic type '${head || 'expression'}'`);
      }
    }
    default:
      return bad('invalid type annotation');
  }
}

export function reportUnsupportedConstruct(diags: DiagnosticBag, stmt: A.Unsupported): void {
  const c = stmt.construct;
  const table: Record<string, [import('./diagnostics.ts').Code, string, string]> = {
    try: ['E0410', 'try/except is not supported', 'a failing contract call reverts all its effects; check conditions with require(cond, "message")'],
    raise: ['E0410', 'raise is not supported', 'use revert("message") or require(cond, "message")'],
    with: ['E0414', 'with statements are not supported', 'contracts have no resources to manage'],
    global: ['E0411', 'global is not supported', 'keep state in storage fields of the contract (self.x)'],
    nonlocal: ['E0411', 'nonlocal is not supported', 'pass values as arguments and return results'],
    async: ['E0415', 'async is not supported', 'contracts run synchronously'],
    yield: ['E0415', 'generators (yield) are not supported', 'build and return a list'],
    match: ['E0420', 'match statements are not supported', 'use if/elif/else'],
  };
  const entry = table[c] ?? (['E0420', `'${c}' is not supported`, ''] as const);
  diags.error(entry[0], entry[1], stmt.span, entry[2] || undefined);
}

