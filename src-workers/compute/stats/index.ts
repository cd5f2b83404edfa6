/** Statistics for honest backtests: seeded bootstrap, Sharpe statistics, deflated Sharpe ratio and PBO. */
export { normalCdf, normalPdf, normalQuantile } from './normal';
export { createRng, type Rng } from './rng';
export { moments, sharpeRatio, sortinoRatio, type Moments } from './moments';
export { bootstrap, bootstrapRoi, quantileSorted, bootstrapOptionsSchema, type BootstrapOptions, type BootstrapResult } from './bootstrap';
export {
  probabilisticSharpeRatio,
  expectedMaxSharpe,
  deflatedSharpeRatio,
  deflatedSharpeOfBest,
  type DeflatedSharpeInput,
  type DeflatedSharpeResult,
} from './deflatedSharpe';
export { probabilityOfBacktestOverfitting, pboOptionsSchema, type PboOptions, type PboResult } from './backtestOverfitting';
