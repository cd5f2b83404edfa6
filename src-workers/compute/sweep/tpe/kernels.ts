import type { CategoricalDistribution } from '../../../../src-main/shared/sweep/distributions';
import type { Rng } from '../../stats/rng';
import { effectiveHigh, snapToGrid, stepOf, type NumericDistribution } from '../paramValues';
import { logGaussMass, sampleTruncNorm, truncNormLogPdf } from './truncnorm';

/**
 * One dimension of a Parzen estimator: a kernel per observation plus the prior's, the mixture's
 * components. Values are in internal form (numbers; a categorical's choice index).
 */
export interface KernelSet {
  readonly size: number;
  /** Adds log p_k(x) of every component k to out[k]. */
  addLogPdf(x: number, out: Float64Array): void;
  /** A value drawn from component k. */
  sample(k: number, rng: Rng): number;
}

export interface KernelOptions {
  priorWeight: number;
  /** Optuna's "magic clip": no bandwidth below (high − low) / min(100, 1 + kernels). */
  considerMagicClip: boolean;
  /** Whether the first and last observations' bandwidths may reach to the bounds. */
  considerEndpoints: boolean;
}

const MIN_SIGMA_WITHOUT_CLIP = 1e-12;
const MAX_CLIP_DIVISOR = 100;

/**
 * Bandwidths by Optuna's neighbour rule: each observation's sigma is the larger gap to its sorted
 * neighbours (the bounds count as neighbours), except that without consider_endpoints the lowest and
 * highest observations use the gap to their inner neighbour; then clipped to [minimum, high − low].
 */
export function neighbourSigmas(mus: readonly number[], low: number, high: number, opts: KernelOptions): number[] {
  const n = mus.length;
  if (n === 0) return [];
  const order = mus.map((_, i) => i).sort((i, j) => mus[i] - mus[j] || i - j);
  const sorted = order.map((i) => mus[i]);
  const withEnds = [low, ...sorted, high];
  const sortedSigmas = sorted.map((_, i) => Math.max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]));
  if (!opts.considerEndpoints && n >= 2) {
    sortedSigmas[0] = sorted[1] - sorted[0];
    sortedSigmas[n - 1] = sorted[n - 1] - sorted[n - 2];
  }
  const maxSigma = high - low;
  const kernels = n + 1; // the prior is a kernel too
  const minSigma = opts.considerMagicClip ? (high - low) / Math.min(MAX_CLIP_DIVISOR, 1 + kernels) : MIN_SIGMA_WITHOUT_CLIP;
  const sigmas = new Array<number>(n);
  order.forEach((i, rank) => (sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sortedSigmas[rank]))));
  return sigmas;
}

/**
 * Truncated normal kernels of a float or int parameter, in log space for a log one. A continuous
 * parameter has densities on [low, high]; a discrete one (an int, a float with step) has the mass each
 * kernel puts on [x − step/2, x + step/2], renormalised over [low − step/2, high + step/2], so its
 * probability sits on the step grid only.
 */
export class NumericKernels implements KernelSet {
  readonly size: number;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  /** The kernels' support in the space they live in (logs for a log parameter, widened by half a step for a discrete one). */
  readonly low: number;
  readonly high: number;
  private readonly logMass: Float64Array;
  private readonly step: number | null;

  constructor(
    observations: readonly number[],
    private readonly dist: NumericDistribution,
    opts: KernelOptions,
  ) {
    this.step = stepOf(dist);
    const half = this.step === null ? 0 : this.step / 2;
    let low = dist.low - half;
    let high = effectiveHigh(dist) + half;
    let mus = [...observations];
    if (dist.log) {
      mus = mus.map(Math.log);
      low = Math.log(low);
      high = Math.log(high);
    }
    const sigmas = neighbourSigmas(mus, low, high, opts);
    this.mu = Float64Array.from([...mus, 0.5 * (low + high)]);
    this.sigma = Float64Array.from([...sigmas, high - low]);
    this.size = this.mu.length;
    this.low = low;
    this.high = high;
    this.logMass = this.mu.map((m, k) => logGaussMass((low - m) / this.sigma[k], (high - m) / this.sigma[k]));
  }

  private transform(v: number): number {
    return this.dist.log ? Math.log(v) : v;
  }

  addLogPdf(x: number, out: Float64Array): void {
    if (this.step === null) {
      const t = this.transform(x);
      for (let k = 0; k < this.size; k++) out[k] += truncNormLogPdf(t, this.mu[k], this.sigma[k], this.low, this.high, this.logMass[k]);
      return;
    }
    const left = this.transform(x - this.step / 2);
    const right = this.transform(x + this.step / 2);
    for (let k = 0; k < this.size; k++) {
      const s = this.sigma[k];
      out[k] += logGaussMass((left - this.mu[k]) / s, (right - this.mu[k]) / s) - this.logMass[k];
    }
  }

  sample(k: number, rng: Rng): number {
    const t = sampleTruncNorm(rng, this.mu[k], this.sigma[k], this.low, this.high);
    const v = this.dist.log ? Math.exp(t) : t;
    if (this.step !== null) return snapToGrid(this.dist, v);
    return Math.min(this.dist.high, Math.max(this.dist.low, v));
  }
}

/**
 * Optuna's categorical kernels (without a categorical distance): each observation's kernel puts
 * priorWeight / kernels on every choice and 1 more on the observed one, normalised; the prior's is uniform.
 */
export class CategoricalKernels implements KernelSet {
  readonly size: number;
  /** Row k: component k's probability of each choice. */
  readonly probabilities: Float64Array[];

  constructor(observations: readonly number[], dist: CategoricalDistribution, opts: KernelOptions) {
    const choices = dist.choices.length;
    const kernels = observations.length + 1;
    if (observations.length === 0) {
      this.probabilities = [new Float64Array(choices).fill(1 / choices)];
    } else {
      this.probabilities = Array.from({ length: kernels }, (_, k) => {
        const row = new Float64Array(choices).fill(opts.priorWeight / kernels);
        if (k < observations.length) row[observations[k]] += 1;
        const sum = row.reduce((a, b) => a + b, 0);
        return sum === 0 ? row : row.map((p) => p / sum);
      });
    }
    this.size = this.probabilities.length;
  }

  addLogPdf(x: number, out: Float64Array): void {
    for (let k = 0; k < this.size; k++) out[k] += Math.log(this.probabilities[k][x]);
  }

  sample(k: number, rng: Rng): number {
    const row = this.probabilities[k];
    const u = rng.nextFloat();
    let cumulative = 0;
    for (let i = 0; i < row.length - 1; i++) {
      cumulative += row[i];
      if (u < cumulative) return i;
    }
    return row.length - 1;
  }
}
