// `export mlflow --sweep` against the real MLflow servers (3.x and 2.x): a real sweep on the demo league
// becomes a parent run (config as params, summary as metrics, sampler/objectives/best as tags, the search
// space and summary as artifacts) with one nested run per trial (its params, values, intermediate values,
// times and state as the run's status). Read back through MLflow's REST API; exporting again adds nothing,
// an export stopped half-way completes on the next one, trials added by a resume are added, and nothing
// goes to the registry's audit trail.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { modelExportResult, type ExportSweepResult } from '../../../src-main/shared/results';
import { exportSweep } from '../../../src-main/engine/integrations/mlflow/exportSweep';
import { SWEEP_EXPORT_RECORD_TAG, sweepExportRecords } from '../../../src-main/engine/integrations/mlflow/sweepExportRecord';
import type { Engine } from '../../../src-main/engine/engine';
import type { JobContext } from '../../../src-main/engine/jobs/jobContext';
import { BullpenError } from '../../../src-main/shared/errors';
import { jobSchema } from '../../../src-main/shared/events';
import { exportMlflowResultSchema, type SweepTrial } from '../../../src-main/shared/results';
import { mlflowServers, requireMlflow, type MlflowServer } from '../../support/mlflow';
import { call, openMlEngine, runJobResult } from '../ml/mlWorkspace';
import { artifactFiles, artifactText, experimentId, metricHistory, proxyPath } from './mlflowRest';

const ok = requireMlflow();
const BIN = resolve(__dirname, '../../../bin/bullpen.js');
/** The brief's tiny sweep: five random trials, two folds, thirty rounds, one worker, the median pruner. */
const SWEEP = {
  target: 'home_win',
  features: 'default',
  trials: 5,
  sampler: 'random',
  numBoostRound: 30,
  earlyStoppingRounds: 10,
  splits: 2,
  workers: 1,
  pruner: 'median',
} as const;
/**
 * Requests of a first export of TRIALS trials into a new experiment: /version; get-by-name, create,
 * get-by-name; one runs/search; the parent's create; three per trial (create, log-batch, update); the two
 * artifacts; the parent's log-batch and update.
 */
const firstExportRequests = (trials: number) => 1 + 3 + 1 + 1 + 3 * trials + 2 + 1 + 1;
/** Exporting an unchanged sweep again: /version, the experiment, one runs/search. */
const REPEAT_REQUESTS = 3;

const kv = z
  .array(z.object({ key: z.string(), value: z.string().optional().default('') }))
  .optional()
  .default([]);
const fullRun = z.object({
  info: z.object({
    run_id: z.string(),
    run_name: z.string().optional(),
    status: z.string(),
    artifact_uri: z.string(),
    start_time: z.coerce.number(),
    end_time: z.coerce.number().optional(),
  }),
  data: z.object({
    params: kv,
    tags: kv,
    metrics: z
      .array(z.object({ key: z.string(), value: z.union([z.number(), z.string()]), step: z.coerce.number() }))
      .optional()
      .default([]),
  }),
});
type FullRun = z.output<typeof fullRun>;

/** Every run of an experiment with its latest metric values and times, straight from MLflow. */
async function runsIn(uri: string, experiment: string): Promise<FullRun[]> {
  const r = await fetch(`${uri}/api/2.0/mlflow/runs/search`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ experiment_ids: [experiment], max_results: 1000 }),
  });
  expect(r.status).toBe(200);
  return z.object({ runs: z.array(fullRun).optional().default([]) }).parse(await r.json()).runs;
}

const tagsOf = (run: FullRun) => Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
const paramsOf = (run: FullRun) => Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
const metricsOf = (run: FullRun) => Object.fromEntries(run.data.metrics.map((m) => [m.key, Number(m.value)]));

/** The parent and the trials (by number) of a sweep export in an experiment; fails on a duplicate. */
async function sweepRuns(uri: string, experiment: string, sweepId: string) {
  const runs = (await runsIn(uri, experiment)).filter((r) => tagsOf(r)['bullpen.sweepId'] === sweepId);
  const parents = runs.filter((r) => tagsOf(r)['bullpen.kind'] === 'sweep');
  expect(parents, 'one parent run').toHaveLength(1);
  const children = runs.filter((r) => tagsOf(r)['bullpen.kind'] === 'sweep-trial');
  const numbers = children.map((r) => Number(tagsOf(r)['bullpen.trialNumber'])).sort((a, b) => a - b);
  expect(new Set(numbers).size, 'one run per trial').toBe(numbers.length);
  const byNumber = new Map(children.map((r) => [Number(tagsOf(r)['bullpen.trialNumber']), r]));
  return { parent: parents[0], children, byNumber, numbers };
}

const STATUS = { complete: 'FINISHED', pruned: 'KILLED', fail: 'FAILED' } as const;

/** What every trial's run must hold, checked against the workspace's trial. */
async function expectTrialRun(server: MlflowServer, run: FullRun, trial: SweepTrial, parentId: string, objective: string): Promise<void> {
  const tags = tagsOf(run);
  expect(run.info.run_name).toBe(`trial-${trial.number}`);
  expect(tags).toMatchObject({
    'mlflow.parentRunId': parentId,
    'mlflow.runName': `trial-${trial.number}`,
    'bullpen.trialState': trial.state,
    'bullpen.runId': trial.runId,
  });
  expect(run.info.status).toBe(STATUS[trial.state as keyof typeof STATUS]);
  expect(paramsOf(run)).toEqual(Object.fromEntries(Object.entries(trial.params).map(([k, v]) => [k, String(v)])));
  expect(run.info.start_time).toBe(Date.parse(trial.startedAt!));
  expect(run.info.end_time).toBe(Date.parse(trial.finishedAt!));
  const metrics = metricsOf(run);
  if (trial.state === 'complete') expect(metrics[objective]).toBe(trial.values![0]);
  else expect(metrics[objective]).toBeUndefined();
  if (trial.state !== 'complete') expect(tags['bullpen.reason']).toBe(trial.reason);
  if (trial.state === 'pruned') {
    expect(tags['bullpen.prunedAt']).toBe(String(trial.prunedAt));
    expect(tags['bullpen.prunedAtFold']).toBe(String(Math.floor(trial.prunedAt! / 10_000) + 1));
  }
  // The intermediate values, one series per fold by boosting iteration and the CV test loss by folds done.
  const keys = Object.keys(metrics).filter((k) => k.startsWith('intermediate/'));
  const points = (await Promise.all(keys.map((k) => metricHistory(server.uri, run.info.run_id, k)))).flat();
  expect(points).toHaveLength(trial.intermediate.length);
  // Folds from 1, as the pruner's reasons count them; Bullpen's step is (fold − 1) × 10000 + iteration, or + 9999 at the fold's end.
  const expected = trial.intermediate.map((p) => {
    const fold = Math.floor(p.step / 10_000) + 1;
    const at = p.step % 10_000;
    return at === 9_999 ? `intermediate/cvTestLogLoss@${fold}=${p.value}` : `intermediate/fold${fold}.validLogLoss@${at}=${p.value}`;
  });
  const got = (
    await Promise.all(
      keys.map(async (k) => (await metricHistory(server.uri, run.info.run_id, k)).map((p) => `${k}@${p.step}=${Number(p.value)}`)),
    )
  ).flat();
  expect(got.sort()).toEqual(expected.sort());
}

function context(signal: AbortSignal): JobContext {
  return { id: 'test-export', signal, progress: () => undefined, throwIfCancelled: () => signal.throwIfAborted(), log: () => undefined };
}

/** Runs the built CLI without blocking this process. */
function bullpen(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe.skipIf(!ok)('export mlflow --sweep: a parent run with one nested run per trial, on MLflow 3 and MLflow 2', () => {
  const id = randomUUID().slice(0, 8);
  const experimentOf = (server: MlflowServer) => `bullpen-sweep-test-${server.version}-${id}`;
  let engine: Engine;
  let cleanup: () => Promise<void>;
  let workspacePath: string;
  let sweepId: string;
  const firstExports = new Map<number, ExportSweepResult>();

  const exportTo = async (server: MlflowServer, experiment = experimentOf(server)): Promise<ExportSweepResult> => {
    const r = await runJobResult(engine, 'export.mlflow', { sweep: 'tiny', trackingUri: server.uri, experiment });
    if (r.exported !== 'sweep') throw new Error(`a sweep export answered ${JSON.stringify(r)}`);
    return r;
  };

  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
    workspacePath = engine.workspace.path;
    await call(engine, 'settings.set', { user: 'ana' });
    const summary = await runJobResult(engine, 'ml.optimize', { ...SWEEP, name: 'tiny' });
    expect(summary).toMatchObject({ status: 'completed', trials: 5 });
    sweepId = summary.sweepId;
  }, 600_000);
  afterAll(async () => cleanup?.());

  for (const server of mlflowServers()) {
    it(`MLflow ${server.version}: the parent run holds the config, summary and tags; five nested trial runs hold the workspace's trials`, async () => {
      const summary = await call(engine, 'ml.sweeps.show', { id: 'tiny' });
      const { trials } = await call(engine, 'ml.sweeps.trials', { id: 'tiny' });
      const r = await exportTo(server);
      firstExports.set(server.version, r);
      expect(r).toMatchObject({
        exported: 'sweep',
        sweepId,
        sweepName: 'tiny',
        sweepStatus: 'completed',
        runId: summary.runId,
        trackingUri: server.uri,
        resumed: false,
        createdRuns: 6,
        updatedRuns: 0,
        uploadedFiles: 2,
        bestTrial: summary.best!.trialNumber,
      });
      expect(Number(r.serverVersion?.split('.')[0])).toBe(server.version);
      expect(r.trials.map((t) => [t.number, t.status])).toEqual(trials.map((t) => [t.number, STATUS[t.state as keyof typeof STATUS]]));
      console.info(
        `[mlflow ${r.serverVersion}] first export of a ${trials.length}-trial sweep: ${r.requests} requests, ${r.durationMs} ms`,
      );
      expect(r.requests).toBe(firstExportRequests(trials.length));

      const exp = await experimentId(server.uri, experimentOf(server));
      const { parent, byNumber, numbers } = await sweepRuns(server.uri, exp, sweepId);
      expect(numbers).toEqual([0, 1, 2, 3, 4]);
      expect(parent.info.run_id).toBe(r.mlflowRunId);
      expect(parent.info.status).toBe('FINISHED');
      expect(parent.info.run_name).toBe('tiny');
      expect(parent.info.start_time).toBe(Date.parse(summary.createdAt));
      expect(parent.info.end_time).toBe(Date.parse(summary.finishedAt!));
      const bestRun = byNumber.get(summary.best!.trialNumber)!;
      expect(tagsOf(parent)).toMatchObject({
        'mlflow.user': 'ana',
        'mlflow.source.name': 'bullpen',
        'bullpen.runId': summary.runId,
        'bullpen.sweepId': sweepId,
        'bullpen.sampler': 'random',
        'bullpen.objectives': 'logLoss',
        'bullpen.directions': 'minimize',
        'bullpen.pruner': 'median',
        'bullpen.status': 'completed',
        'bullpen.bestTrial': String(summary.best!.trialNumber),
        'bullpen.bestRunId': bestRun.info.run_id,
        'bullpen.config.trials': '5',
        'bullpen.config.workers': '1',
      });
      expect(paramsOf(parent)).toMatchObject({
        target: 'home_win',
        features: 'default',
        sampler: 'random',
        objectives: 'logLoss',
        seed: String(summary.config.seed),
        'cv.scheme': 'walk-forward',
        'cv.splits': '2',
        numBoostRound: '30',
        earlyStoppingRounds: '10',
        'pruner.type': 'median',
        'space.num_leaves': 'int [10, 300]',
        'space.learning_rate': 'float [0.01, 0.3] log',
      });
      const metrics = metricsOf(parent);
      expect(metrics).toMatchObject({
        'best.logLoss': summary.best!.values[0],
        completed: summary.completed,
        pruned: summary.pruned,
        failed: summary.failed,
      });
      expect(summary.improvement).not.toBeNull();
      expect(metrics['improvement.relative']).toBe(summary.improvement!.relative);
      expect(metrics['improvement.ciLow']).toBe(summary.improvement!.ci[0]);
      expect(metrics['default.logLoss']).toBe(summary.defaultParams.values![0]);
      // Statistics the sweep could not compute are left out rather than logged as NaN.
      expect('deflatedSharpe' in metrics).toBe(summary.deflatedSharpe !== null);
      expect('pbo' in metrics).toBe(summary.pbo !== null);
      if (summary.deflatedSharpe !== null) expect(metrics.deflatedSharpe).toBe(summary.deflatedSharpe);
      expect('hypervolume' in metrics).toBe(false);
      // The optimization history by trial number.
      const history = await metricHistory(server.uri, parent.info.run_id, 'history/best_logLoss');
      expect(history.map((p) => p.step)).toEqual(trials.filter((t) => t.state === 'complete').map((t) => t.number));
      expect(Number(history.at(-1)!.value)).toBe(summary.best!.values[0]);
      const files = await artifactFiles(server.uri, proxyPath(parent.info.artifact_uri));
      expect(files).toEqual(['bullpen/search_space.yaml', 'bullpen/sweep.json']);
      const stored = JSON.parse(await artifactText(server.uri, `${proxyPath(parent.info.artifact_uri)}/bullpen/sweep.json`)) as {
        sweepId: string;
      };
      expect(stored.sweepId).toBe(sweepId);

      for (const t of trials) {
        const run = byNumber.get(t.number)!;
        await expectTrialRun(server, run, t, parent.info.run_id, 'logLoss');
        expect(tagsOf(run)['bullpen.best']).toBe(String(t.number === summary.best!.trialNumber));
      }

      // Recorded on the sweep's run, and not in the registry's audit trail (a sweep is no registry version).
      const records = sweepExportRecords((await engine.runs.get(summary.runId!)).tags);
      expect(records.find((x) => x.trackingUri === server.uri)).toMatchObject({ mlflowRunId: r.mlflowRunId, experimentId: exp, trials: 5 });
      expect(await engine.registry.audit()).toEqual([]);
    }, 300_000);
  }

  it('exporting again sends nothing and creates nothing', async () => {
    for (const server of mlflowServers()) {
      const exp = await experimentId(server.uri, experimentOf(server));
      const before = await runsIn(server.uri, exp);
      const r = await exportTo(server);
      expect(r).toMatchObject({
        resumed: true,
        createdRuns: 0,
        updatedRuns: 0,
        uploadedFiles: 0,
        mlflowRunId: firstExports.get(server.version)!.mlflowRunId,
      });
      expect(r.requests).toBe(REPEAT_REQUESTS);
      const after = await runsIn(server.uri, exp);
      expect(after.map((x) => [x.info.run_id, x.info.status, x.data.params.length, x.data.tags.length]).sort()).toEqual(
        before.map((x) => [x.info.run_id, x.info.status, x.data.params.length, x.data.tags.length]).sort(),
      );
    }
  }, 300_000);

  it('refuses --sweep with --model, neither of them, --registered-name with --sweep, and an unknown sweep, starting no job', async () => {
    const jobsBefore = (await engine.jobs.list({ limit: 100 })).length;
    const refused = async (input: unknown) => {
      try {
        await call(engine, 'export.mlflow', input);
      } catch (err) {
        return err as BullpenError;
      }
      throw new Error(`export.mlflow ${JSON.stringify(input)} was not refused`);
    };
    const uri = mlflowServers()[0].uri;
    expect(await refused({ sweep: 'tiny', model: 'some-model', trackingUri: uri })).toMatchObject({
      kind: 'usage',
      code: 'EXPORT_WHAT_AMBIGUOUS',
    });
    expect(await refused({ trackingUri: uri })).toMatchObject({ kind: 'usage', code: 'EXPORT_WHAT_MISSING' });
    expect(await refused({ sweep: 'tiny', registeredName: 'x', trackingUri: uri })).toMatchObject({
      kind: 'usage',
      code: 'EXPORT_SWEEP_REGISTERED_NAME',
    });
    const unknown = await refused({ sweep: 'no-such-sweep', trackingUri: uri });
    expect(unknown).toMatchObject({ kind: 'notFound', code: 'SWEEP_NOT_FOUND' });
    expect(unknown.message).toContain('no-such-sweep');
    expect((await engine.jobs.list({ limit: 100 })).length).toBe(jobsBefore);
  });

  for (const server of mlflowServers()) {
    it(`MLflow ${server.version}: an export stopped after a trial run was created but before it was logged completes on the next export, with nothing twice`, async () => {
      const experiment = `${experimentOf(server)}-stopped`;
      const stop = new AbortController();
      let batches = 0;
      const stopped = exportSweep(engine, { sweep: 'tiny', trackingUri: server.uri, experiment }, context(stop.signal), {
        http: {
          onRequest: (req) => {
            // The second trial's log-batch (the first is trial 0's): trial 1 exists in MLflow, empty and RUNNING.
            if (req.path.endsWith('/runs/log-batch') && ++batches === 2)
              stop.abort(new BullpenError('cancelled', 'TEST_STOP', 'stopped by the test'));
          },
        },
      });
      await expect(stopped).rejects.toMatchObject({ code: 'TEST_STOP' });
      const exp = await experimentId(server.uri, experiment);
      const half = await sweepRuns(server.uri, exp, sweepId);
      expect(half.numbers).toEqual([0, 1]);
      expect(half.byNumber.get(1)!.info.status).toBe('RUNNING');
      expect(half.byNumber.get(1)!.data.params).toEqual([]);
      expect(half.parent.info.status).toBe('RUNNING');

      const r = await exportTo(server, experiment);
      expect(r).toMatchObject({ resumed: true, createdRuns: 3, updatedRuns: 2, uploadedFiles: 2 });
      const { trials } = await call(engine, 'ml.sweeps.trials', { id: 'tiny' });
      const done = await sweepRuns(server.uri, exp, sweepId);
      expect(done.parent.info.run_id).toBe(half.parent.info.run_id);
      expect(done.byNumber.get(1)!.info.run_id).toBe(half.byNumber.get(1)!.info.run_id);
      expect(done.parent.info.status).toBe('FINISHED');
      for (const t of trials) await expectTrialRun(server, done.byNumber.get(t.number)!, t, done.parent.info.run_id, 'logLoss');
    }, 300_000);
  }

  it('after a resume adds pruned and failed trials, exporting again adds their runs: pruned → KILLED, failed → FAILED, each with its reason', async () => {
    // Trials 5–9 under the median pruner (five complete trials before them), then two more with a time
    // limit no trial meets, so they fail.
    await runJobResult(engine, 'ml.optimize', { resume: 'tiny', trials: 10 });
    const summary = await runJobResult(engine, 'ml.optimize', { resume: 'tiny', trials: 12, maxTrialSeconds: 0.001 });
    const { trials } = await call(engine, 'ml.sweeps.trials', { id: 'tiny' });
    const states = trials.map((t) => t.state);
    expect(states, 'the resumed sweep has pruned and failed trials to export').toEqual(
      expect.arrayContaining(['complete', 'pruned', 'fail']),
    );
    for (const server of mlflowServers()) {
      const r = await exportTo(server);
      expect(r).toMatchObject({
        resumed: true,
        createdRuns: 7,
        sweepStatus: 'completed',
        runId: summary.runId,
        bestTrial: summary.best!.trialNumber,
      });
      const exp = await experimentId(server.uri, experimentOf(server));
      const { parent, byNumber, numbers } = await sweepRuns(server.uri, exp, sweepId);
      expect(parent.info.run_id).toBe(firstExports.get(server.version)!.mlflowRunId);
      expect(numbers).toEqual(trials.map((t) => t.number));
      for (const t of trials) await expectTrialRun(server, byNumber.get(t.number)!, t, parent.info.run_id, 'logLoss');
      // What a resume may change is a tag (params are immutable); the parent now names the resumed sweep's run.
      expect(tagsOf(parent)).toMatchObject({
        'bullpen.config.trials': '12',
        'bullpen.config.maxTrialSeconds': '0.001',
        'bullpen.runId': summary.runId,
        'bullpen.bestRunId': byNumber.get(summary.best!.trialNumber)!.info.run_id,
      });
      expect(metricsOf(parent)).toMatchObject({ pruned: summary.pruned, failed: summary.failed });
      expect(r.trials.filter((t) => t.state === 'pruned').every((t) => t.status === 'KILLED')).toBe(true);
    }
  }, 600_000);

  it('the CLI exports a sweep (--json) and refuses --sweep with --model (exit 2)', async () => {
    await engine.close();
    const server = mlflowServers().at(-1)!;
    const both = await bullpen([
      'export',
      'mlflow',
      '--sweep',
      'tiny',
      '--model',
      'm',
      '--tracking-uri',
      server.uri,
      '--json',
      '--workspace',
      workspacePath,
    ]);
    expect(both.code).toBe(2);
    expect((JSON.parse(both.stdout) as { error: { code: string } }).error.code).toBe('EXPORT_WHAT_AMBIGUOUS');
    expect(both.stderr.trim().split('\n').pop()).toContain('--model NAME[:VERSION] or --sweep ID');

    const again = await bullpen([
      'export',
      'mlflow',
      '--sweep',
      'tiny',
      '--tracking-uri',
      server.uri,
      '--experiment',
      experimentOf(server),
      '--json',
      '--workspace',
      workspacePath,
    ]);
    expect(again.code, again.stderr).toBe(0);
    const result = exportMlflowResultSchema.parse(jobSchema.parse(JSON.parse(again.stdout)).result);
    expect(result).toMatchObject({ exported: 'sweep', sweepName: 'tiny', resumed: true, createdRuns: 0, updatedRuns: 0 });
    expect(() => modelExportResult(result)).toThrow(/sweep/);
    expect(SWEEP_EXPORT_RECORD_TAG).toBe('export.mlflow.sweep');
  }, 300_000);
});
