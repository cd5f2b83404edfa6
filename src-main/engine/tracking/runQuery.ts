import type { DuckDBValue } from '@duckdb/node-api';
import { BullpenError } from '../../shared/errors';
import type { RunQuery } from './runTypes';

const FILTER = /^(metric|param|tag)\.([A-Za-z0-9_.\-/ ]+?)\s*(<=|>=|!=|=|<|>|~)\s*(.*)$/;
const OPS = new Set(['<=', '>=', '!=', '=', '<', '>']);

/**
 * A `contains` pattern for `ILIKE ? ESCAPE '\\'`: search text is literal, so the user's `%`, `_` and `\`
 * match themselves instead of acting as wildcards.
 */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The runs with their derived status: a `running` run whose job is not among the live ones (its process
 * died, or the engine restarted) reads as interrupted. The live jobs come from the job service, so the
 * tracking store never reads the jobs table.
 */
function base(liveJobIds: readonly string[], params: DuckDBValue[]): string {
  params.push(...liveJobIds);
  const dead = liveJobIds.length ? `r.job_id NOT IN (${liveJobIds.map(() => '?').join(', ')})` : 'true';
  return `SELECT r.id, r.name, r.kind,
    CASE WHEN r.status = 'running' AND r.job_id IS NOT NULL AND ${dead} THEN 'interrupted' ELSE r.status END AS status,
    r.parent_id, r.job_id, r.target, r.feature_set, r.data_hash, r.seed, r.code_version, r.synthetic, r.error,
    epoch_ms(r.started_at) AS started_ms, epoch_ms(r.finished_at) AS finished_ms, r.duration_ms
  FROM runs r`;
}

function filterClause(expr: string, params: DuckDBValue[]): string {
  const m = FILTER.exec(expr.trim());
  if (!m) {
    throw new BullpenError(
      'usage',
      'BAD_RUN_FILTER',
      `filter "${expr}" is not like metric.logLoss<0.69, param.learning_rate=0.05 or tag.note=baseline (~ matches text)`,
      { filter: expr },
    );
  }
  const [, scope, key, op, raw] = m;
  const value = raw.trim();
  if (scope === 'metric') {
    const n = Number(value);
    if (op === '~' || value === '' || !Number.isFinite(n))
      throw new BullpenError('usage', 'BAD_RUN_FILTER', `metric filter "${expr}" needs a number and one of < <= = != >= >`, {
        filter: expr,
      });
    params.push(key, n);
    return `EXISTS (SELECT 1 FROM run_metrics m WHERE m.run_id = q.id AND m.step = 0 AND m.key = ? AND m.value ${op} ?)`;
  }
  const table = scope === 'param' ? 'run_params' : 'run_tags';
  if (op === '~') {
    params.push(key, containsPattern(value));
    return `EXISTS (SELECT 1 FROM ${table} t WHERE t.run_id = q.id AND t.key = ? AND t.value ILIKE ? ESCAPE '\\')`;
  }
  if (!OPS.has(op)) throw new BullpenError('usage', 'BAD_RUN_FILTER', `unknown operator in "${expr}"`, { filter: expr });
  const n = Number(value);
  if (op !== '=' && op !== '!=' && Number.isFinite(n) && value !== '') {
    params.push(key, n);
    return `EXISTS (SELECT 1 FROM ${table} t WHERE t.run_id = q.id AND t.key = ? AND TRY_CAST(t.value AS DOUBLE) ${op} ?)`;
  }
  // Equality compares text, but 0.05 and "0.05" are the same parameter.
  params.push(key, value, Number.isFinite(n) && value !== '' ? n : null);
  const cmp = op === '=' ? '' : 'NOT ';
  return `${cmp}EXISTS (SELECT 1 FROM ${table} t WHERE t.run_id = q.id AND t.key = ? AND (t.value = ? OR TRY_CAST(t.value AS DOUBLE) = ?))`;
}

/** Turns a run query into one parameterized SELECT over the derived-status view (`liveJobIds`: jobs still running). */
export function buildRunQuery(q: RunQuery, liveJobIds: readonly string[]): { sql: string; params: DuckDBValue[] } {
  const where: string[] = [];
  const baseParams: DuckDBValue[] = [];
  const from = base(liveJobIds, baseParams);
  const params: DuckDBValue[] = [];
  if (q.ids) {
    if (q.ids.length === 0) return { sql: `${from} WHERE false`, params: baseParams };
    where.push(`q.id IN (${q.ids.map(() => '?').join(', ')})`);
    params.push(...q.ids);
  } else if (q.topLevel !== false) {
    where.push('q.parent_id IS NULL');
  }
  if (q.kind) {
    where.push('q.kind = ?');
    params.push(q.kind);
  }
  if (q.status) {
    where.push('q.status = ?');
    params.push(q.status);
  }
  if (q.search?.trim()) {
    const like = containsPattern(q.search.trim());
    const matches = (col: string): string => `${col} ILIKE ? ESCAPE '\\'`;
    where.push(`(${matches('q.name')} OR ${matches('q.id')} OR ${matches('q.kind')} OR ${matches("coalesce(q.target, '')")} OR ${matches("coalesce(q.feature_set, '')")}
      OR EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = q.id AND (${matches('t.value')} OR ${matches('t.key')}))
      OR EXISTS (SELECT 1 FROM run_params p WHERE p.run_id = q.id AND ${matches('p.value')}))`);
    params.push(like, like, like, like, like, like, like, like);
  }
  for (const f of q.filters ?? []) where.push(filterClause(f, params));
  let orderBy: string;
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  const sort = q.sort ?? 'startedAt';
  if (sort.startsWith('metric.')) {
    orderBy = `(SELECT m.value FROM run_metrics m WHERE m.run_id = q.id AND m.step = 0 AND m.key = ?) ${dir} NULLS LAST, q.started_ms DESC`;
  } else if (sort === 'name') orderBy = `q.name ${dir}, q.started_ms DESC`;
  else if (sort === 'durationMs') orderBy = `q.duration_ms ${dir} NULLS LAST`;
  else if (sort === 'startedAt') orderBy = `q.started_ms ${dir}, q.id`;
  else
    throw new BullpenError('usage', 'BAD_RUN_SORT', `cannot sort runs by "${sort}": use startedAt, name, durationMs or metric.KEY`, {
      sort,
    });
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const sortParams: DuckDBValue[] = sort.startsWith('metric.') ? [sort.slice('metric.'.length)] : [];
  return {
    sql: `SELECT * FROM (${from}) q ${whereSql} ORDER BY ${orderBy} LIMIT ?`,
    params: [...baseParams, ...params, ...sortParams, q.limit],
  };
}
