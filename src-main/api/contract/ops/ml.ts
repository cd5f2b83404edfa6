import { z } from 'zod';
import { defineOp } from '../defineOp';
import { jobSchema } from '../../../shared/events';
import { modelNameSchema } from '../../../shared/modelName';

/** The targets a model can predict (home moneyline win, over the closing total, home -1.5 run line). */
export const mlTargets = ['home_win', 'over', 'home_runline'] as const;
export const cvSchemeNames = ['walk-forward', 'season-forward', 'rolling', 'within-season'] as const;
export const backtestStrategyNames = ['flat', 'edge', 'kelly', 'home', 'favorite', 'underdog', 'elo'] as const;
export const runKinds = ['train', 'cv', 'cv-fold', 'backtest', 'backtest-strategy'] as const;
export const runStatuses = ['running', 'completed', 'failed', 'cancelled', 'interrupted'] as const;

const seasonsText = z.string().regex(/^\s*\d{4}(\s*-\s*\d{4})?(\s*,\s*\d{4}(\s*-\s*\d{4})?)*\s*$/, 'seasons look like 2016, 2000-2014 or 2000-2010,2012');
const lgbParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe('LightGBM parameters');
const metricValue = z.number().nullable();

export const runSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(runKinds),
  status: z.enum(runStatuses),
  parentId: z.string().nullable(),
  jobId: z.string().nullable(),
  target: z.string().nullable(),
  featureSet: z.string().nullable(),
  dataHash: z.string().nullable(),
  seed: z.number().nullable(),
  codeVersion: z.string().nullable(),
  synthetic: z.boolean(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  params: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
  metrics: z.record(z.string(), metricValue),
});
export type RunSummaryDto = z.infer<typeof runSummarySchema>;

export const runDetailSchema = runSummarySchema.extend({
  featureVersions: z.array(z.object({ name: z.string(), version: z.number() })).nullable(),
  curves: z.record(z.string(), z.array(z.object({ step: z.number(), value: metricValue }))),
  artifacts: z.array(z.object({ name: z.string(), mediaType: z.string(), bytes: z.number() })),
  /** JSON artifacts inlined by name without `.json`: calibration, importance, folds, market, backtest, equity. */
  data: z.record(z.string(), z.unknown()),
  children: z.array(runSummarySchema),
});
export type RunDetailDto = z.infer<typeof runDetailSchema>;

export const modelSchema = z.object({
  name: z.string(),
  runId: z.string(),
  target: z.string(),
  featureSet: z.string(),
  featureNames: z.array(z.string()),
  featureVersions: z.array(z.object({ name: z.string(), version: z.number() })),
  seasons: z.array(z.number()),
  lastTrainingDate: z.string(),
  bestIteration: z.number(),
  createdAt: z.string(),
});

const optionalName = z.string().min(1).max(100).optional().describe('a name for the run (and the model)');
/** ml.train's name names the model too, so the model-name rule applies before the job starts. */
const optionalModelName = modelNameSchema.optional().describe('a name for the run and the model (letters, digits, _ . -)');

export const mlOps = {
  'ml.train': defineOp({
    kind: 'job',
    summary: 'Train a LightGBM model in a worker (early stopping on --valid) and record it as a run',
    input: z
      .object({
        target: z.enum(mlTargets).default('home_win'),
        features: z.string().min(1).default('default').describe('feature set'),
        train: seasonsText.describe('training seasons, e.g. 2000-2014'),
        valid: seasonsText.optional().describe('early-stopping seasons after --train'),
        params: lgbParams.optional(),
        name: optionalModelName,
        seed: z.number().int().default(42),
        numBoostRound: z.number().int().min(1).max(20_000).optional(),
        earlyStoppingRounds: z.number().int().min(1).optional(),
        tags: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
    output: jobSchema,
    cli: { path: ['ml', 'train'], help: 'train a model: --target home_win --features SET --train 2000-2014 [--valid 2015]' },
  }),
  'ml.predict': defineOp({
    kind: 'job',
    summary: 'Score games with a stored model: the workspace games of some seasons, or the rows of a CSV/Parquet file',
    input: z
      .object({
        model: z.string().min(1),
        seasons: seasonsText.optional().describe('score the workspace games of these seasons'),
        input: z
          .string()
          .min(1)
          .optional()
          .describe('score the rows of this CSV or Parquet file: game_id and/or date, home, away, plus every feature column of the model by name'),
        out: z.string().min(1).optional().describe('write predictions here (.parquet for Parquet, else CSV); required with --input'),
      })
      .strict(),
    output: jobSchema,
    cli: {
      path: ['ml', 'predict'],
      files: ['input', 'out'],
      help:
        'score games: --model NAME --seasons 2016 [--out FILE], or --model NAME --input FILE --out FILE where FILE (CSV/Parquet) has game_id ' +
        'and/or date,home,away plus the model\'s feature columns by name (`bullpen ml models list` shows them); writes game_id,[date,home,away,]p',
    },
  }),
  'ml.cv': defineOp({
    kind: 'job',
    summary: 'Time-series cross-validation in the worker pool: folds, out-of-fold predictions, importance per fold',
    input: z
      .object({
        model: z.string().min(1).optional().describe('take target, features and parameters from this model'),
        params: lgbParams.optional(),
        features: z.string().min(1).optional(),
        target: z.enum(mlTargets).optional(),
        seasons: seasonsText.optional().describe('seasons to cross-validate over (default all)'),
        scheme: z.enum(cvSchemeNames).default('walk-forward'),
        splits: z.number().int().min(1).max(50).default(5),
        trainDays: z.number().int().min(1).default(90),
        testDays: z.number().int().min(1).default(30),
        gap: z.number().int().min(0).default(1),
        embargo: z.number().int().min(0).default(1),
        seed: z.number().int().optional(),
        numBoostRound: z.number().int().min(1).max(20_000).optional(),
        earlyStoppingRounds: z.number().int().min(1).optional(),
        workers: z.number().int().min(1).optional().describe('parallel fold groups (default: the pool size)'),
        name: optionalName,
      })
      .strict(),
    output: jobSchema,
    cli: { path: ['ml', 'cv'], help: 'cross-validate: --model NAME | --features SET --target T [--params JSON] --scheme walk-forward' },
  }),
  'ml.backtest': defineOp({
    kind: 'job',
    summary: 'Bet a model (out of sample only) or a CV run\'s out-of-fold predictions, and the rule-based baselines, on the same games',
    input: z
      .object({
        model: z.string().min(1).optional().describe('model trained strictly before --seasons (rule-based strategies need none)'),
        run: z.string().min(1).optional().describe("a CV run (id or prefix): bet its out-of-fold predictions, only games that were in a test fold"),
        seasons: seasonsText,
        strategy: z.array(z.enum(backtestStrategyNames)).min(1).default(['edge']),
        baselines: z.boolean().default(true).describe('also run home, favorite, underdog and elo on the same games'),
        edge: z.number().min(0).max(1).default(0.02),
        kellyFraction: z.number().gt(0).max(1).default(0.25),
        maxStake: z.number().gt(0).max(1).default(0.05),
        odds: z.enum(['close', 'open']).default('close'),
        bootstrapResamples: z.number().int().min(100).max(100_000).default(2000),
        seed: z.number().int().default(1),
        name: optionalName,
      })
      .strict(),
    output: jobSchema,
    cli: { path: ['ml', 'backtest'], help: 'backtest: --model NAME | --run CV_RUN_ID, --seasons 2016 --strategy edge,kelly [--odds close|open]' },
  }),
  'ml.runs.list': defineOp({
    kind: 'query',
    summary: 'Runs, searchable by text, tag, param and metric',
    input: z
      .object({
        search: z.string().optional().describe('text in name, id, tags or params'),
        kind: z.enum(runKinds).optional(),
        status: z.enum(runStatuses).optional(),
        filter: z.array(z.string()).optional().describe('metric.logLoss<0.69, param.learning_rate=0.05, tag.note=baseline'),
        sort: z.string().default('startedAt').describe('startedAt, name, durationMs or metric.KEY'),
        order: z.enum(['asc', 'desc']).default('desc'),
        children: z.boolean().default(false).describe('include child runs (folds, strategies)'),
        limit: z.number().int().min(1).max(5000).default(100),
      })
      .strict(),
    output: z.object({ runs: z.array(runSummarySchema) }),
    cli: { path: ['ml', 'runs', 'list'], help: 'list runs: [--search TEXT] [--filter metric.logLoss<0.69] [--sort metric.roi]' },
  }),
  'ml.runs.get': defineOp({
    kind: 'query',
    summary: 'One run with its curves, artifacts, inlined JSON artifacts and children',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: runDetailSchema,
    cli: { path: ['ml', 'runs', 'show'], positionals: ['id'], help: 'show one run' },
  }),
  'ml.runs.compare': defineOp({
    kind: 'query',
    summary: 'Two or more runs side by side: metrics with differences to the first, and the parameters that differ',
    input: z.object({ ids: z.array(z.string().min(1)).min(2).max(20) }).strict(),
    output: z.object({
      runs: z.array(runSummarySchema),
      metrics: z.array(z.object({ key: z.string(), values: z.array(metricValue), deltas: z.array(metricValue) })),
      params: z.array(z.object({ key: z.string(), values: z.array(z.string().nullable()), differs: z.boolean() })),
    }),
    cli: { path: ['ml', 'runs', 'compare'], positionals: ['ids...'], help: 'compare runs side by side' },
  }),
  'ml.runs.tag': defineOp({
    kind: 'command',
    summary: 'Set or remove tags of a run (tags are how runs are found later)',
    input: z
      .object({
        id: z.string().min(1),
        set: z.array(z.string().regex(/^[^=]+=.*$/, 'tags are KEY=VALUE')).default([]),
        remove: z.array(z.string().min(1)).default([]),
      })
      .strict(),
    output: runSummarySchema,
    cli: { path: ['ml', 'runs', 'tag'], positionals: ['id'], help: 'tag a run: --set note=baseline --remove draft' },
  }),
  'ml.models.list': defineOp({
    kind: 'query',
    summary: 'Trained models by name',
    input: z.object({}).strict(),
    output: z.object({ models: z.array(modelSchema) }),
    cli: { path: ['ml', 'models', 'list'], help: 'list trained models' },
  }),
};
