import { z } from 'zod';
import { defineOp } from '../defineOp';
import { jobSchema } from '../../../shared/events';
import { backtestResultSchema, cvResultSchema } from '../../../shared/results';
import { backtestStrategies, CPCV_DEFAULTS, cvSchemes, oddsSides, targets } from '../../../shared/vocabulary';
import { lgbParams, optionalRunName, seasonsText } from './modelingFields';
import { metricValue, runParamValueSchema, runSummarySchema } from './tracking';

/** Bounds the form and the CLI accept for N; the splitter still refuses more than its cap of splits (C(N, k)). */
const CPCV_MAX_GROUPS = 64;

export const evaluationOps = {
  'ml.cv': defineOp({
    kind: 'job',
    summary: 'Time-series cross-validation in the worker pool: folds, out-of-fold predictions, importance per fold',
    input: z
      .object({
        model: z.string().min(1).optional().describe('take target, features and parameters from this model'),
        params: lgbParams.optional(),
        features: z.string().min(1).optional(),
        target: z.enum(targets).optional(),
        seasons: seasonsText.optional().describe('seasons to cross-validate over (default all)'),
        scheme: z.enum(cvSchemes).default('walk-forward'),
        splits: z.number().int().min(1).max(50).default(5).describe('folds of the forward schemes (cpcv makes C(groups, test-groups))'),
        trainDays: z.number().int().min(1).default(90).describe('training window of walk-forward, rolling and within-season'),
        testDays: z.number().int().min(1).default(30).describe('test window of walk-forward, rolling and within-season'),
        gap: z.number().int().min(0).default(1),
        embargo: z.number().int().min(0).default(1),
        // No zod default: a value given with another scheme is refused below, which a default would hide.
        groups: z
          .number()
          .int()
          .min(2)
          .max(CPCV_MAX_GROUPS)
          .optional()
          .describe(`cpcv only: date groups N (default ${CPCV_DEFAULTS.groups})`),
        testGroups: z
          .number()
          .int()
          .min(1)
          .max(CPCV_MAX_GROUPS - 1)
          .optional()
          .describe(`cpcv only: test groups k per split, k < N (default ${CPCV_DEFAULTS.testGroups})`),
        seed: z.number().int().optional(),
        numBoostRound: z.number().int().min(1).max(20_000).optional(),
        earlyStoppingRounds: z.number().int().min(1).optional(),
        workers: z.number().int().min(1).optional().describe('parallel fold groups (default: the pool size)'),
        name: optionalRunName,
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.scheme === 'cpcv') return;
        for (const field of ['groups', 'testGroups'] as const) {
          if (v[field] !== undefined)
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message: `--${field === 'groups' ? 'groups' : 'test-groups'} applies only to --scheme cpcv (the scheme is ${v.scheme}): leave it out, or choose --scheme cpcv`,
            });
        }
      }),
    output: jobSchema,
    result: cvResultSchema,
    cli: {
      path: ['ml', 'cv'],
      help: 'cross-validate: --model NAME | --features SET --target T [--params JSON] --scheme walk-forward | --scheme cpcv [--groups 6 --test-groups 2]',
    },
  }),
  'ml.backtest': defineOp({
    kind: 'job',
    summary: "Bet a model (out of sample only) or a CV run's out-of-fold predictions, and the rule-based baselines, on the same games",
    input: z
      .object({
        model: z.string().min(1).optional().describe('model trained strictly before --seasons (rule-based strategies need none)'),
        run: z
          .string()
          .min(1)
          .optional()
          .describe('a CV run (id or prefix): bet its out-of-fold predictions, only games that were in a test fold'),
        seasons: seasonsText,
        strategy: z.array(z.enum(backtestStrategies)).min(1).default(['edge']),
        baselines: z.boolean().default(true).describe('also run home, favorite, underdog and elo on the same games'),
        edge: z.number().min(0).max(1).default(0.02),
        kellyFraction: z.number().gt(0).max(1).default(0.25),
        maxStake: z.number().gt(0).max(1).default(0.05),
        odds: z.enum(oddsSides).default('close'),
        bootstrapResamples: z.number().int().min(100).max(100_000).default(2000),
        seed: z.number().int().default(1),
        name: optionalRunName,
      })
      .strict(),
    output: jobSchema,
    result: backtestResultSchema,
    cli: {
      path: ['ml', 'backtest'],
      help: 'backtest: --model NAME | --run CV_RUN_ID, --seasons 2016 --strategy edge,kelly [--odds close|open]',
    },
  }),
  'ml.runs.compare': defineOp({
    kind: 'query',
    summary: 'Two or more runs side by side: metrics with differences to the first, and the parameters that differ',
    input: z.object({ ids: z.array(z.string().min(1)).min(2).max(20) }).strict(),
    output: z.object({
      runs: z.array(runSummarySchema),
      metrics: z.array(z.object({ key: z.string(), values: z.array(metricValue), deltas: z.array(metricValue) })),
      params: z.array(z.object({ key: z.string(), values: z.array(runParamValueSchema.nullable()), differs: z.boolean() })),
    }),
    cli: { path: ['ml', 'runs', 'compare'], positionals: ['ids...'], help: 'compare runs side by side' },
  }),
};
