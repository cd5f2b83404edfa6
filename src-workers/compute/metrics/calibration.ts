import { inputError } from '../../../src-main/shared/errors';
import { checkBinary } from './classification';

/** Ten equal-width bins: the usual reliability diagram and ECE setting. */
export const DEFAULT_CALIBRATION_BINS = 10;

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability in the bin (NaN when empty). */
  meanPredicted: number;
  /** Observed frequency of the positive outcome in the bin (NaN when empty). */
  observedRate: number;
}

function checkBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1)
    throw inputError('METRIC_BAD_BINS', `calibration bins must be a whole number ≥ 1, got ${bins}`, { bins });
}

/** Reliability curve on equal-width probability bins; the last bin includes 1. */
export function reliabilityCurve(y: ArrayLike<number>, p: ArrayLike<number>, bins = DEFAULT_CALIBRATION_BINS): ReliabilityBin[] {
  checkBinary(y, p, 'reliabilityCurve');
  checkBins(bins);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(bins - 1, Math.floor(p[i] * bins));
    count[b]++;
    sumP[b] += p[i];
    sumY[b] += y[i];
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    out.push({
      lower: b / bins,
      upper: (b + 1) / bins,
      count: count[b],
      meanPredicted: count[b] ? sumP[b] / count[b] : Number.NaN,
      observedRate: count[b] ? sumY[b] / count[b] : Number.NaN,
    });
  }
  return out;
}

/** Expected calibration error: the count-weighted mean gap between predicted and observed rates over the bins. */
export function ece(y: ArrayLike<number>, p: ArrayLike<number>, bins = DEFAULT_CALIBRATION_BINS): number {
  const curve = reliabilityCurve(y, p, bins);
  let s = 0;
  for (const b of curve) if (b.count) s += b.count * Math.abs(b.observedRate - b.meanPredicted);
  return s / y.length;
}
