import { z } from 'zod';
import { inputError } from '../../../src-main/shared/errors';
import { CPCV_DEFAULTS } from '../../../src-main/shared/vocabulary';
import { dayToIso } from './dayNumbers';
import { type DayWindow, type Fold, type PreparedRows, type SplitInput, makeFold, prepareRows } from './foldBuilder';
import { CV_DEFAULTS, parseOptions } from './splitOptions';

/** More splits than this is a typo or a job of days (C(16, 8) is already 12,870 models): refused before anything trains. */
export const CPCV_MAX_SPLITS = 5000;

export const cpcvOptionsSchema = z.object({
  /** N: how many contiguous date groups the games are cut into. */
  groups: z.int().min(2, 'a combinatorially purged CV needs at least 2 groups').default(CPCV_DEFAULTS.groups),
  /** k: how many groups each split tests (k < N). */
  testGroups: z.int().min(1, 'each split tests at least 1 group').default(CPCV_DEFAULTS.testGroups),
  /** Whole days before each test group whose games never train. */
  gapDays: z.int().min(0).default(CV_DEFAULTS.gapDays),
  /** Whole days after each test group whose games never train. */
  embargoDays: z.int().min(0).default(CV_DEFAULTS.embargoDays),
});
export type CpcvOptions = z.input<typeof cpcvOptionsSchema>;

/** One of the N date groups: its first and last game day (UTC day numbers) and its games. */
export interface DateGroup {
  index: number;
  start: number;
  end: number;
  games: number;
}

/** Everything a CPCV is: the groups, each split's test groups (lexicographic), the backtest paths and the folds. */
export interface CpcvPlan {
  groups: DateGroup[];
  /** splits[s] = the test groups of split s, ascending; splits are in lexicographic order. */
  splits: number[][];
  /** paths[j][g] = the split whose prediction path j takes for group g (see backtestPaths). */
  paths: number[][];
  /** One fold per split, fold.index = split index. */
  folds: Fold[];
}

/** C(n, k), or Infinity once it passes `cap` (so a huge request never overflows on its way to being refused). */
export function binomial(n: number, k: number, cap = Number.MAX_SAFE_INTEGER): number {
  if (k < 0 || k > n) return 0;
  const m = Math.min(k, n - k);
  let c = 1;
  // C(n, i) grows with i up to n/2, so passing the cap at any step means the result passes it too.
  for (let i = 1; i <= m; i++) {
    c = (c * (n - m + i)) / i;
    if (c > cap) return Number.POSITIVE_INFINITY;
  }
  return Math.round(c);
}

/**
 * Refuses a shape with no splits (k ≥ N) or too many (C(N, k) above CPCV_MAX_SPLITS) and answers the
 * number of splits; the engine calls it before starting a job so the caller gets the refusal itself.
 */
export function cpcvSplitCount(groups: number, testGroups: number): number {
  if (!Number.isInteger(groups) || groups < 2)
    throw inputError('CV_INVALID_GROUPS', `a combinatorially purged CV needs at least 2 groups, got ${groups}`, { groups });
  if (!Number.isInteger(testGroups) || testGroups < 1 || testGroups >= groups)
    throw inputError(
      'CV_INVALID_GROUPS',
      `--test-groups ${testGroups} with --groups ${groups}: each split must test at least 1 group and leave at least one to train on (1 ≤ k < N)`,
      { groups, testGroups },
    );
  const splits = binomial(groups, testGroups);
  if (splits > CPCV_MAX_SPLITS)
    throw inputError(
      'CV_TOO_MANY_SPLITS',
      `--groups ${groups} --test-groups ${testGroups} makes C(${groups}, ${testGroups}) ${Number.isFinite(splits) ? `= ${splits} ` : ''}splits, more than the ${CPCV_MAX_SPLITS} a CV may train: ` +
        'choose fewer groups or fewer test groups (6 and 2 make 15 splits)',
      { groups, testGroups, maxSplits: CPCV_MAX_SPLITS },
    );
  return splits;
}

/** Every k-subset of 0..n-1, ascending inside and in lexicographic order: the split order of a CPCV. */
export function testGroupCombinations(groups: number, testGroups: number): number[][] {
  cpcvSplitCount(groups, testGroups);
  const out: number[][] = [];
  const c = Array.from({ length: testGroups }, (_v, i) => i);
  for (;;) {
    out.push([...c]);
    let i = testGroups - 1;
    while (i >= 0 && c[i] === groups - testGroups + i) i--;
    if (i < 0) return out;
    c[i]++;
    for (let j = i + 1; j < testGroups; j++) c[j] = c[j - 1] + 1;
  }
}

/**
 * López de Prado's backtest paths: each group is tested by φ = k·C(N,k)/N = C(N−1,k−1) splits, and path j
 * takes, for every group g, the j-th of those splits (in split order). paths[j][g] is that split's index,
 * so each path predicts every game exactly once, each from a model that never trained on its group.
 */
export function backtestPaths(groups: number, testGroups: number): number[][] {
  const byGroup: number[][] = Array.from({ length: groups }, () => []);
  testGroupCombinations(groups, testGroups).forEach((combo, s) => {
    for (const g of combo) byGroup[g].push(s);
  });
  const phi = byGroup[0].length;
  return Array.from({ length: phi }, (_v, j) => byGroup.map((splits) => splits[j]));
}

/**
 * Cuts the rows into N contiguous date groups of about equal game count, never splitting a day: group g
 * ends at the day boundary nearest to g·n/N games, while leaving at least one game day for each later group.
 * Answers each group's first position in the date order (and n as the end).
 */
function groupStarts(rows: PreparedRows, groups: number): number[] {
  const dayStarts: number[] = [0];
  for (let k = 1; k < rows.n; k++) if (rows.sortedDays[k] !== rows.sortedDays[k - 1]) dayStarts.push(k);
  const days = dayStarts.length;
  if (days < groups)
    throw inputError(
      'CV_NOT_ENOUGH_DATA',
      `a combinatorially purged CV with ${groups} groups needs at least ${groups} game days but the games fall on ${days} ` +
        `(${dayToIso(rows.sortedDays[0])}..${dayToIso(rows.sortedDays[rows.n - 1])}): choose fewer groups or add seasons`,
      { groups, gameDays: days },
    );
  const starts = [0];
  let prev = 0; // index into dayStarts of the previous group's start
  for (let g = 1; g < groups; g++) {
    const target = (g * rows.n) / groups;
    const lo = prev + 1;
    const hi = days - (groups - g);
    // The first day start in [lo, hi] at or after the target (hi + 1 when none), then the nearer of it and the one before.
    let a = lo;
    for (let b = hi + 1; a < b;) {
      const mid = (a + b) >>> 1;
      if (dayStarts[mid] < target) a = mid + 1;
      else b = mid;
    }
    const above = Math.min(a, hi);
    const below = Math.max(a - 1, lo);
    const i = Math.abs(dayStarts[below] - target) <= Math.abs(dayStarts[above] - target) ? below : above;
    starts.push(dayStarts[i]);
    prev = i;
  }
  starts.push(rows.n);
  return starts;
}

/**
 * Guards the training rows of one split against every test group, counting each dropped row once:
 * embargoed when it lies in the embargo days after a test group's end (embargo first, as in guardTrainRows),
 * else purged when its information span [day − lookback, day + horizon] reaches a test group's guarded
 * interval [start − gap, end + embargo]. Every row outside the test groups is a candidate, so the rows in
 * the gap before a test group count as purged (their own day lies in the guarded interval).
 */
function guardAgainstGroups(
  rows: PreparedRows,
  testOf: Uint8Array,
  windows: DayWindow[],
  gapDays: number,
  embargoDays: number,
): { train: Int32Array; purged: number; embargoed: number } {
  const out = new Int32Array(rows.n);
  let m = 0;
  let purged = 0;
  let embargoed = 0;
  for (let r = 0; r < rows.n; r++) {
    if (testOf[r]) continue;
    const d = rows.days[r];
    if (windows.some((w) => d > w.end && d <= w.end + embargoDays)) {
      embargoed++;
      continue;
    }
    const from = d - rows.lookback[r];
    const to = d + rows.horizon[r];
    if (windows.some((w) => to >= w.start - gapDays && from <= w.end + embargoDays)) {
      purged++;
      continue;
    }
    out[m++] = r;
  }
  return { train: out.slice(0, m), purged, embargoed };
}

/**
 * Combinatorially purged cross-validation (López de Prado, AFML ch. 12): the dates cut into N groups,
 * every one of the C(N, k) choices of k test groups is a split that trains on all other rows, before and
 * after the test groups, less the rows purged or embargoed around each of them. Each fold's train and
 * test are sorted row indices; folds come in lexicographic order of their test groups.
 */
export function combinatorialPurgedPlan(input: SplitInput, options: CpcvOptions = {}): CpcvPlan {
  const o = parseOptions(cpcvOptionsSchema, 'combinatorialPurgedSplits', options);
  cpcvSplitCount(o.groups, o.testGroups);
  const rows = prepareRows(input);
  const starts = groupStarts(rows, o.groups);
  const groupOf = new Int32Array(rows.n);
  const groups: DateGroup[] = [];
  for (let g = 0; g < o.groups; g++) {
    for (let k = starts[g]; k < starts[g + 1]; k++) groupOf[rows.order[k]] = g;
    groups.push({ index: g, start: rows.sortedDays[starts[g]], end: rows.sortedDays[starts[g + 1] - 1], games: starts[g + 1] - starts[g] });
  }
  const splits = testGroupCombinations(o.groups, o.testGroups);
  const testOf = new Uint8Array(rows.n);
  const folds = splits.map((combo, s): Fold => {
    const tested = new Set(combo);
    const windows = combo.map((g) => ({ start: groups[g].start, end: groups[g].end }));
    let testCount = 0;
    for (let r = 0; r < rows.n; r++) {
      testOf[r] = tested.has(groupOf[r]) ? 1 : 0;
      testCount += testOf[r];
    }
    const test = new Int32Array(testCount);
    for (let r = 0, m = 0; r < rows.n; r++) if (testOf[r]) test[m++] = r;
    const guarded = guardAgainstGroups(rows, testOf, windows, o.gapDays, o.embargoDays);
    const testWindow = { start: windows[0].start, end: windows[windows.length - 1].end };
    if (guarded.train.length === 0) {
      throw inputError(
        'CV_EMPTY_FOLD',
        `cpcv split ${s + 1} (test groups ${combo.map((g) => g + 1).join(', ')} of ${o.groups}) has no training games left after purging ${guarded.purged} ` +
          `and embargoing ${guarded.embargoed}: choose more groups, fewer test groups, a shorter gap or embargo, or add seasons`,
        { scheme: 'cpcv', fold: s, testGroups: combo, purged: guarded.purged, embargoed: guarded.embargoed },
      );
    }
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const r of guarded.train) {
      if (rows.days[r] < first) first = rows.days[r];
      if (rows.days[r] > last) last = rows.days[r];
    }
    return makeFold('cpcv', s, guarded, test, { start: first, end: last }, testWindow, null, windows);
  });
  return { groups, splits, paths: backtestPaths(o.groups, o.testGroups), folds };
}

/** The folds of a combinatorially purged CV (see combinatorialPurgedPlan), for splitFolds. */
export function combinatorialPurgedSplits(input: SplitInput, options: CpcvOptions = {}): Fold[] {
  return combinatorialPurgedPlan(input, options).folds;
}
