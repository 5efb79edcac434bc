// zv deploy | call | send | tx | logs | chain against a devnet served in this process, run as
// a user runs them (the real CLI in a child process), and zv.config.json networks.

import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Devnet } from '../node-lite/devnet/devnet.ts';
import { devnetMethods, devnetSubscriptions } from '../node-lite/devnet/rpc-methods.ts';
import { startRpcServer, type RpcServer } from '../node-lite/rpc/server.ts';
import { parseConfig } from './network.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ZV = join(ROOT, 'bin', 'zv.js');
const TOKEN = join(ROOT, 'examples', 'token.py');

function zv(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [ZV, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('zv commands against a devnet', () => {
  let dn: Devnet;
  let server: RpcServer;
  let url = '';
  let token = '';
  let bob = '';
  const project = mkdtempSync(join(tmpdir(), 'zv-project-'));

  beforeAll(async () => {
    dn = await Devnet.open({ dataDir: null });
    server = await startRpcServer({ methods: devnetMethods(dn), subscriptions: devnetSubscriptions(dn), port: 0 });
    url = server.url;
    bob = dn.accounts[1]!.address;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await dn?.close();
    rmSync(project, { recursive: true, force: true });
  });

  it('deploys a contract, sends a transaction, reads it back', async () => {
    const d = await zv(['deploy', TOKEN, '--args', '1000', '--network', url, '--json']);
    expect(d.code, d.stderr).toBe(0);
    const deployed = JSON.parse(d.stdout) as { address: string; contract: string; receipt: { status: string } };
    expect(deployed).toMatchObject({ contract: 'Token', receipt: { status: 'success' } });
    token = deployed.address;

    const s = await zv(['send', token, 'transfer', bob, '25', '--network', url]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/ok transfer → true/);
    expect(s.stdout).toMatch(/event Transfer/);
    const hash = /tx ([0-9a-f]{64})/.exec(s.stdout)![1]!;

    const c = await zv(['call', token, 'balance_of', bob, '--network', url]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim()).toBe('25');

    const t = await zv(['tx', hash, '--network', url, '--json']);
    expect(JSON.parse(t.stdout)).toMatchObject({ transaction: { status: 'included', method: 'transfer' }, receipt: { status: 'success', returnValue: true } });

    const l = await zv(['logs', '--address', token, '--event', 'Transfer', '--network', url, '--json']);
    const events = JSON.parse(l.stdout) as { fields: { amount: number } }[];
    expect(events.map((e) => e.fields.amount)).toEqual([1000, 25]);

    const ch = await zv(['chain', '--network', url]);
    expect(ch.code).toBe(0);
    expect(ch.stdout).toMatch(/chain 31337 \(devnet\), small preset/);
    expect(ch.stdout).toMatch(/miners 13 \(3 proposers, 10 verifiers\)/);
  }, 120_000);

  it('a revert exits 1 with its reason; bad input exits 2 naming what is wrong', async () => {
    const r = await zv(['send', token, 'transfer', bob, '999999', '--network', url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/reverted: insufficient balance/);
    const badAddress = await zv(['call', 'zvnope', 'balance_of', bob, '--network', url]);
    expect(badAddress.code).toBe(2);
    expect(badAddress.stderr).toMatch(/address: 'zvnope' is not an address/);
    const noMethod = await zv(['call', token, 'steal', '--network', url]);
    expect(noMethod.code).toBe(2);
    expect(noMethod.stderr).toMatch(/has no method 'steal'; it has: .*transfer/);
    const badArg = await zv(['send', token, 'transfer', bob, 'lots', '--network', url]);
    expect(badArg.code).toBe(2);
    expect(badArg.stderr).toMatch(/argument 'amount' \(int\)/);
    const arity = await zv(['deploy', TOKEN, '--network', url]);
    expect(arity.code).toBe(2);
    expect(arity.stderr).toMatch(/takes 1 argument/);
    const down = await zv(['chain', '--network', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
  }, 120_000);

  it('takes networks from zv.config.json and refuses unverified contracts where demanded', async () => {
    writeFileSync(join(project, 'zv.config.json'), JSON.stringify({ defaultNetwork: 'local', networks: { local: { url }, strict: { url, requireVerified: true } } }));
    mkdirSync(join(project, 'sub'));
    const viaDefault = await zv(['chain', '--json'], join(project, 'sub'));
    expect(viaDefault.code, viaDefault.stderr).toBe(0);
    expect(JSON.parse(viaDefault.stdout)).toMatchObject({ network: 'local', chainId: 31337 });
    const strict = await zv(['deploy', TOKEN, '--args', '1', '--network', 'strict'], project);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/network 'strict' accepts only verified contracts: no certificate for bytecode/);
    const unknown = await zv(['chain', '--network', 'mainnet'], project);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown network 'mainnet'.*defines devnet, local, strict/);
  }, 120_000);

  it('zv devnet on a port that is taken says so and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const r = await zv(['devnet', '--memory', '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`error: port ${port} is in use on 127\\.0\\.0\\.1`));
      expect(r.stderr).not.toMatch(/internal error|at .*\.ts:/);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 60_000);

  it('checks the config file strictly', () => {
    expect(() => parseConfig('zv.config.json', '{"networks": {"x": {"url": "ftp://a"}}}')).toThrow(/networks\.x\.url must be an http\(s\) URL/);
    expect(() => parseConfig('zv.config.json', '{"netwerks": {}}')).toThrow(/unknown key 'netwerks'/);
    expect(() => parseConfig('zv.config.json', '{"defaultNetwork": "nope"}')).toThrow(/defaultNetwork "nope" is not one of the networks/);
    expect(() => parseConfig('zv.config.json', '{')).toThrow(/not valid JSON/);
    expect(parseConfig('zv.config.json', '{"networks": {"t": {"url": "https://x.example", "requireVerified": true}}}').networks.t).toMatchObject({ requireVerified: true });
  });
});
