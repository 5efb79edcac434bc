// `zv run FILE [FUNCTION [ARG...]] [--deploy ARGS] [--sender ADDR] [--value N] [--gas N] [--json]`
//
// Runs a module-level function, or deploys the file's contract on a fresh in-memory chain
// and calls one of its methods; prints the result, events, debug log and gas used.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Artifact } from '../compiler/index.ts';
import { locate } from '../compiler/artifact.ts';
import {
  MemoryHost, callMethod, deploy, loadModule, pyRepr, runFunction, valueToJSON,
  type ExecResult,
} from '../tvm/index.ts';
import { compileFile, formatDiagnostics } from './project.ts';
import { parseArgs, parseDeployArgs } from './args.ts';
import { CliError, paint, toJson, useColor } from './output.ts';
import { summaryLine } from '../compiler/render.ts';

export interface RunOptions {
  deploy?: string;
  sender?: string;
  value?: string;
  gas?: string;
  json?: boolean;
}

/** Deterministic development accounts (in-memory runs only). */
export function devAccount(i: number): string {
  return 'zv' + bytesToHex(sha256(utf8ToBytes(`zv dev account ${i}`)));
}

const DEFAULT_GAS = 10_000_000;
const FUNDING = 10n ** 24n;

export function runCommand(file: string, fn: string | undefined, args: string[], opts: RunOptions): number {
  const res = compileFile(file);
  if (!res.ok || !res.artifact || !res.bytecode) {
    if (opts.json) {
      process.stdout.write(toJson({ ok: false, diagnostics: res.diagnostics }) + '\n');
    } else {
      const c = useColor(process.stderr);
      process.stderr.write(formatDiagnostics(res, c) + '\n' + summaryLine(res.diagnostics, file, { color: c }) + '\n');
    }
    return 1;
  }
  const art = res.artifact;
  const gasLimit = parseGas(opts.gas);
  const sender = opts.sender ? checkAddress(opts.sender, '--sender') : devAccount(0);
  const value = opts.value !== undefined ? parseValue(opts.value) : 0n;
  const abi = art.abi;
  const fnAbi = fn ? abi.functions.find((f) => f.name === fn) : undefined;
  const method = fn ? abi.methods.find((m) => m.name === fn) : undefined;

  if (abi.contract === null || (fnAbi && !method)) {
    const name = fn ?? 'main';
    const target = fnAbi ?? abi.functions.find((f) => f.name === name);
    if (!target) throw new CliError(unknownTarget(art, name), 2);
    if (opts.deploy !== undefined) throw new CliError('--deploy applies to contracts; this call runs a module-level function', 2);
    const values = parseArgs(target, args);
    const r = runFunction(loadModule(res.bytecode), target.name, values, { gasLimit });
    return report(r, art, `${target.name}(${args.join(', ')})`, opts.json === true, null);
  }

  const host = new MemoryHost({ balances: { [sender]: FUNDING } });
  const ctor = abi.constructor;
  const ctorArgs = ctor ? parseDeployArgs(ctor, opts.deploy, '--deploy') : [];
  if (!ctor && opts.deploy !== undefined && opts.deploy.trim() !== '') {
    throw new CliError(`contract ${abi.contract} has no constructor arguments; drop --deploy`, 2);
  }
  const deployValue = fn ? 0n : value;
  const d = deploy(host, res.bytecode, ctorArgs, { sender, value: deployValue, gasLimit });
  if (!d.ok || !d.address) return report(d, art, `deploy ${abi.contract}`, opts.json === true, null);
  if (!fn) return report(d, art, `deploy ${abi.contract}`, opts.json === true, d.address);
  if (!method) throw new CliError(unknownTarget(art, fn), 2);
  const values = parseArgs(method, args);
  const r = callMethod(host, d.address, method.name, values, { sender, value, gasLimit, static: method.view });
  return report(r, art, `${abi.contract}.${method.name}(${args.join(', ')})`, opts.json === true, d.address);
}

function unknownTarget(art: Artifact, name: string): string {
  const names = [...art.abi.methods.map((m) => m.name), ...art.abi.functions.map((f) => f.name)];
  return `'${name}' is not a public method or module-level function of ${art.abi.contract ?? art.source.path}` +
    (names.length ? `; available: ${names.join(', ')}` : '');
}

function parseGas(text: string | undefined): number {
  if (text === undefined) return DEFAULT_GAS;
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new CliError(`--gas takes a positive integer, not '${text}'`, 2);
  return n;
}

function parseValue(text: string): bigint {
  const t = text.replace(/_/g, '');
  if (!/^\d+$/.test(t)) throw new CliError(`--value takes a non-negative integer amount, not '${text}'`, 2);
  return BigInt(t);
}

function checkAddress(text: string, what: string): string {
  if (!/^zv[0-9a-f]{64}$/.test(text)) throw new CliError(`${what}: '${text}' is not an address ('zv' and 64 lowercase hex digits)`, 2);
  return text;
}

function report(r: ExecResult, art: Artifact, what: string, json: boolean, address: string | null): number {
  const where = !r.ok && r.location ? locate(art, r.location.fn, r.location.pc) : null;
  if (json) {
    const logs = r.logs.map((l) => l.message);
    if (r.ok) {
      const out: Record<string, unknown> = {
        result: valueToJSON(r.returnType, r.value),
        gas: r.gasUsed,
        events: r.events.map((e) => ({ name: e.name, fields: Object.fromEntries(e.fields.map((f) => [f.name, valueToJSON(f.type, f.value)])) })),
        logs,
      };
      if (address) out.address = address;
      process.stdout.write(toJson(out) + '\n');
      return 0;
    }
    process.stdout.write(toJson({ reverted: true, reason: r.reason, gas: r.gasUsed, logs, location: where }) + '\n');
    return 1;
  }
  const c = useColor();
  const out: string[] = [`${paint(c, 'gray', '→')} ${what}`];
  if (r.ok) {
    if (address) out.push(`  ${paint(c, 'gray', 'contract')}  ${address}`);
    if (r.returnType !== 'None' || !address) out.push(`  ${paint(c, 'green', 'result')}    ${pyRepr(r.returnType, r.value)}`);
  } else {
    const loc = where ? ` ${paint(c, 'gray', `at ${where.file}:${where.line}:${where.col}`)}` : '';
    out.push(`  ${paint(c, 'red', 'reverted')}  ${r.reason}${loc}`);
  }
  for (const e of r.ok ? r.events : []) {
    out.push(`  ${paint(c, 'cyan', 'event')}     ${e.name}(${e.fields.map((f) => `${f.name}=${pyRepr(f.type, f.value)}`).join(', ')})`);
  }
  for (const l of r.logs) out.push(`  ${paint(c, 'magenta', 'log')}       ${l.message}`);
  out.push(`  ${paint(c, 'gray', 'gas')}       ${r.gasUsed}`);
  process.stdout.write(out.join('\n') + '\n');
  return r.ok ? 0 : 1;
}
