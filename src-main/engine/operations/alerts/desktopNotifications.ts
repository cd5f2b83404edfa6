import type { Alert } from '../../../shared/results/operations';
import type { AlertListener } from '../operationsTypes';

/**
 * What the desktop shows for an alert. The engine runs in a utility process, which has no notification
 * API: it formats the notice and hands it to the shell (an engine event), which only displays it.
 */
export interface DesktopNotice {
  alertId: string;
  deploymentId: string;
  title: string;
  body: string;
  /** `critical` for an opened alert of severity alert: the OS may keep it on screen. */
  urgency: 'normal' | 'critical';
}

/** Where an alert's deployment wants notices: its name, and its policy's `alerts.desktop`. */
export interface DesktopRoute {
  deployment: string | null;
  desktop: boolean;
}

const BODY_LIMIT = 240;

/** The notice for an alert event, in a person's words (the explanation is the monitor's own sentence). */
export function desktopNotice(alert: Alert, event: 'opened' | 'resolved', deployment: string | null): DesktopNotice {
  const where = deployment ?? alert.deploymentId;
  const what = alert.subject ? `${alert.monitor} (${alert.subject})` : alert.monitor;
  const title =
    event === 'opened' ? `Bullpen ${alert.severity === 'alert' ? 'alert' : 'warning'}: ${where}` : `Bullpen: resolved on ${where}`;
  const text = event === 'opened' ? `${what}: ${alert.explanation}` : `${what} is back within its threshold`;
  return {
    alertId: alert.id,
    deploymentId: alert.deploymentId,
    title,
    body: text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT - 1)}…` : text,
    urgency: event === 'opened' && alert.severity === 'alert' ? 'critical' : 'normal',
  };
}

/**
 * The alert listener behind desktop notifications: for deployments whose policy keeps `alerts.desktop`
 * on, passes a notice to `notify` (in the engine: an engine event the Electron shell turns into a
 * Notification). The listener returns at once and never throws into the monitoring check; `idle`
 * resolves once every lookup started so far has finished.
 */
export function desktopNotificationListener(
  routeFor: (deploymentId: string) => Promise<DesktopRoute>,
  notify: (notice: DesktopNotice) => void,
  log?: (level: 'info' | 'warn', message: string) => void,
): { listener: AlertListener; idle(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  return {
    listener: (alert, event) => {
      const shown = routeFor(alert.deploymentId)
        .then((route) => {
          if (route.desktop) notify(desktopNotice(alert, event, route.deployment));
        })
        .catch((err: unknown) =>
          log?.('warn', `desktop notice for alert ${alert.id} failed: ${err instanceof Error ? err.message : String(err)}`),
        );
      pending.add(shown);
      void shown.finally(() => pending.delete(shown));
    },
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
