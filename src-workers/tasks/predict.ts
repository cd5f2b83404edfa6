import { z } from 'zod';
import { predictProbabilities } from '../compute/boosting';
import type { TaskResult } from '../protocol';
import { defineTask } from './defineTask';
import { transferables } from './transferables';

export const predictPayloadSchema = z.object({
  modelText: z.string().min(1),
  x: z.instanceof(Float64Array),
  rows: z.int().min(1),
  cols: z.int().min(1),
  numThreads: z.int().min(1),
});
export type PredictPayload = z.input<typeof predictPayloadSchema>;

export interface PredictResult {
  /** Probability of the positive class, one per row. */
  p: Float64Array;
}

/** Scores a matrix with a stored model in a worker. */
export const predict = defineTask(predictPayloadSchema, (parsed, ctx): TaskResult<PredictResult> => {
  ctx.throwIfCancelled();
  const p = predictProbabilities(parsed);
  ctx.progress(1, `scored ${parsed.rows} games`);
  return { value: { p }, transfer: transferables(p) };
});
