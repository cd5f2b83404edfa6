import { randomBytes } from 'node:crypto';
import { Cron } from 'croner';
import { notFoundError } from '../../../shared/errors';
import type { Clock } from '../clock';
import { missedRun, nextScheduled, previousScheduled, validateSchedule } from './cronSchedule';
import type { ScheduleStore } from './scheduleStore';

/** One recurring job: a deployment's monitoring check, keyed so its last run and lease survive restarts. */
export interface ScheduledJob {
  key: string;
  /** croner syntax (5 or 6 fields), e.g. the policy's `schedule.checks`. */
  cron: string;
  timezone: string;
  /** The work. A throw is reported and the run still counts: a check that fails is not retried on every start. */
  task: () => Promise<void>;
  /** When the job came to exist (a deployment's creation): what catch-up compares with before its first run. */
  since?: Date | null;
}

export type RunTrigger = 'schedule' | 'catchUp' | 'manual';

/** What became of one attempt to run a job. */
export interface RunReport {
  key: string;
  trigger: RunTrigger;
  /** The scheduled time this run stands for; null for a manual run. */
  scheduledFor: Date | null;
  /**
   * ran: the task finished; failed: it (or the workspace) threw; leased: another holder's live lease;
   * overrun: the previous run of this job is still going, so this one was skipped.
   */
  outcome: 'ran' | 'failed' | 'leased' | 'overrun';
  startedAt: Date;
  finishedAt: Date;
  error: string | null;
}

export interface SchedulerOptions {
  store: ScheduleStore;
  /** Lease expiry, the recorded last run and catch-up decisions read this clock; croner's timers run on wall time. */
  clock: Clock;
  /** Who holds leases: process id plus randomness by default, so two engines never mistake each other. */
  holder?: string;
  /** A lease outlives its holder's crash by at most this long. Longer than any check takes. */
  leaseTtlMs?: number;
  /** Told about every run, skipped or not (the engine logs them). */
  onRun?: (report: RunReport) => void;
  /** Arm croner timers (default). Tests of the run, lease and catch-up logic turn them off and call catchUp/runNow. */
  timers?: boolean;
}

export const DEFAULT_LEASE_TTL_MS = 15 * 60 * 1000;

/** A holder id unique to this process and scheduler: `pid:random`. */
export function newHolderId(): string {
  return `${process.pid}:${randomBytes(6).toString('hex')}`;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

interface Entry {
  job: ScheduledJob;
  timer: Cron | null;
}

/**
 * Runs jobs on cron expressions inside the engine process. croner supplies the timers (time zones,
 * re-checking after sleep); everything it does not do is here: the last run persisted in the workspace
 * and one catch-up on start for runs missed while the app was closed, a lease so two schedulers on one
 * workspace never run the same job at once, and overrun protection (a run still going makes the next
 * tick a no-op rather than a second concurrent run).
 */
export class Scheduler {
  readonly holder: string;
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<RunReport>>();
  private readonly leaseTtlMs: number;
  private readonly timers: boolean;
  private started = false;
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {
    this.holder = options.holder ?? newHolderId();
    this.leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.timers = options.timers ?? true;
  }

  /**
   * Adds or replaces a job (a bad cron or time zone is refused here). Registered after start, it is armed
   * at once and its missed run, if any, caught up: the promise says what that catch-up did.
   */
  register(job: ScheduledJob): Promise<RunReport | null> {
    validateSchedule(job.cron, job.timezone, `the schedule of ${job.key}`);
    this.unregister(job.key);
    const entry: Entry = { job, timer: null };
    this.entries.set(job.key, entry);
    if (!this.started || this.stopped) return Promise.resolve(null);
    this.arm(entry);
    return this.catchUp(job.key);
  }

  /** Stops a job's timer; a run in flight finishes. False when no such job. */
  unregister(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    entry.timer?.stop();
    this.entries.delete(key);
    return true;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** The next scheduled time of a job after the clock's now, or null. */
  nextRun(key: string): Date | null {
    const entry = this.entries.get(key);
    return entry ? nextScheduled(entry.job.cron, entry.job.timezone, this.options.clock.now()) : null;
  }

  isRunning(key: string): boolean {
    return this.inFlight.has(key);
  }

  /**
   * Arms every registered job, then catches up each job's missed run once, one job after another (they
   * share the workspace and the compute pool). Resolves with the catch-up runs; callers need not wait.
   */
  async start(): Promise<RunReport[]> {
    if (this.started || this.stopped) return [];
    this.started = true;
    for (const entry of this.entries.values()) this.arm(entry);
    const reports: RunReport[] = [];
    for (const key of [...this.entries.keys()]) {
      const report = await this.catchUp(key);
      if (report) reports.push(report);
    }
    return reports;
  }

  /**
   * Runs the job once if a scheduled time passed since its last run (or since it was registered, before
   * its first run), however many were missed. Null when nothing was missed.
   */
  async catchUp(key: string): Promise<RunReport | null> {
    const entry = this.entries.get(key);
    if (!entry || this.stopped) return null;
    const { cron, timezone, since } = entry.job;
    let lastRun: Date | null;
    try {
      lastRun = await this.options.store.lastRun(key);
    } catch (err) {
      const now = this.options.clock.now();
      return this.report({
        key,
        trigger: 'catchUp',
        scheduledFor: null,
        outcome: 'failed',
        startedAt: now,
        finishedAt: now,
        error: messageOf(err),
      });
    }
    const missed = missedRun(cron, timezone, lastRun, this.options.clock.now(), since ?? null);
    return missed ? this.run(key, 'catchUp', missed) : null;
  }

  /** Runs a job now, outside its schedule, under the same lease and overrun rules. */
  runNow(key: string): Promise<RunReport> {
    if (!this.entries.has(key))
      throw notFoundError('SCHEDULE_NOT_FOUND', `no scheduled job ${key}: it was never registered or was removed`, { key });
    return this.run(key, 'manual', null);
  }

  /** Stops every timer and waits for runs in flight (they give their leases back). Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.entries.values()) entry.timer?.stop();
    this.entries.clear();
    await Promise.all([...this.inFlight.values()]);
  }

  /** The one path every run takes; never rejects (a timer callback has nobody to throw to). */
  private run(key: string, trigger: RunTrigger, scheduledFor: Date | null): Promise<RunReport> {
    if (this.inFlight.has(key)) {
      const now = this.options.clock.now();
      return Promise.resolve(
        this.report({
          key,
          trigger,
          scheduledFor,
          outcome: 'overrun',
          startedAt: now,
          finishedAt: now,
          error: 'the previous run is still going',
        }),
      );
    }
    const running = this.execute(key, trigger, scheduledFor).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, running);
    return running;
  }

  private async execute(key: string, trigger: RunTrigger, scheduledFor: Date | null): Promise<RunReport> {
    const { clock, store } = this.options;
    const startedAt = clock.now();
    const entry = this.entries.get(key);
    if (!entry) {
      return this.report({ key, trigger, scheduledFor, outcome: 'failed', startedAt, finishedAt: startedAt, error: 'the job was removed' });
    }
    let leased: boolean;
    try {
      leased = await store.tryLease(key, this.holder, startedAt, this.leaseTtlMs);
    } catch (err) {
      return this.report({ key, trigger, scheduledFor, outcome: 'failed', startedAt, finishedAt: clock.now(), error: messageOf(err) });
    }
    if (!leased) {
      return this.report({ key, trigger, scheduledFor, outcome: 'leased', startedAt, finishedAt: clock.now(), error: null });
    }
    let error: string | null = null;
    try {
      await entry.job.task();
    } catch (err) {
      error = messageOf(err);
    }
    try {
      // The start time is what catch-up compares with the schedule: a run that began at or after a
      // scheduled time covers it.
      await store.finishRun(key, this.holder, startedAt);
    } catch (err) {
      error ??= `the run finished but could not be recorded: ${messageOf(err)}`;
    }
    return this.report({ key, trigger, scheduledFor, outcome: error ? 'failed' : 'ran', startedAt, finishedAt: clock.now(), error });
  }

  /** A croner timer per job; `protect` is croner's own overrun guard, the in-flight map covers the rest. */
  private arm(entry: Entry): void {
    if (!this.timers || entry.timer) return;
    const { key, cron, timezone } = entry.job;
    entry.timer = new Cron(cron, { timezone, protect: true, unref: true }, () =>
      this.run(key, 'schedule', previousScheduled(cron, timezone, this.options.clock.now())).then(() => undefined),
    );
  }

  private report(report: RunReport): RunReport {
    try {
      this.options.onRun?.(report);
    } catch (err) {
      process.emitWarning(`scheduler onRun listener failed: ${messageOf(err)}`);
    }
    return report;
  }
}
