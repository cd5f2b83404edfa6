import type { Migration } from '../migration';

/**
 * Operations: deployments of registered models, the append-only prediction log, monitoring checks and
 * alerts, the scheduler's last runs and leases, and replays. Rows a replay writes carry its replay_id
 * (NULL for live ones), so the same code and screens serve both without a replay touching live state.
 */
export const operationsMigration: Migration = {
  version: 9,
  name: 'operations: deployments, prediction log, monitoring checks, alerts, schedules, replays',
  async up(sql) {
    await sql.run(`CREATE TABLE deployments (
      id VARCHAR PRIMARY KEY,
      name VARCHAR NOT NULL,
      replay_id VARCHAR,
      model_name VARCHAR NOT NULL,
      version INTEGER,
      source_model VARCHAR NOT NULL,
      status VARCHAR NOT NULL CHECK (status IN ('active', 'stopped')),
      policy JSON NOT NULL,
      policy_text VARCHAR,
      created_at TIMESTAMPTZ NOT NULL,
      stopped_at TIMESTAMPTZ
    )`);
    await sql.run(`CREATE SEQUENCE prediction_log_seq START 1`);
    await sql.run(`CREATE TABLE prediction_log (
      seq BIGINT PRIMARY KEY DEFAULT nextval('prediction_log_seq'),
      deployment_id VARCHAR NOT NULL,
      replay_id VARCHAR,
      game_id VARCHAR NOT NULL,
      game_date DATE NOT NULL,
      predicted_at TIMESTAMPTZ NOT NULL,
      model_name VARCHAR NOT NULL,
      version INTEGER,
      source_model VARCHAR NOT NULL,
      features JSON NOT NULL,
      p DOUBLE NOT NULL,
      price_home DOUBLE,
      price_away DOUBLE,
      kind VARCHAR NOT NULL CHECK (kind IN ('prediction', 'correction')),
      corrects BIGINT,
      via VARCHAR NOT NULL,
      reason VARCHAR
    )`);
    await sql.run(`CREATE INDEX prediction_log_deployment ON prediction_log (deployment_id, game_date)`);
    await sql.run(`CREATE TABLE monitor_checks (
      id VARCHAR PRIMARY KEY,
      deployment_id VARCHAR NOT NULL,
      replay_id VARCHAR,
      checked_at TIMESTAMPTZ NOT NULL,
      window_from DATE,
      window_to DATE,
      drift_score DOUBLE,
      results JSON NOT NULL
    )`);
    await sql.run(`CREATE TABLE alerts (
      id VARCHAR PRIMARY KEY,
      deployment_id VARCHAR NOT NULL,
      replay_id VARCHAR,
      monitor VARCHAR NOT NULL,
      subject VARCHAR,
      severity VARCHAR NOT NULL CHECK (severity IN ('warn', 'alert')),
      value DOUBLE,
      threshold DOUBLE,
      explanation VARCHAR NOT NULL,
      first_seen TIMESTAMPTZ NOT NULL,
      last_seen TIMESTAMPTZ NOT NULL,
      status VARCHAR NOT NULL CHECK (status IN ('firing', 'resolved')),
      acknowledged_by VARCHAR,
      acknowledged_at TIMESTAMPTZ
    )`);
    await sql.run(`CREATE TABLE schedule_runs (
      key VARCHAR PRIMARY KEY,
      last_run_at TIMESTAMPTZ NOT NULL
    )`);
    await sql.run(`CREATE TABLE leases (
      key VARCHAR PRIMARY KEY,
      holder VARCHAR NOT NULL,
      expires_at TIMESTAMPTZ NOT NULL
    )`);
    await sql.run(`CREATE TABLE replays (
      id VARCHAR PRIMARY KEY,
      model_name VARCHAR NOT NULL,
      season INTEGER NOT NULL,
      status VARCHAR NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
      policy JSON NOT NULL,
      summary JSON,
      job_id VARCHAR,
      created_at TIMESTAMPTZ NOT NULL,
      finished_at TIMESTAMPTZ
    )`);
  },
};
