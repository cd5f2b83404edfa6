import { BullpenError } from '../../../shared/errors';
import { decodeArtifact, type ValidationReport } from '../../../shared/results';
import type { BacktestPredictionRow } from '../../../shared/results/backtest';
import { HEALTH_CHECK_GAMES, HEALTH_CHECK_TOLERANCE, type HealthCheck } from '../../../shared/results/blueGreen';
import type { ModelService, StoredModel } from '../../tracking/modelService';
import type { RunService } from '../../tracking/runService';
import type { ValidationService } from '../../validation/validationService';
import type { WorkerPool } from '../../workers/workerPool';
import type { Workspace } from '../../workspace/workspace';
import { featureRows, MaterializationCache } from './featureRows';
import type { ModelBinding } from './servedModel';

export interface HealthCheckDeps {
  workspace: Workspace;
  pool: Pick<WorkerPool, 'run' | 'threadsPerTask'>;
  models: Pick<ModelService, 'text'>;
  runs: Pick<RunService, 'artifact'>;
  validations: Pick<ValidationService, 'list' | 'show'>;
}

/** How many of a model's validations are searched for the one of the bound training (newest first). */
const VALIDATION_LOOKBACK = 200;
/** Games named in a failed check's details (the largest differences first). */
const WORST_SHOWN = 5;

/** Why a health check failed, kept in the error's details so a script can tell them apart. */
export type HealthCheckCause = 'noValidation' | 'notOwnPredictions' | 'noPredictions' | 'featuresChanged' | 'missingFeatures' | 'mismatch';

const label = (b: ModelBinding): string => (b.version === null ? b.modelName : `${b.modelName}:${b.version}`);

function failed(
  binding: ModelBinding,
  cause: HealthCheckCause,
  why: string,
  check: HealthCheck,
  extra: Record<string, unknown> = {},
): BullpenError {
  return new BullpenError('negative', 'HEALTH_CHECK_FAILED', `health check of ${label(binding)} failed: ${why}; nothing was switched`, {
    cause,
    modelName: binding.modelName,
    version: binding.version,
    healthCheck: check,
    ...extra,
  });
}

/** The newest validation of exactly this training (a retrained model's later validations do not speak for it). */
async function validationOf(
  deps: HealthCheckDeps,
  binding: ModelBinding,
  model: StoredModel,
): Promise<{ runId: string; report: ValidationReport } | null> {
  const records = await deps.validations.list({ model: binding.sourceModel, limit: VALIDATION_LOOKBACK });
  // A record names the training it judged by its date; the report's run id settles it.
  for (const record of records.filter((r) => Date.parse(r.trainedAt) === Date.parse(model.createdAt))) {
    const { report } = await deps.validations.show({ id: record.runId });
    if (report.modelRunId === binding.runId) return { runId: record.runId, report };
  }
  return null;
}

async function predictionsIn(deps: HealthCheckDeps, runId: string): Promise<BacktestPredictionRow[] | null> {
  const text = await deps.runs.artifact(runId, 'predictions.csv');
  if (text === undefined) return null;
  const decoded = decodeArtifact('predictions.csv', text);
  return decoded.ok ? decoded.data : null;
}

/**
 * The per-game probabilities a validation recorded: its own `predictions.csv`, or (a validation written
 * before it kept one) the backtest run it read them from. Only a holdout validation's are the model's
 * own; walk-forward ones come from the CV's fold models, which the served model cannot reproduce.
 */
async function recordedPredictions(
  deps: HealthCheckDeps,
  binding: ModelBinding,
  validation: { runId: string; report: ValidationReport },
): Promise<BacktestPredictionRow[]> {
  const none: HealthCheck = { games: 0, maxAbsDiff: null, passed: false };
  const { report, runId } = validation;
  if (report.windows.evaluation.source !== 'holdout')
    throw failed(
      binding,
      'notOwnPredictions',
      `its validation (run ${runId.slice(0, 8)}) judged walk-forward out-of-fold predictions of CV fold models, not predictions of ${binding.sourceModel} itself, so there is nothing it must reproduce; validate it on a season after its training (\`bullpen ml validate --model ${binding.sourceModel} --seasons SEASON\`)`,
      none,
      { validationRun: runId },
    );
  const own = await predictionsIn(deps, runId);
  if (own?.length) return own;
  const backtest = report.runs.find((r) => r.role === 'backtest');
  const read = backtest ? await predictionsIn(deps, backtest.id) : null;
  if (read?.length) return read;
  throw failed(
    binding,
    'noPredictions',
    `its validation (run ${runId.slice(0, 8)}) kept no per-game predictions to compare with: validate ${binding.sourceModel} again (\`bullpen ml validate --model ${binding.sourceModel}\`)`,
    none,
    { validationRun: runId },
  );
}

/** Up to HEALTH_CHECK_GAMES games spread evenly over the evaluation window in date order: the same set every time. */
export function fixedGames(rows: readonly BacktestPredictionRow[]): BacktestPredictionRow[] {
  const sorted = [...rows].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.gameId < b.gameId ? -1 : a.gameId > b.gameId ? 1 : 0,
  );
  if (sorted.length <= HEALTH_CHECK_GAMES) return sorted;
  return Array.from({ length: HEALTH_CHECK_GAMES }, (_v, i) => sorted[Math.floor((i * sorted.length) / HEALTH_CHECK_GAMES)]);
}

/**
 * The check before a deployment serves `binding`: its model scores a fixed set of its validation's
 * games through the serving path (today's point-in-time feature rows, the stored model text, the
 * worker's predict) and must reproduce every probability the validation recorded to HEALTH_CHECK_TOLERANCE.
 * It writes nothing a deployment or the registry holds; a failure throws HEALTH_CHECK_FAILED (exit 1).
 */
export async function healthCheck(deps: HealthCheckDeps, binding: ModelBinding, model: StoredModel): Promise<HealthCheck> {
  const validation = await validationOf(deps, binding, model);
  if (!validation)
    throw failed(
      binding,
      'noValidation',
      `training run ${binding.runId.slice(0, 8)} of ${binding.sourceModel} has no validation, so there are no recorded probabilities to reproduce: \`bullpen ml validate --model ${binding.sourceModel}\``,
      { games: 0, maxAbsDiff: null, passed: false },
    );
  const games = fixedGames(await recordedPredictions(deps, binding, validation));
  const ids = games.map((g) => g.gameId);
  let rows: Map<string, Float64Array>;
  try {
    rows = await featureRows(deps.workspace, new MaterializationCache(), model, ids);
  } catch (err) {
    if (err instanceof BullpenError && err.code === 'MODEL_FEATURES_CHANGED')
      throw failed(
        binding,
        'featuresChanged',
        err.message,
        { games: 0, maxAbsDiff: null, passed: false },
        { validationRun: validation.runId },
      );
    throw err;
  }
  const missing = ids.filter((id) => !rows.has(id));
  if (missing.length)
    throw failed(
      binding,
      'missingFeatures',
      `${missing.length} of the ${ids.length} games its validation scored have no feature row in ${model.featureSet} now (e.g. ${missing.slice(0, 3).join(', ')}): the games or features changed since; rebuild the features or validate again`,
      { games: 0, maxAbsDiff: null, passed: false },
      { validationRun: validation.runId, missing: missing.slice(0, WORST_SHOWN) },
    );
  const cols = model.featureNames.length;
  const x = new Float64Array(ids.length * cols);
  ids.forEach((id, i) => x.set(rows.get(id) as Float64Array, i * cols));
  const { p } = await deps.pool.run(
    'predict',
    { modelText: await deps.models.text(model), x, rows: ids.length, cols, numThreads: deps.pool.threadsPerTask },
    { transferList: [x.buffer] },
  );
  // A game scored as NaN differs by Infinity: NaN would compare false everywhere and slip through.
  const diffs = games.map((g, i) => {
    const diff = Math.abs(p[i] - g.p);
    return { gameId: g.gameId, date: g.date, recorded: g.p, served: p[i], diff: Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff };
  });
  const maxAbsDiff = diffs.reduce((m, d) => Math.max(m, d.diff), 0);
  const check: HealthCheck = { games: games.length, maxAbsDiff: Number.isFinite(maxAbsDiff) ? maxAbsDiff : null, passed: false };
  if (!games.length)
    throw failed(binding, 'noPredictions', `its validation (run ${validation.runId.slice(0, 8)}) recorded no games`, check, {
      validationRun: validation.runId,
    });
  if (maxAbsDiff > HEALTH_CHECK_TOLERANCE) {
    const worst = [...diffs].sort((a, b) => b.diff - a.diff).slice(0, WORST_SHOWN);
    const off = diffs.filter((d) => d.diff > HEALTH_CHECK_TOLERANCE).length;
    throw failed(
      binding,
      'mismatch',
      `${off} of ${games.length} games score differently from its validation (run ${validation.runId.slice(0, 8)}; largest difference ${maxAbsDiff}, allowed ${HEALTH_CHECK_TOLERANCE}): the model, its features or the data changed since it was validated; validate it again before serving it`,
      check,
      { validationRun: validation.runId, worst },
    );
  }
  return { ...check, passed: true };
}
