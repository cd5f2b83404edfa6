import type { JobContext } from '../jobs/jobContext';

/**
 * A step of a longer job as a job of its own: its progress fills [from, to] of the parent's bar, and
 * cancelling the parent cancels it. Validation runs CV and backtests through their own jobs' code this way.
 */
export function jobSlice(ctx: JobContext, from: number, to: number, prefix: string): JobContext {
  return {
    id: ctx.id,
    signal: ctx.signal,
    progress: (fraction, message) =>
      ctx.progress(from + (to - from) * Math.min(1, Math.max(0, fraction)), message ? `${prefix}: ${message}` : undefined),
    throwIfCancelled: () => ctx.throwIfCancelled(),
    log: (message) => ctx.log(`${prefix}: ${message}`),
  };
}
