import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import { type Fold, isoToDay, seasonForwardSplits, walkForwardSplits, withinSeasonSplits } from '../../../src-workers/compute/cv';
import { guardTrainRows, prepareRows } from '../../../src-workers/compute/cv/foldBuilder';

interface Rows {
  days: number[];
  seasons: number[];
  lookback: number[];
  horizon: number[];
}

/** Seasons of games inside calendar years, with gaps (off-seasons) between them, rows in shuffled order. */
const rowsArb: fc.Arbitrary<Rows> = fc
  .record({
    firstYear: fc.integer({ min: 2000, max: 2015 }),
    seasons: fc.array(
      fc.record({
        startOffset: fc.integer({ min: 70, max: 100 }),
        length: fc.integer({ min: 60, max: 200 }),
        gameDays: fc.array(fc.integer({ min: 0, max: 199 }), { minLength: 5, maxLength: 120 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    maxLookback: fc.integer({ min: 0, max: 40 }),
    maxHorizon: fc.integer({ min: 0, max: 4 }),
    permKey: fc.integer({ min: 1, max: 10_000 }),
  })
  .map(({ firstYear, seasons, maxLookback, maxHorizon, permKey }) => {
    const rows: { day: number; season: number }[] = [];
    seasons.forEach((s, k) => {
      const year = firstYear + k;
      const start = isoToDay(`${year}-01-01`) + s.startOffset;
      for (const g of s.gameDays) rows.push({ day: start + (g % s.length), season: year });
    });
    // A deterministic shuffle so splitters cannot rely on date-ordered input.
    const keyed = rows.map((r, i) => ({ r, key: (i * 7919 + permKey) % 10_007 }));
    keyed.sort((a, b) => a.key - b.key);
    const out: Rows = { days: [], seasons: [], lookback: [], horizon: [] };
    keyed.forEach(({ r }, i) => {
      out.days.push(r.day);
      out.seasons.push(r.season);
      out.lookback.push(maxLookback === 0 ? 0 : (i * 31) % (maxLookback + 1));
      out.horizon.push(maxHorizon === 0 ? 0 : (i * 17) % (maxHorizon + 1));
    });
    return out;
  });

const optionsArb = fc.record({
  nSplits: fc.integer({ min: 1, max: 5 }),
  trainDays: fc.integer({ min: 5, max: 100 }),
  testDays: fc.integer({ min: 3, max: 40 }),
  gapDays: fc.integer({ min: 0, max: 5 }),
  embargoDays: fc.integer({ min: 0, max: 5 }),
  window: fc.constantFrom('expanding' as const, 'rolling' as const),
});

const RUNS = 300;

/**
 * The refusals the generated rows and options may meet: too few days for the windows, or a window with no
 * games. Anything else (a bad date, overlapping seasons, an invalid option) would be a bug in the splitter
 * or in these generators, so it fails the test instead of counting as "no folds".
 */
const ALLOWED_REFUSALS = new Set(['CV_NOT_ENOUGH_DATA', 'CV_EMPTY_FOLD']);

/** Runs a splitter; an allowed refusal gives null, any other error fails the test. */
function trySplit(fn: () => Fold[]): Fold[] | null {
  try {
    return fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BullpenError);
    expect((err as BullpenError).kind).toBe('input');
    expect(ALLOWED_REFUSALS).toContain((err as BullpenError).code);
    return null;
  }
}

function isStrictlySorted(a: Int32Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] <= a[i - 1]) return false;
  return true;
}

/** The invariants every splitter promises for every fold. */
function checkFoldInvariants(rows: Rows, folds: Fold[], o: { gapDays: number; embargoDays: number }): void {
  for (const f of folds) {
    expect(f.train).toBeInstanceOf(Int32Array);
    expect(isStrictlySorted(f.train) && isStrictlySorted(f.test)).toBe(true);
    expect(f.train.length).toBeGreaterThan(0);
    expect(f.test.length).toBeGreaterThan(0);
    const testSet = new Set(f.test);
    for (const r of f.train) expect(testSet.has(r)).toBe(false); // no overlap
    let maxTrain = -Infinity;
    for (const r of f.train) maxTrain = Math.max(maxTrain, rows.days[r]);
    let minTest = Infinity;
    for (const r of f.test) minTest = Math.min(minTest, rows.days[r]);
    expect(maxTrain).toBeLessThan(minTest - o.gapDays); // every train date < every test date − gap
    // The embargo guards the days after a test window; these splitters train only before it, so it never
    // drops a row here (guardTrainRows is checked with training rows on both sides further down).
    expect(f.embargoed).toBe(0);
    const guardStart = f.testWindow.start - o.gapDays;
    for (const r of f.train) {
      const d = rows.days[r];
      expect(d >= f.trainWindow.start && d <= f.trainWindow.end).toBe(true);
      expect(d + rows.horizon[r]).toBeLessThan(guardStart); // purge: no label window reaches the guarded test window
    }
    for (const r of f.test) expect(rows.days[r] >= f.testWindow.start && rows.days[r] <= f.testWindow.end).toBe(true);
  }
}

function seasonSpan(rows: Rows, season: number): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  rows.days.forEach((d, i) => {
    if (rows.seasons[i] === season) {
      start = Math.min(start, d);
      end = Math.max(end, d);
    }
  });
  return { start, end };
}

function input(rows: Rows) {
  return { dates: rows.days, seasons: rows.seasons, lookbackDays: rows.lookback, horizonDays: rows.horizon };
}

describe('splitter properties (fast-check)', () => {
  it('walk-forward folds never overlap, keep train before test minus the gap, and purge rows whose label reaches the test', () => {
    let produced = 0;
    fc.assert(
      fc.property(rowsArb, optionsArb, (rows, o) => {
        const folds = trySplit(() => walkForwardSplits(input(rows), o));
        if (!folds) return;
        produced++;
        expect(folds).toHaveLength(o.nSplits);
        checkFoldInvariants(rows, folds, o);
        // Every game of a test window is tested, and training drops only what the guards drop.
        for (const f of folds) {
          const inTest = rows.days.filter((d) => d >= f.testWindow.start && d <= f.testWindow.end).length;
          expect(f.test.length).toBe(inTest);
          const inTrain = rows.days.filter((d) => d >= f.trainWindow.start && d <= f.trainWindow.end).length;
          expect(f.train.length + f.purged + f.embargoed).toBe(inTrain);
        }
      }),
      { numRuns: RUNS, seed: 5 },
    );
    expect(produced).toBeGreaterThan(RUNS / 10);
  });

  it('within-season windows never straddle an off-season and stay inside their season', () => {
    let produced = 0;
    fc.assert(
      fc.property(rowsArb, optionsArb, (rows, o) => {
        const folds = trySplit(() => withinSeasonSplits(input(rows), o));
        if (!folds) return;
        produced++;
        checkFoldInvariants(rows, folds, o);
        for (const f of folds) {
          const span = seasonSpan(rows, f.testSeason!);
          expect(f.trainWindow.start).toBeGreaterThanOrEqual(span.start);
          expect(f.testWindow.end).toBeLessThanOrEqual(span.end);
          for (const r of [...f.train, ...f.test]) expect(rows.seasons[r]).toBe(f.testSeason);
        }
      }),
      { numRuns: RUNS, seed: 6 },
    );
    expect(produced).toBeGreaterThan(RUNS / 20);
  });

  it('season-forward tests whole seasons and trains only on earlier seasons', () => {
    let produced = 0;
    fc.assert(
      fc.property(rowsArb, optionsArb, fc.integer({ min: 1, max: 3 }), (rows, o, trainSeasons) => {
        const { trainDays: _t, testDays: _d, ...so } = o;
        const folds = trySplit(() => seasonForwardSplits(input(rows), { ...so, trainSeasons }));
        if (!folds) return;
        produced++;
        checkFoldInvariants(rows, folds, o);
        for (const f of folds) {
          const season = f.testSeason!;
          expect(f.testWindow).toEqual(seasonSpan(rows, season));
          expect(f.test.length).toBe(rows.seasons.filter((s) => s === season).length);
          for (const r of f.train) {
            expect(rows.seasons[r]).toBeLessThan(season);
            if (o.window === 'rolling') expect(rows.seasons[r]).toBeGreaterThanOrEqual(season - trainSeasons);
          }
        }
      }),
      { numRuns: RUNS, seed: 7 },
    );
    expect(produced).toBeGreaterThan(RUNS / 10);
  });

  it('splitting is deterministic: the same rows and options give identical folds', () => {
    let produced = 0;
    fc.assert(
      fc.property(rowsArb, optionsArb, (rows, o) => {
        const a = trySplit(() => walkForwardSplits(input(rows), o));
        const b = trySplit(() => walkForwardSplits(input(rows), o));
        expect(b).toEqual(a);
        const c = trySplit(() => withinSeasonSplits(input(rows), o));
        const d = trySplit(() => withinSeasonSplits(input(rows), o));
        expect(d).toEqual(c);
        if (a) produced++;
        if (c) produced++;
      }),
      { numRuns: 100, seed: 8 },
    );
    // Two refusals compare equal too: the property means something only if enough cases gave folds.
    expect(produced).toBeGreaterThan(10);
  });

  it('folds do not depend on row order: permuting rows permutes the indices and nothing else', () => {
    let produced = 0;
    fc.assert(
      fc.property(rowsArb, optionsArb, (rows, o) => {
        const n = rows.days.length;
        const perm = Array.from({ length: n }, (_, i) => n - 1 - i);
        const permuted: Rows = {
          days: perm.map((i) => rows.days[i]),
          seasons: perm.map((i) => rows.seasons[i]),
          lookback: perm.map((i) => rows.lookback[i]),
          horizon: perm.map((i) => rows.horizon[i]),
        };
        const a = trySplit(() => walkForwardSplits(input(rows), o));
        const b = trySplit(() => walkForwardSplits(input(permuted), o));
        expect(b === null).toBe(a === null);
        if (!a || !b) return;
        produced++;
        a.forEach((f, k) => {
          expect(new Set([...b[k].train].map((i) => perm[i]))).toEqual(new Set(f.train));
          expect(new Set([...b[k].test].map((i) => perm[i]))).toEqual(new Set(f.test));
          expect(b[k].boundaries).toEqual(f.boundaries);
        });
      }),
      { numRuns: 100, seed: 9 },
    );
    expect(produced).toBeGreaterThan(10);
  });
});

describe('training-row guards (gap, embargo, purge) on rows from both sides of a test window', () => {
  /** Rows as day numbers with lookback/horizon spans, prepared the way the splitters prepare them. */
  function prepared(days: number[], lookback: number[] = days.map(() => 0), horizon: number[] = days.map(() => 0)) {
    return prepareRows({ dates: days, lookbackDays: lookback, horizonDays: horizon });
  }
  const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

  it('drops training rows in the embargo after the test window and keeps those past it', () => {
    // Test window days 100..109; a 3-day embargo guards 110..112.
    const days = [90, 110, 111, 112, 113, 120];
    const test = { start: 100, end: 109 };
    const embargoed = guardTrainRows(prepared(days), all(days.length), test, { gapDays: 0, embargoDays: 3 });
    expect([...embargoed.train].map((r) => days[r])).toEqual([90, 113, 120]);
    expect(embargoed.embargoed).toBe(3);
    expect(embargoed.purged).toBe(0);
    // Without an embargo the same rows are training data: the option is what removed them.
    const open = guardTrainRows(prepared(days), all(days.length), test, { gapDays: 0, embargoDays: 0 });
    expect([...open.train].map((r) => days[r])).toEqual(days);
    expect(open.embargoed).toBe(0);
  });

  it('purges a later row whose feature window reaches back into the embargo', () => {
    const days = [113, 120];
    const lookback = [5, 5]; // day 113 reads 108..113 (inside 100..112), day 120 reads 115..120 (clear)
    const r = guardTrainRows(prepared(days, lookback), all(2), { start: 100, end: 109 }, { gapDays: 0, embargoDays: 3 });
    expect([...r.train].map((i) => days[i])).toEqual([120]);
    expect(r.purged).toBe(1);
    expect(r.embargoed).toBe(0);
  });

  it('every candidate is kept, embargoed, purged or inside the guarded window, and kept rows stay clear of it', () => {
    let withEmbargoed = 0;
    let withKeptAfter = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 200 }),
            lookback: fc.integer({ min: 0, max: 10 }),
            horizon: fc.integer({ min: 0, max: 3 }),
          }),
          {
            minLength: 1,
            maxLength: 150,
          },
        ),
        fc.integer({ min: 40, max: 150 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 10 }),
        (cands, testStart, testLength, gapDays, embargoDays) => {
          const days = cands.map((c) => c.day);
          const rows = prepared(
            days,
            cands.map((c) => c.lookback),
            cands.map((c) => c.horizon),
          );
          const test = { start: testStart, end: testStart + testLength - 1 };
          const guardStart = test.start - gapDays;
          const guardEnd = test.end + embargoDays;
          const r = guardTrainRows(rows, all(days.length), test, { gapDays, embargoDays });
          const inEmbargo = days.filter((d) => d > test.end && d <= guardEnd).length;
          const inGuard = days.filter((d) => d >= guardStart && d <= test.end).length;
          expect(r.embargoed).toBe(inEmbargo);
          expect(r.train.length + r.embargoed + r.purged + inGuard).toBe(days.length);
          for (const i of r.train) {
            const d = days[i];
            expect(d >= guardStart && d <= guardEnd).toBe(false);
            expect(d + cands[i].horizon >= guardStart && d - cands[i].lookback <= guardEnd).toBe(false);
          }
          if (r.embargoed > 0) withEmbargoed++;
          if ([...r.train].some((i) => days[i] > guardEnd)) withKeptAfter++;
        },
      ),
      { numRuns: RUNS, seed: 10 },
    );
    // The cases must reach both outcomes after the test window, or the property says nothing about them.
    expect(withEmbargoed).toBeGreaterThan(RUNS / 10);
    expect(withKeptAfter).toBeGreaterThan(RUNS / 10);
  });
});
