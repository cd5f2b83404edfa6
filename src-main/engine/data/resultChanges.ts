import { inputError, type BullpenError } from '../../shared/errors';
import type { Sql } from '../workspace/sql';

/** A game's result as the games table holds it. */
export interface GameResult {
  status: string;
  homeScore: number | null;
  awayScore: number | null;
}

/** Where a staged game's row came from, so a refusal names its file and line. */
export interface GameOrigin {
  file: string;
  line: number;
}

/** One final result an import replaces: the game, the row that replaces it, before and after. */
export interface ResultChange {
  gameId: string;
  file: string | null;
  line: number | null;
  before: GameResult;
  after: GameResult;
}

/** How many changes a refusal lists in its details (the message names the first). */
const REFUSAL_EXAMPLES = 20;
const MESSAGE_EXAMPLES = 5;

/**
 * The final results (status final with both scores) that the staged rows would undo: the game made
 * scheduled or postponed again, or its score changed. Runs inside the import's transaction, before
 * the rows replace the games.
 */
export async function findResultChanges(
  sql: Sql,
  stagedTable: string,
  origin?: (gameId: string) => GameOrigin | undefined,
): Promise<ResultChange[]> {
  const rows = await sql.all<{
    game_id: string;
    b_status: string;
    b_home: number;
    b_away: number;
    a_status: string | null;
    a_home: number | null;
    a_away: number | null;
  }>(
    `SELECT g.game_id, g.status AS b_status, g.home_score AS b_home, g.away_score AS b_away,
            s.status AS a_status, s.home_score AS a_home, s.away_score AS a_away
       FROM games g JOIN temp.${stagedTable} s ON s.game_id = g.game_id
      WHERE g.status = 'final' AND g.home_score IS NOT NULL AND g.away_score IS NOT NULL
        AND (s.status IS DISTINCT FROM 'final' OR s.home_score IS DISTINCT FROM g.home_score OR s.away_score IS DISTINCT FROM g.away_score)
      ORDER BY g.game_id`,
  );
  return rows.map((r) => {
    const o = origin?.(r.game_id);
    return {
      gameId: r.game_id,
      file: o?.file ?? null,
      line: o?.line ?? null,
      before: { status: r.b_status, homeScore: r.b_home, awayScore: r.b_away },
      after: { status: r.a_status ?? 'scheduled', homeScore: r.a_home, awayScore: r.a_away },
    };
  });
}

/** `final, home 2 – away 0` or `scheduled, no score`: a result as messages show it. */
export function describeResult(r: GameResult): string {
  return r.homeScore === null || r.awayScore === null ? `${r.status}, no score` : `${r.status}, home ${r.homeScore} – away ${r.awayScore}`;
}

const where = (c: ResultChange): string => (c.file ? `${c.file} line ${c.line}: ` : '');

/** The input error that refuses an import which would undo final results without replaceResults. */
export function refuseResultChanges(changes: ResultChange[]): BullpenError {
  const [first] = changes;
  const others = changes.slice(1, 1 + MESSAGE_EXAMPLES).map((c) => c.gameId);
  const more =
    changes.length > 1 ? ` (and ${changes.length - 1} more: ${others.join(', ')}${changes.length - 1 > others.length ? ', …' : ''})` : '';
  return inputError(
    'RESULT_CHANGED',
    `${where(first)}game ${first.gameId} has the result "${describeResult(first.before)}" and this import would make it "${describeResult(first.after)}"${more}; nothing was imported. ` +
      `If the file is right (a corrected score, a voided game), import it again with --replace-results (replaceResults: true): each replaced result is then reported and logged; otherwise remove the row or give its scores`,
    {
      file: first.file,
      line: first.line,
      gameId: first.gameId,
      before: first.before,
      after: first.after,
      count: changes.length,
      changes: changes.slice(0, REFUSAL_EXAMPLES),
    },
  );
}
