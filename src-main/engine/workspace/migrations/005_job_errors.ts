import type { Migration } from '../migration';

export const jobErrorsMigration: Migration = {
  version: 5,
  name: "jobs: kind and code of a failed job's error",
  async up(sql) {
    await sql.run(`ALTER TABLE jobs ADD COLUMN error_kind VARCHAR`);
    await sql.run(`ALTER TABLE jobs ADD COLUMN error_code VARCHAR`);
  },
};
