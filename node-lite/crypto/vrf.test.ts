import { describe, expect, it } from 'vitest';
import { SecretKey, seededRandom, sign, verify, vrfOutput, vrfProve, vrfVerify } from './index.ts';

const rng = seededRandom('vrf.test');
const enc = (s: string) => new TextEncoder().encode(s);

describe('VRF from unique BLS signatures', () => {
  const sk = SecretKey.random(rng);
  const pk = sk.publicKey();
  const input = enc('slot 17 / random 0xabc');

  it('is deterministic and verifies', () => {
    const a = vrfProve(sk, input);
    const b = vrfProve(sk, input);
    expect(a.output).toEqual(b.output);
    expect(a.proof).toEqual(b.proof);
    expect(a.output).toHaveLength(32);
    expect(vrfOutput(a.proof)).toEqual(a.output);
    expect(vrfVerify(pk, input, a.output, a.proof)).toBe(true);
  });

  it('gives different outputs for different inputs and keys', () => {
    const a = vrfProve(sk, input).output;
    expect(vrfProve(sk, enc('slot 18')).output).not.toEqual(a);
    expect(vrfProve(SecretKey.random(rng), input).output).not.toEqual(a);
  });

  it('rejects a wrong output, proof, key or input', () => {
    const { output, proof } = vrfProve(sk, input);
    const badOut = output.slice();
    badOut[0]! ^= 1;
    expect(vrfVerify(pk, input, badOut, proof)).toBe(false);
    const other = vrfProve(sk, enc('other input'));
    expect(vrfVerify(pk, input, other.output, other.proof)).toBe(false);
    expect(vrfVerify(SecretKey.random(rng).publicKey(), input, output, proof)).toBe(false);
    expect(vrfVerify(pk, enc('slot 18'), output, proof)).toBe(false);
    const junk = new Uint8Array(96).fill(7);
    expect(vrfVerify(pk, input, vrfOutput(junk), junk)).toBe(false);
    expect(vrfVerify(pk, input, output, proof.subarray(1))).toBe(false);
    expect(() => vrfOutput(new Uint8Array(5))).toThrow(/96 bytes/);
  });

  it('is domain-separated from plain signatures on the same bytes', () => {
    const sig = sign(sk, input);
    expect(verify(pk, input, sig)).toBe(true);
    expect(vrfVerify(pk, input, vrfOutput(sig.toBytes()), sig.toBytes())).toBe(false);
  });
});
