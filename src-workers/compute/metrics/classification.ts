import { inputError } from '../../../src-main/shared/errors';

/** Probabilities are clipped this far from 0 and 1 so one confident miss gives a large but finite log loss (LightGBM and scikit-learn clip alike). */
export const LOG_LOSS_EPSILON = 1e-15;

/** Refuses mismatched or empty inputs and labels other than 0/1, naming the row. */
export function checkBinary(y: ArrayLike<number>, p: ArrayLike<number>, what: string): void {
  if (y.length !== p.length)
    throw inputError('METRIC_LENGTH_MISMATCH', `${what}: ${y.length} labels but ${p.length} probabilities`, {
      labels: y.length,
      probabilities: p.length,
    });
  if (y.length === 0) throw inputError('METRIC_NO_ROWS', `${what}: no games to score`);
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1)
      throw inputError('METRIC_BAD_LABEL', `${what}: label at row ${i} is ${y[i]}, expected 0 or 1`, { row: i, value: y[i] });
    const q = p[i];
    if (!(q >= 0 && q <= 1))
      throw inputError('METRIC_BAD_PROBABILITY', `${what}: probability at row ${i} is ${q}, expected a number in [0, 1]`, {
        row: i,
        value: q,
      });
  }
}

/** Mean negative log-likelihood of binary outcomes: the proper score models are trained on. */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>, eps = LOG_LOSS_EPSILON): number {
  checkBinary(y, p, 'logLoss');
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

/** Mean squared error of the probability: a proper score bounded in [0, 1]. */
export function brier(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkBinary(y, p, 'brier');
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i] - y[i]) ** 2;
  return s / y.length;
}

/** Share of games whose predicted side (p ≥ threshold means 1) matched the outcome. */
export function accuracy(y: ArrayLike<number>, p: ArrayLike<number>, threshold = 0.5): number {
  checkBinary(y, p, 'accuracy');
  let hits = 0;
  for (let i = 0; i < y.length; i++) hits += (p[i] >= threshold ? 1 : 0) === y[i] ? 1 : 0;
  return hits / y.length;
}

/**
 * Area under the ROC curve via the Mann–Whitney statistic with mid-ranks, so tied scores count one half.
 * NaN when only one class is present (AUC is undefined there).
 */
export function auc(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkBinary(y, p, 'auc');
  const n = y.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => p[a] - p[b]);
  let positives = 0;
  let rankSumPositives = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && p[order[end + 1]] === p[order[start]]) end++;
    const midRank = (start + end) / 2 + 1; // ranks are 1-based
    for (let k = start; k <= end; k++) {
      if (y[order[k]] === 1) {
        positives++;
        rankSumPositives += midRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}
