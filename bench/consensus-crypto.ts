// Benchmarks of the consensus cryptography (node-lite/crypto): BLS sign/verify, threshold
// recovery and one beacon round for groups of 21 and 100, the DKG per dealer and per member,
// and the VRF. Deterministic inputs (seeded keys); times are medians of a few runs.
//
//   node bin/run-ts.js bench/consensus-crypto.ts        print the table

import { mclSign, mclVerify, NATIVE_VERIFY } from '../node-lite/crypto/bls.ts';
import {
  checkDealing,
  createDealing,
  dkgContext,
  groupKey,
  publicKeyShare,
  qualify,
  receiveShare,
  recoverSignature,
  SecretKey,
  secretKeyShare,
  seededRandom,
  splitSecret,
  verify,
  verifyBatch,
  vrfProve,
  vrfVerify,
  type CheckedDealing,
  type Dealing,
} from '../node-lite/crypto/index.ts';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

const enc = (s: string) => new TextEncoder().encode(s);

/** Median wall time of `runs` calls (after one warm-up), in ms. */
function timeMs(runs: number, f: () => unknown): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function signatureBenches(out: BenchResult[]): void {
  const rng = seededRandom('bench/sign');
  const sk = SecretKey.random(rng);
  const pk = sk.publicKey();
  const msg = enc('height 123456 / previous random');
  const sig = sk.sign(msg);
  const signMs = timeMs(20, () => sk.sign(msg));
  const verifyMs = timeMs(20, () => verify(pk, msg, sig));
  const mclSignMs = timeMs(20, () => mclSign(sk, msg));
  const mclVerifyMs = timeMs(20, () => mclVerify(pk, msg, sig));
  const engine = NATIVE_VERIFY ? 'blst' : 'mcl-wasm';
  out.push({ name: `BLS sign (${engine})`, value: round2(signMs), unit: 'ms' });
  out.push({ name: `BLS verify (${engine})`, value: round2(verifyMs), unit: 'ms' });
  out.push({ name: 'BLS sign (mcl-wasm)', value: round2(mclSignMs), unit: 'ms' });
  out.push({ name: 'BLS verify (mcl-wasm)', value: round2(mclVerifyMs), unit: 'ms' });
  out.push({ name: `BLS verify: mcl-wasm / ${engine}`, value: round2(mclVerifyMs / verifyMs), unit: '×' });
  const input = enc('slot 77 / random');
  const { output, proof } = vrfProve(sk, input);
  out.push({ name: 'VRF prove', value: round2(timeMs(20, () => vrfProve(sk, input))), unit: 'ms' });
  out.push({ name: 'VRF verify', value: round2(timeMs(20, () => vrfVerify(pk, input, output, proof))), unit: 'ms' });
}

/** Recovery alone, and a whole beacon round as the receiver does it: batch-verify t partials, recover, verify. */
function thresholdBenches(out: BenchResult[], n: number, t: number): void {
  const rng = seededRandom(`bench/threshold/${n}`);
  const group = SecretKey.random(rng);
  const shares = splitSecret(group, t, Array.from({ length: n }, (_, i) => i + 1), rng);
  const msg = enc('beacon: height 9, previous random');
  const partials = shares.slice(n - t).map((s) => ({ id: s.id, signature: s.key.sign(msg) }));
  const pkShares = new Map(shares.map((s) => [s.id, s.key.publicKey()] as const));
  const groupPk = group.publicKey();
  out.push({ name: `threshold recovery n=${n} t=${t}`, value: round2(timeMs(5, () => recoverSignature(partials, t))), unit: 'ms' });
  const round = () => {
    const items = partials.map((p) => ({ publicKey: pkShares.get(p.id)!, signature: p.signature }));
    if (!verifyBatch(msg, items, rng)) throw new Error('partials should verify');
    if (!verify(groupPk, msg, recoverSignature(partials, t))) throw new Error('group signature should verify');
  };
  out.push({ name: `beacon round n=${n} t=${t} (batch-verify t partials, recover, verify)`, value: round2(timeMs(3, round)), unit: 'ms' });
  const oneByOne = () => partials.forEach((p) => verify(pkShares.get(p.id)!, msg, p.signature));
  out.push({ name: `verify t partials one by one n=${n} t=${t}`, value: round2(timeMs(1, oneByOne)), unit: 'ms' });
}

/** The DKG for one group: per dealer (deal) and per member (check all dealings, open all shares, combine). */
function dkgBenches(out: BenchResult[], n: number, t: number): void {
  const rng = seededRandom(`bench/dkg/${n}`);
  const keys = Array.from({ length: n }, () => SecretKey.random(rng));
  const ctx = dkgContext({ session: enc(`bench group ${n}`), threshold: t, members: keys.map((k) => k.publicKey()) });
  const dealings: Dealing[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) dealings.push(createDealing(ctx, i + 1, keys[i]!, rng));
  out.push({ name: `DKG deal n=${n} t=${t} (per dealer)`, value: round2((performance.now() - t0) / n), unit: 'ms' });

  const t1 = performance.now();
  const checked: CheckedDealing[] = [];
  for (const d of dealings) {
    const c = checkDealing(ctx, d);
    if (c.status !== 'valid') throw new Error(`dealing rejected: ${c.status}`);
    checked.push(c.dealing);
  }
  out.push({ name: `DKG check all ${n} dealings (per member: signatures, commitments)`, value: round2(performance.now() - t1), unit: 'ms' });

  const me = 1;
  const t2 = performance.now();
  const accepted = new Map<number, SecretKey>();
  for (const d of checked) {
    const r = receiveShare(ctx, d, me, keys[me - 1]!);
    if (!r.ok) throw new Error(r.reason);
    accepted.set(d.dealer, r.share);
  }
  out.push({ name: `DKG open and check own ${n} shares (per member)`, value: round2(performance.now() - t2), unit: 'ms' });

  const q = qualify(ctx, dealings, []); // re-checks the dealings: not timed, timed above
  const t3 = performance.now();
  const group = groupKey(ctx, q.qualified);
  const share = secretKeyShare(group, accepted);
  out.push({ name: `DKG combine n=${n} (group key, own share)`, value: round2(performance.now() - t3), unit: 'ms' });
  if (!share.publicKey().equals(publicKeyShare(group, me))) throw new Error('share does not match the group polynomial');
  const t4 = performance.now();
  for (let j = 1; j <= n; j++) publicKeyShare(group, j);
  out.push({ name: `DKG all ${n} public key shares`, value: round2(performance.now() - t4), unit: 'ms' });
}

export async function benchConsensusCrypto(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  signatureBenches(out);
  thresholdBenches(out, 21, 11);
  thresholdBenches(out, 100, 51);
  dkgBenches(out, 21, 11);
  dkgBenches(out, 100, 51);
  return out;
}

if (process.argv[1]?.endsWith('consensus-crypto.ts')) {
  for (const r of await benchConsensusCrypto()) console.log(`${r.name.padEnd(72)} ${String(r.value).padStart(10)} ${r.unit}`);
}
