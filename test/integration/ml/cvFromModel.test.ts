import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import { DEFAULT_EARLY_STOPPING_ROUNDS } from '../../../src-main/engine/modeling/defaultParams';
import { FAST, openMlEngine, runJobResult } from './mlWorkspace';

describe('ml cv --model: the CV trains each fold the way the model was trained', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
  });
  afterAll(async () => cleanup());

  it("takes target, features, LightGBM parameters and boosting settings from the model's training run, typed", async () => {
    await runJobResult(engine, 'ml.train', {
      target: 'home_win',
      train: '2010',
      valid: '2011',
      name: 'tuned',
      ...FAST,
      params: { ...FAST.params, num_leaves: 7, extra_trees: true },
    });
    const cv = await runJobResult(engine, 'ml.cv', {
      model: 'tuned',
      seasons: '2010-2012',
      scheme: 'season-forward',
      splits: 1,
      name: 'cv-of-tuned',
    });
    const run = await engine.runs.get(cv.runId);
    expect(run.target).toBe('home_win');
    expect(run.featureSet).toBe('default');
    expect(run.params).toMatchObject({
      model: 'tuned',
      learning_rate: 0.1,
      min_data_in_leaf: 50,
      num_leaves: 7,
      extra_trees: true,
      numBoostRound: FAST.numBoostRound,
      earlyStoppingRounds: FAST.earlyStoppingRounds,
      seed: 42,
    });
    expect(run.params).not.toHaveProperty('trainSeasons');
    expect(run.params).not.toHaveProperty('materialization');
  });

  it('falls back to the default early stopping for a model trained without a validation window (nothing recorded for it)', async () => {
    await runJobResult(engine, 'ml.train', { target: 'home_win', train: '2010', name: 'no-valid', numBoostRound: 20, params: FAST.params });
    const trained = (await engine.runs.list({ search: 'no-valid', kind: 'train', limit: 1 }))[0];
    expect(trained.params).not.toHaveProperty('earlyStoppingRounds');
    const cv = await runJobResult(engine, 'ml.cv', {
      model: 'no-valid',
      seasons: '2010-2012',
      scheme: 'season-forward',
      splits: 1,
      seed: 9,
    });
    const run = await engine.runs.get(cv.runId);
    expect(run.params).toMatchObject({ numBoostRound: 20, earlyStoppingRounds: DEFAULT_EARLY_STOPPING_ROUNDS, seed: 9 });
  });
});
