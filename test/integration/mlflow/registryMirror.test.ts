// The registry and MLflow in step without anyone exporting by hand: with the mlflow.exportOnPromotion
// setting, a version promoted to production is exported, and a later promotion moves MLflow's `champion`
// alias to the new version (the engine's registry listener, engine/integrations/mlflow/registryMirror.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import type { Job } from '../../../src-main/shared/events';
import { mlflowServer, requireMlflow } from '../../support/mlflow';
import { FAST, call, openMlEngine, runJobResult } from '../ml/mlWorkspace';
import { LENIENT_POLICY } from '../registry/registryFixtures';
import { aliasesOf, versionsOf } from './mlflowRest';

/** The export job the registry's listener started for `ref`, once it has ended. */
async function exportJobFor(engine: Engine, ref: string): Promise<Job> {
  const jobs = await engine.jobs.list({ limit: 50 });
  const job = jobs.find((j) => j.kind === 'export.mlflow' && (j.params as { model?: string }).model === ref);
  if (!job) throw new Error(`no export job was started for ${ref}: ${JSON.stringify(jobs.map((j) => [j.kind, j.params]))}`);
  return engine.jobs.settled(job.id);
}

describe.skipIf(!requireMlflow([3]))('registry → MLflow: export on promotion and aliases that follow the stage', () => {
  const name = `mirror-${randomUUID().slice(0, 8)}`;
  let engine: Engine;
  let cleanup: () => Promise<void>;
  const uri = () => mlflowServer(3).uri;

  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    await call(engine, 'settings.set', {
      user: 'erin',
      mlflow: { trackingUri: uri(), experiment: `${name}-exp`, exportOnPromotion: true },
    });
    for (const model of [`${name}-a`, `${name}-b`]) {
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: model, ...FAST });
      await runJobResult(engine, 'ml.validate', { model, policy: LENIENT_POLICY });
      await call(engine, 'registry.register', { model, as: name });
    }
  });
  afterAll(async () => cleanup());

  it('exports a version when it is promoted to production, with the champion alias on it', async () => {
    await call(engine, 'registry.approve', { name: `${name}:1`, stage: 'production', comment: 'reviewed' });
    await call(engine, 'registry.promote', { name: `${name}:1`, to: 'production' });
    const job = await exportJobFor(engine, `${name}:1`);
    expect(job.state, job.error ?? '').toBe('completed');
    const versions = await versionsOf(uri(), name);
    expect(versions).toHaveLength(1);
    expect((await aliasesOf(uri(), name)).champion).toBe(versions[0].version);
  });

  it('moves champion to the next production version, and back on rollback, without duplicating versions', async () => {
    // The registered model is new to this test: its MLflow versions are numbered in export order, 1 then 2.
    await call(engine, 'registry.approve', { name: `${name}:2`, stage: 'production', comment: 'better' });
    await call(engine, 'registry.promote', { name: `${name}:2`, to: 'production' });
    expect((await exportJobFor(engine, `${name}:2`)).state).toBe('completed');
    expect((await versionsOf(uri(), name)).map((v) => v.version).sort()).toEqual(['1', '2']);
    expect((await aliasesOf(uri(), name)).champion).toBe('2');
    await call(engine, 'registry.rollback', { name });
    expect((await aliasesOf(uri(), name)).champion).toBe('1');
    expect(await versionsOf(uri(), name)).toHaveLength(2);
  });
});
