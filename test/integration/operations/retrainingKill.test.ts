// `bullpen deploy retrain` (the built CLI) killed with SIGKILL while it trains the challenger: the registry and
// its audit trail are exactly as before, the deployment still serves its version, the history row and the job
// read `interrupted` with the step reached, and the next evaluation after a check runs it again to the end.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { liveClock } from '../../../src-main/engine/operations/clock';
import { maybeRetrain } from '../../../src-main/engine/operations/retraining/maybeRetrain';
import { opsPolicySchema } from '../../../src-main/shared/operations/opsPolicy';
import { retrainHistorySchema } from '../../../src-main/shared/results/retraining';
import { tempWorkspace } from '../../support/waitForEvent';
import { call, FAST, runJobResult } from '../ml/mlWorkspace';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');
const LIVE = { replayId: null, clock: liveClock };

describe('deploy retrain killed with SIGKILL in the middle of the pipeline', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  async function withEngine<T>(fn: (engine: Engine) => Promise<T>): Promise<T> {
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      return await fn(engine);
    } finally {
      await engine.close();
    }
  }
  const registryState = (engine: Engine) =>
    Promise.all([call(engine, 'registry.show', { name: 'champ' }), call(engine, 'registry.audit', {}), engine.models.list()]).then(
      ([shown, audit, models]) => ({ shown, audit, models: models.map((m) => m.name).sort() }),
    );

  beforeAll(async () => {
    tmp = await tempWorkspace();
    await withEngine(async (engine) => {
      await buildDemo(engine.workspace, { seed: 11, firstSeason: 2010, lastSeason: 2012, marketInefficiency: true, scoringShift: false });
      await call(engine, 'ml.policy.set', { text: 'autoValidate: false\n' });
      // Slow boosting (300 rounds, never stopped early): the challenger is still training when the kill lands.
      await runJobResult(engine, 'ml.train', {
        train: '2010',
        valid: '2011',
        name: 'champ',
        numBoostRound: 300,
        earlyStoppingRounds: 300,
        params: { ...FAST.params, learning_rate: 0.02 },
      });
      await call(engine, 'registry.register', { model: 'champ' });
      // Retraining on, every trigger off: only a resumption can start a pipeline after a check.
      const off = { enabled: false };
      const policy = opsPolicySchema.parse({
        retraining: { enabled: true, triggers: { performance: off, drift: off, schedule: off, dataVolume: off } },
      });
      await call(engine, 'deploy.start', { model: 'champ:1', name: 'killme', policyText: JSON.stringify(policy) });
    });
  }, 120_000);
  afterAll(async () => tmp?.cleanup());

  it('leaves the registry as it was and the pipeline interrupted; the next evaluation resumes it', async () => {
    const before = await withEngine(registryState);
    const child = spawn(process.execPath, [BIN, 'deploy', 'retrain', 'killme', '--workspace', tmp.path, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    await new Promise<void>((done, fail) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // Killed once the challenger's training run is recorded, as the worker starts boosting.
        if (/challenger: run [0-9a-f]{8} of killme-challenger-\S+: fitting on \d+ games/.test(stderr)) done();
      });
      child.on('exit', () => fail(new Error(`the retraining ended before it could be killed:\n${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    await withEngine(async (engine) => {
      expect(await registryState(engine)).toEqual(before);
      const deployment = await engine.deployments.get('killme', LIVE);
      expect(deployment).toMatchObject({ modelName: 'champ', version: 1, sourceModel: 'champ', status: 'active' });
      const { retrains } = await call(engine, 'deploy.history', { name: 'killme' });
      expect(retrains).toHaveLength(1);
      const [killed] = retrains;
      expect(killed).toMatchObject({ state: 'interrupted', step: 'challenger', trigger: 'manual', decision: null, finishedAt: null });
      expect((await engine.jobs.get(killed.jobId!)).state).toBe('interrupted');
      const { runs } = await call(engine, 'ml.runs.list', { limit: 100 });
      const challengerRun = runs.find((r) => r.name.startsWith('killme-challenger-'));
      expect(challengerRun?.status).toBe('interrupted');

      // Resumable: the evaluation after the next check runs it again, with its trigger, to the end.
      const resumed = await maybeRetrain(engine, deployment, LIVE);
      expect(resumed).toMatchObject({ resumes: killed.id, trigger: 'manual', reason: killed.reason });
      expect((await engine.jobs.settled(resumed!.jobId!)).state).toBe('completed');
      const after = (await call(engine, 'deploy.history', { name: 'killme' })).retrains;
      expect(after.map((r) => [r.id, r.state])).toEqual([
        [resumed!.id, 'completed'],
        [killed.id, 'interrupted'],
      ]);
      expect(after[0].decision).not.toBeNull();
    });

    // The same history from the CLI: `bullpen deploy history NAME --json`.
    const shown = spawnSync(process.execPath, [BIN, 'deploy', 'history', 'killme', '--workspace', tmp.path, '--json'], {
      encoding: 'utf8',
    });
    expect(shown.status, shown.stderr).toBe(0);
    const { retrains } = retrainHistorySchema.parse(JSON.parse(shown.stdout));
    expect(retrains.map((r) => r.state)).toEqual(['completed', 'interrupted']);
    expect(retrains[0].comparison?.explanation).toMatch(/^Challenger log loss/);
  }, 120_000);
});
