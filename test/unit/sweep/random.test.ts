// The random sampler: uniform on each distribution (on the logs for a log one, every step-grid point
// equally likely, end points included) and conditional parameters only when active.
import { describe, expect, it } from 'vitest';
import type { Distribution, SearchSpace } from '../../../src-main/shared/sweep/distributions';
import { createRng } from '../../../src-workers/compute/stats/rng';
import { makeSampler, sampleUniform } from '../../../src-workers/compute/sweep';

const DRAWS = 20_000;

function counts(d: Distribution, seed: number): Map<unknown, number> {
  const rng = createRng(seed);
  const out = new Map<unknown, number>();
  for (let i = 0; i < DRAWS; i++) {
    const v = sampleUniform(d, rng);
    out.set(v, (out.get(v) ?? 0) + 1);
  }
  return out;
}

/** Every value's share within 4 standard errors of 1/k. */
function expectUniform(c: Map<unknown, number>, values: unknown[]) {
  expect([...c.keys()].sort()).toEqual([...values].sort());
  const p = 1 / values.length;
  const se = Math.sqrt((p * (1 - p)) / DRAWS);
  for (const v of values) expect(Math.abs((c.get(v) as number) / DRAWS - p)).toBeLessThan(4 * se);
}

describe('random sampler', () => {
  it('draws step grids, ints and categoricals uniformly, end points included', () => {
    expectUniform(counts({ type: 'int', low: 1, high: 4, log: false, step: 1 }, 1), [1, 2, 3, 4]);
    expectUniform(counts({ type: 'int', low: 0, high: 21, log: false, step: 7 }, 2), [0, 7, 14, 21]);
    expectUniform(counts({ type: 'float', low: 0.1, high: 0.9, log: false, step: 0.2 }, 3), [0.1, 0.3, 0.5, 0.7, 0.9]);
    expectUniform(counts({ type: 'categorical', choices: ['a', 'b', true, 3] }, 4), ['a', 'b', true, 3]);
  });

  it('draws a log float uniformly on the logs', () => {
    const rng = createRng(5);
    const xs = Array.from(
      { length: DRAWS },
      () => sampleUniform({ type: 'float', low: 1e-4, high: 1, log: true, step: null }, rng) as number,
    );
    for (const x of xs) expect(x >= 1e-4 && x <= 1).toBe(true);
    // Each decade holds a quarter of the draws.
    for (let decade = 0; decade < 4; decade++) {
      const share = xs.filter((x) => x >= 10 ** (decade - 4) && x < 10 ** (decade - 3)).length / DRAWS;
      expect(Math.abs(share - 0.25)).toBeLessThan(0.015);
    }
  });

  it('draws a conditional parameter exactly when its condition holds', () => {
    const space: SearchSpace = {
      params: [
        { name: 'booster', distribution: { type: 'categorical', choices: ['gbdt', 'dart'] } },
        {
          name: 'drop_rate',
          distribution: { type: 'float', low: 0, high: 1, log: false, step: null },
          when: { param: 'booster', in: ['dart'] },
        },
      ],
    };
    const sampler = makeSampler('random');
    let dart = 0;
    for (let n = 0; n < 400; n++) {
      const p = sampler.sample({ space, directions: ['minimize'], history: [], pending: [], trialNumber: n, seed: 1 }) as Record<
        string,
        unknown
      >;
      expect('drop_rate' in p).toBe(p.booster === 'dart');
      if (p.booster === 'dart') dart++;
    }
    expect(dart).toBeGreaterThan(150);
    expect(dart).toBeLessThan(250);
  });
});
