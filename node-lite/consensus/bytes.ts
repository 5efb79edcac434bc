// Small byte helpers shared by the consensus modules: hex ids, ordering, fixed-width
// big-endian integers for the canonical encodings.

import { ConsensusError } from './errors.ts';

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(hex: string, what: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) {
    throw new ConsensusError('invalid-argument', `${what} must be lowercase hex, got '${hex.slice(0, 80)}'`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lexicographic byte order: the tie-break everywhere an order must not depend on insertion. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function u64be(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ConsensusError('invalid-argument', `expected a non-negative safe integer, got ${value}`);
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

export function assertHeight(height: number, what = 'height'): void {
  if (!Number.isSafeInteger(height) || height < 0) {
    throw new ConsensusError('invalid-argument', `${what} must be a non-negative safe integer, got ${String(height)}`);
  }
}

export function assertBytes(value: unknown, length: number, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    const got = value instanceof Uint8Array ? `${value.length} bytes` : typeof value;
    throw new ConsensusError('invalid-argument', `${what} must be ${length} bytes, got ${got}`);
  }
}
