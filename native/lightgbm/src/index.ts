// @bullpen/lightgbm: LightGBM training and prediction for Node, shaped like LightGBM's Python package.
export { Dataset, type DatasetOptions } from './dataset';
export { Booster, type PredictOptions, type PredictType, type ImportanceType, type ModelOptions, type EvalResult } from './booster';
export { train, trainWithResult, type TrainOptions, type TrainResult, type TrainCallback, type IterationInfo } from './train';
export {
  renderParams,
  setMaxThreads,
  getMaxThreads,
  checkDatasetParams,
  type Params,
  type ParamValue,
  type DatasetParamsCheck,
} from './params';
export { addonPath, type FloatMatrix } from './native';
