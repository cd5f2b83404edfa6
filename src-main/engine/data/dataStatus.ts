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

/** How many imports the Data screen lists. */
const RECENT_IMPORTS = 10;
/** A regular season of 30 teams × 162 games is 2430 games; fewer than this means a partial season. */
const FULL_SEASON_GAMES = 2400;
/** Closing-moneyline coverage below this, in a season that has odds at all, is worth a look. */
const ODDS_COVERAGE_TARGET = 0.99;

export type CheckStatus = 'ok' | 'warn' | 'info';
export interface DataCheck {
  id: string;
  label: string;
  status: CheckStatus;
  count: number;
  detail: string;
}

/**
 * The data-quality summary of the Data screen: cheap checks a modeller would otherwise run by hand
 * before trusting a backtest (partial seasons, games without starting pitchers, odds without a game,
 * implausible prices, rows the last import could not match).
 */
export async function dataQualityChecks(sql: Sql, seasons: SeasonStatus[], lastUnmatched: number): Promise<DataCheck[]> {
  const c = await sql.one<{ no_sp: number; no_park: number; orphan_odds: number; bad_prices: number; finals: number }>(`
    SELECT
      (SELECT count(*) FROM games WHERE home_score IS NOT NULL AND (home_sp_id IS NULL OR away_sp_id IS NULL)) AS no_sp,
      (SELECT count(*) FROM games WHERE park_id IS NULL) AS no_park,
      (SELECT count(*) FROM odds WHERE game_id NOT IN (SELECT game_id FROM games)) AS orphan_odds,
      (SELECT count(*) FROM odds WHERE least(home_price, away_price, over_price, under_price) < 1.01 OR greatest(home_price, away_price, over_price, under_price) > 50) AS bad_prices,
      (SELECT count(*) FROM games WHERE home_score IS NOT NULL) AS finals`);
  const partial = seasons.filter((s) => s.games < FULL_SEASON_GAMES);
  const thin = seasons.filter((s) => s.gamesWithOdds > 0 && s.oddsCoverage < ODDS_COVERAGE_TARGET);
  const n = (x: number | undefined) => x ?? 0;
  const check = (id: string, label: string, count: number, okDetail: string, badDetail: string, bad: CheckStatus = 'warn'): DataCheck => ({
    id,
    label,
    count,
    status: count > 0 ? bad : 'ok',
    detail: count > 0 ? badDetail : okDetail,
  });
  return [
    check(
      'partialSeasons',
      'Full seasons',
      partial.length,
      'every season has a full schedule',
      `fewer than ${FULL_SEASON_GAMES} games in ${partial.map((s) => s.season).join(', ')} (a short season, or an import still to come)`,
      'info',
    ),
    check(
      'startingPitchers',
      'Starting pitchers',
      n(c?.no_sp),
      `known for all ${n(c?.finals)} final games`,
      `${n(c?.no_sp)} final games lack a starting pitcher; pitcher features are missing there`,
    ),
    check('parks', 'Parks', n(c?.no_park), 'every game has a park', `${n(c?.no_park)} games have no park; park factors are missing there`),
    check(
      'oddsCoverage',
      'Closing-line coverage',
      thin.length,
      seasons.some((s) => s.gamesWithOdds > 0) ? 'at least 99% of games in every season with odds' : 'no odds loaded yet',
      `below 99% in ${thin.map((s) => `${s.season} (${Math.round(s.oddsCoverage * 100)}%)`).join(', ')}`,
    ),
    check(
      'orphanOdds',
      'Odds without a game',
      n(c?.orphan_odds),
      'every odds row belongs to a game',
      `${n(c?.orphan_odds)} odds rows point at no game`,
    ),
    check(
      'prices',
      'Plausible prices',
      n(c?.bad_prices),
      'all decimal prices between 1.01 and 50',
      `${n(c?.bad_prices)} odds rows have a decimal price outside 1.01–50`,
    ),
    check(
      'unmatched',
      'Last import matched',
      lastUnmatched,
      'every row of the last import was matched',
      `${lastUnmatched} rows of the last import matched no game (see the import's report)`,
    ),
  ];
}

/** What is loaded: per season counts, odds coverage and the last import, for `data status` and the Data screen. */
export async function dataStatus(sql: Sql) {
  const seasons = await sql.all<{
    season: number;
    games: number;
    final: number;
    scheduled: number;
    synthetic: boolean;
    with_odds: number;
    with_close: number;
    home_win: number | null;
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
  const books = await sql.all<{ book: string; rows: number; games: number }>(
    `SELECT book, count(*) AS rows, count(DISTINCT game_id) AS games FROM odds GROUP BY book ORDER BY book`,
  );
  const recent = await sql.all<{
    id: string;
    kind: string;
    files: string;
    finished_at: Date;
    rows_read: number;
    inserted: number;
    updated: number;
    unmatched: number;
  }>(
    `SELECT id, kind, files::VARCHAR AS files, finished_at, rows_read, inserted, updated, unmatched FROM imports ORDER BY finished_at DESC LIMIT ${RECENT_IMPORTS}`,
  );
  const imports = recent.map((r) => ({
    id: r.id,
    kind: r.kind,
    files: JSON.parse(r.files) as string[],
    finishedAt: new Date(r.finished_at).toISOString(),
    rowsRead: r.rows_read,
    inserted: r.inserted,
    updated: r.updated,
    unmatched: r.unmatched,
  }));
  const totals = await sql.one<{ games: number; odds: number; teams: number }>(
    `SELECT (SELECT count(*) FROM games) AS games, (SELECT count(*) FROM odds) AS odds, (SELECT count(*) FROM teams) AS teams`,
  );
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
    lastImport: imports[0] ?? null,
    imports,
    quality: await dataQualityChecks(sql, seasonList, imports[0]?.unmatched ?? 0),
  };
}

export type DataStatus = Awaited<ReturnType<typeof dataStatus>>;
