import type { PlotLayout, PlotTrace } from 'plotly.js-dist-min';
import type {
  AnalyzedMetric,
  BoundaryPoint,
  ExperimentStatus,
  MetricTest,
  RampState,
} from '../../../../src-main/shared/results/experiments';
import { pct } from '../../components/ml/runCharts';
import { figure } from '../monitoring/monitoringCharts';

/** How each metric is named on the screen (calibration is judged by the per-game Brier score). */
export const metricLabels: Record<AnalyzedMetric, string> = {
  logLoss: 'log loss',
  roi: 'ROI',
  accuracy: 'accuracy',
  calibration: 'calibration (Brier)',
};

/** Rates read as percentages; log loss and Brier as figures. */
const isRate = (metric: AnalyzedMetric): boolean => metric === 'roi' || metric === 'accuracy';

/** A value of the metric on its own scale (an effect, a difference of the metric, on the same scale). */
export const metricValue = (metric: AnalyzedMetric, v: number | null | undefined): string => (isRate(metric) ? pct(v, 2) : figure(v));

/** An interval as the screen writes it: `[low, high]`, each on the metric's scale. */
export const interval = (metric: AnalyzedMetric, ci: readonly [number | null, number | null]): string =>
  `[${metricValue(metric, ci[0])}, ${metricValue(metric, ci[1])}]`;

/** A relative interval (fractions of |control mean|) as percentages. */
export const relInterval = (ci: readonly [number | null, number | null]): string => `[${pct(ci[0], 2)}, ${pct(ci[1], 2)}]`;

/** A small share as a percentage to four significant digits (a threshold of 0.0025% must not read 0.00%). */
export const percent = (v: number | null | undefined): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${figure(v * 100)}%`;

/** A p-value: four significant digits, exponent when tiny. */
export const pValue = (p: number | null | undefined): string => figure(p);

export const statusClass: Record<ExperimentStatus, string> = {
  running: 'state-running',
  completed: 'state-completed',
  stopped: 'state-cancelled',
  rolledBack: 'state-failed',
  promoted: 'state-completed',
};

/** Whose favour "effect > 0" means, said once beside the numbers. */
export const effectNote = (t: Pick<MetricTest, 'metric' | 'direction'>): string =>
  `challenger − control, signed so that above 0 favours the challenger (${metricLabels[t.metric]}: ${t.direction} is better)`;

/** A test's verdict in words for its badge. */
export function verdict(t: MetricTest): { text: string; cls: string } {
  if (t.sequential.significant) {
    const better = (t.effect ?? 0) > 0;
    return { text: better ? 'challenger better' : 'challenger worse', cls: better ? 'state-completed' : 'state-failed' };
  }
  if (t.fixed.significant) return { text: 'fixed-horizon only (not valid when peeking)', cls: 'warn' };
  return { text: 'no significant difference', cls: 'neutral' };
}

const EFFECT = '#1f5fbf';
const SEQUENTIAL_FILL = 'rgba(31,95,191,0.15)';
const FIXED = '#e08a00';

/**
 * The sequential boundary over time: the effect per day, its always-valid confidence sequence as a band
 * (the test stops when the band leaves 0), and the fixed-horizon interval at the same looks as dashed
 * lines (narrower, and invalid when looked at every day: shown for contrast).
 */
export function boundaryTraces(points: readonly BoundaryPoint[]): PlotTrace[] {
  const dates = points.map((p) => p.date);
  const traces: PlotTrace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'confidence sequence (always valid)',
      legendgroup: 'sequential',
      showlegend: false,
      x: dates,
      y: points.map((p) => p.sequentialCi[0]),
      line: { width: 0, color: EFFECT },
      hoverinfo: 'skip',
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: 'confidence sequence (always valid)',
      legendgroup: 'sequential',
      x: dates,
      y: points.map((p) => p.sequentialCi[1]),
      line: { width: 0, color: EFFECT },
      fill: 'tonexty',
      fillcolor: SEQUENTIAL_FILL,
      hoverinfo: 'skip',
    },
  ];
  for (const [side, name] of [
    [0, 'fixed-horizon interval (for contrast)'],
    [1, 'fixed-horizon upper'],
  ] as const)
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name,
      legendgroup: 'fixed',
      showlegend: side === 0,
      x: dates,
      y: points.map((p) => p.fixedCi[side]),
      line: { dash: 'dash', width: 1, color: FIXED },
      hoverinfo: 'skip',
    });
  traces.push({
    type: 'scatter',
    mode: 'lines+markers',
    name: 'effect',
    x: dates,
    y: points.map((p) => p.effect),
    hovertext: points.map(
      (p) =>
        `${p.date} (day ${p.day}, ${p.n} games): effect ${figure(p.effect)}, sequential [${figure(p.sequentialCi[0])}, ${figure(p.sequentialCi[1])}], fixed [${figure(p.fixedCi[0])}, ${figure(p.fixedCi[1])}], P(beat) ${pct(p.probabilityToBeat)}`,
    ),
    hoverinfo: 'text',
    marker: { size: 5, color: EFFECT },
    line: { width: 2, color: EFFECT },
  });
  if (points.length)
    traces.push({
      type: 'scatter',
      mode: 'lines',
      name: 'no difference',
      x: [dates[0], dates[dates.length - 1]],
      y: [0, 0],
      line: { width: 1, color: '#57606a' },
      hoverinfo: 'skip',
    });
  const stops = points.filter((p) => p.sequentialSignificant);
  if (stops.length)
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: 'band excludes 0 (sequential stop)',
      x: stops.map((p) => p.date),
      y: stops.map((p) => p.effect),
      marker: { size: 10, symbol: 'diamond', color: '#1a7f37' },
      hoverinfo: 'skip',
    });
  return traces;
}

/** Percentages on the y axis for rates. */
export const boundaryYAxis = (metric: AnalyzedMetric): PlotLayout => ({
  title: { text: `effect on ${metricLabels[metric]}` },
  zeroline: false,
  ...(isRate(metric) ? { tickformat: '.1%' } : {}),
});

/** The ramp's steps as the screen lists them: share, whether done, in force, or to come. */
export function rampSteps(ramp: RampState): { step: number; share: number; state: 'done' | 'current' | 'next'; at: string | null }[] {
  return ramp.steps.map((share, step) => {
    const done = ramp.completed.find((c) => c.step === step);
    const state = ramp.current === step ? 'current' : done || (ramp.current !== null && step < ramp.current) ? 'done' : 'next';
    return { step, share, state, at: done?.at ?? null };
  });
}
