import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded random source: the same seed gives the same numbers on every machine and in every worker. */
export interface Rng {
  /** Uniform integer in [0, maxExclusive). */
  nextInt(maxExclusive: number): number;
  /** Uniform float in [0, 1). */
  nextFloat(): number;
}

/** xoroshiro128+ from pure-rand (fast-check's generator, maintained and deterministic across platforms). */
export function createRng(seed: number): Rng {
  const gen = xoroshiro128plus(seed | 0);
  return {
    nextInt: (maxExclusive) => uniformInt(gen, 0, maxExclusive - 1),
    nextFloat: () => uniformFloat64(gen),
  };
}
