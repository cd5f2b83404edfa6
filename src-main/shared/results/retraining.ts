import { z } from 'zod';
import { count, isoDate, measured } from './numbers';

export const retrainTriggers = ['performance', 'drift', 'schedule', 'dataVolume', 'manual'] as const;
export const retrainStates = ['running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
/**
 * promoted: the refit is in the stage autoPromote allows (a replay: the deployment serves it); registered:
 * a better challenger was registered (or, in a replay, would have been) but not promoted, the reason says
 * why; kept: the champion stays (not better, or too few games to judge); failed: the pipeline stopped on an error.
 */
export const retrainDecisions = ['promoted', 'registered', 'kept', 'failed'] as const;

/** compute/retraining ComparisonResult: champion against challenger on the same games, out of sample for both. */
export const retrainComparisonSchema = z.object({
  metric: z.enum(['logLoss', 'roi', 'accuracy']),
  n: count,
  champion: measured,
  challenger: measured,
  relativeImprovement: measured,
  ci: z.tuple([measured, measured]),
  significant: z.boolean(),
  better: z.boolean(),
  explanation: z.string(),
});
export type RetrainComparison = z.output<typeof retrainComparisonSchema>;

/** A span of game dates and how many labelled games it held. */
export const gameWindowSchema = z.object({ from: isoDate, to: isoDate, games: count });

/** A retraining's sweep: trial 0 is the champion's own recipe, so `best` is never worse than it on the sweep's CV. */
export const retrainSweepSchema = z.object({
  sweepId: z.string(),
  name: z.string(),
  /** Only games dated before this day were in its CV (the comparison window's first day). */
  before: isoDate,
  trials: count,
  completed: count,
  pruned: count,
  /** Trial 0's CV log loss: the champion's parameters retrained on the sweep's folds. */
  warmStart: measured,
  /** The trial the challenger trains with (trial 0 when nothing beat the warm start). */
  best: z
    .object({ trialNumber: count, logLoss: measured, params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) })
    .nullable(),
});

/** One retraining of a deployment: what started it, which data each model saw, the comparison, the decision and why. */
export const retrainRecordSchema = z.object({
  id: z.string(),
  deploymentId: z.string(),
  deployment: z.string(),
  replayId: z.string().nullable(),
  trigger: z.enum(retrainTriggers),
  reason: z.string(),
  /** The schedule slot a `schedule` trigger served. */
  scheduledFor: z.string().nullable(),
  /** The interrupted retraining this one ran again. */
  resumes: z.string().nullable(),
  state: z.enum(retrainStates),
  /** The pipeline's last step reached (refresh, windows, challenger, score, compare, refit, validate, register, promote, done). */
  step: z.string(),
  /** The clock's time when it started (a replay's day). */
  at: z.string(),
  /** Only games dated before this day, with a result, were used. */
  dataDay: isoDate,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  jobId: z.string().nullable(),
  champion: z.object({ modelName: z.string(), version: z.number().int().nullable(), sourceModel: z.string(), lastTrainingDate: isoDate }),
  /** The challenger's training games (before the comparison window) and the tail of them it early-stopped on. */
  trainWindow: gameWindowSchema.nullable(),
  earlyStopping: gameWindowSchema.nullable(),
  /** The most recent settled games after the champion's training data: both models score them out of sample. */
  comparisonWindow: gameWindowSchema.nullable(),
  challenger: z
    .object({
      model: z.string(),
      runId: z.string(),
      bestIteration: count,
      /** Log loss and accuracy on the early-stopping tail of its own window. */
      logLoss: measured,
      accuracy: measured,
    })
    .nullable(),
  /** The short sweep warm-started from the champion's parameters (policy sweepTrials > 0), on games before the comparison window. */
  sweep: retrainSweepSchema.nullable().default(null),
  comparison: retrainComparisonSchema.nullable(),
  decision: z.enum(retrainDecisions).nullable(),
  decisionReason: z.string().nullable(),
  /** The winner refit on every settled game up to the clock's day, with the challenger's best iteration. */
  refit: z.object({ model: z.string(), runId: z.string(), window: gameWindowSchema }).nullable(),
  validation: z.object({ runId: z.string(), status: z.enum(['passed', 'failed']) }).nullable(),
  /** The registry version made of the refit (live only) and the stage it reached. */
  newVersion: z.object({ modelName: z.string(), version: z.number().int(), stage: z.string() }).nullable(),
  /** Production changed: until this day the new model is compared with the previous one on every game. */
  probationUntil: isoDate.nullable(),
  rolledBackAt: z.string().nullable(),
  rollbackReason: z.string().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().nullable(),
});
export type RetrainRecord = z.output<typeof retrainRecordSchema>;

/** `deploy history`: a deployment's retrainings, newest first. */
export const retrainHistorySchema = z.object({ retrains: z.array(retrainRecordSchema) });
