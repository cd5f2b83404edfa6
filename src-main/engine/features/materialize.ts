import { BullpenError } from '../../shared/errors';
import type { Workspace } from '../workspace/workspace';
import type { Sql } from '../workspace/sql';
import { computeFeatureTable, quoteIdent } from './computeFeatures';
import { withFeatureSandbox } from './sandbox/featureSandbox';
import { ensureBuiltinsIn, resolveSet, sha256 } from './definitionStore';
import { loadQuality, measureQuality, saveQuality, type FeatureQuality } from './quality';

export interface Materialization {
  id: string;
  setName: string;
  contentHash: string;
  dataHash: string;
  tableName: string;
  features: { name: string; version: number }[];
  rows: number;
  durationMs: number;
  createdAt: string;
  cached: boolean;
}

/** A fingerprint of everything features read (games and odds), so a materialization knows when it is outdated. */
export async function dataHash(sql: Sql): Promise<string> {
  const g = await sql.one(
    `SELECT count(*) AS n, max(date)::VARCHAR AS d, sum(hash(game_id, date, game_number, home, away, home_score, away_score, home_sp_id, away_sp_id, park_id, status)) AS h FROM games`,
  );
  const o = await sql.one(
    `SELECT count(*) AS n, sum(hash(game_id, book, market, captured_at, home_price, away_price, line, is_open, is_close)) AS h FROM odds`,
  );
  return sha256(JSON.stringify([g, o], (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).slice(0, 16);
}

const quoteLiteral = (s: string) => `'${s.replaceAll("'", "''")}'`;

const materializationTable = (contentHash: string) => `fm_${contentHash.slice(0, 16)}`;

type MatRow = {
  id: string;
  set_name: string;
  content_hash: string;
  data_hash: string;
  table_name: string;
  features: string;
  rows: number;
  duration_ms: number;
  created_at: Date;
};

const toMat = (r: MatRow, cached: boolean): Materialization => ({
  id: r.id,
  setName: r.set_name,
  contentHash: r.content_hash,
  dataHash: r.data_hash,
  tableName: r.table_name,
  features: JSON.parse(r.features) as { name: string; version: number }[],
  rows: r.rows,
  durationMs: r.duration_ms,
  createdAt: new Date(r.created_at).toISOString(),
  cached,
});

const MAT_SELECT = `SELECT id, set_name, content_hash, data_hash, table_name, features::VARCHAR AS features, rows, duration_ms, created_at FROM feature_materializations`;

export async function latestMaterialization(sql: Sql, setName: string): Promise<Materialization | undefined> {
  const r = await sql.one<MatRow>(`${MAT_SELECT} WHERE set_name = ? ORDER BY created_at DESC LIMIT 1`, [setName]);
  return r ? toMat(r, true) : undefined;
}

export async function allMaterializations(sql: Sql): Promise<Materialization[]> {
  return (await sql.all<MatRow>(`${MAT_SELECT} ORDER BY created_at DESC`)).map((r) => toMat(r, true));
}

/**
 * Materializes a feature set into a table named by its content hash, records per-feature quality, and
 * reuses the stored table when neither the definitions nor the data changed. One transaction.
 */
export async function materializeSet(
  ws: Workspace,
  setName: string,
  opts: { force?: boolean; onProgress?: (f: number, m: string) => void } = {},
): Promise<Materialization & { quality: FeatureQuality[] }> {
  await ensureBuiltinsIn(ws);
  const set = await resolveSet(ws, setName);
  const dh = await dataHash(ws);
  const existing = await ws.one<MatRow>(
    `${MAT_SELECT} WHERE set_name = ? AND content_hash = ? AND data_hash = ? ORDER BY created_at DESC LIMIT 1`,
    [setName, set.contentHash, dh],
  );
  if (existing && !opts.force) {
    const tableThere = Number(await ws.value(`SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, [existing.table_name]));
    if (tableThere) {
      return { ...toMat(existing, true), quality: await loadQuality(ws, existing.id) };
    }
  }
  const started = performance.now();
  const table = materializationTable(set.contentHash);
  const id = `${setName}@${set.contentHash.slice(0, 12)}:${dh.slice(0, 8)}`;
  opts.onProgress?.(0.05, `computing ${set.features.length} features`);
  // User SQL runs in the sandbox; only its result table, as data, crosses into the workspace.
  const result = await withFeatureSandbox(ws, set.features, async (sandbox) => {
    await computeFeatureTable(sandbox, set.features, 'mat_result');
    const values = await sandbox.exportTable('mat_result');
    opts.onProgress?.(0.7, 'storing values');
    return ws.transaction(async (sql) => {
      await sql.run(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM read_parquet(${quoteLiteral(values)})`);
      const rows = Number(await sql.value(`SELECT count(*) FROM ${quoteIdent(table)}`));
      opts.onProgress?.(0.8, 'measuring quality');
      const quality = await measureQuality(sql, table, set.features);
      const durationMs = performance.now() - started;
      const features = set.features.map((f) => ({ name: f.name, version: f.version }));
      await sql.run(`DELETE FROM feature_quality WHERE materialization_id = ?`, [id]);
      await sql.run(`DELETE FROM feature_materializations WHERE id = ?`, [id]);
      await sql.run(`INSERT INTO feature_materializations VALUES (?, ?, ?, ?, ?, ?::JSON, ?, ?, now())`, [
        id,
        setName,
        set.contentHash,
        dh,
        table,
        JSON.stringify(features),
        rows,
        durationMs,
      ]);
      await saveQuality(sql, id, quality);
      return { rows, quality, durationMs, features };
    });
  });
  const mat = await ws.one<MatRow>(`${MAT_SELECT} WHERE id = ?`, [id]);
  if (!mat) throw new BullpenError('internal', 'MATERIALIZATION_LOST', `materialization ${id} was not recorded`);
  opts.onProgress?.(1, 'done');
  return { ...toMat(mat, false), quality: result.quality };
}
