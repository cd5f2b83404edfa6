// Sweeps end to end on a real workspace, the real LightGBM binding and the built worker pool: trials
// recorded as they start and end (and as child runs of the sweep's run), the same trials whatever the
// worker count, the trial time limit, and the final model trained from the best trial.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import { call, openMlEngine, runJob, runJobResult } from '../ml/mlWorkspace';

/** Small and fast on two cores: few rounds, a short sweep, two folds. */
const SMALL = { target: 'home_win', features: 'default', numBoostRound: 40, earlyStoppingRounds: 10, splits: 2, seed: 5 } as const;

describe('ml optimize (a real sweep in the worker pool)', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine(17));
  }, 120_000);
  afterAll(async () => cleanup?.());

  it('records every trial, its child run, the default-parameter baseline and the summary', async () => {
    const summary = await runJobResult(engine, 'ml.optimize', { ...SMALL, trials: 6, sampler: 'random', name: 'shape', workers: 2 });
    expect(summary.status).toBe('completed');
    expect(summary.completed + summary.pruned + summary.failed).toBe(6);
    expect(summary.completed).toBeGreaterThan(0);
    expect(summary.best).not.toBeNull();
    expect(Object.keys(summary.best!.params).sort()).toEqual([
      'bagging_fraction',
      'bagging_freq',
      'feature_fraction',
      'learning_rate',
      'max_depth',
      'min_child_samples',
      'num_leaves',
      'reg_alpha',
      'reg_lambda',
    ]);
    expect(summary.defaultParams.values).toHaveLength(1);
    expect(summary.improvement).not.toBeNull();
    expect(summary.improvement!.folds).toBe(2);
    // The improvement is the default's fold losses minus the best's, so it agrees with the two values.
    expect(summary.improvement!.absolute).toBeCloseTo(summary.improvement!.defaultValue! - summary.improvement!.bestValue!, 6);
    expect(summary.timings!.datasetBuilds).toBeGreaterThanOrEqual(1);
    // Dataset bins are built once per worker, not per trial: 7 evaluations (6 trials + the baseline) on ≤ 2 workers.
    expect(summary.timings!.datasetBuilds).toBeLessThanOrEqual(2);
    expect(summary.timings!.datasetReuses).toBe(7 - summary.timings!.datasetBuilds);

    const { trials } = await call(engine, 'ml.sweeps.trials', { id: 'shape' });
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const t of trials.filter((x) => x.state === 'complete')) {
      expect(t.values).toHaveLength(1);
      expect(t.intermediate.length).toBeGreaterThan(0);
      expect(t.durationMs).toBeGreaterThan(0);
    }
    const run = await engine.runs.get(summary.runId!);
    expect(run.kind).toBe('sweep');
    expect(run.status).toBe('completed');
    expect(run.children.map((c) => c.kind)).toEqual(Array(6).fill('sweep-trial'));
    const listed = await call(engine, 'ml.sweeps.list', {});
    expect(listed.map((s) => s.name)).toContain('shape');
  }, 300_000);

  it('gives the same trials with 1 and 2 workers (TPE after its 10 startup trials, same seed)', async () => {
    const spec = { ...SMALL, trials: 16, sampler: 'tpe', pruner: 'none' } as const;
    const one = await runJobResult(engine, 'ml.optimize', { ...spec, name: 'repro-1', workers: 1 });
    const two = await runJobResult(engine, 'ml.optimize', { ...spec, name: 'repro-2', workers: 2 });
    const a = (await call(engine, 'ml.sweeps.trials', { id: one.sweepId })).trials;
    const b = (await call(engine, 'ml.sweeps.trials', { id: two.sweepId })).trials;
    expect(a).toHaveLength(16);
    expect(b.map((t) => t.params)).toEqual(a.map((t) => t.params));
    expect(b.map((t) => t.values)).toEqual(a.map((t) => t.values));
  }, 600_000);

  it('stops a trial over --max-trial-seconds and marks it failed with the reason', async () => {
    const summary = await runJobResult(engine, 'ml.optimize', {
      ...SMALL,
      numBoostRound: 300,
      earlyStoppingRounds: 300,
      trials: 2,
      sampler: 'random',
      maxTrialSeconds: 0.001,
      name: 'timeouts',
      workers: 1,
    });
    const { trials } = await call(engine, 'ml.sweeps.trials', { id: summary.sweepId });
    expect(trials.map((t) => t.state)).toEqual(['fail', 'fail']);
    for (const t of trials) expect(t.reason).toMatch(/^timeout: over --max-trial-seconds 0.001 \(fold 1, iteration \d+\)$/);
    expect(summary.failed).toBe(2);
    expect(summary.best).toBeNull();
  }, 300_000);

  it('trains the final model from the best trial, tagged with how many trials it was chosen from', async () => {
    const job = await runJob(engine, 'ml.sweeps.train', { id: 'shape', name: 'from-sweep' });
    expect(job.state).toBe('completed');
    const model = await engine.models.get('from-sweep');
    const run = await engine.runs.get(model.runId);
    expect(run.tags['sweep.trials']).toBe('6');
    const best = await call(engine, 'ml.sweeps.best', { id: 'shape' });
    expect(run.params.num_leaves).toBe(best.best!.params.num_leaves);
    expect(run.params.min_child_samples).toBe(best.best!.params.min_child_samples);
    // The sweep's min_child_samples replaced the workbench default given under LightGBM's main name.
    expect(run.params.min_data_in_leaf).toBeUndefined();
  }, 300_000);

  it('refuses a resume of a sweep that does not exist, and a --name already taken', async () => {
    await expect(call(engine, 'ml.optimize', { resume: 'no-such-sweep' })).rejects.toMatchObject({ code: 'SWEEP_NOT_FOUND' });
    await expect(call(engine, 'ml.optimize', { ...SMALL, trials: 2, name: 'shape' })).rejects.toMatchObject({ code: 'SWEEP_NAME_TAKEN' });
  });
});
