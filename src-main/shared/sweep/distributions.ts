import { z } from 'zod';

/**
 * A search-space parameter's distribution, in Optuna's three kinds (FloatDistribution, IntDistribution,
 * CategoricalDistribution) with the same fields, so a sweep's trials export to Optuna's journal format
 * unchanged. `step` on a float makes it discrete (low, low+step, …, high); `log` and `step` exclude each
 * other, as in Optuna.
 */
export const floatDistributionSchema = z
  .object({
    type: z.literal('float'),
    low: z.number(),
    high: z.number(),
    log: z.boolean().default(false),
    step: z.number().positive().nullable().default(null),
  })
  .strict();
export const intDistributionSchema = z
  .object({
    type: z.literal('int'),
    low: z.number().int(),
    high: z.number().int(),
    log: z.boolean().default(false),
    step: z.number().int().positive().default(1),
  })
  .strict();
export const categoryValueSchema = z.union([z.string(), z.number(), z.boolean()]);
export type CategoryValue = z.output<typeof categoryValueSchema>;
export const categoricalDistributionSchema = z
  .object({ type: z.literal('categorical'), choices: z.array(categoryValueSchema).min(1) })
  .strict();
export const distributionSchema = z.discriminatedUnion('type', [
  floatDistributionSchema,
  intDistributionSchema,
  categoricalDistributionSchema,
]);

export type FloatDistribution = z.output<typeof floatDistributionSchema>;
export type IntDistribution = z.output<typeof intDistributionSchema>;
export type CategoricalDistribution = z.output<typeof categoricalDistributionSchema>;
export type Distribution = z.output<typeof distributionSchema>;

/** A sampled parameter value: a number for float/int, a choice for categorical. */
export type ParamValue = CategoryValue;
export type TrialParams = Record<string, ParamValue>;

/**
 * One searched parameter. `when` makes it conditional: it is sampled only when the named earlier
 * parameter took one of the listed values (otherwise the trial does not have it, as in Optuna's
 * define-by-run spaces). Parameters are sampled in the order of the space.
 */
export const searchParamSchema = z
  .object({
    name: z.string().min(1),
    distribution: distributionSchema,
    when: z
      .object({ param: z.string().min(1), in: z.array(categoryValueSchema).min(1) })
      .strict()
      .optional(),
  })
  .strict();
export type SearchParam = z.output<typeof searchParamSchema>;

export const searchSpaceSchema = z.object({ params: z.array(searchParamSchema).min(1) }).strict();
export type SearchSpace = z.output<typeof searchSpaceSchema>;

/** True when a parameter applies to a trial whose earlier parameters are `params` (its condition holds). */
export function paramActive(p: SearchParam, params: TrialParams): boolean {
  if (!p.when) return true;
  const v = params[p.when.param];
  return v !== undefined && p.when.in.some((c) => c === v);
}

/**
 * The default search space of the original requirements, in LightGBM's own parameter names (the
 * aliases the requirements used: min_child_samples, reg_alpha, reg_lambda are LightGBM aliases too).
 */
export const DEFAULT_SEARCH_SPACE: SearchSpace = {
  params: [
    { name: 'num_leaves', distribution: { type: 'int', low: 10, high: 300, log: false, step: 1 } },
    { name: 'learning_rate', distribution: { type: 'float', low: 0.01, high: 0.3, log: true, step: null } },
    { name: 'feature_fraction', distribution: { type: 'float', low: 0.4, high: 1.0, log: false, step: null } },
    { name: 'bagging_fraction', distribution: { type: 'float', low: 0.4, high: 1.0, log: false, step: null } },
    { name: 'bagging_freq', distribution: { type: 'int', low: 1, high: 7, log: false, step: 1 } },
    { name: 'min_child_samples', distribution: { type: 'int', low: 5, high: 100, log: false, step: 1 } },
    { name: 'max_depth', distribution: { type: 'int', low: 3, high: 15, log: false, step: 1 } },
    { name: 'reg_alpha', distribution: { type: 'float', low: 0, high: 10, log: false, step: null } },
    { name: 'reg_lambda', distribution: { type: 'float', low: 0, high: 10, log: false, step: null } },
  ],
};
