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

/** Equity (or drawdown) of every strategy of every run, ML solid and rule-based dashed. */
export function equityTraces(runs: RunDetailDto[], field: 'equity' | 'drawdown'): PlotTrace[] {
  return runs.flatMap((r) =>
    equityOf(r).map((s) => ({
      type: 'scatter' as const,
      mode: 'lines' as const,
      name: runs.length > 1 ? `${r.name}: ${s.label}` : s.label,
      x: s.dates,
      y: field === 'equity' ? s.equity : s.drawdown.map((d) => -d),
      line: { dash: s.ml ? ('solid' as const) : ('dash' as const), width: s.ml ? 2 : 1 },
    })),
  );
}

export const fmt = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
export const pct = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`);
