import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobResult } from '../../../src-main/api/contract';
import type { Engine } from '../../../src-main/engine/engine';
import { FAST, call, openMlEngine, runJob, runJobResult } from './mlWorkspace';

describe("ml backtest --run CV_RUN: betting a CV run's out-of-fold predictions", () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  let seasonCv: string;
  let walkCv: string;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    // Season-forward with one split tests all of 2012; walk-forward tests five 30-day windows, only part of a season.
    const a = await runJob(engine, 'ml.cv', {
      features: 'default',
      target: 'home_win',
      seasons: '2010-2012',
      scheme: 'season-forward',
      splits: 1,
      name: 'cv-2012',
      ...FAST,
    });
    expect(a.state, a.error ?? '').toBe('completed');
    seasonCv = jobResult(a, 'ml.cv').runId;
    const b = await runJob(engine, 'ml.cv', {
      features: 'default',
      target: 'home_win',
      seasons: '2010-2012',
      scheme: 'walk-forward',
      name: 'cv-walk',
      ...FAST,
    });
    expect(b.state, b.error ?? '').toBe('completed');
    walkCv = jobResult(b, 'ml.cv').runId;
  });
  afterAll(async () => cleanup());

  it('bets exactly the out-of-fold probabilities of the test-fold games, next to the baselines on the same games', async () => {
    const job = await runJob(engine, 'ml.backtest', {
      run: seasonCv.slice(0, 8),
      seasons: '2012',
      strategy: ['flat', 'edge'],
      bootstrapResamples: 200,
    });
    expect(job.state, job.error ?? '').toBe('completed');
    const r = jobResult(job, 'ml.backtest');
    const store = engine.runs;
    const oof = (await store.artifact(seasonCv, 'oof.csv'))!
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const oof2012 = oof.filter((f) => f[2] === '2012');
    expect(r.modelName).toBeNull();
    expect(r.cvRun).toMatchObject({ id: seasonCv, name: 'cv-2012', games: oof2012.length });
    expect(r.games).toBe(oof2012.length);
    expect(r.strategies.map((s) => s.label)).toEqual(['flat', 'edge>=0.02', 'home', 'favorite', 'underdog', 'elo edge>=0.02']);
    expect(r.strategies.find((s) => s.label === 'home')!.bets).toBe(r.games);
    // The model metrics are those of the stored out-of-fold predictions on these games.
    const logLoss =
      oof2012.reduce((acc, f) => {
        const [y, p] = [Number(f[4]), Number(f[5])];
        return acc - (y * Math.log(p) + (1 - y) * Math.log(1 - p));
      }, 0) / oof2012.length;
    expect(r.model!.logLoss).toBeCloseTo(logLoss, 9);
    const run = await store.get(r.runId);
    expect(run.params.cvRun).toBe(seasonCv);
    expect(run.tags.predictions).toBe('out-of-fold');
    expect(run.children).toHaveLength(6);
  });

  it('backtests only the games a walk-forward CV tested, a part of the season', async () => {
    const r = await runJobResult(engine, 'ml.backtest', { run: walkCv, seasons: '2012', strategy: ['edge'], bootstrapResamples: 200 });
    const oof = (await engine.runs.artifact(walkCv, 'oof.csv'))!.trim().split('\n').slice(1);
    const in2012 = oof.filter((l) => l.split(',')[2] === '2012').length;
    expect(r.games).toBe(in2012);
    expect(r.cvRun!.games).toBe(in2012);
    expect(r.cvRun!.seasonGames).toBeGreaterThan(in2012);
  });

  it('refuses seasons no test fold covered, naming them and the seasons the folds did cover, before any run is recorded', async () => {
    const before = (await engine.runs.list({ kind: 'backtest', limit: 100 })).length;
    const err = await call(engine, 'ml.backtest', { run: seasonCv, seasons: '2011-2012' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BACKTEST_SEASON_NOT_IN_CV', kind: 'input' });
    expect((err as Error).message).toMatch(/season 2011 was in no test fold of CV run cv-2012.*cover 2012/);
    expect((await engine.runs.list({ kind: 'backtest', limit: 100 })).length).toBe(before);
  });

  it('refuses a run that is not a CV, and a model and a run together; in-sample models stay refused', async () => {
    await runJob(engine, 'ml.train', { train: '2010', valid: '2011', name: 'to-2011', ...FAST });
    const trainRun = (await engine.runs.list({ kind: 'train', limit: 5 }))[0];
    await expect(call(engine, 'ml.backtest', { run: trainRun.id, seasons: '2012' })).rejects.toMatchObject({
      code: 'BACKTEST_RUN_NOT_CV',
      kind: 'usage',
    });
    await expect(call(engine, 'ml.backtest', { run: seasonCv, model: 'to-2011', seasons: '2012' })).rejects.toMatchObject({
      code: 'BACKTEST_MODEL_OR_RUN',
    });
    await expect(call(engine, 'ml.backtest', { model: 'to-2011', seasons: '2011' })).rejects.toMatchObject({ code: 'BACKTEST_IN_SAMPLE' });
  });
});
