// A trial's parameters depend on its SampleContext only (no clock, no global random state), and TPE's
// constant liar steers a trial away from the trials still running.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEARCH_SPACE, type SearchSpace } from '../../../src-main/shared/sweep/distributions';
import type { FrozenTrial } from '../../../src-main/shared/sweep/trials';
import { TpeSampler, makeSampler, trialSeed, type SampleContext } from '../../../src-workers/compute/sweep';
import { RandomSampler } from '../../../src-workers/compute/sweep/randomSampler';
import { completeTrial } from './support/simulate';

/** A context past TPE's startup: 14 complete trials, a pruned and a failed one, two pending. */
function context(seed: number, trialNumber: number): SampleContext {
  const random = new RandomSampler();
  const history: FrozenTrial[] = [];
  for (let n = 0; n < 16; n++) {
    const params = random.sample({
      space: DEFAULT_SEARCH_SPACE,
      directions: ['minimize'],
      history: [],
      pending: [],
      trialNumber: n,
      seed: 99,
    });
    const value = ((params.learning_rate as number) - 0.1) ** 2 + ((params.num_leaves as number) - 40) ** 2 / 1e4;
    if (n === 5)
      history.push({ ...completeTrial(n, params, [value]), state: 'pruned', values: null, intermediate: [{ step: 10, value: 0.6 }] });
    else if (n === 9) history.push({ ...completeTrial(n, params, [value]), state: 'fail', values: null });
    else history.push(completeTrial(n, params, [value]));
  }
  const pending = [16, 17].map((n) => ({
    number: n,
    params: random.sample({ space: DEFAULT_SEARCH_SPACE, directions: ['minimize'], history: [], pending: [], trialNumber: n, seed: 99 }),
  }));
  return { space: DEFAULT_SEARCH_SPACE, directions: ['minimize'], history, pending, trialNumber, seed };
}

describe('determinism', () => {
  it.each(['tpe', 'random', 'grid'] as const)(
    '%s: the same context gives the same parameters, from a fresh sampler or a deep copy',
    (name) => {
      const ctx = context(7, 18);
      const first = makeSampler(name).sample(ctx);
      const sampler = makeSampler(name);
      expect(sampler.sample(structuredClone(ctx))).toEqual(first);
      expect(sampler.sample(ctx)).toEqual(first); // and again from a sampler that has already answered
      expect(makeSampler(name).sample({ ...context(8, 18) })).not.toEqual(first); // another seed
      expect(makeSampler(name).sample(context(7, 19))).not.toEqual(first); // another trial
    },
  );

  it('mixes seed and trial number into distinct 32-bit seeds', () => {
    const seeds = new Set<number>();
    for (let seed = 0; seed < 50; seed++) for (let n = 0; n < 200; n++) seeds.add(trialSeed(seed, n));
    expect(seeds.size).toBe(50 * 200);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    // Seeds beyond 32 bits keep their high bits.
    expect(trialSeed(2 ** 40 + 1, 3)).not.toBe(trialSeed(1, 3));
    expect(trialSeed(-1, 3)).not.toBe(trialSeed(2 ** 32 - 1, 3));
  });
});

describe('constant liar', () => {
  // 20 finished trials spread over [0, 1], best near 0.3: TPE's suggestions gather there. With six trials
  // still running around 0.3, those count as bad, and the suggestions move elsewhere.
  const space: SearchSpace = { params: [{ name: 'x', distribution: { type: 'float', low: 0, high: 1, log: false, step: null } }] };
  const history = Array.from({ length: 20 }, (_, i) => completeTrial(i, { x: i / 19 }, [(i / 19 - 0.3) ** 2]));
  const pending = [0.27, 0.28, 0.29, 0.3, 0.31, 0.32].map((x, j) => ({ number: 20 + j, params: { x } }));
  const suggest = (sampler: TpeSampler, withPending: boolean, trialNumber: number) =>
    sampler.sample({ space, directions: ['minimize'], history, pending: withPending ? pending : [], trialNumber, seed: 3 }).x as number;
  const near = (x: number) => Math.abs(x - 0.295) < 0.03;
  const trialNumbers = Array.from({ length: 30 }, (_, i) => 26 + i);

  it('moves suggestions away from the pending trials', () => {
    const tpe = new TpeSampler();
    const alone = trialNumbers.map((n) => suggest(tpe, false, n));
    const crowded = trialNumbers.map((n) => suggest(tpe, true, n));
    expect(alone.filter(near).length).toBeGreaterThanOrEqual(20);
    expect(crowded.filter(near).length).toBeLessThanOrEqual(3);
    const meanDistance = (xs: number[]) => xs.reduce((s, x) => s + Math.abs(x - 0.295), 0) / xs.length;
    expect(meanDistance(crowded)).toBeGreaterThan(3 * meanDistance(alone));
  });

  it('ignores pending trials when switched off', () => {
    const tpe = new TpeSampler({ constantLiar: false });
    for (const n of trialNumbers.slice(0, 5)) expect(suggest(tpe, true, n)).toBe(suggest(tpe, false, n));
  });
});
