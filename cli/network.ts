// Networks and signers for the commands that talk to a node (deploy, call, send, tx, logs,
// chain). Networks live in the project's zv.config.json (found in the current folder or a
// parent); `--network` takes a name from it or a URL. Without a config the devnet on
// 127.0.0.1:8545 is the default network.
//
//   {
//     "defaultNetwork": "devnet",
//     "networks": {
//       "devnet":  { "url": "http://127.0.0.1:8545" },
//       "testnet": { "url": "https://rpc.example.org", "requireVerified": true, "from": "deployer" }
//     }
//   }

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AccountKey } from '../node-lite/chain/keys.ts';
import { RpcCallError, RpcClient } from '../node-lite/rpc/client.ts';
import { askPassword } from './keys-cmd.ts';
import { keystoreDir, loadKey } from './keystore.ts';
import { CliError } from './output.ts';

export const CONFIG_FILE = 'zv.config.json';
export const DEFAULT_NETWORK_URL = 'http://127.0.0.1:8545';

export interface NetworkConfig {
  readonly name: string;
  readonly url: string;
  /** Contracts deployed here must carry a verifier certificate (see checkVerified). */
  readonly requireVerified: boolean;
  /** The default signer: a keystore name or address. */
  readonly from?: string;
}

export interface ProjectConfig {
  readonly file: string | null;
  readonly defaultNetwork: string;
  readonly networks: Readonly<Record<string, NetworkConfig>>;
}

/** Finds and checks zv.config.json from `start` upwards; the built-in devnet when there is none. */
export function loadConfig(start = process.cwd()): ProjectConfig {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_FILE);
    if (existsSync(file)) return parseConfig(file, readFileSync(file, 'utf8'));
    if (dirname(dir) === dir) break;
  }
  return { file: null, defaultNetwork: 'devnet', networks: { devnet: { name: 'devnet', url: DEFAULT_NETWORK_URL, requireVerified: false } } };
}

export function parseConfig(file: string, text: string): ProjectConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file}: not valid JSON (${(e as Error).message})`, 2);
  }
  const bad = (what: string): never => {
    throw new CliError(`${file}: ${what}`, 2);
  };
  if (!isObject(raw)) bad('the config must be a JSON object');
  const cfg = raw as Record<string, unknown>;
  for (const k of Object.keys(cfg)) if (k !== 'defaultNetwork' && k !== 'networks' && k !== '$schema') bad(`unknown key '${k}' (allowed: defaultNetwork, networks)`);
  const networks: Record<string, NetworkConfig> = { devnet: { name: 'devnet', url: DEFAULT_NETWORK_URL, requireVerified: false } };
  if (cfg.networks !== undefined) {
    if (!isObject(cfg.networks)) bad("'networks' must be an object of name → { url, requireVerified?, from? }");
    for (const [name, n] of Object.entries(cfg.networks as Record<string, unknown>)) {
      if (!/^[A-Za-z0-9_-]{1,40}$/.test(name)) bad(`network name '${name}' must be 1-40 letters, digits, '-' or '_'`);
      if (!isObject(n)) bad(`networks.${name} must be an object { url, requireVerified?, from? }`);
      const o = n as Record<string, unknown>;
      for (const k of Object.keys(o)) if (!['url', 'requireVerified', 'from'].includes(k)) bad(`networks.${name}: unknown key '${k}' (allowed: url, requireVerified, from)`);
      if (typeof o.url !== 'string' || !isHttpUrl(o.url)) bad(`networks.${name}.url must be an http(s) URL, got ${JSON.stringify(o.url)}`);
      if (o.requireVerified !== undefined && typeof o.requireVerified !== 'boolean') bad(`networks.${name}.requireVerified must be true or false`);
      if (o.from !== undefined && typeof o.from !== 'string') bad(`networks.${name}.from must be a keystore name or address`);
      networks[name] = { name, url: o.url as string, requireVerified: o.requireVerified === true, ...(o.from ? { from: o.from as string } : {}) };
    }
  }
  const def = cfg.defaultNetwork ?? 'devnet';
  if (typeof def !== 'string' || !networks[def]) bad(`defaultNetwork ${JSON.stringify(def)} is not one of the networks (${Object.keys(networks).join(', ')})`);
  return { file, defaultNetwork: def as string, networks };
}

/** `--network NAME|URL` (or the default) as a network. */
export function pickNetwork(option: string | undefined, config = loadConfig()): NetworkConfig {
  const want = option ?? config.defaultNetwork;
  if (isHttpUrl(want)) return { name: want, url: want, requireVerified: false };
  const n = config.networks[want];
  if (!n) throw new CliError(`unknown network '${want}': ${config.file ? `${config.file} defines ${Object.keys(config.networks).join(', ')}` : `no ${CONFIG_FILE} found; the known network is devnet`}; or pass a URL`, 2);
  return n;
}

/** A client that turns "cannot reach" into a CLI error naming the network. */
export function clientFor(net: NetworkConfig): RpcClient {
  return new RpcClient(net.url, { timeoutMs: 120_000 });
}

export async function rpc<T>(client: RpcClient, net: NetworkConfig, method: string, params?: unknown[]): Promise<T> {
  try {
    return await client.call<T>(method, params);
  } catch (e) {
    if (e instanceof RpcCallError) throw new CliError(`${net.name}: ${e.message}`, 1);
    const msg = (e as Error).message;
    throw new CliError(`${net.name}: ${msg}${net.url === DEFAULT_NETWORK_URL ? ' (is `zv devnet` running?)' : ''}`, 1);
  }
}

/**
 * The signing key: `--from` (a keystore name or address, password from $ZV_PASSWORD or a
 * prompt), else the network's `from`, else on a devnet (`chain`: what zv_chainId answered)
 * its development account 0.
 */
export async function signerFor(client: RpcClient, net: NetworkConfig, chain: { readonly devnet?: boolean }, from: string | undefined, keystore?: string): Promise<AccountKey> {
  const who = from ?? net.from;
  if (who === undefined || /^dev:[0-9]$/.test(who)) {
    if (!chain.devnet) throw new CliError(`${net.name} is not a devnet: name the signer with --from (a keystore name or address)`, 2);
    const accounts = await rpc<{ address: string; privateKey: string }[]>(client, net, 'zv_accounts');
    const index = who === undefined ? 0 : Number(who.slice(4));
    const account = accounts[index];
    if (!account) throw new CliError(`${net.name} has ${accounts.length} development accounts: there is no dev:${index}`, 2);
    return AccountKey.fromSeed(new Uint8Array(Buffer.from(account.privateKey, 'hex')));
  }
  return loadKey(keystoreDir(keystore), who, askPassword(false));
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
