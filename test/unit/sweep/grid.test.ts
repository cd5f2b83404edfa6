// The grid sampler: every point once in a seeded order, null once covered, conditional parameters
// expanded only where active.
import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import { DEFAULT_SEARCH_SPACE, type SearchSpace, type TrialParams } from '../../../src-main/shared/sweep/distributions';
import { GridSampler, SeededPermutation, gridSize, gridValues, makeSampler } from '../../../src-workers/compute/sweep';
import { completeTrial } from './support/simulate';

const flat: SearchSpace = {
  params: [
    { name: 'kind', distribution: { type: 'categorical', choices: ['a', 'b', 'c'] } },
    { name: 'n', distribution: { type: 'int', low: 1, high: 4, log: false, step: 1 } },
    { name: 'x', distribution: { type: 'float', low: 0, high: 1, log: false, step: null } },
    { name: 'q', distribution: { type: 'float', low: 0, high: 1, log: false, step: 0.25 } },
  ],
};

/** kind → (a: x 1..3 and y; b: y; c: nothing); z only when x = 3; w always. Counted by hand: (10 + 2 + 1) × 2 = 26. */
const conditional: SearchSpace = {
  params: [
    { name: 'kind', distribution: { type: 'categorical', choices: ['a', 'b', 'c'] } },
    { name: 'x', distribution: { type: 'int', low: 1, high: 3, log: false, step: 1 }, when: { param: 'kind', in: ['a'] } },
    { name: 'y', distribution: { type: 'categorical', choices: ['u', 'v'] }, when: { param: 'kind', in: ['a', 'b'] } },
    { name: 'z', distribution: { type: 'float', low: 0, high: 1, log: false, step: 0.5 }, when: { param: 'x', in: [3] } },
    { name: 'w', distribution: { type: 'categorical', choices: [false, true] } },
  ],
};

/** The conditional space's points listed by nested loops, independently of the sampler. */
function conditionalPoints(): TrialParams[] {
  const out: TrialParams[] = [];
  for (const w of [false, true]) {
    for (const x of [1, 2, 3])
      for (const y of ['u', 'v'])
        for (const z of x === 3 ? [0, 0.5, 1] : [null]) out.push({ kind: 'a', x, y, ...(z === null ? {} : { z }), w });
    for (const y of ['u', 'v']) out.push({ kind: 'b', y, w });
    out.push({ kind: 'c', w });
  }
  return out;
}

const key = (p: TrialParams) =>
  JSON.stringify(
    Object.keys(p)
      .sort()
      .map((k) => [k, p[k]]),
  );

function sweepGrid(space: SearchSpace, seed: number, trials: number, gridPoints?: number): (TrialParams | null)[] {
  const sampler = new GridSampler({ gridPoints });
  const out: (TrialParams | null)[] = [];
  const history = [];
  for (let n = 0; n < trials; n++) {
    const params = sampler.sample({ space, directions: ['minimize'], history, pending: [], trialNumber: n, seed });
    out.push(params);
    if (params) history.push(completeTrial(n, params, [n]));
  }
  return out;
}

describe('grid sampler', () => {
  it('lists each parameter’s values', () => {
    expect(gridValues(flat.params[0].distribution)).toEqual(['a', 'b', 'c']);
    expect(gridValues(flat.params[1].distribution)).toEqual([1, 2, 3, 4]);
    expect(gridValues(flat.params[2].distribution, { gridPoints: 3 })).toEqual([0, 0.5, 1]);
    expect(gridValues(flat.params[3].distribution)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const logSpaced = gridValues({ type: 'float', low: 0.01, high: 1, log: true, step: null }, { gridPoints: 3 }) as number[];
    expect(logSpaced[0]).toBe(0.01);
    expect(logSpaced[1]).toBeCloseTo(0.1, 12);
    expect(logSpaced[2]).toBe(1);
    expect(gridValues({ type: 'float', low: 0.1, high: 0.7, log: false, step: 0.2 })).toEqual([0.1, 0.3, 0.5, 0.7]);
    expect(gridValues({ type: 'int', low: 0, high: 20, log: false, step: 5 })).toEqual([0, 5, 10, 15, 20]);
  });

  it('covers the whole cartesian product once per seed, then answers null', () => {
    const expected = new Set<string>();
    for (const kind of ['a', 'b', 'c'])
      for (const n of [1, 2, 3, 4])
        for (const x of [0, 0.5, 1]) for (const q of [0, 0.25, 0.5, 0.75, 1]) expected.add(key({ kind, n, x, q }));
    expect(gridSize(flat, { gridPoints: 3 })).toBe(180);
    const orders: string[][] = [];
    for (const seed of [1, 2, 3, 123456789]) {
      const points = sweepGrid(flat, seed, 182, 3);
      const listed = points.slice(0, 180).map((p) => key(p as TrialParams));
      expect(new Set(listed).size).toBe(180);
      expect(new Set(listed)).toEqual(expected);
      expect(points[180]).toBeNull();
      expect(points[181]).toBeNull();
      orders.push(listed);
    }
    // The seed decides the order.
    for (let i = 1; i < orders.length; i++) expect(orders[i].slice(0, 20)).not.toEqual(orders[0].slice(0, 20));
    expect(sweepGrid(flat, 2, 180, 3).map((p) => key(p as TrialParams))).toEqual(orders[1]);
  });

  it('expands conditional parameters only where their condition holds', () => {
    expect(gridSize(conditional)).toBe(26);
    const expected = new Set(conditionalPoints().map(key));
    expect(expected.size).toBe(26);
    for (const seed of [0, 9]) {
      const points = sweepGrid(conditional, seed, 27);
      expect(new Set(points.slice(0, 26).map((p) => key(p as TrialParams)))).toEqual(expected);
      expect(points[26]).toBeNull();
    }
  });

  it('gives trial n the same point whatever the history (so workers never repeat a point)', () => {
    const sampler = new GridSampler();
    const alone = sampler.sample({ space: conditional, directions: ['minimize'], history: [], pending: [], trialNumber: 7, seed: 4 });
    const crowded = new GridSampler().sample({
      space: conditional,
      directions: ['minimize'],
      history: [completeTrial(0, { kind: 'c', w: true }, [1])],
      pending: [{ number: 3, params: { kind: 'b', y: 'u', w: false } }],
      trialNumber: 7,
      seed: 4,
    });
    expect(crowded).toEqual(alone);
  });

  it('walks the default space’s large grid without listing it', () => {
    // num_leaves 291 × 5 × 5 × 5 × bagging_freq 7 × min_child_samples 96 × max_depth 13 × 5 × 5 floats.
    expect(gridSize(DEFAULT_SEARCH_SPACE)).toBe(291 * 5 * 5 * 5 * 7 * 96 * 13 * 5 * 5);
    const sampler = makeSampler('grid', { space: DEFAULT_SEARCH_SPACE, seed: 1 });
    const seen = new Set<string>();
    for (const n of [0, 1, 2, 1000, 7_944_299_999]) {
      const p = sampler.sample({
        space: DEFAULT_SEARCH_SPACE,
        directions: ['minimize'],
        history: [],
        pending: [],
        trialNumber: n,
        seed: 1,
      });
      expect(Object.keys(p as TrialParams)).toEqual(DEFAULT_SEARCH_SPACE.params.map((q) => q.name));
      seen.add(key(p as TrialParams));
    }
    expect(seen.size).toBe(5);
    expect(
      sampler.sample({
        space: DEFAULT_SEARCH_SPACE,
        directions: ['minimize'],
        history: [],
        pending: [],
        trialNumber: 7_944_300_000,
        seed: 1,
      }),
    ).toBeNull();
  });

  it('refuses a grid too large to enumerate', () => {
    const huge: SearchSpace = {
      params: Array.from({ length: 30 }, (_, i) => ({
        name: `p${i}`,
        distribution: { type: 'int' as const, low: 1, high: 100, log: false, step: 1 },
      })),
    };
    expect(() => makeSampler('grid', { space: huge, seed: 1 })).toThrow(BullpenError);
    expect(() => makeSampler('grid', { space: huge, seed: 1 })).toThrow(/too many to enumerate/);
  });
});

describe('seeded permutation', () => {
  it('is a bijection of 0 … n − 1 for any n', () => {
    for (const n of [1, 2, 3, 7, 64, 1000, 4097]) {
      for (const seed of [0, 42]) {
        const perm = new SeededPermutation(n, seed);
        const image = Array.from({ length: n }, (_, i) => perm.at(i));
        expect(new Set(image).size).toBe(n);
        expect(Math.min(...image)).toBe(0);
        expect(Math.max(...image)).toBe(n - 1);
      }
    }
    expect(() => new SeededPermutation(5, 1).at(5)).toThrow(RangeError);
  });
});
