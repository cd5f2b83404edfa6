import { randomUUID } from 'node:crypto';
import { notFoundError } from '../../../shared/errors';
import {
  decisionSchema,
  experimentConfigSchema,
  rampSchema,
  type Experiment,
  type ExperimentDecision,
  type ExperimentEvent,
  type ExperimentStatus,
  type ExperimentVariant,
  type RampState,
} from '../../../shared/results/experiments';
import { targetSql, type Target } from '../../modeling/featureMatrix';
import type { Sql } from '../../workspace/sql';
import type { Workspace } from '../../workspace/workspace';
import { closingPricesSql } from '../deployments/pricesAt';
import type { Scope } from '../operationsTypes';
import type { ExperimentGame, VariantPrediction } from './experimentSample';

/**
 * The experiment tables (migration 011): experiments, the game assignments written once, the append-only
 * predictions of both variants, and the events. Every read and write is within a scope (replay id, or live).
 */

interface ExperimentRow {
  [key: string]: unknown;
  id: string;
  name: string;
  replay_id: string | null;
  deployment_id: string;
  deployment: string | null;
  control_model: string;
  control_version: number | null;
  control_source: string;
  control_run: string;
  challenger_model: string;
  challenger_version: number | null;
  challenger_source: string;
  challenger_run: string;
  salt: string;
  config: string;
  challenger_share: number;
  status: string;
  ramp: string;
  decision: string | null;
  started_ms: number;
  start_day: string;
  ended_ms: number | null;
}

const COLUMNS = `e.id, e.name, e.replay_id, e.deployment_id, d.name AS deployment, e.control_model, e.control_version, e.control_source,
  e.control_run, e.challenger_model, e.challenger_version, e.challenger_source, e.challenger_run, e.salt, e.config::VARCHAR AS config,
  e.challenger_share, e.status, e.ramp::VARCHAR AS ramp, e.decision::VARCHAR AS decision, epoch_ms(e.started_at) AS started_ms,
  strftime(e.start_day, '%Y-%m-%d') AS start_day, epoch_ms(e.ended_at) AS ended_ms`;
const FROM = `experiments e LEFT JOIN deployments d ON d.id = e.deployment_id`;

/** An experiment with what the engine needs beyond its JSON: the training runs both variants were bound to. */
export interface StoredExperiment extends Experiment {
  controlRun: string;
  challengerRun: string;
}

function toExperiment(r: ExperimentRow): StoredExperiment {
  return {
    id: r.id,
    name: r.name,
    deploymentId: r.deployment_id,
    deployment: r.deployment ?? r.deployment_id,
    replayId: r.replay_id,
    control: { modelName: r.control_model, version: r.control_version, sourceModel: r.control_source },
    challenger: { modelName: r.challenger_model, version: r.challenger_version, sourceModel: r.challenger_source },
    salt: r.salt,
    config: experimentConfigSchema.parse(JSON.parse(r.config)),
    status: r.status as ExperimentStatus,
    challengerShare: r.challenger_share,
    ramp: rampSchema.parse(JSON.parse(r.ramp)),
    decision: r.decision === null ? null : decisionSchema.parse(JSON.parse(r.decision)),
    startedAt: new Date(r.started_ms).toISOString(),
    startDay: r.start_day,
    endedAt: r.ended_ms === null ? null : new Date(r.ended_ms).toISOString(),
    controlRun: r.control_run,
    challengerRun: r.challenger_run,
  };
}

export function experimentNotFound(name: string): Error {
  return notFoundError('EXPERIMENT_NOT_FOUND', `no experiment named ${name}: list them with \`bullpen ab list --all\``, { name });
}

/** A new experiment as `ab start` writes it. */
export interface NewExperiment {
  name: string;
  deploymentId: string;
  control: { modelName: string; version: number | null; sourceModel: string; runId: string };
  challenger: { modelName: string; version: number | null; sourceModel: string; runId: string };
  salt: string;
  config: Experiment['config'];
  share: number;
  ramp: RampState;
  startDay: string;
}

/** One prediction row to append. */
export interface NewExperimentPrediction {
  gameId: string;
  gameDate: string;
  variant: ExperimentVariant;
  routed: boolean;
  model: { modelName: string; version: number | null; sourceModel: string };
  prediction: VariantPrediction;
  logSeq: number | null;
}

const INSERT_CHUNK = 200;

export class ExperimentStore {
  constructor(private readonly workspace: Workspace) {}

  async insert(sql: Sql, e: NewExperiment, scope: Scope): Promise<string> {
    const id = randomUUID();
    const at = scope.clock.now().toISOString();
    await sql.run(
      `INSERT INTO experiments (id, name, replay_id, deployment_id, control_model, control_version, control_source, control_run,
         challenger_model, challenger_version, challenger_source, challenger_run, salt, config, challenger_share, status, ramp,
         decision, started_at, start_day, ended_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::JSON, ?, 'running', ?::JSON, NULL, ?::TIMESTAMPTZ, ?::DATE, NULL)`,
      [
        id,
        e.name,
        scope.replayId,
        e.deploymentId,
        e.control.modelName,
        e.control.version,
        e.control.sourceModel,
        e.control.runId,
        e.challenger.modelName,
        e.challenger.version,
        e.challenger.sourceModel,
        e.challenger.runId,
        e.salt,
        JSON.stringify(e.config),
        e.share,
        JSON.stringify(e.ramp),
        at,
        e.startDay,
      ],
    );
    await this.event(sql, id, scope, 'started', e.share, `started: ${e.challenger.modelName} against ${e.control.modelName}`);
    return id;
  }

  async byName(sql: Sql, name: string, scope: Scope): Promise<StoredExperiment | undefined> {
    const row = await sql.one<ExperimentRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE e.name = ? AND e.replay_id IS NOT DISTINCT FROM ?::VARCHAR ORDER BY e.started_at DESC LIMIT 1`,
      [name, scope.replayId],
    );
    return row ? toExperiment(row) : undefined;
  }

  async byId(id: string): Promise<StoredExperiment> {
    const row = await this.workspace.one<ExperimentRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE e.id = ?`, [id]);
    if (!row) throw experimentNotFound(id);
    return toExperiment(row);
  }

  /** The running experiment of a deployment, if any (one at a time). */
  async running(sql: Sql, deploymentId: string, scope: Scope): Promise<StoredExperiment | undefined> {
    const row = await sql.one<ExperimentRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE e.deployment_id = ? AND e.status = 'running' AND e.replay_id IS NOT DISTINCT FROM ?::VARCHAR
       ORDER BY e.started_at DESC LIMIT 1`,
      [deploymentId, scope.replayId],
    );
    return row ? toExperiment(row) : undefined;
  }

  async list(filter: { deploymentId?: string; all: boolean }, scope: Scope): Promise<StoredExperiment[]> {
    const rows = await this.workspace.all<ExperimentRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE e.replay_id IS NOT DISTINCT FROM ?::VARCHAR AND (?::VARCHAR IS NULL OR e.deployment_id = ?::VARCHAR)
         AND (? OR e.status = 'running') ORDER BY e.started_at DESC, e.name`,
      [scope.replayId, filter.deploymentId ?? null, filter.deploymentId ?? null, filter.all],
    );
    return rows.map(toExperiment);
  }

  async names(sql: Sql, prefix: string, scope: Scope): Promise<Set<string>> {
    const rows = await sql.all<{ name: string }>(
      `SELECT name FROM experiments WHERE starts_with(name, ?) AND replay_id IS NOT DISTINCT FROM ?::VARCHAR`,
      [prefix, scope.replayId],
    );
    return new Set(rows.map((r) => r.name));
  }

  /** Changes an experiment's state (share, status, ramp, decision), with the event that says why. */
  async update(
    sql: Sql,
    e: StoredExperiment,
    scope: Scope,
    change: { share?: number; status?: ExperimentStatus; ramp?: RampState; decision?: ExperimentDecision | null },
    event: { kind: ExperimentEvent['kind']; message: string; details?: Record<string, unknown> },
  ): Promise<void> {
    const ended = change.status !== undefined && change.status !== 'running' && e.status === 'running';
    await sql.run(
      `UPDATE experiments SET challenger_share = ?, status = ?, ramp = ?::JSON, decision = ?::JSON,
         ended_at = CASE WHEN ? THEN ?::TIMESTAMPTZ ELSE ended_at END WHERE id = ?`,
      [
        change.share ?? e.challengerShare,
        change.status ?? e.status,
        JSON.stringify(change.ramp ?? e.ramp),
        change.decision === undefined ? (e.decision === null ? null : JSON.stringify(e.decision)) : JSON.stringify(change.decision),
        ended,
        scope.clock.now().toISOString(),
        e.id,
      ],
    );
    await this.event(sql, e.id, scope, event.kind, change.share ?? null, event.message, event.details);
  }

  async event(
    sql: Sql,
    experimentId: string,
    scope: Scope,
    kind: ExperimentEvent['kind'],
    share: number | null,
    message: string,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await sql.run(
      `INSERT INTO experiment_events (id, experiment_id, replay_id, event_at, kind, share, message, details) VALUES (?, ?, ?, ?::TIMESTAMPTZ, ?, ?, ?, ?::JSON)`,
      [
        randomUUID(),
        experimentId,
        scope.replayId,
        scope.clock.now().toISOString(),
        kind,
        share,
        message,
        details ? JSON.stringify(details) : null,
      ],
    );
  }

  async events(experimentId: string, scope: Scope): Promise<ExperimentEvent[]> {
    const rows = await this.workspace.all<{ at_ms: number; kind: string; share: number | null; message: string }>(
      `SELECT epoch_ms(event_at) AS at_ms, kind, share, message FROM experiment_events WHERE experiment_id = ? AND event_at <= ?::TIMESTAMPTZ ORDER BY event_at, rowid`,
      [experimentId, scope.clock.now().toISOString()],
    );
    return rows.map((r) => ({
      at: new Date(r.at_ms).toISOString(),
      kind: r.kind as ExperimentEvent['kind'],
      share: r.share,
      message: r.message,
    }));
  }

  /**
   * The variant of each game: the one already assigned, else the proposed one, written now. The primary key
   * (experiment, game) keeps the first assignment even when two processes route the same game at once.
   */
  async assign(
    sql: Sql,
    e: StoredExperiment,
    scope: Scope,
    proposed: { gameId: string; variant: ExperimentVariant; bucket: number; share: number }[],
  ): Promise<Map<string, { variant: ExperimentVariant; share: number }>> {
    const out = new Map<string, { variant: ExperimentVariant; share: number }>();
    if (!proposed.length) return out;
    const at = scope.clock.now().toISOString();
    for (let i = 0; i < proposed.length; i += INSERT_CHUNK) {
      const chunk = proposed.slice(i, i + INSERT_CHUNK);
      await sql.run(
        `INSERT INTO experiment_assignments (experiment_id, game_id, replay_id, variant, bucket, share, assigned_at)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?::TIMESTAMPTZ)').join(', ')} ON CONFLICT DO NOTHING`,
        chunk.flatMap((a) => [e.id, a.gameId, scope.replayId, a.variant, a.bucket, a.share, at]),
      );
      const rows = await sql.all<{ game_id: string; variant: string; share: number }>(
        `SELECT game_id, variant, share FROM experiment_assignments WHERE experiment_id = ? AND game_id IN (${chunk.map(() => '?').join(', ')})`,
        [e.id, ...chunk.map((a) => a.gameId)],
      );
      for (const r of rows) out.set(r.game_id, { variant: r.variant as ExperimentVariant, share: r.share });
    }
    return out;
  }

  /** The latest logged prediction of each (game, variant) among these games: a re-scored game only adds a row when something changed. */
  async latest(sql: Sql, experimentId: string, gameIds: string[]): Promise<Map<string, VariantPrediction>> {
    const out = new Map<string, VariantPrediction>();
    if (!gameIds.length) return out;
    const rows = await sql.all<{
      game_id: string;
      variant: string;
      p: number;
      side: string | null;
      stake: number;
      price_first: number | null;
      price_second: number | null;
    }>(
      `SELECT game_id, variant, p, side, stake, price_first, price_second FROM experiment_predictions
       WHERE experiment_id = ? AND game_id IN (${gameIds.map(() => '?').join(', ')})
       QUALIFY row_number() OVER (PARTITION BY game_id, variant ORDER BY seq DESC) = 1`,
      [experimentId, ...gameIds],
    );
    for (const r of rows)
      out.set(`${r.game_id}\u0000${r.variant}`, {
        p: r.p,
        side: r.side === 'first' || r.side === 'second' ? r.side : null,
        stake: r.stake,
        priceFirst: r.price_first,
        priceSecond: r.price_second,
      });
    return out;
  }

  async appendPredictions(sql: Sql, e: StoredExperiment, scope: Scope, rows: NewExperimentPrediction[]): Promise<void> {
    const at = scope.clock.now().toISOString();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await sql.run(
        `INSERT INTO experiment_predictions (experiment_id, replay_id, game_id, game_date, predicted_at, variant, routed, model_name, version,
           source_model, p, price_first, price_second, side, stake, log_seq)
         VALUES ${chunk.map(() => '(?, ?, ?, ?::DATE, ?::TIMESTAMPTZ, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((r) => [
          e.id,
          scope.replayId,
          r.gameId,
          r.gameDate,
          at,
          r.variant,
          r.routed,
          r.model.modelName,
          r.model.version,
          r.model.sourceModel,
          r.prediction.p,
          r.prediction.priceFirst,
          r.prediction.priceSecond,
          r.prediction.side,
          r.prediction.stake,
          r.logSeq,
        ]),
      );
    }
  }

  /**
   * Every routed game of the experiment with both variants' latest predictions logged by the clock's time,
   * and its outcome where the clock says it is known (a result, dated before the clock's day), by date.
   */
  async games(e: StoredExperiment, target: Target, scope: Scope): Promise<ExperimentGame[]> {
    const now = scope.clock.now();
    const known = 'g.home_score IS NOT NULL AND g.date < $day::DATE';
    const rows = await this.workspace.all<{
      game_id: string;
      date: string;
      variant: string;
      share: number;
      outcome: number | null;
      c_p: number | null;
      c_side: string | null;
      c_stake: number | null;
      c_first: number | null;
      c_second: number | null;
      x_p: number | null;
      x_side: string | null;
      x_stake: number | null;
      x_first: number | null;
      x_second: number | null;
    }>(
      `WITH latest AS (
         SELECT * FROM experiment_predictions WHERE experiment_id = $experiment AND predicted_at <= $now::TIMESTAMPTZ
         QUALIFY row_number() OVER (PARTITION BY game_id, variant ORDER BY seq DESC) = 1),
       c AS (${closingPricesSql(target)})
       SELECT a.game_id, strftime(g.date, '%Y-%m-%d') AS date, a.variant, a.share,
         CASE WHEN ${known} THEN ${targetSql[target]} END AS outcome,
         lc.p AS c_p, lc.side AS c_side, lc.stake AS c_stake, lc.price_first AS c_first, lc.price_second AS c_second,
         lx.p AS x_p, lx.side AS x_side, lx.stake AS x_stake, lx.price_first AS x_first, lx.price_second AS x_second
       FROM experiment_assignments a
         JOIN games g ON g.game_id = a.game_id
         LEFT JOIN c ON c.game_id = a.game_id
         LEFT JOIN latest lc ON lc.game_id = a.game_id AND lc.variant = 'control'
         LEFT JOIN latest lx ON lx.game_id = a.game_id AND lx.variant = 'challenger'
       WHERE a.experiment_id = $experiment AND a.assigned_at <= $now::TIMESTAMPTZ
       ORDER BY g.date, a.game_id`,
      { experiment: e.id, now: now.toISOString(), day: now.toISOString().slice(0, 10), deployment: e.deploymentId },
    );
    const side = (s: string | null) => (s === 'first' || s === 'second' ? s : null);
    return rows.map((r) => ({
      gameId: r.game_id,
      date: r.date,
      variant: r.variant === 'challenger' ? 'challenger' : 'control',
      share: r.share,
      outcome: r.outcome === null ? null : Number(r.outcome),
      control:
        r.c_p === null ? null : { p: r.c_p, side: side(r.c_side), stake: r.c_stake ?? 0, priceFirst: r.c_first, priceSecond: r.c_second },
      challenger:
        r.x_p === null ? null : { p: r.x_p, side: side(r.x_side), stake: r.x_stake ?? 0, priceFirst: r.x_first, priceSecond: r.x_second },
    }));
  }
}
