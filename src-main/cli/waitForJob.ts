import { SingleBar, Presets } from 'cli-progress';
import type { Transport } from '../api/client/transport';
import { BullpenError } from '../shared/errors';
import { jobSchema, type EngineEvent, type Job } from '../shared/events';
import type { CliIO } from './output';

const FINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);
const BAR_SCALE = 100;

/**
 * Follows a job to its final state through the transport's events, drawing a progress bar on a terminal.
 * Ctrl-C asks the engine to cancel the job (the job then ends `cancelled`) rather than killing the CLI.
 */
export async function waitForJob(
  transport: Transport,
  started: Job,
  io: CliIO,
  events: EngineEvent[],
  subscribe: (cb: (e: EngineEvent) => void) => () => void,
): Promise<Job> {
  const bar = io.errIsTTY
    ? new SingleBar({ format: '{bar} {percentage}% | {message}', stream: process.stderr, hideCursor: true }, Presets.shades_classic)
    : null;
  bar?.start(BAR_SCALE, Math.round(started.progress * BAR_SCALE), { message: started.message });
  let resolveFinal!: (job: Job) => void;
  const final = new Promise<Job>((resolve) => {
    resolveFinal = resolve;
  });
  const see = (e: EngineEvent): void => {
    if (e.type === 'log' && e.jobId === started.id) {
      // The job's own log lines go to stderr (docs/CONVENTIONS.md: logs on stderr, also with --json); on a
      // terminal the line is cleared first so the bar redraws below it.
      io.err(`${bar ? '\r\x1b[2K' : ''}bullpen: ${e.level === 'info' ? '' : `${e.level}: `}${e.message}\n`);
      return;
    }
    if (e.type !== 'job' || e.job.id !== started.id) return;
    bar?.update(Math.round(e.job.progress * BAR_SCALE), { message: e.job.message });
    if (FINAL.has(e.job.state)) resolveFinal(e.job);
  };
  // Events that arrived between the start call and now were buffered by the caller.
  events.forEach(see);
  const off = subscribe(see);
  let cancelling = false;
  const onSigint = (): void => {
    if (cancelling) return;
    cancelling = true;
    io.err(`\ncancelling job ${started.id}…\n`);
    void transport.call('jobs.cancel', { id: started.id });
  };
  process.on('SIGINT', onSigint);
  // The job may already have ended before we subscribed; ask once.
  void transport.call('jobs.get', { id: started.id }).then((r) => {
    const job = r.ok ? jobSchema.safeParse(r.output) : null;
    if (job?.success && FINAL.has(job.data.state)) resolveFinal(job.data);
  });
  try {
    return await final;
  } finally {
    off();
    process.off('SIGINT', onSigint);
    bar?.stop();
  }
}

/** Turns a job that did not complete into the error the CLI reports (exit 1 when cancelled, 5 otherwise). */
export function jobFailure(job: Job): BullpenError | null {
  if (job.state === 'completed') return null;
  const details = { job };
  if (job.state === 'cancelled') return new BullpenError('cancelled', 'JOB_CANCELLED', `job ${job.id} was cancelled`, details);
  if (job.state === 'interrupted')
    return new BullpenError('internal', 'JOB_INTERRUPTED', `job ${job.id} was interrupted: ${job.message}`, details);
  // A job keeps its error's kind, so a bad input found mid-job still exits 3, an MLflow outage 4, and so on.
  if (job.errorKind && job.errorCode) return new BullpenError(job.errorKind, job.errorCode, job.error ?? job.message, details);
  return new BullpenError('internal', 'JOB_FAILED', `job ${job.id} failed: ${job.error ?? job.message}`, details);
}
