// The `zv` command as a user runs it: a real process, its output and its exit code.

import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const ZV = join(ROOT, 'bin', 'zv.js');
const BOB = 'zv' + '1'.repeat(64);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function zv(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [ZV, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function noStackTrace(r: Run): void {
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'zv-cli-'));
});

describe('zv compile', () => {
  it('writes an artifact with bytecode, ABI and source map', () => {
    const r = zv(['compile', 'examples/token.py', '-o', tmp]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('compiled Token');
    const art = JSON.parse(readFileSync(join(tmp, 'Token.json'), 'utf8'));
    expect(art.format).toBe('zv-artifact/1');
    expect(art.bytecode).toMatch(/^0x[0-9a-f]+$/);
    expect(art.abi.methods.map((m: { name: string }) => m.name)).toContain('transfer');
    expect(art.abi.methods.find((m: { name: string }) => m.name === 'balance_of').view).toBe(true);
    expect(art.sourceMap.functions.length).toBeGreaterThan(0);
    expect(art.compiler.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('reports every error with code, location, source line and caret, exit 1', () => {
    const file = join(tmp, 'bad.py');
    writeFileSync(file, 'def f(x: int) -> int:\n    y = x / 2\n    return undefined_name\n');
    const r = zv(['compile', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[E0402]');
    expect(r.stderr).toContain('error[E0201]');
    expect(r.stderr).toMatch(/bad\.py:2:11/);
    expect(r.stderr).toContain('    y = x / 2');
    expect(r.stderr).toMatch(/\^/);
    expect(r.stderr).toContain('2 errors');
    expect(r.stderr).not.toContain('\x1b['); // NO_COLOR
    noStackTrace(r);
  });

  it('--json gives machine-readable diagnostics', () => {
    const file = join(tmp, 'bad2.py');
    writeFileSync(file, 'def f() -> int:\n    return 1.5\n');
    const r = zv(['compile', file, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.diagnostics[0]).toMatchObject({ code: 'E0403', severity: 'error', span: { line: 2, col: 12 } });
  });

  it('--emit ir prints the IR', () => {
    const r = zv(['compile', 'examples/token.py', '--emit', 'ir']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fn Token\.transfer\(to: Address, amount: int\) -> bool/);
  });

  it('--emit asm lists the TVM instructions with resolved operands', () => {
    const r = zv(['compile', 'examples/token.py', '--emit', 'asm']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fn \d+ Token\.transfer {2}params 2, registers \d+$/m);
    expect(r.stdout).toMatch(/SLOAD\s+r\d+ balances \(r\d+\)/);
    expect(r.stdout).toMatch(/REVERT/);
  });

  it('missing files, directories and binary files are clear errors', () => {
    for (const [arg, msg] of [['nope.py', 'no such file'], ['examples', 'is a directory']] as const) {
      const r = zv(['compile', arg]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(msg);
      noStackTrace(r);
    }
    const bin = join(tmp, 'bin.py');
    writeFileSync(bin, Buffer.from([0, 1, 2, 255, 0]));
    const r = zv(['compile', bin]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('binary file');
  });
});

describe('zv run', () => {
  it('deploys and calls a method, printing result, events and gas', () => {
    const r = zv(['run', 'examples/token.py', 'transfer', BOB, '10', '--deploy', '1000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('result    True');
    expect(r.stdout).toMatch(/event\s+Transfer\(sender=Address\('zv[0-9a-f]{64}'\), to=Address\('zv1{64}'\), amount=10\)/);
    expect(r.stdout).toMatch(/gas\s+\d+/);
  });

  it('--json gives result, gas, events and logs', () => {
    const r = zv(['run', 'examples/token.py', 'transfer', BOB, '10', '--deploy', '1000', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.result).toBe(true);
    expect(out.gas).toBeGreaterThan(0);
    expect(out.events).toEqual([{ name: 'Transfer', fields: { sender: expect.stringMatching(/^zv/), to: BOB, amount: 10 } }]);
    expect(out.logs).toEqual([]);
  });

  it('a revert exits 1 with its reason and source line', () => {
    const r = zv(['run', 'examples/token.py', 'transfer', BOB, '5000', '--deploy', '1000']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/reverted\s+insufficient balance at examples\/token\.py:\d+:\d+/);
    const j = zv(['run', 'examples/token.py', 'transfer', BOB, '5000', '--deploy', '1000', '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ reverted: true, reason: 'insufficient balance', location: { file: 'examples/token.py' } });
  });

  it('runs module-level functions and shows the print log', () => {
    const file = join(tmp, 'mod.py');
    writeFileSync(file, 'def greet(name: str, n: int) -> str:\n    print("hello", name)\n    return name * n\n\ndef main() -> int:\n    return -7 // 2\n');
    const r = zv(['run', file, 'greet', 'ab', '3', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'ababab', logs: ['hello ab'] });
    const m = zv(['run', file]);
    expect(m.code).toBe(0);
    expect(m.stdout).toContain('result    -4');
  });

  it('a payable method receives --value; a non-payable one reverts', () => {
    const file = join(tmp, 'pay.py');
    writeFileSync(file, [
      'from zvchain import Contract, public, payable, view, msg',
      'class Jar(Contract):',
      '    total: int',
      '    @payable',
      '    def put(self) -> int:',
      '        self.total += msg.value',
      '        return self.balance',
      '    @public',
      '    def poke(self) -> int:',
      '        return 1',
      '',
    ].join('\n'));
    const ok = zv(['run', file, 'put', '--value', '25', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).result).toBe(25);
    const bad = zv(['run', file, 'poke', '--value', '25', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).reason).toBe('method is not payable');
  });

  it('usage errors exit 2 with one clear line', () => {
    const cases: [string[], RegExp][] = [
      [['run', 'examples/token.py', 'transfer', 'zvbad', '1', '--deploy', '1000'], /argument 'to' \(Address\)/],
      [['run', 'examples/token.py', 'nosuch', '--deploy', '1000'], /'nosuch' is not a public method/],
      [['run', 'examples/token.py', 'transfer', BOB, '1'], /constructor .* takes 1 argument/],
      [['run', 'examples/token.py', 'transfer', BOB, '--deploy', '1000'], /takes 2 arguments, 1 given/],
      [['run', 'examples/token.py', 'balance_of', BOB, '--deploy', '1000', '--gas', 'lots'], /--gas takes a positive integer/],
      [['frobnicate'], /unknown command/],
      [['compile', 'examples/token.py', '--emit', 'wasm'], /--emit takes 'ir' or 'asm'/],
      [['compile', 'examples/token.py', '-O', '7'], /-O takes 0, 1 or 2/],
    ];
    for (const [args, msg] of cases) {
      const r = zv(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      noStackTrace(r);
    }
  });

  it('compile errors in zv run exit 1 with diagnostics', () => {
    const file = join(tmp, 'broken.py');
    writeFileSync(file, 'def main() -> int\n    return 1\n');
    const r = zv(['run', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[E00\d\d\]/);
    expect(r.stderr).toContain("expected ':'");
  });
});

describe('zv basics', () => {
  it('--version and --help', () => {
    const v = zv(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const cmd of [[], ['compile'], ['run']]) {
      const h = zv([...cmd, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain('Usage: zv');
    }
  });

  it('colours only when forced or on a terminal, never with NO_COLOR', () => {
    const plain = zv(['run', 'examples/token.py', 'balance_of', BOB, '--deploy', '1000']);
    expect(plain.stdout).not.toContain('\x1b[');
    const forced = zv(['run', 'examples/token.py', 'balance_of', BOB, '--deploy', '1000'], { NO_COLOR: '', FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\x1b[');
  });

  it('npm start (zv demo) compiles and runs the example token', () => {
    const r = zv(['demo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deployed at zv');
    expect(r.stdout).toContain('reverted: insufficient allowance');
    expect(r.stdout).toMatch(/balance_of\(carol\)\s+→ 60/);
    expect(existsSync(join(ROOT, 'examples', 'token.py'))).toBe(true);
  });
});
