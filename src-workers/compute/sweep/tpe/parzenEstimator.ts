import type { Distribution } from '../../../../src-main/shared/sweep/distributions';
import type { Rng } from '../../stats/rng';
import { CategoricalKernels, NumericKernels, type KernelOptions, type KernelSet } from './kernels';

/** The ramp Optuna weights observations with (oldest first): the latest 25 count fully, older ones linearly less. */
export function defaultWeights(n: number): number[] {
  const flat = 25;
  if (n < flat) return new Array<number>(n).fill(1);
  const ramp = n - flat;
  // numpy's linspace(1/n, 1, ramp): ramp points from 1/n to 1 inclusive (one point: 1/n).
  const points = Array.from({ length: ramp }, (_, i) => (ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1)));
  return [...points, ...new Array<number>(flat).fill(1)];
}

/**
 * Optuna's Parzen estimator: a mixture with one component per observation and one for the prior, each
 * a product of one kernel per parameter (so a multivariate estimator keeps the parameters' joint
 * structure). Observation weights default to `defaultWeights` in trial order; the prior weighs
 * `priorWeight`; with no observations the prior alone.
 */
export class ParzenEstimator {
  readonly weights: Float64Array;
  readonly kernels: KernelSet[];
  private readonly logWeights: Float64Array;

  /**
   * @param observations one row per trial, one internal value per distribution, oldest trial first
   * @param weights the observations' weights (defaultWeights when omitted)
   */
  constructor(
    observations: readonly (readonly number[])[],
    readonly distributions: readonly Distribution[],
    opts: KernelOptions,
    weights?: readonly number[],
  ) {
    const n = observations.length;
    const w = n === 0 ? [1] : [...(weights ?? defaultWeights(n)), opts.priorWeight];
    if (n > 0 && w.length !== n + 1) throw new Error(`expected ${n} observation weights, got ${w.length - 1}`);
    const total = w.reduce((a, b) => a + b, 0);
    this.weights = Float64Array.from(w, (x) => x / total);
    this.logWeights = this.weights.map(Math.log);
    this.kernels = distributions.map((d, j) => {
      const column = observations.map((row) => row[j]);
      return d.type === 'categorical' ? new CategoricalKernels(column, d, opts) : new NumericKernels(column, d, opts);
    });
  }

  /** `size` points (internal values, one per distribution) drawn from the mixture. */
  sample(rng: Rng, size: number): number[][] {
    const out: number[][] = [];
    for (let s = 0; s < size; s++) {
      const k = this.pickComponent(rng.nextFloat());
      out.push(this.kernels.map((kernel) => kernel.sample(k, rng)));
    }
    return out;
  }

  private pickComponent(u: number): number {
    let cumulative = 0;
    for (let k = 0; k < this.weights.length - 1; k++) {
      cumulative += this.weights[k];
      if (u < cumulative) return k;
    }
    return this.weights.length - 1;
  }

  /** log of the mixture's density (mass, for discrete and categorical parameters) at a point. */
  logPdf(x: readonly number[]): number {
    const acc = Float64Array.from(this.logWeights);
    this.kernels.forEach((kernel, j) => kernel.addLogPdf(x[j], acc));
    let max = -Infinity;
    for (const v of acc) if (v > max) max = v;
    if (max === -Infinity) return -Infinity;
    let sum = 0;
    for (const v of acc) sum += Math.exp(v - max);
    return max + Math.log(sum);
  }
}
