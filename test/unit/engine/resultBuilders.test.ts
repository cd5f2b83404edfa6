import { describe, expect, it } from 'vitest';
import {
  buildBacktestResults,
  finiteOrNull,
  plannedStrategies,
  strategyMetricPoints,
  summarizeStrategy,
} from '../../../src-main/engine/evaluation/backtest/backtestResults';
import { buildComparison } from '../../../src-main/engine/evaluation/compare/compareRuns';
import { buildCvResults, cvRunStart, type CvSetup } from '../../../src-main/engine/evaluation/cv/cvResults';
import type { FeatureMatrix } from '../../../src-main/engine/modeling/featureMatrix';
import type { RunDetail } from '../../../src-main/engine/tracking/runTypes';
import {
  buildTrainResults,
  trainingSettings,
  trainRunParams,
  trainRunStart,
  type TrainPlan,
} from '../../../src-main/engine/training/trainResults';
import { asStored, encodeArtifact, jobResultSchemas, type RunArtifactName } from '../../../src-main/shared/results';
import { compareStrategies } from '../../../src-workers/compute/backtest';
import type { Fold } from '../../../src-workers/compute/cv';
import { modelMetrics, reliabilityCurve } from '../../../src-workers/compute/metrics';
import type { FittedModel } from '../../../src-workers/compute/boosting/fitModel';
import type { CvFoldResult } from '../../../src-workers/compute/boosting/fitFolds';

/** A matrix of `n` games, one a day, the first half in 2010 and the rest in 2011, priced on both sides. */
function matrix(n: number): FeatureMatrix {
  const day = (i: number) => new Date(Date.UTC(2010 + (i < n / 2 ? 0 : 1), 3, 1 + (i % (n / 2)))).toISOString().slice(0, 10);
  const fair = Float64Array.from({ length: n }, (_v, i) => 0.4 + ((i * 7) % 20) / 100);
  const price = (p: Float64Array) => Float64Array.from(p, (x) => 1 / (x * 1.02));
  const nan = () => new Float64Array(n).fill(Number.NaN);
  return {
    setName: 'default',
    contentHash: 'c0ffee',
    materializationId: 'default@c0ffee:1',
    featureNames: ['a', 'b'],
    featureVersions: [
      { name: 'a', version: 1 },
      { name: 'b', version: 2 },
    ],
    target: 'home_win',
    rows: n,
    cols: 2,
    gameIds: Array.from({ length: n }, (_v, i) => `G${i}`),
    dates: Array.from({ length: n }, (_v, i) => day(i)),
    seasons: Int32Array.from({ length: n }, (_v, i) => (i < n / 2 ? 2010 : 2011)),
    features: Float64Array.from({ length: n * 2 }, (_v, k) => k % 7),
    label: Float64Array.from({ length: n }, (_v, i) => ((i * 13) % 10 < 5 ? 1 : 0)),
    odds: {
      homeClose: price(fair),
      awayClose: price(fair.map((x) => 1 - x)),
      homeOpen: nan(),
      awayOpen: nan(),
      totalLine: nan(),
      overPrice: nan(),
      underPrice: nan(),
      runlineHome: nan(),
      runlineHomePrice: nan(),
      runlineAwayPrice: nan(),
    },
    synthetic: true,
  };
}

const predictions = (n: number, offset = 0) => Float64Array.from({ length: n }, (_v, i) => 0.3 + (((i + offset) * 11) % 40) / 100);

/** Every artifact a builder produced passes the check the run store makes when it writes them. */
function expectWritable(artifacts: { name: RunArtifactName; value: unknown }[] | undefined): void {
  for (const a of artifacts ?? []) expect(() => encodeArtifact(a.name, a.value as never), a.name).not.toThrow();
}

const plan = (m: FeatureMatrix, withValid: boolean): TrainPlan => {
  const rows = (season: number) => Int32Array.from({ length: m.rows }, (_v, i) => i).filter((i) => m.seasons[i] === season);
  return {
    modelName: 'm1',
    trainText: '2010',
    validText: withValid ? '2011' : undefined,
    trainSeasons: [2010],
    validSeasons: withValid ? [2011] : [],
    trainRows: rows(2010),
    validRows: withValid ? rows(2011) : new Int32Array(0),
    params: { objective: 'binary', learning_rate: 0.05, deterministic: true, seed: 7 },
    numBoostRound: 300,
    earlyStoppingRounds: withValid ? 20 : null,
    seed: 7,
    numThreads: 2,
  };
};

const fitted = (train: number, valid: number): FittedModel => ({
  modelText: 'tree\n',
  bestIteration: 12,
  iterations: 32,
  curves: [{ name: 'valid.binary_logloss', values: Float64Array.from({ length: 32 }, (_v, i) => 0.7 - i / 1000) }],
  importanceGain: Float64Array.of(3, 1),
  importanceSplit: Float64Array.of(5, 2),
  trainPred: predictions(train),
  validPred: predictions(valid, 3),
});

describe('training results (pure builders)', () => {
  it('records the settings of a run so that reading them back gives the same training', () => {
    const m = matrix(80);
    const p = plan(m, true);
    const recorded = trainRunParams(p, m.materializationId);
    expect(recorded).toMatchObject({
      learning_rate: 0.05,
      numBoostRound: 300,
      earlyStoppingRounds: 20,
      trainSeasons: '2010',
      validSeasons: '2011',
      numThreads: 2,
    });
    const back = trainingSettings(recorded as Record<string, string | number | boolean>);
    expect(back).toEqual({ lgb: p.params, numBoostRound: 300, earlyStoppingRounds: 20, seed: 7 });
    // Without a validation window early stopping does not apply: nothing recorded, nothing read back.
    const noValid = trainRunParams(plan(m, false), m.materializationId);
    expect(noValid.earlyStoppingRounds).toBeNull();
    const { earlyStoppingRounds: _e, ...stored } = noValid;
    expect(trainingSettings(stored as Record<string, string | number | boolean>).earlyStoppingRounds).toBeUndefined();
  });

  it('measures on the validation window, dates the model by its last validation game, and writes schema-valid results', () => {
    const m = matrix(80);
    const p = plan(m, true);
    const { value, results } = buildTrainResults(m, p, { target: 'home_win', features: 'default' }, fitted(40, 40), 1234);
    expect(value).toMatchObject({
      modelName: 'm1',
      evaluatedOn: 'valid',
      games: { train: 40, valid: 40 },
      bestIteration: 12,
      iterations: 32,
      durationMs: 1234,
    });
    expect(value.metrics.games).toBe(40);
    expect(value.market?.games).toBe(40);
    expect(results.model).toMatchObject({ name: 'm1', seasons: [2010, 2011], lastTrainingDate: m.dates[79], featureNames: ['a', 'b'] });
    expect(results.tags).toEqual({ evaluatedOn: 'valid' });
    expect(results.metrics.filter((x) => x.key === 'valid.binary_logloss').map((x) => x.step)).toEqual(
      Array.from({ length: 32 }, (_v, i) => i + 1),
    );
    expect(results.metrics.find((x) => x.key === 'validGames')?.value).toBe(40);
    expect(results.artifacts?.map((a) => a.name)).toEqual(['model.lgb', 'importance.json', 'calibration.json', 'market.json']);
    expectWritable(results.artifacts);
    expect(jobResultSchemas['ml.train'].safeParse(asStored({ ...value, runId: 'r' })).success).toBe(true);
    const start = trainRunStart(m, p, { target: 'home_win', features: 'default', tags: { note: 'x' } }, 'job-1');
    expect(start).toMatchObject({
      name: 'm1',
      kind: 'train',
      jobId: 'job-1',
      seed: 7,
      synthetic: true,
      tags: { note: 'x', synthetic: 'true' },
    });
    expect(start.dataHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('without a validation window measures in-sample on the training games and dates the model by its last training game', () => {
    const m = matrix(80);
    const { value, results } = buildTrainResults(m, plan(m, false), { target: 'home_win', features: 'default' }, fitted(40, 0), 5);
    expect(value.evaluatedOn).toBe('train');
    expect(value.games).toEqual({ train: 40, valid: 0 });
    expect(results.model?.lastTrainingDate).toBe(m.dates[39]);
    expect(results.model?.seasons).toEqual([2010]);
  });
});

describe('cross-validation results (pure builders)', () => {
  const m = matrix(60);
  const fold = (index: number, train: number[], test: number[]): Fold =>
    ({
      index,
      train: Int32Array.from(train),
      test: Int32Array.from(test),
      trainWindow: { start: 0, end: 0 },
      testWindow: { start: 0, end: 0 },
      boundaries: {
        trainStart: m.dates[train[0]],
        trainEnd: m.dates[train[train.length - 1]],
        testStart: m.dates[test[0]],
        testEnd: m.dates[test[test.length - 1]],
      },
      testSeason: null,
      purged: index,
      embargoed: 1,
    }) as Fold;
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_v, i) => a + i);
  const folds = [fold(0, range(0, 20), range(20, 40)), fold(1, range(0, 40), range(40, 60))];
  const result = (f: Fold): CvFoldResult => {
    const pred = predictions(f.test.length, f.index);
    const y = Float64Array.from(f.test, (r) => m.label[r]);
    return {
      index: f.index,
      bestIteration: 5 + f.index,
      trainRows: f.train.length,
      innerValidRows: 4,
      pred,
      metrics: modelMetrics(y, pred),
      reliability: reliabilityCurve(y, pred),
      importanceGain: Float64Array.of(1, 1),
      importanceSplit: Float64Array.of(2, 2),
      validCurve: Float64Array.of(0.69, 0.68),
    };
  };
  const setup: CvSetup = {
    target: 'home_win',
    features: 'default',
    params: { objective: 'binary', seed: 3 },
    numBoostRound: 100,
    earlyStoppingRounds: 10,
    seed: 3,
  };

  it('puts every test game once in the out-of-fold predictions, one child run per fold, and writes schema-valid results', () => {
    const { value, results } = buildCvResults(m, folds, folds.map(result), 'cv-x', { scheme: 'walk-forward' }, setup, 99);
    expect(value.folds.map((f) => [f.index, f.testGames, f.bestIteration])).toEqual([
      [0, 20, 5],
      [1, 20, 6],
    ]);
    expect(value.metrics.games).toBe(40);
    const oof = results.artifacts?.find((a) => a.name === 'oof.csv')?.value as { gameId: string; fold: number }[];
    expect(oof.map((r) => r.gameId)).toEqual(range(20, 60).map((i) => `G${i}`));
    expect(oof.map((r) => r.fold)).toEqual([...new Array<number>(20).fill(1), ...new Array<number>(20).fill(2)]);
    expect(results.children?.map((c) => [c.name, c.kind, c.params.fold])).toEqual([
      ['cv-x fold 1', 'cv-fold', 1],
      ['cv-x fold 2', 'cv-fold', 2],
    ]);
    expect(results.metrics.find((x) => x.key === 'folds')?.value).toBe(2);
    expectWritable(results.artifacts);
    for (const c of results.children ?? []) expectWritable(c.artifacts);
    expect(jobResultSchemas['ml.cv'].safeParse(asStored({ ...value, runId: 'r' })).success).toBe(true);
    const start = cvRunStart(
      m,
      setup,
      { scheme: 'walk-forward', splits: 2, trainDays: 90, testDays: 30, gap: 1, embargo: 1 },
      'cv-x',
      'job',
      2,
    );
    expect(start.params).toMatchObject({ scheme: 'walk-forward', seasons: 'all', model: '', numBoostRound: 100, objective: 'binary' });
  });
});

describe('backtest results (pure builders)', () => {
  const n = 120;
  const dates = Array.from({ length: n }, (_v, i) => 16_900 + Math.floor(i / 6));
  const fair = Float64Array.from({ length: n }, (_v, i) => 0.35 + ((i * 37) % 31) / 100);
  const games = {
    seasons: [2016],
    label: Float64Array.from({ length: n }, (_v, i) => ((i * 7919) % 100 < fair[i] * 100 ? 1 : 0)),
    closeHome: Float64Array.from(fair, (f) => 1 / (f * 1.02)),
    closeAway: Float64Array.from(fair, (f) => 1 / ((1 - f) * 1.02)),
  };
  const pHome = Float64Array.from(fair, (f, i) => f + (((i * 13) % 9) - 4) / 100);
  const options = { strategy: ['edge' as const], baselines: true, edge: 0.02, kellyFraction: 0.25, maxStake: 0.05 };

  function bet(strategies: ReturnType<typeof plannedStrategies>, p: Float64Array) {
    const cmp = compareStrategies(
      { dates, homeWin: games.label, pHome: p, closeHome: games.closeHome, closeAway: games.closeAway },
      strategies.map((s) => s.spec),
      { bootstrap: false },
    );
    const outcomes = cmp.results.map((r) => ({
      strategy: r.strategy,
      metrics: r.metrics,
      breakdowns: r.breakdowns,
      day: r.daily.day,
      equity: r.daily.equity,
      drawdown: r.daily.drawdown,
      profit: r.daily.profit,
    }));
    return { pHome: p, outcomes, best: cmp.best, deflatedSharpe: cmp.deflatedSharpe, pbo: cmp.pbo };
  }

  it('bets the requested strategies, then the baselines (elo only where it exists); refuses model strategies without predictions', () => {
    expect(plannedStrategies(options, true, false).map((s) => s.label)).toEqual(['edge>=0.02', 'home', 'favorite', 'underdog']);
    expect(plannedStrategies(options, true, true).map((s) => s.label)).toEqual([
      'edge>=0.02',
      'home',
      'favorite',
      'underdog',
      'elo edge>=0.02',
    ]);
    expect(plannedStrategies({ ...options, strategy: ['kelly'], baselines: false }, true, false).map((s) => s.label)).toEqual([
      'kelly 0.25 cap 0.05',
    ]);
    expect(() => plannedStrategies(options, false, false)).toThrow(expect.objectContaining({ code: 'BACKTEST_NEEDS_MODEL' }));
    expect(() => plannedStrategies({ ...options, strategy: ['elo'] }, false, false)).toThrow(
      expect.objectContaining({ code: 'BACKTEST_NO_ELO' }),
    );
  });

  it('turns statistics that do not exist into null and keeps finite ones', () => {
    expect([finiteOrNull(Number.NaN), finiteOrNull(Number.POSITIVE_INFINITY), finiteOrNull(null), finiteOrNull(0.25)]).toEqual([
      null,
      null,
      null,
      0.25,
    ]);
  });

  it('reports the first strategy as the run, every strategy as a child, the predictions next to the market, schema-valid', () => {
    const strategies = plannedStrategies(options, true, false);
    const out = bet(strategies, pHome);
    const source = { modelName: 'm1', cvRun: null };
    const { value, results } = buildBacktestResults(
      { target: 'home_win', setName: 'default', synthetic: false },
      games,
      { odds: 'close', seed: 1 },
      source,
      strategies,
      out,
      'bt',
      7,
    );
    expect(value.strategies.map((s) => [s.label, s.ml])).toEqual([
      ['edge>=0.02', true],
      ['home', false],
      ['favorite', false],
      ['underdog', false],
    ]);
    expect(value.best).toBe(value.strategies[out.best].label);
    expect(value.model?.logLoss).toBeGreaterThan(0);
    const summaries = out.outcomes.map((o, k) => summarizeStrategy(o, strategies[k].label, strategies[k].kind));
    expect(value.strategies).toEqual(summaries);
    expect(
      results.metrics.filter((x) => x.key !== 'games' && !x.key.startsWith('model.') && x.key !== 'deflatedSharpe' && x.key !== 'pbo'),
    ).toEqual(strategyMetricPoints(summaries[0]));
    expect(results.metrics.find((x) => x.key === 'games')?.value).toBe(n);
    expect(results.children?.map((c) => c.metrics)).toEqual(summaries.map(strategyMetricPoints));
    expect(results.artifacts?.map((a) => a.name)).toEqual(['backtest.json', 'equity.json', 'calibration.json', 'market.json']);
    expectWritable(results.artifacts);
    for (const c of results.children ?? []) expectWritable(c.artifacts);
    expect(jobResultSchemas['ml.backtest'].safeParse(asStored({ ...value, runId: 'r' })).success).toBe(true);
  });

  it('scores no predictions for a rules-only backtest', () => {
    const strategies = plannedStrategies({ ...options, strategy: ['home'], baselines: false }, false, false);
    const out = bet(strategies, new Float64Array(n).fill(Number.NaN));
    const { value, results } = buildBacktestResults(
      { target: 'home_win', setName: 'default', synthetic: true },
      games,
      { odds: 'close', seed: 1 },
      { modelName: null, cvRun: null },
      strategies,
      out,
      'rules',
      1,
    );
    expect(value.model).toBeNull();
    expect(value.best).toBeNull();
    expect(results.artifacts?.map((a) => a.name)).toEqual(['backtest.json', 'equity.json']);
    expect(results.metrics.some((x) => x.key.startsWith('model.'))).toBe(false);
  });
});

describe('run comparison (pure builder)', () => {
  const run = (id: string, metrics: Record<string, number | null>, params: Record<string, string | number | boolean>): RunDetail =>
    ({
      id,
      name: id,
      kind: 'train',
      status: 'completed',
      parentId: null,
      jobId: null,
      target: 'home_win',
      featureSet: 'default',
      dataHash: null,
      seed: 1,
      codeVersion: null,
      synthetic: false,
      error: null,
      startedAt: '2024-01-01T00:00:00.000Z',
      finishedAt: null,
      durationMs: null,
      params,
      tags: {},
      metrics,
      featureVersions: null,
      curves: {},
      artifacts: [],
      data: {},
      children: [],
    }) as unknown as RunDetail;

  it('gives metric differences to the first run and marks the typed parameters that differ', () => {
    const cmp = buildComparison([
      run('a', { logLoss: 0.68, auc: null }, { learning_rate: 0.05, objective: 'binary', deterministic: true }),
      run('b', { logLoss: 0.66 }, { learning_rate: 0.1, objective: 'binary', deterministic: true, extra: '2016' }),
    ]);
    expect(cmp.runs.map((r) => r.id)).toEqual(['a', 'b']);
    expect(cmp.runs[0]).not.toHaveProperty('curves');
    const ll = cmp.metrics.find((x) => x.key === 'logLoss')!;
    expect(ll.deltas[0]).toBe(0);
    expect(ll.deltas[1]).toBeCloseTo(-0.02, 12);
    expect(cmp.metrics.find((x) => x.key === 'auc')).toEqual({ key: 'auc', values: [null, null], deltas: [null, null] });
    expect(cmp.params).toEqual([
      { key: 'deterministic', values: [true, true], differs: false },
      { key: 'extra', values: [null, '2016'], differs: true },
      { key: 'learning_rate', values: [0.05, 0.1], differs: true },
      { key: 'objective', values: ['binary', 'binary'], differs: false },
    ]);
  });
});
