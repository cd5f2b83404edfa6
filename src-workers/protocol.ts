import type { MessagePort, TransferListItem } from 'node:worker_threads';

/** One task as the engine's pool posts it to a compute worker. */
export interface WorkerTaskMessage {
  task: string;
  payload: unknown;
  /** Progress goes back over this port, so it arrives while the task still runs. */
  port: MessagePort;
  /** Shared flag (index CANCEL_FLAG): 1 once the engine asked the task to stop. */
  cancel: Int32Array;
}

export const CANCEL_FLAG = 0;

export interface WorkerProgressMessage {
  type: 'progress';
  fraction: number;
  message?: string;
}

/** A task's answer: the value, plus the buffers inside it to transfer (not copy) back to the engine. */
export interface TaskResult<T = unknown> {
  value: T;
  transfer?: TransferListItem[];
}

/** The message a worker throws when it stopped because it was asked to; the pool maps it to a cancellation. */
export const TASK_CANCELLED = 'task cancelled';
