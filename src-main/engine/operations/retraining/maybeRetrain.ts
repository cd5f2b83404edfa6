import { BullpenError } from '../../../shared/errors';
import type { RetrainRecord } from '../../../shared/results/retraining';
import type { Deployment } from '../../../shared/results/operations';
import type { JobContext } from '../../jobs/jobContext';
import { startJob } from '../../jobs/jobSpec';
import { liveClock } from '../clock';
import { clockDay } from '../deployments/duckDbDeployments';
import { shiftDay } from '../monitoring/duckDbMonitoring';
import type { Scope } from '../operationsTypes';
import { replayPerformance } from '../replay/runReplay';
import { openRecord, quietContext, retrainJob, runRetrain, servedModel, type RetrainDeps, type RetrainRequest } from './pipeline';
import { evaluateTriggers, type TriggerEvaluation, type TriggerState } from './triggers';

/** Checked days of drift scores read back for the drift trigger (far more than any sensible consecutiveDays). */
const DRIFT_DAYS = 60;

/**
 * What the triggers are evaluated on, from the workspace as the scope's clock sees it: the drift score of the
 * last check of each checked day, the policy's performance metric over the settled log of its last `days`
 * days, the settled games newer than both the champion's training data and the data the last retraining
 * looked at (so a thousand new games start one retraining, not one per check until the champion changes),
 * and the history's last start and last served schedule slot.
 */
export async function triggerState(deps: RetrainDeps, deployment: Deployment, scope: Scope): Promise<TriggerState> {
  const at = scope.clock.now();
  const day = clockDay(scope.clock);
  const policy = deployment.policy.retraining;
  const drift = await deps.workspace.all<{ d: string; v: number | null }>(
    `SELECT strftime(checked_at, '%Y-%m-%d') AS d, arg_max(drift_score, checked_at) AS v FROM monitor_checks
     WHERE deployment_id = ? AND replay_id IS NOT DISTINCT FROM ?::VARCHAR AND checked_at <= ?::TIMESTAMPTZ
     GROUP BY d ORDER BY d DESC LIMIT ?`,
    [deployment.id, scope.replayId, at.toISOString(), DRIFT_DAYS],
  );
  const rule = policy.triggers.performance;
  const logged = await deps.deployments.predictions(deployment.id, scope, {
    from: shiftDay(day, rule.days),
    to: shiftDay(day, 1),
    limit: 1_000_000,
  });
  const perf = replayPerformance(logged);
  const value = rule.metric === 'roi' ? perf.roi : rule.metric === 'logLoss' ? perf.logLoss : perf.accuracy;
  const [last] = await deps.retraining.history(deployment.id, scope.replayId, 1);
  const champion = await servedModel(deps, deployment);
  // The data the last retraining looked at ends the day before its data day (whatever it decided).
  const lastLooked = last && last.decision !== 'failed' && last.state === 'completed' ? shiftDay(last.dataDay, 1) : null;
  const newerThan = lastLooked !== null && lastLooked > champion.lastTrainingDate ? lastLooked : champion.lastTrainingDate;
  const fresh = await deps.workspace.value<number | bigint>(
    `SELECT count(*) FROM games WHERE home_score IS NOT NULL AND date > ?::DATE AND date < ?::DATE`,
    [newerThan, day],
  );
  return {
    at,
    driftScores: drift.reverse().map((r) => ({ date: r.d, value: r.v })),
    performance: { value, games: perf.settled },
    newSettledGames: Number(fresh ?? 0),
    lastRetrainAt: last ? new Date(last.at) : null,
    lastScheduledFor: await deps.retraining.lastScheduledFor(deployment.id, scope.replayId),
    since: new Date(deployment.createdAt),
  };
}

/**
 * Called after every monitoring check of a deployment (live or replayed): evaluates the policy's triggers and,
 * when one fires, runs the retraining pipeline — inline in a replay (which waits for it, on the replay's clock;
 * pass the replay's job context for cancellation), as a job live (the answer is its history row as started).
 * A retraining left interrupted (the process died) runs again, with its trigger, whatever the cooldown.
 * Nothing happens while a retraining of the deployment runs, or when retraining is disabled. A pipeline that
 * fails answers its failed row rather than throwing (a replay or the scheduler goes on); cancellation throws.
 */
export async function maybeRetrain(
  deps: RetrainDeps,
  deployment: Deployment,
  scope: Scope,
  ctx?: JobContext,
): Promise<(RetrainRecord & { evaluation: TriggerEvaluation }) | null> {
  const policy = deployment.policy.retraining;
  if (!policy.enabled || deployment.status !== 'active') return null;
  const [last] = await deps.retraining.history(deployment.id, scope.replayId, 1);
  if (last?.state === 'running') return null;
  const evaluation = evaluateTriggers(await triggerState(deps, deployment, scope), policy);
  let req: RetrainRequest | null = null;
  if (last?.state === 'interrupted')
    req = { deployment: deployment.name, trigger: last.trigger, reason: last.reason, scheduledFor: last.scheduledFor, resumes: last.id };
  else if (evaluation.fire)
    req = {
      deployment: deployment.name,
      trigger: evaluation.fire.trigger,
      reason: evaluation.fire.reason,
      scheduledFor: evaluation.fire.scheduledFor?.toISOString() ?? null,
    };
  if (!req) return null;
  // The row is written first, so the caller (and the history) has it at once; the pipeline continues it.
  const record = openRecord(deployment, await servedModel(deps, deployment), req, scope, ctx?.id ?? null);
  await deps.retraining.insert(record);
  if (scope.replayId !== null) {
    try {
      return { ...(await runRetrain(deps, { ...req, id: record.id }, scope, ctx ?? quietContext(`inline-${scope.replayId}`))), evaluation };
    } catch (err) {
      // A retraining that fails (too few games early in a season, say) is in the history; the replay goes on.
      if ((err instanceof BullpenError && err.kind === 'cancelled') || ctx?.signal.aborted) throw err;
      return { ...(await deps.retraining.get(record.id)), evaluation };
    }
  }
  try {
    const job = await startJob(deps.jobs, deps, retrainJob, { ...req, id: record.id });
    // Without its job id the row would read interrupted (and be resumed by the next check) until the job's first save.
    await deps.retraining.attachJob(record.id, job.id);
    return { ...record, jobId: job.id, evaluation };
  } catch (err) {
    // Refused before it started (the deployment was stopped meanwhile): the row says so rather than read interrupted.
    const message = err instanceof Error ? err.message : String(err);
    const failed: RetrainRecord = {
      ...record,
      state: 'failed',
      decision: 'failed',
      decisionReason: message,
      error: message,
      finishedAt: liveClock.now().toISOString(),
    };
    await deps.retraining.save(failed);
    return { ...failed, evaluation };
  }
}
