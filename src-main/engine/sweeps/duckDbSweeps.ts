import { randomUUID } from 'node:crypto';
import { BullpenError, notFoundError } from '../../shared/errors';
import { sweepConfigSchema, sweepSummarySchema, type SweepStatus } from '../../shared/results/sweep';
import type { TrialParams } from '../../shared/sweep/distributions';
import type { IntermediatePoint, TrialState } from '../../shared/sweep/trials';
import type { Workspace } from '../workspace/workspace';
import type { BaselineResult, StoredTrial, SweepRecord, SweepStorage, TrialEnd } from './sweepStorage';

interface SweepRow {
  [key: string]: unknown;
  id: string;
  name: string;
  status: string;
  config: string;
  job_id: string | null;
  run_id: string | null;
  summary: string | null;
  baseline: string | null;
  error: string | null;
  heartbeat_ms: number | null;
  created_ms: number;
  finished_ms: number | null;
}

interface TrialRow {
  [key: string]: unknown;
  number: number;
  attempt: number;
  state: string;
  params: string;
  trial_values: string | null;
  intermediate: string;
  fold_values: string | null;
  daily_returns: string | null;
  pruned_at: number | null;
  reason: string | null;
  run_id: string | null;
  started_ms: number;
  heartbeat_ms: number;
  finished_ms: number | null;
  duration_ms: number | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

const SWEEP_COLUMNS = `id, name, status, config::VARCHAR AS config, job_id, run_id, summary::VARCHAR AS summary, baseline::VARCHAR AS baseline,
  error, epoch_ms(heartbeat_at) AS heartbeat_ms, epoch_ms(created_at) AS created_ms, epoch_ms(finished_at) AS finished_ms`;

function toRecord(r: SweepRow): SweepRecord {
  const summary = json<unknown>(r.summary);
  const parsedSummary = summary === null ? null : sweepSummarySchema.safeParse(summary);
  return {
    id: r.id,
    name: r.name,
    status: r.status as SweepStatus,
    config: sweepConfigSchema.parse(JSON.parse(r.config)),
    jobId: r.job_id,
    runId: r.run_id,
    // A summary written by an older build that no longer parses is dropped: the next finish rewrites it.
    summary: parsedSummary?.success ? parsedSummary.data : null,
    baseline: json<BaselineResult>(r.baseline),
    error: r.error,
    heartbeatAt: iso(r.heartbeat_ms),
    createdAt: new Date(r.created_ms).toISOString(),
    finishedAt: iso(r.finished_ms),
  };
}

/** Non-finite numbers (a ROI over no bets) are stored as null, as JSON would write them. */
const storeJson = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

/** Sweeps and trials in the workspace's DuckDB (SweepStorage). */
export class DuckDbSweeps implements SweepStorage {
  readonly exclusive = true;
  constructor(private readonly ws: Workspace) {}

  async create(name: string, config: SweepRecord['config'], jobId: string): Promise<SweepRecord> {
    const taken = await this.ws.value<number>(`SELECT count(*) FROM sweeps WHERE name = ?`, [name]);
    if (taken)
      throw new BullpenError(
        'conflict',
        'SWEEP_NAME_TAKEN',
        `a sweep named ${name} exists: choose another --name, or continue it with --resume ${name}`,
        {
          name,
        },
      );
    const id = randomUUID();
    await this.ws.run(
      `INSERT INTO sweeps (id, name, status, config, job_id, heartbeat_at, created_at) VALUES (?, ?, 'running', ?, ?, now(), now())`,
      [id, name, JSON.stringify(config), jobId],
    );
    return this.get(id);
  }

  async get(ref: string): Promise<SweepRecord> {
    const rows = await this.ws.all<SweepRow>(
      `SELECT ${SWEEP_COLUMNS} FROM sweeps WHERE id = ? OR name = ? OR (length(?) >= 6 AND starts_with(id, ?)) ORDER BY (id = ? OR name = ?) DESC LIMIT 2`,
      [ref, ref, ref, ref, ref, ref],
    );
    if (rows.length === 0)
      throw notFoundError('SWEEP_NOT_FOUND', `no sweep ${ref}: list sweeps with \`bullpen ml sweeps list\``, { sweep: ref });
    const exact = rows[0].id === ref || rows[0].name === ref;
    if (rows.length > 1 && !exact)
      throw new BullpenError('usage', 'SWEEP_REF_AMBIGUOUS', `sweep id prefix ${ref} matches several sweeps: give more characters`, {
        sweep: ref,
      });
    return toRecord(rows[0]);
  }

  async list(limit: number): Promise<SweepRecord[]> {
    const rows = await this.ws.all<SweepRow>(`SELECT ${SWEEP_COLUMNS} FROM sweeps ORDER BY created_at DESC LIMIT ?`, [limit]);
    return rows.map(toRecord);
  }

  async update(
    id: string,
    patch: Partial<Pick<SweepRecord, 'status' | 'jobId' | 'runId' | 'summary' | 'error' | 'finishedAt' | 'baseline'>> & {
      config?: SweepRecord['config'];
    },
  ): Promise<void> {
    const sets: string[] = [];
    const values: (string | null)[] = [];
    const put = (column: string, value: string | null) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (patch.status !== undefined) put('status', patch.status);
    if (patch.jobId !== undefined) put('job_id', patch.jobId);
    if (patch.runId !== undefined) put('run_id', patch.runId);
    if (patch.summary !== undefined) put('summary', storeJson(patch.summary));
    if (patch.baseline !== undefined) put('baseline', storeJson(patch.baseline));
    if (patch.error !== undefined) put('error', patch.error);
    if (patch.config !== undefined) put('config', JSON.stringify(patch.config));
    if (patch.finishedAt !== undefined) put('finished_at', patch.finishedAt);
    if (sets.length === 0) return;
    await this.ws.run(`UPDATE sweeps SET ${sets.join(', ')} WHERE id = ?`, [...values, id]);
  }

  async trials(sweepId: string): Promise<StoredTrial[]> {
    const rows = await this.ws.all<TrialRow>(
      `SELECT number, attempt, state, params::VARCHAR AS params, trial_values::VARCHAR AS trial_values, intermediate::VARCHAR AS intermediate,
         fold_values::VARCHAR AS fold_values, daily_returns::VARCHAR AS daily_returns, pruned_at, reason, run_id,
         epoch_ms(started_at) AS started_ms, epoch_ms(heartbeat_at) AS heartbeat_ms, epoch_ms(finished_at) AS finished_ms, duration_ms
       FROM sweep_trials WHERE sweep_id = ? ORDER BY number`,
      [sweepId],
    );
    return rows.map((r) => ({
      number: r.number,
      state: r.state as TrialState,
      params: JSON.parse(r.params) as TrialParams,
      values: json<number[]>(r.trial_values),
      intermediate: JSON.parse(r.intermediate) as IntermediatePoint[],
      durationMs: r.duration_ms,
      prunedAt: r.pruned_at,
      reason: r.reason,
      attempt: r.attempt,
      runId: r.run_id,
      startedAt: iso(r.started_ms),
      heartbeatAt: iso(r.heartbeat_ms),
      finishedAt: iso(r.finished_ms),
      foldValues: json<number[][]>(r.fold_values),
      dailyReturns: json<number[]>(r.daily_returns),
    }));
  }

  async startTrial(sweepId: string, number: number, params: TrialParams, runId: string | null): Promise<void> {
    await this.ws.run(
      `INSERT INTO sweep_trials (sweep_id, number, attempt, state, params, run_id, started_at, heartbeat_at)
       VALUES (?, ?, 1, 'running', ?, ?, now(), now())
       ON CONFLICT (sweep_id, number) DO UPDATE SET attempt = sweep_trials.attempt + 1, state = 'running', params = excluded.params,
         trial_values = NULL, intermediate = '[]', fold_values = NULL, daily_returns = NULL, pruned_at = NULL, reason = NULL,
         run_id = excluded.run_id, started_at = now(), heartbeat_at = now(), finished_at = NULL, duration_ms = NULL`,
      [sweepId, number, JSON.stringify(params), runId],
    );
  }

  async report(sweepId: string, number: number, points: readonly IntermediatePoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.ws.run(
      `UPDATE sweep_trials SET intermediate = to_json(list_concat(CAST(intermediate AS STRUCT(step INTEGER, value DOUBLE)[]),
         CAST(?::JSON AS STRUCT(step INTEGER, value DOUBLE)[]))), heartbeat_at = now() WHERE sweep_id = ? AND number = ? AND state = 'running'`,
      [JSON.stringify(points), sweepId, number],
    );
  }

  async finishTrial(sweepId: string, number: number, end: TrialEnd): Promise<void> {
    await this.ws.run(
      `UPDATE sweep_trials SET state = ?, trial_values = ?, fold_values = ?, daily_returns = ?, pruned_at = ?, reason = ?,
         finished_at = now(), heartbeat_at = now(), duration_ms = ? WHERE sweep_id = ? AND number = ?`,
      [
        end.state,
        storeJson(end.values),
        storeJson(end.foldValues),
        storeJson(end.dailyReturns),
        end.prunedAt,
        end.reason,
        end.durationMs,
        sweepId,
        number,
      ],
    );
  }

  async heartbeat(sweepId: string): Promise<void> {
    await this.ws.run(`UPDATE sweeps SET heartbeat_at = now() WHERE id = ?`, [sweepId]);
    await this.ws.run(`UPDATE sweep_trials SET heartbeat_at = now() WHERE sweep_id = ? AND state = 'running'`, [sweepId]);
  }
}
