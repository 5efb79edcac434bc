// Method and constructor arguments from the command line, parsed by the parameter types of an
// ABI (shared by `zv run`, which runs in memory, and `zv call|send|deploy`, which go to a node).

import type { AbiMethod } from '../tvm/module.ts';
import { parseCliArg, valueFromJSON } from '../tvm/index.ts';
import { CliError } from './output.ts';

export function signature(m: Pick<AbiMethod, 'name' | 'params'>): string {
  return `${m.name}(${m.params.map((p) => `${p.name}: ${p.type}`).join(', ')})`;
}

/** CLI words → TVM values by the parameter types (`5` an int, JSON for lists, dicts, tuples, structs). */
export function parseArgs(m: Pick<AbiMethod, 'name' | 'params'>, args: string[]): unknown[] {
  if (args.length !== m.params.length) {
    throw new CliError(`${signature(m)} takes ${m.params.length} argument${m.params.length === 1 ? '' : 's'}, ${args.length} given`, 2);
  }
  return m.params.map((p, i) => {
    try {
      return parseCliArg(p.type, args[i]!);
    } catch (e) {
      throw new CliError(`argument '${p.name}' (${p.type}): ${(e as Error).message}`, 2);
    }
  });
}

/**
 * Constructor arguments given as one option (`option` names it in errors): space-separated
 * words, or a JSON array. Returns TVM values.
 */
export function parseDeployArgs(ctor: Pick<AbiMethod, 'name' | 'params'>, text: string | undefined, option: string): unknown[] {
  const raw = (text ?? '').trim();
  if (raw.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(raw);
    } catch (e) {
      throw new CliError(`${option}: invalid JSON array: ${(e as Error).message}`, 2);
    }
    if (!Array.isArray(arr) || arr.length !== ctor.params.length) {
      throw new CliError(`the constructor ${signature(ctor)} takes ${ctor.params.length} argument(s)`, 2);
    }
    return ctor.params.map((p, i) => {
      try {
        return valueFromJSON(p.type, arr[i]);
      } catch (e) {
        throw new CliError(`${option} argument '${p.name}' (${p.type}): ${(e as Error).message}`, 2);
      }
    });
  }
  const parts = raw === '' ? [] : raw.split(/\s+/);
  if (parts.length !== ctor.params.length) {
    throw new CliError(`the constructor ${signature(ctor)} takes ${ctor.params.length} argument(s); pass them with ${option} "ARG ..."`, 2);
  }
  return parseArgs(ctor, parts);
}
