import type { Fold } from '../../../../src-workers/compute/cv';
import type { CvFoldResult } from '../../../../src-workers/tasks/cvFold';
import type { CvFold, JobResultValue } from '../../../shared/results';
import type { CvScheme } from '../../../shared/vocabulary';
import type { LgbParams } from '../../modeling/defaultParams';
import type { FeatureMatrix, Target } from '../../modeling/featureMatrix';
import { marketPrices, matrixHash, takeValues } from '../../modeling/matrixRows';
import type { MetricPoint, RunResults, RunStart } from '../../tracking/runTypes';
import { evaluate, evaluationMetrics, marketSummary } from '../../training/evaluate';
import { importanceArtifact } from '../../training/importance';

/** The options of a CV that decide its folds and its record (the job's input, less what only the job uses). */
export interface CvOptions {
  model?: string;
  seasons?: string;
  scheme: CvScheme;
  splits: number;
  trainDays: number;
  testDays: number;
  gap: number;
  embargo: number;
}

/** The `ml.cv` job's result (shared/results); its folds are the rows of folds.json. */
export type CvOutcome = JobResultValue<'ml.cv'>;

/** What every fold trains with: from a model's training run, or from the CV's own options. */
export interface CvSetup {
  target: Target;
  features: string;
  params: LgbParams;
  numBoostRound: number;
  earlyStoppingRounds: number | null;
  seed: number;
}

/** The run a CV records when it starts: the training settings, the splitter's options, and the data it saw. */
export function cvRunStart(m: FeatureMatrix, s: CvSetup, input: CvOptions, name: string, jobId: string, numThreads: number): RunStart {
  return {
    name,
    kind: 'cv',
    jobId,
    target: s.target,
    featureSet: s.features,
    featureVersions: m.featureVersions,
    dataHash: matrixHash(
      m,
      Int32Array.from({ length: m.rows }, (_v, i) => i),
    ),
    seed: s.seed,
    synthetic: m.synthetic,
    params: {
      ...s.params,
      numBoostRound: s.numBoostRound,
      earlyStoppingRounds: s.earlyStoppingRounds,
      scheme: input.scheme,
      splits: input.splits,
      trainDays: input.trainDays,
      testDays: input.testDays,
      gap: input.gap,
      embargo: input.embargo,
      seasons: input.seasons ?? 'all',
      model: input.model ?? '',
      numThreads,
    },
    tags: m.synthetic ? { synthetic: 'true' } : {},
  };
}

/**
 * What a finished CV produced, from the workers' fold results: out-of-fold predictions and their metrics
 * next to the market, the fold rows, per-fold importance and calibration, and a child run per fold. Pure.
 */
export function buildCvResults(
  m: FeatureMatrix,
  folds: Fold[],
  results: CvFoldResult[],
  name: string,
  input: Pick<CvOptions, 'scheme'>,
  s: CvSetup,
  durationMs: number,
): { value: Omit<CvOutcome, 'runId'>; results: RunResults } {
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
  const evaluation = evaluate(
    takeValues(m.label, covered),
    takeValues(oof, covered),
    takeValues(priceA, covered),
    takeValues(priceB, covered),
  );
  const foldLoss = results.map((r) => r.metrics.logLoss);
  const meanLoss = foldLoss.reduce((a, b) => a + b, 0) / foldLoss.length;
  const sdLoss = Math.sqrt(foldLoss.reduce((a, b) => a + (b - meanLoss) ** 2, 0) / Math.max(1, foldLoss.length - 1));
  const foldRows = results.map((r): CvFold => {
    const f = folds[r.index];
    return {
      index: r.index,
      ...f.boundaries,
      trainGames: r.trainRows,
      innerValidGames: r.innerValidRows,
      testGames: f.test.length,
      purged: f.purged,
      embargoed: f.embargoed,
      testSeason: f.testSeason,
      bestIteration: r.bestIteration,
      logLoss: r.metrics.logLoss,
      accuracy: r.metrics.accuracy,
      auc: r.metrics.auc,
      brier: r.metrics.brier,
      ece: r.metrics.ece,
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
  const oofRows = Array.from(covered, (i) => ({
    gameId: m.gameIds[i],
    date: m.dates[i],
    season: m.seasons[i],
    fold: foldOf[i] + 1,
    label: m.label[i],
    p: oof[i],
  }));
  const value: Omit<CvOutcome, 'runId'> = {
    name,
    scheme: input.scheme,
    folds: foldRows,
    metrics: { ...evaluation.metrics, foldLogLossMean: meanLoss, foldLogLossStd: sdLoss },
    market: marketSummary(evaluation),
    durationMs,
  };
  return {
    value,
    results: {
      metrics,
      artifacts: [
        { name: 'folds.json', value: { scheme: input.scheme, folds: foldRows } },
        {
          name: 'importance.json',
          value: importanceArtifact(
            m.featureNames,
            results.map((r) => ({ gain: r.importanceGain, split: r.importanceSplit })),
          ),
        },
        { name: 'calibration.json', value: { evaluatedOn: 'out-of-fold', bins: evaluation.reliability } },
        { name: 'market.json', value: evaluation.market },
        { name: 'oof.csv', value: oofRows },
      ],
      children: foldRows.map((f, k) => ({
        name: `${name} fold ${f.index + 1}`,
        kind: 'cv-fold' as const,
        target: s.target,
        featureSet: s.features,
        seed: s.seed,
        synthetic: m.synthetic,
        params: {
          fold: f.index + 1,
          trainStart: f.trainStart,
          trainEnd: f.trainEnd,
          testStart: f.testStart,
          testEnd: f.testEnd,
          testSeason: f.testSeason ?? '',
        },
        metrics: [
          ...Object.entries(results[k].metrics).map(([key, v]) => ({ key, value: v })),
          { key: 'bestIteration', value: f.bestIteration },
          { key: 'trainGames', value: f.trainGames },
          { key: 'purged', value: f.purged },
          { key: 'embargoed', value: f.embargoed },
          ...Array.from(results[k].validCurve, (v, i) => ({ key: 'innerValid.binary_logloss', value: v, step: i + 1 })),
        ],
        artifacts: [{ name: 'calibration.json' as const, value: { evaluatedOn: 'test fold' as const, bins: results[k].reliability } }],
      })),
    },
  };
}
