import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { marketComparison, modelMetrics } from '../../../../src-workers/compute/metrics';
import { BullpenError, inputError } from '../../../shared/errors';
import { DEFAULT_OPS_POLICY, type OpsPolicy } from '../../../shared/operations/opsPolicy';
import type { Deployment, LoggedPrediction, ReplayResult } from '../../../shared/results/operations';
import type { EngineDeps } from '../../engineDeps';
import type { JobContext } from '../../jobs/jobContext';
import type { JobSpec } from '../../jobs/jobSpec';
import { liveClock, ReplayClock } from '../clock';
import type { DeploymentService, Scope } from '../operationsTypes';
import type { CheckOutcome } from '../monitoring/duckDbMonitoring';
import { shiftDay } from '../monitoring/duckDbMonitoring';
import { resolveBinding } from '../deployments/servedModel';
import { edgeBets, type PreparedReference } from '../monitoring/references';
import { afterMonitoringCheck } from '../retraining/afterCheck';
import type { RetrainDeps } from '../retraining/pipeline';
import { ReplayAbTest, type ReplayExperiments } from '../experiments/replayExperiment';
import { experimentOptionsSchema, type ExperimentOptions } from '../../../shared/results/experiments';

/**
 * `bullpen deploy replay`: a past season walked day by day through the same deployment and monitoring code
 * that runs live, on a replay clock. For each date with games:
 *   1. the clock is set to 10:00 UTC of the date (before any first pitch in North America: 06:00 Eastern)
 *      and the deployment scores the date's games: point-in-time feature rows, the price quoted before
 *      first pitch, one log row per game;
 *   2. the clock moves to 09:00 UTC of the next day (after the latest West-coast game has ended, before the
 *      next day's predictions): the day's outcomes and closing prices are now known;
 *   3. the monitoring check runs (the policy's schedule, once per replayed day), and the alerts it opens are
 *      recorded with the replayed date;
 *   4. when the policy enables retraining, the probation of a promotion is judged and the triggers are
 *      evaluated on that clock; a retraining runs inline and sees only games dated before the clock's day
 *      (the pipeline reads the scope's clock), and a winner is served from the next replayed day on.
 * Every row it writes (deployment, log, checks, alerts) carries the replay's id; nothing live changes and
 * nothing is registered. Deterministic: two replays give the same result but for ids and durations.
 */

export const PREDICT_HOUR_UTC = 10;
export const CHECK_HOUR_UTC = 9;

export interface ReplayInput {
  model: string;
  season: number;
  from?: string;
  to?: string;
  /** The operations policy, parsed by the caller (the same reader as `deploy start`); default: the default policy. */
  policy?: OpsPolicy;
  policyText?: string | null;
  /** An A/B experiment of this model against `model` (issue 14), with its settings (defaults when absent). */
  challenger?: string;
}
/** The replay's input with the experiment flags `deploy replay` passes (used only with `challenger`). */
export type ReplayJobInput = ReplayInput & Partial<ExperimentOptions>;

/** What a replay needs of monitoring beyond the MonitoringService: the reference prepared up front, the alerts a check opened, unscored games. */
export interface ReplayMonitoring {
  reference(deployment: Deployment, scope: Scope, signal?: AbortSignal): Promise<PreparedReference>;
  checkWithEvents(deployment: Deployment, scope: Scope): Promise<CheckOutcome>;
  noteUnscored(deploymentId: string, scope: Scope, date: string, unscored: readonly { gameId: string; reason: string }[]): void;
  forget(deploymentId: string, scope: Scope): void;
}

export type ReplayDeps = Pick<EngineDeps, 'workspace'> & {
  deployments: Pick<DeploymentService, 'start' | 'get' | 'predict' | 'predictions' | 'stop'>;
  monitoring: ReplayMonitoring;
  /** The whole engine, which retraining needs (validation, registry, pool); only a policy enabling retraining uses it. */
  retrain?: RetrainDeps;
  /** A/B experiments (`--challenger`); a replay without a challenger needs none. */
  experiments?: ReplayExperiments;
};

/** Dates with games in the season (and the from/to range), in order. */
export async function replayDays(
  deps: Pick<EngineDeps, 'workspace'>,
  input: Pick<ReplayInput, 'season' | 'from' | 'to'>,
): Promise<string[]> {
  const rows = await deps.workspace.all<{ d: string }>(
    `SELECT DISTINCT strftime(date, '%Y-%m-%d') AS d FROM games
     WHERE season = ? AND (?::DATE IS NULL OR date >= ?::DATE) AND (?::DATE IS NULL OR date <= ?::DATE) ORDER BY d`,
    [input.season, input.from ?? null, input.from ?? null, input.to ?? null, input.to ?? null],
  );
  return rows.map((r) => r.d);
}

/** The refusals that need no replay: a model that is neither trained nor registered, a range outside the season, a season without games. */
export async function precheckReplay(
  deps: Pick<EngineDeps, 'workspace' | 'models' | 'registry'> & { experiments?: Pick<ReplayExperiments, 'precheck'> },
  input: ReplayJobInput,
): Promise<void> {
  await resolveBinding(deps, input.model, true);
  if (input.challenger !== undefined) {
    if (!deps.experiments)
      throw new BullpenError('internal', 'REPLAY_EXPERIMENTS_UNAVAILABLE', 'this replay was started without the experiments engine', {});
    await deps.experiments.precheck(input.model, input.challenger, experimentOptions(input));
  }
  for (const [flag, d] of [
    ['--from', input.from],
    ['--to', input.to],
  ] as const)
    if (d !== undefined && Number(d.slice(0, 4)) !== input.season)
      throw inputError('REPLAY_RANGE_OUTSIDE_SEASON', `${flag} ${d} is not in season ${input.season}: give dates of the replayed season`, {
        [flag.slice(2)]: d,
        season: input.season,
      });
  if (input.from !== undefined && input.to !== undefined && input.from > input.to)
    throw inputError('REPLAY_RANGE_BACKWARDS', `--from ${input.from} is after --to ${input.to}`, { from: input.from, to: input.to });
  const days = await replayDays(deps, input);
  if (days.length === 0)
    throw inputError(
      'REPLAY_NO_GAMES',
      `season ${input.season} has no games${input.from || input.to ? ` between ${input.from ?? 'its start'} and ${input.to ?? 'its end'}` : ''} in this workspace: import it first (bullpen data status lists the seasons)`,
      { season: input.season, from: input.from ?? null, to: input.to ?? null },
    );
}

/** The experiment settings of a replay's input, the contract's defaults where a flag was not given. */
export function experimentOptions(input: Partial<ExperimentOptions>): ExperimentOptions {
  return experimentOptionsSchema.parse({
    split: input.split,
    metric: input.metric,
    guardrails: input.guardrails,
    minSamples: input.minSamples,
    maxDays: input.maxDays,
    alpha: input.alpha,
    minEffect: input.minEffect,
    analysis: input.analysis,
    stopRule: input.stopRule,
    bankroll: input.bankroll,
    maxLoss: input.maxLoss,
    canary: input.canary,
  });
}

const at = (date: string, hour: number) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** The season's realized performance over the settled predictions (the latest row per game). */
export function replayPerformance(logged: readonly LoggedPrediction[]): ReplayResult['performance'] & { settled: number } {
  const latest = new Map<string, LoggedPrediction>();
  for (const l of logged) {
    const prev = latest.get(l.gameId);
    if (!prev || prev.seq < l.seq) latest.set(l.gameId, l);
  }
  const settled = [...latest.values()].filter((l) => l.outcome !== null).sort((a, b) => a.seq - b.seq);
  const y = Float64Array.from(settled, (l) => l.outcome as number);
  const p = Float64Array.from(settled, (l) => l.p);
  const ch = Float64Array.from(settled, (l) => l.closeHome ?? Number.NaN);
  const ca = Float64Array.from(settled, (l) => l.closeAway ?? Number.NaN);
  const bets = edgeBets(p, y, ch, ca);
  let staked = 0;
  let profit = 0;
  let n = 0;
  for (let i = 0; i < settled.length; i++)
    if (bets.stake[i] > 0) {
      staked += bets.stake[i];
      profit += bets.profit[i];
      n++;
    }
  const model = settled.length ? modelMetrics(y, p) : null;
  const market = settled.length ? marketComparison(y, p, ch, ca) : null;
  return {
    settled: settled.length,
    logLoss: model ? finiteOrNull(model.logLoss) : null,
    accuracy: model ? finiteOrNull(model.accuracy) : null,
    brier: model ? finiteOrNull(model.brier) : null,
    roi: staked > 0 ? profit / staked : null,
    marketLogLoss: market && market.games > 0 ? finiteOrNull(market.market.logLoss) : null,
    bets: n,
  };
}

async function recordReplay(deps: ReplayDeps, id: string, input: ReplayInput, policy: OpsPolicy, jobId: string): Promise<void> {
  await deps.workspace.run(
    `INSERT INTO replays (id, model_name, season, status, policy, job_id, created_at) VALUES (?, ?, ?, 'running', ?::JSON, ?, ?::TIMESTAMPTZ)`,
    [id, input.model, input.season, JSON.stringify(policy), jobId, liveClock.now().toISOString()],
  );
}

async function finishReplay(deps: ReplayDeps, id: string, status: 'completed' | 'failed' | 'cancelled', summary: unknown): Promise<void> {
  await deps.workspace.run(`UPDATE replays SET status = ?, summary = ?::JSON, finished_at = ?::TIMESTAMPTZ WHERE id = ?`, [
    status,
    summary === null ? null : JSON.stringify(summary),
    liveClock.now().toISOString(),
    id,
  ]);
}

/** Walks the season; the result is `deploy replay --json` (shared/results/operations replayResultSchema). */
export async function runReplay(deps: ReplayDeps, input: ReplayJobInput, ctx: JobContext): Promise<ReplayResult> {
  const started = performance.now();
  const policy = input.policy ?? DEFAULT_OPS_POLICY;
  const days = await replayDays(deps, input);
  if (days.length === 0)
    throw inputError('REPLAY_NO_GAMES', `season ${input.season} has no games in the range: nothing to replay`, { season: input.season });
  if (policy.retraining.enabled && !deps.retrain)
    throw new BullpenError('internal', 'REPLAY_RETRAINING_UNAVAILABLE', 'this replay was started without the engine retraining needs', {});
  if (input.challenger !== undefined && !deps.experiments)
    throw new BullpenError('internal', 'REPLAY_EXPERIMENTS_UNAVAILABLE', 'this replay was started without the experiments engine', {});
  const replayId = randomUUID();
  const clock = new ReplayClock(at(days[0], 0));
  const scope: Scope = { replayId, clock };
  await recordReplay(deps, replayId, input, policy, ctx.id);
  let deployment: Deployment | null = null;
  try {
    deployment = await deps.deployments.start(
      { model: input.model, name: `replay-${input.season}`, policy, policyText: input.policyText ?? null },
      scope,
    );
    const experiment =
      input.challenger !== undefined && deps.experiments
        ? await ReplayAbTest.start(deps.experiments, deployment, { challenger: input.challenger, options: experimentOptions(input) }, scope)
        : null;
    ctx.progress(0, `preparing the reference of ${deployment.modelName}`);
    const reference = await deps.monitoring.reference(deployment, scope, ctx.signal);
    ctx.log(`reference: ${reference.description} (prepared in ${Math.round(reference.preparedMs)} ms)`);
    let predictions = 0;
    const alerts: ReplayResult['alerts'] = [];
    const driftScore: ReplayResult['driftScore'] = [];
    const retrains: ReplayResult['retrains'] = [];
    for (let i = 0; i < days.length; i++) {
      ctx.throwIfCancelled();
      const day = days[i];
      clock.set(at(day, PREDICT_HOUR_UTC));
      const scored = await deps.deployments.predict(deployment.name, { date: day, upcoming: false }, 'replay', scope);
      predictions += scored.predictions.length;
      if (scored.unscored.length) deps.monitoring.noteUnscored(deployment.id, scope, day, scored.unscored);
      clock.set(at(shiftDay(day, -1), CHECK_HOUR_UTC));
      const { check, events } = await deps.monitoring.checkWithEvents(deployment, scope);
      driftScore.push({ date: day, value: check.driftScore });
      for (const e of events)
        if (e.event === 'opened')
          alerts.push({
            date: day,
            monitor: e.alert.monitor,
            feature: e.alert.subject,
            value: e.alert.value,
            threshold: e.alert.threshold,
            severity: e.alert.severity,
          });
      await experiment?.afterDay(day, scope);
      if (deps.retrain && policy.retraining.enabled) {
        const after = await afterMonitoringCheck(deps.retrain, deployment, scope, ctx);
        if (after.probation?.rolledBack) {
          const entry = retrains.find((e) => e.retrainId === after.probation?.retrain.id);
          if (entry) entry.rollback = { date: day, reason: after.probation.retrain.rollbackReason ?? after.probation.verdict.explanation };
        }
        const r = after.retrain;
        if (r)
          retrains.push({
            date: day,
            retrainId: r.id,
            trigger: r.trigger,
            reason: r.reason,
            decision: r.decision ?? 'failed',
            decisionReason: r.decisionReason ?? r.error,
            challenger: r.challenger && {
              model: r.challenger.model,
              bestIteration: r.challenger.bestIteration,
              trainWindow: r.trainWindow,
              logLoss: r.challenger.logLoss,
              accuracy: r.challenger.accuracy,
            },
            comparisonWindow: r.comparisonWindow,
            comparison: r.comparison,
            served: r.decision === 'promoted' ? (r.refit?.model ?? null) : null,
            rollback: null,
          });
        // A promotion or a rollback changed the model served from the next day on.
        if (after.probation?.rolledBack || r?.decision === 'promoted') deployment = await deps.deployments.get(deployment.name, scope);
      }
      const firing = events.filter((e) => e.event === 'opened').length;
      ctx.progress(
        (i + 1) / days.length,
        `${day}: ${scored.predictions.length} games scored, drift score ${check.driftScore === null ? 'n/a' : check.driftScore.toFixed(3)}${firing ? `, ${firing} alerts opened` : ''}`,
      );
    }
    const logged = await deps.deployments.predictions(deployment.id, scope, { limit: 1_000_000 });
    const { settled, ...performanceSummary } = replayPerformance(logged);
    const experiments = experiment ? [await experiment.finish(scope)] : [];
    await deps.deployments.stop(deployment.name, scope);
    const result: ReplayResult = {
      replayId,
      season: input.season,
      modelName: deployment.modelName,
      days: days.length,
      predictions,
      settled,
      alerts,
      driftScore,
      performance: performanceSummary,
      retrains,
      experiments,
      durationMs: performance.now() - started,
    };
    await finishReplay(deps, replayId, 'completed', {
      ...result,
      reference: reference.description,
      from: days[0],
      to: days[days.length - 1],
    });
    return result;
  } catch (err) {
    const cancelled = err instanceof BullpenError && err.kind === 'cancelled';
    await finishReplay(deps, replayId, cancelled ? 'cancelled' : 'failed', { error: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    if (deployment) deps.monitoring.forget(deployment.id, scope);
  }
}

/** `deploy.replay` as a job: refusals (unknown model, a season without games) before it starts. */
export const replayJob: JobSpec<EngineDeps, ReplayJobInput, 'deploy.replay'> = {
  kind: 'deploy.replay',
  precheck: (deps, input) => precheckReplay(deps, input),
  run: (deps, input, ctx) =>
    runReplay(
      {
        workspace: deps.workspace,
        deployments: deps.deployments,
        monitoring: deps.monitoring,
        retrain: deps,
        experiments: deps.experiments,
      },
      input,
      ctx,
    ),
};
