import { type CpcvOptions, combinatorialPurgedSplits } from './combinatorialPurgedSplits';
import { type Fold, type SplitInput } from './foldBuilder';
import { seasonForwardSplits, withinSeasonSplits } from './seasonSplits';
import { type SeasonForwardOptions, type WindowSplitOptions } from './splitOptions';
import { walkForwardSplits } from './walkForwardSplits';

import { cvSchemes, type CvScheme } from '../../../src-main/shared/vocabulary';
/** The schemes `bullpen ml cv --scheme` names, plus the within-season MLB windows (declared in the shared vocabulary). */
export { cvSchemes, type CvScheme };

/** Every scheme's options; each scheme reads its own (cpcv: groups, testGroups, gap and embargo only). */
export type SplitFoldsOptions = WindowSplitOptions & SeasonForwardOptions & Pick<CpcvOptions, 'groups' | 'testGroups'>;

/** One entry point for the CV job: 'rolling' is walk-forward with a rolling training window. */
export function splitFolds(scheme: CvScheme, input: SplitInput, options: SplitFoldsOptions = {}): Fold[] {
  switch (scheme) {
    case 'walk-forward':
      return walkForwardSplits(input, pickWindow(options));
    case 'rolling':
      return walkForwardSplits(input, { ...pickWindow(options), window: 'rolling' });
    case 'within-season':
      return withinSeasonSplits(input, pickWindow(options));
    case 'season-forward': {
      const { trainDays: _t, testDays: _d, groups: _g, testGroups: _k, ...rest } = options;
      return seasonForwardSplits(input, rest);
    }
    case 'cpcv': {
      const { groups, testGroups, gapDays, embargoDays } = options;
      return combinatorialPurgedSplits(input, { groups, testGroups, gapDays, embargoDays });
    }
  }
}

function pickWindow(options: SplitFoldsOptions): WindowSplitOptions {
  const { trainSeasons: _s, minTrainSeasons: _m, groups: _g, testGroups: _k, ...rest } = options;
  return rest;
}
