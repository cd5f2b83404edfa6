import { BullpenError } from '../../../shared/errors';
import type { ExportSweepResult } from '../../../shared/results';
import type { EngineDeps } from '../../engineDeps';
import type { JobContext } from '../../jobs/jobContext';
import type { JobSpec } from '../../jobs/jobSpec';
import { showSweep } from '../../sweeps/sweepQueries';
import { proxiedArtifactPath, uploadFiles } from './artifactUpload';
import { ensureExperiment, type ExportOptions } from './exportModel';
import { planLogBatches, withFinalTag } from './logBatches';
import { MlflowApi, filterString } from './mlflowApi';
import { MlflowHttp } from './mlflowHttp';
import type { MlflowRun } from './mlflowSchemas';
import { detectServerVersion } from './serverVersion';
import { recordSweepExport } from './sweepExportRecord';
import {
  ARTIFACTS_HASH_TAG,
  BEST_RUN_TAG,
  METRICS_HASH_TAG,
  PARENT_RUN_TAG,
  RUN_KIND_TAG,
  SWEEP_ID_TAG,
  TRIAL_NUMBER_TAG,
  sweepContent,
  type SweepRunPlan,
} from './sweepRunContent';
import { resolveTrackingConfig } from './trackingConfig';

export interface ExportSweepInput {
  /** A sweep's id, id prefix or name. */
  sweep: string;
  trackingUri?: string;
  experiment?: string;
}

/** What a sweep export reads and writes in the workspace. */
export type ExportSweepDeps = Pick<EngineDeps, 'sweeps' | 'runs' | 'settings'>;

/** The settled inputs of a sweep export, before MLflow is contacted: refusals here start no job. */
async function plan(deps: ExportSweepDeps, input: ExportSweepInput, env: NodeJS.ProcessEnv) {
  const record = await deps.sweeps.get(input.sweep);
  if (record.runId === null)
    throw new BullpenError(
      'conflict',
      'SWEEP_NOT_STARTED',
      `sweep ${record.name} has no run and no trials yet: run it (\`bullpen ml optimize --resume ${record.name}\`) before exporting it`,
      { sweep: record.id },
    );
  const settings = await deps.settings.get();
  const config = resolveTrackingConfig({ input: input.trackingUri, settings: settings.mlflow.trackingUri }, env);
  return { record, runId: record.runId, config, experimentName: input.experiment ?? settings.mlflow.experiment };
}

/** Refusals before the job starts: an unknown sweep, one never started, no tracking URI. */
export async function precheckSweepExport(deps: ExportSweepDeps, input: ExportSweepInput): Promise<void> {
  await plan(deps, input, process.env);
}

/**
 * Brings one MLflow run to its plan, sending only what differs: params not there yet (MLflow params are
 * immutable: a different value is reported and kept), tags whose value differs, the metrics unless the
 * run's metrics hash says they all arrived (sent last, in the same request as the final metrics), then
 * the status and end time. Answers whether anything was sent.
 */
async function syncRun(api: MlflowApi, run: MlflowRun, plan: SweepRunPlan, ctx: JobContext): Promise<boolean> {
  const runId = run.info.run_id;
  const params = new Map(run.data.params.map((p) => [p.key, p.value]));
  const tags = new Map(run.data.tags.map((t) => [t.key, t.value]));
  for (const p of plan.params)
    if (params.has(p.key) && params.get(p.key) !== p.value)
      ctx.log(
        `${plan.runName}: param ${p.key} is ${params.get(p.key)} in MLflow and ${p.value} in Bullpen: MLflow params are immutable, kept as they are`,
      );
  const metricsDone = tags.get(METRICS_HASH_TAG) === plan.metricsHash;
  let batches = planLogBatches(runId, {
    params: plan.params.filter((p) => !params.has(p.key)),
    tags: plan.tags.filter((t) => tags.get(t.key) !== t.value),
    metrics: metricsDone ? [] : plan.metrics,
  });
  if (!metricsDone) batches = withFinalTag(runId, batches, { key: METRICS_HASH_TAG, value: plan.metricsHash });
  for (const batch of batches) {
    ctx.throwIfCancelled();
    await api.logBatch(runId, batch);
  }
  const statusDiffers = run.info.status !== plan.status || (plan.endTime !== null && run.info.end_time !== plan.endTime);
  if (statusDiffers) await api.updateRun(runId, plan.status, plan.endTime);
  return batches.length > 0 || statusDiffers;
}

const kindOf = (run: MlflowRun): string | undefined => run.data.tags.find((t) => t.key === RUN_KIND_TAG)?.value;
const tagOf = (run: MlflowRun, key: string): string | undefined => run.data.tags.find((t) => t.key === key)?.value;

/**
 * `bullpen export mlflow --sweep ID`: a sweep as MLflow shows a tuning study — a parent run (the config as
 * params, the summary and optimization history as metrics, the search space and summary as artifacts,
 * the best trial as a tag) with one nested run per trial (`trial-N`: params, objective values, the
 * intermediate values by fold and boosting iteration, status FINISHED / KILLED for pruned / FAILED). Runs
 * are found by the sweep's id and trial number before any is created, and each is sent only what it lacks,
 * so exporting again adds nothing and an export stopped at any point completes on the next one. A running
 * sweep exports as it stands; exporting it again later brings MLflow up to date. Recorded on the sweep's
 * run once done; nothing goes to the registry's audit trail (a sweep is not a registry version).
 */
export async function exportSweep(
  deps: EngineDeps,
  input: ExportSweepInput,
  ctx: JobContext,
  options: ExportOptions = {},
): Promise<ExportSweepResult> {
  const started = Date.now();
  const env = options.env ?? process.env;
  const { record, runId, config, experimentName } = await plan(deps, input, env);
  const summary = await showSweep(deps, record.id);
  const trials = await deps.sweeps.trials(record.id);
  const sweepRun = await deps.runs.get(runId);
  const actor = await deps.settings.actor();
  const content = sweepContent(summary, trials, sweepRun, { actor, now: Date.now() });
  const http = new MlflowHttp(config, { ...options.http, signal: ctx.signal });
  const api = new MlflowApi(http);
  try {
    ctx.progress(0.02, `connecting to MLflow at ${config.trackingUri}`);
    const server = await detectServerVersion(http);
    ctx.throwIfCancelled();

    ctx.progress(0.05, `experiment ${experimentName}`);
    const experiment = await ensureExperiment(api, experimentName, config.trackingUri);
    // Refused before anything is created in it: a parent run whose artifacts cannot be uploaded would be half an export.
    if (experiment.artifact_location)
      proxiedArtifactPath(experiment.artifact_location, config.trackingUri, `experiment "${experimentName}"`);
    const experimentId = experiment.experiment_id;

    ctx.progress(0.08, 'runs of an earlier export');
    const bySweep = `tags.\`${SWEEP_ID_TAG}\` = ${filterString(summary.sweepId)}`;
    const existing = await api.searchAllRuns(experimentId, bySweep);
    const lookupParent = async () =>
      (await api.searchAllRuns(experimentId, `${bySweep} AND tags.\`${RUN_KIND_TAG}\` = 'sweep'`)).find((r) => kindOf(r) === 'sweep') ??
      null;
    let parent = existing.find((r) => kindOf(r) === 'sweep') ?? null;
    const resumed = parent !== null;
    let createdRuns = 0;
    let updatedRuns = 0;
    if (!parent) {
      parent = await api.createRun(
        {
          experiment_id: experimentId,
          user_id: actor,
          run_name: content.parent.runName,
          start_time: content.parent.startTime,
          tags: [...content.parent.createOnlyTags, ...content.parent.tags],
        },
        lookupParent,
      );
      createdRuns++;
    }
    const parentId = parent.info.run_id;

    // The oldest run per trial number under this parent (a duplicate could only come from two exports at once).
    const children = new Map<number, MlflowRun>();
    for (const r of existing)
      if (kindOf(r) === 'sweep-trial' && tagOf(r, PARENT_RUN_TAG) === parentId) {
        const n = Number(tagOf(r, TRIAL_NUMBER_TAG));
        if (Number.isInteger(n) && !children.has(n)) children.set(n, r);
      }

    const exported: ExportSweepResult['trials'] = [];
    for (const [i, t] of content.trials.entries()) {
      ctx.throwIfCancelled();
      ctx.progress(0.1 + (0.8 * i) / Math.max(1, content.trials.length), `trial ${t.number} (${i + 1}/${content.trials.length})`);
      const plan = { ...t, tags: [{ key: PARENT_RUN_TAG, value: parentId }, ...t.tags] };
      let run = children.get(t.number);
      if (!run) {
        const lookup = async () =>
          (
            await api.searchAllRuns(
              experimentId,
              `${bySweep} AND tags.\`${TRIAL_NUMBER_TAG}\` = ${filterString(String(t.number))} AND tags.\`${PARENT_RUN_TAG}\` = ${filterString(parentId)}`,
            )
          )[0] ?? null;
        run = await api.createRun(
          {
            experiment_id: experimentId,
            user_id: actor,
            run_name: plan.runName,
            start_time: plan.startTime,
            tags: [...plan.createOnlyTags, ...plan.tags],
          },
          lookup,
        );
        createdRuns++;
        await syncRun(api, run, plan, ctx);
      } else if (await syncRun(api, run, plan, ctx)) updatedRuns++;
      exported.push({ number: t.number, state: t.state, mlflowRunId: run.info.run_id, status: plan.status });
    }

    ctx.throwIfCancelled();
    ctx.progress(0.9, 'the sweep run: artifacts, params, summary metrics');
    const bestRunId = exported.find((t) => t.number === content.bestTrial)?.mlflowRunId ?? null;
    const parentTags = [...content.parent.tags, ...(bestRunId ? [{ key: BEST_RUN_TAG, value: bestRunId }] : [])];
    let uploadedFiles = 0;
    if (tagOf(parent, ARTIFACTS_HASH_TAG) !== content.parent.artifactsHash) {
      const dir = proxiedArtifactPath(parent.info.artifact_uri ?? '', config.trackingUri, `run ${parentId}`);
      const up = await uploadFiles(api, dir, content.parent.artifacts, { resume: false, beforeFile: () => ctx.throwIfCancelled() });
      uploadedFiles = up.uploaded.length;
      parentTags.push({ key: ARTIFACTS_HASH_TAG, value: content.parent.artifactsHash });
    }
    const parentChanged = await syncRun(api, parent, { ...content.parent, tags: parentTags }, ctx);
    if (resumed && (parentChanged || uploadedFiles > 0)) updatedRuns++;

    const url = `${config.trackingUri}/#/experiments/${experimentId}/runs/${parentId}`;
    ctx.progress(0.97, 'recording the export');
    await recordSweepExport(deps.runs, runId, sweepRun.tags, {
      trackingUri: config.trackingUri,
      experimentId,
      mlflowRunId: parentId,
      trials: exported.length,
      url,
      at: new Date().toISOString(),
    });
    ctx.progress(1, `exported sweep ${summary.name}: ${exported.length} trials under MLflow run ${parentId}`);
    return {
      exported: 'sweep',
      sweepId: summary.sweepId,
      sweepName: summary.name,
      sweepStatus: summary.status,
      runId,
      trackingUri: config.trackingUri,
      serverVersion: server.version,
      experimentId,
      experimentName,
      mlflowRunId: parentId,
      url,
      trials: exported,
      bestTrial: content.bestTrial,
      renamedKeys: content.renames,
      resumed,
      createdRuns,
      updatedRuns,
      uploadedFiles,
      requests: http.requestCount,
      durationMs: Date.now() - started,
    };
  } finally {
    await http.close();
  }
}

/** `export.mlflow --sweep` as a job (the same job kind as a model export). */
export const exportSweepJob: JobSpec<EngineDeps, ExportSweepInput, 'export.mlflow'> = {
  kind: 'export.mlflow',
  precheck: precheckSweepExport,
  run: (deps, input, ctx) => exportSweep(deps, input, ctx),
};
