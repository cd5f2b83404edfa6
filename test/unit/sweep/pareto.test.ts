// Non-dominated sorting, Pareto fronts, hypervolume and hypervolume subset selection on sets small
// enough to work out by hand (the expected numbers are derived in the comments).
import { describe, expect, it } from 'vitest';
import {
  hypervolume,
  hypervolumeOfLosses,
  nonDominatedRanks,
  paretoFront,
  referencePoint,
  selectHypervolumeSubset,
} from '../../../src-workers/compute/sweep';
import { createRng } from '../../../src-workers/compute/stats/rng';

describe('non-dominated sorting', () => {
  it('ranks 2-D minimization points, with a duplicate sharing its twin’s rank', () => {
    // A(1,5) B(2,3) C(4,1) are mutually non-dominated; E is B again; D(3,4) is dominated by B;
    // F(5,5) is dominated by A, B, C and D, so it sits below D.
    const pts = [
      [1, 5],
      [2, 3],
      [4, 1],
      [3, 4],
      [2, 3],
      [5, 5],
    ];
    expect(nonDominatedRanks(pts, ['minimize', 'minimize'])).toEqual([0, 0, 0, 1, 0, 2]);
    expect(paretoFront(pts, ['minimize', 'minimize'])).toEqual([0, 1, 2, 4]);
  });

  it('respects mixed directions (log loss down, ROI up)', () => {
    // P0(0.5, 10%) and P1(0.6, 20%) trade off; P2(0.55, 5%) loses to P0 on both; P3(0.7, 20%) ties P1 on ROI
    // and loses on log loss, so P1 dominates it.
    const pts = [
      [0.5, 0.1],
      [0.6, 0.2],
      [0.55, 0.05],
      [0.7, 0.2],
    ];
    expect(nonDominatedRanks(pts, ['minimize', 'maximize'])).toEqual([0, 0, 1, 1]);
    expect(paretoFront(pts, ['minimize', 'maximize'])).toEqual([0, 1]);
    // Both maximized: P1 and P3 tie on ROI, P3 wins on the first objective; P3 dominates everything.
    expect(paretoFront(pts, ['maximize', 'maximize'])).toEqual([3]);
  });

  it('ranks 3-D points', () => {
    // a(1,2,3) b(2,1,3) c(3,3,1) e(5,0,0) non-dominated; a' = a; d(2,2,3) dominated by a and b.
    const pts = [
      [1, 2, 3],
      [2, 1, 3],
      [3, 3, 1],
      [2, 2, 3],
      [1, 2, 3],
      [5, 0, 0],
    ];
    expect(nonDominatedRanks(pts, ['minimize', 'minimize', 'minimize'])).toEqual([0, 0, 0, 1, 0, 0]);
  });
});

describe('hypervolume', () => {
  it('2-D: A(1,5) B(2,3) C(4,1) against (6,6) cover 1·1 + 2·3 + 2·5 = 17 (vertical strips), whatever else is added', () => {
    const front = [
      [1, 5],
      [2, 3],
      [4, 1],
    ];
    expect(hypervolumeOfLosses(front, [6, 6])).toBeCloseTo(17, 12);
    const noisy = [...front, [3, 4], [2, 3], [5, 5], [7, 0], [6, 2]]; // dominated, duplicate, outside or on the reference
    expect(hypervolumeOfLosses(noisy, [6, 6])).toBeCloseTo(17, 12);
  });

  it('2-D mixed directions: boxes 0.5×0.1 and 0.4×0.2 overlapping in 0.4×0.1 give 0.09', () => {
    const pts = [
      [0.5, 0.1],
      [0.6, 0.2],
      [0.55, 0.05],
    ];
    // Reference: log loss 1.0, ROI 0.
    expect(hypervolume(pts, ['minimize', 'maximize'], [1, 0])).toBeCloseTo(0.09, 12);
  });

  it('3-D: inclusion–exclusion on a, b, c against (4,4,4) gives 6 + 6 + 3 − 4 − 1 − 1 + 1 = 10', () => {
    const pts = [
      [1, 2, 3],
      [2, 1, 3],
      [3, 3, 1],
    ];
    expect(hypervolumeOfLosses(pts, [4, 4, 4])).toBeCloseTo(10, 12);
    const noisy = [...pts, [2, 2, 3], [1, 2, 3], [5, 0, 0]];
    expect(hypervolumeOfLosses(noisy, [4, 4, 4])).toBeCloseTo(10, 12);
    // The same with the middle objective maximized (values negated, reference −4).
    const mixed = pts.map(([x, y, z]) => [x, -y, z]);
    expect(hypervolume(mixed, ['minimize', 'maximize', 'minimize'], [4, -4, 4])).toBeCloseTo(10, 12);
  });

  it('4-D: p(0,0,0,1) and q(1,1,1,0) against (2,2,2,2) give 8 + 2 − 1 = 9', () => {
    expect(
      hypervolumeOfLosses(
        [
          [0, 0, 0, 1],
          [1, 1, 1, 0],
        ],
        [2, 2, 2, 2],
      ),
    ).toBeCloseTo(9, 12);
  });

  it('equals inclusion–exclusion over all subsets on random 3-D and 4-D sets', () => {
    const rng = createRng(17);
    for (const dims of [3, 4]) {
      for (let round = 0; round < 20; round++) {
        const pts = Array.from({ length: 1 + rng.nextInt(7) }, () => Array.from({ length: dims }, () => rng.nextInt(5)));
        const ref = new Array(dims).fill(5);
        let expected = 0;
        for (let mask = 1; mask < 1 << pts.length; mask++) {
          const members = pts.filter((_, i) => mask & (1 << i));
          const corner = ref.map((_, d) => Math.max(...members.map((p) => p[d])));
          const box = corner.reduce((v, c, d) => v * (ref[d] - c), 1);
          expected += (members.length % 2 ? 1 : -1) * box;
        }
        expect(hypervolumeOfLosses(pts, ref)).toBeCloseTo(expected, 9);
      }
    }
  });
});

describe('reference point and subset selection', () => {
  it('puts the reference 10% beyond the worst value, on the worse side of 0 too', () => {
    expect(
      referencePoint([
        [1, 5],
        [2, 3],
        [-2, 0],
      ]),
    ).toEqual([2.2, 5.5]);
    const negative = referencePoint([
      [-3, -1],
      [-2, -4],
    ]);
    expect(negative[0]).toBeCloseTo(-1.8, 12);
    expect(negative[1]).toBeCloseTo(-0.9, 12);
    expect(referencePoint([[0, 1]])).toEqual([1e-12, 1.1]);
  });

  it('greedily picks the largest hypervolume gains', () => {
    // Against (5,5): single boxes (0,4)=5, (1,2)=12, (2,1)=12, (4,0)=5; the tie goes to (1,2), first in
    // lexicographic order. Then (2,1) adds 12 − 9 = 3 (against (4,0)'s 5 − 3 = 2 and (0,4)'s 5 − 4 = 1).
    // Third, (4,0) and (0,4) each add 1 (of their 5, 4 are already covered): the tie goes to (0,4).
    const pts = [
      [4, 0],
      [2, 1],
      [0, 4],
      [1, 2],
    ];
    expect(selectHypervolumeSubset(pts, 1, [5, 5])).toEqual([3]);
    expect(selectHypervolumeSubset(pts, 2, [5, 5])).toEqual([3, 1]);
    expect(selectHypervolumeSubset(pts, 3, [5, 5])).toEqual([3, 1, 2]);
    expect(selectHypervolumeSubset(pts, 4, [5, 5])).toEqual([0, 1, 2, 3]);
  });

  it('takes distinct vectors first and fills with duplicates only when they run out', () => {
    // Against (3,3): (1,1) covers 4, (2,0) covers 3; then (2,0) adds 3 − 2 = 1 and the duplicate adds 0.
    expect(
      selectHypervolumeSubset(
        [
          [1, 1],
          [1, 1],
          [2, 0],
        ],
        2,
        [3, 3],
      ),
    ).toEqual([0, 2]);
    expect(
      selectHypervolumeSubset(
        [
          [1, 1],
          [1, 1],
          [1, 1],
          [2, 0],
        ],
        3,
        [3, 3],
      ),
    ).toEqual([0, 1, 3]);
  });
});
