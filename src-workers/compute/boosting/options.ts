import { z } from 'zod';

/** LightGBM parameters as they cross the thread boundary: plain scalars only. */
export const lgbParamsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type LgbParams = z.infer<typeof lgbParamsSchema>;

export const boostingSchema = z.object({
  params: lgbParamsSchema,
  numBoostRound: z.int().min(1),
  /** Stop when the validation log loss has not improved for this many iterations (needs a validation set). */
  earlyStoppingRounds: z.int().min(1).nullable(),
  /** LightGBM threads for this task: the pool sizing rule decides it (pool size × threads ≤ cores). */
  numThreads: z.int().min(1),
});
export type BoostingOptions = z.infer<typeof boostingSchema>;
