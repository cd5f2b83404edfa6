import { z } from 'zod';
import { BullpenError } from '../errors';
import { cvSchemeSchema, oddsSideSchema } from '../vocabulary';
import { backtestCvRunSchema, strategySummarySchema } from './backtest';
import { cvFoldSchema } from './cv';
import { marketSummarySchema, modelMetricsSchema } from './metrics';
import { asStored, count, isoDate, measured } from './numbers';
import { validateResultSchema } from './validation';
import { exportMlflowResultSchema } from './export';
import { sweepSummarySchema } from './sweep';
import { replayResultSchema } from './operations';
import { retrainRecordSchema } from './retraining';

/** `ml.train`: the run and model it recorded, and the metrics on the rows they were measured on. */
export const trainResultSchema = z.object({
  runId: z.string(),
  modelName: z.string(),
  bestIteration: count,
  iterations: count,
  games: z.object({ train: count, valid: count }),
  /** Which rows the metrics are on: the validation window, or the training rows (in-sample) without one. */
  evaluatedOn: z.enum(['valid', 'train']),
  metrics: modelMetricsSchema,
  market: marketSummarySchema.nullable(),
  durationMs: z.number(),
  /** The validation job started when the training completed (the policy's autoValidate), or null. */
  validationJobId: z.string().nullable().optional(),
});
export type TrainResult = z.output<typeof trainResultSchema>;

/** One scored game of `ml.predict` (label null for a game without a result). */
export const predictionSchema = z.object({ gameId: z.string(), date: isoDate, p: measured, label: z.number().nullable() });

/** `ml.predict`: how many games were scored, their metrics where they have results, and the rows or the file written. */
export const predictResultSchema = z.object({
  modelName: z.string(),
  games: count,
  /** True when the model saw some of these seasons in training: the metrics are then in-sample. */
  inSample: z.boolean(),
  metrics: modelMetricsSchema.nullable(),
  out: z.string().nullable(),
  /** Empty when the predictions went to `out`. */
  predictions: z.array(predictionSchema),
});
export type PredictResult = z.output<typeof predictResultSchema>;

/** `ml.cv`: the run, every fold, and the metrics of the out-of-fold predictions. */
export const cvResultSchema = z.object({
  runId: z.string(),
  name: z.string(),
  scheme: cvSchemeSchema,
  folds: z.array(cvFoldSchema),
  /**
   * What the metrics are computed on: the out-of-fold predictions (one per game), or for cpcv the mean over
   * its backtest paths of each path's metrics (each path predicts every game once).
   */
  metricsOn: z.enum(['out-of-fold', 'mean over paths']).default('out-of-fold'),
  /** On the out-of-fold predictions (see metricsOn), plus the mean and spread of the fold log losses. */
  metrics: modelMetricsSchema.extend({ foldLogLossMean: measured, foldLogLossStd: measured }),
  market: marketSummarySchema.nullable(),
  durationMs: z.number(),
});
export type CvResult = z.output<typeof cvResultSchema>;

/** `ml.backtest`: every strategy on the same games, the best by Sharpe and how honest that choice is. */
export const backtestResultSchema = z.object({
  runId: z.string(),
  name: z.string(),
  modelName: z.string().nullable(),
  /** The CV run whose out-of-fold predictions were bet, and how many backtest games its test folds covered. */
  cvRun: backtestCvRunSchema.nullable(),
  seasons: z.array(z.number().int()),
  games: count,
  odds: oddsSideSchema,
  strategies: z.array(strategySummarySchema),
  /** The label of the best strategy by daily Sharpe; null with one strategy. */
  best: z.string().nullable(),
  deflatedSharpe: measured,
  pbo: measured,
  /** The model's (or CV run's) probabilities scored on the backtest games, next to the closing market. */
  model: z.object({ logLoss: measured, accuracy: measured, marketLogLoss: measured, marketAccuracy: measured }).nullable(),
  durationMs: z.number(),
});
export type BacktestResult = z.output<typeof backtestResultSchema>;

/** `features.materialize`: the materialization written (or found cached) and the features whose checks failed. */
export const materializeResultSchema = z.object({
  id: z.string(),
  setName: z.string(),
  contentHash: z.string(),
  tableName: z.string(),
  rows: count,
  features: count,
  durationMs: z.number(),
  cached: z.boolean(),
  /** Features whose schema check failed. */
  degraded: z.array(z.string()),
});
export type MaterializeResult = z.output<typeof materializeResultSchema>;

/** What a demo league holds and which effects were planted (also kept in the workspace's meta). */
export const demoDescriptionSchema = z.object({
  synthetic: z.boolean(),
  seed: z.number().int(),
  seasons: z.string(),
  games: count,
  effects: z.object({ marketInefficiency: z.string().nullable(), scoringShift: z.string().nullable() }),
});
export type DemoDescription = z.output<typeof demoDescriptionSchema>;
/** `demo.build`: the demo league's description and how many odds rows were written. */
export const demoBuildResultSchema = demoDescriptionSchema.extend({ oddsRows: count });
export type DemoBuildResult = z.output<typeof demoBuildResultSchema>;

/** `jobs.runDemo` (job kind `demo`): rows per table and the checksum of each round. */
export const demoJobResultSchema = z.object({
  tables: z.array(z.object({ name: z.string(), rows: count })),
  totalRows: count,
  checksums: z.array(z.object({ round: z.number().int().min(1), checksum: z.number(), sum: z.number() })),
});
export type DemoJobResult = z.output<typeof demoJobResultSchema>;

/**
 * The result of every kind of job, by the kind the engine records on the job. The contract's job ops
 * declare the same schemas; the job manager checks each result against its kind's schema on completion.
 */
export const jobResultSchemas = {
  'ml.train': trainResultSchema,
  'ml.predict': predictResultSchema,
  'ml.cv': cvResultSchema,
  'ml.backtest': backtestResultSchema,
  'ml.validate': validateResultSchema,
  'export.mlflow': exportMlflowResultSchema,
  'ml.optimize': sweepSummarySchema,
  'deploy.replay': replayResultSchema,
  'deploy.retrain': retrainRecordSchema,
  'features.materialize': materializeResultSchema,
  'demo.build': demoBuildResultSchema,
  demo: demoJobResultSchema,
} as const;
export type JobKind = keyof typeof jobResultSchemas;
/** What the work of a job of this kind returns (NaN allowed where JSON will write null). */
export type JobResultValue<K extends JobKind> = z.input<(typeof jobResultSchemas)[K]>;
/** What a reader of a completed job of this kind gets. */
export type JobResultOf<K extends JobKind> = z.output<(typeof jobResultSchemas)[K]>;
export const jobKinds = Object.keys(jobResultSchemas) as JobKind[];
export const isJobKind = (kind: string): kind is JobKind => Object.hasOwn(jobResultSchemas, kind);

/**
 * A job's result as it is stored and sent: in its JSON form (NaN → null), checked against its kind's
 * schema. A result that does not match is a bug in Bullpen; the job fails with it rather than hand
 * every client a result they cannot read. Kinds without a schema (test jobs) are only made JSON.
 */
export function checkedJobResult(kind: string, value: unknown): unknown {
  const stored = asStored(value ?? null);
  if (!isJobKind(kind)) return stored;
  const parsed = jobResultSchemas[kind].safeParse(stored);
  if (parsed.success) return stored;
  const i = parsed.error.issues[0];
  throw new BullpenError(
    'internal',
    'JOB_RESULT_INVALID',
    `the ${kind} job's result does not match its schema (${i && i.path.length ? i.path.join('.') : 'result'}: ${i?.message ?? 'invalid'}): please report this`,
    { kind, issues: parsed.error.issues.map((x) => ({ path: x.path.map(String), message: x.message })) },
  );
}
