import type { Migration } from '../migration';
import { coreMigration } from './001_core';

/** Every migration in order. Append new ones; never renumber or edit a released one. */
export const migrations: Migration[] = [coreMigration];

export const latestSchemaVersion = (): number => migrations.reduce((v, m) => Math.max(v, m.version), 0);
