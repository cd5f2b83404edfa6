import type { Job, JobState } from '../../shared/events';
import type { JobRun } from './jobContext';

/**
 * Long work as jobs: started at once and answered with the job, observable through job events,
 * cancellable. The in-process manager over the workspace's jobs table (jobManager.ts) is one
 * implementation; a sweep's shared queue would be another.
 */
export interface JobService {
  /** Records a running job, answers with it at once, and runs `run` in the background. */
  start(kind: string, params: object, run: JobRun): Promise<Job>;
  get(id: string): Promise<Job>;
  /** Newest first. */
  list(options: { state?: JobState; limit: number }): Promise<Job[]>;
  /** Asks a queued or running job to stop; answers with its state once it stopped or a short grace passed. */
  cancel(id: string): Promise<Job>;
  /** The job once it has reached a final state. */
  settled(id: string): Promise<Job>;
  /** Ids of the jobs running in this engine now (a run of any other job that still reads `running` was interrupted). */
  liveIds(): string[];
  /** Jobs a previous process left running, found `interrupted` when this one started. */
  readonly interruptedAtStart: Job[];
}
