import type { Migration } from '../migration';

/**
 * The local tracking store: every training, CV and backtest is a run with its params, metrics per step,
 * tags and artifacts (MLflow's shape, so an export maps one to one), and trained models by name.
 * A run is written `running` when it starts and gets its results and final status in one transaction,
 * so a failed or cancelled run never looks complete.
 */
export const runsMigration: Migration = {
  version: 4,
  name: 'runs: tracking store (runs, params, metrics, tags, artifacts) and models',
  async up(sql) {
    await sql.run(`CREATE TABLE runs (
      id VARCHAR PRIMARY KEY,
      name VARCHAR NOT NULL,
      kind VARCHAR NOT NULL,
      status VARCHAR NOT NULL,
      parent_id VARCHAR,
      job_id VARCHAR,
      target VARCHAR,
      feature_set VARCHAR,
      feature_versions JSON,
      data_hash VARCHAR,
      seed INTEGER,
      code_version VARCHAR,
      synthetic BOOLEAN NOT NULL DEFAULT false,
      error VARCHAR,
      started_at TIMESTAMPTZ NOT NULL,
      finished_at TIMESTAMPTZ,
      duration_ms DOUBLE
    )`);
    await sql.run(`CREATE INDEX runs_parent_idx ON runs (parent_id)`);
    await sql.run(
      `CREATE TABLE run_params (run_id VARCHAR NOT NULL, key VARCHAR NOT NULL, value VARCHAR NOT NULL, PRIMARY KEY (run_id, key))`,
    );
    await sql.run(
      `CREATE TABLE run_metrics (run_id VARCHAR NOT NULL, key VARCHAR NOT NULL, step INTEGER NOT NULL, value DOUBLE, PRIMARY KEY (run_id, key, step))`,
    );
    await sql.run(
      `CREATE TABLE run_tags (run_id VARCHAR NOT NULL, key VARCHAR NOT NULL, value VARCHAR NOT NULL, PRIMARY KEY (run_id, key))`,
    );
    await sql.run(`CREATE TABLE run_artifacts (
      run_id VARCHAR NOT NULL,
      name VARCHAR NOT NULL,
      media_type VARCHAR NOT NULL,
      content VARCHAR NOT NULL,
      bytes INTEGER NOT NULL,
      PRIMARY KEY (run_id, name)
    )`);
    await sql.run(`CREATE TABLE models (
      name VARCHAR PRIMARY KEY,
      run_id VARCHAR NOT NULL,
      target VARCHAR NOT NULL,
      feature_set VARCHAR NOT NULL,
      feature_names JSON NOT NULL,
      feature_versions JSON NOT NULL,
      seasons JSON NOT NULL,
      last_training_date DATE NOT NULL,
      best_iteration INTEGER NOT NULL,
      created_at TIMESTAMPTZ NOT NULL
    )`);
  },
};
