import { z } from 'zod';
import { Booster } from '@bullpen/lightgbm';
import type { TaskResult } from '../protocol';
import type { TaskContext } from './taskContext';
import { transferables } from './trainCore';

export const predictPayloadSchema = z.object({
  modelText: z.string().min(1),
  x: z.instanceof(Float64Array),
  rows: z.int().min(1),
  cols: z.int().min(1),
  numThreads: z.int().min(1),
});
export type PredictPayload = z.input<typeof predictPayloadSchema>;

/** Probabilities of a stored model (LightGBM text) for a matrix, loaded and freed within the task. */
export function predictProbabilities(p: z.infer<typeof predictPayloadSchema>): Float64Array {
  const booster = Booster.fromModelString(p.modelText);
  try {
    if (booster.numFeature() !== p.cols) {
      throw new Error(`the model has ${booster.numFeature()} features but the matrix has ${p.cols} columns`);
    }
    return booster.predict(p.x, { rows: p.rows, cols: p.cols, params: { num_threads: p.numThreads } });
  } finally {
    booster.free();
  }
}

/** Scores a matrix with a stored model in a worker. */
export function predict(payload: unknown, ctx: TaskContext): TaskResult<{ p: Float64Array }> {
  const parsed = predictPayloadSchema.parse(payload);
  ctx.throwIfCancelled();
  const p = predictProbabilities(parsed);
  ctx.progress(1, `scored ${parsed.rows} games`);
  return { value: { p }, transfer: transferables(p) };
}
