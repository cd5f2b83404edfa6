import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { z } from 'zod';
import type { WorkerTaskMessage } from './protocol';
import { tasks, type TaskTable } from './tasks';
import { taskContext } from './tasks/taskContext';

/** The engine's types stop at the thread boundary: the name and payload are checked again here. */
const table: TaskTable = tasks;

/** Zod's issues in one line, each with the field it is about. */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : 'payload'}: ${i.message}`).join('; ');
}

/**
 * The Piscina worker entry (built as CommonJS to out/main/computeWorker.js so it loads inside app.asar):
 * dispatches by task name, checks the payload against the task's schema, and hands the result back with
 * its buffers transferred, not copied.
 */
export default async function computeWorker(message: WorkerTaskMessage): Promise<unknown> {
  const { task, payload, port, cancel } = message;
  try {
    // Own keys only: a name such as "constructor" must not reach Object.prototype.
    const definition = Object.hasOwn(table, task) ? table[task] : undefined;
    if (!definition) throw new Error(`unknown compute task "${task}"; known: ${Object.keys(table).join(', ')}`);
    const parsed = definition.payload.safeParse(payload);
    if (!parsed.success) throw new Error(`invalid payload for compute task "${task}": ${describeIssues(parsed.error)}`);
    const { value, transfer = [] } = await definition.run(parsed.data, taskContext(port, cancel));
    // Piscina's Transferable protocol: the value travels with its listed buffers moved, not cloned.
    return move({ [transferableSymbol]: transfer, [valueSymbol]: Object(value) as object });
  } finally {
    port.close();
  }
}
