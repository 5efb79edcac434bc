// `zv sim security` as a user runs it: a real process, its output and its exit code.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ZV = join(ROOT, 'bin', 'zv.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function zv(args: string[]): Run {
  const r = spawnSync(process.execPath, [ZV, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function noStackTrace(r: Run): void {
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
}

describe('zv sim security', () => {
  it('prints the paper tables beside the closed forms and the simulations (default trials)', () => {
    const r = zv(['sim', 'security']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // Table 2.2: the paper's x = 0.5 row, reproduced and matched.
    expect(r.stdout).toMatch(/^\s*0\.5\s+0\.01071\s+0\.01071\s+yes\s+0\.01074\s+0\.01\d+ \[/m);
    expect(r.stdout).toMatch(/^\s*0\.95\s+0\.914\s+0\.9139\s+yes/m);
    expect(r.stdout).not.toMatch(/\bNO\b/);
    expect(r.stdout).toContain('90% victims needs x >= 94.55% of the nodes');
    // Table 2.3 and the depth bounds.
    expect(r.stdout).toMatch(/^\s*3\s+> 33%\s+> 33\.33%$/m);
    expect(r.stdout).toMatch(/^2\s+0\.6\s+1\.20\s+H <= 79\s/m);
    expect(r.stdout).toContain('P[success] reverting H = 100 blocks');
  });

  it('is reproducible from its seed, and the seed matters', () => {
    const a = zv(['sim', 'security', '--trials', '300', '--seed', '42', '--json']);
    const b = zv(['sim', 'security', '--trials', '300', '--seed', '42', '--json']);
    const c = zv(['sim', 'security', '--trials', '300', '--seed', 'other', '--json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const ja = JSON.parse(a.stdout);
    const jc = JSON.parse(c.stdout);
    expect(ja.seed).toBe(42);
    expect(jc.seed).toBe('other');
    expect(ja.victim.trials).toBe(300);
    expect(ja.longRange.trials).toBe(300);
    expect(ja.victim.rows.map((r: { sim: { hits: number } }) => r.sim.hits))
      .not.toEqual(jc.victim.rows.map((r: { sim: { hits: number } }) => r.sim.hits));
    // The closed forms do not depend on the seed.
    expect(ja.victim.rows.map((r: { exact: number }) => r.exact)).toEqual(jc.victim.rows.map((r: { exact: number }) => r.exact));
    const row = ja.victim.rows.find((r: { x: number }) => r.x === 0.8);
    expect(row).toMatchObject({ paper: '0.3757', paperMatches: true });
    expect(ja.longRange.rows).toHaveLength(12);
  });

  it('exits 2 on bad flags, with one line and no stack trace', () => {
    for (const args of [
      ['sim', 'security', '--trials', '0'],
      ['sim', 'security', '--trials', 'many'],
      ['sim', 'security', '--trials', '99999999'],
      ['sim', 'security', '--seed', ''],
      ['sim', 'security', '--bogus'],
      ['sim', 'nope'],
      ['sim'],
    ]) {
      const r = zv(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      noStackTrace(r);
    }
    expect(zv(['sim', 'security', '--trials', '0']).stderr).toContain('error: --trials must be an integer');
  });

  it('has --help', () => {
    const r = zv(['sim', 'security', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--trials <n>');
    expect(r.stdout).toContain('--seed <s>');
    expect(r.stdout).toContain('--json');
  });
});
