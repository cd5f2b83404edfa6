import { z } from 'zod';
import { defineOp } from '../defineOp';
import { runDataSchema } from '../../../shared/results';
import { runKinds, runStatuses } from '../../../shared/vocabulary';

/** A metric's value; null where it could not be computed. */
export const metricValue = z.number().nullable();
/** A run parameter's value, stored typed by the engine. */
export const runParamValueSchema = z.union([z.string(), z.number(), z.boolean()]);

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
  /** Typed as recorded: numbers stay numbers, text stays text (a season "2016" is a string). */
  params: z.record(z.string(), runParamValueSchema),
  tags: z.record(z.string(), z.string()),
  metrics: z.record(z.string(), metricValue),
});
export type RunSummaryDto = z.infer<typeof runSummarySchema>;

export const runDetailSchema = runSummarySchema.extend({
  featureVersions: z.array(z.object({ name: z.string(), version: z.number() })).nullable(),
  curves: z.record(z.string(), z.array(z.object({ step: z.number(), value: metricValue }))),
  artifacts: z.array(z.object({ name: z.string(), mediaType: z.string(), bytes: z.number() })),
  /** JSON artifacts inlined by name without `.json` (calibration, importance, folds, market, backtest, equity), each parsed by its schema. */
  data: runDataSchema,
  /** JSON artifacts that do not match their schema (a run from an older version): listed here, not inlined. */
  unreadableData: z.array(z.object({ name: z.string(), issue: z.string() })),
  children: z.array(runSummarySchema),
});
export type RunDetailDto = z.infer<typeof runDetailSchema>;

export const trackingOps = {
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
};
