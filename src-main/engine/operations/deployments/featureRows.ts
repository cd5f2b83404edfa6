import { inputError } from '../../../shared/errors';
import { quoteIdent } from '../../features/computeFeatures';
import { dataHash, materializeSet, type Materialization } from '../../features/materialize';
import type { StoredModel } from '../../tracking/modelService';
import type { Workspace } from '../../workspace/workspace';

/**
 * Materializations by feature set, reused while neither the set's definitions nor the games and odds
 * changed. Asking materializeSet itself costs ~150 ms even when nothing changed (it re-resolves every
 * definition), which a replay would pay once per replayed day; this fingerprint costs a few ms.
 */
export class MaterializationCache {
  private readonly entries = new Map<string, { key: string; mat: Materialization }>();

  async get(ws: Workspace, setName: string): Promise<Materialization> {
    const key = await fingerprint(ws, setName);
    const hit = this.entries.get(setName);
    if (hit && hit.key === key) {
      const there = Number(await ws.value(`SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, [hit.mat.tableName]));
      if (there) return hit.mat;
    }
    const mat = await materializeSet(ws, setName);
    this.entries.set(setName, { key, mat });
    return mat;
  }
}

/** What a materialization depends on: the set's member list, every definition and current version, and the data. */
async function fingerprint(ws: Workspace, setName: string): Promise<string> {
  const defs = await ws.one(
    `SELECT (SELECT features::VARCHAR || '|' || epoch_ms(updated_at) FROM feature_sets WHERE name = ?) AS s,
       (SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(name, version, computation_hash)), 0)::VARCHAR FROM feature_definitions) AS d,
       (SELECT count(*)::VARCHAR || ':' || coalesce(sum(hash(name, version, updated_at)), 0)::VARCHAR FROM feature_current) AS c`,
    [setName],
  );
  return JSON.stringify([defs, await dataHash(ws)]);
}

/**
 * The point-in-time feature rows of some games, read as model prediction reads them (servingMatrix):
 * the model's feature set, materialized (again, when games or odds changed), each game's row holding
 * only what was known before its first pitch; refused when the set's features or versions are no longer
 * the ones the model learned from. Values are in the model's feature order, NaN where missing.
 */
export async function featureRows(
  ws: Workspace,
  mats: MaterializationCache,
  model: StoredModel,
  gameIds: readonly string[],
): Promise<Map<string, Float64Array>> {
  const mat = await mats.get(ws, model.featureSet);
  const want = model.featureVersions.map((f) => `${f.name}@${f.version}`).join(',');
  const have = mat.features.map((f) => `${f.name}@${f.version}`).join(',');
  if (want !== have || mat.features.map((f) => f.name).join(',') !== model.featureNames.join(',')) {
    throw inputError(
      'MODEL_FEATURES_CHANGED',
      `feature set ${model.featureSet} changed since model ${model.name} was trained (it learned ${want}; the set is now ${have}): roll the features back or train a new model`,
      { model: model.name, trained: model.featureVersions, current: mat.features },
    );
  }
  const out = new Map<string, Float64Array>();
  if (!gameIds.length) return out;
  const names = model.featureNames;
  const rows = await ws.all(
    `SELECT game_id${names.map((n, j) => `, CAST(${quoteIdent(n)} AS DOUBLE) AS f${j}`).join('')}
     FROM ${quoteIdent(mat.tableName)} WHERE game_id IN (${gameIds.map(() => '?').join(', ')})`,
    [...gameIds],
  );
  for (const r of rows) {
    const values = new Float64Array(names.length);
    for (let j = 0; j < names.length; j++) {
      const v = r[`f${j}`];
      values[j] = typeof v === 'number' ? v : Number.NaN;
    }
    out.set(String(r.game_id), values);
  }
  return out;
}

/** A feature row as the log stores it: name → value, null where missing (JSON has no NaN). */
export function featuresJson(names: readonly string[], values: Float64Array): string {
  const obj: Record<string, number | null> = {};
  names.forEach((n, j) => (obj[n] = Number.isFinite(values[j]) ? values[j] : null));
  return JSON.stringify(obj);
}
