// The method side of node-lite's JSON-RPC 2.0 layer: how a method declares its params, how
// params sent by position or by name are bound to those declarations and validated against
// their JSON Schemas, and the error codes. Everything here is transport-free; server.ts
// carries the envelopes over HTTP and WebSocket.
//
// Schemas are compiled once, when the server starts, by one Ajv instance (JSON Schema draft
// 2020-12, strict mode, allErrors): a typo in a schema (an unknown keyword, a bad pattern, an
// unknown format) stops the server at startup instead of waving bad input through later.

import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

export type JsonSchema = Record<string, unknown>;

export interface ParamSpec {
  readonly name: string;
  readonly schema: JsonSchema;
  /** An optional param may be left out (or sent as null); the handler then gets undefined. */
  readonly optional?: boolean;
  readonly description?: string;
}

export interface RpcContext {
  readonly transport: 'http' | 'ws';
}

export interface RpcMethod {
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** Called with the params in declaration order (missing optional ones undefined), already validated. */
  handler(args: unknown[], ctx: RpcContext): unknown | Promise<unknown>;
}

/**
 * The error codes. -32700..-32600 are JSON-RPC 2.0's own; -32000..-32005 follow the
 * server-defined codes most Ethereum-style nodes use (EIP-1474), so existing tooling reads them.
 */
export const ERR = {
  PARSE: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  /** The params are well-formed but make no sense for the state (a bad signature, an unknown address format...). */
  INVALID_INPUT: -32000,
  /** The thing asked for does not exist (block, transaction, receipt, subscription...). */
  NOT_FOUND: -32001,
  /** The thing exists but cannot be served now (still syncing, pruned...). */
  UNAVAILABLE: -32002,
  /** A transaction was refused (by the mempool or the executor). */
  TX_REJECTED: -32003,
  /** The method exists but not on this transport (zv_subscribe over HTTP). */
  NOT_SUPPORTED: -32004,
  /** A size, count or rate limit was hit (body size, batch length, subscriptions per socket). */
  LIMIT_EXCEEDED: -32005,
} as const;

/** Thrown by a handler to answer with a chosen error; anything else thrown is an internal error. */
export class RpcError extends Error {
  readonly code: number;
  readonly data?: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    if (!Number.isInteger(code)) throw new TypeError(`RpcError code must be an integer, got ${String(code)}`);
    this.name = 'RpcError';
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}

/** One thing wrong with the params of a call; `data` of a -32602 error is a list of these. */
export interface ParamProblem {
  /** Position of the param in the declaration (null when the problem is not about one declared param). */
  readonly index: number | null;
  /** Declared name of the param, or the unknown name that was sent. */
  readonly param: string | null;
  /** JSON Pointer inside the param's value ('' for the value itself). */
  readonly path: string;
  readonly message: string;
}

/** Params of one method or subscription, bound and validated. */
export interface CompiledParams {
  readonly specs: readonly ParamSpec[];
  /** Returns the args in declaration order, or throws RpcError(INVALID_PARAMS) naming every problem. */
  bind(params: unknown[] | Record<string, unknown> | undefined): unknown[];
}

export interface CompiledMethod {
  readonly name: string;
  readonly method: RpcMethod;
  readonly params: CompiledParams;
}

export type CompiledMethods = ReadonlyMap<string, CompiledMethod>;

/** At most this many problems go into an error's data: allErrors over a huge array could list thousands. */
const MAX_PROBLEMS = 20;
/** And this many into its message, which a person reads. */
const MAX_PROBLEMS_IN_MESSAGE = 3;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ParamCompilerOptions {
  /** Shared schemas (each with an `$id`) that param schemas may `$ref`. */
  readonly schemas?: readonly JsonSchema[];
}

/** Compiles param declarations with one Ajv instance, so shared `$ref`s resolve across methods. */
export class ParamCompiler {
  private readonly ajv: Ajv2020;

  constructor(options: ParamCompilerOptions = {}) {
    // strictTypes/strictTuples only log (to the console) in Ajv's default strict mode; off here,
    // the rest of strict mode (unknown keywords, unknown formats, bad patterns) throws.
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
    for (const schema of options.schemas ?? []) {
      try {
        this.ajv.addSchema(schema);
      } catch (e) {
        throw new Error(`shared schema ${JSON.stringify(schema.$id ?? '(no $id)')}: invalid JSON Schema: ${messageOf(e)}`);
      }
    }
  }

  /** `owner` names the method or subscription in startup errors ("method 'transfer'"). */
  compile(owner: string, specs: readonly ParamSpec[]): CompiledParams {
    checkSpecs(owner, specs);
    const validators = specs.map((spec) => {
      try {
        return this.ajv.compile(spec.schema);
      } catch (e) {
        throw new Error(`${owner} param '${spec.name}': invalid JSON Schema: ${messageOf(e)}`);
      }
    });
    return new ParamBinder(specs, validators);
  }
}

/** Compiles every method's param schemas once; throws at startup for a bad name, spec or schema. */
export function compileMethods(methods: Record<string, RpcMethod>, compiler: ParamCompiler = new ParamCompiler()): CompiledMethods {
  const out = new Map<string, CompiledMethod>();
  for (const [name, method] of Object.entries(methods)) {
    checkMethodName(name);
    if (typeof method?.handler !== 'function') throw new Error(`method '${name}': handler must be a function`);
    if (typeof method.description !== 'string') throw new Error(`method '${name}': description must be a string`);
    out.set(name, { name, method, params: compiler.compile(`method '${name}'`, method.params) });
  }
  return out;
}

function checkMethodName(name: string): void {
  if (name.length === 0) throw new Error('a method name must not be empty');
  // JSON-RPC 2.0 reserves names that begin with "rpc." for the protocol's own extensions.
  if (name.startsWith('rpc.')) throw new Error(`method '${name}': names beginning with 'rpc.' are reserved by JSON-RPC 2.0`);
}

function checkSpecs(owner: string, specs: readonly ParamSpec[]): void {
  if (!Array.isArray(specs)) throw new Error(`${owner}: params must be an array of param specs`);
  const seen = new Set<string>();
  let firstOptional: string | undefined;
  for (const spec of specs) {
    if (typeof spec?.name !== 'string' || !NAME_RE.test(spec.name)) {
      throw new Error(`${owner}: param name ${JSON.stringify(spec?.name)} must be an identifier (letters, digits, _)`);
    }
    if (seen.has(spec.name)) throw new Error(`${owner}: param '${spec.name}' is declared twice`);
    seen.add(spec.name);
    if (typeof spec.schema !== 'object' || spec.schema === null || Array.isArray(spec.schema)) {
      throw new Error(`${owner} param '${spec.name}': schema must be a JSON Schema object`);
    }
    // A required param after an optional one could only be reached by position by sending
    // null for the optional one: a trap for callers, so it is refused outright.
    if (spec.optional) firstOptional ??= spec.name;
    else if (firstOptional !== undefined) {
      throw new Error(`${owner}: required param '${spec.name}' follows optional param '${firstOptional}'`);
    }
  }
}

/** Marks a param that was not sent at all (distinct from an explicit null). */
const absent: unique symbol = Symbol('absent');

class ParamBinder implements CompiledParams {
  constructor(
    readonly specs: readonly ParamSpec[],
    private readonly validators: readonly ValidateFunction[],
  ) {}

  bind(params: unknown[] | Record<string, unknown> | undefined): unknown[] {
    const problems: ParamProblem[] = [];
    const values = Array.isArray(params) ? this.byPosition(params, problems) : this.byName(params ?? {}, problems);
    const args = this.specs.map((spec, i) => this.check(i, values[i], problems));
    if (problems.length > 0) throw invalidParams(problems);
    return args;
  }

  /** Values in declaration order; `absent` marks a param that was not sent. */
  private byPosition(params: unknown[], problems: ParamProblem[]): unknown[] {
    if (params.length > this.specs.length) {
      problems.push({
        index: this.specs.length,
        param: null,
        path: '',
        message: `too many params: got ${params.length}, expected at most ${this.specs.length}${this.namesList()}`,
      });
    }
    return this.specs.map((_, i) => (i < params.length ? params[i] : absent));
  }

  private byName(params: Record<string, unknown>, problems: ParamProblem[]): unknown[] {
    const known = new Set(this.specs.map((s) => s.name));
    for (const key of Object.keys(params)) {
      if (!known.has(key)) {
        problems.push({ index: null, param: key, path: '', message: `unknown param '${key}'${this.namesList('expected')}` });
      }
    }
    return this.specs.map((s) => (Object.hasOwn(params, s.name) ? params[s.name] : absent));
  }

  private check(i: number, value: unknown, problems: ParamProblem[]): unknown {
    const spec = this.specs[i]!;
    // null stands for "left out" for an optional param: JSON has no undefined, and a caller
    // passing params by position needs a way to skip one.
    if (value === absent || (value === null && spec.optional)) {
      if (!spec.optional) problems.push({ index: i, param: spec.name, path: '', message: 'missing required param' });
      return undefined;
    }
    const validate = this.validators[i]!;
    if (!validate(value)) {
      for (const err of validate.errors ?? []) {
        problems.push({ index: i, param: spec.name, path: err.instancePath, message: ajvMessage(err) });
      }
    }
    return value;
  }

  private namesList(word = ''): string {
    if (this.specs.length === 0) return ' (this takes no params)';
    const names = this.specs.map((s) => (s.optional ? `${s.name}?` : s.name)).join(', ');
    return word ? ` (${word}: ${names})` : ` (${names})`;
  }
}

/** "params[1] 'amount'", "params[0] 'tx' at /to", or just the message for problems about no one param. */
export function describeProblem(p: ParamProblem): string {
  if (p.index === null || p.param === null) return p.message;
  const where = p.path ? ` at ${p.path}` : '';
  return `params[${p.index}] '${p.param}'${where}: ${p.message}`;
}

function invalidParams(problems: ParamProblem[]): RpcError {
  const shown = problems.slice(0, MAX_PROBLEMS_IN_MESSAGE).map(describeProblem);
  const more = problems.length - shown.length;
  const message = shown.join('; ') + (more > 0 ? `; and ${more} more (see data)` : '');
  return new RpcError(ERR.INVALID_PARAMS, message, problems.slice(0, MAX_PROBLEMS));
}

/** Ajv's message, with the detail it keeps in `params` where the message alone would not say which. */
function ajvMessage(err: ErrorObject): string {
  const message = err.message ?? 'is invalid';
  const p = err.params as Record<string, unknown>;
  if (err.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') {
    return `${message} ('${p.additionalProperty}')`;
  }
  if (err.keyword === 'unevaluatedProperties' && typeof p.unevaluatedProperty === 'string') {
    return `${message} ('${p.unevaluatedProperty}')`;
  }
  if (err.keyword === 'enum' && Array.isArray(p.allowedValues)) {
    return `${message}: ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return message;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
