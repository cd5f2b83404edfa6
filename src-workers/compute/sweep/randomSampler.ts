import {
  paramActive,
  type Distribution,
  type ParamValue,
  type SearchSpace,
  type TrialParams,
} from '../../../src-main/shared/sweep/distributions';
import { createRng, type Rng } from '../stats/rng';
import { effectiveHigh, snapToGrid, stepOf } from './paramValues';
import type { SampleContext, Sampler } from './sampler';
import { trialSeed } from './seeds';

/**
 * One value drawn uniformly from a distribution, as Optuna's RandomSampler: uniform on [low, high]
 * (on the logs for a log distribution); a discrete one draws on [low − step/2, high + step/2] and rounds
 * to the step grid, so the end points are as likely as the inner ones; a categorical picks a choice.
 */
export function sampleUniform(d: Distribution, rng: Rng): ParamValue {
  if (d.type === 'categorical') return d.choices[rng.nextInt(d.choices.length)];
  const step = stepOf(d);
  const high = effectiveHigh(d);
  const half = step === null ? 0 : step / 2;
  const u = rng.nextFloat();
  let v: number;
  if (d.log) {
    const lo = Math.log(d.low - half);
    const hi = Math.log(high + half);
    v = Math.exp(lo + u * (hi - lo));
  } else {
    v = d.low - half + u * (high - d.low + 2 * half);
  }
  if (step !== null) return snapToGrid(d, v);
  return Math.min(high, Math.max(d.low, v));
}

/** Every active parameter of the space drawn uniformly, in the space's order (a condition sees the earlier draws). */
export function sampleSpaceUniform(space: SearchSpace, rng: Rng): TrialParams {
  const params: TrialParams = {};
  for (const p of space.params) {
    if (paramActive(p, params)) params[p.name] = sampleUniform(p.distribution, rng);
  }
  return params;
}

/** Optuna's RandomSampler: each trial independent of the others, from its own seeded stream. */
export class RandomSampler implements Sampler {
  readonly name = 'random';

  sample(ctx: SampleContext): TrialParams {
    return sampleSpaceUniform(ctx.space, createRng(trialSeed(ctx.seed, ctx.trialNumber)));
  }
}
