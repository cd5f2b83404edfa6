// An export killed mid-upload (the `bullpen` process SIGKILLed while the model's files go up) and run
// again finishes the same MLflow objects: one run, one logged model, one version, the files already
// uploaded not sent again, and nothing recorded in the workspace until the export that finished.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportMlflowResultSchema } from '../../../src-main/api/contract';
import { buildDemo } from '../../../src-main/engine/demo/buildDemo';
import { Engine } from '../../../src-main/engine/engine';
import { exportRecords } from '../../../src-main/engine/integrations/mlflow/exportRecord';
import { servingMatrix } from '../../../src-main/engine/modeling/servingMatrix';
import { jobSchema } from '../../../src-main/shared/events';
import { mlflowLoadCheck, mlflowServers, requireMlflow } from '../../support/mlflow';
import { tempWorkspace } from '../../support/waitForEvent';
import { FAST, call, runJobResult } from '../ml/mlWorkspace';
import { experimentId, loggedModels, runsOf, versionsOf } from './mlflowRest';
import { mlflowProxy } from './mlflowProxy';

const BIN = resolve(__dirname, '../../../bin/bullpen.js');
const ok = requireMlflow();

describe.skipIf(!ok)('export mlflow killed mid-upload (built CLI, SIGKILL) and run again: resumed without duplicates', () => {
  const id = randomUUID().slice(0, 8);
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;

  async function withEngine<T>(fn: (engine: Engine) => Promise<T>): Promise<T> {
    const engine = await Engine.open({ workspacePath: tmp.path });
    try {
      return await fn(engine);
    } finally {
      await engine.close();
    }
  }

  beforeAll(async () => {
    tmp = await tempWorkspace();
    await withEngine(async (engine) => {
      await buildDemo(engine.workspace, { seed: 11, firstSeason: 2010, lastSeason: 2012, marketInefficiency: true, scoringShift: false });
      await call(engine, 'ml.policy.set', { text: 'autoValidate: false\n' });
      await runJobResult(engine, 'ml.train', { train: '2010', valid: '2011', name: 'resumable', ...FAST });
    });
  }, 300_000);
  afterAll(async () => tmp?.cleanup());

  for (const server of mlflowServers()) {
    it(`MLflow ${server.version}: the second run completes the first one's objects, and Python loads the model`, async () => {
      const name = `bullpen-resume-${server.version}-${id}`;
      const experiment = `bullpen-resume-test-${server.version}-${id}`;
      const args = (uri: string) => [
        'export',
        'mlflow',
        '--model',
        'resumable',
        '--tracking-uri',
        uri,
        '--registered-name',
        name,
        '--experiment',
        experiment,
        '--json',
        '--workspace',
        tmp.path,
      ];

      // 1. Killed while the model's second file is on its way: model.lgb is up, the rest is not.
      const first = await mlflowProxy(server.uri, (r) => r.method === 'PUT' && r.path.endsWith('/requirements.txt'));
      const second = await mlflowProxy(server.uri);
      const child = spawn(process.execPath, [BIN, ...args(first.uri)], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
      await first.held;
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await first.close();
      const firstPuts = first.seen.filter((r) => r.method === 'PUT').map((r) => r.path.split('/').pop());
      expect(firstPuts).toContain('model.lgb');
      expect(firstPuts.at(-1)).toBe('requirements.txt');

      const exp = await experimentId(server.uri, experiment);
      const killedRuns = await runsOf(server.uri, exp);
      expect(killedRuns).toHaveLength(1);
      expect(killedRuns[0].info.status).toBe('RUNNING');
      if (server.version === 3) expect((await loggedModels(server.uri, exp)).map((m) => m.status)).toEqual(['LOGGED_MODEL_PENDING']);
      expect(await versionsOf(server.uri, name)).toEqual([]);
      const model = await withEngine((e) => e.models.get('resumable'));
      const recordsHere = async () =>
        exportRecords((await withEngine((e) => e.runs.get(model.runId))).tags).filter(
          (x) => x.trackingUri === second.uri || x.trackingUri === first.uri,
        );
      expect(await recordsHere()).toEqual([]);

      // 2. Run again: it finds the run and the model, uploads only what is missing, registers once.
      // Not spawnSync: the proxy answering the CLI runs in this process.
      const again = spawn(process.execPath, [BIN, ...args(second.uri)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      again.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      again.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      const status = await new Promise<number | null>((r) => again.on('close', r));
      await second.close();
      expect(status, stderr).toBe(0);
      const r = { stdout };
      const result = exportMlflowResultSchema.parse(jobSchema.parse(JSON.parse(r.stdout)).result);
      expect(result).toMatchObject({ resumed: true, modelVersion: '1', mlflowRunId: killedRuns[0].info.run_id });
      const secondPuts = second.seen.filter((x) => x.method === 'PUT').map((x) => x.path.split('/').pop());
      expect(secondPuts).not.toContain('model.lgb');
      expect(secondPuts).toContain('requirements.txt');
      expect(secondPuts.at(-1)).toBe('MLmodel');
      // Every create looked up first: nothing made twice.
      expect(second.seen.filter((x) => x.path.startsWith('/api/2.0/mlflow/runs/create'))).toEqual([]);
      expect(second.seen.filter((x) => x.method === 'POST' && x.path === '/api/2.0/mlflow/logged-models')).toEqual([]);

      const runs = await runsOf(server.uri, exp);
      expect(runs.map((x) => [x.info.run_id, x.info.status])).toEqual([[killedRuns[0].info.run_id, 'FINISHED']]);
      if (server.version === 3) expect((await loggedModels(server.uri, exp)).map((m) => m.status)).toEqual(['LOGGED_MODEL_READY']);
      expect((await versionsOf(server.uri, name)).map((v) => [v.version, v.status])).toEqual([['1', 'READY']]);
      expect((await recordsHere()).map((x) => [x.registeredModel, x.modelVersion])).toEqual([[name, '1']]);
      // The interrupted job is on record as such, not as a success.
      const jobs = await withEngine((e) => e.jobs.list({ limit: 20 }));
      const mine = jobs.filter((j) => j.kind === 'export.mlflow' && [first.uri, second.uri].includes(String(j.params.trackingUri)));
      expect(mine.map((j) => j.state).sort()).toEqual(['completed', 'interrupted']);

      // The resumed upload is a whole model: Python loads it and predicts what Bullpen predicts.
      const { rows, expected, features } = await withEngine(async (e) => {
        const m = await servingMatrix(e.workspace, model, [2012], true);
        const take = 50;
        const predicted = await runJobResult(e, 'ml.predict', { model: 'resumable', seasons: '2012' });
        const byGame = new Map(predicted.predictions.map((p) => [p.gameId, p.p]));
        return {
          rows: Array.from({ length: take }, (_, i) =>
            Array.from(m.features.subarray(i * m.cols, (i + 1) * m.cols), (x) => (Number.isNaN(x) ? null : x)),
          ),
          expected: m.gameIds.slice(0, take).map((g) => byGame.get(g) as number),
          features: model.featureNames,
        };
      });
      const python = mlflowLoadCheck(server, `models:/${name}/1`, features, rows);
      expect(Math.max(...python.pyfunc.map((p, i) => Math.abs(p - expected[i])))).toBeLessThanOrEqual(1e-12);
    }, 300_000);
  }
});
