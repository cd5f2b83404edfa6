import type { PlotTrace } from 'plotly.js-dist-min';
import type { RunDetailDto } from '../../../../src-main/api/contract/ops/ml';

/** Chart data out of a run's inlined artifacts; every reader tolerates a run that lacks the artifact. */
export interface CalibrationBin {
  meanPredicted: number | null;
  observedRate: number | null;
  count: number;
}
export interface EquitySeries {
  label: string;
  ml: boolean;
  dates: string[];
  equity: number[];
  drawdown: number[];
}
export interface Importance {
  features: string[];
  meanGainShare: number[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function calibrationOf(run: RunDetailDto): CalibrationBin[] {
  const c = run.data.calibration;
  return isObject(c) && Array.isArray(c.bins) ? (c.bins as CalibrationBin[]) : [];
}

export function equityOf(run: RunDetailDto): EquitySeries[] {
  const e = run.data.equity;
  return isObject(e) && Array.isArray(e.series) ? (e.series as EquitySeries[]) : [];
}

export function importanceOf(run: RunDetailDto): Importance | null {
  const i = run.data.importance;
  return isObject(i) && Array.isArray(i.features) && Array.isArray(i.meanGainShare) ? (i as unknown as Importance) : null;
}

/** Reliability curves of several runs on one plot, with the diagonal of perfect calibration. */
export function calibrationTraces(runs: RunDetailDto[]): PlotTrace[] {
  const traces: PlotTrace[] = [{ type: 'scatter', mode: 'lines', name: 'perfect', x: [0, 1], y: [0, 1], line: { dash: 'dot', width: 1 } }];
  for (const r of runs) {
    const bins = calibrationOf(r).filter((b) => b.count > 0 && b.meanPredicted !== null);
    if (bins.length) traces.push({ type: 'scatter', mode: 'lines+markers', name: r.name, x: bins.map((b) => b.meanPredicted ?? 0), y: bins.map((b) => b.observedRate) });
  }
  return traces;
}

/** Gain share of the features that matter most in any of the runs, one bar group per run. */
export function importanceTraces(runs: RunDetailDto[], top = 15): PlotTrace[] {
  const all = runs.map(importanceOf);
  const score = new Map<string, number>();
  for (const imp of all) imp?.features.forEach((f, j) => score.set(f, Math.max(score.get(f) ?? 0, imp.meanGainShare[j])));
  const features = [...score.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([f]) => f);
  return runs.flatMap((r, k) => {
    const imp = all[k];
    if (!imp) return [];
    return [{ type: 'bar' as const, name: r.name, x: features, y: features.map((f) => imp.meanGainShare[imp.features.indexOf(f)] ?? 0) }];
  });
}

/**
 * Units below the running peak of the bankroll: comparable across flat and compounding strategies, and
 * never the >100% a share of a small peak shows for a flat bettor who keeps betting after going broke.
 */
export function drawdownUnits(equity: number[]): number[] {
  let peak = Number.NEGATIVE_INFINITY;
  return equity.map((e) => {
    peak = Math.max(peak, e);
    return e - peak;
  });
}

/** Equity (or drawdown in units) of every strategy of every run, ML solid and rule-based dashed. */
export function equityTraces(runs: RunDetailDto[], field: 'equity' | 'drawdown'): PlotTrace[] {
  return runs.flatMap((r) =>
    equityOf(r).map((s) => ({
      type: 'scatter' as const,
      mode: 'lines' as const,
      name: runs.length > 1 ? `${r.name}: ${s.label}` : s.label,
      x: s.dates,
      y: field === 'equity' ? s.equity : drawdownUnits(s.equity),
      line: { dash: s.ml ? ('solid' as const) : ('dash' as const), width: s.ml ? 2 : 1 },
    })),
  );
}

/** Counts as integers, everything else to a fixed number of decimals. */
export const fmt = (v: number | null | undefined, digits = 4): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(digits);
export const pct = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`);

/** One fold of a CV run as runCv stores it in folds.json (inclusive dates). */
export interface CvFoldRow {
  index: number;
  trainStart: string;
  trainEnd: string;
  testStart: string;
  testEnd: string;
  trainGames: number;
  testGames: number;
  purged: number;
  embargoed: number;
  logLoss?: number;
}

export function foldsOf(run: RunDetailDto): CvFoldRow[] {
  const f = run.data.folds;
  return isObject(f) && Array.isArray(f.folds) ? (f.folds as CvFoldRow[]) : [];
}

const DAY_MS = 86_400_000;
const dayMs = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The folds of a CV on a timeline, one row per fold (Gantt-style horizontal bars on a date axis): the
 * training window, the gap before the test window, and the test window; hovering shows the game counts
 * and how many training games were purged or embargoed around the test window.
 */
export function foldTimelineTraces(run: RunDetailDto): PlotTrace[] {
  const folds = foldsOf(run);
  if (!folds.length) return [];
  const label = (f: CvFoldRow) => `fold ${f.index + 1}`;
  const guard = (f: CvFoldRow) => `purged ${f.purged}, embargoed ${f.embargoed}`;
  const bar = (name: string, color: string, spans: { f: CvFoldRow; from: number; to: number; text: string }[]): PlotTrace => ({
    type: 'bar',
    orientation: 'h',
    name,
    y: spans.map((s) => label(s.f)),
    base: spans.map((s) => isoDay(s.from)),
    x: spans.map((s) => s.to - s.from),
    hovertext: spans.map((s) => s.text),
    hoverinfo: 'text',
    marker: { color },
  });
  const train = folds.map((f) => ({
    f, from: dayMs(f.trainStart), to: dayMs(f.trainEnd) + DAY_MS,
    text: `${label(f)} train ${f.trainStart} … ${f.trainEnd}: ${f.trainGames} games (${guard(f)})`,
  }));
  const gap = folds
    .filter((f) => dayMs(f.testStart) > dayMs(f.trainEnd) + DAY_MS)
    .map((f) => ({
      f, from: dayMs(f.trainEnd) + DAY_MS, to: dayMs(f.testStart),
      text: `${label(f)} gap ${isoDay(dayMs(f.trainEnd) + DAY_MS)} … ${isoDay(dayMs(f.testStart) - DAY_MS)}: no games used (${guard(f)})`,
    }));
  const test = folds.map((f) => ({
    f, from: dayMs(f.testStart), to: dayMs(f.testEnd) + DAY_MS,
    text: `${label(f)} test ${f.testStart} … ${f.testEnd}: ${f.testGames} games${f.logLoss !== undefined ? `, log loss ${fmt(f.logLoss)}` : ''} (${guard(f)})`,
  }));
  return [bar('train', '#4a7fb5', train), bar('gap', '#c9c9c9', gap), bar('test', '#e0892b', test)];
}
