import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcCallError, RpcClient, RpcSocket, toWireJson } from './client.ts';
import { ERR, RpcError, type RpcMethod } from './schema.ts';
import { startRpcServer, type RpcServer } from './server.ts';

const int = { type: 'integer' };
const seen: unknown[] = [];

const methods: Record<string, RpcMethod> = {
  add: { description: 'a + b', params: [{ name: 'a', schema: int }, { name: 'b', schema: int }], handler: ([a, b]) => (a as number) + (b as number) },
  echo: { description: 'returns x', params: [{ name: 'x', schema: {} }], handler: ([x]) => x },
  amount: { description: 'a decimal amount', params: [{ name: 'v', schema: { type: 'string', pattern: '^[0-9]+$' } }], handler: ([v]) => BigInt(v as string) * 2n },
  boom: {
    description: 'crashes',
    params: [],
    handler: () => {
      throw new Error('kaboom');
    },
  },
  refuse: {
    description: 'fails on purpose',
    params: [],
    handler: () => {
      throw new RpcError(ERR.TX_REJECTED, 'nonce too low', { expected: 3 });
    },
  },
  note: { description: 'records x', params: [{ name: 'x', schema: {} }], handler: ([x]) => void seen.push(x) },
  hang: { description: 'never answers', params: [], handler: () => new Promise(() => {}) },
};

let server: RpcServer;
let client: RpcClient;

beforeAll(async () => {
  server = await startRpcServer({ methods, maxBatch: 3, log: () => {} });
  client = new RpcClient(server.url, { timeoutMs: 2000 });
});
afterAll(() => server.close());

/** A URL on which nothing listens: a server's port just after it closed. */
async function deadPort(): Promise<number> {
  const s = await startRpcServer({ methods: {}, log: () => {} });
  await s.close();
  return s.port;
}

describe('RpcClient', () => {
  it('returns results, by position and by name', async () => {
    expect(await client.call<number>('add', [1, 2])).toBe(3);
    expect(await client.call<number>('add', { a: 5, b: 6 })).toBe(11);
    expect(await client.call('echo', [{ nested: [1, 'two'] }])).toEqual({ nested: [1, 'two'] });
  });

  it('sends bigint as a decimal string and bytes as hex, as the server answers', async () => {
    expect(await client.call('amount', [12345678901234567890n])).toBe('24691357802469135780');
    expect(await client.call('echo', [Uint8Array.of(1, 255)])).toBe('0x01ff');
  });

  it('throws RpcCallError with code, message and data', async () => {
    const err = (await client.call('amount', ['1.5']).catch((e: unknown) => e)) as RpcCallError;
    expect(err).toBeInstanceOf(RpcCallError);
    expect(err.code).toBe(ERR.INVALID_PARAMS);
    expect(err.message).toBe(`params[0] 'v': must match pattern "^[0-9]+$"`);
    expect(err.data).toEqual([{ index: 0, param: 'v', path: '', message: 'must match pattern "^[0-9]+$"' }]);
    expect(err.method).toBe('amount');
    await expect(client.call('refuse')).rejects.toMatchObject({ code: ERR.TX_REJECTED, message: 'nonce too low', data: { expected: 3 } });
    await expect(client.call('boom')).rejects.toMatchObject({ code: ERR.INTERNAL, message: 'internal error' });
    await expect(client.call('nope')).rejects.toMatchObject({ code: ERR.METHOD_NOT_FOUND });
  });

  it('batches, with each slot a result or an RpcCallError in call order', async () => {
    const out = await client.batch([
      { method: 'add', params: [1, 1] },
      { method: 'boom' },
      { method: 'echo', params: { x: 'y' } },
    ]);
    expect(out[0]).toBe(2);
    expect(out[1]).toBeInstanceOf(RpcCallError);
    expect((out[1] as RpcCallError).code).toBe(ERR.INTERNAL);
    expect(out[2]).toBe('y');
    expect(await client.batch([])).toEqual([]);
  });

  it('throws the batch-wide error of a batch over the limit', async () => {
    const calls = Array.from({ length: 4 }, () => ({ method: 'add', params: [1, 1] }));
    await expect(client.batch(calls)).rejects.toMatchObject({ code: ERR.LIMIT_EXCEEDED, message: 'batch of 4 requests exceeds the limit of 3' });
  });

  it('sends notifications', async () => {
    await client.notify('note', ['hello']);
    expect(seen).toContain('hello');
  });

  it('throws params that are not JSON back at the caller, without sending', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(client.call('echo', [cyclic])).rejects.toThrow(TypeError);
  });

  it('says it cannot reach a server that is not there', async () => {
    const port = await deadPort();
    const dead = new RpcClient(`http://127.0.0.1:${port}`);
    await expect(dead.call('add', [1, 2])).rejects.toThrow(new RegExp(`^cannot reach http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });

  it('gives up after its timeout', async () => {
    const slow = new RpcClient(server.url, { timeoutMs: 100 });
    await expect(slow.call('hang')).rejects.toThrow(`cannot reach ${server.url}: no answer within 100 ms`);
  });

  it('reports a reply that is not JSON-RPC', async () => {
    const notRpc = new RpcClient(`${server.url}/elsewhere`);
    // 404 from the server still carries a JSON-RPC error body.
    await expect(notRpc.call('add', [1, 2])).rejects.toMatchObject({ code: ERR.INVALID_REQUEST });
  });
});

describe('RpcSocket', () => {
  it('calls over WebSocket and throws RpcCallError for errors', async () => {
    const socket = await RpcSocket.connect(server.wsUrl);
    try {
      const [a, b] = await Promise.all([socket.call('add', [1, 2]), socket.call('echo', { x: 'z' })]);
      expect([a, b]).toEqual([3, 'z']);
      await expect(socket.call('add', [1])).rejects.toMatchObject({ code: ERR.INVALID_PARAMS, message: `params[1] 'b': missing required param` });
    } finally {
      await socket.close();
    }
  });

  it('says it cannot reach a server that is not there', async () => {
    const port = await deadPort();
    await expect(RpcSocket.connect(`ws://127.0.0.1:${port}`)).rejects.toThrow(new RegExp(`^cannot reach ws://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });

  it('fails pending calls when the connection drops', async () => {
    const s = await startRpcServer({ methods, log: () => {} });
    const socket = await RpcSocket.connect(s.wsUrl, { onClose: () => {} });
    const pending = socket.call('hang');
    await new Promise((r) => setTimeout(r, 20));
    await s.close();
    await expect(pending).rejects.toThrow(/^connection to ws:\/\/127\.0\.0\.1:\d+ closed \(code 1006\) before 'hang' was answered$/);
  });

  it('times a call out', async () => {
    const socket = await RpcSocket.connect(server.wsUrl, { timeoutMs: 50 });
    try {
      await expect(socket.call('hang')).rejects.toThrow(`no answer to 'hang' from ${server.wsUrl} within 50 ms`);
    } finally {
      await socket.close();
    }
  });
});

describe('toWireJson', () => {
  it('writes bigint as decimal, bytes and Buffers as 0x-hex, undefined as null', () => {
    expect(toWireJson({ a: -5n, b: Uint8Array.of(0, 16), c: Buffer.from('hi'), d: [1n], e: undefined })).toBe('{"a":"-5","b":"0x0010","c":"0x6869","d":["1"]}');
    expect(toWireJson(undefined)).toBe('null');
    expect(toWireJson(new Uint8Array(0))).toBe('"0x"');
  });
});
