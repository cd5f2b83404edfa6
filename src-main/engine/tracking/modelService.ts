import type { ModelRecord } from './runTypes';

/** A trained model as stored: what it was trained on, and the run that trained it. */
export interface StoredModel extends ModelRecord {
  runId: string;
  createdAt: string;
}

/**
 * Trained models by name. A model is recorded with the training run that made it (RunResults.model,
 * in the same transaction as the run's results), so this service only reads. The workspace's DuckDB
 * store (modelStore.ts) is one implementation; the model registry will stand beside it.
 */
export interface ModelService {
  /** Newest first. */
  list(): Promise<StoredModel[]>;
  find(name: string): Promise<StoredModel | undefined>;
  /** A model by name, or a not-found error that says how to list and train them. */
  get(name: string): Promise<StoredModel>;
  /** The model's LightGBM text (its training run's model.lgb artifact). */
  text(model: StoredModel): Promise<string>;
}
