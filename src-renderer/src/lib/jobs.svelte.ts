import type { BullpenClient } from '../../../src-main/api/client';
import type { Job, JobState } from '../../../src-main/shared/events';
import { describeError, type ShownError } from './errorHint';

const stateRank: Record<JobState, number> = {
  queued: 0,
  running: 1,
  completed: 2,
  failed: 2,
  cancelled: 2,
  interrupted: 2,
};

export const isActive = (job: Job): boolean => job.state === 'queued' || job.state === 'running';

/**
 * The jobs this window knows about, fed by list calls and by live job events. Answers and events can
 * arrive out of order (a call's answer after the job's first progress event), so an update never moves
 * a job backwards: not to an earlier state, not to less progress within the same state.
 */
export class JobsStore {
  #byId = $state<Record<string, Job>>({});

  readonly list: Job[] = $derived(
    Object.values(this.#byId).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)),
  );

  /** Jobs whose cancellation was asked for and not yet answered, so their Cancel button can wait. */
  #cancelling = $state<Record<string, boolean>>({});

  isCancelling(id: string): boolean {
    return this.#cancelling[id] ?? false;
  }

  /** Asks the engine to cancel a job and records its answer; returns the error to show, if any. */
  async cancel(client: BullpenClient, job: Job): Promise<ShownError | null> {
    this.#cancelling[job.id] = true;
    try {
      this.upsert(await client.call('jobs.cancel', { id: job.id }));
      return null;
    } catch (err) {
      return describeError(err, `cancel the ${job.kind} job ${job.id.slice(0, 8)}`);
    } finally {
      delete this.#cancelling[job.id];
    }
  }

  /**
   * Reads every job this window believes active from the engine. Events are the fast path, but an event
   * sent while the socket was reconnecting is gone for good; this keeps a finished job from showing as
   * running forever.
   */
  async resync(client: BullpenClient): Promise<void> {
    const active = this.list.filter(isActive);
    await Promise.all(
      active.map((job) =>
        client.call('jobs.get', { id: job.id }).then(
          (fresh) => this.upsert(fresh),
          // The next tick tries again; an engine that is down is shown by the engine indicator.
          () => undefined,
        ),
      ),
    );
  }

  upsert(job: Job): void {
    const known = this.#byId[job.id];
    if (known) {
      const rankNew = stateRank[job.state];
      const rankOld = stateRank[known.state];
      if (rankNew < rankOld) return;
      if (rankNew === rankOld && rankNew < 2 && job.progress < known.progress) return;
    }
    this.#byId[job.id] = job;
  }

  /** A fresh list from the engine is the truth (e.g. jobs that became `interrupted` after a restart). */
  replaceAll(jobs: Job[]): void {
    const next: Record<string, Job> = {};
    for (const job of jobs) next[job.id] = job;
    this.#byId = next;
  }
}
