import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import { chiSquareSf, normalSf } from '../../../src-workers/compute/experiments/distributions';
import {
  analyzeMetric,
  decide,
  gaussianPosterior,
  sequentialHalfwidth,
  sequentialRho,
  srm,
  type MetricAnalysis,
} from '../../../src-workers/compute/experiments/statistics';
import { checksum, generate, loadReference, type CaseOptions, type SampleSpec } from './fixtureData';

/**
 * Every statistic against scipy (test/fixtures/experiments/make_reference.py). Tolerances:
 * - means, effects, standard errors, Welch degrees of freedom, χ², ρ and half-widths: 1e-10 relative (summation order);
 * - p-values: 1e-10 absolute and 1e-8 relative (stats/studentT and the incomplete gamma are good to ~1e-13);
 * - interval bounds: 1e-9 relative (the t quantile is a bisection to 1e-15);
 * - posterior chance to win and expected losses: 1e-9 absolute and 1e-6 relative — scipy's truncnorm, as gbstats
 *   uses it, against the closed form σφ(μ/σ) ∓ μΦ(∓μ/σ). The closed form is the more accurate one far out: at
 *   μ/σ = −6.7 truncnorm is 4e-6 off in relative terms where the closed form agrees with mpmath to 4e-14;
 * - power: 1e-9 absolute.
 */

const ref = loadReference();

function close(actual: number | null, expected: number, rel = 1e-10, abs = 0, what = ''): void {
  expect(actual, what).not.toBeNull();
  const err = Math.abs((actual as number) - expected);
  expect(err, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(Math.max(abs, rel * Math.abs(expected)));
}

function closeInterval(actual: [number | null, number | null], expected: [number, number], rel: number, what: string): void {
  close(actual[0], expected[0], rel, 1e-14, `${what}[0]`);
  close(actual[1], expected[1], rel, 1e-14, `${what}[1]`);
}

function rebuilt(spec: SampleSpec, want: { n: number; missing: number; sum: number }): Float64Array {
  const x = generate(spec);
  const got = checksum(x);
  expect([got.n, got.missing]).toEqual([want.n, want.missing]);
  expect(Math.abs(got.sum - want.sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want.sum)));
  return x;
}

type Expected = (typeof ref.routed)[number] | (typeof ref.paired)[number];

function compare(got: MetricAnalysis, c: Expected): void {
  close(got.effect, c.effect, 1e-10, 1e-15, 'effect');
  close(got.se, c.se, 1e-10, 0, 'se');
  close(got.relativeEffect, c.relativeEffect, 1e-10, 1e-15, 'relativeEffect');
  close(got.relativeSe, c.relativeSe, 1e-10, 0, 'relativeSe');
  close(got.challengerMean, c.challengerMean, 1e-12, 1e-15, 'challengerMean');
  close(got.controlMean, c.controlMean, 1e-12, 1e-15, 'controlMean');

  close(got.fixed.df, c.fixed.df, 1e-10, 0, 'df');
  close(got.fixed.pValue, c.fixed.pValue, 1e-8, 1e-10, 'fixed p');
  closeInterval(got.fixed.ci, c.fixed.ci, 1e-9, 'fixed ci');
  closeInterval(got.fixed.relativeCi, c.fixed.relativeCi, 1e-9, 'fixed relativeCi');
  expect(got.fixed.significant).toBe(c.fixed.significant);

  close(got.sequential.halfwidth, c.sequential.halfwidth, 1e-10, 0, 'halfwidth');
  closeInterval(got.sequential.ci, c.sequential.ci, 1e-9, 'sequential ci');
  closeInterval(got.sequential.relativeCi, c.sequential.relativeCi, 1e-9, 'sequential relativeCi');
  close(got.sequential.pValue, c.sequential.pValue, 1e-8, 1e-12, 'sequential p');
  expect(got.sequential.significant).toBe(c.sequential.significant);

  close(got.bayesian.mean, c.bayesian.mean, 1e-10, 1e-15, 'posterior mean');
  close(got.bayesian.sd, c.bayesian.sd, 1e-10, 0, 'posterior sd');
  closeInterval(got.bayesian.ci, c.bayesian.ci, 1e-9, 'credible interval');
  close(got.bayesian.probabilityToBeat, c.bayesian.probabilityToBeat, 1e-6, 1e-9, 'probabilityToBeat');
  close(got.bayesian.expectedLossChallenger, c.bayesian.expectedLossChallenger, 1e-6, 1e-9, 'expectedLossChallenger');
  close(got.bayesian.expectedLossControl, c.bayesian.expectedLossControl, 1e-6, 1e-9, 'expectedLossControl');
  expect(got.bayesian.stop).toBe(c.bayesian.stop);

  close(got.power.fixed, c.power.fixed, 0, 1e-9, 'fixed power');
  close(got.power.sequential, c.power.sequential, 0, 1e-9, 'sequential power');
  expect(got.explanation.length).toBeGreaterThan(40);
}

const opts = (o: CaseOptions) => ({ ...o });

describe('routed analysis against scipy.stats.ttest_ind(equal_var=False) and the gbstats formulas', () => {
  it.each(ref.routed.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const control = rebuilt(c.control, c.checksum.control);
    const challenger = rebuilt(c.challenger, c.checksum.challenger);
    const got = analyzeMetric({ kind: 'routed', control, challenger }, opts(c.options));
    expect(got.n).toBe(control.length + challenger.length);
    expect([got.nControl, got.nChallenger]).toEqual([control.length, challenger.length]);
    compare(got, c);
  });

  it('covers significant and non-significant fixed tests, both directions, a flat prior and a stopping Bayesian rule', () => {
    const all = [...ref.routed, ...ref.paired];
    expect(new Set(all.map((c) => c.fixed.significant))).toEqual(new Set([true, false]));
    expect(new Set(all.map((c) => c.sequential.significant))).toEqual(new Set([true, false]));
    expect(new Set(all.map((c) => c.bayesian.stop))).toEqual(new Set([true, false]));
    expect(new Set(all.map((c) => c.options.direction))).toEqual(new Set(['higher', 'lower']));
    expect(all.some((c) => c.options.prior === null)).toBe(true);
  });
});

describe('paired analysis against scipy.stats.ttest_1samp and the gbstats formulas', () => {
  it.each(ref.paired.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const diffs = rebuilt(c.diffs, c.checksum.diffs);
    const got = analyzeMetric({ kind: 'paired', diffs, controlMean: c.controlMean }, opts(c.options));
    expect([got.n, got.nControl, got.nChallenger]).toEqual([diffs.length, diffs.length, diffs.length]);
    compare(got, c);
  });
});

describe('sample-ratio mismatch against scipy.stats.chisquare', () => {
  it.each(ref.srm.map((c) => [c.counts.join('/'), c] as const))('%s', (_name, c) => {
    const got = srm(c.counts, c.weights);
    close(got.chi2, c.chi2, 1e-10, 1e-12, 'chi2');
    close(got.pValue, c.pValue, 1e-8, 1e-15, 'p');
    expect(got.mismatch).toBe(c.pValue < 0.001);
  });

  it('alerts on 700/300 against 80/20 and not on 800/200', () => {
    expect(srm([700, 300], [0.8, 0.2]).mismatch).toBe(true);
    expect(srm([800, 200], [0.8, 0.2]).mismatch).toBe(false);
    expect(srm([0, 0], [0.8, 0.2])).toEqual({ chi2: 0, pValue: 1, mismatch: false });
  });

  it('chi-square and normal tails keep relative accuracy far out', () => {
    // scipy.stats.chi2.sf(62.5, 1) and norm.sf(8): values a 1e-7-accurate erf would return as 0.
    close(chiSquareSf(62.5, 1), 2.6644463892359247e-15, 1e-9, 0, 'chi2 sf');
    close(normalSf(8), 6.22096057427174e-16, 1e-9, 0, 'norm sf');
    close(normalSf(-1.5), 0.9331927987311419, 1e-12, 0, 'norm sf below 0');
  });
});

describe('posterior quantities against scipy.stats.norm and truncnorm (gbstats get_risk)', () => {
  it.each(ref.posteriors.map((c) => [`${c.estimate} ± ${c.se}, prior ${JSON.stringify(c.prior)}`, c] as const))('%s', (_name, c) => {
    const got = gaussianPosterior(c.estimate, c.se, c.prior);
    close(got.mean, c.mean, 1e-12, 1e-16, 'mean');
    close(got.sd, c.sd, 1e-12, 0, 'sd');
    close(got.probabilityToBeat, c.probabilityToBeat, 1e-6, 1e-9, 'probabilityToBeat');
    close(got.expectedLossChallenger, c.expectedLossChallenger, 1e-6, 1e-9, 'expectedLossChallenger');
    close(got.expectedLossControl, c.expectedLossControl, 1e-6, 1e-9, 'expectedLossControl');
    // The two risks differ by exactly the posterior mean: E[max(θ,0)] − E[max(−θ,0)] = E[θ].
    expect(Math.abs(got.expectedLossControl - got.expectedLossChallenger - got.mean)).toBeLessThanOrEqual(1e-12);
  });
});

describe('confidence-sequence half-width against the formula of arXiv 2103.06476 eq. 9 / 161', () => {
  it.each(ref.sequential.map((c) => [`s²=${c.s2} n=${c.n} N*=${c.tuning} α=${c.alpha}`, c] as const))('%s', (_name, c) => {
    close(sequentialRho(c.alpha, c.tuning), c.rho, 1e-12, 0, 'rho');
    close(sequentialHalfwidth(c.s2, c.n, c.tuning, c.alpha), c.halfwidth, 1e-12, 0, 'halfwidth');
  });

  it('is wider than the fixed interval and tightest relative to it near n = N*', () => {
    const se = (n: number) => 0.5 / Math.sqrt(n);
    const ratio = (n: number, tuning: number) => sequentialHalfwidth(0.25, n, tuning, 0.05) / (1.959964 * se(n));
    for (const n of [50, 500, 5000, 50000]) expect(ratio(n, 5000)).toBeGreaterThan(1);
    // For a sample of 900, tuning at 900 gives a narrower sequence than GrowthBook's default 5000.
    expect(ratio(900, 900)).toBeLessThan(ratio(900, 5000));
  });
});

describe('analyzeMetric on hand-made samples', () => {
  const base = { direction: 'higher' as const };

  it('orients effects so a lower log loss favours the challenger', () => {
    const control = Float64Array.from([0.7, 0.72, 0.69, 0.71, 0.7, 0.73]);
    const challenger = Float64Array.from([0.6, 0.62, 0.61, 0.6, 0.63, 0.59]);
    const lower = analyzeMetric({ kind: 'routed', control, challenger }, { direction: 'lower' });
    const higher = analyzeMetric({ kind: 'routed', control, challenger }, base);
    expect(lower.effect as number).toBeGreaterThan(0);
    expect(higher.effect as number).toBeLessThan(0);
    expect(lower.fixed.pValue).toBeCloseTo(higher.fixed.pValue as number, 12);
    expect(lower.bayesian.probabilityToBeat as number).toBeGreaterThan(0.99);
    expect(lower.explanation).toMatch(/Challenger metric 0\.6083 vs control 0\.7083/);
  });

  it('answers with nulls, not NaN, when a variant has fewer than two games', () => {
    const got = analyzeMetric({ kind: 'routed', control: Float64Array.from([1, 0, 1]), challenger: Float64Array.from([1]) }, base);
    expect(got.se).toBeNull();
    expect(got.fixed).toEqual({ pValue: null, df: null, ci: [null, null], relativeCi: [null, null], significant: false });
    expect(got.sequential.significant).toBe(false);
    expect(got.bayesian.stop).toBe(false);
    expect(got.power).toEqual({ fixed: null, sequential: null });
    expect(JSON.stringify(got)).not.toMatch(/NaN/);
    expect(got.explanation).toMatch(/Too few games/);
  });

  it('treats a paired sample without spread as the limit of the t-test', () => {
    const same = analyzeMetric({ kind: 'paired', diffs: new Float64Array(50), controlMean: 0.57 }, base);
    expect(same.fixed.pValue).toBe(1);
    expect(same.fixed.significant).toBe(false);
    expect(same.sequential.significant).toBe(false);
    expect(same.bayesian.probabilityToBeat).toBe(0.5);
    const better = analyzeMetric({ kind: 'paired', diffs: new Float64Array(50).fill(0.01), controlMean: 0.57 }, base);
    expect(better.fixed.significant).toBe(true);
    expect(better.sequential.significant).toBe(true);
    expect(better.bayesian.probabilityToBeat).toBe(1);
  });

  it('has no relative effect, Bayesian answer or power when the control mean is 0 (an ROI of exactly 0)', () => {
    const got = analyzeMetric({ kind: 'paired', diffs: Float64Array.from([0.1, -0.2, 0.3, 0.05]), controlMean: 0 }, base);
    expect(got.relativeEffect).toBeNull();
    expect(got.bayesian.mean).toBeNull();
    expect(got.power.fixed).toBeNull();
    expect(got.fixed.pValue).not.toBeNull();
  });

  it('refuses invalid options as an input error naming the field', () => {
    const run = (o: object) => () => analyzeMetric({ kind: 'paired', diffs: Float64Array.from([1, 2]), controlMean: 1 }, o as never);
    expect(run({ direction: 'up' })).toThrow(BullpenError);
    expect(run({ direction: 'higher', alpha: 1.5 })).toThrow(/alpha/);
    expect(run({ direction: 'higher', prior: { sd: 0 } })).toThrow(/prior\.sd/);
    expect(run({ direction: 'higher', extra: 1 })).toThrow(BullpenError);
  });
});

describe('decide', () => {
  const strong = analyzeMetric(
    { kind: 'paired', diffs: Float64Array.from({ length: 300 }, (_, i) => 0.05 + ((i % 7) - 3) * 0.01), controlMean: 0.57 },
    { direction: 'higher' },
  );
  const nothing = analyzeMetric(
    { kind: 'paired', diffs: Float64Array.from({ length: 300 }, (_, i) => ((i % 7) - 3) * 0.01), controlMean: 0.57 },
    { direction: 'higher' },
  );
  const rules = (procedure: 'fixed' | 'sequential' | 'bayesian', minSamples = 100, maxDays = 14) => ({ procedure, minSamples, maxDays });

  it('makes no decision before the minimum samples per variant, and ends with no difference at maxDays', () => {
    expect(decide(strong, 3, rules('sequential', 400))).toMatchObject({ outcome: 'continue', by: 'minSamples' });
    expect(decide(strong, 14, rules('sequential', 400))).toMatchObject({ outcome: 'noDifference', by: 'maxDuration' });
  });

  it('stops early on the sequence or the expected loss, but the fixed test only at maxDays', () => {
    expect(strong.sequential.significant && strong.bayesian.stop && strong.fixed.significant).toBe(true);
    expect(decide(strong, 5, rules('sequential'))).toMatchObject({ outcome: 'challenger', by: 'sequential' });
    expect(decide(strong, 5, rules('bayesian'))).toMatchObject({ outcome: 'challenger', by: 'bayesian' });
    expect(decide(strong, 5, rules('fixed'))).toMatchObject({ outcome: 'continue', by: null });
    expect(decide(strong, 14, rules('fixed'))).toMatchObject({ outcome: 'challenger', by: 'maxDuration' });
  });

  it('declares no difference at maxDays when nothing is significant', () => {
    expect(nothing.sequential.significant || nothing.fixed.significant).toBe(false);
    for (const p of ['fixed', 'sequential'] as const) {
      expect(decide(nothing, 13, rules(p))).toMatchObject({ outcome: 'continue' });
      expect(decide(nothing, 14, rules(p))).toMatchObject({ outcome: 'noDifference', by: 'maxDuration' });
    }
  });
});
