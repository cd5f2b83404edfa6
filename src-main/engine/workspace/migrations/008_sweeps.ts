import type { Migration } from '../migration';

/**
 * Hyperparameter sweeps and their trials. A trial row is written when the trial starts (its parameters)
 * and when it ends (state, values); while it runs, its heartbeat moves, so a sweep resumed after a crash
 * tells an interrupted trial (stale heartbeat, its job gone) from one another process still runs.
 * JSON columns hold what only the sweep reads back (its config, the trial's params and curves).
 */
export const sweepsMigration: Migration = {
  version: 8,
  name: 'sweeps: hyperparameter sweeps and their trials',
  async up(sql) {
    await sql.run(`CREATE TABLE sweeps (
      id VARCHAR PRIMARY KEY,
      name VARCHAR NOT NULL UNIQUE,
      status VARCHAR NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted')),
      config JSON NOT NULL,
      job_id VARCHAR,
      run_id VARCHAR,
      summary JSON,
      baseline JSON,
      error VARCHAR,
      heartbeat_at TIMESTAMPTZ,
      created_at TIMESTAMPTZ NOT NULL,
      finished_at TIMESTAMPTZ
    )`);
    await sql.run(`CREATE TABLE sweep_trials (
      sweep_id VARCHAR NOT NULL,
      number INTEGER NOT NULL CHECK (number >= 0),
      attempt INTEGER NOT NULL DEFAULT 1,
      state VARCHAR NOT NULL CHECK (state IN ('running', 'complete', 'pruned', 'fail')),
      params JSON NOT NULL,
      trial_values JSON,
      intermediate JSON NOT NULL DEFAULT '[]',
      fold_values JSON,
      daily_returns JSON,
      pruned_at INTEGER,
      reason VARCHAR,
      run_id VARCHAR,
      started_at TIMESTAMPTZ NOT NULL,
      heartbeat_at TIMESTAMPTZ NOT NULL,
      finished_at TIMESTAMPTZ,
      duration_ms DOUBLE,
      PRIMARY KEY (sweep_id, number)
    )`);
  },
};
