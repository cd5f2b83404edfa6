import { inputError } from '../../../src-main/shared/errors';
import { dayToIso, toDayNumbers, yearOfDay } from './dayNumbers';

/** Rows to split: one game (sample) per row. */
export interface SplitInput {
  /** Game date per row: ISO strings or UTC day numbers. */
  dates: readonly string[] | ArrayLike<number>;
  /** Season label per row; defaults to the UTC year of the date (an MLB season lies within one year). */
  seasons?: ArrayLike<number>;
  /** Days of history each row's features read (its feature window starts this many days before the game). */
  lookbackDays?: number | ArrayLike<number>;
  /** Days after the game until its label is known (0 for a game result). */
  horizonDays?: number | ArrayLike<number>;
}

/** Inclusive range of UTC day numbers. */
export interface DayWindow {
  start: number;
  end: number;
}

/** One fold: sorted row indices ready for LightGBM's dataset subset, and the windows they came from. */
export interface Fold {
  index: number;
  train: Int32Array;
  test: Int32Array;
  trainWindow: DayWindow;
  /** The overall span of the test rows (with CPCV it also spans the training groups between the test groups). */
  testWindow: DayWindow;
  /** The windows actually tested, in date order: [testWindow] for the forward schemes, one per test group for CPCV. */
  testWindows: DayWindow[];
  boundaries: { trainStart: string; trainEnd: string; testStart: string; testEnd: string };
  /** The season of the test window when the splitter is season-aware, else null. */
  testSeason: number | null;
  /** Training rows dropped because their feature or label window reached the guarded test window. */
  purged: number;
  /** Training rows dropped because they fell in the embargo after the test window. */
  embargoed: number;
}

/** Prepared rows: day numbers, seasons, information spans and the row order by date. */
export interface PreparedRows {
  n: number;
  days: Int32Array;
  seasons: Int32Array;
  lookback: Float64Array;
  horizon: Float64Array;
  /** Row indices sorted by (day, row). */
  order: Int32Array;
  /** days[order[k]] for k = 0..n-1, ascending. */
  sortedDays: Int32Array;
}

function perRow(name: string, v: number | ArrayLike<number> | undefined, n: number): Float64Array {
  const out = new Float64Array(n);
  if (v === undefined) return out;
  if (typeof v === 'number') {
    if (!(v >= 0) || !Number.isFinite(v))
      throw inputError('CV_INVALID_SPAN', `${name} must be a finite number of days ≥ 0, got ${v}`, { field: name, value: v });
    out.fill(v);
    return out;
  }
  if (v.length !== n)
    throw inputError('CV_LENGTH_MISMATCH', `${name} has ${v.length} values for ${n} rows: give one per row`, {
      field: name,
      expected: n,
      actual: v.length,
    });
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (!(x >= 0) || !Number.isFinite(x))
      throw inputError('CV_INVALID_SPAN', `${name} at row ${i} must be a finite number of days ≥ 0, got ${x}`, {
        field: name,
        row: i,
        value: x,
      });
    out[i] = x;
  }
  return out;
}

/** Validates and sorts the rows once so every splitter works on the same prepared view. */
export function prepareRows(input: SplitInput): PreparedRows {
  const days = toDayNumbers(input.dates);
  const n = days.length;
  if (n === 0) throw inputError('CV_NO_ROWS', 'no rows to split: the selection of games is empty');
  const seasons = new Int32Array(n);
  if (input.seasons) {
    if (input.seasons.length !== n) {
      throw inputError('CV_LENGTH_MISMATCH', `seasons has ${input.seasons.length} values for ${n} rows: give one per row`, {
        field: 'seasons',
        expected: n,
        actual: input.seasons.length,
      });
    }
    for (let i = 0; i < n; i++) seasons[i] = input.seasons[i];
  } else {
    for (let i = 0; i < n; i++) seasons[i] = yearOfDay(days[i]);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => days[a] - days[b] || a - b);
  const sortedDays = new Int32Array(n);
  for (let k = 0; k < n; k++) sortedDays[k] = days[order[k]];
  return {
    n,
    days,
    seasons,
    lookback: perRow('lookbackDays', input.lookbackDays, n),
    horizon: perRow('horizonDays', input.horizonDays, n),
    order,
    sortedDays,
  };
}

/** First position k in sortedDays with sortedDays[k] >= day. */
export function lowerBound(sortedDays: Int32Array, day: number): number {
  let lo = 0;
  let hi = sortedDays.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedDays[mid] < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows whose day lies in the window (and in `season` when given), sorted by row index. */
export function rowsInWindow(rows: PreparedRows, window: DayWindow, season?: (s: number) => boolean): Int32Array {
  const from = lowerBound(rows.sortedDays, window.start);
  const to = lowerBound(rows.sortedDays, window.end + 1);
  const out = new Int32Array(Math.max(0, to - from));
  let m = 0;
  for (let k = from; k < to; k++) {
    const r = rows.order[k];
    if (!season || season(rows.seasons[r])) out[m++] = r;
  }
  return out.subarray(0, m).sort();
}

export interface GuardOptions {
  gapDays: number;
  embargoDays: number;
}

/**
 * Applies the gap, the embargo and purging to candidate training rows of one test window.
 * A row is kept only when its date is before testStart − gap and outside the embargo after the
 * test window, and its information span [day − lookback, day + horizon] stays clear of the guarded
 * test interval [testStart − gap, testEnd + embargo].
 */
export function guardTrainRows(
  rows: PreparedRows,
  candidates: Int32Array,
  test: DayWindow,
  guard: GuardOptions,
): { train: Int32Array; purged: number; embargoed: number } {
  const guardStart = test.start - guard.gapDays;
  const guardEnd = test.end + guard.embargoDays;
  const out = new Int32Array(candidates.length);
  let m = 0;
  let purged = 0;
  let embargoed = 0;
  for (let k = 0; k < candidates.length; k++) {
    const r = candidates[k];
    const d = rows.days[r];
    if (d > test.end && d <= guardEnd) {
      embargoed++;
      continue;
    }
    if (d >= guardStart && d <= test.end) continue; // inside the gap or the test window itself: never training data
    if (d + rows.horizon[r] >= guardStart && d - rows.lookback[r] <= guardEnd) {
      purged++;
      continue;
    }
    out[m++] = r;
  }
  return { train: out.slice(0, m), purged, embargoed };
}

/** Assembles a fold and refuses empty sides with an error that names the fold and its windows. */
export function makeFold(
  scheme: string,
  index: number,
  train: { train: Int32Array; purged: number; embargoed: number },
  test: Int32Array,
  trainWindow: DayWindow,
  testWindow: DayWindow,
  testSeason: number | null,
  testWindows: DayWindow[] = [testWindow],
): Fold {
  const boundaries = {
    trainStart: dayToIso(trainWindow.start),
    trainEnd: dayToIso(trainWindow.end),
    testStart: dayToIso(testWindow.start),
    testEnd: dayToIso(testWindow.end),
  };
  if (test.length === 0 || train.train.length === 0) {
    const side = test.length === 0 ? 'test' : 'training';
    throw inputError(
      'CV_EMPTY_FOLD',
      `${scheme} fold ${index + 1} has no ${side} games (train ${boundaries.trainStart}..${boundaries.trainEnd}, test ${boundaries.testStart}..${boundaries.testEnd}): ` +
        'choose fewer splits, shorter windows, or the season-aware splitters for data with off-seasons',
      { scheme, fold: index, side, ...boundaries, purged: train.purged, embargoed: train.embargoed },
    );
  }
  return {
    index,
    train: train.train,
    test,
    trainWindow,
    testWindow,
    testWindows,
    boundaries,
    testSeason,
    purged: train.purged,
    embargoed: train.embargoed,
  };
}
