/**
 * The one shape every monitor has: it compares a current window with a reference and answers with a value,
 * the threshold it was judged against, a status and a sentence. Alerts, the Prometheus gauges and the
 * Monitoring screen read only this, so a new monitor needs no new plumbing.
 */

export const monitorStatuses = ['ok', 'warn', 'alert', 'unknown'] as const;
export type MonitorStatus = (typeof monitorStatuses)[number];

export const monitorNames = [
  'featureDrift',
  'datasetDrift',
  'predictionDrift',
  'performanceDrift',
  'estimatedPerformance',
  'missingValues',
  'outOfRange',
  'staleFeature',
  'unscoredGames',
  'dataQuality',
  'driftScore',
] as const;
export type MonitorName = (typeof monitorNames)[number];

export interface MonitorResult {
  monitor: MonitorName;
  /** What was measured within the monitor: a feature or a metric; null when the monitor measures the model as a whole. */
  subject: string | null;
  /** The measured value; null when it could not be measured (the explanation says why). */
  value: number | null;
  threshold: number;
  status: MonitorStatus;
  explanation: string;
}

/** (reference, current window) → result. Pure: the same inputs give the same result, with no clock or I/O. */
export interface Monitor<Reference, Current = Reference, Result extends MonitorResult = MonitorResult> {
  readonly name: MonitorName;
  check(reference: Reference, current: Current): Result;
}

const severity: Record<MonitorStatus, number> = { unknown: 0, ok: 1, warn: 2, alert: 3 };

/** The most severe status of several; unknown only when nothing was measured. */
export function worstStatus(statuses: Iterable<MonitorStatus>): MonitorStatus {
  let worst: MonitorStatus = 'unknown';
  for (const s of statuses) if (severity[s] > severity[worst]) worst = s;
  return worst;
}

/**
 * Status of a value against an alert threshold (and an optional lower warn threshold), strictly beyond
 * either: the original system's rules read "PSI > 0.2", "KS > 0.3". `below` flips the direction, for
 * p-values, where a small value is the alarming one.
 */
export function thresholdStatus(value: number | null, threshold: number, warn?: number, below = false): MonitorStatus {
  if (value === null || Number.isNaN(value)) return 'unknown';
  const beyond = (limit: number) => (below ? value < limit : value > limit);
  if (beyond(threshold)) return 'alert';
  if (warn !== undefined && beyond(warn)) return 'warn';
  return 'ok';
}

/** A number for an explanation: four significant digits, enough to compare with a threshold. */
export function fmt(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(2);
  return String(+x.toPrecision(4));
}

export function pct(x: number | null): string {
  return x === null || !Number.isFinite(x) ? 'n/a' : `${+(100 * x).toPrecision(3)}%`;
}
