import { z } from 'zod';
import { validationError } from '../../../src-main/shared/errors';
import { moments } from '../stats/moments';
import { normalPdf } from '../stats/normal';
import { studentTQuantile, studentTTwoSided } from '../stats/studentT';
import { decimal, percent, pValue as formatP, whole } from '../validation/format';
import { chiSquareSf, normalCdf, normalQuantileAccurate, normalSf } from './distributions';

/**
 * The statistics of an A/B test between the deployed model (control) and a challenger, on one metric, as
 * every daily look computes them. Three answers, because they answer different questions:
 *
 * 1. Fixed horizon: Welch's t-test of the mean difference (unequal variances, Welch–Satterthwaite degrees of
 *    freedom; the one-sample t-test of the per-game differences for the paired analysis), two-sided p and the
 *    1 − α interval. Valid only when read once, at the planned end: read every day, its false-positive rate
 *    grows with the number of looks (bench/abSimulation.ts measures by how much).
 * 2. Always valid: GrowthBook's asymptotic confidence sequence (Waudby-Smith, Arnold, Wu, Howard, Ramdas,
 *    "Time-uniform central limit theory and asymptotic confidence sequences", arXiv 2103.06476v7, eq. 9 for the
 *    half-width and eq. 161 for ρ; gbstats/frequentist/tests.py sequential_interval_halfwidth and sequential_rho):
 *        ρ² = (−2 ln α + ln(1 − 2 ln α)) / N*
 *        half-width(n) = s · √( 2(nρ² + 1) / (n²ρ²) · ln( √(nρ² + 1) / α ) ),   s² = n · SE²
 *    with n the number of units (routed: games of both variants; paired: games) and N* the tuning parameter,
 *    the n at which the sequence is tightest (GrowthBook's default 5000). The estimate ± half-width covers the
 *    true effect at every n simultaneously with probability ≥ 1 − α (asymptotically), so it may be read every
 *    day and the test stops the first time it excludes 0. Its p-value is the inverse of the e-value
 *    √(nρ² + 1)⁻¹ · exp(ρ² n² θ̂² / (2 s² (nρ² + 1))) (eq. 155), below α exactly when the sequence excludes 0.
 * 3. Bayesian, as GrowthBook's effect engine on the relative scale: the relative effect's estimate and its
 *    delta-method variance are a Gaussian likelihood; with a Gaussian prior N(μ₀, τ²) on the relative effect
 *    (default μ₀ = 0, τ = 0.3, GrowthBook's DEFAULT_PROPER_PRIOR_STDDEV; null for a flat prior) the posterior is
 *    Gaussian with precision 1/v + 1/τ² and mean (θ̂/v + μ₀/τ²)/precision. Probability to beat control
 *    P(θ > 0); expected loss (GrowthBook's "risk") of choosing the challenger E[max(−θ, 0)] = σφ(μ/σ) − μΦ(−μ/σ)
 *    and of keeping control E[max(θ, 0)] = σφ(μ/σ) + μΦ(μ/σ), both as fractions of |control mean|. The stop
 *    rule: stop when the leader's expected loss is below riskThreshold. The rule is a decision rule with no
 *    frequentist guarantee of its own: with GrowthBook's threshold (0.0025, DEFAULT_WIN_RISK_THRESHOLD) and daily
 *    looks it declares false winners in most null experiments at MLB volumes, so the default here is 2.5e-5 up to
 *    60 days and smaller beyond, tuned by bench/abSimulation.ts to keep the false-positive rate ≤ α under daily
 *    looks up to a whole season (see riskThresholdFor).
 *
 * Effects are oriented so that > 0 favours the challenger (for a lower-is-better metric such as log loss the
 * sign is flipped); the relative effect is effect / |control mean|, its variance by the delta method for a
 * ratio of independent means (GrowthBook's variance_of_ratios): Var(m_t)/m_c² + m_t² Var(m_c)/m_c⁴. In the
 * paired analysis the control mean is taken as known (it is estimated on all games, far more precisely than the
 * mean difference), so the relative standard error is SE / |control mean|.
 *
 * Written here, not taken from a library: simple-statistics has Welch's statistic but no Student t
 * distribution (stats/studentT supplies it) and no confidence sequence, posterior or power; stats/moments gives the
 * means and variances; the tails come from ./distributions for their relative accuracy.
 */

/** GrowthBook's sequential tuning default: the sample size at which decisions are usually made. */
export const DEFAULT_SEQUENTIAL_TUNING = 5000;
/** GrowthBook's DEFAULT_PROPER_PRIOR_STDDEV, on the relative effect. */
export const DEFAULT_PRIOR_SD = 0.3;
/** GrowthBook's DEFAULT_WIN_RISK_THRESHOLD: expected loss as a fraction of the control mean. */
export const GROWTHBOOK_RISK_THRESHOLD = 0.0025;
/**
 * Bullpen's default risk threshold, 100 times smaller than GrowthBook's: with daily looks at MLB volumes GrowthBook's
 * 0.0025 declares a winner in 28–90% of experiments where there is none (bench/abSimulation.ts, seed 2: 14–60 days,
 * routed and paired, per-game accuracy); 2.5e-5 kept the worst cell at 4.0% (paired, 60 days, ~900 games). The rule's
 * error grows with the number of games, so over much longer experiments (or metrics with less per-game noise
 * relative to their mean) the threshold needs to shrink again: the sequential test is the one with a guarantee.
 */
export const DEFAULT_RISK_THRESHOLD = 2.5e-5;

/**
 * The risk threshold for an experiment of at most `maxDays` daily looks, largest first: the Bayesian rule's
 * false-positive rate grows with the looks (bench/abSimulation.ts, seed 2, worst analysis: 2.5e-5 gives 4.0% at
 * 60 days but 5.3% at 90, 6.1% at 120 and 7.4% at 183), so longer experiments get a smaller threshold (1.5e-5:
 * 3.2% at 90, 3.8% at 120; 1e-5: 2.9% at 183). Seed 1 checks the choice out of sample (bench/RESULTS.md).
 */
export const RISK_THRESHOLD_BY_MAX_DAYS: readonly { upTo: number; threshold: number }[] = [
  { upTo: 60, threshold: DEFAULT_RISK_THRESHOLD },
  { upTo: 120, threshold: 1.5e-5 },
  { upTo: Number.POSITIVE_INFINITY, threshold: 1e-5 },
];

/** Bullpen's default risk threshold for an experiment that looks daily for at most `maxDays` days. */
export function riskThresholdFor(maxDays: number): number {
  const step = RISK_THRESHOLD_BY_MAX_DAYS.find((s) => maxDays <= s.upTo);
  return (step ?? RISK_THRESHOLD_BY_MAX_DAYS[RISK_THRESHOLD_BY_MAX_DAYS.length - 1]).threshold;
}
/** GrowthBook's DEFAULT_SRM_THRESHOLD: a sample-ratio mismatch alerts below this p-value. */
export const SRM_P_THRESHOLD = 0.001;
/** Beyond |μ/σ| = 37 one normal tail is below 1e-300: the expected losses are max(∓μ, 0) exactly (GrowthBook short-circuits there too). */
const RISK_Z_LIMIT = 37;

export const analysisOptionsSchema = z
  .object({
    /** Whether a higher metric is better (accuracy, ROI) or a lower one (log loss, Brier). */
    direction: z.enum(['higher', 'lower']),
    /** Two-sided level of every test and interval. */
    alpha: z.number().gt(0).lt(1).default(0.05),
    /** The smallest relative effect worth acting on (0.05 = 5% of the control mean); power is computed for it. */
    minEffect: z.number().gt(0).default(0.05),
    /** N* of the confidence sequence. */
    tuning: z.number().gt(0).default(DEFAULT_SEQUENTIAL_TUNING),
    /** Gaussian prior of the relative effect; null for a flat (improper) prior. */
    prior: z
      .object({ mean: z.number().default(0), sd: z.number().gt(0) })
      .nullable()
      .default({ mean: 0, sd: DEFAULT_PRIOR_SD }),
    /** Stop when the leader's expected loss (a fraction of |control mean|) is below this. */
    riskThreshold: z.number().gt(0).default(DEFAULT_RISK_THRESHOLD),
    /** The metric's name in the explanation. */
    label: z.string().default('metric'),
  })
  .strict();
export type AnalysisOptions = z.input<typeof analysisOptionsSchema>;
export type ParsedAnalysisOptions = z.output<typeof analysisOptionsSchema>;

/**
 * Per-game values of one metric. routed: each variant on the games routed to it (independent samples). paired:
 * challenger − control on every game both models scored (metric units, not oriented), and control's mean on those games.
 */
export type MetricSample =
  { kind: 'routed'; control: Float64Array; challenger: Float64Array } | { kind: 'paired'; diffs: Float64Array; controlMean: number };

type Interval = [number | null, number | null];

export interface MetricAnalysis {
  kind: 'routed' | 'paired';
  /** Units in the analysis: routed, games of both variants; paired, games. */
  n: number;
  /** Games behind each variant's mean (paired: both n). */
  nControl: number;
  nChallenger: number;
  controlMean: number | null;
  challengerMean: number | null;
  /** Challenger − control, oriented so > 0 favours the challenger. */
  effect: number | null;
  /** effect / |control mean|. */
  relativeEffect: number | null;
  /** Standard errors of effect and relativeEffect. */
  se: number | null;
  relativeSe: number | null;
  fixed: { pValue: number | null; df: number | null; ci: Interval; relativeCi: Interval; significant: boolean };
  sequential: { pValue: number | null; halfwidth: number | null; ci: Interval; relativeCi: Interval; significant: boolean };
  /** Posterior of the relative effect (fractions of |control mean|). */
  bayesian: {
    mean: number | null;
    sd: number | null;
    /** 1 − α credible interval. */
    ci: Interval;
    probabilityToBeat: number | null;
    expectedLossChallenger: number | null;
    expectedLossControl: number | null;
    stop: boolean;
  };
  /** Probability each test would call an effect of ±minEffect significant with the variance and n so far. */
  power: { fixed: number | null; sequential: number | null };
  explanation: string;
}

/** The mean difference, its standard error and degrees of freedom, oriented; null where the sample cannot give them. */
interface Estimate {
  n: number;
  nControl: number;
  nChallenger: number;
  controlMean: number | null;
  challengerMean: number | null;
  effect: number | null;
  se: number | null;
  df: number | null;
  relativeEffect: number | null;
  relativeSe: number | null;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function routedEstimate(control: Float64Array, challenger: Float64Array, sign: number): Estimate {
  const c = moments(control);
  const t = moments(challenger);
  const out: Estimate = {
    n: c.n + t.n,
    nControl: c.n,
    nChallenger: t.n,
    controlMean: finite(c.mean),
    challengerMean: finite(t.mean),
    effect: c.n && t.n ? sign * (t.mean - c.mean) : null,
    se: null,
    df: null,
    relativeEffect: null,
    relativeSe: null,
  };
  if (out.effect !== null && c.mean !== 0) out.relativeEffect = out.effect / Math.abs(c.mean);
  if (c.n < 2 || t.n < 2) return out;
  const vc = (c.sd * c.sd) / c.n;
  const vt = (t.sd * t.sd) / t.n;
  out.se = Math.sqrt(vc + vt);
  // Welch–Satterthwaite; with both variances 0 the test is degenerate and df is never used.
  out.df = vc + vt > 0 ? (vc + vt) ** 2 / ((vc * vc) / (c.n - 1) + (vt * vt) / (t.n - 1)) : c.n + t.n - 2;
  if (c.mean !== 0) out.relativeSe = Math.sqrt(vt / c.mean ** 2 + (t.mean ** 2 * vc) / c.mean ** 4);
  return out;
}

function pairedEstimate(diffs: Float64Array, controlMean: number, sign: number): Estimate {
  const d = moments(diffs);
  const out: Estimate = {
    n: d.n,
    nControl: d.n,
    nChallenger: d.n,
    controlMean: finite(controlMean),
    challengerMean: d.n ? finite(controlMean + d.mean) : null,
    effect: d.n ? sign * d.mean : null,
    se: d.n >= 2 ? d.sd / Math.sqrt(d.n) : null,
    df: d.n >= 2 ? d.n - 1 : null,
    relativeEffect: null,
    relativeSe: null,
  };
  const base = Math.abs(controlMean);
  if (out.effect !== null && base > 0 && Number.isFinite(base)) {
    out.relativeEffect = out.effect / base;
    if (out.se !== null) out.relativeSe = out.se / base;
  }
  return out;
}

const shifted = (center: number | null, half: number | null): Interval =>
  center === null || half === null ? [null, null] : [center - half, center + half];

function fixedTest(e: Estimate, alpha: number): MetricAnalysis['fixed'] {
  if (e.effect === null || e.se === null || e.df === null)
    return { pValue: null, df: e.df, ci: [null, null], relativeCi: [null, null], significant: false };
  if (e.se === 0) {
    // No spread at all: the limit of the t-test (any difference is certain, none is no evidence).
    const p = e.effect === 0 ? 1 : 0;
    return { pValue: p, df: e.df, ci: [e.effect, e.effect], relativeCi: shifted(e.relativeEffect, 0), significant: p < alpha };
  }
  const p = studentTTwoSided(e.effect / e.se, e.df);
  const q = studentTQuantile(1 - alpha / 2, e.df);
  return {
    pValue: p,
    df: e.df,
    ci: shifted(e.effect, q * e.se),
    relativeCi: shifted(e.relativeEffect, e.relativeSe === null ? null : q * e.relativeSe),
    significant: p < alpha,
  };
}

/** ρ of the confidence sequence tightest at n = tuning (arXiv 2103.06476v7 eq. 161, two-sided). */
export function sequentialRho(alpha: number, tuning: number): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / tuning);
}

/** Half-width of the asymptotic confidence sequence at n units with variance s² = n · SE² (eq. 9). */
export function sequentialHalfwidth(s2: number, n: number, tuning: number, alpha: number): number {
  const r2 = sequentialRho(alpha, tuning) ** 2;
  const nr2 = n * r2;
  return Math.sqrt(s2) * Math.sqrt(((2 * (nr2 + 1)) / (n * n * r2)) * Math.log(Math.sqrt(nr2 + 1) / alpha));
}

/** min(1, 1 / e-value) of the sequence at this look (eq. 155), computed in logs so a large effect does not overflow. */
export function sequentialPValue(effect: number, se: number, n: number, tuning: number, alpha: number): number {
  if (se === 0) return effect === 0 ? 1 : 0;
  const r2 = sequentialRho(alpha, tuning) ** 2;
  const nr2 = n * r2;
  const st2 = (effect * effect) / (se * se);
  const logE = (r2 * n * st2) / (2 * (nr2 + 1)) - 0.5 * Math.log(nr2 + 1);
  return Math.min(1, Math.exp(-logE));
}

function sequentialTest(e: Estimate, alpha: number, tuning: number): MetricAnalysis['sequential'] {
  if (e.effect === null || e.se === null)
    return { pValue: null, halfwidth: null, ci: [null, null], relativeCi: [null, null], significant: false };
  const hw = sequentialHalfwidth(e.se * e.se * e.n, e.n, tuning, alpha);
  const relHw = e.relativeSe === null ? null : sequentialHalfwidth(e.relativeSe * e.relativeSe * e.n, e.n, tuning, alpha);
  const ci = shifted(e.effect, hw);
  return {
    pValue: sequentialPValue(e.effect, e.se, e.n, tuning, alpha),
    halfwidth: hw,
    ci,
    relativeCi: shifted(e.relativeEffect, relHw),
    significant: (ci[0] as number) > 0 || (ci[1] as number) < 0,
  };
}

/** E[max(X, 0)] for X ~ N(μ, σ²): σ·φ(μ/σ) + μ·Φ(μ/σ), with the exact limits at σ = 0 and far in the tails. */
function positivePartMean(mu: number, sigma: number): number {
  if (sigma === 0 || Math.abs(mu / sigma) > RISK_Z_LIMIT) return Math.max(mu, 0);
  const z = mu / sigma;
  return sigma * normalPdf(z) + mu * normalCdf(z);
}

export interface GaussianPosterior {
  mean: number;
  sd: number;
  probabilityToBeat: number;
  expectedLossChallenger: number;
  expectedLossControl: number;
}

/** Posterior of an effect from a Gaussian likelihood N(estimate, se²) and a prior N(mean, sd²) (null: flat), with chance to win and risks. */
export function gaussianPosterior(estimate: number, se: number, prior: { mean: number; sd: number } | null): GaussianPosterior {
  let mean = estimate;
  let sd = se;
  if (prior !== null && se > 0) {
    const precision = 1 / (se * se) + 1 / (prior.sd * prior.sd);
    mean = (estimate / (se * se) + prior.mean / (prior.sd * prior.sd)) / precision;
    sd = Math.sqrt(1 / precision);
  }
  const probabilityToBeat = sd > 0 ? normalSf(-mean / sd) : mean > 0 ? 1 : mean < 0 ? 0 : 0.5;
  return {
    mean,
    sd,
    probabilityToBeat,
    expectedLossChallenger: positivePartMean(-mean, sd),
    expectedLossControl: positivePartMean(mean, sd),
  };
}

function bayesianAnalysis(e: Estimate, o: ParsedAnalysisOptions): MetricAnalysis['bayesian'] {
  if (e.relativeEffect === null || e.relativeSe === null)
    return {
      mean: null,
      sd: null,
      ci: [null, null],
      probabilityToBeat: null,
      expectedLossChallenger: null,
      expectedLossControl: null,
      stop: false,
    };
  const post = gaussianPosterior(e.relativeEffect, e.relativeSe, o.prior);
  return {
    ...post,
    ci: shifted(post.mean, normalQuantileAccurate(1 - o.alpha / 2) * post.sd),
    stop: Math.min(post.expectedLossChallenger, post.expectedLossControl) < o.riskThreshold,
  };
}

/** Power of a two-sided test that rejects when |estimate| > halfwidth, against a true effect ±delta: Φ((δ − h)/SE) + Φ((−δ − h)/SE) (gbstats midexperimentpower, flat prior). */
export function powerAgainst(delta: number, se: number, halfwidth: number): number {
  if (se === 0) return delta > halfwidth ? 1 : 0;
  return normalCdf((delta - halfwidth) / se) + normalCdf((-delta - halfwidth) / se);
}

function powers(e: Estimate, seq: MetricAnalysis['sequential'], o: ParsedAnalysisOptions): MetricAnalysis['power'] {
  if (e.se === null || e.controlMean === null || e.controlMean === 0) return { fixed: null, sequential: null };
  const delta = o.minEffect * Math.abs(e.controlMean);
  return {
    // Normal critical value: power is a planning figure, and at the sample sizes where it matters t ≈ z.
    fixed: powerAgainst(delta, e.se, normalQuantileAccurate(1 - o.alpha / 2) * e.se),
    sequential: seq.halfwidth === null ? null : powerAgainst(delta, e.se, seq.halfwidth),
  };
}

function fmt(x: number | null, digits = 4): string {
  return x === null ? 'n/a' : decimal(x, digits);
}

function pct(x: number | null, signed = true): string {
  return x === null ? 'n/a' : percent(x, { signed, digits: 1 });
}

/** Expected losses are compared with thresholds near 1e-5: two significant digits however small. */
function risk(x: number | null): string {
  if (x === null) return 'n/a';
  return x !== 0 && Math.abs(x) < 1e-3 ? `${(x * 100).toPrecision(2)}%` : percent(x, { digits: 2 });
}

function explain(a: Omit<MetricAnalysis, 'explanation'>, o: ParsedAnalysisOptions): string {
  const level = percent(1 - o.alpha, { digits: 0 });
  const games =
    a.kind === 'paired'
      ? `${whole(a.n)} games scored by both`
      : `${whole(a.nChallenger)} challenger and ${whole(a.nControl)} control games`;
  if (a.effect === null || a.se === null) return `Too few games for a test of ${o.label} yet (${games}; each side needs at least 2).`;
  const seq = a.sequential.significant
    ? `the always-valid ${level} sequence [${fmt(a.sequential.ci[0])}, ${fmt(a.sequential.ci[1])}] excludes 0`
    : `the always-valid ${level} sequence [${fmt(a.sequential.ci[0])}, ${fmt(a.sequential.ci[1])}] still includes 0`;
  const bayes =
    a.bayesian.probabilityToBeat === null
      ? 'no Bayesian answer (control mean 0)'
      : `P(challenger better) ${pct(a.bayesian.probabilityToBeat, false)}, expected loss of choosing it ${risk(a.bayesian.expectedLossChallenger)} (stop below ${risk(o.riskThreshold)})`;
  return (
    `Challenger ${o.label} ${fmt(a.challengerMean)} vs control ${fmt(a.controlMean)} (${pct(a.relativeEffect)} in the challenger's favour) on ${games}: ` +
    `fixed-horizon p = ${a.fixed.pValue === null ? 'n/a' : formatP(a.fixed.pValue)}, ${seq}, ${bayes}.`
  );
}

/** One metric's fixed-horizon, sequential and Bayesian answers and their power, from per-game values of a routed or paired sample. */
export function analyzeMetric(sample: MetricSample, options: AnalysisOptions): MetricAnalysis {
  const parsed = analysisOptionsSchema.safeParse(options);
  if (!parsed.success) throw validationError('experiment analysis', parsed.error);
  const o = parsed.data;
  const sign = o.direction === 'higher' ? 1 : -1;
  const e =
    sample.kind === 'routed'
      ? routedEstimate(sample.control, sample.challenger, sign)
      : pairedEstimate(sample.diffs, sample.controlMean, sign);
  const fixed = fixedTest(e, o.alpha);
  const sequential = sequentialTest(e, o.alpha, o.tuning);
  const bayesian = bayesianAnalysis(e, o);
  const result: Omit<MetricAnalysis, 'explanation'> = {
    kind: sample.kind,
    n: e.n,
    nControl: e.nControl,
    nChallenger: e.nChallenger,
    controlMean: e.controlMean,
    challengerMean: e.challengerMean,
    effect: e.effect,
    relativeEffect: e.relativeEffect,
    se: e.se,
    relativeSe: e.relativeSe,
    fixed,
    sequential,
    bayesian,
    power: powers(e, sequential, o),
  };
  return { ...result, explanation: explain(result, o) };
}

export interface SrmResult {
  chi2: number;
  pValue: number;
  /** pValue < SRM_P_THRESHOLD. */
  mismatch: boolean;
}

/**
 * Sample-ratio mismatch: Pearson's chi-square of the routed counts against the configured split (weights
 * summing to 1), k − 1 degrees of freedom, as GrowthBook's check_srm. Variants with weight 0 are left out (no
 * game should reach them; one that does is a routing bug the counts alone cannot weigh). No games: p = 1.
 */
export function srm(counts: readonly number[], weights: readonly number[]): SrmResult {
  let total = 0;
  for (const c of counts) total += c;
  let chi2 = 0;
  let cells = 0;
  if (total > 0)
    for (let i = 0; i < counts.length; i++) {
      if (!(weights[i] > 0)) continue;
      const expected = total * weights[i];
      chi2 += (counts[i] - expected) ** 2 / expected;
      cells++;
    }
  const pValue = cells > 1 ? chiSquareSf(chi2, cells - 1) : 1;
  return { chi2, pValue, mismatch: pValue < SRM_P_THRESHOLD };
}

/** Which procedure decides an experiment. fixed: only at maxDays (peeking at it inflates errors); sequential: the confidence sequence at every look; bayesian: the expected-loss rule at every look. */
export const procedures = ['fixed', 'sequential', 'bayesian'] as const;
export type Procedure = (typeof procedures)[number];

export interface DecisionRules {
  procedure: Procedure;
  /** Games each variant needs before any decision (settled games; bets for ROI). */
  minSamples: number;
  /** The look on this experiment day (1 = first day) is the last: decide or declare no difference. */
  maxDays: number;
}

export interface Decision {
  outcome: 'continue' | 'challenger' | 'control' | 'noDifference';
  /** What reached it: the rule that blocked a decision (minSamples) or made it; null while the look simply continues. */
  by: 'minSamples' | 'sequential' | 'bayesian' | 'maxDuration' | null;
  reason: string;
}

const leader = (a: MetricAnalysis): 'challenger' | 'control' => ((a.effect ?? 0) > 0 ? 'challenger' : 'control');

/**
 * The decision at one daily look. No decision before minSamples per variant (until maxDays, which then ends
 * the experiment with no difference); the chosen procedure may stop early (sequential, bayesian) or only at
 * maxDays (fixed); at maxDays without a stop the answer is "no difference" — the fixed procedure's test at that
 * look decides, the always-valid procedures keep their own criterion (switching to the fixed test at the end
 * would add its α to theirs).
 */
export function decide(analysis: MetricAnalysis, day: number, rules: DecisionRules): Decision {
  const smallest = Math.min(analysis.nControl, analysis.nChallenger);
  const last = day >= rules.maxDays;
  if (smallest < rules.minSamples) {
    const counts = `${whole(analysis.nControl)} control and ${whole(analysis.nChallenger)} challenger games of the ${whole(rules.minSamples)} each needs`;
    return last
      ? {
          outcome: 'noDifference',
          by: 'maxDuration',
          reason: `Day ${day} of ${rules.maxDays} ended the experiment with ${counts}: no decision possible.`,
        }
      : { outcome: 'continue', by: 'minSamples', reason: `No decision before ${whole(rules.minSamples)} games per variant: ${counts}.` };
  }
  const who = leader(analysis);
  const rel = analysis.relativeEffect === null ? '' : ` (${pct(analysis.relativeEffect)} in the challenger's favour)`;
  if (rules.procedure === 'sequential' && analysis.sequential.significant)
    return { outcome: who, by: 'sequential', reason: `The always-valid interval excludes 0 on day ${day}${rel}: ${who} wins.` };
  if (rules.procedure === 'bayesian' && analysis.bayesian.stop) {
    const loss = who === 'challenger' ? analysis.bayesian.expectedLossChallenger : analysis.bayesian.expectedLossControl;
    return {
      outcome: who,
      by: 'bayesian',
      reason: `Choosing ${who} risks an expected loss of ${risk(loss)} on day ${day}, below the threshold${rel}.`,
    };
  }
  if (rules.procedure === 'fixed' && last && analysis.fixed.significant)
    return {
      outcome: who,
      by: 'maxDuration',
      reason: `The fixed-horizon test at day ${day} gives p = ${formatP(analysis.fixed.pValue as number)}${rel}: ${who} wins.`,
    };
  if (last)
    return {
      outcome: 'noDifference',
      by: 'maxDuration',
      reason: `Day ${day} of ${rules.maxDays} passed without a significant difference${rel}.`,
    };
  return { outcome: 'continue', by: null, reason: `Day ${day} of ${rules.maxDays}: no decision yet${rel}.` };
}
