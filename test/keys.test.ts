// `zv keys` as a user runs it: real processes, a temporary keystore, ZV_PASSWORD for the password.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountKey } from '../node-lite/chain/keys.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ZV = join(ROOT, 'bin', 'zv.js');

function zv(args: string[], env: Record<string, string | undefined> = {}) {
  const merged: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ZV_SCRYPT_N: '1024', ZV_PASSWORD: 'correct horse', ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  // stdin is a pipe, not a terminal: the CLI never prompts.
  const r = spawnSync(process.execPath, [ZV, ...args], { cwd: ROOT, encoding: 'utf8', env: merged, timeout: 60_000 });
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('zv keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zv-keys-'));
  const ks = ['--keystore', dir];

  it('creates a key, lists it, exports it with and without the secret', () => {
    const created = zv(['keys', 'new', '--name', 'deployer', '--json', ...ks]);
    expect(created.code).toBe(0);
    const { address, file } = JSON.parse(created.stdout);
    expect(address).toMatch(/^zv[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(zv(['keys', 'list', '--json', ...ks]).stdout).keys).toEqual([expect.objectContaining({ address, name: 'deployer' })]);
    const pub = JSON.parse(zv(['keys', 'export', 'deployer', '--json', ...ks]).stdout);
    expect(pub).toEqual({ address, publicKey: expect.stringMatching(/^[0-9a-f]{64}$/), name: 'deployer' });
    const secret = zv(['keys', 'export', address, '--show-secret', '--json', ...ks]);
    expect(secret.stderr).toContain('private key');
    const seed = JSON.parse(secret.stdout).privateKey;
    expect(AccountKey.fromSeed(new Uint8Array(Buffer.from(seed, 'hex'))).address).toBe(address);
  });

  it('imports a known private key under its address, once', () => {
    const seed = '11'.repeat(32);
    const expected = AccountKey.fromSeed(new Uint8Array(Buffer.from(seed, 'hex'))).address;
    const r = zv(['keys', 'import', '--seed-hex', seed, '--json', ...ks]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).address).toBe(expected);
    const again = zv(['keys', 'import', '--seed-hex', seed, ...ks]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds');
    const file = join(dir, 'seed.txt');
    writeFileSync(file, '22'.repeat(32) + '\n');
    expect(zv(['keys', 'import', '--seed-file', file, ...ks]).code).toBe(0);
    expect(zv(['keys', 'import', '--seed-hex', 'abc', ...ks]).code).toBe(2);
  });

  it('refuses a wrong password and a tampered file without a stack trace', () => {
    const seed = '33'.repeat(32);
    const { address, file } = JSON.parse(zv(['keys', 'import', '--seed-hex', seed, '--json', ...ks]).stdout);
    const wrong = zv(['keys', 'export', address, '--show-secret', ...ks], { ZV_PASSWORD: 'battery staple' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('wrong password or corrupted keystore');
    const original = JSON.parse(readFileSync(file, 'utf8'));
    const flipped = { ...original, crypto: { ...original.crypto, ciphertext: (original.crypto.ciphertext[0] === '0' ? '1' : '0') + original.crypto.ciphertext.slice(1) } };
    writeFileSync(file, JSON.stringify(flipped));
    expect(zv(['keys', 'export', address, '--show-secret', ...ks]).stderr).toContain('wrong password or corrupted keystore');
    // Claiming another address: the authenticated data no longer matches.
    const other = AccountKey.fromLabel('other').address;
    writeFileSync(join(dir, `${other}.json`), JSON.stringify({ ...original, address: other }));
    writeFileSync(file, JSON.stringify(original));
    expect(zv(['keys', 'export', other, '--show-secret', ...ks]).code).toBe(1);
    writeFileSync(join(dir, 'junk.json'), '{ nope');
    expect(zv(['keys', 'list', ...ks]).stderr).toContain('skipped');
  });

  it('without ZV_PASSWORD and without a terminal, says how to give one (exit 2)', () => {
    const r = zv(['keys', 'new', ...ks], { ZV_PASSWORD: undefined });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no password: set ZV_PASSWORD or run in a terminal');
  });
});
