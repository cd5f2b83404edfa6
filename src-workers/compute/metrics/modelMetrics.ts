import { ece } from './calibration';
import { accuracy, auc, brier, logLoss } from './classification';

/** The metric set every model reports (names from docs/CONVENTIONS.md). */
export interface ModelMetrics {
  games: number;
  logLoss: number;
  brier: number;
  auc: number;
  accuracy: number;
  ece: number;
}

/** All classification metrics of one set of predictions, computed the same way everywhere. */
export function modelMetrics(y: ArrayLike<number>, p: ArrayLike<number>): ModelMetrics {
  return { games: y.length, logLoss: logLoss(y, p), brier: brier(y, p), auc: auc(y, p), accuracy: accuracy(y, p), ece: ece(y, p) };
}
