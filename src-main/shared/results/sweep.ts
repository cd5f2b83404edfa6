import { z } from 'zod';
import { categoryValueSchema, searchSpaceSchema } from '../sweep/distributions';
import { prunerSpecSchema } from '../sweep/pruning';
import { frozenTrialSchema, objectiveNameSchema, samplerNameSchema, trialStateSchema } from '../sweep/trials';
import { cvSchemeSchema, targetSchema } from '../vocabulary';
import { count, measured } from './numbers';

export const sweepStatuses = ['running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export const sweepStatusSchema = z.enum(sweepStatuses);
export type SweepStatus = (typeof sweepStatuses)[number];

/** Everything that decides a sweep's trials; stored with the sweep, so `--resume` continues exactly it. */
export const sweepConfigSchema = z.object({
  target: targetSchema,
  features: z.string(),
  seasons: z.string().nullable(),
  cv: z.object({
    scheme: cvSchemeSchema,
    splits: z.number().int().min(1),
    trainDays: z.number().int().min(1),
    testDays: z.number().int().min(1),
    gap: z.number().int().min(0),
    embargo: z.number().int().min(0),
  }),
  sampler: samplerNameSchema,
  objectives: z.array(objectiveNameSchema).min(1).max(2),
  trials: z.number().int().min(1),
  workers: z.number().int().min(1),
  /** LightGBM threads per trial, the same in every worker (workers × threads ≤ cores). */
  threadsPerTrial: z.number().int().min(1),
  timeoutSeconds: z.number().positive().nullable(),
  maxTrialSeconds: z.number().positive().nullable(),
  space: searchSpaceSchema,
  /** Parameters every trial gets without searching them (an interpretability cap the space does not search). */
  fixed: z.record(z.string(), categoryValueSchema).default({}),
  seed: z.number().int(),
  pruner: prunerSpecSchema,
  numBoostRound: z.number().int().min(1),
  earlyStoppingRounds: z.number().int().min(1),
  /**
   * Trial n is sampled from the trials numbered below n − lag (all finished by then) with trials
   * n − lag … n − 1 as pending: the same history for any worker count ≤ lag + 1.
   */
  lag: z.number().int().min(0),
  /** Only games dated before this day (ISO) are used: a retraining's sweep never sees its comparison window. */
  before: z.string().nullable().default(null),
  /** Trials 0, 1, … take these parameters first (Optuna's enqueue_trial; a retraining's warm start); missing ones are sampled. */
  enqueued: z.array(z.record(z.string(), categoryValueSchema)).default([]),
});
export type SweepConfig = z.output<typeof sweepConfigSchema>;

/** A trial as `ml sweeps trials` lists it (the field names). */
export const sweepTrialSchema = frozenTrialSchema.extend({
  /** The tracking store's child run of the sweep's run. */
  runId: z.string().nullable(),
  /** 1, or more when the trial was interrupted and re-run with the same parameters. */
  attempt: z.number().int().min(1),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type SweepTrial = z.output<typeof sweepTrialSchema>;

export const bestTrialSchema = z.object({
  trialNumber: z.number().int(),
  params: z.record(z.string(), categoryValueSchema),
  values: z.array(z.number()),
});

/** The best trial's first objective against LightGBM's default parameters on the same CV, paired over folds. */
export const sweepImprovementSchema = z.object({
  objective: objectiveNameSchema,
  defaultValue: measured,
  bestValue: measured,
  /** default − best for a minimized objective, best − default for a maximized one: positive is better. */
  absolute: measured,
  /** absolute / |default|. */
  relative: measured,
  /** 95% t-interval of `absolute` over the folds' paired differences. */
  ci: z.tuple([measured, measured]),
  pValue: measured,
  folds: count,
});

export const sweepTimingsSchema = z.object({
  wallMs: z.number(),
  /** Dataset bins built (once per worker and dataset-parameter signature) vs trials that reused them. */
  datasetBuilds: count,
  datasetReuses: count,
  /** Boosting iterations run in all trials, and how many pruning saved against running every trial to the end. */
  iterations: count,
});

/** `ml.optimize` and `ml sweeps show`: the JSON shape. */
export const sweepSummarySchema = z.object({
  sweepId: z.string(),
  name: z.string(),
  status: sweepStatusSchema,
  sampler: samplerNameSchema,
  objectives: z.array(objectiveNameSchema),
  /** Trials asked for, and how they ended. */
  trials: count,
  completed: count,
  pruned: count,
  failed: count,
  running: count,
  best: bestTrialSchema.nullable(),
  defaultParams: z.object({ params: z.record(z.string(), categoryValueSchema), values: z.array(measured).nullable() }),
  improvement: sweepImprovementSchema.nullable(),
  /** Non-dominated complete trials (multi-objective); the best trial alone with one objective. */
  paretoFront: z.array(bestTrialSchema),
  /** Hypervolume of the front against the reference point (multi-objective only). */
  hypervolume: measured,
  /** Of the best trial's daily betting returns, deflated for the number of trials, and the CSCV probability of backtest overfitting. */
  deflatedSharpe: measured,
  pbo: measured,
  paramImportance: z.array(z.object({ param: z.string(), importance: z.number() })),
  runId: z.string().nullable(),
  jobId: z.string().nullable(),
  config: sweepConfigSchema,
  timings: sweepTimingsSchema.nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type SweepSummary = z.output<typeof sweepSummarySchema>;

/** `ml sweeps trials`. */
export const sweepTrialsSchema = z.object({ sweepId: z.string(), trials: z.array(sweepTrialSchema) });

export const sweepListItemSchema = sweepSummarySchema.pick({
  sweepId: true,
  name: true,
  status: true,
  sampler: true,
  objectives: true,
  trials: true,
  completed: true,
  pruned: true,
  failed: true,
  best: true,
  createdAt: true,
  finishedAt: true,
});

export { trialStateSchema };
