import { z } from 'zod';
import { defineOp } from '../defineOp';
import { jobSchema } from '../../../shared/events';
import { materializeResultSchema } from '../../../shared/results';

const freshness = z.enum(['fresh', 'stale', 'outdated', 'never']);

export const catalogEntrySchema = z.object({
  name: z.string(),
  currentVersion: z.number().int(),
  versions: z.array(z.number().int()),
  description: z.string(),
  dtype: z.string(),
  owner: z.string(),
  tags: z.array(z.string()),
  builtin: z.boolean(),
  sets: z.array(z.string()),
  usedBy: z.array(z.object({ kind: z.string(), id: z.string(), version: z.number().int() })),
  lastMaterializedAt: z.string().nullable(),
  freshness,
  freshnessSlaHours: z.number(),
  degraded: z.boolean(),
});

export const featureVersionSchema = z.object({
  name: z.string(),
  version: z.number().int(),
  description: z.string(),
  dtype: z.string(),
  computation: z.string(),
  computationHash: z.string(),
  dependencies: z.array(z.string()),
  freshnessSlaHours: z.number(),
  owner: z.string(),
  tags: z.array(z.string()),
  builtin: z.boolean(),
  createdAt: z.string(),
});

export const qualitySchema = z.object({
  feature: z.string(),
  version: z.number().int(),
  rows: z.number().int(),
  missingRate: z.number(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  quantiles: z.object({
    p01: z.number().nullable(),
    p25: z.number().nullable(),
    p50: z.number().nullable(),
    p75: z.number().nullable(),
    p99: z.number().nullable(),
  }),
  distinctCount: z.number().int(),
  schemaOk: z.boolean(),
  schemaErrors: z.array(z.string()),
});

export const lineageSchema = z.object({
  feature: z.string(),
  version: z.number().int(),
  upstream: z.array(z.string()),
  downstream: z.array(z.string()),
  nodes: z.array(z.object({ id: z.string(), kind: z.enum(['feature', 'source', 'table', 'set', 'consumer']), label: z.string() })),
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
});

export const leakageReportSchema = z.object({
  passed: z.boolean(),
  cutoffs: z.array(z.string()),
  checkedFeatures: z.number().int(),
  checkedGames: z.number().int(),
  leaks: z.array(
    z.object({
      feature: z.string(),
      version: z.number().int(),
      cutoff: z.string(),
      movedGames: z.number().int(),
      example: z.object({ gameId: z.string(), date: z.string(), before: z.number().nullable(), after: z.number().nullable() }),
    }),
  ),
});

const materializationSchema = z.object({
  id: z.string(),
  setName: z.string(),
  contentHash: z.string(),
  dataHash: z.string(),
  tableName: z.string(),
  features: z.array(z.object({ name: z.string(), version: z.number().int() })),
  rows: z.number().int(),
  durationMs: z.number(),
  createdAt: z.string(),
  cached: z.boolean(),
});

const setName = z.string().min(1).default('default');

export const featureOps = {
  'features.list': defineOp({
    kind: 'query',
    summary: 'The feature catalog: versions, owner, tags, sets, users, freshness and quality flags',
    input: z.object({}).strict(),
    output: z.object({
      features: z.array(catalogEntrySchema),
      sets: z.array(z.object({ name: z.string(), description: z.string(), features: z.array(z.string()) })),
    }),
    cli: { path: ['features', 'list'], help: 'list features' },
  }),
  'features.show': defineOp({
    kind: 'query',
    summary: 'One feature: every version with its computation, its catalog entry, latest quality and lineage',
    input: z.object({ name: z.string().min(1) }).strict(),
    output: z.object({
      entry: catalogEntrySchema,
      versions: z.array(featureVersionSchema),
      quality: qualitySchema.nullable(),
      lineage: lineageSchema,
    }),
    cli: { path: ['features', 'show'], positionals: ['name'], help: 'show a feature' },
  }),
  'features.search': defineOp({
    kind: 'query',
    summary: 'Search the catalog by text (name, description, tags, owner), tag or owner',
    input: z.object({ text: z.string().optional(), tag: z.string().optional(), owner: z.string().optional() }).strict(),
    output: z.object({ features: z.array(catalogEntrySchema) }),
    cli: { path: ['features', 'search'], positionals: ['text'], help: 'search features (--tag T --owner O)' },
  }),
  'features.register': defineOp({
    kind: 'command',
    summary:
      'Register feature definitions and sets from a JSON or YAML file; a changed computation becomes a new version after a leakage check',
    input: z.object({ file: z.string().min(1), skipLeakageCheck: z.boolean().default(false) }).strict(),
    output: z.object({
      features: z.array(
        z.object({ name: z.string(), version: z.number().int(), outcome: z.string(), leakage: leakageReportSchema.nullable() }),
      ),
      sets: z.array(z.string()),
    }),
    cli: { path: ['features', 'register'], positionals: ['file'], files: ['file'], help: 'register definitions from FILE (JSON or YAML)' },
  }),
  'features.rollback': defineOp({
    kind: 'command',
    summary: 'Make an earlier version of a feature current again (the previous one by default)',
    input: z.object({ name: z.string().min(1), version: z.number().int().positive().optional() }).strict(),
    output: z.object({ name: z.string(), from: z.number().int(), to: z.number().int() }),
    cli: { path: ['features', 'rollback'], positionals: ['name'], help: 'roll a feature back (--version N)' },
  }),
  'features.materialize': defineOp({
    kind: 'job',
    summary: 'Materialize a feature set into the workspace (content-hashed) and record its quality',
    input: z.object({ set: setName, force: z.boolean().default(false) }).strict(),
    output: jobSchema,
    result: materializeResultSchema,
    cli: { path: ['features', 'materialize'], positionals: ['set'], help: 'materialize a feature set' },
  }),
  'features.materializations': defineOp({
    kind: 'query',
    summary: 'Stored materializations, newest first',
    input: z.object({}).strict(),
    output: z.object({ materializations: z.array(materializationSchema) }),
    cli: { path: ['features', 'materializations'], help: 'list materializations' },
  }),
  'features.quality': defineOp({
    kind: 'query',
    summary: "Per-feature quality of a set's latest materialization (missing rate, range, quantiles, distinct count, schema checks)",
    input: z.object({ set: setName }).strict(),
    output: z.object({ set: z.string(), materialization: materializationSchema.nullable(), features: z.array(qualitySchema) }),
    cli: { path: ['features', 'quality'], positionals: ['set'], help: 'show quality of a materialized set' },
  }),
  'features.lineage': defineOp({
    kind: 'query',
    summary: 'What a feature reads and what reads it, as a graph',
    input: z.object({ name: z.string().min(1), version: z.number().int().positive().optional() }).strict(),
    output: lineageSchema,
    cli: { path: ['features', 'lineage'], positionals: ['name'], help: 'show lineage of a feature' },
  }),
  'features.checkLeakage': defineOp({
    kind: 'query',
    summary:
      'Prove a set point-in-time: perturb results on/after cutoff dates and check that no earlier feature value moves (the workspace is not changed)',
    input: z.object({ set: setName, cutoffs: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).optional() }).strict(),
    output: leakageReportSchema.extend({ set: z.string(), contentHash: z.string() }),
    cli: { path: ['features', 'check-leakage'], positionals: ['set'], help: 'run the leakage guard on a set' },
  }),
  'features.export': defineOp({
    kind: 'command',
    summary: "Write a set's materialized values with game id, date and targets to Parquet, CSV or Arrow",
    input: z
      .object({
        set: setName,
        out: z.string().min(1),
        format: z.enum(['parquet', 'csv', 'arrow']).optional().describe('default: from the file name (.csv, .arrow), else parquet'),
      })
      .strict(),
    output: z.object({
      set: z.string(),
      contentHash: z.string(),
      out: z.string(),
      format: z.enum(['parquet', 'csv', 'arrow']),
      rows: z.number().int(),
      features: z.number().int(),
    }),
    cli: {
      path: ['features', 'export'],
      positionals: ['set'],
      files: ['out'],
      help: 'export a materialized set (--out FILE --format parquet|csv|arrow)',
    },
  }),
};
