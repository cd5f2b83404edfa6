import { splitFolds, type CvScheme, type Fold } from '../../../../src-workers/compute/cv';
import type { CvFoldPayload, CvFoldResult } from '../../../../src-workers/tasks/cvFold';
import { BullpenError, inputError } from '../../../shared/errors';
import { loadFeatureMatrix, parseSeasons, type FeatureMatrix, type Target } from '../../modeling/featureMatrix';
import type { JobContext } from '../../jobs/jobContext';
import { getModel } from '../../tracking/modelStore';
import { RunStore } from '../../tracking/runStore';
import { trackRun } from '../../tracking/trackRun';
import type { MetricPoint, RunResults } from '../../tracking/runTypes';
import { DEFAULT_EARLY_STOPPING_ROUNDS, DEFAULT_NUM_BOOST_ROUND, DEFAULT_SEED, resolveParams, type LgbParams } from '../../modeling/defaultParams';
import { evaluate, evaluationMetrics } from '../../training/evaluate';
import { importanceArtifact } from '../../training/importance';
import { marketPrices, matrixHash, takeValues } from '../../modeling/matrixRows';
import type { EngineDeps } from '../../training/trainModel';
import { assertFeatureSet, assertLightgbmParams, assertSeasonsHaveGames } from '../../modeling/jobPrechecks';
import { foldGroups } from './foldGroups';

export interface CvInput {
  model?: string;
  params?: Record<string, unknown>;
  features?: string;
  target?: Target;
  seasons?: string;
  scheme: CvScheme;
  splits: number;
  trainDays: number;
  testDays: number;
  gap: number;
  embargo: number;
  seed?: number;
  numBoostRound?: number;
  earlyStoppingRounds?: number;
  name?: string;
  /** Upper bound on parallel fold groups (default: the pool size). */
  workers?: number;
}

export interface CvOutcome {
  runId: string;
  name: string;
  scheme: CvScheme;
  folds: { index: number; trainStart: string; trainEnd: string; testStart: string; testEnd: string; trainGames: number; testGames: number; purged: number; embargoed: number; bestIteration: number; logLoss: number; accuracy: number; auc: number }[];
  metrics: Record<string, number>;
  market: { games: number; logLoss: number; accuracy: number } | null;
  durationMs: number;
}

/**
 * Days of history the default rolling features read (last 30 games ≈ 30+ days): training rows whose
 * feature window reaches into a guarded test window are purged by the splitter.
 */
export const FEATURE_LOOKBACK_DAYS = 30;

interface CvSetup {
  target: Target;
  features: string;
  params: LgbParams;
  numBoostRound: number;
  earlyStoppingRounds: number | null;
  seed: number;
}

async function setup(deps: EngineDeps, input: CvInput): Promise<CvSetup> {
  const seed = input.seed ?? DEFAULT_SEED;
  if (input.model) {
    const model = await getModel(deps.workspace, input.model);
    const rows = await deps.workspace.all<{ key: string; value: string }>(`SELECT key, value FROM run_params WHERE run_id = ?`, [model.runId]);
    const stored: Record<string, unknown> = {};
    for (const r of rows) stored[r.key] = /^-?[\d.]+(e-?\d+)?$/.test(r.value) ? Number(r.value) : r.value === 'true' ? true : r.value === 'false' ? false : r.value;
    const { numBoostRound, earlyStoppingRounds, trainSeasons: _t, validSeasons: _v, numThreads: _n, materialization: _m, ...lgb } = stored;
    return {
      target: model.target as Target,
      features: model.featureSet,
      params: resolveParams({ ...lgb, ...(input.params ?? {}) }, input.seed ?? Number(stored.seed ?? seed)),
      numBoostRound: input.numBoostRound ?? Number(numBoostRound ?? DEFAULT_NUM_BOOST_ROUND),
      earlyStoppingRounds: input.earlyStoppingRounds ?? (earlyStoppingRounds === 'null' || earlyStoppingRounds === undefined ? DEFAULT_EARLY_STOPPING_ROUNDS : Number(earlyStoppingRounds)),
      seed,
    };
  }
  if (!input.features || !input.target) throw new BullpenError('usage', 'CV_NEEDS_MODEL_OR_SPEC', 'give --model NAME, or --features SET and --target T (with optional --params JSON)');
  return {
    target: input.target,
    features: input.features,
    params: resolveParams(input.params, seed),
    numBoostRound: input.numBoostRound ?? DEFAULT_NUM_BOOST_ROUND,
    earlyStoppingRounds: input.earlyStoppingRounds ?? DEFAULT_EARLY_STOPPING_ROUNDS,
    seed,
  };
}

/** Refusals checked before the job starts: an unknown model or set, seasons without games, bad parameters. */
export async function precheckCv(deps: EngineDeps, input: CvInput): Promise<void> {
  await assertSeasonsHaveGames(deps.workspace, input.seasons, '--seasons', true);
  if (input.model) {
    const model = await getModel(deps.workspace, input.model);
    await assertLightgbmParams(deps.pool, input.params, model.featureNames.length);
    return;
  }
  if (!input.features || !input.target) throw new BullpenError('usage', 'CV_NEEDS_MODEL_OR_SPEC', 'give --model NAME, or --features SET and --target T (with optional --params JSON)');
  const cols = await assertFeatureSet(deps.workspace, input.features);
  await assertLightgbmParams(deps.pool, input.params, cols);
}

/** The folds of a CV on a matrix, with the options the issue names (defaults 5/90/30/1/1). */
export function cvFolds(m: FeatureMatrix, input: Pick<CvInput, 'scheme' | 'splits' | 'trainDays' | 'testDays' | 'gap' | 'embargo'>): Fold[] {
  return splitFolds(
    input.scheme,
    { dates: m.dates, seasons: m.seasons, lookbackDays: FEATURE_LOOKBACK_DAYS, horizonDays: 0 },
    { nSplits: input.splits, trainDays: input.trainDays, testDays: input.testDays, gapDays: input.gap, embargoDays: input.embargo },
  );
}

/**
 * `bullpen ml cv`: one matrix from the workspace, folds from the time-series splitters, fold groups in
 * parallel in the pool (each worker bins the matrix once and subsets it per fold), out-of-fold
 * predictions, per-fold importance and the split boundaries, recorded as one run with a child per fold.
 */
export async function runCv(deps: EngineDeps, input: CvInput, ctx: JobContext): Promise<CvOutcome> {
  const started = Date.now();
  const s = await setup(deps, input);
  const seasons = parseSeasons(input.seasons);
  ctx.progress(0.01, 'building the feature matrix');
  const m = await loadFeatureMatrix(deps.workspace, { set: s.features, target: s.target, ...(seasons ? { seasons } : {}) });
  if (m.rows === 0) throw inputError('NO_GAMES', `no labelled games for target ${s.target}${input.seasons ? ` in ${input.seasons}` : ''}`, {});
  ctx.throwIfCancelled();
  const folds = cvFolds(m, input);
  const name = input.name ?? `cv-${input.scheme}-${s.target}-${s.features}-${Date.now().toString(36)}`;
  const all = Int32Array.from({ length: m.rows }, (_v, i) => i);
  const store = new RunStore(deps.workspace);
  return trackRun(
    store,
    {
      name,
      kind: 'cv',
      jobId: ctx.id,
      target: s.target,
      featureSet: s.features,
      featureVersions: m.featureVersions,
      dataHash: matrixHash(m, all),
      seed: s.seed,
      synthetic: m.synthetic,
      params: {
        ...s.params, numBoostRound: s.numBoostRound, earlyStoppingRounds: s.earlyStoppingRounds, scheme: input.scheme, splits: input.splits,
        trainDays: input.trainDays, testDays: input.testDays, gap: input.gap, embargo: input.embargo, seasons: input.seasons ?? 'all',
        model: input.model ?? '', numThreads: deps.pool.threadsPerTask,
      },
      tags: m.synthetic ? { synthetic: 'true' } : {},
    },
    ctx.signal,
    async () => {
      const groups = foldGroups(folds, Math.min(deps.pool.size, input.workers ?? deps.pool.size));
      const weight = groups.map((g) => g.reduce((acc, f) => acc + f.train.length, 0));
      const totalWeight = weight.reduce((a, b) => a + b, 0);
      const fraction = new Array<number>(groups.length).fill(0);
      const report = (message?: string) => ctx.progress(0.05 + 0.9 * fraction.reduce((acc, f, g) => acc + (f * weight[g]) / totalWeight, 0), message);
      // One failing group stops the others: no reason to keep training a CV that cannot complete.
      const local = new AbortController();
      const stop = () => local.abort();
      ctx.signal.addEventListener('abort', stop, { once: true });
      let results: CvFoldResult[];
      try {
        const outs = await Promise.all(
          groups.map((group, g) => {
            // Each worker gets its own copy of the matrix, transferred (not cloned) into the thread.
            const x = m.features.slice();
            const y = m.label.slice();
            const payload: CvFoldPayload = {
              x, y, rows: m.rows, cols: m.cols, featureNames: m.featureNames,
              folds: group.map((f) => ({ index: f.index, train: f.train.slice(), test: f.test.slice() })),
              params: s.params, numBoostRound: s.numBoostRound, earlyStoppingRounds: s.earlyStoppingRounds, numThreads: deps.pool.threadsPerTask,
            };
            return deps.pool
              .run<{ folds: CvFoldResult[] }>('cvFold', payload, {
                transferList: [x.buffer, y.buffer],
                signal: local.signal,
                onProgress: (f, message) => {
                  fraction[g] = f;
                  report(message);
                },
              })
              .catch((err: unknown) => {
                local.abort();
                throw err;
              });
          }),
        );
        results = outs.flatMap((o) => o.folds).sort((a, b) => a.index - b.index);
      } finally {
        ctx.signal.removeEventListener('abort', stop);
      }
      ctx.throwIfCancelled();
      return assemble(m, folds, results, name, input, s, started);
    },
  );
}

function assemble(m: FeatureMatrix, folds: Fold[], results: CvFoldResult[], name: string, input: CvInput, s: CvSetup, started: number): { value: Omit<CvOutcome, 'runId'>; results: RunResults } {
  const oof = new Float64Array(m.rows).fill(Number.NaN);
  const foldOf = new Int32Array(m.rows).fill(-1);
  for (const r of results) {
    const f = folds[r.index];
    f.test.forEach((row, i) => {
      oof[row] = r.pred[i];
      foldOf[row] = r.index;
    });
  }
  const covered = Int32Array.from({ length: m.rows }, (_v, i) => i).filter((i) => !Number.isNaN(oof[i]));
  const [priceA, priceB] = marketPrices(m).close;
  const evaluation = evaluate(takeValues(m.label, covered), takeValues(oof, covered), takeValues(priceA, covered), takeValues(priceB, covered));
  const foldLoss = results.map((r) => r.metrics.logLoss);
  const meanLoss = foldLoss.reduce((a, b) => a + b, 0) / foldLoss.length;
  const sdLoss = Math.sqrt(foldLoss.reduce((a, b) => a + (b - meanLoss) ** 2, 0) / Math.max(1, foldLoss.length - 1));
  const foldRows = results.map((r) => {
    const f = folds[r.index];
    return {
      index: r.index, ...f.boundaries, trainGames: r.trainRows, innerValidGames: r.innerValidRows, testGames: f.test.length,
      purged: f.purged, embargoed: f.embargoed, testSeason: f.testSeason, bestIteration: r.bestIteration,
      logLoss: r.metrics.logLoss, accuracy: r.metrics.accuracy, auc: r.metrics.auc, brier: r.metrics.brier, ece: r.metrics.ece,
    };
  });
  const metrics: MetricPoint[] = [
    ...evaluationMetrics(evaluation),
    { key: 'foldLogLossMean', value: meanLoss },
    { key: 'foldLogLossStd', value: sdLoss },
    { key: 'folds', value: results.length },
    ...results.flatMap((r) => [
      { key: 'fold.logLoss', value: r.metrics.logLoss, step: r.index + 1 },
      { key: 'fold.accuracy', value: r.metrics.accuracy, step: r.index + 1 },
      { key: 'fold.auc', value: r.metrics.auc, step: r.index + 1 },
      { key: 'fold.bestIteration', value: r.bestIteration, step: r.index + 1 },
    ]),
  ];
  const oofCsv = ['game_id,date,season,fold,label,p', ...Array.from(covered, (i) => `${m.gameIds[i]},${m.dates[i]},${m.seasons[i]},${foldOf[i] + 1},${m.label[i]},${oof[i]}`)].join('\n');
  const value: Omit<CvOutcome, 'runId'> = {
    name,
    scheme: input.scheme,
    folds: foldRows.map((f) => ({
      index: f.index, trainStart: f.trainStart, trainEnd: f.trainEnd, testStart: f.testStart, testEnd: f.testEnd, trainGames: f.trainGames, testGames: f.testGames,
      purged: f.purged, embargoed: f.embargoed, bestIteration: f.bestIteration, logLoss: f.logLoss, accuracy: f.accuracy, auc: f.auc,
    })),
    metrics: { ...evaluation.metrics, foldLogLossMean: meanLoss, foldLogLossStd: sdLoss },
    market: evaluation.market ? { games: evaluation.market.games, logLoss: evaluation.market.market.logLoss, accuracy: evaluation.market.market.accuracy } : null,
    durationMs: Date.now() - started,
  };
  return {
    value,
    results: {
      metrics,
      artifacts: [
        { name: 'folds.json', mediaType: 'application/json', content: JSON.stringify({ scheme: input.scheme, folds: foldRows }) },
        { name: 'importance.json', mediaType: 'application/json', content: JSON.stringify(importanceArtifact(m.featureNames, results.map((r) => ({ gain: r.importanceGain, split: r.importanceSplit })))) },
        { name: 'calibration.json', mediaType: 'application/json', content: JSON.stringify({ evaluatedOn: 'out-of-fold', bins: evaluation.reliability }) },
        { name: 'market.json', mediaType: 'application/json', content: JSON.stringify(evaluation.market) },
        { name: 'oof.csv', mediaType: 'text/csv', content: `${oofCsv}\n` },
      ],
      children: foldRows.map((f, k) => ({
        name: `${name} fold ${f.index + 1}`,
        kind: 'cv-fold' as const,
        target: s.target,
        featureSet: s.features,
        seed: s.seed,
        synthetic: m.synthetic,
        params: { fold: f.index + 1, trainStart: f.trainStart, trainEnd: f.trainEnd, testStart: f.testStart, testEnd: f.testEnd, testSeason: f.testSeason ?? '' },
        metrics: [
          ...Object.entries(results[k].metrics).map(([key, v]) => ({ key, value: v })),
          { key: 'bestIteration', value: f.bestIteration },
          { key: 'trainGames', value: f.trainGames },
          { key: 'purged', value: f.purged },
          { key: 'embargoed', value: f.embargoed },
          ...Array.from(results[k].validCurve, (v, i) => ({ key: 'innerValid.binary_logloss', value: v, step: i + 1 })),
        ],
        artifacts: [{ name: 'calibration.json', mediaType: 'application/json' as const, content: JSON.stringify({ evaluatedOn: 'test fold', bins: results[k].reliability }) }],
      })),
    },
  };
}
