import type { SearchSpace, TrialParams } from '../../../../src-main/shared/sweep/distributions';
import type { Direction, FrozenTrial } from '../../../../src-main/shared/sweep/trials';
import type { Sampler } from '../../../../src-workers/compute/sweep';

/** A complete trial as the engine would record it. */
export function completeTrial(number: number, params: TrialParams, values: number[]): FrozenTrial {
  return { number, state: 'complete', params, values, intermediate: [], durationMs: null, prunedAt: null, reason: null };
}

/** A sequential sweep (one worker): each trial sampled from all the finished ones, then evaluated. */
export async function simulateSweep(
  sampler: Sampler,
  space: SearchSpace,
  directions: readonly Direction[],
  objective: (params: TrialParams) => number[] | Promise<number[]>,
  trials: number,
  seed: number,
): Promise<FrozenTrial[]> {
  const history: FrozenTrial[] = [];
  for (let n = 0; n < trials; n++) {
    const params = sampler.sample({ space, directions, history, pending: [], trialNumber: n, seed });
    if (params === null) break;
    history.push(completeTrial(n, params, await objective(params)));
  }
  return history;
}

/** The best (lowest) first value over a sweep's trials. */
export function bestValue(trials: readonly FrozenTrial[]): number {
  return Math.min(...trials.map((t) => (t.values as number[])[0]));
}
