import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RpcSocket } from './client.ts';
import { compileMethods, ERR, RpcError, type RpcMethod } from './schema.ts';
import { startRpcServer, type RpcServer, type Subscription } from './server.ts';

const int = { type: 'integer' };

/** A promise resolved from outside: lets one batch item wait for another. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const recorded: unknown[] = [];
let gate = deferred();

const methods: Record<string, RpcMethod> = {
  add: { description: 'a + b', params: [{ name: 'a', schema: int }, { name: 'b', schema: int }], handler: ([a, b]) => (a as number) + (b as number) },
  echo: { description: 'returns x', params: [{ name: 'x', schema: {} }], handler: ([x]) => x },
  transfer: {
    description: 'checks a transfer',
    params: [
      { name: 'to', schema: { type: 'string', pattern: '^0x[0-9a-f]{4}$' } },
      { name: 'amount', schema: { type: 'string', pattern: '^[0-9]+$' } },
      { name: 'memo', schema: { type: 'string', maxLength: 8 }, optional: true },
    ],
    handler: ([to, amount, memo]) => ({ to, amount: BigInt(amount as string), memo: memo ?? null }),
  },
  order: {
    description: 'takes an object',
    params: [{ name: 'o', schema: { type: 'object', properties: { side: { enum: ['buy', 'sell'] } }, required: ['side'], additionalProperties: false } }],
    handler: ([o]) => o,
  },
  boom: {
    description: 'crashes',
    params: [],
    handler: () => {
      throw new Error('kaboom at /secret/path');
    },
  },
  refuse: {
    description: 'fails on purpose',
    params: [],
    handler: () => {
      throw new RpcError(ERR.NOT_FOUND, 'no such block', { height: 7 });
    },
  },
  bytes: { description: 'binary and big results', params: [], handler: () => ({ raw: Uint8Array.of(0, 171, 255), buf: Buffer.from([1, 2]), big: 2n ** 70n, nothing: undefined }) },
  nothing: { description: 'returns undefined', params: [], handler: () => undefined },
  record: { description: 'records x', params: [{ name: 'x', schema: {} }], handler: ([x]) => void recorded.push(x) },
  transport: { description: 'which transport', params: [], handler: (_args, ctx) => ctx.transport },
  wait: { description: 'waits for release', params: [], handler: async () => (await gate.promise, 'waited') },
  release: { description: 'releases wait', params: [], handler: () => (gate.resolve(), 'released') },
};

/** A feed the test drives by hand: every started feed is in `feeds`; stop removes it. */
const feeds = new Map<number, (r: unknown) => void>();
let feedSeq = 0;
let stops = 0;
const subscriptions: Record<string, Subscription> = {
  counter: {
    description: 'emits what the test pushes',
    params: [{ name: 'start', schema: { type: 'integer', minimum: 0 } }],
    start([start], emit) {
      const key = feedSeq++;
      feeds.set(key, emit);
      emit({ n: start }); // emitted during start: must still arrive after the subscribe answer
      return () => {
        feeds.delete(key);
        stops++;
      };
    },
  },
};

const logs: string[] = [];
let server: RpcServer;

beforeAll(async () => {
  server = await startRpcServer({ methods, subscriptions, port: 0, maxBatch: 5, maxSubscriptionsPerSocket: 2, maxBodyBytes: 64 * 1024, log: (l) => logs.push(l) });
});
afterAll(() => server.close());

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

const rpc = (method: string, params?: unknown, id: unknown = 1) => JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });

async function call(method: string, params?: unknown) {
  return (await post(rpc(method, params))).json;
}

describe('JSON-RPC over HTTP: requests', () => {
  it('answers a single call by position and by name', async () => {
    expect(await call('add', [2, 3])).toEqual({ jsonrpc: '2.0', id: 1, result: 5 });
    expect(await call('add', { b: 10, a: 1 })).toEqual({ jsonrpc: '2.0', id: 1, result: 11 });
    expect((await post(rpc('echo', ['x'], 'abc'))).json).toEqual({ jsonrpc: '2.0', id: 'abc', result: 'x' });
    expect((await post(rpc('echo', [1], null))).json).toEqual({ jsonrpc: '2.0', id: null, result: 1 });
  });

  it('leaves optional params undefined, by position, by name, or as null', async () => {
    const base = { to: '0xabcd', amount: '5', memo: null };
    expect((await call('transfer', ['0xabcd', '5'])).result).toEqual(base);
    expect((await call('transfer', ['0xabcd', '5', null])).result).toEqual(base);
    expect((await call('transfer', { to: '0xabcd', amount: '5' })).result).toEqual(base);
    expect((await call('transfer', { to: '0xabcd', amount: '5', memo: 'hi' })).result).toEqual({ ...base, memo: 'hi' });
  });

  it('encodes bigint as decimal, bytes as 0x-hex, undefined as null', async () => {
    expect((await call('bytes')).result).toEqual({ raw: '0x00abff', buf: '0x0102', big: (2n ** 70n).toString() });
    expect((await call('transfer', ['0xabcd', '123456789012345678901234567890'])).result.amount).toBe('123456789012345678901234567890');
    expect(await call('nothing')).toEqual({ jsonrpc: '2.0', id: 1, result: null });
  });

  it('tells the handler which transport carried the call', async () => {
    expect((await call('transport')).result).toBe('http');
  });

  it('runs notifications without answering them', async () => {
    recorded.length = 0;
    const single = await post(JSON.stringify({ jsonrpc: '2.0', method: 'record', params: ['one'] }));
    expect(single.status).toBe(204);
    expect(single.text).toBe('');
    const batch = await post(JSON.stringify([{ jsonrpc: '2.0', method: 'record', params: ['two'] }, { jsonrpc: '2.0', method: 'boom' }]));
    expect(batch.status).toBe(204);
    expect(recorded).toEqual(['one', 'two']);
  });

  it('answers a batch in request order, leaving out notifications, running items concurrently', async () => {
    gate = deferred();
    // 'wait' only finishes once 'release' (after it in the batch) has run: a serial server would hang.
    const body = JSON.stringify([
      { jsonrpc: '2.0', id: 'w', method: 'wait' },
      { jsonrpc: '2.0', method: 'record', params: [1] },
      { jsonrpc: '2.0', id: 'r', method: 'release' },
      { jsonrpc: '2.0', id: 3, method: 'add', params: [1, 1] },
      { jsonrpc: '2.0', id: 4, method: 'nope' },
    ]);
    const { status, json } = await post(body);
    expect(status).toBe(200);
    expect(json.map((r: any) => r.id)).toEqual(['w', 'r', 3, 4]);
    expect(json[0].result).toBe('waited');
    expect(json[2].result).toBe(2);
    expect(json[3].error.code).toBe(ERR.METHOD_NOT_FOUND);
  });
});

describe('JSON-RPC over HTTP: envelope errors', () => {
  const invalid = async (body: string) => {
    const { status, json } = await post(body);
    expect(status).toBe(200);
    expect(json.error.code).toBe(ERR.INVALID_REQUEST);
    return json;
  };

  it('answers a parse error with -32700 and id null', async () => {
    const { json } = await post('{"jsonrpc": "2.0", "method": "add", ');
    expect(json.id).toBeNull();
    expect(json.error.code).toBe(ERR.PARSE);
    expect(json.error.message).toMatch(/^parse error: /);
  });

  it('rejects what is not a request object', async () => {
    expect((await invalid('42')).error.message).toBe('a request must be a JSON object, got a number');
    expect((await invalid('"add"')).error.message).toBe('a request must be a JSON object, got a string');
    expect((await invalid('null')).error.message).toBe('a request must be a JSON object, got null');
  });

  it('rejects a wrong or missing jsonrpc version, echoing a valid id', async () => {
    const wrong = await invalid('{"jsonrpc":"1.0","id":9,"method":"add"}');
    expect(wrong.id).toBe(9);
    expect(wrong.error.message).toBe(`'jsonrpc' must be "2.0", got "1.0"`);
    expect((await invalid('{"id":9,"method":"add"}')).error.message).toBe(`'jsonrpc' must be "2.0", it is missing`);
  });

  it('rejects an id that is not a string, a number or null, answering with id null', async () => {
    for (const id of ['{}', '[1]', 'true']) {
      const json = await invalid(`{"jsonrpc":"2.0","id":${id},"method":"add"}`);
      expect(json.id).toBeNull();
      expect(json.error.message).toMatch(/^'id' must be a string, a number or null, got /);
    }
  });

  it('rejects a missing or non-string method and non-structured params', async () => {
    expect((await invalid('{"jsonrpc":"2.0","id":1}')).error.message).toBe(`'method' is missing`);
    expect((await invalid('{"jsonrpc":"2.0","id":1,"method":5}')).error.message).toBe(`'method' must be a string, got a number`);
    expect((await invalid('{"jsonrpc":"2.0","id":1,"method":"add","params":"1,2"}')).error.message).toBe(`'params' must be an array or an object, got a string`);
    expect((await invalid('{"jsonrpc":"2.0","id":1,"method":"add","params":null}')).error.message).toBe(`'params' must be an array or an object, got null`);
  });

  it('answers an unknown method with -32601 and a suggestion', async () => {
    expect((await call('nope')).error).toEqual({ code: ERR.METHOD_NOT_FOUND, message: `method 'nope' not found` });
    expect((await call('ad', [1, 2])).error.message).toBe(`method 'ad' not found (did you mean 'add'?)`);
  });

  it('rejects an empty batch and a batch over the limit with one error', async () => {
    const empty = await post('[]');
    expect(empty.json).toEqual({ jsonrpc: '2.0', id: null, error: { code: ERR.INVALID_REQUEST, message: 'empty batch: a batch must hold at least one request' } });
    const many = Array.from({ length: 6 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'add', params: [i, i] }));
    const over = await post(JSON.stringify(many));
    expect(Array.isArray(over.json)).toBe(false);
    expect(over.json.error).toEqual({ code: ERR.LIMIT_EXCEEDED, message: 'batch of 6 requests exceeds the limit of 5', data: { limit: 5, got: 6 } });
  });

  it('answers each bad item of a batch on its own', async () => {
    const { json } = await post('[1, {"jsonrpc":"2.0","id":2,"method":"add","params":[1,2]}, []]');
    expect(json).toHaveLength(3);
    expect(json[0].error.code).toBe(ERR.INVALID_REQUEST);
    expect(json[1].result).toBe(3);
    expect(json[2].error.message).toBe('a request must be a JSON object, got an array');
  });
});

describe('JSON-RPC over HTTP: params validation', () => {
  const problems = async (method: string, params: unknown) => {
    const { error } = await call(method, params);
    expect(error.code).toBe(ERR.INVALID_PARAMS);
    return error;
  };

  it('names the param and the rule it breaks', async () => {
    const e = await problems('transfer', ['0xabcd', '12.5']);
    expect(e.message).toBe(`params[1] 'amount': must match pattern "^[0-9]+$"`);
    expect(e.data).toEqual([{ index: 1, param: 'amount', path: '', message: 'must match pattern "^[0-9]+$"' }]);
  });

  it('lists every problem in data', async () => {
    const e = await problems('transfer', { to: 5, amount: 'x', memo: 'far too long' });
    expect(e.data.map((p: any) => p.param)).toEqual(['to', 'amount', 'memo']);
    expect(e.message).toBe(
      `params[0] 'to': must be string; params[1] 'amount': must match pattern "^[0-9]+$"; params[2] 'memo': must NOT have more than 8 characters`,
    );
  });

  it('reports missing required params, too many params and unknown names', async () => {
    expect((await problems('add', [1])).message).toBe(`params[1] 'b': missing required param`);
    expect((await problems('add', [])).data).toHaveLength(2);
    expect((await problems('add', undefined)).message).toBe(`params[0] 'a': missing required param; params[1] 'b': missing required param`);
    expect((await problems('add', [1, 2, 3])).message).toBe('too many params: got 3, expected at most 2 (a, b)');
    expect((await problems('boom', [1])).message).toBe('too many params: got 1, expected at most 0 (this takes no params)');
    const unknown = await problems('add', { a: 1, b: 2, c: 3 });
    expect(unknown.message).toBe(`unknown param 'c' (expected: a, b)`);
    expect(unknown.data).toEqual([{ index: null, param: 'c', path: '', message: `unknown param 'c' (expected: a, b)` }]);
  });

  it('points inside a param and names extra properties and allowed values', async () => {
    expect((await problems('order', [{ side: 'hold' }])).message).toBe(`params[0] 'o' at /side: must be equal to one of the allowed values: "buy", "sell"`);
    expect((await problems('order', [{ side: 'buy', qty: 1 }])).message).toBe(`params[0] 'o': must NOT have additional properties ('qty')`);
  });

  it('treats null as a value for a required param', async () => {
    expect((await problems('add', [null, 1])).message).toBe(`params[0] 'a': must be integer`);
  });
});

describe('JSON-RPC over HTTP: handler errors', () => {
  it('answers a crash with -32603 and no detail, and logs the stack', async () => {
    logs.length = 0;
    const { status, json, text } = await post(rpc('boom'));
    expect(status).toBe(200);
    expect(json.error).toEqual({ code: ERR.INTERNAL, message: 'internal error' });
    expect(text).not.toMatch(/kaboom|secret|at /);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/'boom' crashed: Error: kaboom at \/secret\/path\n\s+at /);
  });

  it('answers an RpcError with its code, message and data', async () => {
    expect((await call('refuse')).error).toEqual({ code: ERR.NOT_FOUND, message: 'no such block', data: { height: 7 } });
  });

  it('refuses subscriptions over HTTP', async () => {
    const { error } = await call('zv_subscribe', ['counter', 0]);
    expect(error.code).toBe(ERR.NOT_SUPPORTED);
    expect(error.message).toMatch(/needs a WebSocket connection/);
  });
});

describe('HTTP: verbs, sizes, CORS', () => {
  it('describes itself on GET /', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    const d = (await res.json()) as any;
    expect(d.name).toBe('node-lite');
    expect(d.websocket).toBe(`${server.wsUrl}/`);
    expect(d.methods).toContainEqual({ name: 'transfer', description: 'checks a transfer', params: ['to', 'amount', 'memo?'] });
    expect(d.methods.map((m: any) => m.name)).toContain('zv_subscribe');
    expect(d.subscriptions).toEqual([{ kind: 'counter', description: 'emits what the test pushes', params: ['start'] }]);
  });

  it('answers other verbs with 405, other paths with 404, other media types with 415', async () => {
    const put = await fetch(server.url, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    expect(((await put.json()) as any).error.message).toMatch(/^HTTP method PUT not allowed/);
    const other = await fetch(`${server.url}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: rpc('add', [1, 2]) });
    expect(other.status).toBe(404);
    const text = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: rpc('add', [1, 2]) });
    expect(text.status).toBe(415);
    expect(((await text.json()) as any).error.message).toBe(`Content-Type must be application/json, got 'text/plain'`);
    const charset = await post(rpc('add', [1, 2]), { 'content-type': 'application/json; charset=utf-8' });
    expect(charset.json.result).toBe(3);
  });

  it('answers a body over the limit with 413 and a JSON-RPC error (declared length)', async () => {
    const big = rpc('echo', ['x'.repeat(70 * 1024)]);
    const { status, json, headers } = await post(big);
    expect(status).toBe(413);
    expect(headers.get('connection')).toBe('close');
    expect(json.error).toEqual({ code: ERR.LIMIT_EXCEEDED, message: 'request body exceeds the limit of 65536 bytes', data: { limit: 65536 } });
  });

  it('stops reading a chunked body once it passes the limit', async () => {
    const url = new URL(server.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path: '/', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', () => {}); // the server may close while we still write: expected
      const chunk = 'x'.repeat(16 * 1024);
      let sent = 0;
      // Keep sending well past the limit; the answer must come without the body ending.
      const pump = () => {
        if (sent++ < 16 && !req.destroyed) req.write(chunk, () => setImmediate(pump));
      };
      pump();
      setTimeout(() => reject(new Error('no 413 within 2 s')), 2000).unref();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe(ERR.LIMIT_EXCEEDED);
  });

  it('answers a CORS preflight and echoes the origin', async () => {
    const pre = await fetch(server.url, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(pre.headers.get('access-control-allow-headers')).toBe('Content-Type');
    const res = await post(rpc('add', [1, 2]), { origin: 'https://ide.example' });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://ide.example');
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('with a list of origins, serves those and refuses others', async () => {
    const s = await startRpcServer({ methods, corsOrigins: ['http://localhost:5173'], log: () => {} });
    try {
      const ok = await fetch(s.url, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      const bad = await fetch(s.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(bad.status).toBe(403);
      expect(bad.headers.get('access-control-allow-origin')).toBeNull();
      const post = await fetch(s.url, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: rpc('add', [1, 2]) });
      expect(post.status).toBe(403);
      expect(((await post.json()) as any).error.message).toBe(`origin 'https://evil.example' not allowed`);
      const noOrigin = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: rpc('add', [1, 2]) });
      expect(((await noOrigin.json()) as any).result).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('refuses a Host header that is not a loopback name (DNS rebinding)', async () => {
    const url = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/', headers: { host: `evil.example:${url.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('startup checks', () => {
  const one = (schema: Record<string, unknown>): Record<string, RpcMethod> => ({ m: { description: '', params: [{ name: 'p', schema }], handler: () => 1 } });

  it('listens on 127.0.0.1 only', async () => {
    await expect(startRpcServer({ methods: {}, host: '0.0.0.0' })).rejects.toThrow(`the RPC server listens on 127.0.0.1 only (it has no authentication); got host '0.0.0.0'`);
    const s = await startRpcServer({ methods: {}, host: 'localhost' });
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    await s.close();
  });

  it('throws for a bad schema, spec, origin or limit', async () => {
    expect(() => compileMethods(one({ type: 'strin' }))).toThrow(/method 'm' param 'p': invalid JSON Schema: .*type/);
    expect(() => compileMethods(one({ typo: true }))).toThrow(/method 'm' param 'p': invalid JSON Schema: strict mode: unknown keyword: "typo"/);
    expect(() => compileMethods(one({ type: 'string', format: 'email' }))).toThrow(/unknown format "email"/);
    const optFirst = { m: { description: '', params: [{ name: 'a', schema: {}, optional: true }, { name: 'b', schema: {} }], handler: () => 1 } };
    expect(() => compileMethods(optFirst)).toThrow(`method 'm': required param 'b' follows optional param 'a'`);
    const twice = { m: { description: '', params: [{ name: 'a', schema: {} }, { name: 'a', schema: {} }], handler: () => 1 } };
    expect(() => compileMethods(twice)).toThrow(`method 'm': param 'a' is declared twice`);
    expect(() => compileMethods({ 'rpc.x': { description: '', params: [], handler: () => 1 } })).toThrow(/reserved by JSON-RPC 2.0/);
    await expect(startRpcServer({ methods: { zv_subscribe: methods.add! } })).rejects.toThrow(/is built in/);
    await expect(startRpcServer({ methods: {}, corsOrigins: ['http://localhost:5173/'] })).rejects.toThrow(
      `corsOrigins: 'http://localhost:5173/' is not an origin (scheme://host[:port]); write it as 'http://localhost:5173'`,
    );
    await expect(startRpcServer({ methods: {}, maxBatch: 0 })).rejects.toThrow('maxBatch must be a positive integer, got 0');
  });

  it('says so when the port is taken', async () => {
    await expect(startRpcServer({ methods: {}, port: server.port })).rejects.toThrow(`cannot listen on 127.0.0.1:${server.port}: the port is already in use`);
  });

  it('resolves shared $refs', async () => {
    const s = await startRpcServer({
      methods: { m: { description: '', params: [{ name: 'q', schema: { $ref: 'urn:zv:quantity' } }], handler: ([q]) => q } },
      schemas: [{ $id: 'urn:zv:quantity', type: 'string', pattern: '^[0-9]+$' }],
      log: () => {},
    });
    try {
      const post = (q: unknown) => fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: rpc('m', [q]) }).then((r) => r.json() as Promise<any>);
      expect((await post('12')).result).toBe('12');
      expect((await post('1.5')).error.message).toBe(`params[0] 'q': must match pattern "^[0-9]+$"`);
    } finally {
      await s.close();
    }
  });
});

/** A raw WebSocket that collects every message, to see the envelope exactly as sent. */
async function rawSocket(url = server.wsUrl, headers?: Record<string, string>) {
  const ws = new WebSocket(url, { headers });
  const inbox: any[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (d) => {
    inbox.push(JSON.parse(d.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const next = async () => {
    while (inbox.length === 0) await new Promise<void>((r) => waiters.push(r));
    return inbox.shift();
  };
  return { ws, next };
}

async function until(cond: () => boolean, ms = 1000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('JSON-RPC over WebSocket', () => {
  it('answers calls, batches and errors with the same envelope', async () => {
    const { ws, next } = await rawSocket();
    ws.send(rpc('add', { a: 2, b: 2 }, 7));
    expect(await next()).toEqual({ jsonrpc: '2.0', id: 7, result: 4 });
    ws.send(rpc('transport'));
    expect((await next()).result).toBe('ws');
    ws.send('[' + rpc('add', [1, 1], 1) + ',' + rpc('boom', [], 2) + ']');
    const batch = await next();
    expect(batch.map((r: any) => r.id)).toEqual([1, 2]);
    expect(batch[1].error).toEqual({ code: ERR.INTERNAL, message: 'internal error' });
    ws.send('{oops');
    expect((await next()).error.code).toBe(ERR.PARSE);
    ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'record', params: ['ws'] })); // a notification: no answer
    ws.send(rpc('add', [1, 2], 8));
    expect((await next()).id).toBe(8);
    ws.close();
  });

  it('closes a socket that sends a message over the size limit (1009)', async () => {
    const { ws } = await rawSocket();
    const code = await new Promise<number>((resolve) => {
      ws.on('close', resolve);
      ws.send(rpc('echo', ['x'.repeat(70 * 1024)]));
    });
    expect(code).toBe(1009);
  });

  it('refuses a handshake from a disallowed origin or on another path', async () => {
    const s = await startRpcServer({ methods, corsOrigins: ['http://localhost:5173'], log: () => {} });
    try {
      await expect(rawSocket(s.wsUrl, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
      await expect(rawSocket(`${s.wsUrl}/other`)).rejects.toThrow(/404/);
      const ok = await rawSocket(s.wsUrl, { origin: 'http://localhost:5173' });
      ok.ws.close();
    } finally {
      await s.close();
    }
  });
});

describe('subscriptions', () => {
  it('delivers notifications after the id, in order, until unsubscribed', async () => {
    const { ws, next } = await rawSocket();
    const before = stops;
    ws.send(rpc('zv_subscribe', ['counter', 5], 1));
    const answer = await next();
    const id = answer.result as string;
    expect(answer.id).toBe(1);
    expect(id).toMatch(/^0x[0-9a-f]{16}$/);
    // The value emitted inside start() comes after the answer that carries the id.
    expect(await next()).toEqual({ jsonrpc: '2.0', method: 'zv_subscription', params: { subscription: id, result: { n: 5 } } });
    const emit = [...feeds.values()].at(-1)!;
    emit({ n: 6 });
    emit(7n);
    expect((await next()).params.result).toEqual({ n: 6 });
    expect((await next()).params.result).toBe('7');
    ws.send(rpc('zv_unsubscribe', [id], 2));
    expect(await next()).toEqual({ jsonrpc: '2.0', id: 2, result: true });
    expect(stops).toBe(before + 1);
    emit({ n: 8 }); // after stop: dropped
    ws.send(rpc('zv_unsubscribe', [id], 3));
    expect((await next()).result).toBe(false); // nothing left after the dropped emit
    ws.close();
  });

  it('validates the kind and the args, naming positions as sent', async () => {
    const { ws, next } = await rawSocket();
    ws.send(rpc('zv_subscribe', ['blocks'], 1));
    expect((await next()).error).toMatchObject({ code: ERR.INVALID_PARAMS, message: `params[0] 'kind': unknown subscription kind 'blocks' (known kinds: counter)` });
    ws.send(rpc('zv_subscribe', ['counter', -1], 2));
    expect((await next()).error.message).toBe(`params[1] 'start': must be >= 0`);
    ws.send(rpc('zv_subscribe', { kind: 'counter' }, 3));
    expect((await next()).error.message).toBe(`params[1] 'start': missing required param`);
    ws.send(rpc('zv_subscribe', [], 4));
    expect((await next()).error.message).toMatch(/^params\[0\] 'kind': missing required param/);
    ws.send(rpc('zv_unsubscribe', [5], 5));
    expect((await next()).error.message).toBe(`params[0] 'id': must be string`);
    ws.close();
  });

  it('limits subscriptions per socket', async () => {
    const { ws, next } = await rawSocket();
    for (let i = 1; i <= 2; i++) {
      ws.send(rpc('zv_subscribe', ['counter', 0], i));
      expect(typeof (await next()).result).toBe('string');
      await next(); // the first value
    }
    ws.send(rpc('zv_subscribe', ['counter', 0], 3));
    expect((await next()).error).toEqual({ code: ERR.LIMIT_EXCEEDED, message: 'too many subscriptions on this connection (limit 2)', data: { limit: 2 } });
    const before = stops;
    ws.close();
    await until(() => stops === before + 2);
  });

  it('works through RpcSocket, and closing the socket stops the feed', async () => {
    const socket = await RpcSocket.connect(server.wsUrl);
    const got: unknown[] = [];
    const before = stops;
    const id = await socket.subscribe('counter', [1], (r) => got.push(r));
    expect(typeof id).toBe('string');
    [...feeds.values()].at(-1)!({ n: 2 });
    expect(await socket.call('add', [40, 2])).toBe(42);
    await until(() => got.length === 2);
    expect(got).toEqual([{ n: 1 }, { n: 2 }]);
    await socket.close();
    await until(() => stops === before + 1);
  });

  it('stops every feed when the server closes', async () => {
    const s = await startRpcServer({ methods: {}, subscriptions, log: () => {} });
    let closedWith: number | undefined;
    const socket = await RpcSocket.connect(s.wsUrl, { onClose: (code) => (closedWith = code) });
    await socket.subscribe('counter', [0], () => {});
    const before = stops;
    await s.close();
    expect(stops).toBe(before + 1);
    await until(() => closedWith !== undefined);
    await expect(socket.call('add', [1, 2])).rejects.toThrow(/is closed/);
  });
});
