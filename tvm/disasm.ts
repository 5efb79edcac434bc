// A readable listing of a module (`zv compile --emit asm`): each function's instructions with
// their operands named by kind, constants, types, slots, events and builtins resolved.

import type { Constant, ModuleDef } from './module.ts';
import { BUILTINS, ENV, OPS, type OperandKind } from './opcodes.ts';

const ENV_NAMES = new Map<number, string>(Object.entries(ENV).map(([name, n]) => [n, name]));

function constText(c: Constant): string {
  switch (c.kind) {
    case 'int': return c.value.toString();
    case 'str': return JSON.stringify(c.value);
    case 'bytes': return `b'${Array.from(c.value, (b) => b.toString(16).padStart(2, '0')).join('')}'`;
    case 'address': return `Address(${c.value})`;
  }
}

function operandText(def: ModuleDef, kind: OperandKind, v: number | number[]): string {
  if (Array.isArray(v)) return `(${v.map((r) => `r${r}`).join(', ')})`;
  switch (kind) {
    case 'R': return `r${v}`;
    case 'K': return def.constants[v] ? constText(def.constants[v]) : `k${v}`;
    case 'L': return `@${v}`;
    case 'F': return def.functions[v]?.name ?? `f${v}`;
    case 'T': return `<${def.types[v] ?? `t${v}`}>`;
    case 'S': return def.slots[v] ? `${def.slots[v].name}` : `s${v}`;
    case 'E': return def.events[v]?.name ?? `e${v}`;
    case 'X': return def.externals[v] ? `.${def.externals[v].method}` : `x${v}`;
    case 'B': return BUILTINS[v]?.name ?? `b${v}`;
    default: return String(v);
  }
}

/** The module as text, one instruction a line, with its index (the pc of revert locations). */
export function disassemble(def: ModuleDef): string {
  const byName = new Map(OPS.map((o) => [o.name as string, o.operands as readonly OperandKind[]]));
  const out: string[] = [];
  def.functions.forEach((fn, i) => {
    out.push(`fn ${i} ${fn.name}  params ${fn.nparams}, registers ${fn.nregs}`);
    const width = String(fn.code.length - 1).length;
    fn.code.forEach(([op, ...operands], pc) => {
      const kinds = byName.get(op) ?? [];
      const text = operands
        .map((v, j) => (op === 'ENV' && j === 1 ? ENV_NAMES.get(v as number) ?? String(v) : operandText(def, kinds[j] ?? 'I', v)))
        .join(' ');
      out.push(`  ${String(pc).padStart(width)}  ${op.padEnd(8)} ${text}`.trimEnd());
    });
    out.push('');
  });
  return out.join('\n');
}
