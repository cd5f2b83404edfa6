import type { RunReader } from '../../tracking/runService';
import type { ParamValue, RunDetail, RunSummary } from '../../tracking/runTypes';

export interface RunComparison {
  runs: RunSummary[];
  /** Every summary metric any of the runs has, by key; deltas are to the first run. */
  metrics: { key: string; values: (number | null)[]; deltas: (number | null)[] }[];
  /** Every parameter any of the runs has, by key, and whether the runs differ in it. */
  params: { key: string; values: (ParamValue | null)[]; differs: boolean }[];
}

/** Runs side by side, the first one the baseline (pure: the runs in, the comparison out). */
export function buildComparison(runs: readonly RunDetail[]): RunComparison {
  const summaries = runs.map(({ featureVersions: _f, curves: _c, artifacts: _a, data: _d, children: _ch, ...s }) => s);
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  return {
    runs: summaries,
    metrics: metricKeys.map((key) => {
      const values = runs.map((r) => r.metrics[key] ?? null);
      const base = values[0];
      return { key, values, deltas: values.map((v) => (v === null || base === null ? null : v - base)) };
    }),
    params: paramKeys.map((key) => {
      const values = runs.map((r) => r.params[key] ?? null);
      return { key, values, differs: new Set(values).size > 1 };
    }),
  };
}

/** `bullpen ml runs compare`: the runs (ids or unique prefixes) read from the run service, in the order given. */
export async function compareRuns(runs: Pick<RunReader, 'get'>, ids: readonly string[]): Promise<RunComparison> {
  const details: RunDetail[] = [];
  for (const id of ids) details.push(await runs.get(id));
  return buildComparison(details);
}
