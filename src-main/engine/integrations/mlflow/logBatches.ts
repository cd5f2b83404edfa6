import { BullpenError } from '../../../shared/errors';
import type { KeyValue } from './mlflowApi';

/** One metric point as `runs/log-batch` takes it: NaN and infinities travel as strings, the timestamp in ms. */
export interface WireMetric {
  key: string;
  value: number | 'NaN' | 'Infinity' | '-Infinity';
  timestamp: number;
  step: number;
}

/** The entities of one `runs/log-batch` request. */
export interface LogBatch {
  metrics: WireMetric[];
  params: KeyValue[];
  tags: KeyValue[];
}

/** MLflow's limits per `runs/log-batch` request (mlflow/utils/validation.py). */
export interface LogBatchLimits {
  metrics: number;
  params: number;
  tags: number;
  /** Metrics, params and tags together. */
  entities: number;
  /** The JSON body, in bytes. */
  bytes: number;
}

export const MLFLOW_LOG_BATCH_LIMITS: LogBatchLimits = { metrics: 1000, params: 100, tags: 100, entities: 1000, bytes: 1_000_000 };

/** A metric value as JSON can carry it (JSON has no NaN or infinities; MLflow reads these strings). */
export function wireMetricValue(v: number | null): WireMetric['value'] {
  if (v === null || Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  return v;
}

const bytesOf = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');

/**
 * Splits metrics, params and tags into as few `runs/log-batch` requests as the limits allow, in order
 * (params first, then tags, then metrics), so that each request's JSON body — `{run_id, metrics, params,
 * tags}` — is within every limit. Throws when a single entity cannot fit in any request.
 */
export function planLogBatches(runId: string, entities: LogBatch, limits: LogBatchLimits = MLFLOW_LOG_BATCH_LIMITS): LogBatch[] {
  const envelope = bytesOf({ run_id: runId, metrics: [], params: [], tags: [] });
  const batches: LogBatch[] = [];
  let current: LogBatch = { metrics: [], params: [], tags: [] };
  let size = envelope;
  const flush = (): void => {
    if (current.metrics.length + current.params.length + current.tags.length === 0) return;
    batches.push(current);
    current = { metrics: [], params: [], tags: [] };
    size = envelope;
  };
  const add = <K extends keyof LogBatch>(kind: K, entity: LogBatch[K][number]): void => {
    const cost = (list: unknown[]) => bytesOf(entity) + (list.length ? 1 : 0);
    const fits = (): boolean =>
      current[kind].length < limits[kind] &&
      current.metrics.length + current.params.length + current.tags.length < limits.entities &&
      size + cost(current[kind]) <= limits.bytes;
    if (!fits()) flush();
    if (!fits())
      throw new BullpenError(
        'internal',
        'MLFLOW_ENTITY_TOO_LARGE',
        `a single ${kind.slice(0, -1)} (${bytesOf(entity)} bytes) does not fit in one log-batch request of ${limits.bytes} bytes`,
      );
    size += cost(current[kind]);
    (current[kind] as LogBatch[K][number][]).push(entity);
  };
  for (const p of entities.params) add('params', p);
  for (const t of entities.tags) add('tags', t);
  for (const m of entities.metrics) add('metrics', m);
  flush();
  return batches;
}

/**
 * `batches` with `tag` in the last request, or in one more of its own when it does not fit: MLflow writes
 * a request's tags after its metrics, so the tag present on the run means every request before it arrived.
 */
export function withFinalTag(
  runId: string,
  batches: readonly LogBatch[],
  tag: KeyValue,
  limits: LogBatchLimits = MLFLOW_LOG_BATCH_LIMITS,
): LogBatch[] {
  const last = batches.at(-1);
  if (last) {
    const merged = planLogBatches(runId, { ...last, tags: [...last.tags, tag] }, limits);
    if (merged.length === 1) return [...batches.slice(0, -1), merged[0]];
  }
  return [...batches, { params: [], tags: [tag], metrics: [] }];
}
