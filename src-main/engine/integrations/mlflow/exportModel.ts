import { createHash } from 'node:crypto';
import { BullpenError, inputError } from '../../../shared/errors';
import type { ExportModelResult } from '../../../shared/results';
import type { ModelStage } from '../../../shared/vocabulary';
import type { JobContext } from '../../jobs/jobContext';
import type { JobSpec } from '../../jobs/jobSpec';
import { servingMatrix } from '../../modeling/servingMatrix';
import { proxiedArtifactPath, uploadFiles } from './artifactUpload';
import { recordExport } from './exportRecord';
import { resolveExportSource, type ExportDeps, type ExportSource } from './exportSource';
import { INPUT_EXAMPLE_ROWS, lightgbmModelFiles, type ModelFile } from './lightgbmModelFiles';
import { planLogBatches } from './logBatches';
import { MlflowApi } from './mlflowApi';
import { MlflowError } from './mlflowErrors';
import { MlflowHttp, type MlflowHttpOptions } from './mlflowHttp';
import type { MlflowExperiment, MlflowModelVersion, MlflowRun } from './mlflowSchemas';
import { BULLPEN_RUN_TAG, METRICS_LOGGED_TAG, runContent, type RunContent } from './runContent';
import { sleep } from './retryPolicy';
import { detectServerVersion, type ServerVersion } from './serverVersion';
import { applyStageAliases } from './stageAliases';
import { resolveTrackingConfig, type TrackingConfig } from './trackingConfig';
import { versionTags } from './versionTags';

export interface ExportMlflowInput {
  /** `NAME` or `NAME:VERSION`: a registry version, or a trained model by name. */
  model: string;
  trackingUri?: string;
  registeredName?: string;
  experiment?: string;
}

/** What a caller other than the job (tests, the benchmark, the promotion hook) may change. */
export interface ExportOptions {
  http?: Omit<MlflowHttpOptions, 'signal'>;
  /** Where credentials and MLFLOW_TRACKING_URI are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for a new model version to become READY. */
  versionReadyTimeoutMs?: number;
}

/** The directory a model lives in under an MLflow 2 run's artifacts (`runs:/<id>/model`). */
export const RUN_MODEL_DIR = 'model';
/** Registered model names: what MLflow's UI and `models:/` URIs handle without escaping. */
const REGISTERED_NAME = /^[\w.\- ]{1,256}$/;
const DEFAULT_VERSION_READY_TIMEOUT_MS = 60_000;
const VERSION_POLL_FIRST_MS = 100;
const VERSION_POLL_MAX_MS = 2_000;

/** The settled inputs of an export, before MLflow is contacted: refusals here start no job. */
async function plan(deps: ExportDeps, input: ExportMlflowInput, env: NodeJS.ProcessEnv) {
  const source = await resolveExportSource(deps, input.model);
  const settings = await deps.settings.get();
  const config = resolveTrackingConfig({ input: input.trackingUri, settings: settings.mlflow.trackingUri }, env);
  const registeredName = input.registeredName ?? source.registry?.modelName ?? source.model.name;
  if (!REGISTERED_NAME.test(registeredName))
    throw inputError(
      'BAD_REGISTERED_NAME',
      `--registered-name "${registeredName}": use letters, digits, _ . - and spaces (up to 256 characters)`,
      { registeredName },
    );
  const experimentName = input.experiment ?? settings.mlflow.experiment;
  return { source, config, registeredName, experimentName };
}

/** Refusals before the job starts: an unknown model or registry version, no tracking URI, a bad name. */
export async function precheckExport(deps: ExportDeps, input: ExportMlflowInput): Promise<void> {
  await plan(deps, input, process.env);
}

/** Up to INPUT_EXAMPLE_ROWS real rows of the model's features (complete rows first), or none when the set changed since training. */
async function exampleRows(deps: ExportDeps, source: ExportSource, ctx: JobContext): Promise<number[][]> {
  const seasons = source.model.seasons.slice(-1);
  try {
    const m = await servingMatrix(deps.workspace, source.model, seasons, false);
    const rows: number[][] = [];
    const partial: number[][] = [];
    for (let i = 0; i < m.rows && rows.length < INPUT_EXAMPLE_ROWS; i++) {
      const row = Array.from(m.features.subarray(i * m.cols, (i + 1) * m.cols));
      (row.every(Number.isFinite) ? rows : partial).push(row);
    }
    return [...rows, ...partial].slice(0, INPUT_EXAMPLE_ROWS);
  } catch (err) {
    ctx.log(`no input example: ${(err as Error).message}`);
    return [];
  }
}

/** The feature set's content hash the model was trained on (its materialization), or null when it is gone. */
async function featureSetHash(deps: ExportDeps, source: ExportSource): Promise<string | null> {
  const id = source.params.materialization;
  if (typeof id !== 'string') return null;
  const m = (await deps.features.materializations()).find((x) => x.id === id);
  return m?.contentHash ?? null;
}

/** The experiment by name (found or created); a deleted one is refused with the way to restore it. */
export async function ensureExperiment(
  api: MlflowApi,
  name: string,
  trackingUri: string,
): Promise<MlflowExperiment & { created: boolean }> {
  const found = await api.experimentByName(name);
  if (found && found.lifecycle_stage === 'deleted')
    throw new BullpenError(
      'conflict',
      'MLFLOW_EXPERIMENT_DELETED',
      `the MLflow experiment "${name}" at ${trackingUri} is deleted: restore it in MLflow (\`mlflow experiments restore --experiment-id ${found.experiment_id}\`) or export into another one with --experiment NAME`,
      { trackingUri, experiment: name, experimentId: found.experiment_id },
    );
  if (found) return { ...found, created: false };
  const id = await api.createExperiment(name, [{ key: 'mlflow.note.content', value: 'Models exported from Bullpen.' }]);
  const created = await api.experimentByName(name);
  if (!created)
    throw new MlflowError(
      'MLFLOW_EXPERIMENT_MISSING',
      `MLflow at ${trackingUri} created experiment ${id} but cannot find it by name`,
      null,
      null,
      {
        trackingUri,
        experiment: name,
      },
    );
  return { ...created, created: true };
}

/** The MLflow run of this Bullpen run in the experiment (an earlier export), or a new one. */
async function ensureRun(
  api: MlflowApi,
  experimentId: string,
  content: RunContent,
  bullpenRunId: string,
  actor: string,
): Promise<{ run: MlflowRun; resumed: boolean }> {
  const lookup = async (): Promise<MlflowRun | null> => (await api.runsByTag(experimentId, BULLPEN_RUN_TAG, bullpenRunId))[0] ?? null;
  const existing = await lookup();
  if (existing) return { run: existing, resumed: true };
  const run = await api.createRun(
    {
      experiment_id: experimentId,
      user_id: actor,
      run_name: content.runName,
      start_time: content.startTime,
      tags: [...content.createOnlyTags, ...content.tags],
    },
    lookup,
  );
  return { run, resumed: false };
}

/** Params, tags and metrics not yet on the MLflow run, batched within MLflow's limits; params already there are never sent again. */
async function logRunData(api: MlflowApi, run: MlflowRun, content: RunContent, ctx: JobContext, from: number, to: number): Promise<void> {
  const params = new Map(run.data.params.map((p) => [p.key, p.value]));
  const tags = new Map(run.data.tags.map((t) => [t.key, t.value]));
  const newParams = content.params.filter((p) => !params.has(p.key));
  for (const p of content.params)
    if (params.has(p.key) && params.get(p.key) !== p.value)
      ctx.log(`param ${p.key} is ${params.get(p.key)} in MLflow and ${p.value} in Bullpen: MLflow params are immutable, kept as they are`);
  const newTags = content.tags.filter((t) => tags.get(t.key) !== t.value);
  const metricsDone = tags.get(METRICS_LOGGED_TAG) === String(content.metrics.length);
  const batches = planLogBatches(run.info.run_id, { params: newParams, tags: newTags, metrics: metricsDone ? [] : content.metrics });
  for (const [i, batch] of batches.entries()) {
    ctx.throwIfCancelled();
    ctx.progress(from + ((to - from) * i) / Math.max(1, batches.length), `logging params, tags and metrics (${i + 1}/${batches.length})`);
    await api.logBatch(run.info.run_id, batch);
  }
  if (!metricsDone) await api.setRunTag(run.info.run_id, METRICS_LOGGED_TAG, String(content.metrics.length));
}

/** The run's own artifacts: the validation report (JSON and HTML), Bullpen's typed params and the key renames. */
function runArtifacts(source: ExportSource, content: RunContent): ModelFile[] {
  const files: ModelFile[] = [];
  if (source.validation) {
    files.push(
      { path: 'validation/validation.json', content: JSON.stringify(source.validation.report, null, 2), contentType: 'application/json' },
      { path: 'validation/report.html', content: source.validation.html, contentType: 'text/html' },
    );
  }
  files.push({ path: 'bullpen/params.json', content: JSON.stringify(source.params, null, 2), contentType: 'application/json' });
  const renames = [
    ...content.renames.metrics.map((r) => ({ kind: 'metric', ...r })),
    ...content.renames.params.map((r) => ({ kind: 'param', ...r })),
    ...content.renames.tags.map((r) => ({ kind: 'tag', ...r })),
  ];
  if (renames.length)
    files.push({ path: 'bullpen/key_renames.json', content: JSON.stringify(renames, null, 2), contentType: 'application/json' });
  return files;
}

/** Waits until MLflow has finished registering a model version (PENDING_REGISTRATION → READY). */
async function untilReady(
  api: MlflowApi,
  version: MlflowModelVersion,
  trackingUri: string,
  wait: (ms: number, signal?: AbortSignal) => Promise<void>,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<MlflowModelVersion> {
  const deadline = Date.now() + timeoutMs;
  let current = version;
  for (let delay = VERSION_POLL_FIRST_MS; ; delay = Math.min(VERSION_POLL_MAX_MS, delay * 2)) {
    const status = current.status ?? 'READY';
    if (status === 'READY') return current;
    if (status === 'FAILED_REGISTRATION')
      throw new MlflowError(
        'MLFLOW_REGISTRATION_FAILED',
        `MLflow at ${trackingUri} failed to register ${current.name} version ${current.version}: ${current.status_message ?? 'no reason given'}`,
        null,
        null,
        { trackingUri, registeredModel: current.name, version: current.version },
      );
    if (Date.now() > deadline)
      throw new MlflowError(
        'MLFLOW_REGISTRATION_TIMEOUT',
        `MLflow at ${trackingUri} did not finish registering ${current.name} version ${current.version} within ${timeoutMs / 1000} s (still ${status}); export again later to finish`,
        null,
        null,
        { trackingUri, registeredModel: current.name, version: current.version },
      );
    await wait(delay, signal);
    current = (await api.getModelVersion(current.name, current.version)) ?? current;
  }
}

/** What both model flows need. */
interface ModelEnv {
  config: TrackingConfig;
  server: ServerVersion;
  run: MlflowRun;
  source: ExportSource;
  content: RunContent;
  modelText: string;
  example: number[][];
}

const modelUuid = (bullpenRunId: string, where: string): string =>
  createHash('sha256').update(`${bullpenRunId}\u0000${where}`).digest('hex').slice(0, 32);

/** MLflow 3: the run's logged model (found or created), linked as its output, uploaded, marked READY. */
async function exportLoggedModel(
  api: MlflowApi,
  ctx: JobContext,
  env: ModelEnv & { experimentId: string },
): Promise<{ source: string; modelId: string; uploaded: number }> {
  const { run, source, content } = env;
  const runId = run.info.run_id;
  const name = source.model.name;
  const lookup = async () => (await api.loggedModelsOfRun(env.experimentId, runId)).find((m) => m.info.name === name) ?? null;
  const model =
    (await lookup()) ??
    (await api.createLoggedModel(
      {
        experiment_id: env.experimentId,
        name,
        model_type: 'lightgbm',
        source_run_id: runId,
        tags: [{ key: BULLPEN_RUN_TAG, value: source.run.id }],
        params: content.params,
      },
      lookup,
    ));
  const modelId = model.info.model_id;
  if (!run.outputs.model_outputs.some((o) => o.model_id === modelId)) await api.logOutputs(runId, modelId);
  let uploaded = 0;
  if (model.info.status !== 'LOGGED_MODEL_READY') {
    const dir = proxiedArtifactPath(model.info.artifact_uri, env.config.trackingUri, `logged model ${modelId}`);
    const { files } = lightgbmModelFiles({
      modelText: env.modelText,
      featureNames: source.model.featureNames,
      exampleRows: env.example,
      mlflowVersion: env.server.version,
      runId,
      artifactPath: model.info.artifact_uri,
      modelId,
      createdAt: new Date(content.endTime),
      modelUuid: modelUuid(source.run.id, modelId),
    });
    try {
      const r = await uploadFiles(api, dir, files, {
        resume: true,
        beforeFile: (path, i, n) => {
          ctx.throwIfCancelled();
          ctx.progress(0.55 + (0.25 * i) / n, `uploading the model: ${path}`);
        },
      });
      uploaded = r.uploaded.length;
    } catch (err) {
      // Said in MLflow too, so its UI does not show a half-uploaded model as pending forever; a resumed export sets READY.
      if (!ctx.signal.aborted) await api.finalizeLoggedModel(modelId, 'LOGGED_MODEL_UPLOAD_FAILED').catch(() => undefined);
      throw err;
    }
    await api.finalizeLoggedModel(modelId, 'LOGGED_MODEL_READY');
  }
  return { source: `models:/${modelId}`, modelId, uploaded };
}

/** MLflow 2: the model directory under the run's artifacts, recorded on the run with runs/log-model. */
async function exportRunModel(
  api: MlflowApi,
  ctx: JobContext,
  env: ModelEnv & { runArtifactDir: string },
): Promise<{ source: string; uploaded: number }> {
  const { run, source, content } = env;
  const runId = run.info.run_id;
  const { files, mlmodel } = lightgbmModelFiles({
    modelText: env.modelText,
    featureNames: source.model.featureNames,
    exampleRows: env.example,
    mlflowVersion: env.server.version,
    runId,
    artifactPath: RUN_MODEL_DIR,
    modelId: null,
    createdAt: new Date(content.endTime),
    modelUuid: modelUuid(source.run.id, `${runId}/${RUN_MODEL_DIR}`),
  });
  const r = await uploadFiles(api, `${env.runArtifactDir}/${RUN_MODEL_DIR}`, files, {
    resume: true,
    beforeFile: (path, i, n) => {
      ctx.throwIfCancelled();
      ctx.progress(0.55 + (0.25 * i) / n, `uploading the model: ${path}`);
    },
  });
  const history = run.data.tags.find((t) => t.key === 'mlflow.log-model.history')?.value ?? '';
  if (!history.includes(`"artifact_path": "${RUN_MODEL_DIR}"`) && !history.includes(`"artifact_path":"${RUN_MODEL_DIR}"`))
    await api.logModel(runId, JSON.stringify(mlmodel));
  return { source: `${run.info.artifact_uri}/${RUN_MODEL_DIR}`, uploaded: r.uploaded.length };
}

/** The registered model (found or created) and this export's version of it (found by run and source, or created), READY. */
async function registerVersion(
  api: MlflowApi,
  env: { registeredName: string; runId: string; modelSource: string; modelId: string | null; source: ExportSource },
): Promise<{ version: MlflowModelVersion; created: boolean }> {
  if (!(await api.registeredModel(env.registeredName)))
    await api.createRegisteredModel(
      env.registeredName,
      [{ key: 'bullpen.model', value: env.source.registry?.modelName ?? env.source.model.name }],
      `Exported from Bullpen (${env.source.model.target} on feature set ${env.source.model.featureSet}).`,
    );
  const lookup = async (): Promise<MlflowModelVersion | null> =>
    (await api.modelVersionsOfRun(env.registeredName, env.runId))
      .filter((v) => v.source === env.modelSource || (env.modelId !== null && v.model_id === env.modelId))
      .sort((a, b) => Number(a.version) - Number(b.version))[0] ?? null;
  const existing = await lookup();
  if (existing) return { version: existing, created: false };
  const version = await api.createModelVersion(
    {
      name: env.registeredName,
      source: env.modelSource,
      run_id: env.runId,
      tags: versionTags(env.source),
      description: `Bullpen model ${env.source.model.name} (run ${env.source.run.id})`,
      ...(env.modelId ? { model_id: env.modelId } : {}),
    },
    lookup,
  );
  return { version, created: true };
}

/**
 * `bullpen export mlflow`: sends a model to a shared MLflow the way Python would have logged it — the
 * experiment (found or created), the training run with params, metrics by step, tags and its dataset,
 * the validation report as artifacts, the model as a standard lightgbm-flavour model (MLflow 3: a logged
 * model linked to the run; MLflow 2: under the run's artifacts), a registered model version with
 * Bullpen's stage, validation and approvals as tags and the stage's alias. Every object is looked up
 * before it is created, so an export that was interrupted, or is repeated, completes or refreshes the
 * same objects instead of duplicating them. Only a finished export is recorded in the workspace.
 */
export async function exportModel(
  deps: ExportDeps,
  input: ExportMlflowInput,
  ctx: JobContext,
  options: ExportOptions = {},
): Promise<ExportModelResult> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const { source, config, registeredName, experimentName } = await plan(deps, input, env);
  const actor = await deps.settings.actor();
  const content = runContent(source, { actor, featureSetHash: await featureSetHash(deps, source) });
  const example = await exampleRows(deps, source, ctx);
  const modelText = await deps.models.text(source.model);
  const http = new MlflowHttp(config, { ...options.http, signal: ctx.signal });
  const api = new MlflowApi(http);
  try {
    ctx.progress(0.02, `connecting to MLflow at ${config.trackingUri}`);
    const server = await detectServerVersion(http);
    ctx.throwIfCancelled();

    ctx.progress(0.05, `experiment ${experimentName}`);
    const experiment = await ensureExperiment(api, experimentName, config.trackingUri);
    // Refused before anything is created in it: a run whose model could not be uploaded would be half an export.
    if (experiment.artifact_location)
      proxiedArtifactPath(experiment.artifact_location, config.trackingUri, `experiment "${experimentName}"`);

    ctx.progress(0.08, 'the training run');
    const { run: found, resumed } = await ensureRun(api, experiment.experiment_id, content, source.run.id, actor);
    const mlflowRunId = found.info.run_id;
    const runArtifactDir = proxiedArtifactPath(found.info.artifact_uri ?? '', config.trackingUri, `run ${mlflowRunId}`);
    await logRunData(api, found, content, ctx, 0.1, 0.4);

    ctx.throwIfCancelled();
    ctx.progress(0.42, 'the training data as a dataset input');
    const dataset = content.dataset as { dataset: { name: string; digest: string } };
    if (!found.inputs.dataset_inputs.some((d) => d.dataset.name === dataset.dataset.name && d.dataset.digest === dataset.dataset.digest))
      await api.logInputs(mlflowRunId, [content.dataset]);

    ctx.progress(0.45, 'the validation report');
    const runUploads = await uploadFiles(api, runArtifactDir, runArtifacts(source, content), {
      resume: false,
      beforeFile: () => ctx.throwIfCancelled(),
    });

    ctx.progress(0.55, 'the model');
    const run = await api.getRun(mlflowRunId);
    let modelSource: string;
    let loggedModelId: string | null = null;
    let modelUploads: number;
    if (server.major >= 3) {
      const m = await exportLoggedModel(api, ctx, {
        config,
        server,
        experimentId: experiment.experiment_id,
        run,
        source,
        content,
        modelText,
        example,
      });
      modelSource = m.source;
      loggedModelId = m.modelId;
      modelUploads = m.uploaded;
    } else {
      const m = await exportRunModel(api, ctx, { config, server, run, runArtifactDir, source, content, modelText, example });
      modelSource = m.source;
      modelUploads = m.uploaded;
    }

    ctx.throwIfCancelled();
    ctx.progress(0.82, `registering ${registeredName}`);
    const registered = await registerVersion(api, { registeredName, runId: mlflowRunId, modelSource, modelId: loggedModelId, source });
    const wait = options.http?.sleep ?? sleep;
    const ready = await untilReady(
      api,
      registered.version,
      config.trackingUri,
      wait,
      ctx.signal,
      options.versionReadyTimeoutMs ?? DEFAULT_VERSION_READY_TIMEOUT_MS,
    );
    ctx.progress(0.9, 'version tags and aliases');
    for (const tag of versionTags(source))
      if (ready.tags.find((t) => t.key === tag.key)?.value !== tag.value)
        await api.setModelVersionTag(ready.name, ready.version, tag.key, tag.value);
    const stage: ModelStage | null = source.registry?.stage ?? null;
    const aliases = source.registry ? (await applyStageAliases(api, ready.name, ready.version, stage)).aliases : ready.aliases;

    if (run.info.status !== 'FINISHED') await api.updateRun(mlflowRunId, 'FINISHED', content.endTime);

    const url = `${config.trackingUri}/#/experiments/${experiment.experiment_id}/runs/${mlflowRunId}`;
    ctx.progress(0.97, 'recording the export');
    await recordExport(deps.runs, source.run.id, source.run.tags, {
      trackingUri: config.trackingUri,
      experimentId: experiment.experiment_id,
      mlflowRunId,
      loggedModelId,
      registeredModel: ready.name,
      modelVersion: ready.version,
      registryName: source.registry?.modelName ?? null,
      registryVersion: source.registry?.version ?? null,
      url,
      at: new Date().toISOString(),
    });
    if (source.registry)
      await deps.registry.appendAudit({
        actor,
        action: 'export',
        modelName: source.registry.modelName,
        version: source.registry.version,
        before: null,
        after: {
          trackingUri: config.trackingUri,
          experimentId: experiment.experiment_id,
          mlflowRunId,
          registeredModel: ready.name,
          modelVersion: ready.version,
          aliases,
          url,
        },
        reason: `exported to MLflow at ${config.trackingUri} as ${ready.name} version ${ready.version}`,
      });
    const renamedKeys = [
      ...content.renames.metrics.map((r) => ({ kind: 'metric' as const, ...r })),
      ...content.renames.params.map((r) => ({ kind: 'param' as const, ...r })),
      ...content.renames.tags.map((r) => ({ kind: 'tag' as const, ...r })),
    ];
    ctx.progress(1, `exported ${source.model.name} as ${ready.name} version ${ready.version}`);
    return {
      exported: 'model',
      modelName: source.registry?.modelName ?? source.model.name,
      version: source.registry?.version ?? null,
      stage,
      sourceModel: source.model.name,
      runId: source.run.id,
      trackingUri: config.trackingUri,
      serverVersion: server.version,
      flow: server.major >= 3 ? 'logged-model' : 'run-artifacts',
      experimentId: experiment.experiment_id,
      experimentName,
      mlflowRunId,
      loggedModelId,
      registeredModel: ready.name,
      modelVersion: ready.version,
      modelUri: `models:/${ready.name}/${ready.version}`,
      aliases,
      url,
      renamedKeys,
      resumed,
      uploadedFiles: runUploads.uploaded.length + modelUploads,
      requests: http.requestCount,
      durationMs: Date.now() - started,
    };
  } finally {
    await http.close();
  }
}

/** `export.mlflow` as a job. */
export const exportMlflowJob: JobSpec<ExportDeps, ExportMlflowInput, 'export.mlflow'> = {
  kind: 'export.mlflow',
  precheck: precheckExport,
  run: (deps, input, ctx) => exportModel(deps, input, ctx),
};
