import { z } from 'zod';
import { count, isoDate, measured } from './numbers';

/**
 * A/B experiments between a deployment's model (control) and a challenger: the stored record, the analysis
 * `ab status` answers (and the A/B screen draws), and the summary a replay reports. Control always comes
 * first wherever the two variants are listed.
 */

export const experimentVariants = ['control', 'challenger'] as const;
export const experimentVariantSchema = z.enum(experimentVariants);
export type ExperimentVariant = (typeof experimentVariants)[number];

/** The primary metric a winner is chosen on. */
export const experimentMetrics = ['logLoss', 'roi', 'accuracy'] as const;
/** Metrics that must not regress (calibration is judged per game by the Brier score). */
export const guardrailMetrics = ['roi', 'calibration', 'logLoss', 'accuracy'] as const;
export type ExperimentMetric = (typeof experimentMetrics)[number];
export type GuardrailMetric = (typeof guardrailMetrics)[number];
export type AnalyzedMetric = ExperimentMetric | GuardrailMetric;

/**
 * running: routing and shadow scoring; completed: a decision was reached (sequential test, Bayesian rule, or
 * the maximum duration); stopped: ended by hand without a decision; rolledBack: the circuit breaker or a person
 * sent the challenger 0% of the games; promoted: the challenger was promoted through the registry's gates.
 */
export const experimentStatuses = ['running', 'completed', 'stopped', 'rolledBack', 'promoted'] as const;
export const experimentStatusSchema = z.enum(experimentStatuses);
export type ExperimentStatus = (typeof experimentStatuses)[number];

/** Which analysis decides: paired (both models' predictions on every game) or routed (each variant on its own games). */
export const analysisKinds = ['paired', 'routed'] as const;
export type AnalysisKind = (typeof analysisKinds)[number];

/** continue: no decision yet; challenger / control: that variant wins; noDifference: the maximum duration passed without one; circuitBreaker: the challenger was cut off. */
export const decisionOutcomes = ['continue', 'challenger', 'control', 'noDifference', 'circuitBreaker'] as const;
/** What reached the decision. */
export const decisionRules = ['minSamples', 'sequential', 'bayesian', 'maxDuration', 'guardrail', 'bankroll', 'manual'] as const;

export const decisionSchema = z.object({
  outcome: z.enum(decisionOutcomes),
  by: z.enum(decisionRules).nullable(),
  /** The experiment day (the clock's date) it was reached; null while continuing. */
  date: isoDate.nullable(),
  reason: z.string(),
});
export type ExperimentDecision = z.output<typeof decisionSchema>;

/** Canary ramp (engine/operations/experiments/canaryRamp.ts): challenger share steps in percent, the current step, and its state. */
export const DEFAULT_RAMP_STEPS = [5, 10, 25, 50, 100] as const;
export const rampStatuses = ['off', 'ramping', 'holding', 'completed', 'rolledBack'] as const;
export const rampSchema = z.object({
  steps: z.array(z.number().gt(0).max(100)),
  /** Index into steps of the share in force; null when no ramp runs (a plain split). */
  current: z.number().int().min(0).nullable(),
  status: z.enum(rampStatuses),
  /** Steps completed, each with the day it completed and the guardrail check that let it pass. */
  completed: z
    .array(
      z.object({
        step: z.number().int().min(0),
        share: z.number(),
        at: z.string(),
        check: z.string(),
        /** Paired settled games when the step completed: the next step counts its games from here. */
        games: count.default(0),
      }),
    )
    .default([]),
});
export type RampState = z.output<typeof rampSchema>;

/** What may stop an experiment early (compute/experiments decide's procedures; either: the first of the two). */
export const stopRules = ['sequential', 'bayesian', 'either'] as const;

/** The experiment's settings as `ab start` stored them. */
export const experimentConfigSchema = z.object({
  /** Percent of games routed to control and to challenger (sum 100). */
  split: z.tuple([z.number().min(0).max(100), z.number().min(0).max(100)]),
  metric: z.enum(experimentMetrics),
  guardrails: z.array(z.enum(guardrailMetrics)),
  analysis: z.enum(analysisKinds),
  /** Settled games (bets, for ROI) each variant needs before any decision. */
  minSamples: z.number().int().min(1),
  maxDays: z.number().int().min(1),
  alpha: z.number().gt(0).lt(1),
  /** The smallest relative improvement worth acting on (0.05: 5%); power is computed for it. */
  minEffect: z.number().gt(0),
  /** Circuit breaker: the challenger is routed 0% once its cumulative loss on placed bets exceeds maxLossShare × bankroll (units of stake). */
  bankroll: z.number().gt(0),
  maxLossShare: z.number().gt(0).max(1),
  /** What may stop the experiment before maxDays: the always-valid sequential test, the Bayesian expected-loss rule, or whichever comes first. */
  stopRule: z.enum(stopRules),
  /** Bayesian stopping: stop when the leader's expected loss is below this fraction of |control mean|. */
  riskThreshold: z.number().gt(0),
  /** Gaussian prior of the relative effect (null: flat). */
  prior: z.object({ mean: z.number(), sd: z.number().gt(0) }).nullable(),
  /** The confidence sequence's tuning N*: the number of samples at which it is tightest. */
  sequentialTuning: z.number().gt(0),
  canary: z.boolean(),
  /** Canary: paired settled games each step runs before its guardrail check may pass it. */
  canaryStepGames: z.number().int().min(1).default(30),
});
export type ExperimentConfig = z.output<typeof experimentConfigSchema>;

export const experimentModelSchema = z.object({
  modelName: z.string(),
  /** Registry version; null for a plain trained model (a replay, or a challenger not yet registered). */
  version: z.number().int().nullable(),
  sourceModel: z.string(),
});

/**
 * The experiment's settings, shared by `ab start` and `deploy replay --challenger`. The split is text
 * (`80/20`: control/challenger percent) checked by the engine (experimentSettings.parseSplit), which names the way out (BAD_SPLIT).
 */
export const experimentOptionsSchema = z.object({
  split: z.string().min(1).max(20).default('80/20').describe('control/challenger percent of the games, e.g. 80/20'),
  metric: z.enum(experimentMetrics).default('logLoss').describe('the primary metric the winner is chosen on'),
  guardrails: z
    .array(z.enum(guardrailMetrics))
    .max(guardrailMetrics.length)
    .default(['roi', 'calibration'])
    .describe('metrics the challenger must not significantly worsen (calibration: per-game Brier score)'),
  minSamples: z.number().int().min(10).max(1_000_000).default(100).describe('settled games (bets for roi) per variant before any decision'),
  maxDays: z.number().int().min(1).max(366).default(14).describe('days after which the experiment decides or says no difference'),
  alpha: z.number().gt(0).max(0.5).default(0.05).describe('significance level of every test'),
  minEffect: z.number().gt(0).max(10).default(0.05).describe('smallest relative improvement worth acting on (power is computed for it)'),
  analysis: z.enum(analysisKinds).default('paired').describe('which analysis decides: paired (every game, both models) or routed'),
  stopRule: z
    .enum(stopRules)
    .default('sequential')
    .describe('what may stop it before max days: the always-valid sequential test, the Bayesian expected-loss rule, or either'),
  bankroll: z.number().gt(0).max(1e9).default(100).describe('units of stake behind the experiment (circuit breaker)'),
  maxLoss: z
    .number()
    .gt(0)
    .max(1)
    .default(0.25)
    .describe("share of the bankroll the challenger's placed bets may lose before it is routed 0%"),
  canary: z.boolean().default(false).describe('ramp the challenger share through 5, 10, 25, 50, 100%'),
  canaryStepGames: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(30)
    .describe('canary: paired settled games (about 2 MLB days) each step runs before its guardrail check may pass it'),
});
export type ExperimentOptions = z.output<typeof experimentOptionsSchema>;

/** One experiment as stored. */
export const experimentSchema = z.object({
  id: z.string(),
  name: z.string(),
  deploymentId: z.string(),
  deployment: z.string(),
  replayId: z.string().nullable(),
  control: experimentModelSchema,
  challenger: experimentModelSchema,
  /** The hash salt: variant = GrowthBook v2 FNV-1a of (salt, game id) in the bucket ranges of the split. */
  salt: z.string(),
  config: experimentConfigSchema,
  status: experimentStatusSchema,
  /** The challenger's share of newly routed games now (0 after a rollback or once the experiment ended). */
  challengerShare: z.number().min(0).max(1),
  ramp: rampSchema,
  decision: decisionSchema.nullable(),
  startedAt: z.string(),
  /** The clock's date it started: day 1 of the experiment. */
  startDay: isoDate,
  endedAt: z.string().nullable(),
});
export type Experiment = z.output<typeof experimentSchema>;

/** One experiment event (started, share change, circuit breaker, decision, stop, promote, rollback, SRM alert, ramp step). */
export const experimentEventSchema = z.object({
  at: z.string(),
  kind: z.enum(['started', 'share', 'circuitBreaker', 'decision', 'stopped', 'promoted', 'rolledBack', 'srm', 'rampStep']),
  share: z.number().nullable(),
  message: z.string(),
});
export type ExperimentEvent = z.output<typeof experimentEventSchema>;

const interval = z.tuple([measured, measured]);

/** One variant's realized metrics on the games routed to it (settled only), each with its 95% interval. */
export const variantMetricsSchema = z.object({
  logLoss: measured,
  logLossCi: interval,
  accuracy: measured,
  accuracyCi: interval,
  brier: measured,
  brierCi: interval,
  ece: measured,
  /** Flat one unit on each placed bet: profit over stake. */
  roi: measured,
  roiCi: interval,
  bets: count,
  profit: z.number(),
});
export type VariantMetrics = z.output<typeof variantMetricsSchema>;

export const variantSummarySchema = z.object({
  /** The variant's model (control: the deployment's). */
  name: z.string(),
  variant: experimentVariantSchema,
  /** Settled games routed to it. */
  games: count,
  /** Games routed to it (settled or not). */
  assigned: count,
  metrics: variantMetricsSchema,
});
export type VariantSummary = z.output<typeof variantSummarySchema>;

/** compute/experiments analyzeMetric: one metric's fixed-horizon, sequential and Bayesian answers, with power. */
export const metricTestSchema = z.object({
  metric: z.enum(guardrailMetrics),
  direction: z.enum(['higher', 'lower']),
  /** Units analysed (routed: games of both variants; paired: games), and behind each variant's mean. */
  n: count,
  nControl: count,
  nChallenger: count,
  controlMean: measured,
  challengerMean: measured,
  /** Challenger − control, oriented so > 0 favours the challenger (log loss and calibration: lower is better). */
  effect: measured,
  /** effect / |control mean|. */
  relativeEffect: measured,
  fixed: z.object({ pValue: measured, ci: interval, relativeCi: interval, significant: z.boolean() }),
  /** Always-valid confidence sequence: may be looked at every day. */
  sequential: z.object({ pValue: measured, ci: interval, relativeCi: interval, significant: z.boolean() }),
  /** Posterior of the relative effect (fractions of |control mean|). */
  bayesian: z.object({
    mean: measured,
    sd: measured,
    ci: interval,
    probabilityToBeat: measured,
    expectedLossChallenger: measured,
    expectedLossControl: measured,
    stop: z.boolean(),
  }),
  /** Power to detect minEffect at alpha with the samples so far: fixed-horizon and sequential. */
  power: z.object({ fixed: measured, sequential: measured }),
  explanation: z.string(),
});
export type MetricTest = z.output<typeof metricTestSchema>;

/** One analysis (routed or paired): the primary metric and each guardrail. */
export const analysisSchema = z.object({
  kind: z.enum(analysisKinds),
  primary: metricTestSchema,
  guardrails: z.array(metricTestSchema),
});
export type ExperimentAnalysis = z.output<typeof analysisSchema>;

/** The deciding analysis' primary metric after each day's outcomes: the sequential boundary over time. */
export const boundaryPointSchema = z.object({
  date: isoDate,
  /** Day of the experiment (1 = its first day). */
  day: z.number().int().min(1),
  n: count,
  effect: measured,
  /** The always-valid interval of the effect (the boundary: stop when it excludes 0). */
  sequentialCi: interval,
  /** The fixed-horizon interval at the same look (invalid for peeking; shown for contrast). */
  fixedCi: interval,
  probabilityToBeat: measured,
  expectedLossChallenger: measured,
  sequentialSignificant: z.boolean(),
  bayesianStop: z.boolean(),
});
export type BoundaryPoint = z.output<typeof boundaryPointSchema>;

/** Sample-ratio mismatch: routed counts against the split in force when each game was routed. */
export const SRM_ALERT_P = 0.001;
export const srmSchema = z.object({
  counts: z.tuple([count, count]),
  expected: z.tuple([z.number(), z.number()]),
  chi2: measured,
  pValue: measured,
  threshold: z.number(),
  mismatch: z.boolean(),
});
export type SrmResult = z.output<typeof srmSchema>;

export const circuitBreakerSchema = z.object({
  tripped: z.boolean(),
  /** The challenger's cumulative profit on its placed bets (units of stake). */
  challengerProfit: z.number(),
  /** The loss at which it trips: maxLossShare × bankroll. */
  lossLimit: z.number(),
  /** Guardrails whose sequential interval shows the challenger significantly worse. */
  regressedGuardrails: z.array(z.enum(guardrailMetrics)),
  reason: z.string().nullable(),
});

export const actionGateSchema = z.object({ allowed: z.boolean(), reason: z.string() });

/** `ab status`: the whole analysis at the clock's time. */
export const experimentStatusResultSchema = z.object({
  experiment: experimentSchema,
  asOf: z.string(),
  /** Experiment days elapsed (calendar days since its first day, counting it). */
  day: z.number().int().min(0),
  /** Control first. */
  variants: z.tuple([variantSummarySchema, variantSummarySchema]),
  routed: analysisSchema.nullable(),
  paired: analysisSchema.nullable(),
  /** The games both models scored and that are settled (the paired sample). */
  pairedGames: count,
  timeline: z.array(boundaryPointSchema),
  srm: srmSchema.nullable(),
  circuitBreaker: circuitBreakerSchema,
  /** What the analysis says now (the stored decision once the experiment ended). */
  decision: decisionSchema,
  events: z.array(experimentEventSchema),
  actions: z.object({ stop: actionGateSchema, promote: actionGateSchema, rollback: actionGateSchema }),
});
export type ExperimentStatusResult = z.output<typeof experimentStatusResultSchema>;

/** The routed variant of one scored game, as `deploy predict` reports it while an experiment runs. */
export const routedPredictionSchema = z.object({
  experiment: z.string(),
  variant: experimentVariantSchema,
  /** The routed variant's probability (its bet is the one placed). */
  p: z.number(),
  /** The other variant's probability, logged as shadow. */
  shadowP: z.number(),
  /** The side bet: the target's first side (home, over) or its second; null when the routed variant bets nothing. */
  side: z.enum(['first', 'second']).nullable(),
  stake: z.number(),
});
export type RoutedPrediction = z.output<typeof routedPredictionSchema>;

/** `ab promote`: the registry version promoted and whether the deployment now serves it. */
export const experimentPromoteResultSchema = z.object({
  experiment: experimentSchema,
  modelName: z.string(),
  version: z.number().int(),
  stage: z.string(),
  /** True when the deployment serves the promoted version from now on (same registry name as its model). */
  served: z.boolean(),
  note: z.string(),
});

/** One experiment of a replay (`deploy replay --challenger`): control first in `variants`. */
export const replayExperimentSchema = z.object({
  name: z.string(),
  variants: z.array(z.object({ name: z.string(), variant: experimentVariantSchema, games: count, metrics: variantMetricsSchema })),
  srmPValue: measured,
  /** The first replayed day the sequential test or the Bayesian rule stopped the experiment (null: it did not). */
  stoppedOn: isoDate.nullable(),
  decision: z.enum(decisionOutcomes),
  decidedBy: z.enum(decisionRules).nullable(),
  reason: z.string(),
  metric: z.enum(experimentMetrics),
  analysis: z.enum(analysisKinds),
  /** challenger − control on the primary metric, in the deciding analysis, when it stopped (or at the end). */
  effect: measured,
  relativeEffect: measured,
  /** The sequential (always-valid) interval of the effect at that time. */
  ci: interval,
  probabilityToBeat: measured,
  /** The day each rule alone would have stopped, while the experiment ran. */
  stops: z.object({ sequential: isoDate.nullable(), bayesian: isoDate.nullable() }),
  circuitBreaker: z.object({ date: isoDate, reason: z.string() }).nullable(),
  days: count,
  pairedGames: count,
  /** A canary's ramp as the replay left it (null without --canary): the steps it passed, each with its check. */
  ramp: rampSchema.nullable().default(null),
});
export type ReplayExperiment = z.output<typeof replayExperimentSchema>;
