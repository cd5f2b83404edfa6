import { createHash } from 'node:crypto';
import type { SweepConfig, SweepStatus, SweepSummary } from '../../../shared/results/sweep';
import type { Distribution, SearchParam } from '../../../shared/sweep/distributions';
import { FOLD_END, STEP_STRIDE, objectiveDirection, type TrialState } from '../../../shared/sweep/trials';
import { spaceToYaml } from '../../sweeps/spaceFile';
import type { StoredTrial } from '../../sweeps/sweepStorage';
import type { RunDetail } from '../../tracking/runTypes';
import { mlflowKeys, renamedKeys } from './keyNames';
import type { ModelFile } from './lightgbmModelFiles';
import { wireMetricValue, type WireMetric } from './logBatches';
import type { KeyValue } from './mlflowApi';
import { BULLPEN_RUN_TAG, MLFLOW_MAX_PARAM_VALUE, MLFLOW_MAX_TAG_VALUE, commitOf } from './runContent';

/** Finds every run of a sweep's export in an experiment (the parent and its trials). */
export const SWEEP_ID_TAG = 'bullpen.sweepId';
/** `sweep` on the parent run, `sweep-trial` on a trial's run (Bullpen's run kinds). */
export const RUN_KIND_TAG = 'bullpen.kind';
export const TRIAL_NUMBER_TAG = 'bullpen.trialNumber';
/** A hash of the run's metrics once all of them are logged: a re-export with the same hash sends none. */
export const METRICS_HASH_TAG = 'bullpen.export.metricsHash';
/** A hash of the parent run's artifacts once they are uploaded. */
export const ARTIFACTS_HASH_TAG = 'bullpen.export.artifactsHash';
export const PARENT_RUN_TAG = 'mlflow.parentRunId';
export const BEST_RUN_TAG = 'bullpen.bestRunId';

export type MlflowRunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

/** What one MLflow run of a sweep export should hold. */
export interface SweepRunPlan {
  runName: string;
  startTime: number;
  /** Null while the run is RUNNING. */
  endTime: number | null;
  status: MlflowRunStatus;
  /** Sent with `runs/create` only (mlflow.user cannot be set later). */
  createOnlyTags: KeyValue[];
  tags: KeyValue[];
  params: KeyValue[];
  metrics: WireMetric[];
  /** METRICS_HASH_TAG's value: the metrics by key, step and value (not timestamp). */
  metricsHash: string;
}

export interface TrialRunPlan extends SweepRunPlan {
  number: number;
  state: TrialState;
}

export interface SweepContent {
  parent: SweepRunPlan & { artifacts: ModelFile[]; artifactsHash: string };
  trials: TrialRunPlan[];
  bestTrial: number | null;
  renames: { kind: 'metric' | 'param' | 'tag'; from: string; to: string }[];
}

/**
 * Config fields a `--resume` may change (Bullpen's resume rule): MLflow params are immutable, so these are
 * tags on the parent run (bullpen.config.*), and a re-export after a resume shows the new values.
 */
const RESUMABLE_CONFIG = ['trials', 'workers', 'threadsPerTrial', 'timeoutSeconds', 'maxTrialSeconds'] as const;

const sweepStatus: Record<SweepStatus, MlflowRunStatus> = {
  running: 'RUNNING',
  completed: 'FINISHED',
  failed: 'FAILED',
  cancelled: 'KILLED',
  interrupted: 'KILLED',
};

const ms = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) : null);
const text = (v: unknown): string => (Array.isArray(v) ? v.map(String).join(',') : String(v));
const hashOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
const metricsHash = (metrics: readonly WireMetric[]): string => hashOf(metrics.map((m) => [m.key, m.step, m.value]));
const capTags = (tags: KeyValue[]): KeyValue[] => tags.map((t) => ({ key: t.key, value: t.value.slice(0, MLFLOW_MAX_TAG_VALUE) }));

/** A distribution as one readable param value: `float [0.01, 0.3] log`, `int [10, 300]`, `categorical [gbdt, dart]`. */
export function describeDistribution(d: Distribution): string {
  if (d.type === 'categorical') return `categorical [${d.choices.map(String).join(', ')}]`;
  const step = d.type === 'int' ? (d.step !== 1 ? ` step ${d.step}` : '') : d.step !== null ? ` step ${d.step}` : '';
  return `${d.type} [${d.low}, ${d.high}]${d.log ? ' log' : ''}${step}`;
}

const describeParam = (p: SearchParam): string =>
  `${describeDistribution(p.distribution)}${p.when ? ` when ${p.when.param} in [${p.when.in.map(String).join(', ')}]` : ''}`;

/** `{cv: {scheme: 'x'}}` → `cv.scheme = x`; lists joined with commas. */
function flatten(value: Record<string, unknown>, prefix: string, out: [string, string][]): void {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out.push([key, text(v)]);
  }
}

/** The config's params: what decides the trials (the search space one param per searched parameter). */
function configParams(config: SweepConfig): [string, string][] {
  const { space, ...rest } = config;
  const decided: Record<string, unknown> = { ...rest };
  for (const k of RESUMABLE_CONFIG) delete decided[k];
  const out: [string, string][] = [];
  flatten(decided, '', out);
  for (const p of space.params) out.push([`space.${p.name}`, describeParam(p)]);
  return out.sort(([a], [b]) => a.localeCompare(b));
}

/** Params within MLflow's value limit, keys made valid (renames recorded). */
function paramList(entries: [string, string][], keys: Map<string, string>): KeyValue[] {
  return entries.filter(([, v]) => v.length <= MLFLOW_MAX_PARAM_VALUE).map(([k, v]) => ({ key: keys.get(k) ?? k, value: v }));
}

/**
 * An intermediate value's MLflow series, folds counted from 1 as the pruner's reasons count them: the
 * inner validation log loss as `intermediate/fold<k>.validLogLoss` by boosting iteration, the mean test
 * log loss of folds 1..k as `intermediate/cvTestLogLoss` at step k. Bullpen's encoded step is
 * (k − 1) × 10000 + iteration, or (k − 1) × 10000 + 9999 for the fold's end.
 */
export function intermediateMetric(step: number): { key: string; step: number } {
  const fold = Math.floor(step / STEP_STRIDE) + 1;
  const at = step % STEP_STRIDE;
  return at === FOLD_END ? { key: 'intermediate/cvTestLogLoss', step: fold } : { key: `intermediate/fold${fold}.validLogLoss`, step: at };
}

/** Where a pruned trial stopped: the encoded step, and its fold (from 1) and iteration. */
function prunedAtTags(step: number | null): KeyValue[] {
  if (step === null) return [];
  const at = step % STEP_STRIDE;
  return [
    { key: 'bullpen.prunedAt', value: String(step) },
    { key: 'bullpen.prunedAtFold', value: String(Math.floor(step / STEP_STRIDE) + 1) },
    ...(at === FOLD_END ? [] : [{ key: 'bullpen.prunedAtIteration', value: String(at) }]),
  ];
}

/**
 * A trial's MLflow status: complete → FINISHED, pruned → KILLED, fail → FAILED; a running trial is RUNNING
 * while its sweep runs, and KILLED once the sweep stopped without finishing it (a resume re-runs it).
 */
export function trialStatus(state: TrialState, sweepLive: boolean): MlflowRunStatus {
  if (state === 'complete') return 'FINISHED';
  if (state === 'pruned') return 'KILLED';
  if (state === 'fail') return 'FAILED';
  return sweepLive ? 'RUNNING' : 'KILLED';
}

/**
 * What a sweep's MLflow export holds, from the workspace (pure: the same sweep gives the same content, so a
 * re-export finds nothing to send). The parent run: the config as params (the search space one param per
 * searched parameter, and as a YAML artifact `ml optimize --space` reads back), the summary as metrics
 * (best and default values, the improvement and its interval, deflated Sharpe, PBO, hypervolume, counts,
 * importance) plus the optimization history by trial number, and tags for the sampler, objectives and
 * best trial. One run per trial: its params, objective values and per-fold values, and its intermediate
 * values as one series per fold by boosting iteration (what the pruner compared), its state as the run's
 * status with the reason as a tag. Tags that need MLflow run ids (parent, best run) are added by the export.
 */
export function sweepContent(
  summary: SweepSummary,
  trials: readonly StoredTrial[],
  sweepRun: RunDetail,
  extra: { actor: string; now: number },
): SweepContent {
  const config = summary.config;
  const objectives = config.objectives;
  const directions = objectives.map((o) => objectiveDirection[o]);
  const live = summary.status === 'running';
  const sweepStart = ms(summary.createdAt) ?? extra.now;
  const sweepEnd = live ? null : (ms(summary.finishedAt) ?? ms(sweepRun.finishedAt) ?? extra.now);
  const commit = commitOf(sweepRun.codeVersion);
  const front = new Set(summary.paretoFront.map((t) => t.trialNumber));
  const bestTrial = summary.best?.trialNumber ?? null;
  const multi = objectives.length > 1;
  const renames: SweepContent['renames'] = [];

  const source: KeyValue[] = [
    { key: 'mlflow.source.name', value: 'bullpen' },
    { key: 'mlflow.source.type', value: 'LOCAL' },
    ...(commit ? [{ key: 'mlflow.source.git.commit', value: commit }] : []),
  ];
  const createOnlyTags = [{ key: 'mlflow.user', value: extra.actor }];

  // Parent: params.
  const entries = configParams(config);
  const paramKeys = mlflowKeys(entries.map(([k]) => k));
  renames.push(...renamedKeys(paramKeys).map((r) => ({ kind: 'param' as const, ...r })));
  const params = paramList(entries, paramKeys);

  // Parent: metrics. Summary values at step 0; the optimization history by trial number, each point at
  // the time its trial finished, so exporting a running sweep again adds only the new trials' points.
  const at = sweepEnd ?? extra.now;
  const metrics: WireMetric[] = [];
  const put = (key: string, value: number | null | undefined, step = 0, timestamp = at) => {
    if (value !== null && value !== undefined) metrics.push({ key, value: wireMetricValue(value), timestamp, step });
  };
  put('trials', trials.length);
  put('completed', summary.completed);
  put('pruned', summary.pruned);
  put('failed', summary.failed);
  put('running', summary.running);
  objectives.forEach((o, i) => {
    put(`best.${o}`, summary.best?.values[i]);
    put(`default.${o}`, summary.defaultParams.values?.[i]);
  });
  const imp = summary.improvement;
  if (imp) {
    put('improvement.absolute', imp.absolute);
    put('improvement.relative', imp.relative);
    put('improvement.ciLow', imp.ci[0]);
    put('improvement.ciHigh', imp.ci[1]);
    put('improvement.pValue', imp.pValue);
  }
  put('deflatedSharpe', summary.deflatedSharpe);
  put('pbo', summary.pbo);
  put('hypervolume', summary.hypervolume);
  if (summary.timings) {
    put('timings.wallMs', summary.timings.wallMs);
    put('timings.datasetBuilds', summary.timings.datasetBuilds);
    put('timings.datasetReuses', summary.timings.datasetReuses);
    put('timings.iterations', summary.timings.iterations);
  }
  const importanceKeys = mlflowKeys(summary.paramImportance.map((p) => `importance/${p.param}`));
  renames.push(...renamedKeys(importanceKeys).map((r) => ({ kind: 'metric' as const, ...r })));
  for (const p of summary.paramImportance) put(importanceKeys.get(`importance/${p.param}`) ?? p.param, p.importance);
  let bestSoFar: number | null = null;
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    if (t.state !== 'complete' || !t.values) continue;
    const when = ms(t.finishedAt) ?? at;
    objectives.forEach((o, i) => put(`history/${o}`, t.values![i], t.number, when));
    if (!multi) {
      const v = t.values[0];
      if (bestSoFar === null || (directions[0] === 'minimize' ? v < bestSoFar : v > bestSoFar)) bestSoFar = v;
      put(`history/best_${objectives[0]}`, bestSoFar, t.number, when);
    }
  }

  // Parent: tags.
  const budget = RESUMABLE_CONFIG.map((k) => ({ key: `bullpen.config.${k}`, value: String(config[k]) }));
  const note = [
    `Hyperparameter sweep **${summary.name}** from Bullpen (sweep \`${summary.sweepId}\`, run \`${sweepRun.id}\`): ${config.sampler} sampler, ${objectives.join(' and ')} (${directions.join(', ')}), ${config.pruner.type} pruner, ${trials.length} of ${config.trials} trials (${summary.completed} complete, ${summary.pruned} pruned, ${summary.failed} failed), ${config.cv.scheme} CV with ${config.cv.splits} folds.`,
    summary.best
      ? `Best: trial ${summary.best.trialNumber} (${objectives.map((o, i) => `${o} ${summary.best!.values[i]}`).join(', ')}).`
      : 'No complete trial.',
    'Each trial is a nested run (trial-N); its intermediate values are `intermediate/fold<k>.validLogLoss` by boosting iteration in fold k and `intermediate/cvTestLogLoss` (the mean test log loss of folds 1..k) at step k.',
  ].join(' ');
  const tags = capTags([
    { key: 'mlflow.runName', value: summary.name },
    ...source,
    { key: 'mlflow.note.content', value: note },
    { key: BULLPEN_RUN_TAG, value: sweepRun.id },
    { key: SWEEP_ID_TAG, value: summary.sweepId },
    { key: RUN_KIND_TAG, value: 'sweep' },
    { key: 'bullpen.sweepName', value: summary.name },
    { key: 'bullpen.status', value: summary.status },
    { key: 'bullpen.sampler', value: config.sampler },
    { key: 'bullpen.objectives', value: objectives.join(',') },
    { key: 'bullpen.directions', value: directions.join(',') },
    { key: 'bullpen.pruner', value: config.pruner.type },
    { key: 'bullpen.target', value: config.target },
    { key: 'bullpen.featureSet', value: config.features },
    { key: 'bullpen.codeVersion', value: sweepRun.codeVersion ?? 'unknown' },
    { key: 'bullpen.bestTrial', value: bestTrial === null ? 'none' : String(bestTrial) },
    ...(multi ? [{ key: 'bullpen.paretoFront', value: [...front].sort((a, b) => a - b).join(',') }] : []),
    ...budget,
  ]);

  const artifacts: ModelFile[] = [
    { path: 'bullpen/search_space.yaml', content: spaceToYaml(config.space), contentType: 'application/x-yaml' },
    { path: 'bullpen/sweep.json', content: JSON.stringify(summary, null, 2), contentType: 'application/json' },
  ];

  // Trials.
  const trialPlans: TrialRunPlan[] = [...trials]
    .sort((a, b) => a.number - b.number)
    .map((t) => {
      const start = ms(t.startedAt) ?? sweepStart;
      const status = trialStatus(t.state, live);
      const end = status === 'RUNNING' ? null : (ms(t.finishedAt) ?? ms(t.heartbeatAt) ?? start);
      const keys = mlflowKeys(Object.keys(t.params));
      renames.push(
        ...renamedKeys(keys)
          .filter((r) => !renames.some((x) => x.kind === 'param' && x.from === r.from))
          .map((r) => ({ kind: 'param' as const, ...r })),
      );
      const tparams = paramList(
        Object.entries(t.params)
          .map(([k, v]): [string, string] => [k, String(v)])
          .sort(([a], [b]) => a.localeCompare(b)),
        keys,
      );
      const tm: WireMetric[] = [];
      const putT = (key: string, value: number | null | undefined, step: number, timestamp: number) => {
        if (value !== null && value !== undefined) tm.push({ key, value: wireMetricValue(value), timestamp, step });
      };
      // Pruned trials carry no objective value: their last intermediate value is not comparable with a complete trial's.
      if (t.state === 'complete' && t.values) objectives.forEach((o, i) => putT(o, t.values![i], 0, end ?? start));
      t.foldValues?.forEach((fold, f) => objectives.forEach((o, i) => putT(`fold.${o}`, fold[i], f + 1, end ?? start)));
      if (t.durationMs !== null && status !== 'RUNNING') putT('durationMs', t.durationMs, 0, end ?? start);
      // One timestamp for every intermediate point of an attempt: exporting it again while it runs adds only new steps.
      for (const p of t.intermediate) {
        const m = intermediateMetric(p.step);
        putT(m.key, p.value, m.step, start);
      }
      const reason =
        t.reason ??
        (t.state === 'running' && !live
          ? 'interrupted: the sweep stopped while this trial ran (`ml optimize --resume` runs it again)'
          : null);
      const ttags = capTags([
        { key: 'mlflow.runName', value: `trial-${t.number}` },
        ...source,
        ...(t.runId ? [{ key: BULLPEN_RUN_TAG, value: t.runId }] : []),
        { key: SWEEP_ID_TAG, value: summary.sweepId },
        { key: RUN_KIND_TAG, value: 'sweep-trial' },
        { key: TRIAL_NUMBER_TAG, value: String(t.number) },
        { key: 'bullpen.trialState', value: t.state },
        { key: 'bullpen.attempt', value: String(t.attempt) },
        ...(reason ? [{ key: 'bullpen.reason', value: reason }] : []),
        ...(t.state === 'pruned' ? prunedAtTags(t.prunedAt) : []),
        { key: 'bullpen.best', value: String(t.number === bestTrial) },
        ...(multi ? [{ key: 'bullpen.paretoFront', value: String(front.has(t.number)) }] : []),
      ]);
      return {
        number: t.number,
        state: t.state,
        runName: `trial-${t.number}`,
        startTime: start,
        endTime: end,
        status,
        createOnlyTags,
        tags: ttags,
        params: tparams,
        metrics: tm,
        metricsHash: metricsHash(tm),
      };
    });

  return {
    parent: {
      runName: summary.name,
      startTime: sweepStart,
      endTime: sweepEnd,
      status: sweepStatus[summary.status],
      createOnlyTags,
      tags,
      params,
      metrics,
      metricsHash: metricsHash(metrics),
      artifacts,
      artifactsHash: hashOf(artifacts.map((a) => [a.path, a.content])),
    },
    trials: trialPlans,
    bestTrial,
    renames,
  };
}
