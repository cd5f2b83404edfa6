import { randomUUID } from 'node:crypto';
import type { MonitorResult } from '../../../../src-workers/compute/monitoring';
import type { Alert } from '../../../shared/results/operations';
import type { Sql } from '../../workspace/sql';

/**
 * Alerts from a check's results. One firing alert per (deployment, monitor, subject) within a scope:
 * - a result with status `alert` opens an alert, or refreshes the firing one (last seen, value, threshold,
 *   explanation and severity move; first seen stays);
 * - a result with status `ok` resolves the firing one (last seen stays: the last time it was seen firing);
 * - `warn` keeps a firing alert firing without refreshing it, so an alert hovering at its threshold is one
 *   alert, not a new one each time it dips below (it opens none either); `unknown` (nothing measured, e.g.
 *   no games yet) leaves it as it is, as does a check that did not run that monitor.
 * Severity: `warn` for what speaks for less than the model as a whole or is an estimate (one feature's
 * drift, the label-free CBPE estimate), `alert` for the rest (the dataset's drift, prediction drift,
 * realized performance, data quality, unscored games, the drift score).
 * Summaries of results stored beside them (the data-quality roll-up, the performance and CBPE overall
 * rows, whose metrics are alerted one by one) open no alert of their own.
 */

export type AlertEvent = { alert: Alert; event: 'opened' | 'resolved' };

/** A result an alert is opened or resolved from: a monitor's, or another check's under its own name (an experiment's SRM check). */
export type AlertSource = Omit<MonitorResult, 'monitor'> & { monitor: string };

const WARN_SEVERITY = new Set(['featureDrift', 'estimatedPerformance']);

export function alertable(r: AlertSource): boolean {
  if (r.monitor === 'dataQuality') return false;
  if ((r.monitor === 'performanceDrift' || r.monitor === 'estimatedPerformance') && r.subject === null) return false;
  return true;
}

export function severityOf(monitor: string): 'warn' | 'alert' {
  return WARN_SEVERITY.has(monitor) ? 'warn' : 'alert';
}

type AlertRow = {
  id: string;
  deployment_id: string;
  monitor: string;
  subject: string | null;
  severity: 'warn' | 'alert';
  value: number | null;
  threshold: number | null;
  explanation: string;
  first_seen: number;
  last_seen: number;
  status: 'firing' | 'resolved';
  acknowledged_by: string | null;
  acknowledged_at: number | null;
};

export const ALERT_SELECT = `SELECT id, deployment_id, monitor, subject, severity, value, threshold, explanation,
  epoch_ms(first_seen) AS first_seen, epoch_ms(last_seen) AS last_seen, status, acknowledged_by,
  epoch_ms(acknowledged_at) AS acknowledged_at FROM alerts`;

const iso = (ms: number) => new Date(ms).toISOString();
const finite = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);

export function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    deploymentId: r.deployment_id,
    monitor: r.monitor,
    subject: r.subject,
    severity: r.severity,
    value: finite(r.value),
    threshold: finite(r.threshold),
    explanation: r.explanation,
    firstSeen: iso(r.first_seen),
    lastSeen: iso(r.last_seen),
    status: r.status,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at === null ? null : iso(r.acknowledged_at),
  };
}

const keyOf = (monitor: string, subject: string | null) => `${monitor}\u0000${subject ?? ''}`;

/** Opens, refreshes and resolves the deployment's alerts from one check's results, inside the check's transaction. */
export async function applyAlerts(
  sql: Sql,
  scope: { deploymentId: string; replayId: string | null; at: number },
  results: readonly AlertSource[],
): Promise<AlertEvent[]> {
  const firing = await sql.all<AlertRow>(
    `${ALERT_SELECT} WHERE deployment_id = ? AND replay_id IS NOT DISTINCT FROM ? AND status = 'firing'`,
    [scope.deploymentId, scope.replayId],
  );
  const open = new Map(firing.map((a) => [keyOf(a.monitor, a.subject), a]));
  const opened: AlertRow[] = [];
  const refreshed: AlertRow[] = [];
  const resolved: AlertRow[] = [];
  for (const r of results) {
    if (!alertable(r)) continue;
    const current = open.get(keyOf(r.monitor, r.subject));
    if (r.status === 'alert') {
      const fields = {
        severity: severityOf(r.monitor),
        value: finite(r.value),
        threshold: finite(r.threshold),
        explanation: r.explanation,
        last_seen: scope.at,
      };
      if (current) refreshed.push({ ...current, ...fields });
      else
        opened.push({
          id: randomUUID(),
          deployment_id: scope.deploymentId,
          monitor: r.monitor,
          subject: r.subject,
          ...fields,
          first_seen: scope.at,
          status: 'firing',
          acknowledged_by: null,
          acknowledged_at: null,
        });
    } else if (r.status === 'ok' && current) resolved.push({ ...current, status: 'resolved' });
  }
  if (opened.length) {
    await sql.run(
      `INSERT INTO alerts (id, deployment_id, replay_id, monitor, subject, severity, value, threshold, explanation, first_seen, last_seen, status)
       VALUES ${opened.map(() => `(?, ?, ?, ?, ?, ?, ?, ?, ?, make_timestamptz(?::BIGINT * 1000), make_timestamptz(?::BIGINT * 1000), 'firing')`).join(', ')}`,
      opened.flatMap((a) => [
        a.id,
        a.deployment_id,
        scope.replayId,
        a.monitor,
        a.subject,
        a.severity,
        a.value,
        a.threshold,
        a.explanation,
        a.first_seen,
        a.last_seen,
      ]),
    );
  }
  if (refreshed.length) {
    await sql.run(
      `UPDATE alerts SET severity = t.severity, value = t.value, threshold = t.threshold, explanation = t.explanation,
         last_seen = make_timestamptz(t.seen_ms * 1000)
       FROM (VALUES ${refreshed.map(() => '(?, ?, ?::DOUBLE, ?::DOUBLE, ?, ?::BIGINT)').join(', ')}) AS t(id, severity, value, threshold, explanation, seen_ms)
       WHERE alerts.id = t.id`,
      refreshed.flatMap((a) => [a.id, a.severity, a.value, a.threshold, a.explanation, a.last_seen]),
    );
  }
  if (resolved.length) {
    await sql.run(
      `UPDATE alerts SET status = 'resolved' WHERE id IN (${resolved.map(() => '?').join(', ')})`,
      resolved.map((a) => a.id),
    );
  }
  return [
    ...opened.map((a) => ({ alert: toAlert(a), event: 'opened' as const })),
    ...resolved.map((a) => ({ alert: toAlert(a), event: 'resolved' as const })),
  ];
}
