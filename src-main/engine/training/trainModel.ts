import type { TrainPayload } from '../../../src-workers/tasks/train';
import { BullpenError, inputError } from '../../shared/errors';
import type { JobResultValue } from '../../shared/results';
import { MODEL_NAME_MAX_LENGTH, MODEL_NAME_PATTERN, MODEL_NAME_RULE } from '../../shared/modelName';
import { loadFeatureMatrix, parseSeasons, type Target } from '../modeling/featureMatrix';
import type { JobContext } from '../jobs/jobContext';
import { trackRun } from '../tracking/trackRun';
import type { EngineDeps } from '../engineDeps';
import { startJob, type JobSpec } from '../jobs/jobSpec';
import { validateJob } from '../validation/validateModel';
import { assertLightgbmParams, assertSeasonsHaveGames } from '../modeling/jobPrechecks';
import {
  DEFAULT_EARLY_STOPPING_ROUNDS,
  DEFAULT_NUM_BOOST_ROUND,
  DEFAULT_ROUNDS_WITHOUT_VALIDATION,
  DEFAULT_SEED,
  resolveParams,
} from '../modeling/defaultParams';
import { rowsOfSeasons, takeRows } from '../modeling/matrixRows';
import { buildTrainResults, trainRunStart, type TrainPlan } from './trainResults';

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
  /** Validate the model once trained; undefined follows the policy's autoValidate. */
  validate?: boolean;
}

/** The `ml.train` job's result (shared/results: the contract and every client read the same schema). */
export type TrainOutcome = JobResultValue<'ml.train'>;

/** Share of the progress bar spent before boosting starts (building the matrix). */
const PREPARE_SHARE = 0.1;

/** A name when none is given, kept within the name rule (seasons like `2000-2010,2012` carry a comma). */
function defaultModelName(input: Pick<TrainInput, 'target' | 'features' | 'train'>): string {
  const stamp = Date.now().toString(36);
  const base = `${input.target}-${input.features}-${input.train}`.replace(/[^A-Za-z0-9_.-]+/g, '_');
  return `${base.slice(0, MODEL_NAME_MAX_LENGTH - stamp.length - 1)}-${stamp}`;
}

/** Refusals checked before the job starts: a name taken, seasons without games, an unknown set, bad parameters. */
export async function precheckTrain(
  deps: EngineDeps,
  input: Pick<TrainInput, 'name' | 'train' | 'valid' | 'features' | 'params'>,
): Promise<void> {
  if (input.name && (await deps.models.find(input.name))) {
    throw new BullpenError('conflict', 'MODEL_EXISTS', `a model named ${input.name} exists already: choose another --name`, {
      name: input.name,
    });
  }
  const trainSeasons = await assertSeasonsHaveGames(deps.data, input.train, '--train', true);
  const validSeasons = await assertSeasonsHaveGames(deps.data, input.valid, '--valid', true);
  assertWindows(input, trainSeasons, validSeasons);
  const cols = await deps.features.setSize(input.features);
  await assertLightgbmParams(deps.pool, input.params, cols);
}

/** The validation window must be separate from, and later than, the training window. */
function assertWindows(input: Pick<TrainInput, 'train' | 'valid'>, trainSeasons: number[], validSeasons: number[]): void {
  const overlap = trainSeasons.filter((s) => validSeasons.includes(s));
  if (overlap.length)
    throw inputError('SEASONS_OVERLAP', `--train and --valid share seasons ${overlap.join(', ')}: the validation window must be separate`, {
      overlap,
    });
  if (validSeasons.length && Math.min(...validSeasons) <= Math.max(...trainSeasons)) {
    throw inputError(
      'VALID_NOT_AFTER_TRAIN',
      `--valid ${input.valid} must come after --train ${input.train}: early stopping on earlier games would tune the model on the past`,
      {},
    );
  }
}

/**
 * `bullpen ml train`: builds the matrix from the workspace, trains in a worker with early stopping on the
 * validation window, and records a run with the model, importance, curves and metrics next to the market
 * (built by trainResults.ts).
 */
export async function trainModel(deps: EngineDeps, input: TrainInput, ctx: JobContext): Promise<TrainOutcome> {
  const started = Date.now();
  const trainSeasons = parseSeasons(input.train) ?? [];
  const validSeasons = parseSeasons(input.valid) ?? [];
  assertWindows(input, trainSeasons, validSeasons);
  const seed = input.seed ?? DEFAULT_SEED;
  const modelName = input.name ?? defaultModelName(input);
  if (!MODEL_NAME_PATTERN.test(modelName))
    throw inputError('BAD_MODEL_NAME', `model name "${modelName}" ${MODEL_NAME_RULE}`, { name: modelName });
  if (await deps.models.find(modelName)) {
    throw new BullpenError('conflict', 'MODEL_EXISTS', `a model named ${modelName} exists already: choose another --name`, {
      name: modelName,
    });
  }
  ctx.progress(0.01, 'building the feature matrix');
  const matrix = await loadFeatureMatrix(deps.workspace, {
    set: input.features,
    target: input.target,
    seasons: [...trainSeasons, ...validSeasons],
  });
  ctx.throwIfCancelled();
  const trainRows = rowsOfSeasons(matrix, trainSeasons);
  const validRows = rowsOfSeasons(matrix, validSeasons);
  if (trainRows.length === 0)
    throw inputError(
      'NO_TRAINING_GAMES',
      `no labelled games in seasons ${input.train} for target ${input.target}: import or build data first (bullpen data status)`,
      { seasons: input.train },
    );
  if (validSeasons.length && validRows.length === 0)
    throw inputError('NO_VALIDATION_GAMES', `no labelled games in --valid ${input.valid}`, { seasons: input.valid });
  const plan: TrainPlan = {
    modelName,
    trainText: input.train,
    validText: input.valid,
    trainSeasons,
    validSeasons,
    trainRows,
    validRows,
    seed,
    params: resolveParams(input.params, seed),
    numBoostRound: input.numBoostRound ?? (validRows.length ? DEFAULT_NUM_BOOST_ROUND : DEFAULT_ROUNDS_WITHOUT_VALIDATION),
    earlyStoppingRounds: validRows.length ? (input.earlyStoppingRounds ?? DEFAULT_EARLY_STOPPING_ROUNDS) : null,
    numThreads: deps.pool.threadsPerTask,
  };

  return trackRun(deps.runs, trainRunStart(matrix, plan, input, ctx.id), ctx.signal, async () => {
    const train = takeRows(matrix, trainRows);
    const valid = validRows.length ? takeRows(matrix, validRows) : null;
    const payload: TrainPayload = {
      params: plan.params,
      numBoostRound: plan.numBoostRound,
      earlyStoppingRounds: plan.earlyStoppingRounds,
      numThreads: plan.numThreads,
      cols: matrix.cols,
      featureNames: matrix.featureNames,
      train: { x: train.x, y: train.y, rows: trainRows.length },
      valid: valid ? { x: valid.x, y: valid.y, rows: validRows.length } : null,
    };
    ctx.progress(PREPARE_SHARE, `training on ${trainRows.length} games${valid ? `, early stopping on ${validRows.length}` : ''}`);
    const out = await deps.pool.run('train', payload, {
      transferList: [train.x.buffer, train.y.buffer, ...(valid ? [valid.x.buffer, valid.y.buffer] : [])],
      signal: ctx.signal,
      onProgress: (f, message) => ctx.progress(PREPARE_SHARE + (1 - PREPARE_SHARE - 0.02) * f, message),
    });
    ctx.throwIfCancelled();
    return buildTrainResults(matrix, plan, input, out, Date.now() - started);
  });
}

/**
 * Training, then (unless told not to, or the policy's autoValidate is off) the model's validation as a
 * job of its own: the training's result is complete without it, and its id says which job to follow.
 */
async function trainThenValidate(deps: EngineDeps, input: TrainInput, ctx: JobContext): Promise<TrainOutcome> {
  const out = await trainModel(deps, input, ctx);
  const validate = input.validate ?? (await deps.validations.policy()).policy.autoValidate;
  if (!validate) return { ...out, validationJobId: null };
  try {
    const job = await startJob(deps.jobs, deps, validateJob, { model: out.modelName });
    return { ...out, validationJobId: job.id };
  } catch (err) {
    // A policy that no longer parses must not lose the trained model: say why nothing was validated.
    ctx.log(`the model was not validated: ${err instanceof Error ? err.message : String(err)}`);
    return { ...out, validationJobId: null };
  }
}

/** `ml.train` as a job: refused before it starts when precheckTrain says so. */
export const trainJob: JobSpec<EngineDeps, TrainInput, 'ml.train'> = { kind: 'ml.train', precheck: precheckTrain, run: trainThenValidate };
