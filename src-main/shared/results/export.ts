import { z } from 'zod';
import { modelStageSchema } from '../vocabulary';
import { count } from './numbers';

/** A key MLflow would refuse, and the name it was exported under (`ndcg@3` → `ndcg_at_3`). */
export const renamedKeySchema = z.object({ kind: z.enum(['metric', 'param', 'tag']), from: z.string(), to: z.string() });

/** `export.mlflow`: where the model went in MLflow, and what the export did. */
export const exportMlflowResultSchema = z.object({
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
export type ExportMlflowResult = z.output<typeof exportMlflowResultSchema>;
