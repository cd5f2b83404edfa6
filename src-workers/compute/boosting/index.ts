/**
 * Boosting: drives the LightGBM binding (train, cross-validate folds, score, check parameters). Native
 * calls, but no threads, messages or transfers: a worker task or a test on the main thread calls these alike.
 */
export { lgbParamsSchema, boostingSchema, type LgbParams, type BoostingOptions } from './options';
export type { Steps } from './steps';
export { pickRows, pickValues } from './pickRows';
export { boost, type Curve } from './boost';
export { fitModel, type FitModelInput, type FittedModel, type LabelledRows } from './fitModel';
export {
  fitFolds,
  innerHoldout,
  foldFitOptionsSchema,
  type FitFoldsInput,
  type FoldFitOptions,
  type FoldRows,
  type CvFoldResult,
} from './fitFolds';
export { predictProbabilities, type ModelScoring } from './predictProbabilities';
export { checkLightgbmParams, lightgbmParameterNames, plainLightgbmMessage, type ParamCheckInput } from './checkLightgbmParams';
