import { z } from 'zod';
import { defineOp } from '../defineOp';
import { jobSchema } from '../../../shared/events';
import { trainResultSchema } from '../../../shared/results';
import { sweepListItemSchema, sweepSummarySchema, sweepTrialsSchema } from '../../../shared/results/sweep';
import { searchSpaceSchema } from '../../../shared/sweep/distributions';
import { objectiveSets, pruners, samplerNames } from '../../../shared/sweep/trials';
import { cvSchemes, targets } from '../../../shared/vocabulary';
import { optionalModelName, optionalRunName, seasonsText } from './modelingFields';

/** A sweep by id (or a unique prefix of at least 6 characters) or by name. */
const sweepRef = z.string().min(1).describe('sweep id, id prefix or name');

export const sweepOps = {
  'ml.optimize': defineOp({
    kind: 'job',
    summary:
      'Hyperparameter sweep of LightGBM on a time-series CV: TPE, random or grid sampling, pruning, parallel workers, resumable, reproducible',
    input: z
      .object({
        target: z.enum(targets).optional().describe('required unless --resume'),
        features: z.string().min(1).optional().describe('feature set (required unless --resume)'),
        trials: z.number().int().min(1).max(10_000).optional().describe('trials to run (default 50; with --resume: the total to reach)'),
        sampler: z.enum(samplerNames).default('tpe'),
        objectives: z.enum(objectiveSets).default('logLoss').describe('logLoss | logLoss,roi | accuracy,roi'),
        pruner: z.enum(pruners).default('median'),
        seasons: seasonsText.optional().describe('seasons the CV runs over (default all)'),
        cv: z.enum(cvSchemes).default('walk-forward').describe('CV scheme (as ml cv --scheme)'),
        splits: z.number().int().min(1).max(50).default(5),
        trainDays: z.number().int().min(1).default(90),
        testDays: z.number().int().min(1).default(30),
        gap: z.number().int().min(0).default(1),
        embargo: z.number().int().min(0).default(1),
        workers: z.number().int().min(1).max(64).optional().describe('parallel trials (default: the pool size)'),
        timeout: z.number().positive().optional().describe('stop asking for new trials after this many seconds'),
        maxTrialSeconds: z.number().positive().optional().describe('stop (and mark failed) a trial that runs longer'),
        maxLeaves: z.number().int().min(2).optional().describe('interpretability cap: num_leaves never above this'),
        maxDepth: z.number().int().min(1).optional().describe('interpretability cap: max_depth never above this'),
        space: z.string().min(1).optional().describe('search space file (YAML or JSON); default: the nine-parameter space'),
        spaceText: z.string().max(100_000).optional().describe('the search space as YAML or JSON text (the UI editor)'),
        seed: z.number().int().optional(),
        numBoostRound: z.number().int().min(1).max(9_000).optional(),
        earlyStoppingRounds: z.number().int().min(1).optional(),
        name: optionalRunName,
        resume: z.string().min(1).optional().describe('continue a sweep (name or id): keeps finished trials, re-runs interrupted ones'),
      })
      .strict(),
    output: jobSchema,
    result: sweepSummarySchema,
    cli: {
      path: ['ml', 'optimize'],
      help: 'hyperparameter sweep: --target T --features SET --trials N [--sampler tpe|random|grid] [--objectives logLoss,roi] [--workers K] [--resume NAME]',
      files: ['space'],
    },
  }),
  'ml.sweeps.list': defineOp({
    kind: 'query',
    summary: 'Sweeps, newest first',
    input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    output: z.array(sweepListItemSchema),
    cli: { path: ['ml', 'sweeps', 'list'], help: 'list sweeps' },
  }),
  'ml.sweeps.show': defineOp({
    kind: 'query',
    summary: "A sweep's summary: best trial, improvement over default parameters, Pareto front, importance",
    input: z.object({ id: sweepRef }).strict(),
    output: sweepSummarySchema,
    cli: { path: ['ml', 'sweeps', 'show'], positionals: ['id'], help: 'show a sweep: ID' },
  }),
  'ml.sweeps.trials': defineOp({
    kind: 'query',
    summary: "A sweep's trials: parameters, values, intermediate values, state, duration",
    input: z.object({ id: sweepRef }).strict(),
    output: sweepTrialsSchema,
    cli: { path: ['ml', 'sweeps', 'trials'], positionals: ['id'], help: "a sweep's trials: ID" },
  }),
  'ml.sweeps.best': defineOp({
    kind: 'query',
    summary: "A sweep's best trial (or Pareto front) and the LightGBM parameters it trains with",
    input: z.object({ id: sweepRef }).strict(),
    output: z.object({
      sweepId: z.string(),
      best: sweepSummarySchema.shape.best,
      paretoFront: sweepSummarySchema.shape.paretoFront,
      /** The full LightGBM parameters of the best trial, as `ml train --params` takes them. */
      lgbParams: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
    }),
    cli: { path: ['ml', 'sweeps', 'best'], positionals: ['id'], help: "a sweep's best parameters: ID" },
  }),
  'ml.sweeps.train': defineOp({
    kind: 'job',
    summary: "Train the final model with a sweep's best parameters (validated automatically, as every training)",
    input: z
      .object({
        id: sweepRef,
        name: optionalModelName,
        trial: z.number().int().min(0).optional().describe('train this trial instead of the best (e.g. a Pareto-front trial)'),
      })
      .strict(),
    output: jobSchema,
    result: trainResultSchema,
    jobKind: 'ml.train',
    cli: { path: ['ml', 'sweeps', 'train'], positionals: ['id'], help: "train a sweep's best: ID [--name MODEL]" },
  }),
  'ml.sweeps.export': defineOp({
    kind: 'command',
    summary: 'Write a sweep as an Optuna JournalStorage file (optuna.load_study reads it; optuna-dashboard opens it)',
    input: z
      .object({
        id: sweepRef,
        format: z.enum(['optuna-journal']).default('optuna-journal'),
        out: z.string().min(1),
      })
      .strict(),
    output: z.object({ sweepId: z.string(), out: z.string(), trials: z.number().int(), studyName: z.string(), bytes: z.number().int() }),
    cli: {
      path: ['ml', 'sweeps', 'export'],
      positionals: ['id'],
      help: 'export a sweep: ID --format optuna-journal --out FILE',
      files: ['out'],
    },
  }),
  'ml.sweeps.space': defineOp({
    kind: 'query',
    summary: 'Check a search space (YAML or JSON text; none: the default space) and answer it parsed, as YAML too',
    input: z.object({ text: z.string().max(100_000).optional() }).strict(),
    output: z.object({ space: searchSpaceSchema, text: z.string(), isDefault: z.boolean() }),
    cli: { path: ['ml', 'sweeps', 'space'], help: 'check a search space: --text YAML (none: show the default)' },
  }),
};
