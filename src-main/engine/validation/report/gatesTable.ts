import type { GateResult } from '../../../shared/results';
import { gateUnits, type GateUnit } from '../../../shared/gateUnits';
import { gateLabels, gateNames, type GateName } from '../../../shared/validationPolicy';
import { fmtCount, fmtDecimal, fmtDetail, fmtPercent, fmtPValue, humanKey } from './format';
import { html, type SafeHtml } from './html';

/** How each gate's value and threshold read (shared/gateUnits: the Validation screen reads the same table). */
interface GateFormat {
  format: (x: number | null) => string;
  comparator: string;
  measure?: string;
}

function formatterOf(unit: GateUnit): (x: number | null) => string {
  switch (unit.kind) {
    case 'percent':
      return (x) => fmtPercent(x, { signed: unit.signed ?? false });
    case 'decimal':
      return (x) => fmtDecimal(x, unit.digits, unit.signed ?? false);
    case 'count':
      return fmtCount;
    case 'pValue':
      return fmtPValue;
  }
}

export const gateFormats = {} as Record<GateName, GateFormat>;
for (const name of gateNames) gateFormats[name] = { ...gateUnits[name], format: formatterOf(gateUnits[name].unit) };

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
