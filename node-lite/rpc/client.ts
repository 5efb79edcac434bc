// Clients of node-lite's JSON-RPC 2.0 server, used by the zv CLI and the tests: RpcClient over
// HTTP (global fetch), RpcSocket over WebSocket with subscriptions. No node: imports, so the IDE
// can bundle this file too: RpcSocket uses the global WebSocket where there is one (browsers,
// Node 22+) and the `ws` package otherwise.

/** An error response from the server: its code, message and data. */
export class RpcCallError extends Error {
  readonly code: number;
  readonly data?: unknown;
  /** The method whose call failed (undefined for an error about the whole request, such as a batch too long). */
  readonly method?: string;
  constructor(code: number, message: string, data?: unknown, method?: string) {
    super(message);
    this.name = 'RpcCallError';
    this.code = code;
    if (data !== undefined) this.data = data;
    if (method !== undefined) this.method = method;
  }
}

export type RpcParams = unknown[] | Record<string, unknown>;

export interface RpcClientOptions {
  /** How long one call (or batch) may take, connection included. Default 30 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The wire encoding shared by server and clients: JSON, with bigint as a decimal string and
 * Uint8Array (Buffer included) as '0x'-prefixed lowercase hex. JSON.stringify alone throws on
 * bigint and turns bytes into {"0":1,...} or {"type":"Buffer",...}.
 */
export function toWireJson(value: unknown): string {
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // this[key] is the value before toJSON ran: Buffer.prototype.toJSON would hide the bytes.
    const raw = this[key];
    if (raw instanceof Uint8Array) return bytesToHex(raw);
    if (typeof v === 'bigint') return v.toString(10);
    return v;
  });
  // JSON.stringify(undefined) is undefined; a JSON-RPC result must still be a value.
  return text ?? 'null';
}

function bytesToHex(bytes: Uint8Array): string {
  let out = '0x';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

interface Envelope {
  jsonrpc?: unknown;
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
  method?: unknown;
  params?: unknown;
}

/** The result of a response envelope, or the RpcCallError it carries. */
function resultOf(env: Envelope, method: string | undefined): unknown {
  if (env.error !== undefined) {
    const e = env.error ?? {};
    const code = typeof e.code === 'number' ? e.code : -32603;
    const message = typeof e.message === 'string' ? e.message : 'error response without a message';
    return new RpcCallError(code, message, e.data, method);
  }
  if (!('result' in env)) return new Error(`malformed response: neither 'result' nor 'error' in ${clip(JSON.stringify(env))}`);
  return env.result;
}

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

function isEnvelope(v: unknown): v is Envelope {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON-RPC over HTTP POST. One instance per server URL; calls are independent. */
export class RpcClient {
  private nextId = 1;
  private readonly timeoutMs: number;

  constructor(
    readonly url: string,
    options: RpcClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The call's result; throws RpcCallError for an error response, Error('cannot reach ...') for no answer. */
  async call<T = unknown>(method: string, params?: RpcParams): Promise<T> {
    const id = this.nextId++;
    const reply = await this.post(request(method, params, id));
    if (!isEnvelope(reply)) throw new Error(`bad response from ${this.url}: expected one JSON-RPC response, got ${clip(JSON.stringify(reply))}`);
    if (reply.id !== id && reply.id !== null) throw new Error(`bad response from ${this.url}: id ${JSON.stringify(reply.id)} does not match the request's ${id}`);
    const result = resultOf(reply, method);
    if (result instanceof Error) throw result;
    return result as T;
  }

  /** Sends a notification: the server runs it and answers nothing. */
  async notify(method: string, params?: RpcParams): Promise<void> {
    await this.post(request(method, params, undefined));
  }

  /**
   * Sends the calls as one batch; each slot of the result is that call's result or its
   * RpcCallError, in the calls' order. An error about the whole batch (too long, too large) throws.
   */
  async batch(calls: readonly { method: string; params?: RpcParams }[]): Promise<unknown[]> {
    if (calls.length === 0) return [];
    const ids = calls.map(() => this.nextId++);
    const reply = await this.post(calls.map((c, i) => request(c.method, c.params, ids[i])));
    if (isEnvelope(reply)) {
      // A single response to a batch is an error about the batch itself.
      const result = resultOf(reply, undefined);
      throw result instanceof Error ? result : new Error(`bad response from ${this.url}: a batch was answered by a single result`);
    }
    if (!Array.isArray(reply)) throw new Error(`bad response from ${this.url}: expected an array for a batch, got ${clip(JSON.stringify(reply))}`);
    const byId = new Map<unknown, Envelope>();
    for (const item of reply) if (isEnvelope(item)) byId.set(item.id, item);
    return calls.map((c, i) => {
      const env = byId.get(ids[i]);
      if (!env) return new Error(`bad response from ${this.url}: no response for '${c.method}' (id ${ids[i]}) in the batch`);
      return resultOf(env, c.method);
    });
  }

  /** POSTs a body and returns the parsed reply (undefined for 204: notifications only). */
  private async post(body: unknown): Promise<unknown> {
    const json = toWireJson(body); // outside the try: params that are not JSON are the caller's error, not the network's
    const signal = AbortSignal.timeout(this.timeoutMs);
    let status: number;
    let text: string;
    try {
      const res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json, signal });
      status = res.status;
      text = await res.text();
    } catch (e) {
      throw this.unreachable(e);
    }
    if (status === 204) {
      if (Array.isArray(body) || (isEnvelope(body) && 'id' in body)) throw new Error(`bad response from ${this.url}: no content (HTTP 204) for a call that expects an answer`);
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`bad response from ${this.url}: HTTP ${status}, not JSON: ${clip(text)}`);
    }
  }

  private unreachable(e: unknown): Error {
    const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
      return new Error(`cannot reach ${this.url}: no answer within ${this.timeoutMs} ms`, { cause: e });
    }
    // fetch reports every network failure as TypeError('fetch failed'); the cause says which.
    const detail = err?.cause?.message ?? err?.cause?.code ?? err?.message ?? String(e);
    return new Error(`cannot reach ${this.url}: ${detail}`, { cause: e });
  }
}

function request(method: string, params: RpcParams | undefined, id: number | undefined): Record<string, unknown> {
  const req: Record<string, unknown> = { jsonrpc: '2.0', method };
  if (params !== undefined) req.params = params;
  if (id !== undefined) req.id = id;
  return req;
}

/** The slice of the WHATWG WebSocket API used here; both the global WebSocket and `ws` have it. */
interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (ev: any) => void): void;
}
type WebSocketCtor = new (url: string) => WebSocketLike;

const OPEN = 1;
const CLOSED = 3;

async function webSocketCtor(): Promise<WebSocketCtor> {
  const native = (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
  if (native) return native;
  const mod = await import('ws');
  return mod.WebSocket as unknown as WebSocketCtor;
}

export interface RpcSocketOptions {
  /** How long connecting, and then each call, may take. Default 30 s. */
  readonly timeoutMs?: number;
  /** Called when the connection closes without close() having been called (server stopped, limit hit). */
  readonly onClose?: (code: number, reason: string) => void;
  /** Called when a subscription's onResult throws; default: console.error. */
  readonly onError?: (error: unknown) => void;
}

interface Pending {
  readonly method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  /** Runs synchronously when the answer arrives, before any later message is read (see subscribe). */
  onResult?(result: unknown): void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** JSON-RPC over one WebSocket: calls and subscriptions (zv_subscribe / zv_unsubscribe). */
export class RpcSocket {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, (result: unknown) => void>();
  private closing = false;
  private readonly closed: Promise<void>;

  private constructor(
    readonly url: string,
    private readonly ws: WebSocketLike,
    private readonly options: RpcSocketOptions,
  ) {
    ws.addEventListener('message', (ev: { data: unknown }) => this.onMessage(ev.data));
    this.closed = new Promise((resolve) => {
      ws.addEventListener('close', (ev: { code: number; reason: string }) => {
        this.failPending(`connection to ${url} closed (code ${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`);
        this.listeners.clear();
        if (!this.closing) this.options.onClose?.(ev.code, ev.reason);
        resolve();
      });
    });
  }

  static async connect(wsUrl: string, options: RpcSocketOptions = {}): Promise<RpcSocket> {
    const Ctor = await webSocketCtor();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let ws: WebSocketLike;
    try {
      ws = new Ctor(wsUrl);
    } catch (e) {
      throw new Error(`cannot reach ${wsUrl}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.close();
        reject(new Error(`cannot reach ${wsUrl}: no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.addEventListener('open', () => {
        clearTimeout(timer);
        resolve();
      });
      ws.addEventListener('error', (ev: { message?: string; error?: { message?: string } }) => {
        clearTimeout(timer);
        reject(new Error(`cannot reach ${wsUrl}: ${ev.message ?? ev.error?.message ?? 'connection failed'}`));
      });
      ws.addEventListener('close', (ev: { code: number }) => {
        clearTimeout(timer);
        reject(new Error(`cannot reach ${wsUrl}: closed while connecting (code ${ev.code})`));
      });
    });
    return new RpcSocket(wsUrl, ws, options);
  }

  call<T = unknown>(method: string, params?: RpcParams): Promise<T> {
    return this.send(method, params) as Promise<T>;
  }

  /**
   * Starts a subscription of `kind` with `params`; onResult gets each notification's result.
   * Resolves to the subscription id, for unsubscribe.
   */
  subscribe(kind: string, params: readonly unknown[], onResult: (result: unknown) => void): Promise<string> {
    // The listener is registered the moment the answer is read, not in a .then(): the server
    // may send the first notifications in the same TCP packet as the answer, and those are
    // dispatched before any promise continuation could run.
    const register = (id: unknown) => {
      if (typeof id === 'string') this.listeners.set(id, onResult);
    };
    return this.send('zv_subscribe', [kind, ...params], register) as Promise<string>;
  }

  /** Stops a subscription; true if the server had it. No notification for it is delivered after this call. */
  async unsubscribe(id: string): Promise<boolean> {
    this.listeners.delete(id);
    return (await this.send('zv_unsubscribe', [id])) as boolean;
  }

  /** Closes the connection; pending calls fail; the server stops this socket's subscriptions. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.ws.readyState !== CLOSED) this.ws.close(1000, 'client closed');
    await this.closed;
  }

  private send(method: string, params: RpcParams | undefined, onResult?: (result: unknown) => void): Promise<unknown> {
    if (this.ws.readyState !== OPEN) return Promise.reject(new Error(`cannot call '${method}': connection to ${this.url} is closed`));
    const id = this.nextId++;
    let json: string;
    try {
      json = toWireJson(request(method, params, id));
    } catch (e) {
      return Promise.reject(e);
    }
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to '${method}' from ${this.url} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, onResult, timer });
      this.ws.send(json);
    });
  }

  private onMessage(data: unknown): void {
    let msg: unknown;
    try {
      msg = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data as Uint8Array));
    } catch {
      this.options.onError?.(new Error(`bad message from ${this.url}: not JSON`));
      return;
    }
    for (const env of Array.isArray(msg) ? msg : [msg]) if (isEnvelope(env)) this.onEnvelope(env);
  }

  private onEnvelope(env: Envelope): void {
    if (env.method === 'zv_subscription' && isEnvelope(env.params)) {
      const { subscription, result } = env.params as { subscription?: unknown; result?: unknown };
      const listener = typeof subscription === 'string' ? this.listeners.get(subscription) : undefined;
      if (listener) this.deliver(listener, result);
      return;
    }
    const p = typeof env.id === 'number' ? this.pending.get(env.id) : undefined;
    if (!p) return;
    this.pending.delete(env.id as number);
    clearTimeout(p.timer);
    const result = resultOf(env, p.method);
    if (result instanceof Error) return p.reject(result);
    p.onResult?.(result);
    p.resolve(result);
  }

  private deliver(listener: (result: unknown) => void, result: unknown): void {
    try {
      listener(result);
    } catch (e) {
      (this.options.onError ?? ((err) => console.error('RpcSocket: a subscription listener threw:', err)))(e);
    }
  }

  private failPending(reason: string): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`${reason} before '${p.method}' was answered`));
    }
    this.pending.clear();
  }
}
