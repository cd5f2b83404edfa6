import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkerPool } from '../workers/workerPool';
import type { Workspace } from '../workspace/workspace';
import type { JobContext } from './jobContext';
import type { JobSpec } from './jobSpec';

export interface DemoJobParams {
  /** Pause between steps so progress and cancellation are visible to a person. */
  stepDelayMs: number;
  rounds: number;
}

export interface DemoJobResult {
  tables: { name: string; rows: number }[];
  totalRows: number;
  checksums: { round: number; checksum: number; sum: number }[];
}

/** Share of the progress bar spent counting tables; the rest goes to the checksum rounds. */
const COUNT_SHARE = 0.2;
/** Values hashed per round: big enough to be real work for a worker, small enough to be instant. */
const VALUES_PER_ROUND = 100_000;
const CHUNKS_PER_ROUND = 4;

/**
 * The demo job that proves every layer: counts the rows of every workspace table (engine, DuckDB), then
 * checksums a transferred array per round in the worker pool, reporting progress and honouring cancel
 * between every step.
 */
export async function runDemoJob(
  deps: { workspace: Workspace; pool: WorkerPool },
  params: DemoJobParams,
  ctx: JobContext,
): Promise<DemoJobResult> {
  const names = await deps.workspace.all<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const tables: { name: string; rows: number }[] = [];
  for (const [i, t] of names.entries()) {
    ctx.throwIfCancelled();
    const rows = Number((await deps.workspace.value<number>(`SELECT count(*) FROM "${t.name.replaceAll('"', '""')}"`)) ?? 0);
    tables.push({ name: t.name, rows });
    ctx.progress((COUNT_SHARE * (i + 1)) / Math.max(1, names.length), `counted ${t.name}: ${rows} rows`);
    await sleep(params.stepDelayMs, undefined, { signal: ctx.signal });
  }
  const totalRows = tables.reduce((s, t) => s + t.rows, 0);
  ctx.log(`counted ${tables.length} tables, ${totalRows} rows`);

  const checksums: DemoJobResult['checksums'] = [];
  for (let round = 0; round < params.rounds; round++) {
    ctx.throwIfCancelled();
    const values = new Float64Array(VALUES_PER_ROUND);
    for (let i = 0; i < values.length; i++) values[i] = (i % (totalRows + round + 1)) + round;
    const base = COUNT_SHARE + ((1 - COUNT_SHARE) * round) / params.rounds;
    const out = await deps.pool.run(
      'checksum',
      { values, chunks: CHUNKS_PER_ROUND, pauseMs: Math.round(params.stepDelayMs / CHUNKS_PER_ROUND) },
      {
        transferList: [values.buffer],
        signal: ctx.signal,
        onProgress: (f) =>
          ctx.progress(
            base + ((1 - COUNT_SHARE) * f) / params.rounds,
            `round ${round + 1}/${params.rounds}: checksum ${Math.round(f * 100)}%`,
          ),
      },
    );
    checksums.push({ round: round + 1, checksum: out.checksum, sum: out.sum });
  }
  return { tables, totalRows, checksums };
}

/** `bullpen jobs run demo`. */
export const demoJob: JobSpec<{ workspace: Workspace; pool: WorkerPool }, DemoJobParams, 'demo'> = { kind: 'demo', run: runDemoJob };
