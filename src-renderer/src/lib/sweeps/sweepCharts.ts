import type { PlotTrace } from 'plotly.js-dist-min';
import type { BestTrial, SweepTrial } from './sweepService.svelte';
import type { SearchSpace } from '../../../../src-main/shared/sweep/distributions';
import { FOLD_END, STEP_STRIDE, objectiveDirection, type Direction, type ObjectiveName } from '../../../../src-main/shared/sweep/trials';

// Chart data out of a sweep's trials (pure, so it is unit-tested without a browser).

export const objectiveLabels: Record<ObjectiveName, string> = { logLoss: 'log loss', accuracy: 'accuracy', roi: 'ROI' };

const COLORS = { complete: '#1f6feb', pruned: '#9a6700', fail: '#cf222e', best: '#1a7f37', muted: '#8c959f' };

/** A step as fold and iteration (trials.ts): iteration null for a fold's end (the mean test log loss of folds 0..fold). */
export function decodeStep(step: number): { fold: number; iteration: number | null } {
  const fold = Math.floor(step / STEP_STRIDE);
  const rest = step - fold * STEP_STRIDE;
  return { fold, iteration: rest === FOLD_END ? null : rest };
}

/** A step in words, folds counted from 1 as the screen shows them. */
export function stepLabel(step: number): string {
  const { fold, iteration } = decodeStep(step);
  return iteration === null ? `after fold ${fold + 1}` : `fold ${fold + 1}, iteration ${iteration}`;
}

/** True when `a` is better than `b` in this direction. */
export const better = (a: number, b: number, direction: Direction): boolean => (direction === 'minimize' ? a < b : a > b);

const byNumber = (a: SweepTrial, b: SweepTrial): number => a.number - b.number;

/** Complete trials with a finite value of objective k, in trial order. */
function completeValues(trials: readonly SweepTrial[], k: number): { number: number; value: number }[] {
  return trials
    .filter((t) => t.state === 'complete' && t.values !== null && Number.isFinite(t.values[k]))
    .sort(byNumber)
    .map((t) => ({ number: t.number, value: t.values![k] }));
}

/** The best value of objective k among complete trials up to each one, in trial order. */
export function bestSoFar(trials: readonly SweepTrial[], k: number, direction: Direction): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  let best: number | null = null;
  for (const { number, value } of completeValues(trials, k)) {
    if (best === null || better(value, best, direction)) best = value;
    x.push(number);
    y.push(best);
  }
  return { x, y };
}

const paramsText = (params: Record<string, unknown>): string =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(4) : String(v)}`)
    .join('<br>');

/**
 * Optimization history of objective k: complete trials, pruned ones at the value they were stopped with,
 * failed ones (no value) along the top of the chart, and the best-so-far line.
 */
export function historyTraces(trials: readonly SweepTrial[], objective: ObjectiveName, k: number): PlotTrace[] {
  const direction = objectiveDirection[objective];
  const sorted = [...trials].sort(byNumber);
  const complete = sorted.filter((t) => t.state === 'complete' && t.values !== null && Number.isFinite(t.values[k]));
  const pruned = sorted.filter((t) => t.state === 'pruned' && t.values !== null && Number.isFinite(t.values[k]));
  const failed = sorted.filter((t) => t.state === 'fail');
  const seen = [...complete, ...pruned].map((t) => t.values![k]);
  const top = seen.length ? (direction === 'minimize' ? Math.max(...seen) : Math.min(...seen)) : 0;
  const best = bestSoFar(trials, k, direction);
  const label = objectiveLabels[objective];
  const traces: PlotTrace[] = [
    {
      type: 'scatter',
      mode: 'markers',
      name: 'complete',
      x: complete.map((t) => t.number),
      y: complete.map((t) => t.values![k]),
      hovertext: complete.map((t) => `trial ${t.number}: ${label} ${t.values![k].toFixed(4)}<br>${paramsText(t.params)}`),
      hoverinfo: 'text',
      marker: { size: 8, color: COLORS.complete },
    },
    {
      type: 'scatter',
      mode: 'lines',
      name: 'best so far',
      x: best.x,
      y: best.y,
      line: { shape: 'hv', color: COLORS.best, width: 2 },
    },
  ];
  if (pruned.length)
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: 'pruned',
      x: pruned.map((t) => t.number),
      y: pruned.map((t) => t.values![k]),
      hovertext: pruned.map((t) => `trial ${t.number} pruned${t.prunedAt !== null ? ` ${stepLabel(t.prunedAt)}` : ''}: ${t.reason ?? ''}`),
      hoverinfo: 'text',
      marker: { size: 8, color: COLORS.pruned, symbol: 'diamond' },
    });
  if (failed.length)
    traces.push({
      type: 'scatter',
      mode: 'markers',
      name: 'failed (no value)',
      x: failed.map((t) => t.number),
      y: failed.map(() => top),
      hovertext: failed.map((t) => `trial ${t.number} failed: ${t.reason ?? 'no value'}`),
      hoverinfo: 'text',
      marker: { size: 10, color: COLORS.fail, symbol: 'x' },
    });
  return traces;
}

/** Parameter importance as horizontal bars, the most important on top. */
export function importanceTraces(importance: readonly { param: string; importance: number }[]): PlotTrace[] {
  if (!importance.length) return [];
  const sorted = [...importance].sort((a, b) => a.importance - b.importance);
  return [
    {
      type: 'bar',
      orientation: 'h',
      name: 'importance',
      x: sorted.map((p) => p.importance),
      y: sorted.map((p) => p.param),
      marker: { color: COLORS.complete },
      showlegend: false,
    },
  ];
}

/** Two objectives: every complete trial, and the non-dominated ones joined in order of the first objective. */
export function paretoTraces(
  trials: readonly SweepTrial[],
  front: readonly BestTrial[],
  objectives: readonly ObjectiveName[],
): PlotTrace[] {
  if (objectives.length < 2) return [];
  const onFront = new Set(front.map((f) => f.trialNumber));
  const complete = trials.filter(
    (t) => t.state === 'complete' && t.values !== null && Number.isFinite(t.values[0]) && Number.isFinite(t.values[1]),
  );
  const others = complete.filter((t) => !onFront.has(t.number));
  const sortedFront = [...front].filter((f) => f.values.length >= 2).sort((a, b) => a.values[0] - b.values[0]);
  const [a, b] = objectives.map((o) => objectiveLabels[o]);
  return [
    {
      type: 'scatter',
      mode: 'markers',
      name: 'dominated',
      x: others.map((t) => t.values![0]),
      y: others.map((t) => t.values![1]),
      hovertext: others.map((t) => `trial ${t.number}: ${a} ${t.values![0].toFixed(4)}, ${b} ${t.values![1].toFixed(4)}`),
      hoverinfo: 'text',
      marker: { size: 7, color: COLORS.muted },
    },
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: 'Pareto front',
      x: sortedFront.map((f) => f.values[0]),
      y: sortedFront.map((f) => f.values[1]),
      hovertext: sortedFront.map((f) => `trial ${f.trialNumber}: ${a} ${f.values[0].toFixed(4)}, ${b} ${f.values[1].toFixed(4)}`),
      hoverinfo: 'text',
      line: { shape: 'hv', color: COLORS.best },
      marker: { size: 9, color: COLORS.best },
    },
  ];
}

export type IntermediateMode = 'fold' | 'iteration';

/** Which intermediate values a sweep's trials reported: the fold ends, boosting iterations, or both. */
export function intermediateModes(trials: readonly SweepTrial[]): IntermediateMode[] {
  let fold = false;
  let iteration = false;
  for (const t of trials)
    for (const p of t.intermediate) {
      if (decodeStep(p.step).iteration === null) fold = true;
      else iteration = true;
    }
  return [...(fold ? (['fold'] as const) : []), ...(iteration ? (['iteration'] as const) : [])];
}

/**
 * One line per trial: the running mean test log loss after each fold (`fold`), or the inner validation
 * log loss at each boosting iteration, folds laid end to end (`iteration`: x counts iterations across
 * folds, the hover names fold and iteration). Pruned trials dashed, so where they stopped shows.
 */
export function intermediateTraces(trials: readonly SweepTrial[], mode: IntermediateMode): PlotTrace[] {
  const sorted = [...trials].sort(byNumber);
  // Per fold, the most iterations any trial reported: the offset of the next fold on the shared axis.
  const foldLength = new Map<number, number>();
  for (const t of sorted)
    for (const p of t.intermediate) {
      const { fold, iteration } = decodeStep(p.step);
      if (iteration !== null) foldLength.set(fold, Math.max(foldLength.get(fold) ?? 0, iteration));
    }
  const offset = (fold: number): number => {
    let sum = 0;
    for (let f = 0; f < fold; f++) sum += foldLength.get(f) ?? 0;
    return sum;
  };
  const traces: PlotTrace[] = [];
  for (const t of sorted) {
    const points = t.intermediate
      .map((p) => ({ ...decodeStep(p.step), step: p.step, value: p.value }))
      .filter((p) => (mode === 'fold' ? p.iteration === null : p.iteration !== null) && Number.isFinite(p.value))
      .sort((p, q) => p.step - q.step);
    if (!points.length) continue;
    traces.push({
      type: 'scatter',
      mode: mode === 'fold' ? 'lines+markers' : 'lines',
      name: `trial ${t.number}${t.state === 'pruned' ? ' (pruned)' : t.state === 'fail' ? ' (failed)' : ''}`,
      x: points.map((p) => (mode === 'fold' ? p.fold + 1 : offset(p.fold) + (p.iteration ?? 0))),
      y: points.map((p) => p.value),
      hovertext: points.map((p) => `trial ${t.number}, ${stepLabel(p.step)}: ${p.value.toFixed(4)}`),
      hoverinfo: 'text',
      line: {
        width: 1,
        dash: t.state === 'complete' || t.state === 'running' ? 'solid' : 'dash',
        ...(t.state === 'pruned' ? { color: COLORS.pruned } : t.state === 'fail' ? { color: COLORS.fail } : {}),
      },
    });
  }
  return traces;
}

/** One axis of the parallel-coordinates chart: where a value sits (0 bottom … 1 top) and what its ticks say. */
export interface ParallelAxis {
  name: string;
  /** Position of a value on the axis, 0..1; null when the trial has no such parameter (a conditional one). */
  position: (v: unknown) => number | null;
  ticks: { at: number; label: string }[];
}

export interface ParallelLine {
  number: number;
  positions: (number | null)[];
  /** 0 for the best trial's objective value … 1 for the worst, for the colour. */
  rank: number;
  value: number;
  best: boolean;
}

const tickLabel = (v: number): string =>
  Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2);

function numericAxis(name: string, low: number, high: number, log: boolean): ParallelAxis {
  const f = (v: number): number => (log ? Math.log(v) : v);
  const lo = f(low);
  const span = f(high) - lo;
  const position = (v: unknown): number | null =>
    typeof v !== 'number' || !Number.isFinite(v) || (log && v <= 0) ? null : span > 0 ? Math.min(1, Math.max(0, (f(v) - lo) / span)) : 0.5;
  return { name: log ? `${name} (log)` : name, position, ticks: [low, high].map((v) => ({ at: position(v) ?? 0, label: tickLabel(v) })) };
}

/**
 * Parallel coordinates of the complete trials: one axis per searched parameter (scaled to its range in
 * the space, log ones on a log scale, categories spread evenly) and one for objective k, each trial one
 * line coloured by how good its value is.
 */
export function parallelCoordinates(
  trials: readonly SweepTrial[],
  space: SearchSpace,
  objective: ObjectiveName,
  k: number,
): { axes: ParallelAxis[]; lines: ParallelLine[] } {
  const complete = trials.filter((t) => t.state === 'complete' && t.values !== null && Number.isFinite(t.values[k])).sort(byNumber);
  const axes: ParallelAxis[] = space.params.map((p) => {
    const d = p.distribution;
    if (d.type === 'categorical') {
      const n = d.choices.length;
      const at = (i: number): number => (n > 1 ? i / (n - 1) : 0.5);
      return {
        name: p.name,
        position: (v) => {
          const i = d.choices.findIndex((c) => c === v);
          return i < 0 ? null : at(i);
        },
        ticks: d.choices.map((c, i) => ({ at: at(i), label: String(c) })),
      };
    }
    return numericAxis(p.name, d.low, d.high, d.log);
  });
  const values = complete.map((t) => t.values![k]);
  const direction = objectiveDirection[objective];
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  axes.push(numericAxis(objectiveLabels[objective], lo, hi, false));
  const bestValue = values.length ? (direction === 'minimize' ? lo : hi) : null;
  const spread = hi - lo;
  const lines = complete.map((t): ParallelLine => {
    const value = t.values![k];
    const goodness = spread > 0 ? (value - lo) / spread : 0;
    return {
      number: t.number,
      positions: [...space.params.map((p, i) => axes[i].position(t.params[p.name])), axes[axes.length - 1].position(value)],
      rank: direction === 'minimize' ? goodness : 1 - goodness,
      value,
      best: value === bestValue,
    };
  });
  return { axes, lines };
}

/** Time left from the job's progress so far: "about 2 min", or null until there is enough to tell. */
export function etaText(startedAt: string | null, progress: number, nowMs: number): string | null {
  if (!startedAt || progress <= 0.01 || progress >= 1) return null;
  const elapsed = nowMs - Date.parse(startedAt);
  if (!Number.isFinite(elapsed) || elapsed <= 0) return null;
  const left = Math.round((elapsed * (1 - progress)) / progress / 1000);
  if (left < 60) return `about ${Math.max(1, left)} s`;
  const min = Math.floor(left / 60);
  return min < 60 ? `about ${min} min ${left % 60} s` : `about ${Math.floor(min / 60)} h ${min % 60} min`;
}
