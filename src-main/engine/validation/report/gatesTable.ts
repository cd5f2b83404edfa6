import type { GateResult } from '../../../shared/results';
import { gateLabels, type GateName } from '../../../shared/validationPolicy';
import { fmtCount, fmtDecimal, fmtDetail, fmtPercent, fmtPValue, humanKey } from './format';
import { html, type SafeHtml } from './html';

/** How each gate's value and threshold read: the unit, the comparison that passes, and what the value is. */
interface GateFormat {
  format: (x: number | null) => string;
  /** The comparison the value must satisfy against the threshold to pass. */
  comparator: string;
  /** What the value is, when the gate's name does not say it. */
  measure?: string;
}

const pct = (x: number | null) => fmtPercent(x);
const signedPct = (x: number | null) => fmtPercent(x, { signed: true });

export const gateFormats: Record<GateName, GateFormat> = {
  accuracy: { format: pct, comparator: '≥' },
  roi: { format: signedPct, comparator: '≥' },
  maxDrawdown: { format: pct, comparator: '≤', measure: 'of the peak bankroll' },
  sharpe: { format: (x) => fmtDecimal(x, 2), comparator: '≥', measure: 'annualized, daily returns' },
  featureStability: { format: (x) => fmtDecimal(x, 2), comparator: '≥', measure: 'mean rank correlation' },
  bets: { format: fmtCount, comparator: '≥' },
  roiSignificance: { format: signedPct, comparator: '>', measure: 'lower bound of the ROI interval' },
  accuracySignificance: { format: fmtPValue, comparator: '<', measure: 'p-value against the baseline' },
  marketLogLoss: { format: (x) => fmtDecimal(x, 4, true), comparator: '≤', measure: 'log-loss gap to the market' },
  calibration: { format: (x) => fmtDecimal(x, 3), comparator: '≤', measure: 'expected calibration error' },
  leakage: { format: (x) => fmtDecimal(x, 4, true), comparator: '≤', measure: 'log-loss advantage over the market' },
  overfitting: { format: (x) => fmtDecimal(x, 2), comparator: '≥', measure: 'deflated Sharpe ratio' },
};

function detailsList(details: GateResult['details']): SafeHtml | string {
  const entries = Object.entries(details);
  if (entries.length === 0) return '';
  return html`<dl class="details">
    ${entries.map(
      ([k, v]) =>
        html`<dt>${humanKey(k)}</dt>
          <dd>${fmtDetail(k, v)}</dd>`,
    )}
  </dl>`;
}

/** One row per gate: label, verdict, value, threshold, explanation and details; failed rows stand out. */
export function gatesTable(gates: readonly GateResult[]): SafeHtml {
  if (gates.length === 0) return html`<p class="empty">No gate was enabled by the policy.</p>`;
  const rows = gates.map((g) => {
    const f = gateFormats[g.name] as GateFormat | undefined;
    const format = f?.format ?? ((x: number | null) => fmtDecimal(x, 4));
    const verdict = g.passed ? 'pass' : 'fail';
    const unmeasured = g.value === null ? html`<span class="muted">not measured</span>` : format(g.value);
    return html`<tr class="gate ${verdict}" data-gate="${g.name}">
      <th scope="row">${gateLabels[g.name] ?? g.name}</th>
      <td class="verdict"><span class="badge ${verdict}">${g.passed ? 'PASS' : 'FAIL'}</span></td>
      <td class="num">${unmeasured}${f?.measure ? html`<div class="muted">${f.measure}</div>` : ''}</td>
      <td class="num">${f?.comparator ?? ''} ${format(g.threshold)}</td>
      <td class="explanation">${g.explanation}${detailsList(g.details)}</td>
    </tr>`;
  });
  return html`<table class="gates" id="gates-table">
    <thead>
      <tr>
        <th scope="col">Gate</th>
        <th scope="col">Result</th>
        <th scope="col">Value</th>
        <th scope="col">Threshold</th>
        <th scope="col">Why</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}
