import { describe, expect, it } from 'vitest';
import { jobFailure } from '../../../src-main/cli/waitForJob';
import type { Job } from '../../../src-main/shared/events';

const job = (over: Partial<Job>): Job => ({
  id: 'j1',
  kind: 'ml.train',
  state: 'failed',
  progress: 0.3,
  message: 'failed',
  params: {},
  result: null,
  error: 'boom',
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  ...over,
});

describe('the exit status of a job the CLI waited for', () => {
  it("follows the kind of the job's error: bad input found mid-job exits 3, an outage 4", () => {
    expect(jobFailure(job({ errorKind: 'input', errorCode: 'NO_GAMES', error: 'no games in 2030' }))).toMatchObject({
      code: 'NO_GAMES',
      exitCode: 3,
      message: 'no games in 2030',
    });
    expect(jobFailure(job({ errorKind: 'external', errorCode: 'MLFLOW_UNREACHABLE' }))?.exitCode).toBe(4);
  });

  it('is an internal failure (5) when the job kept no kind, and nothing for a completed job', () => {
    expect(jobFailure(job({}))).toMatchObject({ code: 'JOB_FAILED', exitCode: 5 });
    expect(jobFailure(job({ state: 'completed' }))).toBeNull();
  });
});
