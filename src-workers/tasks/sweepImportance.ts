import { z } from 'zod';
import { categoryValueSchema, searchSpaceSchema } from '../../src-main/shared/sweep/distributions';
import { paramImportance, type ParamImportance } from '../compute/sweep/importance';
import type { TaskResult } from '../protocol';
import { defineTask } from './defineTask';

export const sweepImportancePayloadSchema = z.object({
  space: searchSpaceSchema,
  /** Complete trials: their parameters and first objective. */
  trials: z.array(z.object({ params: z.record(z.string(), categoryValueSchema), value: z.number() })),
  seed: z.int(),
});
export type SweepImportancePayload = z.input<typeof sweepImportancePayloadSchema>;

/** A sweep's parameter importance, from a LightGBM surrogate: in a worker because only workers load LightGBM. */
export const sweepImportance = defineTask(
  sweepImportancePayloadSchema,
  async (p): Promise<TaskResult<{ importance: ParamImportance[] }>> => ({
    value: { importance: await paramImportance(p.space, p.trials, p.seed) },
  }),
);
