import type { PlotTrace } from 'plotly.js-dist-min';
import type { LoggedPrediction, MonitorCheck } from '../../../../src-main/shared/results/operations';

// Chart data out of monitoring checks (deploy.checks), alerts and the prediction log. Pure, so unit-tested.

export type MonitorResultData = MonitorCheck['results'][number];
export type MonitorStatus = MonitorResultData['status'];
type Interval = [number, number];

/**
 * Figures a check may carry beside a result's value (runMonitors' stored extras: the statistics of a
 * feature's drift, a metric's reference and current values with the interval of its drop, the CBPE
 * estimate with its interval, the prediction-decile shares). Each is null when the engine did not send it.
 */
export interface ResultExtras {
  method: string | null;
  statistics: Record<string, number | null> | null;
  reference: number | null;
  current: number | null;
  degradationCi: Interval | null;
  estimate: number | null;
  interval: Interval | null;
  bins: { label: string; reference: number; current: number }[] | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const pair = (v: unknown): Interval | null => {
  if (!Array.isArray(v) || v.length !== 2) return null;
  const [a, b] = [num(v[0]), num(v[1])];
  return a === null || b === null ? null : [a, b];
};

export function extrasOf(r: MonitorResultData): ResultExtras {
  const x = r as unknown as Record<string, unknown>;
  const stats = x.statistics;
  const statistics =
    stats && typeof stats === 'object' && !Array.isArray(stats)
      ? Object.fromEntries(Object.entries(stats as Record<string, unknown>).map(([k, v]) => [k, num(v)]))
      : null;
  const rawBins = Array.isArray(x.bins) ? (x.bins as unknown[]) : null;
  const bins = rawBins
    ? rawBins.flatMap((b) => {
        const o = b as Record<string, unknown> | null;
        const ref = num(o?.reference);
        const cur = num(o?.current);
        return o && typeof o.label === 'string' && ref !== null && cur !== null ? [{ label: o.label, reference: ref, current: cur }] : [];
      })
    : null;
  return {
    method: typeof x.method === 'string' ? x.method : null,
    statistics,
    reference: num(x.reference),
    current: num(x.current),
    degradationCi: pair(x.degradationCi),
    estimate: num(x.estimate),
    interval: pair(x.interval),
    bins: bins && bins.length ? bins : null,
  };
}

/** The game date a check judged (the last day of its window), or the day it ran when it judged none. */
export const checkDate = (c: MonitorCheck): string => c.window.to ?? c.checkedAt.slice(0, 10);

/**
 * One check per judged date, oldest first: the latest check of each date (live checks run hourly and
 * judge the same window until new games are scored).
 */
export function checksByDate(checks: readonly MonitorCheck[]): MonitorCheck[] {
  const byDate = new Map<string, MonitorCheck>();
  for (const c of checks) {
    const d = checkDate(c);
    const prev = byDate.get(d);
    if (!prev || prev.checkedAt < c.checkedAt) byDate.set(d, c);
  }
  return [...byDate.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, c]) => c);
}

/** The newest check (by the time it ran). */
export function latestCheck(checks: readonly MonitorCheck[]): MonitorCheck | null {
  let latest: MonitorCheck | null = null;
  for (const c of checks) if (!latest || c.checkedAt > latest.checkedAt) latest = c;
  return latest;
}

export const statusRank: Record<MonitorStatus, number> = { unknown: 0, ok: 1, warn: 2, alert: 3 };
export const statusClass: Record<MonitorStatus, string> = {
  ok: 'state-completed',
  warn: 'warn',
  alert: 'state-failed',
  unknown: 'neutral',
};

/** A number for a table or hover text: four significant digits, exponent for tiny values. */
export function figure(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(2);
  return String(+v.toPrecision(4));
}

export interface DriftHeatmap {
  /** Features, in the engine's order (the latest check's). */
  features: string[];
  /** Dates on which feature drift was judged, oldest first. */
  dates: string[];
  /** features × dates: the drift statistic (PSI unless the policy sets another method); null where not judged. */
  z: (number | null)[][];
  text: string[][];
  /** The threshold most features are judged against: the middle of the colour scale. */
  threshold: number | null;
  /** Dates with a check that did not judge drift (too few games in the window). */
  unjudged: string[];
}

/** Per-feature drift over time: one column per judged date, one row per feature. */
export function driftHeatmap(checks: readonly MonitorCheck[]): DriftHeatmap {
  const columns = checksByDate(checks);
  const judged = columns.filter((c) => c.results.some((r) => r.monitor === 'featureDrift' && r.subject !== null));
  const features: string[] = [];
  const seen = new Set<string>();
  for (const c of [...judged].reverse())
    for (const r of c.results)
      if (r.monitor === 'featureDrift' && r.subject !== null && !seen.has(r.subject)) {
        seen.add(r.subject);
        features.push(r.subject);
      }
  const thresholds = new Map<number, number>();
  const z = features.map(() => judged.map((): number | null => null));
  const text = features.map(() => judged.map(() => 'not judged'));
  const row = new Map(features.map((f, i) => [f, i]));
  judged.forEach((c, j) => {
    for (const r of c.results) {
      if (r.monitor !== 'featureDrift' || r.subject === null) continue;
      const i = row.get(r.subject);
      if (i === undefined) continue;
      z[i][j] = r.value;
      thresholds.set(r.threshold, (thresholds.get(r.threshold) ?? 0) + 1);
      const method = extrasOf(r).method;
      text[i][j] =
        `${r.subject} on ${checkDate(c)}: ${method ?? 'statistic'} ${figure(r.value)} (threshold ${figure(r.threshold)}), ${r.status}`;
    }
  });
  const threshold = [...thresholds.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return {
    features,
    dates: judged.map(checkDate),
    z,
    text,
    threshold,
    unjudged: columns.filter((c) => !judged.includes(c)).map(checkDate),
  };
}

/** White below the threshold's half, orange at the threshold, dark red at twice it (and beyond). */
const DRIFT_SCALE: [number, string][] = [
  [0, '#f7fbff'],
  [0.25, '#deebf7'],
  [0.5, '#fdae61'],
  [1, '#a50026'],
];

export function heatmapTrace(h: DriftHeatmap): PlotTrace {
  const limit = h.threshold !== null && h.threshold > 0 ? 2 * h.threshold : Math.max(0, ...h.z.flat().map((v) => v ?? 0)) || 1;
  return {
    type: 'heatmap',
    x: h.dates,
    y: h.features,
    z: h.z,
    text: h.text,
    hoverinfo: 'text',
    hoverongaps: false,
    colorscale: DRIFT_SCALE,
    zmin: 0,
    zmax: limit,
    xgap: 1,
    ygap: 1,
    colorbar: { title: { text: h.threshold !== null ? `drift (threshold ${figure(h.threshold)})` : 'drift' }, thickness: 12 },
  };
}

export interface TimelinePoint {
  date: string;
  value: number | null;
}
export interface TimelineAlert {
  date: string;
  monitor: string;
  subject: string | null;
  value: number | null;
  severity: 'warn' | 'alert';
}

/** The drift score over dates as a line, the threshold dashed, and each date's opened alerts as one marker per severity. */
export function timelineTraces(points: readonly TimelinePoint[], alerts: readonly TimelineAlert[], threshold: number | null): PlotTrace[] {
  const score = new Map(points.map((p) => [p.date, p.value]));
  const traces: PlotTrace[] = [
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: 'drift score',
      x: points.map((p) => p.date),
      y: points.map((p) => p.value),
      marker: { size: 4 },
      line: { width: 2, color: '#1f5fbf' },
    },
  ];
  if (threshold !== null && points.length)
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: `alert above ${figure(threshold)}`,
      x: [points[0].date, points[points.length - 1].date],
      y: [threshold, threshold],
      line: { dash: 'dash', width: 1, color: '#a50026' },
    });
  for (const severity of ['warn', 'alert'] as const) {
    const byDate = new Map<string, TimelineAlert[]>();
    for (const a of alerts) if (a.severity === severity) byDate.set(a.date, [...(byDate.get(a.date) ?? []), a]);
    if (!byDate.size) continue;
    const dates = [...byDate.keys()].sort();
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: severity === 'alert' ? 'alerts opened' : 'warnings opened',
      x: dates,
      y: dates.map((d) => score.get(d) ?? threshold ?? 0),
      hovertext: dates.map((d) =>
        (byDate.get(d) ?? []).map((a) => `${d} ${a.monitor}${a.subject ? ` ${a.subject}` : ''} ${figure(a.value)}`).join('<br>'),
      ),
      hoverinfo: 'text',
      marker: { size: 11, symbol: severity === 'alert' ? 'x' : 'diamond', color: severity === 'alert' ? '#a50026' : '#e08a00' },
    });
  }
  return traces;
}

/** A live deployment's drift score per judged date, from its checks. */
export const scorePoints = (checks: readonly MonitorCheck[]): TimelinePoint[] =>
  checksByDate(checks).map((c) => ({ date: checkDate(c), value: c.driftScore }));

export type PerformanceMetric = 'accuracy' | 'logLoss';
export const performanceMetricLabels: Record<PerformanceMetric, string> = { accuracy: 'accuracy', logLoss: 'log loss' };

export interface PerformancePoint {
  date: string;
  /** Relative drop against the reference (positive is worse), realized from settled games and estimated (CBPE). */
  realized: number | null;
  realizedInterval: Interval | null;
  estimated: number | null;
  estimatedInterval: Interval | null;
  /** The metric's own values, when the check carries them. */
  reference: number | null;
  realizedValue: number | null;
  estimatedValue: number | null;
}

/**
 * Realized against estimated performance per judged date, as the relative drop against the reference
 * (the scale both monitors alert on). The intervals are the realized drop's bootstrap interval and the
 * CBPE estimate's interval, both over the reference's value.
 */
export function performanceSeries(
  checks: readonly MonitorCheck[],
  metric: PerformanceMetric,
): { points: PerformancePoint[]; threshold: number | null } {
  let threshold: number | null = null;
  const points = checksByDate(checks).map((c): PerformancePoint => {
    const realized = c.results.find((r) => r.monitor === 'performanceDrift' && r.subject === metric) ?? null;
    const estimated = c.results.find((r) => r.monitor === 'estimatedPerformance' && r.subject === metric) ?? null;
    threshold ??= realized?.threshold ?? estimated?.threshold ?? null;
    const rx = realized ? extrasOf(realized) : null;
    const ex = estimated ? extrasOf(estimated) : null;
    const ref = rx?.reference ?? ex?.reference ?? null;
    const scale = ref !== null && ref !== 0 ? Math.abs(ref) : null;
    const realizedInterval: Interval | null =
      rx?.degradationCi && scale !== null ? [rx.degradationCi[0] / scale, rx.degradationCi[1] / scale] : null;
    let estimatedInterval: Interval | null = null;
    if (ex?.interval && ref !== null && scale !== null) {
      const [lo, hi] = ex.interval;
      estimatedInterval = metric === 'accuracy' ? [(ref - hi) / scale, (ref - lo) / scale] : [(lo - ref) / scale, (hi - ref) / scale];
    }
    return {
      date: checkDate(c),
      realized: realized?.value ?? null,
      realizedInterval,
      estimated: estimated?.value ?? null,
      estimatedInterval,
      reference: ref,
      realizedValue: rx?.current ?? null,
      estimatedValue: ex?.estimate ?? null,
    };
  });
  return { points: points.filter((p) => p.realized !== null || p.estimated !== null), threshold };
}

const BANDS: Record<'realized' | 'estimated', { color: string; fill: string; label: string }> = {
  realized: { color: '#1f5fbf', fill: 'rgba(31,95,191,0.15)', label: 'realized (settled games)' },
  estimated: { color: '#e08a00', fill: 'rgba(224,138,0,0.15)', label: 'estimated (CBPE, before outcomes)' },
};

export function performanceTraces(points: readonly PerformancePoint[], threshold: number | null): PlotTrace[] {
  const traces: PlotTrace[] = [];
  for (const side of ['realized', 'estimated'] as const) {
    const style = BANDS[side];
    const withInterval = points.filter((p) => p[`${side}Interval`] !== null);
    if (withInterval.length) {
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: `${side} interval`,
        legendgroup: side,
        showlegend: false,
        x: withInterval.map((p) => p.date),
        y: withInterval.map((p) => p[`${side}Interval`]?.[0] ?? null),
        line: { width: 0, color: style.color },
        hoverinfo: 'skip',
      });
      traces.push({
        type: 'scatter',
        mode: 'lines',
        name: `${side} interval`,
        legendgroup: side,
        showlegend: false,
        x: withInterval.map((p) => p.date),
        y: withInterval.map((p) => p[`${side}Interval`]?.[1] ?? null),
        line: { width: 0, color: style.color },
        fill: 'tonexty',
        fillcolor: style.fill,
        hoverinfo: 'skip',
      });
    }
    const shown = points.filter((p) => p[side] !== null);
    traces.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: style.label,
      legendgroup: side,
      x: shown.map((p) => p.date),
      y: shown.map((p) => p[side]),
      marker: { size: 4, color: style.color },
      line: { width: 2, color: style.color, dash: side === 'estimated' ? 'dash' : 'solid' },
    });
  }
  if (threshold !== null && points.length)
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: `alert above ${figure(100 * threshold)}% drop`,
      x: [points[0].date, points[points.length - 1].date],
      y: [threshold, threshold],
      line: { dash: 'dot', width: 1, color: '#a50026' },
    });
  return traces;
}

export interface PredictionDistribution {
  /** Reference against current shares over the reference's prediction deciles, or the current window alone. */
  source: 'deciles' | 'current';
  labels: string[];
  reference: number[] | null;
  current: number[];
  /** Predictions in the current window. */
  n: number;
  window: { from: string | null; to: string | null };
}

/** Equal-width bins of predicted probabilities for the current window when the check carries no decile shares. */
const HISTOGRAM_BINS = 20;

/**
 * The prediction distribution of a check's window against its reference: the decile shares the check
 * carries when it does, else the histogram of the logged predictions in the window (the current side only).
 */
export function predictionDistribution(check: MonitorCheck | null, logged: readonly LoggedPrediction[]): PredictionDistribution | null {
  if (!check) return null;
  const result = check.results.find((r) => r.monitor === 'predictionDrift') ?? null;
  const { from, to } = check.window;
  const inWindow = logged.filter(
    (l) => l.kind === 'prediction' && (from === null || l.gameDate >= from) && (to === null || l.gameDate <= to),
  );
  const bins = result ? extrasOf(result).bins : null;
  if (bins)
    return {
      source: 'deciles',
      labels: bins.map((b) => b.label),
      reference: bins.map((b) => b.reference),
      current: bins.map((b) => b.current),
      n: inWindow.length,
      window: { from, to },
    };
  if (!inWindow.length) return null;
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const l of inWindow) counts[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(l.p * HISTOGRAM_BINS)))]++;
  const labels = counts.map((_, i) => `${(i / HISTOGRAM_BINS).toFixed(2)}–${((i + 1) / HISTOGRAM_BINS).toFixed(2)}`);
  const first = counts.findIndex((c) => c > 0);
  const last = counts.length - 1 - [...counts].reverse().findIndex((c) => c > 0);
  return {
    source: 'current',
    labels: labels.slice(first, last + 1),
    reference: null,
    current: counts.slice(first, last + 1).map((c) => c / inWindow.length),
    n: inWindow.length,
    window: { from, to },
  };
}

export function distributionTraces(d: PredictionDistribution): PlotTrace[] {
  const traces: PlotTrace[] = [];
  if (d.reference) traces.push({ type: 'bar', name: 'reference', x: d.labels, y: d.reference, marker: { color: '#9aa5b1' } });
  traces.push({ type: 'bar', name: `current window (${d.n} predictions)`, x: d.labels, y: d.current, marker: { color: '#1f5fbf' } });
  return traces;
}

export interface QualityCell {
  value: number | null;
  threshold: number;
  status: MonitorStatus;
  explanation: string;
}
export interface QualityRow {
  feature: string;
  missing: QualityCell | null;
  outOfRange: QualityCell | null;
  stale: QualityCell | null;
  /** The worst of the three. */
  status: MonitorStatus;
}

const cell = (r: MonitorResultData): QualityCell => ({
  value: r.value,
  threshold: r.threshold,
  status: r.status,
  explanation: r.explanation,
});

/** Data quality of a check per feature (missing share, out-of-range share, staleness), worst first, then in the engine's order. */
export function qualityRows(check: MonitorCheck | null): QualityRow[] {
  if (!check) return [];
  const rows = new Map<string, QualityRow>();
  const field = { missingValues: 'missing', outOfRange: 'outOfRange', staleFeature: 'stale' } as const;
  for (const r of check.results) {
    if (r.subject === null || !(r.monitor in field)) continue;
    const key = field[r.monitor as keyof typeof field];
    const row = rows.get(r.subject) ?? { feature: r.subject, missing: null, outOfRange: null, stale: null, status: 'unknown' };
    row[key] = cell(r);
    if (statusRank[r.status] > statusRank[row.status]) row.status = r.status;
    rows.set(r.subject, row);
  }
  const order = [...rows.values()];
  return order
    .map((row, i) => ({ row, i }))
    .sort((a, b) => statusRank[b.row.status] - statusRank[a.row.status] || a.i - b.i)
    .map((x) => x.row);
}

/** A whole-model result of a check (dataQuality, unscoredGames, predictionDrift, driftScore…), or null. */
export const modelResult = (check: MonitorCheck | null, monitor: string): MonitorResultData | null =>
  check?.results.find((r) => r.monitor === monitor && r.subject === null) ?? null;

const DAY_MS = 86_400_000;
/** Days shown either side of a lone date, so one check reads as a day and not as a millisecond. */
const LONE_DATE_PAD_DAYS = 3;

/** An x axis of game dates: days as ticks; a single date padded to a week. */
export function dateAxis(dates: readonly string[]): Record<string, unknown> {
  const axis: Record<string, unknown> = { type: 'date', tickformat: '%b %d', hoverformat: '%Y-%m-%d' };
  const distinct = [...new Set(dates)];
  if (distinct.length === 1) {
    const at = Date.parse(`${distinct[0]}T00:00:00Z`);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    axis.range = [day(at - LONE_DATE_PAD_DAYS * DAY_MS), day(at + LONE_DATE_PAD_DAYS * DAY_MS)];
  }
  return axis;
}

/** Hours for a freshness cell: minutes under an hour. */
export const ageText = (hours: number | null): string =>
  hours === null || !Number.isFinite(hours) ? '—' : hours < 1 ? `${Math.round(hours * 60)} min` : `${figure(hours)} h`;
