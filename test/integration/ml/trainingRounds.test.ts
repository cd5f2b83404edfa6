import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobResult } from '../../../src-main/api/contract';
import type { Engine } from '../../../src-main/engine/engine';
import { DEFAULT_ROUNDS_WITHOUT_VALIDATION } from '../../../src-main/engine/modeling/defaultParams';
import { openMlEngine, runJob } from './mlWorkspace';

describe('boosting rounds without a validation window', () => {
  let engine: Engine;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ engine, cleanup } = await openMlEngine());
  });
  afterAll(async () => cleanup());

  it("stops at LightGBM's default round count when nothing can stop it early, and says it evaluated on the training games", async () => {
    const job = await runJob(engine, 'ml.train', {
      target: 'home_win',
      features: 'default',
      train: '2010',
      params: { learning_rate: 0.1, min_data_in_leaf: 50 },
    });
    expect(job.state, job.error ?? '').toBe('completed');
    const result = jobResult(job, 'ml.train');
    expect(result.iterations).toBe(DEFAULT_ROUNDS_WITHOUT_VALIDATION);
    expect(result.evaluatedOn).toBe('train');
  });
});
