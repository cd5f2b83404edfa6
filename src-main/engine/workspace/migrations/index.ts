import type { Migration } from '../migration';
import { coreMigration } from './001_core';
import { dataMigration } from './002_data';
import { featuresMigration } from './003_features';
import { runsMigration } from './004_runs';
import { jobErrorsMigration } from './005_job_errors';
import { typedParamsMigration } from './006_typed_params';
import { registryMigration } from './007_registry';
import { sweepsMigration } from './008_sweeps';
import { operationsMigration } from './009_operations';
import { retrainingMigration } from './010_retraining';
import { experimentsMigration } from './011_experiments';

/** Every migration in order. Append new ones; never renumber or edit a released one. */
export const migrations: Migration[] = [
  coreMigration,
  dataMigration,
  featuresMigration,
  runsMigration,
  jobErrorsMigration,
  typedParamsMigration,
  registryMigration,
  sweepsMigration,
  operationsMigration,
  retrainingMigration,
  experimentsMigration,
];

export const latestSchemaVersion = (): number => migrations.reduce((v, m) => Math.max(v, m.version), 0);

// Versions must be 1..n without gaps: the workspace records only its highest applied version, so a
// migration numbered below one already applied would never run.
migrations.forEach((m, i) => {
  if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
});
