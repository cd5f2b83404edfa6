import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { contract, jobResult, opNames, tryJobResult, type JobOpName, type ResultOf } from '../../../src-main/api/contract';
import { JobManager } from '../../../src-main/engine/jobs/jobManager';
import { Workspace } from '../../../src-main/engine/workspace/workspace';
import { BullpenError } from '../../../src-main/shared/errors';
import type { EngineEvent, Job } from '../../../src-main/shared/events';
import {
  backtestMetricsSchema,
  breakdownsSchema,
  checkedJobResult,
  decodeArtifact,
  deflatedSharpeSchema,
  encodeArtifact,
  jobKinds,
  jobResultSchemas,
  marketComparisonSchema,
  modelMetricsSchema,
  reliabilityBinSchema,
  runArtifactFormats,
  strategySummaryMetricKeys,
  type BacktestMetricsData,
  type CvResult,
} from '../../../src-main/shared/results';
import { backtestStrategies, cvSchemes } from '../../../src-main/shared/vocabulary';
import { strategySchema, type BacktestMetrics, type Breakdowns } from '../../../src-workers/compute/backtest';
import { cvSchemes as workerCvSchemes } from '../../../src-workers/compute/cv';
import type { MarketComparison, ModelMetrics, ReliabilityBin } from '../../../src-workers/compute/metrics';
import type { DeflatedSharpeResult } from '../../../src-workers/compute/stats/deflatedSharpe';
import { tempWorkspace } from '../../support/waitForEvent';

const job = (over: Partial<Job>): Job => ({
  id: 'j1',
  kind: 'ml.cv',
  state: 'completed',
  progress: 1,
  message: 'completed',
  params: {},
  result: null,
  error: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  startedAt: '2024-01-01T00:00:00.000Z',
  finishedAt: '2024-01-01T00:00:01.000Z',
  ...over,
});

const fold = {
  index: 0,
  trainStart: '2010-04-01',
  trainEnd: '2010-06-30',
  testStart: '2010-07-02',
  testEnd: '2010-07-31',
  trainGames: 900,
  innerValidGames: 90,
  testGames: 300,
  purged: 12,
  embargoed: 3,
  testSeason: null,
  bestIteration: 17,
  logLoss: 0.68,
  accuracy: 0.55,
  auc: 0.57,
  brier: 0.24,
  ece: 0.02,
};
const metrics = { games: 300, logLoss: 0.68, brier: 0.24, auc: 0.57, accuracy: 0.55, ece: 0.02 };
const cvResult = {
  runId: 'r1',
  name: 'cv',
  scheme: 'walk-forward',
  folds: [fold],
  metrics: { ...metrics, foldLogLossMean: 0.68, foldLogLossStd: Number.NaN },
  market: null,
  durationMs: 5,
};

describe('one schema per job result: the contract, the engine and every reader agree', () => {
  it('gives every job op a result schema, the same one the engine checks its job kind against', () => {
    const jobOps = opNames.filter((op) => contract[op].kind === 'job');
    expect(jobOps.length).toBeGreaterThanOrEqual(jobKinds.length);
    for (const op of jobOps) {
      const def: { result?: unknown; jobKind?: string } = contract[op];
      const kind = def.jobKind ?? op;
      expect(def.result, op).toBeDefined();
      expect(def.result, op).toBe(jobResultSchemas[kind as keyof typeof jobResultSchemas]);
    }
    // Every kind the engine runs is reachable through an op.
    expect(new Set(jobOps.map((op) => (contract[op] as { jobKind?: string }).jobKind ?? op))).toEqual(new Set(jobKinds));
  });

  it('reads a completed job result typed by its op, NaN already turned to null', () => {
    const stored = checkedJobResult('ml.cv', cvResult);
    const r = jobResult(job({ result: stored }), 'ml.cv');
    expectTypeOf(r).toEqualTypeOf<CvResult>();
    expect(r.folds[0].purged).toBe(12);
    expect(r.metrics.foldLogLossStd).toBeNull();
  });

  it('answers null for a job still running, and refuses a job of another op or a result of another shape', () => {
    expect(tryJobResult(job({ state: 'running' }), 'ml.cv')).toBeNull();
    expect(() => jobResult(job({ state: 'failed', error: 'disk on fire' }), 'ml.cv')).toThrow(/is failed: disk on fire/);
    expect(() => jobResult(job({ kind: 'ml.train', result: {} }), 'ml.cv')).toThrow(expect.objectContaining({ code: 'JOB_KIND_MISMATCH' }));
    expect(() => jobResult(job({ result: { runId: 'r1' } }), 'ml.cv')).toThrow(expect.objectContaining({ code: 'JOB_RESULT_INVALID' }));
    // jobs.runDemo records its jobs as kind `demo`.
    expect(jobResult(job({ kind: 'demo', result: { tables: [], totalRows: 0, checksums: [] } }), 'jobs.runDemo').totalRows).toBe(0);
    expectTypeOf<JobOpName>().toEqualTypeOf<
      | 'ml.train'
      | 'ml.predict'
      | 'ml.cv'
      | 'ml.backtest'
      | 'ml.validate'
      | 'ml.optimize'
      | 'ml.sweeps.train'
      | 'features.materialize'
      | 'demo.build'
      | 'jobs.runDemo'
      | 'export.mlflow'
      | 'deploy.replay'
      | 'deploy.retrain'
    >();
    expectTypeOf<ResultOf<(typeof contract)['ml.runs.list']>>().toBeNever();
  });

  it('checks a result on completion: a known kind with a wrong shape is an internal error; other kinds are only made JSON', () => {
    expect(() => checkedJobResult('ml.cv', { ...cvResult, folds: [{ index: 0 }] })).toThrow(
      expect.objectContaining({ kind: 'internal', code: 'JOB_RESULT_INVALID' }),
    );
    expect(checkedJobResult('test.kind', { a: Number.NaN, b: undefined })).toEqual({ a: null });
    expect(checkedJobResult('test.kind', undefined)).toBeNull();
  });
});

describe('a job of a known kind whose result does not match fails instead of completing (real JobManager and workspace)', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let ws: Workspace;
  let jobs: JobManager;
  const events: EngineEvent[] = [];
  beforeEach(async () => {
    tmp = await tempWorkspace();
    ws = await Workspace.open(tmp.path);
    jobs = await JobManager.open(ws, (e) => events.push(e));
  });
  afterEach(async () => {
    await jobs.close();
    ws.close();
    await tmp.cleanup();
  });

  it('marks the job failed with JOB_RESULT_INVALID and keeps no result', async () => {
    const started = await jobs.start('demo', {}, async () => ({ tables: 'not a list' }));
    const done = await jobs.settled(started.id);
    expect(done).toMatchObject({ state: 'failed', errorKind: 'internal', errorCode: 'JOB_RESULT_INVALID', result: null });
    expect(done.error).toMatch(/demo job's result does not match its schema \(tables:/);
  });

  it('completes a matching result, with NaN as null both in the final event and in the stored job', async () => {
    const started = await jobs.start('ml.cv', {}, async () => cvResult);
    const done = await jobs.settled(started.id);
    expect(done.state, done.error ?? '').toBe('completed');
    const live = events.filter((e): e is Extract<EngineEvent, { type: 'job' }> => e.type === 'job' && e.job.id === started.id).at(-1);
    expect(jobResult(live!.job, 'ml.cv').metrics.foldLogLossStd).toBeNull();
    expect(jobResult(await jobs.get(started.id), 'ml.cv')).toEqual(jobResult(done, 'ml.cv'));
  });
});

describe('run artifacts: checked when written, parsed when read', () => {
  it('refuses an artifact that does not match its schema, naming the field', () => {
    // @ts-expect-error: the value's type is checked at compile time too
    expect(() => encodeArtifact('folds.json', { scheme: 'walk-forward', folds: [{ index: 0 }] })).toThrow(
      expect.objectContaining({ code: 'ARTIFACT_INVALID', message: expect.stringMatching(/folds\.json .*folds\.0\.trainStart/) }),
    );
    // @ts-expect-error: an unknown scheme
    expect(() => encodeArtifact('folds.json', { scheme: 'random', folds: [] })).toThrow(
      expect.objectContaining({ code: 'ARTIFACT_INVALID' }),
    );
  });

  it('writes NaN statistics as null and reads them back as null (empty reliability bins)', () => {
    const bins = [{ lower: 0, upper: 0.1, count: 0, meanPredicted: Number.NaN, observedRate: Number.NaN }];
    const e = encodeArtifact('calibration.json', { evaluatedOn: 'valid', bins });
    expect(e).toMatchObject({ name: 'calibration.json', mediaType: 'application/json' });
    const back = decodeArtifact('calibration.json', e.content);
    expect(back).toEqual({
      ok: true,
      data: { evaluatedOn: 'valid', bins: [{ lower: 0, upper: 0.1, count: 0, meanPredicted: null, observedRate: null }] },
    });
  });

  it('keeps oof.csv in the format older runs have, and parses it into typed rows', () => {
    const rows = [
      { gameId: 'G1', date: '2012-04-05', season: 2012, fold: 1, label: 1, p: 0.61 },
      { gameId: 'G2', date: '2012-04-06', season: 2012, fold: 2, label: 0, p: 0.4 },
    ];
    const e = encodeArtifact('oof.csv', rows);
    expect(e.content).toBe('game_id,date,season,fold,label,p\nG1,2012-04-05,2012,1,1,0.61\nG2,2012-04-06,2012,2,0,0.4\n');
    expect(decodeArtifact('oof.csv', e.content)).toEqual({ ok: true, data: rows });
    // Columns are found by the header, so an older column order still reads.
    expect(decodeArtifact('oof.csv', 'p,game_id,season,date,fold,label\n0.5,G3,2011,2011-05-01,3,1\n')).toEqual({
      ok: true,
      data: [{ gameId: 'G3', date: '2011-05-01', season: 2011, fold: 3, label: 1, p: 0.5 }],
    });
    expect(decodeArtifact('oof.csv', 'game_id,p\nG1,0.5\n')).toMatchObject({
      ok: false,
      issue: expect.stringMatching(/no date, season, fold, label column/),
    });
    expect(() => encodeArtifact('oof.csv', [{ ...rows[0], p: 1.5 }])).toThrow(expect.objectContaining({ code: 'ARTIFACT_INVALID' }));
  });

  it('reports, not throws, a stored artifact of another shape (a run from an older version)', () => {
    expect(decodeArtifact('equity.json', '{"series":[{"label":"edge"}]}')).toMatchObject({
      ok: false,
      issue: expect.stringMatching(/^series\.0\./),
    });
    expect(decodeArtifact('market.json', 'not json')).toMatchObject({ ok: false });
    expect(decodeArtifact('market.json', 'null')).toEqual({ ok: true, data: null });
  });

  it('has a format for every artifact name the engine writes', () => {
    expect(Object.keys(runArtifactFormats).sort()).toEqual(
      [
        'backtest.json',
        'calibration.json',
        'equity.json',
        'folds.json',
        'importance.json',
        'market.json',
        'model.lgb',
        'oof.csv',
        'paths.json',
        'predictions.csv',
        'report.html',
        'validation.json',
      ].sort(),
    );
  });
});

describe('the shared schemas describe exactly what the workers compute (compile-time, checked by tsc)', () => {
  type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
  it('matches keys and accepts the computed values', () => {
    // Same keys, and every computed value fits the stored schema (NaN → null is the only difference).
    expectTypeOf<Same<keyof BacktestMetrics, keyof BacktestMetricsData>>().toEqualTypeOf<true>();
    expectTypeOf<BacktestMetrics>().toExtend<z.input<typeof backtestMetricsSchema>>();
    expectTypeOf<Same<keyof ModelMetrics, keyof z.output<typeof modelMetricsSchema>>>().toEqualTypeOf<true>();
    expectTypeOf<ModelMetrics>().toExtend<z.input<typeof modelMetricsSchema>>();
    expectTypeOf<Same<keyof MarketComparison, keyof z.output<typeof marketComparisonSchema>>>().toEqualTypeOf<true>();
    expectTypeOf<MarketComparison>().toExtend<z.input<typeof marketComparisonSchema>>();
    expectTypeOf<Same<keyof ReliabilityBin, keyof z.output<typeof reliabilityBinSchema>>>().toEqualTypeOf<true>();
    expectTypeOf<ReliabilityBin>().toExtend<z.input<typeof reliabilityBinSchema>>();
    expectTypeOf<Same<keyof Breakdowns, keyof z.output<typeof breakdownsSchema>>>().toEqualTypeOf<true>();
    expectTypeOf<Breakdowns>().toExtend<z.input<typeof breakdownsSchema>>();
    expectTypeOf<DeflatedSharpeResult & { best: number }>().toExtend<z.input<typeof deflatedSharpeSchema>>();
    expect(strategySummaryMetricKeys.every((k) => k in backtestMetricsSchema.shape)).toBe(true);
  });

  it('declares the strategies and CV schemes the workers implement, once', () => {
    expect(strategySchema.options.map((o) => o.shape.kind.value).sort()).toEqual([...backtestStrategies].sort());
    expect(workerCvSchemes).toBe(cvSchemes);
  });
});

describe('BullpenError stays the error type of these checks', () => {
  it('throws BullpenError instances', () => {
    let caught: unknown;
    try {
      checkedJobResult('demo', {});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BullpenError);
  });
});
