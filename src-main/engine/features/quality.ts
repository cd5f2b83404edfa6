import type { Sql } from '../workspace/sql';
import { quoteIdent } from './computeFeatures';
import type { FeatureDefinition } from './definitionSchema';

export interface FeatureQuality {
  feature: string;
  version: number;
  rows: number;
  missingRate: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  quantiles: { p01: number | null; p25: number | null; p50: number | null; p75: number | null; p99: number | null };
  distinctCount: number;
  schemaOk: boolean;
  schemaErrors: string[];
}

/** A feature missing on more than this share of games is flagged as degraded. */
export const DEGRADED_MISSING_RATE = 0.5;

/** Per-feature statistics and schema checks of a materialized table (dtype, finiteness, probabilities in [0, 1]). */
export async function measureQuality(sql: Sql, table: string, features: FeatureDefinition[]): Promise<FeatureQuality[]> {
  const out: FeatureQuality[] = [];
  for (const f of features) {
    const c = quoteIdent(f.name);
    const r = await sql.one<
      Record<string, number | null>
    >(`SELECT count(*) AS n, count(${c}) AS present, min(${c}) AS mn, max(${c}) AS mx, avg(${c}) AS mean, stddev_samp(${c}) AS sd,
      quantile_cont(${c}, 0.01) AS p01, quantile_cont(${c}, 0.25) AS p25, quantile_cont(${c}, 0.5) AS p50, quantile_cont(${c}, 0.75) AS p75, quantile_cont(${c}, 0.99) AS p99,
      count(DISTINCT ${c}) AS distinct_count,
      count(*) FILTER (WHERE ${c} IS NOT NULL AND ${c} <> round(${c})) AS non_integer,
      count(*) FILTER (WHERE ${c} IS NOT NULL AND ${c} NOT IN (0, 1)) AS non_boolean,
      count(*) FILTER (WHERE isinf(${c}) OR isnan(${c})) AS non_finite
      FROM ${quoteIdent(table)}`);
    const n = Number(r?.n ?? 0);
    const present = Number(r?.present ?? 0);
    const errors: string[] = [];
    if (f.dtype === 'integer' && Number(r?.non_integer)) errors.push(`${r?.non_integer} values are not whole numbers but dtype is integer`);
    if (f.dtype === 'boolean' && Number(r?.non_boolean)) errors.push(`${r?.non_boolean} values are not 0/1 but dtype is boolean`);
    if (Number(r?.non_finite)) errors.push(`${r?.non_finite} values are infinite or NaN`);
    if (/prob/.test(f.name) && r?.mn !== null && r?.mx !== null && (Number(r?.mn) < 0 || Number(r?.mx) > 1))
      errors.push('a probability outside [0, 1]');
    const num = (v: unknown) => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v));
    out.push({
      feature: f.name,
      version: f.version,
      rows: n,
      missingRate: n ? 1 - present / n : 1,
      min: num(r?.mn),
      max: num(r?.mx),
      mean: num(r?.mean),
      std: num(r?.sd),
      quantiles: { p01: num(r?.p01), p25: num(r?.p25), p50: num(r?.p50), p75: num(r?.p75), p99: num(r?.p99) },
      distinctCount: Number(r?.distinct_count ?? 0),
      schemaOk: errors.length === 0,
      schemaErrors: errors,
    });
  }
  return out;
}

export async function saveQuality(sql: Sql, materializationId: string, q: FeatureQuality[]): Promise<void> {
  for (const x of q) {
    await sql.run(`INSERT OR REPLACE INTO feature_quality VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::JSON)`, [
      materializationId,
      x.feature,
      x.version,
      x.rows,
      x.missingRate,
      x.min,
      x.max,
      x.mean,
      x.std,
      x.quantiles.p01,
      x.quantiles.p25,
      x.quantiles.p50,
      x.quantiles.p75,
      x.quantiles.p99,
      x.distinctCount,
      x.schemaOk,
      JSON.stringify(x.schemaErrors),
    ]);
  }
}

export async function loadQuality(sql: Sql, materializationId: string): Promise<FeatureQuality[]> {
  const rows = await sql.all<Record<string, unknown>>(
    `SELECT *, schema_errors::VARCHAR AS errs FROM feature_quality WHERE materialization_id = ? ORDER BY feature`,
    [materializationId],
  );
  return rows.map(toQuality);
}

/** A feature's quality in the newest materialization that measured it, or null when none did. */
export async function latestQualityOf(sql: Sql, feature: string): Promise<FeatureQuality | null> {
  const row = await sql.one<Record<string, unknown>>(
    `SELECT q.*, q.schema_errors::VARCHAR AS errs FROM feature_quality q JOIN feature_materializations m ON m.id = q.materialization_id
     WHERE q.feature = ? ORDER BY m.created_at DESC LIMIT 1`,
    [feature],
  );
  return row ? toQuality(row) : null;
}

function toQuality(r: Record<string, unknown>): FeatureQuality {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    feature: String(r.feature),
    version: Number(r.version),
    rows: Number(r.rows),
    missingRate: Number(r.missing_rate),
    min: num(r.min),
    max: num(r.max),
    mean: num(r.mean),
    std: num(r.std),
    quantiles: { p01: num(r.p01), p25: num(r.p25), p50: num(r.p50), p75: num(r.p75), p99: num(r.p99) },
    distinctCount: Number(r.distinct_count),
    schemaOk: Boolean(r.schema_ok),
    schemaErrors: JSON.parse(String(r.errs)) as string[],
  };
}
