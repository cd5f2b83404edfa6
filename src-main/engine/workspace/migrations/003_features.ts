import type { Migration } from '../migration';

/**
 * Feature store tables and the point-in-time source views the default features read. Every window in
 * these views ends at `1 PRECEDING` in (date, game_number) order: a game only ever sees games that
 * finished before it started (game 1 of a doubleheader is visible to game 2, never the reverse).
 */
export const featuresMigration: Migration = {
  version: 3,
  name: 'features: definitions, sets, materializations, quality, usage; point-in-time source views',
  async up(sql) {
    await sql.run(`CREATE TABLE feature_definitions (
      name VARCHAR NOT NULL,
      version INTEGER NOT NULL,
      description VARCHAR NOT NULL,
      dtype VARCHAR NOT NULL,
      computation VARCHAR NOT NULL,
      computation_hash VARCHAR NOT NULL,
      dependencies JSON NOT NULL,
      freshness_sla_hours DOUBLE NOT NULL,
      owner VARCHAR NOT NULL,
      tags JSON NOT NULL,
      builtin BOOLEAN NOT NULL DEFAULT false,
      leakage_check JSON,
      created_at TIMESTAMPTZ NOT NULL,
      PRIMARY KEY (name, version)
    )`);
    await sql.run(`CREATE TABLE feature_current (name VARCHAR PRIMARY KEY, version INTEGER NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`);
    await sql.run(`CREATE TABLE feature_sets (
      name VARCHAR PRIMARY KEY,
      description VARCHAR NOT NULL,
      features JSON NOT NULL,
      builtin BOOLEAN NOT NULL DEFAULT false,
      updated_at TIMESTAMPTZ NOT NULL
    )`);
    await sql.run(`CREATE TABLE feature_materializations (
      id VARCHAR PRIMARY KEY,
      set_name VARCHAR NOT NULL,
      content_hash VARCHAR NOT NULL,
      data_hash VARCHAR NOT NULL,
      table_name VARCHAR NOT NULL,
      features JSON NOT NULL,
      rows INTEGER NOT NULL,
      duration_ms DOUBLE NOT NULL,
      created_at TIMESTAMPTZ NOT NULL
    )`);
    await sql.run(`CREATE TABLE feature_quality (
      materialization_id VARCHAR NOT NULL,
      feature VARCHAR NOT NULL,
      version INTEGER NOT NULL,
      rows INTEGER NOT NULL,
      missing_rate DOUBLE NOT NULL,
      min DOUBLE, max DOUBLE, mean DOUBLE, std DOUBLE,
      p01 DOUBLE, p25 DOUBLE, p50 DOUBLE, p75 DOUBLE, p99 DOUBLE,
      distinct_count INTEGER NOT NULL,
      schema_ok BOOLEAN NOT NULL,
      schema_errors JSON NOT NULL,
      PRIMARY KEY (materialization_id, feature)
    )`);
    await sql.run(`CREATE TABLE feature_usage (
      feature VARCHAR NOT NULL,
      version INTEGER NOT NULL,
      set_name VARCHAR NOT NULL,
      content_hash VARCHAR NOT NULL,
      consumer_kind VARCHAR NOT NULL,
      consumer_id VARCHAR NOT NULL,
      recorded_at TIMESTAMPTZ NOT NULL
    )`);

    // One row per team per game: the long format every team-form window runs over.
    await sql.run(`CREATE VIEW team_games AS
      SELECT game_id, date, season, game_number, home AS team, away AS opp, true AS is_home, home_score AS rs, away_score AS ra,
             home_sp_id AS sp_id, park_id,
             CASE WHEN home_score IS NULL OR away_score IS NULL THEN NULL WHEN home_score > away_score THEN 1.0 ELSE 0.0 END AS win
      FROM games WHERE status <> 'postponed'
      UNION ALL
      SELECT game_id, date, season, game_number, away, home, false, away_score, home_score, away_sp_id, park_id,
             CASE WHEN home_score IS NULL OR away_score IS NULL THEN NULL WHEN away_score > home_score THEN 1.0 ELSE 0.0 END
      FROM games WHERE status <> 'postponed'`);

    await sql.run(`CREATE VIEW team_form_pre AS
      WITH ordered AS (
        SELECT *,
          CASE WHEN win IS NULL THEN NULL
               WHEN win <> lag(win) OVER (PARTITION BY team, season ORDER BY date, game_number) THEN 1 ELSE 0 END AS changed
        FROM team_games
      ), runs AS (
        SELECT *, sum(coalesce(changed, 0)) OVER (PARTITION BY team, season ORDER BY date, game_number ROWS UNBOUNDED PRECEDING) AS run_id
        FROM ordered
      ), streaks AS (
        SELECT *,
          CASE WHEN win IS NULL THEN NULL
               ELSE (CASE WHEN win = 1 THEN 1 ELSE -1 END) * count(win) OVER (PARTITION BY team, season, run_id ORDER BY date, game_number ROWS UNBOUNDED PRECEDING) END AS streak_after
        FROM runs
      )
      SELECT game_id, team, is_home, date, season, game_number,
        count(win) OVER w_season AS gp_season,
        sum(win) OVER w_season AS wins_season,
        sum(CASE WHEN win IS NOT NULL THEN rs END) OVER w_season AS rs_season,
        sum(CASE WHEN win IS NOT NULL THEN ra END) OVER w_season AS ra_season,
        avg(win) OVER w_10 AS win_pct_10,
        avg(CASE WHEN win IS NOT NULL THEN rs - ra END) OVER w_10 AS rd_pg_10,
        avg(win) OVER w_30 AS win_pct_30,
        avg(win) OVER w_venue AS venue_win_pct,
        date_diff('day', lag(date) OVER (PARTITION BY team ORDER BY date, game_number), date) AS rest_days,
        coalesce(lag(streak_after) OVER (PARTITION BY team, season ORDER BY date, game_number), 0) AS streak
      FROM streaks
      WINDOW
        w_season AS (PARTITION BY team, season ORDER BY date, game_number ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
        w_10 AS (PARTITION BY team ORDER BY date, game_number ROWS BETWEEN 10 PRECEDING AND 1 PRECEDING),
        w_30 AS (PARTITION BY team ORDER BY date, game_number ROWS BETWEEN 30 PRECEDING AND 1 PRECEDING),
        w_venue AS (PARTITION BY team, season, is_home ORDER BY date, game_number ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`);

    await sql.run(`CREATE VIEW sp_form_pre AS
      SELECT game_id, team, is_home, sp_id,
        count(win) OVER (PARTITION BY sp_id ORDER BY date, game_number ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS starts,
        avg(CASE WHEN win IS NOT NULL THEN ra END) OVER (PARTITION BY sp_id ORDER BY date, game_number ROWS BETWEEN 5 PRECEDING AND 1 PRECEDING) AS ra_last5,
        avg(win) OVER (PARTITION BY sp_id, season ORDER BY date, game_number ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS win_pct_season,
        date_diff('day', lag(date) OVER (PARTITION BY sp_id ORDER BY date, game_number), date) AS rest_days
      FROM team_games WHERE sp_id IS NOT NULL`);

    // Park factors use only the three previous seasons, so nothing of the current season can leak in.
    await sql.run(`CREATE VIEW park_factors_pre AS
      WITH ps AS (
        SELECT park_id, season, sum(home_score + away_score) AS runs, count(*) AS n
        FROM games WHERE home_score IS NOT NULL AND park_id IS NOT NULL GROUP BY park_id, season
      ), ls AS (
        SELECT season, sum(home_score + away_score) AS runs, count(*) AS n FROM games WHERE home_score IS NOT NULL GROUP BY season
      ), targets AS (SELECT DISTINCT park_id, season FROM games WHERE park_id IS NOT NULL),
      pf AS (
        SELECT t.park_id, t.season, sum(ps.runs)::DOUBLE / sum(ps.n) AS park_rpg, sum(ps.n) AS n
        FROM targets t JOIN ps ON ps.park_id = t.park_id AND ps.season BETWEEN t.season - 3 AND t.season - 1
        GROUP BY t.park_id, t.season
      ), lf AS (
        SELECT t.season, sum(ls.runs)::DOUBLE / sum(ls.n) AS lg_rpg
        FROM (SELECT DISTINCT season FROM games) t JOIN ls ON ls.season BETWEEN t.season - 3 AND t.season - 1 GROUP BY t.season
      )
      SELECT g.game_id, pf.n AS park_games, pf.park_rpg / lf.lg_rpg AS run_factor
      FROM games g LEFT JOIN pf ON pf.park_id = g.park_id AND pf.season = g.season LEFT JOIN lf ON lf.season = g.season`);

    // Market view: no-vig probabilities from each book's opening and closing moneyline, averaged over books.
    await sql.run(`CREATE VIEW market_pre AS
      WITH ml AS (
        SELECT game_id, book, is_open, is_close, (1 / home_price) / (1 / home_price + 1 / away_price) AS p_home
        FROM odds WHERE market = 'moneyline' AND home_price > 1 AND away_price > 1
      ), tot AS (
        SELECT game_id, avg(line) AS close_total FROM odds WHERE market = 'total' AND is_close GROUP BY game_id
      ), g AS (
        SELECT game_id, avg(p_home) FILTER (WHERE is_open) AS open_p, avg(p_home) FILTER (WHERE is_close) AS close_p FROM ml GROUP BY game_id
      )
      SELECT coalesce(g.game_id, tot.game_id) AS game_id, g.open_p, g.close_p, tot.close_total
      FROM g FULL JOIN tot USING (game_id)`);
  },
};
