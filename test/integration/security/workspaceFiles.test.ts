import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../../src-main/engine/engine';
import { exportTable } from '../../../src-main/engine/data/exportTable';
import { userFileMode } from '../../../src-main/engine/files/privateFiles';

/** A workspace in a folder others can read must not hand them its write-ahead log after a checkpoint. */
describe("workspace files stay private for the engine's whole life", () => {
  let dir: string;
  let engine: Engine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bullpen-modes-'));
    engine = await Engine.open({ workspacePath: join(dir, 'ws.duckdb'), pool: { maxWorkers: 1 } });
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recreates the WAL owner-only after a checkpoint', async () => {
    const ws = engine.workspace;
    await ws.run(`CHECKPOINT`);
    expect(existsSync(`${ws.path}.wal`)).toBe(false);
    await ws.setMeta('probe', 'after-checkpoint');
    expect(existsSync(`${ws.path}.wal`)).toBe(true);
    expect(statSync(`${ws.path}.wal`).mode & 0o077).toBe(0);
    expect(statSync(ws.path).mode & 0o077).toBe(0);
  });

  it("gives an export the mode the user's own umask would give it", async () => {
    const out = join(dir, 'teams.csv');
    await exportTable(engine.workspace, 'teams', 'csv', out);
    expect(statSync(out).mode & 0o777).toBe(userFileMode());
    expect(userFileMode() & 0o400).toBe(0o400);
  });
});
