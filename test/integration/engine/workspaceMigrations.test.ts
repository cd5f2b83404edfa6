import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../../src-main/engine/engine';
import { coreMigration } from '../../../src-main/engine/workspace/migrations/001_core';
import { latestSchemaVersion } from '../../../src-main/engine/workspace/migrations';
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

  it('refuses a workspace from a newer build with a message saying what to do', async () => {
    await writeWorkspaceAtVersion(tmp.path, latestSchemaVersion() + 1);
    const err = await Engine.open({ workspacePath: tmp.path }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'input', code: 'WORKSPACE_TOO_NEW' });
    expect((err as Error).message).toMatch(new RegExp(`schema version ${latestSchemaVersion() + 1}.*upgrade Bullpen`));
  });
});
