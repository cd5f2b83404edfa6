import type { Migration } from '../migration';

/**
 * Retraining history: one row per pipeline run of a deployment (live, or inside a replay: replay_id), written
 * when it starts and updated as its steps finish, so a run that died part-way shows how far it got. A row left
 * `running` whose job is gone reads `interrupted` (as runs and sweeps do). The windows say which games each
 * model saw and was compared on; `data_day` is the clock's day: only games dated before it with a result were used.
 */
export const retrainingMigration: Migration = {
  version: 10,
  name: 'retraining: the history of retraining pipelines',
  async up(sql) {
    await sql.run(`CREATE TABLE retrains (
      id VARCHAR PRIMARY KEY,
      deployment_id VARCHAR NOT NULL,
      replay_id VARCHAR,
      trigger VARCHAR NOT NULL CHECK (trigger IN ('performance', 'drift', 'schedule', 'dataVolume', 'manual')),
      reason VARCHAR NOT NULL,
      scheduled_for TIMESTAMPTZ,
      resumes VARCHAR,
      state VARCHAR NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'cancelled', 'interrupted')),
      step VARCHAR NOT NULL,
      clock_at TIMESTAMPTZ NOT NULL,
      data_day DATE NOT NULL,
      started_at TIMESTAMPTZ NOT NULL,
      finished_at TIMESTAMPTZ,
      job_id VARCHAR,
      train_from DATE,
      train_to DATE,
      comparison_from DATE,
      comparison_to DATE,
      champion_model VARCHAR NOT NULL,
      champion_version INTEGER,
      champion_source VARCHAR NOT NULL,
      challenger_model VARCHAR,
      challenger_run VARCHAR,
      comparison JSON,
      decision VARCHAR CHECK (decision IN ('promoted', 'registered', 'kept', 'failed')),
      decision_reason VARCHAR,
      refit_model VARCHAR,
      new_version INTEGER,
      new_stage VARCHAR,
      probation_until DATE,
      rolled_back_at TIMESTAMPTZ,
      rollback_reason VARCHAR,
      error VARCHAR,
      details JSON NOT NULL
    )`);
    await sql.run(`CREATE INDEX retrains_deployment ON retrains (deployment_id, clock_at)`);
  },
};
