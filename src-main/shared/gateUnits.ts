import type { GateName } from './validationPolicy';

/** How a gate's value reads: a share as a percentage, a plain number, a count or a p-value. */
export type GateUnit =
  { kind: 'percent'; signed?: boolean } | { kind: 'decimal'; digits: number; signed?: boolean } | { kind: 'count' } | { kind: 'pValue' };

/**
 * Each gate's unit, the comparison its value must satisfy against the threshold, and what the value is
 * when the gate's name does not say it: one table for the HTML report and the Validation screen.
 */
export const gateUnits: Record<GateName, { unit: GateUnit; comparator: '≥' | '≤' | '>' | '<'; measure?: string }> = {
  accuracy: { unit: { kind: 'percent' }, comparator: '≥' },
  roi: { unit: { kind: 'percent', signed: true }, comparator: '≥' },
  maxDrawdown: { unit: { kind: 'percent' }, comparator: '≤', measure: 'of the peak bankroll' },
  sharpe: { unit: { kind: 'decimal', digits: 2 }, comparator: '≥', measure: 'annualized, daily returns' },
  featureStability: { unit: { kind: 'decimal', digits: 2 }, comparator: '≥', measure: 'mean rank correlation' },
  bets: { unit: { kind: 'count' }, comparator: '≥' },
  roiSignificance: { unit: { kind: 'percent', signed: true }, comparator: '>', measure: 'lower bound of the ROI interval' },
  accuracySignificance: { unit: { kind: 'pValue' }, comparator: '<', measure: 'p-value against the baseline' },
  marketLogLoss: { unit: { kind: 'decimal', digits: 4, signed: true }, comparator: '≤', measure: 'log-loss gap to the market' },
  calibration: { unit: { kind: 'decimal', digits: 3 }, comparator: '≤', measure: 'expected calibration error' },
  leakage: { unit: { kind: 'decimal', digits: 4, signed: true }, comparator: '≤', measure: 'log-loss advantage over the market' },
  overfitting: { unit: { kind: 'decimal', digits: 2 }, comparator: '≥', measure: 'deflated Sharpe ratio' },
};
