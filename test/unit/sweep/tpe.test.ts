// TPE: Optuna's split of trials (pruned ones, several objectives), its startup, and that it finds better
// parameters than random search, judged over many seeds with a rank test at a stated α.
import { describe, expect, it } from 'vitest';
import { paramActive, type SearchSpace, type TrialParams } from '../../../src-main/shared/sweep/distributions';
import type { FrozenTrial } from '../../../src-main/shared/sweep/trials';
import { RandomSampler, TpeSampler, gamma, hypervolumeOfLosses, makeSampler, splitTrials } from '../../../src-workers/compute/sweep';
import { median, wilcoxonSignedRankLess } from './support/rankTests';
import { bestValue, completeTrial, simulateSweep } from './support/simulate';

const LIAR = { constantLiar: true, intermediateDirection: 'minimize' as const };

function pruned(number: number, intermediate: [number, number][]): FrozenTrial {
  return {
    number,
    state: 'pruned',
    params: { x: number / 100 },
    values: null,
    intermediate: intermediate.map(([step, value]) => ({ step, value })),
    durationMs: null,
    prunedAt: intermediate.length ? intermediate[intermediate.length - 1][0] : null,
    reason: 'median pruner',
  };
}

function failed(number: number): FrozenTrial {
  return { number, state: 'fail', params: { x: 0.5 }, values: null, intermediate: [], durationMs: null, prunedAt: null, reason: 'boom' };
}

describe('rank test helper', () => {
  it('gives the exact one-sided Wilcoxon p-values', () => {
    // All 12 differences negative: W+ = 0, p = 2^−12. Twelve pairs with one positive of rank 1: p = 2/4096.
    const y = Array.from({ length: 12 }, (_, i) => i + 1);
    expect(
      wilcoxonSignedRankLess(
        y.map((v) => v - v * 0.5),
        y,
      ).pLess,
    ).toBeCloseTo(1 / 4096, 15);
    const x = y.map((v, i) => (i === 0 ? v + 0.5 : v - v * 0.5));
    expect(wilcoxonSignedRankLess(x, y).pLess).toBeCloseTo(2 / 4096, 15);
    // scipy.stats.wilcoxon(d, alternative='less', method='exact') for d = [-3, -1, 2, -5, -4, 6, -7, -8] gives 0.09765625.
    const d = [-3, -1, 2, -5, -4, 6, -7, -8];
    expect(wilcoxonSignedRankLess(d, new Array(8).fill(0)).pLess).toBeCloseTo(0.09765625, 12);
  });
});

describe('splitting trials', () => {
  it('uses gamma(n) = min(⌈n/10⌉, 25) with one objective and ⌈n/10⌉ with several', () => {
    expect([0, 1, 10, 11, 100, 250, 251, 1000].map((n) => gamma(n, 1))).toEqual([0, 1, 1, 2, 10, 25, 25, 25]);
    expect(gamma(1000, 2)).toBe(100);
  });

  it('ranks pruned trials after complete ones: furthest step first, then value; failed trials are ignored', () => {
    const history: FrozenTrial[] = [
      completeTrial(0, { x: 0 }, [0.9]),
      pruned(1, [
        [10, 0.5],
        [20, 0.6],
      ]),
      pruned(2, [
        [10, 0.4],
        [30, 0.9],
      ]),
      pruned(3, [
        [10, 0.3],
        [30, 0.7],
      ]), // furthest step, better than trial 2 there
      pruned(4, []), // reported nothing: last
      ...Array.from({ length: 15 }, (_, i) => pruned(5 + i, [[10, 0.1]])), // early steps only, even if good
      failed(20),
      failed(21),
    ];
    const split = splitTrials(history, [], ['minimize'], LIAR);
    expect(split.n).toBe(20); // 1 complete + 19 pruned; failed trials do not count
    expect(split.below.map((t) => t.number)).toEqual([0, 3]); // gamma(20) = 2
    expect(split.above.map((t) => t.number)).toEqual([1, 2, 4, ...Array.from({ length: 15 }, (_, i) => 5 + i)]);
  });

  it('puts pending trials in the worse group under the constant liar only', () => {
    const history = Array.from({ length: 10 }, (_, i) => completeTrial(i, { x: i / 10 }, [i]));
    const pending = [{ number: 10, params: { x: 0.05 } }];
    expect(splitTrials(history, pending, ['minimize'], LIAR).above.map((t) => t.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(splitTrials(history, pending, ['minimize'], { ...LIAR, constantLiar: false }).above.map((t) => t.number)).not.toContain(10);
    // Maximizing: the largest value is best.
    expect(splitTrials(history, [], ['maximize'], LIAR).below.map((t) => t.number)).toEqual([9]);
  });

  it('splits several objectives by non-dominated rank, cutting the boundary front by hypervolume', () => {
    // Front (0,4) (1,2) (2,1) (4,0) and 16 dominated trials; gamma(20) = 2. Reference point of the front:
    // 1.1 × worst = (4.4, 4.4). Boxes: 1.76, 8.16, 8.16, 1.76 → (1,2) first (lexicographic tie-break),
    // then (2,1) adds 8.16 − 2.4·2.4 = 2.4 against 0.4 and 0.8 for the outer two.
    const front = [
      [4, 0],
      [0, 4],
      [2, 1],
      [1, 2],
    ];
    const history = [
      ...front.map((v, i) => completeTrial(i, { x: i }, v)),
      ...Array.from({ length: 16 }, (_, i) => completeTrial(4 + i, { x: 4 + i }, [5 + i, 5 + i])),
    ];
    const split = splitTrials(history, [], ['minimize', 'minimize'], LIAR);
    expect(split.below.map((t) => t.number)).toEqual([2, 3]);
    // Maximizing both turns the dominated trials into the front: the best two by hypervolume are the largest.
    const flipped = splitTrials(history, [], ['maximize', 'maximize'], LIAR);
    expect(flipped.below.map((t) => t.number)).toEqual([18, 19]);
  });
});

const quadSpace: SearchSpace = {
  params: ['x0', 'x1', 'x2', 'x3'].map((name) => ({
    name,
    distribution: { type: 'float' as const, low: -5, high: 5, log: false, step: null },
  })),
};
const CENTRE = [1.5, -2.2, 3.1, -0.7];
const shiftedQuadratic = (p: TrialParams) => [CENTRE.reduce((s, c, i) => s + ((p[`x${i}`] as number) - c) ** 2, 0)];

describe('TPE', () => {
  it('samples at random for its first 10 finished (complete or pruned) trials', () => {
    const ctx = (history: FrozenTrial[]) => ({
      space: quadSpace,
      directions: ['minimize' as const],
      history,
      pending: [],
      trialNumber: 14,
      seed: 8,
    });
    const nine = Array.from({ length: 9 }, (_, i) => completeTrial(i, { x0: 0, x1: 0, x2: 0, x3: 0 }, [i]));
    const random = new RandomSampler().sample(ctx(nine));
    expect(new TpeSampler().sample(ctx(nine))).toEqual(random);
    expect(new TpeSampler().sample(ctx([...nine, failed(9), failed(10)]))).toEqual(random);
    expect(new TpeSampler().sample(ctx([...nine, pruned(9, [[10, 0.5]])]))).not.toEqual(random);
  });

  it('beats random search on a shifted 4-D quadratic (60 trials, 30 seeds, one-sided Wilcoxon signed-rank, α = 0.01)', async () => {
    const ALPHA = 0.01;
    const tpe: number[] = [];
    const random: number[] = [];
    for (let seed = 0; seed < 30; seed++) {
      tpe.push(bestValue(await simulateSweep(makeSampler('tpe'), quadSpace, ['minimize'], shiftedQuadratic, 60, seed)));
      random.push(bestValue(await simulateSweep(makeSampler('random'), quadSpace, ['minimize'], shiftedQuadratic, 60, seed)));
    }
    const test = wilcoxonSignedRankLess(tpe, random);
    console.info(
      `quadratic: TPE median best ${median(tpe).toFixed(4)}, random ${median(random).toFixed(4)}; W+ = ${test.wPlus} of n = ${test.n}, p = ${test.pLess.toExponential(3)}`,
    );
    expect(test.pLess).toBeLessThan(ALPHA);
  });

  it('beats random search on hypervolume with two objectives (ZDT1, 50 trials, 20 seeds, one-sided Wilcoxon, α = 0.01)', async () => {
    const ALPHA = 0.01;
    const D = 4;
    const space: SearchSpace = {
      params: Array.from({ length: D }, (_, i) => ({
        name: `x${i}`,
        distribution: { type: 'float' as const, low: 0, high: 1, log: false, step: null },
      })),
    };
    const zdt1 = (p: TrialParams) => {
      const x = Array.from({ length: D }, (_, i) => p[`x${i}`] as number);
      const g = 1 + (9 * x.slice(1).reduce((a, b) => a + b, 0)) / (D - 1);
      return [x[0], g * (1 - Math.sqrt(x[0] / g))];
    };
    const negativeHv = async (name: 'tpe' | 'random', seed: number) => {
      const trials = await simulateSweep(makeSampler(name), space, ['minimize', 'minimize'], zdt1, 50, seed);
      return -hypervolumeOfLosses(
        trials.map((t) => t.values as number[]),
        [1.1, 11],
      );
    };
    const tpe: number[] = [];
    const random: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      tpe.push(await negativeHv('tpe', seed));
      random.push(await negativeHv('random', seed));
    }
    const test = wilcoxonSignedRankLess(tpe, random);
    console.info(
      `ZDT1: MOTPE median hypervolume ${(-median(tpe)).toFixed(4)}, random ${(-median(random)).toFixed(4)}; p = ${test.pLess.toExponential(3)}`,
    );
    expect(test.pLess).toBeLessThan(ALPHA);
  });

  it('samples a conditional, categorical, log and stepped space validly, learning each branch', async () => {
    const space: SearchSpace = {
      params: [
        { name: 'booster', distribution: { type: 'categorical', choices: ['gbdt', 'dart', 'goss'] } },
        { name: 'learning_rate', distribution: { type: 'float', low: 0.001, high: 1, log: true, step: null } },
        { name: 'num_leaves', distribution: { type: 'int', low: 8, high: 256, log: true, step: 1 } },
        { name: 'min_child_samples', distribution: { type: 'int', low: 5, high: 100, log: false, step: 5 } },
        { name: 'feature_fraction', distribution: { type: 'float', low: 0.4, high: 1, log: false, step: 0.1 } },
        {
          name: 'drop_rate',
          distribution: { type: 'float', low: 0.05, high: 0.5, log: false, step: null },
          when: { param: 'booster', in: ['dart'] },
        },
        {
          name: 'skip_drop',
          distribution: { type: 'float', low: 0.1, high: 0.9, log: false, step: null },
          when: { param: 'drop_rate', in: [0.05] },
        },
        {
          name: 'top_rate',
          distribution: { type: 'float', low: 0.1, high: 0.5, log: false, step: null },
          when: { param: 'booster', in: ['goss'] },
        },
      ],
    };
    // Best with dart, drop_rate near 0.2, learning rate near 0.05, 64 leaves, min_child_samples 20, feature_fraction 0.7.
    const objective = (p: TrialParams) => [
      (p.booster === 'dart' ? 0 : 1) +
        (p.booster === 'dart' ? ((p.drop_rate as number) - 0.2) ** 2 * 10 : 0) +
        (Math.log10(p.learning_rate as number) - Math.log10(0.05)) ** 2 +
        (Math.log2(p.num_leaves as number) - 6) ** 2 / 4 +
        (((p.min_child_samples as number) - 20) / 50) ** 2 +
        ((p.feature_fraction as number) - 0.7) ** 2,
    ];
    const trials = await simulateSweep(makeSampler('tpe'), space, ['minimize'], objective, 60, 5);
    expect(trials).toHaveLength(60);
    for (const t of trials) {
      const params = t.params;
      for (const p of space.params) {
        const active = paramActive(p, params);
        expect(p.name in params).toBe(active);
        if (!active) continue;
        const v = params[p.name];
        const d = p.distribution;
        if (d.type === 'categorical') expect(d.choices).toContain(v);
        else {
          expect(typeof v === 'number' && v >= d.low && v <= d.high).toBe(true);
          if (d.type === 'int') expect(Number.isInteger(v) && ((v as number) - d.low) % d.step === 0).toBe(true);
          if (d.type === 'float' && d.step !== null)
            expect(Math.abs(((v as number) - d.low) / d.step - Math.round(((v as number) - d.low) / d.step))).toBeLessThan(1e-9);
        }
      }
      expect(Object.keys(params)).toEqual(space.params.filter((p) => p.name in params).map((p) => p.name));
    }
    // After the 10 random trials TPE concentrates on the better branch.
    const late = trials.slice(30);
    expect(late.filter((t) => t.params.booster === 'dart').length).toBeGreaterThan(late.length / 2);
    const early = trials.slice(0, 10);
    expect(bestValue(late)).toBeLessThan(bestValue(early));
  });
});
