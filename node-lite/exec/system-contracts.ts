// The genesis system contracts (docs/system-contracts.md) as the TVM executor runs them: the
// fixed addresses, the contracts compiled from stdlib/system/*.py, the configuration the
// executor's genesis deploys them with, and the decoding of the registry contract's events
// into the engine's RegistryOp (node-lite/engine/executor.ts).
//
//   const system = systemContracts(genesis.params, genesis.miners, { genesisTimeMs: genesis.genesisTimeMs });
//   const executor = new TvmExecutor({ ...options, system });
//
// The executor's genesis then deploys MinerRegistry and Bonus from the genesis deployer and
// enrolls the genesis miners; the engine reads its miners from the registry's events.

import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { compile } from '../../compiler/index.ts';
import type { ConsensusParams } from '../consensus/params.ts';
import { minerIdOf, type MinerType } from '../consensus/miners.ts';
import type { RegistryOp } from '../engine/executor.ts';
import { genesisAccount, type GenesisMiner } from '../engine/genesis.ts';
import { contractAddress } from './state-host.ts';

const systemAddress = (label: string): string => 'zv' + bytesToHex(sha256(new TextEncoder().encode(label)));

/** Deploys the system contracts in the genesis; no key signs for it. */
export const GENESIS_DEPLOYER = systemAddress('zv-system:genesis-deployer');
/** The address the engine acts as in system calls (slash); no key signs for it. */
export const ENGINE_ADDRESS = systemAddress('zv-system:engine');
/** MinerRegistry (stdlib/system/miners.py): the genesis deployer's nonce 0. */
export const REGISTRY_ADDRESS = contractAddress(GENESIS_DEPLOYER, 0);
/** Bonus (stdlib/system/bonus.py): the genesis deployer's nonce 1. */
export const BONUS_ADDRESS = contractAddress(GENESIS_DEPLOYER, 1);

/** The sources, by the path compiled into the bytecode's debug information. */
export const REGISTRY_SOURCE = 'stdlib/system/miners.py';
export const BONUS_SOURCE = 'stdlib/system/bonus.py';

/** A genesis miner as enroll_genesis takes it (GenesisMiner in miners.py). */
export interface GenesisEnrollment {
  readonly account: string;
  readonly type: MinerType;
  readonly publicKey: Uint8Array;
  readonly pop: Uint8Array;
  readonly stake: bigint;
}

/** What TvmExecutor needs to put the system contracts in its genesis state. */
export interface SystemContractsConfig {
  readonly registryCode: Uint8Array;
  readonly bonusCode: Uint8Array;
  /** MinerRegistry(engine, min_stake, refund_delay) */
  readonly minStake: bigint;
  readonly refundDelay: number;
  /** Bonus(engine, block_reward, proposer_share_percent) */
  readonly blockReward: bigint;
  readonly proposerSharePercent: number;
  /** In genesis order; the executor mints their stakes' sum to the genesis deployer, who pays them in. */
  readonly genesisMiners: readonly GenesisEnrollment[];
  /** Slot 0's time (the genesis calls' block.timestamp). */
  readonly genesisTimeMs: number;
}

const compiled = new Map<string, Uint8Array>();

/** The bytecode of a system contract (compiled once per process). */
export function systemContractCode(source: typeof REGISTRY_SOURCE | typeof BONUS_SOURCE): Uint8Array {
  const cached = compiled.get(source);
  if (cached) return cached;
  const text = readFileSync(new URL(`../../${source}`, import.meta.url), 'utf8');
  const r = compile({ path: source, source: text });
  if (!r.ok || !r.bytecode) {
    const problems = r.diagnostics.filter((d) => d.severity === 'error').map((d) => `  ${d.span.file}:${d.span.line}:${d.span.col} ${d.code} ${d.message}`);
    throw new Error(`the system contract ${source} does not compile:\n${problems.join('\n')}`);
  }
  compiled.set(source, r.bytecode);
  return r.bytecode;
}

/**
 * The system contracts for a chain of these consensus parameters and genesis miners: the
 * constructor arguments come from the parameters (the registry must use the engine's
 * minStake and refundDelay: the engine checks MinersConfigured at genesis). Every genesis
 * miner needs its proof of possession (makeDevGenesis makes them).
 */
export function systemContracts(params: ConsensusParams, genesisMiners: readonly GenesisMiner[], options: { genesisTimeMs?: number } = {}): SystemContractsConfig {
  const miners = genesisMiners.map((m, i): GenesisEnrollment => {
    if (!m.pop) throw new Error(`genesis miner ${i} (${minerIdOf(m.publicKey)}) has no proof of possession: the registry contract enrolls a miner with the key's signature on pop_message(account, key)`);
    return { account: genesisAccount(m), type: m.type, publicKey: m.publicKey, pop: m.pop, stake: m.stake };
  });
  return Object.freeze({
    registryCode: systemContractCode(REGISTRY_SOURCE),
    bonusCode: systemContractCode(BONUS_SOURCE),
    minStake: params.minStake,
    refundDelay: params.refundDelay,
    blockReward: params.blockReward,
    proposerSharePercent: params.proposerSharePercent,
    genesisMiners: miners,
    genesisTimeMs: options.genesisTimeMs ?? 0,
  });
}

/** The arguments of enroll_genesis: one GenesisMiner struct (a tuple) per miner. */
export function enrollmentArgs(miners: readonly GenesisEnrollment[]): unknown[] {
  return [miners.map((m) => [m.account, m.type === 'proposer' ? 0n : 1n, m.publicKey, m.pop, m.stake])];
}

// ---- the registry contract's events ----

/** An event as a receipt carries it (fields as valueToJSON writes them). */
export interface EventJson {
  readonly contract: string;
  readonly name: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** The registry operations among `events`, in order: the registry address's own events only. */
export function registryOpsOf(events: readonly EventJson[], registry = REGISTRY_ADDRESS): RegistryOp[] {
  const out: RegistryOp[] = [];
  for (const e of events) {
    if (e.contract !== registry) continue;
    const op = registryOpOf(e);
    if (op) out.push(op);
  }
  return out;
}

/**
 * Decodes one of the registry contract's events (docs/system-contracts.md, "Events"); null
 * for a name that is not a registry operation. A field of the wrong form throws Error: the
 * registry's code is fixed at genesis, so that is a bug, never input.
 */
export function registryOpOf(e: EventJson): RegistryOp | null {
  const f = new Fields(e);
  switch (e.name) {
    case 'MinersConfigured':
      return { kind: 'configured', engine: f.address('engine'), minStake: f.int('min_stake'), refundDelay: f.small('refund_delay'), height: f.small('height') };
    case 'MinerRegistered': {
      const kind = f.int('kind');
      if (kind !== 0n && kind !== 1n) f.fail('kind', 'is 0 (proposer) or 1 (verifier)');
      return {
        kind: 'registered',
        account: f.address('account'),
        minerType: kind === 0n ? 'proposer' : 'verifier',
        publicKey: f.bytes('bls_public_key'),
        pop: f.bytes('pop'),
        stake: f.int('stake'),
        height: f.small('height'),
      };
    }
    case 'MinerAnnulled':
      return { kind: 'annulled', account: f.address('account'), height: f.small('height'), refundableAt: f.small('refundable_at') };
    case 'MinerRefunded':
      return { kind: 'refunded', account: f.address('account'), amount: f.int('amount'), height: f.small('height') };
    case 'MinerSlashed':
      return { kind: 'slashed', account: f.address('account'), amount: f.int('amount'), taken: f.int('taken'), stake: f.int('stake'), height: f.small('height') };
    default:
      return null;
  }
}

/** Typed reads of an event's JSON fields, each failure naming the event and the field. */
class Fields {
  constructor(private readonly e: EventJson) {}

  fail(name: string, expected: string): never {
    throw new Error(`registry event ${this.e.name}: field '${name}' ${expected}, got ${JSON.stringify(this.e.fields[name]) ?? 'nothing'}`);
  }

  int(name: string): bigint {
    const v = this.e.fields[name];
    if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
    if (typeof v === 'string' && /^-?[0-9]+$/.test(v)) return BigInt(v);
    return this.fail(name, 'is an integer (a JSON number or a decimal string)');
  }

  small(name: string): number {
    const v = this.int(name);
    if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(name, 'is a height (a non-negative safe integer)');
    return Number(v);
  }

  bytes(name: string): Uint8Array {
    const v = this.e.fields[name];
    if (typeof v !== 'string' || !/^0x(?:[0-9a-f]{2})*$/.test(v)) this.fail(name, "is bytes ('0x' + hex)");
    return hexToBytes((v as string).slice(2));
  }

  address(name: string): string {
    const v = this.e.fields[name];
    if (typeof v !== 'string' || !/^zv[0-9a-f]{64}$/.test(v)) this.fail(name, "is an address ('zv' + 64 hex)");
    return v as string;
  }
}
