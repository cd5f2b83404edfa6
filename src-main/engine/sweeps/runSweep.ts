import { makeSampler } from '../../../src-workers/compute/sweep/samplers';
import type { TrialOutcome } from '../../../src-workers/compute/sweep/trialSession';
import { BullpenError, inputError } from '../../shared/errors';
import type { SweepConfig } from '../../shared/results/sweep';
import type { TrialParams } from '../../shared/sweep/distributions';
import type { FrozenTrial, IntermediatePoint } from '../../shared/sweep/trials';
import { cvPlan, trainBeforeLastTest } from '../evaluation/cv/runCv';
import type { EngineDeps } from '../engineDeps';
import type { JobContext } from '../jobs/jobContext';
import type { JobSpec } from '../jobs/jobSpec';
import { loadFeatureMatrix, parseSeasons, type FeatureMatrix } from '../modeling/featureMatrix';
import { assertSeasonsHaveGames } from '../modeling/jobPrechecks';
import { matrixBefore } from '../modeling/matrixRows';
import { newSweepConfig, resumableSweep, sweepBaseParams, type OptimizeInput } from './sweepSetup';
import { startSessions, type SweepSession } from './sweepSessions';
import type { StoredTrial, SweepRecord } from './sweepStorage';
import { buildSweepSummary, type SweepOutcome } from './sweepSummary';
import { scoreTrial, scoringFrame, type ScoringFrame } from './trialObjectives';
import { TrialScheduler } from './trialScheduler';

const HEARTBEAT_MS = 5_000;
/** Intermediate values are written in batches: at most this often per trial (and at each fold's end). */
const REPORT_FLUSH_MS = 1_000;

/** Refusals before the job starts: a bad space, an unknown set, seasons without games, a sweep that is running. */
export async function precheckOptimize(deps: EngineDeps, input: OptimizeInput): Promise<void> {
  if (input.resume !== undefined) {
    await resumableSweep(deps, input);
    return;
  }
  const config = await newSweepConfig(deps, input);
  await deps.features.setSize(config.features);
  await assertSeasonsHaveGames(deps.data, input.seasons, '--seasons', true);
  if (input.name !== undefined) {
    const taken = await deps.sweeps.get(input.name).then(
      () => true,
      () => false,
    );
    if (taken)
      throw new BullpenError(
        'conflict',
        'SWEEP_NAME_TAKEN',
        `a sweep named ${input.name} exists: choose another --name, or continue it with --resume ${input.name}`,
      );
  }
}

function frozen(t: StoredTrial): FrozenTrial {
  return {
    number: t.number,
    state: t.state,
    params: t.params,
    values: t.values,
    intermediate: t.intermediate,
    durationMs: t.durationMs,
    prunedAt: t.prunedAt,
    reason: t.reason,
  };
}

/** Interrupted (running when the process died) or cancelled trials are run again with the same parameters. */
const rerun = (t: StoredTrial): boolean => t.state === 'running' || (t.state === 'fail' && (t.reason ?? '').startsWith('cancelled'));

interface Live {
  deps: EngineDeps;
  ctx: JobContext;
  record: SweepRecord;
  config: SweepConfig;
  frame: ScoringFrame;
  scheduler: TrialScheduler;
  started: number;
  iterations: number;
  finishedNow: number;
}

/** Records a finished trial: its scores, its row, its child run of the sweep's run. */
async function settleTrial(
  live: Live,
  number: number,
  params: TrialParams,
  runId: string | null,
  o: TrialOutcome,
  pending: IntermediatePoint[],
): Promise<FrozenTrial> {
  const { deps, record, config, frame } = live;
  await deps.sweeps.report(record.id, number, pending.splice(0));
  live.iterations += o.iterations;
  const scores = o.state === 'complete' ? scoreTrial(frame, config.objectives, o.foldPredictions) : null;
  const end = {
    state: o.state,
    values: scores ? scores.values.map((v) => (Number.isFinite(v) ? v : 0)) : null,
    durationMs: o.durationMs,
    prunedAt: o.prunedAt,
    reason: o.reason,
    foldValues: scores?.foldValues ?? null,
    dailyReturns: scores?.dailyReturns ?? null,
  };
  await deps.sweeps.finishTrial(record.id, number, end);
  if (runId) {
    if (o.state === 'fail') await deps.runs.abandon(runId, 'failed', o.reason ?? 'failed');
    else
      await deps.runs.finish(runId, {
        metrics: [
          ...(scores ? config.objectives.map((k, i) => ({ key: k, value: scores.values[i] })) : []),
          { key: 'iterations', value: o.iterations },
          ...o.bestIterations.map((b, f) => ({ key: 'fold.bestIteration', value: b, step: f + 1 })),
          ...o.foldLogLoss.map((v, f) => ({ key: 'fold.logLoss', value: v, step: f + 1 })),
        ],
        tags: { 'trial.state': o.state, ...(o.reason ? { 'trial.reason': o.reason.slice(0, 500) } : {}) },
      });
  }
  const stored = (await deps.sweeps.trials(record.id)).find((t) => t.number === number);
  if (!stored) throw new BullpenError('internal', 'TRIAL_LOST', `trial ${number} of sweep ${record.name} is missing from the workspace`);
  return frozen(stored);
}

/** Runs one trial on a free worker, from asking its parameters to recording its end. */
async function runTrial(live: Live, session: SweepSession, number: number, params: TrialParams): Promise<void> {
  const { deps, ctx, record, config, scheduler } = live;
  const runId = await deps.runs.start({
    name: `${record.name}/trial-${number}`,
    kind: 'sweep-trial',
    parentId: record.runId,
    jobId: ctx.id,
    target: config.target,
    featureSet: config.features,
    seed: config.seed,
    params: { ...config.fixed, ...params, 'trial.number': number },
    tags: { 'sweep.id': record.id, 'trial.number': String(number) },
  });
  await deps.sweeps.startTrial(record.id, number, params, runId);
  const pending: IntermediatePoint[] = [];
  let lastFlush = Date.now();
  let flushing: Promise<void> = Promise.resolve();
  const onReport = (points: IntermediatePoint[]) => {
    pending.push(...points);
    if (Date.now() - lastFlush < REPORT_FLUSH_MS) return;
    lastFlush = Date.now();
    const batch = pending.splice(0);
    flushing = flushing.then(() => deps.sweeps.report(record.id, number, batch)).catch(() => undefined);
  };
  let outcome: TrialOutcome;
  try {
    outcome = await session.run(
      {
        number,
        params: { ...config.fixed, ...params },
        reference: scheduler.historyFor(number).filter((t) => t.state === 'complete' || t.state === 'pruned'),
        maxTrialMs: config.maxTrialSeconds === null ? null : config.maxTrialSeconds * 1000,
        prunable: true,
      },
      onReport,
    );
  } catch (err) {
    await flushing;
    if (ctx.signal.aborted || (err instanceof BullpenError && err.kind === 'cancelled')) {
      scheduler.abandon(number);
      await deps.sweeps.finishTrial(record.id, number, {
        state: 'fail',
        values: null,
        durationMs: 0,
        prunedAt: null,
        reason: 'cancelled (run again on --resume)',
        foldValues: null,
        dailyReturns: null,
      });
      await deps.runs.abandon(runId, 'cancelled', 'cancelled by request');
      throw err;
    }
    if (err instanceof BullpenError && err.code === 'TRIAL_FAILED') {
      // LightGBM refused this trial's parameters (or the trial threw): the trial failed, the sweep goes on.
      outcome = {
        number,
        state: 'fail',
        foldLogLoss: [],
        foldPredictions: [],
        bestIterations: [],
        prunedAt: null,
        reason: err.message,
        iterations: 0,
        durationMs: 0,
        datasetRebuilt: false,
      };
    } else throw err;
  }
  await flushing;
  const trial = await settleTrial(live, number, params, runId, outcome, pending);
  scheduler.finish(trial);
  live.finishedNow++;
  ctx.log(
    `trial ${number} ${trial.state}${trial.values ? `: ${config.objectives.map((o, i) => `${o} ${trial.values![i].toFixed(4)}`).join(', ')}` : ''}${trial.reason ? ` (${trial.reason})` : ''}`,
  );
}

function reportProgress(live: Live): void {
  const done = live.scheduler.finishedTrials().length;
  const total = live.scheduler.total;
  const elapsed = Date.now() - live.started;
  const eta = live.finishedNow > 0 ? Math.round(((total - done) * elapsed) / live.finishedNow / 1000) : null;
  live.ctx.progress(
    0.05 + (0.9 * done) / Math.max(1, total),
    `trial ${done}/${total} finished${eta !== null ? `, about ${eta} s left` : ''}`,
  );
}

/** The default-parameter baseline on the same folds, once per sweep (kept across resumes). */
async function runBaseline(live: Live, session: SweepSession): Promise<void> {
  const { deps, record, config, frame } = live;
  const o = await session.run(
    { number: -1, params: { ...config.fixed }, reference: [], maxTrialMs: null, prunable: false },
    () => undefined,
  );
  if (o.state !== 'complete') return;
  const scores = scoreTrial(frame, config.objectives, o.foldPredictions);
  const baseline = { params: { ...config.fixed }, values: scores.values, foldValues: scores.foldValues, dailyReturns: scores.dailyReturns };
  record.baseline = baseline;
  await deps.sweeps.update(record.id, { baseline });
}

/**
 * Dispatches trials to free workers until the scheduler has nothing left: each worker takes the next
 * trial that may be asked; a worker that must wait (trials below n − lag still running) waits for any
 * trial to finish. Every trial is written when it starts and when it ends.
 */
async function dispatch(live: Live, sessions: SweepSession[], alsoRunning: Promise<void>[]): Promise<void> {
  const { ctx, config, scheduler } = live;
  const deadline = config.timeoutSeconds === null ? Infinity : live.started + config.timeoutSeconds * 1000;
  const inFlight = new Set<Promise<void>>();
  // A session is taken from the moment its trial is dispatched (before the trial's run and row exist).
  const taken = new Set<SweepSession>(alsoRunning.length ? [sessions[0]] : []);
  let failure: unknown = null;
  for (const work of alsoRunning) {
    const p: Promise<void> = work
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => {
        inFlight.delete(p);
        taken.delete(sessions[0]);
      });
    inFlight.add(p);
  }
  for (;;) {
    if (failure) break;
    if (Date.now() > deadline) scheduler.stopAsking();
    const free = sessions.filter((s) => !taken.has(s));
    let started = false;
    for (const session of free) {
      if (ctx.signal.aborted) break;
      const n = scheduler.next();
      if (n === null) break;
      const params = scheduler.ask(n);
      if (params === null) break;
      started = true;
      taken.add(session);
      const p: Promise<void> = runTrial(live, session, n, params)
        .then(() => reportProgress(live))
        .catch((err: unknown) => {
          failure ??= err;
        })
        .finally(() => {
          inFlight.delete(p);
          taken.delete(session);
        });
      inFlight.add(p);
    }
    if (scheduler.isDone() || (inFlight.size === 0 && !started)) break;
    if (inFlight.size > 0) {
      // Wake on the next finished trial, or at the deadline so --timeout stops asking on time.
      const wait = Number.isFinite(deadline) ? Math.max(0, deadline - Date.now()) + 10 : 2_147_000_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([...inFlight, new Promise<void>((r) => (timer = setTimeout(r, wait)))]);
      clearTimeout(timer);
    }
  }
  await Promise.allSettled([...inFlight]);
  if (failure) throw failure;
}

/**
 * `bullpen ml optimize`: a hyperparameter sweep. Trials are CVs of LightGBM on one feature matrix, run by
 * long-lived workers that bin the matrix once; the sampler asks in trial-number order so the same seed
 * gives the same trials; every trial is written when it starts and ends, so a sweep killed at any point
 * resumes with `--resume` keeping every finished trial.
 */
export async function runSweep(deps: EngineDeps, input: OptimizeInput, ctx: JobContext): Promise<SweepOutcome> {
  const started = Date.now();
  let record: SweepRecord;
  let config: SweepConfig;
  if (input.resume !== undefined) {
    ({ record, config } = await resumableSweep(deps, input));
    await deps.sweeps.update(record.id, { status: 'running', jobId: ctx.id, config, error: null, finishedAt: null });
  } else {
    config = await newSweepConfig(deps, input);
    const name = input.name ?? `sweep-${config.target}-${config.features}-${Date.now().toString(36)}`;
    record = await deps.sweeps.create(name, config, ctx.id);
  }
  const heartbeat = setInterval(() => void deps.sweeps.heartbeat(record.id).catch(() => undefined), HEARTBEAT_MS);
  try {
    ctx.progress(0.01, 'building the feature matrix');
    const seasons = parseSeasons(config.seasons ?? undefined);
    const loaded = await loadFeatureMatrix(deps.workspace, {
      set: config.features,
      target: config.target,
      ...(seasons ? { seasons } : {}),
    });
    const m: FeatureMatrix = config.before === null ? loaded : matrixBefore(loaded, config.before);
    if (m.rows === 0)
      throw inputError(
        'NO_GAMES',
        `no labelled games for target ${config.target}${config.seasons ? ` in ${config.seasons}` : ''}${config.before ? ` before ${config.before}` : ''}`,
        {},
      );
    const { folds } = cvPlan(m, {
      scheme: config.cv.scheme,
      splits: config.cv.splits,
      trainDays: config.cv.trainDays,
      testDays: config.cv.testDays,
      gap: config.cv.gap,
      embargo: config.cv.embargo,
    });
    // A sweep resumed after it completed (to add trials) gets a new run; an interrupted one keeps its own.
    const previousRun = record.runId ? await deps.runs.get(record.runId).catch(() => null) : null;
    if (!previousRun || (previousRun.status !== 'running' && previousRun.status !== 'interrupted')) {
      const runId = await deps.runs.start({
        name: record.name,
        kind: 'sweep',
        jobId: ctx.id,
        target: config.target,
        featureSet: config.features,
        featureVersions: m.featureVersions,
        seed: config.seed,
        params: {
          sampler: config.sampler,
          objectives: config.objectives.join(','),
          trials: config.trials,
          pruner: config.pruner.type,
          cvScheme: config.cv.scheme,
          cvSplits: config.cv.splits,
          numBoostRound: config.numBoostRound,
          earlyStoppingRounds: config.earlyStoppingRounds,
          space: JSON.stringify(config.space),
        },
        tags: { 'sweep.id': record.id, ...(previousRun ? { 'sweep.continues': previousRun.id } : {}) },
      });
      record.runId = runId;
      await deps.sweeps.update(record.id, { runId });
    }
    const stored = await deps.sweeps.trials(record.id);
    for (const t of stored.filter(rerun)) if (t.runId) await deps.runs.abandon(t.runId, 'failed', 'interrupted: run again by --resume');
    const scheduler = new TrialScheduler(
      config,
      makeSampler(config.sampler),
      stored.map((t) => ({ trial: frozen(t), finished: !rerun(t) })),
    );
    const live: Live = { deps, ctx, record, config, frame: scoringFrame(m, folds), scheduler, started, iterations: 0, finishedNow: 0 };
    reportProgress(live);
    const sessions = startSessions(
      deps.pool,
      config.workers,
      {
        rows: m.rows,
        cols: m.cols,
        featureNames: m.featureNames,
        folds: folds.map((f) => ({ index: f.index, train: f.train, test: f.test, trainBeforeLastTest: trainBeforeLastTest(f, m.dates) })),
        baseParams: sweepBaseParams(config.seed),
        numBoostRound: config.numBoostRound,
        earlyStoppingRounds: config.earlyStoppingRounds,
        numThreads: config.threadsPerTrial,
        pruner: config.pruner,
        seed: config.seed,
      },
      { x: m.features, y: m.label },
      ctx.signal,
    );
    let sessionStats: { datasetBuilds: number; datasetReuses: number }[] = [];
    try {
      // The baseline occupies one worker while the others start on trials.
      await dispatch(live, sessions, record.baseline ? [] : [runBaseline(live, sessions[0])]);
    } finally {
      for (const s of sessions) s.close();
      const settled = await Promise.allSettled(sessions.map((s) => s.done));
      sessionStats = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    }
    ctx.throwIfCancelled();
    ctx.progress(0.96, 'summarizing the sweep');
    return await buildSweepSummary(deps, record, config, {
      wallMs: Date.now() - started,
      datasetBuilds: sessionStats.reduce((a, s) => a + s.datasetBuilds, 0),
      datasetReuses: sessionStats.reduce((a, s) => a + s.datasetReuses, 0),
      iterations: live.iterations,
    });
  } catch (err) {
    const cancelled = ctx.signal.aborted || (err instanceof BullpenError && err.kind === 'cancelled');
    await deps.sweeps.update(record.id, {
      status: cancelled ? 'cancelled' : 'failed',
      error: cancelled ? 'cancelled by request' : err instanceof Error ? err.message : String(err),
      finishedAt: new Date().toISOString(),
    });
    throw err;
  } finally {
    clearInterval(heartbeat);
  }
}

/** `ml.optimize` as a job. */
export const optimizeJob: JobSpec<EngineDeps, OptimizeInput, 'ml.optimize'> = {
  kind: 'ml.optimize',
  precheck: precheckOptimize,
  run: runSweep,
};
