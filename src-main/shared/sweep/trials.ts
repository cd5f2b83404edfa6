import { z } from 'zod';
import { categoryValueSchema } from './distributions';

/** Optuna's trial states, in its words (a WAITING trial is never stored here). */
export const trialStates = ['running', 'complete', 'pruned', 'fail'] as const;
export const trialStateSchema = z.enum(trialStates);
export type TrialState = (typeof trialStates)[number];

export const samplerNames = ['tpe', 'random', 'grid'] as const;
export const samplerNameSchema = z.enum(samplerNames);
export type SamplerName = (typeof samplerNames)[number];

/** What a sweep optimizes: one objective, or two for a Pareto front. */
export const objectiveNames = ['logLoss', 'accuracy', 'roi'] as const;
export const objectiveNameSchema = z.enum(objectiveNames);
export type ObjectiveName = (typeof objectiveNames)[number];
export type Direction = 'minimize' | 'maximize';
export const objectiveDirection: Record<ObjectiveName, Direction> = { logLoss: 'minimize', accuracy: 'maximize', roi: 'maximize' };
export const objectiveSets = ['logLoss', 'logLoss,roi', 'accuracy,roi'] as const;

export const pruners = ['median', 'successive-halving', 'hyperband', 'none'] as const;
export const prunerNameSchema = z.enum(pruners);
export type PrunerName = (typeof pruners)[number];

/** One reported intermediate value: the step encodes fold and iteration (see intermediateStep). */
export const intermediatePointSchema = z.object({ step: z.number().int().min(0), value: z.number() });
export type IntermediatePoint = z.output<typeof intermediatePointSchema>;

/**
 * Steps of a trial's intermediate values: `fold × STEP_STRIDE + iteration` for the inner validation log
 * loss at a boosting iteration (1-based), and `fold × STEP_STRIDE + FOLD_END` for the mean test log loss of
 * folds 0..fold once that fold is done. Every trial of a sweep reports on the same steps, so a pruner
 * compares like with like.
 */
export const STEP_STRIDE = 10_000;
export const FOLD_END = STEP_STRIDE - 1;
export const intermediateStep = (fold: number, iteration: number): number => fold * STEP_STRIDE + iteration;
export const foldEndStep = (fold: number): number => fold * STEP_STRIDE + FOLD_END;

/** A trial as samplers, pruners and readers see it (Optuna's FrozenTrial, trimmed). */
export const frozenTrialSchema = z.object({
  number: z.number().int().min(0),
  state: trialStateSchema,
  params: z.record(z.string(), categoryValueSchema),
  /** One per objective, in the sweep's order; null unless complete (a pruned trial has its last intermediate here too). */
  values: z.array(z.number()).nullable(),
  intermediate: z.array(intermediatePointSchema),
  durationMs: z.number().nullable(),
  /** The step at which a pruned trial was stopped. */
  prunedAt: z.number().int().nullable(),
  /** Why a trial was pruned or failed (`timeout: over --max-trial-seconds 30`, `median pruner: …`, an error). */
  reason: z.string().nullable(),
});
export type FrozenTrial = z.output<typeof frozenTrialSchema>;
