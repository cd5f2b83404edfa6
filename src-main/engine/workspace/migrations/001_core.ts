import type { Migration } from '../migration';

export const coreMigration: Migration = {
  version: 1,
  name: 'core: meta, jobs',
  async up(sql) {
    await sql.run(`CREATE TABLE IF NOT EXISTS bullpen_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`);
    await sql.run(`CREATE TABLE jobs (
      id VARCHAR PRIMARY KEY,
      kind VARCHAR NOT NULL,
      state VARCHAR NOT NULL,
      progress DOUBLE NOT NULL DEFAULT 0,
      message VARCHAR NOT NULL DEFAULT '',
      params JSON NOT NULL,
      result JSON,
      error VARCHAR,
      created_at TIMESTAMPTZ NOT NULL,
      started_at TIMESTAMPTZ,
      finished_at TIMESTAMPTZ
    )`);
  },
};
