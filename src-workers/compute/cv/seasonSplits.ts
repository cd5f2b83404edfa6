import { inputError } from '../../../src-main/shared/errors';
import {
  type DayWindow,
  type Fold,
  type PreparedRows,
  type SplitInput,
  guardTrainRows,
  makeFold,
  prepareRows,
  rowsInWindow,
} from './foldBuilder';
import {
  type SeasonForwardOptions,
  type WindowSplitOptions,
  parseOptions,
  seasonForwardOptionsSchema,
  windowSplitOptionsSchema,
} from './splitOptions';

/** Span of one season in the data: its first and last game day. */
export interface SeasonSpan {
  season: number;
  start: number;
  end: number;
}

/** Seasons in ascending order with their first and last game day; refuses seasons whose spans overlap. */
export function seasonSpans(rows: PreparedRows): SeasonSpan[] {
  const spans = new Map<number, SeasonSpan>();
  for (let r = 0; r < rows.n; r++) {
    const s = rows.seasons[r];
    const d = rows.days[r];
    const span = spans.get(s);
    if (!span) spans.set(s, { season: s, start: d, end: d });
    else {
      if (d < span.start) span.start = d;
      if (d > span.end) span.end = d;
    }
  }
  const list = [...spans.values()].sort((a, b) => a.season - b.season);
  for (let i = 1; i < list.length; i++) {
    if (list[i].start <= list[i - 1].end) {
      throw inputError(
        'CV_SEASONS_OVERLAP',
        `season ${list[i].season} starts before season ${list[i - 1].season} ends: each season's games must follow the previous season's`,
        {
          season: list[i].season,
          previous: list[i - 1].season,
        },
      );
    }
  }
  return list;
}

/**
 * MLB season-forward: each of the last `nSplits` seasons is a test window; training is all earlier
 * seasons (expanding) or the `trainSeasons` before it (rolling). A test window is exactly one season.
 */
export function seasonForwardSplits(input: SplitInput, options: SeasonForwardOptions = {}): Fold[] {
  const o = parseOptions(seasonForwardOptionsSchema, 'seasonForwardSplits', options);
  const rows = prepareRows(input);
  const spans = seasonSpans(rows);
  const firstTest = spans.length - o.nSplits;
  if (firstTest < o.minTrainSeasons) {
    throw inputError(
      'CV_NOT_ENOUGH_DATA',
      `season-forward with ${o.nSplits} splits needs at least ${o.nSplits + o.minTrainSeasons} seasons but the games cover ${spans.length} (${spans.map((s) => s.season).join(', ')}): choose fewer splits or add seasons`,
      { neededSeasons: o.nSplits + o.minTrainSeasons, availableSeasons: spans.length },
    );
  }
  const folds: Fold[] = [];
  for (let k = 0; k < o.nSplits; k++) {
    const test = spans[firstTest + k];
    const trainFrom = o.window === 'rolling' ? Math.max(0, firstTest + k - o.trainSeasons) : 0;
    const trainSeasons = new Set(spans.slice(trainFrom, firstTest + k).map((s) => s.season));
    const testWindow: DayWindow = { start: test.start, end: test.end };
    const trainWindow: DayWindow = {
      start: spans[trainFrom].start,
      end: Math.min(spans[firstTest + k - 1].end, test.start - o.gapDays - 1),
    };
    const candidates = rowsInWindow(rows, trainWindow, (s) => trainSeasons.has(s));
    const train = guardTrainRows(rows, candidates, testWindow, o);
    const testRows = rowsInWindow(rows, testWindow, (s) => s === test.season);
    folds.push(makeFold('season-forward', k, train, testRows, trainWindow, testWindow, test.season));
  }
  return folds;
}

/**
 * MLB within-season windows: train and test windows lie inside one season, so no window straddles an
 * off-season. Test windows of `testDays` tile each season backward from its last game, each needing
 * `trainDays` of that season (plus the gap) before it; the last `nSplits` such windows are the folds.
 */
export function withinSeasonSplits(input: SplitInput, options: WindowSplitOptions = {}): Fold[] {
  const o = parseOptions(windowSplitOptionsSchema, 'withinSeasonSplits', options);
  const rows = prepareRows(input);
  const candidates: { span: SeasonSpan; test: DayWindow; train: DayWindow }[] = [];
  for (const span of seasonSpans(rows)) {
    const perSeason: (typeof candidates)[number][] = [];
    for (let end = span.end; ; end -= o.testDays) {
      const test = { start: end - o.testDays + 1, end };
      const trainEnd = test.start - o.gapDays - 1;
      const rollingStart = trainEnd - o.trainDays + 1;
      if (rollingStart < span.start) break;
      perSeason.push({ span, test, train: { start: o.window === 'rolling' ? rollingStart : span.start, end: trainEnd } });
    }
    candidates.push(...perSeason.reverse());
  }
  if (candidates.length < o.nSplits) {
    throw inputError(
      'CV_NOT_ENOUGH_DATA',
      `within-season splits: only ${candidates.length} windows of ${o.trainDays} train + ${o.gapDays} gap + ${o.testDays} test days fit inside the seasons, ${o.nSplits} requested: ` +
        'choose fewer splits, shorter windows, or add seasons',
      { possibleSplits: candidates.length, requestedSplits: o.nSplits, ...o },
    );
  }
  return candidates.slice(candidates.length - o.nSplits).map((c, k) => {
    const inSeason = (s: number) => s === c.span.season;
    const train = guardTrainRows(rows, rowsInWindow(rows, c.train, inSeason), c.test, o);
    return makeFold('within-season', k, train, rowsInWindow(rows, c.test, inSeason), c.train, c.test, c.span.season);
  });
}
