import { z } from 'zod';
import { type Booster, type Dataset, type Params, trainWithResult } from '@bullpen/lightgbm';
import type { TaskContext } from './taskContext';

/** LightGBM parameters as they cross the thread boundary: plain scalars only. */
export const lgbParamsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const boostingSchema = z.object({
  params: lgbParamsSchema,
  numBoostRound: z.int().min(1),
  /** Stop when the validation log loss has not improved for this many iterations (needs a validation set). */
  earlyStoppingRounds: z.int().min(1).nullable(),
  /** LightGBM threads for this task: the pool sizing rule decides it (pool size × threads ≤ cores). */
  numThreads: z.int().min(1),
});
export type BoostingOptions = z.infer<typeof boostingSchema>;

/** One metric's values per boosting iteration on one data set. */
export interface Curve {
  name: string;
  values: Float64Array;
}

/** Copies the listed rows of a row-major matrix (to predict a fold, or to build a Dataset the naive way). */
export function pickRows(x: Float64Array, cols: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i] * cols, rows[i] * cols + cols), i * cols);
  return out;
}

export function pickValues(v: Float64Array, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = v[rows[i]];
  return out;
}

/**
 * Boosts one model, reporting progress every iteration and stopping between iterations when the task is
 * cancelled (never mid-native-call). Training metrics are recorded too so the curves show the gap
 * between training and validation loss.
 */
export async function boost(
  opts: BoostingOptions,
  trainSet: Dataset,
  validSet: Dataset | null,
  ctx: TaskContext,
  onIteration: (iteration: number, total: number, validLoss: number | null) => void,
): Promise<{ booster: Booster; bestIteration: number; curves: Curve[] }> {
  const params: Params = { ...opts.params, num_threads: opts.numThreads };
  const sets = validSet ? [trainSet, validSet] : [trainSet];
  const names = validSet ? ['train', 'valid'] : ['train'];
  const values = new Map<string, number[]>();
  const result = await trainWithResult(params, trainSet, {
    numBoostRound: opts.numBoostRound,
    validSets: sets,
    validNames: names,
    ...(validSet && opts.earlyStoppingRounds ? { earlyStoppingRounds: opts.earlyStoppingRounds, firstMetricOnly: true } : {}),
    callbacks: [
      (info) => {
        ctx.throwIfCancelled();
        let validLoss: number | null = null;
        for (const e of info.evaluations) {
          const key = `${e.dataName}.${e.metric}`;
          let list = values.get(key);
          if (!list) values.set(key, (list = []));
          list.push(e.value);
          if (e.dataName === 'valid' && validLoss === null) validLoss = e.value;
        }
        onIteration(info.iteration, info.numBoostRound, validLoss);
      },
    ],
  });
  const curves = [...values.entries()].map(([name, v]) => ({ name, values: Float64Array.from(v) }));
  return { booster: result.booster, bestIteration: result.bestIteration, curves };
}

/** The distinct plain ArrayBuffers behind typed arrays, to transfer back (shared buffers are never transferred). */
export function transferables(...views: { buffer: ArrayBufferLike }[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views) if (v.buffer instanceof ArrayBuffer && v.buffer.byteLength > 0) out.add(v.buffer);
  return [...out];
}
