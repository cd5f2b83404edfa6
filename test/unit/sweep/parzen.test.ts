// Truncated normal kernels and Parzen estimators: exact tail arithmetic, densities that integrate to 1,
// samples inside the bounds and on the step grid, and log-densities equal to Optuna 5.0's.
import { describe, expect, it } from 'vitest';
import type { Distribution } from '../../../src-main/shared/sweep/distributions';
import { createRng } from '../../../src-workers/compute/stats/rng';
import { ParzenEstimator, defaultWeights } from '../../../src-workers/compute/sweep';
import { erfc, logNdtr, ndtriExp } from '../../../src-workers/compute/sweep/tpe/gauss';
import { neighbourSigmas, type KernelOptions } from '../../../src-workers/compute/sweep/tpe/kernels';
import { logGaussMass, sampleTruncNorm, truncNormLogPdf, truncNormPpf } from '../../../src-workers/compute/sweep/tpe/truncnorm';

const OPTS: KernelOptions = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false };
const float = (low: number, high: number, log = false, step: number | null = null): Distribution => ({
  type: 'float',
  low,
  high,
  log,
  step,
});
const int = (low: number, high: number, step = 1, log = false): Distribution => ({ type: 'int', low, high, log, step });
const categorical = (...choices: string[]): Distribution => ({ type: 'categorical', choices });

/** Composite Simpson's rule with n (even) intervals. */
function simpson(f: (x: number) => number, a: number, b: number, n = 4000): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

describe('normal tails', () => {
  it('matches high-precision references (mpmath) far into both tails', () => {
    // erfc(x), log Φ(z): references from mpmath at 80 digits, rounded to doubles.
    const close = (got: number, reference: number, tolerance: number) => expect(Math.abs(got / reference - 1)).toBeLessThan(tolerance);
    close(erfc(0.5), 0.4795001221869535, 1e-14);
    close(erfc(3), 2.209049699858544e-5, 1e-13);
    close(erfc(10), 2.088487583762545e-45, 1e-13);
    close(logNdtr(-40), -804.6084420137538, 1e-14);
    close(logNdtr(-3), -6.607726221510349, 1e-14);
    close(logNdtr(5), -2.866516129637636e-7, 1e-12);
    close(logNdtr(10), -7.619853024160525e-24, 1e-12);
  });

  it('inverts log Φ on the whole range', () => {
    for (const z of [-38, -20, -5, -1, 0, 0.3, 2, 5, 8]) {
      expect(ndtriExp(logNdtr(z))).toBeCloseTo(z, 8);
    }
  });
});

describe('truncated normal', () => {
  const cases = [
    { mu: 0.3, sigma: 0.2, low: 0, high: 1 },
    { mu: -4, sigma: 0.5, low: 0, high: 1 }, // the whole support in the far upper tail
    { mu: 12, sigma: 1, low: -1, high: 2 }, // the whole support in the far lower tail
    { mu: 0.5, sigma: 40, low: 0, high: 1 }, // nearly uniform
  ];

  it.each(cases)('has a density integrating to 1 on [low, high] (%o)', ({ mu, sigma, low, high }) => {
    const logMass = logGaussMass((low - mu) / sigma, (high - mu) / sigma);
    expect(Number.isFinite(logMass)).toBe(true);
    const total = simpson((x) => Math.exp(truncNormLogPdf(x, mu, sigma, low, high, logMass)), low, high);
    expect(total).toBeCloseTo(1, 6);
    expect(truncNormLogPdf(high + 1e-9, mu, sigma, low, high, logMass)).toBe(-Infinity);
  });

  it.each(cases)('has quantiles that invert its CDF and samples inside the bounds (%o)', ({ mu, sigma, low, high }) => {
    const a = (low - mu) / sigma;
    const b = (high - mu) / sigma;
    const logMass = logGaussMass(a, b);
    for (const q of [0.01, 0.25, 0.5, 0.9, 0.999]) {
      const x = mu + sigma * truncNormPpf(q, a, b);
      const cdf = simpson((t) => Math.exp(truncNormLogPdf(t, mu, sigma, low, high, logMass)), low, x);
      expect(cdf).toBeCloseTo(q, 5);
    }
    const rng = createRng(5);
    for (let i = 0; i < 2000; i++) {
      const v = sampleTruncNorm(rng, mu, sigma, low, high);
      expect(v >= low && v <= high).toBe(true);
    }
  });
});

describe('bandwidths', () => {
  it('follow the neighbour rule with the magic clip (worked by hand)', () => {
    // Sorted with the bounds: 0 | 0.1 0.15 0.9 | 1. Without endpoints the outer points use their inner
    // gap: 0.05 and 0.75; 0.15 has max(0.05, 0.75). Clip: (1 − 0) / min(100, 1 + 4 kernels) = 0.2.
    expect(neighbourSigmas([0.9, 0.1, 0.15], 0, 1, OPTS)).toEqual([0.75, 0.2, 0.75]);
    // One observation: the larger gap to a bound.
    expect(neighbourSigmas([0.3], 0, 1, OPTS)).toEqual([0.7]);
    // With endpoints the outer points may use the gap to the bound: 0.1 → max(0.1, 0.05).
    expect(neighbourSigmas([0.1, 0.15, 0.9], 0, 1, { ...OPTS, considerEndpoints: true, considerMagicClip: false })).toEqual([
      0.1, 0.75, 0.75,
    ]);
  });

  it('weights old trials with Optuna’s ramp', () => {
    expect(defaultWeights(0)).toEqual([]);
    expect(defaultWeights(24)).toEqual(new Array(24).fill(1));
    expect(defaultWeights(26)).toEqual([1 / 26, ...new Array(25).fill(1)]);
    const w = defaultWeights(30); // linspace(1/30, 1, 5) then 25 ones
    expect(w.slice(0, 5).map((v) => +v.toFixed(6))).toEqual([0.033333, 0.275, 0.516667, 0.758333, 1]);
    expect(w).toHaveLength(30);
  });
});

describe('Parzen estimator', () => {
  // Log-densities from optuna 5.0.0's _ParzenEstimator (prior weight 1, magic clip, no endpoints,
  // default weights) on the same observations and points.
  const optuna = {
    float: [0.2648974538042749, 0.35873526364824615, -0.12099275603007165, -0.32398995931087204, -0.37679874696852544],
    log: [-2.418910525682324, -1.69206095907148, -2.035708130594494, -2.2203306309744977],
    int: [-2.108713759199237, -2.010345150154332, -2.292406765860143, -2.65687527422421],
    intStep: [-1.9019848182501407, -1.297574504943523, -3.0194522412894673],
    categorical: [-0.7419373447293773, -1.6582280766035324, -1.0986122886681098],
    ramp: [-2.691307286198497, -2.3073291304847414, -3.1188231831614037],
    rampUniform: [-2.7724706907959007, -2.223434687030532, -2.962622204094556],
    joint: [-5.694182912125132, -6.366212390422217, -6.90830941134713],
    empty: [-1.5291478673606664],
  };
  const rampObs = [
    0.508, 2.081, -2.091, 0.108, 3.929, 3.963, -3.744, -2.928, -4.485, -0.592, -4.701, -0.432, 1.491, -2.215, 1.763, 0.909, -4.76, 0.589,
    -2.407, -0.849, -2.165, 1.931, -0.595, -3.431, 0.446, 2.803, -1.936, -2.78, -1.12, 4.364,
  ];
  const logPdfs = (pe: ParzenEstimator, points: number[][]) => points.map((p) => pe.logPdf(p));
  const column = (values: number[]) => values.map((v) => [v]);

  it('gives Optuna’s log-densities for float, log, int, stepped int and categorical parameters', () => {
    const cases: [Distribution, number[], number[][], number[]][] = [
      [float(0, 1), [0.1, 0.15, 0.9], column([0, 0.12, 0.5, 0.9, 1]), optuna.float],
      [float(1e-3, 1, true), [0.01, 0.02, 0.5], column([1e-3, 0.015, 0.2, 1]), optuna.log],
      [int(1, 10), [2, 3, 9], column([1, 2, 5, 10]), optuna.int],
      [int(0, 10, 2), [2, 4, 4], column([0, 4, 10]), optuna.intStep],
      [categorical('a', 'b', 'c'), [0, 0, 2], column([0, 1, 2]), optuna.categorical],
      [float(-5, 5), rampObs, column([-4, 0, 2.5]), optuna.ramp],
    ];
    for (const [d, obs, points, expected] of cases) {
      const got = logPdfs(new ParzenEstimator(column(obs), [d], OPTS), points);
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
    }
    const uniform = new ParzenEstimator(column(rampObs), [float(-5, 5)], OPTS, new Array(30).fill(1));
    logPdfs(uniform, column([-4, 0, 2.5])).forEach((v, i) => expect(v).toBeCloseTo(optuna.rampUniform[i], 10));
  });

  it('gives Optuna’s joint log-density for a multivariate estimator, and the prior alone without observations', () => {
    const joint = new ParzenEstimator(
      [
        [0.2, 50, 0],
        [0.7, 120, 1],
        [0.4, 290, 1],
        [0.9, 10, 0],
      ],
      [float(0, 1), int(10, 300), categorical('u', 'v')],
      OPTS,
    );
    logPdfs(joint, [
      [0.3, 60, 0],
      [0.8, 200, 1],
      [0.05, 300, 1],
    ]).forEach((v, i) => expect(v).toBeCloseTo(optuna.joint[i], 10));
    const empty = new ParzenEstimator([], [float(0, 1), int(1, 5)], OPTS);
    expect(empty.logPdf([0.5, 3])).toBeCloseTo(optuna.empty[0], 10);
  });

  it('has a density integrating to 1 over the bounds (continuous, log and joint)', () => {
    const pe = new ParzenEstimator(column([0.1, 0.15, 0.9, 0.93]), [float(0, 1)], OPTS);
    expect(simpson((x) => Math.exp(pe.logPdf([x])), 0, 1)).toBeCloseTo(1, 6);
    // A log parameter's kernels live on log x: the density in x is p(log x)/x.
    const lpe = new ParzenEstimator(column([0.002, 0.02, 0.5]), [float(1e-3, 1, true)], OPTS);
    expect(simpson((t) => Math.exp(lpe.logPdf([Math.exp(t)])), Math.log(1e-3), 0)).toBeCloseTo(1, 6);
    expect(simpson((u) => Math.exp(lpe.logPdf([Math.exp(u)])), Math.log(1e-3), 0, 20000)).toBeCloseTo(1, 6);
    // Joint: a float × a categorical; sum over choices of the integral over the float.
    const jpe = new ParzenEstimator(
      [
        [0.2, 0],
        [0.8, 2],
      ],
      [float(0, 1), categorical('a', 'b', 'c')],
      OPTS,
    );
    const total = [0, 1, 2].reduce((s, c) => s + simpson((x) => Math.exp(jpe.logPdf([x, c])), 0, 1), 0);
    expect(total).toBeCloseTo(1, 6);
  });

  it('puts a discrete parameter’s mass on its step grid only, summing to 1', () => {
    const d = float(0.1, 0.9, false, 0.2); // grid 0.1 0.3 0.5 0.7 0.9
    const pe = new ParzenEstimator(column([0.3, 0.3, 0.9]), [d], OPTS);
    const grid = [0.1, 0.3, 0.5, 0.7, 0.9];
    expect(grid.reduce((s, x) => s + Math.exp(pe.logPdf([x])), 0)).toBeCloseTo(1, 10);
    const ipe = new ParzenEstimator(column([4, 7, 7, 40]), [int(1, 64, 1, true)], OPTS);
    let total = 0;
    for (let n = 1; n <= 64; n++) total += Math.exp(ipe.logPdf([n]));
    expect(total).toBeCloseTo(1, 10);
    const rng = createRng(11);
    for (const [x] of pe.sample(rng, 3000)) expect(grid).toContain(x);
    for (const [n] of ipe.sample(rng, 3000)) expect(Number.isInteger(n) && n >= 1 && n <= 64).toBe(true);
    const cpe = new ParzenEstimator(column([0, 2, 2]), [categorical('a', 'b', 'c')], OPTS);
    expect([0, 1, 2].reduce((s, c) => s + Math.exp(cpe.logPdf([c])), 0)).toBeCloseTo(1, 12);
  });

  it('samples inside the bounds, in log space for a log parameter', () => {
    const pe = new ParzenEstimator(
      [
        [0.0011, 0.99],
        [0.9, 0.01],
      ],
      [float(1e-3, 1, true), float(0, 1)],
      OPTS,
    );
    const draws = pe.sample(createRng(3), 5000);
    for (const [a, b] of draws) {
      expect(a >= 1e-3 && a <= 1).toBe(true);
      expect(b >= 0 && b <= 1).toBe(true);
    }
    // Kernels in log space: about half the prior's and the kernels' mass is below the geometric middle.
    const belowMiddle = draws.filter(([a]) => a < Math.sqrt(1e-3)).length / draws.length;
    expect(belowMiddle).toBeGreaterThan(0.3);
  });
});
