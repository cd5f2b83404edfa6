import type { ExportSource } from './exportSource';
import { mlflowKeys, renamedKeys } from './keyNames';
import { wireMetricValue, type WireMetric } from './logBatches';
import type { KeyValue } from './mlflowApi';

/** Tags on the MLflow run that find it again (resume, re-export) and tie it to Bullpen. */
export const BULLPEN_RUN_TAG = 'bullpen.runId';
/** Set on the MLflow run once every metric is logged: a resumed export does not send them again. */
export const METRICS_LOGGED_TAG = 'bullpen.export.metricsLogged';
/** MLflow's longest param value (mlflow/utils/validation.py, MAX_PARAM_VAL_LENGTH). */
export const MLFLOW_MAX_PARAM_VALUE = 6000;
/** MLflow's longest run tag value (MAX_TAG_VAL_LENGTH). */
export const MLFLOW_MAX_TAG_VALUE = 8000;

/** The Bullpen run's tags that are the export's own bookkeeping, never copied to MLflow. */
const LOCAL_ONLY_TAG_PREFIX = 'export.';

export interface RunContent {
  runName: string;
  startTime: number;
  endTime: number;
  /** Sent with `runs/create` only (mlflow.user cannot be set later). */
  createOnlyTags: KeyValue[];
  tags: KeyValue[];
  params: KeyValue[];
  /** Params MLflow cannot hold (too long): kept in the bullpen/params.json artifact only. */
  skippedParams: string[];
  metrics: WireMetric[];
  /** Keys renamed to MLflow's rules ({from, to}), per namespace. */
  renames: { metrics: { from: string; to: string }[]; params: { from: string; to: string }[]; tags: { from: string; to: string }[] };
  dataset: unknown;
}

/** The git commit in a code version like `0.1.0+1a2b3c4d5e6f-dirty`, or null. */
export function commitOf(codeVersion: string | null): string | null {
  const m = codeVersion ? /\+([0-9a-f]{7,40})/.exec(codeVersion) : null;
  return m ? m[1] : null;
}

const ms = (iso: string | null, fallback: number): number => (iso ? Date.parse(iso) : fallback);

/**
 * What the MLflow run of an exported model holds, from its Bullpen training run: params (as text),
 * summary metrics at step 0 and curves by boosting iteration, tags (who, where from, the data and
 * feature-set hashes, the code version, the validation status) and the training data as a dataset
 * input. Pure: the same source gives the same content, so a re-export sends the same values.
 */
export function runContent(source: ExportSource, extra: { actor: string; featureSetHash: string | null }): RunContent {
  const { run, model, params, validation } = source;
  const startTime = ms(run.startedAt, Date.now());
  const endTime = ms(run.finishedAt, startTime);

  const paramKeys = mlflowKeys(Object.keys(params));
  const paramList: KeyValue[] = [];
  const skippedParams: string[] = [];
  for (const [key, value] of Object.entries(params).sort(([a], [b]) => a.localeCompare(b))) {
    const text = String(value);
    if (text.length > MLFLOW_MAX_PARAM_VALUE) skippedParams.push(key);
    else paramList.push({ key: paramKeys.get(key) ?? key, value: text });
  }

  const metricNames = [...Object.keys(run.metrics), ...Object.keys(run.curves)];
  const metricKeys = mlflowKeys(metricNames);
  const metrics: WireMetric[] = [];
  // Every point carries the run's end time: MLflow keys a point by (key, timestamp, step, value), so a
  // resumed export that sends a point again adds nothing.
  for (const [key, value] of Object.entries(run.metrics))
    metrics.push({ key: metricKeys.get(key) ?? key, value: wireMetricValue(value), timestamp: endTime, step: 0 });
  for (const [key, points] of Object.entries(run.curves))
    for (const p of points)
      metrics.push({ key: metricKeys.get(key) ?? key, value: wireMetricValue(p.value), timestamp: endTime, step: p.step });

  const featureVersions = (run.featureVersions ?? model.featureVersions).map((f) => `${f.name}@${f.version}`).join(',');
  const commit = commitOf(run.codeVersion);
  const bullpenTags = Object.entries(run.tags).filter(([k]) => !k.startsWith(LOCAL_ONLY_TAG_PREFIX));
  const copiedTagKeys = mlflowKeys(bullpenTags.map(([k]) => `bullpen.tag.${k}`));
  const note = [
    `Trained in Bullpen: run \`${run.id}\`, model \`${model.name}\` (target ${model.target}, feature set ${model.featureSet}, seasons ${model.seasons.join(', ')}).`,
    source.registry ? `Registry version ${source.registry.modelName}:${source.registry.version} (${source.registry.stage}).` : '',
    validation ? `Validation ${validation.record.status} on ${validation.record.validatedAt}.` : 'Not validated.',
  ]
    .filter(Boolean)
    .join(' ');
  const tags: KeyValue[] = [
    { key: 'mlflow.runName', value: run.name },
    { key: 'mlflow.source.name', value: 'bullpen' },
    { key: 'mlflow.source.type', value: 'LOCAL' },
    ...(commit ? [{ key: 'mlflow.source.git.commit', value: commit }] : []),
    { key: 'mlflow.note.content', value: note },
    { key: BULLPEN_RUN_TAG, value: run.id },
    { key: 'bullpen.model', value: model.name },
    { key: 'bullpen.target', value: model.target },
    { key: 'bullpen.featureSet', value: model.featureSet },
    { key: 'bullpen.featureVersions', value: featureVersions },
    ...(extra.featureSetHash ? [{ key: 'bullpen.featureSetHash', value: extra.featureSetHash }] : []),
    ...(run.dataHash ? [{ key: 'bullpen.dataHash', value: run.dataHash }] : []),
    { key: 'bullpen.codeVersion', value: run.codeVersion ?? 'unknown' },
    { key: 'bullpen.seasons', value: model.seasons.join(',') },
    ...(run.seed !== null ? [{ key: 'bullpen.seed', value: String(run.seed) }] : []),
    { key: 'bullpen.synthetic', value: String(run.synthetic) },
    { key: 'validation.status', value: validation?.record.status ?? 'none' },
    ...(validation ? [{ key: 'validation.runId', value: validation.record.runId }] : []),
    ...bullpenTags.map(([k, v]) => ({ key: copiedTagKeys.get(`bullpen.tag.${k}`) ?? k, value: v })),
  ].map((t) => ({ key: t.key, value: t.value.slice(0, MLFLOW_MAX_TAG_VALUE) }));

  const trainGames = Number(run.metrics.trainGames ?? 0) + Number(run.metrics.validGames ?? 0);
  const dataset = {
    tags: [{ key: 'mlflow.data.context', value: 'training' }],
    dataset: {
      name: `bullpen-${model.featureSet}-${model.target}`,
      digest: (run.dataHash ?? extra.featureSetHash ?? run.id).slice(0, 36),
      source_type: 'code',
      source: JSON.stringify({
        tags: {
          'bullpen.featureSet': model.featureSet,
          'bullpen.featureVersions': featureVersions,
          'bullpen.seasons': model.seasons.join(','),
          ...(extra.featureSetHash ? { 'bullpen.featureSetHash': extra.featureSetHash } : {}),
        },
      }),
      schema: JSON.stringify({ mlflow_colspec: model.featureNames.map((name) => ({ type: 'double', name, required: true })) }),
      profile: JSON.stringify({ num_rows: trainGames, num_elements: trainGames * model.featureNames.length }),
    },
  };

  return {
    runName: run.name,
    startTime,
    endTime,
    createOnlyTags: [{ key: 'mlflow.user', value: extra.actor }],
    tags,
    params: paramList,
    skippedParams,
    metrics,
    renames: {
      metrics: renamedKeys(metricKeys),
      params: renamedKeys(paramKeys),
      tags: renamedKeys(copiedTagKeys).map((r) => ({ from: r.from.slice('bullpen.tag.'.length), to: r.to })),
    },
    dataset,
  };
}
