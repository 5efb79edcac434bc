// Helpers shared by the benchmark suite and the differential tests: TVM values in the
// VM-neutral JSON form that bench/shim/scenario.py prints for CPython values, the test
// accounts both sides use, and a resolver for `from stdlib.x import ...`.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { parseType, structShortName, type TypeDesc } from '../tvm/types.ts';
import { PyDict } from '../tvm/pydict.ts';

/** The same address as the shim's `Chain.account(n)`: "zv" + sha256("account-n"). */
export function testAccount(n: number): string {
  return 'zv' + bytesToHex(sha256(utf8ToBytes(`account-${n}`)));
}

/** Resolves `stdlib.x.y` (the CLI's resolver; paths relative to the given root). */
export { stdlibResolver } from '../cli/stdlib.ts';

/**
 * A TVM runtime value of type `type` in the neutral form of scenario.py's `to_json`:
 * int → {int: "123"}, bool/str/None as JSON, Address → its text (or a label such as "<token>"),
 * list/tuple → array, bytes → {bytes: hex}, dict → {dict: [[k, v], ...]},
 * struct → {struct: Name, fields: {...}}.
 */
export function neutralValue(type: string | TypeDesc, value: unknown, labels: Record<string, string> = {}): unknown {
  const t = typeof type === 'string' ? parseType(type) : type;
  return convert(t, value, labels);
}

function convert(t: TypeDesc, v: unknown, labels: Record<string, string>): unknown {
  switch (t.kind) {
    case 'int':
      return { int: String(v) };
    case 'bool':
    case 'str':
    case 'None':
      return v;
    case 'Address':
      return labels[v as string] ?? v;
    case 'bytes':
      return { bytes: bytesToHex(v as Uint8Array) };
    case 'Optional':
      return v === null ? null : convert(t.inner, v, labels);
    case 'list':
      return (v as unknown[]).map((x) => convert(t.elem, x, labels));
    case 'tuple':
      return (v as unknown[]).map((x, i) => convert(t.items[i]!, x, labels));
    case 'dict':
      return { dict: (v as PyDict).entries().map(([k, x]) => [convert(t.key, k, labels), convert(t.value, x, labels)]) };
    case 'struct': {
      const fields: Record<string, unknown> = {};
      t.fields.forEach((f, i) => (fields[f.name] = convert(f.type, (v as unknown[])[i], labels)));
      return { struct: structShortName(t), fields };
    }
  }
}
