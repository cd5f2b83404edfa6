import type { PredictPayload } from '../../../src-workers/tasks/predict';
import { BullpenError, inputError } from '../../shared/errors';
import type { JobResultValue } from '../../shared/results';
import { parseSeasons } from '../modeling/featureMatrix';
import type { JobContext } from '../jobs/jobContext';
import type { EngineDeps } from '../engineDeps';
import type { JobSpec } from '../jobs/jobSpec';
import { servingMatrix } from '../modeling/servingMatrix';
import { evaluate } from './evaluate';
import { marketPrices, takeRows } from '../modeling/matrixRows';
import { assertSeasonsHaveGames } from '../modeling/jobPrechecks';
import { assertAbsolute, checkPredictionInput, readPredictionInput, writePredictions } from './predictionFiles';

export interface PredictInput {
  model: string;
  /** Score the workspace's games of these seasons… */
  seasons?: string;
  /** …or the rows of this CSV/Parquet file (FORMATS.md, "Prediction input"); needs `out`. */
  input?: string;
  /** Writes the predictions here (CSV, or Parquet for .parquet) instead of returning every row. Absolute. */
  out?: string;
}

/** The `ml.predict` job's result (shared/results). */
export type PredictOutcome = JobResultValue<'ml.predict'>;

/** Rows returned inline when no --out file is given; a larger request should write a file. */
const MAX_INLINE_ROWS = 10_000;

/** The refusals that need no data, checked before the job starts so the caller gets the error itself. */
export async function precheckPredict(deps: EngineDeps, input: PredictInput): Promise<void> {
  if ((input.seasons === undefined) === (input.input === undefined)) {
    throw new BullpenError(
      'usage',
      'PREDICT_SEASONS_OR_INPUT',
      'give --seasons S (workspace games) or --input FILE (a CSV/Parquet of games with the feature columns), not both',
    );
  }
  if (input.input !== undefined) {
    assertAbsolute(input.input, '--input');
    if (input.out === undefined)
      throw new BullpenError('usage', 'PREDICT_INPUT_NEEDS_OUT', '--input FILE needs --out FILE for the predictions');
  }
  if (input.out !== undefined) assertAbsolute(input.out, '--out');
  const model = await deps.models.get(input.model);
  await assertSeasonsHaveGames(deps.data, input.seasons, '--seasons', false);
  if (input.input !== undefined) await checkPredictionInput(deps.workspace, input.input, model.featureNames);
}

async function scoreFile(deps: EngineDeps, input: PredictInput & { input: string; out: string }, ctx: JobContext): Promise<PredictOutcome> {
  const model = await deps.models.get(input.model);
  const file = await readPredictionInput(deps.workspace, input.input, model.featureNames);
  ctx.progress(0.2, `scoring ${file.rows} rows`);
  const payload: PredictPayload = {
    modelText: await deps.models.text(model),
    x: file.x,
    rows: file.rows,
    cols: model.featureNames.length,
    numThreads: deps.pool.threadsPerTask,
  };
  const { p } = await deps.pool.run('predict', payload, { transferList: [file.x.buffer], signal: ctx.signal });
  ctx.throwIfCancelled();
  await writePredictions(deps.workspace, input.out, file.ids, p);
  return { modelName: model.name, games: file.rows, inSample: false, metrics: null, out: input.out, predictions: [] };
}

/** `bullpen ml predict`: scores games of the given seasons, or the rows of a file, with a stored model, in a worker. */
export async function predictModel(deps: EngineDeps, input: PredictInput, ctx: JobContext): Promise<PredictOutcome> {
  await precheckPredict(deps, input);
  if (input.input !== undefined && input.out !== undefined) return scoreFile(deps, { ...input, input: input.input, out: input.out }, ctx);
  const model = await deps.models.get(input.model);
  const seasons = parseSeasons(input.seasons) ?? [];
  const m = await servingMatrix(deps.workspace, model, seasons, true);
  if (m.rows === 0) throw inputError('NO_GAMES', `no games in seasons ${input.seasons}`, { seasons: input.seasons });
  if (!input.out && m.rows > MAX_INLINE_ROWS)
    throw inputError('TOO_MANY_ROWS', `${m.rows} games: write them to a file with --out FILE`, { rows: m.rows });
  ctx.progress(0.2, `scoring ${m.rows} games`);
  const all = Int32Array.from({ length: m.rows }, (_v, i) => i);
  const { x } = takeRows(m, all);
  const payload: PredictPayload = {
    modelText: await deps.models.text(model),
    x,
    rows: m.rows,
    cols: m.cols,
    numThreads: deps.pool.threadsPerTask,
  };
  const { p } = await deps.pool.run('predict', payload, { transferList: [x.buffer], signal: ctx.signal });
  const labelled = all.filter((i) => !Number.isNaN(m.label[i]));
  const [a, b] = marketPrices(m).close;
  const pick = (v: ArrayLike<number>) => Float64Array.from(labelled, (i) => v[i]);
  const metrics = labelled.length ? { ...evaluate(pick(m.label), pick(p), pick(a), pick(b)).metrics } : null;
  const rows = Array.from(all, (i) => ({
    gameId: m.gameIds[i],
    date: m.dates[i],
    p: p[i],
    label: Number.isNaN(m.label[i]) ? null : m.label[i],
  }));
  if (input.out) {
    const ids = [
      { name: 'game_id', values: m.gameIds },
      { name: 'date', values: m.dates },
      { name: 'season', values: Array.from(m.seasons, String) },
      { name: 'label', values: Array.from(m.label, (v) => (Number.isNaN(v) ? '' : String(v))) },
    ];
    await writePredictions(deps.workspace, input.out, ids, p);
  }
  return {
    modelName: model.name,
    games: m.rows,
    inSample: seasons.some((s) => model.seasons.includes(s)),
    metrics,
    out: input.out ?? null,
    predictions: input.out ? [] : rows,
  };
}

/** `ml.predict` as a job (its file paths already checked for the caller). */
export const predictJob: JobSpec<EngineDeps, PredictInput, 'ml.predict'> = {
  kind: 'ml.predict',
  precheck: precheckPredict,
  run: predictModel,
};
