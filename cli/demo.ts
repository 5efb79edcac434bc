// `zv demo` (what `npm start` runs until the devnet exists): compiles the example token,
// deploys it on an in-memory chain and makes a few calls, showing what the toolchain does.

import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { MemoryHost, callMethod, deploy, pyRepr, type ExecResult } from '../tvm/index.ts';
import { compileFile, formatDiagnostics } from './project.ts';
import { devAccount } from './run-cmd.ts';
import { paint, useColor } from './output.ts';

export function demoCommand(): number {
  const c = useColor();
  const file = relative(process.cwd(), fileURLToPath(new URL('../examples/token.py', import.meta.url)));
  const say = (s: string) => process.stdout.write(s + '\n');
  say(paint(c, 'bold', 'ZV toolchain demo') + ' — typed-Python contract → TVM bytecode → in-memory chain\n');

  const t0 = performance.now();
  const res = compileFile(file);
  const ms = (performance.now() - t0).toFixed(1);
  if (!res.ok || !res.bytecode || !res.artifact) {
    process.stderr.write(formatDiagnostics(res, useColor(process.stderr)) + '\n');
    return 1;
  }
  const art = res.artifact;
  say(`${paint(c, 'green', 'compiled')} ${file} in ${ms} ms: contract ${art.contract}, ${art.stats.bytes} bytes, ` +
    `methods ${art.abi.methods.map((m) => m.name).join(', ')}`);

  const [alice, bob, carol] = [devAccount(0), devAccount(1), devAccount(2)];
  const host = new MemoryHost({ balances: { [alice]: 10n ** 24n, [bob]: 10n ** 24n } });
  const d = deploy(host, res.bytecode, [1_000_000], { sender: alice, gasLimit: 10_000_000 });
  if (!d.ok || !d.address) {
    say(`deploy reverted: ${(d as { reason?: string }).reason}`);
    return 1;
  }
  say(`${paint(c, 'green', 'deployed')} at ${d.address} (gas ${d.gasUsed}); alice holds the supply of 1000000\n`);

  const show = (label: string, r: ExecResult) => {
    if (r.ok) {
      const events = r.events.map((e) => `${e.name}(${e.fields.map((f) => `${f.name}=${short(pyRepr(f.type, f.value))}`).join(', ')})`);
      say(`  ${label.padEnd(44)} → ${pyRepr(r.returnType, r.value)}  ${paint(c, 'gray', `gas ${r.gasUsed}`)}`);
      for (const e of events) say(`      ${paint(c, 'cyan', 'event')} ${e}`);
    } else {
      say(`  ${label.padEnd(44)} → ${paint(c, 'red', `reverted: ${r.reason}`)}  ${paint(c, 'gray', `gas ${r.gasUsed}`)}`);
    }
    for (const l of r.logs) say(`      ${paint(c, 'magenta', 'log')} ${l.message}`);
  };
  const call = (from: string, method: string, args: unknown[]) =>
    callMethod(host, d.address!, method, args, { sender: from, gasLimit: 1_000_000 });

  show('alice: transfer(bob, 250)', call(alice, 'transfer', [bob, 250]));
  show('bob: approve(carol, 100)', call(bob, 'approve', [carol, 100]));
  show('carol: transfer_from(bob, carol, 60)', call(carol, 'transfer_from', [bob, carol, 60]));
  show('carol: transfer_from(bob, carol, 60) again', call(carol, 'transfer_from', [bob, carol, 60]));
  show('balance_of(alice)', call(alice, 'balance_of', [alice]));
  show('balance_of(bob)', call(alice, 'balance_of', [bob]));
  show('balance_of(carol)', call(alice, 'balance_of', [carol]));
  say(`\nNext: ${paint(c, 'bold', `npx zv run examples/token.py balance_of ${alice} --deploy 1000`)} (see README.md)`);
  return 0;
}

function short(s: string): string {
  return s.length > 20 && /^'?zv/.test(s.replace(/^Address\(/, '')) ? s.replace(/(zv[0-9a-f]{6})[0-9a-f]{52}([0-9a-f]{6})/, '$1…$2') : s;
}
