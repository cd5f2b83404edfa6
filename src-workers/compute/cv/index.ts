/** Time-series cross-validation splitters: pure compute on game dates, usable in workers and the engine. */
export { isoToDay, dayToIso, yearOfDay, monthOfDay, toDayNumbers, daysFromCivil, civilFromDays } from './dayNumbers';
export type { SplitInput, Fold, DayWindow } from './foldBuilder';
export { CV_DEFAULTS, windowSplitOptionsSchema, seasonForwardOptionsSchema } from './splitOptions';
export type { WindowSplitOptions, SeasonForwardOptions } from './splitOptions';
export { walkForwardSplits } from './walkForwardSplits';
export { seasonForwardSplits, withinSeasonSplits, seasonSpans } from './seasonSplits';
export { splitFolds, cvSchemes, type CvScheme, type SplitFoldsOptions } from './splitFolds';
export {
  combinatorialPurgedPlan,
  combinatorialPurgedSplits,
  backtestPaths,
  testGroupCombinations,
  cpcvSplitCount,
  binomial,
  cpcvOptionsSchema,
  CPCV_MAX_SPLITS,
} from './combinatorialPurgedSplits';
export type { CpcvOptions, CpcvPlan, DateGroup } from './combinatorialPurgedSplits';
