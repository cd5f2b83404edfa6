import { RUNLINE_SPREAD, type Target } from '../../modeling/featureMatrix';
import type { Sql } from '../../workspace/sql';

/** The market a target is bet on, and its two sides' price columns (first side = the target's "yes"). */
const targetMarkets: Record<Target, { market: string; first: string; second: string; line: string }> = {
  home_win: { market: 'moneyline', first: 'home_price', second: 'away_price', line: 'true' },
  over: { market: 'total', first: 'over_price', second: 'under_price', line: 'true' },
  // Only the home side at exactly the target's spread prices it (as marketPrices does for backtests).
  home_runline: { market: 'runline', first: 'home_price', second: 'away_price', line: `line = ${RUNLINE_SPREAD}` },
};

export interface GamePrices {
  first: number | null;
  second: number | null;
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The price of each game's market available when it is predicted, averaged over books (as the closing
 * prices of the matrix are). Per book the quote taken is the close when the book has one, else its
 * latest quote; only quotes from before first pitch count (where the start time and capture time are
 * known). Live (`at` given), a quote must also have been captured by `at`: anything in the workspace
 * without a capture time was imported before now, so it was known. A replay (`at` null) takes the
 * day's close: it is by definition the last price quoted before first pitch, so a prediction made at
 * the close of the market sees nothing from after the game started.
 */
export async function pricesAt(sql: Sql, target: Target, gameIds: readonly string[], at: Date | null): Promise<Map<string, GamePrices>> {
  const out = new Map<string, GamePrices>();
  if (!gameIds.length) return out;
  const m = targetMarkets[target];
  const rows = await sql.all<{ game_id: string; first: number | null; second: number | null }>(
    `WITH quotes AS (
       SELECT o.game_id, o.${m.first} AS first, o.${m.second} AS second,
         row_number() OVER (PARTITION BY o.game_id, o.book ORDER BY o.is_close DESC, o.captured_at DESC NULLS LAST, o.is_open) AS r
       FROM odds o JOIN games g USING (game_id)
       WHERE o.market = ? AND (${m.line}) AND o.game_id IN (${gameIds.map(() => '?').join(', ')})
         AND (o.captured_at IS NULL OR g.start_time IS NULL OR o.captured_at < g.start_time)
         AND (o.captured_at IS NULL OR ?::TIMESTAMPTZ IS NULL OR o.captured_at <= ?::TIMESTAMPTZ))
     SELECT game_id, avg(first) AS first, avg(second) AS second FROM quotes WHERE r = 1 GROUP BY game_id`,
    [m.market, ...gameIds, at?.toISOString() ?? null, at?.toISOString() ?? null],
  );
  for (const r of rows) out.set(r.game_id, { first: finite(r.first), second: finite(r.second) });
  return out;
}

/**
 * SQL for the closing prices of the logged games of one deployment (alias `c`): the target market's two
 * sides (`close_first`, `close_second`) and the closing total line the `over` target is graded against.
 */
export function closingPricesSql(target: Target): string {
  const m = targetMarkets[target];
  const close = `market = '${m.market}' AND is_close AND (${m.line})`;
  return `SELECT game_id,
      avg(${m.first}) FILTER (WHERE ${close}) AS close_first,
      avg(${m.second}) FILTER (WHERE ${close}) AS close_second,
      avg(line) FILTER (WHERE market = 'total' AND is_close) AS total_line
    FROM odds WHERE game_id IN (SELECT game_id FROM prediction_log WHERE deployment_id = $deployment)
    GROUP BY game_id`;
}
