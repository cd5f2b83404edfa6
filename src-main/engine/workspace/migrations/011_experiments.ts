import type { Migration } from '../migration';

/**
 * A/B experiments on deployments. The deployment's own prediction log (009) is untouched: it keeps the
 * control's predictions, which monitoring reads. An experiment adds:
 * - `experiments`: the two models, the hash salt, the settings, the challenger's share now, status, ramp and decision;
 * - `experiment_assignments`: the variant of each game, written once when the game is first routed (the
 *   primary key keeps a game on its variant even after the share changes);
 * - `experiment_predictions`: append-only, both models' predictions of each game, the routed one (its bet
 *   placed, with side and stake) and the shadow one (the bet it would have placed); a re-scored game is a new
 *   row, the latest counts;
 * - `experiment_events`: what happened to it (share changes, circuit breaker, decisions, SRM alerts, ramp steps).
 * Rows of a replay carry its replay_id (NULL live), as in 009.
 */
export const experimentsMigration: Migration = {
  version: 11,
  name: 'experiments: A/B tests, game assignments, shadow predictions, events',
  async up(sql) {
    await sql.run(`CREATE TABLE experiments (
      id VARCHAR PRIMARY KEY,
      name VARCHAR NOT NULL,
      replay_id VARCHAR,
      deployment_id VARCHAR NOT NULL,
      control_model VARCHAR NOT NULL,
      control_version INTEGER,
      control_source VARCHAR NOT NULL,
      control_run VARCHAR NOT NULL,
      challenger_model VARCHAR NOT NULL,
      challenger_version INTEGER,
      challenger_source VARCHAR NOT NULL,
      challenger_run VARCHAR NOT NULL,
      salt VARCHAR NOT NULL,
      config JSON NOT NULL,
      challenger_share DOUBLE NOT NULL CHECK (challenger_share >= 0 AND challenger_share <= 1),
      status VARCHAR NOT NULL CHECK (status IN ('running', 'completed', 'stopped', 'rolledBack', 'promoted')),
      ramp JSON NOT NULL,
      decision JSON,
      started_at TIMESTAMPTZ NOT NULL,
      start_day DATE NOT NULL,
      ended_at TIMESTAMPTZ
    )`);
    await sql.run(`CREATE INDEX experiments_deployment ON experiments (deployment_id, status)`);
    await sql.run(`CREATE TABLE experiment_assignments (
      experiment_id VARCHAR NOT NULL,
      game_id VARCHAR NOT NULL,
      replay_id VARCHAR,
      variant VARCHAR NOT NULL CHECK (variant IN ('control', 'challenger')),
      bucket DOUBLE NOT NULL,
      share DOUBLE NOT NULL,
      assigned_at TIMESTAMPTZ NOT NULL,
      PRIMARY KEY (experiment_id, game_id)
    )`);
    await sql.run(`CREATE SEQUENCE experiment_predictions_seq START 1`);
    await sql.run(`CREATE TABLE experiment_predictions (
      seq BIGINT PRIMARY KEY DEFAULT nextval('experiment_predictions_seq'),
      experiment_id VARCHAR NOT NULL,
      replay_id VARCHAR,
      game_id VARCHAR NOT NULL,
      game_date DATE NOT NULL,
      predicted_at TIMESTAMPTZ NOT NULL,
      variant VARCHAR NOT NULL CHECK (variant IN ('control', 'challenger')),
      routed BOOLEAN NOT NULL,
      model_name VARCHAR NOT NULL,
      version INTEGER,
      source_model VARCHAR NOT NULL,
      p DOUBLE NOT NULL,
      price_first DOUBLE,
      price_second DOUBLE,
      side VARCHAR CHECK (side IN ('first', 'second')),
      stake DOUBLE NOT NULL,
      log_seq BIGINT
    )`);
    await sql.run(`CREATE INDEX experiment_predictions_game ON experiment_predictions (experiment_id, game_id, variant)`);
    await sql.run(`CREATE TABLE experiment_events (
      id VARCHAR PRIMARY KEY,
      experiment_id VARCHAR NOT NULL,
      replay_id VARCHAR,
      event_at TIMESTAMPTZ NOT NULL,
      kind VARCHAR NOT NULL,
      share DOUBLE,
      message VARCHAR NOT NULL,
      details JSON
    )`);
  },
};
