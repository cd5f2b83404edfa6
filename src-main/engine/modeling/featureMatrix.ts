import { inputError } from '../../shared/errors';
import type { Workspace } from '../workspace/workspace';
import { quoteIdent } from '../features/computeFeatures';
import { materializeSet } from '../features/materialize';
import { streamMatrixRows } from './streamMatrixRows';

import { targets, type Target } from '../../shared/vocabulary';
export { targets, type Target };

/** The run line every target row is graded against: home -1.5 (the home team must win by 2+). */
export const RUNLINE_SPREAD = -1.5;

/** SQL for each target from a game `g` and its closing markets `c`; NULL when ungradable (no result, push, no total). */
export const targetSql: Record<Target, string> = {
  home_win: `CASE WHEN g.home_score IS NULL THEN NULL WHEN g.home_score > g.away_score THEN 1.0 ELSE 0.0 END`,
  over: `CASE WHEN g.home_score IS NULL OR c.total_line IS NULL OR g.home_score + g.away_score = c.total_line THEN NULL
              WHEN g.home_score + g.away_score > c.total_line THEN 1.0 ELSE 0.0 END`,
  home_runline: `CASE WHEN g.home_score IS NULL THEN NULL WHEN g.home_score - g.away_score + (${RUNLINE_SPREAD}) > 0 THEN 1.0 ELSE 0.0 END`,
};

/** Closing and opening prices per game (mean over books), for backtests next to the matrix. */
export const closingMarketsSql = `
  SELECT game_id,
    avg(home_price) FILTER (WHERE market = 'moneyline' AND is_close) AS home_close,
    avg(away_price) FILTER (WHERE market = 'moneyline' AND is_close) AS away_close,
    avg(home_price) FILTER (WHERE market = 'moneyline' AND is_open) AS home_open,
    avg(away_price) FILTER (WHERE market = 'moneyline' AND is_open) AS away_open,
    avg(line) FILTER (WHERE market = 'total' AND is_close) AS total_line,
    avg(over_price) FILTER (WHERE market = 'total' AND is_close) AS over_price,
    avg(under_price) FILTER (WHERE market = 'total' AND is_close) AS under_price,
    avg(line) FILTER (WHERE market = 'runline' AND is_close) AS runline_home,
    avg(home_price) FILTER (WHERE market = 'runline' AND is_close) AS runline_home_price,
    avg(away_price) FILTER (WHERE market = 'runline' AND is_close) AS runline_away_price
  FROM odds GROUP BY game_id`;

export interface FeatureMatrix {
  setName: string;
  contentHash: string;
  materializationId: string;
  featureNames: string[];
  featureVersions: { name: string; version: number }[];
  target: Target;
  rows: number;
  cols: number;
  gameIds: string[];
  dates: string[];
  seasons: Int32Array;
  /** Row-major rows × cols; NaN where a feature is missing (LightGBM's missing value). */
  features: Float64Array;
  /** 0/1 per row; NaN for unlabeled rows (scheduled games) when includeUnlabeled. */
  label: Float64Array;
  /** Closing/opening decimal prices per row, NaN where the game has no such market. */
  odds: Record<
    | 'homeClose'
    | 'awayClose'
    | 'homeOpen'
    | 'awayOpen'
    | 'totalLine'
    | 'overPrice'
    | 'underPrice'
    | 'runlineHome'
    | 'runlineHomePrice'
    | 'runlineAwayPrice',
    Float64Array
  >;
  synthetic: boolean;
}

export interface FeatureMatrixOptions {
  set: string;
  /** Seasons to include: a list, or a range string like `2000-2014`. All seasons when omitted. */
  seasons?: number[] | string;
  target: Target;
  /** Keep games without a label (scheduled games to score); their label is NaN. */
  includeUnlabeled?: boolean;
}

export function parseSeasons(spec: number[] | string | undefined): number[] | undefined {
  if (spec === undefined) return undefined;
  if (Array.isArray(spec)) return spec;
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$/.exec(part);
    if (!m) throw inputError('BAD_SEASONS', `seasons "${spec}" is not a season list or range like 2000-2014`, { seasons: spec });
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    if (b < a) throw inputError('BAD_SEASONS', `season range ${part} runs backwards`, { seasons: spec });
    for (let s = a; s <= b; s++) out.push(s);
  }
  return out;
}

/** The closing/opening price columns of `closingMarketsSql`, in the order the matrix query selects them. */
const oddsColumns = [
  ['homeClose', 'home_close'],
  ['awayClose', 'away_close'],
  ['homeOpen', 'home_open'],
  ['awayOpen', 'away_open'],
  ['totalLine', 'total_line'],
  ['overPrice', 'over_price'],
  ['underPrice', 'under_price'],
  ['runlineHome', 'runline_home'],
  ['runlineHomePrice', 'runline_home_price'],
  ['runlineAwayPrice', 'runline_away_price'],
] as const satisfies readonly (readonly [keyof FeatureMatrix['odds'], string])[];

/** A value as DOUBLE with NULL as NaN, so DuckDB hands back plain float vectors that need no per-value conversion. */
const asDouble = (expr: string) => `coalesce(CAST(${expr} AS DOUBLE), 'NaN'::DOUBLE)`;

/**
 * The matrix every training and backtest engine reads: the set's materialized values (materialized now
 * if missing or outdated) for the chosen seasons, in time order, with the target and the closing prices.
 */
export async function loadFeatureMatrix(ws: Workspace, opts: FeatureMatrixOptions): Promise<FeatureMatrix> {
  if (!targetSql[opts.target]) throw inputError('BAD_TARGET', `unknown target ${opts.target}; use ${targets.join(', ')}`);
  const mat = await materializeSet(ws, opts.set);
  const seasons = parseSeasons(opts.seasons);
  const names = mat.features.map((f) => f.name);
  const where = [
    seasons?.length ? `m.season IN (${seasons.map(Number).join(',')})` : 'true',
    opts.includeUnlabeled ? 'true' : `(${targetSql[opts.target]}) IS NOT NULL`,
  ].join(' AND ');
  const sql = `
    SELECT m.game_id, strftime(m.date, '%Y-%m-%d') AS d, CAST(m.season AS INTEGER) AS season, g.synthetic,
      ${asDouble(targetSql[opts.target])} AS label,
      ${oddsColumns.map(([, c]) => `${asDouble(`c.${c}`)} AS ${c}`).join(', ')}
      ${names.length ? ',' + names.map((n) => `${asDouble(`m.${quoteIdent(n)}`)} AS ${quoteIdent(n)}`).join(', ') : ''}
    FROM ${quoteIdent(mat.tableName)} m JOIN games g USING (game_id) LEFT JOIN (${closingMarketsSql}) c USING (game_id)
    WHERE ${where}
    ORDER BY m.date, m.game_number, m.game_id`;
  const read = await streamMatrixRows(ws.connection, sql, { singles: 1 + oddsColumns.length, blockWidth: names.length });
  const [label, ...odds] = read.singles;
  return {
    setName: opts.set,
    contentHash: mat.contentHash,
    materializationId: mat.id,
    featureNames: names,
    featureVersions: mat.features,
    target: opts.target,
    rows: read.rows,
    cols: names.length,
    gameIds: read.gameIds,
    dates: read.dates,
    seasons: read.seasons,
    features: read.block,
    label,
    odds: Object.fromEntries(oddsColumns.map(([key], k) => [key, odds[k]])) as FeatureMatrix['odds'],
    synthetic: read.synthetic,
  };
}
