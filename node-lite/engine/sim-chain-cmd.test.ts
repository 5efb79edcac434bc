// `zv sim chain` as a user runs it: a real process, its output and its exit code.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ZV = join(ROOT, 'bin', 'zv.js');

function zv(args: string[]) {
  const r = spawnSync(process.execPath, [ZV, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' }, timeout: 120_000 });
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // never a stack trace
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('zv sim chain', () => {
  it('runs the small preset and reports a healthy chain', { timeout: 120_000 }, () => {
    const r = zv(['sim', 'chain', '--slots', '8', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ preset: 'small', nodes: 13, slots: 8, nodesOffTip: 0, invariants: [] });
    expect(summary.blocks).toBeGreaterThanOrEqual(6);
    expect(summary.messagesPerBlock).toBeGreaterThan(0);
  });

  it('runs a scenario file with faults, in text', { timeout: 120_000 }, () => {
    const r = zv(['sim', 'chain', '--scenario', 'node-lite/engine/scenarios/faulty-messages.json', '--slots', '6']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('faulty-messages: preset small, 13 nodes, 6 slots');
    expect(r.stdout).toMatch(/offences counted\s+[1-9]/);
    expect(r.stdout).toMatch(/invariants\s+hold/);
  });

  it('rejects bad usage and bad scenario files with exit code 2 and every problem', () => {
    expect(zv(['sim', 'chain', '--preset', 'huge']).stderr).toContain("--preset must be 'small' or 'seed'");
    expect(zv(['sim', 'chain', '--slots', '0']).code).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'zv-sim-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', preset: 'small', seed: 1, proposers: 3, verifiers: 4, slots: 5, behaviours: { m9: { evil: true } }, extra: 1 }));
    const r = zv(['sim', 'chain', '--scenario', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('extra: unknown field');
    expect(r.stderr).toContain('behaviours.m9: not a miner (m0..m6)');
    expect(r.stderr).toContain('behaviours.m9.evil');
    writeFileSync(bad, '{ not json');
    expect(zv(['sim', 'chain', '--scenario', bad]).stderr).toContain('not JSON');
    const events = join(dir, 'events.json');
    writeFileSync(events, JSON.stringify({ name: 'x', preset: 'small', seed: 1, proposers: 3, verifiers: 10, slots: 5, events: [{ at: 0, kind: 'crash', node: 'm99' }] }));
    const e = zv(['sim', 'chain', '--scenario', events]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain("unknown miner 'm99'");
  });
});
