import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/handlers';
import { Engine } from '../../../src-main/engine/engine';
import { BullpenError } from '../../../src-main/shared/errors';
import { tempWorkspace } from '../../support/waitForEvent';

const fixture = (...parts: string[]) => resolve(__dirname, '..', '..', 'fixtures', ...parts);

async function call<T>(engine: Engine, op: string, input: unknown): Promise<T> {
  const r = await dispatch(engine, op, input);
  if (!r.ok) throw BullpenError.fromBody({ error: r.error });
  return r.output as T;
}

describe('engine services on a real workspace file', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let engine: Engine;
  beforeEach(async () => {
    tmp = await tempWorkspace();
    engine = await Engine.open({ workspacePath: tmp.path, pool: { maxWorkers: 1 } });
  });
  afterEach(async () => {
    await engine.close();
    await tmp.cleanup();
  });

  it('reports workspace info synthetic: false when empty, true once the demo league is built', async () => {
    expect((await call<{ synthetic: boolean }>(engine, 'workspace.info', {})).synthetic).toBe(false);
    await engine.data.buildDemo({ seed: 3, seasons: '2010', effects: false });
    expect((await call<{ synthetic: boolean }>(engine, 'workspace.info', {})).synthetic).toBe(true);
    expect(await engine.data.synthetic()).toBe(true);
  });

  it('reports workspace info synthetic: false for a workspace of real imported games', async () => {
    const imported = await call<{ inserted: number }>(engine, 'data.importRetrosheet', {
      files: [fixture('retrosheet', 'GL2016mini.TXT')],
    });
    expect(imported.inserted).toBeGreaterThan(0);
    expect((await call<{ synthetic: boolean }>(engine, 'workspace.info', {})).synthetic).toBe(false);
  });

  it('reads a running run as running while its job is live, and as interrupted once the job is gone', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const job = await engine.jobs.start('test.hold', {}, () => held);
    const runId = await engine.runs.start({ name: 'held', kind: 'train', jobId: job.id, params: {} });
    expect(engine.jobs.liveIds()).toContain(job.id);
    expect((await engine.runs.get(runId)).status).toBe('running');
    expect((await engine.runs.list({ status: 'running', limit: 10 })).map((r) => r.id)).toEqual([runId]);
    release();
    expect((await engine.jobs.settled(job.id)).state).toBe('completed');
    // The job ended without finishing its run: nothing will, so it reads interrupted (never stored as such).
    expect((await engine.runs.get(runId)).status).toBe('interrupted');
    expect((await engine.runs.list({ status: 'interrupted', limit: 10 })).map((r) => r.id)).toEqual([runId]);
    expect(await engine.workspace.value(`SELECT status FROM runs WHERE id = ?`, [runId])).toBe('running');
  });

  it('starts no job when a precheck refuses (one path for every job op)', async () => {
    const jobsBefore = (await engine.jobs.list({ limit: 100 })).length;
    await expect(call(engine, 'features.materialize', { set: 'no-such-set' })).rejects.toMatchObject({ code: 'FEATURE_SET_NOT_FOUND' });
    await expect(call(engine, 'ml.train', { train: '2016', name: 'x' })).rejects.toMatchObject({ code: 'NO_GAMES_IN_SEASONS' });
    expect((await engine.jobs.list({ limit: 100 })).length).toBe(jobsBefore);
  });

  it('shows a feature with the quality its materialization measured (none before)', async () => {
    await engine.data.buildDemo({ seed: 3, seasons: '2010', effects: false });
    const none = await engine.features.show('elo_home_pre');
    expect(none.quality).toBeNull();
    const m = await engine.features.materialize('default', { force: false });
    const detail = await engine.features.show('elo_home_pre');
    expect(detail.entry.name).toBe('elo_home_pre');
    expect(detail.quality).toMatchObject({ feature: 'elo_home_pre', rows: m.rows });
    expect(m.rows).toBeGreaterThan(0);
    expect(detail.versions.map((v) => v.version)).toContain(detail.entry.currentVersion);
  });
});
