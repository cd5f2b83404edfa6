import type { TrainTaskResult } from '../../../src-workers/tasks/train';
import type { JobResultValue } from '../../shared/results';
import type { LgbParams } from '../modeling/defaultParams';
import type { FeatureMatrix } from '../modeling/featureMatrix';
import { marketPrices, matrixHash, takeValues } from '../modeling/matrixRows';
import type { MetricPoint, ParamValue, RunParams, RunResults, RunStart } from '../tracking/runTypes';
import { evaluate, evaluationMetrics, marketSummary } from './evaluate';
import { importanceArtifact } from './importance';

/** Everything a training run was decided with, before any boosting: the pure builders below read only this and the matrix. */
export interface TrainPlan {
  modelName: string;
  /** The seasons as the user wrote them (recorded as text: "2016" stays a string). */
  trainText: string;
  validText: string | undefined;
  trainSeasons: number[];
  validSeasons: number[];
  /** Matrix rows of the training and validation windows, in date order. */
  trainRows: Int32Array;
  validRows: Int32Array;
  params: LgbParams;
  numBoostRound: number;
  /** Null without a validation window: nothing to stop on. */
  earlyStoppingRounds: number | null;
  seed: number;
  numThreads: number;
}

/** Keys the train job records beside LightGBM's own parameters; everything else in a train run's params is LightGBM's. */
const TRAIN_SETTING_KEYS = [
  'numBoostRound',
  'earlyStoppingRounds',
  'trainSeasons',
  'validSeasons',
  'numThreads',
  'materialization',
] as const;

/** The parameters a training run records: LightGBM's (with the seed), the boosting settings and the windows. */
export function trainRunParams(plan: TrainPlan, materializationId: string): Record<string, ParamValue | null> {
  return {
    ...plan.params,
    numBoostRound: plan.numBoostRound,
    earlyStoppingRounds: plan.earlyStoppingRounds,
    trainSeasons: plan.trainText,
    validSeasons: plan.validText ?? '',
    numThreads: plan.numThreads,
    materialization: materializationId,
  };
}

/** A training run's settings read back from its recorded parameters (a CV of a model trains the same way). */
export function trainingSettings(stored: RunParams): {
  lgb: LgbParams;
  numBoostRound?: number;
  earlyStoppingRounds?: number;
  seed?: number;
} {
  const lgb: LgbParams = {};
  for (const [key, value] of Object.entries(stored)) if (!(TRAIN_SETTING_KEYS as readonly string[]).includes(key)) lgb[key] = value;
  const number = (v: ParamValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
  return {
    lgb,
    numBoostRound: number(stored.numBoostRound),
    earlyStoppingRounds: number(stored.earlyStoppingRounds),
    seed: number(stored.seed),
  };
}

/** The run a training records when it starts. */
export function trainRunStart(
  m: FeatureMatrix,
  plan: TrainPlan,
  input: { target: string; features: string; tags?: Record<string, string> },
  jobId: string,
): RunStart {
  return {
    name: plan.modelName,
    kind: 'train',
    jobId,
    target: input.target,
    featureSet: input.features,
    featureVersions: m.featureVersions,
    dataHash: matrixHash(m, Int32Array.from([...plan.trainRows, ...plan.validRows])),
    seed: plan.seed,
    synthetic: m.synthetic,
    params: trainRunParams(plan, m.materializationId),
    tags: { ...(input.tags ?? {}), ...(m.synthetic ? { synthetic: 'true' } : {}) },
  };
}

/**
 * What a finished training produced, from the worker's model and predictions: the job's result and the
 * run's metrics (validation window, or in-sample without one, next to the market), curves, artifacts
 * and model record. Pure.
 */
export function buildTrainResults(
  m: FeatureMatrix,
  plan: TrainPlan,
  input: { target: string; features: string },
  out: TrainTaskResult,
  durationMs: number,
): { value: Omit<JobResultValue<'ml.train'>, 'runId'>; results: RunResults } {
  const { trainRows, validRows } = plan;
  const hasValid = validRows.length > 0;
  const evalRows = hasValid ? validRows : trainRows;
  const pred = hasValid ? out.validPred : out.trainPred;
  const [priceA, priceB] = marketPrices(m).close;
  const evaluation = evaluate(takeValues(m.label, evalRows), pred, takeValues(priceA, evalRows), takeValues(priceB, evalRows));
  const trainEval = evaluate(takeValues(m.label, trainRows), out.trainPred, takeValues(priceA, trainRows), takeValues(priceB, trainRows));
  const metrics: MetricPoint[] = [
    ...evaluationMetrics(evaluation),
    { key: 'trainLogLoss', value: trainEval.metrics.logLoss },
    { key: 'trainAccuracy', value: trainEval.metrics.accuracy },
    { key: 'bestIteration', value: out.bestIteration },
    { key: 'trainGames', value: trainRows.length },
    { key: 'validGames', value: validRows.length },
    ...out.curves.flatMap((c) => Array.from(c.values, (value, i) => ({ key: c.name, value, step: i + 1 }))),
  ];
  const lastRow = hasValid ? validRows[validRows.length - 1] : trainRows[trainRows.length - 1];
  const evaluatedOn = hasValid ? ('valid' as const) : ('train' as const);
  const value = {
    modelName: plan.modelName,
    bestIteration: out.bestIteration,
    iterations: out.iterations,
    games: { train: trainRows.length, valid: validRows.length },
    evaluatedOn,
    metrics: { ...evaluation.metrics },
    market: marketSummary(evaluation),
    durationMs,
  };
  return {
    value,
    results: {
      metrics,
      tags: { evaluatedOn },
      artifacts: [
        { name: 'model.lgb', value: out.modelText },
        { name: 'importance.json', value: importanceArtifact(m.featureNames, [{ gain: out.importanceGain, split: out.importanceSplit }]) },
        { name: 'calibration.json', value: { evaluatedOn, bins: evaluation.reliability } },
        { name: 'market.json', value: evaluation.market },
      ],
      model: {
        name: plan.modelName,
        target: input.target,
        featureSet: input.features,
        featureNames: m.featureNames,
        featureVersions: m.featureVersions,
        seasons: [...plan.trainSeasons, ...plan.validSeasons],
        lastTrainingDate: m.dates[lastRow],
        bestIteration: out.bestIteration,
      },
    },
  };
}
