import type { MessagePort } from 'node:worker_threads';
import type { Steps } from '../compute/boosting';
import { CANCEL_FLAG, TASK_CANCELLED, type WorkerProgressMessage } from '../protocol';

/**
 * What a compute task may do besides computing: report progress, check for cancellation between steps
 * (never mid-native-call: terminating a thread inside native code can crash the process), and pause in
 * a way a cancellation wakes at once.
 */
export interface TaskContext extends Steps {
  cancelled(): boolean;
  /** Sleeps up to ms; returns early when the task is cancelled. */
  pause(ms: number): void;
}

export function taskContext(port: MessagePort, cancel: Int32Array): TaskContext {
  const cancelled = (): boolean => Atomics.load(cancel, CANCEL_FLAG) !== 0;
  return {
    progress(fraction, message) {
      const msg: WorkerProgressMessage = { type: 'progress', fraction, ...(message !== undefined ? { message } : {}) };
      port.postMessage(msg);
    },
    cancelled,
    throwIfCancelled() {
      if (cancelled()) throw new Error(TASK_CANCELLED);
    },
    pause(ms) {
      if (ms > 0 && !cancelled()) Atomics.wait(cancel, CANCEL_FLAG, 0, ms);
    },
  };
}
