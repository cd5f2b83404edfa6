import type { FrozenTrial } from '../../../../src-main/shared/sweep/trials';
import type { Pruner, PruneContext } from '../pruner';
import { describeStep, foldOf, formatPair, isFoldEnd, iterationOf, valueAt, worse } from './steps';

export interface MedianPrunerOptions {
  /** Complete reference trials needed before anything is pruned. */
  startupTrials: number;
  /** Iterations of a fold before pruning applies within it. */
  warmupSteps: number;
  /** Judge the first reported iteration of every window of this many, counted from the warm-up. */
  intervalSteps: number;
  /** Which steps are judged: fold ends, boosting iterations, or both. */
  on: 'fold' | 'iteration' | 'both';
}

/**
 * Optuna's MedianPruner (its PercentilePruner at 50): a trial stops when its value is worse than the
 * median of the complete reference trials' values at the same step, counting only those that reported
 * that step; nothing is pruned before `startupTrials` trials completed.
 *
 * Optuna compares the trial's best intermediate value over all its steps. Here steps hold two series
 * per fold, so "best so far" is taken where it means the same thing as in Optuna: at an iteration step,
 * the best inner validation loss of this fold's boosting so far (the value early stopping would keep;
 * other folds' curves are on other validation rows). At a fold end it is that fold end's value: the
 * running mean over folds 0..F is not a learning curve, and the best of the earlier means (over easier
 * or harder folds) would compare unlike with like. Warm-up and interval count iterations within a fold,
 * with Optuna's rule: an interval's check is postponed to the first iteration reported in it.
 */
export class MedianPruner implements Pruner {
  readonly name = 'median';

  constructor(
    private readonly o: MedianPrunerOptions,
    private readonly percentile = 50,
  ) {}

  shouldPrune(ctx: PruneContext): string | null {
    const end = isFoldEnd(ctx.step);
    if (end ? this.o.on === 'iteration' : this.o.on === 'fold') return null;
    const complete = ctx.reference.filter((t) => t.state === 'complete');
    if (complete.length === 0 || complete.length < this.o.startupTrials) return null;

    let judged = ctx.value;
    if (!end) {
      const iteration = iterationOf(ctx.step);
      if (iteration < this.o.warmupSteps) return null;
      const fold = foldOf(ctx.step);
      const earlier = ctx.own.filter((p) => foldOf(p.step) === fold && !isFoldEnd(p.step) && p.step < ctx.step);
      const earlierIterations = earlier.map((p) => iterationOf(p.step));
      if (!this.firstInInterval(iteration, earlierIterations)) return null;
      judged = best([ctx.value, ...earlier.map((p) => p.value)], ctx.direction);
    }
    if (Number.isNaN(judged)) return `median pruner: the value at ${describeStep(ctx.step)} is NaN`;

    const values = referenceValues(complete, ctx.step);
    if (values.length === 0) return null;
    const cut = percentileOf(values, ctx.direction === 'maximize' ? 100 - this.percentile : this.percentile);
    if (!worse(judged, cut, ctx.direction)) return null;
    const [v, m] = formatPair(judged, cut);
    const label = this.percentile === 50 ? 'the median' : `the ${this.percentile}th percentile`;
    const where = describeStep(ctx.step);
    return end
      ? `median pruner: ${v} at ${where} is worse than ${label} ${m} of ${values.length} complete trials`
      : `median pruner: the best value ${v} of fold ${foldOf(ctx.step) + 1} up to iteration ${iterationOf(ctx.step)} is worse than ${label} ${m} of ${values.length} complete trials at ${where}`;
  }

  /** Optuna's `_is_first_in_interval_step`, on this fold's iterations. */
  private firstInInterval(iteration: number, earlierIterations: number[]): boolean {
    const { warmupSteps: warmup, intervalSteps: interval } = this.o;
    const nearestLowerPruningStep = Math.floor((iteration - warmup) / interval) * interval + warmup;
    const previous = earlierIterations.reduce((a, b) => Math.max(a, b), -1);
    return previous < nearestLowerPruningStep;
  }
}

function best(values: number[], direction: PruneContext['direction']): number {
  const finite = values.filter((v) => !Number.isNaN(v));
  if (finite.length === 0) return Number.NaN;
  return direction === 'minimize' ? Math.min(...finite) : Math.max(...finite);
}

/** The reference trials' values at exactly `step` (NaN left out, as numpy's nanpercentile does). */
function referenceValues(trials: readonly FrozenTrial[], step: number): number[] {
  const out: number[] = [];
  for (const t of trials) {
    const v = valueAt(t.intermediate, step);
    if (v !== undefined && !Number.isNaN(v)) out.push(v);
  }
  return out;
}

/** The q-th percentile with linear interpolation between order statistics (numpy's default method). */
export function percentileOf(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = ((sorted.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
