import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src-main/engine/operations/clock';
import { missedRun, previousScheduled, validateSchedule } from '../../../src-main/engine/operations/scheduler/cronSchedule';
import { DuckDbScheduleStore } from '../../../src-main/engine/operations/scheduler/scheduleStore';
import { Scheduler, type RunReport, type ScheduledJob } from '../../../src-main/engine/operations/scheduler/scheduler';
import { Workspace } from '../../../src-main/engine/workspace/workspace';
import { BullpenError } from '../../../src-main/shared/errors';
import { tempWorkspace } from '../../support/waitForEvent';

const HOURLY = '0 * * * *';
const at = (iso: string): Date => new Date(iso);
const MINUTE = 60_000;

/** A clock the test sets by hand (the scheduler's lease, last-run and catch-up logic read only this). */
class TestClock implements Clock {
  readonly kind = 'live' as const;
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = at(iso);
  }
}

describe('missedRun: the run to catch up on start (systemd Persistent=true)', () => {
  it('returns the latest scheduled time once when several runs were missed while closed', () => {
    expect(missedRun(HOURLY, 'UTC', at('2024-05-01T09:00:05Z'), at('2024-05-01T12:30:00Z'))).toEqual(at('2024-05-01T12:00:00Z'));
  });

  it('returns null when the last run covers the latest scheduled time', () => {
    expect(missedRun(HOURLY, 'UTC', at('2024-05-01T12:00:02Z'), at('2024-05-01T12:59:59Z'))).toBeNull();
  });

  it('counts a run scheduled exactly at now as due', () => {
    expect(missedRun(HOURLY, 'UTC', at('2024-05-01T11:00:01Z'), at('2024-05-01T12:00:00Z'))).toEqual(at('2024-05-01T12:00:00Z'));
    expect(previousScheduled(HOURLY, 'UTC', at('2024-05-01T11:59:59.999Z'))).toEqual(at('2024-05-01T11:00:00Z'));
  });

  it('compares with the registration time before a first run, and catches up nothing without either', () => {
    expect(missedRun(HOURLY, 'UTC', null, at('2024-05-01T12:30:00Z'), at('2024-05-01T11:10:00Z'))).toEqual(at('2024-05-01T12:00:00Z'));
    expect(missedRun(HOURLY, 'UTC', null, at('2024-05-01T12:30:00Z'), at('2024-05-01T12:10:00Z'))).toBeNull();
    expect(missedRun(HOURLY, 'UTC', null, at('2024-05-01T12:30:00Z'))).toBeNull();
  });

  it("reads the schedule in the policy's time zone", () => {
    // 02:30 in New York is 06:30 UTC in summer time: at 06:00 UTC today's run is still ahead.
    expect(missedRun('30 2 * * *', 'America/New_York', at('2024-07-01T06:31:00Z'), at('2024-07-02T06:00:00Z'))).toBeNull();
    expect(missedRun('30 2 * * *', 'America/New_York', at('2024-07-01T06:31:00Z'), at('2024-07-02T06:45:00Z'))).toEqual(
      at('2024-07-02T06:30:00Z'),
    );
  });

  it('refuses a cron expression or time zone croner cannot run, naming the schedule', () => {
    for (const [cron, tz] of [
      ['61 * * * *', 'UTC'],
      ['0 * * * *', 'Mars/Olympus_Mons'],
    ]) {
      let caught: unknown;
      try {
        validateSchedule(cron, tz, 'schedule.checks');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(BullpenError);
      expect((caught as BullpenError).code).toBe('BAD_SCHEDULE');
      expect((caught as BullpenError).message).toContain('schedule.checks');
    }
  });
});

describe('Scheduler on a real workspace: catch-up, leases, overrun', () => {
  let tmp: Awaited<ReturnType<typeof tempWorkspace>>;
  let ws: Workspace;
  let store: DuckDbScheduleStore;
  let schedulers: Scheduler[] = [];
  let keyCounter = 0;
  let key: string;

  beforeAll(async () => {
    tmp = await tempWorkspace();
    ws = await Workspace.open(tmp.path);
    store = new DuckDbScheduleStore(ws);
  });

  afterAll(async () => {
    ws?.close();
    await tmp?.cleanup();
  });

  beforeEach(() => {
    key = `checks:test-${++keyCounter}`;
  });

  afterEach(async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    schedulers = [];
  });

  const scheduler = (clock: Clock, options: { holder?: string } = {}): Scheduler => {
    const s = new Scheduler({
      store,
      clock,
      timers: false,
      ...(options.holder ? { holder: options.holder } : {}),
    });
    schedulers.push(s);
    return s;
  };
  const countingJob = (runs: { n: number }, extra: Partial<ScheduledJob> = {}): ScheduledJob => ({
    key,
    cron: HOURLY,
    timezone: 'UTC',
    task: async () => {
      runs.n++;
    },
    ...extra,
  });

  it('catches up a run missed while the app was closed exactly once, then not again after a restart', async () => {
    await store.finishRun(key, 'earlier-process', at('2024-05-01T09:00:05Z'));
    const clock = new TestClock(at('2024-05-01T12:30:00Z'));
    const runs = { n: 0 };
    const first = scheduler(clock);
    await first.register(countingJob(runs));
    const reports = await first.start();
    expect(runs.n).toBe(1);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ key, trigger: 'catchUp', outcome: 'ran', scheduledFor: at('2024-05-01T12:00:00Z'), error: null });
    expect(await store.lastRun(key)).toEqual(at('2024-05-01T12:30:00Z'));
    await first.stop();

    // Reopened ten minutes later: the 12:00 run is covered, nothing is caught up.
    clock.set('2024-05-01T12:40:00Z');
    const second = scheduler(clock);
    await second.register(countingJob(runs));
    expect(await second.start()).toEqual([]);
    expect(runs.n).toBe(1);

    // Past 13:00 with the app open but asleep: one catch-up for the 13:00 run.
    clock.set('2024-05-01T13:05:00Z');
    expect(await second.catchUp(key)).toMatchObject({ outcome: 'ran', scheduledFor: at('2024-05-01T13:00:00Z') });
    expect(runs.n).toBe(2);
  });

  it('catches up nothing when no scheduled time passed since the last run', async () => {
    await store.finishRun(key, 'earlier-process', at('2024-05-01T12:00:02Z'));
    const runs = { n: 0 };
    const s = scheduler(new TestClock(at('2024-05-01T12:59:00Z')));
    await s.register(countingJob(runs));
    expect(await s.start()).toEqual([]);
    expect(runs.n).toBe(0);
    expect(await store.lastRun(key)).toEqual(at('2024-05-01T12:00:02Z'));
  });

  it('catches up a job that never ran against the time it was registered (a deployment created before a missed run)', async () => {
    const runs = { n: 0 };
    const s = scheduler(new TestClock(at('2024-05-01T12:30:00Z')));
    await s.register(countingJob(runs, { since: at('2024-05-01T11:15:00Z') }));
    await s.start();
    expect(runs.n).toBe(1);
  });

  it('gives a lease to one holder, refuses it to a second while live, and lets the second take it over once expired', async () => {
    const t0 = at('2024-05-01T12:00:00Z');
    const ttl = 10 * MINUTE;
    expect(await store.tryLease(key, 'process-a', t0, ttl)).toBe(true);
    expect(await store.tryLease(key, 'process-b', new Date(t0.getTime() + MINUTE), ttl)).toBe(false);
    // The holder itself renews.
    expect(await store.tryLease(key, 'process-a', new Date(t0.getTime() + 2 * MINUTE), ttl)).toBe(true);
    expect(await store.lease(key)).toEqual({ holder: 'process-a', expiresAt: new Date(t0.getTime() + 12 * MINUTE) });
    // Still live at 11 minutes (renewed), expired at 12.
    expect(await store.tryLease(key, 'process-b', new Date(t0.getTime() + 11 * MINUTE), ttl)).toBe(false);
    expect(await store.tryLease(key, 'process-b', new Date(t0.getTime() + 12 * MINUTE), ttl)).toBe(true);
    expect((await store.lease(key))?.holder).toBe('process-b');
  });

  it('lets exactly one of two simultaneous takers have the lease', async () => {
    const t0 = at('2024-05-01T12:00:00Z');
    const outcomes = await Promise.all([store.tryLease(key, 'process-a', t0, MINUTE), store.tryLease(key, 'process-b', t0, MINUTE)]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect((await store.lease(key))?.holder).toBe(outcomes[0] ? 'process-a' : 'process-b');
  });

  it("does not run a job whose lease another scheduler holds, runs it after the other's lease expired, and releases it after the run", async () => {
    const clock = new TestClock(at('2024-05-01T12:00:30Z'));
    expect(await store.tryLease(key, 'other-process', clock.now(), 5 * MINUTE)).toBe(true);
    const runs = { n: 0 };
    const s = scheduler(clock, { holder: 'this-process' });
    await s.register(countingJob(runs));
    expect(await s.runNow(key)).toMatchObject({ outcome: 'leased', error: null });
    expect(runs.n).toBe(0);
    expect(await store.lastRun(key)).toBeNull();

    clock.set('2024-05-01T12:05:30Z');
    expect(await s.runNow(key)).toMatchObject({ outcome: 'ran' });
    expect(runs.n).toBe(1);
    expect(await store.lease(key)).toBeNull();
    expect(await store.lastRun(key)).toEqual(at('2024-05-01T12:05:30Z'));
  });

  it('skips a run while the previous run of the same job is still going (overrun), and runs again once it ended', async () => {
    const clock = new TestClock(at('2024-05-01T12:00:00Z'));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let signalStarted!: () => void;
    const taskStarted = new Promise<void>((r) => (signalStarted = r));
    let started = 0;
    const s = scheduler(clock);
    await s.register({
      key,
      cron: HOURLY,
      timezone: 'UTC',
      task: async () => {
        started++;
        signalStarted();
        await gate;
      },
    });
    const first = s.runNow(key);
    try {
      await taskStarted;
      expect(s.isRunning(key)).toBe(true);
      expect(await s.runNow(key)).toMatchObject({ outcome: 'overrun' });
      expect(await s.catchUp(key)).toBeNull();
      expect(started).toBe(1);
    } finally {
      release();
    }
    expect(await first).toMatchObject({ outcome: 'ran' });
    expect(s.isRunning(key)).toBe(false);
    expect(await s.runNow(key)).toMatchObject({ outcome: 'ran' });
    expect(started).toBe(2);
  });

  it('records a failing run, reports its error and gives the lease back (a failing check is not retried at every start)', async () => {
    const clock = new TestClock(at('2024-05-01T12:00:10Z'));
    const s = scheduler(clock);
    await s.register({
      key,
      cron: HOURLY,
      timezone: 'UTC',
      task: async () => {
        throw new Error('the monitoring check broke');
      },
    });
    expect(await s.runNow(key)).toMatchObject({ outcome: 'failed', error: 'the monitoring check broke' });
    expect(await store.lastRun(key)).toEqual(at('2024-05-01T12:00:10Z'));
    expect(await store.lease(key)).toBeNull();
  });

  it("fires a job from croner's timer on its cron expression (the thin wall-clock part)", async () => {
    let fired!: (r: RunReport) => void;
    const firstScheduledRun = new Promise<RunReport>((r) => (fired = r));
    const s = new Scheduler({
      store,
      clock: { now: () => new Date(), kind: 'live' },
      onRun: (r) => {
        if (r.trigger === 'schedule') fired(r);
      },
    });
    schedulers.push(s);
    await s.start();
    await s.register({ key, cron: '* * * * * *', timezone: 'UTC', task: async () => undefined });
    const report = await firstScheduledRun;
    expect(report).toMatchObject({ key, trigger: 'schedule', outcome: 'ran' });
    expect(report.scheduledFor?.getUTCMilliseconds()).toBe(0);
  });
});
