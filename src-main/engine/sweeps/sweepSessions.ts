import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { IntermediatePoint } from '../../shared/sweep/trials';
import type { TrialOutcome, TrialRequest } from '../../../src-workers/compute/sweep/trialSession';
import type { FoldRows } from '../../../src-workers/compute/boosting';
import type { SessionMessage, SessionRequest, SweepSessionPayload, SweepSessionResult } from '../../../src-workers/tasks/sweepSession';
import { BullpenError } from '../../shared/errors';
import type { WorkerPool } from '../workers/workerPool';

interface Waiting {
  number: number;
  onReport: (points: IntermediatePoint[]) => void;
  resolve: (o: TrialOutcome) => void;
  reject: (e: Error) => void;
}

/**
 * The engine's end of one sweep worker (tasks/sweepSession): sends one trial at a time and resolves with
 * its outcome, forwarding intermediate reports as they arrive. If the worker task ends (cancelled,
 * crashed), the trial in flight is rejected with that cause.
 */
export class SweepSession {
  private waiting: Waiting | null = null;
  private ended: Error | null = null;
  readonly done: Promise<SweepSessionResult>;

  constructor(
    private readonly port: MessagePort,
    task: Promise<SweepSessionResult>,
  ) {
    port.on('message', (m: SessionMessage) => this.receive(m));
    this.done = task.then(
      (r) => {
        this.end(new BullpenError('internal', 'SWEEP_SESSION_ENDED', 'the sweep worker ended'));
        return r;
      },
      (err: unknown) => {
        this.end(err instanceof Error ? err : new Error(String(err)));
        throw err;
      },
    );
    // The failure is also read through `done` by whoever awaits it; this keeps an unawaited one from crashing the process.
    this.done.catch(() => undefined);
  }

  run(trial: TrialRequest, onReport: (points: IntermediatePoint[]) => void): Promise<TrialOutcome> {
    if (this.ended) return Promise.reject(this.ended);
    if (this.waiting) return Promise.reject(new Error('the sweep worker is busy'));
    return new Promise<TrialOutcome>((resolve, reject) => {
      this.waiting = { number: trial.number, onReport, resolve, reject };
      this.port.postMessage({ type: 'trial', trial } satisfies SessionRequest);
    });
  }

  close(): void {
    if (!this.ended) this.port.postMessage({ type: 'close' } satisfies SessionRequest);
  }

  private receive(m: SessionMessage): void {
    const w = this.waiting;
    if (!w) return;
    if (m.type === 'report' && m.number === w.number) w.onReport(m.points);
    else if (m.type === 'outcome' && m.outcome.number === w.number) {
      this.waiting = null;
      w.resolve(m.outcome);
    } else if (m.type === 'error' && m.number === w.number) {
      this.waiting = null;
      w.reject(new BullpenError('internal', 'TRIAL_FAILED', m.message));
    }
  }

  private end(err: Error): void {
    this.ended = err;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(err);
    this.port.close();
  }
}

/** Starts `count` sweep workers in the pool, each with its own copy of the matrix and folds transferred in. */
export function startSessions(
  pool: WorkerPool,
  count: number,
  body: Omit<SweepSessionPayload, 'channel' | 'x' | 'y' | 'folds'> & { folds: readonly FoldRows[] },
  source: { x: Float64Array; y: Float64Array },
  signal: AbortSignal,
): SweepSession[] {
  return Array.from({ length: count }, () => {
    const x = new Float64Array(source.x);
    const y = new Float64Array(source.y);
    const { port1, port2 } = new MessageChannel();
    const folds = body.folds.map((f) => ({ ...f, train: new Int32Array(f.train), test: new Int32Array(f.test) }));
    const task = pool.run('sweepSession', { ...body, x, y, folds, channel: port2 }, { transferList: [x.buffer, y.buffer, port2], signal });
    return new SweepSession(port1, task);
  });
}
