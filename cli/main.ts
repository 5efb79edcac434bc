// The `zv` command line. Exit codes: 0 success, 1 diagnostics or revert, 2 usage errors.

import { Command, CommanderError } from 'commander';
import { COMPILER_VERSION } from '../compiler/index.ts';
import { compileCommand } from './compile-cmd.ts';
import { runCommand } from './run-cmd.ts';
import { demoCommand } from './demo.ts';
import { registerSimCommand } from './sim-cmd.ts';
import { registerKeysCommand } from './keys-cmd.ts';
import { registerDevnetCommand } from './devnet-cmd.ts';
import { registerChainCommands } from './chain-cmds.ts';
import { CliError, paint, useColor } from './output.ts';

async function main(argv: string[]): Promise<number> {
  const program = new Command();
  let code = 0;
  program
    .name('zv')
    .description('ZV contract toolchain: compile and run typed-Python contracts on the TVM')
    .version(COMPILER_VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(paint(useColor(process.stderr), 'red', str)) });

  program
    .command('compile')
    .description('compile a contract to a JSON artifact (bytecode, ABI, source map)')
    .argument('<file>', 'the contract source (.py)')
    .option('-o, --out <dir>', 'directory for the artifact', 'out')
    .option('--json', 'machine-readable output (diagnostics and artifact path)')
    .option('--emit <what>', "print an intermediate form instead of writing the artifact: 'ir' or 'asm' (TVM instructions)")
    .option('-O, --opt <level>', 'optimization level 0, 1 or 2', '2')
    .action((file: string, opts) => {
      code = compileCommand(file, opts);
    });

  program
    .command('run')
    .description('run a module-level function, or deploy the contract in memory and call a method')
    .argument('<file>', 'the contract source (.py)')
    .argument('[function]', "function or method to call (default: 'main' for modules; deploy only for contracts)")
    .argument('[args...]', 'arguments, parsed by the parameter types (JSON for lists, dicts, tuples, structs)')
    .option('--deploy <args>', 'constructor arguments: space-separated, or a JSON array')
    .option('--sender <address>', 'the caller (default: development account 0)')
    .option('--value <amount>', 'native coin sent with the call (payable methods)')
    .option('--gas <limit>', 'gas limit', '10000000')
    .option('--json', 'print {"result", "gas", "events", "logs"} or the revert as JSON')
    .action((file: string, fn: string | undefined, args: string[], opts) => {
      code = runCommand(file, fn, args, opts);
    });

  program
    .command('demo')
    .description('compile the example token and run a few calls on an in-memory chain')
    .action(() => {
      code = demoCommand();
    });

  registerSimCommand(program, (c) => { code = c; });
  registerKeysCommand(program, (c) => { code = c; });
  registerDevnetCommand(program, (c) => { code = c; });
  registerChainCommands(program, (c) => { code = c; });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    throw e;
  }
  return code;
}

async function run(): Promise<void> {
  let code: number;
  try {
    code = await main(process.argv.slice(2));
  } catch (e) {
    const c = useColor(process.stderr);
    if (e instanceof CliError) {
      process.stderr.write(`${paint(c, 'red', 'error:')} ${e.message}\n`);
      code = e.exitCode;
    } else {
      // An unexpected failure: one line, not a stack trace (ZV_DEBUG=1 shows it).
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`${paint(c, 'red', 'internal error:')} ${msg}\n`);
      if (process.env.ZV_DEBUG) process.stderr.write(String((e as Error).stack) + '\n');
      code = 1;
    }
  }
  process.exitCode = code;
}

void run();
