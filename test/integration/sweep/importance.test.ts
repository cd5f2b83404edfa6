import { describe, expect, it } from 'vitest';
import type { SearchSpace, TrialParams } from '../../../src-main/shared/sweep/distributions';
import { createRng } from '../../../src-workers/compute/stats';
import { MIN_IMPORTANCE_TRIALS, paramImportance, type ImportanceTrial } from '../../../src-workers/compute/sweep/importance';

// The compute function is called in-process (the real LightGBM binding, no worker pool, no build needed).

const space: SearchSpace = {
  params: [
    { name: 'weak', distribution: { type: 'float', low: 0, high: 1, log: false, step: null } },
    { name: 'strong', distribution: { type: 'float', low: 0.01, high: 0.3, log: true, step: null } },
    { name: 'booster', distribution: { type: 'categorical', choices: ['gbdt', 'dart', 'goss'] } },
    // Present only for dart, as a conditional parameter; absent trials give the surrogate NaN.
    {
      name: 'drop_rate',
      distribution: { type: 'float', low: 0, high: 0.5, log: false, step: null },
      when: { param: 'booster', in: ['dart'] },
    },
  ],
};

/** Random trials of the space (seeded), scored by `f` plus a little noise. */
function trials(n: number, seed: number, f: (p: TrialParams) => number): ImportanceTrial[] {
  const rng = createRng(seed);
  const choices = ['gbdt', 'dart', 'goss'];
  return Array.from({ length: n }, () => {
    const params: TrialParams = {
      weak: rng.nextFloat(),
      strong: Math.exp(Math.log(0.01) + rng.nextFloat() * (Math.log(0.3) - Math.log(0.01))),
      booster: choices[rng.nextInt(3)],
    };
    if (params.booster === 'dart') params.drop_rate = rng.nextFloat() * 0.5;
    return { params, value: f(params) + 0.001 * (rng.nextFloat() - 0.5) };
  });
}

const shares = (list: { param: string; importance: number }[]) => Object.fromEntries(list.map((e) => [e.param, e.importance]));

describe('parameter importance from a LightGBM surrogate', () => {
  it('ranks first, with most of the importance, the parameter the objective depends on', async () => {
    // The objective moves by about 0.3·(log 30)² ≈ 3.5 across `strong`'s range and not at all with the others
    // (only the ±0.0005 noise, which a surrogate can only fit by chance): `strong` must come first with most of the
    // importance, and `weak` — in no term of the function — with little.
    const f = (p: TrialParams) => 0.3 * Math.log((p.strong as number) / 0.05) ** 2;
    const list = await paramImportance(space, trials(60, 11, f), 5);
    expect(list.map((e) => e.param).sort()).toEqual(['booster', 'drop_rate', 'strong', 'weak']);
    expect(list[0].param).toBe('strong');
    const s = shares(list);
    expect(s.strong).toBeGreaterThan(0.8);
    expect(s.weak).toBeLessThan(0.1);
    expect(list.reduce((a, e) => a + e.importance, 0)).toBeCloseTo(1, 12);
    for (const e of list) expect(e.importance).toBeGreaterThanOrEqual(0);
  });

  it('ranks first a categorical parameter the objective depends on', async () => {
    // Only the booster matters, with no order among the choices (dart best, gbdt middle, goss worst, far apart):
    // `booster` must come first with most of the importance.
    const level: Record<string, number> = { gbdt: 0.5, dart: 0, goss: 1 };
    const list = await paramImportance(
      space,
      trials(60, 12, (p) => level[p.booster as string]),
      5,
    );
    expect(list[0].param).toBe('booster');
    expect(shares(list).booster).toBeGreaterThan(0.8);
  });

  it('is reproducible with the seed, and empty below the minimum number of trials', async () => {
    const f = (p: TrialParams) => (p.weak as number) + 0.3 * Math.log(p.strong as number) ** 2;
    const ts = trials(30, 13, f);
    expect(await paramImportance(space, ts, 9)).toEqual(await paramImportance(space, ts, 9));
    // MIN_IMPORTANCE_TRIALS − 1 complete trials: nothing worth ranking. Non-finite values do not count towards it.
    expect(await paramImportance(space, ts.slice(0, MIN_IMPORTANCE_TRIALS - 1), 9)).toEqual([]);
    const withNaN = [...ts.slice(0, MIN_IMPORTANCE_TRIALS - 1), { params: ts[8].params, value: Number.NaN }];
    expect(await paramImportance(space, withNaN, 9)).toEqual([]);
  });
});
