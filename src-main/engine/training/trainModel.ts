import type { TrainPayload, TrainTaskResult } from '../../../src-workers/tasks/train';
import { BullpenError, inputError } from '../../shared/errors';
import { MODEL_NAME_MAX_LENGTH, MODEL_NAME_PATTERN, MODEL_NAME_RULE } from '../../shared/modelName';
import { loadFeatureMatrix, parseSeasons, type Target } from '../modeling/featureMatrix';
import type { JobContext } from '../jobs/jobContext';
import { findModel } from '../tracking/modelStore';
import { RunStore } from '../tracking/runStore';
import { trackRun } from '../tracking/trackRun';
import type { MetricPoint } from '../tracking/runTypes';
import type { WorkerPool } from '../workers/workerPool';
import type { Workspace } from '../workspace/workspace';
import { assertFeatureSet, assertLightgbmParams, assertSeasonsHaveGames } from '../modeling/jobPrechecks';
import { DEFAULT_EARLY_STOPPING_ROUNDS, DEFAULT_NUM_BOOST_ROUND, DEFAULT_ROUNDS_WITHOUT_VALIDATION, DEFAULT_SEED, resolveParams } from '../modeling/defaultParams';
import { evaluate, evaluationMetrics } from './evaluate';
import { importanceArtifact } from './importance';
import { marketPrices, matrixHash, rowsOfSeasons, takeRows, takeValues } from '../modeling/matrixRows';

export interface TrainInput {
  target: Target;
  features: string;
  train: string;
  valid?: string;
  params?: Record<string, unknown>;
  name?: string;
  seed?: number;
  numBoostRound?: number;
  earlyStoppingRounds?: number;
  tags?: Record<string, string>;
}

export interface TrainOutcome {
  runId: string;
  modelName: string;
  bestIteration: number;
  iterations: number;
  games: { train: number; valid: number };
  /** Which rows the metrics are on: the validation window, or the training rows (in-sample) without one. */
  evaluatedOn: 'valid' | 'train';
  metrics: Record<string, number>;
  market: { games: number; logLoss: number; accuracy: number } | null;
  durationMs: number;
}

export interface EngineDeps {
  workspace: Workspace;
  pool: WorkerPool;
}

/** Share of the progress bar spent before boosting starts (building the matrix). */
const PREPARE_SHARE = 0.1;


/** A name when none is given, kept within the name rule (seasons like `2000-2010,2012` carry a comma). */
function defaultModelName(input: Pick<TrainInput, 'target' | 'features' | 'train'>): string {
  const stamp = Date.now().toString(36);
  const base = `${input.target}-${input.features}-${input.train}`.replace(/[^A-Za-z0-9_.-]+/g, '_');
  return `${base.slice(0, MODEL_NAME_MAX_LENGTH - stamp.length - 1)}-${stamp}`;
}

/** Refusals checked before the job starts: a name taken, seasons without games, an unknown set, bad parameters. */
export async function precheckTrain(deps: EngineDeps, input: Pick<TrainInput, 'name' | 'train' | 'valid' | 'features' | 'params'>): Promise<void> {
  if (input.name && (await findModel(deps.workspace, input.name))) {
    throw new BullpenError('conflict', 'MODEL_EXISTS', `a model named ${input.name} exists already: choose another --name`, { name: input.name });
  }
  const trainSeasons = await assertSeasonsHaveGames(deps.workspace, input.train, '--train', true);
  const validSeasons = await assertSeasonsHaveGames(deps.workspace, input.valid, '--valid', true);
  assertWindows(input, trainSeasons, validSeasons);
  const cols = await assertFeatureSet(deps.workspace, input.features);
  await assertLightgbmParams(deps.pool, input.params, cols);
}

/** The validation window must be separate from, and later than, the training window. */
function assertWindows(input: Pick<TrainInput, 'train' | 'valid'>, trainSeasons: number[], validSeasons: number[]): void {
  const overlap = trainSeasons.filter((s) => validSeasons.includes(s));
  if (overlap.length) throw inputError('SEASONS_OVERLAP', `--train and --valid share seasons ${overlap.join(', ')}: the validation window must be separate`, { overlap });
  if (validSeasons.length && Math.min(...validSeasons) <= Math.max(...trainSeasons)) {
    throw inputError('VALID_NOT_AFTER_TRAIN', `--valid ${input.valid} must come after --train ${input.train}: early stopping on earlier games would tune the model on the past`, {});
  }
}

/**
 * `bullpen ml train`: builds the matrix from the workspace, trains in a worker with early stopping on the
 * validation window, and records a run with the model, importance, curves and metrics next to the market.
 */
export async function trainModel(deps: EngineDeps, input: TrainInput, ctx: JobContext): Promise<TrainOutcome> {
  const started = Date.now();
  const trainSeasons = parseSeasons(input.train) ?? [];
  const validSeasons = parseSeasons(input.valid) ?? [];
  assertWindows(input, trainSeasons, validSeasons);
  const seed = input.seed ?? DEFAULT_SEED;
  const modelName = input.name ?? defaultModelName(input);
  if (!MODEL_NAME_PATTERN.test(modelName)) throw inputError('BAD_MODEL_NAME', `model name "${modelName}" ${MODEL_NAME_RULE}`, { name: modelName });
  if (await findModel(deps.workspace, modelName)) {
    throw new BullpenError('conflict', 'MODEL_EXISTS', `a model named ${modelName} exists already: choose another --name`, { name: modelName });
  }
  ctx.progress(0.01, 'building the feature matrix');
  const matrix = await loadFeatureMatrix(deps.workspace, { set: input.features, target: input.target, seasons: [...trainSeasons, ...validSeasons] });
  ctx.throwIfCancelled();
  const trainRows = rowsOfSeasons(matrix, trainSeasons);
  const validRows = rowsOfSeasons(matrix, validSeasons);
  if (trainRows.length === 0) throw inputError('NO_TRAINING_GAMES', `no labelled games in seasons ${input.train} for target ${input.target}: import or build data first (bullpen data status)`, { seasons: input.train });
  if (validSeasons.length && validRows.length === 0) throw inputError('NO_VALIDATION_GAMES', `no labelled games in --valid ${input.valid}`, { seasons: input.valid });
  const params = resolveParams(input.params, seed);
  const numBoostRound = input.numBoostRound ?? (validRows.length ? DEFAULT_NUM_BOOST_ROUND : DEFAULT_ROUNDS_WITHOUT_VALIDATION);
  const earlyStoppingRounds = validRows.length ? (input.earlyStoppingRounds ?? DEFAULT_EARLY_STOPPING_ROUNDS) : null;
  const allRows = Int32Array.from([...trainRows, ...validRows]);
  const store = new RunStore(deps.workspace);

  return trackRun(
    store,
    {
      name: modelName,
      kind: 'train',
      jobId: ctx.id,
      target: input.target,
      featureSet: input.features,
      featureVersions: matrix.featureVersions,
      dataHash: matrixHash(matrix, allRows),
      seed,
      synthetic: matrix.synthetic,
      params: { ...params, numBoostRound, earlyStoppingRounds, trainSeasons: input.train, validSeasons: input.valid ?? '', numThreads: deps.pool.threadsPerTask, materialization: matrix.materializationId },
      tags: { ...(input.tags ?? {}), ...(matrix.synthetic ? { synthetic: 'true' } : {}) },
    },
    ctx.signal,
    async () => {
      const train = takeRows(matrix, trainRows);
      const valid = validRows.length ? takeRows(matrix, validRows) : null;
      const payload: TrainPayload = {
        params, numBoostRound, earlyStoppingRounds, numThreads: deps.pool.threadsPerTask, cols: matrix.cols, featureNames: matrix.featureNames,
        train: { x: train.x, y: train.y, rows: trainRows.length },
        valid: valid ? { x: valid.x, y: valid.y, rows: validRows.length } : null,
      };
      ctx.progress(PREPARE_SHARE, `training on ${trainRows.length} games${valid ? `, early stopping on ${validRows.length}` : ''}`);
      const out = await deps.pool.run<TrainTaskResult>('train', payload, {
        transferList: [train.x.buffer, train.y.buffer, ...(valid ? [valid.x.buffer, valid.y.buffer] : [])],
        signal: ctx.signal,
        onProgress: (f, message) => ctx.progress(PREPARE_SHARE + (1 - PREPARE_SHARE - 0.02) * f, message),
      });
      ctx.throwIfCancelled();
      const evalRows = valid ? validRows : trainRows;
      const pred = valid ? out.validPred : out.trainPred;
      const [priceA, priceB] = marketPrices(matrix).close;
      const evaluation = evaluate(takeValues(matrix.label, evalRows), pred, takeValues(priceA, evalRows), takeValues(priceB, evalRows));
      const trainEval = evaluate(takeValues(matrix.label, trainRows), out.trainPred, takeValues(priceA, trainRows), takeValues(priceB, trainRows));
      const metrics: MetricPoint[] = [
        ...evaluationMetrics(evaluation),
        { key: 'trainLogLoss', value: trainEval.metrics.logLoss },
        { key: 'trainAccuracy', value: trainEval.metrics.accuracy },
        { key: 'bestIteration', value: out.bestIteration },
        { key: 'trainGames', value: trainRows.length },
        { key: 'validGames', value: validRows.length },
        ...out.curves.flatMap((c) => Array.from(c.values, (value, i) => ({ key: c.name, value, step: i + 1 }))),
      ];
      const lastTrainingDate = matrix.dates[allRows[allRows.length - 1]];
      const value = {
        modelName,
        bestIteration: out.bestIteration,
        iterations: out.iterations,
        games: { train: trainRows.length, valid: validRows.length },
        evaluatedOn: valid ? ('valid' as const) : ('train' as const),
        metrics: { ...evaluation.metrics },
        market: evaluation.market ? { games: evaluation.market.games, logLoss: evaluation.market.market.logLoss, accuracy: evaluation.market.market.accuracy } : null,
        durationMs: Date.now() - started,
      };
      return {
        value,
        results: {
          metrics,
          tags: { evaluatedOn: value.evaluatedOn },
          artifacts: [
            { name: 'model.lgb', mediaType: 'text/plain', content: out.modelText },
            { name: 'importance.json', mediaType: 'application/json', content: JSON.stringify(importanceArtifact(matrix.featureNames, [{ gain: out.importanceGain, split: out.importanceSplit }])) },
            { name: 'calibration.json', mediaType: 'application/json', content: JSON.stringify({ evaluatedOn: value.evaluatedOn, bins: evaluation.reliability }) },
            { name: 'market.json', mediaType: 'application/json', content: JSON.stringify(evaluation.market) },
          ],
          model: {
            name: modelName, target: input.target, featureSet: input.features, featureNames: matrix.featureNames, featureVersions: matrix.featureVersions,
            seasons: [...trainSeasons, ...validSeasons], lastTrainingDate, bestIteration: out.bestIteration,
          },
        },
      };
    },
  );
}
