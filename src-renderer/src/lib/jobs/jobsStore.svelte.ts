import type { BullpenClient } from '../../../../src-main/api/client';
import type { Job, JobState } from '../../../../src-main/shared/events';
import { describeError, type ShownError } from '../errorHint';

const stateRank: Record<JobState, number> = {
  queued: 0,
  running: 1,
  completed: 2,
  failed: 2,
  cancelled: 2,
  interrupted: 2,
};

export const isActive = (job: Job): boolean => job.state === 'queued' || job.state === 'running';

/** How many recent jobs a screen asks for when it opens. */
const JOB_LIST_LIMIT = 50;

/** Called once per job when it reaches a final state while this window watches it. */
export type JobEndedListener = (job: Job) => void;

/**
 * The jobs this window knows about, fed by list calls and by live job events. Answers and events can
 * arrive out of order (a call's answer after the job's first progress event), so an update never moves
 * a job backwards: not to an earlier state, not to less progress within the same state.
 *
 * Domain services listen for jobs that end (`onEnded`) to read again what the job changed, so no
 * screen has to watch the job list for that itself.
 */
export class JobsStore {
  #byId = $state<Record<string, Job>>({});

  readonly list: Job[] = $derived(
    Object.values(this.#byId).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)),
  );

  /** Jobs whose cancellation was asked for and not yet answered, so their Cancel button can wait. */
  #cancelling = $state<Record<string, boolean>>({});
  /** Why a cancellation failed, shown on the job's own row. */
  #cancelErrors = $state<Record<string, ShownError>>({});
  /** Not reactive on purpose: listeners are plumbing, not state a screen shows. */
  #listeners: JobEndedListener[] = [];

  constructor(private readonly client: BullpenClient) {}

  get(id: string | null): Job | null {
    return id ? (this.#byId[id] ?? null) : null;
  }

  /** The newest `limit` jobs of one kind (e.g. the last three demo builds), newest first. */
  ofKind(kind: string, limit: number): Job[] {
    return this.list.filter((j) => j.kind === kind).slice(0, limit);
  }

  isCancelling(id: string): boolean {
    return this.#cancelling[id] ?? false;
  }

  cancelError(id: string): ShownError | null {
    return this.#cancelErrors[id] ?? null;
  }

  dismissCancelError(id: string): void {
    delete this.#cancelErrors[id];
  }

  /** Asks the engine to cancel a job; a refusal is kept for the job's row to show. */
  async cancel(job: Job): Promise<void> {
    this.#cancelling[job.id] = true;
    delete this.#cancelErrors[job.id];
    try {
      this.upsert(await this.client.call('jobs.cancel', { id: job.id }));
    } catch (err) {
      this.#cancelErrors[job.id] = describeError(err, `cancel the ${job.kind} job ${job.id.slice(0, 8)}`);
    } finally {
      delete this.#cancelling[job.id];
    }
  }

  /** Reads the recent jobs from the engine (screens with job lists call it when they open). */
  async refresh(): Promise<void> {
    const { jobs } = await this.client.call('jobs.list', { limit: JOB_LIST_LIMIT });
    for (const job of jobs) this.upsert(job);
  }

  /**
   * Reads every job this window believes active from the engine. Events are the fast path, but an event
   * sent while the socket was reconnecting is gone for good; this keeps a finished job from showing as
   * running forever.
   */
  async resync(): Promise<void> {
    const active = this.list.filter(isActive);
    await Promise.all(
      active.map((job) =>
        this.client.call('jobs.get', { id: job.id }).then(
          (fresh) => this.upsert(fresh),
          // The next tick tries again; an engine that is down is shown by the engine indicator.
          () => undefined,
        ),
      ),
    );
  }

  /** Listens for jobs that end; returns the way to stop listening. */
  onEnded(listener: JobEndedListener): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /**
   * A job from a call's answer or a list. It counts as ended (listeners hear of it) only if this window
   * saw it active before: a list of old finished jobs must not set off reloads.
   */
  upsert(job: Job): void {
    const known = this.#byId[job.id];
    this.#store(job, known !== undefined && isActive(known));
  }

  /** A job from a live event: a job first seen finished (started elsewhere, e.g. by the CLI) has just ended too. */
  receive(job: Job): void {
    const known = this.#byId[job.id];
    this.#store(job, known === undefined || isActive(known));
  }

  #store(job: Job, wasOpen: boolean): void {
    const known = this.#byId[job.id];
    if (known) {
      const rankNew = stateRank[job.state];
      const rankOld = stateRank[known.state];
      if (rankNew < rankOld) return;
      if (rankNew === rankOld && rankNew < 2 && job.progress < known.progress) return;
    }
    this.#byId[job.id] = job;
    if (wasOpen && !isActive(job)) for (const listener of this.#listeners) listener(job);
  }
}
