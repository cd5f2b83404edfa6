import { z } from 'zod';
import { defineOp } from '../defineOp';
import { jobSchema } from '../../../shared/events';
import { predictResultSchema, trainResultSchema } from '../../../shared/results';
import { targets } from '../../../shared/vocabulary';
import { lgbParams, optionalModelName, seasonsText } from './modelingFields';

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

export const trainingOps = {
  'ml.train': defineOp({
    kind: 'job',
    summary: 'Train a LightGBM model in a worker (early stopping on --valid) and record it as a run',
    input: z
      .object({
        target: z.enum(targets).default('home_win'),
        features: z.string().min(1).default('default').describe('feature set'),
        train: seasonsText.describe('training seasons, e.g. 2000-2014'),
        valid: seasonsText.optional().describe('early-stopping seasons after --train'),
        params: lgbParams.optional(),
        name: optionalModelName,
        seed: z.number().int().default(42),
        numBoostRound: z.number().int().min(1).max(20_000).optional(),
        earlyStoppingRounds: z.number().int().min(1).optional(),
        tags: z.record(z.string(), z.string()).optional(),
        validate: z
          .boolean()
          .optional()
          .describe("validate the model when training completes (default: the validation policy's autoValidate)"),
      })
      .strict(),
    output: jobSchema,
    result: trainResultSchema,
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
          .describe(
            'score the rows of this CSV or Parquet file: game_id and/or date, home, away, plus every feature column of the model by name',
          ),
        out: z.string().min(1).optional().describe('write predictions here (.parquet for Parquet, else CSV); required with --input'),
      })
      .strict(),
    output: jobSchema,
    result: predictResultSchema,
    cli: {
      path: ['ml', 'predict'],
      files: ['input', 'out'],
      help:
        'score games: --model NAME --seasons 2016 [--out FILE], or --model NAME --input FILE --out FILE where FILE (CSV/Parquet) has game_id ' +
        "and/or date,home,away plus the model's feature columns by name (`bullpen ml models list` shows them); writes game_id,[date,home,away,]p",
    },
  }),
  'ml.models.list': defineOp({
    kind: 'query',
    summary: 'Trained models by name',
    input: z.object({}).strict(),
    output: z.object({ models: z.array(modelSchema) }),
    cli: { path: ['ml', 'models', 'list'], help: 'list trained models' },
  }),
};
