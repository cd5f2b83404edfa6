import { analyzeMetric, decide, srm, type Decision, type MetricAnalysis } from '../../../../src-workers/compute/experiments/statistics';
import {
  SRM_ALERT_P,
  type AnalysisKind,
  type AnalyzedMetric,
  type BoundaryPoint,
  type Experiment,
  type ExperimentAnalysis,
  type ExperimentDecision,
  type GuardrailMetric,
  type MetricTest,
  type SrmResult,
  type VariantSummary,
} from '../../../shared/results/experiments';
import {
  challengerPlacedProfit,
  METRIC_DIRECTION,
  pairedGames,
  pairedSample,
  routedSample,
  routingCounts,
  variantMetrics,
  type ExperimentGame,
} from './experimentSample';

/**
 * One look at an experiment: both analyses of every metric, the sample-ratio check, the circuit breaker and
 * the decision, from its games as known at the clock's time. Pure: the same games and day give the same answer.
 *
 * The decision, in order:
 *   1. bankroll: the challenger's placed bets have lost more than maxLossShare × bankroll → circuit breaker;
 *   2. guardrails (once the primary metric has minSamples per variant): a guardrail whose always-valid
 *      interval shows the challenger worse → circuit breaker;
 *   3. the primary metric, in the configured analysis, by compute/experiments decide: no decision before
 *      minSamples per variant, a stop by the sequential test and/or the Bayesian rule (the config's stopRule),
 *      "no difference" at maxDays.
 */

const DAY_MS = 86_400_000;

/** Whole days from the experiment's first day to the clock's day: after day 1's outcomes, 1. */
export function experimentDay(startDay: string, clockDay: string): number {
  return Math.max(0, Math.round((Date.parse(`${clockDay}T00:00:00Z`) - Date.parse(`${startDay}T00:00:00Z`)) / DAY_MS));
}

export const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

export const METRIC_LABELS: Record<AnalyzedMetric, string> = {
  logLoss: 'log loss',
  accuracy: 'accuracy',
  roi: 'ROI',
  calibration: 'Brier score',
};

/** One metric in one analysis, with the experiment's test settings. */
export function analyze(e: Experiment, games: readonly ExperimentGame[], kind: AnalysisKind, metric: AnalyzedMetric): MetricAnalysis {
  const sample = kind === 'routed' ? { kind, ...routedSample(games, metric) } : { kind, ...pairedSample(games, metric) };
  return analyzeMetric(sample, {
    direction: METRIC_DIRECTION[metric],
    alpha: e.config.alpha,
    minEffect: e.config.minEffect,
    tuning: e.config.sequentialTuning,
    prior: e.config.prior,
    riskThreshold: e.config.riskThreshold,
    label: METRIC_LABELS[metric],
  });
}

function asTest(metric: AnalyzedMetric, a: MetricAnalysis): MetricTest {
  return {
    metric,
    direction: METRIC_DIRECTION[metric],
    n: a.n,
    nControl: a.nControl,
    nChallenger: a.nChallenger,
    controlMean: a.controlMean,
    challengerMean: a.challengerMean,
    effect: a.effect,
    relativeEffect: a.relativeEffect,
    fixed: { pValue: a.fixed.pValue, ci: a.fixed.ci, relativeCi: a.fixed.relativeCi, significant: a.fixed.significant },
    sequential: {
      pValue: a.sequential.pValue,
      ci: a.sequential.ci,
      relativeCi: a.sequential.relativeCi,
      significant: a.sequential.significant,
    },
    bayesian: {
      mean: a.bayesian.mean,
      sd: a.bayesian.sd,
      ci: a.bayesian.ci,
      probabilityToBeat: a.bayesian.probabilityToBeat,
      expectedLossChallenger: a.bayesian.expectedLossChallenger,
      expectedLossControl: a.bayesian.expectedLossControl,
      stop: a.bayesian.stop,
    },
    power: a.power,
    explanation: a.explanation,
  };
}

interface KindAnalysis {
  primary: MetricAnalysis;
  guardrails: { metric: GuardrailMetric; analysis: MetricAnalysis }[];
}

function analyzeKind(e: Experiment, games: readonly ExperimentGame[], kind: AnalysisKind): KindAnalysis {
  return {
    primary: analyze(e, games, kind, e.config.metric),
    guardrails: e.config.guardrails.map((metric) => ({ metric, analysis: analyze(e, games, kind, metric) })),
  };
}

function toAnalysis(e: Experiment, kind: AnalysisKind, a: KindAnalysis): ExperimentAnalysis {
  return {
    kind,
    primary: asTest(e.config.metric, a.primary),
    guardrails: a.guardrails.map((g) => asTest(g.metric, g.analysis)),
  };
}

/** The primary metric's decision by each early-stopping rule alone, and by the experiment's rule. */
export function primaryDecisions(
  e: Experiment,
  analysis: MetricAnalysis,
  day: number,
): { sequential: Decision; bayesian: Decision; chosen: Decision } {
  const rules = { minSamples: e.config.minSamples, maxDays: e.config.maxDays };
  const sequential = decide(analysis, day, { ...rules, procedure: 'sequential' });
  const bayesian = decide(analysis, day, { ...rules, procedure: 'bayesian' });
  const chosen =
    e.config.stopRule === 'sequential'
      ? sequential
      : e.config.stopRule === 'bayesian'
        ? bayesian
        : sequential.by === 'sequential'
          ? sequential
          : bayesian;
  return { sequential, bayesian, chosen };
}

export interface CircuitBreakerState {
  tripped: boolean;
  challengerProfit: number;
  lossLimit: number;
  regressedGuardrails: GuardrailMetric[];
  reason: string | null;
}

export interface ExperimentEvaluation {
  day: number;
  variants: [VariantSummary, VariantSummary];
  routed: ExperimentAnalysis | null;
  paired: ExperimentAnalysis | null;
  pairedGames: number;
  srm: SrmResult | null;
  circuitBreaker: CircuitBreakerState;
  /** What the games say now (continue, a winner, no difference, or the circuit breaker), dated the clock's day. */
  decision: ExperimentDecision;
  /** The deciding analysis' primary metric, and what each early-stopping rule alone says of it. */
  deciding: MetricAnalysis;
  stops: { sequential: Decision; bayesian: Decision };
}

function variantSummary(e: Experiment, games: readonly ExperimentGame[], variant: 'control' | 'challenger'): VariantSummary {
  const { games: settled, ...metrics } = variantMetrics(games, variant);
  return {
    name: e[variant].version === null ? e[variant].modelName : `${e[variant].modelName}:${e[variant].version}`,
    variant,
    games: settled,
    assigned: games.filter((g) => g.variant === variant).length,
    metrics,
  };
}

function srmOf(games: readonly ExperimentGame[]): SrmResult | null {
  const { counts, expected } = routingCounts(games);
  const total = expected[0] + expected[1];
  if (total === 0) return null;
  const r = srm(counts, [expected[0] / total, expected[1] / total]);
  return {
    counts,
    expected,
    chi2: Number.isFinite(r.chi2) ? r.chi2 : null,
    pValue: Number.isFinite(r.pValue) ? r.pValue : null,
    threshold: SRM_ALERT_P,
    mismatch: r.pValue < SRM_ALERT_P,
  };
}

const fmt = (x: number) => (Math.round(x * 100) / 100).toString();

/** One look at the experiment on the clock's day (`today`: games dated before it are settled when they have a result). */
export function evaluateExperiment(e: Experiment, games: readonly ExperimentGame[], today: string): ExperimentEvaluation {
  const day = experimentDay(e.startDay, today);
  const routed = analyzeKind(e, games, 'routed');
  const paired = analyzeKind(e, games, 'paired');
  const deciding = e.config.analysis === 'routed' ? routed : paired;
  const profit = challengerPlacedProfit(games);
  const lossLimit = e.config.maxLossShare * e.config.bankroll;
  const enough = Math.min(deciding.primary.nControl, deciding.primary.nChallenger) >= e.config.minSamples;
  const regressed = enough
    ? deciding.guardrails.filter((g) => g.analysis.sequential.significant && (g.analysis.effect ?? 0) < 0).map((g) => g.metric)
    : [];
  const { sequential, bayesian, chosen } = primaryDecisions(e, deciding.primary, day);

  let decision: ExperimentDecision;
  let breakerReason: string | null = null;
  if (profit < -lossLimit) {
    breakerReason = `the challenger's placed bets lost ${fmt(-profit)} units, more than ${fmt(lossLimit)} (${Math.round(e.config.maxLossShare * 100)}% of the ${fmt(e.config.bankroll)}-unit bankroll)`;
    decision = { outcome: 'circuitBreaker', by: 'bankroll', date: today, reason: `Circuit breaker: ${breakerReason}.` };
  } else if (regressed.length) {
    const g = deciding.guardrails.find((x) => x.metric === regressed[0]) as KindAnalysis['guardrails'][number];
    breakerReason = `guardrail ${regressed.join(', ')} regressed significantly on the always-valid test (${g.analysis.explanation})`;
    decision = { outcome: 'circuitBreaker', by: 'guardrail', date: today, reason: `Circuit breaker: ${breakerReason}` };
  } else {
    decision = { outcome: chosen.outcome, by: chosen.by, date: chosen.outcome === 'continue' ? null : today, reason: chosen.reason };
  }
  return {
    day,
    variants: [variantSummary(e, games, 'control'), variantSummary(e, games, 'challenger')],
    routed: toAnalysis(e, 'routed', routed),
    paired: toAnalysis(e, 'paired', paired),
    pairedGames: pairedGames(games),
    srm: srmOf(games),
    circuitBreaker: {
      tripped: breakerReason !== null,
      challengerProfit: profit,
      lossLimit,
      regressedGuardrails: regressed,
      reason: breakerReason,
    },
    decision,
    deciding: deciding.primary,
    stops: { sequential, bayesian },
  };
}

/**
 * The deciding analysis' primary metric after each settled date: the sequential boundary (the always-valid
 * interval) beside the fixed-horizon one, and the Bayesian figures, look by look. Dates up to `until`.
 */
export function boundaryTimeline(e: Experiment, games: readonly ExperimentGame[], until: string): BoundaryPoint[] {
  const settled = games.filter((g) => g.outcome !== null && g.date <= until);
  const dates = [...new Set(settled.map((g) => g.date))].sort();
  const points: BoundaryPoint[] = [];
  for (const date of dates) {
    const upTo = settled.filter((g) => g.date <= date);
    const a = analyze(e, upTo, e.config.analysis, e.config.metric);
    points.push({
      date,
      day: Math.max(1, experimentDay(e.startDay, nextDay(date))),
      n: a.n,
      effect: a.effect,
      sequentialCi: a.sequential.ci,
      fixedCi: a.fixed.ci,
      probabilityToBeat: a.bayesian.probabilityToBeat,
      expectedLossChallenger: a.bayesian.expectedLossChallenger,
      sequentialSignificant: a.sequential.significant,
      bayesianStop: a.bayesian.stop,
    });
  }
  return points;
}
