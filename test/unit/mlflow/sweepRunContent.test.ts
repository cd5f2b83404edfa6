import { describe, expect, it } from 'vitest';
import { planLogBatches, withFinalTag, type WireMetric } from '../../../src-main/engine/integrations/mlflow/logBatches';
import { describeDistribution, intermediateMetric, trialStatus } from '../../../src-main/engine/integrations/mlflow/sweepRunContent';
import { foldEndStep, intermediateStep } from '../../../src-main/shared/sweep/trials';

const RUN = '0123456789abcdef0123456789abcdef';
const metric = (i: number): WireMetric => ({ key: 'intermediate/fold1.validLogLoss', value: 0.69, timestamp: 1_700_000_000_000, step: i });
const HASH = { key: 'bullpen.export.metricsHash', value: 'abc' };

describe('a sweep in MLflow: trial states as run statuses, intermediate steps as per-fold series, the search space as params', () => {
  it('maps complete → FINISHED, pruned → KILLED, fail → FAILED, and running → RUNNING only while the sweep runs', () => {
    expect(['complete', 'pruned', 'fail'].map((s) => trialStatus(s as 'complete', false))).toEqual(['FINISHED', 'KILLED', 'FAILED']);
    expect(trialStatus('running', true)).toBe('RUNNING');
    expect(trialStatus('running', false)).toBe('KILLED');
  });

  it('splits the encoded step into one series per fold by iteration and the CV test loss by folds done (folds from 1)', () => {
    expect(intermediateMetric(intermediateStep(0, 1))).toEqual({ key: 'intermediate/fold1.validLogLoss', step: 1 });
    expect(intermediateMetric(intermediateStep(2, 37))).toEqual({ key: 'intermediate/fold3.validLogLoss', step: 37 });
    expect(intermediateMetric(foldEndStep(0))).toEqual({ key: 'intermediate/cvTestLogLoss', step: 1 });
    expect(intermediateMetric(foldEndStep(4))).toEqual({ key: 'intermediate/cvTestLogLoss', step: 5 });
  });

  it('writes each distribution as one readable param value', () => {
    expect(describeDistribution({ type: 'float', low: 0.01, high: 0.3, log: true, step: null })).toBe('float [0.01, 0.3] log');
    expect(describeDistribution({ type: 'float', low: 0, high: 1, log: false, step: 0.25 })).toBe('float [0, 1] step 0.25');
    expect(describeDistribution({ type: 'int', low: 10, high: 300, log: false, step: 1 })).toBe('int [10, 300]');
    expect(describeDistribution({ type: 'int', low: 8, high: 256, log: true, step: 1 })).toBe('int [8, 256] log');
    expect(describeDistribution({ type: 'categorical', choices: ['gbdt', 'dart', true] })).toBe('categorical [gbdt, dart, true]');
  });
});

describe('the metrics-done tag rides in the last log-batch request', () => {
  it('joins the last request when it fits, so one request carries a small trial whole', () => {
    const batches = withFinalTag(
      RUN,
      planLogBatches(RUN, { params: [{ key: 'num_leaves', value: '31' }], tags: [], metrics: [metric(1)] }),
      HASH,
    );
    expect(batches).toHaveLength(1);
    expect(batches[0].tags).toEqual([HASH]);
  });

  it('follows 2100 points in the last of three requests, and gets a request of its own after a full one', () => {
    const split = withFinalTag(
      RUN,
      planLogBatches(RUN, { params: [], tags: [], metrics: Array.from({ length: 2100 }, (_, i) => metric(i)) }),
      HASH,
    );
    expect(split.map((b) => [b.metrics.length, b.tags.length])).toEqual([
      [1000, 0],
      [1000, 0],
      [100, 1],
    ]);
    const full = withFinalTag(
      RUN,
      planLogBatches(RUN, { params: [], tags: [], metrics: Array.from({ length: 1000 }, (_, i) => metric(i)) }),
      HASH,
    );
    expect(full.map((b) => [b.metrics.length, b.tags.length])).toEqual([
      [1000, 0],
      [0, 1],
    ]);
    expect(withFinalTag(RUN, [], HASH)).toEqual([{ params: [], tags: [HASH], metrics: [] }]);
  });
});
