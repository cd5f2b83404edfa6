import { BullpenError, inputError } from '../../../shared/errors';
import { decodeArtifact, type OofRow } from '../../../shared/results';
import type { Target } from '../../modeling/featureMatrix';
import type { RunReader } from '../../tracking/runService';

/** The out-of-fold predictions of a completed CV run: one probability per game that was in a test fold. */
export interface CvPredictions {
  runId: string;
  name: string;
  target: Target;
  featureSet: string;
  /** game_id → out-of-fold probability of the target. */
  p: Map<string, number>;
  /** Out-of-fold games per season. */
  gamesBySeason: Map<number, number>;
}

/** Indexes the rows of `oof.csv` (parsed by its schema, shared/results/cv.ts) by game and season. */
function indexOof(rows: OofRow[]): { p: Map<string, number>; gamesBySeason: Map<number, number> } {
  const p = new Map<string, number>();
  const gamesBySeason = new Map<number, number>();
  for (const r of rows) {
    p.set(r.gameId, r.p);
    gamesBySeason.set(r.season, (gamesBySeason.get(r.season) ?? 0) + 1);
  }
  return { p, gamesBySeason };
}

/**
 * A CV run's out-of-fold predictions for a backtest, refused unless the run is a completed CV with one
 * prediction per game (not a cpcv) and every
 * backtest season has games in its test folds (a season no fold tested has no out-of-sample predictions).
 */
export async function loadCvPredictions(store: RunReader, runIdOrPrefix: string, seasons: number[]): Promise<CvPredictions> {
  const id = await store.resolveId(runIdOrPrefix);
  const [run] = await store.list({ ids: [id], limit: 1 });
  if (run.kind !== 'cv') {
    throw new BullpenError(
      'usage',
      'BACKTEST_RUN_NOT_CV',
      `run ${run.name} (${id.slice(0, 8)}) is a ${run.kind} run: --run takes a CV run (bullpen ml runs list --kind cv); use --model for a trained model`,
      { run: id, kind: run.kind },
    );
  }
  // A cpcv run predicts each game once per split that tested it: there is no single prediction to bet.
  if (run.params.scheme === 'cpcv' || (await store.artifact(id, 'paths.json')) !== undefined) {
    throw new BullpenError(
      'usage',
      'CV_RUN_HAS_PATHS',
      `run ${run.name} (${id.slice(0, 8)}) is a combinatorially purged CV: a CPCV run has several predictions per game (one per backtest path), ` +
        'so --run cannot bet one of them; `bullpen ml validate` bets every path, or give --run a walk-forward or season-forward CV run',
      { run: id, scheme: 'cpcv' },
    );
  }
  if (run.status !== 'completed') {
    throw inputError('BACKTEST_RUN_NOT_COMPLETED', `CV run ${run.name} is ${run.status}: only a completed CV has out-of-fold predictions`, {
      run: id,
      status: run.status,
    });
  }
  const text = await store.artifact(id, 'oof.csv');
  if (!text) throw inputError('BACKTEST_RUN_NO_OOF', `CV run ${run.name} stored no out-of-fold predictions (oof.csv)`, { run: id });
  const oof = decodeArtifact('oof.csv', text);
  if (!oof.ok)
    throw inputError(
      'BACKTEST_RUN_BAD_OOF',
      `CV run ${run.name} stored out-of-fold predictions Bullpen cannot read (oof.csv: ${oof.issue}): run the CV again`,
      { run: id, issue: oof.issue },
    );
  const { p, gamesBySeason } = indexOof(oof.data);
  const uncovered = seasons.filter((s) => !gamesBySeason.has(s));
  if (uncovered.length) {
    const tested = [...gamesBySeason.keys()].sort((a, b) => a - b);
    throw inputError(
      'BACKTEST_SEASON_NOT_IN_CV',
      `season${uncovered.length > 1 ? 's' : ''} ${uncovered.join(', ')} ${uncovered.length > 1 ? 'were' : 'was'} in no test fold of CV run ${run.name}, so it has no out-of-fold predictions ` +
        `(its test folds cover ${tested.length ? tested.join(', ') : 'nothing'}): backtest those seasons, or run a CV whose test folds reach them (e.g. --scheme season-forward --seasons ending with them)`,
      { run: id, uncovered, tested },
    );
  }
  return {
    runId: id,
    name: run.name,
    target: (run.target ?? 'home_win') as Target,
    featureSet: run.featureSet ?? 'default',
    p,
    gamesBySeason,
  };
}
