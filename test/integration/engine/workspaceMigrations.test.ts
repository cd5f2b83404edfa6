import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../../src-main/engine/engine';
import { coreMigration } from '../../../src-main/engine/workspace/migrations/001_core';
import { latestSchemaVersion, migrations } from '../../../src-main/engine/workspace/migrations';
import { DuckDbRunStore } from '../../../src-main/engine/tracking/runStore';
import { Sql } from '../../../src-main/engine/workspace/sql';
import { Workspace } from '../../../src-main/engine/workspace/workspace';
import { tempWorkspace } from '../../support/waitForEvent';

/** Writes a workspace file as an older (or newer) build would have left it. */
async function writeWorkspaceAtVersion(path: string, version: number): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await coreMigration.up(new Sql(conn));
  await conn.run(`INSERT OR REPLACE INTO bullpen_meta VALUES ('schema_version', ?)`, [String(version)]);
  conn.closeSync();
  instance.closeSync();
}

/** Writes a workspace as the build at schema `version` left it: every migration up to it applied, nothing after. */
async function writeWorkspaceThrough(path: string, version: number, fill: (sql: Sql) => Promise<void>): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  const sql = new Sql(conn);
  for (const m of migrations.filter((x) => x.version <= version)) await m.up(sql);
  await sql.run(`CREATE TABLE IF NOT EXISTS bullpen_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`);
  await sql.run(`INSERT OR REPLACE INTO bullpen_meta VALUES ('schema_version', ?)`, [String(version)]);
  await fill(sql);
  conn.closeSync();
  instance.closeSync();
}

describe('workspace migrations on a real DuckDB file', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeEach(async () => {
    tmp = await tempWorkspace();
  });
  afterEach(async () => {
    await tmp.cleanup();
  });

  it('creates a fresh workspace at the latest schema version with the jobs table', async () => {
    const ws = await Workspace.open(tmp.path);
    try {
      expect(await ws.schemaVersion()).toBe(latestSchemaVersion());
      expect((await ws.tableCounts()).map((t) => t.name)).toContain('jobs');
    } finally {
      ws.close();
    }
  });

  it('upgrades a workspace written by an older build', async () => {
    await writeWorkspaceAtVersion(tmp.path, 1);
    const ws = await Workspace.open(tmp.path);
    try {
      expect(await ws.schemaVersion()).toBe(latestSchemaVersion());
    } finally {
      ws.close();
    }
  });

  it('gives the run parameters of a schema-5 workspace their types (numbers, booleans, text) and keeps search and filters working', async () => {
    // Rows as the schema-5 writer stored them: strings as they were, everything else JSON-encoded.
    const old: [string, string, string][] = [
      ['train-1', 'learning_rate', '0.05'],
      ['train-1', 'min_sum_hessian_in_leaf', '1e-7'],
      ['train-1', 'verbosity', '-1'],
      ['train-1', 'deterministic', 'true'],
      ['train-1', 'objective', 'binary'],
      ['train-1', 'trainSeasons', '2016'],
      ['train-1', 'validSeasons', ''],
      ['train-1', 'earlyStoppingRounds', 'null'],
      ['train-1', 'numBoostRound', '100'],
      ['cv-1', 'model', '42'],
      ['cv-1', 'seasons', '2016'],
      ['cv-1', 'scheme', 'walk-forward'],
      ['fold-1', 'testSeason', '2016'],
      ['strategy-1', 'ml', 'false'],
    ];
    await writeWorkspaceThrough(tmp.path, 5, async (sql) => {
      for (const [id, kind] of [
        ['train-1', 'train'],
        ['cv-1', 'cv'],
        ['fold-1', 'cv-fold'],
        ['strategy-1', 'backtest-strategy'],
      ]) {
        await sql.run(`INSERT INTO runs (id, name, kind, status, started_at) VALUES (?, ?, ?, 'completed', now())`, [id, id, kind]);
      }
      for (const row of old) await sql.run(`INSERT INTO run_params VALUES (?, ?, ?)`, row);
    });
    const ws = await Workspace.open(tmp.path);
    try {
      expect(await ws.schemaVersion()).toBe(latestSchemaVersion());
      const store = new DuckDbRunStore(ws);
      expect(await store.params('train-1')).toEqual({
        learning_rate: 0.05,
        min_sum_hessian_in_leaf: 1e-7,
        verbosity: -1,
        deterministic: true,
        objective: 'binary',
        trainSeasons: '2016',
        validSeasons: '',
        numBoostRound: 100,
      });
      expect(await store.params('cv-1')).toEqual({ model: '42', seasons: '2016', scheme: 'walk-forward' });
      expect(await store.params('fold-1')).toEqual({ testSeason: 2016 });
      expect((await store.get('strategy-1')).params).toEqual({ ml: false });
      const names = async (filters: string[]) => (await store.list({ filters, topLevel: false, limit: 10 })).map((r) => r.id).sort();
      expect(await names(['param.learning_rate=0.05'])).toEqual(['train-1']);
      expect(await names(['param.learning_rate<0.1'])).toEqual(['train-1']);
      expect(await names(['param.model=42'])).toEqual(['cv-1']);
      expect((await store.list({ search: 'walk-forward', limit: 10 })).map((r) => r.id)).toEqual(['cv-1']);

      // New runs are written typed and read back with the same types.
      const id = await store.start({
        name: 'new',
        kind: 'train',
        params: { learning_rate: 0.1, trainSeasons: '2017', deterministic: false, earlyStoppingRounds: null, skipped: undefined },
      });
      expect(await store.params(id)).toEqual({ learning_rate: 0.1, trainSeasons: '2017', deterministic: false });
    } finally {
      ws.close();
    }
  });

  it('refuses a workspace from a newer build with a message saying what to do', async () => {
    await writeWorkspaceAtVersion(tmp.path, latestSchemaVersion() + 1);
    const err = await Engine.open({ workspacePath: tmp.path }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'input', code: 'WORKSPACE_TOO_NEW' });
    expect((err as Error).message).toMatch(new RegExp(`schema version ${latestSchemaVersion() + 1}.*upgrade Bullpen`));
  });
});
