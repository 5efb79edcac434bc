// Encrypted keystore files for account keys (Ed25519, node-lite/chain/keys.ts).
//
// One JSON file per key, `<address>.json`, mode 0600, in a folder of mode 0700:
//   { version: 1, address, publicKey, name?, crypto: { kdf: "scrypt", kdfparams: { n, r, p, salt },
//     cipher: "aes-256-gcm", iv, ciphertext, tag } }
// The 32-byte seed is encrypted with AES-256-GCM under scrypt(password) (N = 2^17, r = 8,
// p = 1: about 0.6 s here); the AEAD's additional data binds the version and the address, so
// a file edited to claim another address does not decrypt. See docs/cli.md, "zv keys".

import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AccountKey, checkAddress } from '../node-lite/chain/keys.ts';
import { CliError } from './output.ts';

const VERSION = 1;
const DEFAULT_N = 2 ** 17;

export interface KeystoreEntry {
  readonly address: string;
  readonly publicKey: string;
  readonly name: string | null;
  readonly file: string;
}

interface KeystoreFile {
  version: number;
  address: string;
  publicKey: string;
  name?: string;
  crypto: { kdf: string; kdfparams: { n: number; r: number; p: number; salt: string }; cipher: string; iv: string; ciphertext: string; tag: string };
}

/** --keystore, else $ZV_KEYSTORE, else ~/.zv/keystore. */
export function keystoreDir(option?: string): string {
  return option ?? process.env.ZV_KEYSTORE ?? join(homedir(), '.zv', 'keystore');
}

/** scrypt's N: 2^17, or ZV_SCRYPT_N for tests only (2^10..2^20). */
function scryptN(): number {
  const text = process.env.ZV_SCRYPT_N;
  if (text === undefined) return DEFAULT_N;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2 ** 10 || n > 2 ** 20 || (n & (n - 1)) !== 0) throw new CliError(`ZV_SCRYPT_N must be a power of two from 1024 to 1048576 (a test setting), got '${text}'`, 2);
  return n;
}

function deriveKey(password: string, salt: Buffer, n: number, r: number, p: number): Buffer {
  return scryptSync(password.normalize('NFKC'), salt, 32, { N: n, r, p, maxmem: 256 * n * r + 64 * 1024 * 1024 });
}

function additionalData(address: string): Buffer {
  return Buffer.from(`zv-keystore-v${VERSION}:${address}`);
}

export function saveKey(dir: string, key: AccountKey, password: string, name?: string): string {
  ensureDir(dir);
  const file = join(dir, `${key.address}.json`);
  if (existsSync(file)) throw new CliError(`the keystore already holds ${key.address} (${file})`);
  if (name !== undefined && listKeys(dir).some((k) => k.name === name)) throw new CliError(`the keystore already has a key named '${name}'`);
  const salt = randomBytes(32);
  const iv = randomBytes(12);
  const n = scryptN();
  const cipher = createCipheriv('aes-256-gcm', deriveKey(password, salt, n, 8, 1), iv);
  cipher.setAAD(additionalData(key.address));
  const ciphertext = Buffer.concat([cipher.update(key.seed), cipher.final()]);
  const content: KeystoreFile = {
    version: VERSION,
    address: key.address,
    publicKey: Buffer.from(key.publicKey).toString('hex'),
    ...(name !== undefined ? { name } : {}),
    crypto: { kdf: 'scrypt', kdfparams: { n, r: 8, p: 1, salt: salt.toString('hex') }, cipher: 'aes-256-gcm', iv: iv.toString('hex'), ciphertext: ciphertext.toString('hex'), tag: cipher.getAuthTag().toString('hex') },
  };
  writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** Every keystore file of the folder; files that are not keystores go to `skipped`. */
export function listKeys(dir: string, skipped?: (file: string, why: string) => void): KeystoreEntry[] {
  if (!existsSync(dir)) return [];
  const out: KeystoreEntry[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    const file = join(dir, f);
    try {
      const k = readKeystore(file);
      out.push({ address: k.address, publicKey: k.publicKey, name: k.name ?? null, file });
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      skipped?.(file, e.message);
    }
  }
  return out;
}

/** Finds a key by address or name and decrypts it. */
export function loadKey(dir: string, addressOrName: string, password: string): AccountKey {
  const entry = findKey(dir, addressOrName);
  const k = readKeystore(entry.file);
  const c = k.crypto;
  let seed: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(password, Buffer.from(c.kdfparams.salt, 'hex'), c.kdfparams.n, c.kdfparams.r, c.kdfparams.p), Buffer.from(c.iv, 'hex'));
    decipher.setAAD(additionalData(k.address));
    decipher.setAuthTag(Buffer.from(c.tag, 'hex'));
    seed = Buffer.concat([decipher.update(Buffer.from(c.ciphertext, 'hex')), decipher.final()]);
  } catch {
    throw new CliError(`wrong password or corrupted keystore ${entry.file}`);
  }
  const key = AccountKey.fromSeed(new Uint8Array(seed));
  if (key.address !== k.address) throw new CliError(`wrong password or corrupted keystore ${entry.file}`);
  return key;
}

export function findKey(dir: string, addressOrName: string): KeystoreEntry {
  const keys = listKeys(dir);
  const hit = keys.find((k) => k.address === addressOrName) ?? keys.find((k) => k.name === addressOrName);
  if (!hit) throw new CliError(`no key '${addressOrName}' in the keystore ${dir}`);
  return hit;
}

function readKeystore(file: string): KeystoreFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`${file}: not a keystore (not JSON: ${(e as Error).message})`);
  }
  const bad = (field: string): never => {
    throw new CliError(`${file}: not a valid keystore: ${field}`);
  };
  const k = json as KeystoreFile;
  if (typeof k !== 'object' || k === null) bad('not an object');
  if (k.version !== VERSION) bad(`version must be ${VERSION}`);
  try {
    checkAddress(k.address);
  } catch {
    bad('address');
  }
  if (typeof k.publicKey !== 'string' || !/^[0-9a-f]{64}$/.test(k.publicKey)) bad('publicKey');
  if (k.name !== undefined && typeof k.name !== 'string') bad('name');
  const c = k.crypto;
  if (!c || c.kdf !== 'scrypt' || c.cipher !== 'aes-256-gcm') bad('crypto.kdf/cipher');
  const p = c.kdfparams;
  if (!p || !Number.isInteger(p.n) || p.n < 2 ** 10 || p.n > 2 ** 20 || p.r !== 8 || p.p !== 1 || !/^[0-9a-f]{64}$/.test(p.salt)) bad('crypto.kdfparams');
  if (!/^[0-9a-f]{24}$/.test(c.iv) || !/^[0-9a-f]{64}$/.test(c.ciphertext) || !/^[0-9a-f]{32}$/.test(c.tag)) bad('crypto.iv/ciphertext/tag');
  return k;
}

function ensureDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
}
