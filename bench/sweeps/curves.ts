/**
 * What bench/sweeps.ts measures from a finished sweep: its complete trials as (finish time, value), the
 * best-so-far curve over elapsed time, when that curve first reaches a target, and how many trials (in
 * trial-number order) it takes to reach one.
 */

export interface TrialPoint {
  number: number;
  state: 'complete' | 'pruned' | 'fail' | 'running';
  /** Mean test log loss over the folds; null unless complete. */
  value: number | null;
  /** Seconds from the sweep's start (the system's own origin, see bench/sweeps.ts) to the trial's end. */
  endSeconds: number | null;
}

export interface SweepRun {
  system: 'optuna' | 'bullpen';
  sampler: 'tpe' | 'random';
  seed: number;
  wallSeconds: number;
  trials: TrialPoint[];
}

export interface CurvePoint {
  seconds: number;
  best: number;
  trial: number;
}

/** Best-so-far over elapsed time: one point per complete trial that improved it. */
export function bestCurve(run: SweepRun): CurvePoint[] {
  const done = run.trials
    .filter((t) => t.state === 'complete' && t.value !== null && t.endSeconds !== null)
    .sort((a, b) => a.endSeconds! - b.endSeconds! || a.number - b.number);
  const out: CurvePoint[] = [];
  for (const t of done)
    if (out.length === 0 || t.value! < out[out.length - 1].best) out.push({ seconds: t.endSeconds!, best: t.value!, trial: t.number });
  return out;
}

export const finalBest = (run: SweepRun): number | null => {
  const c = bestCurve(run);
  return c.length ? c[c.length - 1].best : null;
};

/** Seconds until the best-so-far first is ≤ target; null when it never is. */
export function timeToReach(run: SweepRun, target: number): number | null {
  return bestCurve(run).find((p) => p.best <= target)?.seconds ?? null;
}

/** Trials (counted in trial-number order, pruned and failed ones included) until one reached ≤ target; null: never. */
export function trialsToReach(run: SweepRun, target: number): number | null {
  const hit = [...run.trials]
    .sort((a, b) => a.number - b.number)
    .findIndex((t) => t.state === 'complete' && t.value !== null && t.value <= target);
  return hit < 0 ? null : hit + 1;
}

/** Best-so-far at given times (for a compact table of the curve). */
export function bestAt(run: SweepRun, seconds: number): number | null {
  let best: number | null = null;
  for (const p of bestCurve(run)) if (p.seconds <= seconds) best = p.best;
  return best;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function counts(run: SweepRun): { complete: number; pruned: number; fail: number } {
  return {
    complete: run.trials.filter((t) => t.state === 'complete').length,
    pruned: run.trials.filter((t) => t.state === 'pruned').length,
    fail: run.trials.filter((t) => t.state === 'fail').length,
  };
}
