// The IR's text form (`zv compile --emit ir`, docs/ir.md) and its structural validator.

import type { IRBlock, IRConst, IRFunction, IRInstr, IRModule, IRTerm, Reg } from './ir.ts';
import { BUILTINS } from '../tvm/opcodes.ts';
import { INT_MAX, INT_MIN } from './fold.ts';
import { INSTR_OPS, defOf, forEachUse, successors, termUses, usesOf } from './ir-walk.ts';

/** Thrown by the optimizer and the code generator for a module that fails validateIR:
 *  a compiler bug (the checker produced bad IR), never a user error. */
export class IRError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid IR: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`);
    this.name = 'IRError';
  }
}

// ---- printing -----------------------------------------------------------------------------

const r = (x: Reg): string => `r${x}`;
const regs = (xs: Reg[]): string => xs.map(r).join(', ');
const keys = (ks: Reg[]): string => ks.map((k) => `[${r(k)}]`).join('');

function bytesLiteral(b: Uint8Array): string {
  let s = '';
  for (const x of b) {
    if (x === 0x5c || x === 0x22) s += '\\' + String.fromCharCode(x);
    else if (x >= 0x20 && x < 0x7f) s += String.fromCharCode(x);
    else s += '\\x' + x.toString(16).padStart(2, '0');
  }
  return `b"${s}"`;
}

export function printConst(c: IRConst): string {
  switch (c.kind) {
    case 'int':
      return c.value.toString();
    case 'bool':
      return c.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'str':
      return JSON.stringify(c.value);
    case 'bytes':
      return bytesLiteral(c.value);
    case 'address':
      return `Address("${c.value}")`;
  }
}

/** The right-hand side of an instruction (what follows `rN: T = `, or the whole line). */
function printOp(ins: IRInstr): string {
  switch (ins.op) {
    case 'const': return `const ${printConst(ins.value)}`;
    case 'default': return `default ${ins.type}`;
    case 'mov': return `mov ${r(ins.src)}`;
    case 'bin': return `${ins.kind} ${r(ins.a)}, ${r(ins.b)}`;
    case 'un': return `${ins.kind} ${r(ins.a)}`;
    case 'getitem': return `getitem ${r(ins.obj)}[${r(ins.index)}]`;
    case 'setitem': return `setitem ${r(ins.obj)}[${r(ins.index)}] = ${r(ins.value)}`;
    case 'delitem': return `delitem ${r(ins.obj)}[${r(ins.index)}]`;
    case 'slice': return `slice ${r(ins.obj)}[${r(ins.lo)}:${r(ins.hi)}:${r(ins.step)}]`;
    case 'newlist': return `newlist [${regs(ins.items)}]`;
    case 'newtuple': return `newtuple (${regs(ins.items)})`;
    case 'newdict': {
      const pairs: string[] = [];
      for (let i = 0; i + 1 < ins.items.length; i += 2) pairs.push(`${r(ins.items[i]!)}: ${r(ins.items[i + 1]!)}`);
      return `newdict {${pairs.join(', ')}}`;
    }
    case 'getfield': return `getfield ${r(ins.obj)}.${ins.index}`;
    case 'setfield': return `setfield ${r(ins.obj)}.${ins.index} = ${r(ins.value)}`;
    case 'append': return `append ${r(ins.list)}, ${r(ins.value)}`;
    case 'copy': return `copy ${r(ins.src)} as ${ins.type}`;
    case 'str': return `str ${r(ins.src)} as ${ins.type}`;
    case 'repr': return `repr ${r(ins.src)} as ${ins.type}`;
    case 'format': return `format ${r(ins.src)} as ${ins.type}, ${JSON.stringify(ins.spec)}`;
    case 'builtin': return `builtin ${ins.name}(${regs(ins.args)})`;
    case 'call': return `call ${ins.fn}(${regs(ins.args)})`;
    case 'sload': return `sload ${ins.field}${keys(ins.keys)}`;
    case 'sstore': return `sstore ${ins.field}${keys(ins.keys)} = ${r(ins.value)}`;
    case 'shas': return `shas ${ins.field}${keys(ins.keys)}`;
    case 'sdel': return `sdel ${ins.field}${keys(ins.keys)}`;
    case 'env': return `env ${ins.kind}`;
    case 'balance': return `balance ${r(ins.addr)}`;
    case 'transfer': return `transfer ${r(ins.to)}, ${r(ins.amount)}`;
    case 'emit': return `emit ${ins.event}(${regs(ins.args)})`;
    case 'log': return `log ${r(ins.msg)}`;
    case 'xcall': return `xcall ${ins.iface}.${ins.method}(${regs(ins.args)}) at ${r(ins.addr)} value ${r(ins.value)}`;
  }
}

export function printInstr(ins: IRInstr, fn: IRFunction): string {
  const d = defOf(ins);
  if (d === null) return printOp(ins);
  return `${r(d)}: ${fn.regs[d]?.type ?? '?'} = ${printOp(ins)}`;
}

export function printTerm(t: IRTerm): string {
  switch (t.op) {
    case 'jmp': return `jmp b${t.target}`;
    case 'br': return `br ${r(t.cond)}, b${t.then}, b${t.else}`;
    case 'ret': return t.value === null ? 'ret' : `ret ${r(t.value)}`;
    case 'revert': return `revert ${r(t.reason)}  [${t.kind}]`;
  }
}

export function printFunction(fn: IRFunction): string {
  const params = fn.params.map((p) => `${p.name}: ${p.type}`).join(', ');
  const abi = fn.abiName !== fn.name.split('.').pop() ? ` as ${fn.abiName}` : '';
  const lines = [`fn ${fn.name}(${params}) -> ${fn.returnType}  [${fn.kind}${abi}]`];
  const named = fn.regs
    .map((reg, i) => (reg.name !== null && i >= fn.params.length ? `${r(i)} ${reg.name}` : null))
    .filter((x) => x !== null);
  if (named.length > 0) lines.push(`  ; locals: ${named.join(', ')}`);
  for (const b of fn.blocks) {
    lines.push(`  b${b.id}:`);
    for (const ins of b.instrs) lines.push(`    ${printInstr(ins, fn)}`);
    lines.push(`    ${printTerm(b.term)}`);
  }
  return lines.join('\n');
}

export function printIR(mod: IRModule): string {
  const head: string[] = [];
  head.push(mod.contract === null ? 'module' : `contract ${mod.contract}`);
  for (const s of mod.storage) {
    const k = s.keyTypes.map((t) => `[${t}]`).join('');
    head.push(`storage ${s.name}${k}: ${s.valueType}  #${s.id}`);
  }
  for (const e of mod.events) head.push(`event ${e.name}(${e.fields.map((f) => `${f.name}: ${f.type}`).join(', ')})`);
  for (const x of mod.externals)
    head.push(`external ${x.iface}.${x.method}(${x.argTypes.join(', ')}) -> ${x.retType}${x.view ? '  [view]' : ''}`);
  return [head.join('\n'), ...mod.functions.map(printFunction)].join('\n\n') + '\n';
}

// ---- validation ---------------------------------------------------------------------------

const BUILTIN_ARITY = new Map<string, number>(BUILTINS.map((b) => [b.name, b.arity]));
const TERM_OPS = new Set(['jmp', 'br', 'ret', 'revert']);
const REVERT_KINDS = new Set(['require', 'assert', 'revert', 'checked']);

function validConst(c: IRConst | undefined): boolean {
  if (!c || typeof c !== 'object') return false;
  switch (c.kind) {
    case 'int':
      return typeof c.value === 'bigint' && c.value >= INT_MIN && c.value <= INT_MAX;
    case 'bool':
      return typeof c.value === 'boolean';
    case 'str':
      return typeof c.value === 'string';
    case 'bytes':
      return c.value instanceof Uint8Array;
    case 'address':
      return typeof c.value === 'string' && /^zv[0-9a-f]{64}$/.test(c.value);
    case 'none':
      return true;
    default:
      return false;
  }
}

interface Ctx {
  mod: IRModule;
  fns: Set<string>;
  fields: Map<string, number>;
  events: Map<string, number>;
}

/** Problems with names the instruction refers to (callee, storage field, event, ...). */
function checkRefs(ins: IRInstr, ctx: Ctx): string | null {
  switch (ins.op) {
    case 'const':
      return validConst(ins.value) ? null : 'invalid constant';
    case 'call':
      return ctx.fns.has(ins.fn) ? null : `unknown function ${ins.fn}`;
    case 'builtin': {
      const arity = BUILTIN_ARITY.get(ins.name);
      if (arity === undefined) return `unknown builtin ${ins.name}`;
      return arity === ins.args.length ? null : `builtin ${ins.name} takes ${arity} arguments, got ${ins.args.length}`;
    }
    case 'sload':
    case 'sstore':
    case 'shas':
    case 'sdel': {
      const n = ctx.fields.get(ins.field);
      if (n === undefined) return `unknown storage field ${ins.field}`;
      return n === ins.keys.length ? null : `storage field ${ins.field} takes ${n} keys, got ${ins.keys.length}`;
    }
    case 'emit': {
      const n = ctx.events.get(ins.event);
      if (n === undefined) return `unknown event ${ins.event}`;
      return n === ins.args.length ? null : `event ${ins.event} has ${n} fields, got ${ins.args.length}`;
    }
    case 'xcall':
      return ctx.mod.externals.some((x) => x.iface === ins.iface && x.method === ins.method)
        ? null
        : `unknown external ${ins.iface}.${ins.method}`;
    case 'newdict':
      return ins.items.length % 2 === 0 ? null : 'newdict needs key, value pairs';
    default:
      return null;
  }
}

const INSTR_OP_SET: ReadonlySet<string> = new Set(INSTR_OPS);

const badReg = (x: unknown, nregs: number): boolean => !Number.isInteger(x) || (x as number) < 0 || (x as number) >= nregs;

/** forEachUse's state while checking one instruction's registers (messages are only built
 *  for an instruction that has a bad one). */
const regCheck = { nregs: 0, ok: true };

function checkReg(r: Reg, c: typeof regCheck): void {
  if (badReg(r, c.nregs)) c.ok = false;
}

// Validation runs on every compile (the optimizer checks its input): the messages, with
// their `fn bN.k` locations, are only built when there is a problem to report.
function validateBlock(fn: IRFunction, b: IRBlock, i: number, ctx: Ctx, out: string[]): void {
  const nregs = fn.regs.length;
  if (b.id !== i) out.push(`${fn.name} b${i}: block id ${b.id} differs from its index`);
  if (!Array.isArray(b.instrs)) {
    out.push(`${fn.name} b${i}: no instruction list`);
    return;
  }
  const instrs = b.instrs;
  for (let k = 0; k < instrs.length; k++) {
    const ins = instrs[k];
    if (!ins || !INSTR_OP_SET.has(ins.op)) {
      out.push(`${fn.name} b${i}.${k}: unknown instruction ${String(ins?.op)}`);
      continue;
    }
    const d = defOf(ins);
    regCheck.nregs = nregs;
    regCheck.ok = d === null || !badReg(d, nregs);
    forEachUse(ins, checkReg, regCheck);
    if (!regCheck.ok) {
      for (const x of d === null ? usesOf(ins) : [d, ...usesOf(ins)])
        if (badReg(x, nregs)) out.push(`${fn.name} b${i}.${k}: register ${String(x)} out of range (${nregs} registers)`);
    }
    const ref = checkRefs(ins, ctx);
    if (ref) out.push(`${fn.name} b${i}.${k}: ${ref}`);
    if (!ins.span) out.push(`${fn.name} b${i}.${k}: no span`);
  }
  const t = b.term;
  if (!t || !TERM_OPS.has(t.op)) {
    out.push(`${fn.name} b${i}: missing or unknown terminator`);
    return;
  }
  for (const x of termUses(t)) if (badReg(x, nregs)) out.push(`${fn.name} b${i}: terminator register ${String(x)} out of range`);
  for (const s of successors(t))
    if (!Number.isInteger(s) || s < 0 || s >= fn.blocks.length) out.push(`${fn.name} b${i}: jump to missing block b${s}`);
  if (t.op === 'revert' && !REVERT_KINDS.has(t.kind)) out.push(`${fn.name} b${i}: unknown revert kind ${String(t.kind)}`);
  if (!t.span) out.push(`${fn.name} b${i}: terminator without span`);
}

function validateFunction(fn: IRFunction, ctx: Ctx, out: string[]): void {
  if (!Array.isArray(fn.blocks) || fn.blocks.length === 0) {
    out.push(`${fn.name}: no blocks`);
    return;
  }
  if (fn.params.length > fn.regs.length) out.push(`${fn.name}: more parameters than registers`);
  fn.params.forEach((p, i) => {
    if (fn.regs[i] && fn.regs[i]!.type !== p.type)
      out.push(`${fn.name}: parameter ${p.name} has type ${p.type} but register r${i} has ${fn.regs[i]!.type}`);
  });
  fn.regs.forEach((reg, i) => {
    if (typeof reg?.type !== 'string' || reg.type === '') out.push(`${fn.name}: register r${i} has no type`);
  });
  if (!fn.returnType) out.push(`${fn.name}: no return type`);
  fn.blocks.forEach((b, i) => validateBlock(fn, b, i, ctx, out));
}

/** Structural problems of a module (empty when it is well formed): registers in range,
 *  jump targets present, every block terminated, types present, names resolved. */
export function validateIR(mod: IRModule): string[] {
  const out: string[] = [];
  const ctx: Ctx = {
    mod,
    fns: new Set(mod.functions.map((f) => f.name)),
    fields: new Map(mod.storage.map((s) => [s.name, s.keyTypes.length])),
    events: new Map(mod.events.map((e) => [e.name, e.fields.length])),
  };
  if (ctx.fns.size !== mod.functions.length) out.push('duplicate function names');
  if (ctx.fields.size !== mod.storage.length) out.push('duplicate storage field names');
  if (new Set(mod.storage.map((s) => s.id)).size !== mod.storage.length) out.push('duplicate storage field ids');
  for (const fn of mod.functions) validateFunction(fn, ctx, out);
  return out;
}
