import type { EngineDeps } from '../../engineDeps';
import { startJob } from '../../jobs/jobSpec';
import type { StageChange } from '../../registry/registryService';
import { exportMlflowJob } from './exportModel';
import { syncAliases } from './syncAliases';

const isPromotion = (change: StageChange) => change.to === 'staging' || change.to === 'production';

/**
 * Keeps MLflow in step with the local registry after every committed stage move: the aliases and stage tags
 * of a version already exported follow it (a version never exported needs no server), and with the
 * mlflow.exportOnPromotion setting a version promoted to staging or production is exported as a job. MLflow
 * being down never undoes or blocks the local move: the failure is reported as a warning and an export can
 * be run again later.
 */
export function mirrorRegistryInMlflow(deps: EngineDeps): () => void {
  return deps.registry.onStageChange(async (change) => {
    const ref = `${change.modelName}:${change.version}`;
    try {
      await syncAliases(deps, change);
    } catch (err) {
      process.emitWarning(`MLflow aliases of ${ref} were not moved to ${change.to}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!isPromotion(change) || !(await deps.settings.get()).mlflow.exportOnPromotion) return;
    try {
      await startJob(deps.jobs, deps, exportMlflowJob, { model: ref });
    } catch (err) {
      process.emitWarning(`${ref} was promoted but not exported to MLflow: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}
