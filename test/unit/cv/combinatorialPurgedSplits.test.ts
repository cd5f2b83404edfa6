import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import {
  CPCV_MAX_SPLITS,
  backtestPaths,
  binomial,
  combinatorialPurgedPlan,
  combinatorialPurgedSplits,
  isoToDay,
  splitFolds,
  testGroupCombinations,
  type Fold,
} from '../../../src-workers/compute/cv';

const DAY0 = isoToDay('2016-04-01');

/** `perDay[d]` games on day DAY0 + d (days with 0 games have none), rows in date order. */
function calendar(perDay: number[]): number[] {
  return perDay.flatMap((n, d) => new Array<number>(n).fill(DAY0 + d));
}

/** The days (0-based from DAY0) of a set of rows, each once, ascending. */
function daysOf(rows: Int32Array, dates: number[]): number[] {
  return [...new Set(Array.from(rows, (r) => dates[r] - DAY0))].sort((a, b) => a - b);
}

function refusal(fn: () => unknown): BullpenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BullpenError);
    return err as BullpenError;
  }
  throw new Error('expected a refusal');
}

/**
 * The hand-built calendar: 16 consecutive game days (day 0 = 2016-04-01), 2 games a day, 32 games; every
 * row's features read 2 days back (lookback 2), labels are known the same day (horizon 0); N = 4, k = 2.
 * Groups of 8 games: G0 = days 0–3, G1 = 4–7, G2 = 8–11, G3 = 12–15.
 * Splits in lexicographic order: s0 {0,1}, s1 {0,2}, s2 {0,3}, s3 {1,2}, s4 {1,3}, s5 {2,3}.
 */
describe('combinatorially purged CV on a hand-built calendar', () => {
  const dates = calendar(new Array<number>(16).fill(2));
  const input = { dates, lookbackDays: 2, horizonDays: 0 };

  it('cuts four groups of 8 games and tests every pair of groups, purging and embargoing exactly the hand-counted rows (gap 0, embargo 1)', () => {
    // Gap 0, embargo 1: a test group [s, e] is guarded on [s, e + 1].
    // After a test group followed by a training group: day e+1 is embargoed (2 games); days e+2 and e+3 are
    // purged (their 2-day lookback reaches e+1: e+2−2 = e ≤ e+1, e+3−2 = e+1 ≤ e+1); day e+4 reads e+2.. and trains.
    // Before a test group nothing is dropped: with horizon 0 a row's span ends on its own day, before s − 0.
    //   s0 {0,1} test days 0–7:   day 8 embargoed; 9, 10 purged;                         train 11–15      → purged 4, embargoed 2, train 10
    //   s1 {0,2} test 0–3, 8–11:  day 4 embargoed, 5, 6 purged; day 12 embargoed, 13, 14 purged; train 7, 15 → purged 8, embargoed 4, train 4
    //   s2 {0,3} test 0–3, 12–15: day 4 embargoed, 5, 6 purged; G3 ends the data;       train 7–11       → purged 4, embargoed 2, train 10
    //   s3 {1,2} test 4–11:       days 0–3 train (before); day 12 embargoed, 13, 14 purged; train 0–3, 15 → purged 4, embargoed 2, train 10
    //   s4 {1,3} test 4–7, 12–15: day 8 embargoed, 9, 10 purged; day 11 before G3 trains; train 0–3, 11   → purged 4, embargoed 2, train 10
    //   s5 {2,3} test 8–15:       nothing after; days 0–7 train                                            → purged 0, embargoed 0, train 16
    const plan = combinatorialPurgedPlan(input, { groups: 4, testGroups: 2, gapDays: 0, embargoDays: 1 });
    expect(plan.groups.map((g) => [g.index, g.start - DAY0, g.end - DAY0, g.games])).toEqual([
      [0, 0, 3, 8],
      [1, 4, 7, 8],
      [2, 8, 11, 8],
      [3, 12, 15, 8],
    ]);
    expect(plan.splits).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    expect(plan.folds.map((f) => [f.index, f.purged, f.embargoed, f.train.length, f.test.length])).toEqual([
      [0, 4, 2, 10, 16],
      [1, 8, 4, 4, 16],
      [2, 4, 2, 10, 16],
      [3, 4, 2, 10, 16],
      [4, 4, 2, 10, 16],
      [5, 0, 0, 16, 16],
    ]);
    expect(plan.folds.map((f) => daysOf(f.train, dates))).toEqual([
      [11, 12, 13, 14, 15],
      [7, 15],
      [7, 8, 9, 10, 11],
      [0, 1, 2, 3, 15],
      [0, 1, 2, 3, 11],
      [0, 1, 2, 3, 4, 5, 6, 7],
    ]);
    // Each test group is a window of its own; testWindow spans them (with the training days between).
    expect(plan.folds[1].testWindows.map((w) => [w.start - DAY0, w.end - DAY0])).toEqual([
      [0, 3],
      [8, 11],
    ]);
    expect([plan.folds[1].testWindow.start - DAY0, plan.folds[1].testWindow.end - DAY0]).toEqual([0, 11]);
    expect(plan.folds[1].boundaries).toEqual({
      trainStart: '2016-04-08',
      trainEnd: '2016-04-16',
      testStart: '2016-04-01',
      testEnd: '2016-04-12',
    });
    // φ = k·C(N,k)/N = 2·6/4 = 3 paths. G0 is tested by s0, s1, s2; G1 by s0, s3, s4; G2 by s1, s3, s5; G3 by s2, s4, s5:
    // path j takes the j-th of each.
    expect(plan.paths).toEqual([
      [0, 0, 1, 2],
      [1, 3, 3, 4],
      [2, 4, 5, 5],
    ]);
  });

  it('counts the gap days before a test group as purged, once, and lets the embargo win where both apply (gap 1, embargo 1)', () => {
    // Gap 1, embargo 1: a test group [s, e] is guarded on [s − 1, e + 1]. The day s − 1 before a test group is
    // purged (its own day lies in the guarded interval); s − 2 trains (horizon 0). After a test group as above.
    //   s0 {0,1}: G0 starts the data, G1 follows a test group; after G1: 8 embargoed, 9, 10 purged → purged 4, embargoed 2, train 10
    //   s1 {0,2}: 4 embargoed, 5, 6 purged, 7 (gap of G2) purged; 12 embargoed, 13, 14 purged → purged 10, embargoed 4, train 2 (day 15)
    //   s2 {0,3}: 4 embargoed, 5, 6 purged; 11 (gap of G3) purged                         → purged 6, embargoed 2, train 8 (days 7–10)
    //   s3 {1,2}: 3 (gap of G1) purged; 12 embargoed, 13, 14 purged                         → purged 6, embargoed 2, train 8 (days 0–2, 15)
    //   s4 {1,3}: 3 purged; 8 embargoed, 9, 10 purged; 11 (gap of G3) purged                → purged 8, embargoed 2, train 6 (days 0–2)
    //   s5 {2,3}: 7 (gap of G2) purged                                                      → purged 2, embargoed 0, train 14 (days 0–6)
    const folds = combinatorialPurgedSplits(input, { groups: 4, testGroups: 2, gapDays: 1, embargoDays: 1 });
    expect(folds.map((f) => [f.purged, f.embargoed, f.train.length])).toEqual([
      [4, 2, 10],
      [10, 4, 2],
      [6, 2, 8],
      [6, 2, 8],
      [8, 2, 6],
      [2, 0, 14],
    ]);
    expect(daysOf(folds[4].train, dates)).toEqual([0, 1, 2]);
  });

  it('purges on the label horizon too: a row before a test group whose label is known inside it never trains', () => {
    // Horizon 1, lookback 0, gap 0, embargo 0: day s − 1 has its label on day s, inside the test group → purged.
    // s5 {2,3}: only day 7 is purged (2 games); training days 0–6 (14 games).
    const folds = combinatorialPurgedSplits(
      { dates, lookbackDays: 0, horizonDays: 1 },
      { groups: 4, testGroups: 2, gapDays: 0, embargoDays: 0 },
    );
    expect([folds[5].purged, folds[5].embargoed, folds[5].train.length]).toEqual([2, 0, 14]);
    // s0 {0,1}: no embargo, lookback 0: everything after day 7 trains.
    expect([folds[0].purged, folds[0].embargoed, folds[0].train.length]).toEqual([0, 0, 16]);
  });

  it('is what splitFolds answers for scheme cpcv', () => {
    const a = splitFolds('cpcv', input, { groups: 4, testGroups: 2, gapDays: 0, embargoDays: 1, nSplits: 9, trainDays: 5 });
    const b = combinatorialPurgedSplits(input, { groups: 4, testGroups: 2, gapDays: 0, embargoDays: 1 });
    expect(a.map((f) => [Array.from(f.train), Array.from(f.test), f.purged, f.embargoed])).toEqual(
      b.map((f) => [Array.from(f.train), Array.from(f.test), f.purged, f.embargoed]),
    );
  });
});

describe('cpcv date groups', () => {
  it('cuts at the day boundary nearest to an equal share of games, never splitting a day', () => {
    // Games per day 3, 3, 1, 2, 3, 4 (16 games); N = 3 → targets 16/3 ≈ 5.33 and 32/3 ≈ 10.67 games.
    // Day starts (games before each day): 0, 3, 6, 7, 9, 12. 5.33 is nearer 6 than 3 → G0 = days 0–1 (6 games);
    // 10.67 is nearer 12 than 9 → G1 = days 2–4 (6 games), G2 = day 5 (4 games).
    const dates = calendar([3, 3, 1, 2, 3, 4]);
    const plan = combinatorialPurgedPlan({ dates }, { groups: 3, testGroups: 1, gapDays: 0, embargoDays: 0 });
    expect(plan.groups.map((g) => [g.start - DAY0, g.end - DAY0, g.games])).toEqual([
      [0, 1, 6],
      [2, 4, 6],
      [5, 5, 4],
    ]);
  });

  it('leaves at least one game day for every group when the games crowd on a few days', () => {
    // 10 games on day 0, then one game on each of days 1–3: N = 4 still gets four non-empty groups.
    const dates = calendar([10, 1, 1, 1]);
    const plan = combinatorialPurgedPlan({ dates }, { groups: 4, testGroups: 1, gapDays: 0, embargoDays: 0 });
    expect(plan.groups.map((g) => [g.start - DAY0, g.end - DAY0, g.games])).toEqual([
      [0, 0, 10],
      [1, 1, 1],
      [2, 2, 1],
      [3, 3, 1],
    ]);
  });
});

describe('cpcv refusals', () => {
  const dates = calendar(new Array<number>(40).fill(2));

  it('refuses k ≥ N, N < 2 and more splits than the cap, each as an input error naming the numbers', () => {
    const kTooBig = refusal(() => combinatorialPurgedSplits({ dates }, { groups: 4, testGroups: 4 }));
    expect([kTooBig.kind, kTooBig.code]).toEqual(['input', 'CV_INVALID_GROUPS']);
    expect(kTooBig.message).toMatch(/--test-groups 4 with --groups 4/);
    const oneGroup = refusal(() => combinatorialPurgedSplits({ dates }, { groups: 1, testGroups: 1 }));
    expect([oneGroup.kind, oneGroup.code]).toEqual(['input', 'INVALID_INPUT']);
    expect(oneGroup.message).toMatch(/groups: a combinatorially purged CV needs at least 2 groups/);
    const tooMany = refusal(() => combinatorialPurgedSplits({ dates }, { groups: 16, testGroups: 8 }));
    expect([tooMany.kind, tooMany.code]).toEqual(['input', 'CV_TOO_MANY_SPLITS']);
    expect(tooMany.message).toContain(`C(16, 8) = 12870 splits, more than the ${CPCV_MAX_SPLITS}`);
    // Far past the cap the count is never computed in full.
    expect(refusal(() => combinatorialPurgedSplits({ dates }, { groups: 400, testGroups: 200 })).code).toBe('CV_TOO_MANY_SPLITS');
  });

  it('refuses more groups than game days, and a split left with no training games', () => {
    expect(refusal(() => combinatorialPurgedSplits({ dates: calendar([2, 2, 2]) }, { groups: 4, testGroups: 1 })).code).toBe(
      'CV_NOT_ENOUGH_DATA',
    );
    // Four 1-day groups, embargo 1: s0 {0,1} embargoes day 2 and trains on day 3; s1 {0,2} embargoes days 1 and 3, leaving nothing.
    const empty = refusal(() => combinatorialPurgedSplits({ dates: calendar([2, 2, 2, 2]) }, { groups: 4, testGroups: 2, embargoDays: 1 }));
    expect(empty.code).toBe('CV_EMPTY_FOLD');
    expect(empty.message).toMatch(/cpcv split 2 \(test groups 1, 3 of 4\) has no training games/);
  });
});

/** Rows on random game days (several games on some), shuffled, with per-row lookback and horizon. */
const rowsArb = fc
  .record({
    days: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 20, maxLength: 300 }),
    maxLookback: fc.integer({ min: 0, max: 20 }),
    maxHorizon: fc.integer({ min: 0, max: 3 }),
    permKey: fc.integer({ min: 1, max: 10_000 }),
  })
  .map(({ days, maxLookback, maxHorizon, permKey }) => {
    const keyed = days.map((d, i) => ({ d, key: (i * 7919 + permKey) % 10_007 })).sort((a, b) => a.key - b.key);
    return {
      dates: keyed.map((k) => DAY0 + k.d),
      lookbackDays: keyed.map((_k, i) => (i * 31) % (maxLookback + 1)),
      horizonDays: keyed.map((_k, i) => (i * 17) % (maxHorizon + 1)),
    };
  });

const shapeArb = fc
  .record({ groups: fc.integer({ min: 2, max: 8 }), k: fc.integer({ min: 1, max: 7 }) })
  .filter(({ groups, k }) => k < groups)
  .chain(({ groups, k }) =>
    fc.record({
      groups: fc.constant(groups),
      testGroups: fc.constant(k),
      gapDays: fc.integer({ min: 0, max: 4 }),
      embargoDays: fc.integer({ min: 0, max: 4 }),
    }),
  );

function lexicographicallyBefore(a: number[], b: number[]): boolean {
  const i = a.findIndex((v, j) => v !== b[j]);
  return i >= 0 && a[i] < b[i];
}

/** An allowed refusal (too few days, a split with nothing left to train on) gives null; anything else fails. */
function tryPlan(fn: () => ReturnType<typeof combinatorialPurgedPlan>) {
  try {
    return fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BullpenError);
    expect(['CV_NOT_ENOUGH_DATA', 'CV_EMPTY_FOLD']).toContain((err as BullpenError).code);
    return null;
  }
}

describe('cpcv properties (fast-check)', () => {
  it('tests every row in exactly C(N−1, k−1) splits, never trains inside a guarded test group, and accounts for every row', () => {
    let produced = 0;
    fc.assert(
      fc.property(rowsArb, shapeArb, (input, o) => {
        const plan = tryPlan(() => combinatorialPurgedPlan(input, o));
        if (!plan) return;
        produced++;
        const n = input.dates.length;
        expect(plan.folds).toHaveLength(binomial(o.groups, o.testGroups));
        // Groups: contiguous, non-empty, together every row, and no day in two groups.
        expect(plan.groups.reduce((a, g) => a + g.games, 0)).toBe(n);
        for (let g = 1; g < plan.groups.length; g++) expect(plan.groups[g].start).toBeGreaterThan(plan.groups[g - 1].end);
        const testedIn = new Int32Array(n);
        plan.folds.forEach((f: Fold, s) => {
          expect(f.index).toBe(s);
          for (const r of f.test) testedIn[r]++;
          const windows = plan.splits[s].map((g) => plan.groups[g]);
          expect(f.testWindows.map((w) => [w.start, w.end])).toEqual(windows.map((w) => [w.start, w.end]));
          // Test rows are exactly the rows of the split's groups.
          const inTest = input.dates.filter((d) => windows.some((w) => d >= w.start && d <= w.end)).length;
          expect(f.test.length).toBe(inTest);
          expect(f.train.length + f.purged + f.embargoed + f.test.length).toBe(n);
          const testSet = new Set(f.test);
          for (const r of f.train) {
            expect(testSet.has(r)).toBe(false);
            const d = input.dates[r];
            for (const w of windows) {
              // Never inside a test group, its gap or its embargo, and the row's information stays clear of them.
              expect(d >= w.start - o.gapDays && d <= w.end + o.embargoDays).toBe(false);
              expect(d + input.horizonDays[r] >= w.start - o.gapDays && d - input.lookbackDays[r] <= w.end + o.embargoDays).toBe(false);
            }
          }
        });
        const phi = binomial(o.groups - 1, o.testGroups - 1);
        for (let r = 0; r < n; r++) expect(testedIn[r]).toBe(phi);
      }),
      { numRuns: 150, seed: 12 },
    );
    expect(produced).toBeGreaterThan(15);
  });

  it('paths: φ = k·C(N,k)/N of them, each covering every group exactly once with a split that tests that group, each split used once per group', () => {
    for (let groups = 2; groups <= 10; groups++) {
      for (let k = 1; k < groups; k++) {
        const splits = testGroupCombinations(groups, k);
        const paths = backtestPaths(groups, k);
        expect(splits).toHaveLength(binomial(groups, k));
        expect(paths).toHaveLength((k * binomial(groups, k)) / groups);
        const used = new Set<string>();
        for (const path of paths) {
          expect(path).toHaveLength(groups);
          path.forEach((s, g) => {
            expect(splits[s]).toContain(g);
            used.add(`${s}:${g}`);
          });
        }
        // Every (split, tested group) pair lies on exactly one path.
        expect(used.size).toBe(splits.length * k);
        // Lexicographic order, and within a group the paths take its splits in split order.
        for (let s = 1; s < splits.length; s++) expect(lexicographicallyBefore(splits[s - 1], splits[s])).toBe(true);
        for (let g = 0; g < groups; g++) for (let j = 1; j < paths.length; j++) expect(paths[j][g]).toBeGreaterThan(paths[j - 1][g]);
      }
    }
  });
});
