import { z } from 'zod';
import { validationPolicySchema } from '../../src-main/shared/validationPolicy';
import { computeGates, type GateComputation } from '../compute/validation';
import type { TaskResult } from '../protocol';
import { defineTask } from './defineTask';

// instanceof checks typed like the evidence's arrays (any backing buffer): the engine builds them without transferring.
const column = z.custom<Float64Array>((v) => v instanceof Float64Array, 'expected a Float64Array');
const dayColumn = z.custom<Int32Array>((v) => v instanceof Int32Array, 'expected an Int32Array');

const evidenceGamesSchema = z.object({
  days: dayColumn,
  label: column,
  p: column,
  closeHome: column,
  closeAway: column,
  openHome: column,
  openAway: column,
});

/** ValidationEvidence (compute/validation/evidence.ts) as it crosses to the worker; the policy gets its defaults here. */
export const validationGatesPayloadSchema = z.object({
  policy: validationPolicySchema,
  games: evidenceGamesSchema,
  importance: z.object({ features: z.array(z.string()), foldGains: z.array(z.array(z.number())) }).nullable(),
  leakageGuard: z.object({ passed: z.boolean(), leakingFeatures: z.array(z.string()) }).nullable(),
  topFeatures: z.array(z.string()),
  cpcv: z.object({ games: evidenceGamesSchema, paths: z.array(column) }).nullable(),
  sweepTrials: z.int().min(1),
});
export type ValidationGatesPayload = z.input<typeof validationGatesPayloadSchema>;

/** Computes every enabled gate, the summary and the charts of a validation off the engine's thread (the bootstrap and CPCV backtests take a while). */
export const validationGates = defineTask(validationGatesPayloadSchema, (p, ctx): TaskResult<GateComputation> => {
  ctx.progress(0, 'computing the gates');
  const value = computeGates(p);
  ctx.progress(1, 'gates computed');
  return { value };
});
