import { BullpenError } from '../../shared/errors';
import type { RunRecorder } from './runService';
import type { RunResults, RunStart } from './runTypes';

/**
 * Runs work as a tracked run: the run is recorded `running` first, gets its results and `completed` in
 * one transaction when the work succeeds, and is marked `cancelled` or `failed` (with the cause, and
 * without any partial results) when it does not. The error is rethrown for the job to report.
 */
export async function trackRun<T>(
  store: RunRecorder,
  start: RunStart,
  signal: AbortSignal,
  work: (runId: string) => Promise<{ results: RunResults; value: T }>,
): Promise<T & { runId: string }> {
  const runId = await store.start(start);
  try {
    const { results, value } = await work(runId);
    if (signal.aborted) throw new BullpenError('cancelled', 'RUN_CANCELLED', `run ${runId} was cancelled`, { runId });
    await store.finish(runId, results);
    return { ...value, runId };
  } catch (err) {
    const cancelled = signal.aborted || (err instanceof BullpenError && err.kind === 'cancelled');
    const message = err instanceof Error ? err.message : String(err);
    await store.abandon(runId, cancelled ? 'cancelled' : 'failed', cancelled ? 'cancelled by request' : message);
    throw err;
  }
}
