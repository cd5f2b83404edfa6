/**
 * MLflow export: the time and the HTTP requests it takes to export a 500-tree model whose training run
 * holds 10,000 metric points (10 LightGBM metrics on the training and validation sets × 500 iterations),
 * to the MLflow 3 and MLflow 2 test servers (`.ci/services start`). Side by side for each server: a first
 * export (everything created and uploaded) and a repeated export of the same model (everything looked up,
 * only what changed sent), the median of several runs each. Prints one JSON document. Run: `npm run bench -- mlflowExport`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { dispatch } from '../src-main/api/handlers';
import { jobResult, type Contract, type JobOpName, type ResultOf } from '../src-main/api/contract';
import { buildDemo } from '../src-main/engine/demo/buildDemo';
import { Engine } from '../src-main/engine/engine';
import { jobSchema } from '../src-main/shared/events';
import { modelExportResult } from '../src-main/shared/results';
import { mlflowServers } from '../test/support/mlflow';

const TREES = 500;
/** LightGBM metrics a binary model can be evaluated with; each gives two curves (train, valid) of TREES points. */
const METRICS = [
  'binary_logloss',
  'binary_error',
  'auc',
  'average_precision',
  'cross_entropy',
  'cross_entropy_lambda',
  'kullback_leibler',
  'l1',
  'l2',
  'rmse',
  'mape',
];
const RUNS = 3;

async function job<K extends JobOpName>(engine: Engine, op: K, input: unknown): Promise<ResultOf<Contract[K]>> {
  const started = await dispatch(engine, op, input);
  if (!started.ok) throw new Error(`${op}: ${started.error.message}`);
  const done = await engine.jobs.settled(jobSchema.parse(started.output).id);
  if (done.state !== 'completed') throw new Error(`${op} ${done.state}: ${done.error}`);
  return jobResult(done, op);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const servers = mlflowServers();
  if (!servers.length) throw new Error('no MLflow test servers: run `.ci/services start` first');
  const dir = mkdtempSync(join(tmpdir(), 'bullpen-bench-mlflow-'));
  const engine = await Engine.open({ workspacePath: join(dir, 'bench.duckdb') });
  try {
    await buildDemo(engine.workspace, { seed: 500, firstSeason: 2010, lastSeason: 2012, marketInefficiency: true, scoringShift: false });
    await engine.validations.setPolicy('autoValidate: false\n', 'the benchmark policy');
    // Train and validate windows, no early stopping that could cut the trees: every metric on both sets.
    const trained = await job(engine, 'ml.train', {
      train: '2010,2011',
      valid: '2012',
      name: 'bench-500',
      numBoostRound: TREES,
      earlyStoppingRounds: TREES + 1,
      params: { learning_rate: 0.002, num_leaves: 15, min_data_in_leaf: 50, metric: METRICS.join(',') },
    });
    const model = await engine.models.get('bench-500');
    const run = await engine.runs.get(model.runId);
    const text = await engine.models.text(model);
    const trees = (text.match(/^Tree=/gm) ?? []).length;
    const points = Object.values(run.curves).reduce((n, c) => n + c.length, 0) + Object.keys(run.metrics).length;

    const results = [];
    for (const server of servers) {
      const first: ResultOf<Contract['export.mlflow']>[] = [];
      const again: ResultOf<Contract['export.mlflow']>[] = [];
      for (let i = 0; i < RUNS; i++) {
        const id = randomUUID().slice(0, 8);
        const input = { model: 'bench-500', trackingUri: server.uri, registeredName: `bench-500-${id}`, experiment: `bench-export-${id}` };
        first.push(await job(engine, 'export.mlflow', input));
        again.push(await job(engine, 'export.mlflow', input));
      }
      const side = (xs: ResultOf<Contract['export.mlflow']>[]) => ({
        medianMs: median(xs.map((x) => x.durationMs)),
        ms: xs.map((x) => x.durationMs),
        requests: median(xs.map((x) => x.requests)),
        uploadedFiles: median(xs.map((x) => x.uploadedFiles)),
      });
      const f = side(first);
      const a = side(again);
      results.push({
        server: { version: first[0].serverVersion, flow: modelExportResult(first[0]).flow },
        firstExport: f,
        repeatedExport: a,
        ratio: { time: +(f.medianMs / a.medianMs).toFixed(2), requests: +(f.requests / a.requests).toFixed(2) },
      });
    }
    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'mlflowExport',
          date: new Date().toISOString(),
          machine: { cores: cpus().length, memoryGb: +(totalmem() / 2 ** 30).toFixed(1), node: process.version },
          model: { trees, bestIteration: trained.bestIteration, metricPoints: points, modelTextBytes: Buffer.byteLength(text) },
          runsPerSide: RUNS,
          results,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`mlflowExport benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(5);
});
