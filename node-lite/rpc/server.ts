// node-lite's JSON-RPC 2.0 server: HTTP (POST /) and WebSocket (same port, path /) on
// 127.0.0.1, one envelope handling for both, limits on body size, batch length and
// subscriptions per socket, CORS for the IDE, and subscriptions over WebSocket. The methods
// come from the caller (the devnet); this file knows nothing of the chain. See docs/rpc.md.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { toWireJson } from './client.ts';
import {
  compileMethods,
  ERR,
  ParamCompiler,
  RpcError,
  type CompiledMethods,
  type CompiledParams,
  type JsonSchema,
  type ParamSpec,
  type RpcContext,
  type RpcMethod,
} from './schema.ts';

export interface Subscription {
  readonly description: string;
  readonly params: readonly ParamSpec[];
  /** Starts a feed; emit(result) sends a notification; returns the function that stops it. */
  start(args: unknown[], emit: (result: unknown) => void): () => void;
}

export interface RpcServerOptions {
  readonly methods: Record<string, RpcMethod>;
  /** Over WebSocket only: zv_subscribe(kind, ...args) -> id, zv_unsubscribe(id) -> boolean. */
  readonly subscriptions?: Record<string, Subscription>;
  /** Default and only allowed: 127.0.0.1 ('localhost' means the same). The server has no authentication. */
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Largest HTTP body or WebSocket message; default 5 MiB. */
  readonly maxBodyBytes?: number;
  /** Longest batch; default 100. */
  readonly maxBatch?: number;
  /** Origins allowed to call from a browser; default ['*']. */
  readonly corsOrigins?: readonly string[];
  /** Default 64. */
  readonly maxSubscriptionsPerSocket?: number;
  /** Where handler crashes are reported; default stderr. */
  readonly log?: (line: string) => void;
  /** Shown by GET /; default 'node-lite'. */
  readonly name?: string;
  /**
   * Host names the Host header may carry (DNS-rebinding guard: a web page whose own name
   * resolves to 127.0.0.1 must not reach the node). Default ['localhost', '127.0.0.1']; '*' allows any.
   */
  readonly allowedHosts?: readonly string[];
  /** Shared schemas (each with an `$id`) that param schemas may `$ref`. */
  readonly schemas?: readonly JsonSchema[];
  /** A WebSocket whose unsent output grows past this is closed (1008): a subscriber too slow to keep up. Default 16 MiB. */
  readonly maxSocketBufferBytes?: number;
}

export interface RpcServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** ws://127.0.0.1:PORT */
  readonly wsUrl: string;
  readonly port: number;
  /** Stops listening, closes every connection and stops every subscription. */
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const SUBSCRIBE = 'zv_subscribe';
const UNSUBSCRIBE = 'zv_unsubscribe';
const NOTIFICATION = 'zv_subscription';
const HTTP_CTX: RpcContext = Object.freeze({ transport: 'http' });
const WS_CTX: RpcContext = Object.freeze({ transport: 'ws' });

interface Config {
  readonly port: number;
  readonly maxBodyBytes: number;
  readonly maxBatch: number;
  readonly maxSubscriptionsPerSocket: number;
  readonly maxSocketBufferBytes: number;
  readonly corsOrigins: readonly string[];
  readonly allowedHosts: readonly string[];
  readonly name: string;
  readonly log: (line: string) => void;
}

export async function startRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const config = resolveConfig(options);
  const compiler = new ParamCompiler({ schemas: options.schemas });
  for (const reserved of [SUBSCRIBE, UNSUBSCRIBE]) {
    if (Object.hasOwn(options.methods, reserved)) throw new Error(`method '${reserved}' is built in (subscriptions); choose another name`);
  }
  const methods = compileMethods(options.methods, compiler);
  const subscriptions = options.subscriptions ? compileSubscriptions(options.subscriptions, compiler) : undefined;
  const dispatcher = new Dispatcher(methods, subscriptions, config);

  // Headers and body must arrive within 30 s (else 408); handlers may still take as long as they need to answer.
  const http = createServer({ requestTimeout: 30_000, headersTimeout: 30_000 });
  const sessions = new Set<WsSession>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxBodyBytes });
  const port = await listen(http, config.port);
  const url = `http://${LOOPBACK}:${port}`;
  const wsUrl = `ws://${LOOPBACK}:${port}`;
  const description = `${JSON.stringify(describeServer(config, methods, subscriptions, url, wsUrl), null, 2)}\n`;

  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    onHttpRequest(req, res, dispatcher, config, description).catch((e) => {
      config.log(`rpc: HTTP handling failed: ${stackOf(e)}`);
      if (!res.headersSent) sendError(res, 500, ERR.INTERNAL, 'internal error');
      else res.destroy();
    });
  });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {}); // a client resetting mid-handshake is not the server's problem
    const refusal = gate(req, config) ?? (pathOf(req) === '/' ? undefined : { status: 404, message: `no WebSocket endpoint at '${pathOf(req)}': use ${wsUrl}/` });
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.message);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new WsSession(ws, dispatcher, config);
      sessions.add(session);
      ws.on('close', () => sessions.delete(session));
    });
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      http.close(() => resolve());
      for (const s of sessions) s.terminate();
      wss.close();
      http.closeAllConnections();
    }));
  return { url, wsUrl, port, close };
}

// ---------------------------------------------------------------- configuration

function resolveConfig(o: RpcServerOptions): Config {
  if (o.host !== undefined && o.host !== LOOPBACK && o.host !== 'localhost') {
    throw new Error(`the RPC server listens on ${LOOPBACK} only (it has no authentication); got host '${o.host}'`);
  }
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be an integer from 0 to 65535, got ${port}`);
  const corsOrigins = o.corsOrigins ?? ['*'];
  corsOrigins.forEach(checkOrigin);
  return {
    port,
    maxBodyBytes: positive('maxBodyBytes', o.maxBodyBytes, 5 * 1024 * 1024),
    maxBatch: positive('maxBatch', o.maxBatch, 100),
    maxSubscriptionsPerSocket: positive('maxSubscriptionsPerSocket', o.maxSubscriptionsPerSocket, 64),
    maxSocketBufferBytes: positive('maxSocketBufferBytes', o.maxSocketBufferBytes, 16 * 1024 * 1024),
    corsOrigins,
    allowedHosts: (o.allowedHosts ?? ['localhost', LOOPBACK]).map((h) => h.toLowerCase()),
    name: o.name ?? 'node-lite',
    log: o.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return v;
}

/** An origin is scheme://host[:port] with nothing after it; 'http://localhost:5173/' would never match. */
function checkOrigin(origin: string): void {
  if (origin === '*' || origin === 'null') return;
  let normal: string | undefined;
  try {
    normal = new URL(origin).origin;
  } catch {
    normal = undefined;
  }
  if (normal !== origin) {
    const hint = normal && normal !== 'null' ? `; write it as '${normal}'` : '';
    throw new Error(`corsOrigins: '${origin}' is not an origin (scheme://host[:port])${hint}`);
  }
}

function listen(http: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'the port is already in use' : e.message;
      // Keep the system's code (EADDRINUSE, EACCES…) for callers that explain it to a user.
      reject(Object.assign(new Error(`cannot listen on ${LOOPBACK}:${port}: ${why}`), { code: e.code }));
    };
    http.once('error', onError);
    http.listen(port, LOOPBACK, () => {
      http.off('error', onError);
      const addr = http.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

interface CompiledSubscription {
  readonly kind: string;
  readonly sub: Subscription;
  /** Binds [kind, ...args] (or {kind, ...named}), so problems name the params' positions as sent. */
  readonly params: CompiledParams;
}

function compileSubscriptions(subs: Record<string, Subscription>, compiler: ParamCompiler): Map<string, CompiledSubscription> {
  const out = new Map<string, CompiledSubscription>();
  for (const [kind, sub] of Object.entries(subs)) {
    if (kind.length === 0) throw new Error('a subscription kind must not be empty');
    if (typeof sub?.start !== 'function') throw new Error(`subscription '${kind}': start must be a function`);
    const specs: ParamSpec[] = [{ name: 'kind', schema: { const: kind } }, ...sub.params];
    out.set(kind, { kind, sub, params: compiler.compile(`subscription '${kind}'`, specs) });
  }
  return out;
}

function describeServer(config: Config, methods: CompiledMethods, subs: Map<string, CompiledSubscription> | undefined, url: string, wsUrl: string) {
  const names = (specs: readonly ParamSpec[]) => specs.map((s) => (s.optional ? `${s.name}?` : s.name));
  const list = [...methods.values()].map((m) => ({ name: m.name, description: m.method.description, params: names(m.method.params) }));
  if (subs) {
    list.push({ name: SUBSCRIBE, description: 'Starts a subscription (WebSocket only); returns its id. Notifications arrive as zv_subscription.', params: ['kind', '...args'] });
    list.push({ name: UNSUBSCRIBE, description: 'Stops a subscription; returns whether it existed.', params: ['id'] });
  }
  return {
    name: config.name,
    protocol: 'JSON-RPC 2.0',
    http: `POST ${url}/ with Content-Type: application/json`,
    websocket: `${wsUrl}/`,
    limits: { maxBodyBytes: config.maxBodyBytes, maxBatch: config.maxBatch, maxSubscriptionsPerSocket: config.maxSubscriptionsPerSocket },
    methods: list,
    subscriptions: [...(subs?.values() ?? [])].map((s) => ({ kind: s.kind, description: s.sub.description, params: names(s.sub.params) })),
  };
}

// ---------------------------------------------------------------- envelope and dispatch

type Id = string | number | null;
type Params = unknown[] | Record<string, unknown> | undefined;

interface Request {
  readonly id: Id;
  /** false for a notification: it runs but gets no response, not even an error. */
  readonly hasId: boolean;
  readonly method: string;
  readonly params: Params;
}

interface ErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

interface CallContext {
  readonly rpc: RpcContext;
  readonly session?: WsSession;
  /** Run after the response is written: subscriptions start delivering only once their id is out. */
  readonly afterSend: (() => void)[];
}

class Dispatcher {
  constructor(
    private readonly methods: CompiledMethods,
    private readonly subs: Map<string, CompiledSubscription> | undefined,
    private readonly config: Config,
  ) {}

  /** The response text for a request text, or undefined when nothing is to be sent (notifications). */
  async handleText(text: string, ctx: CallContext): Promise<string | undefined> {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (e) {
      return errorText(null, { code: ERR.PARSE, message: `parse error: ${(e as Error).message}` }, this.config.log);
    }
    return Array.isArray(payload) ? this.handleBatch(payload, ctx) : this.handleOne(payload, ctx);
  }

  private async handleBatch(items: unknown[], ctx: CallContext): Promise<string | undefined> {
    if (items.length === 0) return errorText(null, { code: ERR.INVALID_REQUEST, message: 'empty batch: a batch must hold at least one request' }, this.config.log);
    if (items.length > this.config.maxBatch) {
      const message = `batch of ${items.length} requests exceeds the limit of ${this.config.maxBatch}`;
      return errorText(null, { code: ERR.LIMIT_EXCEEDED, message, data: { limit: this.config.maxBatch, got: items.length } }, this.config.log);
    }
    // Items run concurrently; Promise.all keeps the responses in request order.
    const answers = await Promise.all(items.map((item) => this.handleOne(item, ctx)));
    const texts = answers.filter((a): a is string => a !== undefined);
    return texts.length > 0 ? `[${texts.join(',')}]` : undefined;
  }

  private async handleOne(item: unknown, ctx: CallContext): Promise<string | undefined> {
    const req = parseRequest(item);
    if (req instanceof InvalidRequest) return errorText(req.id, { code: ERR.INVALID_REQUEST, message: req.message }, this.config.log);
    let result: unknown;
    try {
      result = await this.invoke(req, ctx);
    } catch (e) {
      const error = this.errorOf(e, req.method);
      return req.hasId ? errorText(req.id, error, this.config.log) : undefined;
    }
    if (!req.hasId) return undefined;
    try {
      return toWireJson({ jsonrpc: '2.0', id: req.id, result: result === undefined ? null : result });
    } catch (e) {
      this.config.log(`rpc: the result of '${req.method}' is not JSON: ${stackOf(e)}`);
      return errorText(req.id, { code: ERR.INTERNAL, message: 'internal error' }, this.config.log);
    }
  }

  private async invoke(req: Request, ctx: CallContext): Promise<unknown> {
    if (this.subs && (req.method === SUBSCRIBE || req.method === UNSUBSCRIBE)) {
      if (!ctx.session) {
        throw new RpcError(ERR.NOT_SUPPORTED, `'${req.method}' needs a WebSocket connection (the same port, path /)`);
      }
      return req.method === SUBSCRIBE ? this.subscribe(req.params, ctx.session, ctx) : ctx.session.unsubscribe(bindUnsubscribe(req.params));
    }
    const m = this.methods.get(req.method);
    if (!m) throw new RpcError(ERR.METHOD_NOT_FOUND, `method '${req.method}' not found${this.suggest(req.method)}`);
    const args = m.params.bind(req.params);
    return await m.method.handler(args, ctx.rpc);
  }

  private subscribe(params: Params, session: WsSession, ctx: CallContext): string {
    const kind = Array.isArray(params) ? params[0] : params?.kind;
    const known = [...this.subs!.keys()].join(', ') || 'none';
    if (kind === undefined) throw paramProblem(0, 'kind', `missing required param (known kinds: ${known})`);
    if (typeof kind !== 'string') throw paramProblem(0, 'kind', 'must be string');
    const sub = this.subs!.get(kind);
    if (!sub) throw paramProblem(0, 'kind', `unknown subscription kind '${kind}' (known kinds: ${known})`);
    const args = sub.params.bind(params).slice(1);
    return session.subscribe(sub, args, ctx.afterSend);
  }

  /** RpcError as it is; anything else is a bug in a handler: logged, answered without details. */
  errorOf(e: unknown, method: string): ErrorObject {
    if (e instanceof RpcError) return e.data === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, data: e.data };
    this.config.log(`rpc: '${method}' crashed: ${stackOf(e)}`);
    return { code: ERR.INTERNAL, message: 'internal error' };
  }

  private suggest(name: string): string {
    const names = [...this.methods.keys(), ...(this.subs ? [SUBSCRIBE, UNSUBSCRIBE] : [])];
    let best: string | undefined;
    let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
    for (const n of names) {
      const d = editDistance(name.toLowerCase(), n.toLowerCase());
      if (d < bestDistance) [best, bestDistance] = [n, d];
    }
    return best ? ` (did you mean '${best}'?)` : '';
  }
}

class InvalidRequest {
  constructor(
    readonly id: Id,
    readonly message: string,
  ) {}
}

function parseRequest(item: unknown): Request | InvalidRequest {
  if (!isObject(item)) return new InvalidRequest(null, `a request must be a JSON object, got ${typeName(item)}`);
  const hasId = Object.hasOwn(item, 'id');
  const id = item.id;
  if (hasId && typeof id !== 'string' && typeof id !== 'number' && id !== null) {
    return new InvalidRequest(null, `'id' must be a string, a number or null, got ${typeName(id)}`);
  }
  const echoId = hasId ? (id as Id) : null;
  if (item.jsonrpc !== '2.0') {
    const got = Object.hasOwn(item, 'jsonrpc') ? `got ${clip(JSON.stringify(item.jsonrpc))}` : 'it is missing';
    return new InvalidRequest(echoId, `'jsonrpc' must be "2.0", ${got}`);
  }
  if (typeof item.method !== 'string') {
    return new InvalidRequest(echoId, Object.hasOwn(item, 'method') ? `'method' must be a string, got ${typeName(item.method)}` : `'method' is missing`);
  }
  const params = item.params;
  if (Object.hasOwn(item, 'params') && !Array.isArray(params) && !isObject(params)) {
    return new InvalidRequest(echoId, `'params' must be an array or an object, got ${typeName(params)}`);
  }
  return { id: echoId, hasId, method: item.method, params: params as Params };
}

function bindUnsubscribe(params: Params): string {
  const id = Array.isArray(params) ? params[0] : params?.id;
  const extra = Array.isArray(params) ? params.length > 1 : Object.keys(params ?? {}).some((k) => k !== 'id');
  if (extra) throw paramProblem(null, null, "too many params: zv_unsubscribe takes one, 'id'");
  if (id === undefined) throw paramProblem(0, 'id', 'missing required param');
  if (typeof id !== 'string') throw paramProblem(0, 'id', 'must be string');
  return id;
}

function paramProblem(index: number | null, param: string | null, message: string): RpcError {
  const text = index === null ? message : `params[${index}] '${param}': ${message}`;
  return new RpcError(ERR.INVALID_PARAMS, text, [{ index, param, path: '', message }]);
}

function errorText(id: Id, error: ErrorObject, log: (line: string) => void): string {
  try {
    return toWireJson({ jsonrpc: '2.0', id, error });
  } catch (e) {
    // An RpcError whose data is not JSON (a cycle): answer without the data rather than not at all.
    log(`rpc: error data is not JSON (dropped): ${stackOf(e)}`);
    return toWireJson({ jsonrpc: '2.0', id, error: { code: error.code, message: error.message } });
  }
}

// ---------------------------------------------------------------- HTTP

async function onHttpRequest(req: IncomingMessage, res: ServerResponse, dispatcher: Dispatcher, config: Config, description: string): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('vary', 'Origin');
  const refusal = gate(req, config);
  if (refusal) return sendError(res, refusal.status, ERR.INVALID_REQUEST, refusal.message);
  if (req.headers.origin !== undefined) res.setHeader('access-control-allow-origin', req.headers.origin);

  const path = pathOf(req);
  if (path !== '/') return sendError(res, 404, ERR.INVALID_REQUEST, `no endpoint at '${path}': JSON-RPC is POST /, its description GET /`);
  switch (req.method) {
    case 'OPTIONS':
      return preflight(res);
    case 'GET':
    case 'HEAD':
      return send(res, 200, description);
    case 'POST':
      return handlePost(req, res, dispatcher, config);
    default:
      res.setHeader('allow', 'GET, HEAD, POST, OPTIONS');
      return sendError(res, 405, ERR.INVALID_REQUEST, `HTTP method ${req.method} not allowed: JSON-RPC is POST /, its description GET /`);
  }
}

/** Host and Origin checks shared by HTTP and the WebSocket handshake; undefined when the request may pass. */
function gate(req: IncomingMessage, config: Config): { status: number; message: string } | undefined {
  const host = hostnameOf(req.headers.host);
  if (host !== undefined && !config.allowedHosts.includes('*') && !config.allowedHosts.includes(host)) {
    return { status: 403, message: `host '${host}' not allowed (allowed: ${config.allowedHosts.join(', ')})` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !config.corsOrigins.includes('*') && !config.corsOrigins.includes(origin)) {
    return { status: 403, message: `origin '${origin}' not allowed` };
  }
  return undefined;
}

function preflight(res: ServerResponse): void {
  res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
  res.setHeader('access-control-allow-headers', 'Content-Type');
  res.setHeader('access-control-max-age', '600');
  res.writeHead(204).end();
}

async function handlePost(req: IncomingMessage, res: ServerResponse, dispatcher: Dispatcher, config: Config): Promise<void> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    const got = req.headers['content-type'] === undefined ? 'none' : `'${req.headers['content-type']}'`;
    return sendError(res, 415, ERR.INVALID_REQUEST, `Content-Type must be application/json, got ${got}`);
  }
  const body = await readBody(req, config.maxBodyBytes);
  if (body === 'too-large') {
    // The rest of the body is never read: the connection is closed once the answer is out.
    res.setHeader('connection', 'close');
    res.on('finish', () => req.socket.destroySoon?.());
    const message = `request body exceeds the limit of ${config.maxBodyBytes} bytes`;
    return sendError(res, 413, ERR.LIMIT_EXCEEDED, message, { limit: config.maxBodyBytes });
  }
  if (body === 'aborted') return;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return sendError(res, 200, ERR.PARSE, 'parse error: the body is not valid UTF-8');
  }
  const out = await dispatcher.handleText(text, { rpc: HTTP_CTX, afterSend: [] });
  if (out === undefined) res.writeHead(204).end();
  else send(res, 200, out);
}

/** The body, or 'too-large' as soon as it passes max bytes (checked against Content-Length first). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large' | 'aborted'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve('too-large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        resolve('too-large');
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', () => resolve('aborted'));
    req.on('close', () => resolve(req.complete ? Buffer.concat(chunks, size) : 'aborted'));
  });
}

function send(res: ServerResponse, status: number, json: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

/** Errors outside JSON-RPC's reach (wrong path, verb, size) still come as a JSON-RPC error body. */
function sendError(res: ServerResponse, status: number, code: number, message: string, data?: unknown): void {
  const error: ErrorObject = data === undefined ? { code, message } : { code, message, data };
  send(res, status, toWireJson({ jsonrpc: '2.0', id: null, error }));
}

function pathOf(req: IncomingMessage): string {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? raw : raw.slice(0, q);
}

/** The host name of a Host header, lower-cased, without port ('[::1]:8545' -> '[::1]'). */
function hostnameOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const reason = status === 404 ? 'Not Found' : 'Forbidden';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}

// ---------------------------------------------------------------- WebSocket

interface ActiveSub {
  readonly kind: string;
  stop: (() => void) | undefined;
  /** Notifications emitted before the subscribe response went out wait here. */
  queue: string[] | undefined;
}

/** One WebSocket connection: its requests and the subscriptions it owns. */
class WsSession {
  private readonly subs = new Map<string, ActiveSub>();
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly dispatcher: Dispatcher,
    private readonly config: Config,
  ) {
    ws.on('message', (data: RawData) => this.onMessage(data));
    // Errors (a frame over maxPayload, a malformed frame) close the socket with the right code;
    // they are the client's, so nothing is logged.
    ws.on('error', () => {});
    ws.on('close', () => this.stopAll());
  }

  private onMessage(data: RawData): void {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data;
    const ctx: CallContext = { rpc: WS_CTX, session: this, afterSend: [] };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      this.send(toWireJson({ jsonrpc: '2.0', id: null, error: { code: ERR.PARSE, message: 'parse error: the message is not valid UTF-8' } }));
      return;
    }
    this.dispatcher
      .handleText(text, ctx)
      .then((out) => {
        if (out !== undefined) this.send(out);
        for (const f of ctx.afterSend) f();
      })
      .catch((e) => this.config.log(`rpc: WebSocket handling failed: ${stackOf(e)}`));
  }

  subscribe(sub: CompiledSubscription, args: unknown[], afterSend: (() => void)[]): string {
    if (this.closed) throw new RpcError(ERR.UNAVAILABLE, 'the connection is closing');
    if (this.subs.size >= this.config.maxSubscriptionsPerSocket) {
      const limit = this.config.maxSubscriptionsPerSocket;
      throw new RpcError(ERR.LIMIT_EXCEEDED, `too many subscriptions on this connection (limit ${limit})`, { limit });
    }
    const id = `0x${randomBytes(8).toString('hex')}`;
    const active: ActiveSub = { kind: sub.kind, stop: undefined, queue: [] };
    this.subs.set(id, active);
    const emit = (result: unknown) => this.emit(id, active, result);
    let stop: unknown;
    try {
      stop = sub.sub.start(args, emit);
    } catch (e) {
      this.subs.delete(id);
      throw e;
    }
    if (typeof stop !== 'function') {
      this.subs.delete(id);
      throw new Error(`subscription '${sub.kind}': start() returned ${typeName(stop)}, not a stop function`);
    }
    active.stop = stop as () => void;
    afterSend.push(() => this.flush(active));
    return id;
  }

  unsubscribe(id: string): boolean {
    const active = this.subs.get(id);
    if (!active) return false;
    this.subs.delete(id);
    this.stop(id, active);
    return true;
  }

  /** Closes at once (server shutdown); 'close' then stops the subscriptions. */
  terminate(): void {
    this.stopAll();
    this.ws.terminate();
  }

  private emit(id: string, active: ActiveSub, result: unknown): void {
    if (this.subs.get(id) !== active) return; // stopped: a feed may still emit once while it winds down
    let text: string;
    try {
      text = toWireJson({ jsonrpc: '2.0', method: NOTIFICATION, params: { subscription: id, result } });
    } catch (e) {
      this.config.log(`rpc: a '${active.kind}' notification is not JSON (dropped): ${stackOf(e)}`);
      return;
    }
    if (active.queue) active.queue.push(text);
    else this.send(text);
  }

  private flush(active: ActiveSub): void {
    const queued = active.queue ?? [];
    active.queue = undefined;
    for (const text of queued) this.send(text);
  }

  private send(text: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.config.maxSocketBufferBytes) {
      this.ws.close(1008, `too slow: over ${this.config.maxSocketBufferBytes} bytes unsent`);
      this.stopAll();
      return;
    }
    this.ws.send(text);
  }

  private stopAll(): void {
    this.closed = true;
    const all = [...this.subs];
    this.subs.clear();
    for (const [id, active] of all) this.stop(id, active);
  }

  private stop(id: string, active: ActiveSub): void {
    try {
      active.stop?.();
    } catch (e) {
      this.config.log(`rpc: stopping subscription ${id} ('${active.kind}') failed: ${stackOf(e)}`);
    }
  }
}

// ---------------------------------------------------------------- small helpers

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function clip(text: string | undefined, max = 60): string {
  const t = text ?? 'undefined';
  return t.length > max ? `${t.slice(0, max)}...` : t;
}

function stackOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
