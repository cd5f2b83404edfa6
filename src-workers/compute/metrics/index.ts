/** Model metrics: proper scores, discrimination, calibration and the comparison with the betting market. */
export { LOG_LOSS_EPSILON, logLoss, brier, accuracy, auc } from './classification';
export { DEFAULT_CALIBRATION_BINS, reliabilityCurve, ece, type ReliabilityBin } from './calibration';
export { modelMetrics, type ModelMetrics } from './modelMetrics';
export { marketProbabilities, marketComparison, type MarketComparison } from './market';
export { americanToDecimal, decimalToAmerican, impliedFromAmerican, impliedFromDecimal, removeVigProportional } from '../backtest/odds';
