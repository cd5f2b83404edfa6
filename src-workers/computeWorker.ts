import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { WorkerTaskMessage } from './protocol';
import { tasks } from './tasks';
import { taskContext } from './tasks/taskContext';

/**
 * The Piscina worker entry (built as CommonJS to out/main/computeWorker.js so it loads inside app.asar):
 * dispatches by task name and hands the result back with its buffers transferred, not copied.
 */
export default async function computeWorker(message: WorkerTaskMessage): Promise<unknown> {
  const { task, payload, port, cancel } = message;
  try {
    const run = tasks[task];
    if (!run) throw new Error(`unknown compute task "${task}"; known: ${Object.keys(tasks).join(', ')}`);
    const { value, transfer = [] } = await run(payload, taskContext(port, cancel));
    // Piscina's Transferable protocol: the value travels with its listed buffers moved, not cloned.
    return move({ [transferableSymbol]: transfer, [valueSymbol]: Object(value) as object });
  } finally {
    port.close();
  }
}
