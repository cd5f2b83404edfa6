import { z } from 'zod';
import { boostingSchema, fitFolds, foldFitOptionsSchema, type CvFoldResult } from '../compute/boosting';
import type { TaskResult } from '../protocol';
import { defineTask } from './defineTask';
import { transferables } from './transferables';

export type { CvFoldResult };

export const cvFoldPayloadSchema = boostingSchema.extend({
  /** The whole CV matrix, row-major, in date order; folds index into it. */
  x: z.instanceof(Float64Array),
  y: z.instanceof(Float64Array),
  rows: z.int().min(1),
  cols: z.int().min(1),
  featureNames: z.array(z.string()),
  folds: z
    .array(
      z.object({
        index: z.int().min(0),
        train: z.instanceof(Int32Array),
        test: z.instanceof(Int32Array),
        /** Training rows (a date-ordered prefix) before the fold's last test window: where the inner hold-out ends. */
        trainBeforeLastTest: z.int().min(0).optional(),
      }),
    )
    .min(1),
  ...foldFitOptionsSchema.shape,
});
export type CvFoldPayload = z.input<typeof cvFoldPayloadSchema>;

export interface CvFoldTaskResult {
  folds: CvFoldResult[];
}

/** Trains and scores a group of CV folds in one worker (the matrix binned once for the group). */
export const cvFold = defineTask(cvFoldPayloadSchema, async (p, ctx): Promise<TaskResult<CvFoldTaskResult>> => {
  const folds = await fitFolds(p, ctx);
  return {
    value: { folds },
    transfer: transferables(...folds.flatMap((f) => [f.pred, f.importanceGain, f.importanceSplit, f.validCurve])),
  };
});
