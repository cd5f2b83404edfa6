import { notFoundError } from '../../shared/errors';
import type { Workspace } from '../workspace/workspace';
import type { ModelRecord } from './runTypes';

export interface StoredModel extends ModelRecord {
  runId: string;
  createdAt: string;
}

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

export async function listModels(ws: Workspace): Promise<StoredModel[]> {
  return (await ws.all<ModelRow>(`${SELECT} ORDER BY created_at DESC`)).map(toModel);
}

export async function findModel(ws: Workspace, name: string): Promise<StoredModel | undefined> {
  const row = await ws.one<ModelRow>(`${SELECT} WHERE name = ?`, [name]);
  return row ? toModel(row) : undefined;
}

/** A trained model by name, or a not-found error that says how to list them. */
export async function getModel(ws: Workspace, name: string): Promise<StoredModel> {
  const m = await findModel(ws, name);
  if (!m) throw notFoundError('MODEL_NOT_FOUND', `no model named ${name}: list models with \`bullpen ml models list\`, train one with \`bullpen ml train\``, { name });
  return m;
}

/** The LightGBM text of a model, stored as its training run's model.lgb artifact. */
export async function modelText(ws: Workspace, m: StoredModel): Promise<string> {
  const text = await ws.value<string>(`SELECT content FROM run_artifacts WHERE run_id = ? AND name = 'model.lgb'`, [m.runId]);
  if (!text) throw notFoundError('MODEL_TEXT_MISSING', `model ${m.name} has no stored model text (run ${m.runId})`, { name: m.name });
  return text;
}
