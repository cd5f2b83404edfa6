import type { Direction, FrozenTrial, IntermediatePoint } from '../../../src-main/shared/sweep/trials';

/**
 * What a pruner sees when a trial reports an intermediate value (as Optuna's BasePruner). The reference
 * trials are the ones the trial's sampler saw (finished before it was asked), not whatever happens to be
 * finished now, so pruning decisions too are the same whatever the worker count or timing.
 */
export interface PruneContext {
  trialNumber: number;
  direction: Direction;
  /** The step just reported and its value (also the last entry of `own`). */
  step: number;
  value: number;
  /** This trial's intermediate values so far, in step order. */
  own: readonly IntermediatePoint[];
  /** Finished trials (complete or pruned) to compare against, in trial-number order. */
  reference: readonly FrozenTrial[];
  seed: number;
}

export interface Pruner {
  readonly name: string;
  /** Null to continue; otherwise why the trial should stop now (recorded on the trial with the step). */
  shouldPrune(ctx: PruneContext): string | null;
}
