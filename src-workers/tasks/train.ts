import { z } from 'zod';
import { Dataset } from '@bullpen/lightgbm';
import type { TaskResult } from '../protocol';
import { boost, boostingSchema, transferables, type Curve } from './trainCore';
import type { TaskContext } from './taskContext';

const matrixSchema = z.object({ x: z.instanceof(Float64Array), y: z.instanceof(Float64Array), rows: z.int().min(1) });

export const trainPayloadSchema = boostingSchema.extend({
  cols: z.int().min(1),
  featureNames: z.array(z.string()),
  train: matrixSchema,
  /** The early-stopping window; without it the model boosts numBoostRound iterations. */
  valid: matrixSchema.nullable(),
});
export type TrainPayload = z.input<typeof trainPayloadSchema>;

export interface TrainTaskResult {
  modelText: string;
  bestIteration: number;
  iterations: number;
  curves: Curve[];
  importanceGain: Float64Array;
  importanceSplit: Float64Array;
  /** Predictions at the best iteration for the validation rows (empty without a validation set). */
  validPred: Float64Array;
  trainPred: Float64Array;
}

/**
 * Trains one LightGBM model on transferred matrices: early stopping on the validation window,
 * progress every iteration, cancellation between iterations. Returns the model text and what the
 * engine stores with the run; every buffer goes back transferred.
 */
export async function train(payload: unknown, ctx: TaskContext): Promise<TaskResult<TrainTaskResult>> {
  const p = trainPayloadSchema.parse(payload);
  const datasetParams = { ...p.params, num_threads: p.numThreads };
  const trainSet = Dataset.fromMatrix(p.train.x, { rows: p.train.rows, cols: p.cols, label: p.train.y, featureNames: p.featureNames, params: datasetParams });
  const validSet = p.valid ? Dataset.fromMatrix(p.valid.x, { rows: p.valid.rows, cols: p.cols, label: p.valid.y, featureNames: p.featureNames, params: datasetParams, reference: trainSet }) : null;
  try {
    const { booster, bestIteration, curves } = await boost(p, trainSet, validSet, ctx, (it, total, loss) =>
      ctx.progress(it / total, `iteration ${it}/${total}${loss === null ? '' : `: valid log loss ${loss.toFixed(5)}`}`),
    );
    try {
      const iterations = booster.currentIteration();
      const modelText = booster.saveModelToString();
      const importanceGain = booster.featureImportance('gain');
      const importanceSplit = booster.featureImportance('split');
      const trainPred = booster.predict(p.train.x, { rows: p.train.rows, cols: p.cols });
      const validPred = p.valid ? booster.predict(p.valid.x, { rows: p.valid.rows, cols: p.cols }) : new Float64Array(0);
      const value: TrainTaskResult = { modelText, bestIteration, iterations, curves, importanceGain, importanceSplit, validPred, trainPred };
      return { value, transfer: transferables(importanceGain, importanceSplit, validPred, trainPred, ...curves.map((c) => c.values)) };
    } finally {
      booster.free();
    }
  } finally {
    validSet?.free();
    trainSet.free();
  }
}
