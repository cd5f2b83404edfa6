import { opsPolicySchema } from '../../../shared/operations/opsPolicy';
import type { Workspace } from '../../workspace/workspace';
import type { AlertListener } from '../operationsTypes';
import { desktopNotificationListener, type DesktopNotice } from './desktopNotifications';
import { webhookNotifier, type DeliveryOptions, type WebhookTarget } from './webhook';

/** Where one deployment's alerts go. */
export interface AlertRoute {
  deployment: string | null;
  webhook: WebhookTarget | null;
  desktop: boolean;
}

const NOWHERE: AlertRoute = { deployment: null, webhook: null, desktop: false };

/**
 * Looks up a deployment's alert routes from its stored policy. A replay's deployment (replay_id set) and
 * an unknown one route nowhere: a replayed season's alerts are history, they must not page anyone.
 */
export function alertRoutes(db: Pick<Workspace, 'one'>): (deploymentId: string) => Promise<AlertRoute> {
  return async (deploymentId) => {
    const row = await db.one<{ name: string; replay_id: string | null; policy: string }>(
      `SELECT name, replay_id, policy::VARCHAR AS policy FROM deployments WHERE id = ?`,
      [deploymentId],
    );
    if (!row || row.replay_id !== null) return NOWHERE;
    const policy = opsPolicySchema.safeParse(JSON.parse(row.policy));
    if (!policy.success) return { ...NOWHERE, deployment: row.name };
    return { deployment: row.name, webhook: policy.data.alerts.webhook, desktop: policy.data.alerts.desktop };
  };
}

export interface AlertNotifiers {
  /** Resolves once every delivery and notice started so far has finished (call before closing the engine). */
  idle(): Promise<void>;
  detach(): void;
}

/**
 * Attaches the webhook and (when `desktop` is given: the desktop app) the desktop-notice listeners to the
 * monitoring service. Both return at once and never throw into a check.
 */
export function attachAlertNotifiers(
  monitoring: { onAlert(listener: AlertListener): () => void },
  db: Pick<Workspace, 'one'>,
  options: {
    desktop?: (notice: DesktopNotice) => void;
    log?: (level: 'info' | 'warn', message: string) => void;
    delivery?: DeliveryOptions;
  } = {},
): AlertNotifiers {
  const routes = alertRoutes(db);
  const webhook = webhookNotifier(routes, { ...options.delivery, ...(options.log ? { log: options.log } : {}) });
  const desktop = options.desktop ? desktopNotificationListener(routes, options.desktop, options.log) : null;
  const detachers = [monitoring.onAlert(webhook.listener)];
  if (desktop) detachers.push(monitoring.onAlert(desktop.listener));
  return {
    idle: async () => {
      await Promise.all([webhook.idle(), desktop?.idle()]);
    },
    detach: () => detachers.forEach((d) => d()),
  };
}
