import { createRng, type Rng } from '../../../src-workers/compute/stats';

/** Seeded synthetic data for the monitoring tests (the real-data checks come with the replay). */

export function normal(rng: Rng): number {
  const u = 1 - rng.nextFloat();
  const v = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function normals(seed: number, n: number, mean = 0, sd = 1): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => mean + sd * normal(rng));
}

/** Calibrated games: p from a logistic of a normal score around a 54% home edge, y ~ Bernoulli(p). */
export function calibratedGames(seed: number, n: number, spread = 0.45): { p: Float64Array; y: Float64Array } {
  const rng = createRng(seed);
  const p = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    p[i] = 1 / (1 + Math.exp(-(0.16 + spread * normal(rng))));
    y[i] = rng.nextFloat() < p[i] ? 1 : 0;
  }
  return { p, y };
}

/** Even-money-ish bets on the predicted side at decimal odds 1.91: stake 1, profit 0.91 or −1. */
export function betsOn(p: ArrayLike<number>, y: ArrayLike<number>): { stake: Float64Array; profit: Float64Array } {
  const stake = new Float64Array(p.length).fill(1);
  const profit = Float64Array.from({ length: p.length }, (_v, i) => ((p[i] >= 0.5 ? 1 : 0) === y[i] ? 0.91 : -1));
  return { stake, profit };
}
