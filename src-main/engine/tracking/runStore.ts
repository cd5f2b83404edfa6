import { randomUUID } from 'node:crypto';
import type { DuckDBValue } from '@duckdb/node-api';
import { BullpenError, notFoundError } from '../../shared/errors';
import type { Sql } from '../workspace/sql';
import type { Workspace } from '../workspace/workspace';
import { decodeArtifact, encodeArtifact, isRunDataArtifact, setRunData, type RunData } from '../../shared/results';
import { codeVersion } from './codeVersion';
import { insertModel } from './modelStore';
import type { RunService } from './runService';
import { buildRunQuery } from './runQuery';
import type {
  ArtifactInput,
  MetricPoint,
  ParamValue,
  RunDetail,
  RunParams,
  RunQuery,
  RunResults,
  RunStart,
  RunStatus,
  RunSummary,
} from './runTypes';

/** Rows per multi-row INSERT: big enough to make curves cheap, small enough for DuckDB's parameter handling. */
const INSERT_CHUNK = 400;
/** JSON artifacts up to this size are inlined in a run's detail (curves, folds, equity); larger ones are listed only. */
const INLINE_ARTIFACT_BYTES = 2_000_000;

type ParamType = 'string' | 'number' | 'boolean';

/** A parameter as stored: its canonical text (what search and filters match) and its type. */
function encodeParam(key: string, v: ParamValue): [string, ParamType] {
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw new BullpenError(
      'internal',
      'BAD_RUN_PARAM',
      `run parameter ${key} is ${v}: parameters must be finite numbers, text or true/false`,
      { key },
    );
  }
  return [String(v), typeof v as ParamType];
}

const decodeParam = (text: string, type: string): ParamValue =>
  type === 'number' ? Number(text) : type === 'boolean' ? text === 'true' : text;

async function insertRows(
  sql: Sql,
  table: string,
  columns: string[],
  rows: DuckDBValue[][],
  placeholders: string[] = columns.map(() => '?'),
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const tuple = `(${placeholders.join(', ')})`;
    await sql.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`, chunk.flat());
  }
}

async function insertRun(sql: Sql, id: string, start: RunStart, status: RunStatus, startedAt: string): Promise<void> {
  await sql.run(
    `INSERT INTO runs (id, name, kind, status, parent_id, job_id, target, feature_set, feature_versions, data_hash, seed, code_version, synthetic, started_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::JSON, ?, ?, ?, ?, ?::TIMESTAMPTZ)`,
    [
      id,
      start.name,
      start.kind,
      status,
      start.parentId ?? null,
      start.jobId ?? null,
      start.target ?? null,
      start.featureSet ?? null,
      start.featureVersions ? JSON.stringify(start.featureVersions) : null,
      start.dataHash ?? null,
      start.seed ?? null,
      codeVersion(),
      start.synthetic ?? false,
      startedAt,
    ],
  );
  const params = Object.entries(start.params).flatMap(([k, v]) => (v === undefined || v === null ? [] : [[id, k, ...encodeParam(k, v)]]));
  await insertRows(sql, 'run_params', ['run_id', 'key', 'value', 'value_type'], params);
  await writeTags(sql, id, start.tags ?? {});
}

async function writeTags(sql: Sql, id: string, tags: Record<string, string>): Promise<void> {
  for (const [k, v] of Object.entries(tags)) await sql.run(`INSERT OR REPLACE INTO run_tags VALUES (?, ?, ?)`, [id, k, v]);
}

async function writeMetrics(sql: Sql, id: string, metrics: MetricPoint[]): Promise<void> {
  // Later points for the same key and step win, so a caller can restate a value without a conflict.
  const byKey = new Map<string, DuckDBValue[]>();
  // Values travel as text cast to DOUBLE: the driver would bind a whole number beyond int64 (1e20) as BIGINT and fail.
  for (const m of metrics)
    byKey.set(`${m.key}\u0000${m.step ?? 0}`, [id, m.key, m.step ?? 0, Number.isFinite(m.value) ? String(m.value) : null]);
  await insertRows(sql, 'run_metrics', ['run_id', 'key', 'step', 'value'], [...byKey.values()], ['?', '?', '?', 'CAST(? AS DOUBLE)']);
}

async function writeArtifacts(sql: Sql, id: string, artifacts: ArtifactInput[]): Promise<void> {
  for (const a of artifacts) {
    // Checked against the artifact's schema here, inside the run's transaction: a mismatch fails the run, nothing half-written.
    const e = encodeArtifact(a.name, a.value);
    await sql.run(`INSERT OR REPLACE INTO run_artifacts VALUES (?, ?, ?, ?, ?)`, [
      id,
      e.name,
      e.mediaType,
      e.content,
      Buffer.byteLength(e.content),
    ]);
  }
}

/**
 * The tracking store in the workspace's DuckDB file. A run is inserted `running` with its params when
 * work starts; its metrics, artifacts, children and model land together with the final status in one
 * transaction (finish), or the run is marked failed/cancelled with the cause (abandon). Nothing
 * half-written can look complete. `liveJobIds` names the jobs running now (the job service's answer):
 * a `running` run of any other job reads as interrupted.
 */
export class DuckDbRunStore implements RunService {
  constructor(
    private readonly ws: Workspace,
    private readonly liveJobIds: () => readonly string[] = () => [],
  ) {}

  async start(start: RunStart): Promise<string> {
    const id = randomUUID();
    await this.ws.transaction((sql) => insertRun(sql, id, start, 'running', new Date().toISOString()));
    return id;
  }

  async finish(id: string, results: RunResults): Promise<void> {
    await this.ws.transaction(async (sql) => {
      const row = await sql.one<{ status: string }>(`SELECT status FROM runs WHERE id = ?`, [id]);
      if (!row) throw notFoundError('RUN_NOT_FOUND', `no run with id ${id}`, { id });
      if (row.status !== 'running')
        throw new BullpenError('conflict', 'RUN_NOT_RUNNING', `run ${id} is already ${row.status}`, { id, status: row.status });
      await writeMetrics(sql, id, results.metrics);
      await writeArtifacts(sql, id, results.artifacts ?? []);
      await writeTags(sql, id, results.tags ?? {});
      for (const child of results.children ?? []) {
        const childId = randomUUID();
        await insertRun(sql, childId, { ...child, parentId: id }, 'completed', new Date().toISOString());
        await writeMetrics(sql, childId, child.metrics);
        await writeArtifacts(sql, childId, child.artifacts ?? []);
        await sql.run(`UPDATE runs SET finished_at = now(), duration_ms = 0 WHERE id = ?`, [childId]);
      }
      if (results.model) await insertModel(sql, id, results.model);
      await sql.run(
        `UPDATE runs SET status = 'completed', finished_at = now(), duration_ms = epoch_ms(now()) - epoch_ms(started_at) WHERE id = ?`,
        [id],
      );
    });
  }

  /** Marks a run that did not finish; its partial results are never written. */
  async abandon(id: string, status: 'failed' | 'cancelled', error: string): Promise<void> {
    await this.ws.run(
      `UPDATE runs SET status = ?, error = ?, finished_at = now(), duration_ms = epoch_ms(now()) - epoch_ms(started_at) WHERE id = ? AND status = 'running'`,
      [status, error, id],
    );
  }

  async setTags(id: string, set: Record<string, string>, remove: string[]): Promise<RunSummary> {
    await this.get(id);
    await this.ws.transaction(async (sql) => {
      await writeTags(sql, id, set);
      for (const k of remove) await sql.run(`DELETE FROM run_tags WHERE run_id = ? AND key = ?`, [id, k]);
    });
    return (await this.list({ ids: [id], limit: 1 }))[0];
  }

  async list(query: RunQuery): Promise<RunSummary[]> {
    const { sql, params } = buildRunQuery(query, this.liveJobIds());
    const rows = await this.ws.all<RunRow>(sql, params);
    return this.decorate(rows);
  }

  async get(idOrPrefix: string): Promise<RunDetail> {
    const id = await this.resolveId(idOrPrefix);
    const [summary] = await this.list({ ids: [id], limit: 1 });
    const fv = await this.ws.value<string | null>(`SELECT feature_versions::VARCHAR FROM runs WHERE id = ?`, [id]);
    const curveRows = await this.ws.all<{ key: string; step: number; value: number | null }>(
      `SELECT key, step, value FROM run_metrics WHERE run_id = ? AND step > 0 ORDER BY key, step`,
      [id],
    );
    const curves: RunDetail['curves'] = {};
    for (const r of curveRows) (curves[r.key] ??= []).push({ step: r.step, value: r.value });
    const artifacts = await this.ws.all<{ name: string; media_type: string; bytes: number }>(
      `SELECT name, media_type, bytes FROM run_artifacts WHERE run_id = ? ORDER BY name`,
      [id],
    );
    const data: RunData = {};
    const unreadableData: RunDetail['unreadableData'] = [];
    for (const a of artifacts) {
      if (a.media_type !== 'application/json' || a.bytes > INLINE_ARTIFACT_BYTES || !isRunDataArtifact(a.name)) continue;
      const decoded = decodeArtifact(a.name, (await this.artifact(id, a.name)) ?? 'null');
      if (decoded.ok) setRunData(data, a.name, decoded.data);
      else unreadableData.push({ name: a.name, issue: decoded.issue });
    }
    const childRows = await this.ws.all<{ id: string }>(`SELECT id FROM runs WHERE parent_id = ? ORDER BY name`, [id]);
    const children = childRows.length
      ? await this.list({ ids: childRows.map((c) => c.id), limit: childRows.length, sort: 'name', order: 'asc' })
      : [];
    return {
      ...summary,
      featureVersions: fv ? (JSON.parse(fv) as { name: string; version: number }[]) : null,
      curves,
      artifacts: artifacts.map((a) => ({ name: a.name, mediaType: a.media_type, bytes: a.bytes })),
      data,
      unreadableData,
      children,
    };
  }

  /** A run's parameters, typed as they were recorded. */
  async params(idOrPrefix: string): Promise<RunParams> {
    const id = await this.resolveId(idOrPrefix);
    const rows = await this.ws.all<{ key: string; value: string; value_type: string }>(
      `SELECT key, value, value_type FROM run_params WHERE run_id = ?`,
      [id],
    );
    return Object.fromEntries(rows.map((r) => [r.key, decodeParam(r.value, r.value_type)]));
  }

  async artifact(runId: string, name: string): Promise<string | undefined> {
    return this.ws.value<string>(`SELECT content FROM run_artifacts WHERE run_id = ? AND name = ?`, [runId, name]);
  }

  /** Full ids, or a unique prefix of at least 6 characters (what the CLI prints). */
  async resolveId(idOrPrefix: string): Promise<string> {
    const rows = await this.ws.all<{ id: string }>(`SELECT id FROM runs WHERE id = ? OR (length(?) >= 6 AND starts_with(id, ?)) LIMIT 2`, [
      idOrPrefix,
      idOrPrefix,
      idOrPrefix,
    ]);
    if (rows.length === 0)
      throw notFoundError('RUN_NOT_FOUND', `no run with id ${idOrPrefix}: list runs with \`bullpen ml runs list\``, { id: idOrPrefix });
    if (rows.length > 1 && rows[0].id !== idOrPrefix)
      throw new BullpenError('usage', 'RUN_ID_AMBIGUOUS', `run id prefix ${idOrPrefix} matches several runs: give more characters`, {
        id: idOrPrefix,
      });
    return rows[0].id;
  }

  private async decorate(rows: RunRow[]): Promise<RunSummary[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const marks = ids.map(() => '?').join(', ');
    const params = await this.ws.all<{ run_id: string; key: string; value: string; value_type: string }>(
      `SELECT run_id, key, value, value_type FROM run_params WHERE run_id IN (${marks})`,
      ids,
    );
    const tags = await this.ws.all<{ run_id: string; key: string; value: string }>(
      `SELECT run_id, key, value FROM run_tags WHERE run_id IN (${marks})`,
      ids,
    );
    const metrics = await this.ws.all<{ run_id: string; key: string; value: number | null }>(
      `SELECT run_id, key, value FROM run_metrics WHERE step = 0 AND run_id IN (${marks})`,
      ids,
    );
    const group = <T extends { run_id: string; key: string }, V>(list: T[], pick: (t: T) => V): Map<string, Record<string, V>> => {
      const out = new Map<string, Record<string, V>>();
      for (const r of list) {
        const rec = out.get(r.run_id) ?? {};
        rec[r.key] = pick(r);
        out.set(r.run_id, rec);
      }
      return out;
    };
    const p = group(params, (r) => decodeParam(r.value, r.value_type));
    const t = group(tags, (r) => r.value);
    const m = group(metrics, (r) => (r.value === null || Number.isFinite(r.value) ? r.value : null));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind as RunSummary['kind'],
      status: r.status as RunStatus,
      parentId: r.parent_id,
      jobId: r.job_id,
      target: r.target,
      featureSet: r.feature_set,
      dataHash: r.data_hash,
      seed: r.seed,
      codeVersion: r.code_version,
      synthetic: r.synthetic,
      error: r.error,
      startedAt: new Date(r.started_ms).toISOString(),
      finishedAt: r.finished_ms === null ? null : new Date(r.finished_ms).toISOString(),
      durationMs: r.duration_ms,
      params: p.get(r.id) ?? {},
      tags: t.get(r.id) ?? {},
      metrics: m.get(r.id) ?? {},
    }));
  }
}

export interface RunRow {
  [key: string]: unknown;
  id: string;
  name: string;
  kind: string;
  status: string;
  parent_id: string | null;
  job_id: string | null;
  target: string | null;
  feature_set: string | null;
  data_hash: string | null;
  seed: number | null;
  code_version: string | null;
  synthetic: boolean;
  error: string | null;
  started_ms: number;
  finished_ms: number | null;
  duration_ms: number | null;
}
