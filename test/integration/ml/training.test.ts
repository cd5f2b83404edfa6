import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobResult } from '../../../src-main/api/contract';
import type { Engine } from '../../../src-main/engine/engine';
import { FAST, call, openMlEngine, runJob, runJobResult } from './mlWorkspace';

describe('ml train and the run store (real DuckDB, real LightGBM in the worker pool)', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
  });
  afterAll(async () => cleanup());

  it('trains with early stopping on the validation season and records model, importance, curves and metrics next to the market', async () => {
    const job = await runJob(engine, 'ml.train', { target: 'home_win', train: '2010', valid: '2011', name: 'base', ...FAST });
    expect(job.state, job.error ?? '').toBe('completed');
    const r = jobResult(job, 'ml.train');
    expect(r.modelName).toBe('base');
    expect(r.bestIteration).toBeGreaterThan(0);
    expect(r.metrics.accuracy).toBeGreaterThan(0.5);
    expect(r.market?.games).toBe(r.metrics.games);
    const run = await engine.runs.get(r.runId);
    expect(run.status).toBe('completed');
    expect(run.kind).toBe('train');
    expect(run.seed).toBe(42);
    expect(run.dataHash).toMatch(/^[0-9a-f]{16}$/);
    expect(run.featureVersions?.length).toBeGreaterThan(10);
    // Parameters come back with the type they were given: numbers as numbers, text (seasons) as text.
    expect(run.params.learning_rate).toBe(0.1);
    expect(run.params.deterministic).toBe(true);
    expect(run.params.objective).toBe('binary');
    expect(run.params.trainSeasons).toBe('2010');
    expect(run.params.numBoostRound).toBe(40);
    expect(run.metrics.marketLogLoss).toBeGreaterThan(0.5);
    expect(run.curves['valid.binary_logloss'].length).toBeGreaterThanOrEqual(r.bestIteration);
    expect(run.artifacts.map((a) => a.name)).toEqual(['calibration.json', 'importance.json', 'market.json', 'model.lgb']);
    const importance = run.data.importance;
    expect(importance?.features.length).toBe(importance?.meanGain.length);
    expect(Math.max(...(importance?.meanGain ?? []))).toBeGreaterThan(0);
    const models = await call(engine, 'ml.models.list', {});
    expect(models.models.find((m) => m.name === 'base')?.lastTrainingDate).toMatch(/^2011-/);
  });

  it('gives the same model and the same numbers for the same seed, and different ones for another seed', async () => {
    const a = await runJobResult(engine, 'ml.train', {
      train: '2010',
      valid: '2011',
      name: 'seed-a',
      seed: 5,
      ...FAST,
      params: { ...FAST.params, bagging_fraction: 0.7, feature_fraction: 0.7 },
    });
    const b = await runJobResult(engine, 'ml.train', {
      train: '2010',
      valid: '2011',
      name: 'seed-b',
      seed: 5,
      ...FAST,
      params: { ...FAST.params, bagging_fraction: 0.7, feature_fraction: 0.7 },
    });
    const c = await runJobResult(engine, 'ml.train', {
      train: '2010',
      valid: '2011',
      name: 'seed-c',
      seed: 6,
      ...FAST,
      params: { ...FAST.params, bagging_fraction: 0.7, feature_fraction: 0.7 },
    });
    expect(b.metrics).toEqual(a.metrics);
    expect(b.bestIteration).toBe(a.bestIteration);
    const store = engine.runs;
    const text = async (id: string) => (await store.artifact(id, 'model.lgb')) ?? '';
    expect(await text(b.runId)).toBe(await text(a.runId));
    expect(await text(c.runId)).not.toBe(await text(a.runId));
  });

  it('finds runs by tag, parameter and metric, and compares two runs side by side', async () => {
    const runs = await call(engine, 'ml.runs.list', {});
    const base = runs.runs.find((r) => r.name === 'base')!;
    await call(engine, 'ml.runs.tag', { id: base.id.slice(0, 8), set: ['note=baseline'] });
    const byTag = await call(engine, 'ml.runs.list', { filter: ['tag.note=baseline'] });
    expect(byTag.runs.map((r) => r.name)).toEqual(['base']);
    const bySeedParam = await call(engine, 'ml.runs.list', { filter: ['param.seed=6'] });
    expect(bySeedParam.runs.map((r) => r.name)).toEqual(['seed-c']);
    const sorted = await call(engine, 'ml.runs.list', { sort: 'metric.logLoss', order: 'asc' });
    const losses = sorted.runs.map((r) => r.metrics.logLoss as number);
    expect(losses).toEqual([...losses].sort((x, y) => x - y));
    const cutoff = losses[1];
    const byMetric = await call(engine, 'ml.runs.list', { filter: [`metric.logLoss<=${cutoff}`] });
    expect(byMetric.runs.length).toBe(2);
    const bySearch = await call(engine, 'ml.runs.list', { search: 'baseline' });
    expect(bySearch.runs.map((r) => r.name)).toEqual(['base']);

    const cmp = await call(engine, 'ml.runs.compare', {
      ids: [base.id, runs.runs.find((r) => r.name === 'seed-c')!.id],
    });
    const ll = cmp.metrics.find((m) => m.key === 'logLoss')!;
    expect(ll.deltas[0]).toBe(0);
    expect(ll.deltas[1]).toBeCloseTo((ll.values[1] ?? Number.NaN) - (ll.values[0] ?? Number.NaN), 12);
    expect(cmp.params.filter((p) => p.differs).map((p) => p.key)).toEqual(expect.arrayContaining(['seed', 'bagging_fraction']));
  });

  it('refuses a bad filter with a usage error that shows the syntax', async () => {
    await expect(call(engine, 'ml.runs.list', { filter: ['logLoss is small'] })).rejects.toMatchObject({
      code: 'BAD_RUN_FILTER',
      kind: 'usage',
    });
  });
});
