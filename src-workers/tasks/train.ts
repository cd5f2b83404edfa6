import { z } from 'zod';
import { boostingSchema, fitModel, type FittedModel } from '../compute/boosting';
import type { TaskResult } from '../protocol';
import { defineTask } from './defineTask';
import { transferables } from './transferables';

const matrixSchema = z.object({ x: z.instanceof(Float64Array), y: z.instanceof(Float64Array), rows: z.int().min(1) });

export const trainPayloadSchema = boostingSchema.extend({
  cols: z.int().min(1),
  featureNames: z.array(z.string()),
  train: matrixSchema,
  /** The early-stopping window; without it the model boosts numBoostRound iterations. */
  valid: matrixSchema.nullable(),
});
export type TrainPayload = z.input<typeof trainPayloadSchema>;
export type TrainTaskResult = FittedModel;

/** Trains one LightGBM model on transferred matrices; every buffer of the answer goes back transferred. */
export const train = defineTask(trainPayloadSchema, async (p, ctx): Promise<TaskResult<TrainTaskResult>> => {
  const value = await fitModel(p, ctx);
  return {
    value,
    transfer: transferables(
      value.importanceGain,
      value.importanceSplit,
      value.validPred,
      value.trainPred,
      ...value.curves.map((c) => c.values),
    ),
  };
});
