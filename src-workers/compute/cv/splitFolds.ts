import { type Fold, type SplitInput } from './foldBuilder';
import { seasonForwardSplits, withinSeasonSplits } from './seasonSplits';
import { type SeasonForwardOptions, type WindowSplitOptions } from './splitOptions';
import { walkForwardSplits } from './walkForwardSplits';

import { cvSchemes, type CvScheme } from '../../../src-main/shared/vocabulary';
/** The schemes `bullpen ml cv --scheme` names, plus the within-season MLB windows (declared in the shared vocabulary). */
export { cvSchemes, type CvScheme };

/** One entry point for the CV job: 'rolling' is walk-forward with a rolling training window. */
export function splitFolds(scheme: CvScheme, input: SplitInput, options: WindowSplitOptions & SeasonForwardOptions = {}): Fold[] {
  switch (scheme) {
    case 'walk-forward':
      return walkForwardSplits(input, pickWindow(options));
    case 'rolling':
      return walkForwardSplits(input, { ...pickWindow(options), window: 'rolling' });
    case 'within-season':
      return withinSeasonSplits(input, pickWindow(options));
    case 'season-forward': {
      const { trainDays: _t, testDays: _d, ...rest } = options;
      return seasonForwardSplits(input, rest);
    }
  }
}

function pickWindow(options: WindowSplitOptions & SeasonForwardOptions): WindowSplitOptions {
  const { trainSeasons: _s, minTrainSeasons: _m, ...rest } = options;
  return rest;
}
