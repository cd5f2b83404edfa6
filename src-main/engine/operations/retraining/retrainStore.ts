import { notFoundError } from '../../../shared/errors';
import { retrainRecordSchema, type RetrainRecord } from '../../../shared/results/retraining';
import type { Workspace } from '../../workspace/workspace';

/** What only the history reads back, kept as JSON beside the queryable columns. */
interface Details {
  deployment: string;
  championLastTrainingDate: string;
  trainGames: number | null;
  comparisonGames: number | null;
  earlyStopping: RetrainRecord['earlyStopping'];
  challenger: RetrainRecord['challenger'];
  /** Absent in rows written before sweeps ran in the pipeline. */
  sweep?: RetrainRecord['sweep'];
  refit: RetrainRecord['refit'];
  validation: RetrainRecord['validation'];
  durationMs: number | null;
}

interface RetrainRow {
  [key: string]: unknown;
  id: string;
  deployment_id: string;
  replay_id: string | null;
  trigger: string;
  reason: string;
  scheduled_ms: number | null;
  resumes: string | null;
  state: string;
  step: string;
  clock_ms: number;
  data_day: string;
  started_ms: number;
  finished_ms: number | null;
  job_id: string | null;
  train_from: string | null;
  train_to: string | null;
  comparison_from: string | null;
  comparison_to: string | null;
  champion_model: string;
  champion_version: number | null;
  champion_source: string;
  comparison: string | null;
  decision: string | null;
  decision_reason: string | null;
  new_version: number | null;
  new_stage: string | null;
  probation_until: string | null;
  rolled_back_ms: number | null;
  rollback_reason: string | null;
  error: string | null;
  details: string;
}

const COLUMNS = `id, deployment_id, replay_id, trigger, reason, epoch_ms(scheduled_for) AS scheduled_ms, resumes, state, step,
  epoch_ms(clock_at) AS clock_ms, strftime(data_day, '%Y-%m-%d') AS data_day, epoch_ms(started_at) AS started_ms,
  epoch_ms(finished_at) AS finished_ms, job_id, strftime(train_from, '%Y-%m-%d') AS train_from, strftime(train_to, '%Y-%m-%d') AS train_to,
  strftime(comparison_from, '%Y-%m-%d') AS comparison_from, strftime(comparison_to, '%Y-%m-%d') AS comparison_to,
  champion_model, champion_version, champion_source, comparison::VARCHAR AS comparison, decision, decision_reason,
  new_version, new_stage, strftime(probation_until, '%Y-%m-%d') AS probation_until, epoch_ms(rolled_back_at) AS rolled_back_ms,
  rollback_reason, error, details::VARCHAR AS details`;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function toRecord(r: RetrainRow, live: ReadonlySet<string>): RetrainRecord {
  const d = JSON.parse(r.details) as Details;
  // A row its job left running while no live job runs it was interrupted (the process died).
  const state = r.state === 'running' && (r.job_id === null || !live.has(r.job_id)) ? 'interrupted' : r.state;
  const window = (from: string | null, to: string | null, games: number | null) =>
    from !== null && to !== null ? { from, to, games: games ?? 0 } : null;
  return retrainRecordSchema.parse({
    id: r.id,
    deploymentId: r.deployment_id,
    deployment: d.deployment,
    replayId: r.replay_id,
    trigger: r.trigger,
    reason: r.reason,
    scheduledFor: iso(r.scheduled_ms),
    resumes: r.resumes,
    state,
    step: r.step,
    at: iso(r.clock_ms),
    dataDay: r.data_day,
    startedAt: iso(r.started_ms),
    finishedAt: iso(r.finished_ms),
    jobId: r.job_id,
    champion: {
      modelName: r.champion_model,
      version: r.champion_version,
      sourceModel: r.champion_source,
      lastTrainingDate: d.championLastTrainingDate,
    },
    trainWindow: window(r.train_from, r.train_to, d.trainGames),
    earlyStopping: d.earlyStopping,
    comparisonWindow: window(r.comparison_from, r.comparison_to, d.comparisonGames),
    challenger: d.challenger,
    sweep: d.sweep ?? null,
    comparison: r.comparison === null ? null : (JSON.parse(r.comparison) as unknown),
    decision: r.decision,
    decisionReason: r.decision_reason,
    refit: d.refit,
    validation: d.validation,
    newVersion:
      r.new_version === null || r.new_stage === null ? null : { modelName: r.champion_model, version: r.new_version, stage: r.new_stage },
    probationUntil: r.probation_until,
    rolledBackAt: iso(r.rolled_back_ms),
    rollbackReason: r.rollback_reason,
    error: r.error,
    durationMs: d.durationMs,
  });
}

function params(r: RetrainRecord): Record<string, string | number | boolean | null> {
  const details: Details = {
    deployment: r.deployment,
    championLastTrainingDate: r.champion.lastTrainingDate,
    trainGames: r.trainWindow?.games ?? null,
    comparisonGames: r.comparisonWindow?.games ?? null,
    earlyStopping: r.earlyStopping,
    challenger: r.challenger,
    sweep: r.sweep,
    refit: r.refit,
    validation: r.validation,
    durationMs: r.durationMs,
  };
  return {
    id: r.id,
    deployment_id: r.deploymentId,
    replay_id: r.replayId,
    trigger: r.trigger,
    reason: r.reason,
    scheduled_for: r.scheduledFor,
    resumes: r.resumes,
    state: r.state,
    step: r.step,
    clock_at: r.at,
    data_day: r.dataDay,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    job_id: r.jobId,
    train_from: r.trainWindow?.from ?? null,
    train_to: r.trainWindow?.to ?? null,
    comparison_from: r.comparisonWindow?.from ?? null,
    comparison_to: r.comparisonWindow?.to ?? null,
    champion_model: r.champion.modelName,
    champion_version: r.champion.version,
    champion_source: r.champion.sourceModel,
    challenger_model: r.challenger?.model ?? null,
    challenger_run: r.challenger?.runId ?? null,
    comparison: r.comparison === null ? null : JSON.stringify(r.comparison),
    decision: r.decision,
    decision_reason: r.decisionReason,
    refit_model: r.refit?.model ?? null,
    new_version: r.newVersion?.version ?? null,
    new_stage: r.newVersion?.stage ?? null,
    probation_until: r.probationUntil,
    rolled_back_at: r.rolledBackAt,
    rollback_reason: r.rollbackReason,
    error: r.error,
    details: JSON.stringify(details),
  };
}

const CASTS: Record<string, string> = {
  scheduled_for: '::TIMESTAMPTZ',
  clock_at: '::TIMESTAMPTZ',
  started_at: '::TIMESTAMPTZ',
  finished_at: '::TIMESTAMPTZ',
  rolled_back_at: '::TIMESTAMPTZ',
  data_day: '::DATE',
  train_from: '::DATE',
  train_to: '::DATE',
  comparison_from: '::DATE',
  comparison_to: '::DATE',
  probation_until: '::DATE',
  comparison: '::JSON',
  details: '::JSON',
};
const placeholder = (column: string) => `$${column}${CASTS[column] ?? ''}`;

/**
 * The retraining history in the workspace's DuckDB: a row is written when a pipeline starts and rewritten
 * whole after every step (one writer per row: its pipeline). Rows of a replay carry its replay id.
 */
export class DuckDbRetraining {
  constructor(
    private readonly workspace: Workspace,
    /** Jobs running in this engine now: a `running` row of any other job was interrupted. */
    private readonly liveJobs: () => readonly string[],
  ) {}

  async insert(r: RetrainRecord): Promise<void> {
    const p = params(r);
    const cols = Object.keys(p);
    await this.workspace.run(`INSERT INTO retrains (${cols.join(', ')}) VALUES (${cols.map(placeholder).join(', ')})`, p);
  }

  async save(r: RetrainRecord): Promise<void> {
    const p = params(r);
    const cols = Object.keys(p).filter((c) => c !== 'id');
    await this.workspace.run(`UPDATE retrains SET ${cols.map((c) => `${c} = ${placeholder(c)}`).join(', ')} WHERE id = $id`, p);
  }

  async get(id: string): Promise<RetrainRecord> {
    const row = await this.workspace.one<RetrainRow>(`SELECT ${COLUMNS} FROM retrains WHERE id = ?`, [id]);
    if (!row) throw notFoundError('RETRAIN_NOT_FOUND', `no retraining ${id}: list them with \`bullpen deploy history NAME\``, { id });
    return toRecord(row, new Set(this.liveJobs()));
  }

  /** A deployment's retrainings in a scope (live: replayId null), newest first. */
  async history(deploymentId: string, replayId: string | null, limit: number): Promise<RetrainRecord[]> {
    const rows = await this.workspace.all<RetrainRow>(
      `SELECT ${COLUMNS} FROM retrains WHERE deployment_id = ? AND replay_id IS NOT DISTINCT FROM ?::VARCHAR
       ORDER BY clock_at DESC, started_at DESC LIMIT ?`,
      [deploymentId, replayId, limit],
    );
    const live = new Set(this.liveJobs());
    return rows.map((r) => toRecord(r, live));
  }

  /**
   * The retraining whose promotion is on probation at `day` (the latest promoted one whose probation_until
   * is not before it and that was not rolled back), or null: what the probation check compares.
   */
  async onProbation(deploymentId: string, replayId: string | null, day: string): Promise<RetrainRecord | null> {
    const row = await this.workspace.one<RetrainRow>(
      `SELECT ${COLUMNS} FROM retrains WHERE deployment_id = ? AND replay_id IS NOT DISTINCT FROM ?::VARCHAR
         AND decision = 'promoted' AND probation_until >= ?::DATE AND rolled_back_at IS NULL
       ORDER BY clock_at DESC LIMIT 1`,
      [deploymentId, replayId, day],
    );
    return row ? toRecord(row, new Set(this.liveJobs())) : null;
  }

  /** Links a row written before its job started to that job (unless the job got there first). */
  async attachJob(id: string, jobId: string): Promise<void> {
    await this.workspace.run(`UPDATE retrains SET job_id = ? WHERE id = ? AND job_id IS NULL`, [jobId, id]);
  }

  /** Records that a retraining's promotion was rolled back (at the scope clock's time), and why. */
  async recordRollback(id: string, at: Date, reason: string): Promise<RetrainRecord> {
    await this.workspace.run(`UPDATE retrains SET rolled_back_at = ?::TIMESTAMPTZ, rollback_reason = ? WHERE id = ?`, [
      at.toISOString(),
      reason,
      id,
    ]);
    return this.get(id);
  }

  /** The latest schedule slot a retraining of this deployment served (whatever its outcome). */
  async lastScheduledFor(deploymentId: string, replayId: string | null): Promise<Date | null> {
    const ms = await this.workspace.value<number | null>(
      `SELECT epoch_ms(max(scheduled_for)) FROM retrains WHERE deployment_id = ? AND replay_id IS NOT DISTINCT FROM ?::VARCHAR`,
      [deploymentId, replayId],
    );
    return ms === null || ms === undefined ? null : new Date(Number(ms));
  }
}
