import type { Job } from '../../shared/events';
import type { JobKind, JobResultValue } from '../../shared/results';
import type { JobContext } from './jobContext';
import type { JobService } from './jobService';

/**
 * A kind of job, declared by the stage that owns it: the refusals to check before anything starts (so
 * the caller gets a bad-input error itself, not a failed job), and the work, whose result is the one
 * the kind's schema describes (shared/results). `D` is what the work needs from the engine (EngineDeps).
 */
export interface JobSpec<D, I extends object, K extends JobKind> {
  kind: K;
  precheck?: (deps: D, input: I) => Promise<void>;
  run: (deps: D, input: I, ctx: JobContext) => Promise<JobResultValue<K>>;
}

/** The one way a job starts: precheck, then start; a refused precheck starts no job. */
export async function startJob<D, I extends object, K extends JobKind>(
  jobs: JobService,
  deps: D,
  spec: JobSpec<D, I, K>,
  input: I,
): Promise<Job> {
  await spec.precheck?.(deps, input);
  return jobs.start(spec.kind, input, (ctx) => spec.run(deps, input, ctx));
}
