import { randomUUID } from 'node:crypto';
import { BullpenError, notFoundError } from '../../shared/errors';
import type { EngineEvent, Job, JobState } from '../../shared/events';
import { checkedJobResult } from '../../shared/results';
import type { Workspace } from '../workspace/workspace';
import type { JobContext, JobRun } from './jobContext';
import type { JobService } from './jobService';
import { JobStore } from './jobStore';

/** Progress is persisted and broadcast at most this often per job; the latest value always lands. */
export const PROGRESS_INTERVAL_MS = 100;
/** How long `cancel` waits for a job to reach a final state before answering with its current state. */
export const CANCEL_GRACE_MS = 2_000;

const SHUTDOWN = 'engine shutdown';

interface ActiveJob {
  job: Job;
  controller: AbortController;
  done: Promise<Job>;
  lastFlushMs: number;
  timer: ReturnType<typeof setTimeout> | null;
}

const now = (): string => new Date().toISOString();
const isFinal = (s: JobState): boolean => s !== 'queued' && s !== 'running';
const snapshot = (job: Job): Job => ({ ...job, params: { ...job.params } });

export const cancelledError = (id: string): BullpenError =>
  new BullpenError('cancelled', 'JOB_CANCELLED', `job ${id} was cancelled`, { id });

/**
 * Every long operation runs as a job: persisted in the workspace's jobs table, observable through job
 * events, cancellable through an AbortSignal. Jobs a dead process left running read `interrupted` after
 * the next start, so nothing is silently lost.
 */
export class JobManager implements JobService {
  private readonly active = new Map<string, ActiveJob>();

  private constructor(
    private readonly store: JobStore,
    private readonly closeStore: () => void,
    private readonly emit: (event: EngineEvent) => void,
    /** Jobs this start found left running by a previous process, now `interrupted`. */
    readonly interruptedAtStart: Job[],
  ) {}

  static async open(workspace: Workspace, emit: (event: EngineEvent) => void): Promise<JobManager> {
    const sql = await workspace.connect();
    const store = new JobStore(sql);
    const interrupted = await store.interruptOrphans(now());
    return new JobManager(store, () => sql.connection.closeSync(), emit, interrupted);
  }

  /** Persists a new running job, answers with it at once, and runs `run` in the background. */
  async start(kind: string, params: object, run: JobRun): Promise<Job> {
    const at = now();
    const job: Job = {
      id: randomUUID(),
      kind,
      state: 'running',
      progress: 0,
      message: 'started',
      params: { ...(params as Record<string, unknown>) },
      result: null,
      error: null,
      createdAt: at,
      startedAt: at,
      finishedAt: null,
    };
    await this.store.insert(job);
    const controller = new AbortController();
    const entry: ActiveJob = { job, controller, done: Promise.resolve(job), lastFlushMs: 0, timer: null };
    this.active.set(job.id, entry);
    this.emit({ type: 'job', job: snapshot(job) });
    entry.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.execute(entry, run));
    return snapshot(job);
  }

  private async execute(entry: ActiveJob, run: JobRun): Promise<Job> {
    const { job, controller } = entry;
    const ctx: JobContext = {
      id: job.id,
      signal: controller.signal,
      progress: (fraction, message) => this.progress(entry, fraction, message),
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw cancelledError(job.id);
      },
      log: (message) =>
        this.emit({ type: 'log', level: 'info', message: `job ${job.id} (${job.kind}): ${message}`, at: now(), jobId: job.id }),
    };
    let state: JobState;
    let result: unknown = null;
    let error: string | null = null;
    let failure: Pick<Job, 'errorKind' | 'errorCode'> = {};
    try {
      if (controller.signal.aborted) throw cancelledError(job.id);
      result = checkedJobResult(job.kind, await run(ctx));
      state = 'completed';
    } catch (err) {
      if (controller.signal.aborted) {
        state = controller.signal.reason === SHUTDOWN ? 'interrupted' : 'cancelled';
      } else {
        state = 'failed';
        error = err instanceof Error ? err.message : String(err);
        if (err instanceof BullpenError) failure = { errorKind: err.kind, errorCode: err.code };
      }
    }
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    job.state = state;
    job.finishedAt = now();
    job.result = state === 'completed' ? result : null;
    job.error = error;
    Object.assign(job, failure);
    if (state === 'completed') job.progress = 1;
    job.message =
      state === 'completed'
        ? 'completed'
        : state === 'cancelled'
          ? 'cancelled by request'
          : state === 'interrupted'
            ? `interrupted: ${SHUTDOWN}`
            : `failed: ${error}`;
    try {
      await this.store.save(job);
    } catch (err) {
      // The result cannot be stored (not JSON, or the workspace is gone): record the job as failed instead.
      job.state = 'failed';
      job.result = null;
      job.error = `could not store the job's result: ${(err as Error).message}`;
      job.message = `failed: ${job.error}`;
      await this.store.save(job).catch(() => undefined);
    }
    this.active.delete(job.id);
    this.emit({ type: 'job', job: snapshot(job) });
    return snapshot(job);
  }

  private progress(entry: ActiveJob, fraction: number, message?: string): void {
    const { job } = entry;
    if (isFinal(job.state)) return;
    job.progress = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    if (message !== undefined) job.message = message;
    const wait = entry.lastFlushMs + PROGRESS_INTERVAL_MS - Date.now();
    if (wait <= 0) this.flushProgress(entry);
    else if (!entry.timer) entry.timer = setTimeout(() => this.flushProgress(entry), wait);
  }

  private flushProgress(entry: ActiveJob): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    if (isFinal(entry.job.state)) return;
    entry.lastFlushMs = Date.now();
    const snap = snapshot(entry.job);
    this.emit({ type: 'job', job: snap });
    // A lost progress write is harmless (the final state is always written), but say so.
    this.store.save(snap).catch((err: unknown) =>
      this.emit({
        type: 'log',
        level: 'warn',
        message: `could not persist progress of job ${snap.id}: ${(err as Error).message}`,
        at: now(),
        jobId: snap.id,
      }),
    );
  }

  async get(id: string): Promise<Job> {
    const live = this.active.get(id);
    if (live) return snapshot(live.job);
    const job = await this.store.get(id);
    if (!job) throw notFoundError('JOB_NOT_FOUND', `no job with id ${id}: list jobs with \`bullpen jobs list\``, { id });
    return job;
  }

  list(options: { state?: JobState; limit: number }): Promise<Job[]> {
    return this.store.list(options.state, options.limit).then((jobs) =>
      jobs.map((j) => {
        const live = this.active.get(j.id);
        return live ? snapshot(live.job) : j;
      }),
    );
  }

  liveIds(): string[] {
    return [...this.active.keys()];
  }

  /** The job once it has reached a final state (at once for a job that already has). */
  async settled(id: string): Promise<Job> {
    const live = this.active.get(id);
    return live ? live.done : this.get(id);
  }

  /**
   * Asks a running job to stop and waits briefly for it to end; the answer is the job's state then
   * (`cancelled` for a job that checks its signal between steps).
   */
  async cancel(id: string): Promise<Job> {
    const live = this.active.get(id);
    if (!live) {
      const job = await this.get(id);
      if (isFinal(job.state)) {
        throw new BullpenError(
          'conflict',
          'JOB_NOT_ACTIVE',
          `job ${id} is already ${job.state}; only queued or running jobs can be cancelled`,
          {
            id,
            state: job.state,
          },
        );
      }
      // Left running by a process that is gone: nothing runs it, so record the cancellation directly.
      const cancelled: Job = { ...job, state: 'cancelled', message: 'cancelled by request', finishedAt: now() };
      await this.store.save(cancelled);
      this.emit({ type: 'job', job: cancelled });
      return cancelled;
    }
    if (!live.controller.signal.aborted) live.controller.abort(cancelledError(id));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<Job>((resolve) => {
      timer = setTimeout(() => resolve(snapshot(live.job)), CANCEL_GRACE_MS);
    });
    try {
      return await Promise.race([live.done, grace]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops every running job (they end as `interrupted`), waits for their final writes and closes the store. */
  async close(): Promise<void> {
    const entries = [...this.active.values()];
    for (const e of entries) if (!e.controller.signal.aborted) e.controller.abort(SHUTDOWN);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(entries.map((e) => e.done)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, CANCEL_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
    await this.store.flush();
    this.closeStore();
  }
}
