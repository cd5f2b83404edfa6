import type { SearchSpace } from '../../../src-main/shared/sweep/distributions';
import type { SamplerName } from '../../../src-main/shared/sweep/trials';
import { GridSampler, type GridOptions } from './gridSampler';
import { RandomSampler } from './randomSampler';
import type { Sampler } from './sampler';
import { TpeSampler, type TpeOptions } from './tpe/tpeSampler';

export interface SamplerOptions extends GridOptions {
  tpe?: Partial<TpeOptions>;
  /** The sweep's space and seed, when known up front: the grid sampler plans its grid (and refuses one too large) at once. */
  space?: SearchSpace;
  seed?: number;
}

/** The sampler a sweep names (`--sampler tpe|random|grid`). */
export function makeSampler(name: SamplerName, options: SamplerOptions = {}): Sampler {
  switch (name) {
    case 'tpe':
      return new TpeSampler(options.tpe);
    case 'random':
      return new RandomSampler();
    case 'grid':
      return new GridSampler(
        { gridPoints: options.gridPoints },
        options.space && options.seed !== undefined ? { space: options.space, seed: options.seed } : undefined,
      );
  }
}
