import type { SearchSpace, TrialParams } from '../../../src-main/shared/sweep/distributions';
import type { Direction, FrozenTrial } from '../../../src-main/shared/sweep/trials';

/**
 * What a sampler may look at when it suggests trial `trialNumber` (as Optuna's BaseSampler, reduced to
 * one call per trial). Reproducibility under parallelism rests on this: the engine passes the same
 * `history`, `pending` and seed for a trial number whatever the worker count or timing, so a sampler
 * must depend on nothing else (no clock, no global random state).
 */
export interface SampleContext {
  space: SearchSpace;
  directions: readonly Direction[];
  /** Finished trials (complete, pruned, fail) the sampler may learn from, in trial-number order. */
  history: readonly FrozenTrial[];
  /** Trials asked before this one but not in `history` (running): TPE's constant liar puts them in the worse group. */
  pending: readonly { number: number; params: TrialParams }[];
  trialNumber: number;
  /** The sweep's seed; a sampler derives its random stream from (seed, trialNumber) only. */
  seed: number;
}

export interface Sampler {
  readonly name: string;
  /**
   * The parameters of trial `trialNumber`: every unconditional parameter of the space, and each
   * conditional one whose condition holds. Answers null when the sampler has nothing left (a grid that
   * was fully covered): the sweep then ends.
   */
  sample(ctx: SampleContext): TrialParams | null;
}
