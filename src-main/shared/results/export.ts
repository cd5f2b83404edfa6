import { z } from 'zod';
import { BullpenError } from '../errors';
import { sweepStatusSchema } from './sweep';
import { trialStateSchema } from '../sweep/trials';
import { modelStageSchema } from '../vocabulary';
import { count } from './numbers';

/** A key MLflow would refuse, and the name it was exported under (`ndcg@3` → `ndcg_at_3`). */
export const renamedKeySchema = z.object({ kind: z.enum(['metric', 'param', 'tag']), from: z.string(), to: z.string() });

/** `export.mlflow --model`: where the model went in MLflow, and what the export did. */
export const exportModelResultSchema = z.object({
  /** What was exported; absent in results written before sweeps could be exported. */
  exported: z.literal('model').optional(),
  /** The registry name exported (or the trained model's name when no registry version was given). */
  modelName: z.string(),
  /** The registry version, or null for a trained model exported by name. */
  version: z.number().int().nullable(),
  stage: modelStageSchema.nullable(),
  sourceModel: z.string(),
  /** The Bullpen training run. */
  runId: z.string(),
  trackingUri: z.string(),
  /** As the server reports it; null when only the fallback probe answered. */
  serverVersion: z.string().nullable(),
  /** MLflow 3's logged-model flow, or MLflow 2's model under the run's artifacts. */
  flow: z.enum(['logged-model', 'run-artifacts']),
  experimentId: z.string(),
  experimentName: z.string(),
  mlflowRunId: z.string(),
  loggedModelId: z.string().nullable(),
  registeredModel: z.string(),
  modelVersion: z.string(),
  /** What Python loads: `models:/NAME/VERSION` (and `models:/NAME@ALIAS` for each alias). */
  modelUri: z.string(),
  aliases: z.array(z.string()),
  /** The run's page in the MLflow UI. */
  url: z.string(),
  renamedKeys: z.array(renamedKeySchema),
  /** True when an earlier, unfinished or finished export of this run was found and completed or refreshed. */
  resumed: z.boolean(),
  uploadedFiles: count,
  /** HTTP requests sent to MLflow, retries included. */
  requests: count,
  durationMs: z.number(),
});
export type ExportModelResult = z.output<typeof exportModelResultSchema>;

/** MLflow's run statuses, as a sweep's runs end up in it. */
export const mlflowRunStatusSchema = z.enum(['RUNNING', 'FINISHED', 'FAILED', 'KILLED']);

/** One trial's nested MLflow run. */
export const exportedTrialSchema = z.object({
  number: z.number().int().min(0),
  state: trialStateSchema,
  mlflowRunId: z.string(),
  status: mlflowRunStatusSchema,
});

/** `export.mlflow --sweep`: the sweep's parent run and one nested run per trial, and what the export did. */
export const exportSweepResultSchema = z.object({
  exported: z.literal('sweep'),
  sweepId: z.string(),
  sweepName: z.string(),
  /** The sweep's status when it was exported (a running sweep exports as it stands; export again later). */
  sweepStatus: sweepStatusSchema,
  /** The sweep's run in Bullpen's tracking store (the MLflow parent run's bullpen.runId tag). */
  runId: z.string(),
  trackingUri: z.string(),
  serverVersion: z.string().nullable(),
  experimentId: z.string(),
  experimentName: z.string(),
  /** The parent run. */
  mlflowRunId: z.string(),
  url: z.string(),
  trials: z.array(exportedTrialSchema),
  /** The best trial (the first objective's), tagged bullpen.best on its run. */
  bestTrial: z.number().int().nullable(),
  renamedKeys: z.array(renamedKeySchema),
  /** True when an earlier export's parent run was found and completed or refreshed. */
  resumed: z.boolean(),
  /** Runs created by this export (the parent and trials), and existing trial runs it changed. */
  createdRuns: count,
  updatedRuns: count,
  uploadedFiles: count,
  requests: count,
  durationMs: z.number(),
});
export type ExportSweepResult = z.output<typeof exportSweepResultSchema>;

/**
 * `export.mlflow`: a model export or a sweep export, told apart by `exported`. A result without it (written
 * before sweeps were exported) is a model export.
 */
export const exportMlflowResultSchema = z.discriminatedUnion('exported', [exportModelResultSchema, exportSweepResultSchema]);
export type ExportMlflowResult = z.output<typeof exportMlflowResultSchema>;

/** A model export's result, for readers that exported a model (a sweep export's result is refused as a bug). */
export function modelExportResult(result: ExportMlflowResult): ExportModelResult {
  if (result.exported === 'sweep')
    throw new BullpenError('internal', 'EXPORT_RESULT_KIND', `expected a model export's result, got sweep ${result.sweepId}'s`);
  return result;
}
