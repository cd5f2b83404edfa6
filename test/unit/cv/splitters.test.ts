import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BullpenError } from '../../../src-main/shared/errors';
import {
  dayToIso,
  isoToDay,
  monthOfDay,
  yearOfDay,
  seasonForwardSplits,
  splitFolds,
  walkForwardSplits,
  withinSeasonSplits,
} from '../../../src-workers/compute/cv';
import { seasonCalendar } from './cvFixtures';

function expectInputError(fn: () => unknown, code: string): BullpenError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BullpenError);
    const e = err as BullpenError;
    expect(e.kind).toBe('input');
    expect(e.code).toBe(code);
    return e;
  }
  throw new Error(`expected ${code}`);
}

describe('day numbers', () => {
  it('round-trips ISO dates and refuses impossible ones', () => {
    expect(dayToIso(isoToDay('2016-04-03'))).toBe('2016-04-03');
    expect(isoToDay('1970-01-02')).toBe(1);
    expect(isoToDay('2016-04-03T17:05:00Z')).toBe(isoToDay('2016-04-03'));
    expectInputError(() => isoToDay('2016-02-30'), 'INVALID_DATE');
    expectInputError(() => isoToDay('April 3'), 'INVALID_DATE');
    expectInputError(() => isoToDay('2015-02-29'), 'INVALID_DATE');
    expect(dayToIso(isoToDay('2016-02-29'))).toBe('2016-02-29');
  });

  it('agrees with the JavaScript Date calendar for any day from 1600 to 2400', () => {
    fc.assert(
      fc.property(fc.integer({ min: -135_000, max: 157_000 }), (day) => {
        const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
        expect(dayToIso(day)).toBe(iso);
        expect(isoToDay(iso)).toBe(day);
        expect(monthOfDay(day)).toBe(Number(iso.slice(5, 7)));
        expect(yearOfDay(day)).toBe(Number(iso.slice(0, 4)));
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});

describe('walkForwardSplits', () => {
  // 200 consecutive days, one game per day, day numbers 1000..1199.
  const days = Array.from({ length: 200 }, (_, i) => 1000 + i);

  it('uses the default 5 splits of 90 train, 30 test, 1 gap with test windows tiling the end of the data', () => {
    const long = Array.from({ length: 260 }, (_, i) => 1000 + i);
    const folds = walkForwardSplits({ dates: long }, { window: 'rolling' });
    expect(folds).toHaveLength(5);
    expect(folds.map((f) => f.testWindow)).toEqual([0, 1, 2, 3, 4].map((k) => ({ start: 1110 + 30 * k, end: 1139 + 30 * k })));
    // Rolling: exactly 90 days ending 2 days before the test (one gap day between).
    expect(folds[0].trainWindow).toEqual({ start: 1019, end: 1108 });
    expect(folds[4].train.length).toBe(90);
    expect(folds[4].train[0]).toBe(1230 - 1 - 90 - 1000);
    expect(folds[4].test.length).toBe(30);
  });

  it('expanding windows train on everything before the gap', () => {
    const folds = walkForwardSplits({ dates: days }, { nSplits: 3, trainDays: 50, testDays: 40 });
    expect(folds.map((f) => f.train.length)).toEqual([79, 119, 159]);
    expect(folds.map((f) => f.trainWindow.start)).toEqual([1000, 1000, 1000]);
    expect(folds[2].boundaries).toEqual({
      trainStart: dayToIso(1000),
      trainEnd: dayToIso(1158),
      testStart: dayToIso(1160),
      testEnd: dayToIso(1199),
    });
  });

  it('returns sorted Int32Array indices even when rows arrive out of date order', () => {
    const shuffled = [...days].reverse();
    const folds = walkForwardSplits({ dates: shuffled }, { nSplits: 2, trainDays: 30, testDays: 20 });
    for (const f of folds) {
      expect(f.train).toBeInstanceOf(Int32Array);
      expect([...f.train]).toEqual([...f.train].sort((a, b) => a - b));
      expect([...f.test]).toEqual([...f.test].sort((a, b) => a - b));
    }
    // Row 0 holds the last day, so it is in the last test fold.
    expect(folds[1].test[0]).toBe(0);
  });

  it('purges training games whose label horizon reaches into the gap or test window', () => {
    const horizon = days.map((_, i) => (i % 2 === 0 ? 5 : 0));
    const folds = walkForwardSplits({ dates: days, horizonDays: horizon }, { nSplits: 1, trainDays: 60, testDays: 30, gapDays: 1 });
    const f = folds[0];
    // Test starts at day 1170; guard begins at 1169. Even rows with day + 5 >= 1169 (days 1164..1168) are purged.
    expect(f.purged).toBe(3); // days 1164, 1166, 1168
    const trainDays = [...f.train].map((r) => days[r]);
    expect(trainDays).not.toContain(1164);
    expect(trainDays).toContain(1165);
  });

  it('refuses data that cannot hold the requested windows with an input error naming the need', () => {
    const e = expectInputError(() => walkForwardSplits({ dates: days.slice(0, 100) }), 'CV_NOT_ENOUGH_DATA');
    expect(e.message).toContain('241 days');
    expect(e.message).toContain('span 100 days');
  });

  it('refuses a fold whose training window is empty and says which fold', () => {
    // Two clusters of games with a hole: the rolling training window of the first fold falls in the hole.
    const holey = [...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 6 }, (_, i) => 400 + i)];
    const e = expectInputError(
      () => walkForwardSplits({ dates: holey }, { nSplits: 1, trainDays: 100, testDays: 20, window: 'rolling' }),
      'CV_EMPTY_FOLD',
    );
    expect(e.message).toContain('fold 1 has no training games');
  });

  it('refuses bad options with an input error naming the field', () => {
    const e = expectInputError(() => walkForwardSplits({ dates: days }, { nSplits: 0 }), 'INVALID_INPUT');
    expect(e.message).toContain('nSplits');
    expectInputError(() => walkForwardSplits({ dates: days, seasons: [2016] }), 'CV_LENGTH_MISMATCH');
    expectInputError(() => walkForwardSplits({ dates: [] }), 'CV_NO_ROWS');
  });
});

describe('seasonForwardSplits', () => {
  const cal = seasonCalendar(2010, 2016, 3, 1);

  it('tests on each of the last seasons and trains on all earlier ones', () => {
    const folds = seasonForwardSplits(cal, { nSplits: 3 });
    expect(folds.map((f) => f.testSeason)).toEqual([2014, 2015, 2016]);
    for (const f of folds) {
      expect(new Set([...f.test].map((r) => cal.seasons[r]))).toEqual(new Set([f.testSeason]));
      expect(Math.max(...[...f.train].map((r) => cal.seasons[r]))).toBe(f.testSeason! - 1);
      expect(Math.min(...[...f.train].map((r) => cal.seasons[r]))).toBe(2010);
    }
    expect(folds[0].boundaries.testStart).toBe('2014-04-03');
  });

  it('rolling keeps only the last trainSeasons seasons', () => {
    const folds = seasonForwardSplits(cal, { nSplits: 2, window: 'rolling', trainSeasons: 2 });
    expect(new Set([...folds[1].train].map((r) => cal.seasons[r]))).toEqual(new Set([2014, 2015]));
  });

  it('refuses more splits than the seasons allow', () => {
    const e = expectInputError(() => seasonForwardSplits(cal, { nSplits: 7 }), 'CV_NOT_ENOUGH_DATA');
    expect(e.message).toContain('at least 8 seasons');
  });
});

describe('withinSeasonSplits', () => {
  const cal = seasonCalendar(2014, 2016, 1, 1);

  it('keeps every window inside one season and takes the last windows across seasons', () => {
    const folds = withinSeasonSplits(cal);
    expect(folds).toHaveLength(5);
    // Apr 3..Oct 2 is 183 days: three 30-day tests fit after 90 + 1 days; the last five span two seasons.
    expect(folds.map((f) => f.testSeason)).toEqual([2015, 2015, 2016, 2016, 2016]);
    expect(folds[4].boundaries.testEnd).toBe('2016-10-02');
    expect(folds[4].boundaries.testStart).toBe('2016-09-03');
    for (const f of folds) {
      expect(f.boundaries.trainStart.slice(0, 4)).toBe(String(f.testSeason));
      for (const r of f.train) expect(cal.seasons[r]).toBe(f.testSeason);
    }
  });

  it('refuses when no window fits within a season', () => {
    const e = expectInputError(() => withinSeasonSplits(cal, { trainDays: 170, testDays: 30 }), 'CV_NOT_ENOUGH_DATA');
    expect(e.message).toContain('only 0 windows');
  });
});

describe('splitFolds', () => {
  it('maps the CLI schemes to splitters', () => {
    const cal = seasonCalendar(2014, 2016, 1, 1);
    expect(splitFolds('rolling', cal, { nSplits: 2 })[1].train.length).toBe(90);
    expect(splitFolds('season-forward', cal, { nSplits: 2 }).map((f) => f.testSeason)).toEqual([2015, 2016]);
    expect(splitFolds('within-season', cal, { nSplits: 2 }).every((f) => f.testSeason === 2016)).toBe(true);
  });
});
