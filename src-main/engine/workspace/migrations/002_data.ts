import type { Migration } from '../migration';
import { gamesTableDdl } from '../../data/gameColumns';
import { realFranchises } from '../../data/realTeams';
import { normalizeTeamAlias } from '../../data/teamNames';

/**
 * Games, teams, odds and the import log. No foreign keys on purpose: a re-import replaces games by
 * their natural id (home code + date + game number), and odds keyed by that id survive it.
 */
export const dataMigration: Migration = {
  version: 2,
  name: 'data: teams, games, odds, imports',
  async up(sql) {
    await sql.run(`CREATE TABLE teams (
      code VARCHAR PRIMARY KEY,
      franchise VARCHAR NOT NULL,
      league VARCHAR,
      city VARCHAR,
      nickname VARCHAR,
      first_season INTEGER,
      last_season INTEGER,
      synthetic BOOLEAN NOT NULL DEFAULT false
    )`);
    await sql.run(`CREATE TABLE team_names (
      alias VARCHAR NOT NULL,
      alias_norm VARCHAR NOT NULL,
      franchise VARCHAR NOT NULL,
      kind VARCHAR NOT NULL,
      first_season INTEGER,
      last_season INTEGER,
      synthetic BOOLEAN NOT NULL DEFAULT false,
      PRIMARY KEY (alias_norm, franchise, kind)
    )`);
    await sql.run(gamesTableDdl('games'));
    await sql.run(`CREATE INDEX games_date_idx ON games (date)`);
    await sql.run(`CREATE INDEX games_season_idx ON games (season)`);
    await sql.run(`CREATE TABLE odds (
      game_id VARCHAR NOT NULL,
      book VARCHAR NOT NULL,
      market VARCHAR NOT NULL,
      captured_at TIMESTAMPTZ,
      home_price DOUBLE,
      away_price DOUBLE,
      over_price DOUBLE,
      under_price DOUBLE,
      line DOUBLE,
      is_open BOOLEAN NOT NULL DEFAULT false,
      is_close BOOLEAN NOT NULL DEFAULT false,
      synthetic BOOLEAN NOT NULL DEFAULT false,
      source VARCHAR,
      import_id VARCHAR
    )`);
    await sql.run(`CREATE INDEX odds_game_idx ON odds (game_id)`);
    await sql.run(`CREATE TABLE imports (
      id VARCHAR PRIMARY KEY,
      kind VARCHAR NOT NULL,
      files JSON NOT NULL,
      started_at TIMESTAMPTZ NOT NULL,
      finished_at TIMESTAMPTZ NOT NULL,
      rows_read INTEGER NOT NULL,
      inserted INTEGER NOT NULL,
      updated INTEGER NOT NULL,
      unmatched INTEGER NOT NULL,
      synthetic BOOLEAN NOT NULL DEFAULT false,
      details JSON
    )`);
    for (const f of realFranchises) {
      for (const c of f.codes) {
        await sql.run(`INSERT INTO teams VALUES (?, ?, ?, ?, ?, ?, ?, false)`, [
          c.code,
          f.franchise,
          c.league,
          c.city,
          c.nickname,
          c.first,
          c.last,
        ]);
      }
      const aliases: [string, string, number | null, number | null][] = [
        ...f.names.map(([n, a, b]) => [n, 'name', a, b] as [string, string, number | null, number | null]),
        ...f.abbreviations.map((a) => [a, 'abbr', null, null] as [string, string, number | null, number | null]),
        ...f.codes.map((c) => [c.code, 'code', c.first, c.last] as [string, string, number | null, number | null]),
      ];
      const seen = new Set<string>();
      for (const [alias, kind, first, last] of aliases) {
        const key = `${normalizeTeamAlias(alias)}|${kind}`;
        if (seen.has(key)) continue;
        seen.add(key);
        await sql.run(`INSERT INTO team_names VALUES (?, ?, ?, ?, ?, ?, false)`, [
          alias,
          normalizeTeamAlias(alias),
          f.franchise,
          kind,
          first,
          last,
        ]);
      }
    }
  },
};
