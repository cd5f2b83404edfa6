import { z } from 'zod';

/**
 * Which pruner a sweep uses and how (a plain, storable spec: the worker builds the pruner from it).
 * `on` picks the intermediate values it judges: the running mean test log loss at each fold's end
 * (`fold`), the inner validation log loss at boosting iterations (`iteration`), or both.
 */
export const prunerSpecSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('median'),
      /** Trials that must finish before any is pruned. */
      startupTrials: z.number().int().min(0).default(5),
      /** Iterations (per fold) reported before pruning applies within that fold. */
      warmupSteps: z.number().int().min(0).default(50),
      /** Judge every n-th iteration step. */
      intervalSteps: z.number().int().min(1).default(10),
      on: z.enum(['fold', 'iteration', 'both']).default('fold'),
    })
    .strict(),
  z
    .object({
      type: z.literal('successive-halving'),
      /** Resource = folds completed; rungs at minResource × reductionFactor^k. */
      minResource: z.number().int().min(1).default(1),
      reductionFactor: z.number().int().min(2).default(3),
      minEarlyStoppingRate: z.number().int().min(0).default(0),
    })
    .strict(),
  z
    .object({
      type: z.literal('hyperband'),
      minResource: z.number().int().min(1).default(1),
      /** Default: the CV's fold count. */
      maxResource: z.number().int().min(1).optional(),
      reductionFactor: z.number().int().min(2).default(3),
    })
    .strict(),
  z.object({ type: z.literal('none') }).strict(),
]);
export type PrunerSpec = z.output<typeof prunerSpecSchema>;
export const DEFAULT_PRUNER: PrunerSpec = { type: 'median', startupTrials: 5, warmupSteps: 50, intervalSteps: 10, on: 'fold' };
