import type { TrialParams } from '../../../../src-main/shared/sweep/distributions';
import type { Direction, FrozenTrial } from '../../../../src-main/shared/sweep/trials';
import { nonDominatedRanksOfLosses, referencePoint, selectHypervolumeSubset, toLoss } from '../pareto';

/** A trial as a Parzen estimator sees it: its number (for the weights' age order) and its parameters. */
export interface Observed {
  number: number;
  params: TrialParams;
}

const MAX_BELOW_SINGLE_OBJECTIVE = 25;

/** Optuna's default gamma: how many of n finished trials form the "below" (good) group. */
export function gamma(n: number, objectives: number): number {
  const below = Math.ceil(0.1 * n);
  return objectives > 1 ? below : Math.min(below, MAX_BELOW_SINGLE_OBJECTIVE);
}

/** A complete trial TPE can rank: one finite-or-infinite, non-NaN value per objective (Optuna fails the others). */
export function isRankable(t: FrozenTrial, objectives: number): boolean {
  return t.state === 'complete' && t.values !== null && t.values.length === objectives && t.values.every((v) => !Number.isNaN(v));
}

/**
 * Optuna's order of pruned trials: the furthest-reaching first (largest last step), then by the value at
 * that step (better first; NaN last); trials that reported nothing after all of them.
 */
function prunedScore(t: FrozenTrial, direction: Direction): [number, number] {
  if (t.intermediate.length === 0) return [1, 0];
  let last = t.intermediate[0];
  for (const p of t.intermediate) if (p.step >= last.step) last = p;
  if (Number.isNaN(last.value)) return [-last.step, Infinity];
  return [-last.step, direction === 'minimize' ? last.value : -last.value];
}

function splitComplete(trials: FrozenTrial[], directions: readonly Direction[], nBelow: number): [FrozenTrial[], FrozenTrial[]] {
  const k = Math.min(nBelow, trials.length);
  if (directions.length === 1) {
    const sign = directions[0] === 'maximize' ? -1 : 1;
    // A stable sort: equal values keep trial-number order, as Python's sorted.
    const sorted = [...trials].sort((a, b) => sign * ((a.values as number[])[0] - (b.values as number[])[0]) || 0);
    return [sorted.slice(0, k), sorted.slice(k)];
  }
  if (k === 0) return [[], trials];
  if (k === trials.length) return [trials, []];
  const losses = trials.map((t) => toLoss(t.values as number[], directions));
  const ranks = nonDominatedRanksOfLosses(losses);
  // Whole fronts while they fit; the next front is cut by greedy hypervolume subset selection.
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  let lastWhole = -1;
  let taken = 0;
  while (taken + (counts.get(lastWhole + 1) ?? Infinity) <= k) taken += counts.get(++lastWhole) as number;
  const below = new Set(ranks.flatMap((r, i) => (r <= lastWhole ? [i] : [])));
  if (below.size < k) {
    const tied = ranks.flatMap((r, i) => (r === lastWhole + 1 ? [i] : []));
    const tiedLosses = tied.map((i) => losses[i]);
    for (const j of selectHypervolumeSubset(tiedLosses, k - below.size, referencePoint(tiedLosses))) below.add(tied[j]);
  }
  return [trials.filter((_, i) => below.has(i)), trials.filter((_, i) => !below.has(i))];
}

function splitPruned(trials: FrozenTrial[], nBelow: number, direction: Direction): [FrozenTrial[], FrozenTrial[]] {
  const k = Math.min(nBelow, trials.length);
  const scored = trials.map((t) => ({ t, s: prunedScore(t, direction) }));
  scored.sort((a, b) => a.s[0] - b.s[0] || (a.s[1] === b.s[1] ? 0 : a.s[1] < b.s[1] ? -1 : 1));
  const sorted = scored.map(({ t }) => t);
  return [sorted.slice(0, k), sorted.slice(k)];
}

export interface SplitOptions {
  /** Pending (running) trials join the worse group so parallel workers do not pile into one region. */
  constantLiar: boolean;
  /** Direction of the intermediate values pruned trials are ranked by. */
  intermediateDirection: Direction;
}

export interface Split {
  below: Observed[];
  above: Observed[];
  /** Finished trials counted (complete and pruned). */
  n: number;
}

/**
 * Optuna's _split_trials: the best gamma(n) of the n finished trials are "below" — complete ones by value
 * (by non-dominated rank and hypervolume with several objectives), then pruned ones if complete trials
 * are too few; the rest, and with the constant liar the pending trials, are "above". Failed trials are
 * ignored. Both groups are in trial-number order.
 */
export function splitTrials(
  history: readonly FrozenTrial[],
  pending: readonly Observed[],
  directions: readonly Direction[],
  opts: SplitOptions,
): Split {
  const complete = history.filter((t) => isRankable(t, directions.length));
  const pruned = history.filter((t) => t.state === 'pruned');
  const n = complete.length + pruned.length;
  const nBelow = gamma(n, directions.length);
  const [belowComplete, aboveComplete] = splitComplete(complete, directions, nBelow);
  const [belowPruned, abovePruned] = splitPruned(pruned, Math.max(0, nBelow - belowComplete.length), opts.intermediateDirection);
  const byNumber = (a: Observed, b: Observed) => a.number - b.number;
  const observed = (t: FrozenTrial): Observed => ({ number: t.number, params: t.params });
  const below = [...belowComplete, ...belowPruned].map(observed).sort(byNumber);
  const above = [...aboveComplete, ...abovePruned].map(observed);
  if (opts.constantLiar) above.push(...pending.map((p) => ({ number: p.number, params: p.params })));
  return { below, above: above.sort(byNumber), n };
}
