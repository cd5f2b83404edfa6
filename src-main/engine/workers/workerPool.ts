import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { MessageChannel, type TransferListItem } from 'node:worker_threads';
import Piscina from 'piscina';
import { BullpenError } from '../../shared/errors';
import { CANCEL_FLAG, TASK_CANCELLED, type WorkerProgressMessage, type WorkerTaskMessage } from '../../../src-workers/protocol';
import type { TaskName, TaskOutput, TaskPayload } from '../../../src-workers/tasks';
import { poolSize } from './poolSizing';
import { computeWorkerPath } from './workerPath';

export interface WorkerPoolOptions {
  /** Defaults to the built out/main/computeWorker.js. */
  filename?: string;
  /** Threads each task runs internally (LightGBM's num_threads); the pool shrinks so size × this ≤ cores. */
  threadsPerTask?: number;
  /** Upper bound on workers (e.g. a user's `--workers N`); the sizing rule still applies. */
  maxWorkers?: number;
  cores?: number;
}

export interface RunOptions {
  transferList?: TransferListItem[];
  signal?: AbortSignal;
  onProgress?: (fraction: number, message?: string) => void;
}

/** Workers linger this long after their last task so bursts of tasks do not pay thread start-up again. */
const IDLE_TIMEOUT_MS = 30_000;
/** How long close() waits for running tasks to notice the cancel flag before terminating threads. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * The engine's compute pool. Payloads come in as transferred typed arrays; cancellation sets a shared
 * flag the task checks between steps (never thread termination, which is unsafe mid-native-call);
 * close() waits for running tasks before tearing the threads down.
 */
export class WorkerPool {
  readonly size: number;
  readonly threadsPerTask: number;
  readonly filename: string;
  private readonly piscina: Piscina;
  private readonly running = new Set<{ flag: Int32Array; done: Promise<unknown> }>();
  private closed = false;

  constructor(options: WorkerPoolOptions = {}) {
    const cores = options.cores ?? availableParallelism();
    this.threadsPerTask = Math.max(1, Math.floor(options.threadsPerTask ?? 1));
    this.size = poolSize({ cores, threadsPerTask: this.threadsPerTask, requested: options.maxWorkers });
    this.filename = options.filename ?? computeWorkerPath();
    this.piscina = new Piscina({
      filename: this.filename,
      minThreads: 0,
      maxThreads: this.size,
      idleTimeout: IDLE_TIMEOUT_MS,
    });
  }

  /**
   * Runs a compute task in a worker; rejects with a `cancelled` BullpenError when `signal` stopped it.
   * The task's name picks its payload and result types from the workers' task table; the worker checks
   * the payload against the task's schema again, since types do not cross the thread boundary.
   */
  async run<N extends TaskName>(task: N, payload: TaskPayload<N>, options: RunOptions = {}): Promise<TaskOutput<N>> {
    if (this.closed) throw new BullpenError('internal', 'POOL_CLOSED', 'the worker pool is shut down');
    if (!existsSync(this.filename)) {
      throw new BullpenError('internal', 'WORKER_NOT_BUILT', `compute worker ${this.filename} is missing: run \`npm run build\` first`, {
        filename: this.filename,
      });
    }
    const flag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const cancel = (): void => {
      Atomics.store(flag, CANCEL_FLAG, 1);
      Atomics.notify(flag, CANCEL_FLAG);
    };
    if (options.signal?.aborted) cancel();
    options.signal?.addEventListener('abort', cancel, { once: true });
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (msg: WorkerProgressMessage) => {
      if (msg.type === 'progress') options.onProgress?.(msg.fraction, msg.message);
    });
    const message: WorkerTaskMessage = { task, payload, port: port2, cancel: flag };
    const done = this.piscina.run(message, { transferList: [port2, ...(options.transferList ?? [])] });
    const entry = { flag, done };
    this.running.add(entry);
    try {
      // The worker answers with the value its task returned; Piscina types it as unknown.
      return (await done) as TaskOutput<N>;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (Atomics.load(flag, CANCEL_FLAG) !== 0 && (msg.includes(TASK_CANCELLED) || options.signal?.aborted)) {
        throw new BullpenError('cancelled', 'TASK_CANCELLED', `compute task ${task} was cancelled`, { task });
      }
      throw new BullpenError('internal', 'WORKER_TASK_FAILED', `compute task ${task} failed: ${msg}`, { task });
    } finally {
      this.running.delete(entry);
      options.signal?.removeEventListener('abort', cancel);
      port1.close();
    }
  }

  /** Cancels running tasks, waits for them to stop between steps, then ends the worker threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const tasks = [...this.running];
    for (const t of tasks) {
      Atomics.store(t.flag, CANCEL_FLAG, 1);
      Atomics.notify(t.flag, CANCEL_FLAG);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.allSettled(tasks.map((t) => t.done)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_GRACE_MS);
      }),
    ]);
    clearTimeout(timer);
    await this.piscina.destroy();
  }
}
