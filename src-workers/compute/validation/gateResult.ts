import type { GateResult } from '../../../src-main/shared/results/validation';
import { gateLabels, type GateName } from '../../../src-main/shared/validationPolicy';

export type GateDetails = GateResult['details'];
type DetailValue = GateDetails[string];

/** A number as the report stores it: NaN and ±∞ (a statistic with no value) become null. */
export function finiteOrNull(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

function cleanDetail(v: DetailValue): DetailValue {
  if (typeof v === 'number') return finiteOrNull(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' ? finiteOrNull(x) : x));
  return v;
}

/** One gate's verdict with every number in stored form, so the result passes gateResultSchema as it is. */
export function gateResult(
  name: GateName,
  value: number | null,
  threshold: number,
  passed: boolean,
  explanation: string,
  details: GateDetails = {},
): GateResult {
  const clean: GateDetails = {};
  for (const [k, v] of Object.entries(details)) clean[k] = cleanDetail(v);
  return { name, value: finiteOrNull(value), threshold, passed, explanation, details: clean };
}

/** A gate whose value could not be measured: it fails and says why, never passes by default. */
export function unmeasured(name: GateName, threshold: number, why: string, details: GateDetails = {}): GateResult {
  return gateResult(name, null, threshold, false, `${gateLabels[name]} cannot be measured: ${why}`, details);
}
