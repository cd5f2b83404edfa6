import { writeFileSync } from 'node:fs';
import type { PredictPayload } from '../../../src-workers/tasks/predict';
import { inputError } from '../../shared/errors';
import { parseSeasons } from '../features/featureMatrix';
import type { JobContext } from '../jobs/jobContext';
import { getModel, modelText } from '../runs/modelStore';
import type { EngineDeps } from './trainModel';
import { servingMatrix } from './servingMatrix';
import { evaluate } from './evaluate';
import { marketPrices, takeRows } from './matrixRows';

export interface PredictInput {
  model: string;
  seasons: string;
  /** Writes gameId,date,season,label,p as CSV here instead of returning every row. */
  out?: string;
}

export interface PredictOutcome {
  modelName: string;
  games: number;
  /** True when the model saw some of these seasons in training: the metrics are then in-sample. */
  inSample: boolean;
  metrics: Record<string, number> | null;
  out: string | null;
  predictions: { gameId: string; date: string; p: number; label: number | null }[];
}

/** Rows returned inline when no --out file is given; a larger request should write a file. */
const MAX_INLINE_ROWS = 10_000;

/** `bullpen ml predict`: scores games of the given seasons with a stored model, in a worker. */
export async function predictModel(deps: EngineDeps, input: PredictInput, ctx: JobContext): Promise<PredictOutcome> {
  const model = await getModel(deps.workspace, input.model);
  const seasons = parseSeasons(input.seasons) ?? [];
  const m = await servingMatrix(deps.workspace, model, seasons, true);
  if (m.rows === 0) throw inputError('NO_GAMES', `no games in seasons ${input.seasons}`, { seasons: input.seasons });
  if (!input.out && m.rows > MAX_INLINE_ROWS) throw inputError('TOO_MANY_ROWS', `${m.rows} games: write them to a file with --out FILE`, { rows: m.rows });
  ctx.progress(0.2, `scoring ${m.rows} games`);
  const all = Int32Array.from({ length: m.rows }, (_v, i) => i);
  const { x } = takeRows(m, all);
  const payload: PredictPayload = { modelText: await modelText(deps.workspace, model), x, rows: m.rows, cols: m.cols, numThreads: deps.pool.threadsPerTask };
  const { p } = await deps.pool.run<{ p: Float64Array }>('predict', payload, { transferList: [x.buffer], signal: ctx.signal });
  const labelled = all.filter((i) => !Number.isNaN(m.label[i]));
  const [a, b] = marketPrices(m).close;
  const pick = (v: ArrayLike<number>) => Float64Array.from(labelled, (i) => v[i]);
  const metrics = labelled.length ? { ...evaluate(pick(m.label), pick(p), pick(a), pick(b)).metrics } : null;
  const rows = Array.from(all, (i) => ({ gameId: m.gameIds[i], date: m.dates[i], p: p[i], label: Number.isNaN(m.label[i]) ? null : m.label[i] }));
  if (input.out) {
    const csv = ['game_id,date,season,label,p', ...Array.from(all, (i) => `${m.gameIds[i]},${m.dates[i]},${m.seasons[i]},${Number.isNaN(m.label[i]) ? '' : m.label[i]},${p[i]}`)].join('\n');
    writeFileSync(input.out, `${csv}\n`);
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
