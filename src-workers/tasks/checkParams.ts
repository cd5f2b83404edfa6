import { z } from 'zod';
import { checkLightgbmParams, lgbParamsSchema } from '../compute/boosting';
import { defineTask } from './defineTask';

export const checkParamsPayloadSchema = z.object({
  /** The parameters a run would train with (defaults merged with the user's). */
  params: lgbParamsSchema,
  /** The keys the user gave: only these are checked for spelling. */
  userKeys: z.array(z.string()),
  /** Feature columns of the real matrix, so per-feature parameters (monotone constraints, …) are checked at their real length. */
  cols: z.int().min(1),
});
export type CheckParamsPayload = z.input<typeof checkParamsPayloadSchema>;

export interface CheckParamsResult {
  /** Unknown names and values LightGBM refuses, in words for the user; empty when the parameters are fine. */
  problems: string[];
}

/** Checks LightGBM parameters before a job starts; it runs in a worker because only workers load LightGBM. */
export const checkParams = defineTask(checkParamsPayloadSchema, async (p): Promise<{ value: CheckParamsResult }> => ({
  value: { problems: await checkLightgbmParams(p) },
}));
