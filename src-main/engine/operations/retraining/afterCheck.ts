import type { RetrainRecord } from '../../../shared/results/retraining';
import type { Deployment } from '../../../shared/results/operations';
import type { JobContext } from '../../jobs/jobContext';
import type { Scope } from '../operationsTypes';
import { maybeRetrain } from './maybeRetrain';
import type { RetrainDeps } from './pipeline';
import { checkProbation, type ProbationOutcome } from './probation';
import type { TriggerEvaluation } from './triggers';

export interface AfterCheck {
  probation: ProbationOutcome | null;
  retrain: (RetrainRecord & { evaluation: TriggerEvaluation }) | null;
}

/**
 * What follows every monitoring check of a deployment whose policy enables retraining (live, scheduled or by
 * hand, and each replayed day): first the probation of a recent promotion (it concerns the model served now;
 * a rollback changes what is served), then the triggers, on the deployment as it is after that.
 */
export async function afterMonitoringCheck(deps: RetrainDeps, deployment: Deployment, scope: Scope, ctx?: JobContext): Promise<AfterCheck> {
  if (!deployment.policy.retraining.enabled || deployment.status !== 'active') return { probation: null, retrain: null };
  const probation = await checkProbation(deps, deployment, scope);
  const current = probation?.rolledBack ? probation.deployment : deployment;
  const retrain = await maybeRetrain(deps, current, scope, ctx);
  return { probation, retrain };
}
