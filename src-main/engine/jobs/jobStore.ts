import type { Sql } from '../workspace/sql';
import type { ErrorKind } from '../../shared/errors';
import type { Job, JobState } from '../../shared/events';

interface JobRow {
  id: string;
  kind: string;
  state: string;
  progress: number;
  message: string;
  params: string;
  result: string | null;
  error: string | null;
  error_kind: string | null;
  error_code: string | null;
  created_ms: number;
  started_ms: number | null;
  finished_ms: number | null;
}

const SELECT = `SELECT id, kind, state, progress, message, params::VARCHAR AS params, result::VARCHAR AS result, error, error_kind, error_code,
  epoch_ms(created_at) AS created_ms, epoch_ms(started_at) AS started_ms, epoch_ms(finished_at) AS finished_ms FROM jobs`;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function toJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state as JobState,
    progress: r.progress,
    message: r.message,
    params: JSON.parse(r.params) as Record<string, unknown>,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    error: r.error,
    ...(r.error_kind ? { errorKind: r.error_kind as ErrorKind } : {}),
    ...(r.error_code ? { errorCode: r.error_code } : {}),
    createdAt: iso(r.created_ms) ?? '',
    startedAt: iso(r.started_ms),
    finishedAt: iso(r.finished_ms),
  };
}

/**
 * The jobs table on its own connection. Writes are serialized through one queue so progress updates from
 * concurrent jobs never interleave on the connection and a final state is never overtaken by a stale one.
 */
export class JobStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly sql: Sql) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  insert(job: Job): Promise<void> {
    return this.serial(() =>
      this.sql.run(
        `INSERT INTO jobs (id, kind, state, progress, message, params, result, error, created_at, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?::JSON, NULL, NULL, ?::TIMESTAMPTZ, ?::TIMESTAMPTZ, NULL)`,
        [job.id, job.kind, job.state, job.progress, job.message, JSON.stringify(job.params), job.createdAt, job.startedAt],
      ),
    );
  }

  /** Writes every mutable column of the job as it is now. */
  save(job: Job): Promise<void> {
    return this.serial(() =>
      this.sql.run(
        `UPDATE jobs SET state = ?, progress = ?, message = ?, result = ?::JSON, error = ?, error_kind = ?, error_code = ?,
           started_at = ?::TIMESTAMPTZ, finished_at = ?::TIMESTAMPTZ WHERE id = ?`,
        [
          job.state,
          job.progress,
          job.message,
          job.result === null || job.result === undefined ? null : JSON.stringify(job.result),
          job.error,
          job.errorKind ?? null,
          job.errorCode ?? null,
          job.startedAt,
          job.finishedAt,
          job.id,
        ],
      ),
    );
  }

  get(id: string): Promise<Job | undefined> {
    return this.serial(async () => {
      const row = await this.sql.one<JobRow & Record<string, unknown>>(`${SELECT} WHERE id = ?`, [id]);
      return row ? toJob(row) : undefined;
    });
  }

  list(state: JobState | undefined, limit: number): Promise<Job[]> {
    return this.serial(async () => {
      const rows = state
        ? await this.sql.all<JobRow & Record<string, unknown>>(`${SELECT} WHERE state = ? ORDER BY created_at DESC, id LIMIT ?`, [
            state,
            limit,
          ])
        : await this.sql.all<JobRow & Record<string, unknown>>(`${SELECT} ORDER BY created_at DESC, id LIMIT ?`, [limit]);
      return rows.map(toJob);
    });
  }

  /** Marks jobs left queued or running by a process that died as interrupted, and returns them. */
  interruptOrphans(at: string): Promise<Job[]> {
    return this.serial(async () => {
      const rows = await this.sql.all<JobRow & Record<string, unknown>>(`${SELECT} WHERE state IN ('queued', 'running')`);
      if (rows.length === 0) return [];
      await this.sql.run(
        `UPDATE jobs SET state = 'interrupted', finished_at = ?::TIMESTAMPTZ,
           message = 'interrupted: the engine stopped while this job ran; start it again' WHERE state IN ('queued', 'running')`,
        [at],
      );
      const out: Job[] = [];
      for (const r of rows) {
        const after = await this.sql.one<JobRow & Record<string, unknown>>(`${SELECT} WHERE id = ?`, [r.id]);
        if (after) out.push(toJob(after));
      }
      return out;
    });
  }

  /** Resolves once every queued write has landed. */
  flush(): Promise<void> {
    return this.serial(async () => undefined);
  }
}
