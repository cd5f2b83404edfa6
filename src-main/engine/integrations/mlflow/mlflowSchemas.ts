import { z } from 'zod';

/**
 * The parts of MLflow's REST answers the exporter reads (mlflow/protos/service.proto, model_registry.proto,
 * mlflow_artifacts.proto). Proto JSON leaves out empty lists and default values, so lists default to [];
 * int64 fields may arrive as numbers or strings.
 */

const int64 = z.union([z.number(), z.string()]).transform((v) => Number(v));
const keyValue = z.object({ key: z.string(), value: z.string().optional().default('') });
const keyValues = z.array(keyValue).optional().default([]);

export const experimentSchema = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().optional(),
  lifecycle_stage: z.string().optional(),
});
export type MlflowExperiment = z.output<typeof experimentSchema>;
export const experimentResponse = z.object({ experiment: experimentSchema });
export const createExperimentResponse = z.object({ experiment_id: z.string() });

export const runInfoSchema = z.object({
  run_id: z.string(),
  experiment_id: z.string(),
  run_name: z.string().optional(),
  status: z.string().optional(),
  artifact_uri: z.string().optional(),
  lifecycle_stage: z.string().optional(),
  start_time: int64.optional(),
  end_time: int64.optional(),
});

export const runSchema = z.object({
  info: runInfoSchema,
  data: z.object({ params: keyValues, tags: keyValues }).optional().default({ params: [], tags: [] }),
  inputs: z
    .object({
      dataset_inputs: z
        .array(z.object({ dataset: z.object({ name: z.string(), digest: z.string() }) }))
        .optional()
        .default([]),
    })
    .optional()
    .default({ dataset_inputs: [] }),
  outputs: z
    .object({
      model_outputs: z
        .array(z.object({ model_id: z.string() }))
        .optional()
        .default([]),
    })
    .optional()
    .default({ model_outputs: [] }),
});
export type MlflowRun = z.output<typeof runSchema>;
export const runResponse = z.object({ run: runSchema });
export const searchRunsResponse = z.object({ runs: z.array(runSchema).optional().default([]), next_page_token: z.string().optional() });

export const loggedModelSchema = z.object({
  info: z.object({
    model_id: z.string(),
    experiment_id: z.string(),
    name: z.string(),
    artifact_uri: z.string(),
    status: z.string().optional(),
    source_run_id: z.string().optional(),
    tags: keyValues,
  }),
});
export type MlflowLoggedModel = z.output<typeof loggedModelSchema>;
export const loggedModelResponse = z.object({ model: loggedModelSchema });
export const searchLoggedModelsResponse = z.object({
  models: z.array(loggedModelSchema).optional().default([]),
  next_page_token: z.string().optional(),
});

const aliasSchema = z.object({ alias: z.string(), version: z.string() });

export const registeredModelSchema = z.object({
  name: z.string(),
  aliases: z.array(aliasSchema).optional().default([]),
  tags: keyValues,
});
export type MlflowRegisteredModel = z.output<typeof registeredModelSchema>;
export const registeredModelResponse = z.object({ registered_model: registeredModelSchema });

export const modelVersionSchema = z.object({
  name: z.string(),
  version: z.union([z.string(), z.number()]).transform(String),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  status_message: z.string().optional(),
  model_id: z.string().optional(),
  tags: keyValues,
  aliases: z.array(z.string()).optional().default([]),
});
export type MlflowModelVersion = z.output<typeof modelVersionSchema>;
export const modelVersionResponse = z.object({ model_version: modelVersionSchema });
export const searchModelVersionsResponse = z.object({
  model_versions: z.array(modelVersionSchema).optional().default([]),
  next_page_token: z.string().optional(),
});

export const listArtifactsResponse = z.object({
  files: z
    .array(z.object({ path: z.string(), is_dir: z.boolean().optional().default(false), file_size: int64.optional() }))
    .optional()
    .default([]),
});

/** Answers whose content the exporter does not read. */
export const emptyResponse = z.object({}).passthrough();
