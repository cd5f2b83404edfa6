import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobResult } from '../../../src-main/api/contract';
import type { Engine } from '../../../src-main/engine/engine';
import type { EngineEvent } from '../../../src-main/shared/events';
import { waitForEvent } from '../../support/waitForEvent';
import { FAST, call, openMlEngine, runJob, runJobResult } from './mlWorkspace';

describe('ml cv and ml backtest in the worker pool', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
  });
  afterAll(async () => cleanup());

  it('runs walk-forward CV with out-of-fold predictions, per-fold importance and boundaries, and a child run per fold', async () => {
    const job = await runJob(engine, 'ml.cv', {
      features: 'default',
      target: 'home_win',
      seasons: '2010-2012',
      scheme: 'walk-forward',
      ...FAST,
    });
    expect(job.state, job.error ?? '').toBe('completed');
    const r = jobResult(job, 'ml.cv');
    expect(r.folds).toHaveLength(5);
    for (const f of r.folds) expect(f.trainEnd < f.testStart).toBe(true);
    for (let k = 1; k < r.folds.length; k++) expect(r.folds[k - 1].testEnd < r.folds[k].testStart).toBe(true);
    const run = await engine.runs.get(r.runId);
    expect(run.status).toBe('completed');
    expect(run.children.map((c) => c.kind)).toEqual(Array(5).fill('cv-fold'));
    expect(run.metrics.games).toBe(r.folds.reduce((s, f) => s + f.testGames, 0));
    expect(run.curves['fold.logLoss']).toHaveLength(5);
    expect(run.data.importance?.folds).toHaveLength(5);
    const oof = await engine.runs.artifact(r.runId, 'oof.csv');
    expect(oof?.trim().split('\n')).toHaveLength(1 + run.metrics.games!);
  });

  it('gives the same CV numbers for the same seed whether folds run in parallel or in one worker', async () => {
    const spec = { features: 'default', target: 'home_win', seasons: '2010-2012', scheme: 'season-forward', splits: 2, ...FAST };
    const a = await runJobResult(engine, 'ml.cv', spec);
    const b = await runJobResult(engine, 'ml.cv', { ...spec, workers: 1 });
    expect(b.metrics).toEqual(a.metrics);
    expect(b.folds).toEqual(a.folds);
  });

  it('leaves no half-written run when the CV is cancelled mid-fold: the run reads cancelled, with no metrics, artifacts or children', async () => {
    const started = await call(engine, 'ml.cv', {
      features: 'default',
      target: 'home_win',
      seasons: '2010-2012',
      scheme: 'walk-forward',
      name: 'to-cancel',
      numBoostRound: 20_000,
      earlyStoppingRounds: 20_000,
      params: { learning_rate: 0.0001, min_data_in_leaf: 20 },
    });
    await waitForEvent(
      (cb) => engine.onEvent(cb),
      (e: EngineEvent) => e.type === 'job' && e.job.id === started.id && /iteration \d+/.test(e.job.message),
    );
    const cancelled = await call(engine, 'jobs.cancel', { id: started.id });
    const final = cancelled.state === 'cancelled' ? cancelled : await engine.jobs.settled(started.id);
    expect(final.state).toBe('cancelled');
    const store = engine.runs;
    const [run] = await store.list({ search: 'to-cancel', limit: 5 });
    expect(run.status).toBe('cancelled');
    const detail = await store.get(run.id);
    expect(detail.metrics).toEqual({});
    expect(detail.curves).toEqual({});
    expect(detail.artifacts).toEqual([]);
    expect(detail.children).toEqual([]);
    expect(await store.list({ status: 'completed', search: 'to-cancel', limit: 5 })).toEqual([]);
  });

  it('refuses to backtest a model on seasons it was trained or early-stopped on, before any run is recorded', async () => {
    await runJob(engine, 'ml.train', { train: '2010', valid: '2011', name: 'through-2011', ...FAST });
    const before = (await engine.runs.list({ kind: 'backtest', limit: 100 })).length;
    await expect(call(engine, 'ml.backtest', { model: 'through-2011', seasons: '2011' })).rejects.toMatchObject({
      code: 'BACKTEST_IN_SAMPLE',
      kind: 'input',
    });
    await expect(call(engine, 'ml.backtest', { model: 'through-2011', seasons: '2010-2012' })).rejects.toMatchObject({
      code: 'BACKTEST_IN_SAMPLE',
    });
    expect((await engine.runs.list({ kind: 'backtest', limit: 100 })).length).toBe(before);
  });

  it('backtests a model out of sample against the rule-based baselines on the same games, with CIs, deflated Sharpe and PBO', async () => {
    await runJob(engine, 'ml.train', { train: '2010', valid: '2011', name: 'for-2012', ...FAST });
    const job = await runJob(engine, 'ml.backtest', {
      model: 'for-2012',
      seasons: '2012',
      strategy: ['edge', 'kelly'],
      bootstrapResamples: 200,
    });
    expect(job.state, job.error ?? '').toBe('completed');
    const r = jobResult(job, 'ml.backtest');
    expect(r.strategies.map((s) => s.label)).toEqual([
      'edge>=0.02',
      'kelly 0.25 cap 0.05',
      'home',
      'favorite',
      'underdog',
      'elo edge>=0.02',
    ]);
    const home = r.strategies.find((s) => s.label === 'home')!;
    expect(home.bets).toBe(r.games);
    // A season of games gives every strategy enough bets for a bootstrap interval, so each must have one.
    for (const s of r.strategies) {
      expect(s.bets, s.label).toBeGreaterThanOrEqual(2);
      expect(s.roiCi, s.label).not.toBeNull();
      expect(s.roiCi![0]).toBeLessThanOrEqual(s.roiCi![1]);
    }
    expect(r.deflatedSharpe).not.toBeNull();
    const run = await engine.runs.get(r.runId);
    expect(run.children).toHaveLength(6);
    const series = run.data.equity?.series ?? [];
    expect(series.map((s) => s.label)).toEqual(r.strategies.map((s) => s.label));
    expect(new Set(series.map((s) => s.dates.length)).size).toBe(1);
    expect(run.metrics['model.logLoss']).toBeGreaterThan(0.5);
  });
});
