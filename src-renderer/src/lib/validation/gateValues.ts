import type { GateName } from '../../../../src-main/shared/validationPolicy';

/** null and non-finite numbers read as a dash, like everywhere in the UI. */
const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);
const pct = (v: number | null, signed = false): string =>
  finite(v) ? `${signed && v > 0 ? '+' : ''}${(v * 100).toFixed(1)}%`.replace('-', '\u2212') : '—';
const dec =
  (digits: number, signed = false) =>
  (v: number | null) =>
    finite(v) ? `${signed && v > 0 ? '+' : ''}${v.toFixed(digits)}`.replace('-', '\u2212') : '—';
const count = (v: number | null) => (finite(v) ? Math.round(v).toLocaleString('en-US') : '—');
const pValue = (v: number | null) => (!finite(v) ? '—' : v < 1e-4 ? '< 0.0001' : v >= 0.01 ? v.toFixed(2) : v.toPrecision(2));

/**
 * How a gate's value and threshold read in the gates table: the unit and the comparison that passes. The
 * same units as the HTML report's table (engine/validation/report/gatesTable.ts), which the renderer may not import.
 */
export const gateValueFormats: Record<GateName, { format: (v: number | null) => string; comparator: string }> = {
  accuracy: { format: (v) => pct(v), comparator: '≥' },
  roi: { format: (v) => pct(v, true), comparator: '≥' },
  maxDrawdown: { format: (v) => pct(v), comparator: '≤' },
  sharpe: { format: dec(2), comparator: '≥' },
  featureStability: { format: dec(2), comparator: '≥' },
  bets: { format: count, comparator: '≥' },
  roiSignificance: { format: (v) => pct(v, true), comparator: '>' },
  accuracySignificance: { format: pValue, comparator: '<' },
  marketLogLoss: { format: dec(4, true), comparator: '≤' },
  calibration: { format: dec(3), comparator: '≤' },
  leakage: { format: dec(4, true), comparator: '≤' },
  overfitting: { format: dec(2), comparator: '≥' },
};
