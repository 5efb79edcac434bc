// The arithmetic both security models share: exact binomial coefficients (BigInt, because the
// victim-ratio formula divides C(10000, 10) ≈ 2.7e33 by sums of similar numbers), exact
// rationals turned into doubles without losing digits, a log-space binomial distribution for
// the long-range model (C(400, 200) overflows nothing in log space), and the Wilson interval
// the simulations report.

/** The one error type of node-lite/analysis: a caller passed a parameter outside its domain. */
export class AnalysisError extends Error {
  readonly code = 'invalid-argument' as const;
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisError';
  }
}

export function requireInt(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new AnalysisError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

export function requireRatio(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new AnalysisError(`${name} must be a number in [0, 1], got ${String(v)}`);
  }
  return v;
}

/** C(n, k) exactly; 0 outside 0 <= k <= n. */
export function binomBig(n: number, k: number): bigint {
  if (k < 0 || k > n || n < 0) return 0n;
  const kk = Math.min(k, n - k);
  let r = 1n;
  // Before step i, r = C(n, i); r * (n - i) = C(n, i + 1) * (i + 1), so the division is exact.
  for (let i = 0; i < kk; i++) r = (r * BigInt(n - i)) / BigInt(i + 1);
  return r;
}

/** num / den as the nearest double (num, den >= 0, den > 0), via 2^-60-scaled integer division. */
export function ratioToNumber(num: bigint, den: bigint): number {
  if (den <= 0n) throw new AnalysisError('ratio with a non-positive denominator');
  const whole = num / den;
  const SCALE = 1n << 60n;
  const frac = ((num % den) * SCALE) / den;
  return Number(whole) + Number(frac) / 2 ** 60;
}

/**
 * The Binomial(trials, p) probability mass function as an array of length trials + 1,
 * computed in log space so that p^trials never underflows before the terms are combined.
 */
export function binomialPmf(trials: number, p: number): Float64Array {
  const out = new Float64Array(trials + 1);
  if (p <= 0) { out[0] = 1; return out; }
  if (p >= 1) { out[trials] = 1; return out; }
  const logOdds = Math.log(p) - Math.log1p(-p);
  let logTerm = trials * Math.log1p(-p); // log P[0]
  for (let a = 0; a <= trials; a++) {
    out[a] = Math.exp(logTerm);
    logTerm += Math.log((trials - a) / (a + 1)) + logOdds;
  }
  return out;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** The 95% Wilson score interval for `hits` successes in `trials` Bernoulli trials. */
export function wilson(hits: number, trials: number, z = 1.959963984540054): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = hits / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  // At 0 or `trials` hits the bound is exactly 0 or 1; the formula leaves rounding noise there.
  return { low: hits <= 0 ? 0 : Math.max(0, centre - half), high: hits >= trials ? 1 : Math.min(1, centre + half) };
}

/** An estimate from a simulation: the observed frequency and its 95% interval. */
export interface Estimate {
  readonly hits: number;
  readonly trials: number;
  readonly p: number;
  readonly ci: Interval;
}

export function estimate(hits: number, trials: number): Estimate {
  return { hits, trials, p: trials > 0 ? hits / trials : 0, ci: wilson(hits, trials) };
}
