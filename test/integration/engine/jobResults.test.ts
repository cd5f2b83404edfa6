import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobResult } from '../../../src-main/api/contract';
import { Engine } from '../../../src-main/engine/engine';
import { call, runJob } from '../ml/mlWorkspace';
import { tempWorkspace } from '../../support/waitForEvent';

// The ML jobs are run to completion in test/integration/ml and jobs.runDemo in jobsAcrossRestarts; these are
// the other job kinds. The job manager checks each result against its kind's schema on completion, so a
// completed job here is a result that matched; jobResult parses it again the way every client reads it.
describe('demo.build and features.materialize complete with results of their declared shape', () => {
  let engine: Engine;
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeAll(async () => {
    tmp = await tempWorkspace();
    engine = await Engine.open({ workspacePath: tmp.path });
  });
  afterAll(async () => {
    await engine.close();
    await tmp.cleanup();
  });

  it('builds the demo league as a job whose result describes the league', async () => {
    const job = await runJob(engine, 'demo.build', { seed: 3, seasons: '2010-2010' });
    expect(job.state, job.error ?? '').toBe('completed');
    const r = jobResult(job, 'demo.build');
    expect(r.synthetic).toBe(true);
    expect(r.seasons).toBe('2010-2010');
    expect(r.games).toBeGreaterThan(2000);
    expect(r.oddsRows).toBeGreaterThan(0);
  });

  it('materializes a feature set as a job whose result names the set, its rows and features', async () => {
    const job = await runJob(engine, 'features.materialize', { set: 'default' });
    expect(job.state, job.error ?? '').toBe('completed');
    const r = jobResult(job, 'features.materialize');
    expect(r.setName).toBe('default');
    expect(r.rows).toBeGreaterThan(2000);
    expect(r.features).toBeGreaterThan(10);
    expect(r.cached).toBe(false);
    const again = jobResult(await runJob(engine, 'features.materialize', { set: 'default' }), 'features.materialize');
    expect(again).toMatchObject({ id: r.id, cached: true });
    expect((await call(engine, 'jobs.list', { limit: 10 })).jobs.map((j) => j.state)).toEqual(['completed', 'completed', 'completed']);
  });
});
