// `zv keys new|list|import|export`: account keys in encrypted keystore files (cli/keystore.ts).
// The password comes from $ZV_PASSWORD (CI) or a prompt on the terminal without echo.

import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { AccountKey, KeyError } from '../node-lite/chain/keys.ts';
import { findKey, keystoreDir, listKeys, loadKey, saveKey } from './keystore.ts';
import { CliError, toJson } from './output.ts';

interface KeysOptions {
  keystore?: string;
  json?: boolean;
  name?: string;
  seedHex?: string;
  seedFile?: string;
  showSecret?: boolean;
}

export function registerKeysCommand(program: Command, setCode: (code: number) => void): void {
  const keys = program
    .command('keys')
    .description('account keys in encrypted keystore files (password from $ZV_PASSWORD or a prompt)')
    .action(() => {
      process.stderr.write(keys.helpInformation());
      setCode(2);
    });
  const common = (c: Command): Command => c.option('--keystore <dir>', 'keystore folder (default $ZV_KEYSTORE or ~/.zv/keystore)').option('--json', 'print JSON');
  common(keys.command('new').description('create a key and store it encrypted').option('--name <name>', 'a name to find the key by')).action((o: KeysOptions) => setCode(keysNew(o)));
  common(keys.command('list').description('the keys of the keystore (no password needed)')).action((o: KeysOptions) => setCode(keysList(o)));
  common(
    keys
      .command('import')
      .description('store an existing 32-byte Ed25519 private key')
      .option('--seed-hex <hex>', 'the private key as 64 hex digits')
      .option('--seed-file <file>', 'a file holding the private key as 64 hex digits')
      .option('--name <name>', 'a name to find the key by'),
  ).action((o: KeysOptions) => setCode(keysImport(o)));
  common(keys.command('export').argument('<address-or-name>').description('print a key: its address and public key, or with --show-secret its private key').option('--show-secret', 'decrypt and print the private key')).action((who: string, o: KeysOptions) =>
    setCode(keysExport(who, o)),
  );
}

function keysNew(o: KeysOptions): number {
  const dir = keystoreDir(o.keystore);
  const password = askPassword(true);
  const key = AccountKey.generate();
  const file = saveKey(dir, key, password, o.name);
  print(o, { address: key.address, publicKey: hex(key.publicKey), name: o.name ?? null, file }, `${key.address}\n  saved in ${file}`);
  return 0;
}

function keysList(o: KeysOptions): number {
  const dir = keystoreDir(o.keystore);
  const keys = listKeys(dir, (file, why) => process.stderr.write(`warning: skipped ${file}: ${why}\n`));
  const text = keys.length === 0 ? `no keys in ${dir}` : keys.map((k) => `${k.address}${k.name ? `  ${k.name}` : ''}`).join('\n');
  print(o, { keystore: dir, keys }, text);
  return 0;
}

function keysImport(o: KeysOptions): number {
  if ((o.seedHex === undefined) === (o.seedFile === undefined)) throw new CliError('give exactly one of --seed-hex HEX or --seed-file FILE', 2);
  let text = o.seedHex;
  if (o.seedFile !== undefined) {
    try {
      text = readFileSync(o.seedFile, 'utf8').trim();
    } catch (e) {
      throw new CliError(`cannot read ${o.seedFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
    }
  }
  const clean = text!.replace(/^0x/, '');
  if (!/^[0-9a-fA-F]{64}$/.test(clean)) throw new CliError('a private key is 64 hex digits (32 bytes)', 2);
  let key: AccountKey;
  try {
    key = AccountKey.fromSeed(new Uint8Array(Buffer.from(clean, 'hex')));
  } catch (e) {
    if (e instanceof KeyError) throw new CliError(e.message, 2);
    throw e;
  }
  const dir = keystoreDir(o.keystore);
  const password = askPassword(true);
  const file = saveKey(dir, key, password, o.name);
  print(o, { address: key.address, publicKey: hex(key.publicKey), name: o.name ?? null, file }, `${key.address}\n  saved in ${file}`);
  return 0;
}

function keysExport(who: string, o: KeysOptions): number {
  const dir = keystoreDir(o.keystore);
  const entry = findKey(dir, who);
  if (!o.showSecret) {
    print(o, { address: entry.address, publicKey: entry.publicKey, name: entry.name }, `address     ${entry.address}\npublic key  ${entry.publicKey}`);
    return 0;
  }
  const key = loadKey(dir, who, askPassword(false));
  process.stderr.write('warning: this is the private key; anyone who has it controls the account\n');
  print(o, { address: key.address, publicKey: hex(key.publicKey), privateKey: hex(key.seed) }, hex(key.seed));
  return 0;
}

function print(o: KeysOptions, json: unknown, text: string): void {
  process.stdout.write((o.json ? toJson(json) : text) + '\n');
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** $ZV_PASSWORD, else a prompt on the terminal without echo (twice when creating). */
export function askPassword(confirm: boolean): string {
  const env = process.env.ZV_PASSWORD;
  if (env !== undefined) {
    if (env.length === 0) throw new CliError('ZV_PASSWORD is empty', 2);
    return env;
  }
  // Prompt only when the user is at a terminal: a script or CI with piped input gets the error.
  let tty: number;
  try {
    if (!process.stdin.isTTY) throw new Error('not a terminal');
    tty = openSync('/dev/tty', 'r+');
  } catch {
    throw new CliError('no password: set ZV_PASSWORD or run in a terminal', 2);
  }
  try {
    const first = prompt(tty, 'password: ');
    if (first.length === 0) throw new CliError('an empty password is not allowed', 2);
    if (confirm && prompt(tty, 'again: ') !== first) throw new CliError('the passwords differ', 2);
    return first;
  } finally {
    closeSync(tty);
  }
}

function prompt(tty: number, question: string): string {
  writeSync(tty, question);
  spawnSync('stty', ['-echo'], { stdio: [tty, 'ignore', 'ignore'] });
  try {
    const buf = Buffer.alloc(1);
    let line = '';
    while (readSync(tty, buf, 0, 1, null) === 1 && buf[0] !== 0x0a && buf[0] !== 0x0d) line += buf.toString('utf8');
    return line;
  } finally {
    spawnSync('stty', ['echo'], { stdio: [tty, 'ignore', 'ignore'] });
    writeSync(tty, '\n');
  }
}
