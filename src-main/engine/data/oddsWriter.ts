import type { Sql } from '../workspace/sql';
import { stageRows, type StagedColumn, type StagedValue } from './stagingTable';

export type Market = 'moneyline' | 'total' | 'runline';

/** One posted price: a moneyline/runline has home and away prices, a total has over and under prices. */
export interface OddsRow {
  gameId: string;
  book: string;
  market: Market;
  capturedAt: string | null;
  homePrice: number | null;
  awayPrice: number | null;
  overPrice: number | null;
  underPrice: number | null;
  /** Total runs for a total; the home side's spread (-1.5 / +1.5) for a run line. */
  line: number | null;
  isOpen: boolean;
  isClose: boolean;
}

const oddsColumns: StagedColumn[] = [
  { name: 'game_id', type: 'VARCHAR' },
  { name: 'book', type: 'VARCHAR' },
  { name: 'market', type: 'VARCHAR' },
  { name: 'captured_at', type: 'TIMESTAMPTZ' },
  { name: 'home_price', type: 'DOUBLE' },
  { name: 'away_price', type: 'DOUBLE' },
  { name: 'over_price', type: 'DOUBLE' },
  { name: 'under_price', type: 'DOUBLE' },
  { name: 'line', type: 'DOUBLE' },
  { name: 'is_open', type: 'BOOLEAN' },
  { name: 'is_close', type: 'BOOLEAN' },
  { name: 'synthetic', type: 'BOOLEAN' },
  { name: 'source', type: 'VARCHAR' },
  { name: 'import_id', type: 'VARCHAR' },
];

/**
 * Marks the first row of each game/book/market as opening and the last one before `startOf(game)`
 * (or the last one when the start is unknown) as closing, unless the source already flagged them.
 */
export function flagOpenClose(rows: OddsRow[], startOf: (gameId: string) => string | null): void {
  const groups = new Map<string, OddsRow[]>();
  for (const r of rows) {
    const k = `${r.gameId}|${r.book}|${r.market}`;
    const g = groups.get(k) ?? [];
    g.push(r);
    groups.set(k, g);
  }
  for (const [k, g] of groups) {
    if (g.some((r) => r.isOpen || r.isClose)) continue;
    // ISO-8601 UTC strings of one format sort chronologically as plain strings.
    g.sort((a, b) => ((a.capturedAt ?? '') < (b.capturedAt ?? '') ? -1 : (a.capturedAt ?? '') > (b.capturedAt ?? '') ? 1 : 0));
    const start = startOf(k.split('|')[0]);
    const pregame = start ? g.filter((r) => r.capturedAt !== null && r.capturedAt < start) : g;
    if (!pregame.length) continue;
    pregame[0].isOpen = true;
    pregame[pregame.length - 1].isClose = true;
  }
}

/** The odds columns in table order, for set-based writers that build their rows in SQL. */
export const ODDS_COLUMN_NAMES = oddsColumns.map((c) => c.name);

/** Stages rows into `temp.<table>` with the odds columns (dates as text); returns the casting SELECT list. */
export async function stageOdds(
  sql: Sql,
  table: string,
  rows: OddsRow[],
  meta: { source: string; importId: string; synthetic: boolean },
): Promise<string> {
  const staged: StagedValue[][] = rows.map((r) => [
    r.gameId,
    r.book,
    r.market,
    r.capturedAt,
    r.homePrice,
    r.awayPrice,
    r.overPrice,
    r.underPrice,
    r.line,
    r.isOpen,
    r.isClose,
    meta.synthetic,
    meta.source,
    meta.importId,
  ]);
  return stageRows(sql, table, oddsColumns, staged);
}

/**
 * Replaces a book's odds for every game found in `temp.<table>` (whose SELECT list `select` yields the
 * odds columns in order) inside the caller's transaction, and drops the temp table.
 */
export async function replaceOddsFromTemp(sql: Sql, table: string, select: string): Promise<{ inserted: number; replaced: number }> {
  const keys = `(SELECT DISTINCT game_id, book FROM temp.${table})`;
  const inserted = Number(await sql.value(`SELECT count(*) FROM temp.${table}`));
  const replaced = Number(await sql.value(`SELECT count(*) FROM odds WHERE (game_id, book) IN ${keys}`));
  await sql.run(`DELETE FROM odds WHERE (game_id, book) IN ${keys}`);
  await sql.run(`INSERT INTO odds (${ODDS_COLUMN_NAMES.join(', ')}) SELECT ${select} FROM temp.${table}`);
  await sql.run(`DROP TABLE temp.${table}`);
  return { inserted, replaced };
}

/** Replaces the given book's odds for every game in `rows` inside the caller's transaction. */
export async function replaceOdds(
  sql: Sql,
  rows: OddsRow[],
  meta: { source: string; importId: string; synthetic: boolean },
): Promise<{ inserted: number; replaced: number }> {
  if (!rows.length) return { inserted: 0, replaced: 0 };
  const select = await stageOdds(sql, 'staged_odds', rows, meta);
  return replaceOddsFromTemp(sql, 'staged_odds', select);
}
