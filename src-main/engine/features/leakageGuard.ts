import { gameColumns } from '../data/gameColumns';
import type { Sql } from '../workspace/sql';
import { computeFeatureTable, quoteIdent, type ComputableFeature } from './computeFeatures';
import { withFeatureSandbox } from './sandbox/featureSandbox';

export interface LeakageFinding {
  feature: string;
  version: number;
  cutoff: string;
  movedGames: number;
  example: { gameId: string; date: string; before: number | null; after: number | null };
}

export interface LeakageReport {
  passed: boolean;
  cutoffs: string[];
  checkedFeatures: number;
  checkedGames: number;
  leaks: LeakageFinding[];
}

/** Values closer than this are the same value (floating-point noise of re-aggregation). */
const TOLERANCE = 1e-9;
/** Added to every numeric outcome on and after the cutoff: large enough to flip results and move any statistic. */
const PERTURB_RUNS = 7;

/** SET clause that scrambles every outcome column: swapped and inflated scores, shifted counts, marked text. */
function perturbation(): string {
  const sets = gameColumns
    .filter((c) => c.outcome)
    .map((c) => {
      if (c.name === 'home_score') return `home_score = coalesce(away_score, 0) + ${PERTURB_RUNS}`;
      if (c.name === 'away_score') return `away_score = coalesce(home_score, 0)`;
      if (c.type === 'INTEGER') return `${c.name} = coalesce(${c.name}, 0) + 3`;
      if (c.type === 'VARCHAR') return `${c.name} = 'perturbed'`;
      return null;
    })
    .filter((x): x is string => x !== null);
  return [...sets, `status = 'final'`].join(', ');
}

/** Cutoff dates spread through the completed games (quartiles), so early, middle and late seasons are all probed. */
async function defaultCutoffs(sql: Sql): Promise<string[]> {
  const row = await sql.one<{ q: string[] | null }>(
    `SELECT list_transform(quantile_disc(date, [0.25, 0.5, 0.75]), d -> strftime(d, '%Y-%m-%d')) AS q FROM games WHERE home_score IS NOT NULL`,
  );
  const rows = [...new Set(row?.q ?? [])].map((d) => ({ d }));
  return rows.map((r) => r.d);
}

/**
 * Proves point-in-time correctness empirically: computes the features, then scrambles the results of
 * every game on or after a cutoff date (latest cutoff first, cumulatively), recomputes, and requires
 * every game strictly before the cutoff, and each team's first game on the cutoff day, to keep exactly
 * the same values. A feature reading its own game's outcome moves on the cutoff day and is caught.
 * The scrambling happens on the feature sandbox's copy of the games: the workspace is never written.
 */
export async function checkLeakage(source: Sql, features: ComputableFeature[], opts: { cutoffs?: string[] } = {}): Promise<LeakageReport> {
  return withFeatureSandbox(source, features, async (sandbox) => {
    const sql = sandbox.sql;
    const cutoffs = (opts.cutoffs?.length ? opts.cutoffs : await defaultCutoffs(sql)).slice().sort().reverse();
    await computeFeatureTable(sandbox, features, 'leak_base');
    await sql.run(`CREATE TEMP TABLE leak_base_copy AS SELECT * FROM temp.leak_base`);
    const leaks: LeakageFinding[] = [];
    let checkedGames = 0;
    const flagged = new Set<string>();
    for (const cutoff of cutoffs) {
      await sql.run(`UPDATE main.games SET ${perturbation()} WHERE date >= ?::DATE`, [cutoff]);
      await computeFeatureTable(sandbox, features, 'leak_after');
      const protectedRows = `b.date < ?::DATE OR (b.date = ?::DATE AND b.game_number <= 1)`;
      checkedGames += Number(await sql.value(`SELECT count(*) FROM temp.leak_base_copy b WHERE ${protectedRows}`, [cutoff, cutoff]));
      for (const f of features) {
        if (flagged.has(f.name)) continue;
        const c = quoteIdent(f.name);
        const moved = await sql.all<{ game_id: string; d: string; before: number | null; after: number | null; n: number }>(
          `SELECT b.game_id, strftime(b.date, '%Y-%m-%d') AS d, b.${c} AS before, a.${c} AS after, count(*) OVER () AS n
           FROM temp.leak_base_copy b JOIN temp.leak_after a USING (game_id)
           WHERE (${protectedRows})
             AND ((b.${c} IS NULL) <> (a.${c} IS NULL) OR abs(b.${c} - a.${c}) > ${TOLERANCE})
           ORDER BY b.date DESC LIMIT 1`,
          [cutoff, cutoff],
        );
        if (moved.length) {
          flagged.add(f.name);
          const m = moved[0];
          leaks.push({
            feature: f.name,
            version: f.version,
            cutoff,
            movedGames: Number(m.n),
            example: { gameId: m.game_id, date: m.d, before: m.before, after: m.after },
          });
        }
      }
    }
    return { passed: leaks.length === 0, cutoffs: cutoffs.slice().sort(), checkedFeatures: features.length, checkedGames, leaks };
  });
}
