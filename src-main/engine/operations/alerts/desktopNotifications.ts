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

/** More notices than this from one deployment at once (one check) become one summary notice. */
export const MAX_SEPARATE_NOTICES = 3;
/** How long notices gather before they are shown: every alert of one check arrives within it. */
const GATHER_MS = 100;

/** One notice standing for many of a deployment's (a check that opened 40 per-feature alerts is one notification, not 40). */
export function summaryNotice(notices: readonly DesktopNotice[]): DesktopNotice {
  const first = notices[0];
  const where = first.title.replace(/^Bullpen[^:]*: (resolved on )?/, '');
  const lines = notices.slice(0, MAX_SEPARATE_NOTICES).map((n) => n.body.split(': ')[0]);
  const more = notices.length - lines.length;
  const body = [...lines, ...(more > 0 ? [`and ${more} more: open the Monitoring screen`] : [])].join('\n');
  return {
    alertId: first.alertId,
    deploymentId: first.deploymentId,
    title: `Bullpen: ${notices.length} alerts on ${where}`,
    body: body.length > BODY_LIMIT ? `${body.slice(0, BODY_LIMIT - 1)}…` : body,
    urgency: notices.some((n) => n.urgency === 'critical') ? 'critical' : 'normal',
  };
}

/**
 * The alert listener behind desktop notifications: for deployments whose policy keeps `alerts.desktop`
 * on, passes a notice to `notify` (in the engine: an engine event the Electron shell turns into a
 * Notification). Notices arriving together are gathered per deployment, and more than
 * MAX_SEPARATE_NOTICES become one summary. The listener returns at once and never throws into the
 * monitoring check; `idle` resolves once every notice started so far has been passed on.
 */
export function desktopNotificationListener(
  routeFor: (deploymentId: string) => Promise<DesktopRoute>,
  notify: (notice: DesktopNotice) => void,
  log?: (level: 'info' | 'warn', message: string) => void,
): { listener: AlertListener; idle(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  let gathered: DesktopNotice[] = [];
  let flushing: Promise<void> | null = null;
  const flush = (): void => {
    const byDeployment = new Map<string, DesktopNotice[]>();
    for (const n of gathered) byDeployment.set(n.deploymentId, [...(byDeployment.get(n.deploymentId) ?? []), n]);
    gathered = [];
    flushing = null;
    for (const notices of byDeployment.values()) {
      if (notices.length > MAX_SEPARATE_NOTICES) notify(summaryNotice(notices));
      else notices.forEach((n) => notify(n));
    }
  };
  const gather = (notice: DesktopNotice): void => {
    gathered.push(notice);
    if (!flushing) {
      const timer = new Promise<void>((resolve) => setTimeout(resolve, GATHER_MS)).then(flush);
      flushing = timer;
      pending.add(timer);
      void timer.finally(() => pending.delete(timer));
    }
  };
  return {
    listener: (alert, event) => {
      const shown = routeFor(alert.deploymentId)
        .then((route) => {
          if (route.desktop) gather(desktopNotice(alert, event, route.deployment));
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
