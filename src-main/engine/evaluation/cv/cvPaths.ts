import { inputError } from '../../../shared/errors';
import type { CvPathsArtifact, OofRow } from '../../../shared/results';

/**
 * Assembles the backtest paths of a combinatorially purged CV run: for every path j, each game's prediction
 * from the split that path takes for the game's group (paths[j][g]). Every path predicts every out-of-fold
 * game exactly once, from a model that never trained on (or next to) its group. Pure; refuses rows and
 * paths that do not belong together (oof.csv and paths.json of different runs, or a partial oof.csv).
 */
export function pathPredictions(oofRows: OofRow[], pathsArtifact: CvPathsArtifact): Array<Map<string, number>> {
  const groups = [...pathsArtifact.groups].sort((a, b) => a.start.localeCompare(b.start));
  // For each group, which path takes which split: the inverse of paths[j][g].
  const pathOf = new Map<number, Map<number, number>>(groups.map((g) => [g.index, new Map<number, number>()]));
  pathsArtifact.paths.forEach((path, j) => {
    path.forEach((split, g) => pathOf.get(g)?.set(split, j));
  });
  const out = pathsArtifact.paths.map(() => new Map<string, number>());
  for (const row of oofRows) {
    const group = groupOfDate(groups, row.date);
    const split = row.fold - 1;
    const j = group === undefined ? undefined : pathOf.get(group.index)?.get(split);
    if (group === undefined || j === undefined) {
      throw inputError(
        'CV_PATHS_MISMATCH',
        `out-of-fold row of game ${row.gameId} (${row.date}, fold ${row.fold}) lies on no backtest path: ` +
          (group === undefined
            ? 'its date is in no group of paths.json'
            : `split ${split + 1} does not test its group ${group.index + 1}`) +
          '; oof.csv and paths.json must come from the same combinatorially purged CV run',
        { gameId: row.gameId, date: row.date, fold: row.fold, group: group?.index ?? null },
      );
    }
    out[j].set(row.gameId, row.p);
  }
  const games = new Set(oofRows.map((r) => r.gameId)).size;
  const short = out.findIndex((path) => path.size !== games);
  if (short >= 0)
    throw inputError(
      'CV_PATHS_MISMATCH',
      `backtest path ${short + 1} predicts ${out[short].size} of the ${games} out-of-fold games: oof.csv is missing rows of some split`,
      { path: short, games, predicted: out[short].size },
    );
  return out;
}

/** The group whose date range holds `date` (ISO dates compare as strings), by binary search over groups sorted by start. */
function groupOfDate<G extends { start: string; end: string }>(groups: G[], date: string): G | undefined {
  let lo = 0;
  let hi = groups.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (date < groups[mid].start) hi = mid - 1;
    else if (date > groups[mid].end) lo = mid + 1;
    else return groups[mid];
  }
  return undefined;
}
