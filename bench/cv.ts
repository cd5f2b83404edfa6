/**
 * Walk-forward CV, side by side in one run: 5-fold walk-forward (90/30/1/1) on 17 real seasons of the
 * default features. Ours: each pool worker bins the matrix once and cuts its folds with Dataset.subset,
 * fold groups in parallel (pool size × 1 thread). Naive: a new Dataset per fold, one fold at a time, with
 * LightGBM using every core. Both boost the same fixed number of rounds. Then the whole `ml.cv` job runs
 * through the engine while the engine's event-loop delay is sampled (p99; target < 16 ms).
 * Run: `npm run bench -- cv` (needs ../shared/data; about 2–3 minutes on 2 cores).
 */
import { execSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { dispatch } from '../src-main/api/handlers';
import { cvFolds } from '../src-main/engine/evaluation/cv/runCv';
import { foldGroups } from '../src-main/engine/evaluation/cv/foldGroups';
import { Engine } from '../src-main/engine/engine';
import { loadFeatureMatrix, type FeatureMatrix } from '../src-main/engine/modeling/featureMatrix';
import { DEFAULT_SEED, resolveParams } from '../src-main/engine/modeling/defaultParams';
import { WorkerPool } from '../src-main/engine/workers/workerPool';
import type { Job } from '../src-main/shared/events';
import type { Fold } from '../src-workers/compute/cv';
import { logLoss } from '../src-workers/compute/metrics';
import type { CvFoldPayload, CvFoldResult } from '../src-workers/tasks/cvFold';
import { ensureRealWorkspace } from './realWorkspace';

const ROUNDS = 150;
const RUNS = 3;
const SEASONS = '2000-2016';
const CV = { scheme: 'walk-forward', splits: 5, trainDays: 90, testDays: 30, gap: 1, embargo: 1 } as const;

function payloadFor(
  m: FeatureMatrix,
  folds: Fold[],
  mode: 'subset' | 'rebuild',
  numThreads: number,
): { payload: CvFoldPayload; transfer: ArrayBuffer[] } {
  const x = m.features.slice();
  const y = m.label.slice();
  return {
    payload: {
      x,
      y,
      rows: m.rows,
      cols: m.cols,
      featureNames: m.featureNames,
      datasetMode: mode,
      folds: folds.map((f) => ({ index: f.index, train: f.train.slice(), test: f.test.slice() })),
      params: resolveParams({}, DEFAULT_SEED),
      numBoostRound: ROUNDS,
      earlyStoppingRounds: null,
      numThreads,
    },
    transfer: [x.buffer, y.buffer],
  };
}

async function ours(pool: WorkerPool, m: FeatureMatrix, folds: Fold[]): Promise<CvFoldResult[]> {
  const groups = foldGroups(folds, pool.size);
  const outs = await Promise.all(
    groups.map((g) => {
      const { payload, transfer } = payloadFor(m, g, 'subset', pool.threadsPerTask);
      return pool.run('cvFold', payload, { transferList: transfer });
    }),
  );
  return outs.flatMap((o) => o.folds).sort((a, b) => a.index - b.index);
}

async function naive(pool: WorkerPool, m: FeatureMatrix, folds: Fold[]): Promise<CvFoldResult[]> {
  const { payload, transfer } = payloadFor(m, folds, 'rebuild', pool.threadsPerTask);
  return (await pool.run('cvFold', payload, { transferList: transfer })).folds;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function oofLogLoss(m: FeatureMatrix, folds: Fold[], results: CvFoldResult[]): number {
  const y: number[] = [];
  const p: number[] = [];
  for (const r of results) folds[r.index].test.forEach((row, i) => (y.push(m.label[row]), p.push(r.pred[i])));
  return logLoss(y, p);
}

async function main(): Promise<void> {
  const path = await ensureRealWorkspace();
  const cores = availableParallelism();
  const engine = await Engine.open({ workspacePath: path });
  const naivePool = new WorkerPool({ threadsPerTask: cores });
  try {
    const m = await loadFeatureMatrix(engine.workspace, { set: 'default', target: 'home_win', seasons: SEASONS });
    const folds = cvFolds(m, CV);
    // Warm both pools (thread start, addon load) so neither side pays it in the timings.
    await Promise.all([ours(engine.pool, m, folds.slice(0, engine.pool.size)), naive(naivePool, m, folds.slice(0, 1))]);
    const oursMs: number[] = [];
    const naiveMs: number[] = [];
    let oursLoss = 0;
    let naiveLoss = 0;
    for (let r = 0; r < RUNS; r++) {
      const a = await timed(() => ours(engine.pool, m, folds));
      const b = await timed(() => naive(naivePool, m, folds));
      oursMs.push(a.ms);
      naiveMs.push(b.ms);
      oursLoss = oofLogLoss(m, folds, a.value);
      naiveLoss = oofLogLoss(m, folds, b.value);
    }

    // The whole job as a user runs it (matrix from DuckDB, folds, pool, run store), with the event loop watched.
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    const t0 = performance.now();
    const started = await dispatch(engine, 'ml.cv', {
      features: 'default',
      target: 'home_win',
      seasons: SEASONS,
      ...CV,
      numBoostRound: ROUNDS,
    });
    if (!started.ok) throw new Error(started.error.message);
    const job: Job = await engine.jobs.settled((started.output as Job).id);
    const jobMs = performance.now() - t0;
    lag.disable();
    if (job.state !== 'completed') throw new Error(`ml.cv ${job.state}: ${job.error}`);

    const result = {
      benchmark: 'cv',
      data: `${m.rows} games × ${m.cols} features, seasons ${SEASONS}`,
      folds: folds.map((f) => ({ train: f.train.length, test: f.test.length, testStart: f.boundaries.testStart })),
      rounds: ROUNDS,
      pool: { workers: engine.pool.size, threadsPerTask: engine.pool.threadsPerTask },
      naive: { workers: 1, threads: naivePool.threadsPerTask },
      runs: RUNS,
      medianMs: { ours: Math.round(median(oursMs)), naive: Math.round(median(naiveMs)) },
      ratio: +(median(naiveMs) / median(oursMs)).toFixed(2),
      oofLogLoss: { ours: +oursLoss.toFixed(5), naive: +naiveLoss.toFixed(5) },
      job: {
        wallMs: Math.round(jobMs),
        eventLoopDelayMs: {
          p50: +(lag.percentile(50) / 1e6).toFixed(1),
          p99: +(lag.percentile(99) / 1e6).toFixed(1),
          max: +(lag.max / 1e6).toFixed(1),
        },
      },
    };
    console.log(JSON.stringify(result, null, 2));
    let commit = 'unknown';
    try {
      commit = execSync('git rev-parse --short HEAD', { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    } catch {
      // not a git checkout: the row still records everything else
    }
    const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`;
    appendFileSync(
      join(__dirname, 'RESULTS.md'),
      `| ${new Date().toISOString().slice(0, 10)} | ${commit} | ${machine} | cv | 5-fold walk-forward CV (90/30/1/1) on ${m.rows} games 2000–2016, ${ROUNDS} rounds/fold: ` +
        `Dataset once per worker + subset, ${result.pool.workers} workers × ${result.pool.threadsPerTask} thread vs naive new Dataset per fold, one fold at a time, ${result.naive.threads} threads (${RUNS} runs each) | ` +
        `${result.medianMs.ours} ms vs ${result.medianMs.naive} ms (OOF log loss ${result.oofLogLoss.ours} vs ${result.oofLogLoss.naive}); full ml.cv job ${result.job.wallMs} ms, engine event-loop delay p99 ${result.job.eventLoopDelayMs.p99} ms (max ${result.job.eventLoopDelayMs.max} ms) | ${result.ratio}× |\n`,
    );
  } finally {
    await naivePool.close();
    await engine.close();
  }
}

void main();
