import type { TrainPayload } from '../../../../src-workers/tasks/train';
import type { EngineDeps } from '../../engineDeps';
import type { JobContext } from '../../jobs/jobContext';
import type { LgbParams } from '../../modeling/defaultParams';
import type { FeatureMatrix } from '../../modeling/featureMatrix';
import { seasonRanges } from '../../modeling/jobPrechecks';
import { takeRows } from '../../modeling/matrixRows';
import { buildTrainResults, trainRunStart, type TrainPlan } from '../../training/trainResults';
import { trackRun } from '../../tracking/trackRun';

export interface RowTraining {
  name: string;
  /** Matrix rows that fit the model, and the later rows early stopping watches (empty: boost numBoostRound rounds). */
  fitRows: Int32Array;
  stopRows: Int32Array;
  params: LgbParams;
  numBoostRound: number;
  earlyStoppingRounds: number | null;
  seed: number;
  tags: Record<string, string>;
}

/**
 * Trains a model on rows of a matrix chosen by date rather than by season, through the same worker task,
 * run record and model record as `ml train` (trainResults.ts), so the model is a normal one: listed,
 * inspectable, validatable, registrable. The early-stopping rows are recorded as part of the training
 * (the model saw them), so its last training date is the last of them.
 */
export async function trainOnRows(
  deps: Pick<EngineDeps, 'pool' | 'runs'>,
  m: FeatureMatrix,
  spec: RowTraining,
  ctx: JobContext,
): Promise<{ runId: string; modelName: string; bestIteration: number; logLoss: number | null; accuracy: number | null }> {
  const started = Date.now();
  const seasons = [...new Set(Array.from([...spec.fitRows, ...spec.stopRows], (r) => m.seasons[r]))].sort((a, b) => a - b);
  const plan: TrainPlan = {
    modelName: spec.name,
    trainText: seasonRanges(seasons).replace(/, /g, ','),
    validText: undefined,
    trainSeasons: seasons,
    validSeasons: [],
    trainRows: spec.fitRows,
    validRows: spec.stopRows,
    seed: spec.seed,
    params: spec.params,
    numBoostRound: spec.numBoostRound,
    earlyStoppingRounds: spec.stopRows.length ? spec.earlyStoppingRounds : null,
    numThreads: deps.pool.threadsPerTask,
  };
  const input = { target: m.target, features: m.setName, tags: spec.tags };
  const out = await trackRun(deps.runs, trainRunStart(m, plan, input, ctx.id), ctx.signal, async (runId) => {
    ctx.log(
      `run ${runId.slice(0, 8)} of ${spec.name}: fitting on ${spec.fitRows.length} games${spec.stopRows.length ? `, early stopping on ${spec.stopRows.length}` : ''}`,
    );
    const fit = takeRows(m, spec.fitRows);
    const stop = spec.stopRows.length ? takeRows(m, spec.stopRows) : null;
    const payload: TrainPayload = {
      params: plan.params,
      numBoostRound: plan.numBoostRound,
      earlyStoppingRounds: plan.earlyStoppingRounds,
      numThreads: plan.numThreads,
      cols: m.cols,
      featureNames: m.featureNames,
      train: { x: fit.x, y: fit.y, rows: spec.fitRows.length },
      valid: stop ? { x: stop.x, y: stop.y, rows: spec.stopRows.length } : null,
    };
    const trained = await deps.pool.run('train', payload, {
      transferList: [fit.x.buffer, fit.y.buffer, ...(stop ? [stop.x.buffer, stop.y.buffer] : [])],
      signal: ctx.signal,
      onProgress: (f, message) => ctx.progress(f, message),
    });
    ctx.throwIfCancelled();
    return buildTrainResults(m, plan, input, trained, Date.now() - started);
  });
  return {
    runId: out.runId,
    modelName: out.modelName,
    bestIteration: out.bestIteration,
    logLoss: out.metrics.logLoss,
    accuracy: out.metrics.accuracy,
  };
}
