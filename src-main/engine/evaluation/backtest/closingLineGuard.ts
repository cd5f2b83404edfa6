import { inputError } from '../../../shared/errors';
import type { Sql } from '../../workspace/sql';

/**
 * Features tagged with this are known only when the market closes (the closing line itself, the
 * movement from open to close). Tag your own definitions with it when they read closing prices.
 */
export const CLOSING_LINE_TAG = 'closing-line';

/** The given features (by name and version) whose definitions carry the closing-line tag. */
export async function closingLineFeatures(sql: Sql, features: { name: string; version: number }[]): Promise<string[]> {
  if (features.length === 0) return [];
  const rows = await sql.all<{ name: string; tags: string }>(
    `SELECT name, tags::VARCHAR AS tags FROM feature_definitions WHERE (name, version) IN (${features.map(() => '(?, ?)').join(', ')})`,
    features.flatMap((f) => [f.name, f.version]),
  );
  return rows.filter((r) => (JSON.parse(r.tags) as string[]).includes(CLOSING_LINE_TAG)).map((r) => r.name).sort();
}

/**
 * A model that reads the closing line cannot have bet at the opening price: at the open that line did
 * not exist yet, so such a backtest would be betting with the future. Refused with the features named.
 */
export async function assertNoClosingLineAtOpen(
  sql: Sql,
  odds: 'open' | 'close',
  what: string,
  features: { name: string; version: number }[],
): Promise<void> {
  if (odds !== 'open') return;
  const late = await closingLineFeatures(sql, features);
  if (late.length === 0) return;
  throw inputError(
    'BACKTEST_CLOSE_FEATURES_AT_OPEN',
    `${what} uses features known only at the close (${late.join(', ')}), so it cannot bet opening prices: backtest with --odds close, or train on a feature set without them`,
    { features: late },
  );
}
