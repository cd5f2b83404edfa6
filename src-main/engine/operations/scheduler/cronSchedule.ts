import { Cron } from 'croner';
import { inputError } from '../../../shared/errors';

/**
 * The pure half of scheduling: what a cron expression in a time zone says about a given instant. Nothing
 * here reads the wall clock, so catch-up decisions are tested with any `now`; croner's timers (wall time)
 * live in scheduler.ts.
 */

const SECOND_MS = 1000;

/** A paused croner instance: only its calendar arithmetic is used, it never arms a timer. */
function calendar(cron: string, timezone: string): Cron {
  return new Cron(cron, { timezone, paused: true });
}

/**
 * Refuses a schedule croner cannot read (a bad field, an unknown time zone) as the policy's mistake, so a
 * deployment with one is refused at `deploy start` rather than failing silently at the first tick.
 * croner checks the zone only when it first computes a time, hence the nextRun.
 */
export function validateSchedule(cron: string, timezone: string, where = 'schedule'): void {
  try {
    calendar(cron, timezone).nextRun(new Date(0));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw inputError('BAD_SCHEDULE', `${where}: "${cron}" in time zone "${timezone}" is not a schedule croner can run: ${reason}`, {
      cron,
      timezone,
    });
  }
}

/** The latest scheduled time at or before `now`, or null when the expression never fired before it. */
export function previousScheduled(cron: string, timezone: string, now: Date): Date | null {
  // croner's previousRuns looks strictly before its reference, truncated to the second: one second past
  // `now` (truncated) makes a run scheduled exactly at `now` count as due.
  const reference = new Date(Math.floor(now.getTime() / SECOND_MS) * SECOND_MS + SECOND_MS);
  const [previous] = calendar(cron, timezone).previousRuns(1, reference);
  return previous && previous.getTime() <= now.getTime() ? previous : null;
}

/** The first scheduled time strictly after `after`. */
export function nextScheduled(cron: string, timezone: string, after: Date): Date | null {
  return calendar(cron, timezone).nextRun(after);
}

/**
 * The run to catch up on start, as systemd's `Persistent=true`: when the latest scheduled time before
 * `now` is later than the last run (or than `since`, when the job never ran: its registration), that one
 * time is returned, however many were missed, so a laptop closed for a week runs a check once, not 168
 * times. Null when nothing was missed, or when there is neither a last run nor a start to compare with.
 */
export function missedRun(cron: string, timezone: string, lastRunAt: Date | null, now: Date, since: Date | null = null): Date | null {
  const baseline = lastRunAt ?? since;
  if (!baseline) return null;
  const previous = previousScheduled(cron, timezone, now);
  return previous && previous.getTime() > baseline.getTime() ? previous : null;
}
