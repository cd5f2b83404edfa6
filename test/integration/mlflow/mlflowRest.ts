// Reads what an MLflow server holds, straight from its REST API, so the export tests check the server's
// state with requests of their own rather than with the exporter's client.
import { z } from 'zod';

const kv = z
  .array(z.object({ key: z.string(), value: z.string().optional().default('') }))
  .optional()
  .default([]);

async function call(uri: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const url = `${uri}${path}`;
  const r = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

export const runSchema = z.object({
  info: z.object({ run_id: z.string(), status: z.string(), artifact_uri: z.string(), experiment_id: z.string() }),
  data: z.object({
    params: kv,
    tags: kv,
    metrics: z
      .array(z.object({ key: z.string(), step: z.coerce.number() }))
      .optional()
      .default([]),
  }),
  inputs: z
    .object({
      dataset_inputs: z
        .array(z.object({ dataset: z.object({ name: z.string(), digest: z.string(), schema: z.string().optional() }) }))
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

export async function experimentId(uri: string, name: string): Promise<string> {
  const r = z
    .object({ experiment: z.object({ experiment_id: z.string() }) })
    .parse(await call(uri, 'GET', `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`));
  return r.experiment.experiment_id;
}

export async function runsOf(uri: string, experiment: string) {
  const r = z
    .object({ runs: z.array(runSchema).optional().default([]) })
    .parse(await call(uri, 'POST', '/api/2.0/mlflow/runs/search', { experiment_ids: [experiment], max_results: 1000 }));
  return r.runs;
}

export async function metricHistory(uri: string, runId: string, key: string) {
  const r = z
    .object({
      metrics: z
        .array(z.object({ step: z.coerce.number(), value: z.union([z.number(), z.string()]) }))
        .optional()
        .default([]),
    })
    .parse(
      await call(
        uri,
        'GET',
        `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${encodeURIComponent(key)}&max_results=100000`,
      ),
    );
  return r.metrics;
}

export async function loggedModels(uri: string, experiment: string) {
  const r = z
    .object({
      models: z
        .array(
          z.object({
            info: z.object({
              model_id: z.string(),
              status: z.string().optional(),
              source_run_id: z.string().optional(),
              artifact_uri: z.string(),
            }),
          }),
        )
        .optional()
        .default([]),
    })
    .parse(await call(uri, 'POST', '/api/2.0/mlflow/logged-models/search', { experiment_ids: [experiment], max_results: 100 }));
  return r.models.map((m) => m.info);
}

export const versionSchema = z.object({
  name: z.string(),
  version: z.string(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  tags: kv,
  aliases: z.array(z.string()).optional().default([]),
});

export async function versionsOf(uri: string, name: string) {
  const r = z
    .object({ model_versions: z.array(versionSchema).optional().default([]) })
    .parse(await call(uri, 'GET', `/api/2.0/mlflow/model-versions/search?filter=${encodeURIComponent(`name='${name}'`)}`));
  return r.model_versions.sort((a, b) => Number(a.version) - Number(b.version));
}

export async function aliasesOf(uri: string, name: string): Promise<Record<string, string>> {
  const r = z
    .object({
      registered_model: z.object({
        aliases: z
          .array(z.object({ alias: z.string(), version: z.string() }))
          .optional()
          .default([]),
      }),
    })
    .parse(await call(uri, 'GET', `/api/2.0/mlflow/registered-models/get?name=${encodeURIComponent(name)}`));
  return Object.fromEntries(r.registered_model.aliases.map((a) => [a.alias, a.version]));
}

/** Files under a proxied artifact directory (relative to the proxy's root), recursively. */
export async function artifactFiles(uri: string, dir: string): Promise<string[]> {
  const r = z
    .object({
      files: z
        .array(z.object({ path: z.string(), is_dir: z.boolean().optional() }))
        .optional()
        .default([]),
    })
    .parse(await call(uri, 'GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(dir)}`));
  const out: string[] = [];
  for (const f of r.files) {
    if (f.is_dir) out.push(...(await artifactFiles(uri, `${dir}/${f.path}`)).map((p) => `${f.path}/${p}`));
    else out.push(f.path);
  }
  return out.sort();
}

export async function artifactText(uri: string, path: string): Promise<string> {
  const r = await fetch(`${uri}/api/2.0/mlflow-artifacts/artifacts/${path}`);
  if (!r.ok) throw new Error(`GET artifact ${path}: ${r.status}`);
  return r.text();
}

/** `mlflow-artifacts:/1/abc/artifacts` → `1/abc/artifacts`. */
export const proxyPath = (artifactUri: string): string => artifactUri.replace(/^mlflow-artifacts:\/+/, '');
