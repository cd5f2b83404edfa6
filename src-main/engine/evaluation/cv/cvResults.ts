import { binomial, dayToIso, type CpcvPlan, type Fold } from '../../../../src-workers/compute/cv';
import { reliabilityCurve } from '../../../../src-workers/compute/metrics';
import type { CvFoldResult } from '../../../../src-workers/tasks/cvFold';
import type { CvFold, CvPathsArtifact, JobResultValue, OofRow } from '../../../shared/results';
import { CPCV_DEFAULTS, type CvScheme } from '../../../shared/vocabulary';
import type { LgbParams } from '../../modeling/defaultParams';
import type { FeatureMatrix, Target } from '../../modeling/featureMatrix';
import { marketPrices, matrixHash, takeValues } from '../../modeling/matrixRows';
import type { MetricPoint, RunResults, RunStart } from '../../tracking/runTypes';
import { evaluate, evaluationMetrics, marketSummary, type Evaluation } from '../../training/evaluate';
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
  /** cpcv only: N date groups and k test groups per split (defaults CPCV_DEFAULTS). */
  groups?: number;
  testGroups?: number;
}

/** A cpcv's N and k with their defaults applied. */
export function cpcvShape(input: Pick<CvOptions, 'groups' | 'testGroups'>): { groups: number; testGroups: number } {
  return { groups: input.groups ?? CPCV_DEFAULTS.groups, testGroups: input.testGroups ?? CPCV_DEFAULTS.testGroups };
}

/** What a cpcv adds to its folds: the date groups, each split's test groups and the backtest paths. */
export type CpcvLayout = Pick<CpcvPlan, 'groups' | 'splits' | 'paths'>;

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
      // A cpcv is shaped by N and k (its splits are C(N, k)); the day windows of the forward schemes do not apply.
      ...(input.scheme === 'cpcv' ? cpcvParams(input) : { splits: input.splits, trainDays: input.trainDays, testDays: input.testDays }),
      gap: input.gap,
      embargo: input.embargo,
      seasons: input.seasons ?? 'all',
      model: input.model ?? '',
      numThreads,
    },
    tags: m.synthetic ? { synthetic: 'true' } : {},
  };
}

function cpcvParams(input: Pick<CvOptions, 'groups' | 'testGroups'>): Record<string, number> {
  const { groups, testGroups } = cpcvShape(input);
  const splits = binomial(groups, testGroups);
  return { groups, testGroups, splits, paths: (testGroups * splits) / groups };
}

/** The mean of same-shaped metric records (numbers averaged field by field; a null anywhere stays null). */
function meanOver<T>(values: T[]): T {
  const first = values[0];
  if (typeof first === 'number') return ((values as number[]).reduce((a, b) => a + b, 0) / values.length) as T;
  if (first === null || typeof first !== 'object' || values.some((v) => v === null)) return first;
  return Object.fromEntries(Object.keys(first).map((k) => [k, meanOver(values.map((v) => (v as Record<string, unknown>)[k]))])) as T;
}

/** The `paths.json` of a cpcv run: its groups as dates, each split's test groups, the paths. */
export function cvPathsArtifact(layout: CpcvLayout): CvPathsArtifact {
  return {
    groups: layout.groups.map((g) => ({ index: g.index, start: dayToIso(g.start), end: dayToIso(g.end), games: g.games })),
    testGroups: layout.splits[0].length,
    splits: layout.splits.map((testGroups, index) => ({ index, testGroups })),
    paths: layout.paths,
  };
}

/**
 * A cpcv's out-of-fold predictions and their evaluation. Every game has one prediction per split that
 * tested its group (φ of them): oof.csv keeps each (fold = split index + 1). The headline metrics are the
 * mean over the φ backtest paths of each path's metrics (a path predicts every game once, like an ordinary
 * CV); for log loss, Brier and accuracy that equals the metric over all out-of-fold rows. The reliability
 * diagram pools every out-of-fold row.
 */
function cpcvPredictions(
  m: FeatureMatrix,
  folds: Fold[],
  results: CvFoldResult[],
  layout: CpcvLayout,
): { evaluation: Evaluation; oofRows: OofRow[] } {
  const groups = layout.groups.map((g) => ({ start: dayToIso(g.start), end: dayToIso(g.end) }));
  const groupOf = Int32Array.from(m.dates, (d) => groups.findIndex((g) => d >= g.start && d <= g.end));
  // pathOfSplit[g].get(s) = the path that takes split s's predictions for group g.
  const pathOfSplit = layout.groups.map((_g, g) => new Map(layout.paths.map((path, j) => [path[g], j])));
  const pathP = layout.paths.map(() => new Float64Array(m.rows).fill(Number.NaN));
  for (const r of results) {
    folds[r.index].test.forEach((row, i) => {
      const j = pathOfSplit[groupOf[row]]?.get(r.index);
      if (j !== undefined) pathP[j][row] = r.pred[i];
    });
  }
  const covered = Int32Array.from({ length: m.rows }, (_v, i) => i).filter((i) => pathP.every((p) => !Number.isNaN(p[i])));
  const [priceA, priceB] = marketPrices(m).close;
  const y = takeValues(m.label, covered);
  const perPath = pathP.map((p) => evaluate(y, takeValues(p, covered), takeValues(priceA, covered), takeValues(priceB, covered)));
  const pooledY = new Float64Array(covered.length * pathP.length);
  const pooledP = new Float64Array(covered.length * pathP.length);
  pathP.forEach((p, j) => {
    pooledY.set(y, j * covered.length);
    pooledP.set(takeValues(p, covered), j * covered.length);
  });
  const evaluation: Evaluation = {
    metrics: meanOver(perPath.map((e) => e.metrics)),
    market: meanOver(perPath.map((e) => e.market)),
    reliability: reliabilityCurve(pooledY, pooledP),
  };
  // Paths take a group's splits in split order, so walking the paths lists each game's rows by fold.
  const oofRows = Array.from(covered).flatMap((i) =>
    layout.paths.map((path, j) => ({
      gameId: m.gameIds[i],
      date: m.dates[i],
      season: m.seasons[i],
      fold: path[groupOf[i]] + 1,
      label: m.label[i],
      p: pathP[j][i],
    })),
  );
  return { evaluation, oofRows };
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
  cpcv: CpcvLayout | null = null,
): { value: Omit<CvOutcome, 'runId'>; results: RunResults } {
  const { evaluation, oofRows } = cpcv ? cpcvPredictions(m, folds, results, cpcv) : forwardPredictions(m, folds, results);
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
      ...(cpcv
        ? {
            testGroups: cpcv.splits[r.index],
            testWindows: f.testWindows.map((w) => ({ start: dayToIso(w.start), end: dayToIso(w.end) })),
          }
        : {}),
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
  const value: Omit<CvOutcome, 'runId'> = {
    name,
    scheme: input.scheme,
    folds: foldRows,
    metricsOn: cpcv ? 'mean over paths' : 'out-of-fold',
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
        ...(cpcv ? [{ name: 'paths.json' as const, value: cvPathsArtifact(cpcv) }] : []),
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

/** The forward schemes' out-of-fold predictions: each test game once, evaluated as they stand. */
function forwardPredictions(m: FeatureMatrix, folds: Fold[], results: CvFoldResult[]): { evaluation: Evaluation; oofRows: OofRow[] } {
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
  const oofRows = Array.from(covered, (i) => ({
    gameId: m.gameIds[i],
    date: m.dates[i],
    season: m.seasons[i],
    fold: foldOf[i] + 1,
    label: m.label[i],
    p: oof[i],
  }));
  return { evaluation, oofRows };
}
