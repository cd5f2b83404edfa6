import { notFoundError } from '../../shared/errors';
import type { Sql } from '../workspace/sql';
import type { ModelService, StoredModel } from './modelService';
import type { RunReader } from './runService';
import type { ModelRecord } from './runTypes';

export type { StoredModel } from './modelService';

interface ModelRow {
  [key: string]: unknown;
  name: string;
  run_id: string;
  target: string;
  feature_set: string;
  feature_names: string;
  feature_versions: string;
  seasons: string;
  last_training_date: string;
  best_iteration: number;
  created_ms: number;
}

const SELECT = `SELECT name, run_id, target, feature_set, feature_names::VARCHAR AS feature_names, feature_versions::VARCHAR AS feature_versions,
  seasons::VARCHAR AS seasons, strftime(last_training_date, '%Y-%m-%d') AS last_training_date, best_iteration, epoch_ms(created_at) AS created_ms FROM models`;

const toModel = (r: ModelRow): StoredModel => ({
  name: r.name,
  runId: r.run_id,
  target: r.target,
  featureSet: r.feature_set,
  featureNames: JSON.parse(r.feature_names) as string[],
  featureVersions: JSON.parse(r.feature_versions) as { name: string; version: number }[],
  seasons: JSON.parse(r.seasons) as number[],
  lastTrainingDate: r.last_training_date,
  bestIteration: r.best_iteration,
  createdAt: new Date(r.created_ms).toISOString(),
});

/**
 * Writes a model row inside the caller's transaction: the DuckDB run store calls it while finishing the
 * training run, so a model never exists without its completed run (the models table's SQL stays here).
 */
export async function insertModel(sql: Sql, runId: string, m: ModelRecord): Promise<void> {
  await sql.run(`INSERT OR REPLACE INTO models VALUES (?, ?, ?, ?, ?::JSON, ?::JSON, ?::JSON, ?::DATE, ?, now())`, [
    m.name,
    runId,
    m.target,
    m.featureSet,
    JSON.stringify(m.featureNames),
    JSON.stringify(m.featureVersions),
    JSON.stringify(m.seasons),
    m.lastTrainingDate,
    m.bestIteration,
  ]);
}

/** The models table of the workspace; a model's text is asked of the runs service, which holds the artifact. */
export class DuckDbModelStore implements ModelService {
  constructor(
    private readonly sql: Sql,
    private readonly runs: Pick<RunReader, 'artifact'>,
  ) {}

  async list(): Promise<StoredModel[]> {
    return (await this.sql.all<ModelRow>(`${SELECT} ORDER BY created_at DESC`)).map(toModel);
  }

  async find(name: string): Promise<StoredModel | undefined> {
    const row = await this.sql.one<ModelRow>(`${SELECT} WHERE name = ?`, [name]);
    return row ? toModel(row) : undefined;
  }

  async get(name: string): Promise<StoredModel> {
    const m = await this.find(name);
    if (!m)
      throw notFoundError(
        'MODEL_NOT_FOUND',
        `no model named ${name}: list models with \`bullpen ml models list\`, train one with \`bullpen ml train\``,
        { name },
      );
    return m;
  }

  async text(m: StoredModel): Promise<string> {
    const text = await this.runs.artifact(m.runId, 'model.lgb');
    if (!text) throw notFoundError('MODEL_TEXT_MISSING', `model ${m.name} has no stored model text (run ${m.runId})`, { name: m.name });
    return text;
  }
}
