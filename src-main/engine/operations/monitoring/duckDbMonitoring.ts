import { randomUUID } from 'node:crypto';
import type { MonitorResult } from '../../../../src-workers/compute/monitoring';
import { notFoundError } from '../../../shared/errors';
import type { Alert, Deployment, MonitorCheck } from '../../../shared/results/operations';
import type { EngineDeps } from '../../engineDeps';
import type { AlertListener, DeploymentService, MonitoringService, Scope } from '../operationsTypes';
import { ALERT_SELECT, applyAlerts, toAlert, type AlertEvent } from './alertLifecycle';
import { PredictionLogCache, type LoggedRow } from './predictionLogCache';
import {
  daysBetween,
  edgeBets,
  openingDay,
  phaseReference,
  prepareReference,
  type ExplicitReference,
  type PreparedReference,
} from './references';
import { runMonitors, type CurrentWindows, type FeatureWindow } from './runMonitors';

/**
 * Monitoring checks and alerts over the workspace. A check reads the deployment's prediction log as the
 * scope's clock sees it (rows logged by then; outcomes and closing prices the deployment service says are
 * known by then), builds the current windows, runs every monitor against the deployment's prepared
 * reference (runMonitors.ts), and in one transaction records the check and opens, refreshes or resolves
 * alerts (alertLifecycle.ts); listeners hear of opened and resolved alerts after the commit.
 *
 * Windows end at the latest game date predicted by the clock's time (not the calendar: through the
 * All-Star break a window keeps its last games rather than emptying):
 * - drift: `driftDays` days up to that date; data quality also on that date's games alone;
 * - realized performance: `performanceDays` days up to the latest date with a known outcome;
 * - the CBPE estimate: predictions of the last `performanceDays` days, outcomes or not.
 * Prepared references and the parsed log are kept per deployment, so a replay's daily check costs only
 * its own statistics.
 */

const DAY_MS = 86_400_000;

/**
 * Games a drift window needs before drift is judged. Under no change PSI over ten bins is about
 * 9 × (1/n + 1/m) on average (a χ² with 9 degrees of freedom, scaled): 0.09 with 200 games a side, sd
 * about 0.04, so the 0.2 threshold is beyond its noise; with one day of 15 games it would be 1.2.
 */
export const MIN_DRIFT_GAMES = 200;

/**
 * Settled games the performance window needs before realized performance is judged: on a dozen games a
 * percentile bootstrap of ROI (a handful of bets) calls a lucky or unlucky week "a real drop". A full 7-day
 * MLB window holds about 100.
 */
export const MIN_PERFORMANCE_GAMES = 50;

type MonitoringDeps = Pick<EngineDeps, 'workspace' | 'pool' | 'models' | 'runs' | 'data' | 'features'>;

export interface MonitoringOptions {
  /** Reference games chosen by the caller instead of the policy's (a benchmark's seeded split of a season). */
  explicitReference?: (deployment: Deployment) => ExplicitReference | null;
}

export interface CheckOutcome {
  check: MonitorCheck;
  /** Alerts this check opened or resolved, in the order they were written. */
  events: AlertEvent[];
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The ISO date `days` before (negative: after) an ISO date. */
export function shiftDay(date: string, days: number): string {
  return isoDay(Date.parse(`${date}T00:00:00Z`) - days * DAY_MS);
}

type CheckRow = {
  id: string;
  deployment_id: string;
  checked_at: number;
  window_from: string | null;
  window_to: string | null;
  drift_score: number | null;
  results: string;
};

const scopeKey = (deploymentId: string, scope: Scope) => `${deploymentId}\u0000${scope.replayId ?? ''}`;

export class DuckDbMonitoring implements MonitoringService {
  private readonly references = new Map<string, Promise<PreparedReference>>();
  private readonly logs = new Map<string, PredictionLogCache>();
  private readonly unscoredNotes = new Map<string, Map<string, Map<string, string>>>();
  private readonly listeners = new Set<AlertListener>();
  private readonly openings = new Map<number, Promise<string | null>>();

  constructor(
    private readonly deps: MonitoringDeps,
    private readonly deployments: Pick<DeploymentService, 'predictions'>,
    private readonly options: MonitoringOptions = {},
  ) {}

  /** Hears every alert opened or resolved, after its check committed; answers the way to stop listening. */
  onAlert(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The deployment's reference, prepared on first use and kept: the monitored season is the clock's at
   * that moment (a replay prepares it on its first day).
   */
  reference(deployment: Deployment, scope: Scope, signal?: AbortSignal): Promise<PreparedReference> {
    let ref = this.references.get(deployment.id);
    if (!ref) {
      const explicit = this.options.explicitReference?.(deployment) ?? undefined;
      ref = prepareReference(this.deps, deployment, {
        monitoredSeason: scope.clock.now().getUTCFullYear(),
        ...(explicit ? { explicit } : {}),
        ...(signal ? { signal } : {}),
      });
      this.references.set(deployment.id, ref);
      // A failed preparation is not kept: the next check tries again (after an import, say).
      ref.catch(() => this.references.delete(deployment.id));
    }
    return ref;
  }

  /** Games a deployment could not score on a date, with why (the predict path knows; the log holds only scored games). */
  noteUnscored(deploymentId: string, scope: Scope, date: string, unscored: readonly { gameId: string; reason: string }[]): void {
    const key = scopeKey(deploymentId, scope);
    let byDate = this.unscoredNotes.get(key);
    if (!byDate) this.unscoredNotes.set(key, (byDate = new Map()));
    const notes = byDate.get(date) ?? new Map<string, string>();
    for (const u of unscored) notes.set(u.gameId, u.reason);
    byDate.set(date, notes);
  }

  /** Drops what is kept in memory for a deployment (a finished replay's). */
  forget(deploymentId: string, scope: Scope): void {
    this.references.delete(deploymentId);
    this.logs.delete(scopeKey(deploymentId, scope));
    this.unscoredNotes.delete(scopeKey(deploymentId, scope));
  }

  async check(deployment: Deployment, scope: Scope): Promise<MonitorCheck> {
    return (await this.checkWithEvents(deployment, scope)).check;
  }

  /** The check, with the alerts it opened and resolved (a replay records them by replayed date). */
  async checkWithEvents(deployment: Deployment, scope: Scope): Promise<CheckOutcome> {
    const at = scope.clock.now().getTime();
    const reference = await this.reference(deployment, scope);
    const windows = await this.currentWindows(deployment, scope, reference, at);
    const { results, driftScore } = runMonitors(reference, deployment.policy, windows.current);
    const check: MonitorCheck = {
      id: randomUUID(),
      deploymentId: deployment.id,
      checkedAt: new Date(at).toISOString(),
      window: { from: windows.from, to: windows.to },
      driftScore: driftScore !== null && Number.isFinite(driftScore) ? driftScore : null,
      results: results.map((r) => ({ ...r, value: r.value !== null && Number.isFinite(r.value) ? r.value : null })),
    };
    const events = await this.deps.workspace.transaction(async (sql) => {
      await sql.run(
        `INSERT INTO monitor_checks (id, deployment_id, replay_id, checked_at, window_from, window_to, drift_score, results)
         VALUES (?, ?, ?, make_timestamptz(?::BIGINT * 1000), ?::DATE, ?::DATE, ?, ?::JSON)`,
        [check.id, deployment.id, scope.replayId, at, windows.from, windows.to, check.driftScore, JSON.stringify(check.results)],
      );
      return applyAlerts(sql, { deploymentId: deployment.id, replayId: scope.replayId, at }, results);
    });
    this.publish(events);
    return { check, events };
  }

  /** Tells the listeners of alerts opened or resolved after their commit (a check's, or an experiment's SRM alert). */
  publish(events: readonly AlertEvent[]): void {
    for (const e of events) {
      for (const listener of [...this.listeners]) {
        try {
          listener(e.alert, e.event);
        } catch (err) {
          process.emitWarning(`alert listener failed: ${(err as Error).message}`);
        }
      }
    }
  }

  private logOf(deployment: Deployment, scope: Scope, reference: PreparedReference): PredictionLogCache {
    const key = scopeKey(deployment.id, scope);
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = new PredictionLogCache(deployment.id, scope.replayId, reference.featureNames)));
    return log;
  }

  private async currentWindows(
    deployment: Deployment,
    scope: Scope,
    reference: PreparedReference,
    at: number,
  ): Promise<{ from: string | null; to: string | null; current: CurrentWindows }> {
    const log = this.logOf(deployment, scope, reference);
    await log.refresh(this.deps.workspace);
    const today = isoDay(at);
    const everything = log.visible(at).filter((r) => r.gameDate <= today);
    const rows = everything.filter((r) => !reference.gameIds.has(r.gameId));
    const policy = deployment.policy;
    const to = rows.length ? rows[rows.length - 1].gameDate : null;
    const season = to ? Number(to.slice(0, 4)) : null;
    const opening = season === null ? null : await this.opening(season);
    // A window never reaches into the previous season: the off-season breaks every season-to-date feature.
    const from = to ? maxDay(shiftDay(to, policy.windows.driftDays - 1), opening ?? to) : null;
    const inDrift = to && from ? rows.filter((r) => r.gameDate >= from) : [];
    const day = inDrift.filter((r) => r.gameDate === to);
    const estimateFrom = to ? shiftDay(to, policy.windows.performanceDays - 1) : null;
    const estimate = estimateFrom ? inDrift.filter((r) => r.gameDate >= estimateFrom) : [];
    const settled = to && from ? await this.settledWindow(deployment, scope, inDrift, from, to) : null;
    const performance = settled && settled.y.length >= MIN_PERFORMANCE_GAMES ? settled : null;
    const performanceNote = settled
      ? `${settled.y.length} settled games in ${settled.from}..${settled.to}; performance is judged from ${MIN_PERFORMANCE_GAMES}`
      : 'no outcome known yet';
    const unscored = to ? await this.unscoredOn(deployment, scope, to, everything) : null;
    const freshness = scope.clock.kind === 'live' && to ? await this.freshness(deployment, reference, at) : null;
    let phase = null;
    let driftNote: string | null = null;
    if (!to || !from || !opening)
      driftNote = everything.length
        ? `all ${everything.length} logged predictions are of games in the reference (${reference.description}): the window holds games outside it`
        : 'no predictions yet';
    else if (inDrift.length < MIN_DRIFT_GAMES)
      driftNote = `${inDrift.length} games in the window ${from}..${to}; drift is judged from ${MIN_DRIFT_GAMES} games (below that the statistics' own noise nears their thresholds)`;
    else {
      phase = phaseReference(reference, daysBetween(opening, from), daysBetween(opening, to));
      if (phase.games < MIN_DRIFT_GAMES) {
        driftNote = `the reference has only ${phase.games} games on days ${phase.from}..${phase.to} of its season`;
        phase = null;
      }
    }
    const names = reference.featureNames;
    return {
      from,
      to,
      current: {
        drift: { ...featureWindow(names, inDrift, from, to), predictions: Float64Array.from(inDrift, (r) => r.p) },
        phase,
        driftNote,
        day: featureWindow(names, day, to, to),
        performance,
        performanceNote: performance ? null : performanceNote,
        estimate: Float64Array.from(estimate, (r) => r.p),
        unscored,
        freshness,
      },
    };
  }

  private opening(season: number): Promise<string | null> {
    let o = this.openings.get(season);
    if (!o) {
      this.openings.set(season, (o = openingDay(this.deps, season)));
      // A season not imported yet is asked again next time.
      void o.then((d) => d ?? this.openings.delete(season)).catch(() => this.openings.delete(season));
    }
    return o;
  }

  /** Settled games of the performance window: outcomes and closing prices as the deployment service joins them at the clock's time. */
  private async settledWindow(
    deployment: Deployment,
    scope: Scope,
    rows: LoggedRow[],
    from: string,
    to: string,
  ): Promise<CurrentWindows['performance']> {
    const logged = await this.deployments.predictions(deployment.id, scope, { from, to, limit: 100_000 });
    const known = new Map<string, { seq: number; y: number; ch: number; ca: number }>();
    for (const l of logged) {
      if (l.outcome === null) continue;
      const prev = known.get(l.gameId);
      if (!prev || prev.seq < l.seq)
        known.set(l.gameId, { seq: l.seq, y: l.outcome, ch: l.closeHome ?? Number.NaN, ca: l.closeAway ?? Number.NaN });
    }
    const settled = rows.filter((r) => known.has(r.gameId));
    if (!settled.length) return null;
    const perfTo = settled[settled.length - 1].gameDate;
    const perfFrom = shiftDay(perfTo, deployment.policy.windows.performanceDays - 1);
    const inWindow = settled.filter((r) => r.gameDate >= perfFrom);
    const outcome = (r: LoggedRow) => known.get(r.gameId) as { y: number; ch: number; ca: number };
    const y = Float64Array.from(inWindow, (r) => outcome(r).y);
    const p = Float64Array.from(inWindow, (r) => r.p);
    const bets = edgeBets(
      p,
      y,
      Float64Array.from(inWindow, (r) => outcome(r).ch),
      Float64Array.from(inWindow, (r) => outcome(r).ca),
    );
    return { y, p, stake: bets.stake, profit: bets.profit, from: perfFrom, to: perfTo };
  }

  /** Games of the latest day the log does not hold, with the reasons the predict path noted (else: not logged). */
  private async unscoredOn(deployment: Deployment, scope: Scope, date: string, rows: LoggedRow[]): Promise<CurrentWindows['unscored']> {
    const games = await this.deps.workspace.all<{ game_id: string }>(
      `SELECT game_id FROM games WHERE date = ?::DATE AND coalesce(status, 'final') <> 'postponed'`,
      [date],
    );
    const logged = new Set(rows.filter((r) => r.gameDate === date).map((r) => r.gameId));
    const notes = this.unscoredNotes.get(scopeKey(deployment.id, scope))?.get(date);
    const reasons: Record<string, number> = {};
    for (const g of games) {
      if (logged.has(g.game_id)) continue;
      const why = notes?.get(g.game_id) ?? 'not in the prediction log';
      reasons[why] = (reasons[why] ?? 0) + 1;
    }
    return { scored: logged.size, unscored: reasons };
  }

  /** When each feature was last materialised (any materialisation of the model's set), for the freshness SLA of live checks. */
  private async freshness(deployment: Deployment, reference: PreparedReference, at: number): Promise<CurrentWindows['freshness']> {
    const model = await this.deps.models.get(deployment.sourceModel);
    const mats = (await this.deps.features.materializations()).filter((m) => m.setName === model.featureSet);
    const latest = mats.length ? Math.max(...mats.map((m) => Date.parse(m.createdAt))) : null;
    return { now: at, lastUpdated: Object.fromEntries(reference.featureNames.map((n) => [n, latest])) };
  }

  async checks(deploymentId: string, scope: Scope, limit: number): Promise<MonitorCheck[]> {
    const rows = await this.deps.workspace.all<CheckRow>(
      `SELECT id, deployment_id, epoch_ms(checked_at) AS checked_at, strftime(window_from, '%Y-%m-%d') AS window_from,
         strftime(window_to, '%Y-%m-%d') AS window_to, drift_score, results::VARCHAR AS results
       FROM monitor_checks WHERE deployment_id = ? AND replay_id IS NOT DISTINCT FROM ?
       ORDER BY checked_at DESC, id DESC LIMIT ?`,
      [deploymentId, scope.replayId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      deploymentId: r.deployment_id,
      checkedAt: new Date(r.checked_at).toISOString(),
      window: { from: r.window_from, to: r.window_to },
      driftScore: r.drift_score,
      results: JSON.parse(r.results) as MonitorResult[],
    }));
  }

  async alerts(filter: { deploymentId?: string; status?: 'firing' | 'resolved'; limit: number }, scope: Scope): Promise<Alert[]> {
    const rows = await this.deps.workspace.all<Parameters<typeof toAlert>[0]>(
      `${ALERT_SELECT} WHERE replay_id IS NOT DISTINCT FROM ? AND (?::VARCHAR IS NULL OR deployment_id = ?) AND (?::VARCHAR IS NULL OR status = ?)
       ORDER BY first_seen DESC, monitor, subject NULLS FIRST LIMIT ?`,
      [
        scope.replayId,
        filter.deploymentId ?? null,
        filter.deploymentId ?? null,
        filter.status ?? null,
        filter.status ?? null,
        filter.limit,
      ],
    );
    return rows.map(toAlert);
  }

  /** Records who acknowledged an alert and when (the clock's time); acknowledging it again keeps the first acknowledgement. */
  async acknowledge(alertId: string, actor: string, scope: Scope): Promise<Alert> {
    const at = scope.clock.now().getTime();
    await this.deps.workspace.run(
      `UPDATE alerts SET acknowledged_by = ?, acknowledged_at = make_timestamptz(?::BIGINT * 1000)
       WHERE id = ? AND replay_id IS NOT DISTINCT FROM ? AND acknowledged_by IS NULL`,
      [actor, at, alertId, scope.replayId],
    );
    const row = await this.deps.workspace.one<Parameters<typeof toAlert>[0]>(
      `${ALERT_SELECT} WHERE id = ? AND replay_id IS NOT DISTINCT FROM ?`,
      [alertId, scope.replayId],
    );
    if (!row)
      throw notFoundError(
        'ALERT_NOT_FOUND',
        `no alert ${alertId}${scope.replayId ? ` in replay ${scope.replayId}` : ''}: list them with \`bullpen deploy alerts\``,
        { id: alertId, replayId: scope.replayId },
      );
    return toAlert(row);
  }
}

const maxDay = (a: string, b: string) => (a > b ? a : b);

/** Feature columns (NaN where missing) and game-of-season numbers of a window's rows. */
function featureWindow(names: readonly string[], rows: LoggedRow[], from: string | null, to: string | null): FeatureWindow {
  const columns: Record<string, Float64Array> = {};
  names.forEach((name, j) => (columns[name] = Float64Array.from(rows, (r) => r.features[j])));
  return { from: from ?? '', to: to ?? '', games: rows.length, columns, gameOfSeason: Float64Array.from(rows, (r) => r.gameOfSeason) };
}
