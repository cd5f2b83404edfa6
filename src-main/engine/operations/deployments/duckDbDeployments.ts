import { randomUUID } from 'node:crypto';
import { BullpenError, inputError, notFoundError } from '../../../shared/errors';
import { opsPolicySchema } from '../../../shared/operations/opsPolicy';
import type { Deployment, LoggedPrediction } from '../../../shared/results/operations';
import { targetSql, type Target } from '../../modeling/featureMatrix';
import type { RegistryService } from '../../registry/registryService';
import type { ModelService, StoredModel } from '../../tracking/modelService';
import type { WorkerPool } from '../../workers/workerPool';
import type { Sql } from '../../workspace/sql';
import type { Workspace } from '../../workspace/workspace';
import { liveClock, type Clock } from '../clock';
import type { DeploymentService, PredictionVia, Scope, ScoredGame, ServedBinding } from '../operationsTypes';
import { featureRows, featuresJson, MaterializationCache } from './featureRows';
import { closingPricesSql, pricesAt } from './pricesAt';
import { boundModel, ModelTextCache, resolveBinding } from './servedModel';
import type { ExperimentRouting } from '../experiments/duckDbExperiments';

export interface DeploymentDeps {
  workspace: Workspace;
  pool: Pick<WorkerPool, 'run' | 'threadsPerTask'>;
  models: Pick<ModelService, 'find' | 'get' | 'text'>;
  registry: Pick<RegistryService, 'show' | 'version'>;
  /** A/B experiments: after the log is written, a running experiment's challenger scores the same games and each is routed. */
  experiments?: ExperimentRouting;
}

interface DeploymentRow {
  [key: string]: unknown;
  id: string;
  name: string;
  replay_id: string | null;
  model_name: string;
  version: number | null;
  source_model: string;
  status: string;
  policy: string;
  created_ms: number;
  stopped_ms: number | null;
}

interface CandidateRow {
  [key: string]: unknown;
  game_id: string;
  date: string;
  home: string;
  away: string;
  status: string | null;
}

interface LogRow {
  [key: string]: unknown;
  seq: number;
  deployment_id: string;
  game_id: string;
  game_date: string;
  predicted_ms: number;
  model_name: string;
  version: number | null;
  p: number;
  price_home: number | null;
  price_away: number | null;
  kind: string;
  via: string;
  outcome: number | null;
  close_first: number | null;
  close_second: number | null;
}

const DEPLOYMENT_COLUMNS = `id, name, replay_id, model_name, version, source_model, status, policy::VARCHAR AS policy,
  epoch_ms(created_at) AS created_ms, epoch_ms(stopped_at) AS stopped_ms`;

/** Rows the log insert writes per statement (13 parameters each). */
const INSERT_CHUNK = 200;

const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** The clock's day (UTC): a game dated before it is over, and its result, if imported, is known. */
export const clockDay = (clock: Clock): string => clock.now().toISOString().slice(0, 10);

function toDeployment(r: DeploymentRow): Deployment {
  return {
    id: r.id,
    name: r.name,
    modelName: r.model_name,
    version: r.version,
    sourceModel: r.source_model,
    status: r.status === 'active' ? 'active' : 'stopped',
    policy: opsPolicySchema.parse(JSON.parse(r.policy)),
    createdAt: new Date(r.created_ms).toISOString(),
    stoppedAt: iso(r.stopped_ms),
    replayId: r.replay_id,
  };
}

function toLogged(r: LogRow): LoggedPrediction {
  return {
    seq: r.seq,
    deploymentId: r.deployment_id,
    gameId: r.game_id,
    gameDate: r.game_date,
    predictedAt: new Date(r.predicted_ms).toISOString(),
    modelName: r.model_name,
    version: r.version,
    p: r.p,
    priceHome: finite(r.price_home),
    priceAway: finite(r.price_away),
    kind: r.kind === 'correction' ? 'correction' : 'prediction',
    via: r.via,
    outcome: r.outcome === null ? null : Number(r.outcome),
    closeHome: finite(r.close_first),
    closeAway: finite(r.close_second),
  };
}

function deploymentNotFound(name: string): BullpenError {
  return notFoundError(
    'DEPLOYMENT_NOT_FOUND',
    `no deployment named ${name}: list them with \`bullpen deploy list --all\`, start one with \`bullpen deploy start --model NAME\``,
    { name },
  );
}

/** One prediction as the log inserts it. */
interface NewLogRow {
  gameId: string;
  gameDate: string;
  features: string;
  p: number;
  priceHome: number | null;
  priceAway: number | null;
}

/**
 * Deployments and the append-only prediction log in the workspace's DuckDB. Every "now" is the scope's
 * clock; rows carry the scope's replay id (null live), so a replay never sees or touches live rows.
 * Log rows are only ever inserted: a correction is a new row pointing at the one it corrects.
 */
export class DuckDbDeployments implements DeploymentService {
  private readonly texts: ModelTextCache;
  private readonly mats = new MaterializationCache();

  constructor(
    private readonly deps: DeploymentDeps,
    /** The clock of live work that has no caller's scope (scoring after an import). */
    private readonly live: Clock = liveClock,
  ) {
    this.texts = new ModelTextCache(deps.models);
  }

  // ---- deployments

  async start(
    input: { model: string; name?: string; policy: Deployment['policy']; policyText: string | null },
    scope: Scope,
  ): Promise<Deployment> {
    const binding = await resolveBinding(this.deps, input.model, scope.replayId !== null);
    // Refused now rather than at the first prediction: a retrained model name does not serve the bound version.
    await boundModel(this.deps.models, binding);
    const name = input.name ?? binding.modelName;
    const id = randomUUID();
    await this.deps.workspace.transaction(async (sql) => {
      const active = await this.activeRow(sql, name, scope);
      if (active) {
        const served = active.version === null ? active.model_name : `${active.model_name}:${active.version}`;
        throw new BullpenError(
          'conflict',
          'DEPLOYMENT_ACTIVE',
          `deployment ${name} is active already (serving ${served} since ${new Date(active.created_ms).toISOString()}): stop it with \`bullpen deploy stop ${name}\` or choose another --name`,
          { name, id: active.id },
        );
      }
      await sql.run(
        `INSERT INTO deployments (id, name, replay_id, model_name, version, source_model, status, policy, policy_text, created_at, stopped_at)
         VALUES (?, ?, ?, ?, ?, ?, 'active', ?::JSON, ?, ?::TIMESTAMPTZ, NULL)`,
        [
          id,
          name,
          scope.replayId,
          binding.modelName,
          binding.version,
          binding.sourceModel,
          JSON.stringify(input.policy),
          input.policyText,
          scope.clock.now().toISOString(),
        ],
      );
    });
    return this.byId(id);
  }

  /** The active deployment of that name in the scope, else its latest stopped one. */
  async get(name: string, scope: Scope): Promise<Deployment> {
    const row = await this.deps.workspace.one<DeploymentRow>(
      // A replay's one deployment (named replay-SEASON) is also found by the model it replayed.
      `SELECT ${DEPLOYMENT_COLUMNS} FROM deployments
       WHERE (name = ? OR id = ? OR (replay_id IS NOT NULL AND (model_name = ? OR source_model = ?))) AND replay_id IS NOT DISTINCT FROM ?::VARCHAR
       ORDER BY status = 'active' DESC, created_at DESC LIMIT 1`,
      [name, name, name, name, scope.replayId],
    );
    if (!row) throw deploymentNotFound(name);
    return toDeployment(row);
  }

  /** Live deployments (a replay's are reached through its scope), newest first; stopped ones only with `all`. */
  async list(options: { all: boolean }): Promise<Deployment[]> {
    const rows = await this.deps.workspace.all<DeploymentRow>(
      `SELECT ${DEPLOYMENT_COLUMNS} FROM deployments WHERE replay_id IS NULL AND (? OR status = 'active') ORDER BY created_at DESC`,
      [options.all],
    );
    return rows.map(toDeployment);
  }

  async stop(name: string, scope: Scope): Promise<Deployment> {
    const id = await this.deps.workspace.transaction(async (sql) => {
      const active = await this.activeRow(sql, name, scope);
      if (!active) throw await this.notActive(name, scope);
      await sql.run(`UPDATE deployments SET status = 'stopped', stopped_at = ?::TIMESTAMPTZ WHERE id = ?`, [
        scope.clock.now().toISOString(),
        active.id,
      ]);
      return active.id;
    });
    return this.byId(id);
  }

  async serve(name: string, binding: { version: number | null; sourceModel: string }, scope: Scope): Promise<Deployment> {
    const id = await this.deps.workspace.transaction(async (sql) => {
      const active = await this.activeRow(sql, name, scope);
      if (!active) throw await this.notActive(name, scope);
      await sql.run(`UPDATE deployments SET version = ?, source_model = ? WHERE id = ?`, [binding.version, binding.sourceModel, active.id]);
      return active.id;
    });
    return this.byId(id);
  }

  /**
   * A blue-green switch's one write: the active deployment serves `to` from the commit on, provided it
   * still serves `from` (a concurrent switch, promotion or retraining that changed it first wins, and this
   * one is refused rather than undoing it). Version and training change in one UPDATE of one row, so a
   * prediction reads either binding whole.
   */
  async switchServed(
    name: string,
    from: { version: number | null; sourceModel: string },
    to: { version: number; sourceModel: string },
    scope: Scope,
  ): Promise<Deployment> {
    const id = await this.deps.workspace.transaction(async (sql) => {
      const active = await this.activeRow(sql, name, scope);
      if (!active) throw await this.notActive(name, scope);
      if (active.version !== from.version || active.source_model !== from.sourceModel)
        throw new BullpenError(
          'conflict',
          'DEPLOYMENT_CHANGED',
          `deployment ${name} serves ${active.model_name}:${active.version ?? active.source_model} now, not ${active.model_name}:${from.version ?? from.sourceModel}: something else changed it meanwhile; look with \`bullpen deploy show ${name}\` and switch again`,
          { name, serving: active.version, expected: from.version },
        );
      await sql.run(`UPDATE deployments SET version = ?, source_model = ? WHERE id = ?`, [to.version, to.sourceModel, active.id]);
      return active.id;
    });
    return this.byId(id);
  }

  // ---- scoring

  async predict(
    name: string,
    games: { date: string | null; upcoming: boolean; gameIds?: string[] },
    via: PredictionVia,
    scope: Scope,
  ): Promise<{ predictions: ScoredGame[]; unscored: { gameId: string; reason: string }[]; served: ServedBinding }> {
    // The row is read once: every game of the request, its log rows and the answer carry this one binding,
    // whatever a blue-green switch commits meanwhile.
    const active = await this.activeRow(this.deps.workspace, name, scope);
    if (!active) throw await this.notActive(name, scope);
    const dep = toDeployment(active);
    const served: ServedBinding = { name: dep.name, modelName: dep.modelName, version: dep.version };
    const model = await this.servedModel(dep);
    const day = clockDay(scope.clock);
    const replay = scope.replayId !== null;
    const candidates = await this.candidates(games, day, replay);
    const unscored: { gameId: string; reason: string }[] = [];
    const known = new Set(candidates.map((c) => c.game_id));
    for (const id of games.gameIds ?? []) if (!known.has(id)) unscored.push({ gameId: id, reason: 'no such game in the workspace' });

    const rows = await featureRows(
      this.deps.workspace,
      this.mats,
      model,
      candidates.map((c) => c.game_id),
    );
    const scorable: { game: CandidateRow; x: Float64Array }[] = [];
    for (const game of candidates) {
      const reason = this.unscorable(game, rows.get(game.game_id), model, day, replay);
      if (reason) unscored.push({ gameId: game.game_id, reason });
      else scorable.push({ game, x: rows.get(game.game_id) as Float64Array });
    }
    if (!scorable.length) return { predictions: [], unscored, served };

    const cols = model.featureNames.length;
    const x = new Float64Array(scorable.length * cols);
    scorable.forEach((s, i) => x.set(s.x, i * cols));
    const { p } = await this.deps.pool.run(
      'predict',
      { modelText: await this.texts.get(model), x, rows: scorable.length, cols, numThreads: this.deps.pool.threadsPerTask },
      { transferList: [x.buffer] },
    );
    const ids = scorable.map((s) => s.game.game_id);
    // A replay predicts at the day's close; live, at the clock's time (pricesAt says why).
    const prices = await pricesAt(this.deps.workspace, model.target as Target, ids, replay ? null : scope.clock.now());
    const fresh: NewLogRow[] = scorable.map((s, i) => ({
      gameId: s.game.game_id,
      gameDate: s.game.date,
      features: featuresJson(model.featureNames, s.x),
      p: p[i],
      priceHome: prices.get(s.game.game_id)?.first ?? null,
      priceAway: prices.get(s.game.game_id)?.second ?? null,
    }));
    const seqs = await this.deps.workspace.transaction(async (sql) => {
      const same = await this.unchanged(sql, dep, fresh);
      const toLog = fresh.filter((r) => !same.has(r.gameId));
      const logged = await this.append(sql, dep, toLog, via, scope);
      return new Map([...same, ...logged]);
    });
    const routed = this.deps.experiments
      ? await this.deps.experiments.route(
          dep,
          fresh.map((r) => ({
            gameId: r.gameId,
            date: r.gameDate,
            p: r.p,
            seq: seqs.get(r.gameId) as number,
            priceFirst: r.priceHome,
            priceSecond: r.priceAway,
          })),
          scope,
        )
      : null;
    const predictions = scorable.map((s, i) => {
      const experiment = routed?.get(s.game.game_id);
      return {
        gameId: s.game.game_id,
        date: s.game.date,
        home: s.game.home,
        away: s.game.away,
        p: p[i],
        seq: seqs.get(s.game.game_id) as number,
        ...(experiment ? { experiment } : {}),
      };
    });
    return { predictions, unscored, served };
  }

  async predictions(
    deploymentId: string,
    scope: Scope,
    options: { from?: string; to?: string; limit: number },
  ): Promise<LoggedPrediction[]> {
    return this.readLog(deploymentId, scope, options, null);
  }

  async correct(seq: number, p: number, reason: string, via: PredictionVia, scope: Scope): Promise<LoggedPrediction> {
    if (!(p > 0 && p < 1))
      throw inputError('BAD_PROBABILITY', `a corrected probability must lie strictly between 0 and 1, not ${p}`, { p });
    if (!reason.trim()) throw inputError('CORRECTION_REASON', 'a correction needs a reason (it is kept beside the corrected row)');
    const original = await this.deps.workspace.one<{ deployment_id: string }>(
      `SELECT deployment_id FROM prediction_log WHERE seq = ? AND replay_id IS NOT DISTINCT FROM ?::VARCHAR`,
      [seq, scope.replayId],
    );
    if (!original)
      throw notFoundError('PREDICTION_NOT_FOUND', `no logged prediction ${seq}: list the log with \`bullpen deploy predictions NAME\``, {
        seq,
      });
    const newSeq = await this.deps.workspace.value<number>(
      `INSERT INTO prediction_log (deployment_id, replay_id, game_id, game_date, predicted_at, model_name, version, source_model,
         features, p, price_home, price_away, kind, corrects, via, reason)
       SELECT deployment_id, replay_id, game_id, game_date, ?::TIMESTAMPTZ, model_name, version, source_model,
         features, ?, price_home, price_away, 'correction', seq, ?, ?
       FROM prediction_log WHERE seq = ? RETURNING seq`,
      [scope.clock.now().toISOString(), p, via, reason, seq],
    );
    const [row] = await this.readLog(original.deployment_id, scope, { limit: 1 }, Number(newSeq));
    return row;
  }

  async onScheduledGamesImported(
    gameIds: string[],
  ): Promise<{ deployment: string; scored: number; unscored: number; error: string | null }[]> {
    if (!gameIds.length) return [];
    const scope: Scope = { replayId: null, clock: this.live };
    const scheduled = (
      await this.deps.workspace.all<{ game_id: string }>(
        `SELECT game_id FROM games WHERE game_id IN (${placeholders(gameIds.length)})
         AND home_score IS NULL AND coalesce(status, 'scheduled') = 'scheduled' ORDER BY date, game_number, game_id`,
        gameIds,
      )
    ).map((r) => r.game_id);
    if (!scheduled.length) return [];
    const out: { deployment: string; scored: number; unscored: number; error: string | null }[] = [];
    for (const dep of await this.list({ all: false })) {
      try {
        const r = await this.predict(dep.name, { date: null, upcoming: false, gameIds: scheduled }, 'import', scope);
        out.push({ deployment: dep.name, scored: r.predictions.length, unscored: r.unscored.length, error: null });
      } catch (err) {
        // One deployment that cannot score (its model retrained, its features changed) never fails the import.
        const message = err instanceof Error ? err.message : String(err);
        process.emitWarning(`deployment ${dep.name} could not score the imported games: ${message}`);
        out.push({ deployment: dep.name, scored: 0, unscored: scheduled.length, error: message });
      }
    }
    return out;
  }

  /** The scheduled games a games import brought in (the import id every imported game row carries). */
  async onGamesImported(importId: string): Promise<{ deployment: string; scored: number; unscored: number; error: string | null }[]> {
    const ids = await this.deps.workspace.all<{ game_id: string }>(`SELECT game_id FROM games WHERE import_id = ?`, [importId]);
    return this.onScheduledGamesImported(ids.map((r) => r.game_id));
  }

  // ---- internals

  private async byId(id: string): Promise<Deployment> {
    const row = await this.deps.workspace.one<DeploymentRow>(`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments WHERE id = ?`, [id]);
    if (!row) throw deploymentNotFound(id);
    return toDeployment(row);
  }

  private activeRow(sql: Sql, name: string, scope: Scope): Promise<DeploymentRow | undefined> {
    return sql.one<DeploymentRow>(
      `SELECT ${DEPLOYMENT_COLUMNS} FROM deployments WHERE name = ? AND status = 'active' AND replay_id IS NOT DISTINCT FROM ?::VARCHAR`,
      [name, scope.replayId],
    );
  }

  /** Why a deployment that is not active cannot be used: it was stopped, or it never existed. */
  private async notActive(name: string, scope: Scope): Promise<BullpenError> {
    const last = await this.get(name, scope);
    return new BullpenError(
      'conflict',
      'DEPLOYMENT_STOPPED',
      `deployment ${name} was stopped at ${last.stoppedAt ?? '?'}: it scores nothing more; start a new one with \`bullpen deploy start --model ${last.modelName}\``,
      { name, id: last.id },
    );
  }

  /** The trained model a deployment serves now: a registry version's training, which must still be the model's. */
  private async servedModel(dep: Deployment): Promise<StoredModel> {
    if (dep.version === null) return this.deps.models.get(dep.sourceModel);
    const v = await this.deps.registry.version(dep.modelName, dep.version);
    return boundModel(this.deps.models, { modelName: v.modelName, version: v.version, sourceModel: v.sourceModel, runId: v.runId });
  }

  /** The games a request names, in date order. */
  private async candidates(
    games: { date: string | null; upcoming: boolean; gameIds?: string[] },
    day: string,
    replay: boolean,
  ): Promise<CandidateRow[]> {
    const asked = [games.date !== null, games.upcoming, games.gameIds !== undefined].filter(Boolean).length;
    if (asked !== 1)
      throw new BullpenError(
        'usage',
        'PREDICT_WHICH_GAMES',
        'say which games to score: --date DATE, --upcoming, or a list of game ids (one of them)',
      );
    const select = `SELECT game_id, strftime(date, '%Y-%m-%d') AS date, home, away, status FROM games`;
    const order = 'ORDER BY date, game_number, game_id';
    const ws = this.deps.workspace;
    if (games.gameIds !== undefined) {
      if (!games.gameIds.length) return [];
      return ws.all<CandidateRow>(`${select} WHERE game_id IN (${placeholders(games.gameIds.length)}) ${order}`, games.gameIds);
    }
    if (games.date !== null) return ws.all<CandidateRow>(`${select} WHERE date = ?::DATE ${order}`, [games.date]);
    // Upcoming: live, every game not played yet from today on; in a replay every later game is "not played yet",
    // but its features would read games after the replay's day, so only the day's own slate is upcoming.
    if (replay) return ws.all<CandidateRow>(`${select} WHERE date = ?::DATE ${order}`, [day]);
    return ws.all<CandidateRow>(
      `${select} WHERE date >= ?::DATE AND home_score IS NULL AND coalesce(status, 'scheduled') = 'scheduled' ${order}`,
      [day],
    );
  }

  /** Why a game cannot be scored, or null when it can. */
  private unscorable(game: CandidateRow, row: Float64Array | undefined, model: StoredModel, day: string, replay: boolean): string | null {
    if (replay && game.date !== day)
      return `dated ${game.date}, not the replay's day ${day}: a replay scores each day's games before their first pitch, with only what was known then`;
    if (game.status === 'postponed') return 'postponed';
    if (game.date <= model.lastTrainingDate)
      return `dated on or before ${model.lastTrainingDate}, the last game date model ${model.name} learned from: an in-sample score is no prediction`;
    if (!row) return `no feature row in feature set ${model.featureSet} for this game`;
    if (row.every((v) => Number.isNaN(v))) return `every feature of ${model.featureSet} is missing for this game`;
    return null;
  }

  /**
   * Games whose latest logged prediction by this deployment is the same as the fresh one (same features,
   * probability and prices): asking again answers that row rather than logging a duplicate, which would
   * weigh the game twice in monitoring. Any change (a new price, a changed feature, another served
   * version after a switch) is a new row, so a row's version is always the one that gave its probability.
   */
  private async unchanged(sql: Sql, dep: Deployment, fresh: NewLogRow[]): Promise<Map<string, number>> {
    const same = new Map<string, number>();
    if (!fresh.length) return same;
    const last = await sql.all<{
      game_id: string;
      seq: number;
      p: number;
      features: string;
      price_home: number | null;
      price_away: number | null;
      version: number | null;
      source_model: string;
    }>(
      `SELECT game_id, seq, p, features::VARCHAR AS features, price_home, price_away, version, source_model FROM prediction_log
       WHERE deployment_id = ? AND kind = 'prediction' AND game_id IN (${placeholders(fresh.length)})
       QUALIFY row_number() OVER (PARTITION BY game_id ORDER BY seq DESC) = 1`,
      [dep.id, ...fresh.map((r) => r.gameId)],
    );
    const byGame = new Map(last.map((r) => [r.game_id, r]));
    for (const r of fresh) {
      const prev = byGame.get(r.gameId);
      if (
        prev &&
        prev.p === r.p &&
        prev.features === r.features &&
        prev.price_home === r.priceHome &&
        prev.price_away === r.priceAway &&
        prev.version === dep.version &&
        prev.source_model === dep.sourceModel
      )
        same.set(r.gameId, prev.seq);
    }
    return same;
  }

  private async append(sql: Sql, dep: Deployment, rows: NewLogRow[], via: PredictionVia, scope: Scope): Promise<Map<string, number>> {
    const seqs = new Map<string, number>();
    const at = scope.clock.now().toISOString();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const values = chunk.map(() => "(?, ?, ?, ?::DATE, ?::TIMESTAMPTZ, ?, ?, ?, ?::JSON, ?, ?, ?, 'prediction', NULL, ?)").join(', ');
      const params = chunk.flatMap((r) => [
        dep.id,
        scope.replayId,
        r.gameId,
        r.gameDate,
        at,
        dep.modelName,
        dep.version,
        dep.sourceModel,
        r.features,
        r.p,
        r.priceHome,
        r.priceAway,
        via,
      ]);
      const inserted = await sql.all<{ seq: number; game_id: string }>(
        `INSERT INTO prediction_log (deployment_id, replay_id, game_id, game_date, predicted_at, model_name, version, source_model,
           features, p, price_home, price_away, kind, corrects, via)
         VALUES ${values} RETURNING seq, game_id`,
        params,
      );
      for (const r of inserted) seqs.set(r.game_id, r.seq);
    }
    return seqs;
  }

  /**
   * The log with outcomes and closing prices joined only where the clock says they are known: the game
   * has a result and is dated before the clock's day (a game is over by the end of its date). Rows logged
   * after the clock's time are not shown either. Newest first.
   */
  /** How many predictions (not corrections) the log holds, and how many of their games have a result known at the clock's time. */
  async counts(deploymentId: string, scope: Scope): Promise<{ predictions: number; settled: number }> {
    const now = scope.clock.now();
    const row = await this.deps.workspace.one<{ predictions: bigint | number; settled: bigint | number }>(
      `SELECT count(*) AS predictions, count(*) FILTER (WHERE g.home_score IS NOT NULL AND g.date < $day::DATE) AS settled
       FROM prediction_log l LEFT JOIN games g ON g.game_id = l.game_id
       WHERE l.deployment_id = $deployment AND l.replay_id IS NOT DISTINCT FROM $replay::VARCHAR AND l.kind = 'prediction'
         AND l.predicted_at <= $now::TIMESTAMPTZ`,
      { deployment: deploymentId, replay: scope.replayId, day: now.toISOString().slice(0, 10), now: now.toISOString() },
    );
    return { predictions: Number(row?.predictions ?? 0), settled: Number(row?.settled ?? 0) };
  }

  private async readLog(
    deploymentId: string,
    scope: Scope,
    options: { from?: string; to?: string; limit: number },
    seq: number | null,
  ): Promise<LoggedPrediction[]> {
    const dep = await this.byId(deploymentId);
    const target = ((await this.deps.models.find(dep.sourceModel))?.target ?? 'home_win') as Target;
    const now = scope.clock.now();
    const known = 'g.home_score IS NOT NULL AND g.date < $day::DATE';
    const rows = await this.deps.workspace.all<LogRow>(
      `SELECT l.seq, l.deployment_id, l.game_id, strftime(l.game_date, '%Y-%m-%d') AS game_date, epoch_ms(l.predicted_at) AS predicted_ms,
         l.model_name, l.version, l.p, l.price_home, l.price_away, l.kind, l.via,
         CASE WHEN ${known} THEN ${targetSql[target]} END AS outcome,
         CASE WHEN ${known} THEN c.close_first END AS close_first,
         CASE WHEN ${known} THEN c.close_second END AS close_second
       FROM prediction_log l
         LEFT JOIN games g ON g.game_id = l.game_id
         LEFT JOIN (${closingPricesSql(target)}) c ON c.game_id = l.game_id
       WHERE l.deployment_id = $deployment AND l.replay_id IS NOT DISTINCT FROM $replay::VARCHAR AND l.predicted_at <= $now::TIMESTAMPTZ
         AND ($from::DATE IS NULL OR l.game_date >= $from::DATE) AND ($to::DATE IS NULL OR l.game_date <= $to::DATE)
         AND ($seq::BIGINT IS NULL OR l.seq = $seq::BIGINT)
       ORDER BY l.predicted_at DESC, l.seq DESC LIMIT $limit`,
      {
        deployment: dep.id,
        replay: scope.replayId,
        day: now.toISOString().slice(0, 10),
        now: now.toISOString(),
        from: options.from ?? null,
        to: options.to ?? null,
        seq,
        limit: options.limit,
      },
    );
    return rows.map(toLogged);
  }
}
