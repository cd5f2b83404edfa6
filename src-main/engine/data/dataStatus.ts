import type { Sql } from '../workspace/sql';

export interface SeasonStatus {
  season: number;
  games: number;
  final: number;
  scheduled: number;
  synthetic: boolean;
  gamesWithOdds: number;
  gamesWithClosingMoneyline: number;
  oddsCoverage: number;
  homeWinRate: number | null;
}

/** What is loaded: per season counts, odds coverage and the last import, for `data status` and the Data screen. */
export async function dataStatus(sql: Sql) {
  const seasons = await sql.all<{
    season: number; games: number; final: number; scheduled: number; synthetic: boolean; with_odds: number; with_close: number; home_win: number | null;
  }>(`
    WITH o AS (
      SELECT game_id, bool_or(market = 'moneyline' AND is_close) AS has_close FROM odds GROUP BY game_id
    )
    SELECT g.season, count(*) AS games,
           count(*) FILTER (WHERE g.home_score IS NOT NULL) AS final,
           count(*) FILTER (WHERE g.home_score IS NULL) AS scheduled,
           bool_or(g.synthetic) AS synthetic,
           count(o.game_id) AS with_odds,
           count(*) FILTER (WHERE o.has_close) AS with_close,
           avg(CASE WHEN g.home_score IS NULL THEN NULL WHEN g.home_score > g.away_score THEN 1.0 ELSE 0.0 END) AS home_win
    FROM games g LEFT JOIN o USING (game_id)
    GROUP BY g.season ORDER BY g.season`);
  const books = await sql.all<{ book: string; rows: number; games: number }>(`SELECT book, count(*) AS rows, count(DISTINCT game_id) AS games FROM odds GROUP BY book ORDER BY book`);
  const last = await sql.one<{ id: string; kind: string; files: string; finished_at: Date; rows_read: number; inserted: number; updated: number; unmatched: number }>(
    `SELECT id, kind, files::VARCHAR AS files, finished_at, rows_read, inserted, updated, unmatched FROM imports ORDER BY finished_at DESC LIMIT 1`,
  );
  const totals = await sql.one<{ games: number; odds: number; teams: number }>(`SELECT (SELECT count(*) FROM games) AS games, (SELECT count(*) FROM odds) AS odds, (SELECT count(*) FROM teams) AS teams`);
  const seasonList: SeasonStatus[] = seasons.map((s) => ({
    season: s.season,
    games: s.games,
    final: s.final,
    scheduled: s.scheduled,
    synthetic: Boolean(s.synthetic),
    gamesWithOdds: s.with_odds,
    gamesWithClosingMoneyline: s.with_close,
    oddsCoverage: s.games ? s.with_close / s.games : 0,
    homeWinRate: s.home_win,
  }));
  return {
    games: totals?.games ?? 0,
    oddsRows: totals?.odds ?? 0,
    teams: totals?.teams ?? 0,
    synthetic: seasonList.some((s) => s.synthetic),
    seasons: seasonList,
    books,
    lastImport: last
      ? { id: last.id, kind: last.kind, files: JSON.parse(last.files) as string[], finishedAt: new Date(last.finished_at).toISOString(), rowsRead: last.rows_read, inserted: last.inserted, updated: last.updated, unmatched: last.unmatched }
      : null,
  };
}
