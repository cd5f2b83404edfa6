import { inputError } from '../../../src-main/shared/errors';
import { dayToIso } from './dayNumbers';
import { type Fold, type SplitInput, guardTrainRows, makeFold, prepareRows, rowsInWindow } from './foldBuilder';
import { type WindowSplitOptions, parseOptions, windowSplitOptionsSchema } from './splitOptions';

/**
 * Calendar walk-forward: the last `nSplits` test windows of `testDays` tile the end of the data;
 * each trains on the `trainDays` before it (rolling) or on everything before it (expanding),
 * always ending `gapDays` before the test window. Training never contains a game later than any test game.
 */
export function walkForwardSplits(input: SplitInput, options: WindowSplitOptions = {}): Fold[] {
  const o = parseOptions(windowSplitOptionsSchema, 'walkForwardSplits', options);
  const rows = prepareRows(input);
  const minDay = rows.sortedDays[0];
  const maxDay = rows.sortedDays[rows.n - 1];
  const firstTestStart = maxDay - o.nSplits * o.testDays + 1;
  const firstTrainStart = firstTestStart - o.gapDays - o.trainDays;
  if (firstTrainStart < minDay) {
    const needed = o.trainDays + o.gapDays + o.nSplits * o.testDays;
    throw inputError(
      'CV_NOT_ENOUGH_DATA',
      `walk-forward needs ${needed} days (${o.trainDays} train + ${o.gapDays} gap + ${o.nSplits}×${o.testDays} test) but the games span ${maxDay - minDay + 1} days (${dayToIso(minDay)}..${dayToIso(maxDay)}): ` +
        'choose fewer splits or shorter windows, or add seasons',
      { neededDays: needed, availableDays: maxDay - minDay + 1, ...o },
    );
  }
  const folds: Fold[] = [];
  for (let k = 0; k < o.nSplits; k++) {
    const testWindow = { start: firstTestStart + k * o.testDays, end: firstTestStart + (k + 1) * o.testDays - 1 };
    const trainEnd = testWindow.start - o.gapDays - 1;
    const trainWindow = { start: o.window === 'rolling' ? trainEnd - o.trainDays + 1 : minDay, end: trainEnd };
    const train = guardTrainRows(rows, rowsInWindow(rows, trainWindow), testWindow, o);
    folds.push(makeFold('walk-forward', k, train, rowsInWindow(rows, testWindow), trainWindow, testWindow, null));
  }
  return folds;
}
