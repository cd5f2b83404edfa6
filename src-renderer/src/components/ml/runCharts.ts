import type { PlotTrace } from 'plotly.js-dist-min';
import type { CvFold } from '../../../../src-main/shared/results';
import type { RunDetailDto } from '../../../../src-main/api/contract/ops/tracking';

// Chart data out of a run's inlined artifacts (typed by their schemas); a run without the artifact draws nothing.

/** Reliability curves of several runs on one plot, with the diagonal of perfect calibration. */
export function calibrationTraces(runs: RunDetailDto[]): PlotTrace[] {
  const traces: PlotTrace[] = [{ type: 'scatter', mode: 'lines', name: 'perfect', x: [0, 1], y: [0, 1], line: { dash: 'dot', width: 1 } }];
  for (const r of runs) {
    const bins = (r.data.calibration?.bins ?? []).filter((b) => b.count > 0 && b.meanPredicted !== null);
    if (bins.length)
      traces.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: r.name,
        x: bins.map((b) => b.meanPredicted ?? 0),
        y: bins.map((b) => b.observedRate),
      });
  }
  return traces;
}

/** Gain share of the features that matter most in any of the runs, one bar group per run. */
export function importanceTraces(runs: RunDetailDto[], top = 15): PlotTrace[] {
  const all = runs.map((r) => r.data.importance ?? null);
  const score = new Map<string, number>();
  for (const imp of all) imp?.features.forEach((f, j) => score.set(f, Math.max(score.get(f) ?? 0, imp.meanGainShare[j])));
  const features = [...score.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([f]) => f);
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
    (r.data.equity?.series ?? []).map((s) => ({
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
export const pct = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;

/** The folds of a CV run (none for other runs). */
export function foldsOf(run: RunDetailDto): CvFold[] {
  return run.data.folds?.folds ?? [];
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
  const label = (f: CvFold) => `fold ${f.index + 1}`;
  const guard = (f: CvFold) => `purged ${f.purged}, embargoed ${f.embargoed}`;
  const bar = (name: string, color: string, spans: { f: CvFold; from: number; to: number; text: string }[]): PlotTrace => ({
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
    f,
    from: dayMs(f.trainStart),
    to: dayMs(f.trainEnd) + DAY_MS,
    text: `${label(f)} train ${f.trainStart} … ${f.trainEnd}: ${f.trainGames} games (${guard(f)})`,
  }));
  const gap = folds
    .filter((f) => dayMs(f.testStart) > dayMs(f.trainEnd) + DAY_MS)
    .map((f) => ({
      f,
      from: dayMs(f.trainEnd) + DAY_MS,
      to: dayMs(f.testStart),
      text: `${label(f)} gap ${isoDay(dayMs(f.trainEnd) + DAY_MS)} … ${isoDay(dayMs(f.testStart) - DAY_MS)}: no games used (${guard(f)})`,
    }));
  const test = folds.map((f) => ({
    f,
    from: dayMs(f.testStart),
    to: dayMs(f.testEnd) + DAY_MS,
    text: `${label(f)} test ${f.testStart} … ${f.testEnd}: ${f.testGames} games${f.logLoss !== null ? `, log loss ${fmt(f.logLoss)}` : ''} (${guard(f)})`,
  }));
  return [bar('train', '#4a7fb5', train), bar('gap', '#c9c9c9', gap), bar('test', '#e0892b', test)];
}
