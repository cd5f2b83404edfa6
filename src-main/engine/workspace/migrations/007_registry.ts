import type { Migration } from '../migration';

/**
 * The model registry: versions of trained models under registry names with their stage, the approvals
 * recorded for them, and the append-only audit trail every registry change writes in the same
 * transaction. Audit times and JSON are kept as the exact text that was hashed, so the chain can be
 * recomputed byte for byte.
 */
export const registryMigration: Migration = {
  version: 7,
  name: 'registry: model versions and stages, approvals, hash-chained audit trail',
  async up(sql) {
    await sql.run(`CREATE TABLE registry_versions (
      model_name VARCHAR NOT NULL,
      version INTEGER NOT NULL CHECK (version >= 1),
      stage VARCHAR NOT NULL CHECK (stage IN ('development', 'staging', 'production', 'archived')),
      source_model VARCHAR NOT NULL,
      run_id VARCHAR NOT NULL,
      trained_at VARCHAR NOT NULL,
      registered_at TIMESTAMPTZ NOT NULL,
      stage_changed_at TIMESTAMPTZ NOT NULL,
      left_production_seq BIGINT,
      PRIMARY KEY (model_name, version),
      UNIQUE (model_name, run_id)
    )`);
    await sql.run(`CREATE TABLE registry_approvals (
      audit_seq BIGINT PRIMARY KEY,
      model_name VARCHAR NOT NULL,
      version INTEGER NOT NULL,
      stage VARCHAR NOT NULL CHECK (stage IN ('staging', 'production')),
      decision VARCHAR NOT NULL CHECK (decision IN ('approved', 'rejected')),
      actor VARCHAR NOT NULL,
      comment VARCHAR NOT NULL,
      decided_at TIMESTAMPTZ NOT NULL
    )`);
    await sql.run(`CREATE INDEX registry_approvals_version_idx ON registry_approvals (model_name, version)`);
    await sql.run(`CREATE TABLE registry_audit (
      seq BIGINT PRIMARY KEY,
      written_at VARCHAR NOT NULL,
      actor VARCHAR NOT NULL,
      action VARCHAR NOT NULL,
      model_name VARCHAR NOT NULL,
      version INTEGER,
      before_json VARCHAR,
      after_json VARCHAR,
      reason VARCHAR NOT NULL,
      prev_hash VARCHAR NOT NULL,
      hash VARCHAR NOT NULL
    )`);
  },
};
