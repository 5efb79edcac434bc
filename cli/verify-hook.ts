// The deploy-time check a network can demand (`"requireVerified": true` in zv.config.json):
// the contract's bytecode must have a verifier certificate in which every property is proved.
// The verifier (`zv verify`) writes certificates to .zv/certificates/<bytecodeHash>.json in
// the project; this file only reads them, so the check is the same whoever wrote it.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from './output.ts';
import type { NetworkConfig } from './network.ts';

export const CERTIFICATE_DIR = '.zv/certificates';

export interface VerifierCertificate {
  readonly format: 'zv-certificate/1';
  readonly bytecodeHash: string;
  readonly tool: { readonly name: string; readonly version: string };
  readonly results: readonly { readonly property: string; readonly status: 'proved' | 'violated' | 'unknown' | 'unconfirmed' }[];
}

/** Throws a CliError unless `net` accepts the bytecode: no demand, or a certificate proving every property. */
export function checkVerified(net: NetworkConfig, bytecodeHash: string, contract: string, dir = process.cwd()): void {
  if (!net.requireVerified) return;
  const file = resolve(join(dir, CERTIFICATE_DIR, `${bytecodeHash}.json`));
  const refuse = (why: string): never => {
    throw new CliError(`network '${net.name}' accepts only verified contracts: ${why}. Run \`zv verify\` on ${contract} and deploy the bytecode it proved.`, 1);
  };
  if (!existsSync(file)) refuse(`no certificate for bytecode ${bytecodeHash.slice(0, 16)}… in ${CERTIFICATE_DIR}`);
  let cert: VerifierCertificate;
  try {
    cert = JSON.parse(readFileSync(file, 'utf8')) as VerifierCertificate;
  } catch (e) {
    return refuse(`${file} is not valid JSON (${(e as Error).message})`);
  }
  if (cert.format !== 'zv-certificate/1' || !Array.isArray(cert.results)) refuse(`${file} is not a verifier certificate`);
  if (cert.bytecodeHash !== bytecodeHash) refuse(`${file} certifies bytecode ${String(cert.bytecodeHash).slice(0, 16)}…, not this one`);
  if (cert.results.length === 0) refuse(`${file} holds no results`);
  const open = cert.results.filter((r) => r.status !== 'proved');
  if (open.length > 0) refuse(`${open.length} propert${open.length === 1 ? 'y is' : 'ies are'} not proved (${open.slice(0, 3).map((r) => `${r.property}: ${r.status}`).join('; ')})`);
}
