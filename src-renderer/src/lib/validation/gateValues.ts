import { gateUnits, type GateUnit } from '../../../../src-main/shared/gateUnits';
import { gateNames, type GateName } from '../../../../src-main/shared/validationPolicy';

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

function formatterOf(unit: GateUnit): (v: number | null) => string {
  switch (unit.kind) {
    case 'percent':
      return (v) => pct(v, unit.signed ?? false);
    case 'decimal':
      return dec(unit.digits, unit.signed ?? false);
    case 'count':
      return count;
    case 'pValue':
      return pValue;
  }
}

/** How a gate's value and threshold read in the gates table: the units of shared/gateUnits, as the HTML report reads them. */
export const gateValueFormats = {} as Record<GateName, { format: (v: number | null) => string; comparator: string }>;
for (const name of gateNames)
  gateValueFormats[name] = { format: formatterOf(gateUnits[name].unit), comparator: gateUnits[name].comparator };
