import type { Deployment } from '../../../shared/results/operations';
import type { DeploymentService, MonitoringService, Scope } from '../operationsTypes';
import type { RunReport, ScheduledJob, Scheduler } from './scheduler';

/** The scheduler key of a deployment's monitoring check (its last run and lease are kept under it). */
export const checkJobKey = (deploymentId: string): string => `checks:${deploymentId}`;

/** What a scheduled check uses; `afterCheck` hears of each completed check (retraining's triggers and probation) and is not awaited. */
export interface CheckServices {
  deployments: Pick<DeploymentService, 'get'>;
  monitoring: Pick<MonitoringService, 'check'>;
  afterCheck?: (deployment: Deployment) => void;
}

/**
 * A deployment's live monitoring check as a scheduled job, on its policy's cron and time zone. The task
 * re-reads the deployment first: one stopped (or replaced under the same name) since it was scheduled is
 * not checked. What follows the check (a retraining) runs after the task, and its failure never fails the check.
 */
export function deploymentCheckJob(deployment: Deployment, services: CheckServices, scope: Scope): ScheduledJob {
  return {
    key: checkJobKey(deployment.id),
    cron: deployment.policy.schedule.checks,
    timezone: deployment.policy.schedule.timezone,
    since: new Date(deployment.createdAt),
    task: async () => {
      const current = await services.deployments.get(deployment.name, scope);
      if (current.id !== deployment.id || current.status !== 'active') return;
      await services.monitoring.check(current, scope);
      services.afterCheck?.(current);
    },
  };
}

/**
 * Registers the check of every active live deployment (replays schedule their own checks, one per
 * replayed day). Call before `scheduler.start()`; afterwards, register on `deploy start` and unregister
 * (checkJobKey) on `deploy stop`.
 */
export async function scheduleDeploymentChecks(
  scheduler: Scheduler,
  services: CheckServices & { deployments: Pick<DeploymentService, 'list'> },
  scope: Scope,
): Promise<(RunReport | null)[]> {
  const active = (await services.deployments.list({ all: false })).filter((d) => d.status === 'active' && d.replayId === null);
  return Promise.all(active.map((d) => scheduler.register(deploymentCheckJob(d, services, scope))));
}
