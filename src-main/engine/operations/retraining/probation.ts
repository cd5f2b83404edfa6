import { judgeProbation, type ProbationResult } from '../../../../src-workers/compute/retraining';
import type { RetrainRecord } from '../../../shared/results/retraining';
import type { Deployment } from '../../../shared/results/operations';
import { loadFeatureMatrix, type Target } from '../../modeling/featureMatrix';
import type { StoredModel } from '../../tracking/modelService';
import { clockDay } from '../deployments/duckDbDeployments';
import { boundModel } from '../deployments/servedModel';
import { shiftDay } from '../monitoring/duckDbMonitoring';
import type { Scope } from '../operationsTypes';
import { autoActor, score, servedModel, type RetrainDeps } from './pipeline';

export interface ProbationOutcome {
  /** The retraining whose promotion is on probation (after the rollback, when there was one). */
  retrain: RetrainRecord;
  verdict: ProbationResult;
  rolledBack: boolean;
  /** The deployment as it is after the check (serving the previous model again after a rollback). */
  deployment: Deployment;
}

/** The model a retraining replaced: the registry version it served, or (a replay's) plain trained model. */
async function previousModel(deps: RetrainDeps, r: RetrainRecord): Promise<StoredModel> {
  if (r.champion.version === null) return deps.models.get(r.champion.sourceModel);
  const v = await deps.registry.version(r.champion.modelName, r.champion.version);
  return boundModel(deps.models, { modelName: v.modelName, version: v.version, sourceModel: v.sourceModel, runId: v.runId });
}

/** Whether the deployment still serves what the retraining promoted (a person may have changed production since). */
function servesPromotion(dep: Deployment, r: RetrainRecord): boolean {
  if (dep.version !== null)
    return r.newVersion !== null && dep.version === r.newVersion.version && dep.modelName === r.newVersion.modelName;
  return r.refit !== null && dep.sourceModel === r.refit.model;
}

/**
 * The probation check after a monitoring check: while a retraining's promotion is on probation, the model the
 * deployment serves now and the one it replaced both score every settled game the deployment logged since the
 * promotion (the same point-in-time feature rows, the same scoring path as the pipeline's comparison), and
 * judgeProbation decides. A rollback restores the previous production version in the registry (live; by
 * `auto:<deployment>`, with the figures), makes the deployment serve it again, and records why in the history.
 * A replay changes no registry: only its deployment's served model and the record. `current` replaces the
 * served model as the one judged (a test plants a degraded model there). Answers null when nothing is on probation.
 */
export async function checkProbation(
  deps: RetrainDeps,
  deployment: Deployment,
  scope: Scope,
  options: { current?: StoredModel } = {},
): Promise<ProbationOutcome | null> {
  const policy = deployment.policy.retraining;
  if (deployment.status !== 'active') return null;
  const day = clockDay(scope.clock);
  const r = await deps.retraining.onProbation(deployment.id, scope.replayId, day);
  if (!r || !servesPromotion(deployment, r)) return null;
  const current = options.current ?? (await servedModel(deps, deployment));
  const previous = await previousModel(deps, r);

  // The settled games logged since the promotion started serving (its data day), each once.
  const logged = await deps.deployments.predictions(deployment.id, scope, { from: r.dataDay, to: shiftDay(day, 1), limit: 1_000_000 });
  const games = new Set(logged.filter((l) => l.outcome !== null && l.gameDate >= r.dataDay && l.gameDate < day).map((l) => l.gameId));
  let rows = new Int32Array(0);
  let m: Awaited<ReturnType<typeof loadFeatureMatrix>> | null = null;
  if (games.size) {
    const seasons = await deps.workspace.all<{ s: number }>(
      `SELECT DISTINCT CAST(season AS INTEGER) AS s FROM games WHERE date >= ?::DATE AND date < ?::DATE ORDER BY s`,
      [r.dataDay, day],
    );
    m = await loadFeatureMatrix(deps.workspace, {
      set: current.featureSet,
      target: current.target as Target,
      seasons: seasons.map((x) => x.s),
    });
    const mm = m;
    rows = Int32Array.from({ length: mm.rows }, (_v, i) => i).filter((i) => games.has(mm.gameIds[i]) && mm.dates[i] < day);
  }
  const y = m ? Float64Array.from(rows, (i) => (m as NonNullable<typeof m>).label[i]) : new Float64Array(0);
  const pCurrent = m && rows.length ? await score(deps, m, current, rows) : new Float64Array(0);
  const pPrevious = m && rows.length ? await score(deps, m, previous, rows) : new Float64Array(0);
  const verdict = judgeProbation({ y, current: pCurrent, previous: pPrevious }, policy.probation);
  if (!verdict.rollback) return { retrain: r, verdict, rolledBack: false, deployment };

  const actor = autoActor(deployment.name);
  let reason = `probation of retraining ${r.id.slice(0, 8)} (promoted ${r.dataDay}, probation until ${r.probationUntil ?? '?'}): ${verdict.explanation}`;
  let served: Deployment;
  const previousBinding = { version: r.champion.version, sourceModel: r.champion.sourceModel };
  if (scope.replayId === null && deployment.version !== null) {
    const gate = await deps.registry.rollbackCheck(deployment.modelName);
    if (gate.allowed && gate.to !== null && gate.to === r.champion.version) {
      const restored = await deps.registry.rollback(deployment.modelName, actor, reason);
      served = await deps.deployments.serve(deployment.name, { version: restored.version, sourceModel: restored.sourceModel }, scope);
    } else {
      // The previous version was never production (the deployment served it anyway), or production moved on:
      // the deployment goes back to what it served, and the registry is left for a person to decide.
      reason += ` The registry was not rolled back (it would restore ${gate.to === null ? 'nothing' : `version ${gate.to}`}, not version ${r.champion.version ?? '?'}: ${gate.reason}); the deployment serves version ${r.champion.version ?? '?'} again.`;
      served = await deps.deployments.serve(deployment.name, previousBinding, scope);
    }
  } else {
    served = await deps.deployments.serve(deployment.name, previousBinding, scope);
  }
  deps.monitoring.forget(deployment.id, scope);
  const recorded = await deps.retraining.recordRollback(r.id, scope.clock.now(), reason);
  return { retrain: recorded, verdict, rolledBack: true, deployment: served };
}
