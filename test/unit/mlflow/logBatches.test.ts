import { describe, expect, it } from 'vitest';
import {
  MLFLOW_LOG_BATCH_LIMITS,
  planLogBatches,
  wireMetricValue,
  type LogBatch,
  type WireMetric,
} from '../../../src-main/engine/integrations/mlflow/logBatches';

const RUN = '0123456789abcdef0123456789abcdef';
const param = (i: number, value = `v${i}`) => ({ key: `p${i}`, value });
const tag = (i: number) => ({ key: `t${i}`, value: `w${i}` });
const metric = (i: number): WireMetric => ({ key: 'valid.binary_logloss', value: 0.5, timestamp: 1_700_000_000_000, step: i });
const counts = (batches: LogBatch[]) => batches.map((b) => [b.params.length, b.tags.length, b.metrics.length]);
const bodyBytes = (b: LogBatch) => Buffer.byteLength(JSON.stringify({ run_id: RUN, metrics: b.metrics, params: b.params, tags: b.tags }));

describe("runs/log-batch requests within MLflow's limits (1000 metrics, 100 params, 100 tags, 1000 entities, 1 MB)", () => {
  it('splits 250 params into 100 + 100 + 50 and 2500 metric points into 1000 + 1000 + 500', () => {
    expect(counts(planLogBatches(RUN, { params: Array.from({ length: 250 }, (_, i) => param(i)), tags: [], metrics: [] }))).toEqual([
      [100, 0, 0],
      [100, 0, 0],
      [50, 0, 0],
    ]);
    expect(counts(planLogBatches(RUN, { params: [], tags: [], metrics: Array.from({ length: 2500 }, (_, i) => metric(i)) }))).toEqual([
      [0, 0, 1000],
      [0, 0, 1000],
      [0, 0, 500],
    ]);
  });

  it('fills a request with params, then tags, then metrics up to 1000 entities in all, keeping every entity once and in order', () => {
    const entities = {
      params: Array.from({ length: 40 }, (_, i) => param(i)),
      tags: Array.from({ length: 15 }, (_, i) => tag(i)),
      metrics: Array.from({ length: 2000 }, (_, i) => metric(i)),
    };
    const batches = planLogBatches(RUN, entities);
    // 40 + 15 + 945 = 1000 entities in the first request; the rest of the 2000 points follow.
    expect(counts(batches)).toEqual([
      [40, 15, 945],
      [0, 0, 1000],
      [0, 0, 55],
    ]);
    expect(batches.flatMap((b) => b.metrics.map((m) => m.step))).toEqual(entities.metrics.map((m) => m.step));
    expect(batches.flatMap((b) => b.params)).toEqual(entities.params);
    for (const b of batches) expect(bodyBytes(b)).toBeLessThanOrEqual(MLFLOW_LOG_BATCH_LIMITS.bytes);
  });

  it('starts a new request before the JSON body would pass the byte limit, counted exactly', () => {
    // {"key":"p1000","value":"xxx…"} is 26 bytes of JSON around a 974-character value: each param is exactly
    // 1000 bytes, and the envelope {"run_id":"…","metrics":[],"params":[],"tags":[]} is 80.
    const value = 'x'.repeat(974);
    const params = Array.from({ length: 10 }, (_, i) => ({ key: `p${1000 + i}`, value }));
    expect(Buffer.byteLength(JSON.stringify(params[0]))).toBe(1000);
    const envelope = Buffer.byteLength(JSON.stringify({ run_id: RUN, metrics: [], params: [], tags: [] }));
    expect(envelope).toBe(80);
    // Three params take 80 + 3000 + 2 commas = 3082 bytes: a limit of 3082 holds three, 3081 only two.
    expect(counts(planLogBatches(RUN, { params, tags: [], metrics: [] }, { ...MLFLOW_LOG_BATCH_LIMITS, bytes: 3082 }))).toEqual([
      [3, 0, 0],
      [3, 0, 0],
      [3, 0, 0],
      [1, 0, 0],
    ]);
    const tighter = planLogBatches(RUN, { params, tags: [], metrics: [] }, { ...MLFLOW_LOG_BATCH_LIMITS, bytes: 3081 });
    expect(counts(tighter)).toEqual(Array.from({ length: 5 }, () => [2, 0, 0]));
    for (const b of tighter) expect(bodyBytes(b)).toBeLessThanOrEqual(3081);
    expect(bodyBytes(planLogBatches(RUN, { params, tags: [], metrics: [] }, { ...MLFLOW_LOG_BATCH_LIMITS, bytes: 3082 })[0])).toBe(3082);
  });

  it('refuses an entity that cannot fit in any request rather than send one MLflow rejects', () => {
    expect(() =>
      planLogBatches(RUN, { params: [param(0, 'x'.repeat(2000))], tags: [], metrics: [] }, { ...MLFLOW_LOG_BATCH_LIMITS, bytes: 1000 }),
    ).toThrow(/does not fit/);
  });

  it('sends nothing for nothing, and writes NaN and infinities as the strings MLflow reads', () => {
    expect(planLogBatches(RUN, { params: [], tags: [], metrics: [] })).toEqual([]);
    expect([Number.NaN, null, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.25, -0].map(wireMetricValue)).toEqual([
      'NaN',
      'NaN',
      'Infinity',
      '-Infinity',
      0.25,
      -0,
    ]);
  });
});
