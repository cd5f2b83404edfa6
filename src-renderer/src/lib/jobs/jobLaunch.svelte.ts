import { tryJobResult, type Contract, type JobOpName, type ResultOf } from '../../../../src-main/api/contract';
import type { Job } from '../../../../src-main/shared/events';
import { describeError, type ShownError } from '../errorHint';
import { isActive, type JobsStore } from './jobsStore.svelte';

/**
 * A form's long work: starts a job op, then follows that one job through the jobs store (progress,
 * cancel, its end) and, once it completes, holds its result as the op's result schema types it.
 * Why the start was refused is kept here for the form's error banner.
 */
export class JobLaunch<K extends JobOpName> {
  #id = $state<string | null>(null);
  starting = $state(false);
  error = $state<ShownError | null>(null);
  /** The completed job's result (raw: read whole, never edited in place). */
  result = $state.raw<ResultOf<Contract[K]> | null>(null);
  /** The job whose end was already handled, so a job is handled once whichever way its end arrives. */
  #endedFor: string | null = null;

  constructor(
    private readonly jobs: JobsStore,
    private readonly op: K,
    /** Called once when this launch's job completes, with its result. */
    private readonly onCompleted?: (result: ResultOf<Contract[K]>) => void,
  ) {
    jobs.onEnded((job) => {
      if (job.id === this.#id) this.#ended(job);
    });
  }

  #ended(job: Job): void {
    if (this.#endedFor === job.id) return;
    this.#endedFor = job.id;
    let result: ResultOf<Contract[K]> | null;
    try {
      result = tryJobResult(job, this.op);
    } catch (err) {
      this.error = describeError(err, `read the result of the ${job.kind} job`);
      return;
    }
    this.result = result;
    if (result !== null) this.onCompleted?.(result);
  }

  /** The job this launch started last, as the store knows it now. */
  get job(): Job | null {
    return this.jobs.get(this.#id);
  }

  /** Starting or still running: the form's button waits. */
  get busy(): boolean {
    const job = this.job;
    return this.starting || (job !== null && isActive(job));
  }

  /** Starts the job with `call`; on refusal the error is kept and null returned. */
  async start(during: string, call: () => Promise<Job>): Promise<Job | null> {
    this.starting = true;
    this.result = null;
    try {
      const job = await call();
      this.error = null;
      this.follow(job);
      return job;
    } catch (err) {
      this.error = describeError(err, during);
      return null;
    } finally {
      this.starting = false;
    }
  }

  /** Follows a job (one this launch started, or one the engine started for it: the first-start demo build). */
  follow(job: Job): void {
    this.#id = job.id;
    this.jobs.upsert(job);
    // A short job's events can beat the call's answer: it may have ended before it was ours to follow.
    const now = this.jobs.get(job.id);
    if (now && !isActive(now)) this.#ended(now);
  }

  dismiss(): void {
    this.error = null;
  }
}
