import { z } from 'zod';
import { gateNameSchema, validationPolicySchema } from '../validationPolicy';
import { count, isoDate, measured } from './numbers';
import { reliabilityBinSchema } from './metrics';

export const validationStatuses = ['passed', 'failed'] as const;
export const validationStatusSchema = z.enum(validationStatuses);
export type ValidationStatus = (typeof validationStatuses)[number];

/** One gate's verdict: the measured value, the threshold it was held to, and a sentence a person understands. */
export const gateResultSchema = z.object({
  name: gateNameSchema,
  /** null when the value could not be measured (e.g. no priced games): the gate then fails and says why. */
  value: measured,
  threshold: measured,
  passed: z.boolean(),
  explanation: z.string().min(1),
  /** Numbers beside the value (CI bounds, p-values, flat-stake drawdown in units, leaking features). */
  details: z.record(
    z.string(),
    z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(z.union([z.number(), z.string(), z.null()]))]),
  ),
});
export type GateResult = z.output<typeof gateResultSchema>;

/** Where the out-of-sample predictions came from: a later holdout window, or walk-forward out-of-fold predictions. */
export const evidenceSources = ['holdout', 'walk-forward'] as const;

/** What the report's charts draw; kept in the report so the HTML page and the UI draw the same numbers. */
export const validationChartsSchema = z.object({
  calibration: z.array(reliabilityBinSchema),
  roi: z.object({ value: measured, low: measured, high: measured, level: z.number() }),
  /** One point per game day: bankroll (starting at 1) and drawdown as a fraction of the peak under the staking plan; flat-stake units beside. */
  equity: z.object({
    dates: z.array(isoDate),
    bankroll: z.array(measured),
    drawdown: z.array(measured),
    flatUnits: z.array(measured),
  }),
  /** Per feature (the top-k by mean gain), its gain rank in each CV fold (1 = most important). */
  importanceStability: z.object({
    features: z.array(z.string()),
    ranksByFold: z.array(z.array(count)),
  }),
  /** Annualized Sharpe of each combinatorially purged CV path under the staking plan (empty when none ran). */
  pathSharpes: z.array(measured),
});
export type ValidationCharts = z.output<typeof validationChartsSchema>;

/** Headline numbers of the evaluation window, beside the gates. */
export const validationSummarySchema = z.object({
  games: count,
  pricedGames: count,
  accuracy: measured,
  logLoss: measured,
  marketAccuracy: measured,
  marketLogLoss: measured,
  bets: count,
  roi: measured,
  sharpe: measured,
  maxDrawdown: measured,
  trials: count,
});

export const validationRunRefSchema = z.object({
  role: z.enum(['training', 'backtest', 'cv', 'cpcv']),
  id: z.string(),
  name: z.string(),
  /** true when an earlier run was reused rather than started for this validation. */
  reused: z.boolean(),
});

/** The report: exactly the gates plus status, model, policy, data windows and the runs it used. */
export const validationReportSchema = z.object({
  status: validationStatusSchema,
  modelName: z.string(),
  modelRunId: z.string(),
  validatedAt: z.string(),
  trainedAt: z.string(),
  policy: validationPolicySchema,
  policySource: z.enum(['workspace', 'file', 'input']),
  windows: z.object({
    train: z.string(),
    valid: z.string().nullable(),
    evaluation: z.object({
      source: z.enum(evidenceSources),
      seasons: z.array(z.number().int()),
      firstGame: isoDate.nullable(),
      lastGame: isoDate.nullable(),
      odds: z.enum(['close', 'open']),
    }),
    cv: z.object({ scheme: z.string(), seasons: z.array(z.number().int()), folds: count }).nullable(),
  }),
  runs: z.array(validationRunRefSchema),
  gates: z.array(gateResultSchema),
  disabledGates: z.array(gateNameSchema),
  summary: validationSummarySchema,
  charts: validationChartsSchema,
});
export type ValidationReport = z.output<typeof validationReportSchema>;

/** A stored validation as listed: enough to answer "may it be promoted?" without reading the report. */
export const validationRecordSchema = z.object({
  id: z.string(),
  modelName: z.string(),
  runId: z.string(),
  status: validationStatusSchema,
  failedGates: z.array(gateNameSchema),
  validatedAt: z.string(),
  trainedAt: z.string(),
});
export type ValidationRecord = z.output<typeof validationRecordSchema>;

/** The `ml.validate` job's result: the report, the run that stores it, and where the HTML page was written (--out). */
export const validateResultSchema = z.object({
  runId: z.string(),
  report: validationReportSchema,
  htmlPath: z.string().nullable(),
});
export type ValidateResult = z.output<typeof validateResultSchema>;
